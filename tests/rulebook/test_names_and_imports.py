"""A rule file sees its own names and those it imports; a name from another file without an import,
a name declared twice, or an import that names the wrong instrument stops the load with the place."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hegui.rulebook import default_rulebook, load_rulebook

from small_rulebook import EXTRA_INSTRUMENT, load_error, shipped_plus

# A version of csl.ciio-localisation from 2030, so that it adds to the shipped rulebook.
VERSION = """\
versions:
  - obligation: csl.ciio-localisation
    from: 2030-01-01
    article: '1'
    applies_when:
      - "{applies_when}"
    review: verified
    confidence: H
"""


def folder_with(tmp_path: Path, body: str, applies_when: str) -> Path:
    return shipped_plus(tmp_path, EXTRA_INSTRUMENT + textwrap.dedent(body) + VERSION.format(applies_when=applies_when))


# pipl_overseas_processor is a definition of the PIPL file (instrument id pipl).
def test_another_files_definition_needs_an_import(tmp_path):
    message = load_error(folder_with(tmp_path, "", "pipl_overseas_processor"))
    assert "zz-test.yaml: versions[0] (csl.ciio-localisation): applies_when[0]:" in message
    assert "'pipl_overseas_processor' is a definition of personal-information-protection-law-2021.yaml" in message
    assert "imports: [{from: pipl, names: [pipl_overseas_processor]}]" in message


def test_an_imported_definition_is_used_with_its_own_files_names(tmp_path):
    # The definition is checked in the PIPL file: zz-test imports only the one name it writes.
    body = "imports:\n  - {from: pipl, names: [pipl_overseas_processor]}\n"
    rulebook = load_rulebook(folder_with(tmp_path, body, "pipl_overseas_processor"))
    version = rulebook.obligations["csl.ciio-localisation"].versions[-1]
    assert "organisation.incorporated_in" in version.applies_when[0].facts


def test_another_files_parameter_needs_an_import(tmp_path):
    # review_platform_users is a parameter of the Cybersecurity Review Measures (2021).
    message = load_error(folder_with(tmp_path, "", "organisation.pi_individuals > review_platform_users"))
    assert "'review_platform_users' is a parameter of cybersecurity-review-measures-2021.yaml" in message
    assert "from: crm-2021" in message


def test_an_imported_parameter_keeps_its_name_in_the_compiled_rule(tmp_path):
    body = "imports:\n  - {from: crm-2021, names: [review_platform_users]}\n"
    rulebook = load_rulebook(folder_with(tmp_path, body, "organisation.pi_individuals > review_platform_users"))
    version = rulebook.obligations["csl.ciio-localisation"].versions[-1]
    assert version.applies_when[0].parameters == ("review_platform_users",)


def test_an_unknown_name_says_what_was_expected(tmp_path):
    body = "definitions:\n  test_ciio: organisation.ciio\n"
    message = load_error(folder_with(tmp_path, body, "test_cioo"))
    assert ("zz-test.yaml: versions[0] (csl.ciio-localisation): applies_when[0]: unknown name 'test_cioo': "
            "not a parameter or definition of this file or its imports; did you mean test_ciio?") in message


def test_a_definition_uses_only_its_own_files_names(tmp_path):
    body = "definitions:\n  test_abroad: pipl_overseas_processor\n"
    message = load_error(folder_with(tmp_path, body, "test_abroad"))
    assert "zz-test.yaml: definitions.test_abroad: 'pipl_overseas_processor' is a definition of" in message


def test_a_name_is_declared_once_in_the_rulebook(tmp_path):
    body = "definitions:\n  pipl_overseas_processor: organisation.ciio\n"
    message = load_error(folder_with(tmp_path, body, "pipl_overseas_processor"))
    assert "zz-test.yaml: definitions.pipl_overseas_processor: the name is already declared as a definition" in message


def test_a_second_files_values_of_a_parameter_need_an_import(tmp_path):
    body = """\
    parameters:
      review_platform_users:
        description: the same threshold, restated
        values:
          - {value: 2000000, article: "1", wording: 超过, from: 2030-01-01}
    """
    message = load_error(folder_with(tmp_path, body, "organisation.ciio"))
    assert "zz-test.yaml: parameters.review_platform_users: the name is already declared" in message
    assert "to give it new dated values here, import it: imports: [{from: crm-2021, names: [review_platform_users]}]" \
        in message


def test_an_imported_parameter_takes_new_dated_values(tmp_path):
    body = """\
    imports:
      - {from: crm-2021, names: [review_platform_users]}
    parameters:
      review_platform_users:
        description: the threshold raised
        values:
          - {value: 2000000, article: "1", wording: 超过, from: 2030-01-01}
    """
    rulebook = load_rulebook(folder_with(tmp_path, body, "organisation.ciio"))
    values = rulebook.parameters["review_platform_users"]
    assert [(v.value, v.instrument) for v in values][-2:] == [(1000000, "crm-2021"), (2000000, "test-instrument")]


@pytest.mark.parametrize(("imports", "expected"), [
    ("[{from: no-such-law, names: [pipl_overseas_processor]}]",
     "zz-test.yaml: imports[0].from: no instrument 'no-such-law' (an instrument id is expected)"),
    ("[{from: crm-2021, names: [pipl_overseas_processor]}]",
     "zz-test.yaml: imports[0].names[0]: 'pipl_overseas_processor' is not declared by crm-2021 but by pipl"),
    ("[{from: pipl, names: [no_such_name]}]",
     "zz-test.yaml: imports[0].names[0]: 'no_such_name' is declared in no rule file"),
    ("[{from: pipl, names: [pipl_overseas_processor]}, {from: pipl, names: [pipl_overseas_processor]}]",
     "zz-test.yaml: imports[1].names[0]: 'pipl_overseas_processor' is imported twice"),
    ("[{from: test-instrument, names: [pipl_overseas_processor]}]",
     "zz-test.yaml: imports[0].from: 'test-instrument' is this file's own instrument"),
])
def test_a_faulty_import_names_the_place(tmp_path, imports, expected):
    message = load_error(folder_with(tmp_path, f"imports: {imports}\n", "organisation.ciio"))
    assert expected in message


def test_the_shipped_files_import_what_they_use_from_others():
    # Provisions Art. 3(1): combined worldwide turnover over RMB 10bn (2008), over RMB 12bn from Order 773
    # of 2024-01-22; the 2024 file adds its value to the 2008 parameter it imports.
    values = default_rulebook().parameters["aml_combined_worldwide_turnover"]
    assert [(v.value, v.start.isoformat(), v.instrument) for v in values] == [
        (10_000_000_000, "2008-08-03", "merger-thresholds-2008"),
        (12_000_000_000, "2024-01-22", "merger-thresholds-2024")]


def test_an_import_the_file_does_not_use_is_a_load_error(tmp_path):
    body = "imports:\n  - {from: pipl, names: [pipl_overseas_processor, pipl_exports_pi]}\n"
    message = load_error(folder_with(tmp_path, body, "pipl_overseas_processor"))
    assert "zz-test.yaml: imports[0].names[1]: 'pipl_exports_pi' is imported but not used" in message


def test_a_fault_in_a_nested_condition_names_its_field(tmp_path):
    folder = folder_with(tmp_path, "", "organisation.ciio")
    path = folder / "zz-test.yaml"
    path.write_text(path.read_text(encoding="utf-8") + textwrap.indent(textwrap.dedent("""\
        deadline:
          - {when: "organisation.ciio", by: 2030-06-30, says: first}
          - {when: "organisation.cioo", by: 2030-07-31, says: second}
        """), "    "), encoding="utf-8")
    assert "zz-test.yaml: versions[0] (csl.ciio-localisation): deadline[1].when: unknown fact 'organisation.cioo'" \
        in load_error(folder)

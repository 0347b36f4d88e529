"""A source says where any reader can check an instrument's text; a path on our machines is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hegui.rulebook import RulebookError, default_rulebook, load_rulebook
from hegui.rulebook.files import machine_paths

RULES = Path(__import__("hegui").__file__).parent / "rules"


@pytest.mark.parametrize("source", [
    "official text in /work/shared/regulations/texts",
    "official text in ../shared/regulations/texts/网络安全法(2016-11-07).md",
    "official text in shared/regulations/texts",
    "notes sector.md §3",
    "LawRefBook/Laws 经济法/反垄断法.md (2007 text, read)",
    "full text in GitHub Theonefkguy/Chinese-Laws",
    "C:\\laws\\pipl.txt",
])
def test_a_path_or_file_name_is_found(source):
    assert machine_paths(source)


@pytest.mark.parametrize("source", [
    "CAC Order No. 16, published on cac.gov.cn/2024-03/22/c_1712776611775634.htm (2024-03-22)",
    "https://flk.npc.gov.cn/detail2.html?ZmY4MDgxODE3YjY0NzJhMzAxN2I2NzQ4ZmI5YzAwNzQ",
    "Presidential Order No. 91 of 2021-08-20; npc.gov.cn and flk.npc.gov.cn",
    "NPCSC Gazette 2025 No. 6 (the Decision and the consolidated law)",
    "MPS notice 公通字〔2007〕43号 of 2007-06-22",
    "State Council Decision 国发〔2020〕12号 §1 on gov.cn",
])
def test_a_publisher_address_gazette_or_number_is_not_a_path(source):
    assert machine_paths(source) == []


def test_a_rule_file_whose_source_names_a_file_on_our_machines_does_not_load(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / "cybersecurity-law-2016.yaml"
    text = path.read_text(encoding="utf-8")
    source = next(line for line in text.splitlines() if line.startswith("  source:"))
    path.write_text(text.replace(source, "  source: npc.gov.cn; official text in ../shared/regulations/texts/csl.md"),
                    encoding="utf-8")
    with pytest.raises(RulebookError) as e:
        load_rulebook(folder)
    message = str(e.value)
    assert message.startswith("cybersecurity-law-2016.yaml: instrument.source:")
    assert "names a file on our machines (../shared/regulations/texts/csl.md)" in message


def test_no_shipped_source_names_a_file_on_our_machines():
    assert {i.id: machine_paths(i.source) for i in default_rulebook().instruments.values()
            if machine_paths(i.source)} == {}

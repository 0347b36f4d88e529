"""One cite(): how every renderer names an instrument and article (rulebook/model.py).

Numbered articles read "Art. 7", several "Arts. 2, 15"; paragraphs of one article stay "Art.";
an instrument without article numbers (a negative list's items, a notice) keeps its own label.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from hegui.report.reasons import citation_text
from hegui.rulebook.model import article_label, cite


@pytest.mark.parametrize("article,expected", [
    ("7", "Art. 7"),
    ("5(2)", "Art. 5(2)"),
    ("5(1)-(3)", "Art. 5(1)-(3)"),            # paragraphs 1 to 3 of one article
    ("3(1), 3(2)", "Art. 3(1), 3(2)"),        # two paragraphs of Art. 3
    ("61 ¶1", "Art. 61 ¶1"),
    ("2, 15, 16", "Arts. 2, 15, 16"),
    ("2-5, 8", "Arts. 2-5, 8"),
    ("6-7", "Arts. 6-7"),
    ("39, 55(4), 56 (restated by CAC Order 16 Art. 10)", "Arts. 39, 55(4), 56 (restated by CAC Order 16 Art. 10)"),
    ("4 (CSL Art. 41)", "Art. 4 (CSL Art. 41)"),
    ("telecoms and internet item", "telecoms and internet item"),
])
def test_article_label(article, expected):
    assert article_label(article) == expected


def test_cite_numbered_and_labelled():
    assert cite("CAC Order 16", "7") == "CAC Order 16 Art. 7"
    assert cite("Negative List 2024", "telecoms and internet item") == "Negative List 2024, telecoms and internet item"
    assert cite("Notice", "") == "Notice"


def test_the_report_citation_is_cite():
    c = {"short": "PIPL", "article": "39, 55(4), 56", "instrument_zh": "个人信息保护法"}
    assert citation_text(c) == cite("PIPL", "39, 55(4), 56") == "PIPL Arts. 39, 55(4), 56"


def test_rules_never_prints_art_before_a_label():
    done = subprocess.run([sys.executable, "-m", "hegui", "rules", "--as-of", "2026-11-25"],
                          capture_output=True, text=True, check=True)
    assert "Negative List 2024, telecoms and internet item" in " ".join(done.stdout.split())
    assert "Art. telecoms" not in done.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_json_carries_the_citation_as_worded_so_the_web_page_does_not_word_it_again(lang):
    import datetime
    import json
    from pathlib import Path

    from hegui.engine import assess
    from hegui.manifest import read_manifest
    from hegui.report.json_report import render_json

    example = Path(__file__).resolve().parents[2] / "examples" / "internet-group.yaml"
    a = assess(read_manifest(str(example)), datetime.date(2026, 11, 25))
    doc = json.loads(render_json(a, lang=lang))
    assert [f["citation"]["text"] for f in doc["findings"]] == [citation_text(f.citation, lang) for f in a.findings]
    app = (Path(__file__).resolve().parents[2] / "src" / "hegui" / "api" / "static" / "app.js").read_text()
    assert "Art. ${article}" not in app.split("function citationText")[1].split("\n}\n")[0]

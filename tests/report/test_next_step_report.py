"""The Markdown and HTML reports say what clears each open or overdue duty, where, and how to record
it (issue 12 §2), in the report's language; satisfied and inapplicable findings say nothing of it.

Example: the jobs platform on 2024-06-20, whose standard contract for transfer:crm-to-us was due
for filing with the CAC at provincial level by 2023-12-04 (CAC Order 13 Art. 7: 10 working days
after the contract took effect on 2023-11-20) and is overdue.
"""

from __future__ import annotations

import datetime
import html
import pathlib
import re

import pytest

from hegui.engine import assess
from hegui.manifest import read_manifest
from hegui.report.html_report import render_html
from hegui.report.markdown_report import render_markdown
from hegui.rulebook import default_rulebook

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "jobs-platform.yaml"
SCC = "cbdt.standard-contract-or-certification"
RECORD = "- {obligation: cbdt.standard-contract-or-certification, subject: transfer:crm-to-us, done_on: YYYY-MM-DD}"
SOURCE = {"en": "(CAC Order 13 Art. 7)", "zh": "（《个人信息出境标准合同办法》第7条）"}
HEADING = {"en": "What clears it", "zh": "办理方式"}


@pytest.fixture(scope="module")
def assessment():
    return assess(read_manifest(str(EXAMPLE)), datetime.date(2024, 6, 20))


def _finding_html(page: str, obligation: str, subject: str) -> str:
    start = page.index(f'data-obligation="{obligation}" data-subject="{subject}"')
    return page[start:page.index("</li>", start)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_html_report_shows_the_next_step_and_record_of_an_overdue_duty(assessment, lang):
    page = render_html(assessment, lang)
    item = html.unescape(_finding_html(page, SCC, "transfer:crm-to-us"))
    step = default_rulebook().obligations[SCC].next_step
    assert HEADING[lang] in item
    assert (step.en if lang == "en" else step.zh) in item and SOURCE[lang] in item
    assert f'<code class="record">{RECORD}</code>' in item
    # The CSRC filing was done on 2024-06-05 (satisfied): nothing to clear.
    done = _finding_html(page, "csrc.overseas-listing-filing", "listing:nasdaq")
    assert HEADING[lang] not in done and "record" not in done


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_markdown_report_shows_the_next_step_and_record(assessment, lang):
    text = render_markdown(assessment, lang)
    block = text[text.index(f"**`{SCC}`**"):]
    block = block[:block.index("\n- **")]
    assert f"{HEADING[lang]}: " in block and SOURCE[lang] in block
    assert f"`{RECORD}`" in block
    # Every open or overdue duty gets its record line; no other finding does.
    needing = sum(1 for f in assessment.findings if f.status == "applies" and f.compliance in ("open", "overdue"))
    assert len(re.findall(r"`- \{obligation: ", text)) == needing

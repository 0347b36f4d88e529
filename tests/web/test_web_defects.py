"""Smaller display defects of the web page and the HTML report, in headless Chromium (issue 12, part 5).

An element marked `hidden` stays out of sight whatever its class sets for `display`, and the HTML
report of `hegui assess --format html` fits a 390 px phone screen without sideways scrolling.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from test_web_page import GROUP, JOBS, answer_current, shot, start_from_scratch

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


def test_ask_skipped_again_shows_only_when_a_question_was_skipped(page):
    start_from_scratch(page)
    restore = page.locator("#restore-skipped")
    # Nothing is skipped yet: the button is hidden and takes no space.
    expect(restore).to_be_hidden()
    assert restore.evaluate("(el) => getComputedStyle(el).display") == "none"
    answer_current(page, True)
    expect(restore).to_be_hidden()
    page.click("#q-skip")
    expect(restore).to_be_visible()
    restore.click()
    expect(restore).to_be_hidden()


def test_no_element_marked_hidden_is_displayed(page):
    """Every element with the hidden attribute, in any state of the page, computes to display:none."""
    def shown_but_hidden():
        return page.evaluate("""() => Array.from(document.querySelectorAll('[hidden]'))
            .filter((el) => getComputedStyle(el).display !== 'none')
            .map((el) => el.id || el.className || el.tagName)""")

    page.goto("/")
    assert shown_but_hidden() == []
    start_from_scratch(page)
    assert shown_but_hidden() == []
    page.click("#q-skip")
    assert shown_but_hidden() == []


def _report_width(browser, server, html: str, name: str, width: int = 390) -> tuple[int, int]:
    context = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.set_content(html)
        shot(phone, f"report-{name}-{width}px")
        return phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    finally:
        context.close()


@pytest.mark.parametrize("example, lang", [(GROUP, "en"), (JOBS, "zh")])
def test_html_report_fits_a_phone(browser, server, example, lang):
    """The report of a real manifest, footer digest and long ids included, is no wider than a 390 px screen."""
    html = subprocess.run([sys.executable, "-m", "hegui", "assess", str(example), "--as-of", "2024-06-20",
                           "--format", "html", "--lang", lang],
                          capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert "<footer>" in html
    width, client = _report_width(browser, server, html, name=f"{example.stem}-{lang}")
    assert width <= 390, (width, client)

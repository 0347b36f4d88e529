"""The web questionnaire at `/`, driven in headless Chromium against a real hegui server.

A user starts from scratch and answers until a finding is decided, uploads a manifest and
changes the as-of date, switches to Chinese, downloads the report and the manifest, uses only
the keyboard, and reads the page at phone width. Screenshots: tests/artifacts/web-*.png.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import re

import pytest
from playwright.sync_api import expect
from ruamel.yaml import YAML

from hegui.manifest import parse_manifest
from hegui.manifest.facts import areas

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
JOBS = ROOT / "examples" / "jobs-platform.yaml"
GROUP = ROOT / "examples" / "internet-group.yaml"


def shot(page, name: str, full_page: bool = True) -> pathlib.Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"web-{name}.png"
    # A picture for a person to look at, not an assertion: a full page on a busy 2-core machine
    # can take longer than playwright's default 15 s, which is no fault of the page.
    page.screenshot(path=str(path), full_page=full_page, timeout=90_000)
    return path


def finding(page, obligation: str, subject: str = "organisation"):
    return page.locator(f'li.finding[data-obligation="{obligation}"][data-subject="{subject}"]')


def start_from_scratch(page, name: str = "Acme Data Ltd.", activities: tuple[str, ...] | None = ()):
    """A new manifest; the first question, which activities it carries on, answered with those ticked
    (none by default; None leaves it on screen)."""
    page.goto("/")
    page.fill("#org-name", name)
    page.click("#scratch-form button[type=submit]")
    expect(page.locator("#org-title")).to_have_text(name)
    expect(page.locator("#question .q-text")).to_be_visible()
    if activities is not None:
        answer_activities(page, activities)


def answer_activities(page, ticked: tuple[str, ...]):
    """Answer the multi-select of the gates: the areas ticked are carried on, the others not."""
    form = page.locator("#question form")
    expect(form).to_have_attribute("data-fact", "organisation.activities")
    for code in ticked:
        form.locator(f'input[data-area="{code}"]').check()
    page.click("#q-submit")
    expect(page.locator("#question form").first).not_to_have_attribute("data-fact", "organisation.activities")


def upload(page, path: pathlib.Path, as_of: str | None = None):
    page.goto("/")
    if as_of:
        page.fill("#as-of", as_of)
    page.set_input_files("#manifest-file", str(path))
    expect(page.locator("#work")).to_be_visible()
    expect(page.locator("li.finding").first).to_be_visible()


def question_fact(page) -> str:
    return page.locator("#question form").get_attribute("data-fact")


def answer_current(page, value: str | bool):
    """Answer the question on screen: a bool with its button, anything else typed and submitted with Enter."""
    form = page.locator("#question form")
    fact = form.get_attribute("data-fact")
    if isinstance(value, bool):
        form.locator(f'button[data-answer="{"yes" if value else "no"}"]').click()
    else:
        page.fill("#q-input", value)
        page.press("#q-input", "Enter")
    expect(page.locator("#question form").first).not_to_have_attribute("data-fact", fact)


def no_horizontal_scroll(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


# --- a user from scratch ---------------------------------------------------------------------

def test_start_from_scratch_and_answer_until_findings_are_decided(page):
    start_from_scratch(page)
    # The first question is the most decisive: doing business in the mainland decides seven findings.
    assert question_fact(page) == "organisation.operates_in_mainland"
    expect(finding(page, "incident.reporting")).to_have_attribute("data-status", "unknown")
    expect(finding(page, "incident.reporting").locator(".reason")).to_contain_text(
        "whether the organisation carries on business or processes data in mainland China")
    shot(page, "scratch-first-question")
    answer_current(page, True)

    # A whole number typed with commas, after a refused decimal.
    assert question_fact(page) == "organisation.pi_individuals"
    expect(page.locator("#question .help")).to_contain_text("whole number")
    page.fill("#q-input", "1.5")
    page.press("#q-input", "Enter")
    expect(page.locator("#q-error")).to_contain_text("whole number")
    answer_current(page, "1,200,000")

    # The CIIO designation decides the localisation duty.
    assert question_fact(page) == "organisation.ciio"
    expect(page.locator("#question .q-text")).to_contain_text("critical information infrastructure operator")
    for obligation in ("csl.ciio-localisation", "crm.procurement-review"):
        expect(finding(page, obligation)).to_have_attribute("data-status", "unknown")
        expect(finding(page, obligation).locator(".reason")).to_contain_text(
            "whether the organisation is a designated critical information infrastructure operator")
    answer_current(page, False)
    expect(finding(page, "csl.ciio-localisation")).to_have_attribute("data-status", "does_not_apply")
    expect(finding(page, "csl.ciio-localisation").locator(".reason")).to_contain_text(
        "the organisation is not a designated critical information infrastructure operator")
    expect(finding(page, "csl.ciio-localisation").locator(".badge-changed")).to_be_visible()
    expect(page.locator('section[data-status="does_not_apply"] .group-title')).to_contain_text("Does not apply")
    expect(finding(page, "csl.ciio-localisation").locator(".citation")).to_contain_text("CSL")

    skipped = question_fact(page)
    page.click("#q-skip")
    assert question_fact(page) != skipped
    expect(page.locator("#answers li")).to_have_count(4)     # the activities (none), then three facts
    expect(page.locator("#answers-summary")).to_have_text("4 answered, 1 skipped.")
    expect(page.locator("#answers li").nth(2)).to_contain_text("1,200,000")

    # With 1.2 million individuals and business in the mainland, some duties now apply.
    expect(page.locator('li.finding[data-status="applies"]').first).to_be_visible()
    applies = page.locator('li.finding[data-status="applies"]').first
    expect(applies.locator(".deadline")).to_be_visible()

    # The full explanation opens from the finding's reasoning trace.
    card = finding(page, "csl.ciio-localisation")
    card.locator("details.explain summary").click()
    explanation = card.locator(".explanation")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("organisation.ciio")
    # Beside the test as written, the sentence a reader reads.
    expect(explanation.locator(".step-sentence").first).to_contain_text(
        "the organisation is not a designated critical information infrastructure operator")
    expect(explanation).to_contain_text("Cybersecurity Law")
    shot(page, "scratch-answered")

    # Undo takes back the last answer (the CIIO designation) and asks it again.
    page.click("#undo")
    expect(page.locator("#answers li")).to_have_count(3)
    expect(page.locator("#question form")).to_have_attribute("data-fact", "organisation.ciio")
    assert page.locator("#notice").count() == 1


def test_adding_a_transfer_asks_about_it(page):
    start_from_scratch(page, "Exporter Co.", activities=("cross_border_data",))
    page.select_option("#add-kind", "transfers")
    page.fill("#add-id", "crm-to-us")
    page.press("#add-id", "Enter")
    expect(page.locator('li.finding[data-subject="transfer:crm-to-us"]').first).to_be_visible()
    # Questions about the transfer come once it exists; a choice is a select, Enter answers.
    skip_to(page, "transfer.basis")
    expect(page.locator("#question .q-meta .tag")).to_have_text("transfer:crm-to-us")
    page.select_option("#q-input", "cross_border_hr")
    page.press("#q-input", "Enter")
    expect(page.locator("#answers li").last).to_contain_text("cross_border_hr")
    # A country is typed as its code, in any case.
    skip_to(page, "organisation.incorporated_in")
    page.fill("#q-input", "zz")
    page.press("#q-input", "Enter")
    expect(page.locator("#q-error")).not_to_be_empty()
    page.fill("#q-input", "ky")
    page.press("#q-input", "Enter")
    expect(page.locator("#answers li").last).to_contain_text("KY")


def skip_to(page, fact: str, limit: int = 40):
    seen = []
    for _ in range(limit):
        current = question_fact(page)
        if current == fact:
            return
        seen.append(current)
        page.click("#q-skip")
        expect(page.locator("#question form")).not_to_have_attribute("data-fact", current)
    raise AssertionError(f"{fact} was never asked: {seen}")


# --- as-of date ------------------------------------------------------------------------------

def test_changing_the_as_of_date_changes_statuses(page):
    upload(page, JOBS, as_of="2024-06-20")
    review = finding(page, "crm.listing-review", "listing:nasdaq")
    csrc = finding(page, "csrc.overseas-listing-filing", "listing:nasdaq")
    expect(review).to_have_attribute("data-status", "applies")
    expect(csrc).to_have_attribute("data-status", "applies")
    expect(csrc.locator(".deadline")).to_contain_text("2024-06-06")
    expect(csrc.locator(".badge-satisfied")).to_be_visible()
    overdue = finding(page, "cbdt.standard-contract-or-certification", "transfer:crm-to-us")
    expect(overdue.locator(".badge-overdue")).to_have_text("overdue")
    shot(page, "jobs-2024-06-20")

    # The Cybersecurity Review Measures 2021 took effect on 2022-02-15.
    page.fill("#as-of", "2022-02-14")
    expect(review).to_have_attribute("data-status", "not_in_force")
    expect(csrc).to_have_attribute("data-status", "not_in_force")
    expect(review.locator(".reason")).to_contain_text("in force from")
    expect(page.locator("#work-meta")).to_contain_text("2022-02-14")
    shot(page, "jobs-2022-02-14")

    page.fill("#as-of", "2022-02-15")
    expect(review).to_have_attribute("data-status", "applies")
    expect(csrc).to_have_attribute("data-status", "not_in_force")


def test_a_bad_manifest_is_reported_with_its_line(page, tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text("format: hegui/1\norganisation:\n  name: Typo Ltd\n  network_platfrom_operator: true\n", encoding="utf-8")
    page.goto("/")
    page.set_input_files("#manifest-file", str(bad))
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("line 4")
    expect(error).to_contain_text("network_platform_operator")
    expect(page.locator("#start")).to_be_visible()


# --- language --------------------------------------------------------------------------------

def test_switching_to_chinese(page, server):
    upload(page, JOBS, as_of="2024-06-20")
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#findings-title")).to_have_text("评估结论")
    expect(page.locator('section[data-status="applies"] .group-title')).to_contain_text("适用")
    expect(page.locator("#notice")).to_contain_text("不构成法律意见")
    review = finding(page, "crm.listing-review", "listing:nasdaq")
    expect(review.locator(".finding-title")).to_have_text("赴国外上市前申报网络安全审查")
    expect(review.locator(".citation")).to_contain_text("《网络安全审查办法》第7条")
    expect(finding(page, "cbdt.standard-contract-or-certification", "transfer:crm-to-us")
           .locator(".badge-overdue")).to_have_text("已逾期")
    # The questions come in Chinese too.
    expect(page.locator("#question .q-text")).to_contain_text(re.compile(r"[\u4e00-\u9fff]"))
    expect(page.locator("#question #q-skip")).to_have_text("跳过")
    expect(page.locator("label[for=as-of]")).to_contain_text("评估日")
    shot(page, "jobs-zh")

    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(review.locator(".finding-title")).to_have_text("Apply for cybersecurity review before listing in a foreign country")


# --- downloads -------------------------------------------------------------------------------

def _download(page, button: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(button)
    download = info.value
    path = download.path()
    return download.suggested_filename, pathlib.Path(path).read_text(encoding="utf-8")


def test_download_the_report_and_the_manifest(page):
    start_from_scratch(page, "Download Test Ltd.")
    answer_current(page, True)       # operates in the mainland
    answer_current(page, "5000")     # individuals whose PI it processes
    answer_current(page, False)      # not a CIIO
    page.fill("#as-of", "2026-01-05")
    expect(page.locator("#work-meta")).to_contain_text("2026-01-05")

    name, markdown = _download(page, "#dl-markdown")
    assert name.endswith(".md")
    assert "Download Test Ltd." in markdown
    assert "2026-01-05" in markdown
    assert "csl.ciio-localisation" in markdown
    assert "not legal advice" in markdown
    (ARTIFACTS / "web-report.md").write_text(markdown, encoding="utf-8")

    name, html = _download(page, "#dl-html")
    assert name.endswith(".html")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "Download Test Ltd." in html and "2026-01-05" in html
    assert "csl.ciio-localisation" in html
    assert "not legal advice" in html
    (ARTIFACTS / "web-report.html").write_text(html, encoding="utf-8")

    name, yaml_text = _download(page, "#dl-manifest")
    assert name == "download-test-ltd.yaml"
    (ARTIFACTS / "web-manifest.yaml").write_text(yaml_text, encoding="utf-8")
    manifest = parse_manifest(yaml_text, name)
    assert manifest.organisation.name == "Download Test Ltd."
    assert manifest.organisation.ciio is False
    assert manifest.organisation.operates_in_mainland is True
    # Answers go where the schema puts them, so the file reads in the usual order.
    assert yaml_text.index("operates_in_mainland") < yaml_text.index("ciio")


def test_downloaded_manifest_of_an_upload_keeps_every_fact(page):
    upload(page, JOBS, as_of="2024-06-20")
    answer_activities(page, ())                # first which activities it carries on: none of these
    path = page.locator("#question form").get_attribute("data-path")
    answer_current(page, True)
    name, yaml_text = _download(page, "#dl-manifest")
    original = parse_manifest(JOBS.read_text(encoding="utf-8"), str(JOBS)).model_dump(exclude_none=True)
    original["organisation"]["activities"] = {code: False for code in areas()}
    written = parse_manifest(yaml_text, name).model_dump(exclude_none=True)
    node = original
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = True
    assert written == original


def test_chinese_report_download(page):
    upload(page, JOBS, as_of="2024-06-20")
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    name, markdown = _download(page, "#dl-markdown")
    assert ".zh." in name
    assert "Jobs Platform Inc." in markdown
    assert "赴国外上市前申报网络安全审查" in markdown
    assert "不构成法律意见" in markdown


# --- the YAML reader and writer the page uses ------------------------------------------------

@pytest.mark.parametrize("example", [JOBS, GROUP], ids=lambda p: p.stem)
def test_page_reads_and_writes_the_example_manifests(page, example):
    page.goto("/")
    text = example.read_text(encoding="utf-8")
    parsed = page.evaluate("(text) => window.hegui.parseYaml(text)", text)

    def plain(node):
        if isinstance(node, dict):
            return {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node.isoformat() if isinstance(node, (datetime.date, datetime.datetime)) else node
    expected = plain(json.loads(json.dumps(YAML(typ="safe", pure=True).load(text), default=str)))
    assert parsed == expected
    written = page.evaluate("(doc) => window.hegui.toYaml(doc, ['round trip'])", parsed)
    assert parse_manifest(written, "written.yaml") == parse_manifest(text, str(example))


def test_yaml_reader_handles_comments_quotes_and_flow_style(page):
    page.goto("/")
    text = (
        "# header\nformat: 'hegui/1'\norganisation:\n  name: \"Foo: Bar # Ltd\"  # trailing\n"
        "  incorporated_in: NO\n  pi_individuals: 1200\nservices:\n- id: app\n  content: [news, finance]\n"
        "transfers: [{id: t1}, {id: t2}]\ncompliance: []\n"
    )
    parsed = page.evaluate("(text) => window.hegui.parseYaml(text)", text)
    assert parsed == {"format": "hegui/1",
                      "organisation": {"name": "Foo: Bar # Ltd", "incorporated_in": "NO", "pi_individuals": 1200},
                      "services": [{"id": "app", "content": ["news", "finance"]}],
                      "transfers": [{"id": "t1"}, {"id": "t2"}], "compliance": []}
    written = page.evaluate("(doc) => window.hegui.toYaml(doc, [])", parsed)
    assert parse_manifest(written, "x.yaml").organisation.incorporated_in == "NO"
    assert parse_manifest(written, "x.yaml").organisation.name == "Foo: Bar # Ltd"


# --- keyboard only ---------------------------------------------------------------------------

def _tab_to(page, selector: str, limit: int = 200, shift: bool = False) -> int:
    """Press Tab until the element matching selector has focus; return the number of presses."""
    for n in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return n
    raise AssertionError(f"Tab never reached {selector}")


def _focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    }""")


def test_keyboard_only(page):
    page.goto("/")
    # Skip link, as-of date and language come first, then the organisation's name.
    assert _tab_to(page, ".skip-link") == 1
    _tab_to(page, "#org-name", limit=10)
    assert _focus_is_visible(page)
    page.keyboard.type("Keyboard Co.")
    page.keyboard.press("Enter")
    expect(page.locator("#org-title")).to_have_text("Keyboard Co.")
    # The first question, which activities it carries on: its first box has focus; Space ticks
    # and unticks it, Enter answers (none ticked: none carried on).
    expect(page.locator('#question input[data-area="cross_border_data"]')).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator('#question input[data-area="cross_border_data"]')).to_be_checked()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    # Then the Yes button of the next question has focus; Space answers.
    expect(page.locator('#question button[data-answer="yes"]')).to_be_focused()
    assert _focus_is_visible(page)
    shot(page, "keyboard-focus", full_page=False)
    page.keyboard.press("Space")
    # Focus moves to the next question: a number typed and entered.
    expect(page.locator("#question form")).to_have_attribute("data-fact", "organisation.pi_individuals")
    expect(page.locator("#q-input")).to_be_focused()
    page.keyboard.type("5000")
    page.keyboard.press("Enter")
    expect(page.locator("#question form")).to_have_attribute("data-fact", "organisation.ciio")
    expect(page.locator('#question button[data-answer="yes"]')).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator('#question button[data-answer="no"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(finding(page, "csl.ciio-localisation")).to_have_attribute("data-status", "does_not_apply")
    expect(page.locator("#answers li")).to_have_count(4)
    # Tab order reaches skip, the explanations, and the explanation opens with Enter.
    _tab_to(page, "#q-skip", limit=20)
    _tab_to(page, 'li.finding[data-obligation="csl.ciio-localisation"] details.explain summary')
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(finding(page, "csl.ciio-localisation").locator(".explanation")).to_be_visible()
    # Back to the top (the skip link), then the as-of date is the next stop: type it.
    _tab_to(page, ".skip-link", shift=True)
    page.keyboard.press("Tab")
    expect(page.locator("#as-of")).to_be_focused()
    page.keyboard.type("01012020")
    expect(page.locator("#work-meta")).to_contain_text("2020-01-01")
    expect(finding(page, "pipl.impact-assessment")).to_have_attribute("data-status", "not_in_force")


def test_labels(page):
    start_from_scratch(page)
    # Every form control has an accessible name.
    unnamed = page.evaluate("""() => Array.from(document.querySelectorAll('input, select, button'))
        .filter((el) => el.offsetParent !== null)
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                        && !el.getAttribute('aria-labelledby') && !el.textContent.trim())
        .map((el) => el.outerHTML)""")
    assert unnamed == []


# --- phone width -----------------------------------------------------------------------------

def test_phone_width_has_no_horizontal_scroll(phone):
    phone.goto("/")
    width, client = no_horizontal_scroll(phone)
    assert width <= 360, (width, client)
    shot(phone, "phone-start")
    phone.fill("#org-name", "Phone Ltd.")
    phone.press("#org-name", "Enter")
    expect(phone.locator("#question .q-text")).to_be_visible()
    width, client = no_horizontal_scroll(phone)                       # the activities' boxes fit
    assert width <= 360, (width, client)
    shot(phone, "phone-activities")
    phone.locator("#q-submit").tap()                                  # none of these activities
    expect(phone.locator("#question form")).to_have_attribute("data-fact", "organisation.operates_in_mainland")
    phone.locator('#question button[data-answer="yes"]').tap()        # operates in the mainland
    phone.fill("#q-input", "5000")                                    # individuals whose PI it processes
    phone.press("#q-input", "Enter")
    expect(phone.locator("#question form")).to_have_attribute("data-fact", "organisation.ciio")
    phone.locator('#question button[data-answer="no"]').tap()
    expect(finding(phone, "csl.ciio-localisation")).to_have_attribute("data-status", "does_not_apply")
    width, client = no_horizontal_scroll(phone)
    assert width <= 360, (width, client)
    shot(phone, "phone-questions")

    phone.goto("/")
    phone.fill("#as-of", "2024-06-20")
    phone.set_input_files("#manifest-file", str(GROUP))
    expect(phone.locator("li.finding").first).to_be_visible()
    overdue = phone.locator("li.finding:has(.badge-overdue)").first
    overdue.locator("details.explain summary").tap()
    expect(overdue.locator(".explanation")).to_be_visible()
    width, client = no_horizontal_scroll(phone)
    assert width <= 360, (width, client)
    # Text is readable: no body text under 12 CSS pixels.
    smallest = phone.evaluate("""() => Math.min(...Array.from(document.querySelectorAll('p, li, code, span, button, label'))
        .filter((el) => el.offsetParent !== null && el.textContent.trim())
        .map((el) => parseFloat(getComputedStyle(el).fontSize)))""")
    assert smallest >= 11
    shot(phone, "phone-group")


def test_an_overdue_duty_says_what_clears_it_and_the_record_to_add(page):
    # The CSRC filing of the HKEX secondary listing was due 2025-03-06 (Trial Measures Art. 16) and
    # is overdue on 2026-11-25: the page says what clears it, where, and the record to add.
    upload(page, GROUP, "2026-11-25")
    item = finding(page, "csrc.overseas-listing-filing", "listing:hkex-secondary")
    expect(item.locator(".next-step")).to_contain_text("To clear it:")
    expect(item.locator(".next-step")).to_contain_text("CSRC")
    expect(item.locator(".next-record code")).to_have_text(
        "- {obligation: csrc.overseas-listing-filing, subject: listing:hkex-secondary, done_on: YYYY-MM-DD}")
    # A duty that does not apply has nothing to clear.
    expect(finding(page, "crm.listing-review", "listing:hkex-secondary").locator(".next-step")).to_have_count(0)


def test_the_answers_list_follows_the_language(page):
    start_from_scratch(page, activities=("cross_border_data",))
    expect(page.locator("#question form")).to_have_attribute("data-fact", "organisation.operates_in_mainland")
    page.locator('#question button[data-answer="yes"]').click()
    answers = page.locator("#answers li")
    expect(answers.first).to_contain_text("activities")
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    # Answered in English, listed in Chinese: the questions and the activity chosen.
    expect(answers.nth(0)).to_contain_text("该组织开展以下哪些活动")
    expect(answers.nth(0).locator(".answer-v")).to_contain_text(re.compile(r"[\u4e00-\u9fff]"))
    expect(answers.nth(1)).to_contain_text("中国大陆")
    for text in answers.all_inner_texts():
        assert "Does the organisation" not in text and "Which of these" not in text


SHOP = """\
format: hegui/1
organisation: {name: Shenzhen Shop Ltd, incorporated_in: CN, operates_in_mainland: true, ciio: false,
               pi_individuals: 3000000}
transfers:
  - {id: sg-cloud, destination: SG, started_on: 2025-03-01, includes_pi: true, includes_sensitive_pi: false,
     includes_important_data: false, pi_individuals_current_year: 3000000}
"""


def test_an_explanation_shows_a_derived_count_in_words_not_json(page, tmp_path):
    # The organisation's export count is not given: it is derived from the one transfer as bounds
    # (0 to 3,000,000), which the explanation shows in words.
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    upload(page, path, "2026-12-01")
    item = finding(page, "cbdt.security-assessment", "transfer:sg-cloud")
    item.locator("details.explain summary").click()
    box = item.locator(".explanation")
    expect(box).to_contain_text("between 0 and 3,000,000 (derived)")
    assert "{" not in box.inner_text() and "at_least" not in box.inner_text()

"""The web questionnaire asks what matters (issue 12 §3), in headless Chromium against a real server.

Which activities the organisation carries on comes first, as one multi-select; an area left
unticked is not asked about and its findings are decided; a skipped multi-select asks the gates
one by one; an applying duty whose deadline needs a date asks for it and then shows the date.
"""

from __future__ import annotations

import pathlib

from playwright.sync_api import expect

from test_web_page import answer_activities, finding, question_fact, shot, start_from_scratch, upload

SHOP = """\
format: hegui/1
organisation:
  name: Shenzhen Shop Ltd.
  incorporated_in: CN
  operates_in_mainland: true
  pi_individuals: 3000000
services:
  - {id: shop-app, name: Shop App, kind: app}
transfers:
  - {id: sg-cloud, destination: SG, includes_pi: true}
listings:
  - {id: hkex, venue: HKEX, structure: direct, kind: ipo}
"""

VEHICLES_TO_AI = [("icv.road-testing-permit", "service:shop-app"), ("auto-data.domestic-storage", "service:shop-app"),
                  ("online-healthcare.physical-institution", "service:shop-app"),
                  ("anthropomorphic-ai.security-assessment", "service:shop-app"),
                  ("games.publication-approval", "service:shop-app"), ("fhc.licence", "organisation")]


def shop(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    return path


def test_the_shop_ticks_what_it_does_and_the_other_areas_are_decided(page, tmp_path):
    upload(page, shop(tmp_path), as_of="2026-12-03")
    form = page.locator("#question form")
    expect(form).to_have_attribute("data-fact", "organisation.activities")
    expect(form).to_have_attribute("data-type", "activities")
    expect(form.locator("label.check")).to_have_count(11)
    expect(form.locator('label[for="q-choice-5"]')).to_contain_text("vehicles and automotive data")
    expect(form.locator(".help")).to_contain_text("left unticked count as not carried on")
    for obligation, subject in VEHICLES_TO_AI:
        expect(finding(page, obligation, subject)).to_have_attribute("data-status", "unknown")
    shot(page, "questions-activities", full_page=False)

    answer_activities(page, ("cross_border_data", "listing_abroad", "telecom"))
    for obligation, subject in VEHICLES_TO_AI:
        expect(finding(page, obligation, subject)).to_have_attribute("data-status", "does_not_apply")
    expect(page.locator("#answers li").first).to_contain_text("cross-border data transfers")
    # No question of an area it does not carry on is asked, however far the reader skips.
    seen = []
    for _ in range(60):
        if not page.locator("#question form").count():
            break
        fact = question_fact(page)
        seen.append(fact)
        page.click("#q-skip")
        expect(page.locator("#question form, #no-more-questions").first).to_be_visible()
        if page.locator("#question form").count():
            expect(page.locator("#question form")).not_to_have_attribute("data-fact", fact)
    gated = ("automotive", "road_testing", "hd_map", "online_diagnosis", "prescriptions", "emotional",
             "generative_ai", "deep_synthesis", "online_game", "financial_group", "blockchain", "facial")
    assert seen and not [f for f in seen if any(word in f for word in gated)], seen


def test_undo_takes_back_the_activities(page):
    start_from_scratch(page, "Undo Co.", activities=("online_games",))
    expect(page.locator("#answers li")).to_have_count(1)
    expect(page.locator("#answers li").first).to_contain_text("online games")
    page.click("#undo")
    expect(page.locator("#question form")).to_have_attribute("data-fact", "organisation.activities")
    answer_activities(page, ())
    expect(page.locator("#answers li").first).to_contain_text("none of these")


def test_a_skipped_multi_select_asks_each_gate_before_the_financial_group(page):
    start_from_scratch(page, "Holding Co.", activities=None)
    page.click("#q-skip")
    expect(page.locator("#question form")).not_to_have_attribute("data-fact", "organisation.activities")
    asked = []
    for _ in range(40):
        fact = question_fact(page)
        asked.append(fact)
        if fact == "organisation.activities.financial_institutions":
            break
        page.click("#q-skip")
        expect(page.locator("#question form")).not_to_have_attribute("data-fact", fact)
    assert asked[-1] == "organisation.activities.financial_institutions"
    assert all(f.startswith("organisation.activities.") for f in asked)
    expect(page.locator("#question .q-text")).to_contain_text("control any financial institution")
    page.locator('#question button[data-answer="no"]').click()
    expect(finding(page, "fhc.licence")).to_have_attribute("data-status", "does_not_apply")


def test_the_date_a_deadline_needs_is_asked_and_the_deadline_shown(page, tmp_path):
    upload(page, shop(tmp_path), as_of="2026-12-03")
    answer_activities(page, ("cross_border_data", "listing_abroad", "telecom"))
    filing = finding(page, "csrc.overseas-listing-filing", "listing:hkex")
    expect(filing).to_have_attribute("data-status", "applies")
    for _ in range(60):
        if question_fact(page) == "listing.application_date":
            break
        fact = question_fact(page)
        page.click("#q-skip")
        expect(page.locator("#question form")).not_to_have_attribute("data-fact", fact)
    assert question_fact(page) == "listing.application_date"
    form = page.locator("#question form")
    form.locator("details.decides summary").click()
    expect(form.locator("details.decides summary")).to_contain_text("Would set the deadline of")
    expect(form.locator(".q-dates")).to_contain_text("csrc.overseas-listing-filing")
    shot(page, "questions-deadline-date", full_page=False)
    page.fill("#q-input", "2026-11-02")
    page.press("#q-input", "Enter")
    # CSRC Trial Measures Art. 16: within 3 working days after the application (Monday 2 November 2026).
    expect(filing.locator(".deadline")).to_contain_text("2026-11-05")


def test_the_activities_in_chinese(page, tmp_path):
    upload(page, shop(tmp_path), as_of="2026-12-03")
    page.click("#lang-toggle")
    form = page.locator("#question form")
    expect(form.locator('label[for="q-choice-4"]')).to_have_text("互联网诊疗或在线处方")
    expect(form.locator(".help")).to_contain_text("未勾选的视为未开展")
    answer_activities(page, ())
    expect(page.locator("#answers li").first).to_contain_text("均未开展")

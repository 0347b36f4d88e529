"""`hegui assess --format markdown|html [--lang en|zh]`: the report a compliance officer sends.

What every report must carry (issue 4): the summary counts, each finding's obligation id,
citation and deadline, the warnings, the as-of date, the rulebook version and digest, and the
not-legal-advice notice exactly once; in Chinese, the official titles and no English headings.
"""

import collections
import datetime
import html
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest

from hegui.engine import assess
from hegui.report.reasons import citation_text
from hegui.manifest import read_manifest
from hegui.report.html_report import render_html
from hegui.report.deadlines import basis_text
from hegui.report.i18n import LANGUAGES, messages, t
from hegui.report.markdown_report import render_markdown
from hegui.report.text_report import deadline_text
from hegui.report.notices import texts

ROOT = pathlib.Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "hegui"
EXAMPLE = ROOT / "examples" / "internet-group.yaml"
AS_OF = datetime.date(2026, 11, 25)
ARTIFACTS = ROOT / "tests" / "artifacts"
STATUS_KEYS = {"applies": "status.applies", "unknown": "status.unknown",
               "does_not_apply": "status.does_not_apply", "not_in_force": "status.not_in_force"}


@pytest.fixture(scope="module")
def assessment():
    return assess(read_manifest(str(EXAMPLE)), AS_OF, source=str(EXAMPLE))


RENDER = {"markdown": render_markdown, "html": render_html}


def plain(text: str, fmt: str) -> str:
    """The report's text as a reader sees it: tags dropped, entities and markdown escapes undone."""
    if fmt == "html":
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    else:
        text = re.sub(r"\\([\\*`|<])", r"\1", text)
    return " ".join(text.split())


@pytest.fixture(scope="module", params=[(fmt, lang) for fmt in RENDER for lang in LANGUAGES],
                ids=lambda p: f"{p[0]}-{p[1]}")
def report(request, assessment):
    fmt, lang = request.param
    raw = RENDER[fmt](assessment, lang)
    return fmt, lang, raw, plain(raw, fmt)


def test_summary_counts(report, assessment):
    fmt, lang, raw, text = report
    counts = collections.Counter(f.status for f in assessment.findings)
    for status, key in STATUS_KEYS.items():
        label = " ".join(t(key, lang).split())
        assert re.search(rf"{re.escape(label)}[\s|*（(]*{counts[status]}\b|\b{counts[status]}[\s|*]*{re.escape(label)}", text), \
            (status, counts[status])
    assert str(len(assessment.findings)) in text
    applies = [f for f in assessment.findings if f.status == "applies"]
    for state in ("overdue", "open", "satisfied"):
        n = sum(1 for f in applies if f.compliance == state)
        assert re.search(rf"{re.escape(t('compliance.' + state, lang))}[\s|*]*{n}\b", text), (state, n)


def test_every_finding_with_citation_and_deadline(report, assessment):
    fmt, lang, raw, text = report
    for f in assessment.findings:
        assert f.obligation in text and f.subject in text
        assert " ".join(citation_text(f.citation, lang).split()) in text, (f.obligation, f.subject)
        if f.status == "applies":
            assert deadline_text(f, lang) in text
            if f.deadline is not None and f.deadline.date:
                # the date and its basis are shown together, on the finding's own entry
                assert f"{f.deadline.date}" in text and " ".join(basis_text(f.deadline, lang).split()) in text
        for p in f.missing_facts:
            assert p in text


def test_warnings_as_of_rulebook_and_digest(report, assessment):
    fmt, lang, raw, text = report
    assert assessment.warnings
    # The warnings in the report's own language, worded by report/notices.py.
    for w in texts(assessment.warnings, lang) + [w for f in assessment.findings for w in texts(f.warnings, lang)]:
        assert " ".join(w.split()) in text
    assert AS_OF.isoformat() in text
    assert assessment.rulebook.version in text
    assert assessment.rulebook.digest.startswith("sha256:") and assessment.rulebook.digest in text
    assert assessment.organisation in text


def test_notice_exactly_once(report):
    fmt, lang, raw, text = report
    assert text.count(" ".join(t("notice", lang).split())) == 1
    other = "zh" if lang == "en" else "en"
    assert t("notice", other) not in text


def test_chinese_report_has_official_titles_and_no_english_headings(report, assessment):
    fmt, lang, raw, text = report
    if lang != "zh":
        return
    for f in assessment.findings:
        assert f.title_zh in text
        assert f.citation["instrument_zh"] in text
    for key in list(STATUS_KEYS.values()) + ["report.summary", "report.deadlines", "report.warnings",
                                             "report.findings", "report.reason", "report.citation"]:
        english = t(key, "en")
        assert not re.search(rf"(^|[#>\s]){re.escape(english)}($|[\s<(:])", text), english
    for word in ("overdue", "satisfied", "Applies", "Does not apply", "is false", "none of:", "exempt under"):
        assert word not in text, word


def test_english_report_uses_english_titles(report, assessment):
    fmt, lang, raw, text = report
    if lang != "en":
        return
    for f in assessment.findings:
        assert f.title in text


def test_html_is_self_contained_and_escaped(assessment):
    for lang in LANGUAGES:
        page = render_html(assessment, lang)
        assert page.startswith("<!DOCTYPE html>")
        assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in page
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
        assert "<script" not in page and "<link" not in page and "@import" not in page
        assert "url(" not in page
        assert 'name="viewport"' in page and "@media print" in page


def test_html_escapes_what_the_manifest_says(tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "Example Internet Group Ltd.", "<script>alert(1)</script> & Co"), encoding="utf-8")
    a = assess(read_manifest(str(manifest)), AS_OF)
    page = render_html(a, "en")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    md = render_markdown(a, "en")
    assert not re.search(r"(?<!\\)<script", md)                # shown as text, never as a tag


def test_cli_writes_the_reports():
    from click.testing import CliRunner

    from hegui.cli.base import cli
    import hegui.cli.commands  # noqa: F401
    runner = CliRunner()
    for fmt in ("markdown", "html"):
        for lang in LANGUAGES:
            done = runner.invoke(cli, ["assess", str(EXAMPLE), "--as-of", "2026-11-25", "--format", fmt,
                                       "--lang", lang])
            assert done.exit_code == 0, done.output
            assert t("notice", lang) in done.output
    for args in (["assess", str(EXAMPLE), "--as-of", "2026-11-25"],
                 ["explain", str(EXAMPLE), "csrc.overseas-listing-filing", "--as-of", "2026-11-25"],
                 ["rules", "--as-of", "2026-11-25"]):
        done = runner.invoke(cli, args + ["--lang", "zh"])
        assert done.exit_code == 0, done.output
        assert "不构成法律意见" in done.output or args[0] == "rules"
        for english in ("Applies (", "Does not apply (", "status:", "reasoning:", "governing version:",
                        "rulebook 2026", "is false"):
            assert english not in done.output, (args[0], english)


# ---------------------------------------------------------------------------
# Messages: every key the code uses exists, in both languages
# ---------------------------------------------------------------------------

KEY_CALL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.]+)["']""")
TEMPLATE_CALL = re.compile(r"""\bm\(\s*["']([A-Za-z0-9_.]+)["']""")
KEY_LITERAL = re.compile(r"""["']((?:status|compliance|review|deadline|step|day|view|report|reason|ics|calendar)\.[a-z0-9_.]+)["']""")


def used_keys() -> dict[str, set[str]]:
    used = collections.defaultdict(set)
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in (KEY_CALL, KEY_LITERAL):
            for key in pattern.findall(text):
                if not key.endswith((".md", ".html", ".py", ".yaml")):
                    used[key].add(str(path.relative_to(ROOT)))
    for path in (SRC / "report" / "templates").iterdir():
        for key in TEMPLATE_CALL.findall(path.read_text(encoding="utf-8")):
            used[key].add(str(path.relative_to(ROOT)))
    return used


def test_every_message_used_exists():
    known = messages()
    used = used_keys()
    assert len(used) > 50                                   # the grep sees the code's keys
    missing = {key: sorted(where) for key, where in used.items() if key not in known}
    assert not missing


def test_every_message_has_english_and_chinese():
    for key, texts in messages().items():
        assert set(texts) == set(LANGUAGES), key
        for lang in LANGUAGES:
            assert isinstance(texts[lang], str) and texts[lang].strip(), (key, lang)
        fields = {lang: set(re.findall(r"\{(\w+)", texts[lang])) for lang in LANGUAGES}
        # The Chinese leaves out English that has no Chinese: the exemption's English words, the
        # instrument's English title and its document number ("CAC Order No. 16").
        if key not in ("reason.exempt", "report.citation_detail", "view.explain.governing"):
            assert fields["en"] == fields["zh"], key
        if key.startswith(("report.", "view.", "status.")) and not key.endswith(("weekdays",)):
            words = re.sub(r"\{\w+\}|hegui|RMB", "", texts["zh"])
            assert re.search(r"[\u4e00-\u9fff]", words) or not re.search(r"[A-Za-z]{3}", words), key


def test_my_messages_are_all_used():
    used = used_keys()
    mine = [k for k in messages() if k.startswith(("report.", "view.", "reason.", "status.", "compliance.",
                                                   "review.", "deadline.", "step.", "day.", "ics."))]
    assert [k for k in mine if k not in used] == []


# ---------------------------------------------------------------------------
# The HTML report in headless Chromium, with a screenshot for a human to look at
# ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


def chromium() -> str:
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: `make test` installs Debian's chromium (make browser)")
        pytest.skip("chromium is not installed (make browser installs it as root on Debian)")
    return found


def run_chromium(browser: str, page: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="hegui-chromium-") as profile:
        return subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--window-size=1200,2000", *args, page.as_uri()],
            capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_report_in_chromium(lang, assessment, tmp_path):
    browser = chromium()
    page = tmp_path / f"report-{lang}.html"
    page.write_text(render_html(assessment, lang), encoding="utf-8")

    dom = run_chromium(browser, page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert rendered.count('<li class="finding') == len(assessment.findings)
    for f in assessment.findings:
        assert f'data-obligation="{f.obligation}" data-subject="{f.subject}"' in rendered
    assert html.escape(t("notice", lang), quote=False) in rendered

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"report-{lang}.png"
    shot.unlink(missing_ok=True)
    done = run_chromium(browser, page, f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000                                # a rendered page, not a blank one
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000)


LATE_FILING = {
    "format": "hegui/1",
    "organisation": {"name": "Issuer", "china_nexus": {"revenue_share": 0.9, "main_business_in_mainland": True}},
    "listings": [{"id": "ipo", "venue": "NASDAQ", "kind": "ipo", "structure": "indirect",
                  "application_date": "2024-06-03"}],
    # CSRC Trial Measures Art. 16: due 3 working days after 2024-06-03, i.e. 2024-06-06.
    "compliance": [{"obligation": "csrc.overseas-listing-filing", "subject": "listing:ipo", "done_on": "2024-06-10"}],
}


@pytest.mark.parametrize("fmt", RENDER)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("done_on, late", [("2024-06-10", True), ("2024-06-06", False)])
def test_a_record_done_late_is_marked_in_the_report(fmt, lang, done_on, late):
    from hegui.manifest.model import Manifest
    doc = {**LATE_FILING, "compliance": [{**LATE_FILING["compliance"][0], "done_on": done_on}]}
    a = assess(Manifest.model_validate(doc), datetime.date(2024, 7, 1))
    text = plain(RENDER[fmt](a, lang), fmt)
    marker = t("compliance.late", lang, date=done_on)
    # Twice when late: in the deadlines table and beside the finding.
    assert text.count(marker) == (2 if late else 0)
    assert t("compliance.satisfied", lang) in text

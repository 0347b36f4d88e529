"""`hegui assess --format html`: one self-contained page to send or print, in English or Chinese.

Inline CSS, no scripts and no external assets; readable on a phone and on paper. Jinja2
escapes every value (autoescape is on for .html templates).
"""

from __future__ import annotations

from hegui.engine import Assessment
from hegui.report.document import report_document
from hegui.report.markdown_report import environment


def render_html(a: Assessment, lang: str = "en") -> str:
    return environment().get_template("report.html").render(**report_document(a, lang))

"""`hegui assess --format markdown`: a self-contained report to send, in English or Chinese."""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2

from hegui.engine import Assessment
from hegui.report.document import report_document

_INLINE = re.compile(r"([\\*`|])|<(?=[A-Za-z/!?])")


def md(text) -> str:
    """Text as markdown shows it literally: emphasis, code, table and HTML characters escaped."""
    return _INLINE.sub(lambda m: "\\" + (m.group(1) or "<"), str(text))


def cell(text) -> str:
    """Text for a table cell: one line, escaped."""
    return md(" ".join(str(text).split()))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("hegui.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md"] = md
    env.filters["cell"] = cell
    return env


def render_markdown(a: Assessment, lang: str = "en") -> str:
    return environment().get_template("report.md").render(**report_document(a, lang))

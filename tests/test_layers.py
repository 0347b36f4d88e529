"""The layers of hegui, read from the source: no module imports from a layer above its own.

From the bottom: `lang` (the rule language) and `calendar` (the mainland calendar and clock)
import nothing of hegui's; `manifest` imports only `lang`; `engine` never imports the renderers
(`report`) or the doors (`cli`, `api`); `batch` (the SQL compiler) never imports `engine`, whose
statuses it must equal on its own; and the two doors, `cli` and `api`, stand side by side and
never import each other. Every import counts, including those inside functions.

KNOWN_VIOLATIONS lists those still there, each with who removes it. The test also fails when a
listed one is gone, so the list can only shrink: take the entry out when you fix it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hegui

SRC = Path(hegui.__file__).resolve().parent
EVERY_LAYER = None  # a layer that may import nothing of hegui's outside itself

# layer -> the layers it must not import (EVERY_LAYER: all but itself and `allowed`)
RULES = {
    "lang": (EVERY_LAYER, set()),
    "calendar": (EVERY_LAYER, set()),
    "manifest": (EVERY_LAYER, {"lang"}),
    "engine": ({"report", "cli", "api"}, set()),
    "batch": ({"engine"}, set()),
    "api": ({"cli"}, set()),
    "cli": ({"api"}, set()),
    "workspace": ({"cli"}, set()),   # a door beside api: api may mount it, cli calls it, it calls neither
}

# (importing module, imported module): each removed by the helper named.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every hegui module the file imports, anywhere in it (functions included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from hegui import engine` imports hegui.engine; `from hegui.x import f` imports hegui.x.
            out |= {f"{base}.{a.name}" for a in node.names} if base == "hegui" or not node.module else {base}
    return {m for m in out if m == "hegui" or m.startswith("hegui.")}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def forbidden(importer: str, imported: str) -> bool:
    own, target = layer(importer), layer(imported)
    if own not in RULES or target == own:
        return False
    banned, allowed = RULES[own]
    if banned is EVERY_LAYER:
        return target not in allowed
    return target in banned


def violations() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(SRC.rglob("*.py")):
        importer = module_name(path)
        found |= {(importer, imported) for imported in imports(path) if forbidden(importer, imported)}
    return found


def test_no_import_from_a_higher_layer():
    new = violations() - KNOWN_VIOLATIONS
    assert not new, "forbidden imports: " + "; ".join(f"{a} imports {b}" for a, b in sorted(new))


def test_the_known_violations_only_shrink():
    gone = KNOWN_VIOLATIONS - violations()
    assert not gone, "no longer there (take them out of KNOWN_VIOLATIONS): " + \
        "; ".join(f"{a} -> {b}" for a, b in sorted(gone))


# --- one clock ---------------------------------------------------------------------------------

CLOCK = "hegui.calendar.clock"
# Readers of the clock other than CLOCK, and why they may be.
OTHER_CLOCK_READERS = {
    # The instant an entry is appended and a head is signed (UTC timestamps in the record), not a
    # date anything is decided on.
    "hegui.ledger.store",
    "hegui.ledger.sign",
    # When a workspace change, session or login failure happened (UTC), and when a session ends.
    "hegui.workspace.models",
}


def reads_the_clock(source: str) -> bool:
    """Calls such as date.today(), datetime.now(...), datetime.datetime.utcnow(), time.time()."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (owner in ("date", "datetime") and node.func.attr in ("today", "now", "utcnow")) or \
                    (owner == "time" and node.func.attr in ("time", "time_ns", "localtime", "gmtime")):
                return True
    return False


def test_one_clock():
    readers = {module_name(path) for path in SRC.rglob("*.py")
               if reads_the_clock(path.read_text(encoding="utf-8"))}
    assert CLOCK in readers
    assert readers - {CLOCK} - OTHER_CLOCK_READERS == set(), "use hegui.calendar.clock.today()"


@pytest.mark.parametrize("source, expected", [
    ("import datetime\ndatetime.date.today()", True),
    ("from datetime import date\ndate.today()", True),
    ("datetime.datetime.now(datetime.timezone.utc)", True),
    ("import time\ntime.time()", True),
    ("time.perf_counter()", False),          # a duration, not the date
    ("from hegui.calendar.clock import today\ntoday()", False),
])
def test_clock_reads_are_recognised(source, expected):
    assert reads_the_clock(source) is expected


# --- the test's own reading of imports --------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("import hegui.engine", {"hegui.engine"}),
    ("from hegui import engine, report", {"hegui.engine", "hegui.report"}),
    ("from hegui.engine.assess import assess", {"hegui.engine.assess"}),
    ("def f():\n    from hegui.cli.base import cli\n", {"hegui.cli.base"}),
    ("from . import values", {"hegui.lang.values"}),
    ("from ..engine import assess", {"hegui.engine"}),
    ("import json\nfrom pathlib import Path", set()),
])
def test_imports_are_read_everywhere(source, expected):
    assert imports_in(source, "hegui.lang") == expected


@pytest.mark.parametrize("importer, imported, expected", [
    ("hegui.lang.check", "hegui.lang.values", False),
    ("hegui.lang.check", "hegui.manifest", True),
    ("hegui.calendar.clock", "hegui", True),
    ("hegui.manifest.load", "hegui.lang.types", False),
    ("hegui.manifest.load", "hegui.engine", True),
    ("hegui.engine.assess", "hegui.calendar", False),
    ("hegui.engine.assess", "hegui.report.i18n", True),
    ("hegui.batch.compile", "hegui.engine.finding", True),
    ("hegui.batch.compile", "hegui.rulebook", False),
    ("hegui.api.app", "hegui.cli.base", True),
    ("hegui.cli.serve", "hegui.api", True),
    ("hegui.cli.base", "hegui.report.json_report", False),
    ("hegui.screen_explain", "hegui.engine", False),
    ("hegui.workspace.store", "hegui.ledger", False),
    ("hegui.workspace.routes", "hegui.cli.base", True),
    ("hegui.api.app", "hegui.workspace.routes", False),
])
def test_the_rules(importer, imported, expected):
    assert forbidden(importer, imported) is expected

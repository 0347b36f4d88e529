"""The shipped rulebook, compiled once and kept in the per-user cache (hegui/cache.py).

Compiling the rulebook (reading 56 rule files, parsing every condition with lark, type checking,
building the decision trees) is most of what a short command such as `hegui assess` does. Its
key covers the rule files' bytes (the rulebook's own digest, and the boundary words) and the
code that compiles them and defines the objects kept: an edit to either compiles again. Loading a
folder of rule files (load_rulebook, as the tests and rule authors do) never uses the cache.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from hegui.cache import cached
from hegui.rulebook.model import Rulebook
from hegui.rulebook.sources import read_sources, shipped_folder

_PACKAGE = Path(__file__).resolve().parents[1]
# The packages whose code compiles rule files or defines what the cache holds (the condition
# language, the rulebook, the manifest's facts): a version number alone would not change while
# someone edits them.
_CODE = ("lang", "rulebook", "manifest")


@lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    """The shipped rulebook: from the cache when it holds this one, else compiled (and cached)."""
    return cached_rulebook(shipped_folder())


def cached_rulebook(folder: Path) -> Rulebook:
    sources = read_sources(folder)

    def compiled() -> Rulebook:
        from hegui.rulebook.load import compile_rulebook   # parsers and checkers, needed only on a miss
        return compile_rulebook(sources)
    code = code_digest()
    if code is None:
        return compiled()
    return cached("rulebook", (sources.digest.encode(), sources.boundary_words, code), compiled, Rulebook)


@lru_cache(maxsize=1)
def code_digest() -> bytes | None:
    """The digest of the code; None where it cannot be read as files (then nothing is cached)."""
    code = hashlib.sha256()
    try:
        for package in _CODE:
            for path in sorted((_PACKAGE / package).iterdir()):
                if path.suffix in (".py", ".yaml", ".lark"):
                    code.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return code.digest()

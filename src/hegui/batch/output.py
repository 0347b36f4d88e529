"""Files in and out of a screen: names taken literally, results written whole or not at all.

A table's name is a file name, never a pattern: DuckDB and Spark expand *, ?, [ ] and { } in
the paths they are given, so `a[1].csv` would read `a1.csv`. Such a name is read through a
link with a plain name in a private folder. A result is written to a temporary file in its
own folder and renamed over `out` only when everything succeeded, so a failed screen (a bad
cell, a failed --explain, an interrupt) leaves any earlier file as it was and no partial one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hegui.manifest.errors import InputError, Problem

PATTERN_CHARACTERS = set("*?[]{}")
_links: str | None = None   # the private folder of links, made on first need


def literal_path(path: str | Path) -> Path:
    """A path the readers take literally: `path` itself, or a link to it with a plain name."""
    global _links
    path = Path(path)
    if not PATTERN_CHARACTERS & set(str(path)):
        return path
    if _links is None:
        _links = tempfile.mkdtemp(prefix="hegui-links-")
        atexit.register(shutil.rmtree, _links, ignore_errors=True)
    link = Path(tempfile.mkdtemp(dir=_links)) / f"table{path.suffix.lower()}"
    link.symlink_to(path.resolve())
    return link


@contextmanager
def replacing(out: str | Path):
    """A temporary path beside `out` (same suffix) to write to; renamed over `out` when the block
    ends without an exception, else removed. An unwritable folder is an InputError naming `out`."""
    out = Path(out)
    try:
        fd, name = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=f".{out.name}.",
                                    suffix=f".partial{out.suffix}")
    except OSError as e:
        raise InputError([Problem(str(out), "", None, f"cannot write the file: {e.strerror or e}")]) from None
    os.close(fd)
    partial = Path(name)
    try:
        yield partial
        os.replace(partial, out)
    except OSError as e:
        partial.unlink(missing_ok=True)
        if e.filename in (str(out), str(partial), name):
            raise InputError([Problem(str(out), "", None, f"cannot write the file: {e.strerror or e}")]) from None
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise

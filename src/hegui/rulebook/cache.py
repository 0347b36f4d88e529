"""The shipped rulebook, compiled once and kept in a per-user cache between processes.

Compiling the rulebook (reading 56 rule files, parsing every condition with lark, type checking,
building the decision trees) is most of what a short command such as `hegui assess` does. The
compiled objects are pickled, after the first load, to `$HEGUI_CACHE_DIR`, else
`$XDG_CACHE_HOME/hegui`, else `~/.cache/hegui` (HEGUI_CACHE_DIR set to nothing turns the cache off).

A cache file is used only under its key: a digest of the rule files' bytes (the rulebook's own
digest and the boundary words), of the code that compiles them and defines the objects, of
hegui's version and of Python's. Any edit to a rule file or to that code makes a new key, so a
stale file is never read; a file that does not load, or holds something else, is ignored and
written again. Loading a folder of rule files (load_rulebook, the tests) never uses the cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from hegui import __version__
from hegui.rulebook.model import Rulebook
from hegui.rulebook.sources import Sources, read_sources, shipped_folder

ENV = "HEGUI_CACHE_DIR"
MAGIC = b"hegui compiled rulebook\n"
KEEP = 8   # cache files kept (several checkouts or versions may share one cache)
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
    directory = cache_dir()
    key = cache_key(sources)
    if directory is not None:
        found = _read(directory, key, sources.digest)
        if found is not None:
            return found
    from hegui.rulebook.load import compile_rulebook   # parsers and checkers, needed only on a miss
    rulebook = compile_rulebook(sources)
    if directory is not None:
        _write(directory, key, rulebook)
    return rulebook


def cache_dir() -> Path | None:
    given = os.environ.get(ENV)
    if given is not None:
        return Path(given) if given else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):   # the XDG spec ignores a relative path
        return Path(xdg) / "hegui"
    try:
        return Path.home() / ".cache" / "hegui"
    except RuntimeError:   # no home directory
        return None


def cache_key(sources: Sources) -> str:
    key = hashlib.sha256()
    for part in (__version__, sys.version, sources.digest):
        key.update(part.encode() + b"\0")
    key.update(hashlib.sha256(sources.boundary_words).digest())
    key.update(_code_digest())
    return key.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    code = hashlib.sha256()
    for package in _CODE:
        for path in sorted((_PACKAGE / package).iterdir()):
            if path.suffix in (".py", ".yaml", ".lark"):
                code.update(path.name.encode() + b"\0" + path.read_bytes())
    return code.digest()


def _file(directory: Path, key: str) -> Path:
    return directory / f"rulebook-{key}.pickle"


# Unpickling runs whatever code the file names, so a file is read only from a directory that only
# this user (and root) can write, and only if this user owns it and no one else can write it: then
# no one else can have put it there. hegui writes them so (mkstemp makes files 0600).
def _private(st: os.stat_result, kind) -> bool:
    return kind(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _private_dir(directory: Path) -> bool:
    try:
        return _private(os.stat(directory), stat.S_ISDIR)
    except OSError:
        return False


def _read(directory: Path, key: str, digest: str) -> Rulebook | None:
    if not hasattr(os, "getuid") or not _private_dir(directory):
        return None
    try:
        fd = os.open(_file(directory, key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not _private(os.fstat(f.fileno()), stat.S_ISREG):
            return None
        data = f.read()
    header = MAGIC + key.encode() + b"\n"
    if not data.startswith(header):
        return None
    try:
        rulebook = pickle.loads(memoryview(data)[len(header):])
    except Exception:   # cut short, or objects this code no longer has: any failure means rebuild
        return None
    return rulebook if isinstance(rulebook, Rulebook) and rulebook.digest == digest else None


def _write(directory: Path, key: str, rulebook: Rulebook) -> None:
    """Write the file whole or not at all (a new file renamed over the old): a process reading at
    the same time sees the old file or the new one. No cache where the directory is not writable."""
    if not hasattr(os, "getuid"):
        return
    data = MAGIC + key.encode() + b"\n" + pickle.dumps(rulebook, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private_dir(directory):
            return
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".rulebook-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, _file(directory, key))
        tmp = None
        _prune(directory)
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _prune(directory: Path) -> None:
    """Keep the newest few cache files: each edit of a rule file or of the code leaves one behind."""
    files = sorted(directory.glob("rulebook-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)

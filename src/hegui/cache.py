"""A per-user cache of what hegui builds from its own files when it starts, kept between processes.

A short command such as `hegui assess` spends most of its time building things from files that
rarely change: the compiled rulebook (rulebook/cache.py), the message and label tables (report/).
Each is pickled, after it is first built, to `$HEGUI_CACHE_DIR`, else `$XDG_CACHE_HOME/hegui`,
else `~/.cache/hegui` (HEGUI_CACHE_DIR set to nothing turns the cache off; so does a directory
that cannot be written, or one others could write).

A cache file is used only under its key: a digest of everything the value was built from (the data
files' bytes and the code that builds it, as the caller lists them), hegui's version and Python's.
So an edit to any of those makes a new key and a stale file is never read; a file that does not
load, or holds something other than what is asked for, is ignored and written again.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from hegui import __version__

ENV = "HEGUI_CACHE_DIR"
MAGIC = b"hegui cache\n"
KEEP = 8   # files kept of each kind (several checkouts or versions may share one cache)

T = TypeVar("T")


def cached(kind: str, sources: Iterable[bytes], build: Callable[[], T], cls: type) -> T:
    """The value built from sources: from the cache when it holds one of class cls under their key,
    else built (and kept)."""
    directory, key = cache_dir(), cache_key(kind, sources)
    found = read(directory, kind, key, cls) if directory is not None else None
    if found is not None:
        return found
    value = build()
    if directory is not None:
        write(directory, kind, key, value)
    return value


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


def cache_key(kind: str, sources: Iterable[bytes]) -> str:
    key = hashlib.sha256(f"{kind}\0{__version__}\0{sys.version}\0".encode())
    for data in sources:
        key.update(hashlib.sha256(data).digest())
    return key.hexdigest()


def _file(directory: Path, kind: str, key: str) -> Path:
    return directory / f"{kind}-{key}.pickle"


# Unpickling runs whatever code the file names, so a file is read only from a directory that only
# this user (and root) can write, and only if this user owns it and no one else can write it: then
# no one else can have put it there. hegui writes them so (mkstemp makes files 0600).
def _private(st: os.stat_result, is_kind) -> bool:
    return is_kind(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _private_dir(directory: Path) -> bool:
    try:
        return _private(os.stat(directory), stat.S_ISDIR)
    except OSError:
        return False


def read(directory: Path, kind: str, key: str, cls: type):
    """The value kept under the key, or None (none kept, not this user's alone, damaged, or not a cls)."""
    if not hasattr(os, "getuid") or not _private_dir(directory):
        return None
    try:
        fd = os.open(_file(directory, kind, key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not _private(os.fstat(f.fileno()), stat.S_ISREG):
            return None
        data = f.read()
    header = MAGIC + key.encode() + b"\n"
    if not data.startswith(header):
        return None
    collecting = gc.isenabled()
    gc.disable()   # the objects unpickled are none of them garbage: no collector passes while they are made
    try:
        value = pickle.loads(memoryview(data)[len(header):])
    except Exception:   # cut short, or objects this code no longer has: any failure means rebuild
        return None
    finally:
        if collecting:
            gc.enable()
    return value if isinstance(value, cls) else None


class _Pickler(pickle.Pickler):
    """Pickles hegui's objects so that they load with their attributes set one by one.

    Pickle's own loading fills an object's `__dict__` as a dictionary; CPython then reads every
    attribute of such an object the slow way (it can no longer use the compact values of objects
    made by their class), and an assessment reading a cached rulebook cost about 13% more.
    """

    def reducer_override(self, obj):
        cls = type(obj)
        if not cls.__module__.startswith("hegui.") or "__setstate__" in vars(cls):
            return NotImplemented
        reduced = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        if not isinstance(reduced, tuple) or len(reduced) < 3 or not isinstance(reduced[2], dict):
            return NotImplemented
        return (*reduced, *(None,) * (5 - len(reduced)), set_attributes)


def set_attributes(obj, state: dict) -> None:
    """An object's state set as its class's own code would set it (frozen dataclasses included)."""
    for name, value in state.items():
        object.__setattr__(obj, name, value)


def write(directory: Path, kind: str, key: str, value) -> None:
    """Write the file whole or not at all (a new file renamed over the old): a process reading at
    the same time sees the old file or the new one. Nothing is written where the directory cannot
    be made, or could be written by others."""
    if not hasattr(os, "getuid"):
        return
    tmp = None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private_dir(directory):
            return
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        data = MAGIC + key.encode() + b"\n" + buffer.getvalue()
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, _file(directory, kind, key))
        tmp = None
        _prune(directory, kind)
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _prune(directory: Path, kind: str) -> None:
    """Keep the newest few files of a kind: each edit of its sources leaves one behind."""
    files = sorted(directory.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)

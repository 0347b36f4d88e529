"""The files of a rulebook folder, as bytes, and the digest that names the rulebook they make.

Read before anything is compiled: the compiler (rulebook/load.py) parses them, and the cache of
the compiled rulebook (rulebook/cache.py) is keyed by them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

CATALOGUE = "catalogue.yaml"
BOUNDARY_WORDS = "boundary-words.yaml"   # law the checker applies to every rule file, not a rule file
CASES_SUFFIX = ".cases.yaml"   # worked examples beside a rule file, run by tests/rules/test_instrument_cases.py


def shipped_folder() -> Path:
    """The rule files hegui ships (src/hegui/rules)."""
    return Path(str(resources.files("hegui") / "rules"))


@dataclass(frozen=True)
class Sources:
    catalogue: bytes
    rule_files: tuple[tuple[str, bytes], ...]   # (file name, its bytes), by name
    boundary_words: bytes                       # the folder's table, or the shipped one

    @property
    def digest(self) -> str:
        """The rulebook's digest (findings and the ledger carry it): the catalogue and every rule
        file, by name. Not the boundary words: they decide whether rules load, never a finding."""
        digest = hashlib.sha256(f"{CATALOGUE}\0".encode() + self.catalogue)
        for name, data in self.rule_files:
            digest.update(name.encode() + b"\0" + data)
        return "sha256:" + digest.hexdigest()


def read_sources(folder: Path) -> Sources:
    rule_files = tuple((path.name, path.read_bytes()) for path in sorted(folder.glob("*.yaml"))
                       if path.name not in (CATALOGUE, BOUNDARY_WORDS) and not path.name.endswith(CASES_SUFFIX))
    return Sources((folder / CATALOGUE).read_bytes(), rule_files, boundary_words_file(folder).read_bytes())


def boundary_words_file(folder: Path) -> Path:
    """The folder's boundary-word table, or the shipped one (the Civil Code binds every rulebook)."""
    path = folder / BOUNDARY_WORDS
    return path if path.exists() else shipped_folder() / BOUNDARY_WORDS

"""Every user-facing string in English and Chinese.

Messages live in report/messages/*.yaml, one file per area, each key with `en` and `zh`
text (str.format fields allowed). A key missing a language, or defined twice, stops the
load, so a report can never fall back silently to the other language.

A count's noun takes its number from the count: `{count} {count:obligation|obligations}` reads
"1 obligation", "2 obligations" (the format spec `one|other` prints only the word). Chinese has
no plural and simply does not use it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Formatter

import yaml

from hegui.cache import cached

LANGUAGES = ("en", "zh")


class MessageError(Exception):
    pass


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Every message, read from the files once and then from the per-user cache (hegui/cache.py)."""
    folder = resources.files("hegui.report") / "messages"
    files = [(entry.name, entry.read_bytes()) for entry in sorted(folder.iterdir(), key=lambda e: e.name)
             if entry.name.endswith(".yaml")]
    sources = [name.encode() + b"\0" + data for name, data in files] + [Path(__file__).read_bytes()]
    return cached("messages", sources, lambda: _messages(files), dict)


def _messages(files: list[tuple[str, bytes]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, text in files:
        data = yaml.load(text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for key, texts in (data or {}).items():
            if key in out:
                raise MessageError(f"{name}: message {key!r} is defined twice")
            if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
                raise MessageError(f"{name}: message {key!r} needs exactly {', '.join(LANGUAGES)}")
            out[key] = texts
    return out


class _Plurals(Formatter):
    """str.format, where a spec `one|other` on a number gives the word that fits it."""

    def format_field(self, value, format_spec):
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return one if value == 1 else other
        return super().format_field(value, format_spec)


_FORMAT = _Plurals()


@lru_cache(maxsize=None)
def _has_plurals(text: str) -> bool:
    return any(spec and "|" in spec for _, _, spec, _ in _FORMAT.parse(text))


def t(key: str, lang: str = "en", **fields) -> str:
    """The message in the language, with its fields filled in."""
    text = messages()[key][lang]
    if not fields:
        return text
    # str.format itself (in C) unless the text has a plural spec: a report fills thousands of messages.
    return _FORMAT.format(text, **fields) if _has_plurals(text) else text.format(**fields)

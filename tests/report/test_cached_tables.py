"""The message and label tables are read from their YAML files once, then from the per-user cache
(hegui/cache.py): what the cache gives back is exactly what the files say."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from hegui import cache
from hegui.report import i18n, labels


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    i18n.messages.cache_clear()
    labels.labels.cache_clear()
    yield tmp_path
    i18n.messages.cache_clear()
    labels.labels.cache_clear()


def _from_cache(table, kind: str, cache_dir):
    table.cache_clear()
    built = table()                      # from the files, then kept
    assert len(list(cache_dir.glob(f"{kind}-*.pickle"))) == 1
    table.cache_clear()
    return built, table()                # from the cache


def test_the_messages_from_the_cache_are_those_of_the_files(cache_dir):
    built, kept = _from_cache(i18n.messages, "messages", cache_dir)
    folder = resources.files("hegui.report") / "messages"
    files = sorted(e for e in folder.iterdir() if e.name.endswith(".yaml"))
    written = {}
    for entry in files:
        written.update(yaml.safe_load(entry.read_text(encoding="utf-8")) or {})
    assert kept == built == written
    assert kept["rules.changes"].keys() == {"en", "zh"}


def test_the_labels_from_the_cache_are_those_of_the_file(cache_dir):
    built, kept = _from_cache(labels.labels, "labels", cache_dir)
    written = yaml.safe_load((resources.files("hegui.manifest") / "labels.yaml").read_text(encoding="utf-8"))
    assert kept == built == written

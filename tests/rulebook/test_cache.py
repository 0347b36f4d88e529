"""The compiled rulebook kept between processes (rulebook/cache.py): used when it holds the rules as
they are, rebuilt when a rule file changes or the file is damaged, never read from a place someone
else could have written, and deciding exactly as a rulebook compiled from the files does."""

from __future__ import annotations

import datetime
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hegui.engine import assess
from hegui.manifest import read_manifest
from hegui.report.json_report import render_json
from hegui import cache as hegui_cache
from hegui.rulebook import cache, load_rulebook
from hegui.rulebook import load as load_module
from hegui.rulebook.sources import shipped_folder

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PARAMETER_FILE = "cac-order-11-data-export-security-assessment.yaml"
PARAMETER_LINE = '{value: 1000000, article: "4(2)"'   # o11_processing_individuals: 100万人以上


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(hegui_cache.ENV, str(directory))
    return directory


@pytest.fixture
def compiles(monkeypatch) -> list:
    """Each time the rule files are compiled (a cache miss), the folder's rulebook digest."""
    calls, compile_rulebook = [], load_module.compile_rulebook

    def counted(sources):
        calls.append(sources.digest)
        return compile_rulebook(sources)
    monkeypatch.setattr(load_module, "compile_rulebook", counted)
    return calls


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(shipped_folder(), folder)
    return folder


def _only_file(directory: Path) -> Path:
    files = list(directory.glob("rulebook-*.pickle"))
    assert len(files) == 1, files
    return files[0]


PROGRAM = """
import contextlib, io, json, sys
from hegui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["assess", sys.argv[1], "--as-of", "2024-06-20", "--format", "json"])
json.dump({"code": code, "report": out.getvalue(), "modules": sorted(sys.modules)}, sys.__stdout__)
"""


def _assess_in_a_new_process(cache_dir: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), **{hegui_cache.ENV: str(cache_dir)})
    done = subprocess.run([sys.executable, "-c", PROGRAM, str(ROOT / "examples" / "jobs-platform.yaml")],
                          capture_output=True, text=True, env=env, check=True, timeout=120)
    return json.loads(done.stdout)


def test_a_second_process_reads_the_cache_and_loads_no_parser(tmp_path):
    """The first `hegui assess` compiles the rule files (lark parses the conditions) and keeps the
    result; the next reads it: no parser, no rule-file models, the same report."""
    directory = tmp_path / "cache"
    first = _assess_in_a_new_process(directory)
    assert first["code"] == 0 and "lark" in first["modules"]
    cache_file = _only_file(directory)
    assert [len(list(directory.glob(f"{kind}-*.pickle"))) for kind in ("messages", "labels")] == [1, 1]
    second = _assess_in_a_new_process(directory)
    assert second["code"] == 0
    assert sorted(set(second["modules"]) & {"lark", "hegui.rulebook.load", "hegui.rulebook.files"}) == []
    assert second["report"] == first["report"] and json.loads(second["report"])["findings"]
    assert _only_file(directory) == cache_file


def test_only_this_user_can_read_and_write_the_cache(cache_dir, shipped_copy):
    cache.cached_rulebook(shipped_copy)
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert _only_file(cache_dir).stat().st_mode & 0o777 == 0o600
    assert list(cache_dir.glob(".*")) == []   # no half-written file left behind


def test_an_edited_rule_file_is_compiled_again_and_its_new_value_used(cache_dir, compiles, tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(shipped_folder(), folder)
    before = cache.cached_rulebook(folder)
    assert before.parameters["o11_processing_individuals"][0].value == 1_000_000
    assert cache.cached_rulebook(folder).digest == before.digest and len(compiles) == 1   # read from the cache

    rule_file = folder / PARAMETER_FILE
    text = rule_file.read_text(encoding="utf-8")
    assert text.count(PARAMETER_LINE) == 1
    rule_file.write_text(text.replace(PARAMETER_LINE, PARAMETER_LINE.replace("1000000", "2000000")), encoding="utf-8")
    after = cache.cached_rulebook(folder)
    assert len(compiles) == 2 and after.digest != before.digest
    assert after.parameters["o11_processing_individuals"][0].value == 2_000_000
    assert cache.cached_rulebook(folder).parameters["o11_processing_individuals"][0].value == 2_000_000
    assert len(compiles) == 2
    assert len(list(cache_dir.glob("rulebook-*.pickle"))) == 2   # one per version of the rule files


@pytest.mark.parametrize("damage", [
    pytest.param(lambda data: data[: len(data) // 2], id="cut short"),
    pytest.param(lambda data: data.split(b"\n", 2)[0] + b"\n" + data.split(b"\n", 2)[1] + b"\nnot a pickle",
                 id="not a pickle"),
    pytest.param(lambda data: b"something else\n" + data, id="foreign header"),
    pytest.param(lambda data: data[: data.index(b"\n", len(hegui_cache.MAGIC)) + 1] + pickle.dumps({"not": "rules"}),
                 id="other objects"),
])
def test_a_damaged_cache_file_is_ignored_and_written_again(cache_dir, compiles, shipped_copy, damage):
    fresh = cache.cached_rulebook(shipped_copy)
    cache_file = _only_file(cache_dir)
    cache_file.write_bytes(damage(cache_file.read_bytes()))
    rebuilt = cache.cached_rulebook(shipped_copy)
    assert len(compiles) == 2
    assert rebuilt.digest == fresh.digest and list(rebuilt.obligations) == list(fresh.obligations)
    cache.cached_rulebook(shipped_copy)
    assert len(compiles) == 2   # the file written again is good


def test_a_cache_file_someone_else_can_write_is_not_read(cache_dir, compiles, shipped_copy):
    """Unpickling runs code the file names: a file others could have written is never loaded."""
    cache.cached_rulebook(shipped_copy)
    _only_file(cache_dir).chmod(0o666)
    cache.cached_rulebook(shipped_copy)
    assert len(compiles) == 2


def test_a_cache_directory_others_can_write_is_neither_read_nor_written(cache_dir, compiles, shipped_copy):
    cache.cached_rulebook(shipped_copy)
    cache_dir.chmod(0o777)
    for path in cache_dir.iterdir():
        path.unlink()
    cache.cached_rulebook(shipped_copy)
    cache.cached_rulebook(shipped_copy)
    assert len(compiles) == 3 and list(cache_dir.iterdir()) == []


def test_no_cache_where_it_cannot_be_written_or_is_turned_off(tmp_path, monkeypatch, compiles, shipped_copy):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv(hegui_cache.ENV, str(tmp_path / "a-file" / "cache"))   # under a file: cannot be made
    assert cache.cached_rulebook(shipped_copy).obligations
    monkeypatch.setenv(hegui_cache.ENV, "")
    assert hegui_cache.cache_dir() is None
    assert cache.cached_rulebook(shipped_copy).obligations
    assert len(compiles) == 2


def test_the_cache_is_found_where_the_user_keeps_caches(monkeypatch, tmp_path):
    monkeypatch.delenv(hegui_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hegui_cache.cache_dir() == tmp_path / "xdg" / "hegui"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")   # the XDG spec says to ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert hegui_cache.cache_dir() == tmp_path / "home" / ".cache" / "hegui"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_cached_rulebook_decides_as_the_rule_files_do(cache_dir, shipped_copy, example):
    cache.cached_rulebook(shipped_copy)
    cached = cache.cached_rulebook(shipped_copy)   # read back from the file
    fresh = load_rulebook(shipped_copy)
    manifest = read_manifest(str(example))
    for day in (datetime.date(2024, 6, 20), datetime.date(2026, 11, 25)):
        from_cache, from_files = assess(manifest, day, cached), assess(manifest, day, fresh)
        assert from_cache.findings == from_files.findings
        assert render_json(from_cache) == render_json(from_files)


def test_an_edit_to_the_compiling_code_compiles_again(cache_dir, compiles, shipped_copy, monkeypatch, tmp_path):
    package = tmp_path / "hegui"
    for name in ("lang", "rulebook", "manifest"):
        shutil.copytree(Path(cache.__file__).parents[1] / name, package / name)
    monkeypatch.setattr(cache, "_PACKAGE", package)
    cache.code_digest.cache_clear()
    cache.cached_rulebook(shipped_copy)
    cache.cached_rulebook(shipped_copy)
    assert len(compiles) == 1
    evaluate = package / "lang" / "evaluate.py"
    evaluate.write_text(evaluate.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    cache.code_digest.cache_clear()
    cache.cached_rulebook(shipped_copy)
    assert len(compiles) == 2
    cache.code_digest.cache_clear()

"""The instrument block of the small test rulebooks that engine and calendar tests write to a folder."""

INSTRUMENT_HEADER = """\
instrument:
  id: test-instrument
  title: Test Measures
  title_zh: 测试办法
  short: Test Measures
  issuer: nobody
  promulgated: 2022-01-01
  in_force: 2022-03-01
  source: test

versions:
"""


# The instrument block of a test file added beside the shipped rule files (tests/rulebook).
EXTRA_INSTRUMENT = """\
instrument:
  id: test-instrument
  title: Test Instrument
  title_zh: 测试
  short: Test
  issuer: nobody
  promulgated: 2020-01-01
  in_force: 2020-02-01
  source: test
"""


def shipped_plus(tmp_path, text: str):
    """A rulebook folder: the shipped rule files and one more, zz-test.yaml, holding `text`."""
    import shutil
    from pathlib import Path

    import hegui
    folder = tmp_path / "rules"
    shutil.copytree(Path(hegui.__file__).parent / "rules", folder)
    (folder / "zz-test.yaml").write_text(text, encoding="utf-8")
    return folder


def load_error(folder) -> str:
    """The message of the RulebookError that loading `folder` raises."""
    import pytest

    from hegui.rulebook import RulebookError, load_rulebook
    with pytest.raises(RulebookError) as e:
        load_rulebook(folder)
    return str(e.value)

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

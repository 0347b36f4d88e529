"""Test-wide setup. Being here puts tests/ on the import path, so folders share tests/serving.py."""

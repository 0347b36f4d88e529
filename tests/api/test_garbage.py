"""What a served assessment leaves for the cycle collector: next to nothing, so a worker's
collections stay short and rare (a pause in one is a pause for every request waiting on it)."""

from __future__ import annotations

import datetime
import gc

from hegui.api.app import MANIFEST_NAME, _rulebook, assessment_json
from hegui.engine import assess
from hegui.manifest import parse_manifest
from tests.api.conftest import GROUP, JOBS


def test_an_assessment_is_freed_by_reference_counting():
    texts = [JOBS.read_text(encoding="utf-8"), GROUP.read_text(encoding="utf-8")]
    rulebook = _rulebook()

    def serve_once(text):
        result = assess(parse_manifest(text, MANIFEST_NAME), datetime.date(2026, 11, 25), rulebook, source=MANIFEST_NAME)
        return assessment_json(result, "en")
    for text in texts:   # caches filled, rows remembered
        serve_once(text)
    gc.collect()
    gc.disable()
    try:
        for _ in range(10):
            for text in texts:
                serve_once(text)
        left = gc.collect()
    finally:
        gc.enable()
    # An assessment makes several hundred container objects (findings, traces, contexts, the
    # subjects that decide them): were they in a cycle, thousands would be collected here.
    assert left < 20 * 20, f"{left} objects left to the cycle collector by 20 assessments"

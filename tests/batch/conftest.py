import os

import pytest


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole run (starting Spark takes seconds)."""
    pytest.importorskip("pyspark")
    from hegui.batch.spark import session
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    s = session()
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()

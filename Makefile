# The two commands of the README's quick start are `make demo` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
SHARED := ../shared

.PHONY: setup demo test cases bench bench-memory equality browser bench-api java postgresql
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

demo: setup
	$(BIN)/hegui assess examples/jobs-platform.yaml --as-of 2024-06-20

# Both cores, each test file on one worker (its module fixtures, a Spark session or a server,
# are made once). One file alone: .venv/bin/python -m pytest tests/that_file.py
test: setup browser java postgresql
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The HTML report is checked in headless Chromium (tests/report). As root on Debian, install
# Debian's chromium, and a small CJK font so the Chinese report's screenshot is readable, when
# either is missing; otherwise do nothing (the test skips outside CI).
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
browser:
	@if { [ ! -x $(CHROMIUM) ] || [ ! -e $(CJK_FONT) ]; } && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "make: installing Debian's chromium for the HTML report test"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq >/dev/null && \
		apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei >/dev/null; \
	fi

# Spark (the batch equality tests) needs a Java runtime; install Debian's when there is none.
java:
	@if ! command -v java >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "make: installing Debian's Java runtime for Spark"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq >/dev/null && \
		apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; \
	fi

# The workspace tests run on SQLite and on a throwaway PostgreSQL cluster (tests/workspace starts
# it with initdb in a temporary directory); install Debian's server when it is missing.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "make: installing Debian's PostgreSQL for the workspace tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq >/dev/null && \
		apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
	fi

cases: setup
	$(BIN)/python $(SHARED)/tools/run-cases --hegui $(BIN)/hegui $(SHARED)/cases

bench: setup
	$(BIN)/python benchmarks/assess_speed.py
	$(BIN)/python benchmarks/screen_speed.py
	$(BIN)/python benchmarks/dashboard_speed.py

bench-memory: setup
	$(BIN)/python benchmarks/screen_speed.py --memory

# POST /v1/assess against `hegui serve --workers 2` on loopback at concurrency 1, 8 and 32: p50, p99 and
# requests/s, and the target of issue 13 (>= 1,000/s, p99 < 50 ms at concurrency 32) met or missed.
# Then the team workspace's endpoints over 50 organisations on SQLite and PostgreSQL (issue 15).
bench-api: setup
	$(BIN)/python benchmarks/api_load.py
	$(BIN)/python benchmarks/workspace_load.py

# The equality property (engine = DuckDB = Spark) with many more generated tables than CI runs.
equality: setup
	HEGUI_EQUALITY=long $(BIN)/python -m pytest tests/batch/test_equality.py -q

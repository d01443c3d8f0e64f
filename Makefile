# aloft developer tasks. `make test` is what CI runs (through .ci/run).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS := .[dev,pydantic]

# Only the source folders that exist (examples/ and benchmarks/ come later).
LINT_DIRS := $(wildcard src tests examples benchmarks)

# Integration tests read the PostgreSQL URL from here; pass it on only when the caller set it.
ifdef ALOFT_TEST_POSTGRES_URL
export ALOFT_TEST_POSTGRES_URL
endif

.PHONY: .venv venv test fuzz lint format demo demo-server demo-stop bench constraints clean

DEMO_PORT ?= 8420
DEMO_URL := http://127.0.0.1:$(DEMO_PORT)
DEMO_PID := .aloft-demo-server.pid

# The virtualenv, reinstalled whenever the dependencies or their pins change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt -e '$(EXTRAS)'
	touch $@

.venv venv: $(STAMP)

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

# The round-trip properties, long: 20,000 random values per path, and the count per path.
fuzz: $(STAMP)
	ALOFT_HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -s --timeout 0 -p no:cacheprovider \
	  tests/unit/types/test_roundtrip_properties.py

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_DIRS)
	$(BIN)/ruff format --check $(LINT_DIRS)
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format $(LINT_DIRS)
	$(BIN)/ruff check --fix $(LINT_DIRS)

demo: $(STAMP)
	@echo "== hello: examples/hello.py hello_wf --name World"
	$(BIN)/aloft run examples/hello.py hello_wf --name World
	@echo "== etl: examples/etl.py etl_wf"
	$(BIN)/aloft run examples/etl.py etl_wf
	@echo "== subworkflow: examples/subworkflow.py parent_wf"
	$(BIN)/aloft run examples/subworkflow.py parent_wf
	@echo "== map: examples/map_reduce.py wf --n 100000 (one array node, every item a task run)"
	$(BIN)/aloft run examples/map_reduce.py wf --n 100000
	@echo "== conditional: examples/conditional.py shape_wf --radius 3 (the case that holds runs)"
	$(BIN)/aloft run examples/conditional.py shape_wf --radius 3
	@echo "== dynamic: examples/dynamic.py fan_out_wf --n 500 (the body builds 501 nodes at run time)"
	$(BIN)/aloft run examples/dynamic.py fan_out_wf --n 500
	@echo "== eager: examples/eager.py tune_wf --trials 4 (async Python; each call a recorded node)"
	$(BIN)/aloft run examples/eager.py tune_wf --trials 4
	@echo "== caching: examples/caching.py features_wf, twice (the second run is all cache hits)"
	$(BIN)/aloft run examples/caching.py features_wf --n 5
	$(BIN)/aloft run examples/caching.py features_wf --n 5
	@echo "== gates: examples/gates.py review_wf, its signals given on the command line"
	$(BIN)/aloft run --signal threshold=0.5 --signal publish=true examples/gates.py review_wf
	@echo "== launch plans: examples/launch_plans.py quarterly_wf (each plan call is a child execution)"
	$(BIN)/aloft run examples/launch_plans.py quarterly_wf
	@echo "== shell: examples/shell_pipeline.py shell_wf --rows 5 (shell scripts as typed tasks)"
	$(BIN)/aloft run examples/shell_pipeline.py shell_wf --rows 5
	@echo "== sql: examples/sql_task.py sales_wf --min-price 20 (a query template over a SQLite file)"
	$(BIN)/aloft run examples/sql_task.py sales_wf --min-price 20
	@echo "== durable: examples/etl.py etl_wf, stored in the embedded database, on worker processes"
	$(BIN)/aloft run --durable examples/etl.py etl_wf
	$(BIN)/aloft run --durable examples/map_reduce.py wf --n 10000
	$(BIN)/aloft executions list --limit 5
	@echo
	@echo "Sources are in examples/. Run one yourself: $(BIN)/aloft run examples/hello.py hello_wf --name you"
	@echo "List what a file defines: $(BIN)/aloft run examples/etl.py   Inputs: ... etl_wf --help"
	@echo "Durable executions live in $${ALOFT_HOME:-~/.aloft}/aloft.db: $(BIN)/aloft executions list, aloft resume NAME"
	@$(MAKE) --no-print-directory demo-server

# The platform: the server on embedded defaults in the background, the examples registered,
# one run on it with live progress. `make demo-stop` stops the server.
demo-server: $(STAMP)
	@echo
	@echo "== server: aloft serve on $(DEMO_URL) (SQLite and a folder under $${ALOFT_HOME:-~/.aloft})"
	@if $(BIN)/python -c "import httpx; httpx.get('$(DEMO_URL)/healthz', timeout=1)" 2>/dev/null; then \
	  echo "a server answers on $(DEMO_URL) already: using it"; \
	else \
	  $(BIN)/aloft serve --port $(DEMO_PORT) --log-level warning > .aloft-demo-server.log 2>&1 & echo $$! > $(DEMO_PID); \
	  $(BIN)/python -c "import httpx, time; exec('for _ in range(300):\n try:\n  httpx.get(\'$(DEMO_URL)/healthz\', timeout=1); break\n except httpx.HTTPError: time.sleep(0.1)')"; \
	fi
	$(BIN)/aloft register examples/ --remote $(DEMO_URL)
	$(BIN)/aloft run --remote $(DEMO_URL) --wait examples/etl.py etl_wf
	@name=$$($(BIN)/aloft get executions --remote $(DEMO_URL) --limit 1 | tail -1 | cut -d' ' -f1); \
	echo; \
	echo "The server runs on $(DEMO_URL) (API /api/v1, OpenAPI /api/v1/openapi.json, docs /api/v1/docs, /metrics)."; \
	echo "Open the web console: $(DEMO_URL)/executions/default/development/$$name"; \
	echo "Its last execution is $$name. Look at it with:"; \
	echo "  $(BIN)/aloft get execution $$name --nodes --remote $(DEMO_URL)"; \
	echo "  $(BIN)/aloft logs $$name n0 --remote $(DEMO_URL)"; \
	echo "  $(BIN)/aloft get executions --remote $(DEMO_URL)"; \
	echo "  $(BIN)/aloft run --remote $(DEMO_URL) --wait examples/map_reduce.py wf --n 1000"; \
	echo "Stop the server with: make demo-stop"

demo-stop:
	@if [ -f $(DEMO_PID) ]; then kill $$(cat $(DEMO_PID)) 2>/dev/null && echo "server stopped" || echo "the server had stopped"; rm -f $(DEMO_PID); else echo "no demo server started by make demo"; fi

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# Re-resolve every dependency in a scratch virtualenv and pin what it installed.
constraints:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/pip" install -q -e '$(EXTRAS)' && \
	{ \
	  echo "# Exact versions of everything \`pip install -e '$(EXTRAS)'\` installs; make .venv"; \
	  echo "# installs with -c constraints.txt. Generated from a fresh resolve in a scratch venv:"; \
	  echo "# do not edit by hand. After changing dependencies in pyproject.toml, regenerate with"; \
	  echo "#   make constraints"; \
	  "$$tmp/venv/bin/pip" freeze --exclude-editable | grep -v ' @ '; \
	} > constraints.txt.new && \
	mv constraints.txt.new constraints.txt
	@echo "constraints.txt regenerated"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache build dist
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name '*.egg-info' -type d -prune -exec rm -rf {} +

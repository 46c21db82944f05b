# sendgraph: every target does its own set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install sysdeps demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# System components the tests use for real: Chromium (browser tests) and Virtuoso (SPARQL server);
# axe-core (accessibility rules injected in Chromium) from the npm registry, pinned and checked.
sysdeps:
	bash tools/sysdeps.sh
	$(PYTHON) tools/fetch_axe.py

demo: install
	$(BIN)/sendgraph build data -o sendgraph.ttl
	$(BIN)/sendgraph view -g sendgraph.ttl -o site

test: install sysdeps
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info site sendgraph.ttl

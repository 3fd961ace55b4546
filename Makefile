# The two commands of the README: `make run` and `make test`. Everything else is a helper of those.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-test install-gguf install-axe clean model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes; the stamp file records the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# llama.cpp (the gguf extra) compiles on install: minutes on two cores the first time, seconds after
# (pip keeps the built wheel). A step of its own, so the rest installs and tests even where it cannot build;
# the llama.cpp tests then skip. It is built for AVX2 rather than -march=native: on CPUs with AMX (Sapphire
# Rapids and later) the native build uses llama.cpp's AMX kernels, which crashed with a segmentation fault
# in ggml_backend_amx_mul_mat under this project's virtual machines. AVX2 runs on every x86-64 CPU of the
# last decade, so the cached wheel also stays valid when the same disk moves to another CPU.
GGUF_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
$(VENV)/.installed-gguf: pyproject.toml | $(VENV)/.installed-test
	CMAKE_ARGS="$(GGUF_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[gguf]' && touch $@ \
		|| echo "llama-cpp-python could not be installed: the llama.cpp tests will be skipped"

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-gguf: $(VENV)/.installed-gguf

run: install
	$(BIN)/mechuri serve

lint: install-test
	$(BIN)/ruff check src tests benchmarks

# axe-core, the accessibility checker the browser tests inject into every page they visit: pinned in
# tests/e2e/package.json and its lock file, installed from the npm registry with `npm ci` (seconds, once;
# again only when the lock file changes). Nothing is fetched while the tests run, and the app never serves it.
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js \
		|| echo "axe-core could not be installed (npm): the accessibility checks will be skipped"

install-axe: $(AXE)

# The browser tests drive Debian's Chromium; install it when missing (CI runs as root), else they skip.
test: install-test install-gguf install-axe lint
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium) \
		|| echo "chromium could not be installed: the browser tests will be skipped"
	$(BIN)/python -m pytest

# The shipped model (models/mechuri-gemma3-270m), rebuilt from nothing in one command: the dataset, the
# LoRA fine-tune of the packaged Gemma 3 270M (configs/mechuri-gemma3-270m.yaml, ≈ 1 hour on 2 CPU cores),
# `mechuri eval` on the 40-prompt suite and 48 held-out rows (grounded, base, fine-tuned, fine-tuned +
# slots; ≈ 40 more minutes), then the export: the PEFT adapter, its llama.cpp LoRA GGUF, serving.json (slot
# decoding only if the eval shows it passing the guardrail at least as often) and the model card with
# the run's and the eval's figures. Serve it with `mechuri serve --engine gguf:mechuri`.
MODEL_RUN ?= runs/mechuri-gemma3-270m
model: install-gguf
	$(BIN)/mechuri data build --no-hf
	$(BIN)/mechuri train --config configs/mechuri-gemma3-270m.yaml --out $(MODEL_RUN) --no-progress
	$(BIN)/mechuri eval --model packaged:gemma3-270m --adapter $(MODEL_RUN) --limit 40 --heldout 48 \
		--max-new-tokens 256
	$(BIN)/mechuri train export $(MODEL_RUN) --out models/mechuri-gemma3-270m

clean:
	rm -rf $(VENV) build dist src/*.egg-info tests/e2e/node_modules

# Peixun build. Plain cargo + wasm-bindgen + wasm-opt (see README, Build notes).
# `make test` is what CI runs; `make run` serves the demo catalogue on http://127.0.0.1:3000.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

CARGO ?= cargo
WASM_BINDGEN_VERSION := 0.2.130
WASM_TARGET := wasm32-unknown-unknown
SITE := target/site
PKG := $(SITE)/pkg
BINDGEN_OUT := target/wasm-bindgen
NPM_BIN := end2end/node_modules/.bin
ADDR ?= 127.0.0.1:3000
DATABASE_URL ?= sqlite://data/peixun.db
export LEPTOS_OUTPUT_NAME := peixun

.PHONY: build run test deps deps-rust deps-npm deps-browser deps-tools server wasm site \
        fmt lint unit unit-postgres e2e lighthouse api-doc api-fuzz size bench bench-postgres clean

# ---------------------------------------------------------------- tools (installed once)
deps: deps-rust deps-npm deps-tools

deps-rust:
	if ! rustup target list --installed | grep -qx $(WASM_TARGET); then \
	  echo "== adding the $(WASM_TARGET) target"; rustup target add $(WASM_TARGET); fi
	if [ "$$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "== installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; fi

# npm packages: Playwright, axe-core and binaryen's wasm-opt (never Debian's binaryen 108:
# its wasm-opt breaks the externref table and hydration silently never runs).
deps-npm: end2end/node_modules/.installed
end2end/node_modules/.installed: end2end/package.json end2end/package-lock.json
	cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

APT_INSTALL = if [ "$$(id -u)" = 0 ]; then apt-get install -y --no-install-recommends $(1) || \
  (apt-get update && apt-get install -y --no-install-recommends $(1)); \
  else sudo apt-get install -y --no-install-recommends $(1); fi

deps-tools:
	command -v brotli >/dev/null || { echo "== installing brotli"; $(call APT_INSTALL,brotli); }

# Chromium and a CJK font: layout is measured on 汉字, not on empty boxes.
deps-browser:
	[ -x /usr/bin/chromium ] || { echo "== installing Debian chromium"; $(call APT_INSTALL,chromium); }
	fc-list :lang=zh | grep -q . || { echo "== installing a CJK font"; $(call APT_INSTALL,fonts-noto-cjk); }

# ---------------------------------------------------------------- build
build: deps server site

server:
	$(CARGO) build -p server --release

wasm: deps-rust deps-npm
	$(CARGO) build -p app --lib --target $(WASM_TARGET) --profile wasm-release \
	  --no-default-features --features hydrate
	rm -rf $(BINDGEN_OUT)
	wasm-bindgen --target web --no-typescript --out-dir $(BINDGEN_OUT) --out-name peixun \
	  target/$(WASM_TARGET)/wasm-release/app.wasm
	$(NPM_BIN)/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
	  $(BINDGEN_OUT)/peixun_bg.wasm -o $(BINDGEN_OUT)/peixun.wasm

# The site: public/ as is, and the bundle and stylesheet under content-hashed names (served
# with year-long cache lifetimes), precompressed with brotli and gzip. assets.json tells the
# server the names.
site: wasm deps-tools
	rm -rf $(SITE).new && mkdir -p $(SITE).new/pkg
	cp -R public/. $(SITE).new/
	bundle=peixun.$$(cat $(BINDGEN_OUT)/peixun.js $(BINDGEN_OUT)/peixun.wasm | sha256sum | cut -c1-16); \
	css=peixun.$$(sha256sum style/main.css | cut -c1-16).css; \
	cp $(BINDGEN_OUT)/peixun.js $(SITE).new/pkg/$$bundle.js; \
	cp $(BINDGEN_OUT)/peixun.wasm $(SITE).new/pkg/$$bundle.wasm; \
	if [ -d $(BINDGEN_OUT)/snippets ]; then cp -R $(BINDGEN_OUT)/snippets $(SITE).new/pkg/; fi; \
	cp style/main.css $(SITE).new/pkg/$$css; \
	printf '{"bundle":"%s","stylesheet":"%s"}\n' "$$bundle" "$$css" > $(SITE).new/assets.json
	find $(SITE).new -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \
	  -o -name '*.webmanifest' \) -exec brotli -k -q 11 {} \; -exec gzip -k -9 {} \;
	rm -rf $(SITE) && mv $(SITE).new $(SITE)
	echo "== site built in $(SITE)"

run: build
	target/release/peixun serve --demo --addr $(ADDR) --database-url $(DATABASE_URL) --site-root $(SITE)

# ---------------------------------------------------------------- checks
fmt:
	$(CARGO) fmt --all --check

lint: deps-rust
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p app --lib --target $(WASM_TARGET) --no-default-features --features hydrate -- -D warnings

unit:
	$(CARGO) test --workspace

# The integration suite (server/tests) again on PostgreSQL: the machine's, or a throwaway
# cluster (see .ci/with-postgres). PEIXUN_TEST_POSTGRES=postgres://USER@HOST:PORT picks another.
unit-postgres:
	.ci/with-postgres $(CARGO) test --workspace --test '*'

e2e: deps-npm deps-browser
	cd end2end && npx playwright test

# Lighthouse (mobile) on the home, catalogue and course pages of the last `make build`; fails
# under the budget (LIGHTHOUSE_MIN_PERFORMANCE, default 95; LIGHTHOUSE_MIN_ACCESSIBILITY, 100).
lighthouse: deps-npm deps-browser
	CHROME_PATH=/usr/bin/chromium node end2end/lighthouse.mjs

# Bad input against the open API (schemathesis from PyPI, in its own venv under target/).
api-fuzz:
	end2end/schemathesis.sh

# The OpenAPI document of the last `make build` is valid OpenAPI 3.1 (openapi-spec-validator
# from PyPI: schemas, references, one operationId per operation, path parameters in paths).
api-doc:
	venv=$$(end2end/api-tools.sh); \
	target/release/peixun openapi > target/openapi.json; \
	$$venv/bin/openapi-spec-validator target/openapi.json

size:
	echo "== shipped to the browser (bytes)"
	printf '%-44s %10s %10s\n' file raw brotli
	for f in $(PKG)/*.wasm $(PKG)/*.js $(PKG)/*.css; do \
	  printf '%-44s %10s %10s\n' "$$(basename $$f)" "$$(stat -c %s $$f)" "$$(stat -c %s $$f.br)"; done
	printf '%-44s %10s %10s\n' "JS + WASM total" \
	  "$$(cat $(PKG)/*.wasm $(PKG)/*.js | wc -c)" "$$(cat $(PKG)/*.wasm.br $(PKG)/*.js.br | wc -c)"
	total=$$(cat $(PKG)/*.wasm.br $(PKG)/*.js.br | wc -c); \
	if [ "$$total" -gt $(JS_WASM_BUDGET) ]; then \
	  echo "budget: JS + WASM is $$total bytes brotli, over $(JS_WASM_BUDGET)"; exit 1; fi; \
	echo "== within the budget of $(JS_WASM_BUDGET) bytes (brotli) for JS + WASM"

# Every page ships the same bundle (the header's elder-mode switch is an island on all of them).
JS_WASM_BUDGET ?= 102400

test: deps deps-browser fmt lint unit unit-postgres build api-doc e2e lighthouse api-fuzz size

# Benchmarks (not part of `make test`): the catalogue import, in-process search percentiles
# and HTTP load against /healthz as the baseline, in one run; then criterion's view.
bench: server
	command -v wrk >/dev/null || { echo "== installing wrk"; $(call APT_INSTALL,wrk); }
	$(CARGO) run --release -p peixun-bench --bin catalog-bench -- $(BENCH_ITEMS) $(BENCH_SECONDS)
	$(CARGO) run --release -p peixun-bench --bin enrol-bench -- $(BENCH_PEOPLE) $(BENCH_CAPACITY)

# The same two benchmarks with the portal on PostgreSQL (the machine's, or a throwaway cluster).
bench-postgres: server
	command -v wrk >/dev/null || { echo "== installing wrk"; $(call APT_INSTALL,wrk); }
	.ci/with-postgres bash -c 'export BENCH_POSTGRES=$$PEIXUN_TEST_POSTGRES; \
	  $(CARGO) run --release -p peixun-bench --bin catalog-bench -- $(BENCH_ITEMS) $(BENCH_SECONDS) && \
	  $(CARGO) run --release -p peixun-bench --bin enrol-bench -- $(BENCH_PEOPLE) $(BENCH_CAPACITY)'

BENCH_ITEMS ?= 100000
BENCH_SECONDS ?= 10
BENCH_PEOPLE ?= 1000
BENCH_CAPACITY ?= 500

clean:
	$(CARGO) clean
	rm -rf end2end/node_modules end2end/test-results

# The token desk. `make dev` runs the product, `make test` runs every test.
# Each target installs what it needs (Go modules, npm ci, Chromium).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT          ?= 8787
# UPSTREAM_URL empty: the real API, tokendesk.APIURL (site.go).
UPSTREAM_URL  ?=
EMULATOR_PORT ?= 8080
RATE_LIMIT    ?= on
# Build settings: they go into the pages and _headers (see wrangler.toml).
# FRAME_ANCESTORS empty means worker/site.DefaultFrameAncestors: the desk,
# the MetaHuman SDK docs and GitBook's embed host. Any site only as *.
FRAME_ANCESTORS    ?=
TURNSTILE_SITE_KEY ?=
INSPECTOR_PORT ?= $(shell echo $$(( $(PORT) + 1000 )))
FUZZTIME      ?= 30s
# The wrangler.toml environment for deploy and tail: empty is production.
ENV           ?=

export WRANGLER_SEND_METRICS := false
export WRANGLER_SEND_ERROR_REPORTS := false
export CLOUDFLARE_CF_FETCH_ENABLED := false
# -trimpath keeps the checkout's path out of Go's build cache keys, so a
# clone elsewhere (CI's, or git clone . /tmp/x) reuses what another built:
# go test -run=NONE ./... took 9.3 s in a new folder, 4.1 s with it.
export GOFLAGS := -buildvcs=false -trimpath

WRANGLER   := node_modules/.bin/wrangler
GO_WASM    := GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w"
CONTRACT   := $(wildcard *.go) $(shell find internal/lang internal/stdlite -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum
WORKER_SRC := $(shell find worker -name '*.go' -not -name '*_test.go' 2>/dev/null)
APP_SRC    := $(shell find app wasm -name '*.go' -not -name '*_test.go' 2>/dev/null)
WEB_FILES  := $(shell find web -type f 2>/dev/null)
CHROMIUM   ?= $(shell command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)
# wasm-opt (binaryen) shrinks both wasm files after go build: -Oz takes
# 4 % off the Worker's raw bytes and 6 % off the page's (BENCHMARKS.md,
# History), which the Worker's upload limit and issue 17's size bounds
# count. Go's wasm uses these three features, and wasm-opt refuses a file
# whose features it was not told.
WASM_OPT       ?= wasm-opt
WASM_OPT_FLAGS := -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
# wasm-opt -Oz takes 28 s on the page and 8 s on the Worker here, and its
# output follows from its input, version and flags alone: it is kept per
# those, as Go keeps its builds. WASM_OPT_CACHE= runs wasm-opt every time.
WASM_OPT_CACHE ?= $(HOME)/.cache/tokendesk/wasm-opt

.PHONY: help deps binaryen chromium build dev demo lint test fuzz bench loadtest deploy tail clean FORCE

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

deps: node_modules/.installed ## Go modules and npm packages (wrangler)
	@go mod download

# --ignore-scripts: install scripts would download lists (the Observatory's)
# and nothing here needs one; wrangler's workerd binary is a plain package.
# --prefer-offline: the lock file pins every tarball with its hash, so a
# cached one needs no check with the registry (a clean clone's npm ci took
# 28 s instead of 47).
# What npm ci installs follows from package.json, package-lock.json and
# node alone, so a copy is kept per those in NODE_MODULES_CACHE, as Go keeps
# its builds: the next clean clone links it (npm ci took 28 to 86 s on this
# machine). Hard links, not a copy: a copy of its 470 MB took 6.1 s and
# 4.9 s of CPU, the links 0.8 s; nothing writes into node_modules after the
# install (after a make test, find node_modules -newer .installed finds
# nothing). On another filesystem it is copied. NODE_MODULES_CACHE= runs
# npm ci every time; to drop the copies, rm -rf ~/.cache/tokendesk.
NODE_MODULES_CACHE ?= $(HOME)/.cache/tokendesk/node_modules-$(shell { node --version; cat package.json package-lock.json; } 2>/dev/null | sha256sum | cut -c1-16)
node_modules/.installed: package.json package-lock.json
	@if [ -n "$(NODE_MODULES_CACHE)" ] && [ -d "$(NODE_MODULES_CACHE)" ]; then \
	  echo "node_modules: linked from $(NODE_MODULES_CACHE)"; \
	  rm -rf node_modules && { cp -al "$(NODE_MODULES_CACHE)" node_modules 2>/dev/null || \
	    { rm -rf node_modules && cp -a "$(NODE_MODULES_CACHE)" node_modules; }; }; \
	else \
	  set -e; echo "npm ci --ignore-scripts --no-audit --no-fund --prefer-offline"; \
	  npm ci --ignore-scripts --no-audit --no-fund --prefer-offline; \
	  echo '{}' > node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json; \
	  if [ -n "$(NODE_MODULES_CACHE)" ]; then \
	    tmp="$(NODE_MODULES_CACHE).$$$$"; mkdir -p "$$(dirname "$(NODE_MODULES_CACHE)")"; \
	    cp -a node_modules "$$tmp" && mv -T "$$tmp" "$(NODE_MODULES_CACHE)" 2>/dev/null || rm -rf "$$tmp"; \
	  fi; \
	fi
	@touch $@

# apt_install,command,package,variable: Debian's package when command is
# missing; as non-root, the command to run instead.
define apt_install
@if ! command -v "$(1)" >/dev/null; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "Installing $(2) from Debian…"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
  else \
    echo "$(1) is missing: run 'sudo apt-get install -y $(2)' or set $(3)=/path/to/it"; exit 1; \
  fi; \
fi
endef

binaryen: ## Debian's binaryen, for wasm-opt
	$(call apt_install,$(WASM_OPT),binaryen,WASM_OPT)

# chromium waits for binaryen: two apt-get at once would race for dpkg's lock.
chromium: binaryen ## Debian's Chromium, for the browser tests (about 30 s)
	$(call apt_install,$(CHROMIUM),chromium,CHROMIUM)

build: deps build/app.wasm dist/index.html ## the worker (build/) and the static site (dist/)

# optimize_wasm,in,out: wasm-opt in to out, or the copy kept for in.
define optimize_wasm
@key=$$({ "$(WASM_OPT)" --version && echo "$(WASM_OPT_FLAGS)" && cat $(1); } | sha256sum | cut -c1-16) || exit 1; \
  kept="$(WASM_OPT_CACHE)/$$key.wasm"; \
  if [ -n "$(WASM_OPT_CACHE)" ] && [ -f "$$kept" ]; then \
    echo "$(2): wasm-opt's output copied from $$kept"; cp "$$kept" $(2); \
  else \
    echo "$(WASM_OPT) $(WASM_OPT_FLAGS) $(1) -o $(2)"; \
    "$(WASM_OPT)" $(WASM_OPT_FLAGS) $(1) -o $(2) || exit 1; \
    if [ -n "$(WASM_OPT_CACHE)" ]; then \
      mkdir -p "$(WASM_OPT_CACHE)" && cp $(2) "$$kept.$$$$" && mv "$$kept.$$$$" "$$kept"; \
    fi; \
  fi; \
  rm -f $(1)
endef

# workers-assets-gen empties build/, so it runs first, then the Go build.
build/app.wasm: $(WORKER_SRC) $(CONTRACT) worker/entry.mjs | binaryen
	go tool workers-assets-gen -mode=go
	$(GO_WASM) -o build/app.go.wasm ./worker
	$(call optimize_wasm,build/app.go.wasm,$@)

# The page's wasm has English only and reads the page's own language from
# the page (see internal/lang).
dist/web/app.wasm: $(APP_SRC) $(CONTRACT) | binaryen
	@mkdir -p dist/web
	$(GO_WASM) -o dist/web/app.go.wasm ./wasm
	$(call optimize_wasm,dist/web/app.go.wasm,$@)

# The settings stamp changes only when a build setting does, so a new
# FRAME_ANCESTORS or TURNSTILE_SITE_KEY rebuilds the site and nothing else.
SETTINGS_STAMP := .build-settings
$(SETTINGS_STAMP): FORCE
	@printf '%s\n' "FRAME_ANCESTORS=$(FRAME_ANCESTORS)" "TURNSTILE_SITE_KEY=$(TURNSTILE_SITE_KEY)" | cmp -s - $@ || \
	  printf '%s\n' "FRAME_ANCESTORS=$(FRAME_ANCESTORS)" "TURNSTILE_SITE_KEY=$(TURNSTILE_SITE_KEY)" > $@
FORCE:

dist/index.html: dist/web/app.wasm $(APP_SRC) $(WEB_FILES) $(WORKER_SRC) $(SETTINGS_STAMP)
	go run ./wasm/prerender -out dist -frame-ancestors "$(FRAME_ANCESTORS)" -turnstile-site-key '$(TURNSTILE_SITE_KEY)'

dev: build ## run the Worker in workerd on http://localhost:$(PORT) (UPSTREAM_URL=, PORT=, RATE_LIMIT=off)
	$(WRANGLER) dev --port $(PORT) --inspector-port $(INSPECTOR_PORT) \
	  $(if $(UPSTREAM_URL),--var UPSTREAM_URL:$(UPSTREAM_URL)) --var RATE_LIMIT:$(RATE_LIMIT) --var TURNSTILE_SITE_KEY:$(TURNSTILE_SITE_KEY)

demo: build ## like dev, against the local API emulator: works offline
	@go build -o build/emulator ./internal/emulator/server
	@build/emulator -addr 127.0.0.1:$(EMULATOR_PORT) & emulator=$$!; \
	  trap 'kill $$emulator 2>/dev/null' EXIT INT TERM; \
	  $(WRANGLER) dev --port $(PORT) --inspector-port $(INSPECTOR_PORT) \
	    --var UPSTREAM_URL:http://127.0.0.1:$(EMULATOR_PORT) --var RATE_LIMIT:$(RATE_LIMIT) \
	    --var TURNSTILE_SITE_KEY:$(TURNSTILE_SITE_KEY)

# The packages vet and staticcheck take for js/wasm: every one whose code
# and tests build there. A package that cannot (internal/stack starts
# processes) says //go:build !js, and go list then reports an error for it
# and for every package or test that imports it, so they drop out by
# themselves. staticcheck runs as the host binary `go tool -n` names, so
# GOOS=js reaches only its analysis.
JS_PACKAGES = $(shell GOOS=js GOARCH=wasm go list -e -test \
  -f '{{.ImportPath}}|{{.ForTest}}|{{if or .Error .DepsErrors}}native{{end}}' ./... | \
  awk -F'|' '{ p = $$2 != "" ? $$2 : $$1; sub(/\.test$$/, "", p); if ($$3 != "") out[p] = 1; else seen[p] = 1 } \
    END { for (p in seen) if (!(p in out)) print p }' | sort)

lint: ## gofmt, go vet and staticcheck for both GOOS targets, actionlint on the workflows
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './node_modules/*')); \
	  if [ -n "$$unformatted" ]; then echo "not gofmt'ed (run gofmt -w):"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	GOOS=js GOARCH=wasm go vet $(JS_PACKAGES)
	@staticcheck=$$(go tool -n staticcheck) && set -x && \
	  $$staticcheck ./... && GOOS=js GOARCH=wasm $$staticcheck $(JS_PACKAGES)
	go tool actionlint .github/workflows/*.yml

# lint works the CPU while npm ci mostly waits on the disk: they run side by
# side, and the tests after both.
# go test runs TEST_PACKAGES test binaries at once, twice the cores: the
# suites that start wrangler and Chromium wait on them for much of their
# time, and at the default (one a core) a core stood idle for the last
# 30 to 40 s of a run (BENCHMARKS.md).
TEST_PACKAGES ?= $(shell echo $$(( 2 * $$(nproc) )))
test: ## every test: style, both deploy dry runs, contract, relay, emulator, end-to-end in workerd, browser
	@$(MAKE) --no-print-directory -j 3 --output-sync=target lint build chromium
	node --test worker/bridge/ worker/site/
	CHROMIUM=$(CHROMIUM) go test -p $(TEST_PACKAGES) -count=1 -timeout 20m ./...

fuzz: ## run every fuzz target (go test -list finds them) for FUZZTIME each; a failure prints in full
	@set -o pipefail; for pkg in $$(go list ./...); do \
	  for target in $$(go test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$target"; \
	    out=$$(go test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg 2>&1) || { echo "$$out"; exit 1; }; \
	    echo "$$out" | grep -E '^fuzz: elapsed' | tail -1; \
	  done; \
	done

bench: build chromium ## relay and page figures against the targets; writes BENCHMARKS.md
	CHROMIUM=$(CHROMIUM) go run ./internal/bench

loadtest: build ## 5,000 requests at 50 clients through workerd, then with faults (N=, C=)
	go run ./internal/loadtest $(if $(N),-n $(N)) $(if $(C),-c $(C))

# --env= even for production: wrangler asks for an explicit choice once
# wrangler.toml has environments.
# The preflight refuses half a Turnstile key pair (worker/deploy).
deploy: build ## deploy to Cloudflare, ENV=staging or production (needs CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID; FRAME_ANCESTORS=, TURNSTILE_SITE_KEY=)
	go run ./worker/deploy/preflight -env '$(ENV)' -turnstile-site-key '$(TURNSTILE_SITE_KEY)'
	$(WRANGLER) deploy --env=$(ENV) --var TURNSTILE_SITE_KEY:$(TURNSTILE_SITE_KEY)

tail: deps ## follow the deployed Worker's logs (JSON lines); ENV=staging, ERRORS=1 failed requests only, SEARCH=text
	$(WRANGLER) tail --env=$(ENV) $(if $(SEARCH),--search '$(SEARCH)') \
	  $(if $(ERRORS),--format json | go run ./internal/tailerrors)

clean: ## remove build output
	rm -rf build dist .wrangler $(SETTINGS_STAMP)

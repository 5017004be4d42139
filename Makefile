# The token desk. `make dev` runs the product, `make test` runs every test.
# Each target installs what it needs (Go modules, npm ci, Chromium).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT          ?= 8787
UPSTREAM_URL  ?= https://api.metahumansdk.io
EMULATOR_PORT ?= 8080
RATE_LIMIT    ?= on
# Build settings: they go into the pages and _headers (see wrangler.toml).
FRAME_ANCESTORS    ?= *
TURNSTILE_SITE_KEY ?=
INSPECTOR_PORT ?= $(shell echo $$(( $(PORT) + 1000 )))
FUZZTIME      ?= 30s

export WRANGLER_SEND_METRICS := false
export WRANGLER_SEND_ERROR_REPORTS := false
export CLOUDFLARE_CF_FETCH_ENABLED := false
export GOFLAGS := -buildvcs=false

WRANGLER   := node_modules/.bin/wrangler
GO_WASM    := GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w"
CONTRACT   := $(wildcard *.go) go.mod go.sum
WORKER_SRC := $(shell find worker -name '*.go' -not -name '*_test.go' 2>/dev/null)
APP_SRC    := $(shell find app wasm -name '*.go' -not -name '*_test.go' 2>/dev/null)
WEB_FILES  := $(shell find web -type f 2>/dev/null)
CHROMIUM   ?= $(shell command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)

.PHONY: help deps chromium build dev demo test fuzz bench loadtest deploy clean FORCE

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

deps: node_modules/.installed ## Go modules and npm packages (wrangler)
	@go mod download

# --ignore-scripts: install scripts would download lists (the Observatory's)
# and nothing here needs one; wrangler's workerd binary is a plain package.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@echo '{}' > node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json
	@touch $@

chromium: ## Debian's Chromium, for the browser tests
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium from Debian (about 30 s)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install -y chromium' or set CHROMIUM=/path/to/chrome"; exit 1; \
	  fi; \
	fi

build: deps build/app.wasm dist/index.html ## the worker (build/) and the static site (dist/)

# workers-assets-gen empties build/, so it runs first, then the Go build.
build/app.wasm: $(WORKER_SRC) $(CONTRACT) worker/entry.mjs
	go tool workers-assets-gen -mode=go
	$(GO_WASM) -o build/app.wasm ./worker

# catalogs_from_page: the page's wasm has English only and reads the page's
# own language from the page (see tokendesk.Lang).
dist/web/app.wasm: $(APP_SRC) $(CONTRACT)
	@mkdir -p dist/web
	$(GO_WASM) -tags catalogs_from_page -o $@ ./wasm

# The settings stamp changes only when a build setting does, so a new
# FRAME_ANCESTORS or TURNSTILE_SITE_KEY rebuilds the site and nothing else.
SETTINGS_STAMP := .build-settings
$(SETTINGS_STAMP): FORCE
	@printf '%s\n' 'FRAME_ANCESTORS=$(FRAME_ANCESTORS)' 'TURNSTILE_SITE_KEY=$(TURNSTILE_SITE_KEY)' | cmp -s - $@ || \
	  printf '%s\n' 'FRAME_ANCESTORS=$(FRAME_ANCESTORS)' 'TURNSTILE_SITE_KEY=$(TURNSTILE_SITE_KEY)' > $@
FORCE:

dist/index.html: dist/web/app.wasm $(APP_SRC) $(WEB_FILES) $(WORKER_SRC) $(SETTINGS_STAMP)
	go run ./wasm -out dist -frame-ancestors '$(FRAME_ANCESTORS)' -turnstile-site-key '$(TURNSTILE_SITE_KEY)'

dev: build ## run the Worker in workerd on http://localhost:$(PORT) (UPSTREAM_URL=, PORT=, RATE_LIMIT=off)
	$(WRANGLER) dev --port $(PORT) --inspector-port $(INSPECTOR_PORT) \
	  --var UPSTREAM_URL:$(UPSTREAM_URL) --var RATE_LIMIT:$(RATE_LIMIT) --var TURNSTILE_SITE_KEY:$(TURNSTILE_SITE_KEY)

demo: build ## like dev, against the local API emulator: works offline
	@go build -o build/emulator ./worker/emulator/cmd
	@build/emulator -addr 127.0.0.1:$(EMULATOR_PORT) & emulator=$$!; \
	  trap 'kill $$emulator 2>/dev/null' EXIT INT TERM; \
	  $(WRANGLER) dev --port $(PORT) --inspector-port $(INSPECTOR_PORT) \
	    --var UPSTREAM_URL:http://127.0.0.1:$(EMULATOR_PORT) --var RATE_LIMIT:$(RATE_LIMIT) \
	    --var TURNSTILE_SITE_KEY:$(TURNSTILE_SITE_KEY)

test: build chromium ## every test: contract, relay, emulator, end-to-end in workerd, browser
	go vet ./...
	GOOS=js GOARCH=wasm go vet . ./worker ./worker/bridge ./worker/message ./worker/relay ./worker/site ./worker/oembed ./app ./wasm
	GOOS=js GOARCH=wasm go vet -tags catalogs_from_page . ./app ./wasm
	@if GOOS=js GOARCH=wasm go list -deps ./worker | grep go-app; then echo "the worker must not import go-app"; exit 1; fi
	node --test worker/bridge/ worker/site/
	CHROMIUM=$(CHROMIUM) go test -count=1 -timeout 20m ./...

# package:target for every fuzz target (go test -list '^Fuzz' ./... finds them).
FUZZ_TARGETS := .:FuzzParseAndValidate .:FuzzValidateField ./worker/relay:FuzzRelay ./worker/relay:FuzzParseToken

fuzz: ## run each fuzz target for FUZZTIME (default 30s)
	@set -eo pipefail; for t in $(FUZZ_TARGETS); do \
	  echo "== $${t%%:*} $${t#*:}"; \
	  go test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) $${t%%:*} 2>&1 | grep -E 'elapsed|^(ok|FAIL|PASS|---)' | tail -3; \
	done

bench: build chromium ## relay and page figures against the targets; writes BENCHMARKS.md
	CHROMIUM=$(CHROMIUM) go run ./worker/bench

loadtest: build ## 5,000 requests at 50 clients through workerd, then with faults (N=, C=)
	go run ./worker/loadtest $(if $(N),-n $(N)) $(if $(C),-c $(C))

deploy: build ## deploy to Cloudflare (needs CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID; FRAME_ANCESTORS=, TURNSTILE_SITE_KEY=)
	$(WRANGLER) deploy --var TURNSTILE_SITE_KEY:$(TURNSTILE_SITE_KEY)

clean: ## remove build output
	rm -rf build dist .wrangler $(SETTINGS_STAMP)

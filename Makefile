# Switchboard. The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run
CARGO ?= cargo
# The app serves its built UI itself (as a release does) instead of a dev server.
APP_FEATURES := --features switchboard-app/custom-protocol
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Tests may call providers on this machine only (the sandbox); see crates/core/src/check.rs.
test: export SWITCHBOARD_LOOPBACK_ONLY := 1
# …and never ask the release feed for an update (the app's update check; see tauri.conf.json).
test: export SWITCHBOARD_UPDATES := off

.PHONY: run test deps deps-test ui ui-mock app lint rust-test conformance ui-test browser-test e2e bindings bench

## Build and open the app (installs what is missing first). With no account configured it opens
## on the sandbox demo (a local emulator of Twilio, Telnyx and 46elks inside the app).
run: deps ui
	$(CARGO) build -p switchboard-app $(APP_FEATURES)
	SWITCHBOARD_SANDBOX=auto ./target/debug/switchboard-app

## Every gate and every test (installs what is missing first).
test: deps-test ui ui-mock lint rust-test conformance ui-test browser-test e2e
	@echo "make test: every gate passed"

deps:
	scripts/deps.sh build

deps-test:
	scripts/deps.sh test

ui:
	cd ui && npm run build

ui-mock:
	cd ui && npm run build:mock

## Formatting, clippy, the UI's types and lint, no import circle between a crate's modules, and
## the GitHub workflows (actionlint; actions pinned by commit SHA).
lint:
	$(CARGO) fmt --all --check
	python3 scripts/module-cycles.py --self-test
	scripts/lint-workflows.sh
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	cd ui && npm run typecheck && npm run lint

## Rust unit, store, IPC, bindings-drift, keychain and CLI tests, against a real Secret Service.
rust-test:
	scripts/with-keyring.sh $(CARGO) test --workspace --locked

## Every Twilio call the app makes, validated by Stoplight Prism against Twilio's OpenAPI specs
## (the copy npm @twilio-alpha/mcp ships, locked in tests/conformance; or $$TWILIO_SPECS): through
## a proxy to the sandbox, and against mocks. The gate's own judgement is tested first.
conformance:
	node --test tests/conformance/gate.test.mjs
	$(CARGO) build --locked -p switchboard-cli
	$(CARGO) build --locked -p switchboard-providers --example twilio_flows
	node tests/conformance/run.mjs

ui-test:
	cd ui && npm test

browser-test:
	cd ui && npm run test:browser

app:
	$(CARGO) build --locked -p switchboard-app -p switchboard-cli $(APP_FEATURES)

e2e: app
	tests/e2e/run.sh

## Regenerate ui/src/bindings.ts from the Rust commands and types.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p switchboard-app --lib typescript_bindings_are_current

## The bulk webhook benchmark against the sandbox (figures printed; fails if a number is left wrong).
bench:
	$(CARGO) bench -p switchboard-core --bench webhooks
	$(CARGO) bench -p switchboard-core --bench messaging
	$(CARGO) bench -p switchboard-core --bench history
	$(CARGO) bench -p switchboard-core --bench diagnose

# Switchboard. The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run
CARGO ?= cargo
# The app serves its built UI itself (as a release does) instead of a dev server. Every debug build
# of `make test` (clippy, the tests, the conformance flows, the E2E app) asks for the same crates
# with the same features, so cargo compiles each dependency once: a build of one crate alone, or
# without this feature, resolves other features and recompiles tauri, core and their dependents.
APP_FEATURES := --features switchboard-app/custom-protocol
# Those builds' crates: the workspace but the bare Tauri app `make bench` measures the app against.
CRATES := --workspace --exclude bare-tauri-app
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Tests may call providers on this machine only (the sandbox); see crates/core/src/check.rs.
test: export SWITCHBOARD_LOOPBACK_ONLY := 1
# …and never ask the release feed for an update (the app's update check; see tauri.conf.json).
test: export SWITCHBOARD_UPDATES := off
# …and package the debug build it tests anyway (see `package`).
test: PACKAGE_PROFILE := debug

.PHONY: run test deps deps-test ui ui-mock app lint audit rust-test fuzz-smoke fuzz conformance ui-test browser-test e2e bindings bench \
	bench-app package package-test

## Build and open the app (installs what is missing first). With no account configured it opens
## on the sandbox demo (a local emulator of Twilio, Telnyx and 46elks inside the app).
run: deps ui
	$(CARGO) build -p switchboard-app $(APP_FEATURES)
	SWITCHBOARD_SANDBOX=auto ./target/debug/switchboard-app

## Every gate and every test (installs what is missing first).
test: deps-test ui ui-mock lint audit rust-test fuzz-smoke conformance ui-test browser-test e2e package-test
	@echo "make test: every gate passed"

deps:
	scripts/deps.sh build

deps-test:
	scripts/deps.sh test

# The built UI is rebuilt only when a source changed: the release app embeds ui/dist, so a
# needless rebuild would make cargo link it again (LTO, minutes).
UI_SOURCES := $(shell find ui/src -type f) ui/index.html ui/package.json ui/package-lock.json \
	ui/vite.config.ts ui/tsconfig.json
ui: ui/dist/index.html

ui/dist/index.html: $(UI_SOURCES)
	cd ui && npm run build
	touch $@

ui-mock:
	cd ui && npm run build:mock

## Formatting, clippy, the UI's types and lint, no import circle between a crate's modules, and
## the GitHub workflows (actionlint; actions pinned by commit SHA).
lint: ui
	$(CARGO) fmt --all --check
	python3 scripts/module-cycles.py --self-test
	scripts/lint-workflows.sh
	$(CARGO) clippy --workspace --all-targets --locked $(APP_FEATURES) -- -D warnings
	cd ui && npm run typecheck && npm run lint

## cargo deny (licenses, bans, sources; advisories when a local RustSec database is present,
## else it says they were NOT checked) and npm audit of the UI's production dependencies.
audit:
	scripts/audit.sh

## Fuzzing (cargo-fuzz, fuzz/): a short run of every target in `make test` (an unoptimised
## build: quick to make), a long one in `make fuzz` (FUZZ_SECONDS per target, optimised).
## Prints executions and crashes; fails on a crash.
FUZZ_SECONDS ?= 600
fuzz-smoke:
	FUZZ_PROFILE=dev scripts/fuzz.sh 30

fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

## Rust unit, store, IPC, bindings-drift, keychain and CLI tests, against a real Secret Service.
rust-test: ui
	scripts/with-keyring.sh $(CARGO) test $(CRATES) --locked $(APP_FEATURES)
	# The log-file test sets the process's global logger: in a process of its own. Built with the
	# crates and features above, so cargo rebuilds nothing (with -p switchboard-app alone it
	# recompiled half the tree: 3.5 minutes).
	scripts/with-keyring.sh $(CARGO) test $(CRATES) --locked $(APP_FEATURES) --lib -- --ignored --exact \
		ipc_plugins_tests::no_secret_reaches_the_log_file_after_saving_credentials
	# The app and CLI processes writing one data folder for a minute (SWITCHBOARD_WRITERS_SECONDS
	# shortens it); the CLI binary is the one the workspace tests just built.
	scripts/with-keyring.sh $(CARGO) test $(CRATES) --locked $(APP_FEATURES) --lib -- --ignored --exact \
		ipc_concurrency_tests::the_app_and_cli_processes_write_one_data_folder_for_a_minute_and_lose_nothing \
		--nocapture

## Every Twilio call the app makes, validated by Stoplight Prism against Twilio's OpenAPI specs
## (the copy npm @twilio-alpha/mcp ships, locked in tests/conformance; or $$TWILIO_SPECS): through
## a proxy to the sandbox, and against mocks. The gate's own judgement is tested first.
conformance: ui
	node --test tests/conformance/gate.test.mjs
	# The CLI and the pinned flows, as `cargo test` built them (see APP_FEATURES): nothing to redo.
	$(CARGO) build $(CRATES) --locked --bins --examples $(APP_FEATURES)
	node tests/conformance/run.mjs

ui-test:
	cd ui && npm test

browser-test:
	cd ui && npm run test:browser

app: ui
	$(CARGO) build $(CRATES) --locked --bins --examples $(APP_FEATURES)

e2e: app
	tests/e2e/run.sh

## The release app (stripped, LTO: [profile.release] in Cargo.toml) and its Linux packages, .deb and
## .rpm, in $(TARGET)/release/bundle/{deb,rpm}/. Both also install the `switchboard` CLI in /usr/bin:
## on Linux the app's own binary serves it (`switchboard-app cli …`), and /usr/bin/switchboard is a
## two-line script that runs it so (packaging/linux/switchboard, put there by the deb and rpm `files`
## of tauri.package.linux.conf.json): the package carries the core once instead of twice (the CLI's
## own binary, a sidecar, doubled the .deb). The macOS and Windows bundles carry the CLI's binary as
## a sidecar beside the app (tauri.package.conf.json; the release workflow): a Windows GUI binary
## has no console to print to. No AppImage here: Tauri's AppImage bundler downloads its tooling
## (AppRun, linuxdeploy) from GitHub at bundle time, which fails offline (tried); the release
## workflow builds it. One cargo build makes the app (the command `tauri build` runs: every binary,
## one feature set), then the Tauri CLI (npm @tauri-apps/cli in ui/node_modules) only bundles it.
##
## PACKAGE_PROFILE=debug bundles the same way the debug app that `make test` has built and driven
## already (in $(TARGET)/debug/bundle/): `make test` tests its packages so, because the release
## build alone (LTO, 2 cores) took 25 minutes, more than half the test run. What the package
## test checks (metadata, files, the CLI on the PATH, install, start, drive, purge) is the
## bundler's work and the same for both; `make package-test` tests the release packages.
TARGET = $(or $(CARGO_TARGET_DIR),target)
PACKAGE_PROFILE ?= release
package: deps ui
	@if [ "$(PACKAGE_PROFILE)" = release ]; then \
	  echo "$(CARGO) build --release --locked --bins --features tauri/custom-protocol"; \
	  $(CARGO) build --release --locked --bins --features tauri/custom-protocol; \
	else \
	  echo "$(CARGO) build $(CRATES) --locked --bins --examples $(APP_FEATURES)"; \
	  $(CARGO) build $(CRATES) --locked --bins --examples $(APP_FEATURES); \
	fi
	ui/node_modules/.bin/tauri bundle --ci --bundles deb,rpm --config tauri.package.linux.conf.json \
		$(if $(filter debug,$(PACKAGE_PROFILE)),--debug)

## Installs the .deb (dpkg -i, as root), drives the installed app over WebDriver, removes it; checks
## the .rpm's metadata and file list (of PACKAGE_PROFILE's packages: release, or debug in make test).
package-test: package
	PACKAGE_PROFILE=$(PACKAGE_PROFILE) tests/package/install.sh

## Regenerate ui/src/bindings.ts from the Rust commands and types.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test $(CRATES) $(APP_FEATURES) --lib typescript_bindings_are_current

## Every benchmark against the sandbox, each printing its figures, then the app against a bare
## Tauri app (bench-app); each one runs even when an earlier one missed its target, and the target
## fails at the end naming those that missed.
BENCHES := webhooks messaging history diagnose
bench: package
	@missed=""; for b in $(BENCHES); do \
	  $(CARGO) bench --locked -p switchboard-core --bench $$b || missed="$$missed $$b"; \
	done; \
	tests/perf/run.sh || missed="$$missed bench-app"; \
	if [ -n "$$missed" ]; then echo "make bench: missed a target:$$missed" >&2; exit 1; fi

## The release app against a bare Tauri v2 app (tests/perf/bare) built in the same run: window
## time, idle memory, the first useful screen and memory with 10,000 numbers and 1,000,000
## messages, binary and .deb sizes. One table of ratios; fails when a target is missed.
bench-app: package
	tests/perf/run.sh

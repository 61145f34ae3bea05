#!/usr/bin/env bash
# `make bench-app`: the app's performance suite (tests/perf/bench.mjs) against a bare Tauri v2 app
# (tests/perf/bare) built here with the same release profile and bundled the same way. Expects the
# release app, its CLI and their .deb (`make package`); builds the bare app, its .deb and the data
# seeder, then measures under Xvfb and a private D-Bus session with an unlocked gnome-keyring.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
cargo=${CARGO:-cargo}
target=$(cd "$root" && realpath -m "${CARGO_TARGET_DIR:-target}")

# The bare app in the same cargo invocation as the app (every workspace binary, one feature set):
# tauri and every dependency are the app's very build, reused from `make package`, so only the
# bare app itself is compiled and linked (alone it would rebuild tauri's stack, half an hour here).
$cargo build --release --locked --workspace --bins --features tauri/custom-protocol
(cd tests/perf/bare && "$root/ui/node_modules/.bin/tauri" bundle --ci --bundles deb)
# The seeder with the debug builds of `make test` (same crates, same features: nothing to redo).
$cargo build --workspace --exclude bare-tauri-app --locked --bins --examples \
  --features switchboard-app/custom-protocol

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
export APP_BINARY="$target/release/switchboard-app" CLI_BINARY="$target/release/switchboard"
export BARE_BINARY="$target/release/bare-tauri-app" SEED_BINARY="$target/debug/examples/perf_seed"
export APP_DEB="$target/release/bundle/deb/Switchboard_${version}_${arch}.deb"
export BARE_DEB="$target/release/bundle/deb/Bare_${version}_${arch}.deb"
for file in "$APP_BINARY" "$CLI_BINARY" "$APP_DEB" "$BARE_BINARY" "$BARE_DEB" "$SEED_BINARY"; do
  [ -f "$file" ] || { echo "bench-app: $file is missing (make package builds the app's)" >&2; exit 2; }
done
# The suite's progress and figures to stdout (with-keyring.sh filters stderr through a pipe that
# lost lines when the session ended).
exec "$root/scripts/with-xvfb.sh" "$root/scripts/with-keyring.sh" bash -c 'exec node tests/perf/bench.mjs 2>&1'

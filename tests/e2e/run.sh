#!/usr/bin/env bash
# Runs the end-to-end tests against the real app: Xvfb (scripts/with-xvfb.sh), a private D-Bus
# session with an unlocked gnome-keyring, tauri-driver + WebKitWebDriver, a temporary data dir.
# Expects the app binary built with the custom-protocol feature (make e2e does that) and the CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export APP_BINARY="${APP_BINARY:-$root/target/debug/switchboard-app}"
export CLI_BINARY="${CLI_BINARY:-$root/target/debug/switchboard}"
[ -x "$APP_BINARY" ] && [ -x "$CLI_BINARY" ] || { echo "e2e: build the app and the CLI first (make e2e)" >&2; exit 1; }
tauri_driver=$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export SWITCHBOARD_DATA_DIR="$scratch/data"
export SWITCHBOARD_DOWNLOAD_DIR="$scratch/downloads"
export SWITCHBOARD_KEYRING_NAMESPACE="e2e-$$"
# The IPC answers the tests' sessions capture and the secrets they register, for the secret scan
# after the tests (tests/e2e/capture.mjs, secret-scan.mjs).
export E2E_CAPTURE_DIR="$scratch/capture"
# No update check (never a network call in a test), and the window state (tauri-plugin-window-state
# writes it in the config dir) kept per run; the log file goes to the private XDG_DATA_HOME that
# with-keyring.sh sets.
export SWITCHBOARD_UPDATES=off
export XDG_CONFIG_HOME="$scratch/config"
driver_port=$(free_port)
native_port=$(free_port)
export WEBDRIVER_URL="http://127.0.0.1:$driver_port"
# Tauri's webview would otherwise try GPU paths that Xvfb lacks.
export WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1

# Xvfb's log is scanned for secrets with the rest, after the tests.
XVFB_LOG="$scratch/xvfb.log" "$root/scripts/with-xvfb.sh" "$root/scripts/with-keyring.sh" bash -c '
  "$0" --port "$1" --native-port "$2" --native-driver /usr/bin/WebKitWebDriver >"$3/driver.log" 2>&1 &
  driver=$!
  trap "kill $driver 2>/dev/null; pkill -P $driver 2>/dev/null; wait" EXIT
  for _ in $(seq 100); do
    node -e "fetch(process.env.WEBDRIVER_URL + \"/status\").then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" && break
    sleep 0.2
  done
  node --test --test-concurrency=1 "${E2E_TESTS:-tests/e2e/}"
  tests=$?
  # Inside the private keyring session: its keychain and the app log folder (in its XDG_DATA_HOME)
  # are still there. The scan runs even after a failed test, and fails the run on any hit.
  node tests/e2e/secret-scan.mjs --capture "$E2E_CAPTURE_DIR" --database-dir "$SWITCHBOARD_DATA_DIR" \
    --log-dir "$XDG_DATA_HOME/app.switchboard.admin" --dir "$SWITCHBOARD_DOWNLOAD_DIR" --dir "$XDG_CONFIG_HOME" \
    --file "$3/driver.log" --file "$3/xvfb.log" --keychain-service "app.switchboard.admin.$SWITCHBOARD_KEYRING_NAMESPACE"
  scan=$?
  [ "$tests" -eq 0 ] || exit "$tests"
  # Only the scan failed: say so with a status of its own (the driver log may hold the leak).
  [ "$scan" -eq 0 ] || exit 99
' "$tauri_driver" "$driver_port" "$native_port" "$scratch" || {
  status=$?
  [ "$status" -eq 99 ] && { echo "e2e: the tests passed; the secret scan failed (above)" >&2; exit 1; }
  echo "--- tauri-driver log" >&2; tail -50 "$scratch/driver.log" >&2; exit $status
}

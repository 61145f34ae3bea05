#!/usr/bin/env bash
# Runs a command in a private D-Bus session with its own unlocked gnome-keyring, so tests use a
# real Secret Service without touching the user's keychain. Usage: with-keyring.sh CMD ARGS…
set -euo pipefail
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
export SWITCHBOARD_KEYRING_NAMESPACE="${SWITCHBOARD_KEYRING_NAMESPACE:-test-$$}"
# dbus-daemon warns that it cannot raise its fd limit when not run by a service manager: harmless.
exec dbus-run-session -- bash -c '
  echo -n switchboard-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)

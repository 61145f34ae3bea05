#!/usr/bin/env bash
# The Linux packages as a user gets them (`make package` builds them first; PACKAGE_PROFILE=debug:
# those of the debug build):
# - the .deb: its metadata; `dpkg -i` on this machine (as root, or through sudo: the app's dependencies are already
#   there from scripts/deps.sh); the app and the `switchboard` CLI in /usr/bin, the desktop entry and
#   the icons; the INSTALLED app started under Xvfb with its own HOME and XDG folders, a private
#   D-Bus session and gnome-keyring (tests/e2e/run.sh), and driven over WebDriver: Try the sandbox,
#   four connectors Active; then `dpkg --purge` (also when a step fails) and nothing left behind in
#   /usr/bin.
# - the .rpm: its metadata (`rpm -qip`) and file list (`rpm -qlp`).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
# `make package` builds them from the release build; `make test` from the debug build it drove.
bundle="${CARGO_TARGET_DIR:-$root/target}/${PACKAGE_PROFILE:-release}/bundle"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)

fail() { echo "package test: $*" >&2; exit 1; }
# `expect WHAT TEXT PATTERN`: TEXT has a line matching the extended regex PATTERN.
expect() { grep -qE -- "$3" <<<"$2" || fail "$1: no line matches /$3/ in:"$'\n'"$2"; }

shopt -s nullglob
debs=("$bundle/deb/"*"_${version}_"*.deb)
rpms=("$bundle/rpm/"*"-${version}-"*.rpm)
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb of version $version in $bundle/deb (run make package): ${debs[*]:-none}"
[ ${#rpms[@]} -eq 1 ] || fail "expected one .rpm of version $version in $bundle/rpm (run make package): ${rpms[*]:-none}"
deb=${debs[0]} rpm=${rpms[0]}
command -v rpm >/dev/null || fail "rpm is not installed; run scripts/deps.sh test"
# Installing needs root: through sudo when not root, as scripts/deps.sh installs packages.
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

# --- the .rpm: metadata and files, without installing it.
info=$(rpm -qip "$rpm" 2>/dev/null)
expect "rpm -qip" "$info" '^Name +: switchboard$'
expect "rpm -qip" "$info" "^Version +: ${version//./\\.}$"
expect "rpm -qip" "$info" '^License +: MIT$'
expect "rpm -qip" "$info" '^URL +: https://'
expect "rpm -qip" "$info" '^Summary +: .+'
expect "rpm -qip" "$info" '^Description +:'
files=$(rpm -qlp "$rpm" 2>/dev/null)
for path in /usr/bin/switchboard-app /usr/bin/switchboard /usr/share/applications/Switchboard.desktop \
  /usr/share/icons/hicolor/128x128/apps/switchboard-app.png; do
  expect "rpm -qlp" "$files" "^${path//./\\.}$"
done
echo "package test: the .rpm ($(du -k "$rpm" | cut -f1) KiB) has its metadata, the app, the CLI, the desktop entry and icons"

# --- the .deb: metadata.
name=$(dpkg-deb -f "$deb" Package)
[ "$name" = switchboard ] || fail "the .deb's package is called $name, not switchboard"
control=$(dpkg-deb -f "$deb")
expect "deb control" "$control" "^Version: ${version//./\\.}$"
expect "deb control" "$control" '^Maintainer: .+ <.+@.+>$'
expect "deb control" "$control" '^Homepage: https://'
expect "deb control" "$control" '^Section: utils$'
expect "deb control" "$control" '^Description: .+'
expect "deb control" "$control" '^Depends: .*libwebkit2gtk-4\.1-0'

# --- install it (never over a Switchboard that is already there), and always remove it again.
if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q installed; then
  fail "a package $name is already installed here; remove it first (this test would remove it)"
fi
for path in /usr/bin/switchboard /usr/bin/switchboard-app; do
  [ ! -e "$path" ] || fail "$path exists before the install: it is not the package's to remove"
done
before=$(LC_ALL=C ls -A /usr/bin)
scratch=$(mktemp -d)
installed=""
cleanup() {
  status=$?
  if [ -n "$installed" ]; then $sudo dpkg --purge "$name" >"$scratch/purge.log" 2>&1 || cat "$scratch/purge.log" >&2; fi
  rm -rf "$scratch"
  exit $status
}
trap cleanup EXIT
installed=yes
$sudo dpkg -i "$deb" >"$scratch/install.log" 2>&1 || { cat "$scratch/install.log" >&2; fail "dpkg -i failed"; }

[ -x /usr/bin/switchboard-app ] || fail "the .deb did not install /usr/bin/switchboard-app"
[ -x /usr/bin/switchboard ] || fail "the .deb did not install the CLI as /usr/bin/switchboard"
out=$(/usr/bin/switchboard --version) || fail "/usr/bin/switchboard --version failed"
[ "$out" = "switchboard $version" ] || fail "/usr/bin/switchboard --version printed: $out"
# A shell finds the CLI by name, as a support engineer's script would.
[ "$(env -i PATH=/usr/local/bin:/usr/bin:/bin bash -c 'command -v switchboard')" = /usr/bin/switchboard ] ||
  fail "switchboard is not on a default PATH"
desktop=$(cat /usr/share/applications/Switchboard.desktop)
expect "desktop entry" "$desktop" '^Exec=switchboard-app'
expect "desktop entry" "$desktop" '^Icon=switchboard-app$'
expect "desktop entry" "$desktop" '^Categories=Utility;'
[ -f /usr/share/icons/hicolor/128x128/apps/switchboard-app.png ] || fail "no 128x128 icon installed"
echo "package test: the .deb ($(du -k "$deb" | cut -f1) KiB) installed the app, the CLI on PATH ($out), the desktop entry and icons"

# The installed app, its own HOME and XDG folders (window state, logs, WebKit caches go there).
mkdir -p "$scratch/home" "$scratch/config" "$scratch/cache" "$scratch/state"
PATH="$PATH:$HOME/.cargo/bin" HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" \
  XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state" \
  APP_BINARY=/usr/bin/switchboard-app CLI_BINARY=/usr/bin/switchboard \
  E2E_TESTS=tests/package/installed.test.mjs tests/e2e/run.sh

# --- remove it: nothing of it left in /usr/bin, nor its desktop entry.
installed=""
$sudo dpkg --purge "$name" >"$scratch/purge.log" 2>&1 || { cat "$scratch/purge.log" >&2; fail "dpkg --purge failed"; }
for path in $(dpkg-deb -c "$deb" | awk '{print $6}' | sed -n 's|^\./usr/bin/\(.\)|/usr/bin/\1|p'); do
  [ ! -e "$path" ] || fail "$path is left after the removal"
done
added=$(LC_ALL=C comm -13 <(echo "$before") <(LC_ALL=C ls -A /usr/bin))
[ -z "$added" ] || fail "left in /usr/bin after the removal: $added"
[ ! -e /usr/share/applications/Switchboard.desktop ] || fail "the desktop entry is left after the removal"
! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q installed || fail "$name is still installed"
echo "package test: the .deb installed, ran, was driven and removed; nothing left in /usr/bin"

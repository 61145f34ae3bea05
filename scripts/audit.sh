#!/usr/bin/env bash
# Supply-chain gates (`make audit`, part of `make test`):
# - cargo deny: licenses, bans and sources always (deny.toml, offline); advisories only against a
#   local RustSec database (never fetched here: tests stay off the network). Without one it says
#   so in capitals: the advisories were NOT checked, which is not a pass.
# - npm audit of the UI's production dependencies (high and critical findings fail), when the
#   registry's audit endpoint answers; otherwise, the same plain statement.
# `cargo deny fetch db`, where the internet is reachable, puts the database in
# ~/.cargo/advisory-dbs.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

echo "== cargo deny: licenses, bans, sources"
if ! cargo deny --log-level error --offline check licenses bans sources; then
  status=1
fi

db_root=${CARGO_HOME:-$HOME/.cargo}/advisory-dbs
if compgen -G "$db_root/*/crates" >/dev/null; then
  echo "== cargo deny: advisories (the local RustSec database in $db_root)"
  if ! cargo deny --log-level error --offline check advisories; then
    status=1
  fi
else
  echo "!! cargo deny advisories were NOT checked: there is no local RustSec advisory database"
  echo "!! in $db_root, and it cannot be fetched here. This is not a pass: run"
  echo "!! \`cargo deny fetch db\` where the internet is reachable, then \`make audit\` again."
fi

echo "== npm audit --omit=dev --audit-level=high (ui/)"
audit_out=$(cd ui && npm audit --omit=dev --audit-level=high 2>&1)
audit_rc=$?
if [ $audit_rc -eq 0 ]; then
  echo "$audit_out" | tail -n 3
elif grep -qiE 'audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network' <<<"$audit_out"; then
  echo "!! npm audit was NOT checked: the registry's audit endpoint did not answer here:"
  grep -iE 'npm (warn|error) audit|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN' <<<"$audit_out" | head -n 2 | sed 's/^/!!   /'
  echo "!! This is not a pass: run \`make audit\` where the registry's audit endpoint answers."
else
  echo "$audit_out"
  echo "npm audit: high or critical findings in the UI's production dependencies" >&2
  status=1
fi
exit $status

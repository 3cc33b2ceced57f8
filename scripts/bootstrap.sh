#!/usr/bin/env bash
# Installs what the local stack and the tests need, when it is missing:
#   - Debian packages: PostgreSQL 15, Patroni, etcd, RabbitMQ, Chromium
#     (installed without starting their system services),
#   - npm dependencies (npm ci when node_modules is missing or stale),
# then builds the TypeScript projects (tsc -b).
# Idempotent and quick when everything is in place. Called by `npm start`,
# `npm run stack:up` and `npm test`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'bootstrap: %s\n' "$*"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

PACKAGES=(postgresql-15 patroni etcd-server etcd-client rabbitmq-server chromium)

have_cmd() {
  # also look in the sbin directories, which a non-root PATH may lack
  PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1
}

missing=()
have_cmd patroni || missing+=(patroni)
have_cmd etcd || missing+=(etcd-server)
have_cmd etcdctl || missing+=(etcd-client)
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
have_cmd chromium || missing+=(chromium)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    {
      printf 'bootstrap: missing system packages: %s\n' "${missing[*]}"
      printf 'Install them once with (services must not be started by the packages):\n\n'
      printf '  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends %s\n\n' "${PACKAGES[*]}"
      printf 'then stop the system services they may have started (the stack runs its own):\n\n'
      printf '  sudo systemctl disable --now postgresql rabbitmq-server etcd\n\n'
    } >&2
    exit 1
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and apt-get is not available (Debian 12 expected)"
  say "installing ${PACKAGES[*]} (missing: ${missing[*]})"
  # Keep the packages from starting their system services: the stack runs its own.
  policy=/usr/sbin/policy-rc.d
  backup=""
  if [ -e "$policy" ]; then
    backup="$(mktemp /usr/sbin/policy-rc.d.bootstrap.XXXXXX)"
    cp -p "$policy" "$backup"
  fi
  restore_policy() {
    if [ -n "$backup" ]; then mv -f "$backup" "$policy"; else rm -f "$policy"; fi
  }
  trap restore_policy EXIT
  printf '#!/bin/sh\n# written by barback scripts/bootstrap.sh during apt-get install\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  export DEBIAN_FRONTEND=noninteractive
  log="$(mktemp /tmp/barback-bootstrap-apt.XXXXXX.log)"
  if ! { apt-get update && apt-get install -y --no-install-recommends "${PACKAGES[@]}"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "apt-get failed (full log: $log)"
  fi
  restore_policy
  trap - EXIT
  rm -f "$log"
  say "system packages installed"
fi

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  # npm 11.19 writes a lock without other platforms' optional binaries (@swc/core-*,
  # @unrs/resolver-binding-*) and then its own `npm ci` refuses that lock as out of
  # sync; `npm install` installs the same locked versions, so fall back to it.
  ci_log="$(mktemp /tmp/barback-npm-ci.XXXXXX.log)"
  if ! npm ci --no-audit --no-fund --loglevel=error >"$ci_log" 2>&1; then
    say "npm ci refused ($(grep -m1 -E 'npm error (Missing|code|[a-z])' "$ci_log" | sed 's/^npm error //')); installing the locked versions with npm install"
    npm install --no-audit --no-fund --loglevel=error
  fi
  rm -f "$ci_log"
fi

if [ ! -x node_modules/.bin/tsc ]; then
  die "node_modules/.bin/tsc not found after npm ci"
fi
node_modules/.bin/tsc -b || die "TypeScript build failed (tsc -b)"

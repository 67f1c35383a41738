#!/usr/bin/env bash
# Installs the Debian packages whose programs the tests run as real processes: redis-server and postgresql
# (test/helpers/services.ts starts private instances on free ports), chromium (the console test) and
# nghttp2-client (h2load, the benchmark's HTTP/2 load). Installs only what is missing; quiet; safe to rerun.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
install() { $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; }
echo "== installing ${missing[*]}"
# The package lists of a fresh image may be stale or absent: update once and retry.
install || { $sudo apt-get update -qq >/dev/null 2>&1 && install; } || {
  echo "could not install: ${missing[*]}" >&2
  exit 1
}

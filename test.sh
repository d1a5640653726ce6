#!/usr/bin/env bash
# The test command (README, .ci/run): provisions the real servers the state tests start for themselves, then runs
# `dotnet test Poppy.Sdk.sln` with the arguments given. PostgreSQL (Debian `postgresql-15`: initdb, pg_ctl) and
# Redis (`redis-server`) are installed with apt-get when missing, if this runs as root or with password-less sudo;
# otherwise it says what to install and the tests that need a server fail with the same hint (they never skip).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1 && [ -z "${POPPY_PG_BIN:-}" ]; then
  missing+=(postgresql-15)
fi
if ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    privileged=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    privileged="sudo -n"
  else
    privileged="none"
  fi
  if [ "$privileged" = "none" ]; then
    echo "warning: ${missing[*]} missing, and this is neither root nor password-less sudo; install with: sudo apt-get install -y ${missing[*]}" >&2
  else
    echo "== installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    $privileged apt-get update -qq
    $privileged apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

exec dotnet test Poppy.Sdk.sln "$@"

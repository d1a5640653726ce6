#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every shipped project (src/*) from its current public API, offline:
#   eng/update-public-api.sh
# It starts each Unshipped file over, builds the solution once with the analyzers' RS0016 ("not part of the
# declared public API") as a warning, and writes every symbol RS0016 names — the text it names is the line the
# file takes, source-generated members (the JSON contexts) included — into its project's file.
# PublicAPI.Shipped.txt is never touched: it lists what a release shipped (move the Unshipped lines into it when
# releasing). A member removed or changed that is in Shipped stays an error (RS0017) until you decide.
# Review the diff: every added or removed line is a change of the public API (docs/contributing.md).
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"   # start over: removed members disappear too
done

echo "== building (RS0016 as a warning) to list the public API"
dotnet build Poppy.Sdk.sln -c Release --no-incremental -p:TreatWarningsAsErrors=false -clp:NoSummary > "$log" 2>&1 || true

for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  name=$(basename "$project")
  # "...: warning RS0016: Symbol 'LINE' is not part of the declared public API (...) [/path/to/Name.csproj]"
  grep -F "warning RS0016: " "$log" | grep -F "/$name]" \
    | sed -n "s/.*warning RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" \
    | LC_ALL=C sort -u >> "$dir/PublicAPI.Unshipped.txt" || true
  echo "$project: $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) unshipped entries"
done

if grep -E " error (CS|RS)[0-9]+" "$log" | grep -v "RS0016" >/dev/null; then
  echo "The build has other errors (first ones below); fix them and run again:" >&2
  grep -E " error (CS|RS)[0-9]+" "$log" | grep -v "RS0016" | sort -u | head -20 >&2
  exit 1
fi

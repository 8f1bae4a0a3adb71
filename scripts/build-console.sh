#!/usr/bin/env bash
# Builds the web console (console/, TypeScript + Preact, bundled by Vite) into BUILD_DIR/console,
# which signetd serves at / (console.dir defaults to <dir of signetd>/../console).
#
#   scripts/build-console.sh [BUILD_DIR]     (default: build)
#
# Fast when nothing changed: npm packages are installed (npm ci) only when package-lock.json
# differs from the last install, and the type check and bundle run only when a source differs
# from the last build (content hashes kept in stamp files).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-build}
mkdir -p "$build_dir"
out="$(cd "$build_dir" && pwd)/console"
app="$root/console"

if ! command -v npm >/dev/null; then
  echo "build-console: npm is missing; run scripts/install-deps.sh (make deps)" >&2
  exit 1
fi

# The API's types are generated from api/schemas/*.json (as openapi.json is); regenerate the
# committed file first so it is never stale (unchanged output leaves the file untouched).
/usr/bin/python3 "$root/scripts/gen-api.py" --ts "$app/src/api-types.generated.ts"

cd "$app"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
install_stamp=node_modules/.signet-install-stamp
if [[ ! -f $install_stamp || $(cat "$install_stamp") != "$lock_hash" ]]; then
  echo "build-console: installing npm packages (package-lock.json changed)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$install_stamp"
fi

source_hash=$( (find src -type f -print0 | sort -z | xargs -0 sha256sum
  sha256sum index.html package.json package-lock.json tsconfig.json vite.config.ts) | sha256sum | cut -d' ' -f1)
build_stamp="$out/.signet-build-stamp"
if [[ -f $build_stamp && $(cat "$build_stamp") == "$source_hash" && -f $out/index.html ]]; then
  exit 0
fi
echo "build-console: type-checking and bundling into $out"
npx --no-install tsc --noEmit
npx --no-install vite build --logLevel warn --outDir "$out" --emptyOutDir
echo "$source_hash" >"$build_stamp"

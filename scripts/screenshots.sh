#!/usr/bin/env bash
# Takes screenshots of a site's main pages with headless Chromium: the home,
# researcher, publication, topic, institution and explore pages, at phone (390 px)
# and desktop (1280 px) widths, in the light and the dark color scheme.
#
# Usage: scripts/screenshots.sh [SITE_DIR]
#
# SITE_DIR defaults to this repository, whose content/ is the example site. The site
# is served with `vita serve` on 127.0.0.1 and a free port, and the PNG files go to
# screenshots/ in the repository (or $SCREENSHOTS_DIR), which git ignores.
#
# Needs Node.js with npm, and Chromium at /usr/bin/chromium (or $CHROMIUM). The first
# run installs playwright-core from the npm registry into target/screenshots-tools/.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
site=$(cd "${1:-$repo}" && pwd)
out=${SCREENSHOTS_DIR:-$repo/screenshots}
chromium=${CHROMIUM:-/usr/bin/chromium}
tools=$repo/target/screenshots-tools
playwright_version=1.65.2

if [ ! -x "$chromium" ]; then
  echo "error: Chromium not found at $chromium; install it (apt-get install chromium) or set CHROMIUM" >&2
  exit 1
fi
if [ ! -f "$tools/node_modules/playwright-core/package.json" ]; then
  echo "Installing playwright-core $playwright_version into $tools" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$tools" --no-audit --no-fund \
    --ignore-scripts --no-save "playwright-core@$playwright_version" >&2
fi

cargo build --quiet --manifest-path "$repo/Cargo.toml"
vita=$repo/target/debug/vita

work=$(mktemp -d)
server=
stop() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

: >"$work/serve.log"
"$vita" serve --root "$site" --interface 127.0.0.1 --port 0 2>"$work/serve.log" &
server=$!

# `vita serve` logs "Serving the site at http://127.0.0.1:PORT/BASE/; press Ctrl-C to stop".
url=
for _ in $(seq 150); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^;]*' "$work/serve.log" | head -n 1 || true)
  if [ -n "$url" ] || ! kill -0 "$server" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
if [ -z "$url" ]; then
  echo "error: vita serve did not report its address; its log:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi

mkdir -p "$out" "$work/profile"
NODE_PATH="$tools/node_modules" node "$repo/scripts/screenshots.js" \
  "$url" "$out" "$chromium" "$work/profile"

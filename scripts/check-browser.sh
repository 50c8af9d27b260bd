#!/usr/bin/env bash
# Validates every HTML page of the example site and of tests/fixtures/full-site with
# the W3C Nu HTML Checker. Then tests/browser/check-pages.js checks the pages in
# headless Chromium for console and page errors, MathML layout, axe-core accessibility
# rules and the live reload of `vita serve`. CI runs this script after the tests.
#
# Usage: scripts/check-browser.sh
#
# Needs Java 17 or newer, Node.js with npm, and Chromium at /usr/bin/chromium (or
# $CHROMIUM). Installs the pinned npm packages of tests/browser/ with `npm ci`. The
# servers listen on 127.0.0.1 only, and the browser loads nothing from another host.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
browser_tools=$repo/tests/browser
sites=("$repo" "$repo/tests/fixtures/full-site")

for tool in java node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool not found; install it to run the validator and browser checks" >&2
    exit 1
  fi
done
if [ ! -x "$chromium" ]; then
  echo "error: Chromium not found at $chromium; install it (apt-get install chromium) or set CHROMIUM" >&2
  exit 1
fi

PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$browser_tools" --no-audit --no-fund \
  --ignore-scripts --loglevel=error
cargo build --locked --quiet --manifest-path "$repo/Cargo.toml"
vita=$repo/target/debug/vita

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The Nu HTML Checker checks HTML only: with CSS it reports `display: block math`,
# which MathML Core defines but the checker does not know yet. Warnings fail too,
# because the pages have none.
outputs=()
for index in "${!sites[@]}"; do
  output=$work/output-$index
  "$vita" build --quiet --root "${sites[$index]}" --output "$output"
  outputs+=("$output")
done
echo "Validating $(find "${outputs[@]}" -name '*.html' | wc -l) pages with the Nu HTML Checker" >&2
java -jar "$browser_tools/node_modules/vnu-jar/build/dist/vnu.jar" \
  --skip-non-html --Werror "${outputs[@]}"

mkdir -p "$work/browser"
node "$browser_tools/check-pages.js" "$vita" "$chromium" "$work/browser" "${sites[@]}"

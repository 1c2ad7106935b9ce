#!/usr/bin/env bash
# Opens every page of the built documentation site in headless Chromium and fails on a missing image, a broken internal
# link (file or anchor), a console error, or any attempt to load something from the network.
#
#   docs/check-browser.sh [SITE_DIR] [--screenshots DIR]      (SITE_DIR defaults to docs/target/site)
#
# Needs: the site (./mvnw -pl docs -am verify), Node.js >= 18 with npm, and Chromium (Debian: apt-get install chromium;
# or set CHROMIUM=/path/to/chrome). The first run installs playwright-core (pinned in docs/browser/package-lock.json,
# about 14 MB, no browser download) into docs/browser/node_modules.
set -euo pipefail
exec </dev/null

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
die() {
    printf 'check-browser: %s\n' "$*" >&2
    exit 2
}

site="$here/target/site"
extra=()
if [[ $# -gt 0 && "$1" != --* ]]; then
    site="$1"
    shift
fi
if [[ $# -gt 0 ]]; then
    [[ "$1" == --screenshots && $# -eq 2 ]] || die "usage: check-browser.sh [SITE_DIR] [--screenshots DIR]"
    extra=(--screenshots "$(mkdir -p -- "$2" && cd -- "$2" && pwd -P)")
fi
[[ -f "$site/index.html" ]] || die "no site at $site: build it first with ./mvnw -pl docs -am verify"
site="$(cd -- "$site" && pwd -P)"

browser="${CHROMIUM:-}"
if [[ -z "$browser" ]]; then
    for c in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$c" >/dev/null 2>&1; then
            browser="$(command -v "$c")"
            break
        fi
    done
fi
[[ -n "$browser" && -x "$browser" ]] || die "no Chromium found: install it (Debian: apt-get install chromium) or set CHROMIUM"

command -v node >/dev/null 2>&1 || die "node is not installed (Node.js >= 18 is needed)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 18)) || die "node $(node --version) is too old (Node.js >= 18 is needed)"

cd -- "$here/browser"
if [[ ! -f node_modules/playwright-core/package.json ]]; then
    command -v npm >/dev/null 2>&1 || die "npm is not installed"
    echo "check-browser: installing playwright-core into docs/browser/node_modules" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
fi
exec node check.mjs "$site" "$browser" "${extra[@]}"

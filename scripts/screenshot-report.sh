#!/bin/sh
# Renders report.html of the bundled baseline in headless Chromium and saves screenshots:
# the top of the page (the picture in the README) and the whole page (every plot), so that one
# can check by eye that every plot renders with no network and no script.
#
#   scripts/screenshot-report.sh [OUT_DIR]     (default: target/report-demo)
#
# Needs Chromium (or Google Chrome) on PATH; on Debian or Ubuntu: `apt install chromium`.
# The README's picture is OUT_DIR/report-top.png, copied to docs/report.png.
set -eu
cd "$(dirname "$0")/.."
out=${1:-target/report-demo}

browser=""
for b in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$b" > /dev/null 2>&1; then
        browser=$b
        break
    fi
done
if [ -z "$browser" ]; then
    echo "screenshot-report: no Chromium found; install it (apt install chromium) and retry" >&2
    exit 1
fi

cargo build --release --quiet
./target/release/portsim run scenarios/horgos-baseline.toml --out "$out/files" --force --quiet > /dev/null
page="file://$(pwd)/$out/files/report.html"

shot() { # shot FILE HEIGHT
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --window-size="1280,$2" --screenshot="$1" "$page" > /dev/null 2>&1
    echo "wrote $1"
}
shot "$out/report-top.png" 1500
# Tall enough for the parameters, all four plots and the first tables.
shot "$out/report-full.png" 4200

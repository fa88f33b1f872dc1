#!/usr/bin/env bash
# Regenerates the screenshots in docs/screenshots/ (the queue, a report page, the Persian
# queue and report page, evidence on click, the point picker, the public map, its timeline
# brushed, and the Persian map on a phone) by running the browser tests in headless Chromium
# (scripts/chromium-install.sh installs it). Look at them before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/chromium-install.sh
mkdir -p docs/screenshots
UNREST_SCREENSHOTS="$PWD/docs/screenshots" \
    cargo test -p unrest-web --test integration -- workspace_browser public_site::the_timeline --nocapture
ls -l docs/screenshots

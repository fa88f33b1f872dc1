#!/usr/bin/env bash
# Regenerates the review workspace's screenshots in docs/screenshots/ (queue, a report page,
# the Persian queue and report page) by running its browser test in headless Chromium
# (scripts/chromium-install.sh installs it). Look at them before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/chromium-install.sh
mkdir -p docs/screenshots
UNREST_SCREENSHOTS="$PWD/docs/screenshots" \
    cargo test -p unrest-web --test integration workspace_browser -- --nocapture
ls -l docs/screenshots

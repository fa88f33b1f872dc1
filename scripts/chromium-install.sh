#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the web app's browser tests
# (crates/web/tests). Idempotent: does nothing when both are already there.
# The browser tests start /usr/bin/chromedriver themselves; nothing else is downloaded.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core fonts-noto-core >/dev/null
/usr/bin/chromium --version
/usr/bin/chromedriver --version

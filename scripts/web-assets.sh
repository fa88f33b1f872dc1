#!/usr/bin/env bash
# Installs the web app's front-end libraries (Leaflet, Leaflet.markercluster) from npm into
# crates/web/node_modules, exactly as package-lock.json pins them. The crate's build script
# embeds them in the binary; it runs this same `npm ci` itself when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../crates/web"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

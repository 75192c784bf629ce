#!/usr/bin/env bash
# Builds the canvas into target/classes/canvas (packaged into the jar, served at /).
# Cache-friendly: `npm ci` only when package-lock.json is newer than the last install,
# `vite build` only when a source is newer than the last build.
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null || { echo "canvas: npm is missing (install Node.js 20+ with npm)" >&2; exit 1; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
out=target/classes/canvas/index.html
if [ -f "$out" ] && [ -z "$(find src index.html package.json package-lock.json vite.config.ts tsconfig.json -newer "$out" -print -quit)" ]; then
  echo "canvas: build is up to date"
  exit 0
fi
npm run build

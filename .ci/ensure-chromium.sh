#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser suites (test/web/*), which drive it
# with playwright-core. Installs the Debian package when it is missing; fails with a clear message otherwise.
set -euo pipefail

log() { echo "ensure-chromium: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
log "installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq || log "apt-get update failed; trying the install with the lists already here"
as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ ! -x /usr/bin/chromium ]; then
  log "chromium is still missing after the install; the browser suites need /usr/bin/chromium"
  exit 1
fi
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"

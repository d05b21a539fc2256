#!/usr/bin/env bash
# System parts the test suite uses for real (never mocked):
#  - Debian's chromium, for the HTML explorer tests (Playwright drives it via executable_path)
#  - graphology-graphml / graphology-gexf from npm, the readers Gephi Lite uses
#  - libicu-dev, pkg-config and g++: PyICU (followthemoney's dependency, the FtM export's
#    validator) ships as source only and is compiled against the system ICU
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: chromium not found and cannot apt-get install it (need root); browser tests will fail" >&2
  fi
fi
if ! { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists icu-uc \
       && command -v c++ >/dev/null 2>&1; }; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null
  else
    echo "warning: ICU headers / pkg-config / c++ missing and cannot apt-get install them; the FtM tests will fail" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  if [ ! -d tests/js/node_modules ] || [ tests/js/package-lock.json -nt tests/js/node_modules ]; then
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
  fi
else
  echo "warning: npm not found; graphology reader tests will fail" >&2
fi

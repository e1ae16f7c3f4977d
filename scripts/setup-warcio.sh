#!/usr/bin/env bash
# warcio (the Webrecorder project's WARC reader) in a virtual environment under .cache: the
# capture tests check our WARC files with `warcio index`, a reader we did not write. Debian has no
# package of it; pinned here so every machine checks with the same version. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=1.8.1
VENV=.cache/warcio
if [ -x "$VENV/bin/warcio" ] && "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('warcio') == '$VERSION' else 1)" 2>/dev/null; then
  echo "setup-warcio: warcio $VERSION present"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "warcio==$VERSION"
echo "setup-warcio: installed warcio $VERSION in $VENV"

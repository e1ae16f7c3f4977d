#!/usr/bin/env bash
# Debian packages Lexwatch needs on a machine: poppler (pdftoppm/pdftotext/pdfinfo), MuPDF
# (mutool, which rasterises pages for OCR), util-linux (prlimit: the caps of every child process), tesseract with the OCR languages, qpdf, fonts that
# cover Azerbaijani, Cyrillic and Armenian, Chromium for the browser tests and web captures, and
# python3-venv for two Python checkers the tests run as a recipient would: the Library of Congress's
# `bagit` validator (dossier packages) and warcio (WARC files of captures; scripts/setup-warcio.sh),
# each in a virtualenv under .cache/ (Debian 12 packages neither). Idempotent: installs only what
# is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
BAGIT_VERSION=1.9.0
venv="$root/.cache/bagit-venv"
install_bagit() {
  if "$venv/bin/bagit.py" --version 2>&1 | grep -q "$BAGIT_VERSION"; then
    echo "setup-system: bagit $BAGIT_VERSION present"
    return
  fi
  echo "setup-system: installing bagit $BAGIT_VERSION into .cache/bagit-venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "bagit==$BAGIT_VERSION"
}
packages=(util-linux poppler-utils mupdf-tools qpdf tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-aze
  tesseract-ocr-aze-cyrl tesseract-ocr-hye tesseract-ocr-tur libtiff-tools fonts-dejavu-core fonts-noto-core chromium python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all Debian packages present"
else
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup-system: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
install_bagit
bash "$(dirname "$0")/setup-warcio.sh"

#!/usr/bin/env bash
# Debian packages Lexwatch needs on a machine: poppler (pdftoppm/pdftotext/pdfinfo), MuPDF
# (mutool, which rasterises pages for OCR), util-linux (prlimit: the caps of every child process), tesseract with the OCR languages, qpdf, fonts that
# cover Azerbaijani, Cyrillic and Armenian, Chromium for the browser tests and web captures, and python3-venv for
# warcio (scripts/setup-warcio.sh), which checks our WARC files. Idempotent: installs only what is missing.
set -euo pipefail
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
bash "$(dirname "$0")/setup-warcio.sh"

# Lexwatch service image (production path: an external MongoDB through MONGODB_URI; see
# compose.yaml). The embedded FerretDB default is for development and tests, not this image.
# Two stages: the first compiles the TypeScript (`npm run build`, with the dev dependencies);
# the second runs the compiled JavaScript with the production dependencies only.
# Web captures (docs/capture.md) drive Debian's Chromium through playwright-core (never a browser
# Playwright downloads): the `chromium` package below, at CHROMIUM_PATH. It runs as the `node`
# user without Chromium's sandbox (a container has no user namespaces to give it) and without
# /dev/shm (Docker's is 64 MB), in a fresh temporary profile per capture.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      poppler-utils mupdf-tools qpdf tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-aze \
      tesseract-ocr-aze-cyrl tesseract-ocr-hye tesseract-ocr-tur libtiff-tools fonts-dejavu-core fonts-noto-core tini \
      chromium \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# Read at run time beside dist/: the starter lexicon, the dossier JSON Schema, the CLI entry.
COPY bin ./bin
COPY lexicons ./lexicons
COPY schemas ./schemas

ENV NODE_ENV=production \
    CHROMIUM_PATH=/usr/bin/chromium \
    HOST=0.0.0.0 \
    PORT=3000 \
    UPLOAD_DIR=/var/lib/lexwatch/uploads
RUN mkdir -p /var/lib/lexwatch/uploads && chown -R node:node /var/lib/lexwatch
USER node
VOLUME ["/var/lib/lexwatch/uploads"]
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server.js"]

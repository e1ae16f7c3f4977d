#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when a build exists (dist/), otherwise the TypeScript sources through
// tsx's CommonJS register API, so `npx lexwatch` works from a checkout without a build.
const fs = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('tsx/cjs/api').register();
  cli = require('../src/cli/main.ts');
}
cli.run(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`lexwatch: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 1; },
);

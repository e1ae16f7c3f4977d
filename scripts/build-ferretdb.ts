/** `npm run ferretdb:build`: builds the embedded FerretDB once per machine (a no-op when built). */
import { ensureFerretdbBinary } from '../src/store/embedded-ferretdb';

ensureFerretdbBinary((line) => process.stderr.write(`${line}\n`)).then(
  (binary) => process.stderr.write(`FerretDB ready: ${binary}\n`),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);

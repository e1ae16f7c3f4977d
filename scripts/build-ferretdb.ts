/** `npm run ferretdb:build`: builds the embedded FerretDB once per machine (a no-op when built). */
import { ensureFerretdbBinary } from '../src/store/embedded-ferretdb';

const binary = ensureFerretdbBinary((line) => process.stderr.write(`${line}\n`));
process.stderr.write(`FerretDB ready: ${binary}\n`);

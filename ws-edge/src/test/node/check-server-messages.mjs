// Optional cross-check (run by hand): decodes the server messages written by NodeFixtureWriterTest with the
// ServerMessage deserializer of npm spacetimedb@2.10.1 and checks the variant and that every byte is consumed.
//   mvn -pl ws-edge test -Dtest=NodeFixtureWriterTest
//   mkdir -p ws-edge/target/npm-check && (cd ws-edge/target/npm-check && npm install spacetimedb@2.10.1)
//   node ws-edge/src/test/node/check-server-messages.mjs ws-edge/target/npm-check ws-edge/target/protocol-fixtures
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [npmDir, fixtureDir] = process.argv.slice(2).map((p) => path.resolve(p));
const require = createRequire(path.join(npmDir, 'package.json'));
const { t, BinaryReader } = require('spacetimedb');

// The wire types are not exported; rebuild them from the package's generated types.ts with its own `t`.
const typesTs = fs.readFileSync(
  path.join(npmDir, 'node_modules/spacetimedb/src/sdk/client_api/types.ts'), 'utf8');
const js = typesTs
  .replace(/^import[\s\S]*?from '[^']*';/m, '')
  .replace(/^export type [^;]*;$/gm, '')
  .replace(/^export const /gm, 'const ');
const { ServerMessage } = new Function('__t', js + '\nreturn { ServerMessage };')(t);

const lines = fs.readFileSync(path.join(fixtureDir, 'server-messages.txt'), 'utf8').trim().split('\n');
const counts = {};
let failed = 0;
for (const line of lines) {
  const [name, hex] = line.split(' ');
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  try {
    const reader = new BinaryReader(bytes);
    const message = ServerMessage.deserialize(reader);
    if (message.tag !== name) throw new Error(`tag ${message.tag}, expected ${name}`);
    if (reader.remaining !== 0) throw new Error(`${reader.remaining} bytes left over`);
    counts[name] = (counts[name] ?? 0) + 1;
  } catch (e) {
    failed++;
    console.error(`FAIL ${name} ${hex}: ${e.message}`);
  }
}
console.log(JSON.stringify(counts));
console.log(`${lines.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

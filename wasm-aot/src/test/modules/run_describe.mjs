// run_describe.mjs -- Lightcone test tooling (our own code).
// Instantiates a module .wasm under node with stub spacetime_10.x imports, runs _initialize and the
// __preinit__* exports (alphabetically) if present, calls __describe_module__(sink=1) and prints the
// bytes written to that sink as one hex line on stdout. console_log messages go to stderr.
// Usage: node run_describe.mjs module.wasm
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) { console.error('usage: node run_describe.mjs module.wasm'); process.exit(2); }
const mod = new WebAssembly.Module(readFileSync(file));
let memory = null;
const out = [];
const u8 = () => new Uint8Array(memory.buffer);
const dv = () => new DataView(memory.buffer);

const impl = {
  bytes_sink_write(sink, ptr, lenPtr) {
    const n = dv().getUint32(lenPtr, true);
    if (sink !== 1) return 8; // NO_SUCH_BYTES
    out.push(...u8().slice(ptr, ptr + n));
    return 0;
  },
  console_log(level, tp, tl, fp, fl, line, mp, ml) {
    console.error(`[log ${level}] ` + new TextDecoder().decode(u8().slice(mp, mp + ml)));
  },
};
const imports = {};
for (const imp of WebAssembly.Module.imports(mod)) {
  if (imp.kind !== 'function') throw new Error(`unexpected import kind ${imp.kind}`);
  imports[imp.module] ??= {};
  imports[imp.module][imp.name] = impl[imp.name] ?? ((...a) => {
    throw new Error(`host call ${imp.module}.${imp.name} not allowed during describe`);
  });
}
const inst = new WebAssembly.Instance(mod, imports);
memory = inst.exports.memory;
if (!(memory instanceof WebAssembly.Memory)) throw new Error('no exported memory');
if (inst.exports._initialize) inst.exports._initialize();
for (const name of Object.keys(inst.exports).filter(n => n.startsWith('__preinit__')).sort()) inst.exports[name]();
if (!inst.exports.__describe_module__) throw new Error('no __describe_module__ export');
inst.exports.__describe_module__(1);
console.log(Buffer.from(out).toString('hex'));

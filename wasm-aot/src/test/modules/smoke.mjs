// smoke.mjs -- Lightcone test tooling (our own code): runs a few reducers of the built quickstart,
// keynote and trap modules under node against a tiny in-memory fake host, to show the kit's dispatch,
// args reading, error sink, inserts, scans, point scans and updates work end to end.
// The fake host knows only what these modules need: tables without sequences, and point scans /
// updates through an index on column 0 whose key is the first `keyWidth` bytes of the row.
// Usage: node smoke.mjs [dir-with-wasm]   (exits 1 on the first failed expectation)
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const dir = process.argv[2] ?? new URL('../resources/modules/', import.meta.url).pathname;

function host(tables /* {name: {id, keyWidth, index}} */) {
  let mem; const logs = []; const sources = new Map(); const sinks = new Map(); const iters = new Map();
  let nextHandle = 100;
  const rows = new Map(Object.values(tables).map(t => [t.id, []]));
  const u8 = () => new Uint8Array(mem.buffer), dv = () => new DataView(mem.buffer);
  const str = (p, n) => new TextDecoder().decode(u8().slice(p, p + n));
  const byId = id => Object.values(tables).find(t => t.id === id);
  const byIndex = id => Object.values(tables).find(t => t.indexId === id);
  const key = (t, row) => Buffer.from(row.slice(0, t.keyWidth)).toString('hex');
  const imp = {
    table_id_from_name(p, n, out) { const t = tables[str(p, n)]; if (!t) return 4; dv().setUint32(out, t.id, true); return 0; },
    index_id_from_name(p, n, out) { const t = Object.values(tables).find(t => t.index === str(p, n)); if (!t) return 5; dv().setUint32(out, t.indexId, true); return 0; },
    datastore_clear(id, out) { const r = rows.get(id); if (!r) return 4; dv().setBigUint64(out, BigInt(r.length), true); r.length = 0; return 0; },
    datastore_table_row_count(id, out) { const r = rows.get(id); if (!r) return 4; dv().setBigUint64(out, BigInt(r.length), true); return 0; },
    datastore_insert_bsatn(id, p, lenp) {
      const t = byId(id); if (!t) return 4;
      const row = u8().slice(p, p + dv().getUint32(lenp, true));
      if (t.keyWidth && rows.get(id).some(r => key(t, r) === key(t, row))) return 12;
      rows.get(id).push(row); dv().setUint32(lenp, 0, true); return 0;
    },
    datastore_update_bsatn(id, ix, p, lenp) {
      const t = byId(id); if (!t || t.indexId !== ix) return 5;
      const row = u8().slice(p, p + dv().getUint32(lenp, true));
      const r = rows.get(id); const i = r.findIndex(x => key(t, x) === key(t, row));
      if (i < 0) return 15; r[i] = row; dv().setUint32(lenp, 0, true); return 0;
    },
    datastore_table_scan_bsatn(id, out) { const r = rows.get(id); if (!r) return 4; const h = nextHandle++; iters.set(h, [...r]); dv().setUint32(out, h, true); return 0; },
    datastore_index_scan_point_bsatn(ix, p, n, out) {
      const t = byIndex(ix); if (!t) return 5; const k = Buffer.from(u8().slice(p, p + n)).toString('hex');
      const h = nextHandle++; iters.set(h, rows.get(t.id).filter(r => key(t, r) === k)); dv().setUint32(out, h, true); return 0;
    },
    row_iter_bsatn_advance(h, p, lenp) {
      const it = iters.get(h); if (!it) return 6;
      const cap = dv().getUint32(lenp, true); let w = 0;
      if (it.length && it[0].length > cap) { dv().setUint32(lenp, it[0].length, true); return 11; }
      while (it.length && w + it[0].length <= cap) { const r = it.shift(); u8().set(r, p + w); w += r.length; }
      dv().setUint32(lenp, w, true);
      if (!it.length) { iters.delete(h); return -1; } return 0;
    },
    row_iter_bsatn_close(h) { return iters.delete(h) ? 0 : 6; },
    bytes_source_remaining_length(s, out) { const b = sources.get(s); if (!b) return 8; dv().setUint32(out, b.length, true); return 0; },
    bytes_source_read(s, p, lenp) {
      const b = sources.get(s); if (!b) return 8;
      const n = Math.min(b.length, dv().getUint32(lenp, true)); u8().set(b.subarray(0, n), p); dv().setUint32(lenp, n, true);
      const rest = b.subarray(n); if (!rest.length) { sources.delete(s); return -1; } sources.set(s, rest); return 0;
    },
    bytes_sink_write(s, p, lenp) { const b = sinks.get(s); if (!b) return 8; b.push(...u8().slice(p, p + dv().getUint32(lenp, true))); return 0; },
    console_log(level, tp, tl, fp, fl, line, mp, ml) { logs.push(str(mp, ml)); },
  };
  return {
    rows, logs,
    instantiate(file) {
      const mod = new WebAssembly.Module(readFileSync(file));
      const imports = {};
      for (const i of WebAssembly.Module.imports(mod)) {
        imports[i.module] ??= {};
        imports[i.module][i.name] = imp[i.name] ?? (() => { throw new Error(`fake host lacks ${i.module}.${i.name}`); });
      }
      const inst = new WebAssembly.Instance(mod, imports); mem = inst.exports.memory; return inst;
    },
    call(inst, id, args = new Uint8Array(), sender = [1n, 2n, 3n, 0xc2n << 56n]) {
      let src = 0; if (args.length) { src = nextHandle++; sources.set(src, Uint8Array.from(args)); }
      const sink = nextHandle++; sinks.set(sink, []);
      const rc = inst.exports.__call_reducer__(id, ...sender, 0n, 0n, 1700000000000000n, src, sink);
      return { rc, err: new TextDecoder().decode(Uint8Array.from(sinks.get(sink))) };
    },
  };
}
const u32 = v => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const i64 = v => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
const s = v => Buffer.concat([u32(Buffer.byteLength(v)), Buffer.from(v)]);
const cat = (...a) => Buffer.concat(a);

// quickstart
{
  const h = host({ person: { id: 4096 } });
  const q = h.instantiate(dir + 'quickstart.wasm');
  assert.deepEqual(h.call(q, 0, s('Alice')), { rc: 0, err: '' });
  assert.deepEqual(h.call(q, 0, s('Bob')), { rc: 0, err: '' });
  assert.equal(h.call(q, 1).rc, 0);
  assert.deepEqual(h.logs.slice(-3), ['Hello, Alice!', 'Hello, Bob!', 'Hello, World!']);
  assert.equal(h.call(q, 3).rc, 0);
  assert.equal(h.logs.at(-1), 'client connected: ' + 'c200000000000000' + '0000000000000003' + '0000000000000002' + '0000000000000001');
  assert.deepEqual(h.call(q, 0, u32(99)), { rc: 1, err: 'bad arguments for add' });
  assert.equal(h.call(q, 42).err, 'no such function id 42');
  console.log('ok quickstart');
}
// keynote
{
  const h = host({ accounts: { id: 4097, keyWidth: 4, index: 'accounts_id_idx_btree', indexId: 7 } });
  const k = h.instantiate(dir + 'keynote.wasm');
  assert.deepEqual(h.call(k, 0, cat(u32(10), i64(100))), { rc: 0, err: '' });
  assert.equal(h.rows.get(4097).length, 10);
  assert.deepEqual(h.call(k, 1, cat(u32(1), u32(2), i64(30))), { rc: 0, err: '' });
  const bal = id => Buffer.from(h.rows.get(4097).find(r => Buffer.from(r).readUInt32LE(0) === id)).readBigInt64LE(4);
  assert.equal(bal(1), 70n); assert.equal(bal(2), 130n);
  assert.deepEqual(h.call(k, 1, cat(u32(3), u32(3), i64(1))), { rc: 1, err: 'cannot transfer to the same account' });
  assert.deepEqual(h.call(k, 1, cat(u32(1), u32(2), i64(0))), { rc: 1, err: 'amount must be positive' });
  assert.deepEqual(h.call(k, 1, cat(u32(1), u32(2), i64(71))), { rc: 1, err: 'insufficient balance' });
  assert.deepEqual(h.call(k, 1, cat(u32(1), u32(99), i64(1))), { rc: 1, err: 'account 99 not found' });
  assert.deepEqual(h.call(k, 0, cat(u32(3), i64(5))), { rc: 0, err: '' });
  assert.equal(h.rows.get(4097).length, 3);
  for (let i = 0; i < 1000; i++) assert.equal(h.call(k, 2).rc, 0);   // heap is rewound each call
  console.log('ok keynote');
}
// trap
{
  const h = host({ t: { id: 4098 } });
  const t = h.instantiate(dir + 'trap.wasm');
  assert.throws(() => h.call(t, 0), WebAssembly.RuntimeError);
  assert.equal(h.call(t, 1).rc, 0);
  assert.throws(() => h.call(t, 2, u32(5)), WebAssembly.RuntimeError);
  assert.throws(() => h.call(t, 3), /divide by zero/);
  assert.throws(() => h.call(t, 4), /out of bounds/);
  assert.deepEqual(h.call(t, 5, s('nope')), { rc: 1, err: 'nope' });
  assert.throws(() => h.call(t, 6, u32(0)), e => e instanceof WebAssembly.RuntimeError || e instanceof RangeError);
  console.log('ok trap');
}

#!/usr/bin/env python3
"""dump_moduledef.py -- Lightcone test tooling (our own code).

Decodes a BSATN RawModuleDef (V9 = tag 1, V10 = tag 2) and prints its typespace, tables, reducers
(with the ids __call_reducer__ uses), procedures, views, schedules and lifecycle reducers.
Exits 1 on any decode error, unknown tag or trailing bytes, so it doubles as a well-formedness check.

Usage:
  dump_moduledef.py HEX                 decode a hex string
  dump_moduledef.py -f FILE             decode hex read from FILE ('-' = stdin)
  dump_moduledef.py --wasm MOD.wasm     run node run_describe.mjs MOD.wasm and decode its output
"""
import struct, subprocess, sys, os

class DecodeError(Exception):
    pass

class R:
    def __init__(self, b):
        self.b, self.p = b, 0
    def take(self, n):
        if self.p + n > len(self.b):
            raise DecodeError(f"unexpected end at offset {self.p} (need {n} bytes, have {len(self.b) - self.p})")
        v = self.b[self.p:self.p + n]; self.p += n; return v
    def u8(self): return self.take(1)[0]
    def u16(self): return struct.unpack('<H', self.take(2))[0]
    def u32(self): return struct.unpack('<I', self.take(4))[0]
    def i128(self): return int.from_bytes(self.take(16), 'little', signed=True)
    def bool(self):
        v = self.u8()
        if v > 1: raise DecodeError(f"invalid bool {v} at {self.p - 1}")
        return bool(v)
    def str(self):
        n = self.u32()
        try: return self.take(n).decode('utf-8')
        except UnicodeDecodeError as e: raise DecodeError(f"invalid utf-8: {e}")
    def bytes(self): return self.take(self.u32())
    def tag(self, n, what):
        t = self.u8()
        if t >= n: raise DecodeError(f"{what}: tag {t} out of range (< {n}) at offset {self.p - 1}")
        return t
    def arr(self, f): return [f() for _ in range(self.u32())]
    def opt(self, f): return f() if self.tag(2, 'Option') == 0 else None

PRIMS = ['String', 'Bool', 'I8', 'U8', 'I16', 'U16', 'I32', 'U32', 'I64', 'U64', 'I128', 'U128',
         'I256', 'U256', 'F32', 'F64']
SPECIAL = {'__identity__': 'Identity', '__connection_id__': 'ConnectionId',
           '__timestamp_micros_since_unix_epoch__': 'Timestamp', '__time_duration_micros__': 'TimeDuration',
           '__uuid__': 'Uuid'}

def alg_type(r):
    t = r.tag(20, 'AlgebraicType')
    if t == 0: return ('Ref', r.u32())
    if t == 1: return ('Sum', r.arr(lambda: (r.opt(r.str), alg_type(r))))
    if t == 2: return ('Product', product(r))
    if t == 3: return ('Array', alg_type(r))
    return (PRIMS[t - 4],)

def product(r): return r.arr(lambda: (r.opt(r.str), alg_type(r)))

def fmt(t):
    k = t[0]
    if k == 'Ref': return f"@{t[1]}"
    if k == 'Array': return f"Array<{fmt(t[1])}>"
    if k == 'Product':
        el = t[1]
        if len(el) == 1 and el[0][0] in SPECIAL: return SPECIAL[el[0][0]]
        return '{' + ', '.join(f"{n or '_'}: {fmt(x)}" for n, x in el) + '}'
    if k == 'Sum':
        vs = t[1]; names = [n for n, _ in vs]
        if names == ['some', 'none']: return f"Option<{fmt(vs[0][1])}>"
        if names == ['Interval', 'Time']: return 'ScheduleAt'
        return '<' + ' | '.join((n or '_') + ('' if x == ('Product', []) else f": {fmt(x)}") for n, x in vs) + '>'
    return k

def fmt_product(p): return '(' + ', '.join(f"{n or '_'}: {fmt(x)}" for n, x in p) + ')'

def typespace(r): return r.arr(lambda: alg_type(r))
def typedef(r): return {'scope': r.arr(r.str), 'name': r.str(), 'ty': r.u32(), 'custom_ordering': r.bool()}
def collist(r): return r.arr(r.u16)
def index_algo(r):
    t = r.tag(3, 'RawIndexAlgorithm')
    return ('BTree', collist(r)) if t == 0 else ('Hash', collist(r)) if t == 1 else ('Direct', [r.u16()])
def index(r): return {'name': r.opt(r.str), 'accessor': r.opt(r.str), 'algo': index_algo(r)}
def constraint(r):
    n = r.opt(r.str); r.tag(1, 'RawConstraintData')
    return {'name': n, 'unique': collist(r)}
def sequence(r):
    return {'name': r.opt(r.str), 'col': r.u16(), 'start': r.opt(r.i128), 'min': r.opt(r.i128),
            'max': r.opt(r.i128), 'increment': r.i128()}
LIFECYCLE = ['Init', 'OnConnect', 'OnDisconnect']

def table_common(r):
    return {'name': r.str(), 'ref': r.u32(), 'pk': collist(r), 'indexes': r.arr(lambda: index(r)),
            'constraints': r.arr(lambda: constraint(r)), 'sequences': r.arr(lambda: sequence(r))}

def decode_v10(r):
    d = {'version': 10, 'typespace': [], 'types': [], 'tables': [], 'reducers': [], 'procedures': [],
         'views': [], 'schedules': [], 'lifecycle': [], 'rls': [], 'case_policy': None, 'explicit_names': []}
    for _ in range(r.u32()):
        s = r.tag(15, 'RawModuleDefV10Section')
        if s == 0: d['typespace'] = typespace(r)
        elif s == 1: d['types'] = r.arr(lambda: typedef(r))
        elif s == 2:
            def tbl():
                t = table_common(r)
                t['table_type'] = ['System', 'User'][r.tag(2, 'TableType')]
                t['access'] = ['Public', 'Private'][r.tag(2, 'TableAccess')]
                t['defaults'] = r.arr(lambda: (r.u16(), r.bytes().hex()))
                t['is_event'] = r.bool()
                return t
            d['tables'] = r.arr(tbl)
        elif s == 3:
            d['reducers'] = r.arr(lambda: {'name': r.str(), 'params': product(r),
                                           'visibility': ['Private', 'ClientCallable'][r.tag(2, 'FunctionVisibility')],
                                           'ok': alg_type(r), 'err': alg_type(r)})
        elif s == 4:
            d['procedures'] = r.arr(lambda: {'name': r.str(), 'params': product(r), 'ret': alg_type(r),
                                             'visibility': ['Private', 'ClientCallable'][r.tag(2, 'FunctionVisibility')]})
        elif s == 5:
            d['views'] = r.arr(lambda: {'name': r.str(), 'index': r.u32(), 'is_public': r.bool(),
                                        'is_anonymous': r.bool(), 'params': product(r), 'ret': alg_type(r)})
        elif s == 6:
            d['schedules'] = r.arr(lambda: {'name': r.opt(r.str), 'table': r.str(), 'col': r.u16(), 'function': r.str()})
        elif s == 7:
            d['lifecycle'] = r.arr(lambda: (LIFECYCLE[r.tag(3, 'Lifecycle')], r.str()))
        elif s == 8: d['rls'] = r.arr(r.str)
        elif s == 9: d['case_policy'] = ['None', 'SnakeCase'][r.tag(2, 'CaseConversionPolicy')]
        elif s == 10:
            d['explicit_names'] = r.arr(lambda: (['Table', 'Function', 'Index'][r.tag(3, 'ExplicitNameEntry')], r.str(), r.str()))
        else:
            raise DecodeError(f"section tag {s} not supported by this decoder")
    return d

def decode_v9(r):
    d = {'version': 9, 'typespace': typespace(r)}
    def tbl():
        t = table_common(r)
        t['schedule'] = r.opt(lambda: {'name': r.opt(r.str), 'reducer': r.str(), 'col': r.u16()})
        t['table_type'] = ['System', 'User'][r.tag(2, 'TableType')]
        t['access'] = ['Public', 'Private'][r.tag(2, 'TableAccess')]
        return t
    d['tables'] = r.arr(tbl)
    d['reducers'] = r.arr(lambda: {'name': r.str(), 'params': product(r),
                                   'lifecycle': r.opt(lambda: LIFECYCLE[r.tag(3, 'Lifecycle')])})
    d['types'] = r.arr(lambda: typedef(r))
    def misc():
        t = r.tag(3, 'RawMiscModuleExportV9')
        if t == 0: return ('ColumnDefaultValue', r.str(), r.u16(), r.bytes().hex())
        if t == 1: return ('Procedure', r.str(), fmt_product(product(r)), fmt(alg_type(r)))
        return ('View', r.str(), r.u32(), r.bool(), r.bool(), fmt_product(product(r)), fmt(alg_type(r)))
    d['misc'] = r.arr(misc)
    d['rls'] = r.arr(r.str)
    return d

def decode(b):
    r = R(b)
    tag = r.tag(3, 'RawModuleDef')
    if tag == 0: raise DecodeError('RawModuleDef::V8BackCompat is not supported')
    d = decode_v9(r) if tag == 1 else decode_v10(r)
    if r.p != len(b): raise DecodeError(f"{len(b) - r.p} trailing bytes after offset {r.p}")
    d['size'] = len(b)
    return d

def check_refs(d):
    n = len(d['typespace'])
    def walk(t):
        if t[0] == 'Ref':
            if t[1] >= n: raise DecodeError(f"dangling type ref @{t[1]} (typespace has {n})")
        elif t[0] in ('Product', 'Sum'): [walk(x) for _, x in t[1]]
        elif t[0] == 'Array': walk(t[1])
    for t in d['typespace']: walk(t)
    for t in d['tables']:
        if t['ref'] >= n: raise DecodeError(f"table {t['name']} refs @{t['ref']} (typespace has {n})")
        row = d['typespace'][t['ref']]
        if row[0] != 'Product': raise DecodeError(f"table {t['name']} row type is not a product")
        ncols = len(row[1])
        cols = list(t['pk']) + [c for i in t['indexes'] for c in i['algo'][1]] + \
               [c for c in (x['unique'] for x in t['constraints']) for c in c] + [s['col'] for s in t['sequences']]
        for c in cols:
            if c >= ncols: raise DecodeError(f"table {t['name']}: column {c} out of range ({ncols} columns)")

def show(d):
    p = print
    p(f"RawModuleDef V{d['version']} ({d['size']} bytes)")
    p("typespace:")
    for i, t in enumerate(d['typespace']): p(f"  @{i} = {fmt(t)}")
    for t in d.get('types', []): p(f"  type {'::'.join(t['scope'] + [t['name']])} -> @{t['ty']}")
    p("tables:")
    for t in d['tables']:
        row = d['typespace'][t['ref']][1]
        cols = [n for n, _ in row]
        flags = [t['access'], t['table_type']] + (['event'] if t.get('is_event') else [])
        p(f"  {t['name']} (@{t['ref']}) [{', '.join(flags)}] pk={[cols[c] for c in t['pk']]}")
        for i in t['indexes']:
            p(f"    index {i['name']} accessor={i['accessor']} {i['algo'][0]}{[cols[c] for c in i['algo'][1]]}")
        for c in t['constraints']: p(f"    unique {c['name']} {[cols[x] for x in c['unique']]}")
        for s in t['sequences']:
            p(f"    sequence {s['name']} col={cols[s['col']]} start={s['start']} min={s['min']} max={s['max']} inc={s['increment']}")
        for col, v in t.get('defaults', []): p(f"    default {cols[col]} = {v}")
        if t.get('schedule'): p(f"    schedule {t['schedule']}")
    p("reducers (id: name(params)):")
    for i, r in enumerate(d['reducers']):
        extra = f" lifecycle={r['lifecycle']}" if 'lifecycle' in r else f" {r['visibility']} ok={fmt(r['ok'])} err={fmt(r['err'])}"
        p(f"  {i}: {r['name']}{fmt_product(r['params'])}{extra}")
    for i, x in enumerate(d.get('procedures', [])):
        p(f"procedure {i}: {x['name']}{fmt_product(x['params'])} -> {fmt(x['ret'])} {x['visibility']}")
    for x in d.get('views', []):
        p(f"view {x['name']} index={x['index']} public={x['is_public']} anonymous={x['is_anonymous']} "
          f"{fmt_product(x['params'])} -> {fmt(x['ret'])}")
    for s in d.get('schedules', []): p(f"schedule {s['name']}: table {s['table']} col {s['col']} -> {s['function']}")
    for l in d.get('lifecycle', []): p(f"lifecycle {l[0]} -> {l[1]}")
    for m in d.get('misc', []): p(f"misc {m}")
    for s in d.get('rls', []): p(f"rls {s!r}")
    if d.get('case_policy') is not None: p(f"case_policy {d['case_policy']}")
    for e in d.get('explicit_names', []): p(f"explicit_name {e}")

def main(argv):
    if len(argv) >= 2 and argv[0] == '--wasm':
        here = os.path.dirname(os.path.abspath(__file__))
        hx = subprocess.run(['node', os.path.join(here, 'run_describe.mjs'), argv[1]], check=True,
                            capture_output=True, text=True).stdout.strip()
    elif len(argv) >= 2 and argv[0] == '-f':
        hx = (sys.stdin.read() if argv[1] == '-' else open(argv[1]).read()).strip()
    elif len(argv) == 1:
        hx = argv[0]
    else:
        print(__doc__); return 2
    try:
        d = decode(bytes.fromhex(hx))
        check_refs(d)
    except (DecodeError, ValueError) as e:
        print(f"INVALID module def: {e}"); return 1
    show(d)
    return 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

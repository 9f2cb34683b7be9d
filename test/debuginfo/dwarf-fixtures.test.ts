// The DWARF reader on C fixtures compiled at test time with -gdwarf-2/-4/-5 at -O0 and -O2: line
// tables against readelf, scopes (parameters, nested block locals, inlined subroutines), the C type
// model (struct, union, array, enum, bit fields, typedef, a self-referencing struct, a declaration
// completed from another unit), location evaluation over a fake frame, and location lists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DebugInfo, ValueUnavailableError, type Variable } from '../../debuginfo/debuginfo.ts';
import { resolveType, type Type } from '../../debuginfo/types.ts';
import { compile, expectedRow, lineOf, readelfLines, run } from './dwarf-helpers.ts';

const MAIN_C = `typedef unsigned long u64;
enum color { RED, GREEN = 5, BLUE = -1 };
struct node { struct node *next; int value; };
union bits { unsigned int word; unsigned char bytes[4]; };
struct flags { unsigned int a : 3; unsigned int b : 5; int c : 10; unsigned char tail; };
struct point { int x, y; };
typedef struct point point_t;
struct opaque;

struct node list_head;
static int counter = 7;
u64 table[8];
volatile int sink;
struct opaque *op_ptr;
int matrix[2][3];
extern int use_opaque(struct opaque *o);

static inline __attribute__((always_inline)) int twice(int v) {
  int doubled = v * 2;
  sink = doubled; /* TWICE_BODY */
  return doubled;
}

__attribute__((noinline)) int compute(int a, struct node *n, point_t p) {
  int total = a + p.x; /* FIRST_BODY_LINE */
  enum color c = GREEN;
  union bits b;
  b.word = (unsigned)a;
  struct flags f = { 1, 2, -3, 4 };
  {
    int inner = total * 3;
    u64 arr[3] = { 1, 2, 3 };
    for (int i = 0; i < 3; i++) {
      inner += (int)arr[i] + f.c;
      sink = inner; /* LOOP_BODY */
    }
    total += inner + b.bytes[0] + c;
  }
  total += twice(total); /* FIRST_CALL */
  total += twice(a); /* SECOND_CALL */
  if (n) total += n->value;
  counter += total;
  return total;
}

int main(void) {
  struct node n = { &list_head, 3 };
  point_t p = { 1, 2 };
  return compute(4, &n, p) + use_opaque(op_ptr);
}
`;

const OTHER_C = `struct opaque { int secret; long more; };
int use_opaque(struct opaque *o) { return o ? o->secret : 0; }
`;

interface Fixture { path: string; info: DebugInfo; version: number; optimized: boolean; extra: string[] }

const fixtures: Fixture[] = [];
const variants: Array<[number, boolean, string[]]> = [
  [2, false, []], [2, true, []], [4, false, []], [4, true, []], [5, false, []], [5, true, []],
  // The 64-bit DWARF format.
  [4, false, ['-gdwarf64']], [5, true, ['-gdwarf64']],
];
for (const [version, optimized, extra] of variants) {
  const path = compile({ 'main.c': MAIN_C, 'other.c': OTHER_C }, [`-gdwarf-${version}`, optimized ? '-O2' : '-O0', ...extra]);
  fixtures.push({ path, info: DebugInfo.load(path), version, optimized, extra });
}
test.after(() => { for (const f of fixtures) rmSync(dirname(f.path), { recursive: true, force: true }); });

const name = (f: Fixture): string => `DWARF ${f.version} ${f.optimized ? '-O2' : '-O0'} ${f.extra.join(' ')}`;
const base = (t: Type): string => (t.kind === 'base' ? t.name : t.kind);

test('fixtures: versions, and lineAt equals readelf for every code address', () => {
  for (const f of fixtures) {
    assert.deepEqual([...f.info.dwarfVersions()], [f.version], name(f));
    const seqs = readelfLines(f.path);
    const text = f.info.elf.section('.text')!;
    for (let a = text.address; a < text.address + text.size; a += 2n) {
      const want = expectedRow(seqs, a);
      const got = f.info.lineAt(a);
      if (!want) { assert.equal(got, undefined); continue; }
      assert.ok(got, `${name(f)} 0x${a.toString(16)}`);
      assert.equal(got.line, want.line, `${name(f)} 0x${a.toString(16)}`);
      assert.equal(got.address, want.address, `${name(f)} 0x${a.toString(16)}`);
      assert.ok(got.file.endsWith(want.base), `${name(f)} ${got.file}`);
      assert.ok(got.file.startsWith('/'), `${name(f)}: ${got.file} is joined with comp_dir`);
    }
  }
});

test('fixtures: breakAddress of compute is its first body line at -O0', () => {
  for (const f of fixtures) {
    const [fn] = f.info.functionsNamed('compute');
    assert.ok(fn && !fn.inlined, name(f));
    assert.equal(fn.line, lineOf(MAIN_C, 'int compute('), name(f));
    assert.match(fn.file!, /\/main\.c$/);
    if (!f.optimized) assert.equal(f.info.lineAt(fn.breakAddress)!.line, lineOf(MAIN_C, 'FIRST_BODY_LINE'), name(f));
    else assert.ok(fn.breakAddress >= fn.lowPc);
  }
});

test('fixtures: inlined instances are found and named in scopes', () => {
  for (const f of fixtures) {
    const twice = f.info.functionsNamed('twice');
    const inlined = twice.filter((x) => x.inlined);
    assert.ok(inlined.length >= 2, `${name(f)}: ${inlined.length} inlined instances`);
    const body = f.info.addressesForLine('main.c', lineOf(MAIN_C, 'TWICE_BODY'));
    assert.equal(body.line, lineOf(MAIN_C, 'TWICE_BODY'), name(f));
    assert.ok(body.addresses.length >= 2, `${name(f)}: ${body.addresses.length} addresses for an inlined line`);
    const fn = f.info.functionAt(body.addresses[0])!;
    assert.equal(fn.name, 'compute', name(f));
    assert.equal(fn.inlinedChain[0].name, 'twice', name(f));
    assert.ok([lineOf(MAIN_C, 'FIRST_CALL'), lineOf(MAIN_C, 'SECOND_CALL')].includes(fn.inlinedChain[0].callLine!), name(f));
    assert.match(fn.inlinedChain[0].callFile!, /main\.c$/);
    if (!f.optimized) {
      const scope = f.info.scopeAt(body.addresses[0])!;
      assert.deepEqual(scope.locals.slice(0, 2).map((v) => v.name).sort(), ['doubled', 'v'], name(f));
    }
  }
});

function checkTypes(f: Fixture, vars: Variable[]): void {
  const by = (n: string): Type => {
    const v = vars.find((x) => x.name === n);
    assert.ok(v, `${name(f)}: no ${n}`);
    return v.type;
  };
  // n: struct node * — the struct points to itself.
  const n = by('n');
  assert.equal(n.kind, 'pointer');
  const node = (n as Type & { kind: 'pointer' }).target as Type & { kind: 'struct' };
  assert.equal(node.kind, 'struct');
  assert.equal(node.name, 'node');
  assert.equal(node.size, 16);
  assert.deepEqual(node.members.map((m) => [m.name, m.offset]), [['next', 0], ['value', 8]]);
  assert.equal((node.members[0].type as Type & { kind: 'pointer' }).target, node, 'cyclic type is one object');
  // p: point_t, a typedef of struct point.
  const p = by('p');
  assert.equal(p.kind, 'typedef');
  assert.equal((p as Type & { kind: 'typedef' }).name, 'point_t');
  const point = resolveType(p) as Type & { kind: 'struct' };
  assert.deepEqual(point.members.map((m) => [m.name, m.offset, base(m.type)]), [['x', 0, 'int'], ['y', 4, 'int']]);
  assert.equal(base(by('a')), 'int');
}

test('fixtures: scopeAt in the loop gives parameters and every enclosing block’s locals (-O0)', () => {
  for (const f of fixtures.filter((x) => !x.optimized)) {
    const loop = f.info.addressesForLine('/any/path/main.c', lineOf(MAIN_C, 'LOOP_BODY'));
    assert.equal(loop.addresses.length, 1, name(f));
    const scope = f.info.scopeAt(loop.addresses[0])!;
    assert.equal(scope.function.name, 'compute');
    assert.deepEqual(scope.parameters.map((v) => v.name), ['a', 'n', 'p'], name(f));
    assert.deepEqual(scope.locals.map((v) => v.name), ['i', 'inner', 'arr', 'total', 'c', 'b', 'f'], name(f));
    const all = [...scope.parameters, ...scope.locals];
    checkTypes(f, all);
    const t = (n: string): Type => all.find((v) => v.name === n)!.type;
    // enum color { RED, GREEN = 5, BLUE = -1 }
    const color = t('c') as Type & { kind: 'enum' };
    assert.equal(color.kind, 'enum');
    assert.equal(color.name, 'color');
    assert.equal(color.signed, true);
    assert.deepEqual(color.enumerators, [{ name: 'RED', value: 0n }, { name: 'GREEN', value: 5n }, { name: 'BLUE', value: -1n }]);
    // union bits
    const bits = t('b') as Type & { kind: 'union' };
    assert.equal(bits.kind, 'union');
    assert.equal(bits.size, 4);
    assert.deepEqual(bits.members.map((m) => [m.name, m.offset]), [['word', 0], ['bytes', 0]]);
    assert.deepEqual(bits.members[1].type, { kind: 'array', element: { kind: 'base', name: 'unsigned char', size: 1, encoding: 'unsigned_char' }, count: 4 });
    // struct flags: bit fields, the same whichever way the DWARF version encodes them.
    const flags = t('f') as Type & { kind: 'struct' };
    assert.deepEqual(flags.members.map((m) => [m.name, m.offset, m.bitSize, m.bitOffset]),
      [['a', 0, 3, 0], ['b', 0, 5, 3], ['c', 0, 10, 8], ['tail', 3, undefined, undefined]], name(f));
    // u64 arr[3]
    const arr = t('arr') as Type & { kind: 'array' };
    assert.equal(arr.count, 3);
    assert.deepEqual(arr.element, { kind: 'typedef', name: 'u64', target: { kind: 'base', name: 'long unsigned int', size: 8, encoding: 'unsigned' } });
    assert.equal(all.find((v) => v.name === 'total')!.declLine, lineOf(MAIN_C, 'FIRST_BODY_LINE'));
  }
});

/** DW_OP_fbreg offsets of compute's variables, from readelf's dump of .debug_info. */
function fbregOffsets(path: string): Map<string, number> {
  const out = new Map<string, number>();
  let current: string | undefined;
  let inCompute = false;
  for (const line of run('riscv64-unknown-elf-readelf', ['-wi', path]).split('\n')) {
    const nameMatch = /DW_AT_name\s*:\s*(?:\(indirect string, offset: 0x[0-9a-f]+\): )?(\w+)/.exec(line);
    if (/<1><[0-9a-f]+>/.test(line)) inCompute = false;
    if (/^\s*<\d+><[0-9a-f]+>/.test(line)) current = undefined; // a new DIE (inlined copies have no name)
    if (nameMatch && current === undefined) {
      current = nameMatch[1];
      if (current === 'compute') inCompute = true;
    }
    const fb = /DW_OP_fbreg: (-?\d+)/.exec(line);
    if (fb && current && inCompute) out.set(current, Number(fb[1]));
  }
  return out;
}

test('fixtures: evaluateLocation and variableValue over a fake frame (-O0: fbreg from the CFA)', () => {
  for (const f of fixtures.filter((x) => !x.optimized)) {
    const offsets = fbregOffsets(f.path);
    const loop = f.info.addressesForLine('main.c', lineOf(MAIN_C, 'LOOP_BODY')).addresses[0];
    const scope = f.info.scopeAt(loop)!;
    const cfa = 0x80100000n;
    const memory = new Uint8Array(0x100);
    new DataView(memory.buffer).setInt32(0x100 - 20, 1234, true);
    const ctx = {
      pc: loop, cfa,
      // sp below the frame; s0 is the frame pointer (= CFA at -O0), DWARF 2's frame base list uses it.
      readRegister: (n: number) => (n === 2 ? cfa - 0x40n : n === 8 ? cfa : undefined),
      readMemory: (a: bigint, size: number) => (a >= cfa - 0x100n && a + BigInt(size) <= cfa ? memory.slice(Number(a - (cfa - 0x100n)), Number(a - (cfa - 0x100n)) + size) : undefined),
    };
    for (const v of [...scope.parameters, ...scope.locals]) {
      const off = offsets.get(v.name);
      assert.ok(off !== undefined, `${name(f)}: readelf shows no fbreg for ${v.name}`);
      const where = f.info.evaluateLocation(v.location!, ctx);
      assert.deepEqual(where, { kind: 'memory', address: cfa + BigInt(off) }, `${name(f)} ${v.name}`);
      const value = f.info.variableValue(v, ctx);
      assert.equal(value.address, cfa + BigInt(off));
    }
    // Without a CFA a DW_OP_call_frame_cfa frame base is unknown (DWARF 2's is a list over sp/s0).
    const total = scope.locals.find((v) => v.name === 'total')!;
    const none = f.info.evaluateLocation(total.location!, { ...ctx, cfa: undefined });
    assert.equal(none.kind, scope.function.frameBase![0] === 0x9c ? 'unavailable' : 'memory', name(f));
    // Globals: a static location at the symbol's address.
    for (const g of ['counter', 'table', 'list_head', 'sink']) {
      const v = f.info.lookupGlobal(g)!;
      assert.ok(v, `${name(f)}: ${g}`);
      assert.deepEqual(f.info.evaluateLocation(v.location!, ctx), { kind: 'memory', address: f.info.lookupSymbol(g)!.address });
    }
    assert.deepEqual(f.info.lookupGlobal('matrix')!.type, {
      kind: 'array', count: 2, element: { kind: 'array', count: 3, element: { kind: 'base', name: 'int', size: 4, encoding: 'signed' } },
    });
  }
});

test('fixtures: -O2 parameters in registers and location lists', () => {
  for (const f of fixtures.filter((x) => x.optimized)) {
    const [fn] = f.info.functionsNamed('compute');
    const scope = f.info.scopeAt(fn.lowPc)!;
    assert.deepEqual(scope.parameters.map((v) => v.name), ['a', 'n', 'p'], name(f));
    const a = scope.parameters[0];
    const ctx = { pc: fn.lowPc, readRegister: (n: number) => (n === 10 ? 0xffff_ffff_0000_0004n : undefined), readMemory: () => undefined };
    assert.deepEqual(f.info.evaluateLocation(a.location!, ctx), { kind: 'register', regno: 10 }, name(f));
    const value = f.info.variableValue(a, ctx);
    assert.equal(value.register, 'a0');
    assert.deepEqual([...value.bytes!], [4, 0, 0, 0]);
    // The list exists in the object (readelf shows it) and covers only part of the function.
    const dump = run('riscv64-unknown-elf-readelf', ['--debug-dump=loc', f.path]);
    assert.match(dump, f.version >= 5 ? /DW_LLE_|DW_OP_reg10/ : /DW_OP_reg10/, name(f));
    assert.ok(a.location!.validRange, `${name(f)}: a's location comes from a list`);
    // After the last use, some parameter is optimized out or lives elsewhere: evaluation never throws.
    const end = fn.ranges[0].end - 2n;
    const late = f.info.scopeAt(end)!;
    for (const v of [...late.parameters, ...late.locals]) {
      try {
        f.info.variableValue(v, { ...ctx, pc: end });
      } catch (e) {
        assert.ok(e instanceof ValueUnavailableError, String(e));
      }
    }
  }
});

test('fixtures: lookupType, and declarations completed from another unit', () => {
  for (const f of fixtures) {
    const node = f.info.lookupType('struct node') as Type & { kind: 'struct' };
    assert.equal(node.kind, 'struct', name(f));
    assert.equal(node.members.length, 2);
    assert.equal(f.info.lookupType('union bits')!.kind, 'union');
    assert.equal(f.info.lookupType('enum color')!.kind, 'enum');
    assert.equal(f.info.lookupType('point_t')!.kind, 'typedef');
    assert.deepEqual(f.info.lookupType('unsigned long'), { kind: 'base', name: 'long unsigned int', size: 8, encoding: 'unsigned' });
    assert.deepEqual(f.info.lookupType('int'), { kind: 'base', name: 'int', size: 4, encoding: 'signed' });
    assert.equal(f.info.lookupType('struct nothing_like_this'), undefined);
    // op_ptr: struct opaque is only declared in main.c; other.c defines it.
    const op = f.info.lookupGlobal('op_ptr')!;
    const opaque = (op.type as Type & { kind: 'pointer' }).target as Type & { kind: 'struct' };
    assert.equal(opaque.name, 'opaque');
    assert.deepEqual(opaque.members.map((m) => m.name), ['secret', 'more'], name(f));
    assert.equal(opaque.size, 16);
    assert.ok(!opaque.declaration);
  }
});

test('a file without DWARF: symbols answer, standard types for casts', () => {
  const path = compile({ 'a.c': 'int g; int main(void) { return g; }\n' }, ['-O1', '-g0']);
  try {
    const d = DebugInfo.load(path);
    assert.equal(d.hasDwarf, false);
    const main = d.lookupSymbol('main')!;
    assert.deepEqual(d.functionsNamed('main').map((x) => x.lowPc), [main.address]);
    assert.equal(d.functionAt(main.address)!.name, 'main');
    assert.equal(d.lineAt(main.address), undefined);
    assert.equal(d.scopeAt(main.address), undefined);
    assert.deepEqual(d.addressesForLine('a.c', 1), { line: 1, addresses: [] });
    assert.deepEqual(d.lookupType('unsigned long long'), { kind: 'base', name: 'unsigned long long', size: 8, encoding: 'unsigned' });
    assert.equal(d.lookupGlobal('g'), undefined);
  } finally {
    rmSync(dirname(path), { recursive: true, force: true });
  }
});

test('type units (-fdebug-types-section): lines and scopes work, signature references read as void', () => {
  for (const version of [4, 5]) {
    const path = compile({ 'main.c': MAIN_C, 'other.c': OTHER_C }, [`-gdwarf-${version}`, '-O0', '-fdebug-types-section']);
    try {
      const d = DebugInfo.load(path);
      const loop = d.addressesForLine('main.c', lineOf(MAIN_C, 'LOOP_BODY'));
      assert.equal(loop.addresses.length, 1);
      const scope = d.scopeAt(loop.addresses[0])!;
      assert.deepEqual(scope.locals.map((v) => v.name), ['i', 'inner', 'arr', 'total', 'c', 'b', 'f']);
      assert.equal(scope.parameters[0].type.kind, 'base');
      assert.ok(['void', 'struct'].includes(resolveType(scope.locals.find((v) => v.name === 'f')!.type).kind));
    } finally {
      rmSync(dirname(path), { recursive: true, force: true });
    }
  }
});

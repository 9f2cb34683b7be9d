// Unit tests of the pieces compilers rarely exercise all of: every DW_RLE_/DW_LLE_ entry kind, DWARF 4
// lists with base address selection entries, and the expression stack machine's operations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLoclist, readLocV4, readRangesV4, readRnglist, locationAt } from '../../debuginfo/dwarf/ranges.ts';
import { evaluateExpression, type EvalContext, type ExprUnit } from '../../debuginfo/dwarf/expression.ts';
import type { DwarfSections, Unit } from '../../debuginfo/dwarf/info.ts';

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v = Math.floor(v / 128);
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const u64 = (v: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
const u16 = (v: number): number[] => [v & 0xff, v >> 8];

const ADDR_TABLE = [0x80001000n, 0x80002000n, 0x80003000n];

/** A stand-in for a unit: what the list readers use (sections, address size, base address, .debug_addr). */
function fakeUnit(sections: Partial<DwarfSections>, version: number): Unit {
  const empty = new Uint8Array(0);
  const all = { info: empty, abbrev: empty, str: empty, lineStr: empty, line: empty, addr: empty, strOffsets: empty,
    ranges: empty, rnglists: empty, loc: empty, loclists: empty, aranges: empty, ...sections };
  return {
    version, addrSize: 8, is64: false, baseAddress: 0x80000000n, rnglistsBase: -1, loclistsBase: -1,
    dwarf: { sections: all }, addrx: (i: number) => ADDR_TABLE[i],
  } as unknown as Unit;
}

test('DWARF 5 range lists: every DW_RLE kind', () => {
  const data = Uint8Array.from([
    0x04, ...uleb(0x10), ...uleb(0x20), // offset_pair from the unit base 0x80000000
    0x01, ...uleb(1), // base_addressx → 0x80002000
    0x04, ...uleb(0x4), ...uleb(0x8),
    0x02, ...uleb(0), ...uleb(1), // startx_endx
    0x03, ...uleb(2), ...uleb(0x40), // startx_length
    0x05, ...u64(0x90000000n), // base_address
    0x04, ...uleb(0), ...uleb(2),
    0x06, ...u64(0xa0000000n), ...u64(0xa0000010n), // start_end
    0x07, ...u64(0xb0000000n), ...uleb(0x30), // start_length
    0x00,
  ]);
  assert.deepEqual(readRnglist(fakeUnit({ rnglists: data }, 5), 0), [
    { start: 0x80000010n, end: 0x80000020n }, { start: 0x80002004n, end: 0x80002008n },
    { start: 0x80001000n, end: 0x80002000n }, { start: 0x80003000n, end: 0x80003040n },
    { start: 0x90000000n, end: 0x90000002n }, { start: 0xa0000000n, end: 0xa0000010n },
    { start: 0xb0000000n, end: 0xb0000030n },
  ]);
});

test('DWARF 5 location lists: every DW_LLE kind, and the entry chosen for a pc', () => {
  const expr = (op: number): number[] => [...uleb(1), op];
  const data = Uint8Array.from([
    0x01, ...uleb(0), // base_addressx → 0x80001000
    0x04, ...uleb(0), ...uleb(4), ...expr(0x5a), // offset_pair: a0
    0x02, ...uleb(1), ...uleb(2), ...expr(0x5b), // startx_endx: a1
    0x03, ...uleb(2), ...uleb(8), ...expr(0x5c), // startx_length: a2
    0x06, ...u64(0x90000000n), // base_address
    0x04, ...uleb(0x10), ...uleb(0x20), ...expr(0x5d),
    0x07, ...u64(0xa0000000n), ...u64(0xa0000004n), ...expr(0x5e), // start_end
    0x08, ...u64(0xb0000000n), ...uleb(4), ...expr(0x5f), // start_length
    0x09, ...uleb(1), ...uleb(2), // GNU view pair: skipped
    0x05, ...expr(0x30), // default_location: lit0
    0x00,
  ]);
  const list = readLoclist(fakeUnit({ loclists: data }, 5), 0);
  assert.deepEqual(list.map((e) => [e.start, e.end, e.expr[0], e.isDefault ?? false]), [
    [0x80001000n, 0x80001004n, 0x5a, false], [0x80002000n, 0x80003000n, 0x5b, false],
    [0x80003000n, 0x80003008n, 0x5c, false], [0x90000010n, 0x90000020n, 0x5d, false],
    [0xa0000000n, 0xa0000004n, 0x5e, false], [0xb0000000n, 0xb0000004n, 0x5f, false],
    [0n, 0xffffffffffffffffn, 0x30, true],
  ]);
  assert.equal(locationAt(list, 0x80002010n)!.expr[0], 0x5b);
  assert.equal(locationAt(list, 0x80001004n)!.expr[0], 0x30, 'end is exclusive; the default applies');
});

test('DWARF 2–4 lists: base address selection entries', () => {
  const max = 0xffffffffffffffffn;
  const ranges = Uint8Array.from([
    ...u64(0x10n), ...u64(0x20n), // relative to the unit base 0x80000000
    ...u64(max), ...u64(0x90000000n), // base selection
    ...u64(0x4n), ...u64(0x8n),
    ...u64(0n), ...u64(0n),
  ]);
  assert.deepEqual(readRangesV4(fakeUnit({ ranges }, 4), 0), [
    { start: 0x80000010n, end: 0x80000020n }, { start: 0x90000004n, end: 0x90000008n },
  ]);
  const loc = Uint8Array.from([
    ...u64(0x0n), ...u64(0x8n), ...u16(1), 0x5a,
    ...u64(max), ...u64(0x90000000n),
    ...u64(0x8n), ...u64(0x10n), ...u16(2), 0x91, 0x70,
    ...u64(0n), ...u64(0n),
  ]);
  const list = readLocV4(fakeUnit({ loc }, 4), 0);
  assert.deepEqual(list.map((e) => [e.start, e.end, [...e.expr]]), [
    [0x80000000n, 0x80000008n, [0x5a]], [0x90000008n, 0x90000010n, [0x91, 0x70]],
  ]);
  assert.throws(() => readLocV4(fakeUnit({ loc: loc.subarray(0, 20) }, 4), 0), /truncated/);
});

const unit: ExprUnit = {
  addrSize: 8, bias: 0x1000n, addrx: (i) => ADDR_TABLE[i],
  baseType: (o) => (o === 0x30 ? { size: 4, signed: true } : o === 0x40 ? { size: 1, signed: false } : undefined),
};
const memory = new Map<bigint, number>([[0x2000n, 0x11], [0x2001n, 0x22], [0x2002n, 0x33], [0x2003n, 0x44]]);
const ctx: EvalContext = {
  pc: 0x80000000n, cfa: 0x7000n, frameBase: 0x6000n,
  readRegister: (n) => (n < 64 ? BigInt(n) * 0x100n : undefined),
  readMemory: (a, size) => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const v = memory.get(a + BigInt(i));
      if (v === undefined) return undefined;
      out[i] = v;
    }
    return out;
  },
};
const ev = (bytes: number[], c: EvalContext = ctx) => evaluateExpression(Uint8Array.from(bytes), c, unit);
const mem = (address: bigint) => ({ kind: 'memory', address });
const val = (v: bigint) => ({ kind: 'value', bytes: Uint8Array.from(u64(v)) });

test('expressions: constants, stack operations, arithmetic', () => {
  assert.deepEqual(ev([0x03, ...u64(0x80000000n)]), mem(0x80001000n), 'DW_OP_addr is biased');
  assert.deepEqual(ev([0xa1, ...uleb(1)]), mem(0x80003000n), 'DW_OP_addrx is biased');
  assert.deepEqual(ev([0xa2, ...uleb(1), 0x9f]), val(0x80002000n), 'DW_OP_constx is not');
  assert.deepEqual(ev([0x08, 0xff, 0x9f]), val(0xffn));
  assert.deepEqual(ev([0x09, 0xff, 0x9f]), val(0xffffffffffffffffn));
  assert.deepEqual(ev([0x0a, 0x34, 0x12, 0x0b, 0xfe, 0xff, 0x22, 0x9f]), val(0x1232n)); // const2u + const2s(-2)
  assert.deepEqual(ev([0x0c, ...[1, 0, 0, 0], 0x0d, ...[0xff, 0xff, 0xff, 0xff], 0x22, 0x9f]), val(0n));
  assert.deepEqual(ev([0x0e, ...u64(5n), 0x0f, ...u64(0xfffffffffffffffdn), 0x22, 0x9f]), val(2n));
  assert.deepEqual(ev([0x10, ...uleb(300), 0x11, ...sleb(-100), 0x22, 0x9f]), val(200n));
  assert.deepEqual(ev([0x31, 0x32, 0x14, 0x22, 0x22, 0x9f]), val(4n), 'over: 1 2 → 1 2 1, then + +');
  assert.deepEqual(ev([0x31, 0x32, 0x33, 0x15, 2, 0x9f]), val(1n), 'pick 2');
  assert.deepEqual(ev([0x31, 0x32, 0x16, 0x1c, 0x9f]), val(1n), 'swap then minus: 2-1');
  assert.deepEqual(ev([0x31, 0x32, 0x33, 0x17, 0x9f]), val(2n), 'rot: 1 2 3 → 3 1 2');
  assert.deepEqual(ev([0x31, 0x12, 0x22, 0x9f]), val(2n), 'dup');
  assert.deepEqual(ev([0x31, 0x32, 0x13, 0x9f]), val(1n), 'drop');
  assert.deepEqual(ev([0x11, ...sleb(-7), 0x19, 0x9f]), val(7n), 'abs');
  assert.deepEqual(ev([0x11, ...sleb(-7), 0x32, 0x1b, 0x9f]), val(0xfffffffffffffffdn), 'signed div');
  assert.deepEqual(ev([0x37, 0x33, 0x1d, 0x9f]), val(1n), 'mod');
  assert.deepEqual(ev([0x33, 0x34, 0x1e, 0x9f]), val(12n), 'mul');
  assert.deepEqual(ev([0x33, 0x1f, 0x9f]), val(0xfffffffffffffffdn), 'neg');
  assert.deepEqual(ev([0x30, 0x20, 0x9f]), val(0xffffffffffffffffn), 'not');
  assert.deepEqual(ev([0x3c, 0x33, 0x1a, 0x3c, 0x33, 0x21, 0x27, 0x9f]), val(15n), '(12 & 3) ^ (12 | 3)');
  assert.deepEqual(ev([0x31, 0x34, 0x24, 0x9f]), val(16n), 'shl');
  assert.deepEqual(ev([0x11, ...sleb(-16), 0x32, 0x26, 0x9f]), val(0xfffffffffffffffcn), 'shra');
  assert.deepEqual(ev([0x11, ...sleb(-16), 0x3c, 0x25, 0x9f]), val(0xfffffffffffffn), 'shr');
  assert.deepEqual(ev([0x11, ...sleb(-1), 0x31, 0x2d, 0x9f]), val(1n), 'lt is signed');
  for (const [op, want] of [[0x29, 0n], [0x2a, 0n], [0x2b, 0n], [0x2c, 1n], [0x2e, 1n]] as const) {
    assert.deepEqual(ev([0x31, 0x32, op, 0x9f]), val(want), `compare 0x${op.toString(16)}`);
  }
  assert.deepEqual(ev([0x35, 0x23, ...uleb(0x100), 0x9f]), val(0x105n), 'plus_uconst');
  assert.equal(ev([0x31, 0x30, 0x1b]).kind, 'unavailable', 'division by zero');
  assert.equal(ev([0x22]).kind, 'unavailable', 'stack underflow');
});

test('expressions: branches are bounded', () => {
  // lit3; L: lit1; minus; dup; bra L — counts down to 0.
  const loop = [0x33, 0x31, 0x1c, 0x12, 0x28, ...u16(0xfffa), 0x9f];
  assert.deepEqual(ev(loop), val(0n));
  assert.deepEqual(ev([0x2f, ...u16(1), 0x31, 0x32, 0x9f]), val(2n), 'skip jumps over lit1');
  const forever = [0x2f, ...u16(0xfffd)];
  assert.deepEqual(ev(forever), { kind: 'unavailable', reason: 'location expression does not terminate' });
  assert.equal(ev([0x2f, ...u16(0x7000)]).kind, 'unavailable', 'branch out of range');
});

test('expressions: registers, frame base, CFA, memory', () => {
  assert.deepEqual(ev([0x5a]), { kind: 'register', regno: 10 });
  assert.deepEqual(ev([0x90, ...uleb(42)]), { kind: 'register', regno: 42 });
  assert.deepEqual(ev([0x72, ...sleb(-8)]), mem(0x200n - 8n), 'breg2');
  assert.deepEqual(ev([0x92, ...uleb(40), ...sleb(16)]), mem(40n * 0x100n + 16n), 'bregx');
  assert.deepEqual(ev([0x91, ...sleb(-20)]), mem(0x6000n - 20n), 'fbreg');
  assert.equal(ev([0x91, 0x10], { ...ctx, frameBase: undefined }).kind, 'unavailable');
  assert.deepEqual(ev([0x9c]), mem(0x7000n), 'call_frame_cfa');
  assert.equal(ev([0x9c], { ...ctx, cfa: undefined }).kind, 'unavailable');
  assert.equal(ev([0x92, ...uleb(99), 0]).kind, 'unavailable', 'unknown register');
  assert.deepEqual(ev([0x0a, 0x00, 0x20, 0x06, 0x9f]).kind, 'unavailable', 'deref of 8 bytes where 4 exist');
  assert.deepEqual(ev([0x0a, 0x00, 0x20, 0x94, 4, 0x9f]), val(0x44332211n), 'deref_size');
  assert.deepEqual(ev([0x0a, 0x00, 0x20, 0x94, 2, 0x9f]), val(0x2211n));
  assert.deepEqual(ev([0x9e, ...uleb(3), 1, 2, 3]), { kind: 'value', bytes: Uint8Array.of(1, 2, 3) }, 'implicit_value');
  assert.deepEqual(ev([]), { kind: 'unavailable', reason: 'optimized out' });
});

test('expressions: pieces', () => {
  assert.deepEqual(ev([0x5a, 0x93, 4, 0x5b, 0x93, 4]), {
    kind: 'pieces', pieces: [
      { sizeBits: 32, offsetBits: 0, location: { kind: 'register', regno: 10 } },
      { sizeBits: 32, offsetBits: 0, location: { kind: 'register', regno: 11 } },
    ],
  });
  assert.deepEqual(ev([0x93, 4, 0x70, ...sleb(8), 0x9d, ...uleb(12), ...uleb(4)]), {
    kind: 'pieces', pieces: [
      { sizeBits: 32, offsetBits: 0, location: { kind: 'unavailable', reason: 'optimized out' } },
      { sizeBits: 12, offsetBits: 4, location: { kind: 'memory', address: 8n } },
    ],
  });
});

test('expressions: typed stack, entry values and the unsupported', () => {
  assert.deepEqual(ev([0xa4, ...uleb(0x30), 4, 0xff, 0xff, 0xff, 0xff, 0x9f]), val(0xffffffffffffffffn), 'const_type int -1');
  assert.deepEqual(ev([0xa5, ...uleb(1), ...uleb(0x40), 0x9f]), val(0n), 'regval_type u8 of 0x100');
  assert.deepEqual(ev([0x0a, 0x00, 0x20, 0xa6, 1, ...uleb(0x40), 0x9f]), val(0x11n), 'deref_type');
  assert.deepEqual(ev([0x08, 0x80, 0xa8, ...uleb(0x40), 0xa8, ...uleb(0x30), 0x9f]), val(0x80n), 'convert');
  assert.equal(ev([0xa8, ...uleb(0x99)]).kind, 'unavailable', 'convert to an unknown type');
  for (const e of [[0xa3, 1, 0x5a, 0x9f], [0xf3, 1, 0x5a, 0x9f], [0xfa, 0, 0, 0, 0], [0xa0, 0, 0, 0, 0, 0], [0xf2, 0, 0, 0, 0, 0], [0x9b], [0xe0], [0x98, 0, 0], [0xff]]) {
    const r = ev(e);
    assert.equal(r.kind, 'unavailable', `0x${e[0].toString(16)}`);
  }
  assert.match((ev([0xa3, 1, 0x5a, 0x9f]) as { reason: string }).reason, /optimized out/);
  assert.equal(ev([0x0e, 1, 2]).kind, 'unavailable', 'truncated operand');
});

// Value formatting, children, type names and encoding over hand-built types and a fake memory. The
// expected strings are what GDB 13 prints for the same C declarations and bytes (checked with
// gdb-multiarch on RISC-V binaries; test/debuginfo/expr.test.ts repeats that comparison live), except
// floating values, which use the shortest round-trip digits where GDB prints %.17g/%.9g.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Type, Value } from '../../debuginfo/types.ts';
import {
  childrenOf, encodeValue, formatFloat, formatValue, hasChildren, numberToFloatBytes, typeName, valueBytes,
} from '../../debuginfo/values.ts';
import { int, uint, short, long, ulong, char, schar, uchar, bool, float, double, longDouble, ptr, arr, constOf, record, nodeType, anonType, uint64, outer, unionU, bits, color } from '../helpers/ctypes.ts';

// ---- types (RV64 LP64; plain char is unsigned) ----


const flags: Type = { kind: 'enum', name: 'fl2', size: 4, signed: false, enumerators: [{ name: 'A1', value: 1n }, { name: 'A2', value: 2n }, { name: 'A4', value: 4n }] };
const node = nodeType(); // self-referential: struct node { int v; struct node *next; }
const fnType: Type = { kind: 'function', returnType: int, params: [int, int], variadic: false };
const anon = anonType();

// ---- a fake guest memory ----

const BASE = 0x80200000n;

class Memory {
  bytes = new Uint8Array(0x4000);
  symbols: Array<{ name: string; address: bigint; size: number }> = [];
  read = (address: bigint, size: number): Uint8Array | undefined => {
    const off = Number(address - BASE);
    if (address < BASE || off + size > this.bytes.length) return undefined;
    return this.bytes.slice(off, off + size);
  };
  put(address: bigint, data: ArrayLike<number>): void {
    this.bytes.set(data, Number(address - BASE));
  }
  symbol(name: string, address: bigint, size: number): void {
    this.symbols.push({ name, address, size });
  }
  symbolAt = (address: bigint): string | undefined => {
    const s = this.symbols.find((x) => address >= x.address && address < x.address + BigInt(Math.max(1, x.size)));
    if (!s) return undefined;
    return address === s.address ? s.name : `${s.name}+${address - s.address}`;
  };
}

const le = (n: bigint, size: number): number[] => Array.from({ length: size }, (_, i) => Number((BigInt.asUintN(size * 8, n) >> BigInt(8 * i)) & 0xffn));
const f64 = (x: number): number[] => Array.from(numberToFloatBytes(x, 8));
const f32 = (x: number): number[] => Array.from(numberToFloatBytes(x, 4));
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

function show(type: Type, data: ArrayLike<number>, mem = new Memory(), opts = {}): string {
  return formatValue({ type, bytes: Uint8Array.from(data) }, { readMemory: mem.read, symbolAt: mem.symbolAt }, opts);
}

test('integers, characters and bools print as GDB does', () => {
  assert.equal(show(int, le(-5n, 4)), '-5');
  assert.equal(show(uint, le(4000000000n, 4)), '4000000000');
  assert.equal(show(long, le(-1234567890123n, 8)), '-1234567890123');
  assert.equal(show(ulong, le(-1n, 8)), '18446744073709551615');
  assert.equal(show(uint64, le(42n, 8)), '42');
  assert.equal(show(short, le(-3n, 2)), '-3');
  const chars: Array<[Type, number, string]> = [
    [char, 65, "65 'A'"], [char, 10, "10 '\\n'"], [schar, 200, "-56 '\\310'"], [uchar, 200, "200 '\\310'"],
    [char, 39, "39 '\\''"], [char, 92, "92 '\\\\'"], [char, 34, `34 '"'`], [char, 27, "27 '\\033'"],
    [char, 127, "127 '\\177'"], [char, 0, "0 '\\000'"], [char, 9, "9 '\\t'"],
  ];
  for (const [t, byte, want] of chars) assert.equal(show(t, [byte]), want);
  assert.equal(show(bool, [1]), 'true');
  assert.equal(show(bool, [0]), 'false');
  assert.equal(show(bool, [2]), '2');
  assert.equal(show(constOf(int), le(7n, 4)), '7');
});

test('floating values use %g layout with the shortest round-trip digits', () => {
  const doubles: Array<[number, string]> = [
    [1.1, '1.1'], [1e21, '1e+21'], [1e-7, '1e-07'], [100, '100'], [-0, '-0'], [0, '0'], [1e16, '10000000000000000'],
    [1.5e-5, '1.5e-05'], [0.0001, '0.0001'], [123456789012345678, '1.2345678901234568e+17'], [5e-324, '5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'], [-2.5, '-2.5'], [Infinity, 'inf'], [-Infinity, '-inf'], [0.1 + 0.2, '0.30000000000000004'],
  ];
  for (const [x, want] of doubles) assert.equal(show(double, f64(x)), want, String(x));
  assert.equal(show(double, le(0x7ff8000000000000n, 8)), 'nan(0x8000000000000)');
  assert.equal(show(double, le(0xfff8000000000000n, 8)), '-nan(0x8000000000000)');
  const floats: Array<[number, string]> = [[1.1, '1.1'], [3, '3'], [1e10, '1e+10'], [16777216, '16777216'], [0.1, '0.1'], [2 * 2 ** -149, '3e-45']];
  for (const [x, want] of floats) assert.equal(show(float, f32(x)), want, String(x));
  assert.equal(show(float, le(0x7fc00000n, 4)), 'nan(0x400000)');
  // binary128 long double: 1.5, 0.1L (0x3ffb999...9a) and 2^16383.
  assert.equal(show(longDouble, numberToFloatBytes(1.5, 16)), '1.5');
  assert.equal(show(longDouble, le(0x3ffb999999999999999999999999999an, 16)), '0.1');
  assert.equal(show(longDouble, le(0x7ffen << 112n, 16)), '5.948657476786158825428796633140036e+4931');
});

test('shortest digits agree with JavaScript for random doubles and floats', () => {
  let seed = 12345;
  const random32 = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed; };
  for (let i = 0; i < 3000; i++) {
    const bits = (BigInt(random32()) << 32n) | BigInt(random32());
    const bytes = Uint8Array.from(le(bits, 8));
    const x = new DataView(bytes.buffer).getFloat64(0, true);
    if (!Number.isFinite(x) || x === 0) continue;
    const [mantissa, exponent] = x.toExponential().split('e');
    const digits = mantissa.replace(/[-.]/g, '');
    const e = Number(exponent);
    const want = e < -4 || e >= 17
      ? `${x < 0 ? '-' : ''}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
      : String(x);
    assert.equal(formatFloat(bytes, 8), want, `bits ${bits.toString(16)}`);
  }
  for (let i = 0; i < 3000; i++) {
    const bytes = Uint8Array.from(le(BigInt(random32()), 4));
    const x = new DataView(bytes.buffer).getFloat32(0, true);
    if (!Number.isFinite(x)) continue;
    const text = formatFloat(bytes, 4);
    assert.equal(Math.fround(Number(text)), x, text);
    // No shorter precision would round-trip.
    const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
    if (digits > 1) assert.notEqual(Math.fround(Number(x.toPrecision(digits - 1))), x, text);
  }
});

test('structs, unions, bit-fields and anonymous members', () => {
  const mem = new Memory();
  const goBytes = [...le(1n, 4), ...le(2n, 4), ...le(3n, 2), 0, 0, 122, 0, 0, 0];
  assert.equal(show(outer, goBytes), "{a = 1, b = {x = 2, y = 3}, c = 122 'z'}");
  assert.equal(show(outer, goBytes, mem, { hex: true }), '{a = 0x1, b = {x = 0x2, y = 0x3}, c = 0x7a}');
  assert.equal(show(unionU, le(0x3f800000n, 4)), '{i = 1065353216, f = 1, b = "\\000\\000\\200?"}');
  assert.equal(show(unionU, le(0x3f800000n, 4), mem, { hex: true }), '{i = 0x3f800000, f = 0x3f800000, b = {0x0, 0x0, 0x80, 0x3f}}');
  // struct bits { unsigned a:3; int b:5; unsigned c:1; unsigned long d:40; } = { 5, -3, 1, 0x123456789a }
  const packed = 5n | (BigInt.asUintN(5, -3n) << 3n) | (1n << 8n) | (0x123456789an << 9n);
  assert.equal(show(bits, le(packed, 16)), '{a = 5, b = -3, c = 1, d = 78187493530}');
  assert.equal(show(bits, le(packed, 16), mem, { hex: true }), '{a = 0x5, b = 0xfffffffd, c = 0x1, d = 0x123456789a}');
  const anonBytes = [...le(1n, 4), ...le(2n, 4), 114, 115, 0, 0];
  assert.equal(show(anon, anonBytes), "{k = 1, {p = 2, q = 3e-45}, {r = 114 'r', s = 115 's'}}");
  assert.equal(show(record('struct', 'empty', []), []), '{<No data fields>}');
  assert.equal(show({ kind: 'struct', name: 'opaque', size: 0, members: [], declaration: true }, []), '<incomplete type>');
});

test('arrays: repeats, the 200-element limit and nesting', () => {
  const ints = (values: number[]): number[] => values.flatMap((v) => le(BigInt(v), 4));
  assert.equal(show(arr(int, 3), ints([1, 2, 3])), '{1, 2, 3}');
  assert.equal(show(arr(int, 16), ints(Array(16).fill(0))), '{0 <repeats 16 times>}');
  assert.equal(show(arr(int, 20), ints([1, 2, ...Array(18).fill(0)])), '{1, 2, 0 <repeats 18 times>}');
  assert.equal(show(arr(int, 11), ints(Array(11).fill(7))), '{7 <repeats 11 times>}');
  assert.equal(show(arr(int, 10), ints(Array(10).fill(7))), '{7, 7, 7, 7, 7, 7, 7, 7, 7, 7}');
  assert.equal(show(arr(int, 300), ints(Array(300).fill(0))), '{0 <repeats 300 times>}');
  const seq = Array.from({ length: 250 }, (_, i) => (i <= 202 ? i : 0));
  assert.equal(show(arr(int, 250), ints(seq)), `{${Array.from({ length: 200 }, (_, i) => i).join(', ')}...}`);
  const mix = Array.from({ length: 300 }, (_, i) => Math.floor(i / 20));
  assert.equal(show(arr(int, 300), ints(mix)), `{${Array.from({ length: 15 }, (_, i) => `${i} <repeats 20 times>`).join(', ')}}`);
  const mix2 = Array.from({ length: 260 }, (_, i) => (i < 195 || i > 210 ? 7 : i));
  assert.equal(show(arr(int, 260), ints(mix2)), `{7 <repeats 195 times>, ${Array.from({ length: 16 }, (_, i) => 195 + i).join(', ')}, 7 <repeats 49 times>}`);
  const mix3 = Array.from({ length: 260 }, (_, i) => (i < 195 ? i : 7));
  assert.equal(show(arr(int, 260), ints(mix3)), `{${Array.from({ length: 195 }, (_, i) => i).join(', ')}, 7 <repeats 65 times>}`);
  assert.equal(show(arr(arr(int, 3), 2), ints([1, 2, 3, 4, 5, 6])), '{{1, 2, 3}, {4, 5, 6}}');
  assert.equal(show(arr(bool, 3), [1, 0, 1]), '{true, false, true}');
  assert.equal(show(arr(double, 2), [...f64(1.5), ...f64(-2)]), '{1.5, -2}');
  // struct st { int a; char n[4]; int z[2]; } sts[30] = {{1, "ab", {1, 2}}};
  const st = record('struct', 'st', [['a', int], ['n', arr(char, 4)], ['z', arr(int, 2)]]);
  const sts = [...ints([1]), 97, 98, 0, 0, ...ints([1, 2]), ...Array(16 * 29).fill(0)];
  assert.equal(show(arr(st, 30), sts), '{{a = 1, n = "ab\\000", z = {1, 2}}, {a = 0, n = "\\000\\000\\000", z = {0, 0}} <repeats 29 times>}');
  assert.equal(show(arr(int, 0), []), '{}');
});

test('character arrays print as strings with GDB\'s runs, NUL and length rules', () => {
  const chars = (n: number, content: number[]): number[] => [...content, ...Array(n - content.length).fill(0)];
  const cases: Array<[number, number[], string]> = [
    [16, ascii('hello'), '"hello\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000"'],
    [5, ascii('abcde'), '"abcde"'],
    [32, ascii('aaaaaaaaaaaaaaaaaaaaab\tc"'), `'a' <repeats 21 times>, "b\\tc\\"\\000\\000\\000\\000\\000\\000"`],
    [300, [...Array(250).fill(97), 98], "'a' <repeats 250 times>..."],
    [300, [...Array(150).fill(120), ...Array(100).fill(121)], "'x' <repeats 150 times>, 'y' <repeats 100 times>..."],
    [300, Array(300).fill(97), "'a' <repeats 300 times>"],
    [30, [...Array(5).fill(97), ...Array(11).fill(98), ...Array(10).fill(99)], `"aaaaa", 'b' <repeats 11 times>, "cccccccccc\\000\\000\\000"`],
    [12, Array(12).fill(97), "'a' <repeats 12 times>"],
    [12, Array(11).fill(97), "'a' <repeats 11 times>"],
    [5, [97, 0, 98], '"a\\000b\\000"'],
    [3, [], '"\\000\\000"'],
    [1, [], '""'],
    [22, Array(10).fill(97), `"aaaaaaaaaa", '\\000' <repeats 11 times>`],
    [16, [1, 2], `"\\001\\002", '\\000' <repeats 13 times>`],
    [300, [], "'\\000' <repeats 299 times>"],
  ];
  for (const [n, content, want] of cases) assert.equal(show(arr(char, n), chars(n, content)), want);
  const abc = Array.from({ length: 190 }, (_, i) => 97 + (i % 3));
  assert.equal(show(arr(char, 400), chars(400, [...abc, ...Array(20).fill(120), ...Array(5).fill(122)])), `"${String.fromCharCode(...abc)}", 'x' <repeats 20 times>...`);
  assert.equal(show(arr(uchar, 4), [104, 105, 0, 0]), '"hi\\000"');
  assert.equal(show(arr(schar, 3), [255, 65, 0]), '"\\377A"');
  assert.equal(show(arr(char, 4), [104, 105, 0, 0], new Memory(), { hex: true }), '{0x68, 0x69, 0x0, 0x0}');
});

test('pointers: symbols, strings, unreadable memory and the top-level type prefix', () => {
  const mem = new Memory();
  const env = { readMemory: mem.read, symbolAt: mem.symbolAt };
  mem.put(BASE + 0x80n, [...ascii('world'), 0]);
  mem.put(BASE + 0x1000n, [...Array(250).fill(97), 98, 0]);
  mem.symbol('s1', BASE + 0x1000n, 300);
  mem.put(BASE + 0x1200n, [...Array.from({ length: 190 }, (_, i) => 97 + (i % 3)), ...Array(20).fill(120)]);
  mem.symbol('s5', BASE + 0x1200n, 400);
  mem.put(BASE + 0x3ffcn, ascii('abcd')); // runs into the end of readable memory
  mem.symbol('add', BASE, 42);
  mem.symbol('garr', BASE + 0x30a0n, 12);
  const cp = constOf(char);
  const p = (type: Type, address: bigint, opts = {}): string => formatValue({ type, bytes: Uint8Array.from(le(address, 8)) }, env, opts);
  assert.equal(p(ptr(cp), BASE + 0x80n), '0x80200080 "world"');
  assert.equal(p(ptr(cp), BASE + 0x80n, { pointerTypePrefix: true }), '0x80200080 "world"');
  assert.equal(p(ptr(char), 0n), '0x0');
  assert.equal(p(ptr(char), 0x1234n), '0x1234 <error: Cannot access memory at address 0x1234>');
  assert.equal(p(ptr(char), BASE + 0x1000n), "0x80201000 <s1> 'a' <repeats 200 times>...");
  assert.equal(p(ptr(char), BASE + 0x1005n), "0x80201005 <s1+5> 'a' <repeats 200 times>...");
  assert.equal(p(ptr(char), BASE + 0x1200n), `0x80201200 <s5> "${String.fromCharCode(...Array.from({ length: 190 }, (_, i) => 97 + (i % 3)))}xxxxxxxxxx"...`);
  assert.equal(p(ptr(char), BASE + 0x3ffcn), '0x80203ffc "abcd"<error: Cannot access memory at address 0x80204000>');
  assert.equal(p(ptr(char), BASE + 0x80n, { hex: true }), '0x80200080');
  assert.equal(p(ptr(uchar), BASE + 0x80n, { pointerTypePrefix: true }), '(unsigned char *) 0x80200080 "world"');
  assert.equal(p(ptr(int), BASE + 0x30a4n, { pointerTypePrefix: true }), '(int *) 0x802030a4 <garr+4>');
  assert.equal(p(ptr(int), BASE + 0x30a4n), '0x802030a4 <garr+4>');
  assert.equal(p(ptr({ kind: 'void' }), BASE + 0x30a0n, { pointerTypePrefix: true }), '(void *) 0x802030a0 <garr>');
  assert.equal(p(ptr(arr(int, 3)), BASE + 0x30a0n, { pointerTypePrefix: true }), '(int (*)[3]) 0x802030a0 <garr>');
  assert.equal(p(ptr(fnType), BASE, { pointerTypePrefix: true }), '(int (*)(int, int)) 0x80200000 <add>');
  assert.equal(p(ptr(record('struct', 'flex', [['n', int]])), 0n, { pointerTypePrefix: true }), '(struct flex *) 0x0');
  assert.equal(formatValue({ type: fnType, address: BASE }, env), '{int (int, int)} 0x80200000 <add>');
  // A struct holding pointers: no prefixes inside.
  const n1: Value = { type: node, bytes: Uint8Array.from([...le(1n, 4), 0, 0, 0, 0, ...le(BASE + 0x1518n, 8)]) };
  mem.symbol('n2', BASE + 0x1518n, 16);
  assert.equal(formatValue(n1, env, { pointerTypePrefix: true }), '{v = 1, next = 0x80201518 <n2>}');
  const strs = [...le(BASE + 0x80n, 8), ...le(0n, 8), ...le(0x10n, 8)];
  assert.equal(show(arr(ptr(char), 3), strs, mem), '{0x80200080 "world", 0x0, 0x10 <error: Cannot access memory at address 0x10>}');
  // Flexible array members (unknown bound) show their address.
  const flex = record('struct', 'flex', [['n', int], ['data', arr(int)]]);
  mem.symbol('fx', BASE + 0x3190n, 12);
  assert.equal(formatValue({ type: flex, address: BASE + 0x3190n }, env), '{n = 0, data = 0x80203194 <fx+4>}');
});

test('enums by name, flag combinations, or number', () => {
  const e = (type: Type, n: bigint, opts = {}): string => show(type, le(n, 4), new Memory(), opts);
  assert.equal(e(color, 5n), 'BLUE');
  assert.equal(e(color, 7n), '7');
  assert.equal(e(color, 5n, { hex: true }), '0x5');
  assert.equal(e(flags, 5n), '(A1 | A4)');
  assert.equal(e(flags, 9n), '(A1 | unknown: 0x8)');
  assert.equal(e(flags, 0n), '0');
  assert.equal(e(flags, 16n), '(unknown: 0x10)');
  const withZero: Type = { kind: 'enum', size: 4, signed: false, enumerators: [{ name: 'C1', value: 1n }, { name: 'C2', value: 2n }, { name: 'C0', value: 0n }] };
  assert.equal(e(withZero, 3n), '(C1 | C2)');
  assert.equal(e(withZero, 0n), 'C0');
  const multiBit: Type = { kind: 'enum', size: 4, signed: false, enumerators: [{ name: 'D1', value: 1n }, { name: 'D6', value: 6n }] };
  assert.equal(e(multiBit, 7n), '7');
  const dup: Type = { kind: 'enum', size: 4, signed: false, enumerators: [{ name: 'E1', value: 1n }, { name: 'E2', value: 2n }, { name: 'E1b', value: 1n }] };
  assert.equal(e(dup, 3n), '(E1 | E2)');
  const negative: Type = { kind: 'enum', size: 4, signed: true, enumerators: [{ name: 'G1', value: 1n }, { name: 'GN', value: -1n }] };
  assert.equal(e(negative, 0xffffffffn), 'GN');
  assert.equal(e(negative, 3n), '3');
});

test('unavailable values, depth and output bounds', () => {
  const mem = new Memory();
  const env = { readMemory: mem.read, symbolAt: mem.symbolAt };
  assert.equal(formatValue({ type: int }, env), '<optimized out>');
  assert.equal(formatValue({ type: outer, address: 0x10n }, env), '<error: Cannot access memory at address 0x10>');
  assert.equal(formatValue({ type: arr(int, 4), address: 0x10n }, env), '<error: Cannot access memory at address 0x10>');
  assert.equal(formatValue({ type: int, register: 'a0', bytes: Uint8Array.from(le(-1n, 8)) }, env), '-1');
  // 25 nested structs: GDB's max-depth of 20 replaces the deepest with {...}.
  let deep: Type = record('struct', 'leaf', [['v', int]]);
  for (let i = 0; i < 25; i++) deep = record('struct', `l${i}`, [['m', deep]]);
  assert.equal(show(deep, le(0n, 4)), `${'{m = '.repeat(20)}{...}${'}'.repeat(20)}`);
  // A huge nested array stops at the output bound instead of printing millions of elements.
  const pattern = (address: bigint, size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (Number(address) + i) & 0xff);
  const start = Date.now();
  const text = formatValue({ type: arr(arr(arr(int, 200), 200), 200), address: 0n }, { readMemory: pattern });
  assert.ok(text.length <= 100_003 && text.endsWith('...'), `length ${text.length}`);
  assert.ok(Date.now() - start < 2000);
  // A malformed cycle of typedefs resolves to void; an absurd array is read only in part.
  const loop: { kind: 'typedef'; name: string; target: Type } = { kind: 'typedef', name: 'loop', target: int };
  loop.target = loop;
  assert.equal(formatValue({ type: loop, address: BASE }, env), 'void');
  assert.equal(formatValue({ type: arr(char, 2 ** 31), address: BASE }, env), '<error: Cannot access memory at address 0x80200000>');
  mem.bytes = new Uint8Array(1 << 21);
  assert.equal(formatValue({ type: arr(char, 2 ** 31), address: BASE }, env), `'\\000' <repeats ${1 << 20} times>...`);
});

test('children: members, anonymous members inlined, array ranges, pointees', () => {
  const mem = new Memory();
  mem.put(BASE, [...le(1n, 4), ...le(2n, 4), ...le(3n, 2), 0, 0, 122, 0, 0, 0]);
  const go: Value = { type: outer, address: BASE };
  const kids = childrenOf(go, mem.read);
  assert.deepEqual(kids.map((c) => c.name), ['a', 'b', 'c']);
  assert.equal(kids[1].value.address, BASE + 4n);
  assert.equal(formatValue(kids[1].value, { readMemory: mem.read }), '{x = 2, y = 3}');
  assert.deepEqual(childrenOf(kids[1].value, mem.read).map((c) => [c.name, formatValue(c.value, { readMemory: mem.read })]), [['x', '2'], ['y', '3']]);
  assert.ok(hasChildren(go) && !hasChildren(kids[0].value));
  // Children are lazy: no memory is read to list them.
  let reads = 0;
  const counting = (a: bigint, n: number): Uint8Array | undefined => { reads++; return mem.read(a, n); };
  childrenOf({ type: arr(outer, 1000), address: BASE }, counting);
  childrenOf(go, counting);
  assert.equal(reads, 0);
  assert.deepEqual(childrenOf({ type: anon, bytes: new Uint8Array(12) }, mem.read).map((c) => c.name), ['k', 'p', 'q', 'r', 's']);
  // Arrays: elements, or ranges of 100 (then 10000) whose children keep their indices.
  const small = childrenOf({ type: arr(int, 3), address: BASE }, mem.read);
  assert.deepEqual(small.map((c) => [c.name, c.value.address]), [['[0]', BASE], ['[1]', BASE + 4n], ['[2]', BASE + 8n]]);
  const big = childrenOf({ type: arr(int, 250), address: BASE }, mem.read);
  assert.deepEqual(big.map((c) => c.name), ['[0..99]', '[100..199]', '[200..249]']);
  const third = childrenOf(big[2].value, mem.read);
  assert.equal(third.length, 50);
  assert.deepEqual([third[0].name, third[0].value.address], ['[200]', BASE + 800n]);
  const huge = childrenOf({ type: arr(int, 25000), address: BASE }, mem.read);
  assert.deepEqual(huge.map((c) => c.name), ['[0..9999]', '[10000..19999]', '[20000..24999]']);
  const nested = childrenOf(huge[1].value, mem.read);
  assert.deepEqual([nested.length, nested[0].name, nested[99].name], [100, '[10000..10099]', '[19900..19999]']);
  assert.deepEqual(childrenOf(nested[0].value, mem.read).slice(0, 2).map((c) => c.name), ['[10000]', '[10001]']);
  const paged = childrenOf({ type: arr(int, 250), address: BASE }, mem.read, { start: 120, count: 3 });
  assert.deepEqual(paged.map((c) => c.name), ['[120]', '[121]', '[122]']);
  assert.deepEqual(childrenOf({ type: arr(int), address: BASE }, mem.read), []);
  // Pointers: one child, the pointee (not for void * or function pointers).
  mem.put(BASE + 0x100n, le(BASE, 8));
  const p: Value = { type: ptr(outer), address: BASE + 0x100n };
  const pointee = childrenOf(p, mem.read, { name: 'gop' });
  assert.deepEqual(pointee.map((c) => [c.name, c.value.address]), [['*gop', BASE]]);
  assert.equal(formatValue(pointee[0].value, { readMemory: mem.read }), "{a = 1, b = {x = 2, y = 3}, c = 122 'z'}");
  assert.ok(hasChildren(p) && hasChildren({ type: ptr(int) }) && hasChildren({ type: ptr(ptr(char)) }));
  assert.ok(!hasChildren({ type: ptr({ kind: 'void' }) }) && !hasChildren({ type: ptr(fnType) }));
  assert.deepEqual(childrenOf({ type: ptr({ kind: 'void' }), address: BASE + 0x100n }, mem.read), []);
  assert.deepEqual(childrenOf({ type: ptr(int), address: 0x10n }, mem.read), []);
  // Bit-field children carry their bits.
  const bitKids = childrenOf({ type: bits, bytes: Uint8Array.from(le(5n | (BigInt.asUintN(5, -3n) << 3n), 16)) }, mem.read);
  assert.deepEqual(bitKids.slice(0, 2).map((c) => [c.name, c.value.bitSize, c.value.bitOffset, formatValue(c.value, { readMemory: mem.read })]), [['a', 3, 0, '5'], ['b', 5, 3, '-3']]);
  // The self-referential list node: children of *next are again nodes.
  mem.put(BASE + 0x200n, [...le(1n, 4), 0, 0, 0, 0, ...le(BASE + 0x200n, 8)]);
  const list = childrenOf({ type: node, address: BASE + 0x200n }, mem.read);
  const again = childrenOf(list[1].value, mem.read, { name: 'next' });
  assert.deepEqual(childrenOf(again[0].value, mem.read).map((c) => c.name), ['v', 'next']);
});

test('C spellings of types', () => {
  const cases: Array<[Type, string]> = [
    [ptr(outer), 'struct outer *'],
    [ptr(constOf(char)), 'const char *'],
    [constOf(ptr(char)), 'char * const'],
    [ptr(constOf(ptr(char))), 'char * const *'],
    [arr(int, 16), 'int [16]'],
    [arr(arr(int, 3), 2), 'int [2][3]'],
    [ptr(arr(arr(int, 3), 2)), 'int (*)[2][3]'],
    [arr(ptr(char), 2), 'char *[2]'],
    [ptr({ kind: 'function', returnType: { kind: 'void' }, params: [int], variadic: false }), 'void (*)(int)'],
    [ptr({ kind: 'function', returnType: { kind: 'void' }, params: [], variadic: false }), 'void (*)(void)'],
    [fnType, 'int (int, int)'],
    [{ kind: 'function', returnType: int, params: [ptr(constOf(char))], variadic: true }, 'int (const char *, ...)'],
    [ptr(ptr({ kind: 'function', returnType: ptr(int), params: [], variadic: false })), 'int *(**)(void)'],
    [{ kind: 'qualified', qualifier: 'const', target: { kind: 'qualified', qualifier: 'volatile', target: int } }, 'const volatile int'],
    [uint64, 'uint64_t'],
    [ptr(unionU), 'union u *'],
    [color, 'enum color'],
    [record('struct', undefined, []), 'struct {...}'],
    [ptr(ptr({ kind: 'void' })), 'void **'],
    [arr(int), 'int []'],
  ];
  for (const [t, want] of cases) assert.equal(typeName(t), want);
  const cyclic: { kind: 'pointer'; size: number; target: Type } = { kind: 'pointer', size: 8, target: int };
  cyclic.target = cyclic;
  assert.match(typeName(cyclic), /^\.\.\. \*+$/);
});

test('encoding user input into a type\'s bytes', () => {
  assert.deepEqual(encodeValue(int, -1), Uint8Array.from([255, 255, 255, 255]));
  assert.deepEqual(encodeValue(int, '0x100000005'), Uint8Array.from([5, 0, 0, 0]));
  assert.deepEqual(encodeValue(uchar, 300n), Uint8Array.from([44]));
  assert.deepEqual(encodeValue(char, "'A'"), Uint8Array.from([65]));
  assert.deepEqual(encodeValue(char, "'\\n'"), Uint8Array.from([10]));
  assert.deepEqual(encodeValue(short, '-2'), Uint8Array.from([0xfe, 0xff]));
  assert.deepEqual(encodeValue(int, '010'), Uint8Array.from([8, 0, 0, 0]));
  assert.deepEqual(encodeValue(int, '0b101'), Uint8Array.from([5, 0, 0, 0]));
  assert.deepEqual(encodeValue(int, '7ul'), Uint8Array.from([7, 0, 0, 0]));
  assert.deepEqual(encodeValue(int, 3.9), Uint8Array.from([3, 0, 0, 0]));
  assert.deepEqual(encodeValue(int, '-3.9'), Uint8Array.from([253, 255, 255, 255]));
  assert.deepEqual(encodeValue(bool, 'true'), Uint8Array.from([1]));
  assert.deepEqual(encodeValue(bool, 5), Uint8Array.from([1]));
  assert.deepEqual(encodeValue(color, 'BLUE'), Uint8Array.from([5, 0, 0, 0]));
  assert.deepEqual(encodeValue(color, 1), Uint8Array.from([1, 0, 0, 0]));
  assert.deepEqual(encodeValue(ptr(outer), '0x80201000'), Uint8Array.from(le(0x80201000n, 8)));
  assert.deepEqual(encodeValue(uint64, -1n), Uint8Array.from(le(-1n, 8)));
  assert.deepEqual(encodeValue(double, '1.5'), Uint8Array.from(f64(1.5)));
  assert.deepEqual(encodeValue(double, '-inf'), Uint8Array.from(f64(-Infinity)));
  assert.deepEqual(encodeValue(float, '0.1f'), Uint8Array.from(f32(0.1)));
  assert.deepEqual(encodeValue(float, 2n), Uint8Array.from(f32(2)));
  assert.equal(formatFloat(encodeValue(longDouble, 0.1), 16), '0.1000000000000000055511151231257827');
  assert.equal(formatFloat(encodeValue(longDouble, 5e-324), 16), '4.940656458412465441765687928682214e-324');
  assert.throws(() => encodeValue(int, 'BLUE'), /Invalid value "BLUE" for type int/);
  assert.throws(() => encodeValue(int, NaN), /Cannot convert NaN to int/);
  assert.throws(() => encodeValue(double, 'x1'), /Invalid value/);
  assert.throws(() => encodeValue(outer, 1), /Cannot assign a value to type struct outer/);
  assert.throws(() => encodeValue(int, "'ab'"), /Invalid value/);
});

test('valueBytes reads from bytes or memory', () => {
  const mem = new Memory();
  mem.put(BASE, [1, 2, 3, 4]);
  assert.deepEqual(valueBytes({ type: int, address: BASE }, mem.read), Uint8Array.from([1, 2, 3, 4]));
  assert.deepEqual(valueBytes({ type: int, bytes: Uint8Array.from([9, 9, 9, 9]) }, mem.read), Uint8Array.from([9, 9, 9, 9]));
  assert.equal(valueBytes({ type: int, address: 0n }, mem.read), undefined);
  assert.equal(valueBytes({ type: int }, mem.read), undefined);
  assert.deepEqual(valueBytes({ type: uint, address: BASE + 1n, bitSize: 3, bitOffset: 6 }, mem.read), Uint8Array.from([2, 3]));
});

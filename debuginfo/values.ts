// Value display in GDB's style (formatValue), the expandable children of a value (childrenOf), the C
// spelling of a type (typeName) and encoding user input into a type's bytes (encodeValue). Values are
// read lazily through ReadMemory; every walk over guest data or the type graph is bounded.

import { resolveType, sizeOfType, type Enumerator, type Member, type ReadMemory, type Type, type Value } from './types.ts';

/** GDB's defaults: `print elements`, `print repeats` and `print max-depth`. */
export const PRINT_ELEMENTS = 200;
export const REPEAT_THRESHOLD = 10;
export const MAX_DEPTH = 20;
/** The largest value read in one piece; a bigger array is shown in part. */
export const MAX_VALUE_BYTES = 1 << 20;
/** A formatted value stops (with "...") past this many characters. */
const MAX_OUTPUT_CHARS = 100_000;
/** Array children are grouped in ranges of this many (then 100 times as many, ...). */
const CHILD_GROUP = 100;
/** Anonymous struct/union members are searched (and inlined) this deep. */
const MAX_ANONYMOUS_NESTING = 16;
/** Type spellings stop at this depth (a malformed cycle of pointers to pointers). */
const MAX_TYPE_NAME_DEPTH = 32;
const PAGE = 4096n;
const MASK64 = (1n << 64n) - 1n;

export interface FormatEnv {
  readMemory: ReadMemory;
  symbolAt?: (addr: bigint) => string | undefined;
}

export interface FormatOptions {
  /** GDB's print/x: integers, chars, enums and pointers in hex, floats as their raw bits. */
  hex?: boolean;
  /** GDB's top-level `(struct task *) 0x...` prefix on pointers (not on `char *`). */
  pointerTypePrefix?: boolean;
}

// ---- small helpers shared with expr.ts ----

export function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

export function memoryError(address: bigint): Error {
  return new Error(`Cannot access memory at address ${hex(address & MASK64)}`);
}

/** Adds a byte offset to an address, wrapping at 64 bits as the hardware does. */
export function offsetAddress(address: bigint, offset: number | bigint): bigint {
  return (address + BigInt(offset)) & MASK64;
}

export function bytesToBigint(bytes: Uint8Array, signed: boolean): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return signed && bytes.length > 0 ? BigInt.asIntN(bytes.length * 8, n) : n;
}

export function bigintToBytes(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let u = BigInt.asUintN(size * 8, n);
  for (let i = 0; i < size; i++) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

/** A one-byte character type (char, signed char, unsigned char and their typedefs). */
export function isCharType(t: Type): boolean {
  const r = resolveType(t);
  return r.kind === 'base' && r.size === 1 && (r.encoding === 'signed_char' || r.encoding === 'unsigned_char');
}

export function isFloatType(t: Type): boolean {
  const r = resolveType(t);
  return r.kind === 'base' && r.encoding === 'float';
}

/** Integer-like scalars: integer and character base types, bool, enums. */
export function isIntegerType(t: Type): boolean {
  const r = resolveType(t);
  return (r.kind === 'base' && r.encoding !== 'float') || r.kind === 'enum';
}

export function isSignedType(t: Type): boolean {
  const r = resolveType(t);
  if (r.kind === 'enum') return r.signed;
  return r.kind === 'base' && (r.encoding === 'signed' || r.encoding === 'signed_char');
}

/** Bytes a value occupies: its type's size, or for a bit-field the bytes covering its bits. */
export function valueSize(v: Value): number {
  if (v.bitSize !== undefined) return Math.ceil(((v.bitOffset ?? 0) + v.bitSize) / 8);
  return sizeOfType(v.type);
}

/** Why a value's bytes are not available, as GDB shows it. */
export function unavailableReason(v: Value): string {
  if (v.bytes) return '<unavailable>';
  if (v.address === undefined) return '<optimized out>';
  return `<error: ${memoryError(v.address).message}>`;
}

/** Reads the value's bytes (from bytes or memory); undefined when unreadable. */
export function valueBytes(v: Value, readMemory: ReadMemory): Uint8Array | undefined {
  const size = valueSize(v);
  if (v.bytes) return v.bytes.length >= size ? v.bytes : undefined;
  if (v.address === undefined || size > MAX_VALUE_BYTES) return undefined;
  if (size === 0) return new Uint8Array(0);
  const bytes = readMemory(v.address, size);
  return bytes && bytes.length >= size ? bytes : undefined;
}

/** The integer held by an integer-like, enum or pointer value (bit-fields extracted and sign-extended). */
export function integerOf(v: Value, bytes: Uint8Array): bigint {
  const signed = isSignedType(v.type);
  if (v.bitSize === undefined) return bytesToBigint(bytes.subarray(0, sizeOfType(v.type)), signed);
  const raw = bytesToBigint(bytes.subarray(0, valueSize(v)), false) >> BigInt(v.bitOffset ?? 0);
  const bits = BigInt.asUintN(v.bitSize, raw);
  return signed ? BigInt.asIntN(v.bitSize, bits) : bits;
}

/** Finds a member by name, looking through anonymous struct/union members; the offset is from `t`'s start. */
export function findMember(t: Type, name: string): { member: Member; offset: number } | undefined {
  const search = (st: Type, base: number, depth: number): { member: Member; offset: number } | undefined => {
    const r = resolveType(st);
    if ((r.kind !== 'struct' && r.kind !== 'union') || depth > MAX_ANONYMOUS_NESTING) return undefined;
    for (const m of r.members) {
      if (m.name === name) return { member: m, offset: base + m.offset };
      if (m.name === undefined) {
        const found = search(m.type, base + m.offset, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(t, 0, 0);
}

/** A member of a struct/union value at `offset` bytes (its own offset already included). */
export function memberValue(v: Value, member: Member, offset: number = member.offset): Value {
  const child: Value = { type: member.type };
  if (member.bitSize !== undefined) {
    child.bitSize = member.bitSize;
    child.bitOffset = member.bitOffset ?? 0;
  }
  return placeChild(v, child, offset);
}

/** Element `index` of an array value (the index may lie outside the bound, as C allows). */
export function elementValue(v: Value, element: Type, index: number): Value {
  return placeChild(v, { type: element }, index * sizeOfType(element));
}

function placeChild(parent: Value, child: Value, offset: number): Value {
  if (parent.address !== undefined) child.address = offsetAddress(parent.address, offset);
  const size = valueSize(child);
  if (parent.bytes && offset >= 0 && offset + size <= parent.bytes.length) {
    child.bytes = parent.bytes.subarray(offset, offset + size);
  }
  return child;
}

// ---- character and string display ----

const CHAR_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };

/** One byte inside quotes, escaped as GDB does (the quote character itself is escaped). */
function escapeChar(byte: number, quote: string): string {
  const named = CHAR_ESCAPES[byte];
  if (named) return named;
  if (byte === quote.charCodeAt(0)) return `\\${quote}`;
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\${byte.toString(8).padStart(3, '0')}`;
}

export function charLiteral(byte: number): string {
  return `'${escapeChar(byte & 0xff, "'")}'`;
}

/**
 * GDB's string display: runs longer than the repeat threshold as `'c' <repeats N times>`, the rest in
 * quoted segments; at most PRINT_ELEMENTS characters (a run is taken whole), then "...".
 */
function formatString(chars: Uint8Array, forceEllipses: boolean): string {
  if (chars.length === 0) return forceEllipses ? '""...' : '""';
  const parts: string[] = [];
  let quoted = '';
  let printed = 0;
  let pos = 0;
  while (printed < PRINT_ELEMENTS && pos < chars.length) {
    let run = 1;
    while (pos + run < chars.length && chars[pos + run] === chars[pos]) run++;
    if (run > REPEAT_THRESHOLD) {
      if (quoted) parts.push(`"${quoted}"`);
      quoted = '';
      parts.push(`${charLiteral(chars[pos])} <repeats ${run} times>`);
    } else {
      quoted += escapeChar(chars[pos], '"').repeat(run);
    }
    printed += run;
    pos += run;
  }
  if (quoted) parts.push(`"${quoted}"`);
  return parts.join(', ') + (forceEllipses || pos < chars.length ? '...' : '');
}

/** A NUL-terminated string at `address`: at most PRINT_ELEMENTS bytes, read page by page. */
function readCString(address: bigint, readMemory: ReadMemory): { chars: Uint8Array; truncated: boolean; errorAt?: bigint } {
  const chars: number[] = [];
  let a = address;
  while (chars.length < PRINT_ELEMENTS) {
    const n = Math.min(PRINT_ELEMENTS - chars.length, Number(PAGE - (a % PAGE)));
    let chunk = readMemory(a, n);
    if (!chunk || chunk.length < n) {
      // The readable part may end inside the chunk (a mapping that is not page-granular): go byte by byte.
      const one = readMemory(a, 1);
      if (!one || one.length < 1) return { chars: Uint8Array.from(chars), truncated: false, errorAt: a };
      chunk = one.subarray(0, 1);
      a = offsetAddress(a, 1);
    } else {
      a = offsetAddress(a, n);
    }
    for (const byte of chunk) {
      if (byte === 0) return { chars: Uint8Array.from(chars), truncated: false };
      chars.push(byte);
    }
  }
  return { chars: Uint8Array.from(chars), truncated: true };
}

function formatCStringAt(address: bigint, readMemory: ReadMemory): string {
  const s = readCString(address, readMemory);
  const text = s.chars.length > 0 || s.errorAt === undefined ? formatString(s.chars, s.truncated) : '';
  return s.errorAt === undefined ? text : `${text}<error: ${memoryError(s.errorAt).message}>`;
}

// ---- floating point ----

/** Exponent and fraction widths of the IEEE binary formats by byte size (long double is binary128 on RV64). */
const FLOAT_FORMATS: Record<number, { expBits: number; fracBits: number; digits: number }> = {
  2: { expBits: 5, fracBits: 10, digits: 5 },
  4: { expBits: 8, fracBits: 23, digits: 9 },
  8: { expBits: 11, fracBits: 52, digits: 17 },
  16: { expBits: 15, fracBits: 112, digits: 36 },
};

interface FloatParts {
  negative: boolean;
  kind: 'finite' | 'inf' | 'nan';
  /** Finite values are significand × 2^exponent (significand includes the implicit bit). */
  significand: bigint;
  exponent: number;
  fraction: bigint;
  biasedExponent: number;
}

function floatFormat(size: number): { expBits: number; fracBits: number; digits: number } {
  const f = FLOAT_FORMATS[size];
  if (!f) throw new Error(`Unsupported floating-point size ${size}.`);
  return f;
}

function decodeFloat(bytes: Uint8Array, size: number): FloatParts {
  const { expBits, fracBits } = floatFormat(size);
  const bits = bytesToBigint(bytes.subarray(0, size), false);
  const fraction = bits & ((1n << BigInt(fracBits)) - 1n);
  const biasedExponent = Number((bits >> BigInt(fracBits)) & ((1n << BigInt(expBits)) - 1n));
  const negative = (bits >> BigInt(size * 8 - 1)) === 1n;
  const bias = (1 << (expBits - 1)) - 1;
  if (biasedExponent === (1 << expBits) - 1) {
    return { negative, kind: fraction === 0n ? 'inf' : 'nan', significand: 0n, exponent: 0, fraction, biasedExponent };
  }
  const normal = biasedExponent !== 0;
  return {
    negative, kind: 'finite', fraction, biasedExponent,
    significand: normal ? fraction | (1n << BigInt(fracBits)) : fraction,
    exponent: (normal ? biasedExponent : 1) - bias - fracBits,
  };
}

/** Compares D × 10^k with X × 2^t exactly. */
function compareScaled(d: bigint, k: number, x: bigint, t: number): number {
  const lhs = d * 10n ** BigInt(Math.max(k, 0)) * 2n ** BigInt(Math.max(-t, 0));
  const rhs = x * 10n ** BigInt(Math.max(-k, 0)) * 2n ** BigInt(Math.max(t, 0));
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/**
 * The shortest decimal digits that read back as the same binary value (the rounding interval is half
 * an ulp each side, closed when the significand is even), found exactly with BigInt arithmetic.
 * Returns the digits (no trailing zeros) and the decimal exponent of the first digit.
 */
function shortestDigits(p: FloatParts, maxDigits: number): { digits: string; exp10: number } {
  const m = p.significand;
  const e = p.exponent;
  const exact = e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e); // value = exact × 10^min(e, 0)
  const q = Math.min(e, 0);
  const all = exact.toString();
  // Interval bounds in units of 2^(e-2): the gap below is half as wide at a power of two.
  const lowerGap = p.fraction === 0n && p.biasedExponent > 1 ? 1n : 2n;
  const lo = 4n * m - lowerGap;
  const hi = 4n * m + 2n;
  const closed = (m & 1n) === 0n;
  for (let n = 1; n <= maxDigits; n++) {
    let d: bigint;
    let k: number;
    if (all.length <= n) {
      d = exact;
      k = q;
    } else {
      d = BigInt(all.slice(0, n));
      k = q + all.length - n;
      const rest = all.slice(n);
      const half = rest[0] > '5' || (rest[0] === '5' && /[1-9]/.test(rest.slice(1)));
      const tie = rest[0] === '5' && !/[1-9]/.test(rest.slice(1));
      if (half || (tie && (d & 1n) === 1n)) d += 1n;
    }
    const cLo = compareScaled(d, k, lo, e - 2);
    const cHi = compareScaled(d, k, hi, e - 2);
    const roundTrips = (closed ? cLo >= 0 : cLo > 0) && (closed ? cHi <= 0 : cHi < 0);
    if (roundTrips || n === maxDigits) {
      const s = d.toString();
      const digits = s.replace(/0+$/, '') || '0';
      return { digits, exp10: s.length - 1 + k };
    }
  }
  throw new Error('unreachable');
}

/** `%g`-style layout of significant digits: exponent form below 1e-4 or from 10^precision. */
function layoutG(negative: boolean, digits: string, exp10: number, precision: number): string {
  const sign = negative ? '-' : '';
  if (exp10 < -4 || exp10 >= precision) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp10).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exp10 < 0 ? '-' : '+'}${e}`;
  }
  if (exp10 < 0) return `${sign}0.${'0'.repeat(-exp10 - 1)}${digits}`;
  if (digits.length <= exp10 + 1) return `${sign}${digits}${'0'.repeat(exp10 + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp10 + 1)}.${digits.slice(exp10 + 1)}`;
}

/** A float/double/long double in GDB's `%g` layout with the shortest round-trip digits. */
export function formatFloat(bytes: Uint8Array, size: number): string {
  if (!FLOAT_FORMATS[size]) return `<unsupported float size ${size}>`;
  const p = decodeFloat(bytes, size);
  const sign = p.negative ? '-' : '';
  if (p.kind === 'nan') return `${sign}nan(${hex(p.fraction)})`;
  if (p.kind === 'inf') return `${sign}inf`;
  if (p.significand === 0n) return `${sign}0`;
  const precision = floatFormat(size).digits;
  const { digits, exp10 } = shortestDigits(p, precision);
  return layoutG(p.negative, digits, exp10, precision);
}

/** A float's value as a JS number (binary128 and binary16 are rounded to double). */
export function floatToNumber(bytes: Uint8Array, size: number): number {
  if (size === 4) return new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0, true);
  if (size === 8) return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
  const p = decodeFloat(bytes, size);
  const sign = p.negative ? -1 : 1;
  if (p.kind === 'nan') return NaN;
  if (p.kind === 'inf') return sign * Infinity;
  // Keep 64 significant bits so the scaling below stays within the double range.
  let m = p.significand;
  let e = p.exponent;
  const extra = Math.max(0, m.toString(2).length - 64);
  m >>= BigInt(extra);
  e += extra;
  let x = Number(m);
  while (e > 0 && x !== Infinity) { const s = Math.min(e, 1000); x *= 2 ** s; e -= s; }
  while (e < 0 && x !== 0) { const s = Math.min(-e, 1000); x /= 2 ** s; e += s; }
  return sign * x;
}

/** A JS number in the float format of `size` bytes (binary128 exactly; binary16 unsupported). */
export function numberToFloatBytes(x: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  if (size === 4) view.setFloat32(0, x, true);
  else if (size === 8) view.setFloat64(0, x, true);
  else if (size === 16) {
    const d = new Uint8Array(8);
    new DataView(d.buffer).setFloat64(0, x, true);
    const p = decodeFloat(d, 8);
    let bits = p.negative ? 1n << 127n : 0n;
    if (p.kind !== 'finite') {
      bits |= (0x7fffn << 112n) | (p.fraction << 60n);
    } else if (p.significand !== 0n) {
      // Normalise (a double subnormal is a normal binary128) and widen the fraction.
      const top = p.significand.toString(2).length - 1;
      const exponent = p.exponent + top + 16383;
      const fraction = (p.significand << BigInt(112 - top)) & ((1n << 112n) - 1n);
      bits |= (BigInt(exponent) << 112n) | fraction;
    }
    out.set(bigintToBytes(bits, 16));
  } else {
    throw new Error(`Unsupported floating-point size ${size}.`);
  }
  return out;
}

// ---- type names ----

const QUALIFIER_WORD = { const: 'const', volatile: 'volatile', restrict: 'restrict', atomic: '_Atomic' } as const;

/** The C spelling of a type: "struct task *", "const char *", "int [16]", "void (*)(int)". */
export function typeName(t: Type): string {
  return spell(t, '', 0);
}

/** Spells `t` around the declarator text `inner` (C's inside-out declarator syntax). */
function spell(t: Type, inner: string, depth: number): string {
  const around = (base: string): string => (inner ? `${base} ${inner}` : base);
  if (depth > MAX_TYPE_NAME_DEPTH) return around('...');
  switch (t.kind) {
    case 'void': return around('void');
    case 'base': return around(t.name);
    case 'typedef': return around(t.name);
    case 'struct': case 'union': case 'enum': return around(`${t.kind} ${t.name ?? '{...}'}`);
    case 'qualified': {
      const word = QUALIFIER_WORD[t.qualifier];
      // A qualified pointer reads `char * const`; anything else puts the qualifier first.
      if (t.target.kind === 'pointer') return spell(t.target, inner ? `${word} ${inner}` : word, depth + 1);
      return `${word} ${spell(t.target, inner, depth + 1)}`;
    }
    case 'pointer': {
      const target = t.target;
      const star = inner && !inner.startsWith('*') && !inner.startsWith('(') && !inner.startsWith('[') ? `* ${inner}` : `*${inner}`;
      const needsParens = target.kind === 'array' || target.kind === 'function';
      return spell(target, needsParens ? `(${star})` : star, depth + 1);
    }
    case 'array': return spell(t.element, `${inner}[${t.count ?? ''}]`, depth + 1);
    case 'function': {
      const params = t.params.map((p) => spell(p, '', depth + 1));
      if (t.variadic) params.push('...');
      const list = params.length > 0 ? params.join(', ') : t.variadic ? '...' : 'void';
      return spell(t.returnType, `${inner}(${list})`, depth + 1);
    }
  }
}

// ---- formatting ----

class OutputFull extends Error {}

/** Collects the display text, stopping when it grows past MAX_OUTPUT_CHARS. */
class Output {
  text = '';
  add(s: string): void {
    this.text += s;
    if (this.text.length > MAX_OUTPUT_CHARS) throw new OutputFull();
  }
}

interface FormatContext {
  env: FormatEnv;
  hex: boolean;
  pointerTypePrefix: boolean;
}

/** One-line display of a value, like GDB's print. Memory that cannot be read shows as `<error: ...>`. */
export function formatValue(v: Value, env: FormatEnv, opts: FormatOptions = {}): string {
  const out = new Output();
  const ctx: FormatContext = { env, hex: opts.hex ?? false, pointerTypePrefix: opts.pointerTypePrefix ?? false };
  try {
    formatInto(out, v, ctx, 0, true);
  } catch (e) {
    if (!(e instanceof OutputFull)) throw e;
    return `${out.text.slice(0, MAX_OUTPUT_CHARS)}...`;
  }
  return out.text;
}

function symbolSuffix(address: bigint, ctx: FormatContext): string {
  const name = ctx.env.symbolAt?.(address);
  return name ? ` <${name}>` : '';
}

function formatInto(out: Output, v: Value, ctx: FormatContext, depth: number, top: boolean): void {
  const t = resolveType(v.type);
  switch (t.kind) {
    case 'void':
      out.add('void');
      return;
    case 'function':
      if (v.address === undefined) out.add(`{${typeName(v.type)}} ${unavailableReason(v)}`);
      else out.add(`{${typeName(v.type)}} ${hex(v.address)}${symbolSuffix(v.address, ctx)}`);
      return;
    case 'struct': case 'union':
      formatStruct(out, v, t, ctx, depth);
      return;
    case 'array':
      formatArray(out, v, t.element, t.count, ctx, depth);
      return;
    default: {
      const bytes = valueBytes(v, ctx.env.readMemory);
      out.add(bytes ? formatScalar(v, bytes, ctx, top) : unavailableReason(v));
    }
  }
}

function formatScalar(v: Value, bytes: Uint8Array, ctx: FormatContext, top: boolean): string {
  const t = resolveType(v.type);
  if (t.kind === 'base' && t.encoding === 'float') {
    return ctx.hex ? hex(bytesToBigint(bytes.subarray(0, t.size), false)) : formatFloat(bytes, t.size);
  }
  if (t.kind === 'pointer') return formatPointer(v, integerOf(v, bytes), ctx, top);
  const n = integerOf(v, bytes);
  if (ctx.hex) return hex(BigInt.asUintN(8 * Math.max(1, sizeOfType(v.type)), n));
  if (t.kind === 'enum') return formatEnum(n, t.enumerators);
  if (t.kind === 'base' && t.encoding === 'bool') return n === 0n ? 'false' : n === 1n ? 'true' : n.toString();
  if (isCharType(t)) return `${n} ${charLiteral(Number(BigInt.asUintN(8, n)))}`;
  return n.toString();
}

/** GDB 13's flag-enum rule: every enumerator is zero or a single bit. */
function isFlagEnum(enumerators: Enumerator[]): boolean {
  return enumerators.every((e) => e.value >= 0n && (e.value & (e.value - 1n)) === 0n);
}

function formatEnum(n: bigint, enumerators: Enumerator[]): string {
  const exact = enumerators.find((e) => e.value === n);
  if (exact) return exact.name;
  if (!isFlagEnum(enumerators) || n < 0n) return n.toString();
  const names: string[] = [];
  let rest = n;
  for (const e of enumerators) {
    if (e.value !== 0n && (rest & e.value) !== 0n) {
      names.push(e.name);
      rest &= ~e.value;
    }
  }
  if (rest !== 0n) names.push(`unknown: ${hex(rest)}`);
  return names.length === 0 ? '0' : `(${names.join(' | ')})`;
}

/** GDB leaves the `(type)` prefix off plain `char *` pointers (their string says enough). */
function isPlainCharPointer(t: Type): boolean {
  let p = t;
  for (let i = 0; i < 8 && p.kind === 'qualified'; i++) p = p.target;
  if (p.kind !== 'pointer') return false;
  let target = p.target;
  for (let i = 0; i < 8 && target.kind === 'qualified'; i++) target = target.target;
  return target.kind === 'base' && target.name === 'char';
}

function formatPointer(v: Value, address: bigint, ctx: FormatContext, top: boolean): string {
  if (ctx.hex) return hex(address);
  const t = resolveType(v.type);
  const target = t.kind === 'pointer' ? resolveType(t.target) : t;
  const prefix = top && ctx.pointerTypePrefix && !isPlainCharPointer(v.type) ? `(${typeName(v.type)}) ` : '';
  const text = `${prefix}${hex(address)}${symbolSuffix(address, ctx)}`;
  if (address !== 0n && isCharType(target)) return `${text} ${formatCStringAt(address, ctx.env.readMemory)}`;
  return text;
}

/** A copy of an lvalue aggregate with its bytes read in one piece (undefined when unreadable). */
function materialize(v: Value, size: number, ctx: FormatContext): Value | undefined {
  if (v.bytes) return v.bytes.length >= size ? v : undefined;
  if (v.address === undefined) return undefined;
  const bytes = size === 0 ? new Uint8Array(0) : ctx.env.readMemory(v.address, size);
  return bytes && bytes.length >= size ? { ...v, bytes } : undefined;
}

function formatStruct(out: Output, v: Value, t: Extract<Type, { kind: 'struct' | 'union' }>, ctx: FormatContext, depth: number): void {
  if (t.declaration && t.members.length === 0) return out.add('<incomplete type>');
  if (depth >= MAX_DEPTH) return out.add('{...}');
  if (t.members.length === 0) return out.add('{<No data fields>}');
  let whole: Value = v;
  if (t.size <= MAX_VALUE_BYTES) {
    const read = materialize(v, t.size, ctx);
    if (!read) return out.add(unavailableReason(v));
    whole = read;
  }
  out.add('{');
  t.members.forEach((m, i) => {
    if (i > 0) out.add(', ');
    if (m.name !== undefined) out.add(`${m.name} = `);
    formatInto(out, memberValue(whole, m), ctx, depth + 1, false);
  });
  out.add('}');
}

function sameBytes(bytes: Uint8Array, a: number, b: number, size: number): boolean {
  for (let i = 0; i < size; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

function formatArray(out: Output, v: Value, element: Type, count: number | undefined, ctx: FormatContext, depth: number): void {
  // An array of unknown or zero bound (a flexible array member) shows its address, as GDB does.
  if (count === undefined || count <= 0) {
    if (v.address !== undefined) return out.add(`${hex(v.address)}${symbolSuffix(v.address, ctx)}`);
    return out.add('{}');
  }
  const esize = sizeOfType(element);
  const shown = Math.min(count, esize > 0 ? Math.floor(MAX_VALUE_BYTES / esize) : MAX_VALUE_BYTES);
  const whole = materialize(v, shown * esize, ctx);
  if (!whole?.bytes) return out.add(unavailableReason(v));
  const bytes = whole.bytes;
  if (isCharType(element) && !ctx.hex) {
    // Character arrays print as strings; one trailing NUL is dropped unless the array was cut.
    const cut = shown < count;
    const length = !cut && bytes[shown - 1] === 0 ? shown - 1 : shown;
    return out.add(formatString(bytes.subarray(0, length), cut));
  }
  if (depth >= MAX_DEPTH) return out.add('{...}');
  out.add('{');
  let printed = 0;
  let i = 0;
  while (i < shown && printed < PRINT_ELEMENTS) {
    if (i > 0) out.add(', ');
    let reps = 1;
    while (i + reps < shown && sameBytes(bytes, i * esize, (i + reps) * esize, esize)) reps++;
    formatInto(out, elementValue(whole, element, i), ctx, depth + 1, false);
    if (reps > REPEAT_THRESHOLD) {
      out.add(` <repeats ${reps} times>`);
      i += reps;
      printed += REPEAT_THRESHOLD;
    } else {
      i++;
      printed++;
    }
  }
  if (i < count) out.add('...');
  out.add('}');
}

// ---- children ----

/** The first index of an array value that is a range of a bigger array (for children's names). */
const arrayRangeStart = new WeakMap<Value, number>();

export interface Child {
  name: string;
  value: Value;
}

function pointeeHasChildren(target: Type): boolean {
  const r = resolveType(target);
  return r.kind === 'struct' || r.kind === 'union' || r.kind === 'array' || r.kind === 'base' || r.kind === 'enum' || r.kind === 'pointer';
}

export function hasChildren(v: Value): boolean {
  const t = resolveType(v.type);
  switch (t.kind) {
    case 'struct': case 'union': return t.members.length > 0;
    case 'array': return (t.count ?? 0) > 0;
    case 'pointer': return pointeeHasChildren(t.target);
    default: return false;
  }
}

/** Members, with anonymous struct/union members replaced by their own members. */
function flattenMembers(v: Value, t: Type, base: number, depth: number, out: Child[]): void {
  const r = resolveType(t);
  if ((r.kind !== 'struct' && r.kind !== 'union') || depth > MAX_ANONYMOUS_NESTING) return;
  for (const m of r.members) {
    if (m.name === undefined && (resolveType(m.type).kind === 'struct' || resolveType(m.type).kind === 'union')) {
      flattenMembers(v, m.type, base + m.offset, depth + 1, out);
    } else {
      out.push({ name: m.name ?? '<anonymous>', value: memberValue(v, m, base + m.offset) });
    }
  }
}

/**
 * The expandable children of a value: struct/union members (anonymous members inlined), array
 * elements (`[i]`, or ranges `[0..99]` of a big array, each an array value whose children keep their
 * indices), and for a pointer its pointee `*name` (one child). `start`/`count` page through elements
 * or members directly. Only a pointer's own value is read here.
 */
export function childrenOf(v: Value, readMemory: ReadMemory, opts: { start?: number; count?: number; name?: string } = {}): Child[] {
  const t = resolveType(v.type);
  const page = <T,>(items: T[]): T[] => {
    const start = Math.max(0, opts.start ?? 0);
    return items.slice(start, opts.count === undefined ? undefined : start + Math.max(0, opts.count));
  };
  switch (t.kind) {
    case 'struct': case 'union': {
      const members: Child[] = [];
      flattenMembers(v, t, 0, 0, members);
      return page(members);
    }
    case 'array': {
      const count = t.count ?? 0;
      const first = arrayRangeStart.get(v) ?? 0;
      if (opts.start !== undefined || opts.count !== undefined) {
        const start = Math.max(0, Math.min(count, opts.start ?? 0));
        const end = Math.min(count, start + Math.max(0, Math.min(opts.count ?? count, 100_000)));
        return elementChildren(v, t.element, first, start, end);
      }
      if (count <= CHILD_GROUP) return elementChildren(v, t.element, first, 0, count);
      let group = CHILD_GROUP;
      while (count / group > CHILD_GROUP) group *= CHILD_GROUP;
      const ranges: Child[] = [];
      const esize = sizeOfType(t.element);
      for (let s = 0; s < count; s += group) {
        const n = Math.min(group, count - s);
        const range: Value = { type: { kind: 'array', element: t.element, count: n } };
        if (v.address !== undefined) range.address = offsetAddress(v.address, s * esize);
        if (v.bytes && (s + n) * esize <= v.bytes.length) range.bytes = v.bytes.subarray(s * esize, (s + n) * esize);
        arrayRangeStart.set(range, first + s);
        ranges.push({ name: `[${first + s}..${first + s + n - 1}]`, value: range });
      }
      return ranges;
    }
    case 'pointer': {
      if (!pointeeHasChildren(t.target)) return [];
      const bytes = valueBytes(v, readMemory);
      if (!bytes) return [];
      return [{ name: `*${opts.name ?? ''}`, value: { type: t.target, address: integerOf(v, bytes) } }];
    }
    default:
      return [];
  }
}

function elementChildren(v: Value, element: Type, first: number, start: number, end: number): Child[] {
  const out: Child[] = [];
  for (let i = start; i < end; i++) out.push({ name: `[${first + i}]`, value: elementValue(v, element, i) });
  return out;
}

// ---- encoding user input ----

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

/**
 * Reads one character (or escape sequence) of a C char/string literal at `pos`; returns its byte value
 * and the position after it.
 */
export function readCharEscape(text: string, pos: number): { value: number; next: number } {
  if (text[pos] !== '\\') {
    const code = text.charCodeAt(pos);
    if (code > 0xff) throw new Error(`Character ${JSON.stringify(text[pos])} is not a single byte.`);
    return { value: code, next: pos + 1 };
  }
  const c = text[pos + 1];
  if (c === undefined) throw new Error('Unterminated escape sequence.');
  if (c in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[c], next: pos + 2 };
  if (c === 'x') {
    const m = /^[0-9a-fA-F]+/.exec(text.slice(pos + 2, pos + 10));
    if (!m) throw new Error('\\x escape without hex digits.');
    return { value: parseInt(m[0], 16) & 0xff, next: pos + 2 + m[0].length };
  }
  const m = /^[0-7]{1,3}/.exec(text.slice(pos + 1, pos + 4));
  if (m) return { value: parseInt(m[0], 8) & 0xff, next: pos + 1 + m[0].length };
  throw new Error(`Unknown escape sequence \\${c}.`);
}

/** An integer from user text: C integer literals (any base, suffixes), char literals, negative signs. */
function parseIntegerText(text: string): bigint | undefined {
  const s = text.trim();
  const m = /^([+-]?)\s*(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU])$/.exec(s);
  if (m) {
    const digits = m[2];
    const n = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
    return m[1] === '-' ? -n : n;
  }
  if (s.length >= 3 && s.startsWith("'") && s.endsWith("'")) {
    const c = readCharEscape(s, 1);
    if (c.next === s.length - 1) return BigInt(c.value);
  }
  return undefined;
}

/** A number from user text: integer or decimal floating literals (optional f/l suffix), inf, nan. */
function parseFloatText(text: string): number | undefined {
  const s = text.trim();
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  const n = parseIntegerText(s);
  if (n !== undefined) return Number(n);
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFlL]?$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

function inputToBigint(t: Type, input: bigint | number | string): bigint {
  const r = resolveType(t);
  if (typeof input === 'bigint') return input;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new Error(`Cannot convert ${input} to ${typeName(t)}.`);
    return BigInt(Math.trunc(input));
  }
  const s = input.trim();
  if (r.kind === 'enum') {
    const e = r.enumerators.find((x) => x.name === s);
    if (e) return e.value;
  }
  if (r.kind === 'base' && r.encoding === 'bool' && (s === 'true' || s === 'false')) return s === 'true' ? 1n : 0n;
  const n = parseIntegerText(s);
  if (n !== undefined) return n;
  const x = parseFloatText(s);
  if (x !== undefined && Number.isFinite(x)) return BigInt(Math.trunc(x));
  throw new Error(`Invalid value ${JSON.stringify(input)} for type ${typeName(t)}.`);
}

/**
 * Encodes a value from the user into the type's bytes: integers wrap to the type's width as C
 * conversions do, bools become 0/1, floats are rounded to the format, enums also accept enumerator
 * names, pointers take addresses. Throws a clear Error when it cannot.
 */
export function encodeValue(t: Type, input: bigint | number | string): Uint8Array {
  const r = resolveType(t);
  if (r.kind === 'base' && r.encoding === 'float') {
    const x = typeof input === 'string' ? parseFloatText(input) : Number(input);
    if (x === undefined) throw new Error(`Invalid value ${JSON.stringify(input)} for type ${typeName(t)}.`);
    return numberToFloatBytes(x, r.size);
  }
  if (r.kind === 'base' || r.kind === 'enum' || r.kind === 'pointer') {
    let n = inputToBigint(t, input);
    if (r.kind === 'base' && r.encoding === 'bool') n = n !== 0n ? 1n : 0n;
    return bigintToBytes(n, r.size);
  }
  throw new Error(`Cannot assign a value to type ${typeName(t)}.`);
}

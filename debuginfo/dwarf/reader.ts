// A bounds-checked little-endian cursor over a DWARF section. Every read past the end throws a
// DwarfError naming the section and offset, so malformed input never surfaces as a RangeError.

import { stringAt } from '../elf.ts';

export class DwarfError extends Error {
  override name = 'DwarfError';
}

export class ByteReader {
  readonly view: DataView;

  constructor(readonly data: Uint8Array, readonly section: string, public pos = 0, public end = data.length) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (end > data.length) this.end = data.length;
  }

  fail(what: string, at = this.pos): never {
    throw new DwarfError(`${this.section}: ${what} at offset 0x${at.toString(16)}`);
  }

  private need(n: number): number {
    const p = this.pos;
    if (n < 0 || p + n > this.end) this.fail('truncated data');
    this.pos = p + n;
    return p;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    const p = this.pos;
    if (p >= this.end) this.fail('truncated data');
    this.pos = p + 1;
    return this.data[p];
  }
  i8(): number {
    return this.view.getInt8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }
  u24(): number {
    const p = this.need(3);
    return this.data[p] | (this.data[p + 1] << 8) | (this.data[p + 2] << 16);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }
  /** A 64-bit value as a number; offsets beyond 2^53 cannot index anything, so they are an error. */
  u64n(): number {
    const at = this.pos;
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('offset too large', at);
    return Number(v);
  }
  /** A section offset: 4 bytes in 32-bit DWARF, 8 in 64-bit DWARF. */
  offset(is64: boolean): number {
    return is64 ? this.u64n() : this.u32();
  }
  /** An unsigned value of 1, 2, 4 or 8 bytes. */
  sized(size: number): bigint {
    switch (size) {
      case 1: return BigInt(this.u8());
      case 2: return BigInt(this.u16());
      case 4: return BigInt(this.u32());
      case 8: return this.u64();
      default: return this.fail(`unsupported size ${size}`);
    }
  }

  /** ULEB128 as a number (exact up to 2^53; larger values lose precision but stay finite). */
  uleb(): number {
    const p = this.pos;
    if (p < this.end) {
      const b = this.data[p];
      if (b < 0x80) { this.pos = p + 1; return b; }
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    return this.skipLeb(result);
  }

  sleb(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return (b & 0x40) !== 0 ? result - scale : result;
    }
    return this.skipLeb(result);
  }

  /** ULEB128 as an exact unsigned 64-bit bigint (bits above 64 dropped). */
  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    this.skipLeb(0);
    return BigInt.asUintN(64, result);
  }

  /** SLEB128 as a signed 64-bit bigint. */
  slebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if ((b & 0x40) !== 0) result -= 1n << shift;
        return BigInt.asIntN(64, result);
      }
    }
    this.skipLeb(0);
    return BigInt.asIntN(64, result);
  }

  /** Over-long LEB128 (padding is legal): skip the rest, bounded by the data. */
  private skipLeb(value: number): number {
    while (this.u8() & 0x80) { /* the reader's bound ends this */ }
    return value;
  }

  skipLebValue(): void {
    while (this.u8() & 0x80) { /* bounded by the data */ }
  }

  bytes(n: number): Uint8Array {
    const p = this.need(n);
    return this.data.subarray(p, p + n);
  }

  skip(n: number): void {
    this.need(n);
  }

  skipString(): void {
    const nul = this.data.indexOf(0, this.pos);
    if (nul < 0 || nul >= this.end) this.fail('unterminated string');
    this.pos = nul + 1;
  }

  /** A zero-terminated string, inline. */
  cstr(): string {
    const start = this.pos;
    const nul = this.data.indexOf(0, start);
    if (nul < 0 || nul >= this.end) this.fail('unterminated string');
    this.pos = nul + 1;
    return stringAt(this.data, start);
  }

  /** Reads an initial length: [is64, length]; 0xfffffff0–0xfffffffe are reserved. */
  initialLength(): { is64: boolean; length: number } {
    const at = this.pos;
    const l = this.u32();
    if (l === 0xffffffff) return { is64: true, length: this.u64n() };
    if (l >= 0xfffffff0) this.fail(`reserved initial length 0x${l.toString(16)}`, at);
    return { is64: false, length: l };
  }

  /** A reader over [pos, pos + length), which must lie within this one. */
  sub(length: number): ByteReader {
    if (length < 0 || this.pos + length > this.end) this.fail(`length 0x${length.toString(16)} runs past the end`);
    const r = new ByteReader(this.data, this.section, this.pos, this.pos + length);
    this.pos += length;
    return r;
  }
}

/** Cache of zero-terminated strings of a string section, by offset. */
export class StringTable {
  private readonly cache = new Map<number, string>();
  constructor(readonly data: Uint8Array, readonly section: string) {}

  at(offset: number): string {
    let s = this.cache.get(offset);
    if (s === undefined) {
      if (offset < 0 || offset >= this.data.length) {
        throw new DwarfError(`${this.section}: string offset 0x${offset.toString(16)} is outside the section`);
      }
      s = stringAt(this.data, offset);
      this.cache.set(offset, s);
    }
    return s;
  }
}

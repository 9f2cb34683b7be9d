// Flattened device tree (DTB) writer and reader, per the Devicetree Specification v0.4, chapter 5
// ("Flattened Devicetree (DTB) Format"), plus terse builders for the plain-data FdtNode tree.
import type { FdtNode, FdtValue } from '../devices/device.ts';

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 0x1;
const FDT_END_NODE = 0x2;
const FDT_PROP = 0x3;
const FDT_NOP = 0x4;
const FDT_END = 0x9;
/** We write version 17; readers down to version 16 understand it (spec 5.2). */
const FDT_VERSION = 17;
const FDT_LAST_COMP_VERSION = 16;
const HEADER_SIZE = 40; // ten big-endian u32 fields

// ---------------------------------------------------------------------------------------------
// Builders

/** A node; `props` keeps insertion order (property names are never integer-like, so JS preserves it). */
export function node(name: string, props: Record<string, FdtValue> = {}, children: FdtNode[] = []): FdtNode {
  return { name, props: Object.entries(props).map(([n, value]) => ({ name: n, value })), children };
}

/** A list of 32-bit cells (each taken modulo 2^32). */
export function u32(...cells: number[]): FdtValue {
  return { u32: cells.map((c) => c >>> 0) };
}

/** A 64-bit value as two cells, high first (as used in reg with #address-cells = 2). */
export function u64cells(value: number | bigint): [number, number] {
  const v = BigInt.asUintN(64, BigInt(value));
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

/** `reg = <base size>` with #address-cells = 2 and #size-cells = 2 (the virt board's soc bus). */
export function reg64(base: number | bigint, size: number | bigint): FdtValue {
  return u32(...u64cells(base), ...u64cells(size));
}

export function str(s: string): FdtValue {
  return { str: s };
}

export function strs(...list: string[]): FdtValue {
  return { strs: list };
}

export function bytes(b: Uint8Array | number[]): FdtValue {
  return { bytes: Uint8Array.from(b) };
}

/** An empty (boolean) property such as `interrupt-controller`. */
export const empty: FdtValue = null;

/** The unit-address part of a node name: lowercase hex without leading zeros, as QEMU writes it. */
export function unitName(name: string, address: number | bigint): string {
  return `${name}@${address.toString(16)}`;
}

/** Find a node by absolute path ("/soc/serial@10000000"); "/" is the root. */
export function fdtFind(root: FdtNode, path: string): FdtNode | undefined {
  let cur: FdtNode | undefined = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    cur = cur.children.find((c) => c.name === part);
    if (!cur) return undefined;
  }
  return cur;
}

/** A property's value, or undefined if the node has no such property. */
export function fdtProp(n: FdtNode, name: string): FdtValue | undefined {
  return n.props.find((p) => p.name === name)?.value;
}

// ---------------------------------------------------------------------------------------------
// Writer

const utf8 = new TextEncoder();

/** Growable big-endian byte buffer. */
class ByteWriter {
  buf = new Uint8Array(4096);
  len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u32(v: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.len, v >>> 0);
    this.len += 4;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Zero-pad to a multiple of `n` bytes. */
  align(n: number): void {
    const pad = (n - (this.len % n)) % n;
    this.reserve(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function encodeValue(value: FdtValue): Uint8Array {
  if (value === null) return new Uint8Array(0);
  if ('u32' in value) {
    const out = new Uint8Array(value.u32.length * 4);
    const dv = new DataView(out.buffer);
    value.u32.forEach((c, i) => dv.setUint32(i * 4, c >>> 0));
    return out;
  }
  if ('str' in value) return utf8.encode(value.str + '\0');
  if ('strs' in value) return utf8.encode(value.strs.map((s) => s + '\0').join(''));
  return value.bytes;
}

export interface FdtBlobOptions {
  /** boot_cpuid_phys header field (default 0). */
  bootCpuId?: number;
  /** Memory reservation block entries: [address, size]. */
  memReserve?: Array<[bigint, bigint]>;
}

/** Serialise a tree (whose root is named "") to a DTB. */
export function fdtToBlob(root: FdtNode, opts: FdtBlobOptions = {}): Uint8Array {
  // Strings block: each property name once.
  const strings = new ByteWriter();
  const stringOffsets = new Map<string, number>();
  const nameOffset = (name: string): number => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.len;
      stringOffsets.set(name, off);
      strings.bytes(utf8.encode(name + '\0'));
    }
    return off;
  };

  const struct = new ByteWriter();
  const emit = (n: FdtNode): void => {
    struct.u32(FDT_BEGIN_NODE);
    struct.bytes(utf8.encode(n.name + '\0'));
    struct.align(4);
    for (const p of n.props) {
      const data = encodeValue(p.value);
      struct.u32(FDT_PROP);
      struct.u32(data.length);
      struct.u32(nameOffset(p.name));
      struct.bytes(data);
      struct.align(4);
    }
    for (const c of n.children) emit(c);
    struct.u32(FDT_END_NODE);
  };
  emit(root);
  struct.u32(FDT_END);

  // Layout: header, reservation map (8-aligned), structure block (4-aligned), strings block.
  const rsv = new ByteWriter();
  for (const [addr, size] of [...(opts.memReserve ?? []), [0n, 0n] as [bigint, bigint]]) {
    const [ah, al] = u64cells(addr);
    const [sh, sl] = u64cells(size);
    rsv.u32(ah);
    rsv.u32(al);
    rsv.u32(sh);
    rsv.u32(sl);
  }
  const offRsv = HEADER_SIZE; // already 8-aligned
  const offStruct = offRsv + rsv.len;
  const offStrings = offStruct + struct.len;
  const total = offStrings + strings.len;

  const out = new ByteWriter();
  for (const field of [
    FDT_MAGIC,
    total,
    offStruct,
    offStrings,
    offRsv,
    FDT_VERSION,
    FDT_LAST_COMP_VERSION,
    opts.bootCpuId ?? 0,
    strings.len,
    struct.len,
  ]) {
    out.u32(field);
  }
  out.bytes(rsv.result());
  out.bytes(struct.result());
  out.bytes(strings.result());
  return out.result();
}

// ---------------------------------------------------------------------------------------------
// Reader

export interface FdtHeader {
  totalSize: number;
  version: number;
  lastCompVersion: number;
  bootCpuId: number;
  memReserve: Array<[bigint, bigint]>;
}

function view(blob: Uint8Array): DataView {
  return new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
}

function checkedHeader(blob: Uint8Array): { dv: DataView; offStruct: number; offStrings: number; offRsv: number; sizeStrings: number; sizeStruct: number } {
  if (blob.length < HEADER_SIZE) throw new Error('fdt: blob shorter than its header');
  const dv = view(blob);
  if (dv.getUint32(0) !== FDT_MAGIC) throw new Error('fdt: bad magic');
  const total = dv.getUint32(4);
  const offStruct = dv.getUint32(8);
  const offStrings = dv.getUint32(12);
  const offRsv = dv.getUint32(16);
  const version = dv.getUint32(20);
  if (version < 16) throw new Error(`fdt: unsupported version ${version}`);
  const sizeStrings = dv.getUint32(32);
  const sizeStruct = version >= 17 ? dv.getUint32(36) : total - offStruct;
  if (total > blob.length || offStruct + sizeStruct > total || offStrings + sizeStrings > total || offRsv > total) {
    throw new Error('fdt: header offsets outside the blob');
  }
  return { dv, offStruct, offStrings, offRsv, sizeStrings, sizeStruct };
}

export function fdtReadHeader(blob: Uint8Array): FdtHeader {
  const { dv, offRsv } = checkedHeader(blob);
  const memReserve: Array<[bigint, bigint]> = [];
  for (let off = offRsv; off + 16 <= blob.length; off += 16) {
    const addr = dv.getBigUint64(off);
    const size = dv.getBigUint64(off + 8);
    if (addr === 0n && size === 0n) break;
    memReserve.push([addr, size]);
  }
  return {
    totalSize: dv.getUint32(4),
    version: dv.getUint32(20),
    lastCompVersion: dv.getUint32(24),
    bootCpuId: dv.getUint32(28),
    memReserve,
  };
}

const utf8Decoder = new TextDecoder();

/** Guess a property's type as dtc does when decompiling: strings if printable NUL-terminated text, else cells, else bytes. */
function guessValue(b: Uint8Array): FdtValue {
  if (b.length === 0) return null;
  let printable = b[b.length - 1] === 0 && b[0] !== 0;
  for (let i = 0; printable && i < b.length; i++) {
    const c = b[i];
    if (c === 0) printable = i === b.length - 1 || b[i + 1] !== 0; // no empty strings
    else printable = c >= 0x20 && c < 0x7f;
  }
  if (printable) {
    const parts = utf8Decoder.decode(b.subarray(0, b.length - 1)).split('\0');
    return parts.length === 1 ? { str: parts[0] } : { strs: parts };
  }
  if (b.length % 4 === 0) {
    const dv = view(b);
    const cells: number[] = [];
    for (let i = 0; i < b.length; i += 4) cells.push(dv.getUint32(i));
    return { u32: cells };
  }
  return { bytes: b.slice() };
}

/** Parse a DTB into a tree. Property types are guessed (see guessValue); re-serialising gives the same bytes. */
export function fdtParse(blob: Uint8Array): FdtNode {
  const { dv, offStruct, offStrings, sizeStrings, sizeStruct } = checkedHeader(blob);
  const end = offStruct + sizeStruct;
  let pos = offStruct;

  /** The NUL-terminated string at `start`, and the index just past its NUL. */
  const cString = (start: number, limit: number): [string, number] => {
    let i = start;
    while (i < limit && blob[i] !== 0) i++;
    if (i >= limit) throw new Error('fdt: unterminated string');
    return [utf8Decoder.decode(blob.subarray(start, i)), i + 1];
  };
  const align4 = (n: number): number => Math.ceil(n / 4) * 4;
  const token = (): number => {
    if (pos + 4 > end) throw new Error('fdt: structure block ends early');
    const t = dv.getUint32(pos);
    pos += 4;
    return t;
  };

  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  for (;;) {
    const t = token();
    if (t === FDT_NOP) continue;
    if (t === FDT_BEGIN_NODE) {
      const [name, after] = cString(pos, end);
      pos = align4(after);
      const n: FdtNode = { name, props: [], children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(n);
      else if (root) throw new Error('fdt: more than one root node');
      else root = n;
      stack.push(n);
    } else if (t === FDT_PROP) {
      const len = token();
      const nameOff = token();
      if (stack.length === 0 || pos + len > end || nameOff >= sizeStrings) throw new Error('fdt: bad property');
      const [name] = cString(offStrings + nameOff, offStrings + sizeStrings);
      stack[stack.length - 1].props.push({ name, value: guessValue(blob.subarray(pos, pos + len)) });
      pos = align4(pos + len);
    } else if (t === FDT_END_NODE) {
      if (!stack.pop()) throw new Error('fdt: unbalanced END_NODE');
    } else if (t === FDT_END) {
      if (stack.length !== 0 || !root) throw new Error('fdt: END inside a node');
      return root;
    } else {
      throw new Error(`fdt: bad token 0x${t.toString(16)}`);
    }
  }
}

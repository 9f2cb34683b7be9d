// The snapshot file: a machine's plain-data state (engine/machine.ts, Machine.snapshot) as one file.
//
// Layout (all integers little-endian):
//   magic "RVSNAP" 0x00, format version (u8, 1)
//   u32 length of the header, header: UTF-8 JSON
//   u32 number of blobs, then each blob: u32 length, bytes (zlib deflate of the original)
// In the JSON, {"$blob": n} stands for a Uint8Array (blob n) and {"$bigint": "123"} for a bigint,
// so device and hart states can hold binary data and 64-bit values as they are.

import { deflateSync, inflateSync } from 'node:zlib';

const MAGIC = [0x52, 0x56, 0x53, 0x4e, 0x41, 0x50, 0x00]; // "RVSNAP\0"
export const SNAPSHOT_FORMAT_VERSION = 1;

export class SnapshotError extends Error {}

/** Encodes plain data (objects, arrays, numbers, strings, booleans, null, bigints, Uint8Arrays). */
export function encodeSnapshot(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    // JSON.stringify hands typed arrays to the replacer as themselves (no toJSON), bigints too.
    if (v instanceof Uint8Array) {
      blobs.push(deflateSync(v, { level: 1 }));
      return { $blob: blobs.length - 1 };
    }
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    return v;
  });
  const header = Buffer.from(json, 'utf8');
  let size = MAGIC.length + 1 + 4 + header.length + 4;
  for (const b of blobs) size += 4 + b.length;
  const out = Buffer.alloc(size);
  let o = 0;
  for (const m of MAGIC) out[o++] = m;
  out[o++] = SNAPSHOT_FORMAT_VERSION;
  out.writeUInt32LE(header.length, o); o += 4;
  header.copy(out, o); o += header.length;
  out.writeUInt32LE(blobs.length, o); o += 4;
  for (const b of blobs) {
    out.writeUInt32LE(b.length, o); o += 4;
    out.set(b, o); o += b.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Decodes what encodeSnapshot wrote; a truncated or foreign file is a SnapshotError. */
export function decodeSnapshot(bytes: Uint8Array): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const fail = (why: string): never => { throw new SnapshotError(`not a valid rvisor snapshot: ${why}`); };
  if (buf.length < MAGIC.length + 9 || MAGIC.some((m, i) => buf[i] !== m)) fail('bad magic');
  let o = MAGIC.length;
  const version = buf[o++];
  if (version !== SNAPSHOT_FORMAT_VERSION) fail(`format version ${version} (this rvisor reads ${SNAPSHOT_FORMAT_VERSION})`);
  const need = (n: number) => { if (o + n > buf.length) fail('truncated'); };
  need(4);
  const hlen = buf.readUInt32LE(o); o += 4;
  need(hlen);
  const json = buf.toString('utf8', o, o + hlen); o += hlen;
  need(4);
  const count = buf.readUInt32LE(o); o += 4;
  const blobs: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    need(4);
    const len = buf.readUInt32LE(o); o += 4;
    need(len);
    blobs.push(buf.subarray(o, o + len));
    o += len;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json, (_k, v: unknown) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const r = v as Record<string, unknown>;
        if (typeof r.$blob === 'number') {
          const b = blobs[r.$blob] ?? fail(`blob ${r.$blob} missing`);
          return new Uint8Array(inflateSync(b));
        }
        if (typeof r.$bigint === 'string') return BigInt(r.$bigint);
      }
      return v;
    });
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    fail((e as Error).message);
  }
  return parsed;
}

// Where a virtio-blk disk's sectors live. Three ways to back a raw image file:
//  - copy-on-write (the default): the image is opened read-only and never modified; written sectors
//    go to an overlay, in memory or in an overlay file;
//  - writable: writes go straight into the image;
//  - read-only: nothing can be written (the device offers VIRTIO_BLK_F_RO).
// All I/O is synchronous (readSync/writeSync/fsyncSync) so a request completes at its notification.
//
// Overlay file format (append-only log; little-endian):
//   file header, 64 bytes:  "RVISCOW1" | u32 version = 1 | u32 sector size = 512 | u64 base image size
//                           | u32 header size = 64 | 32 reserved zero bytes | u32 CRC-32 of bytes 0..59
//   then records, each:     u32 magic "RREC" | u32 sector count n (>= 1) | u64 first sector
//                           | u32 sequence number (0, 1, 2… in file order) | u32 CRC-32 of the data
//                           | u32 reserved 0 | u32 CRC-32 of bytes 0..27 of this record header
//                           | n * 512 bytes of data
// A write appends one record; FLUSH fsyncs the file. On open the records are replayed in order
// (later records win) and the scan stops at the first record that is short, has a bad magic,
// sequence number or checksum, or lies past the disk: that is a tail torn by a crash, which only
// ever holds writes no FLUSH covered. The file is truncated there before anything is appended, so
// every flushed write survives a killed process. A new overlay is created under a temporary name
// (header written and fsynced), renamed into place, and its directory fsynced. The log is never
// compacted (rewritten sectors keep their old records); delete the overlay file to discard all writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceRegister } from '../device.ts';
import { SECTOR_SIZE } from './constants.ts';

export type BlockStoreMode = 'cow' | 'writable' | 'readonly';

export interface BlockStore {
  /** Bytes of the disk (the image's size); the guest sees floor(size / 512) sectors. */
  readonly size: number;
  readonly readOnly: boolean;
  /**
   * Reads `buf.length` bytes at byte `offset`. Offsets and lengths are multiples of 512 and lie
   * within `size` (the device checks; the store checks again). Host I/O errors throw.
   */
  read(offset: number, buf: Uint8Array): void;
  write(offset: number, data: Uint8Array): void;
  /** Makes every completed write durable (fsync). */
  flush(): void;
  close(): void;
  describe(): DeviceRegister[];
  saveState(): unknown;
  loadState(state: unknown): void;
}

export interface BlockStoreOptions {
  /** The raw disk image. */
  path: string;
  /** Default 'cow'. */
  mode?: BlockStoreMode;
  /** 'cow' only: the overlay file (created if missing, replayed if present). Omitted: in memory. */
  overlayPath?: string;
}

export function openBlockStore(o: BlockStoreOptions): BlockStore {
  const mode = o.mode ?? 'cow';
  if (mode !== 'cow' && o.overlayPath !== undefined) throw new Error(`an overlay file needs copy-on-write mode (got ${mode})`);
  switch (mode) {
    case 'writable':
      return new RawFileStore(o.path, false);
    case 'readonly':
      return new RawFileStore(o.path, true);
    case 'cow':
      return o.overlayPath === undefined ? new MemoryCowStore(o.path) : new FileCowStore(o.path, o.overlayPath);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib), continuing from `crc` for incremental use. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function readFully(fd: number, buf: Uint8Array, pos: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = fs.readSync(fd, buf, done, buf.length - done, pos + done);
    if (n <= 0) throw new Error(`short read at ${pos + done}`);
    done += n;
  }
}

function writeFully(fd: number, buf: Uint8Array, pos: number): void {
  let done = 0;
  while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, pos + done);
}

function checkRange(offset: number, len: number, size: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % SECTOR_SIZE || len % SECTOR_SIZE || offset + len > size) {
    throw new RangeError(`block I/O ${offset}+${len} outside the disk (${size} bytes) or not sector-aligned`);
  }
}

// ---------------------------------------------------------------------------------------------
// Raw image: writable or read-only

class RawFileStore implements BlockStore {
  readonly size: number;
  readonly readOnly: boolean;
  private readonly path: string;
  private fd: number;

  constructor(file: string, readOnly: boolean) {
    this.path = file;
    this.readOnly = readOnly;
    this.fd = fs.openSync(file, readOnly ? 'r' : 'r+');
    this.size = fs.fstatSync(this.fd).size;
  }

  read(offset: number, buf: Uint8Array): void {
    checkRange(offset, buf.length, this.size);
    readFully(this.fd, buf, offset);
  }

  write(offset: number, data: Uint8Array): void {
    if (this.readOnly) throw new Error('read-only disk');
    checkRange(offset, data.length, this.size);
    writeFully(this.fd, data, offset);
  }

  flush(): void {
    if (!this.readOnly) fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  describe(): DeviceRegister[] {
    return [
      { name: 'image', value: this.path },
      { name: 'mode', value: this.readOnly ? 'readonly' : 'writable' },
    ];
  }

  saveState(): unknown {
    return { kind: 'raw' }; // the image itself is not part of a snapshot
  }

  loadState(_state: unknown): void {
    // nothing to restore: writes to a raw image cannot be undone
  }
}

// ---------------------------------------------------------------------------------------------
// Copy-on-write: the base image read-only, written sectors elsewhere

/** Where one sector's current contents are: a file position, or bytes in memory. */
type SectorSource = { fd: number; pos: number } | Uint8Array;

abstract class CowStore implements BlockStore {
  readonly size: number;
  readonly readOnly = false;
  protected readonly basePath: string;
  protected baseFd: number;

  constructor(base: string) {
    this.basePath = base;
    this.baseFd = fs.openSync(base, 'r'); // never opened for writing: the base stays byte-identical
    this.size = fs.fstatSync(this.baseFd).size;
  }

  /** The overlay's copy of `sector`, or undefined if the base has it. */
  protected abstract overlay(sector: number): SectorSource | undefined;
  abstract write(offset: number, data: Uint8Array): void;
  abstract flush(): void;
  abstract describe(): DeviceRegister[];
  abstract saveState(): unknown;
  abstract loadState(state: unknown): void;

  read(offset: number, buf: Uint8Array): void {
    checkRange(offset, buf.length, this.size);
    const first = offset / SECTOR_SIZE;
    const n = buf.length / SECTOR_SIZE;
    // Coalesce runs of sectors that are contiguous in the same file into one read.
    let runFd = -1;
    let runPos = 0;
    let runStart = 0;
    const endRun = (i: number): void => {
      if (runFd >= 0 && i > runStart) readFully(runFd, buf.subarray(runStart * SECTOR_SIZE, i * SECTOR_SIZE), runPos);
      runFd = -1;
    };
    for (let i = 0; i < n; i++) {
      const sector = first + i;
      const src = this.overlay(sector) ?? { fd: this.baseFd, pos: sector * SECTOR_SIZE };
      if (src instanceof Uint8Array) {
        endRun(i);
        buf.set(src, i * SECTOR_SIZE);
        continue;
      }
      if (src.fd === runFd && src.pos === runPos + (i - runStart) * SECTOR_SIZE) continue;
      endRun(i);
      runFd = src.fd;
      runPos = src.pos;
      runStart = i;
    }
    endRun(n);
  }

  close(): void {
    if (this.baseFd >= 0) fs.closeSync(this.baseFd);
    this.baseFd = -1;
  }
}

interface MemoryCowState {
  kind: 'cow-memory';
  /** [sector, base64 contents] */
  sectors: Array<[number, string]>;
}

class MemoryCowStore extends CowStore {
  private sectors = new Map<number, Uint8Array>();

  protected overlay(sector: number): SectorSource | undefined {
    return this.sectors.get(sector);
  }

  write(offset: number, data: Uint8Array): void {
    checkRange(offset, data.length, this.size);
    const first = offset / SECTOR_SIZE;
    for (let i = 0; i < data.length / SECTOR_SIZE; i++) {
      this.sectors.set(first + i, data.slice(i * SECTOR_SIZE, (i + 1) * SECTOR_SIZE));
    }
  }

  flush(): void {
    // Nothing is durable by design: the overlay dies with the process.
  }

  describe(): DeviceRegister[] {
    return [
      { name: 'image', value: this.basePath, detail: 'read-only base' },
      { name: 'mode', value: 'cow', detail: 'overlay in memory' },
      { name: 'overlay sectors', value: this.sectors.size },
    ];
  }

  saveState(): MemoryCowState {
    return { kind: 'cow-memory', sectors: [...this.sectors].map(([s, b]) => [s, Buffer.from(b).toString('base64')]) };
  }

  loadState(state: unknown): void {
    const s = state as MemoryCowState;
    this.sectors = new Map(s.sectors.map(([n, b64]) => [n, new Uint8Array(Buffer.from(b64, 'base64'))]));
  }
}

const FILE_MAGIC = 'RVISCOW1';
const FILE_VERSION = 1;
const FILE_HEADER_SIZE = 64;
const RECORD_MAGIC = 0x43455252; // "RREC"
const RECORD_HEADER_SIZE = 32;
/** Replay reads record data in pieces of this size to check its CRC. */
const REPLAY_CHUNK = 1 << 20;

interface FileCowState {
  kind: 'cow-file';
  /** Length of the log at the snapshot. */
  end: number;
}

class FileCowStore extends CowStore {
  private readonly overlayPath: string;
  private fd = -1;
  /** sector → file position of its latest copy */
  private index = new Map<number, number>();
  /** End of the last good record: where the next one goes. */
  private end = FILE_HEADER_SIZE;
  private seq = 0;
  /** Bytes cut off a torn tail when the overlay was opened (for describe). */
  private readonly tornBytes: number;
  /** Set when an append failed and could not be undone: no further writes are safe. */
  private wedged = false;

  constructor(base: string, overlay: string) {
    super(base);
    this.overlayPath = overlay;
    try {
      if (fs.existsSync(overlay)) {
        this.fd = fs.openSync(overlay, 'r+');
        this.tornBytes = this.replay(Infinity);
      } else {
        this.fd = this.create();
        this.tornBytes = 0;
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private capacity(): number {
    return Math.floor(this.size / SECTOR_SIZE);
  }

  /**
   * A new overlay: the header is written and fsynced under a temporary name, then renamed into
   * place and the directory fsynced, so a crash leaves either no overlay or a valid empty one.
   */
  private create(): number {
    const tmp = `${this.overlayPath}.tmp`;
    const fd = fs.openSync(tmp, 'w+');
    try {
      const h = new Uint8Array(FILE_HEADER_SIZE);
      const dv = new DataView(h.buffer);
      h.set(Buffer.from(FILE_MAGIC, 'latin1'), 0);
      dv.setUint32(8, FILE_VERSION, true);
      dv.setUint32(12, SECTOR_SIZE, true);
      dv.setBigUint64(16, BigInt(this.size), true);
      dv.setUint32(24, FILE_HEADER_SIZE, true);
      dv.setUint32(60, crc32(h.subarray(0, 60)), true);
      writeFully(fd, h, 0);
      fs.fsyncSync(fd);
      fs.renameSync(tmp, this.overlayPath);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
    try {
      const dir = fs.openSync(path.dirname(path.resolve(this.overlayPath)), 'r');
      try {
        fs.fsyncSync(dir);
      } finally {
        fs.closeSync(dir);
      }
    } catch {
      // Some platforms cannot fsync a directory; the file itself is synced.
    }
    return fd;
  }

  /**
   * Rebuilds the index from the log, up to `limit` bytes; truncates a torn tail (or anything past
   * `limit`). Returns how many bytes were cut.
   */
  private replay(limit: number): number {
    const fileSize = fs.fstatSync(this.fd).size;
    const h = new Uint8Array(FILE_HEADER_SIZE);
    if (fileSize < FILE_HEADER_SIZE) throw new Error(`${this.overlayPath}: not an rvisor overlay (too short)`);
    readFully(this.fd, h, 0);
    const dv = new DataView(h.buffer);
    if (Buffer.from(h.subarray(0, 8)).toString('latin1') !== FILE_MAGIC || dv.getUint32(60, true) !== crc32(h.subarray(0, 60))) {
      throw new Error(`${this.overlayPath}: not an rvisor overlay (bad magic or header checksum)`);
    }
    if (dv.getUint32(8, true) !== FILE_VERSION || dv.getUint32(12, true) !== SECTOR_SIZE) {
      throw new Error(`${this.overlayPath}: unsupported overlay version or sector size`);
    }
    const baseSize = Number(dv.getBigUint64(16, true));
    if (baseSize !== this.size) {
      throw new Error(`${this.overlayPath}: overlay made for a ${baseSize}-byte image, but ${this.basePath} has ${this.size} bytes`);
    }
    const index = new Map<number, number>();
    const end = Math.min(fileSize, limit);
    let pos = FILE_HEADER_SIZE;
    let seq = 0;
    const rh = new Uint8Array(RECORD_HEADER_SIZE);
    const rv = new DataView(rh.buffer);
    const chunk = new Uint8Array(REPLAY_CHUNK);
    for (;;) {
      if (pos + RECORD_HEADER_SIZE > end) break;
      readFully(this.fd, rh, pos);
      if (rv.getUint32(0, true) !== RECORD_MAGIC || rv.getUint32(28, true) !== crc32(rh.subarray(0, 28))) break;
      const count = rv.getUint32(4, true);
      const first = Number(rv.getBigUint64(8, true));
      if (rv.getUint32(16, true) !== seq || count === 0 || first + count > this.capacity()) break;
      const dataLen = count * SECTOR_SIZE;
      if (pos + RECORD_HEADER_SIZE + dataLen > end) break;
      let crc = 0;
      for (let off = 0; off < dataLen; off += REPLAY_CHUNK) {
        const piece = chunk.subarray(0, Math.min(REPLAY_CHUNK, dataLen - off));
        readFully(this.fd, piece, pos + RECORD_HEADER_SIZE + off);
        crc = crc32(piece, crc);
      }
      if (crc !== rv.getUint32(20, true)) break;
      for (let i = 0; i < count; i++) index.set(first + i, pos + RECORD_HEADER_SIZE + i * SECTOR_SIZE);
      pos += RECORD_HEADER_SIZE + dataLen;
      seq++;
    }
    if (pos < fileSize) {
      // Cut the torn tail (or the records after a restored snapshot) so appends follow a good record.
      fs.ftruncateSync(this.fd, pos);
      fs.fsyncSync(this.fd);
    }
    this.index = index;
    this.end = pos;
    this.seq = seq;
    return fileSize - pos;
  }

  protected overlay(sector: number): SectorSource | undefined {
    const pos = this.index.get(sector);
    return pos === undefined ? undefined : { fd: this.fd, pos };
  }

  write(offset: number, data: Uint8Array): void {
    checkRange(offset, data.length, this.size);
    if (this.wedged) throw new Error('overlay unusable after a failed append');
    const count = data.length / SECTOR_SIZE;
    if (count === 0) return;
    const first = offset / SECTOR_SIZE;
    const rec = new Uint8Array(RECORD_HEADER_SIZE + data.length);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, RECORD_MAGIC, true);
    dv.setUint32(4, count, true);
    dv.setBigUint64(8, BigInt(first), true);
    dv.setUint32(16, this.seq, true);
    dv.setUint32(20, crc32(data), true);
    dv.setUint32(28, crc32(rec.subarray(0, 28)), true);
    rec.set(data, RECORD_HEADER_SIZE);
    const at = this.end;
    try {
      writeFully(this.fd, rec, at);
    } catch (e) {
      // A half-written record would hide every later one from replay: take it back out.
      try {
        fs.ftruncateSync(this.fd, at);
      } catch {
        this.wedged = true;
      }
      throw e;
    }
    for (let i = 0; i < count; i++) this.index.set(first + i, at + RECORD_HEADER_SIZE + i * SECTOR_SIZE);
    this.end = at + rec.length;
    this.seq++;
  }

  flush(): void {
    fs.fsyncSync(this.fd);
  }

  override close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    super.close();
  }

  describe(): DeviceRegister[] {
    return [
      { name: 'image', value: this.basePath, detail: 'read-only base' },
      { name: 'mode', value: 'cow', detail: 'overlay file (append-only log)' },
      { name: 'overlay', value: this.overlayPath, detail: this.tornBytes ? `${this.tornBytes} torn bytes dropped at open` : '' },
      { name: 'overlay sectors', value: this.index.size },
      { name: 'log records', value: this.seq },
      { name: 'log bytes', value: this.end },
    ];
  }

  saveState(): FileCowState {
    return { kind: 'cow-file', end: this.end };
  }

  /** Restores the overlay to a snapshot by cutting the log back; later writes are discarded. */
  loadState(state: unknown): void {
    const s = state as FileCowState;
    const fileSize = fs.fstatSync(this.fd).size;
    if (fileSize < s.end) throw new Error(`${this.overlayPath}: log is ${fileSize} bytes, the snapshot needs ${s.end}`);
    this.replay(s.end);
    if (this.end !== s.end) throw new Error(`${this.overlayPath}: log does not match the snapshot`);
    this.wedged = false;
  }
}

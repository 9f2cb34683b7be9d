// virtio-blk (virtio 1.x, 5.2): one request queue over a BlockStore. Requests are served while the
// driver's QueueNotify store executes: IN, OUT, FLUSH, GET_ID; anything else is UNSUPP. A request that
// is malformed, reaches past the disk or fails on the host completes with IOERR; the host is never
// touched outside the image.
import type { DeviceDescription, DeviceRegister } from '../device.ts';
import type { BlockStore } from './block-store.ts';
import type { GuestMemory } from './guest-memory.ts';
import type { VirtioBackend, VirtioDeviceContext, VirtioEventDetail } from './virtio-mmio.ts';
import { gather, scatter } from './virtqueue.ts';
import type { DescChain, SplitVirtqueue } from './virtqueue.ts';
import {
  BLK_F,
  BLK_FEATURE_NAMES,
  BLK_ID_BYTES,
  BLK_REQ_HEADER,
  BLK_S,
  BLK_T,
  DEVICE_ID,
  MAX_QUEUE_SIZE,
  SECTOR_SIZE,
  bit,
} from './constants.ts';

export interface VirtioBlkOptions {
  store: BlockStore;
  /** GET_ID string (ASCII, at most 20 bytes used). Default: empty (20 NULs). */
  serial?: string;
  /** Request queue size offered (power of 2; default 256, QEMU's). */
  queueSize?: number;
  /** blk_size in the config space (optimal sector size; the protocol stays 512). Default 512. */
  blkSize?: number;
}

/** Data moves between the store and guest RAM in pieces of this size, so no request needs a huge buffer. */
const CHUNK = 256 * 1024;
const CONFIG_SIZE = 36; // capacity … num_queues (struct virtio_blk_config up to the fields we use)

const TYPE_NAMES: Record<number, string> = {
  [BLK_T.IN]: 'IN',
  [BLK_T.OUT]: 'OUT',
  [BLK_T.FLUSH]: 'FLUSH',
  [BLK_T.FLUSH_OUT]: 'FLUSH',
  [BLK_T.GET_ID]: 'GET_ID',
};
const STATUS_NAMES = ['OK', 'IOERR', 'UNSUPP'];

interface BlkStats {
  reads: number;
  writes: number;
  flushes: number;
  bytesRead: number;
  bytesWritten: number;
  errors: number;
  unsupported: number;
}

interface BlkState {
  stats: BlkStats;
  store: unknown;
}

interface Outcome {
  status: number;
  /** Data bytes written into the driver's buffers before the status byte. */
  written: number;
  detail: VirtioEventDetail;
}

export class VirtioBlk implements VirtioBackend {
  readonly deviceId = DEVICE_ID.BLOCK;
  readonly kind = 'virtio-blk';
  readonly numQueues = 1;
  readonly featureNames = BLK_FEATURE_NAMES;
  readonly features: bigint;
  readonly store: BlockStore;
  /** Disk size in 512-byte sectors. */
  readonly capacity: number;
  private readonly queueSize: number;
  private readonly serial: Uint8Array;
  private readonly config = new Uint8Array(CONFIG_SIZE);
  private ctx: VirtioDeviceContext | undefined;
  private stats: BlkStats = { reads: 0, writes: 0, flushes: 0, bytesRead: 0, bytesWritten: 0, errors: 0, unsupported: 0 };

  constructor(opts: VirtioBlkOptions) {
    this.store = opts.store;
    this.queueSize = opts.queueSize ?? 256;
    if (!Number.isInteger(this.queueSize) || this.queueSize < 4 || this.queueSize > MAX_QUEUE_SIZE || this.queueSize & (this.queueSize - 1)) {
      throw new RangeError(`virtio-blk queue size ${this.queueSize} must be a power of 2 in 4..${MAX_QUEUE_SIZE}`);
    }
    this.capacity = Math.floor(opts.store.size / SECTOR_SIZE);
    this.serial = new Uint8Array(BLK_ID_BYTES);
    this.serial.set(Buffer.from(opts.serial ?? '', 'latin1').subarray(0, BLK_ID_BYTES));
    // FLUSH: a device should always offer it (5.2.5.2). SEG_MAX keeps a request (header + data +
    // status) within one queue's worth of descriptors, as QEMU does.
    this.features = bit(BLK_F.SEG_MAX) | bit(BLK_F.BLK_SIZE) | bit(BLK_F.FLUSH) | (opts.store.readOnly ? bit(BLK_F.RO) : 0n);
    const dv = new DataView(this.config.buffer);
    dv.setBigUint64(0, BigInt(this.capacity), true);
    dv.setUint32(12, this.queueSize - 2, true); // seg_max
    dv.setUint32(20, opts.blkSize ?? SECTOR_SIZE, true); // blk_size
    dv.setUint16(34, 1, true); // num_queues (meaningful only with MQ, which we do not offer)
  }

  attach(ctx: VirtioDeviceContext): void {
    this.ctx = ctx;
  }

  queueMaxSize(index: number): number {
    return index === 0 ? this.queueSize : 0;
  }

  configRead(offset: number, size: number): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (offset + i < CONFIG_SIZE ? this.config[offset + i] : 0);
    return v;
  }

  configWrite(_offset: number, _size: number, _value: number): void {
    // Nothing writable without CONFIG_WCE.
  }

  reset(): void {
    // No per-driver state: requests complete synchronously.
  }

  notify(_index: number, vq: SplitVirtqueue): void {
    for (let c = vq.pop(); c !== undefined; c = vq.pop()) this.complete(vq, c);
  }

  private complete(vq: SplitVirtqueue, c: DescChain): void {
    const out = this.execute(c);
    if (out.status === BLK_S.IOERR) this.stats.errors++;
    if (out.status === BLK_S.UNSUPP) this.stats.unsupported++;
    out.detail.status = STATUS_NAMES[out.status];
    const mem = this.ctx?.mem;
    // The status is the last byte of the device-writable part (5.2.6); without one, nothing to say.
    const reported = mem !== undefined && c.writeLen > 0 && scatter(mem, c.writable, c.writeLen - 1, Uint8Array.of(out.status));
    vq.push(c.head, reported ? out.written + 1 : 0, out.detail);
  }

  private execute(c: DescChain): Outcome {
    const detail: VirtioEventDetail = {};
    const fail = (why: string): Outcome => ({ status: BLK_S.IOERR, written: 0, detail: { ...detail, error: why } });
    const mem = this.ctx?.mem;
    if (mem === undefined) return fail('not attached');
    if (c.error !== undefined) return fail(c.error);
    if (c.writeLen < 1) return fail('no status byte');
    const hdr = c.readLen >= BLK_REQ_HEADER ? gather(mem, c.readable, 0, BLK_REQ_HEADER) : undefined;
    if (hdr === undefined) return fail('request header shorter than 16 bytes');
    const hv = new DataView(hdr.buffer);
    const type = hv.getUint32(0, true);
    const sector = hv.getBigUint64(8, true);
    detail.type = TYPE_NAMES[type] ?? `type ${type}`;
    try {
      switch (type) {
        case BLK_T.IN:
        case BLK_T.OUT: {
          const isRead = type === BLK_T.IN;
          const len = isRead ? c.writeLen - 1 : c.readLen - BLK_REQ_HEADER;
          detail.sector = sector <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sector) : sector.toString();
          detail.bytes = len;
          if (len % SECTOR_SIZE !== 0) return fail(`data length ${len} is not a multiple of 512`);
          if (sector * BigInt(SECTOR_SIZE) + BigInt(len) > BigInt(this.capacity) * BigInt(SECTOR_SIZE)) return fail('past the end of the disk');
          // Read-only: IOERR and no data written (5.2.6.2).
          if (!isRead && this.store.readOnly) return fail('read-only disk');
          const base = Number(sector) * SECTOR_SIZE;
          return isRead ? this.readData(mem, c, base, len, detail) : this.writeData(mem, c, base, len, detail);
        }
        case BLK_T.FLUSH:
        case BLK_T.FLUSH_OUT:
          this.store.flush();
          this.stats.flushes++;
          return { status: BLK_S.OK, written: 0, detail };
        case BLK_T.GET_ID: {
          const n = Math.min(BLK_ID_BYTES, c.writeLen - 1);
          if (!scatter(mem, c.writable, 0, this.serial.subarray(0, n))) return fail('id buffer not writable');
          return { status: BLK_S.OK, written: n, detail };
        }
        default:
          return { status: BLK_S.UNSUPP, written: 0, detail };
      }
    } catch (e) {
      // Host I/O errors (EIO, ENOSPC…) are the driver's IOERR, never the emulator's exception.
      return fail(e instanceof Error ? e.message : String(e));
    }
  }

  private readData(mem: GuestMemory, c: DescChain, base: number, len: number, detail: VirtioEventDetail): Outcome {
    for (let off = 0; off < len; off += CHUNK) {
      const buf = new Uint8Array(Math.min(CHUNK, len - off));
      this.store.read(base + off, buf);
      if (!scatter(mem, c.writable, off, buf)) return { status: BLK_S.IOERR, written: off, detail: { ...detail, error: 'data buffer not writable' } };
    }
    this.stats.reads++;
    this.stats.bytesRead += len;
    return { status: BLK_S.OK, written: len, detail };
  }

  private writeData(mem: GuestMemory, c: DescChain, base: number, len: number, detail: VirtioEventDetail): Outcome {
    for (let off = 0; off < len; off += CHUNK) {
      const buf = gather(mem, c.readable, BLK_REQ_HEADER + off, Math.min(CHUNK, len - off));
      if (buf === undefined) return { status: BLK_S.IOERR, written: 0, detail: { ...detail, error: 'data buffer not readable' } };
      this.store.write(base + off, buf);
    }
    // Without a negotiated FLUSH the driver assumes writethrough: the write is stable once completed (5.2.6.2).
    if (!this.ctx?.hasFeature(BLK_F.FLUSH)) this.store.flush();
    this.stats.writes++;
    this.stats.bytesWritten += len;
    return { status: BLK_S.OK, written: 0, detail };
  }

  describe(): { registers: DeviceRegister[]; children: DeviceDescription[] } {
    const s = this.stats;
    return {
      registers: [
        { name: 'capacity', offset: 0x100, size: 8, value: BigInt(this.capacity), detail: `${this.capacity} sectors (${this.capacity * SECTOR_SIZE} bytes)` },
        { name: 'seg_max', offset: 0x10c, size: 4, value: this.queueSize - 2 },
        { name: 'blk_size', offset: 0x114, size: 4, value: new DataView(this.config.buffer).getUint32(20, true) },
        { name: 'serial', value: Buffer.from(this.serial).toString('latin1').replace(/\0+$/, '') },
      ],
      children: [
        { name: 'disk', kind: 'block store', registers: this.store.describe() },
        {
          name: 'requests', kind: 'statistics', registers: [
            { name: 'reads', value: s.reads, detail: `${s.bytesRead} bytes` },
            { name: 'writes', value: s.writes, detail: `${s.bytesWritten} bytes` },
            { name: 'flushes', value: s.flushes },
            { name: 'IOERR', value: s.errors },
            { name: 'UNSUPP', value: s.unsupported },
          ],
        },
      ],
    };
  }

  saveState(): BlkState {
    return { stats: { ...this.stats }, store: this.store.saveState() };
  }

  loadState(state: unknown): void {
    const s = state as BlkState;
    this.stats = { ...s.stats };
    this.store.loadState(s.store);
  }
}

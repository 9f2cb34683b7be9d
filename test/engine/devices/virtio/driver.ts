// A minimal virtio driver for tests: programs a VirtioMmio through its registers, exactly as a guest
// would (32-bit accesses), and builds descriptor chains and rings in a real Bus's RAM.
import { Bus } from '../../../../engine/bus.ts';
import type { IrqLine } from '../../../../engine/devices/device.ts';
import { BusGuestMemory } from '../../../../engine/devices/virtio/guest-memory.ts';
import { VirtioMmio } from '../../../../engine/devices/virtio/virtio-mmio.ts';
import type { VirtioBackend, VirtioEvent } from '../../../../engine/devices/virtio/virtio-mmio.ts';
import {
  F,
  REG,
  STATUS,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  bit,
} from '../../../../engine/devices/virtio/constants.ts';

export const RAM_BASE = 0x80000000;

/** An interrupt line whose level the test reads. */
export class TestIrq implements IrqLine {
  level = false;
  changes = 0;
  private readonly forward: IrqLine | undefined;
  /** `forward`: pass the level on (e.g. to a PLIC source). */
  constructor(forward?: IrqLine) {
    this.forward = forward;
  }
  set(level: boolean): void {
    if (level !== this.level) this.changes++;
    this.level = level;
    this.forward?.set(level);
  }
}

export interface Rig {
  bus: Bus;
  dev: VirtioMmio;
  irq: TestIrq;
  events: VirtioEvent[];
  drv: Driver;
}

export function makeRig(backend: VirtioBackend, opts: { legacy?: boolean; ramSize?: number; irq?: IrqLine } = {}): Rig {
  const bus = new Bus(RAM_BASE, opts.ramSize ?? 1 << 20);
  const irq = new TestIrq(opts.irq);
  const events: VirtioEvent[] = [];
  const dev = new VirtioMmio({
    name: 'virtio0', backend, mem: new BusGuestMemory(bus), irq, irqSource: 1, legacy: opts.legacy,
    onEvent: (e) => events.push(e),
  });
  bus.register(0x10001000, 0x1000, dev);
  return { bus, dev, irq, events, drv: new Driver(bus, dev) };
}

export interface Buf {
  addr: number;
  len: number;
  write?: boolean;
}

/** Driver-side view of one split virtqueue. */
export class DriverQueue {
  readonly size: number;
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  availIdx = 0;
  lastUsed = 0;
  private nextFree = 0;
  private readonly bus: Bus;

  constructor(bus: Bus, size: number, desc: number, avail: number, used: number) {
    this.bus = bus;
    this.size = size;
    this.desc = desc;
    this.avail = avail;
    this.used = used;
  }

  w8(pa: number, v: number): void { this.bus.writeRam(pa, Uint8Array.of(v)); }
  w16(pa: number, v: number): void { this.bus.writeRam(pa, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff)); }
  w32(pa: number, v: number): void { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); this.bus.writeRam(pa, b); }
  r16(pa: number): number { const o = this.bus.ramOffset(pa, 2); return this.bus.ram[o] | (this.bus.ram[o + 1] << 8); }
  r32(pa: number): number { const o = this.bus.ramOffset(pa, 4); return new DataView(this.bus.ram.buffer).getUint32(o, true); }

  /** Writes descriptor `i` of the table at `table` (the ring's own table by default). */
  writeDesc(i: number, addr: number | bigint, len: number, flags: number, next: number, table = this.desc): void {
    const d = table + 16 * i;
    const a = BigInt.asUintN(64, BigInt(addr));
    this.w32(d, Number(a & 0xffffffffn));
    this.w32(d + 4, Number(a >> 32n));
    this.w32(d + 8, len);
    this.w16(d + 12, flags);
    this.w16(d + 14, next);
  }

  /** The same driver-side state over another bus (for snapshot tests). */
  clone(bus: Bus): DriverQueue {
    const q = new DriverQueue(bus, this.size, this.desc, this.avail, this.used);
    q.availIdx = this.availIdx;
    q.lastUsed = this.lastUsed;
    q.nextFree = this.nextFree;
    return q;
  }

  private alloc(): number {
    const i = this.nextFree;
    this.nextFree = (this.nextFree + 1) % this.size;
    return i;
  }

  /** A direct chain in the descriptor table; returns its head. */
  chain(bufs: Buf[]): number {
    const idx = bufs.map(() => this.alloc());
    bufs.forEach((b, k) => this.writeDesc(idx[k], b.addr, b.len, (b.write ? VIRTQ_DESC_F_WRITE : 0) | (k + 1 < bufs.length ? VIRTQ_DESC_F_NEXT : 0), k + 1 < bufs.length ? idx[k + 1] : 0));
    return idx[0];
  }

  /** One ring descriptor pointing at an indirect table (at `table`) holding the chain. */
  indirect(bufs: Buf[], table: number): number {
    bufs.forEach((b, k) => this.writeDesc(k, b.addr, b.len, (b.write ? VIRTQ_DESC_F_WRITE : 0) | (k + 1 < bufs.length ? VIRTQ_DESC_F_NEXT : 0), k + 1, table));
    const head = this.alloc();
    this.writeDesc(head, table, 16 * bufs.length, VIRTQ_DESC_F_INDIRECT, 0);
    return head;
  }

  /** Makes chains available (ring entries, then idx). */
  publish(...heads: number[]): void {
    for (const h of heads) {
      this.w16(this.avail + 4 + 2 * (this.availIdx % this.size), h);
      this.availIdx = (this.availIdx + 1) & 0xffff;
    }
    this.w16(this.avail + 2, this.availIdx);
  }

  usedIdx(): number {
    return this.r16(this.used + 2);
  }

  /** Used entries the device added since the last call. */
  takeUsed(): Array<{ id: number; len: number }> {
    const out: Array<{ id: number; len: number }> = [];
    const idx = this.usedIdx();
    while (this.lastUsed !== idx) {
      const e = this.used + 4 + 8 * (this.lastUsed % this.size);
      out.push({ id: this.r32(e), len: this.r32(e + 4) });
      this.lastUsed = (this.lastUsed + 1) & 0xffff;
    }
    return out;
  }

  setAvailFlags(f: number): void { this.w16(this.avail, f); }
  setUsedEvent(v: number): void { this.w16(this.avail + 4 + 2 * this.size, v); }
  availEvent(): number { return this.r16(this.used + 4 + 8 * this.size); }
}

/** Queue memory: queue q's rings live at RAM_BASE + 0x10000 * (q + 1). */
export const queueArea = (q: number): number => RAM_BASE + 0x10000 * (q + 1);

export class Driver {
  readonly bus: Bus;
  readonly dev: VirtioMmio;
  readonly queues: DriverQueue[] = [];

  constructor(bus: Bus, dev: VirtioMmio) {
    this.bus = bus;
    this.dev = dev;
  }

  r(off: number): number { return this.dev.read(off, 4); }
  w(off: number, v: number): void { this.dev.write(off, 4, v); }

  status(): number { return this.r(REG.STATUS); }

  deviceFeatures(): bigint {
    this.w(REG.DEVICE_FEATURES_SEL, 0);
    const lo = this.r(REG.DEVICE_FEATURES);
    this.w(REG.DEVICE_FEATURES_SEL, 1);
    const hi = this.r(REG.DEVICE_FEATURES);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  writeFeatures(f: bigint): void {
    this.w(REG.DRIVER_FEATURES_SEL, 1);
    this.w(REG.DRIVER_FEATURES, Number((f >> 32n) & 0xffffffffn));
    this.w(REG.DRIVER_FEATURES_SEL, 0);
    this.w(REG.DRIVER_FEATURES, Number(f & 0xffffffffn));
  }

  /**
   * Reset, ACKNOWLEDGE, DRIVER, features (all offered ones in `want`; default everything offered),
   * FEATURES_OK (modern). Returns whether the device kept FEATURES_OK (legacy: true).
   */
  negotiate(want?: bigint): boolean {
    this.w(REG.STATUS, 0);
    this.queues.length = 0;
    this.w(REG.STATUS, STATUS.ACKNOWLEDGE);
    this.w(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    const offered = this.deviceFeatures();
    this.writeFeatures(want ?? offered);
    if (this.dev.legacy) return true;
    this.w(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
    return (this.status() & STATUS.FEATURES_OK) !== 0;
  }

  /** Sets queue `q` up with `size` entries at queueArea(q) (zeroed), modern or legacy layout. */
  setupQueue(q: number, size: number, area = queueArea(q)): DriverQueue {
    this.bus.writeRam(area, new Uint8Array(0x8000));
    this.w(REG.QUEUE_SEL, q);
    this.w(REG.QUEUE_NUM, size);
    let dq: DriverQueue;
    if (this.dev.legacy) {
      const avail = area + 16 * size;
      const used = Math.ceil((avail + 6 + 2 * size) / 4096) * 4096;
      dq = new DriverQueue(this.bus, size, area, avail, used);
      this.w(REG.GUEST_PAGE_SIZE, 4096);
      this.w(REG.QUEUE_ALIGN, 4096);
      this.w(REG.QUEUE_PFN, area / 4096);
    } else {
      dq = new DriverQueue(this.bus, size, area, area + 0x1000, area + 0x2000);
      this.w(REG.QUEUE_DESC_LOW, dq.desc);
      this.w(REG.QUEUE_DESC_HIGH, 0);
      this.w(REG.QUEUE_DRIVER_LOW, dq.avail);
      this.w(REG.QUEUE_DRIVER_HIGH, 0);
      this.w(REG.QUEUE_DEVICE_LOW, dq.used);
      this.w(REG.QUEUE_DEVICE_HIGH, 0);
      this.w(REG.QUEUE_READY, 1);
    }
    this.queues[q] = dq;
    return dq;
  }

  driverOk(): void {
    this.w(REG.STATUS, this.status() | STATUS.DRIVER_OK);
  }

  /** negotiate + set up `numQueues` queues of `size` + DRIVER_OK. */
  init(numQueues: number, size = 8, want?: bigint): DriverQueue[] {
    if (!this.negotiate(want)) throw new Error('FEATURES_OK refused');
    for (let q = 0; q < numQueues; q++) this.setupQueue(q, size);
    this.driverOk();
    return this.queues;
  }

  notify(q: number): void {
    this.w(REG.QUEUE_NOTIFY, q);
  }

  ack(): number {
    const s = this.r(REG.INTERRUPT_STATUS);
    this.w(REG.INTERRUPT_ACK, s);
    return s;
  }

  writeBytes(pa: number, bytes: Uint8Array | number[]): void {
    this.bus.writeRam(pa, Uint8Array.from(bytes));
  }

  readBytes(pa: number, len: number): Uint8Array {
    const o = this.bus.ramOffset(pa, len);
    return this.bus.ram.slice(o, o + len);
  }
}

/** Feature masks used by tests. */
export const FEAT = {
  VERSION_1: bit(F.VERSION_1),
  INDIRECT: bit(F.INDIRECT_DESC),
  EVENT_IDX: bit(F.EVENT_IDX),
  ANY_LAYOUT: bit(F.ANY_LAYOUT),
};

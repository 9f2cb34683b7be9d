// The virtio-mmio transport (virtio 1.x, 4.2): the register window a driver programs, in the modern
// layout (Version 2, the default) or the legacy one (Version 1: GuestPageSize, QueuePFN, QueueAlign;
// 4.2.4). The device type itself is a VirtioBackend plugged into it.
//
// Notifications are handled synchronously: a QueueNotify write consumes the queue and completes its
// requests before the store retires, so the same guest run gives the same instruction stream.
import type { DeviceDescription, DeviceRegister, FdtContext, FdtNode, IrqLine, MmioDevice } from '../device.ts';
import { virtioMmioNode } from '../virtio-mmio-empty.ts';
import type { GuestMemory } from './guest-memory.ts';
import { SplitVirtqueue } from './virtqueue.ts';
import type { VirtqueueLayout, VirtqueueState } from './virtqueue.ts';
import {
  F,
  INT,
  MAX_QUEUE_SIZE,
  REG,
  STATUS,
  TRANSPORT_FEATURE_NAMES,
  VIRTIO_MMIO_MAGIC,
  VIRTIO_VENDOR_QEMU,
  bit,
} from './constants.ts';

export type VirtioEventDetail = Record<string, string | number | boolean>;

/** Activity for the engine's event stream. `queue` is -1 for a configuration-change interrupt. */
export interface VirtioEvent {
  kind: 'virtio-notify' | 'virtio-complete' | 'virtio-irq';
  device: string;
  queue: number;
  detail?: VirtioEventDetail;
}

/** What the transport gives its backend. */
export interface VirtioDeviceContext {
  readonly mem: GuestMemory;
  /** Features both offered and accepted by the driver. */
  negotiated(): bigint;
  hasFeature(bitNumber: number): boolean;
  /**
   * Runs `work` on queue `index` if the device and that queue are live, then raises the used-buffer
   * interrupt if the driver's suppression settings ask for it. For device-initiated work (input).
   */
  processQueue(index: number, work: (vq: SplitVirtqueue) => void): void;
  /** The device changed its configuration space: bump ConfigGeneration, notify the driver. */
  configChanged(): void;
  /** Unrecoverable error: set DEVICE_NEEDS_RESET (and notify the driver if DRIVER_OK). */
  fail(reason: string): void;
}

/** A virtio device type (block, entropy, console…) behind the transport. */
export interface VirtioBackend {
  readonly deviceId: number;
  /** For people: "virtio-blk". */
  readonly kind: string;
  /** Device-type feature bits offered (the transport adds INDIRECT_DESC, EVENT_IDX, VERSION_1…). */
  readonly features: bigint;
  /** Names of the device-type feature bits, for describe(). */
  readonly featureNames?: Readonly<Record<number, string>>;
  readonly numQueues: number;
  queueMaxSize(index: number): number;
  /** Device-specific configuration space (little-endian; RISC-V legacy drivers are little-endian too). */
  configRead(offset: number, size: number): number;
  configWrite(offset: number, size: number, value: number): void;
  /** Called once by the transport's constructor. */
  attach(ctx: VirtioDeviceContext): void;
  /** Buffers may be available on queue `index`: consume what is there. */
  notify(index: number, vq: SplitVirtqueue): void;
  /** Device reset (status written 0). */
  reset(): void;
  describe(): { registers: DeviceRegister[]; children?: DeviceDescription[] };
  saveState(): unknown;
  loadState(state: unknown): void;
}

export interface VirtioMmioOptions {
  name: string;
  backend: VirtioBackend;
  /** Guest RAM as the device sees it (BusGuestMemory over the board's bus). */
  mem: GuestMemory;
  /** The transport's interrupt line (PLIC source), driven high while InterruptStatus != 0. */
  irq: IrqLine;
  /** PLIC source number, for the device tree (QEMU virt: 1 + slot). */
  irqSource: number;
  /** Version 1 (legacy) register layout instead of Version 2. */
  legacy?: boolean;
  onEvent?: (e: VirtioEvent) => void;
}

interface QueueRegs {
  num: number;
  ready: boolean;
  descLo: number;
  descHi: number;
  driverLo: number;
  driverHi: number;
  deviceLo: number;
  deviceHi: number;
  pfn: number;
  align: number;
  vq: SplitVirtqueue | undefined;
  /** A pass is running (re-entrant notifications are deferred, not nested). */
  busy: boolean;
  rerun: boolean;
}

/** A queue's registers as saved in snapshots (the ring's progress instead of the live walker). */
type QueueSavedState = Omit<QueueRegs, 'vq' | 'busy' | 'rerun'> & { vq: VirtqueueState | null };

interface VirtioMmioState {
  legacy: boolean;
  status: number;
  deviceFeaturesSel: number;
  driverFeaturesSel: number;
  driverFeatures: string;
  queueSel: number;
  isr: number;
  configGeneration: number;
  guestPageSize: number;
  shmSel: number;
  lastError: string | null;
  queues: QueueSavedState[];
  backend: unknown;
}

/** Legacy defaults: 4 KiB pages and used-ring alignment, as QEMU and Linux use them. */
const LEGACY_DEFAULT_PAGE_SIZE = 4096;
const LEGACY_DEFAULT_ALIGN = 4096;
/** Bound on deferred re-runs of one queue within one notification. */
const MAX_RERUNS = 8;

const STATUS_NAMES: Array<[number, string]> = [
  [STATUS.ACKNOWLEDGE, 'ACKNOWLEDGE'],
  [STATUS.DRIVER, 'DRIVER'],
  [STATUS.FEATURES_OK, 'FEATURES_OK'],
  [STATUS.DRIVER_OK, 'DRIVER_OK'],
  [STATUS.DEVICE_NEEDS_RESET, 'NEEDS_RESET'],
  [STATUS.FAILED, 'FAILED'],
];

export function decodeStatus(s: number): string {
  return STATUS_NAMES.filter(([b]) => s & b).map(([, n]) => n).join(' ') || 'reset';
}

const addr64 = (lo: number, hi: number): number => hi * 2 ** 32 + lo;

export class VirtioMmio implements MmioDevice {
  readonly name: string;
  readonly backend: VirtioBackend;
  readonly legacy: boolean;
  onEvent: ((e: VirtioEvent) => void) | undefined;
  private readonly mem: GuestMemory;
  private readonly irq: IrqLine;
  private readonly irqSource: number;
  /** Everything offered: the backend's bits plus the transport's. */
  readonly offered: bigint;

  private status = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private isr = 0;
  private configGeneration = 0;
  private guestPageSize = LEGACY_DEFAULT_PAGE_SIZE;
  private shmSel = 0;
  private lastError: string | null = null;
  private irqLevel = false;
  private readonly queues: QueueRegs[];

  constructor(opts: VirtioMmioOptions) {
    this.name = opts.name;
    this.backend = opts.backend;
    this.legacy = opts.legacy ?? false;
    this.mem = opts.mem;
    this.irq = opts.irq;
    this.irqSource = opts.irqSource;
    this.onEvent = opts.onEvent;
    // Modern devices must offer VERSION_1 (6.1); legacy ones must not, and offer ANY_LAYOUT as QEMU
    // does (we never assume a framing).
    const transport = bit(F.INDIRECT_DESC) | bit(F.EVENT_IDX) | (this.legacy ? bit(F.ANY_LAYOUT) : bit(F.VERSION_1));
    this.offered = BigInt.asUintN(64, opts.backend.features) | transport;
    this.queues = Array.from({ length: opts.backend.numQueues }, (_, i) => this.freshQueue(i));
    const ctx: VirtioDeviceContext = {
      mem: this.mem,
      negotiated: () => this.negotiated(),
      hasFeature: (b) => (this.negotiated() & bit(b)) !== 0n,
      processQueue: (i, work) => this.processQueue(i, work),
      configChanged: () => this.configChanged(),
      fail: (reason) => this.fail(reason),
    };
    opts.backend.attach(ctx);
  }

  private freshQueue(i: number): QueueRegs {
    return {
      num: this.maxSize(i),
      ready: false,
      descLo: 0, descHi: 0, driverLo: 0, driverHi: 0, deviceLo: 0, deviceHi: 0,
      pfn: 0,
      align: LEGACY_DEFAULT_ALIGN,
      vq: undefined,
      busy: false,
      rerun: false,
    };
  }

  private maxSize(i: number): number {
    const n = this.backend.queueMaxSize(i);
    return Math.min(Math.max(0, Math.floor(n)), MAX_QUEUE_SIZE);
  }

  /** Features offered and accepted. */
  negotiated(): bigint {
    return this.driverFeatures & this.offered;
  }

  private emit(kind: VirtioEvent['kind'], queue: number, detail?: VirtioEventDetail): void {
    this.onEvent?.({ kind, device: this.name, queue, detail });
  }

  // ------------------------------------------------------------------------------------------
  // Registers

  read(offset: number, size: number): number {
    if (offset >= REG.CONFIG) {
      const v = this.backend.configRead(offset - REG.CONFIG, size);
      return size === 4 ? v >>> 0 : v & (size === 1 ? 0xff : 0xffff);
    }
    // Control registers are 32-bit only (4.2.2.2); anything else reads 0, as in QEMU.
    if (size !== 4 || offset & 3) return 0;
    const q = this.queues[this.queueSel] as QueueRegs | undefined;
    switch (offset) {
      case REG.MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
      case REG.VERSION:
        return this.legacy ? 1 : 2;
      case REG.DEVICE_ID:
        return this.backend.deviceId;
      case REG.VENDOR_ID:
        return VIRTIO_VENDOR_QEMU;
      case REG.DEVICE_FEATURES:
        return this.deviceFeaturesSel < 2 ? Number((this.offered >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn) : 0;
      case REG.QUEUE_NUM_MAX:
        return q ? this.maxSize(this.queueSel) : 0;
      case REG.QUEUE_PFN:
        return this.legacy && q ? q.pfn : 0;
      case REG.QUEUE_READY:
        return !this.legacy && q?.ready ? 1 : 0;
      case REG.INTERRUPT_STATUS:
        return this.isr;
      case REG.STATUS:
        return this.status;
      case REG.SHM_LEN_LOW:
      case REG.SHM_LEN_HIGH:
      case REG.SHM_BASE_LOW:
      case REG.SHM_BASE_HIGH:
        // No shared memory regions: length and base read as all ones (4.2.2).
        return this.legacy ? 0 : 0xffffffff;
      case REG.CONFIG_GENERATION:
        return this.legacy ? 0 : this.configGeneration;
      default:
        return 0; // write-only or unknown
    }
  }

  write(offset: number, size: number, value: number): void {
    if (offset >= REG.CONFIG) {
      this.backend.configWrite(offset - REG.CONFIG, size, value);
      return;
    }
    if (size !== 4 || offset & 3) return;
    const v = value >>> 0;
    const q = this.queues[this.queueSel] as QueueRegs | undefined;
    switch (offset) {
      case REG.DEVICE_FEATURES_SEL:
        this.deviceFeaturesSel = v;
        return;
      case REG.DRIVER_FEATURES:
        this.writeDriverFeatures(v);
        return;
      case REG.DRIVER_FEATURES_SEL:
        this.driverFeaturesSel = v;
        return;
      case REG.GUEST_PAGE_SIZE:
        if (this.legacy) this.guestPageSize = v;
        return;
      case REG.QUEUE_SEL:
        this.queueSel = v;
        return;
      case REG.QUEUE_NUM:
        // Not while the queue is live (4.2.2.2): the rings would move under the device.
        if (q && !this.queueLive(q)) q.num = v;
        return;
      case REG.QUEUE_ALIGN:
        if (this.legacy && q && q.pfn === 0) q.align = v;
        return;
      case REG.QUEUE_PFN:
        if (this.legacy && q) this.writeQueuePfn(q, v);
        return;
      case REG.QUEUE_READY:
        if (!this.legacy && q) this.writeQueueReady(q, (v & 1) !== 0);
        return;
      case REG.QUEUE_DESC_LOW:
      case REG.QUEUE_DESC_HIGH:
      case REG.QUEUE_DRIVER_LOW:
      case REG.QUEUE_DRIVER_HIGH:
      case REG.QUEUE_DEVICE_LOW:
      case REG.QUEUE_DEVICE_HIGH:
        if (!this.legacy && q && !q.ready) this.writeQueueAddress(q, offset, v);
        return;
      case REG.QUEUE_NOTIFY:
        this.notify(v);
        return;
      case REG.INTERRUPT_ACK:
        this.isr &= ~v;
        this.updateIrq();
        return;
      case REG.STATUS:
        this.writeStatus(v & 0xff);
        return;
      case REG.SHM_SEL:
        if (!this.legacy) this.shmSel = v;
        return;
      default:
        return; // read-only or unknown
    }
  }

  private writeDriverFeatures(v: number): void {
    // Features are frozen once FEATURES_OK is accepted (3.1.1); legacy drivers have no such step.
    if (!this.legacy && this.status & STATUS.FEATURES_OK) return;
    if (this.driverFeaturesSel > 1) return;
    const shift = BigInt(32 * this.driverFeaturesSel);
    this.driverFeatures = (this.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(v) << shift);
  }

  private writeQueueAddress(q: QueueRegs, offset: number, v: number): void {
    switch (offset) {
      case REG.QUEUE_DESC_LOW: q.descLo = v; break;
      case REG.QUEUE_DESC_HIGH: q.descHi = v; break;
      case REG.QUEUE_DRIVER_LOW: q.driverLo = v; break;
      case REG.QUEUE_DRIVER_HIGH: q.driverHi = v; break;
      case REG.QUEUE_DEVICE_LOW: q.deviceLo = v; break;
      case REG.QUEUE_DEVICE_HIGH: q.deviceHi = v; break;
    }
  }

  private queueLive(q: QueueRegs): boolean {
    return this.legacy ? q.pfn !== 0 : q.ready;
  }

  /** Where the rings are: the modern registers, or the legacy contiguous layout (2.7.2). */
  private layout(q: QueueRegs): VirtqueueLayout {
    const size = q.num;
    if (!this.legacy) return { size, desc: addr64(q.descLo, q.descHi), avail: addr64(q.driverLo, q.driverHi), used: addr64(q.deviceLo, q.deviceHi) };
    const desc = q.pfn * this.guestPageSize;
    const avail = desc + 16 * size;
    const align = q.align;
    const used = align > 0 && (align & (align - 1)) === 0 ? Math.ceil((avail + 6 + 2 * size) / align) * align : NaN;
    return { size, desc, avail, used };
  }

  private makeQueue(i: number, q: QueueRegs): SplitVirtqueue {
    return new SplitVirtqueue(i, this.layout(q), this.mem, {
      fail: (reason) => this.fail(reason),
      completed: (head, len, detail) => this.emit('virtio-complete', i, { head, len, ...detail }),
      eventIdx: () => (this.negotiated() & bit(F.EVENT_IDX)) !== 0n,
      indirect: () => (this.negotiated() & bit(F.INDIRECT_DESC)) !== 0n,
    });
  }

  /** A queue goes live: check what the driver gave us; a bad queue puts the device in NEEDS_RESET. */
  private activate(q: QueueRegs): void {
    const i = this.queues.indexOf(q);
    const max = this.maxSize(i);
    if (q.num === 0 || q.num > max || (q.num & (q.num - 1)) !== 0) {
      this.fail(`queue ${i}: size ${q.num} is not a power of 2 up to ${max}`);
      return;
    }
    const l = this.layout(q);
    if (!Number.isFinite(l.used)) {
      this.fail(`queue ${i}: QueueAlign ${q.align} is not a power of 2`);
      return;
    }
    q.vq = this.makeQueue(i, q);
  }

  private writeQueueReady(q: QueueRegs, ready: boolean): void {
    if (ready === q.ready) return;
    q.ready = ready;
    q.vq = undefined;
    if (ready) this.activate(q);
  }

  private writeQueuePfn(q: QueueRegs, pfn: number): void {
    // PFN 0 means the driver stopped using the queue (4.2.4). (QEMU resets the whole device here.)
    q.pfn = pfn;
    q.vq = undefined;
    if (pfn !== 0) this.activate(q);
  }

  private writeStatus(v: number): void {
    if (v === 0) {
      this.reset();
      return;
    }
    const old = this.status;
    // DEVICE_NEEDS_RESET belongs to the device: only a reset clears it.
    let next = (v & ~STATUS.DEVICE_NEEDS_RESET) | (old & STATUS.DEVICE_NEEDS_RESET);
    if (next & STATUS.FEATURES_OK && !(old & STATUS.FEATURES_OK) && !this.featuresAcceptable()) next &= ~STATUS.FEATURES_OK;
    this.status = next;
    // Buffers made available before DRIVER_OK were not consumed (2.1.2): look at them now.
    if (next & STATUS.DRIVER_OK && !(old & STATUS.DRIVER_OK)) {
      for (let i = 0; i < this.queues.length; i++) this.processQueue(i, (vq) => this.backend.notify(i, vq));
    }
  }

  /** The device accepts any subset of what it offered; a modern device also requires VERSION_1 (6.1). */
  private featuresAcceptable(): boolean {
    if ((this.driverFeatures & ~this.offered) !== 0n) return false;
    return this.legacy || (this.driverFeatures & bit(F.VERSION_1)) !== 0n;
  }

  private notify(v: number): void {
    const index = v & 0xffff; // without NOTIFICATION_DATA the value is the queue index (4.2.3.3)
    this.emit('virtio-notify', index, { value: v });
    this.processQueue(index, (vq) => this.backend.notify(index, vq));
  }

  /** Whether the device may consume buffers: after DRIVER_OK (modern), or once set up (legacy, 3.1.2). */
  private deviceLive(): boolean {
    if (this.status & (STATUS.DEVICE_NEEDS_RESET | STATUS.FAILED)) return false;
    if (this.legacy) return true;
    return (this.status & (STATUS.DRIVER_OK | STATUS.FEATURES_OK)) === (STATUS.DRIVER_OK | STATUS.FEATURES_OK);
  }

  private processQueue(index: number, work: (vq: SplitVirtqueue) => void): void {
    const q = this.queues[index] as QueueRegs | undefined;
    if (!q || !this.deviceLive()) return;
    if (q.busy) {
      q.rerun = true; // e.g. host input arriving from an output callback: run after this pass
      return;
    }
    q.busy = true;
    try {
      for (let run = 0; run < MAX_RERUNS; run++) {
        q.rerun = false;
        const vq = q.vq;
        if (!vq || !this.deviceLive() || !vq.beginPass()) break;
        work(vq);
        if (vq.endPass()) this.raise(INT.USED_BUFFER, index);
        if (!q.rerun) break;
      }
    } finally {
      q.busy = false;
      q.rerun = false;
    }
  }

  private raise(bits: number, queue: number): void {
    this.isr |= bits;
    this.updateIrq();
    this.emit('virtio-irq', queue, { cause: bits & INT.CONFIG_CHANGE ? 'config' : 'used', interruptStatus: this.isr });
  }

  private updateIrq(force = false): void {
    const level = this.isr !== 0;
    if (level !== this.irqLevel || force) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  private configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    if (this.status & STATUS.DRIVER_OK) this.raise(INT.CONFIG_CHANGE, -1);
  }

  /** DEVICE_NEEDS_RESET (2.1.2): stop, and tell a running driver with a configuration change. */
  private fail(reason: string): void {
    if (this.status & STATUS.DEVICE_NEEDS_RESET) return;
    this.lastError = reason;
    this.status |= STATUS.DEVICE_NEEDS_RESET;
    if (this.status & STATUS.DRIVER_OK) this.raise(INT.CONFIG_CHANGE, -1);
  }

  /** Device reset (status 0). GuestPageSize survives: Linux writes it once, at probe, before resetting. */
  reset(): void {
    this.status = 0;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures = 0n;
    this.queueSel = 0;
    this.shmSel = 0;
    this.isr = 0;
    this.lastError = null;
    for (let i = 0; i < this.queues.length; i++) this.queues[i] = this.freshQueue(i);
    this.updateIrq();
    this.backend.reset();
  }

  // ------------------------------------------------------------------------------------------
  // Views, device tree, snapshots

  private featureNames(mask: bigint): string {
    const names: string[] = [];
    for (let b = 0; b < 64; b++) {
      if (!(mask & bit(b))) continue;
      names.push(TRANSPORT_FEATURE_NAMES[b] ?? this.backend.featureNames?.[b] ?? `bit${b}`);
    }
    return names.join(' ') || 'none';
  }

  describe(): DeviceDescription {
    const be = this.backend.describe();
    const registers: DeviceRegister[] = [
      { name: 'MagicValue', offset: REG.MAGIC_VALUE, size: 4, value: VIRTIO_MMIO_MAGIC, detail: '"virt"' },
      { name: 'Version', offset: REG.VERSION, size: 4, value: this.legacy ? 1 : 2, detail: this.legacy ? 'legacy' : 'modern' },
      { name: 'DeviceID', offset: REG.DEVICE_ID, size: 4, value: this.backend.deviceId, detail: this.backend.kind },
      { name: 'VendorID', offset: REG.VENDOR_ID, size: 4, value: VIRTIO_VENDOR_QEMU, detail: '"QEMU"' },
      { name: 'DeviceFeatures', offset: REG.DEVICE_FEATURES, value: this.offered, detail: this.featureNames(this.offered) },
      { name: 'DeviceFeaturesSel', offset: REG.DEVICE_FEATURES_SEL, size: 4, value: this.deviceFeaturesSel },
      { name: 'DriverFeatures', offset: REG.DRIVER_FEATURES, value: this.driverFeatures, detail: this.featureNames(this.driverFeatures) },
      { name: 'DriverFeaturesSel', offset: REG.DRIVER_FEATURES_SEL, size: 4, value: this.driverFeaturesSel },
      { name: 'negotiated', value: this.negotiated(), detail: this.featureNames(this.negotiated()) },
      { name: 'QueueSel', offset: REG.QUEUE_SEL, size: 4, value: this.queueSel },
      {
        name: 'InterruptStatus', offset: REG.INTERRUPT_STATUS, size: 4, value: this.isr,
        detail: [this.isr & INT.USED_BUFFER ? 'used buffer' : '', this.isr & INT.CONFIG_CHANGE ? 'config change' : ''].filter((s) => s).join(', ') || 'none',
      },
      { name: 'Status', offset: REG.STATUS, size: 4, value: this.status, detail: decodeStatus(this.status) },
    ];
    if (this.legacy) registers.push({ name: 'GuestPageSize', offset: REG.GUEST_PAGE_SIZE, size: 4, value: this.guestPageSize });
    else registers.push({ name: 'ConfigGeneration', offset: REG.CONFIG_GENERATION, size: 4, value: this.configGeneration });
    if (this.lastError !== null) registers.push({ name: 'error', value: this.lastError });
    registers.push(...be.registers);
    const children: DeviceDescription[] = this.queues.map((q, i) => {
      const regs: DeviceRegister[] = [
        { name: 'QueueNumMax', offset: REG.QUEUE_NUM_MAX, size: 4, value: this.maxSize(i) },
        { name: 'QueueNum', offset: REG.QUEUE_NUM, size: 4, value: q.num, detail: 'size' },
      ];
      if (this.legacy) {
        regs.push({ name: 'QueueAlign', offset: REG.QUEUE_ALIGN, size: 4, value: q.align });
        regs.push({ name: 'QueuePFN', offset: REG.QUEUE_PFN, size: 4, value: q.pfn, detail: q.pfn ? 'in use' : 'unused' });
      } else {
        regs.push({ name: 'QueueReady', offset: REG.QUEUE_READY, size: 4, value: q.ready ? 1 : 0 });
      }
      // Where the rings are (or would be): a number above 2^53 is shown rounded, and is outside RAM anyway.
      const l = this.layout(q);
      const where = (v: number): bigint | string => (Number.isFinite(v) ? BigInt(Math.round(v)) : 'invalid QueueAlign');
      regs.push(
        { name: 'desc', offset: this.legacy ? undefined : REG.QUEUE_DESC_LOW, value: where(l.desc), detail: 'descriptor table' },
        { name: 'driver', offset: this.legacy ? undefined : REG.QUEUE_DRIVER_LOW, value: where(l.avail), detail: 'available ring' },
        { name: 'device', offset: this.legacy ? undefined : REG.QUEUE_DEVICE_LOW, value: where(l.used), detail: 'used ring' },
      );
      const queue: DeviceDescription = { name: `queue ${i}`, kind: 'virtqueue', registers: regs };
      if (q.vq) {
        regs.push(...q.vq.registers());
        queue.children = q.vq.describeRings();
      } else {
        regs.push({ name: 'state', value: 'not live' });
      }
      return queue;
    });
    children.push(...(be.children ?? []));
    return { name: this.name, kind: `virtio-mmio ${this.backend.kind}`, registers, children };
  }

  fdtNode(base: number, size: number, ctx: FdtContext): FdtNode {
    return virtioMmioNode(base, size, this.irqSource, ctx);
  }

  saveState(): VirtioMmioState {
    return {
      legacy: this.legacy,
      status: this.status,
      deviceFeaturesSel: this.deviceFeaturesSel,
      driverFeaturesSel: this.driverFeaturesSel,
      driverFeatures: this.driverFeatures.toString(16),
      queueSel: this.queueSel,
      isr: this.isr,
      configGeneration: this.configGeneration,
      guestPageSize: this.guestPageSize,
      shmSel: this.shmSel,
      lastError: this.lastError,
      queues: this.queues.map((q) => ({
        num: q.num, ready: q.ready,
        descLo: q.descLo, descHi: q.descHi, driverLo: q.driverLo, driverHi: q.driverHi, deviceLo: q.deviceLo, deviceHi: q.deviceHi,
        pfn: q.pfn, align: q.align,
        vq: q.vq ? q.vq.saveState() : null,
      })),
      backend: this.backend.saveState(),
    };
  }

  loadState(state: unknown): void {
    const s = state as VirtioMmioState;
    if (s.legacy !== this.legacy) throw new Error(`${this.name}: snapshot is for a ${s.legacy ? 'legacy' : 'modern'} transport`);
    this.status = s.status;
    this.deviceFeaturesSel = s.deviceFeaturesSel;
    this.driverFeaturesSel = s.driverFeaturesSel;
    this.driverFeatures = BigInt(`0x${s.driverFeatures}`);
    this.queueSel = s.queueSel;
    this.isr = s.isr;
    this.configGeneration = s.configGeneration;
    this.guestPageSize = s.guestPageSize;
    this.shmSel = s.shmSel;
    this.lastError = s.lastError;
    this.queues.forEach((q, i) => {
      const qs = s.queues[i];
      Object.assign(q, {
        num: qs.num, ready: qs.ready,
        descLo: qs.descLo, descHi: qs.descHi, driverLo: qs.driverLo, driverHi: qs.driverHi, deviceLo: qs.deviceLo, deviceHi: qs.deviceHi,
        pfn: qs.pfn, align: qs.align, vq: undefined, busy: false, rerun: false,
      });
      if (qs.vq) {
        const vq = this.makeQueue(i, q);
        vq.loadState(qs.vq);
        q.vq = vq;
      }
    });
    this.backend.loadState(s.backend);
    this.updateIrq(true);
  }
}

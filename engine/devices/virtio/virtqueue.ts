// A split virtqueue (virtio 1.x, 2.7) seen from the device: pop descriptor chains from the available
// ring, push them to the used ring, and decide whether the driver wants a used-buffer notification.
//
// The driver is untrusted. Every walk is bounded (a chain visits at most `size` descriptors of the
// ring and at most `size` of one indirect table), every address is checked against RAM, and nothing
// throws out of here. Two kinds of failure:
//  - the chain's structure is sound but a buffer is not (outside RAM, too long, a readable descriptor
//    after a writable one): pop() returns the chain with `error` set, so the device can complete it
//    with an error status (virtio-blk: IOERR) or with length 0;
//  - the rings or the chain's structure are garbage (head or next out of range, a loop, a bad
//    indirect table, nested indirect, the available index running ahead by more than the queue
//    size, rings outside RAM): nothing sensible can be returned to the driver, so the queue stops and
//    `fail` is called — the transport sets DEVICE_NEEDS_RESET (2.1.2), as QEMU's virtio_error does.
import type { GuestMemory } from './guest-memory.ts';
import {
  DESC_SIZE,
  MAX_CHAIN_BYTES,
  MAX_QUEUE_SIZE,
  VIRTQ_AVAIL_F_NO_INTERRUPT,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
} from './constants.ts';
import type { DeviceDescription, DeviceRegister } from '../device.ts';

/** One guest buffer: `len` bytes at guest-physical `addr`. */
export interface Segment {
  addr: number;
  len: number;
}

export interface DescChain {
  /** Head descriptor index: what goes back in the used ring. */
  head: number;
  /** Device-readable buffers, in chain order. */
  readable: Segment[];
  /** Device-writable buffers, in chain order. */
  writable: Segment[];
  readLen: number;
  writeLen: number;
  /** Set when the chain is structurally sound but unusable; the device completes it with an error. */
  error?: string;
}

export interface VirtqueueLayout {
  size: number;
  desc: number;
  avail: number;
  used: number;
}

export interface VirtqueueHooks {
  /** Unrecoverable ring error: the transport sets DEVICE_NEEDS_RESET. */
  fail(reason: string): void;
  /** A chain went to the used ring. */
  completed?(head: number, len: number, detail?: Record<string, string | number | boolean>): void;
  /** Negotiated VIRTIO_F_EVENT_IDX (read at every pass: legacy drivers may set features late). */
  eventIdx(): boolean;
  /** Negotiated VIRTIO_F_INDIRECT_DESC. */
  indirect(): boolean;
}

export interface VirtqueueState {
  lastAvail: number;
  usedIdx: number;
  broken: string | null;
}

/** Internal: a ring access outside RAM. Caught at every public entry point. */
class RingFault extends Error {}

/** vring_need_event (2.7.10): has the used index crossed `event` going from `old` to `now`? */
export function needEvent(event: number, now: number, old: number): boolean {
  return ((now - event - 1) & 0xffff) < ((now - old) & 0xffff);
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** What describe() shows at most: descriptors of the table, pending chains, descriptors per chain. */
const DESCRIBE_TABLE_MAX = 256;
const DESCRIBE_PENDING_MAX = 64;
const DESCRIBE_CHAIN_MAX = 64;

/** A descriptor as the driver wrote it (2.7.5), the address exact in 64 bits. */
interface RawDescriptor {
  addr: bigint;
  len: number;
  flags: number;
  next: number;
}

const DESC_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [VIRTQ_DESC_F_NEXT, 'NEXT'],
  [VIRTQ_DESC_F_WRITE, 'WRITE'],
  [VIRTQ_DESC_F_INDIRECT, 'INDIRECT'],
];

/** "NEXT WRITE", with any other bits in hex. */
function descFlagNames(flags: number): string {
  const names = DESC_FLAG_NAMES.filter(([b]) => flags & b).map(([, n]) => n);
  const other = flags & ~(VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_INDIRECT);
  if (other) names.push(`0x${other.toString(16)}`);
  return names.join(' ');
}

export class SplitVirtqueue {
  readonly index: number;
  readonly size: number;
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  private readonly mem: GuestMemory;
  private readonly hooks: VirtqueueHooks;

  /** Next available-ring index the device will consume. */
  private lastAvail = 0;
  /** The used ring's idx (the device owns it; kept here so a driver scribbling on it changes nothing). */
  private usedIdx = 0;
  private brokenReason: string | null = null;
  /** Pops left in this pass: bounds a pass even if request data overwrites the available ring. */
  private budget = 0;
  private passStartUsed = 0;

  constructor(index: number, layout: VirtqueueLayout, mem: GuestMemory, hooks: VirtqueueHooks) {
    this.index = index;
    this.size = layout.size;
    this.desc = layout.desc;
    this.avail = layout.avail;
    this.used = layout.used;
    this.mem = mem;
    this.hooks = hooks;
  }

  get broken(): string | null {
    return this.brokenReason;
  }

  /** Why the layout cannot be used, or undefined if it can (sizes per 2.7; event fields included). */
  private layoutProblem(): string | undefined {
    const n = this.size;
    if (!isPowerOfTwo(n) || n > MAX_QUEUE_SIZE) return `queue size ${n} is not a power of 2 up to ${MAX_QUEUE_SIZE}`;
    if (!this.mem.contains(this.desc, DESC_SIZE * n)) return 'descriptor table outside RAM';
    if (!this.mem.contains(this.avail, 6 + 2 * n)) return 'available ring outside RAM';
    if (!this.mem.contains(this.used, 6 + 8 * n)) return 'used ring outside RAM';
    return undefined;
  }

  private breakWith(reason: string): undefined {
    if (this.brokenReason === null) {
      this.brokenReason = reason;
      this.hooks.fail(`queue ${this.index}: ${reason}`);
    }
    return undefined;
  }

  private r16(pa: number): number {
    const v = this.mem.u16(pa);
    if (v === undefined) throw new RingFault(`ring read at 0x${pa.toString(16)} outside RAM`);
    return v;
  }

  private r32(pa: number): number {
    const v = this.mem.u32(pa);
    if (v === undefined) throw new RingFault(`ring read at 0x${pa.toString(16)} outside RAM`);
    return v;
  }

  private w16(pa: number, v: number): void {
    if (!this.mem.setU16(pa, v)) throw new RingFault(`ring write at 0x${pa.toString(16)} outside RAM`);
  }

  private w32(pa: number, v: number): void {
    if (!this.mem.setU32(pa, v)) throw new RingFault(`ring write at 0x${pa.toString(16)} outside RAM`);
  }

  /** Starts a processing pass: at most `size` chains may be popped before endPass(). */
  beginPass(): boolean {
    if (this.brokenReason !== null) return false;
    const problem = this.layoutProblem();
    if (problem !== undefined) {
      this.breakWith(problem);
      return false;
    }
    this.budget = this.size;
    this.passStartUsed = this.usedIdx;
    return true;
  }

  /**
   * Ends a pass: publishes avail_event (EVENT_IDX) and says whether the driver asked to be notified
   * of the buffers used during the pass (2.7.7.2).
   */
  endPass(): boolean {
    this.budget = 0;
    if (this.brokenReason !== null && this.usedIdx === this.passStartUsed) return false;
    try {
      const eventIdx = this.hooks.eventIdx();
      // Ask for a notification when the driver adds the next entry we have not seen.
      if (eventIdx && this.brokenReason === null) this.w16(this.used + 4 + 8 * this.size, this.lastAvail);
      if (this.usedIdx === this.passStartUsed) return false;
      if (eventIdx) return needEvent(this.r16(this.avail + 4 + 2 * this.size), this.usedIdx, this.passStartUsed);
      return (this.r16(this.avail) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
    } catch (e) {
      if (!(e instanceof RingFault)) throw e;
      this.breakWith(e.message);
      return false;
    }
  }

  /** The next available chain, or undefined (ring empty, pass budget spent, or the queue broke). */
  pop(): DescChain | undefined {
    if (this.brokenReason !== null || this.budget <= 0) return undefined;
    try {
      const availIdx = this.r16(this.avail + 2);
      const waiting = (availIdx - this.lastAvail) & 0xffff;
      if (waiting === 0) return undefined;
      if (waiting > this.size) return this.breakWith(`available index ${availIdx} is ${waiting} entries ahead of ${this.lastAvail}`);
      const head = this.r16(this.avail + 4 + 2 * (this.lastAvail % this.size));
      this.lastAvail = (this.lastAvail + 1) & 0xffff;
      this.budget--;
      if (head >= this.size) return this.breakWith(`head descriptor ${head} out of range`);
      return this.walk(head);
    } catch (e) {
      if (!(e instanceof RingFault)) throw e;
      return this.breakWith(e.message);
    }
  }

  /** Follows one chain (2.7.5), through at most one indirect table (2.7.5.3). */
  private walk(head: number): DescChain | undefined {
    const chain: DescChain = { head, readable: [], writable: [], readLen: 0, writeLen: 0 };
    let table = this.desc;
    let entries = this.size;
    let indirect = false;
    let idx = head;
    let visited = 0;
    for (;;) {
      // Loop detection: no chain is longer than the queue size, in the ring or in a table (2.7.5.3.1).
      if (++visited > this.size) return this.breakWith(`descriptor chain from ${head} longer than ${this.size} (a loop?)`);
      const d = table + DESC_SIZE * idx;
      const lo = this.r32(d);
      const hi = this.r32(d + 4);
      const addr = hi * 2 ** 32 + lo; // rounded above 2^53: always outside RAM, so always rejected
      const len = this.r32(d + 8);
      const flags = this.r16(d + 12);
      const next = this.r16(d + 14);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.hooks.indirect()) return this.breakWith('indirect descriptor without VIRTIO_F_INDIRECT_DESC');
        if (indirect) return this.breakWith('indirect descriptor inside an indirect table');
        if (flags & VIRTQ_DESC_F_NEXT) return this.breakWith('indirect descriptor with NEXT');
        if (len === 0 || len % DESC_SIZE !== 0) return this.breakWith(`indirect table length ${len} is not a non-zero multiple of 16`);
        if (!this.mem.contains(addr, len)) return this.breakWith('indirect table outside RAM');
        table = addr;
        entries = len / DESC_SIZE;
        indirect = true;
        idx = 0;
        visited = 0;
        continue;
      }
      const seg = { addr, len };
      if (!this.mem.contains(addr, len)) chain.error ??= `buffer 0x${addr.toString(16)}+${len} outside RAM`;
      if (flags & VIRTQ_DESC_F_WRITE) {
        chain.writable.push(seg);
        chain.writeLen += len;
      } else {
        if (chain.writable.length > 0) chain.error ??= 'device-readable buffer after a device-writable one';
        chain.readable.push(seg);
        chain.readLen += len;
      }
      if (chain.readLen + chain.writeLen > MAX_CHAIN_BYTES) chain.error ??= 'chain longer than 2^32 bytes';
      if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
      if (next >= entries) return this.breakWith(`next descriptor ${next} out of range (${entries} entries)`);
      idx = next;
    }
  }

  /** Returns chain `head` to the driver with `len` bytes written (2.7.8). */
  push(head: number, len: number, detail?: Record<string, string | number | boolean>): void {
    if (this.brokenReason !== null) return;
    try {
      const elem = this.used + 4 + 8 * (this.usedIdx % this.size);
      this.w32(elem, head);
      this.w32(elem + 4, len >>> 0);
      this.usedIdx = (this.usedIdx + 1) & 0xffff;
      this.w16(this.used + 2, this.usedIdx);
    } catch (e) {
      if (!(e instanceof RingFault)) throw e;
      this.breakWith(e.message);
      return;
    }
    this.hooks.completed?.(head, len, detail);
  }

  /** The ring indexes and flags, read without side effects, for describe(). */
  registers(): DeviceRegister[] {
    const m = this.mem;
    const n = this.size;
    const show = (v: number | undefined): number | string => (v === undefined ? 'outside RAM' : v);
    const availFlags = m.u16(this.avail);
    return [
      { name: 'avail.flags', value: show(availFlags), detail: availFlags !== undefined && availFlags & VIRTQ_AVAIL_F_NO_INTERRUPT ? 'NO_INTERRUPT' : '' },
      { name: 'avail.idx', value: show(m.u16(this.avail + 2)) },
      { name: 'used_event', value: show(m.u16(this.avail + 4 + 2 * n)) },
      { name: 'last_avail', value: this.lastAvail, detail: 'next entry the device consumes' },
      { name: 'used.idx', value: this.usedIdx },
      { name: 'avail_event', value: show(m.u16(this.used + 4 + 8 * n)) },
      { name: 'state', value: this.brokenReason ?? 'ok' },
    ];
  }

  /**
   * The descriptor table (up to DESCRIBE_TABLE_MAX entries) and the chains the driver made available
   * that the device has not consumed yet, for describe(). Reads guest memory only: no ring state
   * changes, no failure is reported, a hostile ring only shows up as an `error` register.
   */
  describeRings(): DeviceDescription[] {
    return [this.describeTable(), this.describePending()];
  }

  /** Descriptor `i` of the table at `table`, or undefined outside RAM. */
  private peekDescriptor(table: number, i: number): RawDescriptor | undefined {
    const d = table + DESC_SIZE * i;
    const lo = this.mem.u32(d);
    const hi = this.mem.u32(d + 4);
    const len = this.mem.u32(d + 8);
    const flags = this.mem.u16(d + 12);
    const next = this.mem.u16(d + 14);
    if (lo === undefined || hi === undefined || len === undefined || flags === undefined || next === undefined) return undefined;
    return { addr: (BigInt(hi) << 32n) | BigInt(lo), len, flags, next };
  }

  private describeDescriptor(name: string, d: RawDescriptor): DeviceDescription {
    const inRam = d.addr <= BigInt(Number.MAX_SAFE_INTEGER) && this.mem.contains(Number(d.addr), d.len);
    const addr: DeviceRegister = { name: 'addr', value: d.addr };
    if (d.len > 0 && !inRam) addr.detail = 'outside RAM';
    return {
      name,
      kind: 'descriptor',
      registers: [
        addr,
        { name: 'len', value: d.len },
        { name: 'flags', value: d.flags, detail: descFlagNames(d.flags) },
        { name: 'next', value: d.next },
      ],
    };
  }

  private describeTable(): DeviceDescription {
    const shown = Math.min(this.size, DESCRIBE_TABLE_MAX);
    const registers: DeviceRegister[] = [{ name: 'shown', value: shown, detail: shown < this.size ? `the first ${shown} of ${this.size}` : 'all' }];
    const children: DeviceDescription[] = [];
    for (let i = 0; i < shown; i++) {
      const d = this.peekDescriptor(this.desc, i);
      if (d === undefined) {
        registers.push({ name: 'error', value: `descriptor ${i} outside RAM` });
        break;
      }
      children.push(this.describeDescriptor(`desc ${i}`, d));
    }
    return { name: 'descriptors', kind: 'descriptor table', registers, children };
  }

  private describePending(): DeviceDescription {
    const pending = (registers: DeviceRegister[], children: DeviceDescription[] = []): DeviceDescription =>
      ({ name: 'pending', kind: 'available chains', registers, children });
    const availIdx = this.mem.u16(this.avail + 2);
    if (availIdx === undefined) return pending([{ name: 'error', value: 'available ring outside RAM' }]);
    const waiting = (availIdx - this.lastAvail) & 0xffff;
    const registers: DeviceRegister[] = [{ name: 'count', value: waiting, detail: `avail.idx ${availIdx} - last_avail ${this.lastAvail}` }];
    if (waiting > this.size) {
      registers.push({ name: 'error', value: `available index ${availIdx} is ${waiting} entries ahead of ${this.lastAvail}` });
      return pending(registers);
    }
    const shown = Math.min(waiting, DESCRIBE_PENDING_MAX);
    if (shown < waiting) registers.push({ name: 'shown', value: shown, detail: `the first ${shown}` });
    const children: DeviceDescription[] = [];
    for (let k = 0; k < shown; k++) {
      const ringIndex = (this.lastAvail + k) & 0xffff;
      const head = this.mem.u16(this.avail + 4 + 2 * (ringIndex % this.size));
      if (head === undefined) {
        registers.push({ name: 'error', value: 'available ring outside RAM' });
        break;
      }
      children.push(this.describeChain(ringIndex, head));
    }
    return pending(registers, children);
  }

  /** One available chain, followed as walk() would (through at most one indirect table), bounded. */
  private describeChain(ringIndex: number, head: number): DeviceDescription {
    const registers: DeviceRegister[] = [
      { name: 'ring index', value: ringIndex, detail: `avail.ring[${ringIndex % this.size}]` },
      { name: 'head', value: head },
    ];
    const children: DeviceDescription[] = [];
    const chain = (): DeviceDescription => ({ name: `head ${head}`, kind: 'descriptor chain', registers, children });
    const error = (value: string): DeviceDescription => {
      registers.push({ name: 'error', value });
      return chain();
    };
    if (head >= this.size) return error(`head descriptor ${head} out of range`);
    let table = this.desc;
    let entries = this.size;
    let indirect = false;
    let idx = head;
    let visited = 0;
    let readable = 0;
    let writable = 0;
    for (;;) {
      if (children.length >= DESCRIBE_CHAIN_MAX) return error(`more than ${DESCRIBE_CHAIN_MAX} descriptors: the rest not shown`);
      if (++visited > this.size) return error(`longer than ${this.size} descriptors (a loop?)`);
      const d = this.peekDescriptor(table, idx);
      if (d === undefined) return error(`descriptor ${idx} outside RAM`);
      children.push(this.describeDescriptor(indirect ? `indirect ${idx}` : `desc ${idx}`, d));
      if (d.flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.hooks.indirect()) return error('indirect descriptor without VIRTIO_F_INDIRECT_DESC');
        if (indirect) return error('indirect descriptor inside an indirect table');
        if (d.flags & VIRTQ_DESC_F_NEXT) return error('indirect descriptor with NEXT');
        if (d.len === 0 || d.len % DESC_SIZE !== 0) return error(`indirect table length ${d.len} is not a non-zero multiple of 16`);
        if (d.addr > BigInt(Number.MAX_SAFE_INTEGER) || !this.mem.contains(Number(d.addr), d.len)) return error('indirect table outside RAM');
        table = Number(d.addr);
        entries = d.len / DESC_SIZE;
        indirect = true;
        idx = 0;
        visited = 0;
        continue;
      }
      if (d.flags & VIRTQ_DESC_F_WRITE) writable += d.len;
      else readable += d.len;
      if (!(d.flags & VIRTQ_DESC_F_NEXT)) break;
      if (d.next >= entries) return error(`next descriptor ${d.next} out of range (${entries} entries)`);
      idx = d.next;
    }
    registers.push({ name: 'readable', value: readable, detail: 'bytes' }, { name: 'writable', value: writable, detail: 'bytes' });
    return chain();
  }

  saveState(): VirtqueueState {
    return { lastAvail: this.lastAvail, usedIdx: this.usedIdx, broken: this.brokenReason };
  }

  loadState(s: VirtqueueState): void {
    this.lastAvail = s.lastAvail & 0xffff;
    this.usedIdx = s.usedIdx & 0xffff;
    this.brokenReason = s.broken;
  }
}

/** `len` bytes starting `offset` bytes into a segment list, or undefined if they are not all there. */
export function gather(mem: GuestMemory, segs: readonly Segment[], offset: number, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len);
  let done = 0;
  let skip = offset;
  for (const s of segs) {
    if (done === len) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, len - done);
    if (!mem.contains(s.addr, s.len)) return undefined; // a buffer partly outside RAM is not touched at all
    const part = mem.read(s.addr + skip, n);
    if (part === undefined) return undefined;
    out.set(part, done);
    done += n;
    skip = 0;
  }
  return done === len ? out : undefined;
}

/** Writes `bytes` starting `offset` bytes into a segment list; false if they do not all fit in RAM. */
export function scatter(mem: GuestMemory, segs: readonly Segment[], offset: number, bytes: Uint8Array): boolean {
  let done = 0;
  let skip = offset;
  for (const s of segs) {
    if (done === bytes.length) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, bytes.length - done);
    if (!mem.contains(s.addr, s.len)) return false; // a buffer partly outside RAM is not touched at all
    if (!mem.write(s.addr + skip, bytes.subarray(done, done + n))) return false;
    done += n;
    skip = 0;
  }
  return done === bytes.length;
}

// SiFive CLINT as QEMU 7.2 virt lays it out (an ACLINT MSWI + MTIMER pair at the CLINT offsets):
// msip per hart, mtimecmp per hart, and the shared mtime counter (10 MHz).
import type {
  Clock,
  DeviceDescription,
  DeviceRegister,
  FdtContext,
  FdtNode,
  HartInterruptSink,
  MmioDevice,
  TimerSource,
} from './device.ts';
import { MIP_MSIP, MIP_MTIP } from './device.ts';
import { node, reg64, strs, u32, unitName } from '../board/fdt.ts';

// Register map (SiFive CLINT; QEMU's RISCV_ACLINT_SWI / MTIMER defaults on virt).
const MSIP_BASE = 0x0; // + 4 * hart, bit 0
const MTIMECMP_BASE = 0x4000; // + 8 * hart, 64-bit
const MTIME = 0xbff8; // 64-bit

/** interrupts-extended cause numbers: M-mode software and timer interrupt. */
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;

const MASK64 = (1n << 64n) - 1n;
const LOW32 = 0xffffffffn;

export interface ClintOptions {
  name: string;
  numHarts: number;
  clock: Clock;
  sink: HartInterruptSink;
}

interface ClintState {
  msip: number[];
  /** Decimal strings: bigints are not plain JSON. */
  mtimecmp: string[];
  mtimeOffset: string;
  fireFine?: number[];
}

export class Clint implements MmioDevice, TimerSource {
  readonly name: string;
  private readonly numHarts: number;
  private readonly clock: Clock;
  private readonly sink: HartInterruptSink;

  private readonly msip: Uint8Array;
  private readonly mtimecmp: bigint[];
  /** mtime = clock.now() + mtimeOffset (mod 2^64); guest writes to mtime change the offset. */
  private mtimeOffset = 0n;
  /** Last level driven into each hart's MTIP. */
  private readonly mtip: boolean[];

  constructor(opts: ClintOptions) {
    this.name = opts.name;
    this.numHarts = opts.numHarts;
    this.clock = opts.clock;
    this.sink = opts.sink;
    this.msip = new Uint8Array(opts.numHarts);
    // QEMU 7.2 resets mtimecmp to 0, so MTIP reads pending from reset (harmless: mie.MTIE is 0).
    this.mtimecmp = new Array<bigint>(opts.numHarts).fill(0n);
    this.mtip = new Array<boolean>(opts.numHarts).fill(false);
    this.fireFine = new Array<number>(opts.numHarts).fill(0);
  }

  /**
   * When each compare fires, in the clock's fine units. QEMU arms its timer at the write's time +
   * (mtimecmp - mtime) ticks, keeping the write's sub-tick phase; we do the same, so lockstep runs
   * against QEMU take the interrupt at the same instruction. 0 = as soon as mtime >= mtimecmp.
   */
  private readonly fireFine: number[];

  /** The clock's fine time (its plain time when it has no finer one). */
  private fineNow(): number {
    return this.clock.fine ? this.clock.fine() : this.clock.now();
  }

  /** mtimecmp[h] was written. */
  private arm(h: number): void {
    const perTick = this.clock.finePerTick ?? 1;
    const fine = this.fineNow();
    const cmpClock = Number((this.mtimecmp[h] - this.mtimeOffset) & MASK64);
    this.fireFine[h] = this.mtimecmp[h] > this.mtime() && cmpClock <= Number.MAX_SAFE_INTEGER / perTick
      ? cmpClock * perTick + (fine % perTick)
      : 0;
  }

  mtime(): bigint {
    return (BigInt(this.clock.now()) + this.mtimeOffset) & MASK64;
  }

  /** The hart whose mtimecmp register covers `offset`, or -1. */
  private mtimecmpHart(offset: number): number {
    const h = (offset - MTIMECMP_BASE) >> 3;
    return offset >= MTIMECMP_BASE && h < this.numHarts ? h : -1;
  }

  read(offset: number, size: number): number {
    if (size !== 4 || offset & 3) return 0;
    if (offset < MTIMECMP_BASE) {
      const h = (offset - MSIP_BASE) >> 2;
      return h < this.numHarts ? this.msip[h] : 0;
    }
    const h = this.mtimecmpHart(offset);
    if (h >= 0) return Number(offset & 4 ? this.mtimecmp[h] >> 32n : this.mtimecmp[h] & LOW32);
    if (offset === MTIME) return Number(this.mtime() & LOW32);
    if (offset === MTIME + 4) return Number(this.mtime() >> 32n);
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (size !== 4 || offset & 3) return;
    const v = BigInt(value >>> 0);
    if (offset < MTIMECMP_BASE) {
      const h = (offset - MSIP_BASE) >> 2;
      if (h < this.numHarts) this.writeMsip(h, value & 1);
      return;
    }
    const h = this.mtimecmpHart(offset);
    if (h >= 0) {
      const old = this.mtimecmp[h];
      this.mtimecmp[h] = offset & 4 ? (v << 32n) | (old & LOW32) : (old & ~LOW32 & MASK64) | v;
      this.arm(h);
      this.updateTimers();
    } else if (offset === MTIME || offset === MTIME + 4) {
      const old = this.mtime();
      this.setMtime(offset === MTIME ? (old & ~LOW32 & MASK64) | v : (v << 32n) | (old & LOW32));
    }
  }

  read64(offset: number): bigint {
    if (offset & 7) return BigInt(this.read(offset, 4)) | (BigInt(this.read(offset + 4, 4)) << 32n);
    const h = this.mtimecmpHart(offset);
    if (h >= 0) return this.mtimecmp[h];
    if (offset === MTIME) return this.mtime();
    return BigInt(this.read(offset, 4)) | (BigInt(this.read(offset + 4, 4)) << 32n);
  }

  write64(offset: number, value: bigint): void {
    const v = value & MASK64;
    const h = offset & 7 ? -1 : this.mtimecmpHart(offset);
    if (h >= 0) {
      this.mtimecmp[h] = v;
      this.arm(h);
      this.updateTimers();
    } else if (offset === MTIME) {
      this.setMtime(v);
    } else {
      this.write(offset, 4, Number(v & LOW32));
      this.write(offset + 4, 4, Number(v >> 32n));
    }
  }

  private writeMsip(h: number, bit: number): void {
    if (this.msip[h] === bit) return;
    this.msip[h] = bit;
    this.sink.setPending(h, MIP_MSIP, bit !== 0);
  }

  private setMtime(value: bigint): void {
    this.mtimeOffset = (value - BigInt(this.clock.now())) & MASK64;
    this.fireFine.fill(0); // a new mtime: compares fire as soon as they hold
    this.updateTimers();
  }

  /** MTIP for every hart = (mtime >= mtimecmp); drive the lines that changed (or all, if forced). */
  private updateTimers(force = false): void {
    const now = this.mtime();
    const fine = this.fineNow();
    for (let h = 0; h < this.numHarts; h++) {
      const level = now >= this.mtimecmp[h] && fine >= this.fireFine[h];
      if (level !== this.mtip[h] || force) {
        this.mtip[h] = level;
        this.sink.setPending(h, MIP_MTIP, level);
      }
    }
  }

  /**
   * The clock.now() value at which the earliest hart with MTIP clear reaches its mtimecmp.
   * It may be at or before now if time has passed it and tick() has not run yet: it is due.
   */
  nextDeadline(): number {
    let best = Infinity;
    for (let h = 0; h < this.numHarts; h++) {
      if (this.mtip[h]) continue;
      const at = Number((this.mtimecmp[h] - this.mtimeOffset) & MASK64); // in clock units
      if (at < best) best = at;
    }
    return best > Number.MAX_SAFE_INTEGER ? Infinity : best; // beyond 2^53 ticks (28 years) = never
  }

  nextDeadlineFine(): number {
    const perTick = this.clock.finePerTick ?? 1;
    let best = Infinity;
    for (let h = 0; h < this.numHarts; h++) {
      if (this.mtip[h]) continue;
      const at = Number((this.mtimecmp[h] - this.mtimeOffset) & MASK64);
      if (at > Number.MAX_SAFE_INTEGER / perTick) continue;
      best = Math.min(best, Math.max(at * perTick, this.fireFine[h]));
    }
    return best;
  }

  tick(): void {
    this.updateTimers();
  }

  describe(): DeviceDescription {
    const now = this.mtime();
    const children: DeviceDescription[] = [];
    for (let h = 0; h < this.numHarts; h++) {
      const cmp = this.mtimecmp[h];
      const regs: DeviceRegister[] = [
        { name: 'msip', offset: MSIP_BASE + 4 * h, size: 4, value: this.msip[h], detail: this.msip[h] ? 'MSIP asserted' : 'idle' },
        {
          name: 'mtimecmp',
          offset: MTIMECMP_BASE + 8 * h,
          size: 8,
          value: cmp,
          detail: cmp === MASK64 ? 'disarmed (all ones)' : now >= cmp ? 'expired: MTIP asserted' : `fires in ${cmp - now} ticks`,
        },
      ];
      children.push({ name: `hart ${h}`, kind: 'CLINT hart timer', registers: regs });
    }
    return {
      name: this.name,
      kind: 'SiFive CLINT',
      registers: [{ name: 'mtime', offset: MTIME, size: 8, value: now, detail: `${(Number(now) / 1e7).toFixed(6)} s at 10 MHz` }],
      children,
    };
  }

  fdtNode(base: number, size: number, ctx: FdtContext): FdtNode {
    const targets: number[] = [];
    for (let h = 0; h < this.numHarts; h++) targets.push(ctx.cpuIntcPhandles[h], IRQ_M_SOFT, ctx.cpuIntcPhandles[h], IRQ_M_TIMER);
    return node(unitName('clint', base), {
      compatible: strs('sifive,clint0', 'riscv,clint0'),
      reg: reg64(base, size),
      'interrupts-extended': u32(...targets),
    });
  }

  saveState(): ClintState {
    return {
      msip: Array.from(this.msip),
      mtimecmp: this.mtimecmp.map((c) => c.toString()),
      mtimeOffset: this.mtimeOffset.toString(),
      fireFine: [...this.fireFine],
    };
  }

  loadState(state: unknown): void {
    const s = state as ClintState;
    this.msip.set(s.msip);
    s.mtimecmp.forEach((c, h) => (this.mtimecmp[h] = BigInt(c)));
    this.mtimeOffset = BigInt(s.mtimeOffset);
    s.fireFine?.forEach((f, h) => (this.fireFine[h] = f));
    for (let h = 0; h < this.numHarts; h++) this.sink.setPending(h, MIP_MSIP, this.msip[h] !== 0);
    this.updateTimers(true);
  }
}

// The engine's own SBI implementation for S-mode guests (what OpenSBI does in M-mode, done by the
// hypervisor as KVM does for its guests): BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN and legacy calls.

import type { Hart } from '../cpu/hart.ts';
import { PRV_S, Csr } from '../cpu/csr.ts';
import type { TimerSource } from '../devices/device.ts';
import {
  SBI_EXT, SBI_SUCCESS, SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_ALREADY_AVAILABLE,
  SBI_SPEC_VERSION, SBI_IMPL_ID, HSM_STARTED, HSM_STOPPED, SRST_SHUTDOWN,
  SRST_COLD_REBOOT, SRST_WARM_REBOOT, SRST_REASON_FAILURE, SBI_ERR_INVALID_ADDRESS,
} from './ids.ts';

const MIP_SSIP = 1 << 1;
const MIP_STIP = 1 << 5;
const VERSION = (0 << 16) | 1; // rvisor 0.1

/** One hypercall as the event stream reports it. */
export interface HypercallRecord {
  hart: number;
  eid: number;
  fid: number;
  args: bigint[];
  /** Error code (a0 after the call) and value (a1); for legacy calls, error is the a0 result. */
  error: number;
  value: bigint;
  /** pc of the ecall, unsigned 64-bit. */
  pc: bigint;
  instret: number;
}

/** What the SBI needs from the machine. */
export interface SbiHost {
  harts: readonly Hart[];
  now(): number;
  consoleWrite(bytes: Uint8Array): void;
  /** Next console input byte, or -1. */
  consoleRead(): number;
  /** Physical memory read for DBCN (undefined if not RAM). */
  readPhys(pa: number, len: number): Uint8Array | undefined;
  writePhys(pa: number, bytes: Uint8Array): boolean;
  powerOff(exitCode: number): void;
  reset(): void;
  onHypercall?(rec: HypercallRecord): void;
}

export class EngineSbi implements TimerSource {
  private readonly host: SbiHost;
  /** Per-hart timer deadline in mtime ticks (Infinity = none). */
  readonly timer: number[];

  constructor(host: SbiHost) {
    this.host = host;
    this.timer = host.harts.map(() => Infinity);
  }

  saveState(): { timer: Array<number | null> } {
    return { timer: this.timer.map((t) => (t === Infinity ? null : t)) };
  }

  loadState(state: unknown): void {
    const s = state as { timer: Array<number | null> };
    s.timer.forEach((t, i) => (this.timer[i] = t === null ? Infinity : t));
  }

  nextDeadline(): number {
    let d = Infinity;
    for (const t of this.timer) if (t < d) d = t;
    return d;
  }

  tick(): void {
    const now = this.host.now();
    this.host.harts.forEach((h, i) => {
      if (this.timer[i] <= now) {
        this.timer[i] = Infinity;
        h.setPending(MIP_STIP, true);
      }
    });
  }

  private implemented(eid: number): boolean {
    return (Object.values(SBI_EXT) as number[]).includes(eid);
  }

  /** Serves an ECALL from S-mode on `hart`. Always handled (unknown calls get SBI_ERR_NOT_SUPPORTED). */
  call(hart: Hart): boolean {
    const eid = Number(hart.getX(17) & 0xffffffffn);
    const fid = Number(hart.getX(16) & 0xffffffffn);
    const args = [10, 11, 12, 13, 14, 15].map((r) => hart.getX(r));
    let error = SBI_SUCCESS;
    let value = 0n;
    let legacy = false;
    const a = (i: number): bigint => args[i];
    const an = (i: number): number => Number(BigInt.asIntN(64, args[i]));
    switch (eid) {
      case SBI_EXT.LEGACY_SET_TIMER: legacy = true; this.setTimer(hart, args[0]); break;
      case SBI_EXT.LEGACY_CONSOLE_PUTCHAR: legacy = true; this.host.consoleWrite(Uint8Array.of(Number(a(0) & 0xffn))); break;
      case SBI_EXT.LEGACY_CONSOLE_GETCHAR: legacy = true; error = this.host.consoleRead(); break;
      case SBI_EXT.LEGACY_CLEAR_IPI: legacy = true; hart.setCsr(Csr.SIP, 0n); break;
      case SBI_EXT.LEGACY_SEND_IPI: legacy = true; error = this.legacyMask(hart, a(0), (h) => this.ipi(h)); break;
      case SBI_EXT.LEGACY_REMOTE_FENCE_I: legacy = true; error = this.legacyMask(hart, a(0), () => undefined); break;
      case SBI_EXT.LEGACY_REMOTE_SFENCE_VMA: case SBI_EXT.LEGACY_REMOTE_SFENCE_VMA_ASID:
        legacy = true; error = this.legacyMask(hart, a(0), (h) => h.flushTlb()); break;
      case SBI_EXT.LEGACY_SHUTDOWN: legacy = true; this.host.powerOff(0); break;
      case SBI_EXT.BASE:
        switch (fid) {
          case 0: value = BigInt(SBI_SPEC_VERSION); break;
          case 1: value = BigInt(SBI_IMPL_ID); break;
          case 2: value = BigInt(VERSION); break;
          case 3: value = this.implemented(an(0)) ? 1n : 0n; break;
          case 4: case 5: case 6: value = hart.getCsr([Csr.MVENDORID, Csr.MARCHID, Csr.MIMPID][fid - 4]) ?? 0n; break;
          default: error = SBI_ERR_NOT_SUPPORTED;
        }
        break;
      case SBI_EXT.TIME:
        if (fid === 0) this.setTimer(hart, a(0));
        else error = SBI_ERR_NOT_SUPPORTED;
        break;
      case SBI_EXT.IPI:
        if (fid === 0) error = this.forMask(a(0), a(1), (h) => this.ipi(h));
        else error = SBI_ERR_NOT_SUPPORTED;
        break;
      case SBI_EXT.RFENCE:
        // No instruction cache to flush (stores invalidate decoded code); sfence flushes the TLB.
        if (fid === 0) error = this.forMask(a(0), a(1), () => undefined);
        else if (fid === 1 || fid === 2) error = this.forMask(a(0), a(1), (h) => h.flushTlb());
        else error = SBI_ERR_NOT_SUPPORTED;
        break;
      case SBI_EXT.HSM: ({ error, value } = this.hsm(hart, fid, args)); break;
      case SBI_EXT.SRST:
        if (fid !== 0) { error = SBI_ERR_NOT_SUPPORTED; break; }
        if (an(0) === SRST_SHUTDOWN) this.host.powerOff(an(1) === SRST_REASON_FAILURE ? 1 : 0);
        else if (an(0) === SRST_COLD_REBOOT || an(0) === SRST_WARM_REBOOT) this.host.reset();
        else error = SBI_ERR_INVALID_PARAM;
        break;
      case SBI_EXT.DBCN: ({ error, value } = this.dbcn(fid, args)); break;
      default: error = SBI_ERR_NOT_SUPPORTED;
    }
    if (legacy) {
      hart.setX(10, BigInt(error));
    } else {
      hart.setX(10, BigInt(error));
      hart.setX(11, value);
    }
    this.host.onHypercall?.({
      hart: hart.id, eid, fid, args, error, value, pc: hart.getPc(), instret: hart.currentInstret(),
    });
    return true;
  }

  private setTimer(hart: Hart, when: bigint): void {
    if ((hart.getCsr(Csr.MENVCFG) ?? 0n) >> 63n) {
      // Sstc is on: the timer is stimecmp itself (as OpenSBI does on harts with Sstc).
      hart.setCsr(Csr.STIMECMP, when);
      return;
    }
    hart.setPending(MIP_STIP, false);
    const t = when >= 1n << 53n ? Infinity : Number(when);
    if (t <= this.host.now()) hart.setPending(MIP_STIP, true);
    else this.timer[hart.id] = t;
  }

  private ipi(h: Hart): void {
    // As OpenSBI's csr_set(mip, SSIP): reading mip and writing it back would latch a SEIP the PLIC
    // drives at that moment into the software bit, and the hart would take external interrupts for ever.
    h.raiseSoftwarePending(MIP_SSIP);
    h.waiting = false;
  }

  /** Applies `fn` to the harts selected by (mask, base); base = -1 means all harts. */
  private forMask(mask: bigint, base: bigint, fn: (h: Hart) => void): number {
    const harts = this.host.harts;
    if (base === (1n << 64n) - 1n) {
      harts.forEach(fn);
      return SBI_SUCCESS;
    }
    const selected: Hart[] = [];
    for (let i = 0; i < 64; i++) {
      if (((mask >> BigInt(i)) & 1n) === 0n) continue;
      const id = base + BigInt(i);
      if (id >= BigInt(harts.length)) return SBI_ERR_INVALID_PARAM;
      selected.push(harts[Number(id)]);
    }
    selected.forEach(fn);
    return SBI_SUCCESS;
  }

  /** Legacy calls pass the address of a hart mask in S-mode virtual memory (0 = all harts). */
  private legacyMask(hart: Hart, maskAddr: bigint, fn: (h: Hart) => void): number {
    if (maskAddr === 0n) {
      this.host.harts.forEach(fn);
      return 0;
    }
    const bytes = this.readVirt(hart, maskAddr, 8);
    if (!bytes) return SBI_ERR_INVALID_ADDRESS;
    const mask = new DataView(bytes.buffer).getBigUint64(0, true);
    return this.forMask(mask, 0n, fn);
  }

  private readVirt(hart: Hart, va: bigint, len: number): Uint8Array | undefined {
    const pa = hart.translateDebug(va, 1, []);
    return pa < 0 ? undefined : this.host.readPhys(pa, len);
  }

  private hsm(hart: Hart, fid: number, args: bigint[]): { error: number; value: bigint } {
    const harts = this.host.harts;
    const id = Number(BigInt.asIntN(64, args[0]));
    switch (fid) {
      case 0: { // hart_start(hartid, start_addr, opaque)
        if (id < 0 || id >= harts.length) return { error: SBI_ERR_INVALID_PARAM, value: 0n };
        const h = harts[id];
        if (!h.stopped) return { error: SBI_ERR_ALREADY_AVAILABLE, value: 0n };
        h.stopped = false;
        h.waiting = false;
        h.setPriv(PRV_S);
        h.setCsr(Csr.SATP, 0n);
        h.setCsr(Csr.SSTATUS, (h.getCsr(Csr.SSTATUS) ?? 0n) & ~2n);
        h.setX(10, BigInt(id));
        h.setX(11, args[2]);
        h.pc = Number(BigInt.asIntN(64, args[1]));
        return { error: SBI_SUCCESS, value: 0n };
      }
      case 1: // hart_stop
        hart.stopped = true;
        hart.requestHalt();
        return { error: SBI_SUCCESS, value: 0n };
      case 2:
        if (id < 0 || id >= harts.length) return { error: SBI_ERR_INVALID_PARAM, value: 0n };
        return { error: SBI_SUCCESS, value: BigInt(harts[id].stopped ? HSM_STOPPED : HSM_STARTED) };
      case 3: { // hart_suspend(type, resume_addr, opaque)
        const type = Number(args[0] & 0xffffffffn);
        if (type === 0) {
          // Default retentive suspend: behaves like WFI.
          if (!hart.interruptPending) hart.waiting = true;
          return { error: SBI_SUCCESS, value: 0n };
        }
        return { error: type === 0x80000000 ? SBI_ERR_NOT_SUPPORTED : SBI_ERR_INVALID_PARAM, value: 0n };
      }
    }
    return { error: SBI_ERR_NOT_SUPPORTED, value: 0n };
  }

  private dbcn(fid: number, args: bigint[]): { error: number; value: bigint } {
    const len = Number(args[0] > 0xffffffffn ? 0xffffffffn : args[0]);
    const pa = Number(args[1] & 0xffffffffffffn) + Number(args[2] & 0xffffn) * 2 ** 48;
    switch (fid) {
      case 0: { // console_write(num_bytes, base_lo, base_hi)
        const n = Math.min(len, 1 << 20);
        const bytes = this.host.readPhys(pa, n);
        if (!bytes) return { error: SBI_ERR_INVALID_PARAM, value: 0n };
        this.host.consoleWrite(bytes);
        return { error: SBI_SUCCESS, value: BigInt(n) };
      }
      case 1: { // console_read(num_bytes, base_lo, base_hi)
        const out: number[] = [];
        while (out.length < len) {
          const b = this.host.consoleRead();
          if (b < 0) break;
          out.push(b);
        }
        if (!this.host.writePhys(pa, Uint8Array.from(out))) return { error: SBI_ERR_INVALID_PARAM, value: 0n };
        return { error: SBI_SUCCESS, value: BigInt(out.length) };
      }
      case 2:
        this.host.consoleWrite(Uint8Array.of(Number(args[0] & 0xffn)));
        return { error: SBI_SUCCESS, value: 0n };
    }
    return { error: SBI_ERR_NOT_SUPPORTED, value: 0n };
  }
}

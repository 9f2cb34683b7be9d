// One RV64GC hart: flat typed-array state, a pre-decoded interpreter loop, traps and interrupts,
// CSRs, and the data/fetch TLBs in front of the page-table walker.

import { Bus, PAGE_SIZE, type WriteCacheOwner } from '../bus.ts';
import { Op, Amo } from './ops.ts';
import { decodeParcels, isLongParcel, pack } from './decode.ts';
import {
  Csr, MSTATUS, MSTATUS_WMASK, SSTATUS_MASK, MIP_ALL, MIP_S, IRQ_PRIORITY, Cause, MEDELEG_WMASK,
  PRV_M, PRV_S, PRV_U, MISA_VALUE,
} from './csr.ts';
import { mulhu32, toSigned, toUnsigned, setBig, setNum, toNum, mulHigh64, divRem64Into, divRem32, clz64, ctz32, ctz64, popcount32, orcb32, bswap32 } from './alu64.ts';
import { rol64, ror64 } from './shifts.ts';
import { Pmp, ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE } from '../mmu/pmp.ts';
import { translate, levelsOf, type WalkStep } from '../mmu/walk.ts';
import { execFp, fastAddD, fastMulD, fastDivD, fastSqrtD, fastFmaD, fastCmpD, RNE } from './fpu.ts';
import { FP_BAD_RM, FP_OK_FREG, type FpHart } from './fpu-types.ts';

const TWO32 = 4294967296;
/** TLB entries per access kind (direct-mapped on VPN bits). */
const TLB_SIZE = 256;
const TLB_MASK = TLB_SIZE - 1;
/** Fields of a data-TLB entry, and the entry size (a power of two, so entries do not straddle cache lines). */
const TLB_TAG_LO = 0;
const TLB_TAG_HI = 1;
const TLB_OFF = 2;
const TLB_STRIDE = 4;
/**
 * A tag that never matches (real tags have a context of at most 15 in their low 12 bits). Flushing fills
 * whole entries with it: as an offset it is no RAM page's either.
 */
const TLB_INVALID = 0xfff;
const SINK = 64;
/** mstatus.FS (bits 14:13) as a literal for the hot path. */
const FS_MASK = 3 << 13;
/** What `run`'s F/D fast paths may assume: FS off, on, dirty, dirty with frm = RNE. */
const enum FpState { OFF, ON, DIRTY, DIRTY_RNE }
/** How execCold left the hart: a trap taken, on to the next instruction, a jump to the pc it set, or waiting (WFI). */
const enum Cold { TRAPPED, NEXT, JUMPED, WAITING }
/**
 * The binary64 fast paths by op, from Op.FADD_D. Called through this table, `run` has one call site with
 * five targets, which V8 does not inline: each stays a function of its own, with its kernel inlined into
 * it (inlined into `run`, whose inlining budget is spent elsewhere, the kernel would be called with its
 * doubles allocated).
 */
const FAST_D: ReadonlyArray<(f: Float64Array, insn: number) => number> = [fastAddD, fastMulD, fastDivD, fastSqrtD, fastFmaD];
/** `run`'s fetch offset after a jump anywhere: outside any page and any branch's reach. */
const JUMPED = 1 << 30;

/** Indices into the hart's int32 CSR block (`c32`). */
export const enum C32 {
  PRIV, MSTATUS, MIE, MIP_SW, MIP_HW, MEDELEG, MIDELEG, MCOUNTEREN, SCOUNTEREN, MCOUNTINHIBIT,
  FFLAGS, FRM, COUNT,
}
/** Indices into the hart's 64-bit CSR block (`c64`). */
export const enum C64 {
  MTVEC, MEPC, MTVAL, MSCRATCH, MCAUSE, STVEC, SEPC, STVAL, SSCRATCH, SCAUSE, SATP, STIMECMP,
  MENVCFG, SENVCFG, INSTRET_OFFSET, CYCLE_OFFSET, COUNT,
}

const MENVCFG_STCE = 1n << 63n;
const MENVCFG_WMASK = MENVCFG_STCE | 1n; // STCE, FIOM
const SENVCFG_WMASK = 1n; // FIOM

/** What the hart needs from the machine around it. */
export interface HartEnv {
  /** Current mtime (the hart has synced its progress before calling). */
  now(): number;
  /** Current time in the clock's fine units (finePerTick of them make one mtime tick). */
  fine(): number;
  readonly finePerTick: number;
  /**
   * Called for ECALL from S-mode when no firmware runs in M-mode: the engine's own SBI.
   * Returns true if handled (the hart then resumes after the ecall).
   */
  sbiCall?(hart: Hart): boolean;
  /**
   * A trap or interrupt was taken (cause with bit 63 for interrupts as a bigint). `fromPc` is the pc as a
   * signed number (as `Hart.pc`: rounded beyond ±2^53), `fromPcU64` the same pc exactly (unsigned).
   */
  onTrap?(hart: Hart, cause: bigint, tval: bigint, fromPc: bigint, fromPriv: number): void;
  /** The hart cannot continue (a trap into M-mode when the engine provides M-mode). */
  onFatal?(hart: Hart, message: string): void;
  /** An MRET has just returned (the hart is at its target pc and privilege). */
  onMret?(hart: Hart): void;
}

/** Why `run` returned. */
export const enum HartExit { BUDGET, EVENT, WFI, HALT }

export class Hart implements FpHart, WriteCacheOwner {
  readonly id: number;
  readonly bus: Bus;
  readonly env: HartEnv;
  /** Integer registers as int32 halves; slots 64/65 are the sink for x0 writes. */
  readonly x = new Int32Array(66);
  private readonly fbuf = new ArrayBuffer(32 * 8);
  readonly f = new Float64Array(this.fbuf);
  readonly fi = new Int32Array(this.fbuf);
  readonly c32 = new Int32Array(C32.COUNT);
  readonly c64 = new BigUint64Array(C64.COUNT);
  readonly pmp = new Pmp();
  /**
   * The pc as int32 halves, [0] the low word and [1] the high word: exact over all 64 bits (Sv57 user
   * code runs up to 2^56 and kernel code below -2^53, where doubles are not exact).
   */
  private readonly pcw = new Int32Array(2);
  /** Instructions retired (minstret without writes), as a number. */
  instret = 0;
  /** Steps (retired instructions plus traps taken) since reset: the hart's share of virtual time. */
  steps = 0;
  /** Steps taken in the current `run` call so far (synced before slow paths read time). */
  sliceSteps = 0;
  private sliceTraps = 0;
  /**
   * Steps that are not time: traps raised while an instruction executes (memory, fetch, CSR and
   * privilege faults). QEMU's -icount counts an instruction only when it completes or when its trap
   * is decided at translation (ECALL, EBREAK, unknown encodings, FP with FS off); the engine's clock
   * follows the same rule, so time matches QEMU's at every step.
   */
  untimedSteps = 0;
  /** untimedSteps taken in the current `run` call so far. */
  sliceUntimed = 0;
  /** Set by execFpGeneric when an instruction was illegal only for its reserved rounding mode. */
  private fpBadRm = false;
  /** Waiting in WFI until an interrupt is pending. */
  waiting = false;
  /** Stopped (SBI HSM stopped state, or halted by a fatal error). */
  stopped = false;
  /** The engine implements M-mode (SBI) for this hart: traps into M are fatal. */
  sbiMode = false;
  /** Reservation for LR/SC (-1 = none): physical address. */
  reservation = -1;
  /** Set by slow paths: leave the run loop after this instruction (interrupt state may have changed). */
  private exitAfter = false;
  /** Set when a fetch-side cache (current page) must be refreshed. */
  private refetch = false;
  private haltRequested = false;
  /**
   * Execute breakpoints by pc, as the pc's signed value (checked only when non-empty). Every pc within
   * ±2^53 can have one. Beyond that an entry is a double and names exactly the pc of that value: it
   * never matches the neighbouring pcs that round to it, and a pc that is no double (not a multiple of
   * 8 near 2^56, say) cannot have one.
   */
  readonly breakpoints = new BreakpointSet();
  /** Pages (virtual, as the pc's signed value of the page start) holding a breakpoint; rebuilt when the set changes. */
  private bpPages = new Set<number>();
  private bpPagesVersion = -1;
  /**
   * Data watchpoints (debugger), or null. Pages they touch are never entered in the data TLBs, so
   * every access to them takes loadSlow/storeSlow, where the ranges are checked; other accesses cost
   * nothing.
   */
  private watchpoints: Watchpoint[] | null = null;
  private readonly watchVPages = new Set<number>();
  private readonly watchPPages = new Set<number>();
  /** The watchpoint hit by the last instruction (run then returns HALT with the pc past it). */
  watchHit: WatchHit | undefined;
  /** When an armed stimecmp fires, in the clock's fine units (0: as soon as time >= stimecmp). */
  private stimecmpFine = 0;
  /** Set while a debugger single-steps: the step runs even from a breakpoint's address. */
  ignoreBreakpoints = false;
  stoppedAtBreakpoint = false;

  // TLBs: tags are (VA page | context) for the low word and the VA's high word; offsets are RAM byte offsets.
  // The data TLBs keep an entry's fields together (TLB_TAG_LO, TLB_TAG_HI, TLB_OFF at entry * TLB_STRIDE):
  // one cache line per lookup, and one array per TLB for `run` to keep at hand.
  private readonly rTlb = new Int32Array(TLB_SIZE * TLB_STRIDE).fill(TLB_INVALID);
  private readonly wTlb = new Int32Array(TLB_SIZE * TLB_STRIDE).fill(TLB_INVALID);
  private readonly xTagLo = new Int32Array(TLB_SIZE).fill(TLB_INVALID);
  private readonly xTagHi = new Int32Array(TLB_SIZE);
  private readonly xPa = new Float64Array(TLB_SIZE);
  /** Context of data accesses: effective privilege | SUM << 2 | MXR << 3. */
  private dctx = PRV_M;
  private readonly tmp = new Int32Array(2);
  private readonly walkOut = { pagePerms: 0 };
  private decodedImm = 0;
  /**
   * Physical address of `run`'s fetch page. (A field, not one of run's locals: RAM addresses are 2^31
   * and up, and passing such a number to calls from the loop would allocate a heap number per step.)
   */
  private fetchPa = 0;
  /** Second parcel of the last decoded page-crossing instruction (never cached, so decoded right before it runs). */
  private crossHi16 = 0;

  constructor(id: number, bus: Bus, env: HartEnv) {
    this.id = id;
    this.bus = bus;
    this.env = env;
    bus.writeCaches.push(this);
    this.reset();
    if (!warmedUp) warmUpRun();
  }

  reset(): void {
    this.x.fill(0);
    this.fi.fill(0);
    this.c32.fill(0);
    this.c64.fill(0n);
    this.c32[C32.PRIV] = PRV_M;
    this.satpModeNum = 0;
    // stimecmp resets to all ones, so enabling Sstc raises no timer interrupt until it is written.
    this.c64[C64.STIMECMP] = 0xffffffffffffffffn;
    this.stimecmpFine = 0;
    this.pmp.loadState({ cfg: new Array(16).fill(0), addr: new Array(16).fill('0') });
    this.pc = 0x1000;
    this.waiting = false;
    this.reservation = -1;
    this.flushTlb();
  }

  /**
   * The pc as a signed number: exact within ±2^53 (all physical addresses, Sv39 and Sv48 code), rounded to
   * the nearest double beyond. getPc/setPc are exact for every pc.
   */
  get pc(): number { return this.pcw[1] * TWO32 + (this.pcw[0] >>> 0); }
  set pc(v: number) {
    this.pcw[0] = v | 0;
    this.pcw[1] = Math.floor(v / TWO32) | 0;
  }

  // ---- FpHart ----
  get fflags(): number { return this.c32[C32.FFLAGS]; }
  set fflags(v: number) { this.c32[C32.FFLAGS] = v & 0x1f; }
  get frm(): number { return this.c32[C32.FRM]; }
  set frm(v: number) { this.c32[C32.FRM] = v & 7; }

  get priv(): number { return this.c32[C32.PRIV]; }

  /** mip as software sees it: software-written bits plus device-driven lines. */
  get mip(): number { return this.c32[C32.MIP_SW] | this.c32[C32.MIP_HW]; }

  /** Devices drive interrupt lines here (MSIP, MTIP, MEIP, SEIP; STIP under Sstc). */
  setPending(bit: number, level: boolean): void {
    const v = this.c32[C32.MIP_HW];
    this.c32[C32.MIP_HW] = level ? v | bit : v & ~bit;
    if (level && (this.c32[C32.MIE] & bit) !== 0) this.waiting = false;
  }

  /**
   * Sets software-writable mip bits as an M-mode CSRRS would (firmware raising SSIP for an IPI): the
   * external SEIP line takes no part, so it is never latched into the software bit.
   */
  raiseSoftwarePending(bit: number): void {
    this.c32[C32.MIP_SW] |= bit & this.mipSoftwareBits();
    if ((this.c32[C32.MIE] & bit) !== 0) this.waiting = false;
  }

  /** The mip bits M-mode software writes: SSIP, SEIP, and STIP unless Sstc drives it. */
  private mipSoftwareBits(): number {
    return 0x2 | 0x200 | (this.stce() ? 0 : 0x20);
  }

  /** True if some interrupt is pending and enabled in mie (what wakes WFI, regardless of global enables). */
  get interruptPending(): boolean {
    return ((this.c32[C32.MIP_SW] | this.c32[C32.MIP_HW]) & this.c32[C32.MIE]) !== 0;
  }

  private rebuildBpPages(): void {
    this.bpPages.clear();
    for (const k of this.breakpoints) this.bpPages.add(k - (((k % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE));
    this.bpPagesVersion = this.breakpoints.version;
  }

  /** Requests `run` to return as soon as possible (poweroff, pause). */
  requestHalt(): void {
    this.haltRequested = true;
  }

  // ---- TLB ----

  flushTlb(): void {
    this.rTlb.fill(TLB_INVALID);
    this.wTlb.fill(TLB_INVALID);
    this.xTagLo.fill(TLB_INVALID);
    this.refetch = true;
  }

  /** Replaces the data watchpoints (an empty list removes them). */
  setWatchpoints(list: readonly Watchpoint[]): void {
    this.watchpoints = list.length > 0 ? list.slice() : null;
    this.watchVPages.clear();
    this.watchPPages.clear();
    for (const w of list) {
      // Every page the range touches (ranges are small: a variable, a struct).
      const first = Math.floor(w.start / PAGE_SIZE);
      const last = Math.floor((w.end - 1) / PAGE_SIZE);
      for (let p = first; p <= last && p - first < 1024; p++) (w.physical ? this.watchPPages : this.watchVPages).add(p);
    }
    this.flushTlb();
  }

  /** After a completed access of `size` bytes at (lo, hi) → pa: notes a watchpoint it hits. */
  private checkWatch(lo: number, hi: number, pa: number, size: number, write: boolean): void {
    const wps = this.watchpoints;
    if (wps === null || this.watchHit !== undefined) return;
    const va = hi * TWO32 + (lo >>> 0);
    for (const w of wps) {
      if (!(write ? w.write : w.read)) continue;
      const a = w.physical ? pa : va;
      if (a + size > w.start && a < w.end) {
        this.watchHit = { id: w.id, address: a, pa, size, write, pc: this.getPc() };
        this.haltRequested = true;
        return;
      }
    }
  }

  dropWritesToRamPage(ramPage: number): void {
    const off = ramPage * PAGE_SIZE;
    const w = this.wTlb;
    for (let e = 0; e < w.length; e += TLB_STRIDE) if (w[e + TLB_OFF] === off) w[e + TLB_TAG_LO] = TLB_INVALID;
  }

  /** Recomputes the data-access context after priv or mstatus changed. */
  private updateContext(): void {
    const ms = this.c32[C32.MSTATUS];
    let eff = this.c32[C32.PRIV];
    if (eff === PRV_M && (ms & MSTATUS.MPRV) !== 0) eff = (ms >>> MSTATUS.MPP_SHIFT) & 3;
    this.dctx = eff | ((ms & MSTATUS.SUM) !== 0 ? 4 : 0) | ((ms & MSTATUS.MXR) !== 0 ? 8 : 0);
    this.refetch = true;
  }

  /** satp.MODE, kept as a number (read on every page walk). */
  private satpModeNum = 0;

  private satpMode(): number {
    return this.satpModeNum;
  }

  /**
   * Translates a virtual address for an access of `size` bytes and checks PMP. Returns the physical
   * address, or -(cause + 1). Fills the TLB for RAM pages that PMP treats uniformly.
   */
  translateAddr(lo: number, hi: number, size: number, access: number, fill: boolean, trace?: WalkStep[]): number {
    const ms = this.c32[C32.MSTATUS];
    const priv = this.c32[C32.PRIV];
    const eff = access !== ACCESS_EXEC && priv === PRV_M && (ms & MSTATUS.MPRV) !== 0 ? (ms >>> MSTATUS.MPP_SHIFT) & 3 : priv;
    const mode = this.satpMode();
    let pa: number;
    let perms = ACCESS_READ | ACCESS_WRITE | ACCESS_EXEC;
    if (eff === PRV_M || mode === 0) {
      // Physical addresses are 56 bits; anything above cannot exist.
      if ((hi >>> 24) !== 0) return -((access === ACCESS_EXEC ? Cause.FETCH_ACCESS : access === ACCESS_WRITE ? Cause.STORE_ACCESS : Cause.LOAD_ACCESS) + 1);
      pa = (hi >>> 0) * TWO32 + (lo >>> 0);
    } else {
      const satp = this.c64[C64.SATP];
      const rootPa = Number(satp & 0xfffffffffffn) * PAGE_SIZE;
      pa = translate({ bus: this.bus, pmp: this.pmp, satpMode: mode, rootPa, debug: this.debugWalk }, lo, hi, access, eff,
        (ms & MSTATUS.SUM) !== 0, (ms & MSTATUS.MXR) !== 0, this.walkOut, trace);
      if (pa < 0) return pa;
      perms = this.walkOut.pagePerms;
    }
    if (this.debugWalk?.anyPermission !== true && !this.pmp.check(pa, size, access, eff)) {
      return -((access === ACCESS_EXEC ? Cause.FETCH_ACCESS : access === ACCESS_WRITE ? Cause.STORE_ACCESS : Cause.LOAD_ACCESS) + 1);
    }
    if (fill) this.fillTlb(lo, hi, pa, access, perms, eff);
    this.lastPerms = perms;
    this.lastEff = eff;
    return pa;
  }

  /** Permissions and effective privilege of the last successful translateAddr (for a later fillTlb). */
  private lastPerms = 0;
  private lastEff = 0;

  private fillTlb(lo: number, hi: number, pa: number, access: number, perms: number, eff: number): void {
    const pagePa = pa - (pa % PAGE_SIZE);
    if (this.watchpoints !== null && access !== ACCESS_EXEC &&
      (this.watchPPages.has(pagePa / PAGE_SIZE) || this.watchVPages.has(Math.floor((hi * TWO32 + (lo >>> 0)) / PAGE_SIZE)))) return;
    const pmpPerms = this.pmp.pagePermissions(pagePa, eff);
    if (pmpPerms < 0) return;
    perms &= pmpPerms;
    const idx = (lo >>> 12) & TLB_MASK;
    const pageLo = lo & ~0xfff;
    if (access === ACCESS_EXEC) {
      if (!this.bus.isMemory(pagePa)) return; // fetch faults there: never cache it as executable
      if ((perms & ACCESS_EXEC) === 0) return;
      this.xTagLo[idx] = pageLo | this.c32[C32.PRIV];
      this.xTagHi[idx] = hi;
      this.xPa[idx] = pagePa;
      return;
    }
    const off = this.bus.ramOffset(pagePa, PAGE_SIZE);
    if (off < 0) return; // MMIO and ROM always take the slow path
    const e = idx * TLB_STRIDE;
    if (access === ACCESS_READ && (perms & ACCESS_READ) !== 0) {
      this.rTlb[e + TLB_TAG_LO] = pageLo | this.dctx;
      this.rTlb[e + TLB_TAG_HI] = hi;
      this.rTlb[e + TLB_OFF] = off;
    } else if (access === ACCESS_WRITE && (perms & ACCESS_WRITE) !== 0) {
      const ramPage = off / PAGE_SIZE;
      if (this.bus.isCodePage(ramPage) || ramPage === this.bus.storeWatchPage) return;
      this.wTlb[e + TLB_TAG_LO] = pageLo | this.dctx;
      this.wTlb[e + TLB_TAG_HI] = hi;
      this.wTlb[e + TLB_OFF] = off;
      // A page writable here is readable too only if the walk said so; leave reads to their own fill.
    }
  }

  // ---- traps and interrupts ----

  /**
   * Takes a synchronous exception at the current pc. `timed`: the faulting instruction counts as
   * time (a trap QEMU decides at translation; see untimedSteps).
   */
  raise(cause: number, tval: bigint | number, timed = false): void {
    if (!timed) this.sliceUntimed++;
    this.takeTrap(BigInt(cause), cause, false, typeof tval === 'bigint' ? tval : BigInt.asUintN(64, BigInt(tval)));
  }

  private takeTrap(causeBig: bigint, cause: number, interrupt: boolean, tval: bigint): void {
    const priv = this.c32[C32.PRIV];
    const pcw = this.pcw;
    const fromLo = pcw[0];
    const fromHi = pcw[1];
    this.reservation = -1;
    const delegated = priv <= PRV_S && ((interrupt ? this.c32[C32.MIDELEG] : this.c32[C32.MEDELEG]) >>> cause & 1) !== 0;
    if (!interrupt && cause === Cause.ECALL_S && this.sbiMode && !delegated) {
      // The engine is the SBI implementation: serve the call and resume after the ecall.
      if (this.env.sbiCall && this.env.sbiCall(this)) {
        const was = pcw[0];
        const lo = (was + 4) | 0;
        pcw[0] = lo;
        pcw[1] = (pcw[1] + ((lo >>> 0) < (was >>> 0) ? 1 : 0)) | 0;
        return;
      }
    }
    const epc = toUnsigned(fromLo, fromHi);
    let ms = this.c32[C32.MSTATUS];
    const full = interrupt ? causeBig | (1n << 63n) : causeBig;
    if (delegated) {
      this.c64[C64.SCAUSE] = full;
      this.c64[C64.SEPC] = epc;
      this.c64[C64.STVAL] = tval;
      ms = (ms & ~(MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SIE)) |
        ((ms & MSTATUS.SIE) !== 0 ? MSTATUS.SPIE : 0) | (priv === PRV_S ? MSTATUS.SPP : 0);
      this.c32[C32.PRIV] = PRV_S;
      this.setPc(vectorTarget(this.c64[C64.STVEC], cause, interrupt));
    } else {
      if (this.sbiMode) {
        this.c32[C32.MSTATUS] = ms;
        this.env.onFatal?.(this, `trap into M-mode (cause ${cause}${interrupt ? ', interrupt' : ''}, pc 0x${epc.toString(16)}, tval 0x${tval.toString(16)}) with no firmware: the engine provides SBI`);
        this.stopped = true;
        this.haltRequested = true;
        return;
      }
      this.c64[C64.MCAUSE] = full;
      this.c64[C64.MEPC] = epc;
      this.c64[C64.MTVAL] = tval;
      ms = (ms & ~(MSTATUS.MPIE | MSTATUS.MPP | MSTATUS.MIE)) |
        ((ms & MSTATUS.MIE) !== 0 ? MSTATUS.MPIE : 0) | (priv << MSTATUS.MPP_SHIFT);
      this.c32[C32.PRIV] = PRV_M;
      this.setPc(vectorTarget(this.c64[C64.MTVEC], cause, interrupt));
    }
    this.c32[C32.MSTATUS] = ms;
    this.updateContext();
    this.env.onTrap?.(this, full, tval, epc, priv);
  }

  /** Takes the highest-priority pending, enabled interrupt, if any. Returns true if one was taken. */
  checkInterrupts(): boolean {
    const pending = (this.c32[C32.MIP_SW] | this.c32[C32.MIP_HW]) & this.c32[C32.MIE];
    if (pending === 0) return false;
    const priv = this.c32[C32.PRIV];
    const ms = this.c32[C32.MSTATUS];
    const mideleg = this.c32[C32.MIDELEG];
    const mEnabled = priv < PRV_M || (ms & MSTATUS.MIE) !== 0;
    const sEnabled = priv < PRV_S || (priv === PRV_S && (ms & MSTATUS.SIE) !== 0);
    let candidates = 0;
    if (mEnabled) candidates |= pending & ~mideleg;
    if (sEnabled) candidates |= pending & mideleg;
    if (candidates === 0) return false;
    // M-level (undelegated) interrupts first, then S-level, each in the spec's priority order.
    for (const set of [candidates & ~mideleg, candidates & mideleg]) {
      for (const irq of IRQ_PRIORITY) {
        if ((set >>> irq) & 1) {
          this.waiting = false;
          this.takeTrap(BigInt(irq), irq, true, 0n);
          return true;
        }
      }
    }
    return false;
  }

  // ---- counters and time ----

  currentInstret(): number {
    return this.instret + this.sliceSteps - this.sliceTraps;
  }

  // ---- CSRs ----

  /** True if the counter CSR (cycle/time/instret/hpmcounterN, bit index `i`) is accessible at this privilege. */
  private counterAllowed(i: number): boolean {
    const priv = this.c32[C32.PRIV];
    if (priv === PRV_M) return true;
    if (((this.c32[C32.MCOUNTEREN] >>> i) & 1) === 0) return false;
    if (priv === PRV_U && ((this.c32[C32.SCOUNTEREN] >>> i) & 1) === 0) return false;
    return true;
  }

  private fsOff(): boolean {
    return (this.c32[C32.MSTATUS] & MSTATUS.FS) === 0;
  }

  private markFsDirty(): void {
    this.c32[C32.MSTATUS] |= MSTATUS.FS;
  }

  private mstatusValue(): bigint {
    const ms = this.c32[C32.MSTATUS];
    const sd = (ms & MSTATUS.FS) === MSTATUS.FS ? 1n << 63n : 0n;
    // UXL = SXL = 2 (64-bit).
    return sd | (2n << 34n) | (2n << 32n) | BigInt(ms >>> 0);
  }

  private stce(): boolean {
    return (this.c64[C64.MENVCFG] & MENVCFG_STCE) !== 0n;
  }

  /**
   * Reads a CSR for an instruction (privilege-checked). Returns undefined when the access is illegal.
   * With `debug`, no privilege checks and no side effects (for the debugger).
   */
  readCsr(csr: number, debug = false): bigint | undefined {
    const priv = this.c32[C32.PRIV];
    if (!debug && ((csr >>> 8) & 3) > priv) return undefined;
    switch (csr) {
      case Csr.FFLAGS: return debug || !this.fsOff() ? BigInt(this.c32[C32.FFLAGS]) : undefined;
      case Csr.FRM: return debug || !this.fsOff() ? BigInt(this.c32[C32.FRM]) : undefined;
      case Csr.FCSR: return debug || !this.fsOff() ? BigInt((this.c32[C32.FRM] << 5) | this.c32[C32.FFLAGS]) : undefined;
      case Csr.CYCLE: case Csr.MCYCLE:
        if (!debug && csr === Csr.CYCLE && !this.counterAllowed(0)) return undefined;
        return BigInt.asUintN(64, BigInt(this.currentInstret()) + BigInt.asIntN(64, this.c64[C64.CYCLE_OFFSET]));
      case Csr.INSTRET: case Csr.MINSTRET:
        if (!debug && csr === Csr.INSTRET && !this.counterAllowed(2)) return undefined;
        return BigInt.asUintN(64, BigInt(this.currentInstret()) + BigInt.asIntN(64, this.c64[C64.INSTRET_OFFSET]));
      case Csr.TIME:
        if (!debug && !this.counterAllowed(1)) return undefined;
        return BigInt(this.env.now());
      case Csr.SSTATUS: return this.mstatusValue() & (BigInt(SSTATUS_MASK) | (3n << 32n) | (1n << 63n));
      case Csr.SIE: return BigInt(this.c32[C32.MIE] & this.c32[C32.MIDELEG]);
      case Csr.STVEC: return this.c64[C64.STVEC];
      case Csr.SCOUNTEREN: return BigInt(this.c32[C32.SCOUNTEREN] >>> 0);
      case Csr.SENVCFG: return this.c64[C64.SENVCFG];
      case Csr.SSCRATCH: return this.c64[C64.SSCRATCH];
      case Csr.SEPC: return this.c64[C64.SEPC];
      case Csr.SCAUSE: return this.c64[C64.SCAUSE];
      case Csr.STVAL: return this.c64[C64.STVAL];
      case Csr.SIP: return BigInt(this.mip & this.c32[C32.MIDELEG]);
      case Csr.STIMECMP:
        if (!debug && priv === PRV_S && (!this.stce() || !this.counterAllowed(1))) return undefined;
        return this.c64[C64.STIMECMP];
      case Csr.SATP:
        if (!debug && priv === PRV_S && (this.c32[C32.MSTATUS] & MSTATUS.TVM) !== 0) return undefined;
        return this.c64[C64.SATP];
      case Csr.MVENDORID: case Csr.MARCHID: case Csr.MIMPID: case Csr.MCONFIGPTR: return 0n;
      case Csr.MHARTID: return BigInt(this.id);
      case Csr.MSTATUS: return this.mstatusValue();
      case Csr.MISA: return MISA_VALUE;
      case Csr.MEDELEG: return BigInt(this.c32[C32.MEDELEG] >>> 0);
      case Csr.MIDELEG: return BigInt(this.c32[C32.MIDELEG] >>> 0);
      case Csr.MIE: return BigInt(this.c32[C32.MIE] >>> 0);
      case Csr.MTVEC: return this.c64[C64.MTVEC];
      case Csr.MCOUNTEREN: return BigInt(this.c32[C32.MCOUNTEREN] >>> 0);
      case Csr.MENVCFG: return this.c64[C64.MENVCFG];
      case Csr.MCOUNTINHIBIT: return BigInt(this.c32[C32.MCOUNTINHIBIT] >>> 0);
      case Csr.MSCRATCH: return this.c64[C64.MSCRATCH];
      case Csr.MEPC: return this.c64[C64.MEPC];
      case Csr.MCAUSE: return this.c64[C64.MCAUSE];
      case Csr.MTVAL: return this.c64[C64.MTVAL];
      case Csr.MIP: return BigInt(this.mip >>> 0);
    }
    if (csr >= Csr.PMPCFG0 && csr <= Csr.PMPCFG0 + 3) return (csr & 1) === 0 ? this.pmp.readCfg(csr - Csr.PMPCFG0) : undefined;
    if (csr >= Csr.PMPADDR0 && csr < Csr.PMPADDR0 + 16) {
      // NAPOT granularity G = 0: pmpaddr reads back as written.
      return this.pmp.addr[csr - Csr.PMPADDR0];
    }
    // mhpmcounter3..31 / mhpmevent3..31: implemented as read-only zero (no events).
    if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) return 0n;
    if (csr >= 0xc03 && csr <= 0xc1f) return debug || this.counterAllowed(csr - 0xc00) ? 0n : undefined;
    return undefined;
  }

  /** Writes a CSR (privilege/read-only checks are the caller's). Returns false if the CSR does not exist. */
  writeCsr(csr: number, v: bigint): boolean {
    const lo = Number(v & 0xffffffffn) | 0;
    switch (csr) {
      case Csr.FFLAGS: this.c32[C32.FFLAGS] = lo & 0x1f; this.markFsDirty(); return true;
      case Csr.FRM: this.c32[C32.FRM] = lo & 7; this.markFsDirty(); return true;
      case Csr.FCSR: this.c32[C32.FFLAGS] = lo & 0x1f; this.c32[C32.FRM] = (lo >>> 5) & 7; this.markFsDirty(); return true;
      case Csr.MCYCLE: this.c64[C64.CYCLE_OFFSET] = BigInt.asUintN(64, v - BigInt(this.currentInstret())); return true;
      case Csr.MINSTRET:
        // The writing instruction itself does not count (it retires with the new value in place).
        this.c64[C64.INSTRET_OFFSET] = BigInt.asUintN(64, v - BigInt(this.currentInstret()) - 1n); return true;
      case Csr.SSTATUS: this.setMstatus((this.c32[C32.MSTATUS] & ~SSTATUS_MASK) | (lo & SSTATUS_MASK & MSTATUS_WMASK)); return true;
      case Csr.SIE: {
        const m = this.c32[C32.MIDELEG];
        this.c32[C32.MIE] = (this.c32[C32.MIE] & ~m) | (lo & m);
        return true;
      }
      case Csr.STVEC: if ((v & 3n) < 2n) this.c64[C64.STVEC] = v; return true;
      case Csr.SCOUNTEREN: this.c32[C32.SCOUNTEREN] = lo; return true;
      case Csr.SENVCFG: this.c64[C64.SENVCFG] = v & SENVCFG_WMASK; return true;
      case Csr.SSCRATCH: this.c64[C64.SSCRATCH] = v; return true;
      case Csr.SEPC: this.c64[C64.SEPC] = v & ~1n; return true;
      case Csr.SCAUSE: this.c64[C64.SCAUSE] = v; return true;
      case Csr.STVAL: this.c64[C64.STVAL] = v; return true;
      case Csr.SIP: {
        // Only SSIP is writable through sip (when delegated).
        const m = this.c32[C32.MIDELEG] & 0x2;
        this.c32[C32.MIP_SW] = (this.c32[C32.MIP_SW] & ~m) | (lo & m);
        return true;
      }
      case Csr.STIMECMP: this.c64[C64.STIMECMP] = v; this.armStimecmp(); return true;
      case Csr.SATP: {
        const mode = Number(v >> 60n);
        if (mode !== 0 && levelsOf(mode) === 0) return true; // unsupported mode: the write has no effect
        this.c64[C64.SATP] = v & ((0xfn << 60n) | (0xffffn << 44n) | 0xfffffffffffn);
        this.satpModeNum = mode;
        this.flushTlb();
        return true;
      }
      case Csr.MSTATUS: this.setMstatus((this.c32[C32.MSTATUS] & ~MSTATUS_WMASK) | (lo & MSTATUS_WMASK)); return true;
      case Csr.MISA: return true; // read-only (WARL)
      case Csr.MEDELEG: this.c32[C32.MEDELEG] = lo & MEDELEG_WMASK; return true;
      case Csr.MIDELEG: this.c32[C32.MIDELEG] = lo & MIP_S; return true;
      case Csr.MIE: this.c32[C32.MIE] = lo & MIP_ALL; return true;
      case Csr.MTVEC: if ((v & 3n) < 2n) this.c64[C64.MTVEC] = v; return true;
      case Csr.MCOUNTEREN: this.c32[C32.MCOUNTEREN] = lo; return true;
      case Csr.MENVCFG: this.c64[C64.MENVCFG] = v & MENVCFG_WMASK; this.updateStip(); return true;
      case Csr.MCOUNTINHIBIT: this.c32[C32.MCOUNTINHIBIT] = lo & ~2; return true;
      case Csr.MSCRATCH: this.c64[C64.MSCRATCH] = v; return true;
      case Csr.MEPC: this.c64[C64.MEPC] = v & ~1n; return true;
      case Csr.MCAUSE: this.c64[C64.MCAUSE] = v; return true;
      case Csr.MTVAL: this.c64[C64.MTVAL] = v; return true;
      case Csr.MIP: {
        const m = this.mipSoftwareBits();
        this.c32[C32.MIP_SW] = (this.c32[C32.MIP_SW] & ~m) | (lo & m);
        return true;
      }
      case Csr.MVENDORID: case Csr.MARCHID: case Csr.MIMPID: case Csr.MHARTID: case Csr.MCONFIGPTR:
        return true;
    }
    if (csr >= Csr.PMPCFG0 && csr <= Csr.PMPCFG0 + 3) {
      if ((csr & 1) !== 0) return false;
      this.pmp.writeCfg(csr - Csr.PMPCFG0, v);
      this.flushTlb();
      return true;
    }
    if (csr >= Csr.PMPADDR0 && csr < Csr.PMPADDR0 + 16) {
      this.pmp.writeAddr(csr - Csr.PMPADDR0, v);
      this.flushTlb();
      return true;
    }
    if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) return true;
    return false;
  }

  private setMstatus(v: number): void {
    // MPP holds only implemented modes (U, S, M): the reserved value 2 keeps the old MPP.
    if (((v >>> MSTATUS.MPP_SHIFT) & 3) === 2) v = (v & ~MSTATUS.MPP) | (this.c32[C32.MSTATUS] & MSTATUS.MPP);
    this.c32[C32.MSTATUS] = v;
    this.updateContext();
  }

  /**
   * stimecmp was written. Like QEMU (riscv_timer_write_timecmp), the compare fires (stimecmp - time)
   * ticks after the write, keeping the write's sub-tick phase.
   */
  private armStimecmp(): void {
    const v = this.c64[C64.STIMECMP];
    const now = this.env.now();
    const per = this.env.finePerTick;
    this.stimecmpFine = v > BigInt(now) && v < 1n << 53n ? this.env.fine() + (Number(v) - now) * per : 0;
    this.updateStip();
  }

  /** Under Sstc, STIP follows time >= stimecmp (reached at the armed sub-tick phase). */
  updateStip(): void {
    if (!this.stce()) {
      this.setPending(0x20, false);
      return;
    }
    this.setPending(0x20, BigInt(this.env.now()) >= this.c64[C64.STIMECMP] && this.env.fine() >= this.stimecmpFine);
  }

  /** When Sstc's STIP will rise, in fine time units (Infinity if not armed or already pending). */
  stimecmpDeadlineFine(): number {
    if (!this.stce() || (this.c32[C32.MIP_HW] & 0x20) !== 0) return Infinity;
    const v = this.c64[C64.STIMECMP];
    return v >= 1n << 53n ? Infinity : Math.max(Number(v) * this.env.finePerTick, this.stimecmpFine);
  }

  /** Executes a CSR instruction. Returns false if illegal. */
  private execCsr(op: number, rd: number, rs1: number, csr: number): boolean {
    const x = this.x;
    const isImm = op >= Op.CSRRWI;
    const kind = isImm ? op - Op.CSRRWI : op - Op.CSRRW; // 0 = write, 1 = set, 2 = clear
    const src = isImm ? BigInt(rs1 >> 1) : toUnsigned(x[rs1], x[rs1 + 1]);
    const writes = kind === 0 || (isImm ? rs1 !== 0 : rs1 !== 0);
    const reads = kind !== 0 || rd !== SINK;
    if (writes && (csr >>> 10) === 3) return false; // read-only CSR
    if (((csr >>> 8) & 3) > this.c32[C32.PRIV]) return false;
    let old = 0n;
    if (reads || kind !== 0) {
      const r = this.readCsr(csr);
      if (r === undefined) return false;
      old = r;
    } else if (this.readCsr(csr) === undefined) {
      return false; // exists and accessible? (reading has no side effects)
    }
    if (writes) {
      const base = csr === Csr.MIP ? BigInt(this.c32[C32.MIP_SW] >>> 0) : old; // mip: only the software bits take part in CSRRS/CSRRC
      const nv = kind === 0 ? src : kind === 1 ? base | src : base & ~src;
      if (!this.writeCsr(csr, nv)) return false;
    }
    if (rd !== SINK) setBig(x, rd, old);
    return true;
  }

  // ---- memory slow paths ----

  /** Load through translation and the bus. Returns false if a trap was raised. */
  private loadSlow(lo: number, hi: number, size: number, signed: boolean, rd: number): boolean {
    const x = this.x;
    const t = this.tmp;
    if ((lo & 0xfff) + size > PAGE_SIZE) {
      // Crosses a page: byte by byte (each translated).
      let vlo = 0;
      let vhi = 0;
      for (let i = 0; i < size; i++) {
        const blo = (lo + i) | 0;
        const bhi = (hi + ((blo >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
        const pa = this.translateAddr(blo, bhi, 1, ACCESS_READ, false);
        if (pa < 0) { this.raise(-pa - 1, toUnsigned(blo, bhi)); return false; }
        if (!this.bus.load(pa, 1, t)) { this.raise(Cause.LOAD_ACCESS, toUnsigned(blo, bhi)); return false; }
        if (this.watchpoints !== null) this.checkWatch(blo, bhi, pa, 1, false);
        if (i < 4) vlo |= (t[0] & 0xff) << (8 * i);
        else vhi |= (t[0] & 0xff) << (8 * (i - 4));
      }
      t[0] = vlo;
      t[1] = vhi;
    } else {
      const pa = this.translateAddr(lo, hi, size, ACCESS_READ, true);
      if (pa < 0) { this.raise(-pa - 1, toUnsigned(lo, hi)); return false; }
      if (!this.bus.load(pa, size, t)) { this.raise(Cause.LOAD_ACCESS, toUnsigned(lo, hi)); return false; }
      if (this.watchpoints !== null) this.checkWatch(lo, hi, pa, size, false);
    }
    let vlo = t[0];
    let vhi = t[1];
    if (size < 8) {
      if (size === 1) vlo = signed ? (vlo << 24) >> 24 : vlo & 0xff;
      else if (size === 2) vlo = signed ? (vlo << 16) >> 16 : vlo & 0xffff;
      vhi = signed ? vlo >> 31 : 0;
    }
    if (rd >= 0) {
      x[rd] = vlo;
      x[rd + 1] = vhi;
    } else {
      // Float load (rd = -(f index * 2) - 2).
      const fr = -rd - 2;
      if (size === 4) { this.fi[fr] = vlo; this.fi[fr + 1] = -1; } else { this.fi[fr] = vlo; this.fi[fr + 1] = vhi; }
      this.markFsDirty();
    }
    return true;
  }

  /** Store through translation and the bus. Returns false if a trap was raised. */
  private storeSlow(lo: number, hi: number, size: number, vlo: number, vhi: number): boolean {
    if ((lo & 0xfff) + size > PAGE_SIZE) {
      this.refetch = true; // the store may hit code
      // Crosses a page: translate every byte first so a fault leaves memory untouched.
      const pas: number[] = [];
      for (let i = 0; i < size; i++) {
        const blo = (lo + i) | 0;
        const bhi = (hi + ((blo >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
        const pa = this.translateAddr(blo, bhi, 1, ACCESS_WRITE, false);
        if (pa < 0) { this.raise(-pa - 1, toUnsigned(blo, bhi)); return false; }
        pas.push(pa);
      }
      for (let i = 0; i < size; i++) {
        const b = i < 4 ? (vlo >>> (8 * i)) & 0xff : (vhi >>> (8 * (i - 4))) & 0xff;
        if (!this.bus.store(pas[i], 1, b, 0)) { this.raise(Cause.STORE_ACCESS, toUnsigned(lo, hi)); return false; }
      }
      if (this.watchpoints !== null) {
        for (let i = 0; i < size; i++) {
          const blo = (lo + i) | 0;
          this.checkWatch(blo, (hi + ((blo >>> 0) < (lo >>> 0) ? 1 : 0)) | 0, pas[i], 1, true);
        }
      }
      this.noteStore(pas[0]);
      return true;
    }
    const pa = this.translateAddr(lo, hi, size, ACCESS_WRITE, false);
    if (pa < 0) { this.raise(-pa - 1, toUnsigned(lo, hi)); return false; }
    const ramOff = this.bus.ramOffset(pa, size);
    if (ramOff < 0) this.exitAfter = true; // device writes may change interrupt lines
    else if (this.bus.isCodePage(ramOff >>> 12) || this.bus.isCodePage((ramOff + size - 1) >>> 12)) this.refetch = true; // self-modifying code
    if (!this.bus.store(pa, size, vlo, vhi)) { this.raise(Cause.STORE_ACCESS, toUnsigned(lo, hi)); return false; }
    if (this.watchpoints !== null) this.checkWatch(lo, hi, pa, size, true);
    // Fill the write TLB after the store (the store invalidated any decoded code in the page first).
    this.fillTlb(lo, hi, pa, ACCESS_WRITE, this.lastPerms, this.lastEff);
    this.noteStore(pa);
    return true;
  }

  /** Another hart's reservation on this address is broken by our store. */
  private noteStore(pa: number): void {
    if (this.reservation >= 0 && (pa & ~7) === (this.reservation & ~7)) this.reservation = -1;
    if (this.onStore) this.onStore(this, pa);
  }

  /** The machine hooks this to break other harts' reservations. */
  onStore: ((hart: Hart, pa: number) => void) | undefined;

  /** Atomic memory operations and LR/SC (always through the slow path). Returns false if trapped. */
  private execAtomic(op: number, rd: number, rs1: number, rs2: number, funct5: number): boolean {
    const x = this.x;
    const lo = x[rs1];
    const hi = x[rs1 + 1];
    const dbl = op === Op.LR_D || op === Op.SC_D || op === Op.AMO_D;
    const size = dbl ? 8 : 4;
    const va = toUnsigned(lo, hi);
    if ((lo & (size - 1)) !== 0) {
      this.raise(op === Op.LR_W || op === Op.LR_D ? Cause.MISALIGNED_LOAD : Cause.MISALIGNED_STORE, va);
      return false;
    }
    const t = this.tmp;
    if (op === Op.LR_W || op === Op.LR_D) {
      const pa = this.translateAddr(lo, hi, size, ACCESS_READ, false);
      if (pa < 0) { this.raise(-pa - 1, va); return false; }
      if (!this.bus.load(pa, size, t)) { this.raise(Cause.LOAD_ACCESS, va); return false; }
      if (this.watchpoints !== null) this.checkWatch(lo, hi, pa, size, false);
      this.reservation = pa;
      x[rd] = t[0];
      x[rd + 1] = dbl ? t[1] : t[0] >> 31;
      return true;
    }
    // SC and AMOs need write permission (a store/AMO fault, even for the read part).
    const pa = this.translateAddr(lo, hi, size, ACCESS_WRITE, false);
    if (pa < 0) { this.raise(-pa - 1, va); return false; }
    if (op === Op.SC_W || op === Op.SC_D) {
      const ok = this.reservation === pa;
      this.reservation = -1;
      if (ok) {
        if (!this.bus.store(pa, size, x[rs2], x[rs2 + 1])) { this.raise(Cause.STORE_ACCESS, va); return false; }
        if (this.watchpoints !== null) this.checkWatch(lo, hi, pa, size, true);
        this.noteStore(pa);
      }
      x[rd] = ok ? 0 : 1;
      x[rd + 1] = 0;
      this.refetch = true;
      return true;
    }
    if (!this.bus.load(pa, size, t)) { this.raise(Cause.STORE_ACCESS, va); return false; }
    const ol = t[0];
    const oh = dbl ? t[1] : t[0] >> 31;
    const bl = x[rs2];
    const bh = dbl ? x[rs2 + 1] : bl >> 31;
    let nl = 0;
    let nh = 0;
    switch (funct5) {
      case Amo.SWAP: nl = bl; nh = bh; break;
      case Amo.ADD: {
        nl = (ol + bl) | 0;
        nh = (oh + bh + ((nl >>> 0) < (ol >>> 0) ? 1 : 0)) | 0;
        break;
      }
      case Amo.XOR: nl = ol ^ bl; nh = oh ^ bh; break;
      case Amo.OR: nl = ol | bl; nh = oh | bh; break;
      case Amo.AND: nl = ol & bl; nh = oh & bh; break;
      default: {
        const signed = funct5 === Amo.MIN || funct5 === Amo.MAX;
        const lt = signed ? (oh < bh || (oh === bh && (ol >>> 0) < (bl >>> 0)))
          : ((oh >>> 0) < (bh >>> 0) || (oh === bh && (ol >>> 0) < (bl >>> 0)));
        const pickOld = funct5 === Amo.MIN || funct5 === Amo.MINU ? lt : !lt;
        nl = pickOld ? ol : bl;
        nh = pickOld ? oh : bh;
      }
    }
    if (!this.bus.store(pa, size, nl, nh)) { this.raise(Cause.STORE_ACCESS, va); return false; }
    if (this.watchpoints !== null) {
      this.checkWatch(lo, hi, pa, size, false);
      this.checkWatch(lo, hi, pa, size, true);
    }
    this.noteStore(pa);
    this.refetch = true;
    x[rd] = ol;
    x[rd + 1] = oh;
    return true;
  }

  // ---- fetch ----

  /**
   * Translates the fetch of the page holding the pc (lo, hi). Returns the physical address of the page,
   * or -1 after raising a fetch fault.
   */
  private fetchPage(lo: number, hi: number): number {
    const idx = (lo >>> 12) & TLB_MASK;
    if (this.xTagLo[idx] === ((lo & ~0xfff) | this.c32[C32.PRIV]) && this.xTagHi[idx] === hi) return this.xPa[idx];
    const pa = this.translateAddr(lo, hi, 2, ACCESS_EXEC, true);
    if (pa < 0) { this.raise(-pa - 1, toUnsigned(lo, hi)); return -1; }
    if (!this.bus.isMemory(pa)) { this.raise(Cause.FETCH_ACCESS, toUnsigned(lo, hi)); return -1; }
    return pa - (pa % PAGE_SIZE);
  }

  /**
   * Decodes the instruction at byte `off` of the fetch page (the pc is its address), caching it in `page`
   * unless it crosses into the next page. Returns w0 (imm in this.decodedImm), or -1 if a fetch fault
   * was raised.
   */
  private decodeAt(page: Int32Array, off: number): number {
    const pagePa = this.fetchPa;
    const lo16 = this.bus.parcel(pagePa + off);
    let hi16 = 0;
    let cache = true;
    if (isLongParcel(lo16)) {
      if (off + 2 < PAGE_SIZE) hi16 = this.bus.parcel(pagePa + off + 2);
      else {
        const lo = this.pcw[0];
        const lo2 = (lo + 2) | 0;
        const pa2 = this.fetchPage(lo2, (this.pcw[1] + ((lo2 >>> 0) < (lo >>> 0) ? 1 : 0)) | 0);
        if (pa2 < 0) return -1;
        hi16 = this.bus.parcel(pa2);
        this.crossHi16 = hi16;
        cache = false;
      }
    }
    const d = decodeParcels(lo16, hi16);
    if (cache) {
      page[off] = d.w0;
      page[off + 1] = d.imm;
    }
    this.decodedImm = d.imm;
    return d.w0;
  }

  // ---- the interpreter ----

  /** What the F/D fast paths may assume, from mstatus.FS and frm (re-read after every slow step). */
  private fpState(): FpState {
    const fs = this.c32[C32.MSTATUS] & FS_MASK;
    if (fs === 0) return FpState.OFF;
    if (fs !== FS_MASK) return FpState.ON;
    return this.c32[C32.FRM] === RNE ? FpState.DIRTY_RNE : FpState.DIRTY;
  }

  /**
   * Runs up to `budget` steps (instructions or traps). Returns why it stopped; `sliceSteps` says how
   * many steps were taken. Interrupts are checked by the caller between calls.
   *
   * The switch holds the ops that common code executes; the rest are in execCold. Each case of the
   * switch has run before any guest code does (warmUpRun): an optimised `run` that meets a case it has
   * no type feedback for is deoptimised, and a function this size takes tens of milliseconds to compile.
   */
  run(budget: number): HartExit {
    const x = this.x;
    const bus = this.bus;
    const ram8 = bus.ram;
    const ram16 = bus.ram16;
    const ram32 = bus.ram32;
    const f = this.f;
    const fi = this.fi;
    const c32 = this.c32;
    const rTlb = this.rTlb;
    const wTlb = this.wTlb;
    const pcw = this.pcw;
    const bps = this.breakpoints.size > 0 && !this.ignoreBreakpoints ? this.breakpoints : null;
    if (bps !== null && this.bpPagesVersion !== bps.version) this.rebuildBpPages();
    const bpPages = this.bpPages;
    /** Whether the fetch page holds a breakpoint (only then is each pc looked up). */
    let pageHasBp = false;
    // State the fast paths cache; slow steps may change it, so it is re-read after each.
    let dctx = this.dctx;
    let fp = this.fpState();
    let noteStores = this.reservation >= 0 || this.onStore !== undefined;
    // Where the hart is: byte `off` of the fetch page (decoded `page`, physical this.fetchPa), whose
    // virtual address is (baseLo, baseHi) in int32 halves, baseLo page-aligned: the pc is
    // (baseLo | off, baseHi), exact over 64 bits with no carry inside the page. An int32 offset keeps the
    // steps' arithmetic and the decode-cache index in integers. An off outside the page (a branch out of
    // it, or JUMPED after a jump, a trap or xRET, whose target is in pcw) makes the next step translate
    // the fetch anew.
    let baseLo = 0;
    let baseHi = 0;
    let off = JUMPED;
    let page: Int32Array = EMPTY_PAGE;
    let n = 0;
    let exit = HartExit.BUDGET;
    /** Set when this step went through a slow path or trapped (the loop then re-reads what it caches). */
    let slow = false;
    /** With trap >= 0: whether that trap counts as time (see untimedSteps). */
    let trapTimed = true;
    this.sliceTraps = 0;
    this.sliceUntimed = 0;
    this.exitAfter = false;
    this.refetch = false;
    this.haltRequested = false;
    const resuming = this.stoppedAtBreakpoint;
    this.stoppedAtBreakpoint = false;

    while (n < budget) {
      if ((off >>> 0) >= PAGE_SIZE) {
        if (off !== JUMPED) {
          // Off the page by a branch or by running on: base + off, with the carry or borrow into the high word.
          const lo = (baseLo + off) | 0;
          pcw[0] = lo;
          pcw[1] = (baseHi + (off >> 31) + ((lo >>> 0) < (baseLo >>> 0) ? 1 : 0)) | 0;
        }
        this.refetch = false;
        this.sliceSteps = n;
        const pcLo = pcw[0];
        const pcHi = pcw[1];
        const pa = this.fetchPage(pcLo, pcHi);
        if (pa < 0) {
          // Fetch fault taken (the pc is the trap vector): return so the machine re-checks interrupts at
          // the new privilege.
          off = JUMPED;
          n++;
          this.sliceTraps++;
          exit = this.haltRequested ? HartExit.HALT : HartExit.EVENT;
          break;
        }
        this.fetchPa = pa;
        page = bus.decodedPage(pa);
        baseLo = pcLo & ~0xfff;
        baseHi = pcHi;
        off = pcLo & 0xfff;
        pageHasBp = bps !== null && bpPages.has(baseHi * TWO32 + (baseLo >>> 0));
      }
      if (pageHasBp && atBreakpoint(bps!, baseLo | off, baseHi) && (n > 0 || !resuming)) {
        this.stoppedAtBreakpoint = true;
        exit = HartExit.HALT;
        break;
      }
      let w0 = page[off];
      let imm: number;
      if (w0 === 0) {
        pcw[0] = baseLo | off;
        pcw[1] = baseHi;
        w0 = this.decodeAt(page, off);
        if (w0 < 0) {
          off = JUMPED;
          n++;
          this.sliceTraps++;
          exit = this.haltRequested ? HartExit.HALT : HartExit.EVENT;
          break;
        }
        imm = this.decodedImm;
      } else {
        imm = page[off + 1];
      }
      const rd = (w0 >>> 8) & 0x7e;
      const rs1 = (w0 >>> 15) & 0x7e;
      const rs2 = (w0 >>> 21) & 0x7e;
      /** Where the next step is (an offset as `off`). */
      let next = off + ((w0 & 0x100) !== 0 ? 2 : 4);
      /** -1, or with slow set: a cause to raise (with tval), or -2 when a slow path already raised it. */
      let trap = -1;
      let tval = 0;

      switch (w0 & 0xff) {
        // ---- RV64I ----
        case Op.LUI: x[rd] = imm; x[rd + 1] = imm >> 31; break;
        // pc + imm (AUIPC) or the return address (pc + the instruction's length) into rd, computed in
        // halves as ADDI does; rd is written last, as JALR's rs1 may be rd.
        case Op.AUIPC: case Op.JAL: case Op.JALR: {
          const op = w0 & 0xff;
          const pcLo = baseLo | off;
          const d = op === Op.AUIPC ? imm : next - off;
          const lo = (pcLo + d) | 0;
          const hi = (baseHi + (d >> 31) + ((lo >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0;
          if (op === Op.JAL) {
            next = off + imm;
          } else if (op === Op.JALR) {
            const tl = (x[rs1] + imm) | 0;
            pcw[1] = (x[rs1 + 1] + (imm >> 31) + ((tl >>> 0) < (x[rs1] >>> 0) ? 1 : 0)) | 0;
            pcw[0] = tl & ~1;
            next = JUMPED;
          }
          x[rd] = lo;
          x[rd + 1] = hi;
          break;
        }
        case Op.BEQ: if (x[rs1] === x[rs2] && x[rs1 + 1] === x[rs2 + 1]) next = off + imm; break;
        case Op.BNE: if (x[rs1] !== x[rs2] || x[rs1 + 1] !== x[rs2 + 1]) next = off + imm; break;
        case Op.BLT: {
          const ah = x[rs1 + 1], bh = x[rs2 + 1];
          if (ah < bh || (ah === bh && (x[rs1] >>> 0) < (x[rs2] >>> 0))) next = off + imm;
          break;
        }
        case Op.BGE: {
          const ah = x[rs1 + 1], bh = x[rs2 + 1];
          if (!(ah < bh || (ah === bh && (x[rs1] >>> 0) < (x[rs2] >>> 0)))) next = off + imm;
          break;
        }
        case Op.BLTU: {
          const ah = x[rs1 + 1] >>> 0, bh = x[rs2 + 1] >>> 0;
          if (ah < bh || (ah === bh && (x[rs1] >>> 0) < (x[rs2] >>> 0))) next = off + imm;
          break;
        }
        case Op.BGEU: {
          const ah = x[rs1 + 1] >>> 0, bh = x[rs2 + 1] >>> 0;
          if (!(ah < bh || (ah === bh && (x[rs1] >>> 0) < (x[rs2] >>> 0)))) next = off + imm;
          break;
        }

        // Loads: TLB hit on an aligned access reads RAM directly; everything else takes loadSlow.
        case Op.LD: case Op.LW: case Op.LWU: case Op.LH: case Op.LHU: case Op.LB: case Op.LBU: {
          const bl = x[rs1];
          const lo = (bl + imm) | 0;
          const hi = (x[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
          const e = ((lo >>> 12) & TLB_MASK) * TLB_STRIDE;
          const op = w0 & 0xff;
          const size = op === Op.LD ? 8 : op === Op.LW || op === Op.LWU ? 4 : op === Op.LB || op === Op.LBU ? 1 : 2;
          if (rTlb[e + TLB_TAG_LO] === ((lo & ~0xfff) | dctx) && rTlb[e + TLB_TAG_HI] === hi && (lo & (size - 1)) === 0) {
            const o = rTlb[e + TLB_OFF] + (lo & 0xfff);
            switch (op) {
              case Op.LD: x[rd] = ram32[o >>> 2]; x[rd + 1] = ram32[(o >>> 2) + 1]; break;
              case Op.LW: { const v = ram32[o >>> 2]; x[rd] = v; x[rd + 1] = v >> 31; break; }
              case Op.LWU: x[rd] = ram32[o >>> 2]; x[rd + 1] = 0; break;
              case Op.LH: { const v = (ram16[o >>> 1] << 16) >> 16; x[rd] = v; x[rd + 1] = v >> 31; break; }
              case Op.LHU: x[rd] = ram16[o >>> 1]; x[rd + 1] = 0; break;
              case Op.LB: { const v = (ram8[o] << 24) >> 24; x[rd] = v; x[rd + 1] = v >> 31; break; }
              default: x[rd] = ram8[o]; x[rd + 1] = 0; break;
            }
          } else {
            slow = true;
            pcw[0] = baseLo | off;
            pcw[1] = baseHi;
            this.sliceSteps = n;
            if (!this.loadSlow(lo, hi, size, op === Op.LD || op === Op.LW || op === Op.LH || op === Op.LB, rd)) trap = -2;
          }
          break;
        }
        case Op.SD: case Op.SW: case Op.SH: case Op.SB: {
          const bl = x[rs1];
          const lo = (bl + imm) | 0;
          const hi = (x[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
          const e = ((lo >>> 12) & TLB_MASK) * TLB_STRIDE;
          const op = w0 & 0xff;
          const size = op === Op.SD ? 8 : op === Op.SW ? 4 : op === Op.SH ? 2 : 1;
          if (wTlb[e + TLB_TAG_LO] === ((lo & ~0xfff) | dctx) && wTlb[e + TLB_TAG_HI] === hi && (lo & (size - 1)) === 0) {
            const o = wTlb[e + TLB_OFF] + (lo & 0xfff);
            switch (op) {
              case Op.SD: ram32[o >>> 2] = x[rs2]; ram32[(o >>> 2) + 1] = x[rs2 + 1]; break;
              case Op.SW: ram32[o >>> 2] = x[rs2]; break;
              case Op.SH: ram16[o >>> 1] = x[rs2]; break;
              default: ram8[o] = x[rs2]; break;
            }
            if (noteStores) this.noteStore(o + bus.ramBase);
          } else {
            slow = true;
            pcw[0] = baseLo | off;
            pcw[1] = baseHi;
            this.sliceSteps = n;
            if (!this.storeSlow(lo, hi, size, x[rs2], x[rs2 + 1])) trap = -2;
          }
          break;
        }

        case Op.ADDI: {
          const al = x[rs1];
          const lo = (al + imm) | 0;
          x[rd + 1] = (x[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
          x[rd] = lo;
          break;
        }
        case Op.SLTI: {
          const ah = x[rs1 + 1], bh = imm >> 31;
          x[rd] = ah < bh || (ah === bh && (x[rs1] >>> 0) < (imm >>> 0)) ? 1 : 0;
          x[rd + 1] = 0;
          break;
        }
        case Op.SLTIU: {
          const ah = x[rs1 + 1] >>> 0, bh = (imm >> 31) >>> 0;
          x[rd] = ah < bh || (ah === bh && (x[rs1] >>> 0) < (imm >>> 0)) ? 1 : 0;
          x[rd + 1] = 0;
          break;
        }
        case Op.XORI: x[rd] = x[rs1] ^ imm; x[rd + 1] = x[rs1 + 1] ^ (imm >> 31); break;
        case Op.ORI: x[rd] = x[rs1] | imm; x[rd + 1] = x[rs1 + 1] | (imm >> 31); break;
        case Op.ANDI: x[rd] = x[rs1] & imm; x[rd + 1] = x[rs1 + 1] & (imm >> 31); break;
        // 64-bit shifts, written here rather than called: V8 inlines calls into `run` only until a budget is
        // spent, and a shift is too common to leave to that (SLLI_UW, from Zba, shifts the zero-extended word).
        case Op.SLLI: case Op.SLL: case Op.SLLI_UW: {
          const op = w0 & 0xff;
          const sh = op === Op.SLL ? x[rs2] & 63 : imm;
          const lo = x[rs1], hi = op === Op.SLLI_UW ? 0 : x[rs1 + 1];
          if (sh === 0) { x[rd] = lo; x[rd + 1] = hi; }
          else if (sh < 32) { x[rd + 1] = (hi << sh) | (lo >>> (32 - sh)); x[rd] = lo << sh; }
          else { x[rd + 1] = lo << (sh - 32); x[rd] = 0; }
          break;
        }
        case Op.SRLI: case Op.SRL: {
          const sh = (w0 & 0xff) === Op.SRL ? x[rs2] & 63 : imm;
          const lo = x[rs1], hi = x[rs1 + 1];
          if (sh === 0) { x[rd] = lo; x[rd + 1] = hi; }
          else if (sh < 32) { x[rd] = (lo >>> sh) | (hi << (32 - sh)); x[rd + 1] = hi >>> sh; }
          else { x[rd] = hi >>> (sh - 32); x[rd + 1] = 0; }
          break;
        }
        case Op.SRAI: case Op.SRA: {
          const sh = (w0 & 0xff) === Op.SRA ? x[rs2] & 63 : imm;
          const lo = x[rs1], hi = x[rs1 + 1];
          if (sh === 0) { x[rd] = lo; x[rd + 1] = hi; }
          else if (sh < 32) { x[rd] = (lo >>> sh) | (hi << (32 - sh)); x[rd + 1] = hi >> sh; }
          else { x[rd] = hi >> (sh - 32); x[rd + 1] = hi >> 31; }
          break;
        }
        case Op.ADD: {
          const al = x[rs1], bl = x[rs2];
          const lo = (al + bl) | 0;
          x[rd + 1] = (x[rs1 + 1] + x[rs2 + 1] + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
          x[rd] = lo;
          break;
        }
        case Op.SUB: {
          const al = x[rs1], bl = x[rs2];
          x[rd + 1] = (x[rs1 + 1] - x[rs2 + 1] - ((al >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
          x[rd] = (al - bl) | 0;
          break;
        }
        case Op.SLT: {
          const ah = x[rs1 + 1], bh = x[rs2 + 1];
          x[rd] = ah < bh || (ah === bh && (x[rs1] >>> 0) < (x[rs2] >>> 0)) ? 1 : 0;
          x[rd + 1] = 0;
          break;
        }
        case Op.SLTU: {
          const ah = x[rs1 + 1] >>> 0, bh = x[rs2 + 1] >>> 0;
          x[rd] = ah < bh || (ah === bh && (x[rs1] >>> 0) < (x[rs2] >>> 0)) ? 1 : 0;
          x[rd + 1] = 0;
          break;
        }
        case Op.XOR: x[rd] = x[rs1] ^ x[rs2]; x[rd + 1] = x[rs1 + 1] ^ x[rs2 + 1]; break;
        case Op.OR: x[rd] = x[rs1] | x[rs2]; x[rd + 1] = x[rs1 + 1] | x[rs2 + 1]; break;
        case Op.AND: x[rd] = x[rs1] & x[rs2]; x[rd + 1] = x[rs1 + 1] & x[rs2 + 1]; break;
        case Op.ADDIW: { const v = (x[rs1] + imm) | 0; x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.SLLIW: { const v = x[rs1] << imm; x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.SRLIW: { const v = (x[rs1] >>> imm) | 0; x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.SRAIW: { const v = x[rs1] >> imm; x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.ADDW: { const v = (x[rs1] + x[rs2]) | 0; x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.SUBW: { const v = (x[rs1] - x[rs2]) | 0; x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.SLLW: { const v = x[rs1] << (x[rs2] & 31); x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.SRLW: { const v = (x[rs1] >>> (x[rs2] & 31)) | 0; x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.SRAW: { const v = x[rs1] >> (x[rs2] & 31); x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.FENCE: break;

        // ---- M ----
        case Op.MUL: {
          const al = x[rs1], bl = x[rs2];
          const hi = (mulhu32(al, bl) + Math.imul(al, x[rs2 + 1]) + Math.imul(x[rs1 + 1], bl)) | 0;
          x[rd] = Math.imul(al, bl);
          x[rd + 1] = hi;
          break;
        }
        // One call site per helper, signed and unsigned forms together (each inlined call site takes from
        // `run`'s share of V8's inlining budget).
        case Op.MULH: case Op.MULHSU: case Op.MULHU: {
          const op = w0 & 0xff;
          mulHigh64(x, rd, x[rs1], x[rs1 + 1], x[rs2], x[rs2 + 1], op !== Op.MULHU, op === Op.MULH);
          break;
        }
        case Op.DIV: case Op.REM: case Op.DIVU: case Op.REMU: {
          const op = w0 & 0xff;
          divRem64Into(x, rd, x[rs1], x[rs1 + 1], x[rs2], x[rs2 + 1], op === Op.DIV || op === Op.REM, op === Op.REM || op === Op.REMU);
          break;
        }
        case Op.MULW: { const v = Math.imul(x[rs1], x[rs2]); x[rd] = v; x[rd + 1] = v >> 31; break; }
        case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW: {
          const op = w0 & 0xff;
          const v = divRem32(x[rs1], x[rs2], op === Op.DIVW || op === Op.REMW, op === Op.REMW || op === Op.REMUW);
          x[rd] = v;
          x[rd + 1] = v >> 31;
          break;
        }

        // ---- F/D ----
        // Loads and stores: the integer fast path (same TLB, same context) when FS is dirty (loads, which
        // would dirty it) or on (stores); otherwise the FS check and loadSlow/storeSlow.
        case Op.FLW: case Op.FLD: {
          const bl = x[rs1];
          const lo = (bl + imm) | 0;
          const hi = (x[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
          const e = ((lo >>> 12) & TLB_MASK) * TLB_STRIDE;
          const dbl = (w0 & 0xff) === Op.FLD;
          if (fp >= FpState.DIRTY && rTlb[e + TLB_TAG_LO] === ((lo & ~0xfff) | dctx) && rTlb[e + TLB_TAG_HI] === hi && (lo & (dbl ? 7 : 3)) === 0) {
            const o = (rTlb[e + TLB_OFF] + (lo & 0xfff)) >>> 2;
            fi[rd] = ram32[o];
            fi[rd + 1] = dbl ? ram32[o + 1] : -1; // FLW NaN-boxes
            break;
          }
          slow = true;
          if (fp === FpState.OFF) { trap = Cause.ILLEGAL_INSTRUCTION; tval = this.rawInsn(off, w0); trapTimed = true; break; }
          pcw[0] = baseLo | off;
          pcw[1] = baseHi;
          this.sliceSteps = n;
          // Float destination is passed as -(index) - 2 so loadSlow can tell it from integers.
          if (!this.loadSlow(lo, hi, dbl ? 8 : 4, false, -rd - 2)) trap = -2;
          break;
        }
        case Op.FSW: case Op.FSD: {
          const bl = x[rs1];
          const lo = (bl + imm) | 0;
          const hi = (x[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
          const e = ((lo >>> 12) & TLB_MASK) * TLB_STRIDE;
          const dbl = (w0 & 0xff) === Op.FSD;
          if (fp !== FpState.OFF && wTlb[e + TLB_TAG_LO] === ((lo & ~0xfff) | dctx) && wTlb[e + TLB_TAG_HI] === hi && (lo & (dbl ? 7 : 3)) === 0) {
            const o = (wTlb[e + TLB_OFF] + (lo & 0xfff)) >>> 2;
            ram32[o] = fi[rs2];
            if (dbl) ram32[o + 1] = fi[rs2 + 1];
            if (noteStores) this.noteStore(o * 4 + bus.ramBase);
            break;
          }
          slow = true;
          if (fp === FpState.OFF) { trap = Cause.ILLEGAL_INSTRUCTION; tval = this.rawInsn(off, w0); trapTimed = true; break; }
          pcw[0] = baseLo | off;
          pcw[1] = baseHi;
          this.sliceSteps = n;
          if (!this.storeSlow(lo, hi, dbl ? 8 : 4, fi[rs2], dbl ? fi[rs2 + 1] : 0)) trap = -2;
          break;
        }
        // Binary64 arithmetic and compares with FS dirty and frm = RNE (as FP code runs): fpu.ts's fast
        // paths, for finite results and non-NaN compares; the rest (NaNs, infinities, other rounding modes)
        // goes on to execFp with the other F/D instructions.
        case Op.FADD_D: case Op.FMUL_D: case Op.FDIV_D: case Op.FSQRT_D: case Op.FMA_D: case Op.FCMP_D:
          if (fp === FpState.DIRTY_RNE) {
            const op = w0 & 0xff;
            if (op === Op.FCMP_D) {
              const r = fastCmpD(f, imm);
              if (r >= 0) {
                x[rd] = r;
                x[rd + 1] = 0;
                break;
              }
            } else {
              const flags = FAST_D[op - Op.FADD_D](f, imm);
              if (flags >= 0) {
                c32[C32.FFLAGS] |= flags;
                break;
              }
            }
          }
        // falls through
        case Op.FP:
          slow = true;
          if (!this.execFpGeneric(imm)) { trap = Cause.ILLEGAL_INSTRUCTION; tval = imm >>> 0; trapTimed = !this.fpBadRm; }
          break;

        default:
          // System instructions, CSRs, atomics, bit manipulation, illegal encodings.
          slow = true;
          pcw[0] = baseLo | off;
          pcw[1] = baseHi;
          this.sliceSteps = n;
          switch (this.execCold(w0, imm, off)) {
            case Cold.TRAPPED: trap = -2; break;
            case Cold.JUMPED: next = JUMPED; break; // to the pc it set
            case Cold.WAITING: exit = HartExit.WFI; break;
          }
          break;
      }

      if (slow) {
        // A trap, or a slow path that may have changed what the fast path caches or asked to leave the loop.
        slow = false;
        if (trap !== -1) {
          if (trap >= 0) {
            pcw[0] = baseLo | off;
            pcw[1] = baseHi;
            this.sliceSteps = n;
            this.raise(trap, tval, trapTimed);
          }
          // trap === -2: a slow path already raised it. The pc is the trap vector.
          off = JUMPED;
          n++;
          this.sliceTraps++;
          this.refetch = false;
          this.exitAfter = false;
          // A trap changes privilege: let the machine look at interrupts before going on.
          exit = this.haltRequested ? HartExit.HALT : HartExit.EVENT;
          break;
        }
        off = next;
        n++;
        dctx = this.dctx;
        fp = this.fpState();
        noteStores = this.reservation >= 0 || this.onStore !== undefined;
        if (this.refetch) {
          this.refetch = false;
          if (off !== JUMPED) {
            const lo = (baseLo + off) | 0;
            pcw[0] = lo;
            pcw[1] = (baseHi + (off >> 31) + ((lo >>> 0) < (baseLo >>> 0) ? 1 : 0)) | 0;
            off = JUMPED;
          }
        }
        if (this.exitAfter) {
          this.exitAfter = false;
          if (exit === HartExit.BUDGET) exit = HartExit.EVENT;
          break;
        }
        if (this.haltRequested) { exit = HartExit.HALT; break; }
        continue;
      }
      off = next;
      n++;
    }
    if (off !== JUMPED) {
      const lo = (baseLo + off) | 0;
      pcw[0] = lo;
      pcw[1] = (baseHi + (off >> 31) + ((lo >>> 0) < (baseLo >>> 0) ? 1 : 0)) | 0;
    }
    this.sliceSteps = n;
    this.steps += n;
    this.instret += n - this.sliceTraps;
    this.untimedSteps += this.sliceUntimed;
    this.sliceSteps = 0;
    this.sliceTraps = 0;
    this.sliceUntimed = 0;
    return exit;
  }

  /**
   * F/D computational instructions through execFp (any format, rounding mode or operand). Returns false
   * if illegal; fpBadRm then says whether only the rounding mode was (a fault found when executed).
   */
  private execFpGeneric(insn: number): boolean {
    const c32 = this.c32;
    const ms = c32[C32.MSTATUS];
    this.fpBadRm = false;
    if ((ms & FS_MASK) === 0) return false;
    const flags = c32[C32.FFLAGS];
    const r = execFp(this, insn);
    if (r < 0) {
      this.fpBadRm = r === FP_BAD_RM;
      return false;
    }
    if (r === FP_OK_FREG || c32[C32.FFLAGS] !== flags) c32[C32.MSTATUS] = ms | FS_MASK;
    return true;
  }

  /**
   * The ops `run` leaves to a method: system instructions, CSRs and atomics (slow paths anyway), the
   * bit-manipulation extensions (rare in RV64GC code) and illegal encodings. The pc and `sliceSteps`
   * are synced; `off` locates the instruction in the fetch page (for xtval). (A jump's target comes back
   * through the hart's pc rather than as a returned value, which would have to be a heap number or bigint.)
   */
  private execCold(w0: number, imm: number, off: number): Cold {
    const x = this.x;
    const op = w0 & 0xff;
    const rd = (w0 >>> 8) & 0x7e;
    const rs1 = (w0 >>> 15) & 0x7e;
    const rs2 = (w0 >>> 21) & 0x7e;
    switch (op) {
      // ---- A ----
      case Op.LR_W: case Op.SC_W: case Op.LR_D: case Op.SC_D: case Op.AMO_W: case Op.AMO_D:
        if (!this.execAtomic(op, rd, rs1, rs2, imm)) return Cold.TRAPPED;
        break;

      // ---- Zicsr, Zifencei and privileged ----
      case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
        if (!this.execCsr(op, rd, rs1, imm)) return this.illegal(off, w0);
        this.exitAfter = true; // interrupt enables or pending bits may have changed
        break;
      case Op.FENCE_I: this.refetch = true; break;
      case Op.ECALL: this.raise(Cause.ECALL_U + this.c32[C32.PRIV], 0, true); return Cold.TRAPPED;
      case Op.EBREAK: this.raise(Cause.BREAKPOINT, 0, true); return Cold.TRAPPED; // xtval = 0, as QEMU (the spec allows 0 or the pc)
      case Op.MRET: {
        if (this.c32[C32.PRIV] !== PRV_M) return this.illegal(off, w0);
        let ms = this.c32[C32.MSTATUS];
        const mpp = (ms >>> MSTATUS.MPP_SHIFT) & 3;
        ms = (ms & ~(MSTATUS.MIE | MSTATUS.MPP)) | ((ms & MSTATUS.MPIE) !== 0 ? MSTATUS.MIE : 0) | MSTATUS.MPIE;
        if (mpp !== PRV_M) ms &= ~MSTATUS.MPRV;
        this.c32[C32.MSTATUS] = ms;
        this.c32[C32.PRIV] = mpp;
        this.updateContext();
        this.exitAfter = true;
        this.setPc(this.c64[C64.MEPC]);
        this.env.onMret?.(this);
        return Cold.JUMPED;
      }
      case Op.SRET: {
        const priv = this.c32[C32.PRIV];
        let ms = this.c32[C32.MSTATUS];
        if (priv === PRV_U || (priv === PRV_S && (ms & MSTATUS.TSR) !== 0)) return this.illegal(off, w0);
        const spp = (ms & MSTATUS.SPP) !== 0 ? PRV_S : PRV_U;
        ms = (ms & ~(MSTATUS.SIE | MSTATUS.SPP | MSTATUS.MPRV)) | ((ms & MSTATUS.SPIE) !== 0 ? MSTATUS.SIE : 0) | MSTATUS.SPIE;
        this.c32[C32.MSTATUS] = ms;
        this.c32[C32.PRIV] = spp;
        this.updateContext();
        this.exitAfter = true;
        this.setPc(this.c64[C64.SEPC]);
        return Cold.JUMPED;
      }
      case Op.WFI: {
        const priv = this.c32[C32.PRIV];
        if (priv === PRV_U || (priv === PRV_S && (this.c32[C32.MSTATUS] & MSTATUS.TW) !== 0)) return this.illegal(off, w0);
        this.exitAfter = true;
        if (this.interruptPending) break;
        this.waiting = true;
        return Cold.WAITING;
      }
      case Op.SFENCE_VMA: {
        const priv = this.c32[C32.PRIV];
        if (priv === PRV_U || (priv === PRV_S && (this.c32[C32.MSTATUS] & MSTATUS.TVM) !== 0)) return this.illegal(off, w0);
        this.flushTlb();
        break;
      }

      // ---- Zba ----
      case Op.SH1ADD: case Op.SH2ADD: case Op.SH3ADD: {
        const sh = op - Op.SH1ADD + 1;
        const al = x[rs1] << sh, ah = (x[rs1 + 1] << sh) | (x[rs1] >>> (32 - sh));
        const bl = x[rs2];
        const lo = (al + bl) | 0;
        x[rd + 1] = (ah + x[rs2 + 1] + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
        x[rd] = lo;
        break;
      }
      case Op.ADD_UW: case Op.SH1ADD_UW: case Op.SH2ADD_UW: case Op.SH3ADD_UW: {
        const sh = op - Op.ADD_UW;
        const a = x[rs1];
        const al = a << sh, ah = sh === 0 ? 0 : a >>> (32 - sh);
        const bl = x[rs2];
        const lo = (al + bl) | 0;
        x[rd + 1] = (ah + x[rs2 + 1] + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
        x[rd] = lo;
        break;
      }

      // ---- Zbb ----
      case Op.ANDN: x[rd] = x[rs1] & ~x[rs2]; x[rd + 1] = x[rs1 + 1] & ~x[rs2 + 1]; break;
      case Op.ORN: x[rd] = x[rs1] | ~x[rs2]; x[rd + 1] = x[rs1 + 1] | ~x[rs2 + 1]; break;
      case Op.XNOR: x[rd] = ~(x[rs1] ^ x[rs2]); x[rd + 1] = ~(x[rs1 + 1] ^ x[rs2 + 1]); break;
      case Op.CLZ: x[rd] = clz64(x[rs1], x[rs1 + 1]); x[rd + 1] = 0; break;
      case Op.CLZW: x[rd] = Math.clz32(x[rs1]); x[rd + 1] = 0; break;
      case Op.CTZ: x[rd] = ctz64(x[rs1], x[rs1 + 1]); x[rd + 1] = 0; break;
      case Op.CTZW: x[rd] = ctz32(x[rs1]); x[rd + 1] = 0; break;
      case Op.CPOP: x[rd] = popcount32(x[rs1]) + popcount32(x[rs1 + 1]); x[rd + 1] = 0; break;
      case Op.CPOPW: x[rd] = popcount32(x[rs1]); x[rd + 1] = 0; break;
      case Op.MAX: case Op.MIN: case Op.MAXU: case Op.MINU: {
        const al = x[rs1], ah = x[rs1 + 1], bl = x[rs2], bh = x[rs2 + 1];
        const lt = op === Op.MAX || op === Op.MIN
          ? ah < bh || (ah === bh && (al >>> 0) < (bl >>> 0))
          : (ah >>> 0) < (bh >>> 0) || (ah === bh && (al >>> 0) < (bl >>> 0));
        const pickA = op === Op.MIN || op === Op.MINU ? lt : !lt;
        x[rd] = pickA ? al : bl;
        x[rd + 1] = pickA ? ah : bh;
        break;
      }
      case Op.SEXT_B: { const v = (x[rs1] << 24) >> 24; x[rd] = v; x[rd + 1] = v >> 31; break; }
      case Op.SEXT_H: { const v = (x[rs1] << 16) >> 16; x[rd] = v; x[rd + 1] = v >> 31; break; }
      case Op.ZEXT_H: x[rd] = x[rs1] & 0xffff; x[rd + 1] = 0; break;
      case Op.ROL: rol64(x, rd, x[rs1], x[rs1 + 1], x[rs2] & 63); break;
      case Op.ROR: ror64(x, rd, x[rs1], x[rs1 + 1], x[rs2] & 63); break;
      case Op.RORI: ror64(x, rd, x[rs1], x[rs1 + 1], imm); break;
      case Op.ROLW: case Op.RORW: case Op.RORIW: {
        let sh = op === Op.RORIW ? imm : x[rs2] & 31;
        if (op === Op.ROLW) sh = (32 - sh) & 31;
        const a = x[rs1];
        const v = sh === 0 ? a : (a >>> sh) | (a << (32 - sh));
        x[rd] = v;
        x[rd + 1] = v >> 31;
        break;
      }
      case Op.ORC_B: x[rd] = orcb32(x[rs1]); x[rd + 1] = orcb32(x[rs1 + 1]); break;
      case Op.REV8: { const l = x[rs1]; x[rd] = bswap32(x[rs1 + 1]); x[rd + 1] = bswap32(l); break; }

      // ---- Zbs ----
      case Op.BCLR: case Op.BCLRI: case Op.BINV: case Op.BINVI: case Op.BSET: case Op.BSETI: case Op.BEXT: case Op.BEXTI: {
        const sh = op === Op.BCLRI || op === Op.BINVI || op === Op.BSETI || op === Op.BEXTI ? imm : x[rs2] & 63;
        const ml = sh < 32 ? 1 << sh : 0;
        const mh = sh >= 32 ? 1 << (sh - 32) : 0;
        const al = x[rs1], ah = x[rs1 + 1];
        if (op === Op.BEXT || op === Op.BEXTI) { x[rd] = (al & ml) !== 0 || (ah & mh) !== 0 ? 1 : 0; x[rd + 1] = 0; }
        else if (op === Op.BCLR || op === Op.BCLRI) { x[rd] = al & ~ml; x[rd + 1] = ah & ~mh; }
        else if (op === Op.BINV || op === Op.BINVI) { x[rd] = al ^ ml; x[rd + 1] = ah ^ mh; }
        else { x[rd] = al | ml; x[rd + 1] = ah | mh; }
        break;
      }

      default:
        // Op.ILLEGAL: the decoder kept the instruction's bits in imm.
        this.raise(Cause.ILLEGAL_INSTRUCTION, imm >>> 0, true);
        return Cold.TRAPPED;
    }
    return Cold.NEXT;
  }

  /** Raises illegal instruction for a valid encoding that is illegal here (xtval: its bits). */
  private illegal(off: number, w0: number): Cold {
    this.raise(Cause.ILLEGAL_INSTRUCTION, this.rawInsn(off, w0));
    return Cold.TRAPPED;
  }

  /** The raw instruction bits at byte `off` of the fetch page (for illegal-instruction tval). */
  private rawInsn(off: number, w0: number): number {
    const pagePa = this.fetchPa;
    const lo16 = this.bus.parcel(pagePa + off);
    if ((w0 & 0x100) !== 0) return lo16;
    return (lo16 | ((off + 2 < PAGE_SIZE ? this.bus.parcel(pagePa + off + 2) : this.crossHi16) << 16)) >>> 0;
  }

  // ---- debugger access (no side effects, no privilege checks) ----

  /** The pc, exactly, as an unsigned 64-bit value. */
  getPc(): bigint { return toUnsigned(this.pcw[0], this.pcw[1]); }
  /** Sets the pc (any sign; taken mod 2^64), exactly. */
  setPc(v: bigint): void {
    this.pcw[0] = Number(BigInt.asIntN(32, v));
    this.pcw[1] = Number(BigInt.asIntN(32, v >> 32n));
  }
  getX(r: number): bigint { return r === 0 ? 0n : toUnsigned(this.x[2 * r], this.x[2 * r + 1]); }
  setX(r: number, v: bigint): void { if (r !== 0) setBig(this.x, 2 * r, v); }
  getF(r: number): bigint { return toUnsigned(this.fi[2 * r], this.fi[2 * r + 1]); }
  setF(r: number, v: bigint): void { setBig(this.fi, 2 * r, v); }
  getCsr(csr: number): bigint | undefined { return this.readCsr(csr, true); }
  getPriv(): number { return this.c32[C32.PRIV]; }
  /** Sets the privilege level directly (boot set-up, SBI HSM). */
  setPriv(p: number): void { this.c32[C32.PRIV] = p; this.updateContext(); }
  /** Writes a CSR without privilege checks (boot set-up, debugger). */
  setCsr(csr: number, v: bigint): boolean { return this.writeCsr(csr, v); }
  /** Signed value of a register as a number (exact below 2^53): for addresses. */
  getXNum(r: number): number { return toNum(this.x[2 * r], this.x[2 * r + 1]); }
  setXNum(r: number, v: number): void { if (r !== 0) setNum(this.x, 2 * r, v); }
  /** Register value as signed bigint. */
  getXSigned(r: number): bigint { return toSigned(this.x[2 * r], this.x[2 * r + 1]); }
  /**
   * Walks the page table for `va` as the hart would now, for a debugger: no TLB fill and no A/D
   * updates. With anyPermission, any valid mapping translates (memory views read user and kernel
   * pages alike); without, the hart's permission checks decide, as `translate <va>` shows them.
   * Returns the physical address or -(cause + 1).
   */
  translateDebug(va: bigint, access: number, trace: WalkStep[] = [], anyPermission = false): number {
    const lo = Number(BigInt.asIntN(32, va));
    const hi = Number(BigInt.asIntN(32, va >> 32n));
    this.debugWalk = { anyPermission };
    try {
      return this.translateAddr(lo, hi, 1, access, false, trace);
    } finally {
      this.debugWalk = undefined;
    }
  }

  /** Set while translateDebug walks (see WalkContext.debug). */
  private debugWalk: { anyPermission: boolean } | undefined;

  saveState(): HartState {
    return {
      x: Array.from(this.x.subarray(0, 64)), fi: Array.from(this.fi), c32: Array.from(this.c32),
      c64: Array.from(this.c64, (v) => v.toString()), pc: this.pc, pcLo: this.pcw[0], pcHi: this.pcw[1], instret: this.instret, steps: this.steps,
      waiting: this.waiting, stopped: this.stopped, reservation: this.reservation, pmp: this.pmp.saveState(),
      stimecmpFine: this.stimecmpFine, untimedSteps: this.untimedSteps, sbiMode: this.sbiMode,
    };
  }

  loadState(s: HartState): void {
    this.x.set(s.x);
    this.fi.set(s.fi);
    this.c32.set(s.c32);
    this.c64.set(s.c64.map((v) => BigInt(v)));
    if (s.pcLo !== undefined && s.pcHi !== undefined) {
      this.pcw[0] = s.pcLo;
      this.pcw[1] = s.pcHi;
    } else {
      this.pc = s.pc;
    }
    this.instret = s.instret;
    this.steps = s.steps;
    this.waiting = s.waiting;
    this.stopped = s.stopped;
    this.reservation = s.reservation;
    this.stimecmpFine = s.stimecmpFine;
    this.untimedSteps = s.untimedSteps;
    this.sbiMode = s.sbiMode;
    this.pmp.loadState(s.pmp);
    this.satpModeNum = Number(this.c64[C64.SATP] >> 60n);
    this.updateContext();
    this.flushTlb();
  }
}

export interface HartState {
  /**
   * pc: the pc as a signed number (as Hart.pc, rounded beyond ±2^53); pcLo, pcHi: the pc exactly, as
   * int32 halves (absent from states saved before they existed: pc is used then).
   */
  x: number[]; fi: number[]; c32: number[]; c64: string[]; pc: number; pcLo?: number; pcHi?: number; instret: number; steps: number;
  waiting: boolean; stopped: boolean; reservation: number; pmp: { cfg: number[]; addr: string[] };
  stimecmpFine: number; untimedSteps: number; sbiMode: boolean;
}

const EMPTY_PAGE = new Int32Array(0);

/** Execute breakpoints: a set of pcs that counts its changes (the hart keeps a page index of it). */
export class BreakpointSet extends Set<number> {
  version = 0;
  override add(pc: number): this { this.version++; return super.add(pc); }
  override delete(pc: number): boolean { this.version++; return super.delete(pc); }
  override clear(): void { this.version++; super.clear(); }
}

/** A data watchpoint: [start, end) as virtual addresses (signed numbers, as pcs) or physical ones. */
export interface Watchpoint {
  id: number;
  start: number;
  end: number;
  physical: boolean;
  read: boolean;
  write: boolean;
}

/** A watchpoint hit: which one, the address matched (virtual or physical as it was set), the access. */
export interface WatchHit {
  id: number;
  address: number;
  pa: number;
  size: number;
  write: boolean;
  /** The accessing instruction's pc. */
  pc: bigint;
}

/** The trap vector for a cause: xtvec's base, plus 4 × cause for an interrupt in vectored mode. */
function vectorTarget(tvec: bigint, cause: number, interrupt: boolean): bigint {
  const base = tvec & ~3n;
  return interrupt && (tvec & 3n) === 1n ? base + BigInt(4 * cause) : base;
}

/**
 * Whether `bps` holds the pc (lo, hi). The key is the pc's signed value as a number, rounded beyond
 * ±2^53; a key that is found there is the pc's only if it is exact (hi * 2^32 is, and so is the
 * difference: both are multiples of the key's ulp and it is below 2^33).
 */
function atBreakpoint(bps: Set<number>, lo: number, hi: number): boolean {
  const k = hi * TWO32 + (lo >>> 0);
  return bps.has(k) && k - hi * TWO32 === lo >>> 0;
}

// ---- warming `run` up ----

/**
 * The warm-up program, pre-decoded: [op, rd, rs1, rs2, imm] (imm is the instruction word for F/D
 * computational ops; rd 32 is x0's sink). x1 points into the data page; x2 and x3 are negative, picked
 * so that every partial product and sum of the multiplies passes 2^31 in some pair of operands (V8's
 * speculation on each addition and shift sees the large values); fa1..fa3 hold doubles. It runs every case of `run`'s
 * switch, both outcomes of the branches, the slow and fast paths of loads and stores (the first access
 * to the page misses the TLB, a misaligned one always does), a jump from execCold (MRET), a jump to
 * another page (the last JAL: decoding a new page, an illegal instruction there) and each way out of
 * the loop (budget, exitAfter, WFI, trap).
 */
const WARM_UP: ReadonlyArray<readonly [Op, number, number, number, number]> = [
  [Op.LUI, 5, 0, 0, 0x1000], [Op.AUIPC, 4, 0, 0, 0], [Op.JALR, 6, 4, 0, 8], [Op.JAL, 7, 0, 0, 4],
  ...[Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU].flatMap((op) => [[op, 0, 2, 3, 4], [op, 0, 3, 2, 4], [op, 0, 2, 2, 4]] as const),
  ...[Op.LD, Op.LW, Op.LWU, Op.LH, Op.LHU, Op.LB, Op.LBU].flatMap((op) => [[op, 8, 1, 0, 0], [op, 8, 1, 0, 0], [op, 8, 1, 0, 3]] as const),
  ...[Op.SD, Op.SW, Op.SH, Op.SB].flatMap((op) => [[op, 0, 1, 2, 8], [op, 0, 1, 2, 8], [op, 0, 1, 2, 11]] as const),
  // Operands with different and with equal high halves (comparisons look at the low halves only then), with
  // a zero high half (x1), and zero (shifts by 0, division by 0); immediates below and above 32.
  ...[Op.ADDI, Op.SLTI, Op.SLTIU, Op.XORI, Op.ORI, Op.ANDI, Op.SLLI, Op.SRLI, Op.SRAI, Op.ADDIW, Op.SLLIW, Op.SRLIW,
    Op.SRAIW].flatMap((op) => [[op, 8, 2, 0, 3], [op, 8, 0, 0, 0], [op, 8, 2, 0, 40]] as const),
  ...[Op.ADD, Op.SUB, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.SRA, Op.OR, Op.AND, Op.ADDW, Op.SUBW, Op.SLLW, Op.SRLW,
    Op.SRAW, Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU, Op.MULW, Op.DIVW, Op.DIVUW, Op.REMW,
    Op.REMUW].flatMap((op) => [[op, 8, 2, 3, 0], [op, 8, 3, 2, 0], [op, 8, 3, 3, 0], [op, 8, 2, 1, 0], [op, 8, 2, 0, 0]] as const),
  [Op.FENCE, 0, 0, 0, 0], [Op.SLLI_UW, 8, 2, 0, 3],
  ...[Op.FLD, Op.FLW].flatMap((op) => [[op, 4, 1, 0, 16], [op, 4, 1, 0, 16], [op, 4, 1, 0, 17]] as const),
  ...[Op.FSD, Op.FSW].flatMap((op) => [[op, 0, 1, 4, 24], [op, 0, 1, 4, 27]] as const),
  // fadd.d, fsub.d, fmul.d, fdiv.d fa0, fa1, fa2; fsqrt.d fa0, fa1; fmadd.d, fnmsub.d fa0, fa1, fa2, fa3;
  // fle.d s0, fa1, fa2; fadd.s fa0, fa1, fa2
  [Op.FADD_D, 0, 0, 0, 0x02c5f553], [Op.FADD_D, 0, 0, 0, 0x0ac5f553], [Op.FMUL_D, 0, 0, 0, 0x12c5f553],
  [Op.FDIV_D, 0, 0, 0, 0x1ac5f553], [Op.FSQRT_D, 0, 0, 0, 0x5a05f553], [Op.FMA_D, 0, 0, 0, 0x6ac5f543],
  [Op.FMA_D, 0, 0, 0, 0x6ac5f54b], [Op.FCMP_D, 8, 0, 0, 0xa2c58453], [Op.FP, 0, 0, 0, 0x00c5f553],
  // (LR makes `reservation` hold an address, as the hart's fields hold their kinds of values from the start:
  // a field that changes representation changes the hart's hidden class, which deoptimises `run`.)
  [Op.LR_D, 8, 1, 0, 0], [Op.SC_D, 8, 1, 2, 0],
  [Op.FENCE_I, 0, 0, 0, 0], [Op.CSRRW, SINK / 2, 9, 0, Csr.MEPC], [Op.MRET, 0, 0, 0, 0],
  [Op.CSRRS, 9, 0, 0, Csr.MSCRATCH], [Op.WFI, 0, 0, 0, 0], [Op.JAL, SINK / 2, 0, 0, PAGE_SIZE],
];

let warmedUp = false;

/**
 * Runs WARM_UP a few times on a scratch hart, once per process, before any guest code: `run` then has
 * type feedback for every case of its switch. Optimised code that meets a case without feedback is
 * deoptimised, and recompiling a function this size takes tens of milliseconds each time (the benchmark
 * guest met about ten such cases after `run` was first optimised: some 8 % of its run time).
 */
function warmUpRun(): void {
  warmedUp = true;
  // RAM: the program (WARM_UP, decoded in place), the page its last jump goes to (zeros: an illegal
  // compressed instruction, which `run` decodes there), the data page.
  const base = 0x80000000;
  const h = new Hart(0, new Bus(base, 3 * PAGE_SIZE), { now: () => 0, fine: () => 0, finePerTick: 1 });
  const page = h.bus.decodedPage(base);
  WARM_UP.forEach(([op, rd, rs1, rs2, imm], i) => {
    page[4 * i] = pack(op, rd, rs1, rs2);
    page[4 * i + 1] = imm;
  });
  // MRET goes on at the instruction after it (mepc, from x9); the budget runs out before FENCE_I.
  const mret = base + 4 * WARM_UP.findIndex(([op]) => op === Op.MRET);
  const budgetEnd = WARM_UP.findIndex(([op]) => op === Op.FENCE_I);
  for (let i = 0; i < 10; i++) {
    // `run` makes the second page's decoded copy again each time (type feedback is collected only once
    // a function has run a few times).
    h.bus.invalidateRam(PAGE_SIZE, 1);
    h.reset();
    h.c32[C32.MSTATUS] = FS_MASK | (PRV_M << MSTATUS.MPP_SHIFT);
    setNum(h.x, 2, base + 2 * PAGE_SIZE);
    h.x.set([0xbef11f36 | 0, 0x9df0ee37 | 0, 0xddb45fa4 | 0, 0xf7c8e10d | 0], 4);
    setNum(h.x, 18, mret + 4);
    h.f.set([1.5, 2.25, 0.5], 11);
    h.pc = base;
    // Every other time with a breakpoint on the program's page that is never reached: the per-step
    // breakpoint check has run too (a debugger's breakpoints must not deoptimise `run`).
    h.breakpoints.clear();
    if (i % 2 === 1) h.breakpoints.add(base + PAGE_SIZE - 2);
    // Out by the budget, then after FENCE_I's CSRRW, MRET, CSRRS and WFI, and last by the trap (to mtvec 0).
    for (let k = 0; k < 8 && h.pc !== 0; k++) h.run(budgetEnd);
  }
  h.breakpoints.clear();
}

// Lockstep (differential) comparison of the engine against QEMU: both run the same guest, one
// instruction at a time, and after every step pc, x1..x31, f0..f31, fcsr, the privilege level and
// a list of CSRs are compared. The first divergence (or every one, on request) is reported with
// the last pcs and instructions, disassembled.
//
// How a step is driven
//   QEMU runs under its gdb stub with `-icount shift=2` (4 ns of virtual time per instruction; see
//   qemu.ts) and `Qqemu.sstep=5`: interrupts are taken while stepping, timer callbacks run between
//   steps (see SSTEP_NOTIMER for why not during them; a WFI that idles is stepped with timers on).
//   One batch of pipelined packets per step reads the state left by the previous step, the
//   instruction word at the pc, and steps (`s`): one network round trip per step.
//   The engine is stepped to QEMU's granularity, which is not quite "one instruction":
//   - a QEMU step that takes an interrupt executes nothing (pc ends at the vector): the engine
//     takes the interrupt (Hart.checkInterrupts) without running an instruction;
//   - a QEMU step of a WFI continues until the hart wakes (time jumps to the next timer deadline,
//     as in an -icount sleep=off run) and then either takes the interrupt or, when it is not
//     enabled globally, also executes the next instruction: the engine does the same with its
//     own idle logic (the one Machine.run uses).
//
// What is read from QEMU at each step (reading every register costs ~60 packets a step, ~900
// steps/s; this costs ~4): `g` (x0..x31, pc), mip (it changes asynchronously), the instruction at
// pc, and only when a register can have changed in QEMU: all CSRs after SYSTEM instructions
// (CSR accesses, xRET, ECALL, WFI, SFENCE), after floating-point instructions (fflags, FS) and
// after any step whose pc is not a normal successor of the instruction (a trap or an interrupt);
// f0..f31 and fcsr after floating-point instructions. Registers not re-read keep QEMU's previous
// value, which is exact: QEMU cannot change them without one of those events. The engine's
// registers are all read at every step, so every register is compared at every step.
// `fullEvery: n` re-reads everything every n steps (and checks that cached values were right).
//
// Allowed divergences (explicit, opt-in by name; `DEFAULT_ALLOWED` is the default):
//   'counters'     mcycle/minstret are not compared. Under -icount QEMU counts them in virtual
//                  nanoseconds (4 per instruction with shift=2, plus the time skipped in WFI,
//                  minus faulting instructions that QEMU re-executes), the engine in instructions.
//   'counter-read' when an instruction reads cycle/instret/mcycle/minstret/hpmcounterN into a
//                  register, the engine's register is set to QEMU's value (and the difference is
//                  counted, not reported), so that the guest goes on identically.
//   'id-read'      the same for reads of mvendorid/marchid/mimpid: identity, not behaviour (QEMU
//                  reports its own version as marchid, the engine 0).
//   'amo-fault-cause'  a faulting AMO: QEMU 7.2 raises load-address-misaligned (4) and
//                  load-access-fault (5) where the privileged spec (and the engine) say
//                  store/AMO address misaligned (6) and store/AMO access fault (7); the engine's
//                  cause is set to QEMU's and counted.
//   'time-read'    as 'counter-read', for reads of `time` and loads from the CLINT's mtime. Not in the
//                  default and not used by the suite: the engine's clock follows -icount's rules
//                  (docs/architecture.md, "Time and determinism") and `compareTime` checks mtime
//                  after every step. Kept for experiments with other icount shifts.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, type MachineConfig } from '../../engine/machine.ts';
import { ACCESS_EXEC } from '../../engine/mmu/pmp.ts';
import { GdbClient, GdbError } from './gdb-rsp.ts';
import { QemuInstance, type QemuOptions } from './qemu.ts';

export type AllowedKind = 'counters' | 'counter-read' | 'id-read' | 'amo-fault-cause' | 'time-read';
export const DEFAULT_ALLOWED: AllowedKind[] = ['counters', 'counter-read', 'id-read', 'amo-fault-cause'];
const ID_CSRS = new Set<number>([0xf11, 0xf12, 0xf13]);

/** CSRs compared by default (besides pc, x, f, fcsr and the privilege level). */
export const DEFAULT_CSRS = [
  'mstatus', 'mepc', 'mcause', 'mtval', 'mtvec', 'medeleg', 'mideleg', 'mie', 'mip', 'mscratch',
  'satp', 'sepc', 'scause', 'stval', 'stvec', 'sscratch', 'mcounteren', 'scounteren', 'menvcfg',
  'minstret', 'mcycle',
];

export const CSR_NUMBERS: Record<string, number> = {
  fflags: 0x001, frm: 0x002, fcsr: 0x003,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a, sscratch: 0x140,
  sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d, satp: 0x180,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306, menvcfg: 0x30a, mcountinhibit: 0x320, mscratch: 0x340, mepc: 0x341,
  mcause: 0x342, mtval: 0x343, mip: 0x344, pmpcfg0: 0x3a0, pmpcfg2: 0x3a2, pmpaddr0: 0x3b0,
  mcycle: 0xb00, minstret: 0xb02, cycle: 0xc00, time: 0xc01, instret: 0xc02, mhartid: 0xf14,
};

const COUNTER_CSRS = new Set<number>([0xc00, 0xc02, 0xb00, 0xb02]);
for (let i = 3; i < 32; i++) {
  COUNTER_CSRS.add(0xc00 + i);
  COUNTER_CSRS.add(0xb00 + i);
}
const TIME_CSR = 0xc01;
const CLINT_MTIME = 0x200bff8n;

/**
 * QEMU's single-step flags. With -icount sleep=off, QEMU sees the hart idle at the end of every
 * gdb step and, when timers are enabled during steps (flags 1), jumps virtual time to the next
 * timer deadline there, so mtime leaps to whatever mtimecmp holds (or a step never completes
 * when the deadline is saturated at INT64_MAX ns, e.g. mtimecmp = -1: "icount sleep disabled and
 * no active timers"). With SSTEP_NOTIMER (5) virtual time is exactly the instruction count and
 * timers still fire at the right instruction (their callbacks run between steps), interrupts are
 * taken. Only a WFI that idles (no interrupt pending to wake it at once), which must let time
 * jump to the next deadline like an -icount sleep=off run does, is stepped with timers on (1).
 * (A step with timers on when no QEMU timer is armed at all, or one saturated at INT64_MAX, never
 * completes: then the guest's WFI would sleep for ever on QEMU too.)
 */
const SSTEP_TIMERS = 1;
const SSTEP_NOTIMER = 5;
const WFI = 0x10500073;

export interface LockstepOptions {
  /** 'none' (default) or a firmware path. */
  bios?: string;
  kernel?: string;
  /** Stop after this many steps (default: until the guest powers off). */
  maxSteps?: number;
  /** CSR names to compare (default DEFAULT_CSRS). */
  csrs?: string[];
  /** Allowed divergence kinds (default DEFAULT_ALLOWED). */
  allow?: AllowedKind[];
  /** Keep going after a divergence (default false: stop at the first one). */
  continueAfterDivergence?: boolean;
  /** Report at most this many divergences (default 20). */
  maxDivergences?: number;
  /** Pcs kept for the report (default 20). */
  history?: number;
  /** Re-read every QEMU register every n steps (0 = only when needed). */
  fullEvery?: number;
  /** Read every QEMU register at every step (slow; for validating the selective reads). */
  fullAlways?: boolean;
  /** QEMU options beyond bios/kernel (icount shift, extra args...). */
  qemu?: Omit<QemuOptions, 'bios' | 'kernel'>;
  /** Engine options beyond bios/kernel. */
  engine?: Omit<MachineConfig, 'bios' | 'kernel'>;
  /** Give the engine QEMU's device tree when they differ (default true). */
  copyQemuDtb?: boolean;
  /** Without an engine: only step QEMU and read its registers (to measure the stub's speed). */
  qemuOnly?: boolean;
  /**
   * Also compare mtime after every step (read from QEMU's CLINT through the stub: one more packet a
   * step). Finds where two clocks part, rather than where the guest first reads the difference.
   */
  compareTime?: boolean;
  /** Called every `progressEvery` steps. */
  onProgress?: (steps: number, elapsedMs: number) => void;
  progressEvery?: number;
  /** Seconds to wait for one QEMU step before giving up (default 20). */
  stepTimeoutSec?: number;
}

export interface RegDiff {
  name: string;
  qemu: bigint | undefined;
  engine: bigint | undefined;
}

export interface HistoryEntry {
  step: number;
  pc: bigint;
  priv: number;
  /** Instruction word (16 or 32 bits) or -1 if unreadable. */
  insn: number;
  disasm?: string;
}

export interface Divergence {
  /** Steps completed when the states differed (the state after this many steps). */
  step: number;
  kind: 'state' | 'exit' | 'hang' | 'cache';
  /** The instruction of the step that produced the differing state. */
  last?: HistoryEntry;
  diffs: RegDiff[];
  history: HistoryEntry[];
  message: string;
}

export interface LockstepResult {
  steps: number;
  divergences: Divergence[];
  /** How often each allowed divergence kind applied. */
  allowed: Record<string, number>;
  /** How the run ended. */
  end: 'max-steps' | 'qemu-exit' | 'engine-poweroff' | 'divergence' | 'hang';
  qemuExitCode: number | null;
  engineExitCode: number | null;
  elapsedMs: number;
  stepsPerSec: number;
  /** Packets sent to the stub per step (on average). */
  packetsPerStep: number;
  /** Notes (e.g. device trees differed and QEMU's was copied). */
  notes: string[];
  /** Steps QEMU made with timers running (WFI; see the header). */
  timerSteps: number;
  /** QEMU's serial output. */
  qemuOutput: string;
  engineOutput: string;
}

// ---- instruction decoding (only what the read selection needs) -------------------------------

export function insnLength(w: number): number {
  return (w & 3) === 3 ? 4 : 2;
}

const MASK64 = (1n << 64n) - 1n;
function sx(v: number, bits: number): bigint {
  return BigInt.asIntN(bits, BigInt(v));
}

interface InsnInfo {
  /** Any SYSTEM instruction (CSR access, ECALL, EBREAK, xRET, WFI, SFENCE.VMA). */
  system: boolean;
  /** Writes f registers / fflags / FS. */
  fp: boolean;
  /** A CSR read of a counter (rd != 0): the CSR number and rd. */
  csrRead?: { csr: number; rd: number };
  /** Any CSR instruction: the CSR number. */
  csr?: number;
  /** A load (for mtime reads): rd, rs1, offset. */
  load?: { rd: number; rs1: number; imm: bigint };
  /** A store or AMO: rs1 and offset (for CLINT timer writes). */
  store?: { rs1: number; imm: bigint };
}

export function decode(w: number): InsnInfo {
  const info: InsnInfo = { system: false, fp: false };
  if ((w & 3) !== 3) {
    const q = w & 3;
    const f3 = (w >>> 13) & 7;
    if ((q === 0 || q === 2) && f3 === 1) info.fp = true; // C.FLD / C.FLDSP
    if (w === 0x9002) info.system = true; // C.EBREAK
    if (q === 0 && (f3 === 2 || f3 === 3 || f3 === 6 || f3 === 7)) {
      // C.LW / C.LD / C.SW / C.SD
      const rd = 8 + ((w >>> 2) & 7);
      const rs1 = 8 + ((w >>> 7) & 7);
      const word = (f3 & 1) === 0;
      const imm = word ? (((w >>> 6) & 1) << 2) | (((w >>> 10) & 7) << 3) | (((w >>> 5) & 1) << 6) : (((w >>> 10) & 7) << 3) | (((w >>> 5) & 3) << 6);
      if (f3 < 4) info.load = { rd, rs1, imm: BigInt(imm) };
      else info.store = { rs1, imm: BigInt(imm) };
    }
    return info;
  }
  const op = w & 0x7f;
  switch (op) {
    case 0x73: {
      info.system = true;
      const f3 = (w >>> 12) & 7;
      const rd = (w >>> 7) & 31;
      if (f3 !== 0 && f3 !== 4) info.csr = w >>> 20;
      if (f3 !== 0 && f3 !== 4 && rd !== 0) info.csrRead = { csr: w >>> 20, rd };
      break;
    }
    case 0x07: case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
      info.fp = true;
      break;
    case 0x03:
      info.load = { rd: (w >>> 7) & 31, rs1: (w >>> 15) & 31, imm: sx(w >> 20, 12) };
      break;
    case 0x23:
      info.store = { rs1: (w >>> 15) & 31, imm: sx(((w >> 25) << 5) | ((w >>> 7) & 31), 12) };
      break;
    case 0x2f:
      info.store = { rs1: (w >>> 15) & 31, imm: 0n };
      break;
  }
  return info;
}

/** The pcs that can follow `w` at `pc` when it does not trap (x: register values before it). */
export function normalSuccessors(w: number, pc: bigint, x: readonly bigint[]): bigint[] {
  const len = BigInt(insnLength(w));
  const next = (pc + len) & MASK64;
  if ((w & 3) !== 3) {
    const q = w & 3;
    const f3 = (w >>> 13) & 7;
    if (q === 1 && f3 === 5) {
      // C.J
      const imm =
        (((w >>> 12) & 1) << 11) | (((w >>> 11) & 1) << 4) | (((w >>> 9) & 3) << 8) | (((w >>> 8) & 1) << 10) |
        (((w >>> 7) & 1) << 6) | (((w >>> 6) & 1) << 7) | (((w >>> 3) & 7) << 1) | (((w >>> 2) & 1) << 5);
      return [(pc + sx(imm, 12)) & MASK64];
    }
    if (q === 1 && (f3 === 6 || f3 === 7)) {
      // C.BEQZ / C.BNEZ
      const imm = (((w >>> 12) & 1) << 8) | (((w >>> 10) & 3) << 3) | (((w >>> 5) & 3) << 6) | (((w >>> 3) & 3) << 1) | (((w >>> 2) & 1) << 5);
      return [next, (pc + sx(imm, 9)) & MASK64];
    }
    if (q === 2 && f3 === 4 && ((w >>> 2) & 31) === 0 && ((w >>> 7) & 31) !== 0) {
      // C.JR / C.JALR
      return [x[(w >>> 7) & 31] & ~1n & MASK64];
    }
    return [next];
  }
  const op = w & 0x7f;
  if (op === 0x63) {
    const imm = (((w >>> 31) & 1) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 0x3f) << 5) | (((w >>> 8) & 0xf) << 1);
    return [next, (pc + sx(imm, 13)) & MASK64];
  }
  if (op === 0x6f) {
    const imm = (((w >>> 31) & 1) << 20) | (((w >>> 12) & 0xff) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 0x3ff) << 1);
    return [(pc + sx(imm, 21)) & MASK64];
  }
  if (op === 0x67) return [(x[(w >>> 15) & 31] + sx(w >> 20, 12)) & ~1n & MASK64];
  return [next];
}

/** Disassembles history entries with riscv64-unknown-elf-objdump (raw words if it is missing). */
export function disassemble(entries: HistoryEntry[]): void {
  const ok = entries.filter((e) => e.insn >= 0);
  if (ok.length === 0) return;
  const bytes: number[] = [];
  for (const e of ok) {
    const n = insnLength(e.insn);
    for (let i = 0; i < n; i++) bytes.push((e.insn >>> (8 * i)) & 0xff);
  }
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-dis-'));
  try {
    const f = join(dir, 'insns.bin');
    writeFileSync(f, Uint8Array.from(bytes));
    const r = spawnSync('riscv64-unknown-elf-objdump', ['-D', '-b', 'binary', '-m', 'riscv:rv64', f], { encoding: 'utf8' });
    if (r.status !== 0) return;
    const lines = r.stdout.split('\n').filter((l) => /^\s+[0-9a-f]+:\t/.test(l));
    let li = 0;
    for (const e of ok) {
      const l = lines[li++];
      if (!l) break;
      const parts = l.split('\t');
      e.disasm = parts.slice(2).join(' ').trim();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hex(v: bigint | undefined): string {
  return v === undefined ? '(none)' : '0x' + v.toString(16);
}

export function formatDivergence(d: Divergence): string {
  const lines = [`divergence (${d.kind}) after ${d.step} steps: ${d.message}`];
  if (d.last) lines.push(`  last instruction: pc 0x${d.last.pc.toString(16)} ${d.last.insn >= 0 ? d.last.insn.toString(16).padStart(insnLength(d.last.insn) * 2, '0') : '????????'} ${d.last.disasm ?? ''}`);
  for (const r of d.diffs) lines.push(`  ${r.name.padEnd(10)} qemu ${hex(r.qemu).padEnd(20)} engine ${hex(r.engine)}`);
  if (d.history.length) {
    lines.push('  recent steps (oldest first):');
    for (const h of d.history) {
      const w = h.insn >= 0 ? h.insn.toString(16).padStart(insnLength(h.insn) * 2, '0') : '????????';
      lines.push(`    #${String(h.step).padStart(8)} ${'USHM'[h.priv] ?? '?'} 0x${h.pc.toString(16).padStart(16, '0')}  ${w.padStart(8)}  ${h.disasm ?? ''}`);
    }
  }
  return lines.join('\n');
}

// ---- the comparison --------------------------------------------------------------------------

/** One side's architectural state (x[0] is 0; f and csr values may be undefined if unreadable). */
interface State {
  pc: bigint;
  x: bigint[];
  f: (bigint | undefined)[];
  fcsr: bigint | undefined;
  priv: bigint | undefined;
  csr: (bigint | undefined)[];
}

/** The engine's internals the harness needs to reproduce QEMU's step granularity. */
interface EngineInternals {
  /** The next timer deadline, in steps. */
  nextDeadline(): number;
  fireTimers(): void;
  vtime: number;
}

type EngineStepKind = 'insn' | 'irq' | 'wfi-irq' | 'wfi-insn' | 'wfi-hang' | 'stopped';

function parseLe64(hexstr: string, offset: number): bigint {
  // 16 hex digits, little-endian
  let v = 0n;
  for (let i = 14; i >= 0; i -= 2) v = (v << 8n) | BigInt(parseInt(hexstr.substr(offset + i, 2), 16));
  return v;
}

function parseG(r: string): { x: bigint[]; pc: bigint } {
  if (r.length < 33 * 16 || r[0] === 'E') throw new GdbError(`bad g reply: ${r.slice(0, 40)}`);
  const buf = Buffer.from(r.substring(0, 33 * 16), 'hex');
  const x: bigint[] = new Array(32);
  for (let i = 0; i < 32; i++) x[i] = buf.readBigUInt64LE(i * 8);
  return { x, pc: buf.readBigUInt64LE(32 * 8) };
}

function parseP(r: string | Error): bigint | undefined {
  if (typeof r !== 'string') return undefined;
  if (r.length === 0 || r[0] === 'E' || r[0] === 'x') return undefined;
  if (r.length === 16) return parseLe64(r, 0);
  return GdbClient.parseP(r);
}

function parseM(r: string | Error): number {
  if (typeof r !== 'string' || r.length < 4 || r[0] === 'E') return -1;
  const lo = parseInt(r.substr(0, 2), 16) | (parseInt(r.substr(2, 2), 16) << 8);
  if ((lo & 3) !== 3) return lo;
  if (r.length < 8) return -1;
  return (lo | (parseInt(r.substr(4, 2), 16) << 16) | (parseInt(r.substr(6, 2), 16) << 24)) >>> 0;
}

/** A 64-bit value from an 8-byte `m` reply (undefined if the read failed). */
function parseM64(r: string | Error): bigint | undefined {
  return typeof r === 'string' && r.length === 16 && r[0] !== 'E' ? parseLe64(r, 0) : undefined;
}

export async function runLockstep(opts: LockstepOptions): Promise<LockstepResult> {
  const allow = new Set<AllowedKind>(opts.allow ?? DEFAULT_ALLOWED);
  const csrNames = (opts.csrs ?? DEFAULT_CSRS).filter((n) => !(allow.has('counters') && (n === 'minstret' || n === 'mcycle')));
  const csrNums = csrNames.map((n) => {
    const c = CSR_NUMBERS[n];
    if (c === undefined) throw new Error(`unknown CSR ${n}`);
    return c;
  });
  const mipIndex = csrNames.indexOf('mip');
  const counterIdx = csrNames.map((n, i) => (n === 'minstret' || n === 'mcycle' ? i : -1)).filter((i) => i >= 0);
  const maxSteps = opts.maxSteps ?? Number.MAX_SAFE_INTEGER;
  const histN = opts.history ?? 20;
  const maxDiv = opts.maxDivergences ?? 20;
  const notes: string[] = [];
  const allowedCount: Record<string, number> = {};
  const divergences: Divergence[] = [];
  const history: HistoryEntry[] = [];

  const q = await QemuInstance.start({ ...opts.qemu, bios: opts.bios ?? 'none', kernel: opts.kernel });
  let m: Machine | undefined;
  let engineOutput = '';
  try {
    const g = q.gdb;
    await g.loadTargetDescription();
    if (!(await g.setQemuSstep(SSTEP_NOTIMER))) notes.push('QEMU refused Qqemu.sstep: interrupts are masked while stepping');
    // (sstepFlags below starts unknown, so the first step sets the flags again.)
    const mstatusReg = g.reg('mstatus');
    if (!mstatusReg) throw new Error('QEMU exposes no CSRs through gdb');
    const csrBase = mstatusReg.regnum - 0x300;
    const privReg = g.reg('priv')?.regnum;
    const fpr0 = g.reg('ft0')?.regnum ?? 33;
    const pCsr = csrNums.map((c) => 'p' + (csrBase + c).toString(16));
    const pF = Array.from({ length: 32 }, (_, i) => 'p' + (fpr0 + i).toString(16));
    const pFcsr = 'p' + (csrBase + 3).toString(16);
    const pPriv = privReg !== undefined ? 'p' + privReg.toString(16) : undefined;
    let sstepFlags = -1;
    let timerSteps = 0;

    if (!opts.qemuOnly) {
      // QEMU 7.2's virtio-mmio transports are legacy (version 1) by default; so are the engine's here.
      m = Machine.create({ virtioLegacy: true, ...opts.engine, bios: opts.bios ?? 'none', kernel: opts.kernel });
      m.onOutput = (b) => (engineOutput += Buffer.from(b).toString('latin1'));
      // Device tree: the guest reads it; give the engine QEMU's bytes if they differ.
      const ea = BigInt(m.fdtAddr);
      try {
        const hdr = await g.readMemory(ea, 8);
        const magic = Buffer.from(hdr).readUInt32BE(0);
        if (magic === 0xd00dfeed) {
          const size = Buffer.from(hdr).readUInt32BE(4);
          const qdtb = await g.readMemory(ea, size);
          const bus = m.board.bus;
          const off = bus.ramOffset(m.fdtAddr, size);
          const edtb = off >= 0 ? bus.ram.slice(off, off + size) : new Uint8Array(0);
          const esize = off >= 0 ? new DataView(edtb.buffer, edtb.byteOffset).getUint32(4) : -1;
          if (esize !== size || Buffer.compare(Buffer.from(qdtb), Buffer.from(edtb)) !== 0) {
            if (opts.copyQemuDtb ?? true) {
              bus.writeRam(m.fdtAddr, qdtb);
              notes.push(`device trees differ (QEMU ${size} bytes, engine ${esize}): QEMU's was copied into the engine at 0x${m.fdtAddr.toString(16)}`);
            } else notes.push(`device trees differ (QEMU ${size} bytes, engine ${esize})`);
          }
        } else notes.push(`no device tree in QEMU's RAM at the engine's address 0x${m.fdtAddr.toString(16)}`);
      } catch (e) {
        notes.push(`could not compare device trees: ${String(e)}`);
      }
    }
    const h = m?.harts[0];
    const mi = m as unknown as EngineInternals | undefined;

    const engineState = (): State => {
      const hh = h!;
      const x: bigint[] = new Array(32);
      x[0] = 0n;
      for (let i = 1; i < 32; i++) x[i] = hh.getX(i);
      const f: bigint[] = new Array(32);
      for (let i = 0; i < 32; i++) f[i] = hh.getF(i);
      return { pc: hh.getPc(), x, f, fcsr: hh.getCsr(3), priv: BigInt(hh.getPriv()), csr: csrNums.map((c) => hh.getCsr(c)) };
    };

    /** The instruction word at `pc` as the engine sees it (-1 if it cannot be fetched). */
    const engineInsnAt = (pc: bigint): number => {
      const hh = h!;
      const bus = m!.board.bus;
      const pa = hh.translateDebug(pc, ACCESS_EXEC, []);
      if (pa < 0 || !bus.isMemory(pa)) return -1;
      const lo = bus.parcel(pa);
      if ((lo & 3) !== 3) return lo;
      const pa2 = (pc & 0xfffn) === 0xffen ? hh.translateDebug(pc + 2n, ACCESS_EXEC, []) : pa + 2;
      if (pa2 < 0 || !bus.isMemory(pa2)) return -1;
      return (lo | (bus.parcel(pa2) << 16)) >>> 0;
    };

    /** Whether a WFI executed now idles (not illegal, no interrupt pending to wake it at once). */
    const wfiWillWait = (): boolean => {
      const hh = h!;
      const priv = hh.getPriv();
      const tw = ((hh.getCsr(0x300) ?? 0n) >> 21n) & 1n;
      if (priv === 0 || (priv === 1 && tw === 1n)) return false;
      return !hh.interruptPending;
    };

    const engineStep = (insn: number): EngineStepKind => {
      const mm = m!;
      const hh = h!;
      if (mm.stopped) return 'stopped';
      if (mi!.nextDeadline() <= mi!.vtime) mi!.fireTimers();
      if (hh.checkInterrupts()) return 'irq';
      const pcBefore = hh.getPc();
      mm.step(0);
      if (mm.stopped) return 'stopped';
      // WFI that did not trap (illegal in U, or in S with TW).
      if (hh.waiting || (insn === WFI && hh.getPc() === ((pcBefore + 4n) & MASK64))) {
        // It executed WFI: QEMU's step goes on until the hart wakes up (at once if an
        // interrupt is pending), then takes the interrupt or executes the next instruction.
        if (!hh.interruptPending) {
          const d = mi!.nextDeadline();
          if (d === Infinity) return 'wfi-hang';
          mi!.vtime = Math.max(mi!.vtime, d);
          mi!.fireTimers();
        }
        hh.waiting = false;
        if (hh.checkInterrupts()) return 'wfi-irq';
        mm.step(0);
        return 'wfi-insn';
      }
      return 'insn';
    };

    // QEMU state cache (values of registers not re-read at a step).
    const qs: State = { pc: 0n, x: new Array(32).fill(0n), f: new Array(32).fill(undefined), fcsr: undefined, priv: undefined, csr: csrNums.map(() => undefined) };
    let needFull = true;
    let needFp = true;
    let steps = 0;
    let end: LockstepResult['end'] = 'max-steps';
    let qemuExited = false;
    const stepTimeout = (opts.stepTimeoutSec ?? 20) * 1000;
    const t0 = Date.now();
    const packets0 = g.packetsSent;
    let pendingResync: { rd: number; kind: AllowedKind } | null = null;
    /** The instruction the last step executed (-1: an interrupt, or not known). */
    let lastInsn = -1;
    const lastDiff = new Map<string, string>();

    const pushHistory = (e: HistoryEntry) => {
      history.push(e);
      if (history.length > histN) history.shift();
    };
    const report = (d: Omit<Divergence, 'history'>): void => {
      const hist = history.map((e) => ({ ...e }));
      disassemble(hist);
      const last = d.last ? hist.find((e) => e.step === d.last!.step) ?? d.last : undefined;
      divergences.push({ ...d, last, history: hist });
    };

    for (;;) {
      // Timers off while stepping, except for WFI (see stepFlagsFor). The engine, in step with
      // QEMU, says what the next instruction is.
      const stepFlags = h && m && engineInsnAt(h.getPc()) === WFI && wfiWillWait() ? SSTEP_TIMERS : SSTEP_NOTIMER;
      if (stepFlags === SSTEP_TIMERS) timerSteps++;
      // One batch: read the state after `steps` steps, fetch the next instruction, step.
      const full = opts.fullAlways || needFull || (opts.fullEvery ? steps % opts.fullEvery === 0 : false);
      const readFp = full || needFp;
      const batch: string[] = ['g'];
      const csrSel: number[] = [];
      if (full) csrNums.forEach((_, i) => csrSel.push(i));
      else {
        if (mipIndex >= 0) csrSel.push(mipIndex);
        for (const i of counterIdx) csrSel.push(i);
      }
      for (const i of csrSel) batch.push(pCsr[i]);
      if (full && pPriv) batch.push(pPriv);
      if (readFp) {
        batch.push(...pF);
        batch.push(pFcsr);
      }
      // The next instruction: at the engine's pc (QEMU's, if they agree; checked below).
      if (opts.compareTime) batch.push(`m${CLINT_MTIME.toString(16)},8`);
      const predictedPc = h ? h.getPc() : qs.pc;
      batch.push(`m${predictedPc.toString(16)},4`);
      const stepping = steps < maxSteps;
      if (stepping && stepFlags !== sstepFlags) batch.push(`Qqemu.sstep=${stepFlags.toString(16)}`);
      if (stepping) batch.push('s');

      let timer: NodeJS.Timeout | undefined;
      const replies = await Promise.race([
        g.pipelineSettled(batch),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), stepTimeout))),
      ]);
      clearTimeout(timer);
      if (replies === null) {
        report({ step: steps, kind: 'hang', diffs: [], message: `QEMU did not finish step ${steps + 1} within ${stepTimeout / 1000} s` });
        end = 'hang';
        break;
      }
      // Parse the state after `steps` steps.
      let k = 0;
      const gr = replies[k++];
      if (typeof gr !== 'string') {
        qemuExited = true;
        end = 'qemu-exit';
        break;
      }
      const gv = parseG(gr);
      qs.pc = gv.pc;
      qs.x = gv.x;
      // A re-read that only `fullAlways`/`fullEvery` asked for checks the cached values: a
      // register QEMU changed without the events the selection watches is a harness bug.
      const checkCache = steps > 0 && (full && !needFull);
      const stale: RegDiff[] = [];
      const put = (name: string, old: bigint | undefined, v: bigint | undefined) => {
        if (checkCache && old !== v && name !== 'minstret' && name !== 'mcycle') stale.push({ name, qemu: v, engine: old });
        return v;
      };
      for (const i of csrSel) qs.csr[i] = put(csrNames[i], qs.csr[i], parseP(replies[k++]));
      if (full && pPriv) qs.priv = put('priv', qs.priv, parseP(replies[k++]));
      if (readFp) {
        const fpCheck = !needFp;
        for (let i = 0; i < 32; i++) qs.f[i] = fpCheck ? put(`f${i}`, qs.f[i], parseP(replies[k++])) : parseP(replies[k++]);
        qs.fcsr = fpCheck ? put('fcsr', qs.fcsr, parseP(replies[k++])) : parseP(replies[k++]);
      }
      const qemuTime = opts.compareTime ? parseM64(replies[k++]) : undefined;
      if (stale.length) {
        report({ step: steps, kind: 'cache', diffs: stale, message: `QEMU registers changed without a re-read (the "engine" column is the cached value): ${stale.map((d) => d.name).join(', ')}` });
      }
      const mReply = replies[k++];
      const nextInsn = predictedPc === qs.pc ? parseM(mReply) : -1;
      if (stepping && stepFlags !== sstepFlags) {
        k++; // the Qqemu.sstep reply
        sstepFlags = stepFlags;
      }
      const stopReply = stepping ? replies[k++] : '';

      // Compare the state after `steps` steps.
      if (m && h) {
        const es = engineState();
        if (pendingResync) {
          const { rd, kind } = pendingResync;
          pendingResync = null;
          if (qs.x[rd] !== es.x[rd]) {
            h.setX(rd, qs.x[rd]);
            es.x[rd] = qs.x[rd];
            allowedCount[kind] = (allowedCount[kind] ?? 0) + 1;
          }
        }
        // QEMU 7.2's cause for a misaligned AMO (see 'amo-fault-cause').
        if (allow.has('amo-fault-cause') && lastInsn >= 0 && (lastInsn & 0x7f) === 0x2f) {
          for (const name of ['mcause', 'scause']) {
            const i = csrNames.indexOf(name);
            const q = qs.csr[i];
            if (i >= 0 && ((q === 4n && es.csr[i] === 6n) || (q === 5n && es.csr[i] === 7n))) {
              h.setCsr(csrNums[i], q);
              es.csr[i] = q;
              allowedCount['amo-fault-cause'] = (allowedCount['amo-fault-cause'] ?? 0) + 1;
            }
          }
        }
        const diffs: RegDiff[] = [];
        if (qs.pc !== es.pc) diffs.push({ name: 'pc', qemu: qs.pc, engine: es.pc });
        for (let i = 1; i < 32; i++) if (qs.x[i] !== es.x[i]) diffs.push({ name: `x${i}`, qemu: qs.x[i], engine: es.x[i] });
        for (let i = 0; i < 32; i++) if (qs.f[i] !== es.f[i]) diffs.push({ name: `f${i}`, qemu: qs.f[i], engine: es.f[i] });
        if (qs.fcsr !== es.fcsr) diffs.push({ name: 'fcsr', qemu: qs.fcsr, engine: es.fcsr });
        if (qs.priv !== undefined && qs.priv !== es.priv) diffs.push({ name: 'priv', qemu: qs.priv, engine: es.priv });
        if (qemuTime !== undefined) {
          const et = m.board.clint.mtime();
          if (qemuTime !== et) diffs.push({ name: 'mtime', qemu: qemuTime, engine: et });
        }
        // (QEMU's stub refuses some CSRs in some states, e.g. satp in S-mode with mstatus.TVM:
        // those are not compared at that step.)
        for (let i = 0; i < csrNums.length; i++) {
          if (qs.csr[i] !== undefined && qs.csr[i] !== es.csr[i]) diffs.push({ name: csrNames[i], qemu: qs.csr[i], engine: es.csr[i] });
        }
        // Going on after a divergence, a difference that stays the same is reported once.
        const fresh = opts.continueAfterDivergence
          ? diffs.filter((d) => {
              const key = `${d.qemu}/${d.engine}`;
              return lastDiff.get(d.name) !== key;
            })
          : diffs;
        lastDiff.clear();
        for (const d of diffs) lastDiff.set(d.name, `${d.qemu}/${d.engine}`);
        if (fresh.length) {
          const last = history.length ? history[history.length - 1] : undefined;
          const readNow = new Set<string>(['pc', ...Array.from({ length: 32 }, (_, i) => `x${i}`), ...csrSel.map((i) => csrNames[i])]);
          if (readFp) {
            for (let i = 0; i < 32; i++) readNow.add(`f${i}`);
            readNow.add('fcsr');
          }
          if (full) readNow.add('priv');
          const cached = fresh.filter((d) => !readNow.has(d.name)).map((d) => d.name);
          report({
            step: steps,
            kind: 'state',
            last,
            diffs: fresh,
            message: fresh.map((d) => d.name).join(', ') + ' differ' + (cached.length ? ` (QEMU's ${cached.join(', ')} unchanged since last read)` : ''),
          });
          if (!opts.continueAfterDivergence || divergences.length >= maxDiv) {
            end = 'divergence';
            break;
          }
        }
      }
      if (!stepping) break;

      // Did QEMU step, or exit?
      if (typeof stopReply !== 'string' || stopReply[0] === 'W' || stopReply[0] === 'X') {
        qemuExited = true;
        end = 'qemu-exit';
      } else if (stopReply[0] !== 'T' && stopReply[0] !== 'S') {
        throw new GdbError(`unexpected stop reply ${stopReply}`);
      }

      // Step the engine the same way.
      let kind: EngineStepKind = 'insn';
      if (m) {
        kind = engineStep(nextInsn);
        if (kind === 'wfi-hang') {
          report({ step: steps, kind: 'hang', diffs: [], message: 'the engine waits in WFI with no timer deadline' });
          end = 'hang';
          break;
        }
      }
      lastInsn = kind === 'insn' ? nextInsn : -1;
      pushHistory({ step: steps + 1, pc: qs.pc, priv: Number(qs.priv ?? 0n), insn: kind === 'irq' ? -1 : nextInsn, disasm: kind === 'irq' ? '(interrupt taken)' : undefined });
      steps++;
      if (opts.onProgress && opts.progressEvery && steps % opts.progressEvery === 0) opts.onProgress(steps, Date.now() - t0);

      if (qemuExited || (m && kind === 'stopped')) {
        if (m && kind === 'stopped' && !qemuExited) {
          // The engine powered off (e.g. at an HTIF tohost write) while QEMU goes on to its own
          // exit (the SiFive test device, a few instructions later): let QEMU finish.
          end = 'engine-poweroff';
          try {
            await Promise.race([g.cont(), new Promise((r) => setTimeout(r, 5000))]);
          } catch {
            /* QEMU exited: the connection closes */
          }
        }
        break;
      }

      // What must be re-read next time (QEMU's registers that this step may have changed)?
      const info = nextInsn >= 0 ? decode(nextInsn) : undefined;
      needFull = true;
      needFp = true;
      if (info && kind === 'insn') {
        needFp = info.fp;
        const succ = normalSuccessors(nextInsn, qs.pc, qs.x);
        const engPc = h ? h.getPc() : undefined;
        // No trap: the engine's pc (what QEMU's must be, or it is a divergence anyway) is a
        // normal successor; and no SYSTEM or FP instruction.
        needFull = info.system || info.fp || engPc === undefined || !succ.includes(engPc);
      } else if (kind === 'irq') needFp = false;
      if (opts.qemuOnly) needFull = needFp = false;
      if (kind !== 'insn') {
        /* the instruction word is not what executed (an interrupt, or WFI and another) */
      } else if (info?.csrRead && info.csrRead.rd !== 0) {
        if (COUNTER_CSRS.has(info.csrRead.csr) && allow.has('counter-read')) pendingResync = { rd: info.csrRead.rd, kind: 'counter-read' };
        if (info.csrRead.csr === TIME_CSR && allow.has('time-read')) pendingResync = { rd: info.csrRead.rd, kind: 'time-read' };
        if (ID_CSRS.has(info.csrRead.csr) && allow.has('id-read')) pendingResync = { rd: info.csrRead.rd, kind: 'id-read' };
      }
      if (kind === 'insn' && info?.load && info.load.rd !== 0 && allow.has('time-read')) {
        const ea = (qs.x[info.load.rs1] + info.load.imm) & MASK64;
        if (ea >= CLINT_MTIME && ea < CLINT_MTIME + 8n) pendingResync = { rd: info.load.rd, kind: 'time-read' };
      }
    }

    const elapsedMs = Date.now() - t0;
    // Exit codes.
    let qemuExitCode: number | null = null;
    if (qemuExited || end === 'engine-poweroff') {
      await Promise.race([new Promise((r) => (q.exited ? r(null) : q.proc.once('exit', r))), new Promise((r) => setTimeout(r, 5000))]);
      qemuExitCode = q.exitCode;
    }
    const es = m?.stopped;
    const engineExitCode = es && es.reason === 'poweroff' ? es.exitCode : null;
    if (m && (end === 'qemu-exit' || end === 'engine-poweroff')) {
      if (end === 'qemu-exit' && !m.stopped) {
        // QEMU left at the step the engine just executed; the engine must power off too.
        report({ step: steps, kind: 'exit', diffs: [], message: `QEMU exited (status ${qemuExitCode}) but the engine is still running` });
      } else if (qemuExitCode !== null && engineExitCode !== null && (qemuExitCode & 0xff) !== (engineExitCode & 0xff)) {
        report({ step: steps, kind: 'exit', diffs: [], message: `exit status: QEMU ${qemuExitCode}, engine ${engineExitCode}` });
      }
    }
    return {
      steps,
      divergences,
      allowed: allowedCount,
      end,
      qemuExitCode,
      engineExitCode,
      elapsedMs,
      stepsPerSec: steps / Math.max(elapsedMs / 1000, 1e-3),
      packetsPerStep: (g.packetsSent - packets0) / Math.max(steps, 1),
      timerSteps,
      notes,
      qemuOutput: q.stdout,
      engineOutput,
    };
  } finally {
    await q.close();
  }
}

/** A one-line summary plus the formatted divergences. */
export function formatResult(r: LockstepResult): string {
  const lines = [
    `${r.steps} steps in ${(r.elapsedMs / 1000).toFixed(1)} s (${Math.round(r.stepsPerSec)} steps/s, ${r.packetsPerStep.toFixed(1)} packets/step), end: ${r.end}` +
      (r.qemuExitCode !== null ? `, QEMU exit ${r.qemuExitCode}` : '') +
      (r.engineExitCode !== null ? `, engine exit ${r.engineExitCode}` : ''),
  ];
  if (Object.keys(r.allowed).length) lines.push(`allowed: ${Object.entries(r.allowed).map(([k, v]) => `${k} x${v}`).join(', ')}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  for (const d of r.divergences) lines.push(formatDivergence(d));
  return lines.join('\n');
}

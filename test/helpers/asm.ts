// A tiny RV64GC assembler for tests (no toolchain needed at test time), plus helpers that run
// assembled guests on a Machine.
//
// Syntax is GNU as syntax for the subset tests need: one instruction per line or several separated
// by ';', `label:` definitions, `#` or `//` comments, immediates in decimal/hex/binary (labels where
// a branch/jump target or `la` expects one), memory operands `imm(reg)`, ABI or xN register names,
// CSR names or numbers. Directives: .word .half .byte .dword .space .align .balign.
// Pseudo-instructions: nop li la mv not neg negw sext.w seqz snez sltz sgtz j jal(label) jr jalr(rs)
// ret beqz bnez blez bgez bltz bgtz bgt ble bgtu bleu csrr csrw csrs csrc csrwi csrsi csrci
// fence (no operands = iorw,iorw) sfence.vma (no operands = x0,x0).
// Compressed instructions are written explicitly with their c. mnemonics (no automatic compression).
// Every encoding was checked against riscv64-unknown-elf-as 2.40 while this file was written (li may pick
// a different, equivalent instruction sequence than gas; hart.test.ts checks the values it builds).

import { Machine, type StopReason } from '../../engine/machine.ts';
import type { Hart } from '../../engine/cpu/hart.ts';

// ---- registers and CSRs ----------------------------------------------------------------------------

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const FABI = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3',
  'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9',
  'ft10', 'ft11'];

/** Integer register number by name (xN, ABI name, fp). */
export const REG: Readonly<Record<string, number>> = (() => {
  const r: Record<string, number> = { fp: 8 };
  for (let i = 0; i < 32; i++) { r[`x${i}`] = i; r[ABI[i]] = i; }
  return r;
})();

const FREG: Readonly<Record<string, number>> = (() => {
  const r: Record<string, number> = {};
  for (let i = 0; i < 32; i++) { r[`f${i}`] = i; r[FABI[i]] = i; }
  return r;
})();

/** CSR numbers by name (what tests use). */
export const CSR: Readonly<Record<string, number>> = (() => {
  const r: Record<string, number> = {
    fflags: 0x001, frm: 0x002, fcsr: 0x003, cycle: 0xc00, time: 0xc01, instret: 0xc02,
    sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a, sscratch: 0x140, sepc: 0x141,
    scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d, satp: 0x180,
    mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
    mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305, mcounteren: 0x306,
    menvcfg: 0x30a, mcountinhibit: 0x320, mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
    mcycle: 0xb00, minstret: 0xb02,
  };
  for (let i = 0; i < 4; i++) r[`pmpcfg${i}`] = 0x3a0 + i;
  for (let i = 0; i < 16; i++) r[`pmpaddr${i}`] = 0x3b0 + i;
  for (let i = 3; i < 32; i++) { r[`hpmcounter${i}`] = 0xc00 + i; r[`mhpmcounter${i}`] = 0xb00 + i; r[`mhpmevent${i}`] = 0x320 + i; }
  return r;
})();

// ---- raw encoders (exported for decode tests) --------------------------------------------------------

const u32 = (v: number): number => v >>> 0;

export function encR(opc: number, f3: number, f7: number, rd: number, rs1: number, rs2: number): number {
  return u32((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc);
}
export function encI(opc: number, f3: number, rd: number, rs1: number, imm: number): number {
  checkRange(imm, -2048, 4095, 'I-immediate');
  return u32(((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc);
}
export function encS(opc: number, f3: number, rs1: number, rs2: number, imm: number): number {
  checkRange(imm, -2048, 2047, 'S-immediate');
  return u32((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opc);
}
export function encB(f3: number, rs1: number, rs2: number, imm: number): number {
  checkRange(imm, -4096, 4094, 'branch offset');
  if (imm & 1) throw new Error(`odd branch offset ${imm}`);
  return u32((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63);
}
export function encU(opc: number, rd: number, imm20: number): number {
  return u32(((imm20 & 0xfffff) << 12) | (rd << 7) | opc);
}
export function encJ(rd: number, imm: number): number {
  checkRange(imm, -(1 << 20), (1 << 20) - 2, 'jump offset');
  if (imm & 1) throw new Error(`odd jump offset ${imm}`);
  return u32((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f);
}

function checkRange(v: number, lo: number, hi: number, what: string): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${what} ${v} out of range ${lo}..${hi}`);
}

// ---- instruction tables ----------------------------------------------------------------------------

/** R-type: [opcode, funct3, funct7]. */
const R_OPS: Record<string, [number, number, number]> = {
  add: [0x33, 0, 0], sub: [0x33, 0, 0x20], sll: [0x33, 1, 0], slt: [0x33, 2, 0], sltu: [0x33, 3, 0],
  xor: [0x33, 4, 0], srl: [0x33, 5, 0], sra: [0x33, 5, 0x20], or: [0x33, 6, 0], and: [0x33, 7, 0],
  addw: [0x3b, 0, 0], subw: [0x3b, 0, 0x20], sllw: [0x3b, 1, 0], srlw: [0x3b, 5, 0], sraw: [0x3b, 5, 0x20],
  mul: [0x33, 0, 1], mulh: [0x33, 1, 1], mulhsu: [0x33, 2, 1], mulhu: [0x33, 3, 1],
  div: [0x33, 4, 1], divu: [0x33, 5, 1], rem: [0x33, 6, 1], remu: [0x33, 7, 1],
  mulw: [0x3b, 0, 1], divw: [0x3b, 4, 1], divuw: [0x3b, 5, 1], remw: [0x3b, 6, 1], remuw: [0x3b, 7, 1],
  // Zba
  sh1add: [0x33, 2, 0x10], sh2add: [0x33, 4, 0x10], sh3add: [0x33, 6, 0x10],
  'add.uw': [0x3b, 0, 0x04], 'sh1add.uw': [0x3b, 2, 0x10], 'sh2add.uw': [0x3b, 4, 0x10], 'sh3add.uw': [0x3b, 6, 0x10],
  // Zbb
  andn: [0x33, 7, 0x20], orn: [0x33, 6, 0x20], xnor: [0x33, 4, 0x20],
  max: [0x33, 6, 0x05], maxu: [0x33, 7, 0x05], min: [0x33, 4, 0x05], minu: [0x33, 5, 0x05],
  rol: [0x33, 1, 0x30], ror: [0x33, 5, 0x30], rolw: [0x3b, 1, 0x30], rorw: [0x3b, 5, 0x30],
  // Zbs
  bclr: [0x33, 1, 0x24], bext: [0x33, 5, 0x24], binv: [0x33, 1, 0x34], bset: [0x33, 1, 0x14],
};

/** I-type arithmetic: [opcode, funct3]. */
const I_OPS: Record<string, [number, number]> = {
  addi: [0x13, 0], slti: [0x13, 2], sltiu: [0x13, 3], xori: [0x13, 4], ori: [0x13, 6], andi: [0x13, 7],
  addiw: [0x1b, 0],
};

/** Shifts by immediate: [opcode, funct3, high bits of imm12 (funct6/funct7 << shamt width), shamt bits]. */
const SHIFT_OPS: Record<string, [number, number, number, number]> = {
  slli: [0x13, 1, 0x000, 6], srli: [0x13, 5, 0x000, 6], srai: [0x13, 5, 0x400, 6],
  slliw: [0x1b, 1, 0x000, 5], srliw: [0x1b, 5, 0x000, 5], sraiw: [0x1b, 5, 0x400, 5],
  'slli.uw': [0x1b, 1, 0x080, 6], rori: [0x13, 5, 0x600, 6], roriw: [0x1b, 5, 0x600, 5],
  bclri: [0x13, 1, 0x480, 6], bexti: [0x13, 5, 0x480, 6], binvi: [0x13, 1, 0x680, 6], bseti: [0x13, 1, 0x280, 6],
};

/** One-source Zbb ops: [opcode, funct3, imm12]. */
const UNARY_OPS: Record<string, [number, number, number]> = {
  clz: [0x13, 1, 0x600], ctz: [0x13, 1, 0x601], cpop: [0x13, 1, 0x602],
  clzw: [0x1b, 1, 0x600], ctzw: [0x1b, 1, 0x601], cpopw: [0x1b, 1, 0x602],
  'sext.b': [0x13, 1, 0x604], 'sext.h': [0x13, 1, 0x605], 'orc.b': [0x13, 5, 0x287], rev8: [0x13, 5, 0x6b8],
};

const LOADS: Record<string, number> = { lb: 0, lh: 1, lw: 2, ld: 3, lbu: 4, lhu: 5, lwu: 6 };
const STORES: Record<string, number> = { sb: 0, sh: 1, sw: 2, sd: 3 };
const BRANCHES: Record<string, number> = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 };
const CSR_OPS: Record<string, number> = { csrrw: 1, csrrs: 2, csrrc: 3, csrrwi: 5, csrrsi: 6, csrrci: 7 };
const AMOS: Record<string, number> = {
  amoadd: 0x00, amoswap: 0x01, amoxor: 0x04, amoor: 0x08, amoand: 0x0c,
  amomin: 0x10, amomax: 0x14, amominu: 0x18, amomaxu: 0x1c,
};
const FIXED: Record<string, number> = {
  ecall: 0x00000073, ebreak: 0x00100073, mret: 0x30200073, sret: 0x10200073, wfi: 0x10500073,
  'fence.i': 0x0000100f, nop: 0x00000013, ret: 0x00008067, 'fence.tso': 0x8330000f, pause: 0x0100000f,
};

// ---- parsing -----------------------------------------------------------------------------------------

function parseNum(s: string): bigint {
  const t = s.trim().replace(/_/g, '');
  const m = /^([+-]?)(0x[0-9a-f]+|0b[01]+|0o[0-7]+|[0-9]+)$/i.exec(t);
  if (!m) throw new Error(`bad number '${s}'`);
  const v = BigInt(m[2]);
  return m[1] === '-' ? -v : v;
}

const isNum = (s: string): boolean => /^[+-]?(0x[0-9a-f_]+|0b[01_]+|0o[0-7_]+|[0-9_]+)$/i.test(s.trim());

function num(s: string): number {
  const v = parseNum(s);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`number '${s}' too large here`);
  return Number(v);
}

function xreg(s: string): number {
  const r = REG[s.trim()];
  if (r === undefined) throw new Error(`bad register '${s}'`);
  return r;
}

function freg(s: string): number {
  const r = FREG[s.trim()];
  if (r === undefined) throw new Error(`bad float register '${s}'`);
  return r;
}

function csrNum(s: string): number {
  const t = s.trim();
  const c = CSR[t];
  if (c !== undefined) return c;
  const v = num(t);
  if (v < 0 || v > 0xfff) throw new Error(`bad CSR '${s}'`);
  return v;
}

/** `imm(reg)` → [imm, reg]. */
function mem(s: string): [number, number] {
  const m = /^(.*)\(\s*([a-z0-9]+)\s*\)$/i.exec(s.trim());
  if (!m) throw new Error(`bad memory operand '${s}'`);
  return [m[1].trim() === '' ? 0 : num(m[1]), xreg(m[2])];
}

/** Register of the compressed 3-bit set (x8..x15) → its 3-bit field. */
function creg(r: number): number {
  if (r < 8 || r > 15) throw new Error(`x${r} is not one of x8..x15 (compressed register)`);
  return r - 8;
}

const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);

/** li: a lui/addiw/slli/addi sequence for a 64-bit constant (the classic recursive expansion). */
function liSeq(rd: number, value: bigint): number[] {
  const v = BigInt.asIntN(64, value);
  if (v >= -(1n << 31n) && v < (1n << 31n)) {
    const n = Number(v);
    const lo = sext(n & 0xfff, 12);
    const hi = ((n - lo) >>> 12) & 0xfffff;
    const out: number[] = [];
    if (hi !== 0) {
      out.push(encU(0x37, rd, hi));
      if (lo !== 0) out.push(encI(0x1b, 0, rd, rd, lo));
    } else {
      out.push(encI(0x13, 0, rd, 0, lo));
    }
    return out;
  }
  const lo = BigInt(sext(Number(v & 0xfffn), 12));
  let hi = BigInt.asIntN(64, (v - lo) >> 12n);
  let shift = 12;
  while ((hi & 1n) === 0n) { hi >>= 1n; shift++; }
  const out = liSeq(rd, hi);
  out.push(encI(0x13, 1, rd, rd, shift));
  if (lo !== 0n) out.push(encI(0x13, 0, rd, rd, Number(lo)));
  return out;
}

// ---- compressed encoders ----------------------------------------------------------------------------

const b = (v: number, from: number, to: number): number => ((v >>> from) & 1) << to;

function cCIW(rd: number, imm: number): number { // c.addi4spn
  if (imm <= 0 || imm > 1020 || imm & 3) throw new Error(`c.addi4spn immediate ${imm}`);
  return (b(imm, 5, 12) | b(imm, 4, 11) | b(imm, 9, 10) | b(imm, 8, 9) | b(imm, 7, 8) | b(imm, 6, 7) |
    b(imm, 2, 6) | b(imm, 3, 5) | (creg(rd) << 2)) >>> 0;
}
/** CL/CS with word offsets (c.lw/c.sw: uimm[5:3] at 12:10, [2] at 6, [6] at 5). */
function cWordOff(imm: number): number {
  if (imm < 0 || imm > 124 || imm & 3) throw new Error(`word offset ${imm}`);
  return (((imm >> 3) & 7) << 10) | b(imm, 2, 6) | b(imm, 6, 5);
}
/** CL/CS with doubleword offsets (uimm[5:3] at 12:10, [7:6] at 6:5). */
function cDoubleOff(imm: number): number {
  if (imm < 0 || imm > 248 || imm & 7) throw new Error(`doubleword offset ${imm}`);
  return (((imm >> 3) & 7) << 10) | (((imm >> 6) & 3) << 5);
}
function cImm6(imm: number): number {
  checkRange(imm, -32, 31, 'compressed immediate');
  return b(imm, 5, 12) | ((imm & 0x1f) << 2);
}
function cJ(off: number): number {
  checkRange(off, -2048, 2046, 'c.j offset');
  return b(off, 11, 12) | b(off, 4, 11) | b(off, 9, 10) | b(off, 8, 9) | b(off, 10, 8) | b(off, 6, 7) | b(off, 7, 6) |
    b(off, 3, 5) | b(off, 2, 4) | b(off, 1, 3) | b(off, 5, 2);
}
function cB(off: number): number {
  checkRange(off, -256, 254, 'c.beqz offset');
  return b(off, 8, 12) | b(off, 4, 11) | b(off, 3, 10) | b(off, 7, 6) | b(off, 6, 5) | b(off, 2, 4) | b(off, 1, 3) | b(off, 5, 2);
}

// ---- the assembler -------------------------------------------------------------------------------------

export interface Program {
  /** The image (load it at `base`). */
  bytes: Uint8Array;
  base: number;
  /** Label addresses (absolute). */
  labels: Map<string, number>;
  /** Address of a label (throws if undefined). */
  at(label: string): number;
}

interface Item {
  size: number;
  emit(pc: number, label: (name: string) => number): number[] | Uint8Array;
}

const splitOps = (s: string): string[] => (s.trim() === '' ? [] : s.split(',').map((x) => x.trim()));

/** Assembles `src` for load address `base` (default: RAM base 0x80000000). */
export function assemble(src: string | string[], base = 0x80000000): Program {
  const lines = (Array.isArray(src) ? src.join('\n') : src).split('\n');
  const items: Item[] = [];
  const labels = new Map<string, number>();
  let pc = base;
  const add = (it: Item): void => { items.push(it); pc += it.size; };
  const words = (ws: number[]): Item => ({ size: ws.length * 4, emit: () => ws });
  for (const raw of lines) {
    const noComment = raw.replace(/(#|\/\/).*$/, '');
    for (let stmt of noComment.split(';')) {
      stmt = stmt.trim();
      let m: RegExpExecArray | null;
      while ((m = /^([A-Za-z_.$][\w.$]*)\s*:/.exec(stmt)) !== null) {
        if (labels.has(m[1])) throw new Error(`label '${m[1]}' defined twice`);
        labels.set(m[1], pc);
        stmt = stmt.slice(m[0].length).trim();
      }
      if (stmt === '') continue;
      const sp = stmt.search(/\s/);
      const mn = (sp < 0 ? stmt : stmt.slice(0, sp)).toLowerCase();
      const ops = splitOps(sp < 0 ? '' : stmt.slice(sp + 1));
      try {
        parseStatement(mn, ops, pc, add, words);
      } catch (e) {
        throw new Error(`asm: '${stmt}': ${(e as Error).message}`);
      }
    }
  }
  const label = (name: string): number => {
    const v = labels.get(name);
    if (v === undefined) throw new Error(`asm: undefined label '${name}'`);
    return v;
  };
  const bytes = new Uint8Array(pc - base);
  const dv = new DataView(bytes.buffer);
  let at = base;
  for (const it of items) {
    const out = it.emit(at, label);
    if (out instanceof Uint8Array) bytes.set(out, at - base);
    else if (it.size === 2 * out.length) out.forEach((h, k) => dv.setUint16(at - base + 2 * k, h, true));
    else out.forEach((w, k) => dv.setUint32(at - base + 4 * k, w >>> 0, true));
    at += it.size;
  }
  return { bytes, base, labels, at: label };
}

/** Target of a branch/jump operand: a label, or a number (offset relative to the instruction). */
function target(op: string, pc: number, label: (n: string) => number): number {
  return isNum(op) ? num(op) : label(op.trim()) - pc;
}

function parseStatement(mn: string, ops: string[], pc: number, add: (it: Item) => void, words: (ws: number[]) => Item): void {
  const n = ops.length;
  const need = (k: number): void => { if (n !== k) throw new Error(`expected ${k} operands, got ${n}`); };
  // Directives.
  if (mn.startsWith('.')) {
    const data = (size: number): void => {
      const vals = ops.map(parseNum);
      const out = new Uint8Array(size * vals.length);
      const dv = new DataView(out.buffer);
      vals.forEach((v, k) => {
        if (size === 8) dv.setBigUint64(k * 8, BigInt.asUintN(64, v), true);
        else if (size === 4) dv.setUint32(k * 4, Number(BigInt.asUintN(32, v)), true);
        else if (size === 2) dv.setUint16(k * 2, Number(BigInt.asUintN(16, v)), true);
        else dv.setUint8(k, Number(BigInt.asUintN(8, v)));
      });
      add({ size: out.length, emit: () => out });
    };
    switch (mn) {
      case '.word': return data(4);
      case '.half': return data(2);
      case '.byte': return data(1);
      case '.dword': case '.quad': return data(8);
      case '.space': case '.zero': { const k = num(ops[0]); add({ size: k, emit: () => new Uint8Array(k) }); return; }
      case '.align': case '.p2align': {
        const a = 1 << num(ops[0]);
        const k = (a - (pc % a)) % a;
        add({ size: k, emit: () => new Uint8Array(k) });
        return;
      }
      case '.balign': {
        const a = num(ops[0]);
        const k = (a - (pc % a)) % a;
        add({ size: k, emit: () => new Uint8Array(k) });
        return;
      }
    }
    throw new Error(`unknown directive ${mn}`);
  }
  if (mn.startsWith('c.')) { add(compressed(mn, ops)); return; }
  if (FIXED[mn] !== undefined && n === 0) { add(words([FIXED[mn]])); return; }
  const r = R_OPS[mn];
  if (r) { need(3); add(words([encR(r[0], r[1], r[2], xreg(ops[0]), xreg(ops[1]), xreg(ops[2]))])); return; }
  const i = I_OPS[mn];
  if (i) { need(3); add(words([encI(i[0], i[1], xreg(ops[0]), xreg(ops[1]), num(ops[2]))])); return; }
  const s = SHIFT_OPS[mn];
  if (s) {
    need(3);
    const sh = num(ops[2]);
    checkRange(sh, 0, (1 << s[3]) - 1, 'shift amount');
    add(words([encI(s[0], s[1], xreg(ops[0]), xreg(ops[1]), s[2] | sh)]));
    return;
  }
  const u = UNARY_OPS[mn];
  if (u) { need(2); add(words([encI(u[0], u[1], xreg(ops[0]), xreg(ops[1]), u[2])])); return; }
  if (mn === 'zext.h') { need(2); add(words([encR(0x3b, 4, 0x04, xreg(ops[0]), xreg(ops[1]), 0)])); return; }
  if (LOADS[mn] !== undefined) { need(2); const [imm, rs1] = mem(ops[1]); add(words([encI(0x03, LOADS[mn], xreg(ops[0]), rs1, imm)])); return; }
  if (STORES[mn] !== undefined) { need(2); const [imm, rs1] = mem(ops[1]); add(words([encS(0x23, STORES[mn], rs1, xreg(ops[0]), imm)])); return; }
  if (mn === 'flw' || mn === 'fld') { need(2); const [imm, rs1] = mem(ops[1]); add(words([encI(0x07, mn === 'flw' ? 2 : 3, freg(ops[0]), rs1, imm)])); return; }
  if (mn === 'fsw' || mn === 'fsd') { need(2); const [imm, rs1] = mem(ops[1]); add(words([encS(0x27, mn === 'fsw' ? 2 : 3, rs1, freg(ops[0]), imm)])); return; }
  if (mn === 'fmv.x.d') { need(2); add(words([encR(0x53, 0, 0x71, xreg(ops[0]), freg(ops[1]), 0)])); return; }
  if (mn === 'fmv.d.x') { need(2); add(words([encR(0x53, 0, 0x79, freg(ops[0]), xreg(ops[1]), 0)])); return; }
  if (BRANCHES[mn] !== undefined) {
    need(3);
    const f3 = BRANCHES[mn];
    const rs1 = xreg(ops[0]);
    const rs2 = xreg(ops[1]);
    add({ size: 4, emit: (at, label) => [encB(f3, rs1, rs2, target(ops[2], at, label))] });
    return;
  }
  // Branch pseudo-instructions.
  const bz: Record<string, [number, boolean]> = { beqz: [0, false], bnez: [1, false], bltz: [4, false], bgez: [5, false], blez: [5, true], bgtz: [4, true] };
  if (bz[mn]) {
    need(2);
    const [f3, swap] = bz[mn];
    const rs = xreg(ops[0]);
    add({ size: 4, emit: (at, label) => [encB(f3, swap ? 0 : rs, swap ? rs : 0, target(ops[1], at, label))] });
    return;
  }
  const bsw: Record<string, number> = { bgt: 4, ble: 5, bgtu: 6, bleu: 7 };
  if (bsw[mn] !== undefined) {
    need(3);
    const f3 = bsw[mn];
    const rs1 = xreg(ops[0]);
    const rs2 = xreg(ops[1]);
    add({ size: 4, emit: (at, label) => [encB(f3, rs2, rs1, target(ops[2], at, label))] });
    return;
  }
  switch (mn) {
    case 'lui': case 'auipc': {
      need(2);
      const v = num(ops[1]);
      checkRange(v, 0, 0xfffff, 'U-immediate');
      add(words([encU(mn === 'lui' ? 0x37 : 0x17, xreg(ops[0]), v)]));
      return;
    }
    case 'jal': {
      if (n === 1) { const t = ops[0]; add({ size: 4, emit: (at, label) => [encJ(1, target(t, at, label))] }); return; }
      need(2);
      const rd = xreg(ops[0]);
      add({ size: 4, emit: (at, label) => [encJ(rd, target(ops[1], at, label))] });
      return;
    }
    case 'j': need(1); add({ size: 4, emit: (at, label) => [encJ(0, target(ops[0], at, label))] }); return;
    case 'jalr': {
      if (n === 1) { add(words([encI(0x67, 0, 1, xreg(ops[0]), 0)])); return; }
      if (n === 2) { const [imm, rs1] = mem(ops[1]); add(words([encI(0x67, 0, xreg(ops[0]), rs1, imm)])); return; }
      need(3);
      add(words([encI(0x67, 0, xreg(ops[0]), xreg(ops[1]), num(ops[2]))]));
      return;
    }
    case 'jr': {
      if (n === 1) { add(words([encI(0x67, 0, 0, xreg(ops[0]), 0)])); return; }
      need(2);
      add(words([encI(0x67, 0, 0, xreg(ops[0]), num(ops[1]))]));
      return;
    }
    case 'li': need(2); add(words(liSeq(xreg(ops[0]), parseNum(ops[1])))); return;
    case 'la': {
      need(2);
      const rd = xreg(ops[0]);
      add({
        size: 8,
        emit: (at, label) => {
          const off = label(ops[1]) - at;
          const lo = sext(off & 0xfff, 12);
          const hi = ((off - lo) >> 12) & 0xfffff;
          return [encU(0x17, rd, hi), encI(0x13, 0, rd, rd, lo)];
        },
      });
      return;
    }
    case 'mv': need(2); add(words([encI(0x13, 0, xreg(ops[0]), xreg(ops[1]), 0)])); return;
    case 'not': need(2); add(words([encI(0x13, 4, xreg(ops[0]), xreg(ops[1]), -1)])); return;
    case 'neg': need(2); add(words([encR(0x33, 0, 0x20, xreg(ops[0]), 0, xreg(ops[1]))])); return;
    case 'negw': need(2); add(words([encR(0x3b, 0, 0x20, xreg(ops[0]), 0, xreg(ops[1]))])); return;
    case 'sext.w': need(2); add(words([encI(0x1b, 0, xreg(ops[0]), xreg(ops[1]), 0)])); return;
    case 'seqz': need(2); add(words([encI(0x13, 3, xreg(ops[0]), xreg(ops[1]), 1)])); return;
    case 'snez': need(2); add(words([encR(0x33, 3, 0, xreg(ops[0]), 0, xreg(ops[1]))])); return;
    case 'sltz': need(2); add(words([encR(0x33, 2, 0, xreg(ops[0]), xreg(ops[1]), 0)])); return;
    case 'sgtz': need(2); add(words([encR(0x33, 2, 0, xreg(ops[0]), 0, xreg(ops[1]))])); return;
    case 'fence': {
      if (n === 0) { add(words([0x0ff0000f])); return; }
      need(2);
      const set = (t: string): number => (t.includes('i') ? 8 : 0) | (t.includes('o') ? 4 : 0) | (t.includes('r') ? 2 : 0) | (t.includes('w') ? 1 : 0);
      add(words([u32((set(ops[0]) << 24) | (set(ops[1]) << 20) | 0x0f)]));
      return;
    }
    case 'sfence.vma': {
      const rs1 = n > 0 ? xreg(ops[0]) : 0;
      const rs2 = n > 1 ? xreg(ops[1]) : 0;
      add(words([encR(0x73, 0, 0x09, 0, rs1, rs2)]));
      return;
    }
    case 'csrr': need(2); add(words([encI(0x73, 2, xreg(ops[0]), 0, csrNum(ops[1]))])); return;
    case 'csrw': case 'csrs': case 'csrc': {
      need(2);
      const f3 = mn === 'csrw' ? 1 : mn === 'csrs' ? 2 : 3;
      add(words([encI(0x73, f3, 0, xreg(ops[1]), csrNum(ops[0]))]));
      return;
    }
    case 'csrwi': case 'csrsi': case 'csrci': {
      need(2);
      const f3 = mn === 'csrwi' ? 5 : mn === 'csrsi' ? 6 : 7;
      const z = num(ops[1]);
      checkRange(z, 0, 31, 'CSR immediate');
      add(words([encI(0x73, f3, 0, z, csrNum(ops[0]))]));
      return;
    }
    case 'rdcycle': need(1); add(words([encI(0x73, 2, xreg(ops[0]), 0, 0xc00)])); return;
    case 'rdtime': need(1); add(words([encI(0x73, 2, xreg(ops[0]), 0, 0xc01)])); return;
    case 'rdinstret': need(1); add(words([encI(0x73, 2, xreg(ops[0]), 0, 0xc02)])); return;
  }
  if (CSR_OPS[mn] !== undefined) {
    need(3);
    const f3 = CSR_OPS[mn];
    const src = f3 >= 5 ? num(ops[2]) : xreg(ops[2]);
    if (f3 >= 5) checkRange(src, 0, 31, 'CSR immediate');
    add(words([encI(0x73, f3, xreg(ops[0]), src, csrNum(ops[1]))]));
    return;
  }
  // Atomics: lr.w/lr.d, sc.w/sc.d, amo<op>.w/.d, with optional .aq/.rl/.aqrl suffixes.
  const am = /^(lr|sc|amo[a-z]+)\.([wd])(\.aqrl|\.aq|\.rl)?$/.exec(mn);
  if (am) {
    const f3 = am[2] === 'w' ? 2 : 3;
    const ord = am[3] === '.aqrl' ? 3 : am[3] === '.aq' ? 2 : am[3] === '.rl' ? 1 : 0;
    const [imm, rs1] = mem(ops[ops.length - 1]);
    if (imm !== 0) throw new Error('atomics take (rs1) with no offset');
    let f5: number;
    let rs2 = 0;
    if (am[1] === 'lr') { need(2); f5 = 0x02; }
    else {
      need(3);
      rs2 = xreg(ops[1]);
      if (am[1] === 'sc') f5 = 0x03;
      else {
        const v = AMOS[am[1]];
        if (v === undefined) throw new Error(`unknown AMO ${am[1]}`);
        f5 = v;
      }
    }
    add(words([encR(0x2f, f3, (f5 << 2) | ord, xreg(ops[0]), rs1, rs2)]));
    return;
  }
  throw new Error(`unknown instruction '${mn}'`);
}

function compressed(mn: string, ops: string[]): Item {
  const h = (v: number): Item => ({ size: 2, emit: () => [v & 0xffff] });
  const need = (k: number): void => { if (ops.length !== k) throw new Error(`expected ${k} operands`); };
  switch (mn) {
    case 'c.nop': return h(0x0001);
    case 'c.ebreak': return h(0x9002);
    case 'c.addi4spn': {
      need(3);
      if (xreg(ops[1]) !== 2) throw new Error('c.addi4spn needs sp');
      return h(cCIW(xreg(ops[0]), num(ops[2])));
    }
    case 'c.lw': case 'c.sw': case 'c.ld': case 'c.sd': case 'c.fld': case 'c.fsd': {
      need(2);
      const fp = mn === 'c.fld' || mn === 'c.fsd';
      const r = fp ? freg(ops[0]) : xreg(ops[0]);
      const [imm, rs1] = mem(ops[1]);
      const word = mn === 'c.lw' || mn === 'c.sw';
      const f3 = { 'c.fld': 1, 'c.lw': 2, 'c.ld': 3, 'c.fsd': 5, 'c.sw': 6, 'c.sd': 7 }[mn];
      return h((f3 << 13) | (word ? cWordOff(imm) : cDoubleOff(imm)) | (creg(rs1) << 7) | (creg(r) << 2));
    }
    case 'c.addi': case 'c.addiw': case 'c.li': case 'c.andi': {
      need(2);
      const rd = xreg(ops[0]);
      const imm = num(ops[1]);
      if (mn === 'c.andi') return h(0x8801 | cImm6(imm) | (creg(rd) << 7));
      const f3 = mn === 'c.addi' ? 0 : mn === 'c.addiw' ? 1 : 2;
      return h((f3 << 13) | cImm6(imm) | (rd << 7) | 1);
    }
    case 'c.addi16sp': {
      need(2);
      const imm = num(ops[1]);
      if (imm === 0 || imm < -512 || imm > 496 || imm & 15) throw new Error(`c.addi16sp immediate ${imm}`);
      return h(0x6101 | b(imm, 9, 12) | b(imm, 4, 6) | b(imm, 6, 5) | b(imm, 8, 4) | b(imm, 7, 3) | b(imm, 5, 2));
    }
    case 'c.lui': {
      need(2);
      // gas takes the 20-bit U value: 1..31 or 0xfffe0..0xfffff.
      let v = num(ops[1]);
      if (v >= 0xfffe0) v -= 0x100000;
      return h(0x6001 | cImm6(v) | (xreg(ops[0]) << 7));
    }
    case 'c.srli': case 'c.srai': {
      need(2);
      const sh = num(ops[1]);
      checkRange(sh, 0, 63, 'shift');
      return h(0x8001 | (mn === 'c.srai' ? 0x400 : 0) | b(sh, 5, 12) | ((sh & 0x1f) << 2) | (creg(xreg(ops[0])) << 7));
    }
    case 'c.sub': case 'c.xor': case 'c.or': case 'c.and': case 'c.subw': case 'c.addw': {
      need(2);
      const f = { 'c.sub': 0, 'c.xor': 1, 'c.or': 2, 'c.and': 3, 'c.subw': 4, 'c.addw': 5 }[mn];
      return h(0x8c01 | ((f >> 2) << 12) | ((f & 3) << 5) | (creg(xreg(ops[0])) << 7) | (creg(xreg(ops[1])) << 2));
    }
    case 'c.j': {
      need(1);
      const t = ops[0];
      return { size: 2, emit: (at, label) => [0xa001 | cJ(target(t, at, label))] };
    }
    case 'c.beqz': case 'c.bnez': {
      need(2);
      const rs = creg(xreg(ops[0]));
      const base = mn === 'c.beqz' ? 0xc001 : 0xe001;
      return { size: 2, emit: (at, label) => [base | cB(target(ops[1], at, label)) | (rs << 7)] };
    }
    case 'c.slli': {
      need(2);
      const sh = num(ops[1]);
      checkRange(sh, 0, 63, 'shift');
      return h(0x0002 | b(sh, 5, 12) | ((sh & 0x1f) << 2) | (xreg(ops[0]) << 7));
    }
    case 'c.lwsp': case 'c.ldsp': case 'c.fldsp': {
      need(2);
      const fp = mn === 'c.fldsp';
      const rd = fp ? freg(ops[0]) : xreg(ops[0]);
      const [imm, rs1] = mem(ops[1]);
      if (rs1 !== 2) throw new Error(`${mn} needs sp`);
      if (mn === 'c.lwsp') {
        if (imm < 0 || imm > 252 || imm & 3) throw new Error(`offset ${imm}`);
        return h(0x4002 | b(imm, 5, 12) | (((imm >> 2) & 7) << 4) | (((imm >> 6) & 3) << 2) | (rd << 7));
      }
      if (imm < 0 || imm > 504 || imm & 7) throw new Error(`offset ${imm}`);
      return h((fp ? 0x2002 : 0x6002) | b(imm, 5, 12) | (((imm >> 3) & 3) << 5) | (((imm >> 6) & 7) << 2) | (rd << 7));
    }
    case 'c.swsp': case 'c.sdsp': case 'c.fsdsp': {
      need(2);
      const fp = mn === 'c.fsdsp';
      const rs2 = fp ? freg(ops[0]) : xreg(ops[0]);
      const [imm, rs1] = mem(ops[1]);
      if (rs1 !== 2) throw new Error(`${mn} needs sp`);
      if (mn === 'c.swsp') {
        if (imm < 0 || imm > 252 || imm & 3) throw new Error(`offset ${imm}`);
        return h(0xc002 | (((imm >> 2) & 0xf) << 9) | (((imm >> 6) & 3) << 7) | (rs2 << 2));
      }
      if (imm < 0 || imm > 504 || imm & 7) throw new Error(`offset ${imm}`);
      return h((fp ? 0xa002 : 0xe002) | (((imm >> 3) & 7) << 10) | (((imm >> 6) & 7) << 7) | (rs2 << 2));
    }
    case 'c.jr': need(1); return h(0x8002 | (xreg(ops[0]) << 7));
    case 'c.jalr': need(1); return h(0x9002 | (xreg(ops[0]) << 7));
    case 'c.mv': need(2); return h(0x8002 | (xreg(ops[0]) << 7) | (xreg(ops[1]) << 2));
    case 'c.add': need(2); return h(0x9002 | (xreg(ops[0]) << 7) | (xreg(ops[1]) << 2));
  }
  throw new Error(`unknown compressed instruction '${mn}'`);
}

/** Encoding of one instruction (32-bit, or 16-bit for c. forms; pseudo-instructions must be one instruction). */
export function asm1(line: string): number {
  const stmt = line.trim();
  const sp = stmt.search(/\s/);
  const mn = (sp < 0 ? stmt : stmt.slice(0, sp)).toLowerCase();
  const ops = splitOps(sp < 0 ? '' : stmt.slice(sp + 1));
  const got: Item[] = [];
  try {
    parseStatement(mn, ops, 0, (it) => got.push(it), (ws) => ({ size: ws.length * 4, emit: () => ws }));
  } catch (e) {
    throw new Error(`asm: '${stmt}': ${(e as Error).message}`);
  }
  if (got.length !== 1 || (got[0].size !== 2 && got[0].size !== 4)) throw new Error(`asm1: '${line}' is not one instruction`);
  const out = got[0].emit(0, (n) => { throw new Error(`asm1: label '${n}' not allowed`); });
  if (out instanceof Uint8Array) throw new Error(`asm1: '${line}' is data`);
  return out[0] >>> 0;
}

// ---- running guests -----------------------------------------------------------------------------------

export const RAM_BASE = 0x80000000;
export const TEST_DEVICE = 0x100000;

export interface Guest {
  m: Machine;
  h: Hart;
  prog: Program;
}

/**
 * A machine (M-mode, `-bios none`) with the assembled program at 0x80000000 and the hart's pc
 * there (the boot ROM is skipped). RAM is 8 MiB unless given (the device tree sits at 0x80200000…
 * with 8 MiB, above anything tests place below it).
 */
export function guest(src: string | string[], opts: { ramSize?: number; harts?: number; noReboot?: boolean } = {}): Guest {
  const prog = assemble(src, RAM_BASE);
  const m = Machine.create({ bios: 'none', kernel: prog.bytes, ramSize: opts.ramSize ?? 8 * 1024 * 1024, harts: opts.harts ?? 1, rtcEpochNs: 0n, noReboot: opts.noReboot });
  for (const h of m.harts) h.pc = RAM_BASE;
  return { m, h: m.harts[0], prog };
}

/**
 * Runs hart 0 one step at a time until its pc is at one of `labels` (after at least one step) and
 * returns that label; throws with the hart's state if none is reached within `maxSteps`, or if the
 * machine stops for another reason (poweroff, every hart waiting in WFI…).
 *
 * Steps rather than breakpoints: the engine skips a breakpoint on the first instruction of a run
 * slice (see hart.test.ts, "breakpoints"), and slices begin after every CSR write, xRET and trap.
 */
export function runUntil(g: Guest, labels: string[], maxSteps = 100_000): string {
  const addrs = labels.map((l) => g.prog.at(l));
  for (let i = 0; i < maxSteps; i++) {
    if (i > 0) {
      const k = addrs.indexOf(g.h.pc);
      if (k >= 0) return labels[k];
    }
    const r: StopReason = g.m.run(1);
    if (r.reason !== 'budget') throw new Error(`machine stopped before ${labels.join('/')}: ${JSON.stringify(r)}, ${describe(g.h)}`);
  }
  throw new Error(`guest did not reach ${labels.join('/')} in ${maxSteps} steps: ${describe(g.h)}`);
}

/** runUntil for one label (default 'end'). */
export function runTo(g: Guest, label = 'end', maxSteps = 100_000): void {
  runUntil(g, [label], maxSteps);
}

/** One-line summary of a hart's state for failure messages. */
export function describe(h: Hart): string {
  const c = (n: number): string => `0x${(h.getCsr(n) ?? 0n).toString(16)}`;
  return `pc=0x${h.getPc().toString(16)} priv=${h.getPriv()} mcause=${c(0x342)} mepc=${c(0x341)} mtval=${c(0x343)} scause=${c(0x142)} sepc=${c(0x141)}`;
}

/** Reads `size` bytes of physical RAM as an unsigned bigint (little-endian). */
export function peek(g: Guest, pa: number, size: 1 | 2 | 4 | 8): bigint {
  const off = g.m.board.bus.ramOffset(pa, size);
  if (off < 0) throw new Error(`peek outside RAM: 0x${pa.toString(16)}`);
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(g.m.board.bus.ram[off + i]);
  return v;
}

/** Writes `size` bytes of physical RAM (keeping the decode cache coherent). */
export function poke(g: Guest, pa: number, size: 1 | 2 | 4 | 8, v: bigint): void {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn);
  g.m.board.bus.writeRam(pa, bytes);
}

/** Signed 64-bit view of a register value. */
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
/** Unsigned 64-bit view of a value. */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

// A RISC-V (RV64GC + Zba/Zbb/Zbs + H) disassembler whose text matches GNU objdump's default output
// (binutils 2.40: ABI register names, aliases on, compressed instructions shown expanded), for the
// debug adapter's disassembly view. The instruction forms are in disasm-table.ts.

import { CSR_NAMES } from '../engine/cpu/csr.ts';
import { FORMS_16, FORMS_32, type Form } from './disasm-table.ts';
import { F_NAMES, X_NAMES } from './registers.ts';

export interface DisassembledInstruction {
  /** Length in bytes: 2 (compressed) or 4; 6, 8, 10.. for the longer encodings objdump shows as data. */
  length: number;
  /** The raw bits as a number (16 or 32 bits; the low 32 bits of a longer encoding). */
  bits: number;
  /** Mnemonic as objdump prints it by default (li, mv, ret, j, nop, beqz, csrr, ...). */
  mnemonic: string;
  /** Operands as objdump prints them, e.g. "a0,a1,-16", "ra,0(sp)", "0x80200010" for branch/jump targets. */
  operands: string;
  /** Absolute target of a pc-relative branch or jump. */
  target?: bigint;
}

/** Rounding modes by rm field; dyn (7) is left out of the text, and 5, 6 are reserved (objdump's words). */
const ROUNDING_MODES = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'unknown', 'unknown', ''] as const;

const hex = (n: number): string => `0x${n.toString(16)}`;
/** Bits hi..lo of w, moved down to bit 0. */
const bits = (w: number, hi: number, lo: number): number => (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
/** Sign-extends the low `width` bits. */
const signed = (v: number, width: number): number => (v << (32 - width)) >> (32 - width);
const fenceSet = (v: number): string =>
  v === 0 ? 'unknown' : ['i', 'o', 'r', 'w'].filter((_, i) => (v & (8 >> i)) !== 0).join('');

// ---- immediates (32-bit forms; w is the instruction as int32) ----
const immI = (w: number): number => w >> 20;
const immS = (w: number): number => ((w >> 25) << 5) | bits(w, 11, 7);
const immB = (w: number): number =>
  ((w >> 31) << 12) | (bits(w, 7, 7) << 11) | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1);
const immJ = (w: number): number =>
  ((w >> 31) << 20) | (bits(w, 19, 12) << 12) | (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1);

// ---- immediates (16-bit forms) ----
const cImm6 = (w: number): number => signed((bits(w, 12, 12) << 5) | bits(w, 6, 2), 6);
const cBranch = (w: number): number => signed(
  (bits(w, 12, 12) << 8) | (bits(w, 11, 10) << 3) | (bits(w, 6, 5) << 6) | (bits(w, 4, 3) << 1) | (bits(w, 2, 2) << 5), 9);
const cJump = (w: number): number => signed(
  (bits(w, 12, 12) << 11) | (bits(w, 11, 11) << 4) | (bits(w, 10, 9) << 8) | (bits(w, 8, 8) << 10) |
  (bits(w, 7, 7) << 6) | (bits(w, 6, 6) << 7) | (bits(w, 5, 3) << 1) | (bits(w, 2, 2) << 5), 12);

/** Operand renderers by the names used in disasm-table.ts. */
const OPERANDS: Readonly<Record<string, (w: number) => string>> = {
  rd: (w) => X_NAMES[bits(w, 11, 7)],
  rs1: (w) => X_NAMES[bits(w, 19, 15)],
  rs2: (w) => X_NAMES[bits(w, 24, 20)],
  fd: (w) => F_NAMES[bits(w, 11, 7)],
  fs1: (w) => F_NAMES[bits(w, 19, 15)],
  fs2: (w) => F_NAMES[bits(w, 24, 20)],
  fs3: (w) => F_NAMES[bits(w, 31, 27)],
  imm: (w) => String(immI(w)),
  simm: (w) => String(immS(w)),
  uimm20: (w) => hex(w >>> 12),
  shamt: (w) => hex(bits(w, 25, 20)),
  shamtw: (w) => hex(bits(w, 24, 20)),
  csr: (w) => CSR_NAMES.get(w >>> 20) ?? hex(w >>> 20),
  zimm: (w) => String(bits(w, 19, 15)),
  rm: (w) => ROUNDING_MODES[bits(w, 14, 12)],
  pred: (w) => fenceSet(bits(w, 27, 24)),
  succ: (w) => fenceSet(bits(w, 23, 20)),
  // compressed
  sp: () => 'sp',
  crd: (w) => X_NAMES[bits(w, 11, 7)],
  crs2: (w) => X_NAMES[bits(w, 6, 2)],
  cfrd: (w) => F_NAMES[bits(w, 11, 7)],
  cfrs2: (w) => F_NAMES[bits(w, 6, 2)],
  crs1p: (w) => X_NAMES[8 + bits(w, 9, 7)],
  crs2p: (w) => X_NAMES[8 + bits(w, 4, 2)],
  cfrs2p: (w) => F_NAMES[8 + bits(w, 4, 2)],
  cimm: (w) => String(cImm6(w)),
  cshamt: (w) => hex((bits(w, 12, 12) << 5) | bits(w, 6, 2)),
  clui: (w) => hex(cImm6(w) & 0xfffff),
  caddi16sp: (w) => String(signed(
    (bits(w, 12, 12) << 9) | (bits(w, 4, 3) << 7) | (bits(w, 5, 5) << 6) | (bits(w, 2, 2) << 5) | (bits(w, 6, 6) << 4), 10)),
  caddi4spn: (w) => String((bits(w, 12, 11) << 4) | (bits(w, 10, 7) << 6) | (bits(w, 6, 6) << 2) | (bits(w, 5, 5) << 3)),
  clw: (w) => String((bits(w, 12, 10) << 3) | (bits(w, 6, 6) << 2) | (bits(w, 5, 5) << 6)),
  cld: (w) => String((bits(w, 12, 10) << 3) | (bits(w, 6, 5) << 6)),
  clwsp: (w) => String((bits(w, 12, 12) << 5) | (bits(w, 6, 4) << 2) | (bits(w, 3, 2) << 6)),
  cldsp: (w) => String((bits(w, 12, 12) << 5) | (bits(w, 6, 5) << 3) | (bits(w, 4, 2) << 6)),
  cswsp: (w) => String((bits(w, 12, 9) << 2) | (bits(w, 8, 7) << 6)),
  csdsp: (w) => String((bits(w, 12, 10) << 3) | (bits(w, 9, 7) << 6)),
};

/** pc-relative operands: their offset from the instruction's address; rendered as the target address. */
const TARGETS: Readonly<Record<string, (w: number) => number>> = {
  btarget: immB,
  jtarget: immJ,
  cbtarget: cBranch,
  cjtarget: cJump,
};

/** A piece of an operand slot: literal text, an operand, or the target address ("imm(rs1)" → imm, "(", rs1, ")"). */
type Piece = string | { operand: (w: number) => string } | { target: true };

interface CompiledForm {
  form: Form;
  slots: Piece[][];
  target?: (w: number) => number;
}

function compile(form: Form): CompiledForm {
  let target: ((w: number) => number) | undefined;
  const slots = form.operands === '' ? [] : form.operands.split(',').map((slot) =>
    slot.split(/([a-z][a-z0-9]*)/).filter((s) => s !== '').map((piece): Piece => {
      if (!/^[a-z]/.test(piece)) return piece;
      if (Object.hasOwn(OPERANDS, piece)) return { operand: OPERANDS[piece] };
      if (!Object.hasOwn(TARGETS, piece)) throw new Error(`disassembler table: unknown operand "${piece}" in ${form.name}`);
      target = TARGETS[piece];
      return { target: true };
    }));
  return { form, slots, target };
}

/** Forms grouped by the bits every form's mask covers: the major opcode, or quadrant and funct3. */
function index(forms: readonly Form[], key: (w: number) => number, keyMask: number): Map<number, CompiledForm[]> {
  const byKey = new Map<number, CompiledForm[]>();
  for (const form of forms) {
    if ((form.mask & keyMask) !== keyMask) throw new Error(`disassembler table: ${form.name} leaves opcode bits open`);
    const k = key(form.match);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(compile(form));
  }
  return byKey;
}

const key32 = (w: number): number => w & 0x7f;
const key16 = (w: number): number => (w & 3) | (bits(w, 15, 13) << 2);
const FORMS_32_BY_OPCODE = index(FORMS_32, key32, 0x7f);
const FORMS_16_BY_OPCODE = index(FORMS_16, key16, 0xe003);

/** The length in bytes of the instruction whose first 16 bits are `low` (the ISA's length encoding). */
export function instructionLength(low: number): number {
  if ((low & 3) !== 3) return 2;
  if ((low & 0x1f) !== 0x1f) return 4;
  if ((low & 0x3f) === 0x1f) return 6;
  if ((low & 0x7f) === 0x3f) return 8;
  const n = bits(low, 14, 12);
  return n === 7 ? 2 : 10 + 2 * n; // n = 7 is reserved; objdump steps over it as 2 bytes
}

const MASK64 = (1n << 64n) - 1n;

function render(compiled: CompiledForm, w: number, pc: bigint, length: number): DisassembledInstruction {
  const target = compiled.target ? (pc + BigInt(compiled.target(w))) & MASK64 : undefined;
  const targetText = `0x${target?.toString(16)}`;
  const slots = compiled.slots
    .map((pieces) => pieces.map((p) => typeof p === 'string' ? p : 'operand' in p ? p.operand(w) : targetText).join(''))
    .filter((text) => text !== '');
  return { length, bits: w >>> 0, mnemonic: compiled.form.name, operands: slots.join(','), ...(target === undefined ? {} : { target }) };
}

/** Bytes objdump cannot decode, in its data spellings (.2byte/.4byte/.8byte/.byte). */
function data(bytes: Uint8Array, length: number): DisassembledInstruction {
  const available = bytes.subarray(0, length);
  let value = 0n;
  for (let i = available.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(available[i]);
  const word = Number(value & 0xffffffffn);
  const sized = available.length === length && (length === 2 || length === 4 || length === 8);
  return {
    length,
    bits: word,
    mnemonic: sized ? `.${length}byte` : '.byte',
    operands: sized ? `0x${value.toString(16)}` : Array.from(available, (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', '),
  };
}

/**
 * Decodes one instruction at pc from bytes (little-endian; at least 2 bytes, and as many as the length
 * encoding in the first 16 bits asks for). Undecodable bits come back as objdump's data directives
 * (".4byte 0x..."); a longer encoding cut short by the end of `bytes` comes back as ".byte" of what is there.
 */
export function disassembleOne(bytes: Uint8Array, pc: bigint): DisassembledInstruction {
  if (bytes.length < 2) throw new Error(`disassembleOne: need at least 2 bytes at 0x${pc.toString(16)}, got ${bytes.length}`);
  const low = bytes[0] | (bytes[1] << 8);
  const length = instructionLength(low);
  if (bytes.length < length) return data(bytes, length);
  if (length === 2) {
    for (const c of FORMS_16_BY_OPCODE.get(key16(low)) ?? []) {
      if ((low & c.form.mask) === c.form.match && (!c.form.when || c.form.when(low))) return render(c, low, pc, 2);
    }
    return data(bytes, 2);
  }
  if (length === 4) {
    const w = low | (bytes[2] << 16) | (bytes[3] << 24);
    for (const c of FORMS_32_BY_OPCODE.get(key32(w)) ?? []) {
      if ((w & c.form.mask) === c.form.match && (!c.form.when || c.form.when(w))) return render(c, w, pc, 4);
    }
  }
  return data(bytes, length);
}

/**
 * The instruction as objdump's text, the mnemonic padded to the next tab stop (8 columns). A target that
 * symbolAt names is written as objdump does, without "0x" and with the symbol: "jal     80200abc <kmain+0x10>".
 */
export function formatInstruction(insn: DisassembledInstruction, symbolAt?: (addr: bigint) => string | undefined): string {
  if (insn.operands === '') return insn.mnemonic;
  const padded = insn.mnemonic.padEnd((Math.floor(insn.mnemonic.length / 8) + 1) * 8);
  const symbol = insn.target !== undefined ? symbolAt?.(insn.target) : undefined;
  const address = `0x${insn.target?.toString(16)}`;
  if (!symbol || !insn.operands.endsWith(address)) return `${padded}${insn.operands}`;
  return `${padded}${insn.operands.slice(0, -address.length)}${insn.target!.toString(16)} <${symbol}>`;
}

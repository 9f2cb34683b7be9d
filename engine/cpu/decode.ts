// Instruction decoding: a 32-bit word (or a 16-bit compressed one, expanded first) becomes one
// packed entry of the pre-decoded instruction cache (see ops.ts for the packing).

import { Op } from './ops.ts';
import { DYN, F_ADD, F_CMP, F_DIV, F_MUL, F_SQRT, F_SUB, OP_FP, RNE } from './fpu.ts';

/** Register x0's results go to slot 32 (the sink), so writes never need a check. */
const SINK = 32;

/** w0 of an instruction (register numbers; see ops.ts). */
export function pack(op: Op, rd: number, rs1: number, rs2: number): number {
  return op | (rd << 9) | (rs1 << 16) | (rs2 << 22);
}

/** Packs with rd mapped to the sink when it is x0 (integer destinations only). */
function packRd(op: Op, rd: number, rs1: number, rs2: number): number {
  return pack(op, rd === 0 ? SINK : rd, rs1, rs2);
}

/** Field accessors for w0 (all return register numbers times two, i.e. Int32Array indices of the low half). */
export const W0_OP_MASK = 0xff;
export const W0_COMPRESSED = 1 << 8;
export const rdIdx = (w0: number): number => (w0 >>> 8) & 0x7e;
export const rs1Idx = (w0: number): number => (w0 >>> 15) & 0x7e;
export const rs2Idx = (w0: number): number => (w0 >>> 21) & 0x7e;

export interface Decoded {
  w0: number;
  imm: number;
}

const immI = (i: number): number => i >> 20;
const immS = (i: number): number => ((i >> 25) << 5) | ((i >>> 7) & 0x1f);
const immB = (i: number): number =>
  ((i >> 31) << 12) | (((i >>> 7) & 1) << 11) | (((i >>> 25) & 0x3f) << 5) | (((i >>> 8) & 0xf) << 1);
const immU = (i: number): number => i & 0xfffff000;
const immJ = (i: number): number =>
  ((i >> 31) << 20) | (((i >>> 12) & 0xff) << 12) | (((i >>> 20) & 1) << 11) | (((i >>> 21) & 0x3ff) << 1);

const BRANCH_OPS = [Op.BEQ, Op.BNE, Op.ILLEGAL, Op.ILLEGAL, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
const LOAD_OPS = [Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU, Op.ILLEGAL];
const STORE_OPS = [Op.SB, Op.SH, Op.SW, Op.SD];
const OPIMM_OPS = [Op.ADDI, Op.SLLI, Op.SLTI, Op.SLTIU, Op.XORI, Op.SRLI, Op.ORI, Op.ANDI];
const OP_OPS = [Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND];
const MUL_OPS = [Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU];
const MULW_OPS = [Op.MULW, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.DIVW, Op.DIVUW, Op.REMW, Op.REMUW];
const CSR_OPS = [Op.ILLEGAL, Op.CSRRW, Op.CSRRS, Op.CSRRC, Op.ILLEGAL, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI];
const VALID_AMO = new Set([0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]);

/** Decodes a 32-bit instruction. Unknown or reserved encodings give Op.ILLEGAL with imm = the word. */
export function decode32(i: number): Decoded {
  const opcode = i & 0x7f;
  const rd = (i >>> 7) & 0x1f;
  const f3 = (i >>> 12) & 7;
  const rs1 = (i >>> 15) & 0x1f;
  const rs2 = (i >>> 20) & 0x1f;
  const f7 = i >>> 25;
  const ill: Decoded = { w0: Op.ILLEGAL, imm: i };
  const r = (op: Op, imm: number): Decoded => (op === Op.ILLEGAL ? ill : { w0: packRd(op, rd, rs1, rs2), imm });
  switch (opcode) {
    case 0x37: return r(Op.LUI, immU(i));
    case 0x17: return r(Op.AUIPC, immU(i));
    case 0x6f: return r(Op.JAL, immJ(i));
    case 0x67: return f3 === 0 ? r(Op.JALR, immI(i)) : ill;
    case 0x63: return BRANCH_OPS[f3] === Op.ILLEGAL ? ill : { w0: pack(BRANCH_OPS[f3], 0, rs1, rs2), imm: immB(i) };
    case 0x03: return r(LOAD_OPS[f3], immI(i));
    case 0x23: return f3 < 4 ? { w0: pack(STORE_OPS[f3], 0, rs1, rs2), imm: immS(i) } : ill;
    case 0x13: {
      const f6 = i >>> 26;
      const shamt = (i >>> 20) & 0x3f;
      if (f3 === 1) {
        if (f6 === 0) return r(Op.SLLI, shamt);
        if (f6 === 0x0a) return r(Op.BSETI, shamt);
        if (f6 === 0x12) return r(Op.BCLRI, shamt);
        if (f6 === 0x1a) return r(Op.BINVI, shamt);
        if (f7 === 0x30) {
          if (rs2 === 0) return r(Op.CLZ, 0);
          if (rs2 === 1) return r(Op.CTZ, 0);
          if (rs2 === 2) return r(Op.CPOP, 0);
          if (rs2 === 4) return r(Op.SEXT_B, 0);
          if (rs2 === 5) return r(Op.SEXT_H, 0);
        }
        return ill;
      }
      if (f3 === 5) {
        if (f6 === 0) return r(Op.SRLI, shamt);
        if (f6 === 0x10) return r(Op.SRAI, shamt);
        if (f6 === 0x18) return r(Op.RORI, shamt);
        if (f6 === 0x12) return r(Op.BEXTI, shamt);
        if ((i >>> 20) === 0x287) return r(Op.ORC_B, 0);
        if ((i >>> 20) === 0x6b8) return r(Op.REV8, 0);
        return ill;
      }
      return r(OPIMM_OPS[f3], immI(i));
    }
    case 0x1b: {
      const shamt = rs2;
      if (f3 === 0) return r(Op.ADDIW, immI(i));
      if (f3 === 1) {
        if (f7 === 0) return r(Op.SLLIW, shamt);
        if ((i >>> 26) === 0x02) return r(Op.SLLI_UW, (i >>> 20) & 0x3f);
        if (f7 === 0x30) {
          if (rs2 === 0) return r(Op.CLZW, 0);
          if (rs2 === 1) return r(Op.CTZW, 0);
          if (rs2 === 2) return r(Op.CPOPW, 0);
        }
        return ill;
      }
      if (f3 === 5) {
        if (f7 === 0) return r(Op.SRLIW, shamt);
        if (f7 === 0x20) return r(Op.SRAIW, shamt);
        if (f7 === 0x30) return r(Op.RORIW, shamt);
      }
      return ill;
    }
    case 0x33: {
      if (f7 === 0) return r(OP_OPS[f3], 0);
      if (f7 === 1) return r(MUL_OPS[f3], 0);
      if (f7 === 0x20) {
        if (f3 === 0) return r(Op.SUB, 0);
        if (f3 === 5) return r(Op.SRA, 0);
        if (f3 === 4) return r(Op.XNOR, 0);
        if (f3 === 6) return r(Op.ORN, 0);
        if (f3 === 7) return r(Op.ANDN, 0);
        return ill;
      }
      if (f7 === 0x10) {
        if (f3 === 2) return r(Op.SH1ADD, 0);
        if (f3 === 4) return r(Op.SH2ADD, 0);
        if (f3 === 6) return r(Op.SH3ADD, 0);
        return ill;
      }
      if (f7 === 0x05) {
        if (f3 === 4) return r(Op.MIN, 0);
        if (f3 === 5) return r(Op.MINU, 0);
        if (f3 === 6) return r(Op.MAX, 0);
        if (f3 === 7) return r(Op.MAXU, 0);
        return ill;
      }
      if (f7 === 0x30) {
        if (f3 === 1) return r(Op.ROL, 0);
        if (f3 === 5) return r(Op.ROR, 0);
        return ill;
      }
      if (f7 === 0x24) {
        if (f3 === 1) return r(Op.BCLR, 0);
        if (f3 === 5) return r(Op.BEXT, 0);
        return ill;
      }
      if (f7 === 0x34 && f3 === 1) return r(Op.BINV, 0);
      if (f7 === 0x14 && f3 === 1) return r(Op.BSET, 0);
      return ill;
    }
    case 0x3b: {
      if (f7 === 0) {
        if (f3 === 0) return r(Op.ADDW, 0);
        if (f3 === 1) return r(Op.SLLW, 0);
        if (f3 === 5) return r(Op.SRLW, 0);
        return ill;
      }
      if (f7 === 0x20) {
        if (f3 === 0) return r(Op.SUBW, 0);
        if (f3 === 5) return r(Op.SRAW, 0);
        return ill;
      }
      if (f7 === 1) return r(MULW_OPS[f3], 0);
      if (f7 === 0x04) {
        if (f3 === 0) return r(Op.ADD_UW, 0);
        if (f3 === 4 && rs2 === 0) return r(Op.ZEXT_H, 0);
        return ill;
      }
      if (f7 === 0x10) {
        if (f3 === 2) return r(Op.SH1ADD_UW, 0);
        if (f3 === 4) return r(Op.SH2ADD_UW, 0);
        if (f3 === 6) return r(Op.SH3ADD_UW, 0);
        return ill;
      }
      if (f7 === 0x30) {
        if (f3 === 1) return r(Op.ROLW, 0);
        if (f3 === 5) return r(Op.RORW, 0);
      }
      return ill;
    }
    case 0x0f:
      if (f3 === 0) return r(Op.FENCE, 0); // also PAUSE (Zihintpause) and other hints
      if (f3 === 1) return r(Op.FENCE_I, 0);
      return ill;
    case 0x73: {
      if (f3 === 0) {
        if (i === 0x00000073) return r(Op.ECALL, 0);
        if (i === 0x00100073) return r(Op.EBREAK, 0);
        if (i === 0x30200073) return r(Op.MRET, 0);
        if (i === 0x10200073) return r(Op.SRET, 0);
        if (i === 0x10500073) return r(Op.WFI, 0);
        if (f7 === 0x09 && rd === 0) return r(Op.SFENCE_VMA, 0);
        return ill;
      }
      const op = CSR_OPS[f3];
      if (op === Op.ILLEGAL) return ill;
      return { w0: packRd(op, rd, rs1, 0), imm: i >>> 20 };
    }
    case 0x2f: {
      const f5 = i >>> 27;
      if (f3 !== 2 && f3 !== 3) return ill;
      const dbl = f3 === 3;
      if (f5 === 0x02) return rs2 === 0 ? r(dbl ? Op.LR_D : Op.LR_W, 0) : ill;
      if (f5 === 0x03) return r(dbl ? Op.SC_D : Op.SC_W, 0);
      return VALID_AMO.has(f5) ? r(dbl ? Op.AMO_D : Op.AMO_W, f5) : ill;
    }
    // F/D loads and stores: rd/rs2 name float registers (no sink mapping).
    case 0x07:
      if (f3 === 2) return { w0: pack(Op.FLW, rd, rs1, 0), imm: immI(i) };
      if (f3 === 3) return { w0: pack(Op.FLD, rd, rs1, 0), imm: immI(i) };
      return ill;
    case 0x27:
      if (f3 === 2) return { w0: pack(Op.FSW, 0, rs1, rs2), imm: immS(i) };
      if (f3 === 3) return { w0: pack(Op.FSD, 0, rs1, rs2), imm: immS(i) };
      return ill;
    case 0x53: case 0x43: case 0x47: case 0x4b: case 0x4f: {
      const op = fpOp(i);
      return { w0: op === Op.FCMP_D ? packRd(op, rd, 0, 0) : op, imm: i };
    }
  }
  return ill;
}

/**
 * The op of an F/D computational instruction: binary64 compares, and arithmetic rounding to nearest-even or
 * by frm, have their own (the hart's fast paths), everything else is FP. All keep the whole word in imm
 * for fpu.ts.
 */
function fpOp(i: number): Op {
  const f3 = (i >>> 12) & 7;
  if (((i >>> 25) & 3) !== 1) return Op.FP; // binary64 only
  if ((i & 0x7f) === OP_FP && (i >>> 27) === F_CMP) return f3 <= 2 ? Op.FCMP_D : Op.FP;
  if (f3 !== RNE && f3 !== DYN) return Op.FP; // f3 is rm
  if ((i & 0x7f) !== OP_FP) return Op.FMA_D; // FMADD/FMSUB/FNMSUB/FNMADD
  switch (i >>> 27) {
    case F_ADD: case F_SUB: return Op.FADD_D;
    case F_MUL: return Op.FMUL_D;
    case F_DIV: return Op.FDIV_D;
    case F_SQRT: return ((i >>> 20) & 0x1f) === 0 ? Op.FSQRT_D : Op.FP;
  }
  return Op.FP;
}

// ---- RVC: expand a 16-bit instruction to the 32-bit instruction it stands for (0 = illegal). ----

const encR = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const encI = (imm: number, rs1: number, f3: number, rd: number, opc: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const encS = (imm: number, rs2: number, rs1: number, f3: number, opc: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opc) >>> 0;
const encB = (imm: number, rs2: number, rs1: number, f3: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
const encJ = (imm: number, rd: number): number =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;

const bit = (c: number, b: number): number => (c >>> b) & 1;
const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);

/** Expands a compressed instruction (RV64C with the D-extension forms) to its 32-bit equivalent; 0 if illegal/reserved. */
export function expandCompressed(c: number): number {
  const q = c & 3;
  const f3 = (c >>> 13) & 7;
  const rdp = ((c >>> 2) & 7) + 8; // rd'/rs2' at bits 4:2
  const rs1p = ((c >>> 7) & 7) + 8; // rs1'/rd' at bits 9:7
  const rd = (c >>> 7) & 0x1f;
  const rs2 = (c >>> 2) & 0x1f;
  if (q === 0) {
    switch (f3) {
      case 0: { // C.ADDI4SPN
        const imm = (bit(c, 5) << 3) | (bit(c, 6) << 2) | (((c >>> 7) & 0xf) << 6) | (((c >>> 11) & 3) << 4);
        return imm === 0 ? 0 : encI(imm, 2, 0, rdp, 0x13);
      }
      case 1: { // C.FLD
        const imm = (((c >>> 10) & 7) << 3) | (((c >>> 5) & 3) << 6);
        return encI(imm, rs1p, 3, rdp, 0x07);
      }
      case 2: { // C.LW
        const imm = (((c >>> 10) & 7) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6);
        return encI(imm, rs1p, 2, rdp, 0x03);
      }
      case 3: { // C.LD
        const imm = (((c >>> 10) & 7) << 3) | (((c >>> 5) & 3) << 6);
        return encI(imm, rs1p, 3, rdp, 0x03);
      }
      case 5: { // C.FSD
        const imm = (((c >>> 10) & 7) << 3) | (((c >>> 5) & 3) << 6);
        return encS(imm, rdp, rs1p, 3, 0x27);
      }
      case 6: { // C.SW
        const imm = (((c >>> 10) & 7) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6);
        return encS(imm, rdp, rs1p, 2, 0x23);
      }
      case 7: { // C.SD
        const imm = (((c >>> 10) & 7) << 3) | (((c >>> 5) & 3) << 6);
        return encS(imm, rdp, rs1p, 3, 0x23);
      }
    }
    return 0;
  }
  if (q === 1) {
    const imm6 = sext((bit(c, 12) << 5) | ((c >>> 2) & 0x1f), 6);
    switch (f3) {
      case 0: return encI(imm6, rd, 0, rd, 0x13); // C.ADDI (C.NOP when rd = 0)
      case 1: return rd === 0 ? 0 : encI(imm6, rd, 0, rd, 0x1b); // C.ADDIW
      case 2: return encI(imm6, 0, 0, rd, 0x13); // C.LI
      case 3: {
        if (rd === 2) { // C.ADDI16SP
          const imm = sext((bit(c, 12) << 9) | (bit(c, 6) << 4) | (bit(c, 5) << 6) | (((c >>> 3) & 3) << 7) | (bit(c, 2) << 5), 10);
          return imm === 0 ? 0 : encI(imm, 2, 0, 2, 0x13);
        }
        if (imm6 === 0) return 0; // C.LUI with nzimm = 0 is reserved
        return ((imm6 << 12) | (rd << 7) | 0x37) >>> 0;
      }
      case 4: {
        const f2 = (c >>> 10) & 3;
        const shamt = (bit(c, 12) << 5) | ((c >>> 2) & 0x1f);
        if (f2 === 0) return encI(shamt, rs1p, 5, rs1p, 0x13); // C.SRLI
        if (f2 === 1) return encI(shamt | 0x400, rs1p, 5, rs1p, 0x13); // C.SRAI
        if (f2 === 2) return encI(imm6, rs1p, 7, rs1p, 0x13); // C.ANDI
        const f = (bit(c, 12) << 2) | ((c >>> 5) & 3);
        switch (f) {
          case 0: return encR(0x20, rdp, rs1p, 0, rs1p, 0x33); // C.SUB
          case 1: return encR(0, rdp, rs1p, 4, rs1p, 0x33); // C.XOR
          case 2: return encR(0, rdp, rs1p, 6, rs1p, 0x33); // C.OR
          case 3: return encR(0, rdp, rs1p, 7, rs1p, 0x33); // C.AND
          case 4: return encR(0x20, rdp, rs1p, 0, rs1p, 0x3b); // C.SUBW
          case 5: return encR(0, rdp, rs1p, 0, rs1p, 0x3b); // C.ADDW
        }
        return 0;
      }
      case 5: { // C.J
        const imm = sext((bit(c, 12) << 11) | (bit(c, 11) << 4) | (((c >>> 9) & 3) << 8) | (bit(c, 8) << 10) |
          (bit(c, 7) << 6) | (bit(c, 6) << 7) | (((c >>> 3) & 7) << 1) | (bit(c, 2) << 5), 12);
        return encJ(imm, 0);
      }
      case 6: case 7: { // C.BEQZ / C.BNEZ
        const imm = sext((bit(c, 12) << 8) | (((c >>> 10) & 3) << 3) | (((c >>> 5) & 3) << 6) | (((c >>> 3) & 3) << 1) | (bit(c, 2) << 5), 9);
        return encB(imm, 0, rs1p, f3 === 6 ? 0 : 1);
      }
    }
    return 0;
  }
  if (q === 2) {
    switch (f3) {
      case 0: { // C.SLLI
        const shamt = (bit(c, 12) << 5) | rs2;
        return encI(shamt, rd, 1, rd, 0x13);
      }
      case 1: { // C.FLDSP
        const imm = (bit(c, 12) << 5) | (((c >>> 5) & 3) << 3) | (((c >>> 2) & 7) << 6);
        return encI(imm, 2, 3, rd, 0x07);
      }
      case 2: { // C.LWSP
        if (rd === 0) return 0;
        const imm = (bit(c, 12) << 5) | (((c >>> 4) & 7) << 2) | (((c >>> 2) & 3) << 6);
        return encI(imm, 2, 2, rd, 0x03);
      }
      case 3: { // C.LDSP
        if (rd === 0) return 0;
        const imm = (bit(c, 12) << 5) | (((c >>> 5) & 3) << 3) | (((c >>> 2) & 7) << 6);
        return encI(imm, 2, 3, rd, 0x03);
      }
      case 4: {
        if (bit(c, 12) === 0) {
          if (rs2 === 0) return rd === 0 ? 0 : encI(0, rd, 0, 0, 0x67); // C.JR
          return encR(0, rs2, 0, 0, rd, 0x33); // C.MV
        }
        if (rs2 === 0) {
          if (rd === 0) return 0x00100073; // C.EBREAK
          return encI(0, rd, 0, 1, 0x67); // C.JALR
        }
        return encR(0, rs2, rd, 0, rd, 0x33); // C.ADD
      }
      case 5: { // C.FSDSP
        const imm = (((c >>> 10) & 7) << 3) | (((c >>> 7) & 7) << 6);
        return encS(imm, rs2, 2, 3, 0x27);
      }
      case 6: { // C.SWSP
        const imm = (((c >>> 9) & 0xf) << 2) | (((c >>> 7) & 3) << 6);
        return encS(imm, rs2, 2, 2, 0x23);
      }
      case 7: { // C.SDSP
        const imm = (((c >>> 10) & 7) << 3) | (((c >>> 7) & 7) << 6);
        return encS(imm, rs2, 2, 3, 0x23);
      }
    }
  }
  return 0;
}

/**
 * Decodes the instruction whose first 16-bit parcel is `lo16` (and, for 32-bit instructions,
 * whose second parcel is `hi16`). Compressed instructions get W0_COMPRESSED; an illegal
 * compressed instruction keeps its 16 bits as imm (what xtval reports).
 */
export function decodeParcels(lo16: number, hi16: number): Decoded {
  if ((lo16 & 3) !== 3) {
    const w = expandCompressed(lo16);
    if (w === 0) return { w0: Op.ILLEGAL | W0_COMPRESSED, imm: lo16 };
    const d = decode32(w | 0);
    if ((d.w0 & W0_OP_MASK) === Op.ILLEGAL) return { w0: Op.ILLEGAL | W0_COMPRESSED, imm: lo16 };
    return { w0: d.w0 | W0_COMPRESSED, imm: d.imm };
  }
  if ((lo16 & 0x1f) === 0x1f) return { w0: Op.ILLEGAL, imm: lo16 | (hi16 << 16) }; // ≥48-bit encodings: not implemented
  return decode32(lo16 | (hi16 << 16));
}

/** True if the parcel starts a 32-bit instruction (needs a second parcel). */
export const isLongParcel = (lo16: number): boolean => (lo16 & 3) === 3;

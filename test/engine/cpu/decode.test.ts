// Decoder tests (engine/cpu/decode.ts): every instruction class against encodings produced by
// riscv64-unknown-elf-as 2.40 (objdump -M no-aliases), every RVC form against the 32-bit instruction
// gas produces for its expansion, an exhaustive sweep of the 16-bit space against the test
// assembler's own compressed encoder, and the reserved/illegal encodings.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decode32, decodeParcels, expandCompressed, rdIdx, rs1Idx, rs2Idx, W0_COMPRESSED, W0_OP_MASK } from '../../../engine/cpu/decode.ts';
import { OP_NAMES } from '../../../engine/cpu/ops.ts';
import { asm1, encI, encR, REG } from '../../helpers/asm.ts';

const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
const opName = (w0: number): string => OP_NAMES[w0 & W0_OP_MASK];
/** Register number as the decoder reports it (x0 as a destination is the sink, 32). */
const fld = (idx: number): number => idx >> 1;

// [encoding (gas), text (test assembler syntax), op, rd, rs1, rs2, imm]. rd = 32 means "the sink" (x0).
// rs1/rs2 are checked only for ops that read them (other bits of those fields belong to immediates);
// rd is always checked (stores and branches pack 0).
type Row = [number, string, string, number, number, number, number];
const R = REG;
const ROWS: Row[] = [
  [0xfffff537, 'lui a0, 0xfffff', 'LUI', R.a0, 0, 31, -4096],
  [0x12345fb7, 'lui t6, 0x12345', 'LUI', R.t6, 8, 3, 0x12345000],
  [0x80000117, 'auipc sp, 0x80000', 'AUIPC', R.sp, 0, 0, -0x80000000],
  [0x7fe000ef, 'jal ra, 0x7fe', 'JAL', R.ra, 0, 30, 0x7fe],
  [0x8000006f, 'jal zero, -0x100000', 'JAL', 32, 0, 0, -0x100000],
  [0x800582e7, 'jalr t0, -2048(a1)', 'JALR', R.t0, R.a1, 0, -2048],
  [0x80b50063, 'beq a0, a1, -4096', 'BEQ', 0, R.a0, R.a1, -4096],
  [0x7e1f9fe3, 'bne x31, x1, 4094', 'BNE', 0, 31, 1, 4094],
  [0x00944463, 'blt s0, s1, 8', 'BLT', 0, R.s0, R.s1, 8],
  [0xfed65fe3, 'bge a2, a3, -2', 'BGE', 0, R.a2, R.a3, -2],
  [0x0062e0e3, 'bltu t0, t1, 0x800', 'BLTU', 0, R.t0, R.t1, 0x800],
  [0x00007163, 'bgeu zero, zero, 2', 'BGEU', 0, 0, 0, 2],
  [0xfff10503, 'lb a0, -1(sp)', 'LB', R.a0, R.sp, 31, -1],
  [0x7ff61583, 'lh a1, 2047(a2)', 'LH', R.a1, R.a2, 31, 2047],
  [0x80032283, 'lw t0, -2048(t1)', 'LW', R.t0, R.t1, 0, -2048],
  [0x008d3d83, 'ld s11, 8(s10)', 'LD', R.s11, R.s10, 8, 8],
  [0x00054503, 'lbu a0, 0(a0)', 'LBU', R.a0, R.a0, 0, 0],
  [0x00675783, 'lhu a5, 6(a4)', 'LHU', R.a5, R.a4, 6, 6],
  [0xffcf6f83, 'lwu x31, -4(x30)', 'LWU', 31, 30, 28, -4],
  [0xfea10fa3, 'sb a0, -1(sp)', 'SB', 0, R.sp, R.a0, -1],
  [0x7fff1fa3, 'sh t6, 2047(t5)', 'SH', 0, R.t5, R.t6, 2047],
  [0x80b62023, 'sw a1, -2048(a2)', 'SW', 0, R.a2, R.a1, -2048],
  [0x00113423, 'sd ra, 8(sp)', 'SD', 0, R.sp, R.ra, 8],
  [0x80058513, 'addi a0, a1, -2048', 'ADDI', R.a0, R.a1, 0, -2048],
  [0x7ff5a513, 'slti a0, a1, 2047', 'SLTI', R.a0, R.a1, 31, 2047],
  [0xfff5b513, 'sltiu a0, a1, -1', 'SLTIU', R.a0, R.a1, 31, -1],
  [0x5555c513, 'xori a0, a1, 0x555', 'XORI', R.a0, R.a1, 21, 0x555],
  [0xf005e513, 'ori a0, a1, -256', 'ORI', R.a0, R.a1, 0, -256],
  [0x0ff5f513, 'andi a0, a1, 255', 'ANDI', R.a0, R.a1, 15, 255],
  [0x03f59513, 'slli a0, a1, 63', 'SLLI', R.a0, R.a1, 31, 63],
  [0x0205d513, 'srli a0, a1, 32', 'SRLI', R.a0, R.a1, 0, 32],
  [0x4015d513, 'srai a0, a1, 1', 'SRAI', R.a0, R.a1, 1, 1],
  [0x00c58533, 'add a0, a1, a2', 'ADD', R.a0, R.a1, R.a2, 0],
  [0x407302b3, 'sub t0, t1, t2', 'SUB', R.t0, R.t1, R.t2, 0],
  [0x01249433, 'sll s0, s1, s2', 'SLL', R.s0, R.s1, R.s2, 0],
  [0x00f726b3, 'slt a3, a4, a5', 'SLT', R.a3, R.a4, R.a5, 0],
  [0x0128b833, 'sltu a6, a7, s2', 'SLTU', R.a6, R.a7, R.s2, 0],
  [0x015a49b3, 'xor s3, s4, s5', 'XOR', R.s3, R.s4, R.s5, 0],
  [0x018bdb33, 'srl s6, s7, s8', 'SRL', R.s6, R.s7, R.s8, 0],
  [0x41bd5cb3, 'sra s9, s10, s11', 'SRA', R.s9, R.s10, R.s11, 0],
  [0x01eeee33, 'or t3, t4, t5', 'OR', R.t3, R.t4, R.t5, 0],
  [0x0020ffb3, 'and t6, ra, sp', 'AND', R.t6, R.ra, R.sp, 0],
  [0xfff5851b, 'addiw a0, a1, -1', 'ADDIW', R.a0, R.a1, 31, -1],
  [0x01f5951b, 'slliw a0, a1, 31', 'SLLIW', R.a0, R.a1, 31, 31],
  [0x01f5d51b, 'srliw a0, a1, 31', 'SRLIW', R.a0, R.a1, 31, 31],
  [0x4055d51b, 'sraiw a0, a1, 5', 'SRAIW', R.a0, R.a1, 5, 5],
  [0x00c5853b, 'addw a0, a1, a2', 'ADDW', R.a0, R.a1, R.a2, 0],
  [0x40c5853b, 'subw a0, a1, a2', 'SUBW', R.a0, R.a1, R.a2, 0],
  [0x00c5953b, 'sllw a0, a1, a2', 'SLLW', R.a0, R.a1, R.a2, 0],
  [0x00c5d53b, 'srlw a0, a1, a2', 'SRLW', R.a0, R.a1, R.a2, 0],
  [0x40c5d53b, 'sraw a0, a1, a2', 'SRAW', R.a0, R.a1, R.a2, 0],
  [0x0ff0000f, 'fence', 'FENCE', 32, 0, 31, 0],
  [0x0100000f, 'pause', 'FENCE', 32, 0, 16, 0],
  [0x8330000f, 'fence.tso', 'FENCE', 32, 0, 19, 0],
  [0x0000100f, 'fence.i', 'FENCE_I', 32, 0, 0, 0],
  [0x00000073, 'ecall', 'ECALL', 32, 0, 0, 0],
  [0x00100073, 'ebreak', 'EBREAK', 32, 0, 1, 0],
  [0x02c58533, 'mul a0, a1, a2', 'MUL', R.a0, R.a1, R.a2, 0],
  [0x02c59533, 'mulh a0, a1, a2', 'MULH', R.a0, R.a1, R.a2, 0],
  [0x02c5a533, 'mulhsu a0, a1, a2', 'MULHSU', R.a0, R.a1, R.a2, 0],
  [0x02c5b533, 'mulhu a0, a1, a2', 'MULHU', R.a0, R.a1, R.a2, 0],
  [0x02c5c533, 'div a0, a1, a2', 'DIV', R.a0, R.a1, R.a2, 0],
  [0x02c5d533, 'divu a0, a1, a2', 'DIVU', R.a0, R.a1, R.a2, 0],
  [0x02c5e533, 'rem a0, a1, a2', 'REM', R.a0, R.a1, R.a2, 0],
  [0x02c5f533, 'remu a0, a1, a2', 'REMU', R.a0, R.a1, R.a2, 0],
  [0x02c5853b, 'mulw a0, a1, a2', 'MULW', R.a0, R.a1, R.a2, 0],
  [0x02c5c53b, 'divw a0, a1, a2', 'DIVW', R.a0, R.a1, R.a2, 0],
  [0x02c5d53b, 'divuw a0, a1, a2', 'DIVUW', R.a0, R.a1, R.a2, 0],
  [0x02c5e53b, 'remw a0, a1, a2', 'REMW', R.a0, R.a1, R.a2, 0],
  [0x02c5f53b, 'remuw a0, a1, a2', 'REMUW', R.a0, R.a1, R.a2, 0],
  // A: imm is funct5 for AMOs (aq/rl ignored).
  [0x1005a52f, 'lr.w a0, (a1)', 'LR_W', R.a0, R.a1, 0, 0],
  [0x18c5a52f, 'sc.w a0, a2, (a1)', 'SC_W', R.a0, R.a1, R.a2, 0],
  [0x1405b52f, 'lr.d.aq a0, (a1)', 'LR_D', R.a0, R.a1, 0, 0],
  [0x1ac5b52f, 'sc.d.rl a0, a2, (a1)', 'SC_D', R.a0, R.a1, R.a2, 0],
  [0x08c5a52f, 'amoswap.w a0, a2, (a1)', 'AMO_W', R.a0, R.a1, R.a2, 0x01],
  [0x00c5b52f, 'amoadd.d a0, a2, (a1)', 'AMO_D', R.a0, R.a1, R.a2, 0x00],
  [0x20c5a52f, 'amoxor.w a0, a2, (a1)', 'AMO_W', R.a0, R.a1, R.a2, 0x04],
  [0x60c5b52f, 'amoand.d a0, a2, (a1)', 'AMO_D', R.a0, R.a1, R.a2, 0x0c],
  [0x40c5a52f, 'amoor.w a0, a2, (a1)', 'AMO_W', R.a0, R.a1, R.a2, 0x08],
  [0x80c5b52f, 'amomin.d a0, a2, (a1)', 'AMO_D', R.a0, R.a1, R.a2, 0x10],
  [0xa0c5a52f, 'amomax.w a0, a2, (a1)', 'AMO_W', R.a0, R.a1, R.a2, 0x14],
  [0xc0c5b52f, 'amominu.d a0, a2, (a1)', 'AMO_D', R.a0, R.a1, R.a2, 0x18],
  [0xe6c5a52f, 'amomaxu.w.aqrl a0, a2, (a1)', 'AMO_W', R.a0, R.a1, R.a2, 0x1c],
  [0x00a0202f, 'amoadd.w zero, a0, (zero)', 'AMO_W', 32, 0, R.a0, 0x00],
  // F/D memory ops: rd/rs2 are float registers (f0 is a register, not the sink).
  [0xffc12507, 'flw fa0, -4(sp)', 'FLW', 10, R.sp, 0, -4],
  [0x7f87bf87, 'fld ft11, 2040(a5)', 'FLD', 31, R.a5, 0, 2040],
  [0x00013007, 'fld ft0, 0(sp)', 'FLD', 0, R.sp, 0, 0],
  [0x00852627, 'fsw fs0, 12(a0)', 'FSW', 0, R.a0, 8, 12],
  [0xff14bc27, 'fsd fa7, -8(s1)', 'FSD', 0, R.s1, 17, -8],
  // Zicsr: imm is the CSR number; for the immediate forms rs1 is the 5-bit zimm.
  [0x30059573, 'csrrw a0, mstatus, a1', 'CSRRW', R.a0, R.a1, 0, 0x300],
  [0x10002573, 'csrrs a0, sstatus, zero', 'CSRRS', R.a0, 0, 0, 0x100],
  [0x3042b073, 'csrrc zero, mie, t0', 'CSRRC', 32, R.t0, 0, 0x304],
  [0x305fd573, 'csrrwi a0, mtvec, 31', 'CSRRWI', R.a0, 31, 0, 0x305],
  [0xfff0e573, 'csrrsi a0, 0xfff, 1', 'CSRRSI', R.a0, 1, 0, 0xfff],
  [0xc0007573, 'csrrci a0, cycle, 0', 'CSRRCI', R.a0, 0, 0, 0xc00],
  [0x30200073, 'mret', 'MRET', 32, 0, 2, 0],
  [0x10200073, 'sret', 'SRET', 32, 0, 2, 0],
  [0x10500073, 'wfi', 'WFI', 32, 0, 5, 0],
  [0x12b50073, 'sfence.vma a0, a1', 'SFENCE_VMA', 32, R.a0, R.a1, 0],
  [0x12000073, 'sfence.vma', 'SFENCE_VMA', 32, 0, 0, 0],
  // Zba
  [0x20c5a533, 'sh1add a0, a1, a2', 'SH1ADD', R.a0, R.a1, R.a2, 0],
  [0x20c5c533, 'sh2add a0, a1, a2', 'SH2ADD', R.a0, R.a1, R.a2, 0],
  [0x20c5e533, 'sh3add a0, a1, a2', 'SH3ADD', R.a0, R.a1, R.a2, 0],
  [0x08c5853b, 'add.uw a0, a1, a2', 'ADD_UW', R.a0, R.a1, R.a2, 0],
  [0x20c5a53b, 'sh1add.uw a0, a1, a2', 'SH1ADD_UW', R.a0, R.a1, R.a2, 0],
  [0x20c5c53b, 'sh2add.uw a0, a1, a2', 'SH2ADD_UW', R.a0, R.a1, R.a2, 0],
  [0x20c5e53b, 'sh3add.uw a0, a1, a2', 'SH3ADD_UW', R.a0, R.a1, R.a2, 0],
  [0x0bf5951b, 'slli.uw a0, a1, 63', 'SLLI_UW', R.a0, R.a1, 31, 63],
  // Zbb
  [0x40c5f533, 'andn a0, a1, a2', 'ANDN', R.a0, R.a1, R.a2, 0],
  [0x40c5e533, 'orn a0, a1, a2', 'ORN', R.a0, R.a1, R.a2, 0],
  [0x40c5c533, 'xnor a0, a1, a2', 'XNOR', R.a0, R.a1, R.a2, 0],
  [0x60059513, 'clz a0, a1', 'CLZ', R.a0, R.a1, 0, 0],
  [0x6005951b, 'clzw a0, a1', 'CLZW', R.a0, R.a1, 0, 0],
  [0x60159513, 'ctz a0, a1', 'CTZ', R.a0, R.a1, 1, 0],
  [0x6015951b, 'ctzw a0, a1', 'CTZW', R.a0, R.a1, 1, 0],
  [0x60259513, 'cpop a0, a1', 'CPOP', R.a0, R.a1, 2, 0],
  [0x6025951b, 'cpopw a0, a1', 'CPOPW', R.a0, R.a1, 2, 0],
  [0x0ac5e533, 'max a0, a1, a2', 'MAX', R.a0, R.a1, R.a2, 0],
  [0x0ac5f533, 'maxu a0, a1, a2', 'MAXU', R.a0, R.a1, R.a2, 0],
  [0x0ac5c533, 'min a0, a1, a2', 'MIN', R.a0, R.a1, R.a2, 0],
  [0x0ac5d533, 'minu a0, a1, a2', 'MINU', R.a0, R.a1, R.a2, 0],
  [0x60459513, 'sext.b a0, a1', 'SEXT_B', R.a0, R.a1, 4, 0],
  [0x60559513, 'sext.h a0, a1', 'SEXT_H', R.a0, R.a1, 5, 0],
  [0x0805c53b, 'zext.h a0, a1', 'ZEXT_H', R.a0, R.a1, 0, 0],
  [0x60c59533, 'rol a0, a1, a2', 'ROL', R.a0, R.a1, R.a2, 0],
  [0x60c5953b, 'rolw a0, a1, a2', 'ROLW', R.a0, R.a1, R.a2, 0],
  [0x60c5d533, 'ror a0, a1, a2', 'ROR', R.a0, R.a1, R.a2, 0],
  [0x63f5d513, 'rori a0, a1, 63', 'RORI', R.a0, R.a1, 31, 63],
  [0x61f5d51b, 'roriw a0, a1, 31', 'RORIW', R.a0, R.a1, 31, 31],
  [0x60c5d53b, 'rorw a0, a1, a2', 'RORW', R.a0, R.a1, R.a2, 0],
  [0x2875d513, 'orc.b a0, a1', 'ORC_B', R.a0, R.a1, 7, 0],
  [0x6b85d513, 'rev8 a0, a1', 'REV8', R.a0, R.a1, 24, 0],
  // Zbs
  [0x48c59533, 'bclr a0, a1, a2', 'BCLR', R.a0, R.a1, R.a2, 0],
  [0x4bf59513, 'bclri a0, a1, 63', 'BCLRI', R.a0, R.a1, 31, 63],
  [0x48c5d533, 'bext a0, a1, a2', 'BEXT', R.a0, R.a1, R.a2, 0],
  [0x4a85d513, 'bexti a0, a1, 40', 'BEXTI', R.a0, R.a1, 8, 40],
  [0x68c59533, 'binv a0, a1, a2', 'BINV', R.a0, R.a1, R.a2, 0],
  [0x68059513, 'binvi a0, a1, 0', 'BINVI', R.a0, R.a1, 0, 0],
  [0x28c59533, 'bset a0, a1, a2', 'BSET', R.a0, R.a1, R.a2, 0],
  [0x2a059513, 'bseti a0, a1, 32', 'BSETI', R.a0, R.a1, 0, 32],
  // x0 as a destination goes to the sink.
  [0x00150013, 'addi zero, a0, 1', 'ADDI', 32, R.a0, 1, 1],
  [0x00000033, 'add zero, zero, zero', 'ADD', 32, 0, 0, 0],
  [0x00002073, 'csrrs zero, 0, zero', 'CSRRS', 32, 0, 0, 0],
];

const NO_RS1 = new Set(['LUI', 'AUIPC', 'JAL', 'FENCE', 'FENCE_I', 'ECALL', 'EBREAK', 'MRET', 'SRET', 'WFI']);
const USES_RS2 = new Set(['BEQ', 'BNE', 'BLT', 'BGE', 'BLTU', 'BGEU', 'SB', 'SH', 'SW', 'SD', 'FSW', 'FSD', 'SC_W', 'SC_D',
  'AMO_W', 'AMO_D', 'SFENCE_VMA', 'ADD', 'SUB', 'SLL', 'SLT', 'SLTU', 'XOR', 'SRL', 'SRA', 'OR', 'AND', 'ADDW', 'SUBW',
  'SLLW', 'SRLW', 'SRAW', 'MUL', 'MULH', 'MULHSU', 'MULHU', 'DIV', 'DIVU', 'REM', 'REMU', 'MULW', 'DIVW', 'DIVUW', 'REMW',
  'REMUW', 'SH1ADD', 'SH2ADD', 'SH3ADD', 'ADD_UW', 'SH1ADD_UW', 'SH2ADD_UW', 'SH3ADD_UW', 'ANDN', 'ORN', 'XNOR', 'MAX',
  'MAXU', 'MIN', 'MINU', 'ROL', 'ROLW', 'ROR', 'RORW', 'BCLR', 'BEXT', 'BINV', 'BSET']);

describe('decode32: every instruction class (encodings from GNU as)', () => {
  for (const [word, text, op, rd, rs1, rs2, imm] of ROWS) {
    test(`${hex(word)} ${text}`, () => {
      assert.equal(hex(asm1(text)), hex(word), 'test assembler agrees with gas');
      const d = decode32(word | 0);
      assert.equal(opName(d.w0), op);
      assert.equal(d.w0 & W0_COMPRESSED, 0);
      assert.equal(fld(rdIdx(d.w0)), rd, 'rd');
      if (!NO_RS1.has(op)) assert.equal(fld(rs1Idx(d.w0)), rs1, 'rs1');
      if (USES_RS2.has(op)) assert.equal(fld(rs2Idx(d.w0)), rs2, 'rs2');
      assert.equal(d.imm, imm, 'imm');
      // decodeParcels gives the same for a 32-bit instruction.
      assert.deepEqual(decodeParcels(word & 0xffff, word >>> 16), d);
    });
  }

  test('F/D computational instructions carry the whole word (the FP executor decodes it)', () => {
    for (const w of [0x1820f043 /* fmadd.s */, 0xe2050553 /* fclass.d */, 0x1820f047, 0x1820f04b, 0x1820f04f,
      0x02c59553 /* fadd.d fa0,fa1,fa2,rtz: a static mode other than RNE */, 0x00c5f553 /* fadd.s */]) {
      const d = decode32(w | 0);
      assert.equal(opName(d.w0), 'FP');
      assert.equal(d.imm >>> 0, w);
    }
    // Binary64 arithmetic rounding to nearest-even or by frm has its own ops (the hart's fast paths).
    for (const [w, name] of [[0x02c5f553, 'FADD_D'], [0x02c58553, 'FADD_D'], [0x0ac5f553, 'FADD_D'],
      [0x12c5f553, 'FMUL_D'], [0x1ac5f553, 'FDIV_D'], [0x5a05f553, 'FSQRT_D'], [0x6ac5f54b, 'FMA_D'],
      [0x6ac5f543, 'FMA_D'], [0xa2c58453, 'FCMP_D'], [0xa2c5a553, 'FCMP_D']] as const) {
      const d = decode32(w | 0);
      assert.equal(opName(d.w0), name, w.toString(16));
      assert.equal(d.imm >>> 0, w);
    }
    // Compares write an integer register: rd is packed, x0 as the sink.
    assert.equal(rdIdx(decode32(0xa2c58453 | 0).w0), 2 * 8);
    assert.equal(rdIdx(decode32(0xa2c59053 | 0).w0), 2 * 32);
    assert.equal(opName(decode32(0xa2c5b553 | 0).w0), 'FP'); // funct3 3: not a compare (execFp finds it illegal)
    assert.equal(opName(decode32(0xa0c58453 | 0).w0), 'FP'); // fle.s
  });

  test('branch and jump immediates: every bit position lands where the spec puts it', () => {
    for (let k = 1; k <= 12; k++) {
      for (const sign of [1, -1]) {
        const off = sign * (1 << k);
        if (off < -4096 || off > 4094) continue;
        const w = asm1(`bne a0, a1, ${off}`);
        assert.equal(decode32(w | 0).imm, off, `branch ${off}`);
      }
    }
    for (let k = 1; k <= 20; k++) {
      for (const off of [1 << k, -(1 << k), (1 << k) - 2]) {
        if (off < -(1 << 20) || off > (1 << 20) - 2) continue;
        const w = asm1(`jal ra, ${off}`);
        assert.equal(decode32(w | 0).imm, off, `jal ${off}`);
      }
    }
    for (let k = 0; k < 12; k++) {
      for (const imm of [1 << k, -(1 << k)]) {
        if (imm < -2048 || imm > 2047) continue;
        assert.equal(decode32(asm1(`sd a0, ${imm}(a1)`) | 0).imm, imm, `store ${imm}`);
        assert.equal(decode32(asm1(`ld a0, ${imm}(a1)`) | 0).imm, imm, `load ${imm}`);
      }
    }
  });
});

describe('decode32: reserved and illegal encodings give ILLEGAL with the word as imm', () => {
  const illegal: Array<[number, string]> = [
    [0x00000000, 'all zeros'],
    [0xffffffff, 'all ones'],
    [0x0000000b, 'custom-0 opcode'],
    [0x0000002b, 'custom-1 opcode'],
    [0x0000005b, 'custom-2 opcode'],
    [0x0000007b, 'custom-3 opcode'],
    [0x00000057, 'OP-V (no V extension)'],
    [0x00000077, 'OP-P/reserved opcode'],
    [0x00002063, 'branch funct3=2'],
    [0x00003063, 'branch funct3=3'],
    [0x00007003, 'load funct3=7'],
    [0x00004023, 'store funct3=4'],
    [0x00001067, 'JALR funct3=1'],
    [0x0000200f, 'MISC-MEM funct3=2'],
    [0x00004073, 'SYSTEM funct3=4'],
    [0x00200073, 'URET (removed)'],
    [0x7b200073, 'DRET (debug mode only)'],
    [0x10400073, 'SYSTEM funct3=0 unknown funct12'],
    [0x120000f3, 'SFENCE.VMA with rd != 0'],
    [0x04059513, 'SLLI with funct6=000001'],
    [0x80059513, 'SLLI with funct6=100000'],
    [0x2005d513, 'SRLI with funct6=001000'],
    [0x0205951b, 'SLLIW with shamt[5]=1'],
    [0x0205d51b, 'SRLIW with shamt[5]=1'],
    [0x4205d51b, 'SRAIW with shamt[5]=1'],
    [0x60359513, 'Zbb unary with rs2=3'],
    [0x6035951b, 'Zbb W unary with rs2=3'],
    [0x2885d513, 'ORC.B neighbour (imm 0x288)'],
    [0x6b05d513, 'REV8 neighbour (imm 0x6b0)'],
    [0x04c58533, 'OP funct7=2'],
    [0x40c59533, 'OP funct7=0x20 funct3=1'],
    [0x20c59533, 'OP funct7=0x10 funct3=1'],
    [0x0ac59533, 'OP funct7=5 funct3=1'],
    [0x60c5a533, 'OP funct7=0x30 funct3=2'],
    [0x48c5a533, 'OP funct7=0x24 funct3=2'],
    [0x02c5953b, 'MULW-group funct3=1'],
    [0x40c5953b, 'OP-32 funct7=0x20 funct3=1'],
    [0x08c5953b, 'OP-32 funct7=4 funct3=1'],
    [0x08c5c53b, 'ZEXT.H with rs2 != 0 (that encoding is pack on RV64 Zbkb)'],
    [0x0000002f, 'AMO funct3=0'],
    [0x0000402f, 'AMO funct3=4'],
    [0x1015a52f, 'LR.W with rs2 != 0'],
    [0x28c5a52f, 'AMO funct5=0x05'],
    [0xf8c5b52f, 'AMO funct5=0x1f'],
    [0x00004007, 'LOAD-FP funct3=4 (no Q)'],
    [0x00001027, 'STORE-FP funct3=1 (no H)'],
  ];
  for (const [w, why] of illegal) {
    test(`${hex(w)} ${why}`, () => {
      const d = decode32(w | 0);
      assert.equal(opName(d.w0), 'ILLEGAL');
      assert.equal(d.imm >>> 0, w);
    });
  }
});

// ---- RVC ----

// [compressed (gas, .option rvc), 32-bit (gas, .option norvc), compressed text, expansion text]
const RVC: Array<[number, number, string, string]> = [
  [0x0040, 0x00410413, 'c.addi4spn s0, sp, 4', 'addi s0, sp, 4'],
  [0x1ffc, 0x3fc10793, 'c.addi4spn a5, sp, 1020', 'addi a5, sp, 1020'],
  [0x0428, 0x20810513, 'c.addi4spn a0, sp, 520', 'addi a0, sp, 520'],
  [0x2188, 0x0005b507, 'c.fld fa0, 0(a1)', 'fld fa0, 0(a1)'],
  [0x3c64, 0x0f843487, 'c.fld fs1, 248(s0)', 'fld fs1, 248(s0)'],
  [0x5de8, 0x07c5a503, 'c.lw a0, 124(a1)', 'lw a0, 124(a1)'],
  [0x43c0, 0x0047a403, 'c.lw s0, 4(a5)', 'lw s0, 4(a5)'],
  [0x42b0, 0x0406a603, 'c.lw a2, 64(a3)', 'lw a2, 64(a3)'],
  [0x7de8, 0x0f85b503, 'c.ld a0, 248(a1)', 'ld a0, 248(a1)'],
  [0x6498, 0x0084b703, 'c.ld a4, 8(s1)', 'ld a4, 8(s1)'],
  [0x6254, 0x08063683, 'c.ld a3, 128(a2)', 'ld a3, 128(a2)'],
  [0xa55c, 0x08f53427, 'c.fsd fa5, 136(a0)', 'fsd fa5, 136(a0)'],
  [0xdde8, 0x06a5ae23, 'c.sw a0, 124(a1)', 'sw a0, 124(a1)'],
  [0xc3e4, 0x0497a223, 'c.sw s1, 68(a5)', 'sw s1, 68(a5)'],
  [0xfde8, 0x0ea5bc23, 'c.sd a0, 248(a1)', 'sd a0, 248(a1)'],
  [0xe7a0, 0x0487b423, 'c.sd s0, 72(a5)', 'sd s0, 72(a5)'],
  [0x0001, 0x00000013, 'c.nop', 'addi zero, zero, 0'],
  [0x1501, 0xfe050513, 'c.addi a0, -32', 'addi a0, a0, -32'],
  [0x017d, 0x01f10113, 'c.addi sp, 31', 'addi sp, sp, 31'],
  [0x357d, 0xfff5051b, 'c.addiw a0, -1', 'addiw a0, a0, -1'],
  [0x2fc5, 0x011f8f9b, 'c.addiw t6, 17', 'addiw t6, t6, 17'],
  [0x5501, 0xfe000513, 'c.li a0, -32', 'addi a0, zero, -32'],
  [0x40fd, 0x01f00093, 'c.li ra, 31', 'addi ra, zero, 31'],
  [0x7101, 0xe0010113, 'c.addi16sp sp, -512', 'addi sp, sp, -512'],
  [0x617d, 0x1f010113, 'c.addi16sp sp, 496', 'addi sp, sp, 496'],
  [0x6141, 0x01010113, 'c.addi16sp sp, 16', 'addi sp, sp, 16'],
  [0x6169, 0x0d010113, 'c.addi16sp sp, 208', 'addi sp, sp, 208'],
  [0x6505, 0x00001537, 'c.lui a0, 1', 'lui a0, 1'],
  [0x6ffd, 0x0001ffb7, 'c.lui t6, 31', 'lui t6, 31'],
  [0x7081, 0xfffe00b7, 'c.lui ra, 0xfffe0', 'lui ra, 0xfffe0'],
  [0x747d, 0xfffff437, 'c.lui s0, 0xfffff', 'lui s0, 0xfffff'],
  [0x8105, 0x00155513, 'c.srli a0, 1', 'srli a0, a0, 1'],
  [0x90fd, 0x03f4d493, 'c.srli s1, 63', 'srli s1, s1, 63'],
  [0x9781, 0x4207d793, 'c.srai a5, 32', 'srai a5, a5, 32'],
  [0x851d, 0x40755513, 'c.srai a0, 7', 'srai a0, a0, 7'],
  [0x997d, 0xfff57513, 'c.andi a0, -1', 'andi a0, a0, -1'],
  [0x887d, 0x01f47413, 'c.andi s0, 31', 'andi s0, s0, 31'],
  [0x9a01, 0xfe067613, 'c.andi a2, -32', 'andi a2, a2, -32'],
  [0x8d0d, 0x40b50533, 'c.sub a0, a1', 'sub a0, a0, a1'],
  [0x8c3d, 0x00f44433, 'c.xor s0, a5', 'xor s0, s0, a5'],
  [0x8ed9, 0x00e6e6b3, 'c.or a3, a4', 'or a3, a3, a4'],
  [0x8ce9, 0x00a4f4b3, 'c.and s1, a0', 'and s1, s1, a0'],
  [0x9e15, 0x40d6063b, 'c.subw a2, a3', 'subw a2, a2, a3'],
  [0x9f3d, 0x00f7073b, 'c.addw a4, a5', 'addw a4, a4, a5'],
  [0xaffd, 0x7fe0006f, 'c.j 2046', 'jal zero, 2046'],
  [0xb001, 0x801ff06f, 'c.j -2048', 'jal zero, -2048'],
  [0xa46d, 0x2aa0006f, 'c.j 0x2aa', 'jal zero, 0x2aa'],
  [0xb46d, 0xaabff06f, 'c.j -0x556', 'jal zero, -0x556'],
  [0xcd7d, 0x0e050f63, 'c.beqz a0, 254', 'beq a0, zero, 254'],
  [0xd001, 0xf00400e3, 'c.beqz s0, -256', 'beq s0, zero, -256'],
  [0xe7cd, 0x0a079563, 'c.bnez a5, 0xaa', 'bne a5, zero, 0xaa'],
  [0xf5cd, 0xfa0595e3, 'c.bnez a1, -0x56', 'bne a1, zero, -0x56'],
  [0x0506, 0x00151513, 'c.slli a0, 1', 'slli a0, a0, 1'],
  [0x1ffe, 0x03ff9f93, 'c.slli t6, 63', 'slli t6, t6, 63'],
  [0x1082, 0x02009093, 'c.slli ra, 32', 'slli ra, ra, 32'],
  [0x357e, 0x1f813507, 'c.fldsp fa0, 504(sp)', 'fld fa0, 504(sp)'],
  [0x2082, 0x00013087, 'c.fldsp ft1, 0(sp)', 'fld ft1, 0(sp)'],
  [0x557e, 0x0fc12503, 'c.lwsp a0, 252(sp)', 'lw a0, 252(sp)'],
  [0x4092, 0x00412083, 'c.lwsp ra, 4(sp)', 'lw ra, 4(sp)'],
  [0x757e, 0x1f813503, 'c.ldsp a0, 504(sp)', 'ld a0, 504(sp)'],
  [0x6da2, 0x00813d83, 'c.ldsp s11, 8(sp)', 'ld s11, 8(sp)'],
  [0x8082, 0x00008067, 'c.jr ra', 'jalr zero, 0(ra)'],
  [0x8f82, 0x000f8067, 'c.jr t6', 'jalr zero, 0(t6)'],
  [0x852e, 0x00b00533, 'c.mv a0, a1', 'add a0, zero, a1'],
  [0x8f86, 0x00100fb3, 'c.mv t6, ra', 'add t6, zero, ra'],
  [0x9002, 0x00100073, 'c.ebreak', 'ebreak'],
  [0x9502, 0x000500e7, 'c.jalr a0', 'jalr ra, 0(a0)'],
  [0x9082, 0x000080e7, 'c.jalr ra', 'jalr ra, 0(ra)'],
  [0x952e, 0x00b50533, 'c.add a0, a1', 'add a0, a0, a1'],
  [0x917e, 0x01f10133, 'c.add sp, t6', 'add sp, sp, t6'],
  [0xbfaa, 0x1ea13c27, 'c.fsdsp fa0, 504(sp)', 'fsd fa0, 504(sp)'],
  [0xa46e, 0x01b13427, 'c.fsdsp fs11, 8(sp)', 'fsd fs11, 8(sp)'],
  [0xdfaa, 0x0ea12e23, 'c.swsp a0, 252(sp)', 'sw a0, 252(sp)'],
  [0xc202, 0x00012223, 'c.swsp zero, 4(sp)', 'sw zero, 4(sp)'],
  [0xff86, 0x1e113c23, 'c.sdsp ra, 504(sp)', 'sd ra, 504(sp)'],
  [0xe47e, 0x01f13423, 'c.sdsp t6, 8(sp)', 'sd t6, 8(sp)'],
];

describe('expandCompressed: every RVC form against gas', () => {
  for (const [c, w, ctext, wtext] of RVC) {
    test(`${ctext} (0x${c.toString(16).padStart(4, '0')}) → ${wtext}`, () => {
      assert.equal(asm1(ctext), c, 'test assembler agrees with gas (compressed)');
      assert.equal(hex(asm1(wtext)), hex(w), 'test assembler agrees with gas (32-bit)');
      assert.equal(hex(expandCompressed(c)), hex(w));
      // decodeParcels: same op, fields and imm as the 32-bit form, plus the compressed flag.
      const dc = decodeParcels(c, 0xdead);
      const dw = decode32(w | 0);
      assert.equal(dc.w0, dw.w0 | W0_COMPRESSED);
      assert.equal(dc.imm, dw.imm);
    });
  }
});

/**
 * Every legal 16-bit code point (including HINTs, which execute as their expansion) with its
 * expansion, generated from the test assembler's compressed encoder — an implementation independent
 * of the engine's, checked against gas above.
 */
function allCompressed(): Map<number, number> {
  const out = new Map<number, number>();
  const add = (ctext: string, wtext: string): void => {
    const c = asm1(ctext);
    if (out.has(c)) throw new Error(`duplicate code point 0x${c.toString(16)} (${ctext})`);
    out.set(c, asm1(wtext));
  };
  const xr = Array.from({ length: 32 }, (_, i) => `x${i}`);
  const cr = Array.from({ length: 8 }, (_, i) => `x${i + 8}`);
  const fr = Array.from({ length: 32 }, (_, i) => `f${i}`);
  const fcr = Array.from({ length: 8 }, (_, i) => `f${i + 8}`);
  const range = (lo: number, hi: number, step = 1): number[] => { const r: number[] = []; for (let v = lo; v <= hi; v += step) r.push(v); return r; };
  // Quadrant 0
  for (const rd of cr) for (const imm of range(4, 1020, 4)) add(`c.addi4spn ${rd}, sp, ${imm}`, `addi ${rd}, sp, ${imm}`);
  for (const rs1 of cr) {
    for (const r of cr) {
      for (const imm of range(0, 124, 4)) {
        add(`c.lw ${r}, ${imm}(${rs1})`, `lw ${r}, ${imm}(${rs1})`);
        add(`c.sw ${r}, ${imm}(${rs1})`, `sw ${r}, ${imm}(${rs1})`);
      }
      for (const imm of range(0, 248, 8)) {
        add(`c.ld ${r}, ${imm}(${rs1})`, `ld ${r}, ${imm}(${rs1})`);
        add(`c.sd ${r}, ${imm}(${rs1})`, `sd ${r}, ${imm}(${rs1})`);
      }
    }
    for (const f of fcr) {
      for (const imm of range(0, 248, 8)) {
        add(`c.fld ${f}, ${imm}(${rs1})`, `fld ${f}, ${imm}(${rs1})`);
        add(`c.fsd ${f}, ${imm}(${rs1})`, `fsd ${f}, ${imm}(${rs1})`);
      }
    }
  }
  // Quadrant 1
  for (const rd of xr) {
    for (const imm of range(-32, 31)) {
      add(`c.addi ${rd}, ${imm}`, `addi ${rd}, ${rd}, ${imm}`);
      add(`c.li ${rd}, ${imm}`, `addi ${rd}, x0, ${imm}`);
      if (rd !== 'x0') add(`c.addiw ${rd}, ${imm}`, `addiw ${rd}, ${rd}, ${imm}`);
      if (rd !== 'x2' && imm !== 0) {
        const u = imm < 0 ? imm + 0x100000 : imm;
        add(`c.lui ${rd}, ${u}`, `lui ${rd}, ${u}`);
      }
    }
  }
  for (const imm of range(-512, 496, 16)) if (imm !== 0) add(`c.addi16sp sp, ${imm}`, `addi sp, sp, ${imm}`);
  for (const rd of cr) {
    for (const sh of range(0, 63)) {
      add(`c.srli ${rd}, ${sh}`, `srli ${rd}, ${rd}, ${sh}`);
      add(`c.srai ${rd}, ${sh}`, `srai ${rd}, ${rd}, ${sh}`);
    }
    for (const imm of range(-32, 31)) add(`c.andi ${rd}, ${imm}`, `andi ${rd}, ${rd}, ${imm}`);
    for (const rs2 of cr) {
      for (const [c, w] of [['c.sub', 'sub'], ['c.xor', 'xor'], ['c.or', 'or'], ['c.and', 'and'], ['c.subw', 'subw'], ['c.addw', 'addw']]) {
        add(`${c} ${rd}, ${rs2}`, `${w} ${rd}, ${rd}, ${rs2}`);
      }
    }
  }
  for (const off of range(-2048, 2046, 2)) add(`c.j ${off}`, `jal x0, ${off}`);
  for (const rs of cr) {
    for (const off of range(-256, 254, 2)) {
      add(`c.beqz ${rs}, ${off}`, `beq ${rs}, x0, ${off}`);
      add(`c.bnez ${rs}, ${off}`, `bne ${rs}, x0, ${off}`);
    }
  }
  // Quadrant 2
  for (const rd of xr) {
    for (const sh of range(0, 63)) add(`c.slli ${rd}, ${sh}`, `slli ${rd}, ${rd}, ${sh}`);
    for (const imm of range(0, 504, 8)) {
      if (rd !== 'x0') add(`c.ldsp ${rd}, ${imm}(sp)`, `ld ${rd}, ${imm}(sp)`);
      add(`c.sdsp ${rd}, ${imm}(sp)`, `sd ${rd}, ${imm}(sp)`);
    }
    for (const imm of range(0, 252, 4)) {
      if (rd !== 'x0') add(`c.lwsp ${rd}, ${imm}(sp)`, `lw ${rd}, ${imm}(sp)`);
      add(`c.swsp ${rd}, ${imm}(sp)`, `sw ${rd}, ${imm}(sp)`);
    }
    if (rd !== 'x0') {
      add(`c.jr ${rd}`, `jalr x0, 0(${rd})`);
      add(`c.jalr ${rd}`, `jalr x1, 0(${rd})`);
      for (const rs2 of xr) {
        if (rs2 === 'x0') continue;
        add(`c.mv ${rd}, ${rs2}`, `add ${rd}, x0, ${rs2}`);
        add(`c.add ${rd}, ${rs2}`, `add ${rd}, ${rd}, ${rs2}`);
      }
    } else {
      for (const rs2 of xr) {
        if (rs2 === 'x0') continue;
        add(`c.mv x0, ${rs2}`, `add x0, x0, ${rs2}`); // HINTs
        add(`c.add x0, ${rs2}`, `add x0, x0, ${rs2}`);
      }
    }
  }
  add('c.ebreak', 'ebreak');
  for (const f of fr) {
    for (const imm of range(0, 504, 8)) {
      add(`c.fldsp ${f}, ${imm}(sp)`, `fld ${f}, ${imm}(sp)`);
      add(`c.fsdsp ${f}, ${imm}(sp)`, `fsd ${f}, ${imm}(sp)`);
    }
  }
  return out;
}

describe('expandCompressed: the whole 16-bit space', () => {
  const legal = allCompressed();

  test('every legal code point expands to the right instruction; every other one is reserved (0)', () => {
    let checked = 0;
    for (let c = 0; c < 0x10000; c++) {
      if ((c & 3) === 3) continue;
      const want = legal.get(c) ?? 0;
      const got = expandCompressed(c);
      if (got !== want) assert.fail(`0x${c.toString(16).padStart(4, '0')}: expanded to ${hex(got)}, want ${hex(want)}`);
      checked++;
    }
    assert.equal(checked, 3 * 16384);
    // RV64C with D: the legal space is most of it; this also guards the generator itself.
    assert.equal(legal.size, 46743);
  });

  test('decodeParcels on every 16-bit code point: compressed flag, ILLEGAL keeps the 16 bits as imm', () => {
    for (let c = 0; c < 0x10000; c++) {
      if ((c & 3) === 3) continue;
      const d = decodeParcels(c, 0xffff);
      assert.ok((d.w0 & W0_COMPRESSED) !== 0);
      if (!legal.has(c)) {
        assert.equal(opName(d.w0), 'ILLEGAL', `0x${c.toString(16)}`);
        assert.equal(d.imm, c);
      } else {
        assert.notEqual(opName(d.w0), 'ILLEGAL', `0x${c.toString(16)}`);
      }
    }
  });
});

describe('reserved compressed encodings and long encodings', () => {
  const cases: Array<[number, string]> = [
    [0x0000, 'all-zero parcel (permanently illegal; C.ADDI4SPN with nzuimm = 0)'],
    [0x0004, 'C.ADDI4SPN s1, sp, 0'],
    [0x001c, 'C.ADDI4SPN a5, sp, 0'],
    [0x6501, 'C.LUI a0, 0 (nzimm = 0)'],
    [0x6101, 'C.ADDI16SP with nzimm = 0'],
    [0x8002, 'C.JR x0'],
    [0x4002, 'C.LWSP x0'],
    [0x6002, 'C.LDSP x0'],
    [0x2001, 'C.ADDIW x0'],
    [0x8000, 'quadrant 0, funct3 = 4 (reserved)'],
    [0x9c41, 'C.SUBW/C.ADDW group, reserved funct2 = 2'],
    [0x9c61, 'C.SUBW/C.ADDW group, reserved funct2 = 3'],
  ];
  for (const [c, why] of cases) {
    test(`0x${c.toString(16).padStart(4, '0')}: ${why}`, () => {
      assert.equal(expandCompressed(c), 0);
      const d = decodeParcels(c, 0);
      assert.equal(opName(d.w0), 'ILLEGAL');
      assert.equal(d.w0 & W0_COMPRESSED, W0_COMPRESSED);
      assert.equal(d.imm, c);
    });
  }

  test('0x7501 (the C.LUI neighbour with nzimm = -32) is legal', () => {
    assert.equal(hex(expandCompressed(0x7501)), hex(asm1('lui a0, 0xfffe0')));
  });

  test('48-bit, 64-bit and longer encodings (low bits 11111) are ILLEGAL, whole 32 bits in imm', () => {
    for (const lo of [0x001f, 0x003f, 0x007f, 0x707f, 0xffff, 0x105f, 0x0bdf]) {
      const d = decodeParcels(lo, 0x1234);
      assert.equal(opName(d.w0), 'ILLEGAL', `0x${lo.toString(16)}`);
      assert.equal(d.w0 & W0_COMPRESSED, 0);
      assert.equal(d.imm >>> 0, (lo | (0x1234 << 16)) >>> 0);
    }
  });

  test('the 32-bit space: a sweep of opcode/funct3/funct7 combinations never throws and is deterministic', () => {
    // Every opcode (bits 6:2 with 11), every funct3, funct7 and a few register/immediate fillers.
    for (let opc = 0; opc < 32; opc++) {
      for (let f3 = 0; f3 < 8; f3++) {
        for (let f7 = 0; f7 < 128; f7++) {
          for (const mid of [0, 0x5a5a5, 0xfffff]) {
            const w = encR((opc << 2) | 3, f3, f7, mid & 0x1f, (mid >>> 5) & 0x1f, (mid >>> 10) & 0x1f);
            const d = decode32(w | 0);
            const op = d.w0 & W0_OP_MASK;
            assert.ok(op >= 1 && op < OP_NAMES.length);
            if (op === 1) assert.equal(d.imm >>> 0, w);
          }
        }
      }
    }
  });

  test('shift-immediate groups accept exactly the spec funct6 values', () => {
    for (let f6 = 0; f6 < 64; f6++) {
      // shamt 9 keeps clear of the unary Zbb encodings that share these funct3 slots (clz…, orc.b, rev8).
      const sl = opName(decode32(encI(0x13, 1, 10, 11, (f6 << 6) | 9) | 0).w0);
      const sr = opName(decode32(encI(0x13, 5, 10, 11, (f6 << 6) | 9) | 0).w0);
      const wantSl = { 0x00: 'SLLI', 0x0a: 'BSETI', 0x12: 'BCLRI', 0x1a: 'BINVI' }[f6] ?? 'ILLEGAL';
      const wantSr = { 0x00: 'SRLI', 0x10: 'SRAI', 0x18: 'RORI', 0x12: 'BEXTI' }[f6] ?? 'ILLEGAL';
      assert.equal(sl, wantSl, `slli-group funct6=${f6}`);
      assert.equal(sr, wantSr, `srli-group funct6=${f6}`);
    }
  });
});

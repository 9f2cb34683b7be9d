// Documentation of the RISC-V instructions (RV64GC, Zicsr, Zifencei, Zihintpause, Zba, Zbb, Zbs, the
// privileged instructions, the hypervisor's, and the assembler's pseudo-instructions), registers and CSRs,
// written for rvisor from the unprivileged and privileged manuals (one line each, in our own words).
// It is the one list of mnemonics the language tools know: hovers, the unknown-mnemonic check and the
// TextMate grammar (grammar.ts) all read it. CSR names and numbers come from engine/cpu/csr.ts, register
// names from debuginfo/registers.ts.

import {
  CSR_NAMES, EXCEPTION_NAMES, INTERRUPT_NAMES, IRQ, MEDELEG_WMASK, MIP_S, MSTATUS, SSTATUS_MASK,
} from '../../engine/cpu/csr.ts';
import { F_NAMES, X_NAMES } from '../../debuginfo/registers.ts';

export type InstructionKind = 'base' | 'compressed' | 'pseudo';

export interface InstructionDoc {
  mnemonic: string;
  /** Operand syntax as written in assembly ("rd, rs1, imm"); '' for none. */
  operands: string;
  /** What it does, in one line. */
  summary: string;
  /** Extension: RV64I, M, A, F, D, C, Zicsr, Zifencei, Zihintpause, Zba, Zbb, Zbs, Priv, H, or asm (pseudo). */
  ext: string;
  kind: InstructionKind;
  /** Encoding format (R, I, S, B, U, J, R4; CR, CI, CSS, CIW, CL, CS, CA, CB, CJ for compressed). */
  format?: string;
  /** Compressed and pseudo-instructions: the instruction(s) they stand for. */
  expansion?: string;
  /** Further spellings of a real instruction that the assembler accepts (e.g. "jal offset → jal ra, offset"). */
  aliases?: string;
}

const table = new Map<string, InstructionDoc>();

function def(mnemonic: string, operands: string, format: string | undefined, ext: string, summary: string, extra: Partial<InstructionDoc> = {}): void {
  const kind: InstructionKind = ext === 'asm' ? 'pseudo' : mnemonic.startsWith('c.') ? 'compressed' : 'base';
  if (table.has(mnemonic)) throw new Error(`isa-docs: ${mnemonic} twice`);
  table.set(mnemonic, { mnemonic, operands, summary, ext, kind, ...(format ? { format } : {}), ...extra });
}
const pseudo = (mnemonic: string, operands: string, expansion: string, summary: string): void =>
  def(mnemonic, operands, undefined, 'asm', summary, { expansion });

// ---- RV64I ----
def('lui', 'rd, imm20', 'U', 'RV64I', 'Load upper immediate: rd = imm20 << 12, sign-extended to 64 bits.');
def('auipc', 'rd, imm20', 'U', 'RV64I', 'Add upper immediate to pc: rd = pc + (imm20 << 12); the first half of a pc-relative address.');
def('jal', 'rd, offset', 'J', 'RV64I', 'Jump and link: rd = pc + 4, then jump to pc + offset (±1 MiB).', { aliases: 'jal offset → jal ra, offset' });
def('jalr', 'rd, offset(rs1)', 'I', 'RV64I', 'Jump and link register: rd = pc + 4, then jump to (rs1 + offset) with bit 0 cleared.', { aliases: 'jalr rs → jalr ra, 0(rs)' });
for (const [m, what] of [['beq', 'rs1 = rs2'], ['bne', 'rs1 ≠ rs2'], ['blt', 'rs1 < rs2 (signed)'], ['bge', 'rs1 ≥ rs2 (signed)'],
  ['bltu', 'rs1 < rs2 (unsigned)'], ['bgeu', 'rs1 ≥ rs2 (unsigned)']] as const) {
  def(m, 'rs1, rs2, offset', 'B', 'RV64I', `Branch to pc + offset (±4 KiB) if ${what}.`);
}
for (const [m, what] of [['lb', 'a byte, sign-extended'], ['lh', 'a 16-bit halfword, sign-extended'], ['lw', 'a 32-bit word, sign-extended'],
  ['ld', 'a 64-bit doubleword'], ['lbu', 'a byte, zero-extended'], ['lhu', 'a 16-bit halfword, zero-extended'], ['lwu', 'a 32-bit word, zero-extended']] as const) {
  def(m, 'rd, offset(rs1)', 'I', 'RV64I', `Load ${what} from address rs1 + offset into rd.`, { aliases: `${m} rd, symbol → auipc rd + ${m} (pc-relative)` });
}
for (const [m, what] of [['sb', 'low byte'], ['sh', 'low 16 bits'], ['sw', 'low 32 bits'], ['sd', '64 bits']] as const) {
  def(m, 'rs2, offset(rs1)', 'S', 'RV64I', `Store the ${what} of rs2 at address rs1 + offset.`, { aliases: `${m} rs2, symbol, rt → auipc rt + ${m} (pc-relative)` });
}
def('addi', 'rd, rs1, imm', 'I', 'RV64I', 'rd = rs1 + imm (12-bit signed immediate); overflow is ignored.');
def('slti', 'rd, rs1, imm', 'I', 'RV64I', 'Set if less than immediate: rd = 1 if rs1 < imm (signed), else 0.');
def('sltiu', 'rd, rs1, imm', 'I', 'RV64I', 'Set if less than immediate, unsigned: rd = 1 if rs1 < imm (sign-extended, then compared unsigned), else 0.');
def('xori', 'rd, rs1, imm', 'I', 'RV64I', 'rd = rs1 XOR imm (sign-extended); imm = -1 is bitwise NOT.');
def('ori', 'rd, rs1, imm', 'I', 'RV64I', 'rd = rs1 OR imm (sign-extended).');
def('andi', 'rd, rs1, imm', 'I', 'RV64I', 'rd = rs1 AND imm (sign-extended).');
def('slli', 'rd, rs1, shamt', 'I', 'RV64I', 'Shift left logical by a 6-bit immediate.');
def('srli', 'rd, rs1, shamt', 'I', 'RV64I', 'Shift right logical (zeros in) by a 6-bit immediate.');
def('srai', 'rd, rs1, shamt', 'I', 'RV64I', 'Shift right arithmetic (sign bit in) by a 6-bit immediate.');
def('add', 'rd, rs1, rs2', 'R', 'RV64I', 'rd = rs1 + rs2; overflow is ignored.');
def('sub', 'rd, rs1, rs2', 'R', 'RV64I', 'rd = rs1 − rs2; overflow is ignored.');
def('sll', 'rd, rs1, rs2', 'R', 'RV64I', 'Shift left logical by the low 6 bits of rs2.');
def('slt', 'rd, rs1, rs2', 'R', 'RV64I', 'Set if less than: rd = 1 if rs1 < rs2 (signed), else 0.');
def('sltu', 'rd, rs1, rs2', 'R', 'RV64I', 'Set if less than, unsigned: rd = 1 if rs1 < rs2 (unsigned), else 0.');
def('xor', 'rd, rs1, rs2', 'R', 'RV64I', 'rd = rs1 XOR rs2.');
def('srl', 'rd, rs1, rs2', 'R', 'RV64I', 'Shift right logical by the low 6 bits of rs2.');
def('sra', 'rd, rs1, rs2', 'R', 'RV64I', 'Shift right arithmetic by the low 6 bits of rs2.');
def('or', 'rd, rs1, rs2', 'R', 'RV64I', 'rd = rs1 OR rs2.');
def('and', 'rd, rs1, rs2', 'R', 'RV64I', 'rd = rs1 AND rs2.');
def('addiw', 'rd, rs1, imm', 'I', 'RV64I', 'Add immediate on 32 bits: rd = sign-extended low 32 bits of (rs1 + imm).');
def('slliw', 'rd, rs1, shamt', 'I', 'RV64I', 'Shift the low 32 bits left by a 5-bit immediate; the 32-bit result is sign-extended.');
def('srliw', 'rd, rs1, shamt', 'I', 'RV64I', 'Shift the low 32 bits right logically by a 5-bit immediate; the result is sign-extended.');
def('sraiw', 'rd, rs1, shamt', 'I', 'RV64I', 'Shift the low 32 bits right arithmetically by a 5-bit immediate; the result is sign-extended.');
def('addw', 'rd, rs1, rs2', 'R', 'RV64I', 'Add on 32 bits: rd = sign-extended low 32 bits of (rs1 + rs2).');
def('subw', 'rd, rs1, rs2', 'R', 'RV64I', 'Subtract on 32 bits: rd = sign-extended low 32 bits of (rs1 − rs2).');
def('sllw', 'rd, rs1, rs2', 'R', 'RV64I', 'Shift the low 32 bits left by rs2[4:0]; the result is sign-extended.');
def('srlw', 'rd, rs1, rs2', 'R', 'RV64I', 'Shift the low 32 bits right logically by rs2[4:0]; the result is sign-extended.');
def('sraw', 'rd, rs1, rs2', 'R', 'RV64I', 'Shift the low 32 bits right arithmetically by rs2[4:0]; the result is sign-extended.');
def('fence', 'pred, succ', 'I', 'RV64I', 'Memory fence: the accesses of the predecessor set (i, o, r, w) are ordered before those of the successor set.', { aliases: 'fence → fence iorw, iorw' });
def('fence.tso', '', 'I', 'RV64I', 'Total-store-order fence: orders loads before later loads and stores, and stores before later stores.');
def('ecall', '', 'I', 'RV64I', 'Environment call: raise an ecall exception to the next more privileged mode (a system call; from S-mode an SBI call: a7 = extension, a6 = function, a0–a5 = arguments).');
def('ebreak', '', 'I', 'RV64I', 'Raise a breakpoint exception (for debuggers; Linux BUG()/WARN() use it too).');
def('fence.i', '', 'I', 'Zifencei', "Instruction fence: make this hart's earlier stores visible to its later instruction fetches.");
def('pause', '', 'I', 'Zihintpause', 'Hint that the hart is spin-waiting: it may slow down or yield for a short while (a FENCE with pred = w, succ = none).');

// ---- M ----
def('mul', 'rd, rs1, rs2', 'R', 'M', 'Multiply: rd = low 64 bits of rs1 × rs2.');
def('mulh', 'rd, rs1, rs2', 'R', 'M', 'Multiply high: rd = high 64 bits of the 128-bit product, both signed.');
def('mulhsu', 'rd, rs1, rs2', 'R', 'M', 'Multiply high: rd = high 64 bits of the 128-bit product, rs1 signed × rs2 unsigned.');
def('mulhu', 'rd, rs1, rs2', 'R', 'M', 'Multiply high: rd = high 64 bits of the 128-bit product, both unsigned.');
def('div', 'rd, rs1, rs2', 'R', 'M', 'Signed divide, rounding toward zero (÷0 gives −1; overflow gives the dividend); never traps.');
def('divu', 'rd, rs1, rs2', 'R', 'M', 'Unsigned divide (÷0 gives all ones); never traps.');
def('rem', 'rd, rs1, rs2', 'R', 'M', 'Signed remainder, with the sign of the dividend (%0 gives the dividend).');
def('remu', 'rd, rs1, rs2', 'R', 'M', 'Unsigned remainder (%0 gives the dividend).');
def('mulw', 'rd, rs1, rs2', 'R', 'M', 'Multiply the low 32 bits; the low 32 bits of the product are sign-extended.');
def('divw', 'rd, rs1, rs2', 'R', 'M', 'Signed 32-bit divide; the 32-bit quotient is sign-extended.');
def('divuw', 'rd, rs1, rs2', 'R', 'M', 'Unsigned 32-bit divide; the 32-bit quotient is sign-extended.');
def('remw', 'rd, rs1, rs2', 'R', 'M', 'Signed 32-bit remainder, sign-extended.');
def('remuw', 'rd, rs1, rs2', 'R', 'M', 'Unsigned 32-bit remainder, sign-extended.');

// ---- A: every form with its .aq / .rl / .aqrl ordering suffixes ----
const ORDERING: ReadonlyArray<[string, string]> = [['', ''], ['.aq', ' Acquire: no later access of this hart is seen before it.'],
  ['.rl', ' Release: no earlier access of this hart is seen after it.'], ['.aqrl', ' Acquire and release (sequentially consistent).']];
for (const [size, what, note] of [['w', 'word', ' (the loaded word is sign-extended into rd)'], ['d', 'doubleword', '']] as const) {
  for (const [suffix, order] of ORDERING) {
    def(`lr.${size}${suffix}`, 'rd, (rs1)', 'R', 'A', `Load-reserved ${what}: load from rs1 and reserve the address for a following sc.${size}${note}.${order}`);
    def(`sc.${size}${suffix}`, 'rd, rs2, (rs1)', 'R', 'A', `Store-conditional ${what}: store rs2 at rs1 if the reservation still holds; rd = 0 on success, non-zero on failure.${order}`);
    for (const [op, does] of [['swap', 'mem = rs2'], ['add', 'mem = mem + rs2'], ['xor', 'mem = mem XOR rs2'], ['and', 'mem = mem AND rs2'],
      ['or', 'mem = mem OR rs2'], ['min', 'mem = signed minimum of mem and rs2'], ['max', 'mem = signed maximum of mem and rs2'],
      ['minu', 'mem = unsigned minimum of mem and rs2'], ['maxu', 'mem = unsigned maximum of mem and rs2']] as const) {
      def(`amo${op}.${size}${suffix}`, 'rd, rs2, (rs1)', 'R', 'A', `Atomic memory operation on the ${what} at rs1: rd = old value${note}; ${does}.${order}`);
    }
  }
}

// ---- F and D ----
for (const [t, ext, prec, intw] of [['s', 'F', 'single-precision', 'w'], ['d', 'D', 'double-precision', 'd']] as const) {
  const bits = t === 's' ? 32 : 64;
  def(t === 's' ? 'flw' : 'fld', 'fd, offset(rs1)', 'I', ext, `Load a ${prec} value from address rs1 + offset${t === 's' ? ' (NaN-boxed in fd)' : ''}.`);
  def(t === 's' ? 'fsw' : 'fsd', 'fs2, offset(rs1)', 'S', ext, `Store the ${prec} value of fs2 at address rs1 + offset.`);
  def(`fmadd.${t}`, 'fd, fs1, fs2, fs3[, rm]', 'R4', ext, 'Fused multiply-add: fd = fs1 × fs2 + fs3, rounded once.');
  def(`fmsub.${t}`, 'fd, fs1, fs2, fs3[, rm]', 'R4', ext, 'Fused multiply-subtract: fd = fs1 × fs2 − fs3, rounded once.');
  def(`fnmsub.${t}`, 'fd, fs1, fs2, fs3[, rm]', 'R4', ext, 'Negated fused multiply-subtract: fd = −(fs1 × fs2) + fs3, rounded once.');
  def(`fnmadd.${t}`, 'fd, fs1, fs2, fs3[, rm]', 'R4', ext, 'Negated fused multiply-add: fd = −(fs1 × fs2) − fs3, rounded once.');
  def(`fadd.${t}`, 'fd, fs1, fs2[, rm]', 'R', ext, `${prec} add: fd = fs1 + fs2.`);
  def(`fsub.${t}`, 'fd, fs1, fs2[, rm]', 'R', ext, `${prec} subtract: fd = fs1 − fs2.`);
  def(`fmul.${t}`, 'fd, fs1, fs2[, rm]', 'R', ext, `${prec} multiply: fd = fs1 × fs2.`);
  def(`fdiv.${t}`, 'fd, fs1, fs2[, rm]', 'R', ext, `${prec} divide: fd = fs1 ÷ fs2.`);
  def(`fsqrt.${t}`, 'fd, fs1[, rm]', 'R', ext, `${prec} square root of fs1.`);
  def(`fsgnj.${t}`, 'fd, fs1, fs2', 'R', ext, "Sign injection: fs1's magnitude with fs2's sign.");
  def(`fsgnjn.${t}`, 'fd, fs1, fs2', 'R', ext, "Sign injection: fs1's magnitude with the opposite of fs2's sign.");
  def(`fsgnjx.${t}`, 'fd, fs1, fs2', 'R', ext, "Sign injection: fs1's magnitude with the XOR of both signs.");
  def(`fmin.${t}`, 'fd, fs1, fs2', 'R', ext, 'Minimum (−0 < +0; with one NaN operand the other one).');
  def(`fmax.${t}`, 'fd, fs1, fs2', 'R', ext, 'Maximum (−0 < +0; with one NaN operand the other one).');
  def(`feq.${t}`, 'rd, fs1, fs2', 'R', ext, 'rd = 1 if fs1 = fs2, else 0 (quiet: only signaling NaNs raise invalid).');
  def(`flt.${t}`, 'rd, fs1, fs2', 'R', ext, 'rd = 1 if fs1 < fs2, else 0 (any NaN raises invalid).');
  def(`fle.${t}`, 'rd, fs1, fs2', 'R', ext, 'rd = 1 if fs1 ≤ fs2, else 0 (any NaN raises invalid).');
  def(`fclass.${t}`, 'rd, fs1', 'R', ext, 'Classify fs1: one bit of rd set among −∞, negative normal, negative subnormal, −0, +0, positive subnormal, positive normal, +∞, signaling NaN, quiet NaN.');
  for (const [it, what] of [['w', 'signed 32-bit'], ['wu', 'unsigned 32-bit'], ['l', 'signed 64-bit'], ['lu', 'unsigned 64-bit']] as const) {
    def(`fcvt.${it}.${t}`, 'rd, fs1[, rm]', 'R', ext, `Convert ${prec} fs1 to a ${what} integer in rd${it.startsWith('w') ? ' (sign-extended)' : ''}; out of range saturates and raises invalid.`);
    def(`fcvt.${t}.${it}`, 'fd, rs1[, rm]', 'R', ext, `Convert the ${what} integer in rs1 to ${prec}.`);
  }
  def(`fmv.x.${intw}`, 'rd, fs1', 'R', ext, `Move the ${bits}-bit pattern of fs1 to rd${t === 's' ? ', sign-extended' : ''} (no conversion).`);
  def(`fmv.${intw}.x`, 'fd, rs1', 'R', ext, `Move the low ${bits} bits of rs1 into fd${t === 's' ? ' (NaN-boxed)' : ''} (no conversion).`);
}
def('fcvt.s.d', 'fd, fs1[, rm]', 'R', 'D', 'Convert double-precision fs1 to single-precision.');
def('fcvt.d.s', 'fd, fs1', 'R', 'D', 'Convert single-precision fs1 to double-precision (exact).');

// ---- Zicsr ----
def('csrrw', 'rd, csr, rs1', 'I', 'Zicsr', 'Atomic swap: rd = old CSR value, CSR = rs1 (with rd = x0 the CSR is not read).');
def('csrrs', 'rd, csr, rs1', 'I', 'Zicsr', 'Atomic read and set bits: rd = CSR, CSR |= rs1 (with rs1 = x0 the CSR is not written).');
def('csrrc', 'rd, csr, rs1', 'I', 'Zicsr', 'Atomic read and clear bits: rd = CSR, CSR &= ~rs1 (with rs1 = x0 the CSR is not written).');
def('csrrwi', 'rd, csr, uimm5', 'I', 'Zicsr', 'Atomic swap with a 5-bit immediate: rd = old CSR value, CSR = uimm5.');
def('csrrsi', 'rd, csr, uimm5', 'I', 'Zicsr', 'Atomic read and set the bits of a 5-bit immediate (uimm5 = 0: no write).');
def('csrrci', 'rd, csr, uimm5', 'I', 'Zicsr', 'Atomic read and clear the bits of a 5-bit immediate (uimm5 = 0: no write).');

// ---- privileged ----
def('sret', '', 'R', 'Priv', 'Return from an S-mode trap: pc = sepc, privilege = sstatus.SPP, SIE = SPIE.');
def('mret', '', 'R', 'Priv', 'Return from an M-mode trap: pc = mepc, privilege = mstatus.MPP, MIE = MPIE.');
def('wfi', '', 'R', 'Priv', 'Wait for interrupt: the hart may sleep until an interrupt is pending (rvisor fast-forwards time to the next timer).');
def('sfence.vma', 'rs1, rs2', 'R', 'Priv', 'Order earlier page-table stores before later translations and flush cached translations: rs1 = virtual address (x0: all), rs2 = ASID (x0: all).');
def('uret', '', 'R', 'Priv', 'Return from a U-mode trap (the withdrawn N extension; illegal on rvisor).');
def('dret', '', 'R', 'Priv', 'Return from debug mode (external debug support; illegal outside debug mode).');
def('sfence.vm', 'rs1', 'R', 'Priv', 'The privileged spec 1.9 TLB fence, replaced by sfence.vma.');

// ---- hypervisor (what the disassembler knows; rvisor's hart does not implement H) ----
def('hfence.vvma', 'rs1, rs2', 'R', 'H', 'Fence for guest (VS-stage) translations: rs1 = guest virtual address, rs2 = guest ASID (x0: all).');
def('hfence.gvma', 'rs1, rs2', 'R', 'H', 'Fence for G-stage translations: rs1 = guest physical address >> 2, rs2 = VMID (x0: all).');
for (const [m, what] of [['hlv.b', 'a byte, sign-extended'], ['hlv.bu', 'a byte, zero-extended'], ['hlv.h', 'a halfword, sign-extended'],
  ['hlv.hu', 'a halfword, zero-extended'], ['hlv.w', 'a word, sign-extended'], ['hlv.wu', 'a word, zero-extended'], ['hlv.d', 'a doubleword'],
  ['hlvx.hu', 'a halfword with execute permission, zero-extended'], ['hlvx.wu', 'a word with execute permission, zero-extended']] as const) {
  def(m, 'rd, (rs1)', 'R', 'H', `Load ${what} as the guest (VS/VU-mode translation) would.`);
}
for (const [m, what] of [['hsv.b', 'byte'], ['hsv.h', 'halfword'], ['hsv.w', 'word'], ['hsv.d', 'doubleword']] as const) {
  def(m, 'rs2, (rs1)', 'R', 'H', `Store a ${what} as the guest (VS/VU-mode translation) would.`);
}

// ---- Zba ----
def('add.uw', 'rd, rs1, rs2', 'R', 'Zba', 'rd = rs2 + zero-extended low 32 bits of rs1.');
for (const n of [1, 2, 3]) {
  def(`sh${n}add`, 'rd, rs1, rs2', 'R', 'Zba', `Shift and add: rd = rs2 + (rs1 << ${n}) (indexing an array of ${1 << n}-byte elements).`);
  def(`sh${n}add.uw`, 'rd, rs1, rs2', 'R', 'Zba', `rd = rs2 + (zero-extended low 32 bits of rs1 << ${n}).`);
}
def('slli.uw', 'rd, rs1, shamt', 'I', 'Zba', 'rd = zero-extended low 32 bits of rs1, shifted left by shamt.');

// ---- Zbb ----
def('andn', 'rd, rs1, rs2', 'R', 'Zbb', 'rd = rs1 AND NOT rs2.');
def('orn', 'rd, rs1, rs2', 'R', 'Zbb', 'rd = rs1 OR NOT rs2.');
def('xnor', 'rd, rs1, rs2', 'R', 'Zbb', 'rd = NOT (rs1 XOR rs2).');
def('clz', 'rd, rs1', 'R', 'Zbb', 'Count leading zero bits of rs1 (64 when rs1 = 0).');
def('clzw', 'rd, rs1', 'R', 'Zbb', 'Count leading zero bits of the low 32 bits of rs1.');
def('ctz', 'rd, rs1', 'R', 'Zbb', 'Count trailing zero bits of rs1 (64 when rs1 = 0).');
def('ctzw', 'rd, rs1', 'R', 'Zbb', 'Count trailing zero bits of the low 32 bits of rs1.');
def('cpop', 'rd, rs1', 'R', 'Zbb', 'Count the set bits of rs1.');
def('cpopw', 'rd, rs1', 'R', 'Zbb', 'Count the set bits of the low 32 bits of rs1.');
def('max', 'rd, rs1, rs2', 'R', 'Zbb', 'rd = the larger of rs1 and rs2 (signed).');
def('maxu', 'rd, rs1, rs2', 'R', 'Zbb', 'rd = the larger of rs1 and rs2 (unsigned).');
def('min', 'rd, rs1, rs2', 'R', 'Zbb', 'rd = the smaller of rs1 and rs2 (signed).');
def('minu', 'rd, rs1, rs2', 'R', 'Zbb', 'rd = the smaller of rs1 and rs2 (unsigned).');
def('sext.b', 'rd, rs1', 'R', 'Zbb', 'Sign-extend the low byte of rs1.');
def('sext.h', 'rd, rs1', 'R', 'Zbb', 'Sign-extend the low halfword of rs1.');
def('zext.h', 'rd, rs1', 'R', 'Zbb', 'Zero-extend the low halfword of rs1.');
def('rol', 'rd, rs1, rs2', 'R', 'Zbb', 'Rotate rs1 left by rs2[5:0].');
def('ror', 'rd, rs1, rs2', 'R', 'Zbb', 'Rotate rs1 right by rs2[5:0].');
def('rori', 'rd, rs1, shamt', 'I', 'Zbb', 'Rotate rs1 right by a 6-bit immediate.');
def('rolw', 'rd, rs1, rs2', 'R', 'Zbb', 'Rotate the low 32 bits left by rs2[4:0]; the result is sign-extended.');
def('rorw', 'rd, rs1, rs2', 'R', 'Zbb', 'Rotate the low 32 bits right by rs2[4:0]; the result is sign-extended.');
def('roriw', 'rd, rs1, shamt', 'I', 'Zbb', 'Rotate the low 32 bits right by a 5-bit immediate; the result is sign-extended.');
def('orc.b', 'rd, rs1', 'I', 'Zbb', 'OR-combine bytes: each byte of rd is 0xff if that byte of rs1 is non-zero, else 0 (strlen-style zero-byte search).');
def('rev8', 'rd, rs1', 'I', 'Zbb', 'Reverse the byte order of rs1 (endianness swap).');

// ---- Zbs ----
for (const [b, what] of [['bclr', 'rs1 with bit {n} cleared'], ['bset', 'rs1 with bit {n} set'], ['binv', 'rs1 with bit {n} inverted'], ['bext', 'bit {n} of rs1 (0 or 1)']] as const) {
  def(b, 'rd, rs1, rs2', 'R', 'Zbs', `rd = ${what.replace('{n}', 'rs2[5:0]')}.`);
  def(`${b}i`, 'rd, rs1, shamt', 'I', 'Zbs', `rd = ${what.replace('{n}', 'shamt')}.`);
}

// ---- C (RV64C) ----
const c = (m: string, operands: string, format: string, expansion: string, summary: string, ext = 'C'): void =>
  def(m, operands, format, ext, summary, { expansion });
c('c.addi4spn', "rd', uimm", 'CIW', "addi rd', sp, uimm", 'Add a scaled non-zero immediate (multiple of 4, < 1024) to sp: a stack address in x8–x15.');
c('c.fld', "fd', uimm(rs1')", 'CL', "fld fd', uimm(rs1')", 'Load a double from a small scaled offset (multiple of 8).');
c('c.lw', "rd', uimm(rs1')", 'CL', "lw rd', uimm(rs1')", 'Load a word from a small scaled offset (multiple of 4).');
c('c.ld', "rd', uimm(rs1')", 'CL', "ld rd', uimm(rs1')", 'Load a doubleword from a small scaled offset (multiple of 8).');
c('c.fsd', "fs2', uimm(rs1')", 'CS', "fsd fs2', uimm(rs1')", 'Store a double at a small scaled offset.');
c('c.sw', "rs2', uimm(rs1')", 'CS', "sw rs2', uimm(rs1')", 'Store a word at a small scaled offset.');
c('c.sd', "rs2', uimm(rs1')", 'CS', "sd rs2', uimm(rs1')", 'Store a doubleword at a small scaled offset.');
c('c.nop', '', 'CI', 'addi x0, x0, 0', 'No operation.');
c('c.addi', 'rd, nzimm', 'CI', 'addi rd, rd, nzimm', 'Add a non-zero 6-bit signed immediate to rd.');
c('c.addiw', 'rd, imm', 'CI', 'addiw rd, rd, imm', 'Add a 6-bit signed immediate on 32 bits, sign-extending the result (rd ≠ x0).');
c('c.li', 'rd, imm', 'CI', 'addi rd, x0, imm', 'Load a 6-bit signed immediate.');
c('c.addi16sp', 'sp, nzimm', 'CI', 'addi sp, sp, nzimm', 'Adjust sp by a non-zero multiple of 16 (−512 to 496): stack frames.');
c('c.lui', 'rd, nzimm', 'CI', 'lui rd, nzimm', 'Load a non-zero 6-bit immediate into bits 17:12 (rd ≠ x0, x2).');
c('c.srli', "rd', shamt", 'CB', "srli rd', rd', shamt", 'Shift right logical by an immediate.');
c('c.srai', "rd', shamt", 'CB', "srai rd', rd', shamt", 'Shift right arithmetic by an immediate.');
c('c.andi', "rd', imm", 'CB', "andi rd', rd', imm", 'AND with a 6-bit signed immediate.');
c('c.sub', "rd', rs2'", 'CA', "sub rd', rd', rs2'", 'Subtract.');
c('c.xor', "rd', rs2'", 'CA', "xor rd', rd', rs2'", 'Exclusive OR.');
c('c.or', "rd', rs2'", 'CA', "or rd', rd', rs2'", 'OR.');
c('c.and', "rd', rs2'", 'CA', "and rd', rd', rs2'", 'AND.');
c('c.subw', "rd', rs2'", 'CA', "subw rd', rd', rs2'", 'Subtract on 32 bits, sign-extending the result.');
c('c.addw', "rd', rs2'", 'CA', "addw rd', rd', rs2'", 'Add on 32 bits, sign-extending the result.');
c('c.j', 'offset', 'CJ', 'jal x0, offset', 'Jump (±2 KiB).');
c('c.beqz', "rs1', offset", 'CB', "beq rs1', x0, offset", 'Branch if zero (±256 bytes).');
c('c.bnez', "rs1', offset", 'CB', "bne rs1', x0, offset", 'Branch if not zero (±256 bytes).');
c('c.slli', 'rd, shamt', 'CI', 'slli rd, rd, shamt', 'Shift left logical by an immediate.');
c('c.fldsp', 'fd, uimm(sp)', 'CI', 'fld fd, uimm(sp)', 'Load a double from the stack (offset a multiple of 8).');
c('c.lwsp', 'rd, uimm(sp)', 'CI', 'lw rd, uimm(sp)', 'Load a word from the stack (offset a multiple of 4; rd ≠ x0).');
c('c.ldsp', 'rd, uimm(sp)', 'CI', 'ld rd, uimm(sp)', 'Load a doubleword from the stack (offset a multiple of 8; rd ≠ x0).');
c('c.jr', 'rs1', 'CR', 'jalr x0, 0(rs1)', 'Jump to the address in rs1 (rs1 ≠ x0).');
c('c.mv', 'rd, rs2', 'CR', 'add rd, x0, rs2', 'Copy rs2 to rd (rs2 ≠ x0).');
c('c.ebreak', '', 'CR', 'ebreak', 'Breakpoint exception.');
c('c.jalr', 'rs1', 'CR', 'jalr ra, 0(rs1)', 'Call the address in rs1 (ra = pc + 2).');
c('c.add', 'rd, rs2', 'CR', 'add rd, rd, rs2', 'Add rs2 to rd.');
c('c.fsdsp', 'fs2, uimm(sp)', 'CSS', 'fsd fs2, uimm(sp)', 'Store a double on the stack.');
c('c.swsp', 'rs2, uimm(sp)', 'CSS', 'sw rs2, uimm(sp)', 'Store a word on the stack.');
c('c.sdsp', 'rs2, uimm(sp)', 'CSS', 'sd rs2, uimm(sp)', 'Store a doubleword on the stack.');
c('c.unimp', '', 'CI', '(0x0000)', 'The all-zeros halfword: always an illegal instruction.');
c('c.slli64', 'rd', 'CI', '(a HINT)', 'Shift by 0: a HINT (an RV128 shift of 64) that does nothing on RV64.');
c('c.srli64', "rd'", 'CB', '(a HINT)', 'Shift by 0: a HINT (an RV128 shift of 64) that does nothing on RV64.');
c('c.srai64', "rd'", 'CB', '(a HINT)', 'Shift by 0: a HINT (an RV128 shift of 64) that does nothing on RV64.');

// ---- pseudo-instructions (the assembler's; the unprivileged manual's assembly-programmer tables) ----
pseudo('nop', '', 'addi x0, x0, 0', 'No operation.');
pseudo('li', 'rd, imm', 'lui/addi(w)/slli sequence', 'Load any 64-bit constant (one to eight instructions).');
pseudo('la', 'rd, symbol', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo (or a GOT load when PIC)', "Load a symbol's address.");
pseudo('lla', 'rd, symbol', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo', "Load a symbol's address pc-relatively (never through the GOT).");
pseudo('la.tls.ie', 'rd, symbol', 'auipc rd, %tls_ie_pcrel_hi(symbol); ld rd, %pcrel_lo(rd)', "Load a thread-local symbol's offset (initial-exec model).");
pseudo('la.tls.gd', 'rd, symbol', 'auipc rd, %tls_gd_pcrel_hi(symbol); addi rd, rd, %pcrel_lo', "Load a thread-local symbol's GOT entry (global-dynamic model).");
pseudo('mv', 'rd, rs', 'addi rd, rs, 0', 'Copy a register.');
pseudo('not', 'rd, rs', 'xori rd, rs, -1', "One's complement.");
pseudo('neg', 'rd, rs', 'sub rd, x0, rs', "Two's complement (negate).");
pseudo('negw', 'rd, rs', 'subw rd, x0, rs', 'Negate on 32 bits, sign-extended.');
pseudo('sext.w', 'rd, rs', 'addiw rd, rs, 0', 'Sign-extend the low 32 bits.');
pseudo('zext.b', 'rd, rs', 'andi rd, rs, 255', 'Zero-extend the low byte.');
pseudo('zext.w', 'rd, rs', 'add.uw rd, rs, x0 (Zba; else slli + srli)', 'Zero-extend the low 32 bits.');
pseudo('seqz', 'rd, rs', 'sltiu rd, rs, 1', 'rd = 1 if rs = 0, else 0.');
pseudo('snez', 'rd, rs', 'sltu rd, x0, rs', 'rd = 1 if rs ≠ 0, else 0.');
pseudo('sltz', 'rd, rs', 'slt rd, rs, x0', 'rd = 1 if rs < 0, else 0.');
pseudo('sgtz', 'rd, rs', 'slt rd, x0, rs', 'rd = 1 if rs > 0, else 0.');
pseudo('sgt', 'rd, rs, rt', 'slt rd, rt, rs', 'rd = 1 if rs > rt (signed), else 0.');
pseudo('sgtu', 'rd, rs, rt', 'sltu rd, rt, rs', 'rd = 1 if rs > rt (unsigned), else 0.');
for (const t of ['s', 'd'] as const) {
  pseudo(`fmv.${t}`, 'fd, fs', `fsgnj.${t} fd, fs, fs`, 'Copy a floating-point register.');
  pseudo(`fabs.${t}`, 'fd, fs', `fsgnjx.${t} fd, fs, fs`, 'Absolute value.');
  pseudo(`fneg.${t}`, 'fd, fs', `fsgnjn.${t} fd, fs, fs`, 'Negate.');
}
pseudo('fmv.x.s', 'rd, fs1', 'fmv.x.w rd, fs1', 'The old name of fmv.x.w.');
pseudo('fmv.s.x', 'fd, rs1', 'fmv.w.x fd, rs1', 'The old name of fmv.w.x.');
pseudo('beqz', 'rs, offset', 'beq rs, x0, offset', 'Branch if rs = 0.');
pseudo('bnez', 'rs, offset', 'bne rs, x0, offset', 'Branch if rs ≠ 0.');
pseudo('blez', 'rs, offset', 'bge x0, rs, offset', 'Branch if rs ≤ 0.');
pseudo('bgez', 'rs, offset', 'bge rs, x0, offset', 'Branch if rs ≥ 0.');
pseudo('bltz', 'rs, offset', 'blt rs, x0, offset', 'Branch if rs < 0.');
pseudo('bgtz', 'rs, offset', 'blt x0, rs, offset', 'Branch if rs > 0.');
pseudo('bgt', 'rs, rt, offset', 'blt rt, rs, offset', 'Branch if rs > rt (signed).');
pseudo('ble', 'rs, rt, offset', 'bge rt, rs, offset', 'Branch if rs ≤ rt (signed).');
pseudo('bgtu', 'rs, rt, offset', 'bltu rt, rs, offset', 'Branch if rs > rt (unsigned).');
pseudo('bleu', 'rs, rt, offset', 'bgeu rt, rs, offset', 'Branch if rs ≤ rt (unsigned).');
pseudo('j', 'offset', 'jal x0, offset', 'Jump (no link).');
pseudo('jr', 'rs', 'jalr x0, 0(rs)', 'Jump to the address in rs.');
pseudo('ret', '', 'jalr x0, 0(ra)', 'Return from a function.');
pseudo('call', 'symbol', 'auipc ra, %pcrel_hi(symbol); jalr ra, %pcrel_lo(ra) (or jal when relaxed)', 'Call a function anywhere within ±2 GiB.');
pseudo('tail', 'symbol', 'auipc t1, %pcrel_hi(symbol); jalr x0, %pcrel_lo(t1)', 'Tail-call a function anywhere within ±2 GiB (clobbers t1).');
pseudo('jump', 'symbol, rt', 'auipc rt, %pcrel_hi(symbol); jalr x0, %pcrel_lo(rt)', 'Jump anywhere within ±2 GiB using rt as scratch.');
pseudo('rdinstret', 'rd', 'csrrs rd, instret, x0', 'Read the retired-instruction counter.');
pseudo('rdcycle', 'rd', 'csrrs rd, cycle, x0', 'Read the cycle counter.');
pseudo('rdtime', 'rd', 'csrrs rd, time, x0', 'Read the real-time counter (mtime; 10 MHz on the virt board).');
pseudo('csrr', 'rd, csr', 'csrrs rd, csr, x0', 'Read a CSR.');
pseudo('csrw', 'csr, rs', 'csrrw x0, csr, rs', 'Write a CSR.');
pseudo('csrs', 'csr, rs', 'csrrs x0, csr, rs', 'Set the bits of rs in a CSR.');
pseudo('csrc', 'csr, rs', 'csrrc x0, csr, rs', 'Clear the bits of rs in a CSR.');
pseudo('csrwi', 'csr, uimm5', 'csrrwi x0, csr, uimm5', 'Write a 5-bit immediate to a CSR.');
pseudo('csrsi', 'csr, uimm5', 'csrrsi x0, csr, uimm5', 'Set the bits of a 5-bit immediate in a CSR.');
pseudo('csrci', 'csr, uimm5', 'csrrci x0, csr, uimm5', 'Clear the bits of a 5-bit immediate in a CSR.');
pseudo('frcsr', 'rd', 'csrrs rd, fcsr, x0', 'Read the floating-point control and status register.');
pseudo('fscsr', '[rd,] rs', 'csrrw rd, fcsr, rs', 'Write fcsr (optionally reading the old value).');
pseudo('frrm', 'rd', 'csrrs rd, frm, x0', 'Read the dynamic rounding mode.');
pseudo('fsrm', '[rd,] rs', 'csrrw rd, frm, rs', 'Write the dynamic rounding mode.');
pseudo('fsrmi', '[rd,] uimm5', 'csrrwi rd, frm, uimm5', 'Write the dynamic rounding mode from an immediate.');
pseudo('frflags', 'rd', 'csrrs rd, fflags, x0', 'Read the accrued floating-point exception flags.');
pseudo('fsflags', '[rd,] rs', 'csrrw rd, fflags, rs', 'Write the accrued exception flags.');
pseudo('fsflagsi', '[rd,] uimm5', 'csrrwi rd, fflags, uimm5', 'Write the accrued exception flags from an immediate.');
pseudo('unimp', '', 'csrrw x0, cycle, x0 (c.unimp with C)', 'Always an illegal instruction (a write to the read-only cycle CSR).');

/** Every mnemonic the tools know, lower case. */
export const INSTRUCTIONS: ReadonlyMap<string, InstructionDoc> = table;

/** The doc of a mnemonic (any case). */
export function instructionDoc(mnemonic: string): InstructionDoc | undefined {
  return table.get(mnemonic.toLowerCase());
}

/** Markdown for a hover on a mnemonic. */
export function instructionMarkdown(doc: InstructionDoc): string {
  const what = doc.kind === 'pseudo' ? 'pseudo-instruction' : doc.kind === 'compressed' ? `compressed instruction, ${doc.format}-format` : `${doc.ext}, ${doc.format}-format`;
  const lines = [`**${doc.mnemonic}** \`${doc.operands}\` — *${what}*`.replace(' `` ', ' '), '', doc.summary];
  if (doc.expansion) lines.push('', `Expands to: \`${doc.expansion}\``);
  if (doc.aliases) lines.push('', `Also: \`${doc.aliases}\``);
  return lines.join('\n');
}

// ---- registers ----

export interface RegisterDoc {
  /** x0–x31 or f0–f31. */
  number: string;
  abi: string;
  role: string;
  /** Preserved across calls (callee-saved)? */
  saved?: boolean;
}

const X_ROLES: Record<string, string> = {
  zero: 'hard-wired zero (writes are discarded)', ra: 'return address', sp: 'stack pointer', gp: 'global pointer (linker relaxation)',
  tp: 'thread pointer (Linux: the current task in the kernel)', s0: 'saved register / frame pointer (fp)',
};

function roleOf(abi: string, fp: boolean): { role: string; saved?: boolean } {
  if (!fp && X_ROLES[abi]) return { role: X_ROLES[abi], saved: abi === 'sp' || abi === 's0' ? true : abi === 'ra' ? false : undefined };
  const base = fp ? abi.slice(1) : abi;
  const n = Number(base.slice(1));
  if (base.startsWith('t')) return { role: `temporary${!fp && n === 0 ? ' (alternate link register)' : ''}`, saved: false };
  if (base.startsWith('s')) return { role: 'saved register', saved: true };
  const sbi = fp ? '' : n === 7 ? '; SBI extension ID / Linux syscall number' : n === 6 ? '; SBI function ID' : n <= 1 ? '; SBI error / value' : '';
  return { role: `function argument${n <= 1 ? ' / return value' : ''}${sbi}`, saved: false };
}

/** Register names the assembler accepts: x0–x31, f0–f31, the ABI names and fp (= s0). */
export function registerDoc(name: string): RegisterDoc | undefined {
  const lower = name.toLowerCase();
  let m = /^x([0-9]|[12][0-9]|3[01])$/.exec(lower);
  let i = m ? Number(m[1]) : lower === 'fp' ? 8 : X_NAMES.indexOf(lower);
  if (i >= 0) return { number: `x${i}`, abi: X_NAMES[i], ...roleOf(X_NAMES[i], false) };
  m = /^f([0-9]|[12][0-9]|3[01])$/.exec(lower);
  i = m ? Number(m[1]) : F_NAMES.indexOf(lower);
  if (i >= 0) return { number: `f${i}`, abi: F_NAMES[i], ...roleOf(F_NAMES[i], true) };
  return undefined;
}

export function registerMarkdown(doc: RegisterDoc): string {
  const saving = doc.saved === true ? ' — callee-saved' : doc.saved === false ? ' — caller-saved' : '';
  return `**${doc.number}** / **${doc.abi}**${doc.abi === 's0' ? ' / **fp**' : ''} — ${doc.role}${saving}`;
}

/** Every register name (numeric and ABI), for the grammar. */
export const REGISTER_NAMES: readonly string[] = [
  ...X_NAMES, 'fp', ...Array.from({ length: 32 }, (_, i) => `x${i}`),
  ...F_NAMES, ...Array.from({ length: 32 }, (_, i) => `f${i}`),
];

// ---- CSRs ----

/** One-line descriptions by CSR name; numbered families (pmpaddr0–63…) by their stem. */
const CSR_TEXT: Record<string, string> = {
  fflags: 'Accrued floating-point exception flags: NV (invalid), DZ (divide by zero), OF (overflow), UF (underflow), NX (inexact) in bits 4:0.',
  frm: 'Dynamic rounding mode (bits 2:0): 0 RNE, 1 RTZ, 2 RDN, 3 RUP, 4 RMM.',
  fcsr: 'Floating-point control and status: frm in bits 7:5, fflags in bits 4:0.',
  cycle: 'Cycle counter (user-readable shadow of mcycle, if mcounteren/scounteren allow).',
  time: 'Real-time counter: the platform timer mtime (10 MHz on the virt board).',
  instret: 'Retired-instruction counter (user-readable shadow of minstret).',
  hpmcounter: 'Hardware performance-monitoring counter (user-readable shadow of mhpmcounterN).',
  sstatus: 'Supervisor status: the S-mode view of mstatus (interrupt enable, previous privilege, FS, SUM, MXR…).',
  sie: 'Supervisor interrupt enable: which S-level interrupts may be taken.',
  stvec: 'Supervisor trap vector: BASE (bits 63:2, 4-byte aligned) and MODE (bits 1:0: 0 direct, 1 vectored: interrupts go to BASE + 4 × cause).',
  scounteren: 'Which counters (cycle, time, instret, hpmcounterN) U-mode may read.',
  senvcfg: 'Supervisor environment configuration (for U-mode: fences, cache-block operations, pointer masking).',
  sscratch: 'Supervisor scratch register: software keeps a pointer here (often the trap frame or per-CPU data) for the trap entry to swap with sp.',
  sepc: 'Supervisor exception program counter: the pc of the trapping (or interrupted) instruction; sret returns there.',
  scause: 'Supervisor trap cause: bit 63 = interrupt, low bits = exception or interrupt code.',
  stval: 'Supervisor trap value: the faulting address, or the illegal instruction bits, depending on the cause.',
  sip: 'Supervisor interrupt pending: which S-level interrupts are pending.',
  stimecmp: 'Supervisor timer compare (Sstc): a supervisor timer interrupt is pending while time ≥ stimecmp.',
  satp: 'Supervisor address translation and protection: MODE (bits 63:60: 0 Bare, 8 Sv39, 9 Sv48, 10 Sv57), ASID (59:44), root page-table PPN (43:0).',
  scountovf: 'Counter-overflow bits of the hpm counters (Sscofpmf), read-only.',
  sstateen: 'Supervisor state enable: grants U-mode access to extension state.',
  scontext: 'Supervisor context for debug triggers.',
  mvendorid: 'JEDEC vendor ID of the core (0: not implemented / non-commercial).',
  marchid: 'Microarchitecture ID.',
  mimpid: 'Implementation (version) ID.',
  mhartid: 'The ID of the hart running the code.',
  mconfigptr: 'Physical address of a configuration data structure (0: none).',
  mstatus: "Machine status: the hart's global interrupt enables, previous privilege and enable at each level, FPU state (FS), memory privilege (MPRV, SUM, MXR) and virtualization traps (TVM, TW, TSR).",
  misa: 'ISA and extensions: MXL (bits 63:62, 2 = 64-bit) and one bit per letter extension (A = bit 0 … Z = bit 25).',
  medeleg: 'Machine exception delegation: the synchronous exceptions (by cause bit) handled in S-mode instead of M-mode.',
  mideleg: 'Machine interrupt delegation: the interrupts (by cause bit) handled in S-mode.',
  mie: 'Machine interrupt enable: which interrupts may be taken (bit = interrupt code).',
  mtvec: 'Machine trap vector: BASE (bits 63:2) and MODE (bits 1:0: 0 direct, 1 vectored).',
  mcounteren: 'Which counters S-mode may read (cycle, time, instret, hpmcounterN).',
  menvcfg: 'Machine environment configuration (for S-mode): STCE (bit 63) enables Sstc stimecmp, PBMTE, ADUE, cache-block operations.',
  mcountinhibit: 'Stops counters from counting (CY bit 0, IR bit 2, HPMn).',
  mhpmevent: 'Event selector for machine performance counter mhpmcounterN.',
  mscratch: 'Machine scratch register, for M-mode trap handlers (typically a per-hart context pointer).',
  mepc: 'Machine exception program counter: the pc of the trapping instruction; mret returns there.',
  mcause: 'Machine trap cause: bit 63 = interrupt, low bits = exception or interrupt code.',
  mtval: 'Machine trap value: the faulting address, or the illegal instruction bits, depending on the cause.',
  mip: 'Machine interrupt pending (bit = interrupt code).',
  mtinst: 'Machine trap instruction (hypervisor extension): a transformed form of the trapping instruction.',
  mtval2: 'Machine second trap value (hypervisor extension): the guest physical address of a guest-page fault, shifted right by 2.',
  mseccfg: 'Machine security configuration (Smepmp: machine-mode PMP policy bits).',
  pmpcfg: 'Physical memory protection configuration: one byte per entry (R, W, X, A = OFF/TOR/NA4/NAPOT, L lock); on RV64 only even-numbered pmpcfg exist.',
  pmpaddr: 'Physical memory protection address register: bits 55:2 of an address (a TOR bound or a NAPOT base-and-size).',
  mcycle: 'Machine cycle counter.',
  minstret: 'Machine retired-instruction counter.',
  mhpmcounter: 'Machine hardware performance-monitoring counter.',
  mstateen: 'Machine state enable: grants lower modes access to extension state.',
  tselect: 'Debug trigger select: which trigger the tdata registers show.',
  tdata1: 'Debug trigger data 1: the selected trigger\'s type and configuration.',
  tdata2: 'Debug trigger data 2: the selected trigger\'s compare value (often an address).',
  tdata3: 'Debug trigger data 3: the selected trigger\'s extra match conditions.',
  tinfo: 'Debug trigger info: which trigger types the selected trigger supports.',
  tcontrol: 'Debug trigger control: M-mode trigger enable around traps.',
  mcontext: 'Machine context for debug triggers.',
  mscontext: 'The old name of scontext.',
  hcontext: 'Hypervisor context for debug triggers.',
  dcsr: 'Debug control and status (debug mode only).',
  dpc: 'Debug pc: where the hart resumes when leaving debug mode.',
  dscratch: 'Debug scratch register (debug mode only).',
  seed: 'Entropy source (Zkr): a polled 16-bit random seed.',
  hstatus: 'Hypervisor status: guest virtualization controls (SPV, SPVP, VTVM, VTW, VTSR, VSXL…).',
  hedeleg: 'Hypervisor exception delegation: which guest exceptions go straight to VS-mode.',
  hideleg: 'Hypervisor interrupt delegation: which interrupts go straight to VS-mode.',
  hie: 'Hypervisor interrupt enable (VS-level and guest external interrupts).',
  htimedelta: 'Added to time for reads in VS/VU-mode.',
  hcounteren: 'Which counters VS-mode may read.',
  hgeie: 'Hypervisor guest external interrupt enable.',
  henvcfg: 'Hypervisor environment configuration (for VS-mode).',
  htval: 'Hypervisor trap value: the guest physical address of a guest-page fault, shifted right by 2.',
  hip: 'Hypervisor interrupt pending.',
  hvip: 'Hypervisor virtual interrupt pending: interrupts injected into the guest.',
  htinst: 'Hypervisor trap instruction: a transformed form of the trapping instruction.',
  hgeip: 'Hypervisor guest external interrupt pending (read-only).',
  hgatp: 'Hypervisor guest address translation: G-stage MODE (Sv39x4…), VMID and root PPN.',
  hstateen: 'Hypervisor state enable: grants VS-mode access to extension state.',
  vsstatus: 'Virtual supervisor status: the guest\'s sstatus.',
  vsie: 'Virtual supervisor interrupt enable: the guest\'s sie.',
  vstvec: 'Virtual supervisor trap vector: the guest\'s stvec.',
  vsscratch: 'Virtual supervisor scratch: the guest\'s sscratch.',
  vsepc: 'Virtual supervisor exception pc: the guest\'s sepc.',
  vscause: 'Virtual supervisor trap cause: the guest\'s scause.',
  vstval: 'Virtual supervisor trap value: the guest\'s stval.',
  vsip: 'Virtual supervisor interrupt pending: the guest\'s sip.',
  vsatp: 'Virtual supervisor address translation: the guest\'s satp (VS-stage).',
};

const CSR_NUMBERS: ReadonlyMap<string, number> = new Map([...CSR_NAMES].map(([n, name]) => [name, n]));

export interface CsrDoc {
  name: string;
  number: number;
  description: string;
  /** Lowest privilege that may access it (address bits 9:8). */
  privilege: 'U' | 'S' | 'HS' | 'M';
  readOnly: boolean;
  /** Bit fields rvisor's CSR table knows, "NAME (bit[s])". */
  fields: string[];
}

const bitRange = (mask: number): string => {
  const lo = 31 - Math.clz32(mask & -mask);
  const hi = 31 - Math.clz32(mask);
  return hi === lo ? `bit ${lo}` : `bits ${hi}:${lo}`;
};

/** Fields of the CSRs whose layout engine/cpu/csr.ts declares. */
function csrFields(name: string): string[] {
  const statusFields = (mask: number): string[] => Object.entries(MSTATUS)
    .filter(([k, v]) => !k.endsWith('_SHIFT') && (v & mask) !== 0)
    .map(([k, v]) => `${k} (${bitRange(v)})`);
  const irqFields = (suffix: string, mask: number): string[] => Object.entries(IRQ)
    .filter(([, bit]) => ((1 << bit) & mask) !== 0)
    .map(([k, bit]) => `${k}${suffix} (bit ${bit}: ${INTERRUPT_NAMES[bit]} interrupt)`);
  switch (name) {
    case 'mstatus': return [...statusFields(~0), 'SD (bit 63: some state dirty)'];
    case 'sstatus': return [...statusFields(SSTATUS_MASK), 'SD (bit 63: some state dirty)'];
    case 'mip': return irqFields('P', ~0);
    case 'mie': return irqFields('E', ~0);
    case 'sip': return irqFields('P', MIP_S);
    case 'sie': return irqFields('E', MIP_S);
    case 'mideleg': return irqFields('', ~0);
    case 'medeleg': return EXCEPTION_NAMES.flatMap((n, i) => ((MEDELEG_WMASK >> i) & 1) !== 0 ? [`bit ${i}: ${n}`] : []);
    case 'mcause': case 'scause':
      return ['Interrupt (bit 63)', `exception codes: ${EXCEPTION_NAMES.map((n, i) => `${i} ${n}`).filter((s) => !s.includes('reserved')).join(', ')}`,
        `interrupt codes: ${INTERRUPT_NAMES.map((n, i) => `${i} ${n}`).filter((s) => !s.includes('reserved')).join(', ')}`];
    default: return [];
  }
}

/** The doc of a CSR by name (the names of engine/cpu/csr.ts CSR_NAMES). */
export function csrDoc(name: string): CsrDoc | undefined {
  const lower = name.toLowerCase();
  const number = CSR_NUMBERS.get(lower);
  if (number === undefined) return undefined;
  const stem = lower.replace(/\d+$/, '');
  const description = CSR_TEXT[lower] ?? CSR_TEXT[stem] ?? 'A control and status register of the privileged architecture.';
  return {
    name: lower, number, description,
    privilege: (['U', 'S', 'HS', 'M'] as const)[(number >> 8) & 3],
    readOnly: (number >> 10) === 3,
    fields: csrFields(lower),
  };
}

export function csrMarkdown(doc: CsrDoc): string {
  const lines = [`**${doc.name}** — CSR 0x${doc.number.toString(16).padStart(3, '0')}, ${doc.privilege}-mode, ${doc.readOnly ? 'read-only' : 'read/write'}`, '', doc.description];
  if (doc.fields.length > 0) lines.push('', ...doc.fields.map((f) => `- ${f}`));
  return lines.join('\n');
}

/** Every CSR name, for the grammar and the checks. */
export const CSR_NAME_LIST: readonly string[] = [...CSR_NUMBERS.keys()];

// ---- relocation operators ----

export const RELOCATIONS: ReadonlyMap<string, string> = new Map([
  ['hi', 'The upper 20 bits of an absolute address, rounded for a following %lo (lui).'],
  ['lo', 'The low 12 bits of an absolute address (addi, loads, stores).'],
  ['pcrel_hi', 'The upper 20 bits of the pc-relative offset to a symbol (auipc).'],
  ['pcrel_lo', 'The low 12 bits of the offset computed by the auipc at the given label.'],
  ['got_pcrel_hi', "The upper 20 bits of the pc-relative offset to a symbol's GOT entry (auipc)."],
  ['tls_ie_pcrel_hi', "The upper 20 bits of the pc-relative offset to a thread-local symbol's GOT entry (initial-exec)."],
  ['tls_gd_pcrel_hi', "The upper 20 bits of the pc-relative offset to a thread-local symbol's GOT entry (global-dynamic)."],
  ['tprel_hi', 'The upper 20 bits of a thread-local symbol\'s offset from tp (local-exec).'],
  ['tprel_lo', 'The low 12 bits of a thread-local symbol\'s offset from tp.'],
  ['tprel_add', 'Marks the add of tp in a local-exec TLS sequence (for relaxation).'],
]);

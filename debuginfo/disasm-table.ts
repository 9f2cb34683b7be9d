// The instruction forms the disassembler knows, written from the RISC-V unprivileged manual (RV64 I, M,
// A, F, D, C, Zicsr, Zifencei, Zba, Zbb, Zbs) and the privileged manual (trap returns, wfi, sfence.vma,
// the hypervisor's fences and loads/stores). Each form is a (match, mask) pair over the instruction bits.
//
// Order matters: the disassembler prints the first form that matches, so the forms GNU objdump prefers
// (pseudo-instructions such as li, mv, beqz, csrr, and its immediate spellings "add a0,a0,1") come before
// the instruction they stand for. The operand words are the names in disasm.ts OPERANDS.

export interface Form {
  /** Mnemonic as objdump prints it. */
  name: string;
  /** (bits & mask) === match selects the form (both as int32). */
  match: number;
  mask: number;
  /** Comma-separated operand templates, e.g. "rd,imm(rs1)"; an operand that renders empty drops its slot. */
  operands: string;
  /** A further condition that a mask cannot say (a field must not be zero, two fields equal). */
  when?: (bits: number) => boolean;
}

type Encoding = readonly [match: number, mask: number];

/** A field of `width` bits at `lo` holding `value`. */
const field = (lo: number, width: number) => (value: number): Encoding =>
  [(value << lo) | 0, (((1 << width) - 1) << lo) | 0];

function form(name: string, parts: readonly Encoding[], operands: string, when?: (bits: number) => boolean): Form {
  let match = 0;
  let mask = 0;
  for (const [m, k] of parts) {
    match |= m;
    mask |= k;
  }
  return { name, match, mask, operands, when };
}

// ---- 32-bit instruction fields ----

const opcode = field(0, 7);
const rd = field(7, 5);
const funct3 = field(12, 3);
const rs1 = field(15, 5);
const rs2 = field(20, 5);
const imm12 = field(20, 12);
const funct7 = field(25, 7);
const funct6 = field(26, 6);
const funct5 = field(27, 5);
const fmt = field(25, 2);
const fenceFm = field(28, 4);
const pred = field(24, 4);
const succ = field(20, 4);

const rs1Of = (w: number): number => (w >>> 15) & 31;
const rs2Of = (w: number): number => (w >>> 20) & 31;
const sameSources = (w: number): boolean => rs1Of(w) === rs2Of(w);

/** Major opcodes (bits 6:0). */
const LOAD = opcode(0x03), LOAD_FP = opcode(0x07), MISC_MEM = opcode(0x0f), OP_IMM = opcode(0x13);
const AUIPC = opcode(0x17), OP_IMM_32 = opcode(0x1b), STORE = opcode(0x23), STORE_FP = opcode(0x27);
const AMO = opcode(0x2f), OP = opcode(0x33), LUI = opcode(0x37), OP_32 = opcode(0x3b);
const MADD = opcode(0x43), MSUB = opcode(0x47), NMSUB = opcode(0x4b), NMADD = opcode(0x4f);
const OP_FP = opcode(0x53), BRANCH = opcode(0x63), JALR = opcode(0x67), JAL = opcode(0x6f);
const SYSTEM = opcode(0x73);

const base: Form[] = [
  form('lui', [LUI], 'rd,uimm20'),
  form('auipc', [AUIPC], 'rd,uimm20'),
  form('j', [JAL, rd(0)], 'jtarget'),
  form('jal', [JAL, rd(1)], 'jtarget'),
  form('jal', [JAL], 'rd,jtarget'),
  form('ret', [JALR, funct3(0), rd(0), rs1(1), imm12(0)], ''),
  form('jr', [JALR, funct3(0), rd(0), imm12(0)], 'rs1'),
  form('jr', [JALR, funct3(0), rd(0)], 'imm(rs1)'),
  form('jalr', [JALR, funct3(0), rd(1), imm12(0)], 'rs1'),
  form('jalr', [JALR, funct3(0), rd(1)], 'imm(rs1)'),
  form('jalr', [JALR, funct3(0), imm12(0)], 'rd,rs1'),
  form('jalr', [JALR, funct3(0)], 'rd,imm(rs1)'),
  form('beqz', [BRANCH, funct3(0), rs2(0)], 'rs1,btarget'),
  form('beq', [BRANCH, funct3(0)], 'rs1,rs2,btarget'),
  form('bnez', [BRANCH, funct3(1), rs2(0)], 'rs1,btarget'),
  form('bne', [BRANCH, funct3(1)], 'rs1,rs2,btarget'),
  form('bltz', [BRANCH, funct3(4), rs2(0)], 'rs1,btarget'),
  form('bgtz', [BRANCH, funct3(4), rs1(0)], 'rs2,btarget'),
  form('blt', [BRANCH, funct3(4)], 'rs1,rs2,btarget'),
  form('blez', [BRANCH, funct3(5), rs1(0)], 'rs2,btarget'),
  form('bgez', [BRANCH, funct3(5), rs2(0)], 'rs1,btarget'),
  form('bge', [BRANCH, funct3(5)], 'rs1,rs2,btarget'),
  form('bltu', [BRANCH, funct3(6)], 'rs1,rs2,btarget'),
  form('bgeu', [BRANCH, funct3(7)], 'rs1,rs2,btarget'),
  ...(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'] as const).map((name, f) => form(name, [LOAD, funct3(f)], 'rd,imm(rs1)')),
  ...(['sb', 'sh', 'sw', 'sd'] as const).map((name, f) => form(name, [STORE, funct3(f)], 'rs2,simm(rs1)')),
  // objdump 2.40 names most immediate forms like their register forms (addi → add, slli → sll, addiw → addw)
  form('nop', [OP_IMM, funct3(0), rd(0), rs1(0), imm12(0)], ''),
  form('li', [OP_IMM, funct3(0), rs1(0)], 'rd,imm'),
  form('mv', [OP_IMM, funct3(0), imm12(0)], 'rd,rs1'),
  form('add', [OP_IMM, funct3(0)], 'rd,rs1,imm'),
  form('slti', [OP_IMM, funct3(2)], 'rd,rs1,imm'),
  form('seqz', [OP_IMM, funct3(3), imm12(1)], 'rd,rs1'),
  form('sltiu', [OP_IMM, funct3(3)], 'rd,rs1,imm'),
  form('not', [OP_IMM, funct3(4), imm12(0xfff)], 'rd,rs1'),
  form('xor', [OP_IMM, funct3(4)], 'rd,rs1,imm'),
  form('or', [OP_IMM, funct3(6)], 'rd,rs1,imm'),
  form('zext.b', [OP_IMM, funct3(7), imm12(0xff)], 'rd,rs1'),
  form('and', [OP_IMM, funct3(7)], 'rd,rs1,imm'),
  form('sll', [OP_IMM, funct3(1), funct6(0)], 'rd,rs1,shamt'),
  form('srl', [OP_IMM, funct3(5), funct6(0)], 'rd,rs1,shamt'),
  form('sra', [OP_IMM, funct3(5), funct6(0x10)], 'rd,rs1,shamt'),
  form('sext.w', [OP_IMM_32, funct3(0), imm12(0)], 'rd,rs1'),
  form('addw', [OP_IMM_32, funct3(0)], 'rd,rs1,imm'),
  form('sllw', [OP_IMM_32, funct3(1), funct7(0)], 'rd,rs1,shamtw'),
  form('srlw', [OP_IMM_32, funct3(5), funct7(0)], 'rd,rs1,shamtw'),
  form('sraw', [OP_IMM_32, funct3(5), funct7(0x20)], 'rd,rs1,shamtw'),
  form('neg', [OP, funct3(0), funct7(0x20), rs1(0)], 'rd,rs2'),
  form('snez', [OP, funct3(3), funct7(0), rs1(0)], 'rd,rs2'),
  form('sltz', [OP, funct3(2), funct7(0), rs2(0)], 'rd,rs1'),
  form('sgtz', [OP, funct3(2), funct7(0), rs1(0)], 'rd,rs2'),
  ...(['add', 'sll', 'slt', 'sltu', 'xor', 'srl', 'or', 'and'] as const).map((name, f) => form(name, [OP, funct3(f), funct7(0)], 'rd,rs1,rs2')),
  form('sub', [OP, funct3(0), funct7(0x20)], 'rd,rs1,rs2'),
  form('sra', [OP, funct3(5), funct7(0x20)], 'rd,rs1,rs2'),
  form('negw', [OP_32, funct3(0), funct7(0x20), rs1(0)], 'rd,rs2'),
  form('addw', [OP_32, funct3(0), funct7(0)], 'rd,rs1,rs2'),
  form('subw', [OP_32, funct3(0), funct7(0x20)], 'rd,rs1,rs2'),
  form('sllw', [OP_32, funct3(1), funct7(0)], 'rd,rs1,rs2'),
  form('srlw', [OP_32, funct3(5), funct7(0)], 'rd,rs1,rs2'),
  form('sraw', [OP_32, funct3(5), funct7(0x20)], 'rd,rs1,rs2'),
  form('fence.tso', [MISC_MEM, funct3(0), fenceFm(8), pred(3), succ(3), rd(0), rs1(0)], ''),
  form('fence', [MISC_MEM, funct3(0), fenceFm(0), pred(15), succ(15), rd(0), rs1(0)], ''),
  form('fence', [MISC_MEM, funct3(0), fenceFm(0), rd(0), rs1(0)], 'pred,succ'),
  form('fence.i', [MISC_MEM, funct3(1), rd(0), rs1(0), imm12(0)], ''),
];

const multiply: Form[] = [
  ...(['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'] as const).map((name, f) => form(name, [OP, funct3(f), funct7(1)], 'rd,rs1,rs2')),
  ...([[0, 'mulw'], [4, 'divw'], [5, 'divuw'], [6, 'remw'], [7, 'remuw']] as const).map(([f, name]) => form(name, [OP_32, funct3(f), funct7(1)], 'rd,rs1,rs2')),
];

/** A: lr/sc/amo, each with its .aq/.rl/.aqrl spellings (bits 26 and 25). */
const ORDERINGS = ['', '.rl', '.aq', '.aqrl'] as const;
const atomic: Form[] = (['w', 'd'] as const).flatMap((size, s) => ORDERINGS.flatMap((order, aqrl) => {
  const parts = (f5: number): Encoding[] => [AMO, funct3(2 + s), funct5(f5), field(25, 2)(aqrl)];
  return [
    form(`lr.${size}${order}`, [...parts(0x02), rs2(0)], 'rd,(rs1)'),
    form(`sc.${size}${order}`, parts(0x03), 'rd,rs2,(rs1)'),
    ...([[0x01, 'amoswap'], [0x00, 'amoadd'], [0x04, 'amoxor'], [0x0c, 'amoand'], [0x08, 'amoor'],
      [0x10, 'amomin'], [0x14, 'amomax'], [0x18, 'amominu'], [0x1c, 'amomaxu']] as const)
      .map(([f5, name]) => form(`${name}.${size}${order}`, parts(f5), 'rd,rs2,(rs1)')),
  ];
}));

/** F and D: the same encodings with fmt 0 (.s) or 1 (.d). */
const floating: Form[] = [
  form('flw', [LOAD_FP, funct3(2)], 'fd,imm(rs1)'),
  form('fld', [LOAD_FP, funct3(3)], 'fd,imm(rs1)'),
  form('fsw', [STORE_FP, funct3(2)], 'fs2,simm(rs1)'),
  form('fsd', [STORE_FP, funct3(3)], 'fs2,simm(rs1)'),
  ...(['s', 'd'] as const).flatMap((t, f) => [
    ...([[MADD, 'fmadd'], [MSUB, 'fmsub'], [NMSUB, 'fnmsub'], [NMADD, 'fnmadd']] as const)
      .map(([op, name]) => form(`${name}.${t}`, [op, fmt(f)], 'fd,fs1,fs2,fs3,rm')),
    ...([[0x00, 'fadd'], [0x04, 'fsub'], [0x08, 'fmul'], [0x0c, 'fdiv']] as const)
      .map(([f7, name]) => form(`${name}.${t}`, [OP_FP, funct7(f7 | f)], 'fd,fs1,fs2,rm')),
    form(`fsqrt.${t}`, [OP_FP, funct7(0x2c | f), rs2(0)], 'fd,fs1,rm'),
    form(`fmv.${t}`, [OP_FP, funct7(0x10 | f), funct3(0)], 'fd,fs1', sameSources),
    form(`fneg.${t}`, [OP_FP, funct7(0x10 | f), funct3(1)], 'fd,fs1', sameSources),
    form(`fabs.${t}`, [OP_FP, funct7(0x10 | f), funct3(2)], 'fd,fs1', sameSources),
    ...(['fsgnj', 'fsgnjn', 'fsgnjx'] as const).map((name, f3) => form(`${name}.${t}`, [OP_FP, funct7(0x10 | f), funct3(f3)], 'fd,fs1,fs2')),
    form(`fmin.${t}`, [OP_FP, funct7(0x14 | f), funct3(0)], 'fd,fs1,fs2'),
    form(`fmax.${t}`, [OP_FP, funct7(0x14 | f), funct3(1)], 'fd,fs1,fs2'),
    form(`feq.${t}`, [OP_FP, funct7(0x50 | f), funct3(2)], 'rd,fs1,fs2'),
    form(`flt.${t}`, [OP_FP, funct7(0x50 | f), funct3(1)], 'rd,fs1,fs2'),
    form(`fle.${t}`, [OP_FP, funct7(0x50 | f), funct3(0)], 'rd,fs1,fs2'),
    form(`fclass.${t}`, [OP_FP, funct7(0x70 | f), funct3(1), rs2(0)], 'rd,fs1'),
    form(`fmv.x.${t === 's' ? 'w' : 'd'}`, [OP_FP, funct7(0x70 | f), funct3(0), rs2(0)], 'rd,fs1'),
    form(`fmv.${t === 's' ? 'w' : 'd'}.x`, [OP_FP, funct7(0x78 | f), funct3(0), rs2(0)], 'fd,rs1'),
    ...(['w', 'wu', 'l', 'lu'] as const).flatMap((int, r) => [
      form(`fcvt.${int}.${t}`, [OP_FP, funct7(0x60 | f), rs2(r)], 'rd,fs1,rm'),
      // int to double is exact for 32-bit ints: objdump knows only rm = 0 there, and prints no rm
      t === 'd' && r < 2
        ? form(`fcvt.d.${int}`, [OP_FP, funct7(0x69), rs2(r), funct3(0)], 'fd,rs1')
        : form(`fcvt.${t}.${int}`, [OP_FP, funct7(0x68 | f), rs2(r)], 'fd,rs1,rm'),
    ]),
  ]),
  form('fcvt.s.d', [OP_FP, funct7(0x20), rs2(1)], 'fd,fs1,rm'),
  form('fcvt.d.s', [OP_FP, funct7(0x21), rs2(0), funct3(0)], 'fd,fs1'),
];

/** Zicsr with objdump's accessor aliases, and the privileged instructions. */
const system: Form[] = [
  form('ecall', [SYSTEM, imm12(0), rs1(0), funct3(0), rd(0)], ''),
  form('ebreak', [SYSTEM, imm12(1), rs1(0), funct3(0), rd(0)], ''),
  form('uret', [SYSTEM, imm12(0x002), rs1(0), funct3(0), rd(0)], ''),
  form('sret', [SYSTEM, imm12(0x102), rs1(0), funct3(0), rd(0)], ''),
  form('mret', [SYSTEM, imm12(0x302), rs1(0), funct3(0), rd(0)], ''),
  form('dret', [SYSTEM, imm12(0x7b2), rs1(0), funct3(0), rd(0)], ''),
  form('wfi', [SYSTEM, imm12(0x105), rs1(0), funct3(0), rd(0)], ''),
  form('sfence.vma', [SYSTEM, funct7(0x09), funct3(0), rd(0), rs1(0), rs2(0)], ''),
  form('sfence.vma', [SYSTEM, funct7(0x09), funct3(0), rd(0), rs2(0)], 'rs1'),
  form('sfence.vma', [SYSTEM, funct7(0x09), funct3(0), rd(0)], 'rs1,rs2'),
  form('sfence.vm', [SYSTEM, imm12(0x104), funct3(0), rd(0), rs1(0)], ''),
  form('sfence.vm', [SYSTEM, imm12(0x104), funct3(0), rd(0)], 'rs1'),
  form('unimp', [SYSTEM, imm12(0xc00), rs1(0), funct3(1), rd(0)], ''),
  form('rdcycle', [SYSTEM, imm12(0xc00), rs1(0), funct3(2)], 'rd'),
  form('rdtime', [SYSTEM, imm12(0xc01), rs1(0), funct3(2)], 'rd'),
  form('rdinstret', [SYSTEM, imm12(0xc02), rs1(0), funct3(2)], 'rd'),
  form('frflags', [SYSTEM, imm12(0x001), rs1(0), funct3(2)], 'rd'),
  form('fsflags', [SYSTEM, imm12(0x001), rd(0), funct3(1)], 'rs1'),
  form('fsflags', [SYSTEM, imm12(0x001), funct3(1)], 'rd,rs1'),
  form('fsflagsi', [SYSTEM, imm12(0x001), funct3(5)], 'rd,zimm'),
  form('frrm', [SYSTEM, imm12(0x002), rs1(0), funct3(2)], 'rd'),
  form('fsrm', [SYSTEM, imm12(0x002), rd(0), funct3(1)], 'rs1'),
  form('fsrm', [SYSTEM, imm12(0x002), funct3(1)], 'rd,rs1'),
  form('fsrmi', [SYSTEM, imm12(0x002), funct3(5)], 'rd,zimm'),
  form('frcsr', [SYSTEM, imm12(0x003), rs1(0), funct3(2)], 'rd'),
  form('fscsr', [SYSTEM, imm12(0x003), rd(0), funct3(1)], 'rs1'),
  form('fscsr', [SYSTEM, imm12(0x003), funct3(1)], 'rd,rs1'),
  form('csrr', [SYSTEM, rs1(0), funct3(2)], 'rd,csr'),
  form('csrw', [SYSTEM, rd(0), funct3(1)], 'csr,rs1'),
  form('csrs', [SYSTEM, rd(0), funct3(2)], 'csr,rs1'),
  form('csrc', [SYSTEM, rd(0), funct3(3)], 'csr,rs1'),
  // objdump spells the immediate forms without their "i" (csrrwi → csrrw, csrsi → csrs)
  form('csrw', [SYSTEM, rd(0), funct3(5)], 'csr,zimm'),
  form('csrs', [SYSTEM, rd(0), funct3(6)], 'csr,zimm'),
  form('csrc', [SYSTEM, rd(0), funct3(7)], 'csr,zimm'),
  ...(['csrrw', 'csrrs', 'csrrc'] as const).flatMap((name, f) => [
    form(name, [SYSTEM, funct3(1 + f)], 'rd,csr,rs1'),
    form(name, [SYSTEM, funct3(5 + f)], 'rd,csr,zimm'),
  ]),
];

/** The hypervisor extension's fences and virtual-machine loads/stores. */
const hypervisor: Form[] = [
  ...([[0x11, 'hfence.vvma'], [0x31, 'hfence.gvma']] as const).flatMap(([f7, name]) => [
    form(name, [SYSTEM, funct7(f7), funct3(0), rd(0), rs1(0), rs2(0)], ''),
    form(name, [SYSTEM, funct7(f7), funct3(0), rd(0), rs2(0)], 'rs1'),
    form(name, [SYSTEM, funct7(f7), funct3(0), rd(0)], 'rs1,rs2'),
  ]),
  ...([[0x30, 0, 'hlv.b'], [0x30, 1, 'hlv.bu'], [0x32, 0, 'hlv.h'], [0x32, 1, 'hlv.hu'], [0x32, 3, 'hlvx.hu'],
    [0x34, 0, 'hlv.w'], [0x34, 1, 'hlv.wu'], [0x34, 3, 'hlvx.wu'], [0x36, 0, 'hlv.d']] as const)
    .map(([f7, r2, name]) => form(name, [SYSTEM, funct3(4), funct7(f7), rs2(r2)], 'rd,(rs1)')),
  ...([[0x31, 'hsv.b'], [0x33, 'hsv.h'], [0x35, 'hsv.w'], [0x37, 'hsv.d']] as const)
    .map(([f7, name]) => form(name, [SYSTEM, funct3(4), funct7(f7), rd(0)], 'rs2,(rs1)')),
];

/** Zba, Zbb, Zbs (RV64 encodings). */
const bitmanip: Form[] = [
  form('zext.w', [OP_32, funct3(0), funct7(0x04), rs2(0)], 'rd,rs1'),
  form('add.uw', [OP_32, funct3(0), funct7(0x04)], 'rd,rs1,rs2'),
  ...([[2, 'sh1add'], [4, 'sh2add'], [6, 'sh3add']] as const).flatMap(([f, name]) => [
    form(name, [OP, funct3(f), funct7(0x10)], 'rd,rs1,rs2'),
    form(`${name}.uw`, [OP_32, funct3(f), funct7(0x10)], 'rd,rs1,rs2'),
  ]),
  form('slli.uw', [OP_IMM_32, funct3(1), funct6(0x02)], 'rd,rs1,shamt'),
  form('andn', [OP, funct3(7), funct7(0x20)], 'rd,rs1,rs2'),
  form('orn', [OP, funct3(6), funct7(0x20)], 'rd,rs1,rs2'),
  form('xnor', [OP, funct3(4), funct7(0x20)], 'rd,rs1,rs2'),
  ...(['clz', 'ctz', 'cpop'] as const).flatMap((name, r) => [
    form(name, [OP_IMM, funct3(1), funct7(0x30), rs2(r)], 'rd,rs1'),
    form(`${name}w`, [OP_IMM_32, funct3(1), funct7(0x30), rs2(r)], 'rd,rs1'),
  ]),
  form('sext.b', [OP_IMM, funct3(1), funct7(0x30), rs2(4)], 'rd,rs1'),
  form('sext.h', [OP_IMM, funct3(1), funct7(0x30), rs2(5)], 'rd,rs1'),
  form('zext.h', [OP_32, funct3(4), funct7(0x04), rs2(0)], 'rd,rs1'),
  form('max', [OP, funct3(6), funct7(0x05)], 'rd,rs1,rs2'),
  form('maxu', [OP, funct3(7), funct7(0x05)], 'rd,rs1,rs2'),
  form('min', [OP, funct3(4), funct7(0x05)], 'rd,rs1,rs2'),
  form('minu', [OP, funct3(5), funct7(0x05)], 'rd,rs1,rs2'),
  form('rol', [OP, funct3(1), funct7(0x30)], 'rd,rs1,rs2'),
  form('ror', [OP, funct3(5), funct7(0x30)], 'rd,rs1,rs2'),
  form('rolw', [OP_32, funct3(1), funct7(0x30)], 'rd,rs1,rs2'),
  form('rorw', [OP_32, funct3(5), funct7(0x30)], 'rd,rs1,rs2'),
  form('ror', [OP_IMM, funct3(5), funct6(0x18)], 'rd,rs1,shamt'),
  form('rorw', [OP_IMM_32, funct3(5), funct7(0x30)], 'rd,rs1,shamtw'),
  form('orc.b', [OP_IMM, funct3(5), imm12(0x287)], 'rd,rs1'),
  form('rev8', [OP_IMM, funct3(5), imm12(0x6b8)], 'rd,rs1'),
  ...([[1, 0x14, 'bset'], [1, 0x24, 'bclr'], [1, 0x34, 'binv'], [5, 0x24, 'bext']] as const).flatMap(([f, f7, name]) => [
    form(name, [OP, funct3(f), funct7(f7)], 'rd,rs1,rs2'),
    form(name, [OP_IMM, funct3(f), funct6(f7 >> 1)], 'rd,rs1,shamt'),
  ]),
];

/** Every 32-bit form, aliases before the forms they stand for. */
export const FORMS_32: readonly Form[] = [...base, ...multiply, ...atomic, ...floating, ...system, ...hypervisor, ...bitmanip];

// ---- 16-bit (C extension) fields: quadrant in bits 1:0, funct3 in bits 15:13 ----

const quadrant = field(0, 2);
const cfunct3 = field(13, 3);
const cbit12 = field(12, 1);
const crd = field(7, 5);
const crs2 = field(2, 5);
const cfunct2 = field(10, 2);
const cfunct2low = field(5, 2);

const cRd = (w: number): number => (w >>> 7) & 31;
const cRs2 = (w: number): number => (w >>> 2) & 31;
/** The 6-bit immediate of CI forms (bit 12 and bits 6:2). */
const cImm6 = (w: number): number => (((w >>> 12) & 1) << 5) | ((w >>> 2) & 31);

const Q0 = quadrant(0), Q1 = quadrant(1), Q2 = quadrant(2);

/** RV64C, printed as the instructions they expand to (objdump's default); hints keep their c. names. */
export const FORMS_16: readonly Form[] = [
  form('unimp', [field(0, 16)(0)], ''),
  form('add', [Q0, cfunct3(0)], 'crs2p,sp,caddi4spn', (w) => ((w >>> 5) & 0xff) !== 0),
  form('fld', [Q0, cfunct3(1)], 'cfrs2p,cld(crs1p)'),
  form('lw', [Q0, cfunct3(2)], 'crs2p,clw(crs1p)'),
  form('ld', [Q0, cfunct3(3)], 'crs2p,cld(crs1p)'),
  form('fsd', [Q0, cfunct3(5)], 'cfrs2p,cld(crs1p)'),
  form('sw', [Q0, cfunct3(6)], 'crs2p,clw(crs1p)'),
  form('sd', [Q0, cfunct3(7)], 'crs2p,cld(crs1p)'),

  form('nop', [Q1, cfunct3(0), crd(0)], '', (w) => cImm6(w) === 0),
  form('c.nop', [Q1, cfunct3(0), crd(0)], 'cimm'),
  form('add', [Q1, cfunct3(0)], 'crd,crd,cimm'),
  form('sext.w', [Q1, cfunct3(1), cbit12(0), crs2(0)], 'crd,crd', (w) => cRd(w) !== 0),
  form('addw', [Q1, cfunct3(1)], 'crd,crd,cimm', (w) => cRd(w) !== 0),
  form('c.li', [Q1, cfunct3(2), crd(0)], 'crd,cimm'),
  form('li', [Q1, cfunct3(2)], 'crd,cimm'),
  form('add', [Q1, cfunct3(3), crd(2)], 'sp,sp,caddi16sp'),
  form('c.lui', [Q1, cfunct3(3), crd(0)], 'crd,clui', (w) => cImm6(w) !== 0),
  form('lui', [Q1, cfunct3(3)], 'crd,clui', (w) => cImm6(w) !== 0),
  form('c.srli64', [Q1, cfunct3(4), cfunct2(0), cbit12(0), crs2(0)], 'crs1p'),
  form('srl', [Q1, cfunct3(4), cfunct2(0)], 'crs1p,crs1p,cshamt'),
  form('c.srai64', [Q1, cfunct3(4), cfunct2(1), cbit12(0), crs2(0)], 'crs1p'),
  form('sra', [Q1, cfunct3(4), cfunct2(1)], 'crs1p,crs1p,cshamt'),
  form('and', [Q1, cfunct3(4), cfunct2(2)], 'crs1p,crs1p,cimm'),
  form('sub', [Q1, cfunct3(4), cfunct2(3), cbit12(0), cfunct2low(0)], 'crs1p,crs1p,crs2p'),
  form('xor', [Q1, cfunct3(4), cfunct2(3), cbit12(0), cfunct2low(1)], 'crs1p,crs1p,crs2p'),
  form('or', [Q1, cfunct3(4), cfunct2(3), cbit12(0), cfunct2low(2)], 'crs1p,crs1p,crs2p'),
  form('and', [Q1, cfunct3(4), cfunct2(3), cbit12(0), cfunct2low(3)], 'crs1p,crs1p,crs2p'),
  form('subw', [Q1, cfunct3(4), cfunct2(3), cbit12(1), cfunct2low(0)], 'crs1p,crs1p,crs2p'),
  form('addw', [Q1, cfunct3(4), cfunct2(3), cbit12(1), cfunct2low(1)], 'crs1p,crs1p,crs2p'),
  form('j', [Q1, cfunct3(5)], 'cjtarget'),
  form('beqz', [Q1, cfunct3(6)], 'crs1p,cbtarget'),
  form('bnez', [Q1, cfunct3(7)], 'crs1p,cbtarget'),

  form('c.slli64', [Q2, cfunct3(0), cbit12(0), crs2(0)], 'crd'),
  form('c.slli', [Q2, cfunct3(0), crd(0)], 'crd,cshamt'),
  form('sll', [Q2, cfunct3(0)], 'crd,crd,cshamt'),
  form('fld', [Q2, cfunct3(1)], 'cfrd,cldsp(sp)'),
  form('lw', [Q2, cfunct3(2)], 'crd,clwsp(sp)', (w) => cRd(w) !== 0),
  form('ld', [Q2, cfunct3(3)], 'crd,cldsp(sp)', (w) => cRd(w) !== 0),
  form('ret', [Q2, cfunct3(4), cbit12(0), crd(1), crs2(0)], ''),
  form('jr', [Q2, cfunct3(4), cbit12(0), crs2(0)], 'crd', (w) => cRd(w) !== 0),
  form('c.mv', [Q2, cfunct3(4), cbit12(0), crd(0)], 'crd,crs2', (w) => cRs2(w) !== 0),
  form('mv', [Q2, cfunct3(4), cbit12(0)], 'crd,crs2', (w) => cRs2(w) !== 0),
  form('ebreak', [Q2, cfunct3(4), cbit12(1), crd(0), crs2(0)], ''),
  form('c.add', [Q2, cfunct3(4), cbit12(1), crd(0)], 'crd,crs2'),
  form('jalr', [Q2, cfunct3(4), cbit12(1), crs2(0)], 'crd'),
  form('add', [Q2, cfunct3(4), cbit12(1)], 'crd,crd,crs2'),
  form('fsd', [Q2, cfunct3(5)], 'cfrs2,csdsp(sp)'),
  form('sw', [Q2, cfunct3(6)], 'crs2,cswsp(sp)'),
  form('sd', [Q2, cfunct3(7)], 'crs2,csdsp(sp)'),
];

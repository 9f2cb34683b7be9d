// The disassembler against GNU objdump (binutils 2.40), instruction by instruction: real kernels and
// firmware, an assembled file with every instruction form, every 16-bit pattern, random 32-bit words and
// random byte streams. objdump decodes what the ELF's .riscv.attributes allow, so each input gets the
// attributes of rv64gch_zba_zbb_zbs with privileged spec 1.12 (the CSR names CSR_NAMES follows).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassembleOne, formatInstruction, instructionLength, type DisassembledInstruction } from '../../debuginfo/disasm.ts';
import { FORMS_16, FORMS_32 } from '../../debuginfo/disasm-table.ts';
import { CSR_NAMES } from '../../engine/cpu/csr.ts';
import { prng } from '../helpers/prng.ts';

const TOOL = 'riscv64-unknown-elf-';
const MARCH = 'rv64gch_zicsr_zifencei_zba_zbb_zbs';
const haveTools = spawnSync(`${TOOL}objdump`, ['--version']).status === 0 && spawnSync(`${TOOL}as`, ['--version']).status === 0;
const skip = haveTools ? false : `${TOOL}as/objdump not installed`;

const REAL_ELFS = [
  'guests/demo/demo.elf', 'guests/bench/bench.elf',
  ...['irq', 'mmu', 'pmp', 'rv64a', 'rv64c', 'rv64fd', 'rv64i', 'rv64m', 'traps', 'zb'].map((t) => `guests/tests/${t}.elf`),
  '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf',
  '/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf',
];

let dir = '';
/** objdump's CSR names by number (privileged spec 1.12), to tell a name CSR_NAMES lacks from a wrong one. */
let objdumpCsrNames: string[] = [];
/** Every mnemonic we produced in a comparison that agreed, to check that every table form was exercised. */
const seenMnemonics = new Set<string>();
/** CSR names objdump prints where CSR_NAMES has none (reported, not failures). */
const missingCsrNames = new Map<number, string>();

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

function assemble(name: string, source: string): string {
  const src = join(dir, `${name}.s`);
  const obj = join(dir, `${name}.o`);
  writeFileSync(src, source);
  run(`${TOOL}as`, [`-march=${MARCH}`, '-mpriv-spec=1.12', src, '-o', obj]);
  return obj;
}

/** A copy of an ELF whose .riscv.attributes say MARCH and privileged spec 1.12. */
function withOurAttributes(elf: string, attributes: string): string {
  const copy = join(dir, elf.replace(/[^a-z0-9]+/gi, '_'));
  run(`${TOOL}objcopy`, [`--update-section`, `.riscv.attributes=${attributes}`, elf, copy]);
  return copy;
}

/** Address ranges objdump shows as data: from each $d mapping symbol to the next mapping symbol. */
function dataRanges(elf: string): Array<[bigint, bigint]> {
  const marks = run(`${TOOL}readelf`, ['-sW', elf]).split('\n')
    .map((line) => /^\s*\d+:\s+([0-9a-f]+)\s+\d+\s+NOTYPE\s+LOCAL\s+\S+\s+\d+\s+\$([dx])/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ address: BigInt(`0x${m[1]}`), data: m[2] === 'd' }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return marks.flatMap((m, i) => (m.data ? [[m.address, marks[i + 1]?.address ?? (1n << 64n)] as [bigint, bigint]] : []));
}

interface ObjdumpLine {
  address: bigint;
  bytes: Uint8Array;
  mnemonic: string;
  /** Operands with objdump's "# comment" removed and "80200abc <sym+0x10>" turned into "0x80200abc". */
  operands: string;
  /** The symbol objdump printed for the target, if any. */
  symbol?: string;
}

/** Each instruction line of `objdump -d` (raw bytes shown), continuation lines folded in. */
function objdump(file: string, skipped = { hexDump: 0 }): ObjdumpLine[] {
  const lines: ObjdumpLine[] = [];
  const littleEndian = (groups: string): number[] => groups.trim().split(/\s+/).filter((g) => g !== '').flatMap((g) => {
    const bytes: number[] = [];
    for (let i = g.length - 2; i >= 0; i -= 2) bytes.push(parseInt(g.slice(i, i + 2), 16));
    return bytes;
  });
  for (const text of run(`${TOOL}objdump`, ['-d', file]).split('\n')) {
    const insn = /^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(\S+)(?:\t(.*))?$/.exec(text);
    if (insn) {
      const raw = (insn[4] ?? '').replace(/\s+#.*$/, '');
      const target = /^(.*?)([0-9a-f]+) <([^>]*)>$/.exec(raw);
      lines.push({
        address: BigInt(`0x${insn[1]}`),
        bytes: new Uint8Array(littleEndian(insn[2])),
        mnemonic: insn[3],
        operands: target ? `${target[1]}0x${target[2]}` : raw,
        ...(target ? { symbol: target[3] } : {}),
      });
      continue;
    }
    // the rest of a long encoding's bytes; other address lines are objects objdump dumps in hex
    const more = /^\s*([0-9a-f]+):\t([0-9a-f ]+)$/.exec(text);
    const last = lines[lines.length - 1];
    if (more && last?.mnemonic === '.byte') last.bytes = new Uint8Array([...last.bytes, ...littleEndian(more[2])]);
    else if (/^\s*[0-9a-f]+:\t/.test(text)) skipped.hexDump++;
  }
  return lines;
}

interface Tally {
  compared: number;
  /** Lines where our only difference is a CSR number objdump names and CSR_NAMES does not. */
  csrNameMissing: number;
  failures: string[];
}

/** Operands equal, or differing only where objdump names a CSR that CSR_NAMES lacks. */
function sameOperands(ours: string, theirs: string, tally: Tally): boolean {
  if (ours === theirs) return true;
  const a = ours.split(',');
  const b = theirs.split(',');
  if (a.length !== b.length) return false;
  let missing = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const csr = /^0x([0-9a-f]{1,3})$/.test(a[i]) ? parseInt(a[i], 16) : -1;
    if (csr < 0 || CSR_NAMES.has(csr) || objdumpCsrNames[csr] !== b[i]) return false;
    missingCsrNames.set(csr, b[i]);
    missing = true;
  }
  if (missing) tally.csrNameMissing++;
  return true;
}

function compare(line: ObjdumpLine, tally: Tally): void {
  tally.compared++;
  let ours: DisassembledInstruction;
  try {
    ours = disassembleOne(line.bytes, line.address);
  } catch (e) {
    tally.failures.push(`${line.address.toString(16)}: threw ${(e as Error).message}`);
    return;
  }
  const ok = ours.length === line.bytes.length && ours.mnemonic === line.mnemonic && sameOperands(ours.operands, line.operands, tally);
  if (!ok) {
    const hex = Array.from(line.bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    tally.failures.push(`${line.address.toString(16)} [${hex}]: objdump "${line.mnemonic} ${line.operands}" (${line.bytes.length} bytes), ours "${ours.mnemonic} ${ours.operands}" (${ours.length})`);
    return;
  }
  seenMnemonics.add(ours.mnemonic);
  if (line.symbol !== undefined) {
    // objdump's own symbol for the target, so this checks how the text is put together
    const text = formatInstruction(ours, (addr) => (addr === ours.target ? line.symbol : undefined));
    const expected = `${line.mnemonic} ${line.operands.replace(/0x([0-9a-f]+)$/, '$1')} <${line.symbol}>`;
    if (text.replace(/ +/, ' ') !== expected) tally.failures.push(`${line.address.toString(16)}: formatted "${text}", objdump "${expected}"`);
  }
}

function assertAgrees(what: string, tally: Tally): void {
  assert.deepEqual(tally.failures.slice(0, 20), [], `${what}: ${tally.failures.length} of ${tally.compared} differ`);
}

before(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'rvisor-disasm-'));
  const csrs = objdump(assemble('csr-names', `.option norvc\n${Array.from({ length: 4096 }, (_, n) => `csrrs a0,${n},a1`).join('\n')}\n`));
  objdumpCsrNames = csrs.map((line) => line.operands.split(',')[1]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('agrees with objdump on every instruction of the guests, OpenSBI and U-Boot', { skip }, (t) => {
  const attributes = join(dir, 'attributes.bin');
  run(`${TOOL}objcopy`, [`--dump-section`, `.riscv.attributes=${attributes}`, assemble('empty', '.text\n')]);
  const summary: string[] = [];
  for (const elf of REAL_ELFS.filter((f) => existsSync(f))) {
    const tally: Tally = { compared: 0, csrNameMissing: 0, failures: [] };
    const data = dataRanges(elf);
    let inData = 0;
    let zeroRuns = 0;
    const skipped = { hexDump: 0 };
    for (const line of objdump(withOurAttributes(elf, attributes), skipped)) {
      if (data.some(([from, to]) => line.address >= from && line.address < to)) inData++;
      // objdump shows the start of a run of zero bytes it then elides ("...") as ".2byte 0x0", not unimp
      else if (line.mnemonic === '.2byte' && line.operands === '0x0') zeroRuns++;
      else compare(line, tally);
    }
    summary.push(`${elf}: ${tally.compared} compared, not compared: ${inData} in $d data, ${zeroRuns} zero runs, ` +
      `${skipped.hexDump} hex-dump lines (objects); ` +
      `${tally.csrNameMissing} with a CSR name CSR_NAMES lacks`);
    assertAgrees(elf, tally);
    assert.ok(tally.compared > 500, `${elf}: only ${tally.compared} instructions`);
  }
  t.diagnostic(summary.join('\n'));
});

// ---- the generated file: every form, operand shape, CSR accessor, fence, AMO ordering, FP rounding mode ----

const ROUNDINGS = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn'];
const ORDERINGS = ['', '.aq', '.rl', '.aqrl'];

function everyForm(): string {
  const out: string[] = ['.option norelax', '.option norvc', 'back:'];
  const add = (...lines: string[]): void => { out.push(...lines); };
  add('lui a0,0x12345', 'lui t6,0xfffff', 'auipc sp,0x1', 'auipc a0,0xfffff');
  add('jal zero,back', 'jal ra,back', 'jal t0,fwd', 'jal s11,back');
  add('jalr zero,0(ra)', 'jalr zero,0(a5)', 'jalr zero,8(a5)', 'jalr ra,0(a5)', 'jalr ra,-4(a5)', 'jalr t0,0(a5)', 'jalr t0,12(a5)', 'jalr a0,-2048(zero)');
  for (const b of ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']) add(`${b} a0,a1,back`, `${b} a0,zero,fwd`, `${b} zero,a0,back`, `${b} zero,zero,fwd`);
  for (const l of ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu']) add(`${l} a0,0(a1)`, `${l} s1,-2048(sp)`, `${l} t6,2047(zero)`);
  for (const s of ['sb', 'sh', 'sw', 'sd']) add(`${s} a0,0(a1)`, `${s} zero,-2048(sp)`, `${s} t6,2047(s0)`);
  add('addi zero,zero,0', 'addi a0,zero,5', 'addi a0,a1,0', 'addi a0,a1,-2048', 'addi zero,zero,1', 'addi sp,sp,2047');
  add('slti a0,a1,-1', 'slti a0,zero,0', 'sltiu a0,a1,1', 'sltiu a0,a1,2', 'sltiu a0,a1,-1');
  add('xori a0,a1,-1', 'xori a0,a1,1', 'ori a0,a1,-2048', 'andi a0,a1,255', 'andi a0,a1,254', 'andi a0,a1,-1');
  for (const sh of [0, 1, 31, 32, 63]) add(`slli a0,a1,${sh}`, `srli a0,a1,${sh}`, `srai a0,a1,${sh}`);
  add('addiw a0,a1,0', 'addiw a0,zero,5', 'addiw a0,a1,-1');
  for (const sh of [0, 1, 31]) add(`slliw a0,a1,${sh}`, `srliw a0,a1,${sh}`, `sraiw a0,a1,${sh}`);
  for (const r of ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw',
    'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw']) {
    add(`${r} a0,a1,a2`, `${r} a0,zero,a2`, `${r} a0,a1,zero`);
  }
  for (const size of ['w', 'd']) {
    for (const order of ORDERINGS) {
      add(`lr.${size}${order} a0,(a1)`, `sc.${size}${order} a0,a2,(a1)`);
      for (const amo of ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu']) add(`${amo}.${size}${order} a0,a2,(a1)`);
    }
  }
  add('flw fa0,0(a1)', 'fld fs11,-8(sp)', 'fsw ft0,2047(a0)', 'fsd ft11,-2048(zero)');
  for (const t of ['s', 'd']) {
    for (const rm of ROUNDINGS) {
      for (const op of ['fmadd', 'fmsub', 'fnmsub', 'fnmadd']) add(`${op}.${t} fa0,fa1,fa2,fa3,${rm}`);
      for (const op of ['fadd', 'fsub', 'fmul', 'fdiv']) add(`${op}.${t} fa0,fa1,fa2,${rm}`);
      add(`fsqrt.${t} fa0,fa1,${rm}`);
      for (const int of ['w', 'wu', 'l', 'lu']) {
        add(`fcvt.${int}.${t} a0,fa1,${rm}`);
        if (t === 's' || int.startsWith('l')) add(`fcvt.${t}.${int} fa0,a1,${rm}`);
      }
    }
    add(`fcvt.${t}.w fa0,a1`, `fcvt.${t}.wu fa0,zero`);
    for (const op of ['fsgnj', 'fsgnjn', 'fsgnjx']) add(`${op}.${t} fa0,fa1,fa2`, `${op}.${t} fa0,fa1,fa1`);
    add(`fmin.${t} fa0,fa1,fa2`, `fmax.${t} fa0,fa1,fa2`, `feq.${t} a0,fa1,fa2`, `flt.${t} a0,fa1,fa2`, `fle.${t} a0,fa1,fa2`, `fclass.${t} a0,fa1`);
  }
  add('fmv.x.w a0,fa1', 'fmv.w.x fa0,a1', 'fmv.x.d a0,fa1', 'fmv.d.x fa0,a1', 'fcvt.d.s fa0,fa1');
  for (const rm of ROUNDINGS) add(`fcvt.s.d fa0,fa1,${rm}`);
  for (const rm of [5, 6]) add(`.insn r 0x53, ${rm}, 0x01, fa0, fa1, fa2`, `.insn r 0x53, ${rm}, 0x60, a0, fa1, f1`);
  for (const csr of ['cycle', 'time', 'instret', 'fflags', 'frm', 'fcsr', 'mstatus', 'satp', '0x7c0', 'menvcfg']) {
    add(`csrrw a0,${csr},a1`, `csrrs a0,${csr},a1`, `csrrc a0,${csr},a1`, `csrrwi a0,${csr},31`, `csrrsi a0,${csr},0`, `csrrci a0,${csr},1`,
      `csrrw zero,${csr},a1`, `csrrs zero,${csr},a1`, `csrrc zero,${csr},a1`, `csrrs a0,${csr},zero`, `csrrw a0,${csr},zero`,
      `csrrwi zero,${csr},3`, `csrrsi zero,${csr},3`, `csrrci zero,${csr},3`);
  }
  add('csrr a0,sstatus', 'csrw sepc,a1', 'csrs sie,a2', 'csrc sip,a3', 'csrwi stvec,4', 'csrsi mie,8', 'csrci mip,16');
  add('rdcycle a0', 'rdtime a1', 'rdinstret a2', 'frflags a0', 'fsflags a1', 'fsflags a0,a1', 'fsflagsi 3', 'fsflagsi a0,3',
    'frrm a0', 'fsrm a1', 'fsrm a0,a1', 'fsrmi 2', 'fsrmi a0,2', 'frcsr a0', 'fscsr a1', 'fscsr a0,a1', 'unimp');
  add('fence', 'fence rw,rw', 'fence r,w', 'fence iorw,iorw', 'fence i,o', 'fence ow,ir', 'fence.tso', 'fence.i');
  add('.insn i 0x0f, 0, zero, zero, 0x010', '.insn i 0x0f, 0, zero, zero, 0x0e0', '.insn i 0x0f, 0, zero, zero, 0', '.insn i 0x0f, 0, zero, zero, -0x7cd');
  add('ecall', 'ebreak', 'sret', 'mret', 'wfi', '.insn 0x00200073', '.insn 0x7b200073', 'sfence.vma', 'sfence.vma a0', 'sfence.vma a0,a1',
    '.insn 0x10400073', '.insn 0x10450073');
  add('hfence.vvma', 'hfence.vvma a0', 'hfence.vvma a0,a1', 'hfence.gvma', 'hfence.gvma a0', 'hfence.gvma a0,a1');
  for (const h of ['hlv.b', 'hlv.bu', 'hlv.h', 'hlv.hu', 'hlvx.hu', 'hlv.w', 'hlv.wu', 'hlvx.wu', 'hlv.d']) add(`${h} a0,(a1)`);
  for (const h of ['hsv.b', 'hsv.h', 'hsv.w', 'hsv.d']) add(`${h} a0,(a1)`);
  for (const r of ['sh1add', 'sh2add', 'sh3add', 'sh1add.uw', 'sh2add.uw', 'sh3add.uw', 'add.uw', 'andn', 'orn', 'xnor',
    'max', 'maxu', 'min', 'minu', 'rol', 'ror', 'rolw', 'rorw', 'bset', 'bclr', 'binv', 'bext']) add(`${r} a0,a1,a2`);
  add('zext.w a0,a1', 'slli.uw a0,a1,0', 'slli.uw a0,a1,63');
  for (const u of ['clz', 'ctz', 'cpop', 'clzw', 'ctzw', 'cpopw', 'sext.b', 'sext.h', 'zext.h', 'orc.b', 'rev8']) add(`${u} a0,a1`);
  for (const sh of [0, 1, 63]) add(`rori a0,a1,${sh}`, `bseti a0,a1,${sh}`, `bclri a0,a1,${sh}`, `binvi a0,a1,${sh}`, `bexti a0,a1,${sh}`);
  add('roriw a0,a1,0', 'roriw a0,a1,31');
  // the C extension: every form, written with its c. name, and the hints and reserved patterns as raw bits
  add('.option rvc', 'fwd:');
  add('c.addi4spn a0,sp,4', 'c.addi4spn s1,sp,1020', 'c.fld fa0,0(a1)', 'c.fld fs1,248(a5)', 'c.lw a0,4(a1)', 'c.lw s0,124(a5)',
    'c.ld a0,8(a1)', 'c.ld s1,248(a5)', 'c.fsd fa0,8(a1)', 'c.sw a0,4(a1)', 'c.sd a0,248(a1)');
  add('c.nop', 'c.addi a0,1', 'c.addi t6,-32', 'c.addiw a0,1', 'c.addiw a0,-1', 'c.li a0,5', 'c.li ra,-32',
    'c.addi16sp sp,-512', 'c.addi16sp sp,496', 'c.addi16sp sp,16', 'c.lui a0,1', 'c.lui t6,31', 'c.lui a5,0xfffe0', 'c.lui s0,0xfffff');
  add('c.srli a0,1', 'c.srli a5,63', 'c.srai a0,1', 'c.srai s1,32', 'c.andi a0,-1', 'c.andi a5,31',
    'c.sub a0,a1', 'c.xor a0,a1', 'c.or a0,a1', 'c.and a0,a1', 'c.subw a0,a1', 'c.addw a5,s0');
  add('c.j back', 'c.j fwd2', 'c.beqz a0,back', 'c.bnez s1,fwd2');
  add('c.slli a0,1', 'c.slli t6,63', 'c.fldsp fa0,8(sp)', 'c.fldsp ft11,504(sp)', 'c.lwsp a0,4(sp)', 'c.lwsp ra,252(sp)',
    'c.ldsp a0,8(sp)', 'c.ldsp t6,504(sp)', 'c.jr a0', 'c.jr ra', 'c.mv a0,a1', 'c.ebreak', 'c.jalr a0', 'c.jalr ra', 'c.add a0,a1',
    'c.fsdsp fa0,8(sp)', 'c.fsdsp ft11,504(sp)', 'c.swsp a0,4(sp)', 'c.swsp t6,252(sp)', 'c.sdsp a0,8(sp)', 'c.sdsp t6,504(sp)', 'c.unimp');
  // hints: c.nop with an immediate, c.addi rd,0, c.li/c.lui/c.slli/c.mv/c.add to zero, the 64-bit shifts by 0; reserved encodings
  add('.insn 0x0005', '.insn 0x0501', '.insn 0x4001', '.insn 0x7001', '.insn 0x0006', '.insn 0x0002', '.insn 0x0502', '.insn 0x8001',
    '.insn 0x8401', '.insn 0x802e', '.insn 0x902e', '.insn 0x6101', '.insn 0x6081', '.insn 0x2001', '.insn 0x0001', '.insn 0x8002',
    '.insn 0x4002', '.insn 0x6002', '.insn 0x9c01', '.insn 0x9c41', '.insn 0x8000', '.insn 0x0000');
  add('fwd2:', 'c.nop');
  return `${out.join('\n')}\n`;
}

test('agrees with objdump on a file with every instruction form, CSR accessor, fence, AMO ordering and rounding mode', { skip }, (t) => {
  const tally: Tally = { compared: 0, csrNameMissing: 0, failures: [] };
  for (const line of objdump(assemble('every-form', everyForm()))) compare(line, tally);
  t.diagnostic(`${tally.compared} instructions compared`);
  assertAgrees('every form', tally);
});

test('agrees with objdump on every CSR number through each accessor', { skip }, (t) => {
  const lines: string[] = ['.option norvc'];
  for (let n = 0; n < 4096; n++) lines.push(`csrrw a0,${n},a1`, `csrrci zero,${n},7`);
  const tally: Tally = { compared: 0, csrNameMissing: 0, failures: [] };
  for (const line of objdump(assemble('every-csr', `${lines.join('\n')}\n`))) compare(line, tally);
  assertAgrees('every CSR', tally);
  const named = objdumpCsrNames.filter((name) => !name.startsWith('0x')).length;
  t.diagnostic(`objdump names ${named} CSRs; CSR_NAMES lacks ${missingCsrNames.size}: ${[...missingCsrNames.values()].join(' ')}`);
});

test('agrees with objdump on all 16-bit patterns and on random 32-bit words', { skip }, (t) => {
  const random = prng(0x5eed);
  const words: string[] = [];
  for (let w = 0; w < 0x10000; w++) if ((w & 3) !== 3) words.push(`.insn 0x${w.toString(16)}`);
  let count32 = 0;
  while (count32 < 60000) {
    const w = ((random() * 2 ** 32) | 3) >>> 0;
    if ((w & 0x1f) === 0x1f) continue;
    words.push(`.insn 0x${w.toString(16)}`);
    count32++;
  }
  const tally: Tally = { compared: 0, csrNameMissing: 0, failures: [] };
  for (const line of objdump(assemble('words', `${words.join('\n')}\n`))) compare(line, tally);
  assert.equal(tally.compared, words.length);
  t.diagnostic(`${tally.compared} words compared (49152 16-bit, ${count32} 32-bit)`);
  assertAgrees('words', tally);
});

test('agrees with objdump on random byte streams, including the 48-bit and longer encodings', { skip }, () => {
  const random = prng(0xb17e5);
  const bytes: number[] = [];
  for (let i = 0; i < 16384; i++) {
    // bias some halfwords toward the long-encoding prefixes (xx11111, x011111, 0111111, 1111111)
    const r = random();
    if (r < 0.03) bytes.push([0x1f, 0x3f, 0x7f, 0xbf, 0xff, 0x5f][Math.floor(random() * 6)], Math.floor(random() * 256));
    else bytes.push(Math.floor(random() * 256));
  }
  bytes.push(...new Array(32).fill(0));
  const obj = assemble('stream', `.text\n.byte ${bytes.join(',')}\n`);
  const code = join(dir, 'stream-code.o');
  run(`${TOOL}objcopy`, ['-N', '$d', obj, code]); // without its $d symbol objdump decodes the bytes as code
  const tally: Tally = { compared: 0, csrNameMissing: 0, failures: [] };
  const lines = objdump(code);
  for (const [i, line] of lines.entries()) {
    // the lengths must tile the stream as objdump's do
    if (i + 1 < lines.length) assert.equal(BigInt(line.bytes.length), lines[i + 1].address - line.address);
    compare(line, tally);
  }
  assert.ok(lines.some((l) => l.mnemonic === '.8byte') && lines.some((l) => l.mnemonic === '.byte'));
  assertAgrees('byte stream', tally);
});

test('every table form is produced by some comparison above', { skip }, (t) => {
  const names = new Set([...FORMS_32, ...FORMS_16].map((f) => f.name));
  const unseen = [...names].filter((n) => !seenMnemonics.has(n));
  assert.deepEqual(unseen, []);
  t.diagnostic(`${FORMS_32.length} 32-bit and ${FORMS_16.length} 16-bit forms, ${names.size} mnemonics, all produced`);
});

test('never throws on random bits, and the length follows the low bits', () => {
  const random = prng(42);
  const buffer = new Uint8Array(16);
  for (let i = 0; i < 200000; i++) {
    for (let j = 0; j < 16; j++) buffer[j] = Math.floor(random() * 256);
    const size = 2 + Math.floor(random() * 15);
    const pc = BigInt(Math.floor(random() * 2 ** 32)) << BigInt(Math.floor(random() * 33));
    const insn = disassembleOne(buffer.subarray(0, size), pc);
    const length = instructionLength(buffer[0] | (buffer[1] << 8));
    assert.equal(insn.length, length);
    assert.ok(insn.mnemonic.length > 0);
    if (length === 2) assert.equal(insn.bits, buffer[0] | (buffer[1] << 8));
    if (insn.target !== undefined) assert.ok(insn.target >= 0n && insn.target < 1n << 64n);
  }
});

test('lengths, targets and text on hand-picked encodings', () => {
  const at = (hex: string, pc = 0x80200000n): DisassembledInstruction =>
    disassembleOne(new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)).reverse()), pc);
  assert.deepEqual(at('8082'), { length: 2, bits: 0x8082, mnemonic: 'ret', operands: '' });
  assert.deepEqual(at('4b2100ef', 0x80200026n), { length: 4, bits: 0x4b2100ef, mnemonic: 'jal', operands: '0x802104d8', target: 0x802104d8n });
  assert.equal(formatInstruction(at('4b2100ef', 0x80200026n), (a) => (a === 0x802104d8n ? 'arch_setup_gd+0x4' : undefined)), 'jal     802104d8 <arch_setup_gd+0x4>');
  assert.equal(formatInstruction(at('4b2100ef', 0x80200026n)), 'jal     0x802104d8');
  assert.equal(formatInstruction(at('0862a92f')), 'amoswap.w       s2,t1,(t0)');
  assert.equal(formatInstruction(at('8082')), 'ret');
  // a backward branch wraps around address 0 the way objdump's 64-bit addresses do
  assert.equal(at('fe000ee3', 0n).target, (1n << 64n) - 4n);
  assert.deepEqual(at('c2004553'), { length: 4, bits: 0xc2004553, mnemonic: 'fcvt.w.d', operands: 'a0,ft0,rmm' });
  // a 64-bit encoding cut short by the end of the buffer
  assert.deepEqual(disassembleOne(new Uint8Array([0x3f, 0, 1, 2]), 0n), { length: 8, bits: 0x0201003f, mnemonic: '.byte', operands: '0x3f, 0x00, 0x01, 0x02' });
  assert.throws(() => disassembleOne(new Uint8Array([0x13]), 0n), /need at least 2 bytes/);
});

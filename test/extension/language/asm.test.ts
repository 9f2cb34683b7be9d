// The language server's RISC-V assembly features (extension/language/asm-features.ts, isa-docs.ts):
// hovers, diagnostics over the repository's own assembly (none expected), listings, and the tables
// checked against the disassembler, the CSR table, the SBI names and GNU as.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiagnosticSeverity, type MarkupContent } from 'vscode-languageserver';
import {
  asmDefinition, asmDiagnostics, asmHover, asmOutline, parseAsm, resolveIncludes, type AsmDocument,
} from '../../../extension/language/asm-features.ts';
import { CSR_NAME_LIST, INSTRUCTIONS, csrDoc, instructionDoc, registerDoc } from '../../../extension/language/isa-docs.ts';
import { documentedCalls, sbiCallDoc } from '../../../extension/language/sbi-docs.ts';
import { FORMS_16, FORMS_32 } from '../../../debuginfo/disasm-table.ts';
import { CSR_NAMES } from '../../../engine/cpu/csr.ts';
import { SBI_EXT_NAMES, SBI_FN_NAMES } from '../../../engine/sbi/ids.ts';
import { ROOT } from '../../helpers/cli.ts';
import { message } from './trace-helpers.ts';

function files(dir: string, re: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, re) : re.test(name) ? [p] : [];
  });
}

/** A document as the server reads it: parsed, includes resolved (in-memory files first). */
function load(text: string, opts: { path?: string; includePaths?: string[]; files?: Record<string, string> } = {}): { doc: AsmDocument; missing: string[] } {
  const doc = parseAsm(text);
  const missing = resolveIncludes(doc, {
    path: opts.path, includePaths: opts.includePaths ?? [],
    readFile: opts.files ? (p) => opts.files![p] : undefined,
  });
  return { doc, missing };
}

/** The hover on the first whole `word` of a line. */
const hover = (doc: AsmDocument, line: number, word: string): string | undefined => {
  const m = new RegExp(`(?<![\\w.$%])${word.replace(/[.%]/g, '\\$&')}`).exec(doc.lines[line]);
  assert.ok(m, `'${word}' not on line ${line}`);
  const h = asmHover(doc, line, m.index + 1);
  return h ? (h.contents as MarkupContent).value : undefined;
};

test('every assembly source of the repository reads without a single diagnostic', () => {
  const sources = files(resolve(ROOT, 'guests'), /\.[sS]$/);
  assert.ok(sources.length >= 15, `found ${sources.length} sources`);
  let statements = 0;
  for (const f of sources) {
    const { doc, missing } = load(readFileSync(f, 'utf8'), { path: f, includePaths: [resolve(ROOT, 'guests/include')] });
    assert.deepEqual(missing, [], f);
    assert.deepEqual(asmDiagnostics(doc, missing).map((d) => `${f}:${d.range.start.line + 1}: ${d.message}`), []);
    statements += doc.statements.length;
  }
  assert.ok(statements > 4000, `${statements} statements read`);
  // The checks are on: the same test guest without its header has unknown macros (hints: the include is missing).
  const rv64c = resolve(ROOT, 'guests/tests/rv64c.S');
  const { doc, missing } = load(readFileSync(rv64c, 'utf8'), { path: '/nowhere/rv64c.S' });
  assert.deepEqual(missing, ['common.h']);
  const d = asmDiagnostics(doc, missing);
  assert.ok(d.length > 10 && d.every((x) => x.severity === DiagnosticSeverity.Hint));
  assert.ok(d.some((x) => message(x.message).startsWith("unknown instruction or macro 'NEXT' (or a macro of \"common.h\"")));
});

test('diagnostics: unknown mnemonics and CSRs, and everything that is not one', () => {
  const text = [
    '#include "defs.h"',                 // 0
    '#define STORE sd',                  // 1
    '#define CSR_SCRATCH 0x140',         // 2
    '.macro SAVE reg, off',              // 3
    '\tSTORE \\reg, \\off(sp)',          // 4
    '.endm',                             // 5
    '#if 0',                             // 6
    '\tthis is not assembly at all',     // 7
    '#endif',                            // 8
    '#ifndef __ASSEMBLER__',             // 9
    'struct frame { int x; };',          // 10
    '#else',                             // 11
    '\t.equ LIMIT, 10',                  // 12
    '#endif',                            // 13
    '_start: SAVE ra, 8 ; FROM_HEADER a0',  // 14
    '1:\tcsrw sscratch, a0  # fine',    // 15
    '\tcsrr a0, CSR_SCRATCH',            // 16
    '\tcsrw bogus_csr, a0',              // 17
    '\tfrobnicate a0, a1',               // 18
    '\tADDI a0, a0, LIMIT',              // 19
    'count = 3',                         // 20
    '\tcsrrs t0, LIMIT, zero; csrs 0x300, t0', // 21
    '\tvadd.vv v1, v2, v3',              // 22
    '/* block',                          // 23
    '   nonsense here */ nop',           // 24
    '\t.word 0x12345678; .section .text', // 25
    '\tcsrrw t0, BOGUS2, t1',            // 26
    '#ifndef __ASSEMBLY__',              // 27
    'static inline void f(void) { }',    // 28
    '#endif',                            // 29
  ].join('\n');
  const { doc, missing } = load(text, { path: '/src/entry.S', files: { '/src/defs.h': '.macro FROM_HEADER r\n\tmv \\r, zero\n.endm\n' } });
  assert.deepEqual(missing, []);
  const d = asmDiagnostics(doc, missing);
  assert.deepEqual(d.map((x) => [x.range.start.line, doc.lines[x.range.start.line].slice(x.range.start.character, x.range.end.character), x.severity]), [
    [17, 'bogus_csr', DiagnosticSeverity.Warning],
    [18, 'frobnicate', DiagnosticSeverity.Warning],
    [22, 'vadd.vv', DiagnosticSeverity.Warning],
    [26, 'BOGUS2', DiagnosticSeverity.Warning],
  ]);
  assert.equal(message(d[0].message), "unknown CSR 'bogus_csr'");
  assert.equal(message(d[1].message), "unknown instruction or macro 'frobnicate'");
  // Outline: macros, #defines and labels.
  assert.deepEqual(asmOutline(doc).map((s) => s.name), ['STORE', 'CSR_SCRATCH', 'SAVE', '_start']);
  // Go to definition of a macro in the header, and of a #define in the file.
  assert.deepEqual(asmDefinition(doc, 14, doc.lines[14].indexOf('FROM_HEADER') + 2), { ...doc.names.get('from_header')!, file: '/src/defs.h' });
  assert.equal(asmDefinition(doc, 16, doc.lines[16].indexOf('CSR_SCRATCH') + 2)?.line, 2);
});

test('hovers: instructions (base, compressed, pseudo, atomics with ordering), registers, CSRs with fields, relocations, macros', () => {
  const text = [
    '\taddi a0, a0, -16',                    // 0
    '\tc.addi16sp sp, -64',                  // 1
    '\tli t0, 0x80000000',                   // 2
    '\tamoswap.w.aqrl a0, a1, (a2)',         // 3
    '\tfcvt.w.d a0, fa0, rtz',               // 4
    '\tsh2add a0, a1, a2',                   // 5
    '\tcsrrw sp, sscratch, sp',              // 6
    '\tcsrs mstatus, t0; csrc sie, t1',      // 7
    '\tcsrw satp, x5',                       // 8
    '\tauipc a0, %pcrel_hi(sym)',            // 9
    '\tsd fp, 0(s0)',                        // 10
    '/* Save the world. */',                 // 11
    '.macro SAVE_ALL base',                  // 12
    '.endm',                                 // 13
    '\tSAVE_ALL sp',                         // 14
    '\tfmadd.d ft0, ft1, fs2, fa3',          // 15
  ].join('\n');
  const { doc } = load(text);
  assert.match(hover(doc, 0, 'addi')!, /\*\*addi\*\* `rd, rs1, imm` — \*RV64I, I-format\*\n\nrd = rs1 \+ imm/);
  assert.match(hover(doc, 0, 'a0')!, /\*\*x10\*\* \/ \*\*a0\*\* — function argument \/ return value; SBI error \/ value — caller-saved/);
  assert.match(hover(doc, 1, 'c.addi16sp')!, /compressed instruction, CI-format[\s\S]*Expands to: `addi sp, sp, nzimm`/);
  assert.match(hover(doc, 1, 'sp')!, /\*\*x2\*\* \/ \*\*sp\*\* — stack pointer — callee-saved/);
  assert.match(hover(doc, 2, 'li')!, /pseudo-instruction[\s\S]*64-bit constant/);
  assert.match(hover(doc, 3, 'amoswap')!, /rd = old value \(the loaded word is sign-extended into rd\); mem = rs2\. Acquire and release/);
  assert.match(hover(doc, 4, 'fcvt')!, /Convert double-precision fs1 to a signed 32-bit integer/);
  assert.match(hover(doc, 4, 'fa0')!, /\*\*f10\*\* \/ \*\*fa0\*\*/);
  assert.match(hover(doc, 5, 'sh2add')!, /Zba, R-format[\s\S]*rs1 << 2/);
  const sscratch = hover(doc, 6, 'sscratch')!;
  assert.match(sscratch, /\*\*sscratch\*\* — CSR 0x140, S-mode, read\/write/);
  const mstatus = hover(doc, 7, 'mstatus')!;
  assert.match(mstatus, /CSR 0x300, M-mode, read\/write/);
  for (const f of ['SIE (bit 1)', 'MIE (bit 3)', 'SPP (bit 8)', 'MPP (bits 12:11)', 'FS (bits 14:13)', 'SUM (bit 18)', 'TSR (bit 22)', 'SD (bit 63']) assert.ok(mstatus.includes(`- ${f}`), f);
  const sie = hover(doc, 7, 'sie')!;
  assert.match(sie, /- SSIE \(bit 1: supervisor software interrupt\)\n- STIE \(bit 5: supervisor timer interrupt\)\n- SEIE \(bit 9: supervisor external interrupt\)$/);
  assert.match(hover(doc, 8, 'satp')!, /Sv39/);
  assert.match(hover(doc, 8, 'x5')!, /\*\*x5\*\* \/ \*\*t0\*\* — temporary \(alternate link register\)/);
  assert.match(hover(doc, 9, '%pcrel_hi')!, /upper 20 bits of the pc-relative offset/);
  assert.match(hover(doc, 10, 'fp')!, /\*\*x8\*\* \/ \*\*s0\*\* \/ \*\*fp\*\* — saved register \/ frame pointer/);
  assert.match(hover(doc, 14, 'SAVE_ALL')!, /\*\*SAVE_ALL\*\* — assembler macro \(this file:13\)[\s\S]*\.macro SAVE_ALL base[\s\S]*Save the world\./);
  assert.match(hover(doc, 15, 'fs2')!, /saved register — callee-saved/);
  assert.match(hover(doc, 15, 'ft1')!, /temporary — caller-saved/);
  assert.equal(hover(doc, 9, 'sym'), undefined);
});

test('tables: every form the disassembler prints, every CSR, register and SBI function has a description', () => {
  for (const f of [...FORMS_32, ...FORMS_16]) assert.ok(instructionDoc(f.name), `no doc for ${f.name}`);
  for (const name of CSR_NAMES.values()) {
    const doc = csrDoc(name);
    assert.ok(doc && !doc.description.startsWith('A control and status register'), `no description of CSR ${name}`);
  }
  assert.deepEqual(new Set(CSR_NAME_LIST), new Set(CSR_NAMES.values()));
  for (let i = 0; i < 32; i++) {
    assert.ok(registerDoc(`x${i}`)?.role && registerDoc(`f${i}`)?.role);
  }
  for (const [eid, fns] of SBI_FN_NAMES) fns.forEach((_, fid) => assert.ok(sbiCallDoc(eid, fid), `no doc for ${SBI_EXT_NAMES.get(eid)} fid ${fid}`));
  for (const eid of SBI_EXT_NAMES.keys()) if (eid <= 0x0f) assert.ok(sbiCallDoc(eid, 0)?.legacy, `legacy ${eid}`);
  assert.ok(documentedCalls().length >= 30);
  for (const doc of INSTRUCTIONS.values()) assert.ok(doc.summary.length > 2 && /[.)]$/.test(doc.summary), doc.mnemonic);
});

test('GNU as knows every mnemonic of the table (no "unrecognized opcode")', (t) => {
  const as = 'riscv64-unknown-elf-as';
  if (spawnSync(as, ['--version']).error) return t.skip(`${as} not installed`);
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-asm-'));
  try {
    const src = join(dir, 'all.S');
    const mnemonics = [...INSTRUCTIONS.keys()];
    // Operands are wrong for most: only the mnemonic is under test.
    writeFileSync(src, mnemonics.map((m) => `\t${m} a0\n`).join(''));
    const r = spawnSync(as, ['-march=rv64gc_zba_zbb_zbs_zicsr_zifencei_zihintpause_h', '-o', join(dir, 'all.o'), src], { encoding: 'utf8' });
    const unknown = [...r.stderr.matchAll(/unrecognized opcode `(\S+)/g)].map((m) => m[1]);
    assert.deepEqual(unknown, []);
    assert.ok(r.stderr.includes('illegal operands'), 'the assembler did read the lines');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('listings: objdump output of the test guests reads as a listing, every mnemonic known, hovers on its lines', (t) => {
  const objdump = 'riscv64-unknown-elf-objdump';
  const elves = files(resolve(ROOT, 'guests'), /\.elf$/);
  const r = spawnSync(objdump, ['-d', ...elves], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) return t.skip(`${objdump} not installed`);
  const { doc } = load(r.stdout);
  assert.ok(doc.listing);
  assert.ok(doc.statements.length > 5000);
  const unknown = new Set(doc.statements.map((s) => s.op!.text).filter((m) => !m.startsWith('.') && !instructionDoc(m)));
  assert.deepEqual([...unknown], []);
  assert.deepEqual(asmDiagnostics(doc), []);
  assert.deepEqual(asmOutline(doc), []);
  const n = doc.lines.findIndex((l) => /\tcsrw\tmtvec,/.test(l));
  assert.match(hover(doc, n, 'csrw')!, /Write a CSR/);
  assert.match(hover(doc, n, 'mtvec')!, /\*\*mtvec\*\* — CSR 0x305/);
  // A line from a listing, in a source-like file: still a listing.
  const one = load('    80000018:\t30529073          \tcsrw\tmtvec,t0\n').doc;
  assert.ok(one.listing);
  assert.match(hover(one, 0, 't0')!, /\*\*x5\*\*/);
});

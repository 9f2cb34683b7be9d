// Call frame information, differentially: every FDE row of GCC-built fixtures (.debug_frame from
// riscv64-unknown-elf-gcc -O0/-O2, .eh_frame from riscv64-linux-gnu-gcc), of hand-written CFI using
// every DW_CFA op (CIE versions 1, 3, 4), of synthetic sections with every pointer encoding readelf
// knows and DWARF-64 entries, of demo.elf and of the Linux vmlinux (when built) against
// `readelf --debug-dump=frames-interp`. Unwinding runs the bare-metal fixtures on the engine one
// instruction at a time and checks, at every instruction, the CFI (and frame-pointer) call chain
// against a shadow stack kept from the calls and returns executed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseCfi, unwindByFramePointer, unwindStep, type CfaRule, type CfiKind, type CfiTable, type RegisterRule, type SkippedEntry,
} from '../../debuginfo/cfi.ts';
import { Machine } from '../../engine/machine.ts';
import { prng } from '../helpers/prng.ts';
import { linuxGuest } from '../helpers/linux.ts';
import { ROOT } from '../helpers/cli.ts';

const DEMO = join(ROOT, 'guests/demo/demo.elf');
const dir = mkdtempSync(join(tmpdir(), 'rvisor-cfi-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;
const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });

// ---- ELF sections (ELF64 little-endian: all the fixtures) ------------------------------------------

interface Section { data: Uint8Array; address: bigint; headerOffset: number }

/** A section by name, read from the file with positional reads (vmlinux is large). */
function elfSection(path: string, name: string): Section | undefined {
  const fd = openSync(path, 'r');
  try {
    const read = (offset: number, size: number): DataView => {
      const b = new Uint8Array(size);
      readSync(fd, b, 0, size, offset);
      return new DataView(b.buffer);
    };
    const eh = read(0, 64);
    const shoff = Number(eh.getBigUint64(0x28, true));
    const shentsize = eh.getUint16(0x3a, true);
    const shnum = eh.getUint16(0x3c, true);
    const headers = read(shoff, shnum * shentsize);
    const field = (i: number, at: number): number => Number(headers.getBigUint64(i * shentsize + at, true));
    const shstrndx = eh.getUint16(0x3e, true);
    const names = new Uint8Array(read(field(shstrndx, 24), field(shstrndx, 32)).buffer);
    for (let i = 0; i < shnum; i++) {
      let p = headers.getUint32(i * shentsize, true);
      let s = '';
      while (names[p] !== 0) s += String.fromCharCode(names[p++]);
      if (s !== name) continue;
      const data = new Uint8Array(read(field(i, 24), field(i, 32)).buffer);
      return { data, address: headers.getBigUint64(i * shentsize + 16, true), headerOffset: shoff + i * shentsize };
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function loadCfi(path: string, kind: CfiKind, bias = 0n): CfiTable {
  const s = elfSection(path, `.${kind}`);
  assert.ok(s, `${path} has a .${kind}`);
  return parseCfi(s.data, s.address, kind, bias);
}

// ---- readelf --debug-dump=frames-interp ------------------------------------------------------------

interface ReadelfRow { loc: bigint; cfa: string; cells: string[] }
interface ReadelfEntry {
  offset: number;
  isCie: boolean;
  cie: number;
  start: bigint;
  end: bigint;
  columns: string[];
  rows: ReadelfRow[];
}

/** The entries of one section's dump (readelf prints no table for an FDE of only nops). */
function readelfFrames(readelf: string, path: string, section: string): ReadelfEntry[] {
  return parseReadelfFrames(run(readelf, ['--debug-dump=frames-interp', path]), section);
}

function parseReadelfFrames(text: string, section: string): ReadelfEntry[] {
  const entries: ReadelfEntry[] = [];
  let inSection = false;
  for (const line of text.split('\n')) {
    const contents = /^Contents of the (\S+) section:/.exec(line);
    if (contents) { inSection = contents[1] === section; continue; }
    if (!inSection) continue;
    const head = /^([0-9a-f]{8,}) [0-9a-f]+ [0-9a-f]+ (CIE|FDE)(?: cie=([0-9a-f]+) pc=([0-9a-f]+)\.\.([0-9a-f]+))?/.exec(line);
    if (head) {
      entries.push({
        offset: parseInt(head[1], 16), isCie: head[2] === 'CIE', cie: head[3] ? parseInt(head[3], 16) : -1,
        start: head[4] ? BigInt(`0x${head[4]}`) : 0n, end: head[5] ? BigInt(`0x${head[5]}`) : 0n, columns: [], rows: [],
      });
      continue;
    }
    const e = entries.at(-1);
    if (!e) continue;
    if (/^\s+LOC\s+CFA/.test(line)) { e.columns = line.trim().split(/\s+/).slice(2); continue; }
    if (/^[0-9a-f]{16} /.test(line)) {
      // Cells are space-separated, except register rules: "r19 (s3)".
      const [loc, cfa, ...cells] = line.includes('(') ? line.match(/r\d+ \([^)]*\)|\S+/g) ?? [] : line.trim().split(/ +/);
      e.rows.push({ loc: BigInt(`0x${loc}`), cfa, cells });
    }
  }
  return entries;
}

const X_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const F_NAMES = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3',
  'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9',
  'ft10', 'ft11'];
/** readelf's RISC-V register names by DWARF number (and the one CSR the fixtures use). */
const REG_NAMES = new Map<number, string>([...X_NAMES.map((n, i) => [i, n] as const), ...F_NAMES.map((n, i) => [32 + i, n] as const), [4100, 'uie']]);
const REG_NUMBERS = new Map([...REG_NAMES].map(([n, name]) => [name, n]));

const signed = (v: bigint): string => (v < 0n ? `${v}` : `+${v}`);
const regName = (r: number): string => REG_NAMES.get(r) ?? `r${r}`;

/** Our rules printed as readelf prints them ('u' stands for both undefined and unspecified). */
function showCfa(cfa: CfaRule): string {
  return cfa.kind === 'expression' ? 'exp' : `${regName(cfa.reg)}${signed(BigInt.asIntN(32, cfa.offset))}`;
}
function showRule(rule: RegisterRule | undefined): string {
  switch (rule?.kind) {
    case undefined: case 'undefined': return 'u';
    case 'same': return 's';
    case 'offset': return `c${signed(rule.offset)}`;
    case 'val-offset': return `v${signed(rule.offset)}`;
    case 'register': return `r${rule.reg} (${regName(rule.reg)})`;
    case 'expression': return 'exp';
    case 'val-expression': return 'vexp';
  }
}

/**
 * Compares rowAt with readelf for the pcs of every FDE: all of them in FDEs up to `everyPcUpTo`
 * bytes, otherwise each row's first pc and its neighbours (only the first pc with `rowsOnly`).
 * Returns the number of pcs compared.
 */
function compareWithReadelf(table: CfiTable, entries: ReadelfEntry[], what: string, opts: { bias?: bigint; everyPcUpTo?: bigint; rowsOnly?: boolean } = {}): number {
  const { bias = 0n, everyPcUpTo = 4096n, rowsOnly = false } = opts;
  const cies = new Map(entries.filter((e) => e.isCie).map((e) => [e.offset, e]));
  let fdes = 0;
  let checked = 0;
  for (const e of entries) {
    if (e.isCie || e.end <= e.start) continue;
    fdes++;
    const fde = table.fdeFor(e.start + bias);
    assert.ok(fde, `${what}: an FDE covers 0x${e.start.toString(16)}`);
    assert.equal(fde.offset, e.offset, `${what}: FDE at 0x${e.start.toString(16)}`);
    assert.equal(fde.end - bias, e.end);
    const source = e.rows.length > 0 ? e : cies.get(e.cie);
    assert.ok(source, `${what}: CIE 0x${e.cie.toString(16)} in readelf's dump`);
    const columns = source.columns.map((name) => (name === 'ra' ? fde.cie.returnAddressRegister : REG_NUMBERS.get(name)));
    assert.ok(columns.every((r) => r !== undefined), `${what}: register names ${source.columns.join(' ')}`);
    let pcs: bigint[];
    if (e.end - e.start <= everyPcUpTo) {
      pcs = Array.from({ length: Number(e.end - e.start) }, (_, i) => e.start + BigInt(i));
    } else if (rowsOnly || e.rows.length === 0) {
      pcs = e.rows.length > 0 ? e.rows.map((r) => r.loc) : [e.start];
    } else {
      const near = new Set(e.rows.flatMap((r) => [r.loc - 1n, r.loc, r.loc + 1n]).filter((pc) => pc >= e.start && pc < e.end));
      pcs = [...near.add(e.end - 1n)].sort((a, b) => (a < b ? -1 : 1));
    }
    let k = 0; // the readelf row in effect: pcs are visited in increasing order
    for (const pc of pcs) {
      while (k + 1 < e.rows.length && e.rows[k + 1].loc <= pc) k++;
      const expected: ReadelfRow | undefined = e.rows.length > 0 ? e.rows[k] : source.rows[0];
      const row = table.rowAt(pc + bias);
      const at: string = `${what}: FDE 0x${e.offset.toString(16)} pc 0x${pc.toString(16)} [CFA ${source.columns.join(' ')}]`;
      assert.ok(expected && row, at);
      const actual = [showCfa(row.cfa), ...columns.map((reg) => showRule(row.rules.get(reg as number)))].join(' ');
      if (actual !== [expected.cfa, ...expected.cells].join(' ')) assert.equal(actual, [expected.cfa, ...expected.cells].join(' '), at);
      for (const reg of row.rules.keys()) if (!columns.includes(reg)) assert.fail(`${at}: rule for r${reg} that readelf does not show`);
      checked++;
    }
  }
  assert.equal(table.fdeCount, fdes, `${what}: FDE count`);
  return checked;
}

// ---- fixtures ---------------------------------------------------------------------------------------

/** Call chains with callee-saved integer and FP registers, a VLA (CFA on s0), recursion,
 *  shrink-wrapped early returns (remember/restore state) and varargs; _start ends the chain. */
const FIXTURE_C = String.raw`
typedef unsigned long u64;
volatile u64 sink;

__attribute__((noinline)) u64 leaf(u64 x) { sink = x; return x * 3 + 1; }

__attribute__((noinline)) u64 saver(u64 a, u64 b, u64 c) {
  u64 s[8];
  for (int i = 0; i < 8; i++) s[i] = leaf(a + i) ^ (b * c);
  return s[c & 7] + leaf(b) + a + b + c;
}

__attribute__((noinline)) double scale(double x, int n) {
  double acc = x, k = x * 0.25;
  for (int i = 0; i < n; i++) acc = acc * 0.5 + (double)leaf((u64)i) + k;
  return acc + k;
}

__attribute__((noinline)) u64 vla(int n) {
  volatile u64 buf[n];
  for (int i = 0; i < n; i++) buf[i] = leaf((u64)i);
  return buf[n - 1];
}

__attribute__((noinline)) u64 recurse(u64 n) {
  if (n == 0) return leaf(7);
  u64 r = recurse(n - 1);
  sink = r;
  return r + n;
}

__attribute__((noinline)) u64 shrink(u64 x) {
  if (x & 1) return x;
  return saver(x, x + 1, x + 2) * 2;
}

__attribute__((noinline)) u64 sum(int n, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, n);
  u64 s = 0;
  for (int i = 0; i < n; i++) s += __builtin_va_arg(ap, u64);
  __builtin_va_end(ap);
  return leaf(s);
}

u64 main_c(void) {
  u64 r = recurse(3) + saver(1, 2, 3) + vla(5) + shrink(4) + shrink(5) + sum(3, 1ul, 2ul, 3ul);
  r += (u64)scale(1.5, 3);
  sink = r;
  return r;
}

// S-mode entry (the engine's SBI starts the kernel here): gp, a stack, FP on, s0 = 0 ends the
// frame-pointer chain, ra undefined ends the CFI chain; then SBI system reset.
__asm__(
  "  .section .text.start, \"ax\"\n"
  "  .globl _start\n"
  "_start:\n"
  "  .cfi_startproc\n"
  "  .cfi_undefined ra\n"
  "  .option push\n"
  "  .option norelax\n"
  "  la gp, __global_pointer$\n"
  "  .option pop\n"
  "  la sp, stack_top\n"
  "  li t0, 0x6000\n"
  "  csrs sstatus, t0\n"
  "  li s0, 0\n"
  "  call main_c\n"
  "  li a7, 0x53525354\n"
  "  li a6, 0\n"
  "  li a0, 0\n"
  "  li a1, 0\n"
  "  ecall\n"
  "1: j 1b\n"
  "  .cfi_endproc\n"
  "  .bss\n"
  "  .balign 16\n"
  "  .skip 16384\n"
  "stack_top:\n"
  "  .text\n");
`;

/** A hosted program (glibc, PIE): its .eh_frame also holds the C runtime's FDEs. */
const HOSTED_C = String.raw`
#include <stdio.h>
#include <stdlib.h>
__attribute__((noinline)) static long work(long n) { long *p = malloc(sizeof(long) * (size_t)n); long s = 0;
  for (long i = 0; i < n; i++) { p[i] = i * i; s += p[i]; } free(p); return s; }
int main(int argc, char **argv) { printf("%ld\n", work(argc + 10)); (void)argv; return 0; }
`;

/** Every CFA instruction gas can emit, and the rest through .cfi_escape; long gaps force
 *  advance_loc1/2/4. A second function has its own return column and the 'S' augmentation. */
const OPS_S = `
  .text
  .globl f1
f1:
  .cfi_startproc
  addi sp, sp, -64
  .cfi_def_cfa_offset 64
  sd ra, 56(sp)
  .cfi_offset ra, -8
  .cfi_offset s0, -16
  .cfi_offset 40, -24
  .cfi_offset s1, 8
  .cfi_register s2, s3
  .cfi_undefined s4
  .cfi_same_value s5
  .cfi_val_offset s6, -32
  .cfi_offset 4100, -40
  .cfi_remember_state
  nop
  .cfi_restore ra
  .cfi_restore 4100
  .cfi_def_cfa s0, 16
  .skip 100
  .cfi_def_cfa_register sp
  .skip 300
  .cfi_restore_state
  nop
  .cfi_remember_state
  .cfi_def_cfa s1, 8
  nop
  .cfi_restore_state
  .cfi_escape 0x0f, 0x03, 0x72, 0x10, 0x06
  nop
  .cfi_escape 0x10, 0x09, 0x02, 0x72, 0x08
  .cfi_escape 0x16, 0x12, 0x02, 0x72, 0x18
  .cfi_escape 0x15, 0x13, 0x7e
  .cfi_escape 0x14, 0x14, 0x03
  .cfi_escape 0x2e, 0x10
  .cfi_escape 0x2f, 0x15, 0x02
  .cfi_escape 0x12, 0x02, 0x7c
  .skip 70000
  .cfi_escape 0x13, 0x7a
  nop
  .cfi_escape 0x11, 0x08, 0x7e
  .cfi_escape 0x05, 0x09, 0x03
  .cfi_escape 0x06, 0x09
  .cfi_escape 0x0e, 0x20
  ret
  .cfi_endproc
  .globl f2
f2:
  .cfi_startproc
  .cfi_signal_frame
  .cfi_return_column t0
  nop
  .cfi_def_cfa_offset 16
  .cfi_offset t0, -8
  ret
  .cfi_endproc
`;

const BARE_LINK = ['-ffreestanding', '-nostdlib', '-static', '-mcmodel=medany', '-Wl,-Ttext-segment=0x80200000', '-Wl,-e,_start',
  '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments'];

/** Builds (once) a fixture in the temp dir and returns its path. */
const built = new Map<string, string>();
function build(name: string, make: (out: string) => void): string {
  let out = built.get(name);
  if (!out) {
    out = join(dir, name);
    make(out);
    built.set(name, out);
  }
  return out;
}

function bare(kind: CfiKind, opt: string, extra: string[] = []): string {
  return build(`bare-${kind}${opt}${extra.join('')}.elf`, (out) => {
    writeFileSync(join(dir, 'fixture.c'), FIXTURE_C);
    const [gcc, flags] = kind === 'debug_frame'
      ? ['riscv64-unknown-elf-gcc', ['-g', '-fno-asynchronous-unwind-tables']]
      : ['riscv64-linux-gnu-gcc', ['-fasynchronous-unwind-tables', '-fno-pie', '-no-pie']];
    run(gcc, [opt, ...flags, ...extra, ...BARE_LINK, 'fixture.c', '-o', out]);
  });
}

// ---- rows against readelf ------------------------------------------------------------------------

for (const opt of ['-O0', '-O2']) {
  test(`GCC ${opt} .debug_frame: every pc of every FDE matches readelf`, () => {
    const elf = bare('debug_frame', opt);
    const n = compareWithReadelf(loadCfi(elf, 'debug_frame'), readelfFrames('riscv64-unknown-elf-readelf', elf, '.debug_frame'), elf);
    assert.ok(n > 300, `${n} pcs compared`);
  });

  test(`GCC ${opt} .eh_frame (glibc PIE, with the C runtime's FDEs; and loaded with a bias)`, () => {
    const exe = build(`hosted${opt}`, (out) => {
      writeFileSync(join(dir, 'hosted.c'), HOSTED_C);
      run('riscv64-linux-gnu-gcc', [opt, '-fasynchronous-unwind-tables', 'hosted.c', '-o', out]);
    });
    const entries = readelfFrames('riscv64-linux-gnu-readelf', exe, '.eh_frame');
    compareWithReadelf(loadCfi(exe, 'eh_frame'), entries, exe);
    const bias = 0x2aaaa000n;
    const biased = loadCfi(exe, 'eh_frame', bias);
    compareWithReadelf(biased, entries, `${exe} + bias`, { bias });
    const first = entries.find((e) => !e.isCie && e.end > e.start);
    assert.ok(first && biased.fdeFor(first.start) === undefined, 'unbiased addresses are not covered');
  });
}

test('bare-metal .eh_frame (riscv64-linux-gnu-gcc -O2, pcrel sdata4 addresses)', () => {
  const elf = bare('eh_frame', '-O2');
  compareWithReadelf(loadCfi(elf, 'eh_frame'), readelfFrames('riscv64-linux-gnu-readelf', elf, '.eh_frame'), elf);
});

test('every DW_CFA op (gas directives and escapes), CIE versions 1, 3, 4 and .eh_frame', () => {
  writeFileSync(join(dir, 'ops.s'), OPS_S);
  writeFileSync(join(dir, 'ops-debug.s'), `  .cfi_sections .debug_frame\n${OPS_S}`);
  for (const version of [1, 3, 4]) {
    const elf = build(`ops-v${version}.elf`, (out) => {
      run('riscv64-unknown-elf-as', [`--gdwarf-cie-version=${version}`, '-o', `${out}.o`, 'ops-debug.s']);
      run('riscv64-unknown-elf-ld', ['-Ttext=0x80200000', '-e', 'f1', '-o', out, `${out}.o`]);
    });
    const table = loadCfi(elf, 'debug_frame');
    assert.deepEqual(table.fdes.map((f) => f.cie.version), [version, version]);
    compareWithReadelf(table, readelfFrames('riscv64-unknown-elf-readelf', elf, '.debug_frame'), `CIE v${version}`);
    const f2 = table.fdes[1];
    assert.equal(f2.cie.returnAddressRegister, 5);
    assert.equal(f2.cie.signalFrame, true, "'S' without 'z'");
    if (version === 4) assert.equal(f2.cie.addressSize, 8);
  }
  const elf = build('ops-eh.elf', (out) => {
    run('riscv64-unknown-elf-as', ['-o', `${out}.o`, 'ops.s']);
    run('riscv64-unknown-elf-ld', ['-Ttext=0x80200000', '-e', 'f1', '-o', out, `${out}.o`]);
  });
  const table = loadCfi(elf, 'eh_frame');
  assert.deepEqual(table.fdes.map((f) => f.cie.augmentation), ['zR', 'zRS']);
  compareWithReadelf(table, readelfFrames('riscv64-unknown-elf-readelf', elf, '.eh_frame'), 'ops .eh_frame');
});

test('demo.elf .debug_frame matches readelf at every pc', () => {
  const n = compareWithReadelf(loadCfi(DEMO, 'debug_frame'), readelfFrames('riscv64-unknown-elf-readelf', DEMO, '.debug_frame'), 'demo.elf');
  assert.ok(n > 1000, `${n} pcs compared`);
});

/** The Linux guest's vmlinux, if built; readelf's dump of it (a second or so) starts at once, in parallel. */
const linux = linuxGuest();
const vmlinux = typeof linux === 'string' ? linux : existsSync(linux.vmlinux) ? linux.vmlinux : `no ${linux.vmlinux}`;
const vmlinuxDump = vmlinux.startsWith('/')
  ? promisify(execFile)('riscv64-unknown-elf-readelf', ['--debug-dump=frames-interp', vmlinux], { encoding: 'utf8', maxBuffer: 256 << 20 })
  : undefined;

test('Linux vmlinux .debug_frame (DWARF 4 build) matches readelf at every row', async (t) => {
  if (!vmlinuxDump) {
    t.skip(vmlinux);
    return;
  }
  const table = loadCfi(vmlinux, 'debug_frame');
  assert.deepEqual(table.skipped, []);
  const entries = parseReadelfFrames((await vmlinuxDump).stdout, '.debug_frame');
  compareWithReadelf(table, entries, vmlinux, { everyPcUpTo: 0n, rowsOnly: true });
});

// ---- synthetic sections: encodings, DWARF-64, set_loc ----------------------------------------------

/** Little-endian byte building for hand-made CFI. */
class Bytes {
  readonly out: number[] = [];
  get length(): number { return this.out.length; }
  u8(...v: number[]): this { this.out.push(...v); return this; }
  uint(v: bigint, size: number): this {
    for (let i = 0; i < size; i++) this.out.push(Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
    return this;
  }
  uleb(v: bigint): this {
    do { let b = Number(v & 0x7fn); v >>= 7n; if (v) b |= 0x80; this.out.push(b); } while (v);
    return this;
  }
  sleb(v: bigint): this {
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) { this.out.push(b); return this; }
      this.out.push(b | 0x80);
    }
  }
  str(s: string): this { for (const ch of s) this.out.push(ch.charCodeAt(0)); this.out.push(0); return this; }
  bytes(b: ArrayLike<number>): this { this.out.push(...Array.from(b)); return this; }
  /** Appends an entry: length (DWARF-64 escape when asked), then `body(fieldOffset)`, padded with nops to `align`. */
  entry(body: (s: Bytes, idOffset: number) => void, opts: { dwarf64?: boolean; align?: number } = {}): number {
    const start = this.length;
    const inner = new Bytes();
    const idOffset = start + (opts.dwarf64 ? 12 : 4);
    body(inner, idOffset);
    while ((inner.length + (opts.dwarf64 ? 12 : 4)) % (opts.align ?? 4)) inner.u8(0);
    if (opts.dwarf64) this.uint(0xffffffffn, 4).uint(BigInt(inner.length), 8);
    else this.uint(BigInt(inner.length), 4);
    this.bytes(inner.out);
    return start;
  }
}

/** The FDE program used by the synthetic FDEs (caf 2, daf -8): a short prologue. */
function prologue(s: Bytes): void {
  s.u8(0x41).u8(0x0e).uleb(32n); // advance 1×2; def_cfa_offset 32
  s.u8(0x42).u8(0x81).uleb(1n).u8(0x88).uleb(2n); // advance 2×2; ra at cfa-8, s0 at cfa-16
}

/** Sizes of the DW_EH_PE formats the synthetic sections use. */
const FORMAT_SIZE: Record<number, number> = { 0x00: 8, 0x02: 2, 0x03: 4, 0x04: 8, 0x08: 8, 0x0a: 2, 0x0b: 4, 0x0c: 8 };

/** Writes v in a fixed-size DW_EH_PE encoding (pcrel relative to `field`, the field's address). */
function encodePointer(b: Bytes, v: bigint, encoding: number, field: bigint): void {
  b.uint((encoding & 0x70) === 0x10 ? v - field : v, FORMAT_SIZE[encoding & 0x0f]);
}

/** Where syntheticEhFrame puts FDE i: pc-relative ones after the section, absolute ones low. */
const syntheticTarget = (address: bigint, encoding: number, i: number): bigint =>
  ((encoding & 0x70) === 0x10 ? address : 0n) + 0x1000n * BigInt(i + 1);

/** An .eh_frame with one "zR" CIE per encoding (one FDE each, at syntheticTarget), a "zPLR" CIE, set_loc. */
function syntheticEhFrame(address: bigint, encodings: number[]): Uint8Array {
  const s = new Bytes();
  encodings.forEach((encoding, i) => {
    const cie = s.entry((b) => {
      b.uint(0n, 4).u8(1).str('zR').uleb(2n).sleb(-8n).u8(1).uleb(1n).u8(encoding).u8(0x0c).uleb(2n).uleb(0n);
    });
    s.entry((b, idOffset) => {
      b.uint(BigInt(idOffset - cie), 4);
      encodePointer(b, syntheticTarget(address, encoding, i), encoding, address + BigInt(idOffset + 4));
      encodePointer(b, 0x40n, encoding & 0x0f, 0n);
      b.uleb(0n);
      prologue(b);
    });
  });
  // "zPLR": personality (udata8), LSDA encoding pcrel|sdata4, FDE encoding udata8; an LSDA pointer and set_loc.
  const cie = s.entry((b) => {
    b.uint(0n, 4).u8(3).str('zPLR').uleb(2n).sleb(-8n).uleb(1n).uleb(11n).u8(0x04).uint(0x12345678n, 8).u8(0x1b).u8(0x04);
    b.u8(0x0c).uleb(2n).uleb(0n);
  });
  s.entry((b, idOffset) => {
    b.uint(BigInt(idOffset - cie), 4).uint(0x9000n, 8).uint(0x100n, 8).uleb(4n).uint(0x40n, 4);
    b.u8(0x0e).uleb(16n).u8(0x01).uint(0x9010n, 8).u8(0x0e).uleb(48n).u8(0x41).u8(0x0e).uleb(64n);
  });
  s.uint(0n, 4); // the terminator
  s.uint(0x12345678n, 4); // ignored after it
  return new Uint8Array(s.out);
}

/** A .debug_frame mixing 32- and 64-bit entries, CIE versions 1 and 4, and set_loc. */
function syntheticDebugFrame(): Uint8Array {
  const s = new Bytes();
  const cie64 = s.entry((b) => {
    b.uint(0xffffffffffffffffn, 8).u8(4).str('').u8(8).u8(0).uleb(2n).sleb(-8n).uleb(1n).u8(0x0c).uleb(2n).uleb(0n);
  }, { dwarf64: true, align: 8 });
  s.entry((b) => { b.uint(BigInt(cie64), 8).uint(0x80001000n, 8).uint(0x80n, 8); prologue(b); }, { dwarf64: true, align: 8 });
  // CIE v1 with initial rules (s1 same value, s2 at cfa-8) that DW_CFA_restore/_extended bring back.
  const cie1 = s.entry((b) => { b.uint(0xffffffffn, 4).u8(1).str('').uleb(2n).sleb(-8n).u8(1).u8(0x0c).uleb(2n).uleb(0n).u8(0x08, 9, 0x80 | 18, 1); });
  s.entry((b) => {
    b.uint(BigInt(cie1), 4).uint(0x80002000n, 8).uint(0x100n, 8);
    prologue(b);
    b.u8(0x07, 9, 0x80 | 18, 3, 0x41); // s1 undefined, s2 at cfa-24; advance
    b.u8(0x01).uint(0x80002040n, 8).u8(0x0e).uleb(0n).u8(0xc1); // set_loc; def_cfa_offset 0; restore ra
    b.u8(0x06, 9, 0xc0 | 18); // restore_extended s1, restore s2
  });
  s.uint(0n, 4); // a zero-length entry: skipped in .debug_frame
  s.entry((b) => { b.uint(BigInt(cie64), 8).uint(0x80003000n, 8).uint(0x10n, 8).u8(0x0e).uleb(8n); }, { dwarf64: true, align: 8 });
  return new Uint8Array(s.out);
}

/** Assembles raw section bytes into an object file and gives the sections addresses, for readelf. */
function objectWith(name: string, sections: Array<{ name: string; flags: string; data: Uint8Array; address: bigint }>): string {
  const src = sections.map((s) => `  .section ${s.name},"${s.flags}",@progbits\n  .byte ${Array.from(s.data).join(',')}\n`).join('');
  writeFileSync(join(dir, `${name}.s`), src);
  const out = join(dir, `${name}.o`);
  run('riscv64-unknown-elf-as', ['-o', out, `${name}.s`]);
  const file = new Uint8Array(readFileSync(out));
  const dv = new DataView(file.buffer);
  for (const s of sections) {
    const sec = elfSection(out, s.name);
    assert.ok(sec);
    assert.deepEqual(sec.data, s.data, `${s.name} assembled as written`);
    dv.setBigUint64(sec.headerOffset + 16, s.address, true);
  }
  writeFileSync(out, file);
  return out;
}

test('synthetic sections: pointer encodings, zPLR, DWARF-64, CIE v1/v4, set_loc, terminators — against readelf', () => {
  const ehAddress = 0x80400000n;
  const encodings = [0x00, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x1b, 0x1c, 0x12, 0x13];
  const eh = syntheticEhFrame(ehAddress, encodings);
  const debug = syntheticDebugFrame();
  const obj = objectWith('synthetic', [
    { name: '.eh_frame', flags: 'a', data: eh, address: ehAddress },
    { name: '.debug_frame', flags: '', data: debug, address: 0n },
  ]);
  const ehTable = parseCfi(eh, ehAddress, 'eh_frame');
  assert.deepEqual(ehTable.skipped, []);
  const targets = [...encodings.map((e, i) => syntheticTarget(ehAddress, e, i)), 0x9000n].sort((a, b) => (a < b ? -1 : 1));
  assert.deepEqual(ehTable.fdes.map((f) => f.start), targets);
  compareWithReadelf(ehTable, readelfFrames('riscv64-unknown-elf-readelf', obj, '.eh_frame'), 'synthetic .eh_frame');
  const debugTable = parseCfi(debug, 0n, 'debug_frame');
  assert.deepEqual(debugTable.skipped, []);
  assert.deepEqual(debugTable.fdes.map((f) => f.cie.version), [4, 1, 4]);
  compareWithReadelf(debugTable, readelfFrames('riscv64-unknown-elf-readelf', obj, '.debug_frame'), 'synthetic .debug_frame');
});

// ---- what readelf cannot check: LEB128, datarel, textrel, aligned; rejects --------------------------

/** One "zR" CIE with `encoding` and one FDE (range 0x20) whose address `write` puts at section offset `field`. */
function oneFde(encoding: number, write: (s: Bytes, field: number) => void, rangeSize = FORMAT_SIZE[encoding & 0x0f] ?? 4): Uint8Array {
  const s = new Bytes();
  const cie = s.entry((b) => { b.uint(0n, 4).u8(1).str('zR').uleb(1n).sleb(-4n).u8(1).uleb(1n).u8(encoding).u8(0x0c).uleb(2n).uleb(0n); });
  s.entry((b, idOffset) => {
    b.uint(BigInt(idOffset - cie), 4);
    write(b, idOffset + 4);
    b.uint(0x20n, rangeSize); // the range: the encoding's format, without its application
    b.uleb(0n).u8(0x44).u8(0x0e).uleb(16n);
  });
  return new Uint8Array(s.out);
}

test('LEB128, signed, datarel, textrel and aligned encodings; indirect/funcrel FDEs are skipped alone', () => {
  const base = 0x1000n;
  const range = (data: Uint8Array, options: Parameters<typeof parseCfi>[4] = {}): bigint[] => {
    const t = parseCfi(data, base, 'eh_frame', 0n, options);
    assert.deepEqual(t.skipped, []);
    return t.fdes.flatMap((f) => [f.start, f.end]);
  };
  // The range is read in the encoding's format: give it LEB128 formats their own FDE layout.
  const leb = (encoding: number, write: (s: Bytes, field: number) => void): Uint8Array => {
    const s = new Bytes();
    const cie = s.entry((b) => { b.uint(0n, 4).u8(1).str('zR').uleb(1n).sleb(-4n).u8(1).uleb(1n).u8(encoding).u8(0x0c).uleb(2n).uleb(0n); });
    s.entry((b, idOffset) => { b.uint(BigInt(idOffset - cie), 4); write(b, idOffset + 4); b.uleb(0x20n).uleb(0n); });
    return new Uint8Array(s.out);
  };
  assert.deepEqual(range(leb(0x01, (s) => s.uleb(0x80204000n))), [0x80204000n, 0x80204020n]);
  assert.deepEqual(range(leb(0x09, (s) => s.sleb(0x7fffff00n))), [0x7fffff00n, 0x7fffff20n]);
  assert.deepEqual(range(leb(0x19, (s, field) => s.sleb(0x80200000n - (base + BigInt(field))))), [0x80200000n, 0x80200020n], 'pcrel sleb128');
  assert.deepEqual(range(oneFde(0x33, (s) => s.uint(0x40n, 4)), { dataBase: 0x500000n }), [0x500040n, 0x500060n]);
  assert.deepEqual(range(oneFde(0x33, (s) => s.uint(0x40n, 4))), [0x1040n, 0x1060n], 'datarel defaults to the section address');
  assert.deepEqual(range(oneFde(0x23, (s) => s.uint(0x40n, 4)), { textBase: 0x80200000n }), [0x80200040n, 0x80200060n]);
  assert.deepEqual(range(oneFde(0x0b, (s) => s.uint(-0x100n, 4))), [0xffffffffffffff00n, 0xffffffffffffff20n], 'sdata4 sign-extends');
  assert.deepEqual(range(oneFde(0x08, (s) => s.uint(0x80200000n, 8))), [0x80200000n, 0x80200020n], 'DW_EH_PE_signed: address-sized');
  assert.deepEqual(range(oneFde(0x53, (s, field) => { for (let p = field; p % 8; p++) s.u8(0); s.uint(0x80300000n, 4); })),
    [0x80300000n, 0x80300020n], 'aligned: padded to the address size');
  assert.deepEqual(range(oneFde(0x00, (s) => s.uint(0x80001000n, 4), 4), { addressSize: 4 }), [0x80001000n, 0x80001020n], '4-byte absptr');
  for (const [encoding, reason] of [[0x9b, /indirect/], [0x43, /not supported/], [0x23, /text base/], [0x0f, /pointer format/], [0xff, /omit/]] as const) {
    const t = parseCfi(oneFde(encoding, (s) => s.uint(0x40n, 4)), base, 'eh_frame');
    assert.equal(t.fdeCount, 0, hex(encoding));
    assert.equal(t.skipped.length, 1);
    assert.match(t.skipped[0].reason, reason);
  }
});

/** A .debug_frame: a good CIE (v3, caf 2, daf -8) with a good FDE at 0x1000, then one FDE per `programs`
 *  entry (at 0x2000, 0x3000…), and optionally more CIEs: [augmentation/version bytes, FDE count]. */
function debugFrame(programs: number[][], extra: (s: Bytes) => void = () => {}): Uint8Array {
  const s = new Bytes();
  const cie = s.entry((b) => { b.uint(0xffffffffn, 4).u8(3).str('').uleb(2n).sleb(-8n).uleb(1n).u8(0x0c).uleb(2n).uleb(0n); });
  s.entry((b) => { b.uint(BigInt(cie), 4).uint(0x1000n, 8).uint(0x40n, 8); prologue(b); });
  programs.forEach((program, i) => s.entry((b) => { b.uint(BigInt(cie), 4).uint(0x2000n + 0x1000n * BigInt(i), 8).uint(0x40n, 8).bytes(program); }));
  extra(s);
  return new Uint8Array(s.out);
}

test('malformed instructions and CIEs drop only their FDEs; framing errors throw', () => {
  const skippedFor = (program: number[]): string => {
    const t = parseCfi(debugFrame([program]), 0n, 'debug_frame');
    assert.equal(t.fdeCount, 1, 'the good FDE stays');
    assert.ok(t.rowAt(0x1004n));
    assert.equal(t.skipped.length, 1, `skipped: ${JSON.stringify(t.skipped)}`);
    return t.skipped[0].reason;
  };
  assert.match(skippedFor([0x0b]), /without a remembered state/);
  assert.match(skippedFor(Array(65).fill(0x0a)), /nested deeper/);
  assert.equal(parseCfi(debugFrame([[...Array(64).fill(0x0a), ...Array(64).fill(0x0b)]]), 0n, 'debug_frame').fdeCount, 2, '64 levels are fine');
  assert.match(skippedFor([0x3f]), /unknown CFA instruction 0x3f/);
  assert.match(skippedFor([0x0f, 0x10, 0x72]), /expression length/);
  assert.match(skippedFor([0x0f, 0x01, 0x72, 0x0e, 0x08]), /while the CFA is an expression/);
  assert.match(skippedFor([0x0c, 0x82, 0x80, 0x80]), /runs past the end/);
  assert.match(skippedFor([0x07, 0xff, 0xff, 0xff, 0x7f]), /out of range/);
  assert.match(skippedFor([0x04, 0x01]), /runs past the end/);
  // CIE problems: an unknown augmentation, version, a CIE pointer to an FDE or outside the section.
  const withCie = (cieBody: (b: Bytes) => void): readonly SkippedEntry[] => parseCfi(debugFrame([], (s) => {
    const c = s.entry(cieBody);
    s.entry((b) => { b.uint(BigInt(c), 4).uint(0x5000n, 8).uint(0x40n, 8); });
  }), 0n, 'debug_frame').skipped;
  assert.match(withCie((b) => b.uint(0xffffffffn, 4).u8(3).str('X').uleb(1n).sleb(-4n).uleb(1n))[0].reason, /unknown augmentation 'X'/);
  assert.match(withCie((b) => b.uint(0xffffffffn, 4).u8(2).str('').uleb(1n).sleb(-4n).uleb(1n))[0].reason, /version 2/);
  assert.match(withCie((b) => b.uint(0xffffffffn, 4).u8(3).str('').uleb(1n).sleb(-4n).uleb(1n).u8(0x41))[0].reason, /location change in the initial instructions/);
  assert.match(withCie((b) => b.uint(0xffffffffn, 4).u8(4).str('').u8(3).u8(0).uleb(1n).sleb(-4n).uleb(1n))[0].reason, /address size 3/);
  assert.deepEqual(withCie((b) => b.uint(0xffffffffn, 4).u8(1).str('eh').uint(0x1234n, 8).uleb(1n).sleb(-4n).u8(1)), [], '"eh" augmentation');
  const pointing = (target: bigint): string[] => parseCfi(debugFrame([], (s) => {
    s.entry((b) => { b.uint(target, 4).uint(0x5000n, 8).uint(0x40n, 8); });
  }), 0n, 'debug_frame').skipped.map((e) => e.reason);
  const firstFde = parseCfi(debugFrame([]), 0n, 'debug_frame').fdes[0].offset;
  assert.match(pointing(BigInt(firstFde))[0], /does not point to a CIE/);
  assert.match(pointing(0x7fff0000n)[0], /outside the section/);
  const wraps = debugFrame([], (s) => s.entry((b) => { b.uint(0n, 4).uint(0xfffffffffffff000n, 8).uint(0x2000n, 8); }));
  assert.match(parseCfi(wraps, 0n, 'debug_frame').skipped[0].reason, /wraps around/);
  // Framing: a length past the end, a reserved length, a truncated DWARF-64 length.
  const good = debugFrame([]);
  assert.throws(() => parseCfi(good.subarray(0, good.length - 1), 0n, 'debug_frame'), /debug_frame: entry at 0x10: length 0x1c runs past the end of the debug_frame section/);
  const reserved = new Uint8Array([...good, 0xf5, 0xff, 0xff, 0xff]);
  assert.throws(() => parseCfi(reserved, 0n, 'debug_frame'), /reserved length value 0xfffffff5/);
  assert.throws(() => parseCfi(new Uint8Array([...good, 0xff, 0xff, 0xff, 0xff, 0x10, 0]), 0n, 'debug_frame'), /runs past the end/);
  // Trailing zero padding shorter than a length field is fine; an .eh_frame stops at its terminator.
  assert.equal(parseCfi(new Uint8Array([...good, 0, 0]), 0n, 'debug_frame').fdeCount, 1);
  const eh = syntheticEhFrame(0x80400000n, [0x1b]);
  assert.equal(parseCfi(new Uint8Array([...eh, 0xff, 0xff]), 0x80400000n, 'eh_frame').fdeCount, 2, 'garbage after the terminator');
});

test('fdeFor: binary search, gaps, overlapping (discarded, relocated-to-0) FDEs', () => {
  const s = new Bytes();
  const cie = s.entry((b) => { b.uint(0xffffffffn, 4).u8(3).str('').uleb(1n).sleb(-4n).uleb(1n).u8(0x0c).uleb(2n).uleb(0n); });
  const fde = (start: bigint, len: bigint, cfaOffset: number): void => {
    s.entry((b) => { b.uint(BigInt(cie), 4).uint(start, 8).uint(len, 8).u8(0x0e).uleb(BigInt(cfaOffset)); });
  };
  fde(0x3000n, 0x100n, 3);
  fde(0n, 0x8000n, 1); // a discarded function: its start relocated to 0, its range kept
  fde(0x1000n, 0x10n, 2);
  fde(0x2000n, 0n, 9); // empty: left out
  fde(0x80n, 0x40n, 4);
  const t = parseCfi(new Uint8Array(s.out), 0n, 'debug_frame');
  assert.equal(t.fdeCount, 4);
  const cfaAt = (pc: bigint): bigint | undefined => {
    const row = t.rowAt(pc);
    return row?.cfa.kind === 'reg-offset' ? row.cfa.offset : undefined;
  };
  assert.equal(cfaAt(0x3000n), 3n);
  assert.equal(cfaAt(0x30ffn), 3n);
  assert.equal(cfaAt(0x1008n), 2n);
  assert.equal(cfaAt(0x90n), 4n);
  assert.equal(cfaAt(0x1010n), 1n, 'after the small FDE, the big one at 0 still covers it');
  assert.equal(cfaAt(0x7fffn), 1n);
  assert.equal(t.rowAt(0x8000n), undefined);
  assert.equal(t.fdeFor(-1n), undefined);
  assert.equal(t.fdeFor((1n << 64n) - 1n), undefined);
  assert.equal(parseCfi(new Uint8Array(0), 0n, 'eh_frame').fdeCount, 0);
});

test('random byte flips and truncations of real sections: an Error or skipped FDEs, never a hang or a crash', () => {
  const random = prng(0xcf1);
  const sections = [
    { data: elfSection(DEMO, '.debug_frame')!.data, address: 0n, kind: 'debug_frame' as const },
    { ...(() => { const e = elfSection(bare('eh_frame', '-O2'), '.eh_frame')!; return { data: e.data, address: e.address }; })(), kind: 'eh_frame' as const },
  ];
  const memory = (a: bigint, n: number): Uint8Array | undefined => (a & 0xfffn) === 0xff8n ? undefined : new Uint8Array(n).fill(Number(a & 0xffn));
  const evalExpr = (e: Uint8Array): bigint | undefined => (e.length % 2 ? undefined : BigInt(e.length));
  const fuzzRegs = new Map(Array.from({ length: 64 }, (_, r) => [r, 0x80100000n + BigInt(r) * 0x100n] as [number, bigint]));
  let errors = 0;
  let skipped = 0;
  for (let i = 0; i < 300; i++) {
    const { data: original, address, kind } = sections[i % 2];
    let data = original.slice();
    const flips = 1 + Math.floor(random() * 4);
    for (let k = 0; k < flips; k++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
    if (random() < 0.3) data = data.subarray(0, Math.floor(random() * data.length));
    let table: CfiTable;
    try {
      table = parseCfi(data, address, kind);
    } catch (e) {
      assert.ok(e instanceof Error && e.constructor === Error && /^(debug|eh)_frame: entry at 0x/.test(e.message), String(e));
      errors++;
      continue;
    }
    skipped += table.skipped.length;
    for (const fde of table.fdes) {
      for (const pc of [fde.start, (fde.start + fde.end) / 2n, fde.end - 1n]) {
        assert.ok(table.rowAt(pc), 'a listed FDE has rows');
        unwindStep(table, pc, fuzzRegs, memory, evalExpr);
      }
    }
    for (let k = 0; k < 20; k++) table.rowAt(BigInt(Math.floor(random() * 2 ** 32)));
  }
  assert.ok(errors > 20 && skipped > 20, `${errors} framing errors, ${skipped} FDEs skipped`);
});

// ---- unwinding ---------------------------------------------------------------------------------------

/** A memory where every 8-byte word holds a value derived from its address (and nothing is unreadable
 *  except where told). */
const wordAt = (a: bigint): bigint => (a * 0x9e3779b97f4a7c15n + 0x1234n) & ((1n << 64n) - 1n);
function patternMemory(unreadable?: bigint): (a: bigint, n: number) => Uint8Array | undefined {
  return (a, n) => {
    if (unreadable !== undefined && a === unreadable) return undefined;
    const out = new Uint8Array(n);
    const v = wordAt(a);
    for (let i = 0; i < n; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
    return out;
  };
}

test('unwindStep from every readelf row with memory consistent with it (demo.elf and the -O2 fixture)', () => {
  for (const path of [DEMO, bare('debug_frame', '-O2')]) {
    const table = loadCfi(path, 'debug_frame');
    const entries = readelfFrames('riscv64-unknown-elf-readelf', path, '.debug_frame');
    const cies = new Map(entries.filter((e) => e.isCie).map((e) => [e.offset, e]));
    const regs = new Map(Array.from({ length: 64 }, (_, r) => [r, 0x80100000n + BigInt(r) * 0x1000n] as [number, bigint]));
    let steps = 0;
    for (const e of entries) {
      if (e.isCie) continue;
      const source = e.rows.length > 0 ? e : cies.get(e.cie)!;
      for (const r of source.rows) {
        const pc = e.rows.length > 0 ? r.loc : e.start;
        const got = unwindStep(table, pc, regs, patternMemory());
        if (table.rowAt(pc)!.rules.get(1)?.kind === 'undefined') { // _start: the chain ends
          assert.equal(got, undefined);
          continue;
        }
        const [, cfaReg, cfaOffset] = /^(\w+)([+-]\d+)$/.exec(r.cfa)!;
        const cfa = regs.get(REG_NUMBERS.get(cfaReg)!)! + BigInt(cfaOffset);
        const expected = new Map(regs);
        source.columns.forEach((name, i) => {
          const cell = r.cells[i];
          const reg = name === 'ra' ? 1 : REG_NUMBERS.get(name)!;
          if (cell.startsWith('c')) expected.set(reg, wordAt(cfa + BigInt(cell.slice(1))));
          else assert.equal(cell, 'u');
        });
        expected.set(2, cfa);
        assert.deepEqual(got, { pc: expected.get(1), cfa, regs: expected }, `${path} pc ${hex(pc)}`);
        steps++;
      }
    }
    assert.ok(steps > 50);
  }
});

test('unwindStep: expression rules, register rules, undefined ra, unreadable memory', () => {
  const s = new Bytes();
  const cie = s.entry((b) => { b.uint(0xffffffffn, 4).u8(3).str('').uleb(1n).sleb(-8n).uleb(1n).u8(0x0c).uleb(2n).uleb(0n); });
  // 0x1000: CFA = *(sp + 16); s1 at *(CFA - 8) by expression; s2 = CFA + 24 (val_expression);
  // s3 in s4; s5 = CFA - 16 (val_offset); s6 undefined; s7 same; ra at CFA - 8; f8 (fs0) at CFA - 16.
  s.entry((b) => {
    b.uint(BigInt(cie), 4).uint(0x1000n, 8).uint(0x10n, 8);
    b.u8(0x0f, 3, 0x72, 0x10, 0x06); // def_cfa_expression: breg2 16; deref
    b.u8(0x10, 9, 2, 0x08, 0xf8); // expression s1: CFA - 8 (for the evaluator below)
    b.u8(0x16, 18, 2, 0x08, 0x18); // val_expression s2: CFA + 24
    b.u8(0x09, 19, 20, 0x14, 21, 2, 0x07, 22, 0x08, 23, 0x81, 1, 0x80 | 40, 2);
  });
  // 0x2000: ra undefined; 0x3000: ra in t1 (x6); 0x4000: CFA = s0 + 0, ra at CFA - 8
  s.entry((b) => { b.uint(BigInt(cie), 4).uint(0x2000n, 8).uint(0x10n, 8).u8(0x07, 1); });
  s.entry((b) => { b.uint(BigInt(cie), 4).uint(0x3000n, 8).uint(0x10n, 8).u8(0x09, 1, 6); });
  s.entry((b) => { b.uint(BigInt(cie), 4).uint(0x4000n, 8).uint(0x10n, 8).u8(0x0c, 8, 0, 0x81, 1); });
  const t = parseCfi(new Uint8Array(s.out), 0n, 'debug_frame');
  assert.equal(t.fdeCount, 4);
  const regs = new Map<number, bigint>([[1, 0x111n], [2, 0x8000n], [8, 0x9000n], [19, 0x333n], [20, 0x444n], [21, 0x555n], [22, 0x666n], [23, 0x777n]]);
  // A stand-in evaluator for the two shapes used: "breg2 N; deref", and [CFA] + the signed second byte.
  const evalExpr = (e: Uint8Array, r: Map<number, bigint>, stack?: bigint[]): bigint | undefined => {
    if (e[0] === 0x72) return wordAt(r.get(2)! + BigInt(e[1]));
    return stack![0] + BigInt.asIntN(8, BigInt(e[1]));
  };
  const cfa = wordAt(0x8010n);
  const got = unwindStep(t, 0x1000n, regs, patternMemory(), evalExpr);
  assert.ok(got);
  assert.equal(got.cfa, cfa);
  assert.equal(got.pc, wordAt(cfa - 8n));
  assert.equal(got.regs.get(9), wordAt(cfa - 8n), 'expression: a memory location');
  assert.equal(got.regs.get(18), cfa + 24n, 'val_expression: the value');
  assert.equal(got.regs.get(19), 0x444n, 'register rule');
  assert.equal(got.regs.get(21), cfa - 16n, 'val_offset');
  assert.equal(got.regs.has(22), false, 'undefined');
  assert.equal(got.regs.get(23), 0x777n, 'same value');
  assert.equal(got.regs.get(40), wordAt(cfa - 16n), 'fs0');
  assert.equal(got.regs.get(2), cfa, 'sp = CFA');
  assert.equal(unwindStep(t, 0x1000n, regs, patternMemory()), undefined, 'expressions need evalExpr');
  assert.equal(unwindStep(t, 0x1000n, regs, patternMemory(cfa - 8n), evalExpr), undefined, 'unreadable saved ra');
  assert.equal(unwindStep(t, 0x2000n, regs, patternMemory()), undefined, 'ra undefined: the outermost frame');
  assert.equal(unwindStep(t, 0x3000n, regs, patternMemory()), undefined, 'ra in t1, which is unknown');
  assert.equal(unwindStep(t, 0x3000n, new Map([...regs, [6, 0x80201234n]]), patternMemory())?.pc, 0x80201234n);
  const fp = unwindStep(t, 0x4000n, regs, patternMemory());
  assert.deepEqual(fp && [fp.pc, fp.cfa, fp.regs.get(2)], [wordAt(0x9000n - 8n), 0x9000n, 0x9000n]);
  assert.equal(unwindStep(t, 0x4000n, new Map([[1, 1n], [2, 0x8000n]]), patternMemory()), undefined, 'CFA register unknown');
  assert.equal(unwindStep(t, 0x5000n, regs, patternMemory()), undefined, 'no FDE');
});

test('unwindByFramePointer: the psABI frame record, and where it refuses', () => {
  const fp = 0x80100040n;
  const regs = new Map<number, bigint>([[1, 0x11n], [2, 0x80100000n], [3, 0x33n], [4, 0x44n], [8, fp], [9, 0x99n]]);
  const got = unwindByFramePointer(0x80200010n, regs, patternMemory());
  assert.deepEqual(got, {
    pc: wordAt(fp - 8n), cfa: fp,
    regs: new Map([[1, wordAt(fp - 8n)], [2, fp], [8, wordAt(fp - 16n)], [3, 0x33n], [4, 0x44n]]),
  });
  const refuses = (r: Map<number, bigint>, mem = patternMemory()): void => assert.equal(unwindByFramePointer(0n, r, mem), undefined);
  refuses(new Map([...regs, [8, 0n]]));
  refuses(new Map([...regs, [8, fp + 4n]]));
  refuses(new Map([...regs, [8, 0x80100000n]]), patternMemory()); // fp not above sp
  refuses(regs, patternMemory(fp - 8n));
  refuses(regs, () => new Uint8Array(8)); // saved ra 0: the end
});

// ---- unwinding real stacks: the fixtures run on the engine -------------------------------------------

/** Callee-saved registers (s0–s11, fs0–fs11) in DWARF numbering. */
const CALLEE_SAVED = [8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27].flatMap((r) => [r, r + 32]);

interface ShadowFrame { returnAddress: bigint; sp: bigint; saved: Map<number, bigint> }

/**
 * Runs an ELF kernel on the engine one instruction at a time, keeping a shadow stack of the calls
 * and returns executed; `check` sees every instruction before it runs. Returns the steps and the
 * deepest stack.
 */
function runWithShadowStack(elf: string, check: (pc: bigint, regs: Map<number, bigint>, shadow: readonly ShadowFrame[], memory: (a: bigint, n: number) => Uint8Array | undefined) => void): { steps: number; depth: number } {
  const m = Machine.create({ kernel: new Uint8Array(readFileSync(elf)), ramSize: 16 << 20, rtcEpochNs: 0n });
  const h = m.harts[0];
  const bus = m.board.bus;
  const memory = (a: bigint, n: number): Uint8Array | undefined => {
    if (a > 0xffffffffn) return undefined;
    const off = bus.ramOffset(Number(a), n);
    return off < 0 ? undefined : bus.ram.slice(off, off + n);
  };
  const shadow: ShadowFrame[] = [];
  let depth = 0;
  for (let steps = 0; steps < 200_000; steps++) {
    const pc = BigInt(h.pc);
    const regs = new Map<number, bigint>();
    for (let r = 1; r < 32; r++) regs.set(r, h.getX(r));
    for (let r = 0; r < 32; r++) regs.set(32 + r, h.getF(r));
    check(pc, regs, shadow, memory);
    const word = memory(pc, 4)!;
    const inst = word[0] | (word[1] << 8) | (word[2] << 16) | (word[3] << 24);
    const compressed = (inst & 3) !== 3;
    const rd = (inst >>> 7) & 31;
    const isCall = compressed
      ? (inst & 0xf07f) === 0x9002 && rd !== 0 // c.jalr
      : ((inst & 0x7f) === 0x6f || (inst & 0x7f) === 0x67) && rd === 1; // jal/jalr ra
    const isReturn = compressed ? (inst & 0xffff) === 0x8082 : (inst >>> 0) === 0x00008067; // c.jr ra / jalr x0, 0(ra)
    const r = m.step(0);
    if (r.reason === 'poweroff') return { steps, depth };
    assert.equal(r.reason, 'budget', JSON.stringify(r));
    if (isCall) {
      shadow.push({ returnAddress: pc + (compressed ? 2n : 4n), sp: regs.get(2)!, saved: new Map(CALLEE_SAVED.map((x) => [x, regs.get(x)!])) });
      depth = Math.max(depth, shadow.length);
    } else if (isReturn) {
      const frame = shadow.pop();
      assert.equal(BigInt(h.pc), frame?.returnAddress, 'returned where the shadow stack says');
    }
  }
  assert.fail(`${elf} did not power off`);
}

for (const [kind, opt] of [['debug_frame', '-O0'], ['debug_frame', '-O2'], ['eh_frame', '-O2']] as const) {
  test(`CFI unwinding at every instruction of a real run (${kind}, GCC ${opt}) matches the shadow stack`, () => {
    const elf = bare(kind, opt);
    const table = loadCfi(elf, kind);
    let frames = 0;
    const { steps, depth } = runWithShadowStack(elf, (pc, regs, shadow, memory) => {
      const chain = [];
      let frame = { pc, regs };
      for (let i = 0; i < 64; i++) {
        const caller = unwindStep(table, i === 0 ? frame.pc : frame.pc - 1n, frame.regs, memory);
        if (!caller) break;
        chain.push(caller);
        frame = caller;
      }
      const at = `pc ${hex(pc)}: chain ${chain.map((c) => hex(c.pc)).join(' ')}; shadow ${shadow.map((s) => hex(s.returnAddress)).join(' ')}`;
      assert.equal(chain.length, shadow.length, at);
      chain.forEach((caller, i) => {
        const expected = shadow[shadow.length - 1 - i];
        assert.equal(caller.pc, expected.returnAddress, at);
        assert.equal(caller.cfa, expected.sp, `${at}: CFA of frame ${i}`);
        for (const r of CALLEE_SAVED) assert.equal(caller.regs.get(r), expected.saved.get(r), `${at}: frame ${i + 1} r${r}`);
      });
      frames += chain.length;
    });
    assert.ok(steps > 500 && depth >= 4 && frames > 1000, `${steps} steps, depth ${depth}, ${frames} frames`);
  });
}

test('frame-pointer unwinding of a real run (-O0 -fno-omit-frame-pointer) matches the shadow stack', () => {
  const elf = bare('debug_frame', '-O0', ['-fno-omit-frame-pointer']);
  const table = loadCfi(elf, 'debug_frame');
  let checked = 0;
  runWithShadowStack(elf, (pc, regs, shadow, memory) => {
    // Only inside function bodies whose frame record is complete (not leaves, prologues or epilogues).
    const row = table.rowAt(pc);
    const ra = row?.rules.get(1);
    const s0 = row?.rules.get(8);
    if (!(row?.cfa.kind === 'reg-offset' && row.cfa.reg === 8 && row.cfa.offset === 0n && ra?.kind === 'offset' && ra.offset === -8n && s0?.kind === 'offset' && s0.offset === -16n)) return;
    const chain = [];
    let frame = { pc, regs };
    for (let i = 0; i < 64; i++) {
      const caller = unwindByFramePointer(frame.pc, frame.regs, memory);
      if (!caller) break;
      chain.push(caller);
      frame = caller;
    }
    assert.deepEqual(chain.map((c) => [c.pc, c.cfa]), shadow.map((s) => [s.returnAddress, s.sp]).reverse(), `pc ${hex(pc)}`);
    checked++;
  });
  assert.ok(checked > 200, `${checked} instructions checked`);
});

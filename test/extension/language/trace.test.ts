// The language server's trace features (extension/language/trace*.ts) over a real trace of the demo guest,
// written by the CLI: header, outline, hovers, diagnostics, definitions through the demo's DWARF.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type DocumentSymbol, type MarkupContent } from 'vscode-languageserver';
import { parseTrace, scanMembers, type ParsedTrace } from '../../../extension/language/trace.ts';
import {
  traceDefinition, traceDiagnostics, traceHover, traceOutline, traceSymbolSpecs, type TraceContext,
} from '../../../extension/language/trace-features.ts';
import { SymbolFileCache } from '../../../extension/language/symbol-files.ts';
import { DebugInfo } from '../../../debuginfo/debuginfo.ts';
import { ROOT } from '../../helpers/cli.ts';
import { DEMO, addr2line, demoTraceFromCli, hasAddr2line, message } from './trace-helpers.ts';

let text: string;
let lines: string[];
let trace: ParsedTrace;
let ctx: TraceContext;
const cache = new SymbolFileCache();

before(() => {
  text = demoTraceFromCli();
  lines = text.trimEnd().split('\n');
  trace = parseTrace(text);
  const { symbols, problems } = cache.symbols(traceSymbolSpecs(trace, undefined, [], undefined));
  ctx = { symbols, roots: [ROOT], symbolProblems: problems };
});

const lineOf = (pred: (r: Record<string, unknown>) => boolean): number => {
  const n = lines.findIndex((l, i) => i > 0 && pred(JSON.parse(l) as Record<string, unknown>));
  assert.ok(n > 0, 'no such line in the demo trace');
  return n;
};
const hoverText = (t: ParsedTrace, line: number, c?: TraceContext): string => (traceHover(t, line, 3, c)?.contents as MarkupContent).value;
/** The demo trace with `extra` lines inserted before its end line (and the end line's count kept). */
const withLines = (extra: string[], keepEnd = true): string => [...lines.slice(0, -1), ...extra, ...(keepEnd ? lines.slice(-1) : [])].join('\n') + '\n';

test('the CLI names the kernel ELF in the trace header, and the trace reads with no problems', () => {
  assert.deepEqual(trace.header?.symbols, [DEMO]);
  assert.equal(trace.header?.version, 1);
  assert.deepEqual(trace.problems, []);
  assert.equal(trace.records.length, lines.length - 1);
  assert.equal(trace.end?.fields.events, lines.length - 2);
  assert.deepEqual(ctx.symbolProblems, []);
  assert.equal(ctx.symbols?.files[0].path, DEMO);
  assert.deepEqual(traceDiagnostics(trace, ctx), [], 'a clean run has nothing to report');
});

test('field spans: each member and each args element is found on its line', () => {
  const n = lineOf((r) => r.fn === 'console_write');
  const m = scanMembers(lines[n])!;
  assert.equal(lines[n].slice(m.get('k')!.value.start, m.get('k')!.value.end), '"hypercall"');
  const args = m.get('args')!;
  assert.equal(args.elements?.length, 6);
  const rec = JSON.parse(lines[n]) as { args: string[] };
  args.elements!.forEach((s, i) => assert.equal(lines[n].slice(s.start, s.end), JSON.stringify(rec.args[i])));
});

test('outline: the header, hart 0 split into the kernel phase and the user-space phase, then poweroff and end', () => {
  const outline = traceOutline(trace);
  assert.deepEqual(outline.map((s) => s.name), ['rvisor-trace v1', 'hart 0', 'poweroff (code 0)', 'end (144 events)'.replace('144', String(lines.length - 2))]);
  const hart = outline[1];
  assert.deepEqual(hart.children!.map((c) => c.name), ['kernel (S-mode)', 'user space (U-mode)']);
  const [kernel, user] = hart.children!;
  // The kernel phase ends where the first trap from U-mode is.
  const firstUser = lineOf((r) => r.from === 'U');
  assert.equal(user.range.start.line, firstUser);
  assert.ok(kernel.children!.every((c: DocumentSymbol) => !c.name.includes('U→')));
  assert.ok(kernel.children!.some((c) => c.name === 'DBCN.console_write') && kernel.children!.some((c) => c.name === 'BASE.probe_extension'));
  assert.ok(user.children!.some((c) => c.name === 'ecall from U-mode (U→S)') && user.children!.some((c) => c.name === 'supervisor timer (U→S)'));
  // Every hart record is a leaf once; ranges nest.
  const leaves = hart.children!.flatMap((c) => c.children!);
  assert.equal(leaves.length, trace.records.filter((r) => r.hart !== undefined).length);
  for (const ph of hart.children!) {
    assert.ok(ph.range.start.line >= hart.range.start.line && ph.range.end.line <= hart.range.end.line);
    for (const l of ph.children!) assert.ok(l.range.start.line >= ph.range.start.line && l.range.end.line <= ph.range.end.line);
  }
});

test('outline: firmware and upper-half phases, resets starting the harts over, fatal lines at the top level', () => {
  const t = parseTrace([
    '{"format":"rvisor-trace","version":1,"harts":2,"stepsPerTick":25}',
    '{"k":"trap","vt":1,"hart":0,"pc":"0x80000100","cause":2,"name":"illegal instruction","tval":"0x0","from":"M","to":"M"}',
    '{"k":"hypercall","vt":2,"hart":0,"pc":"0x80200010","eid":"0x10","ext":"BASE","fid":0,"fn":"get_spec_version","args":[],"error":0,"value":"0x2000000"}',
    '{"k":"hypercall","vt":3,"hart":1,"pc":"0x80200010","eid":"0x10","ext":"BASE","fid":0,"fn":"get_spec_version","args":[],"error":0,"value":"0x2000000"}',
    '{"k":"hypercall","vt":4,"hart":0,"pc":"0xffffffff80001234","eid":"0x54494d45","ext":"TIME","fid":0,"fn":"set_timer","args":["0x10"],"error":0,"value":"0x0"}',
    '{"k":"trap","vt":5,"hart":0,"pc":"0x10000","cause":13,"name":"load page fault","tval":"0x20000","from":"U","to":"S"}',
    '{"k":"hypercall","vt":6,"hart":0,"pc":"0xffffffff80001234","eid":"0x54494d45","ext":"TIME","fid":0,"fn":"set_timer","args":["0x10"],"error":0,"value":"0x0"}',
    '{"k":"reset","vt":7}',
    '{"k":"hypercall","vt":8,"hart":0,"pc":"0x80200010","eid":"0x10","ext":"BASE","fid":0,"fn":"get_spec_version","args":[],"error":0,"value":"0x2000000"}',
    '{"k":"fatal","vt":9,"hart":0,"message":"boom"}',
  ].join('\n'));
  const outline = traceOutline(t);
  assert.deepEqual(outline.map((s) => s.name), ['rvisor-trace v1', 'hart 0', 'hart 1', 'reset', 'hart 0 (after reset 1)', 'fatal: boom']);
  assert.deepEqual(outline[1].children!.map((c) => [c.name, c.children!.length]),
    [['firmware (M-mode)', 1], ['kernel (S-mode)', 1], ['kernel in the upper half (S-mode, paging on)', 1], ['user space (U-mode)', 2]]);
  assert.deepEqual(outline[4].children!.map((c) => c.name), ['kernel (S-mode)']);
});

test('hover: a DBCN console_write names the call, its arguments and the bytes written', () => {
  const n = lineOf((r) => r.fn === 'console_write');
  const rec = JSON.parse(lines[n]) as { args: string[]; value: string };
  const h = hoverText(trace, n, ctx);
  assert.match(h, /SBI call DBCN\.console_write/);
  assert.match(h, /sbi_debug_console_write\(unsigned long num_bytes, unsigned long base_addr_lo, unsigned long base_addr_hi\)/);
  assert.match(h, new RegExp(`\\| a0 \\| num_bytes \\| \`${rec.args[0]}\` — ${BigInt(rec.args[0])} bytes`));
  assert.match(h, new RegExp(`\\| a1 \\| base_addr_lo \\| \`${rec.args[1]}\` — buffer at physical address ${rec.args[1]}`));
  assert.match(h, /SBI_SUCCESS \(0: completed successfully\)/);
  assert.match(h, new RegExp(`${BigInt(rec.value)} bytes written`));
  assert.match(h, /ecall at.*sbi_debug_console_write\+0x/);
});

test('hover: set_timer reads its time in ticks and milliseconds; SRST its type and reason; BASE its results', () => {
  const timer = JSON.parse(lines[lineOf((r) => r.fn === 'set_timer')]) as { args: string[] };
  const h = hoverText(trace, lineOf((r) => r.fn === 'set_timer'), ctx);
  assert.match(h, /a0 \| stime_value/);
  assert.match(h, new RegExp(`${BigInt(timer.args[0])} ticks = [0-9.]+ ms of the 10 MHz timebase`));
  const srst = hoverText(trace, lineOf((r) => r.fn === 'system_reset'), ctx);
  assert.match(srst, /sbi_system_reset\(uint32_t reset_type, uint32_t reset_reason\)/);
  assert.match(srst, /a0 \| reset_type \| `0x0` — shutdown/);
  assert.match(srst, /a1 \| reset_reason \| `0x0` — no reason/);
  assert.match(hoverText(trace, lineOf((r) => r.fn === 'get_spec_version'), ctx), /SBI v2\.0/);
  assert.match(hoverText(trace, lineOf((r) => r.fn === 'get_impl_id'), ctx), /rvisor/);
  assert.match(hoverText(trace, lineOf((r) => r.fn === 'probe_extension' && r.args instanceof Array && r.args[0] === '0x4442434e'), ctx),
    /extension_id \| `0x4442434e` — DBCN[\s\S]*Value.*available/);
  assert.match(hoverText(trace, lineOf((r) => r.fn === 'hart_get_status'), ctx), /Value.*STARTED/);
});

test('hover: traps and interrupts give the cause, what tval holds, the modes and where the pc is', () => {
  const pf = hoverText(trace, lineOf((r) => r.name === 'store/AMO page fault'), ctx);
  assert.match(pf, /Exception: store\/AMO page fault\*\* \(cause 15\)/);
  assert.match(pf, /tval\*\* `0x[0-9a-f]+`: the virtual address whose translation faulted/);
  assert.match(pf, /Taken from U-mode \(user\) into S-mode \(kernel\), delegated by medeleg/);
  assert.match(pf, /trapped at.*primes\.c:\d+/);
  const irq = hoverText(trace, lineOf((r) => r.k === 'interrupt'), ctx);
  assert.match(irq, /Interrupt: supervisor timer\*\* \(cause 5, interrupt bit set\)/);
  assert.match(irq, /set_timer/);
  // An illegal instruction's tval is decoded with the disassembler.
  const t = parseTrace(withLines(['{"k":"trap","vt":1,"hart":0,"pc":"0x80200000","cause":2,"name":"illegal instruction","tval":"0x30200073","from":"S","to":"M"}']));
  assert.match(hoverText(t, lines.length - 1), /the instruction bits: `mret`/);
  assert.match(hoverText(trace, 0, ctx), /rvisor-trace\*\* version 1[\s\S]*1 hart[\s\S]*symbol files: `.*demo\.elf`/);
});

test('hover: HSM hart_start, IPI masks, legacy console_putchar and getchar', () => {
  const t = parseTrace(withLines([
    '{"k":"hypercall","vt":1,"hart":0,"pc":"0x80200000","instret":1,"eid":"0x48534d","ext":"HSM","fid":0,"fn":"hart_start","args":["0x1","0x80200000","0x1234","0x0","0x0","0x0"],"error":-7,"value":"0x0"}',
    '{"k":"hypercall","vt":2,"hart":0,"pc":"0x80200000","instret":2,"eid":"0x735049","ext":"IPI","fid":0,"fn":"send_ipi","args":["0x5","0x2","0x0","0x0","0x0","0x0"],"error":0,"value":"0x0"}',
    '{"k":"hypercall","vt":3,"hart":0,"pc":"0x80200000","instret":3,"eid":"0x1","ext":"legacy console_putchar","fid":0,"fn":null,"args":["0x41","0x0","0x0","0x0","0x0","0x0"],"error":0,"value":"0x0"}',
    '{"k":"hypercall","vt":4,"hart":0,"pc":"0x80200000","instret":4,"eid":"0x2","ext":"legacy console_getchar","fid":0,"fn":null,"args":["0x0","0x0","0x0","0x0","0x0","0x0"],"error":-1,"value":"0x0"}',
    '{"k":"hypercall","vt":5,"hart":0,"pc":"0x80200000","instret":5,"eid":"0x504d55","ext":null,"fid":0,"fn":null,"args":["0x0","0x0","0x0","0x0","0x0","0x0"],"error":-2,"value":"0x0"}',
  ]));
  const base = lines.length - 1;
  const start = hoverText(t, base);
  assert.match(start, /a0 \| hartid \| `0x1` — hart 1/);
  assert.match(start, /a1 \| start_addr/);
  assert.match(start, /a2 \| opaque/);
  assert.match(start, /SBI_ERR_ALREADY_STARTED \(-7: already started\)/);
  assert.match(hoverText(t, base + 1), /hart_mask \| `0x5` — harts 2, 4/);
  assert.match(hoverText(t, base + 2), /ch \| `0x41` — 'A'/);
  assert.match(hoverText(t, base + 3), /Result\*\* \(a0\): -1 \(no character waiting\)/);
  assert.match(hoverText(t, base + 4), /EID 0x504d55 \("PMU"\)/);
  // Diagnostics: the failing hart_start and the unknown call, not getchar's "no input".
  const d = traceDiagnostics(t).filter((x) => x.severity === DiagnosticSeverity.Warning);
  assert.deepEqual(d.map((x) => x.range.start.line), [base, base + 4]);
  assert.match(message(d[0].message), /HSM\.hart_start failed: SBI_ERR_ALREADY_STARTED/);
  assert.match(message(d[1].message), /failed: SBI_ERR_NOT_SUPPORTED/);
});

test('diagnostics: a failing call, junk, a fatal error, unexpected traps, a cut trace, a bad header', () => {
  const failing = '{"k":"hypercall","vt":10,"hart":0,"pc":"0x802006cc","instret":9,"eid":"0x4442434e","ext":"DBCN","fid":0,"fn":"console_write","args":["0x10","0x1000","0x0","0x0","0x0","0x0"],"error":-3,"value":"0x0"}';
  const junk = 'this is not JSON';
  const cut = withLines([failing, junk,
    '{"k":"fatal","vt":11,"hart":0,"message":"hart 0: fetch from unmapped address"}',
    '{"k":"trap","vt":12,"hart":0,"pc":"0x80200000","cause":13,"name":"load page fault","tval":"0x0","from":"S","to":"S"}',
    '{"k":"trap","vt":13,"hart":0,"pc":"0x80200000","cause":5,"name":"load access fault","tval":"0x0","from":"S","to":"S"}',
    '{"k":"trap","vt":14,"hart":0,"pc":"0x10000","cause":12,"name":"instruction page fault","tval":"0x10000","from":"U","to":"S"}',
    '{"k":"trap","vt":15,"hart":0,"pc":"0x80000010","cause":2,"name":"illegal instruction","tval":"0x0","from":"M","to":"M"}',
    '{"k":"trap","vt":16,"hart":0,"pc":"0x80200010","cause":2,"name":"illegal instruction","tval":"0x0","from":"S","to":"M"}',
    '[1, 2]',
  ], false);
  const t = parseTrace(cut);
  const d = traceDiagnostics(t);
  const at = (line: number): Array<[DiagnosticSeverity | undefined, string]> => d.filter((x) => x.range.start.line === line).map((x) => [x.severity, message(x.message)]);
  const n = lines.length - 1;
  const [call] = at(n);
  assert.equal(call[0], DiagnosticSeverity.Warning);
  assert.equal(call[1], 'DBCN.console_write failed: SBI_ERR_INVALID_PARAM (-3: invalid parameter(s))');
  const callDiag = d.find((x) => x.range.start.line === n)!;
  assert.equal(failing.slice(callDiag.range.start.character, callDiag.range.end.character), '-3');
  assert.equal(at(n + 1)[0][0], DiagnosticSeverity.Error);
  assert.match(at(n + 1)[0][1], /not a JSON line/);
  assert.deepEqual(at(n + 2).map((x) => x[0]), [DiagnosticSeverity.Error]);
  assert.match(at(n + 2)[0][1], /fetch from unmapped address/);
  assert.equal(at(n + 3)[0][0], DiagnosticSeverity.Information); // kernel page fault
  assert.equal(at(n + 4)[0][0], DiagnosticSeverity.Warning); // access fault
  assert.deepEqual(at(n + 5), []); // U-mode page fault: demand paging
  assert.equal(at(n + 6)[0][0], DiagnosticSeverity.Information); // firmware probing
  assert.equal(at(n + 7)[0][0], DiagnosticSeverity.Warning); // illegal instruction in the kernel
  assert.match(at(n + 8)[0][1], /not an event/);
  assert.ok(d.some((x) => x.severity === DiagnosticSeverity.Information && /no "end" line: the trace was cut short/.test(message(x.message)) && x.range.start.line === n + 8));
  // An end line that does not count the lines there are.
  assert.match(message(traceDiagnostics(parseTrace(withLines([failing]))).at(-1)!.message), /end line counts \d+ events, the trace holds \d+/);
  // Headers.
  const noHeader = traceDiagnostics(parseTrace(lines.slice(1).join('\n')));
  assert.equal(noHeader[0].severity, DiagnosticSeverity.Error);
  assert.match(message(noHeader[0].message), /missing trace header/);
  assert.match(message(traceDiagnostics(parseTrace(lines[0].replace('"version":1', '"version":7') + '\n' + lines.slice(1).join('\n')))[0].message), /version 7/);
  assert.match(message(traceDiagnostics(parseTrace(''))[0].message), /empty trace/);
  const unloadable = traceDiagnostics(parseTrace('{"format":"rvisor-trace","version":1,"symbols":["/nonexistent/vmlinux"]}\n{"k":"end","vt":0,"events":0}'),
    { roots: [], symbolProblems: ['/nonexistent/vmlinux: ENOENT'] });
  assert.match(message(unloadable[0].message), /cannot load symbol file \/nonexistent\/vmlinux/);
});

test('definition: a hypercall goes to the ecall line and the inlined call sites, as addr2line -i says', (t) => {
  if (!hasAddr2line()) return t.skip('riscv64-unknown-elf-addr2line not installed');
  for (const fn of ['console_write', 'set_timer', 'system_reset']) {
    const n = lineOf((r) => r.fn === fn);
    const pc = BigInt((JSON.parse(lines[n]) as { pc: string }).pc);
    const locations = traceDefinition(trace, n, 3, ctx).map((l) => ({ path: fileURLToPath(l.uri), line: l.range.start.line + 1 }));
    assert.deepEqual(locations, addr2line(DEMO, pc), fn);
    assert.ok(locations.some((l) => l.path === resolve(ROOT, 'guests/demo/sbi.c')), `${fn}: the call in guests/demo/sbi.c`);
  }
  // A trap from user space goes to the user program's line.
  const n = lineOf((r) => r.name === 'store/AMO page fault');
  const pc = BigInt((JSON.parse(lines[n]) as { pc: string }).pc);
  const [first] = traceDefinition(trace, n, 3, ctx);
  assert.deepEqual({ path: fileURLToPath(first.uri), line: first.range.start.line + 1 }, addr2line(DEMO, pc)![0]);
  assert.match(first.uri, /guests\/demo\/user\/primes\.c$/);
});

test('definition: on an address argument, that address (hart_start start_addr → _start)', () => {
  const info = DebugInfo.load(DEMO);
  const start = info.lookupSymbol('_start')!.address;
  const line = `{"k":"hypercall","vt":1,"hart":0,"pc":"0x802006cc","instret":1,"eid":"0x48534d","ext":"HSM","fid":0,"fn":"hart_start","args":["0x1","0x${start.toString(16)}","0x0","0x0","0x0","0x0"],"error":0,"value":"0x0"}`;
  const t = parseTrace(withLines([line]));
  const n = lines.length - 1;
  const arg = scanMembers(line)!.get('args')!.elements![1];
  const [loc] = traceDefinition(t, n, arg.start + 2, ctx);
  assert.match(loc.uri, /guests\/demo\/entry\.S$/);
  assert.equal(loc.range.start.line + 1, info.lineAt(start)!.line);
  // Elsewhere on the line: the pc.
  assert.doesNotMatch(traceDefinition(t, n, 3, ctx)[0].uri, /entry\.S$/);
  // No symbols, no definition.
  assert.deepEqual(traceDefinition(t, n, 3, { roots: [], symbolProblems: [] }), []);
});

test('symbol files: from the settings (relative to the workspace) and the header (relative to the trace); loaded once per modification', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-lang-'));
  try {
    const copy = join(dir, 'kernel.elf');
    copyFileSync(DEMO, copy);
    const t = parseTrace('{"format":"rvisor-trace","version":1,"symbols":["kernel.elf"]}\n');
    assert.deepEqual(traceSymbolSpecs(t, dir, ['a/b.elf', { path: '/abs/c.elf', offset: '0x1000' }, '${workspaceFolder}/d.elf'], '/ws'),
      [{ path: copy }, { path: '/ws/a/b.elf' }, { path: '/abs/c.elf', offset: 0x1000n, physicalBase: undefined }, { path: '/ws/d.elf' }]);
    const c = new SymbolFileCache();
    assert.equal(c.symbols([{ path: copy }]).symbols.files.length, 1);
    c.symbols([{ path: copy }]);
    assert.equal(c.loads, 1);
    utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    c.symbols([{ path: copy }]);
    assert.equal(c.loads, 2);
    writeFileSync(join(dir, 'junk.elf'), 'not an ELF');
    const { problems } = c.symbols([{ path: join(dir, 'junk.elf') }, { path: join(dir, 'missing.elf') }]);
    assert.equal(problems.length, 2);
    assert.match(problems[1], /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

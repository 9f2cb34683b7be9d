// Language features for rvisor trace files (languageId `rvisor-trace`, docs/trace-format.md), as plain
// functions over a parsed trace (trace.ts): outline, hovers, diagnostics, definitions.
//
// Outline: the header, then per hart its records grouped in phases, with reset/poweroff/fatal/end lines
// (and device activity and console output, when recorded) at the top level. A phase is a milestone a
// hart has reached, and lasts until the next one (records never move a hart back to an earlier phase):
//   firmware (M-mode)                  traps taken from M-mode (firmware, or a kernel run with -bios none)
//   kernel (S-mode)                    SBI calls, and traps taken from S-mode
//   kernel in the upper half           the same at a pc with bit 63 set: the kernel runs at its linked
//                                      virtual addresses, so paging is on (Linux after setup_vm)
//   user space (U-mode)                traps taken from U-mode
// A reset starts every hart over.
//
// Diagnostics:
//   error        a line that is not JSON; a missing or foreign header; a `fatal` line
//   warning      an SBI call that returned an error (except legacy console_getchar, whose -1 means "no
//                input"); a line that is JSON but not an event; traps that a working system does not
//                take: misaligned addresses, access faults, illegal instructions (but see below), page
//                faults from M-mode, unknown causes
//   information  an illegal instruction taken from M-mode into M-mode (firmware probing for a CSR or an
//                extension, as OpenSBI does); a page fault from S-mode (normal when the kernel touches
//                user memory or a lazily mapped area, a bug otherwise); a breakpoint; a non-zero poweroff
//                code; a missing `end` line (the trace was cut short) or an `end` that counts other lines
//   none         page faults from U-mode (demand paging, copy-on-write), ecalls, interrupts

import { DiagnosticSeverity, SymbolKind, type Diagnostic, type DocumentSymbol, type Hover, type Location, type Range } from 'vscode-languageserver';
import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { Symbols, SymbolFileSpec } from '../../adapter/symbols.ts';
import { disassembleOne, instructionLength } from '../../debuginfo/disasm.ts';
import { EXCEPTION_NAMES, INTERRUPT_NAMES, Cause, IRQ } from '../../engine/cpu/csr.ts';
import { VIRT } from '../../engine/board/virt.ts';
import { SBI_EXT } from '../../engine/sbi/ids.ts';
import { hexField, type ParsedTrace, type Span, type TraceRecord } from './trace.ts';
import { extensionName, functionName, sbiCallDoc, sbiErrorText } from './sbi-docs.ts';
import { resolveAddress, type AddressInfo } from './symbol-files.ts';

/** What the features need besides the document: the guest's symbols, and where relative source paths are. */
export interface TraceContext {
  symbols?: Symbols;
  /** Directories relative source paths may be relative to (workspace folders, the trace's directory). */
  roots: string[];
  /** Symbol files that could not be loaded. */
  symbolProblems: string[];
}

const MAX_OUTLINE_LEAVES = 5000;
const MAX_DIAGNOSTICS = 1000;

const hex = (v: bigint): string => `0x${v.toString(16)}`;
const lineRange = (r: { line: number; length: number }): Range => ({ start: { line: r.line, character: 0 }, end: { line: r.line, character: r.length } });
const spanRange = (line: number, s: Span): Range => ({ start: { line, character: s.start }, end: { line, character: s.end } });
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

// ---- symbol files ----

/** A `rvisor.trace.symbols` entry: a path, or {path, offset, physicalBase} as in launch.json. */
export type SymbolSetting = string | { path: string; offset?: string | number; physicalBase?: string | number };

const bigOf = (v: string | number | undefined): bigint | undefined => (v === undefined ? undefined : BigInt(v));

/** The symbol files for a trace: those its header names (relative to its directory), then the settings' (relative to `base`). */
export function traceSymbolSpecs(t: ParsedTrace, traceDir: string | undefined, settings: readonly SymbolSetting[], base: string | undefined): SymbolFileSpec[] {
  const abs = (p: string, dir: string | undefined): string => {
    const q = base ? p.replace(/^\$\{workspaceFolder\}/, base) : p;
    return isAbsolute(q) || !dir ? q : resolve(dir, q);
  };
  const specs: SymbolFileSpec[] = (t.header?.symbols ?? []).map((p) => ({ path: abs(p, traceDir) }));
  for (const s of settings) {
    try {
      specs.push(typeof s === 'string' ? { path: abs(s, base) } : { path: abs(s.path, base), offset: bigOf(s.offset), physicalBase: bigOf(s.physicalBase) });
    } catch {
      // a malformed offset: the entry is skipped
    }
  }
  const seen = new Set<string>();
  return specs.filter((s) => !seen.has(s.path) && seen.add(s.path));
}

// ---- describing records ----

function callName(r: TraceRecord): string {
  const eid = hexField(r.fields.eid);
  const ext = str(r.fields.ext) ?? (eid !== undefined ? extensionName(eid) : '?');
  const fn = str(r.fields.fn) ?? (eid !== undefined && num(r.fields.fid) !== undefined ? functionName(Number(eid), num(r.fields.fid)!) : undefined);
  return ext.startsWith('legacy ') ? ext : `${ext}.${fn ?? `fid ${r.fields.fid}`}`;
}

/** A record in a few words (outline entries, messages). */
export function describe(r: TraceRecord): string {
  switch (r.k) {
    case 'hypercall': return callName(r);
    case 'trap':
    case 'interrupt': return `${str(r.fields.name) ?? `cause ${r.fields.cause}`} (${r.fields.from}→${r.fields.to})`;
    case 'device': return `${r.fields.device} ${r.fields.what}`;
    case 'output': return `output ${JSON.stringify(str(r.fields.text)?.slice(0, 40) ?? '')}`;
    case 'poweroff': return `poweroff (code ${r.fields.code})`;
    case 'fatal': return `fatal: ${r.fields.message}`;
    case 'end': return `end (${r.fields.events} events)`;
    default: return r.k;
  }
}

/** "vt 11137 (1.114 ms)": steps and virtual time. */
function timeText(t: ParsedTrace, vt: number | undefined): string {
  if (vt === undefined) return '';
  if (!t.header?.stepsPerTick) return `vt ${vt}`;
  const seconds = vt / t.header.stepsPerTick / VIRT.TIMEBASE_HZ;
  return `vt ${vt} (${durationText(seconds)})`;
}

export function durationText(seconds: number): string {
  if (seconds < 1e-3) return `${(seconds * 1e6).toPrecision(4)} µs`;
  return seconds < 1 ? `${(seconds * 1e3).toPrecision(4)} ms` : `${seconds.toPrecision(6)} s`;
}

// ---- outline ----

const PHASE_NAMES = ['firmware (M-mode)', 'kernel (S-mode)', 'kernel in the upper half (S-mode, paging on)', 'user space (U-mode)'];
const UPPER_HALF = 1n << 63n;

/** The phase a record shows its hart has reached, or undefined when it tells nothing. */
function phaseOf(r: TraceRecord): number | undefined {
  const pc = hexField(r.fields.pc);
  const kernel = pc !== undefined && pc >= UPPER_HALF ? 2 : 1;
  if (r.k === 'hypercall') return kernel;
  if (r.k === 'trap' || r.k === 'interrupt') {
    return r.fields.from === 'M' ? 0 : r.fields.from === 'U' ? 3 : r.fields.from === 'S' ? kernel : undefined;
  }
  return undefined;
}

const RECORD_KINDS: Record<string, SymbolKind> = {
  hypercall: SymbolKind.Function, trap: SymbolKind.Event, interrupt: SymbolKind.Event, device: SymbolKind.Object,
  output: SymbolKind.String, reset: SymbolKind.Event, poweroff: SymbolKind.Event, fatal: SymbolKind.Event, end: SymbolKind.Event,
};

function leaf(t: ParsedTrace, r: TraceRecord): DocumentSymbol {
  const range = lineRange(r);
  const pc = str(r.fields.pc);
  return { name: describe(r), detail: [timeText(t, r.vt), pc ? `pc ${pc}` : ''].filter(Boolean).join(', '), kind: RECORD_KINDS[r.k] ?? SymbolKind.Field, range, selectionRange: range };
}

function group(t: ParsedTrace, name: string, kind: SymbolKind, records: TraceRecord[], budget: { leaves: number }, children?: DocumentSymbol[]): DocumentSymbol {
  const first = records[0];
  const last = records[records.length - 1];
  const range: Range = { start: { line: first.line, character: 0 }, end: { line: last.line, character: last.length } };
  let kids = children;
  let more = 0;
  if (!kids) {
    const n = Math.max(0, Math.min(records.length, budget.leaves));
    budget.leaves -= n;
    kids = records.slice(0, n).map((r) => leaf(t, r));
    more = records.length - n;
  }
  const span = first.vt !== undefined && last.vt !== undefined ? `vt ${first.vt}–${last.vt}` : '';
  const detail = [`${records.length} record${records.length === 1 ? '' : 's'}`, span, more > 0 ? `${more} not listed` : ''].filter(Boolean).join(', ');
  return { name, detail, kind, range, selectionRange: lineRange(first), children: kids };
}

export function traceOutline(t: ParsedTrace): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const budget = { leaves: MAX_OUTLINE_LEAVES };
  if (t.header) {
    const h = t.header;
    const range = lineRange(h);
    const detail = [h.harts !== undefined ? `${h.harts} hart${h.harts === 1 ? '' : 's'}` : '', h.ramSize ? `${h.ramSize / 2 ** 20} MiB` : ''].filter(Boolean).join(', ');
    out.push({ name: `${h.format} v${h.version}`, detail, kind: SymbolKind.File, range, selectionRange: range });
  }
  let segment: TraceRecord[] = [];
  let boot = 0;
  const flush = (): void => {
    if (segment.length === 0) return;
    const harts = new Map<number, Array<{ phase: number; records: TraceRecord[] }>>();
    const devices = new Map<string, TraceRecord[]>();
    const output: TraceRecord[] = [];
    for (const r of segment) {
      if (r.k === 'device') {
        const name = String(r.fields.device);
        devices.set(name, [...(devices.get(name) ?? []), r]);
      } else if (r.k === 'output') {
        output.push(r);
      } else if (r.hart !== undefined && r.k !== 'fatal') {
        let phases = harts.get(r.hart);
        if (!phases) harts.set(r.hart, (phases = []));
        const current = phases[phases.length - 1];
        const p = phaseOf(r);
        if (!current || (p !== undefined && p > current.phase)) phases.push({ phase: p ?? -1, records: [r] });
        else current.records.push(r);
      }
    }
    const suffix = boot > 0 ? ` (after reset ${boot})` : '';
    for (const [hart, phases] of [...harts].sort((a, b) => a[0] - b[0])) {
      const children = phases.map((ph) => group(t, PHASE_NAMES[ph.phase] ?? 'start', SymbolKind.Namespace, ph.records, budget));
      out.push(group(t, `hart ${hart}${suffix}`, SymbolKind.Module, phases.flatMap((ph) => ph.records).sort((a, b) => a.line - b.line), budget, children));
    }
    if (devices.size > 0) {
      const all = [...devices.values()].flat().sort((a, b) => a.line - b.line);
      const children = [...devices].map(([name, records]) => group(t, name, SymbolKind.Object, records, budget));
      out.push(group(t, `devices${suffix}`, SymbolKind.Module, all, budget, children));
    }
    if (output.length > 0) out.push(group(t, `console output${suffix}`, SymbolKind.Module, output, budget));
    segment = [];
  };
  for (const r of t.records) {
    if (r.k === 'reset' || r.k === 'poweroff' || r.k === 'fatal' || r.k === 'end') {
      if (r.k === 'reset') flush();
      out.push(leaf(t, r));
      if (r.k === 'reset') boot++;
    } else {
      segment.push(r);
    }
  }
  flush();
  return out.sort((a, b) => a.range.start.line - b.range.start.line);
}

// ---- diagnostics ----

/** How unexpected a trap is (see the header comment), or undefined when it is routine. */
function trapConcern(r: TraceRecord): { severity: DiagnosticSeverity; why: string } | undefined {
  const cause = num(r.fields.cause);
  const from = r.fields.from;
  switch (cause) {
    case Cause.ECALL_U: case Cause.ECALL_S: case Cause.ECALL_M:
      return undefined;
    case Cause.FETCH_PAGE_FAULT: case Cause.LOAD_PAGE_FAULT: case Cause.STORE_PAGE_FAULT:
      if (from === 'U') return undefined;
      if (from === 'S') return { severity: DiagnosticSeverity.Information, why: 'a page fault in the kernel: normal when it touches user memory or a lazily mapped area, a bug otherwise' };
      return { severity: DiagnosticSeverity.Warning, why: 'a page fault in M-mode (an MPRV access)' };
    case Cause.BREAKPOINT:
      return { severity: DiagnosticSeverity.Information, why: 'a breakpoint (ebreak: a debugger, or a kernel BUG()/WARN())' };
    case Cause.ILLEGAL_INSTRUCTION:
      if (from === 'M' && r.fields.to === 'M') return { severity: DiagnosticSeverity.Information, why: 'an illegal instruction in M-mode firmware (often a probe for a CSR or an extension)' };
      return { severity: DiagnosticSeverity.Warning, why: 'an illegal instruction' };
    case Cause.MISALIGNED_FETCH: case Cause.MISALIGNED_LOAD: case Cause.MISALIGNED_STORE:
      return { severity: DiagnosticSeverity.Warning, why: 'a misaligned address' };
    case Cause.FETCH_ACCESS: case Cause.LOAD_ACCESS: case Cause.STORE_ACCESS:
      return { severity: DiagnosticSeverity.Warning, why: 'an access fault (no memory or device there, or PMP denied it)' };
    default:
      return { severity: DiagnosticSeverity.Warning, why: `an unknown exception cause ${cause}` };
  }
}

/** The trace's problems; with `ctx`, also the symbol files that could not be loaded (on the header). */
export function traceDiagnostics(t: ParsedTrace, ctx?: TraceContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (range: Range, severity: DiagnosticSeverity, message: string): void => {
    if (out.length < MAX_DIAGNOSTICS) out.push({ range, severity, message, source: 'rvisor' });
  };
  for (const p of t.problems) add(spanRange(p.line, p.span), p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, p.message);
  for (const p of ctx?.symbolProblems ?? []) {
    const h = t.header;
    add(h ? spanRange(h.line, h.members.get('symbols')?.value ?? { start: 0, end: 1 }) : spanRange(0, { start: 0, end: 0 }), DiagnosticSeverity.Warning, `cannot load symbol file ${p}`);
  }
  for (const r of t.records) {
    const at = (key: string): Range => {
      const m = r.members.get(key);
      return m ? spanRange(r.line, m.value) : lineRange(r);
    };
    if (r.k === 'hypercall') {
      const error = num(r.fields.error);
      const eid = Number(hexField(r.fields.eid) ?? -1n);
      if (error === undefined || error === 0 || eid === SBI_EXT.LEGACY_CONSOLE_GETCHAR) continue;
      const legacy = eid >= 0 && eid <= 0x0f;
      add(at('error'), DiagnosticSeverity.Warning, `${callName(r)} failed: ${legacy ? `${error} (a legacy call's own error code)` : sbiErrorText(error)}`);
    } else if (r.k === 'trap') {
      const concern = trapConcern(r);
      if (concern) add(at('name'), concern.severity, `${str(r.fields.name) ?? `cause ${r.fields.cause}`} from ${r.fields.from}-mode at pc ${r.fields.pc}: ${concern.why}`);
    } else if (r.k === 'fatal') {
      add(at('message'), DiagnosticSeverity.Error, `the guest stopped on an error (hart ${r.fields.hart}): ${r.fields.message}`);
    } else if (r.k === 'poweroff' && num(r.fields.code) !== 0) {
      add(at('code'), DiagnosticSeverity.Information, `the guest powered off with failure code ${r.fields.code}`);
    }
  }
  if (t.header || t.records.length > 0) {
    if (!t.end) {
      add({ start: { line: t.lastLine, character: 0 }, end: { line: t.lastLine, character: Number.MAX_SAFE_INTEGER } }, DiagnosticSeverity.Information,
        'no "end" line: the trace was cut short (the run was killed, or is still being written)');
    } else {
      const events = t.records.filter((r) => r !== t.end).length;
      if (num(t.end.fields.events) !== events) {
        add(lineRange(t.end), DiagnosticSeverity.Information, `the end line counts ${t.end.fields.events} events, the trace holds ${events} (lines lost or added)`);
      }
    }
  }
  return out;
}

// ---- hovers ----

/** What tval holds for an exception cause (privileged spec, mtval/stval). */
function tvalMeaning(cause: number, tval: bigint, pc: bigint | undefined): string {
  switch (cause) {
    case Cause.MISALIGNED_FETCH: return 'the misaligned target address';
    case Cause.FETCH_ACCESS: case Cause.FETCH_PAGE_FAULT: return 'the address of the instruction (part) that could not be fetched';
    case Cause.LOAD_ACCESS: case Cause.STORE_ACCESS: return 'the address of the access that faulted';
    case Cause.MISALIGNED_LOAD: case Cause.MISALIGNED_STORE: return 'the misaligned address';
    case Cause.LOAD_PAGE_FAULT: case Cause.STORE_PAGE_FAULT: return 'the virtual address whose translation faulted';
    case Cause.BREAKPOINT: return 'the address of the breakpoint';
    case Cause.ILLEGAL_INSTRUCTION: {
      if (tval === 0n) return 'the instruction bits (0: not recorded)';
      const low = Number(tval & 0xffffn);
      const len = instructionLength(low);
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, tval, true);
      const insn = disassembleOne(bytes.subarray(0, Math.min(len, 8)), pc ?? 0n);
      return `the instruction bits: \`${insn.mnemonic}${insn.operands ? ` ${insn.operands}` : ''}\``;
    }
    default: return 'nothing (0) for this cause';
  }
}

const INTERRUPT_SOURCES: Record<number, string> = {
  [IRQ.SSI]: 'an inter-processor interrupt (SBI send_ipi, or a write to sip.SSIP)',
  [IRQ.MSI]: 'an inter-processor interrupt (CLINT msip)',
  [IRQ.STI]: 'the timer armed with SBI set_timer (or stimecmp) expired',
  [IRQ.MTI]: 'the CLINT timer (mtimecmp) expired',
  [IRQ.SEI]: 'a device, through the PLIC (claim it to know which)',
  [IRQ.MEI]: "a device, through the PLIC's M-mode context",
};

const MODE_NAMES: Record<string, string> = { U: 'U-mode (user)', S: 'S-mode (kernel)', M: 'M-mode (firmware)' };

function pcLines(label: string, addr: bigint | undefined, ctx: TraceContext | undefined): string[] {
  if (addr === undefined) return [];
  const info = ctx?.symbols ? resolveAddress(ctx.symbols, addr, ctx.roots) : undefined;
  return [`**${label}** \`${hex(addr)}\`${info ? addressText(info) : ctx?.symbols ? '' : ' (no symbol files: see the header `symbols` or the setting `rvisor.trace.symbols`)'}`];
}

function addressText(info: AddressInfo): string {
  const where = info.locations.map((l, i) => `${i > 0 ? 'called from ' : ''}${l.dwarfPath}:${l.line}${l.function ? ` (${l.function})` : ''}`);
  return `${info.symbol ? ` — \`${info.symbol}\`` : ''}${where.length > 0 ? `, ${where.join(', ')}` : ''}`;
}

function hypercallHover(t: ParsedTrace, r: TraceRecord, ctx: TraceContext | undefined): string[] {
  const eid = hexField(r.fields.eid);
  const fid = num(r.fields.fid) ?? 0;
  const doc = eid !== undefined ? sbiCallDoc(Number(eid), fid) : undefined;
  const args = Array.isArray(r.fields.args) ? (r.fields.args as unknown[]).map((a) => hexField(a) ?? 0n) : [];
  const error = num(r.fields.error);
  const value = hexField(r.fields.value);
  const lines = [`**SBI call ${callName(r)}** — EID ${eid !== undefined ? `${hex(eid)} (${extensionName(eid)})` : '?'}, FID ${fid}; hart ${r.hart}, ${timeText(t, r.vt)}`];
  if (!doc) {
    lines.push('', 'A call this reader has no description of.');
  } else {
    lines.push('', `\`${doc.signature}\``, '', doc.summary);
    if (doc.args.length > 0) {
      lines.push('', '| register | argument | value | meaning |', '|---|---|---|---|');
      doc.args.forEach((a, i) => {
        const v = args[i] ?? 0n;
        const reading = a.read?.(v, args, { timebaseHz: VIRT.TIMEBASE_HZ, duration: durationText });
        lines.push(`| a${i} | ${a.name} | \`${hex(v)}\`${reading ? ` — ${reading}` : ''} | ${a.meaning} |`);
      });
    }
  }
  if (error !== undefined) {
    if (doc?.legacy) {
      lines.push('', `**Result** (a0): ${error}${eid === BigInt(SBI_EXT.LEGACY_CONSOLE_GETCHAR) ? (error < 0 ? ' (no character waiting)' : ` (${JSON.stringify(String.fromCharCode(error & 0xff))})`) : error === 0 ? ' (success)' : ' (failure)'}`);
    } else {
      const reading = value !== undefined && error === 0 ? doc?.value?.(value, args) : undefined;
      lines.push('', `**Error**: ${sbiErrorText(error)}`, '', `**Value**: \`${value !== undefined ? hex(value) : r.fields.value}\`${reading ? ` — ${reading}` : ''}`);
    }
  }
  lines.push('', ...pcLines('ecall at', hexField(r.fields.pc), ctx));
  return lines;
}

function trapHover(t: ParsedTrace, r: TraceRecord, ctx: TraceContext | undefined): string[] {
  const interrupt = r.k === 'interrupt';
  const cause = num(r.fields.cause) ?? -1;
  const name = (interrupt ? INTERRUPT_NAMES[cause] : EXCEPTION_NAMES[cause]) ?? str(r.fields.name) ?? `cause ${cause}`;
  const tval = hexField(r.fields.tval) ?? 0n;
  const pc = hexField(r.fields.pc);
  const from = String(r.fields.from);
  const to = String(r.fields.to);
  const lines = [`**${interrupt ? 'Interrupt' : 'Exception'}: ${name}** (cause ${cause}${interrupt ? ', interrupt bit set' : ''}) — hart ${r.hart}, ${timeText(t, r.vt)}`, '',
    `Taken from ${MODE_NAMES[from] ?? from} into ${MODE_NAMES[to] ?? to}${to === 'S' ? `, delegated by ${interrupt ? 'mideleg' : 'medeleg'}` : ''}.`];
  if (interrupt) {
    if (INTERRUPT_SOURCES[cause]) lines.push('', `Raised when ${INTERRUPT_SOURCES[cause]}.`);
    lines.push('', ...pcLines('interrupted at', pc, ctx));
  } else {
    lines.push('', `**tval** \`${hex(tval)}\`: ${tvalMeaning(cause, tval, pc)}`);
    const concern = r.k === 'trap' ? trapConcern(r) : undefined;
    if (concern) lines.push('', `*${concern.why}*`);
    lines.push('', ...pcLines('trapped at', pc, ctx));
  }
  return lines;
}

const DEVICE_WHATS: Record<string, string> = {
  'virtio-notify': 'the driver notified a virtqueue (new buffers are available)',
  'virtio-complete': 'the device used a descriptor chain (head) and wrote len bytes into it',
  'virtio-irq': 'the transport raised its interrupt (queue -1: a configuration change)',
  'irq-line': 'an interrupt source line into the PLIC changed level',
};

function headerHover(t: ParsedTrace, ctx: TraceContext | undefined): string[] {
  const h = t.header!;
  const lines = [`**${h.format}** version ${h.version} (docs/trace-format.md)`, ''];
  if (h.harts !== undefined) lines.push(`- ${h.harts} hart${h.harts === 1 ? '' : 's'}`);
  if (h.ramSize !== undefined) lines.push(`- RAM ${h.ramSize / 2 ** 20} MiB`);
  if (h.stepsPerTick !== undefined) lines.push(`- virtual time: ${h.stepsPerTick} steps per tick of the ${VIRT.TIMEBASE_HZ / 1e6} MHz timebase`);
  if (h.kinds) lines.push(`- records: ${h.kinds.join(', ')}`);
  const files = ctx?.symbols?.files.map((f) => f.path) ?? [];
  lines.push(`- symbol files: ${files.length > 0 ? files.map((f) => `\`${f}\``).join(', ') : 'none'}`);
  for (const p of ctx?.symbolProblems ?? []) lines.push(`- cannot load ${p}`);
  return lines;
}

function recordHover(t: ParsedTrace, r: TraceRecord, ctx: TraceContext | undefined): string[] {
  switch (r.k) {
    case 'hypercall': return hypercallHover(t, r, ctx);
    case 'trap': case 'interrupt': return trapHover(t, r, ctx);
    case 'device': {
      const details = Object.entries(r.fields).filter(([k]) => !['k', 'vt', 'device', 'what'].includes(k)).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
      return [`**Device ${r.fields.device}: ${r.fields.what}** — ${timeText(t, r.vt)}`, '', DEVICE_WHATS[String(r.fields.what)] ?? 'device activity', ...(details.length ? ['', details.join(', ')] : [])];
    }
    case 'output': return [`**Console output** — ${timeText(t, r.vt)}`, '', '```', String(r.fields.text ?? ''), '```'];
    case 'poweroff': return [`**Power-off**, status ${r.fields.code}${r.fields.code === 0 ? ' (clean)' : ' (failure)'} — ${timeText(t, r.vt)}`];
    case 'reset': return [`**Reset**: the guest rebooted; the machine starts over — ${timeText(t, r.vt)}`];
    case 'fatal': return [`**Fatal error** on hart ${r.fields.hart}: ${r.fields.message} — ${timeText(t, r.vt)}`];
    case 'end': return [`**End of the trace**: ${r.fields.events} events — ${timeText(t, r.vt)}`];
    default: return [`**${r.k}** — an event kind this reader does not know (ignored, as the format says)`];
  }
}

export function traceHover(t: ParsedTrace, line: number, _character: number, ctx?: TraceContext): Hover | null {
  if (t.header && t.header.line === line) {
    return { contents: { kind: 'markdown', value: headerHover(t, ctx).join('\n') }, range: lineRange(t.header) };
  }
  const r = t.byLine.get(line);
  if (!r) return null;
  return { contents: { kind: 'markdown', value: recordHover(t, r, ctx).join('\n') }, range: lineRange(r) };
}

// ---- definitions ----

/** The hex value under the cursor (a field or an element of `args`), if any. */
function addressAt(r: TraceRecord, character: number): bigint | undefined {
  for (const [key, m] of r.members) {
    const spans = m.elements ?? [m.value];
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      if (character < s.start || character > s.end) continue;
      const v = m.elements ? (r.fields[key] as unknown[])[i] : r.fields[key];
      return hexField(v);
    }
  }
  return undefined;
}

/**
 * Where a record happened in the guest's sources: the source line of the address under the cursor when
 * it is one the symbol files know (an argument such as hart_start's start_addr), else of the record's pc —
 * innermost line first, then the call sites of inlined functions.
 */
export function traceDefinition(t: ParsedTrace, line: number, character: number, ctx: TraceContext): Location[] {
  const r = t.byLine.get(line);
  if (!r || !ctx.symbols) return [];
  const candidates = [addressAt(r, character), hexField(r.fields.pc)].filter((a): a is bigint => a !== undefined);
  for (const addr of candidates) {
    const info = resolveAddress(ctx.symbols, addr, ctx.roots);
    const found = info.locations.filter((l) => l.path !== undefined);
    if (found.length === 0) continue;
    return found.map((l) => {
      const at = { line: Math.max(0, l.line - 1), character: Math.max(0, l.column - 1) };
      return { uri: pathToFileURL(l.path!).href, range: { start: at, end: at } };
    });
  }
  return [];
}

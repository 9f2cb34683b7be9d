// Language features for RISC-V assembly (languageId `riscv-asm`): GNU as sources (.S with the C
// preprocessor, .s) and objdump-style listings. Plain functions over the text: hovers for mnemonics,
// registers, CSRs, relocation operators, macros and #defines; diagnostics for unknown mnemonics and CSR
// names. The instruction, register and CSR tables are isa-docs.ts's.
//
// What is not flagged: directives; labels; `name = value`; words that contain a macro parameter (`\op`);
// macros (.macro) and C macros (#define) of the file or of the files it includes (#include, .include,
// looked up beside the file, then in the include paths); lines in `#if 0` or `#ifndef __ASSEMBLER__`
// (or Linux's __ASSEMBLY__) regions. When an include cannot be found, an unknown word may be one of its macros: it is reported as
// a hint only. In a listing, only the disassembled instruction lines are read.

import { DiagnosticSeverity, SymbolKind, type Diagnostic, type DocumentSymbol, type Hover, type Range } from 'vscode-languageserver';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import {
  RELOCATIONS, csrDoc, csrMarkdown, instructionDoc, instructionMarkdown, registerDoc, registerMarkdown,
} from './isa-docs.ts';

export interface Token {
  text: string;
  start: number;
  end: number;
}

export interface Statement {
  line: number;
  labels: Token[];
  /** The first word: an instruction, a macro, a directive (starting with '.'). */
  op?: Token;
  operands: Token[];
  /** `name = value`. */
  assignment: boolean;
}

export interface NameDefinition {
  name: string;
  kind: 'macro' | 'define' | 'symbol';
  /** File it is defined in (undefined: the document itself). */
  file?: string;
  line: number;
  /** The defining line, trimmed. */
  text: string;
  /** The comment just above the definition. */
  doc?: string;
}

export interface AsmDocument {
  lines: string[];
  statements: Statement[];
  byLine: Map<number, Statement[]>;
  /** Macros, #defines and symbols of the document (later: of its includes too), by name (macros: lower case). */
  names: Map<string, NameDefinition>;
  includes: Array<{ name: string; line: number; system: boolean; resolved?: string }>;
  /** An objdump-style listing rather than a source file. */
  listing: boolean;
}

const PREPROCESSOR = /^\s*#\s*(include|include_next|import|define|undef|if|ifdef|ifndef|elif|elifdef|elifndef|else|endif|error|warning|pragma|line|ident|\d+)\b/;
const DISASM_LINE = /^(\s*[0-9a-f]+:\t)([0-9a-f]{4,8}(?: [0-9a-f]{2,8})*\s*\t)([^\s<]+)(?:\s+(.*))?$/;
const LISTING_MARK = /file format elf|^Disassembly of section /;
const WORD = /^[A-Za-z_.$\\][\w.$\\@]*/;
const LABEL = /^\s*([A-Za-z_.$][\w.$]*|\d+)\s*:(?!:)/;

/**
 * Masks what is not code in a line, keeping offsets: comments become spaces, string contents 'x'.
 * `state.block` carries an open block comment to the next line.
 */
export function maskLine(line: string, state: { block: boolean }): string {
  const out = line.split('');
  let i = 0;
  while (i < line.length) {
    if (state.block) {
      const close = line.indexOf('*/', i);
      const end = close < 0 ? line.length : close + 2;
      for (let j = i; j < end; j++) out[j] = ' ';
      i = end;
      if (close >= 0) state.block = false;
      continue;
    }
    const c = line[i];
    if (c === '/' && line[i + 1] === '*') {
      state.block = true;
      continue;
    }
    if (c === '#' || (c === '/' && line[i + 1] === '/')) {
      for (let j = i; j < line.length; j++) out[j] = ' ';
      break;
    }
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        const step = line[i] === '\\' ? 2 : 1;
        for (let j = i; j < i + step && j < line.length; j++) out[j] = 'x';
        i += step;
      }
      i++;
      continue;
    }
    if (c === "'" && i + 1 < line.length) {
      // a character constant: 'c' or GNU as's 'c
      const step = line[i + 1] === '\\' ? 3 : 2;
      for (let j = i + 1; j < i + step && j < line.length; j++) out[j] = 'x';
      i += step + (line[i + step] === "'" ? 1 : 0);
      continue;
    }
    i++;
  }
  return out.join('');
}

/** Splits operands at top-level commas, with their spans (trimmed). */
function splitOperands(text: string, offset: number): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number): void => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed !== '') out.push({ text: trimmed, start: offset + start + lead, end: offset + start + lead + trimmed.length });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}

/** One statement of masked code starting at `offset` of line `n` (labels first). */
function parseStatement(n: number, code: string, offset: number): Statement {
  const st: Statement = { line: n, labels: [], operands: [], assignment: false };
  let rest = code;
  let at = offset;
  for (let m = LABEL.exec(rest); m; m = LABEL.exec(rest)) {
    const start = at + m[0].indexOf(m[1]);
    st.labels.push({ text: m[1], start, end: start + m[1].length });
    at += m[0].length;
    rest = rest.slice(m[0].length);
  }
  const lead = rest.length - rest.trimStart().length;
  at += lead;
  rest = rest.slice(lead);
  const w = WORD.exec(rest);
  if (!w) return st;
  st.op = { text: w[0], start: at, end: at + w[0].length };
  const after = rest.slice(w[0].length);
  if (/^\s*=(?!=)/.test(after)) st.assignment = true;
  st.operands = splitOperands(after, at + w[0].length);
  return st;
}

interface Conditional {
  /** true/false: known; undefined: cannot tell (both branches are read). */
  value: boolean | undefined;
  taken: boolean;
}

/**
 * Whether a #if/#ifdef/#ifndef condition is known: only `0`, `1` and whether the file is assembly
 * (__ASSEMBLER__, which the compiler defines, or Linux's __ASSEMBLY__) are.
 */
function condition(kind: string, rest: string): boolean | undefined {
  const r = rest.trim();
  const assembly = /^(?:__ASSEMBLER__|__ASSEMBLY__)$/;
  if (kind === 'ifdef') return assembly.test(r) ? true : undefined;
  if (kind === 'ifndef') return assembly.test(r) ? false : undefined;
  if (r === '0') return false;
  if (r === '1') return true;
  if (/^defined\s*\(?\s*(?:__ASSEMBLER__|__ASSEMBLY__)\s*\)?$/.test(r)) return true;
  if (/^!\s*defined\s*\(?\s*(?:__ASSEMBLER__|__ASSEMBLY__)\s*\)?$/.test(r)) return false;
  return undefined;
}

/** The comment just above line n (a block comment, or # / // lines), for macro and #define hovers. */
function commentAbove(lines: string[], n: number): string | undefined {
  let from = n - 1;
  const last = lines[from]?.trim() ?? '';
  if (last.endsWith('*/')) {
    while (from >= 0 && !lines[from].includes('/*')) from--;
    if (from < 0 || n - from > 12) return undefined;
  } else {
    while (from >= 0 && /^\s*(\/\/|#(?!\s*[a-z]))/.test(lines[from]) && n - from <= 12) from--;
    from++;
    if (from >= n) return undefined;
  }
  const text = lines.slice(from, n).map((l) => l.trim().replace(/^(\/\*+|\*+\/?|\/\/|#)\s?/, '').replace(/\s*\*\/$/, '')).join(' ').trim();
  return text === '' ? undefined : text;
}

export function parseAsm(text: string): AsmDocument {
  const lines = text.split(/\r?\n/);
  const doc: AsmDocument = { lines, statements: [], byLine: new Map(), names: new Map(), includes: [], listing: false };
  doc.listing = lines.some((l) => LISTING_MARK.test(l)) || lines.some((l) => DISASM_LINE.test(l));
  const define = (d: NameDefinition): void => {
    const key = d.kind === 'macro' ? d.name.toLowerCase() : d.name;
    if (!doc.names.has(key)) doc.names.set(key, d);
  };
  if (doc.listing) {
    lines.forEach((l, n) => {
      const m = DISASM_LINE.exec(l);
      if (!m) return;
      const start = m[1].length + m[2].length;
      const op = { text: m[3], start, end: start + m[3].length };
      const opsStart = m[4] !== undefined ? l.indexOf(m[4], op.end) : l.length;
      const st: Statement = { line: n, labels: [], op, operands: m[4] ? splitOperands(m[4].replace(/\s*[#<].*$/, ''), opsStart) : [], assignment: false };
      doc.statements.push(st);
      doc.byLine.set(n, [st]);
    });
    return doc;
  }
  const state = { block: false };
  const conds: Conditional[] = [];
  let continued = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const wasContinued = continued;
    continued = false;
    if (wasContinued) {
      continued = line.endsWith('\\');
      continue;
    }
    if (!state.block && PREPROCESSOR.test(line)) {
      continued = line.endsWith('\\');
      const m = /^\s*#\s*(\w+)\s*(.*)$/.exec(line)!;
      const [, kind, rest] = m;
      const active = conds.every((c) => c.value !== false);
      if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
        const v = condition(kind, rest.replace(/\/\*.*?\*\/|\/\/.*$/g, ''));
        conds.push({ value: v, taken: v === true });
      } else if (kind === 'elif' || kind === 'elifdef' || kind === 'elifndef') {
        const c = conds[conds.length - 1];
        if (c) c.value = c.taken ? false : undefined;
      } else if (kind === 'else') {
        const c = conds[conds.length - 1];
        if (c) c.value = c.taken ? false : c.value === false ? true : undefined;
      } else if (kind === 'endif') {
        conds.pop();
      } else if (active && kind === 'define') {
        const d = /^([A-Za-z_]\w*)/.exec(rest);
        if (d) define({ name: d[1], kind: 'define', line: n, text: line.trim(), doc: commentAbove(lines, n) });
      } else if (active && (kind === 'include' || kind === 'include_next' || kind === 'import')) {
        const inc = /^(?:"([^"]+)"|<([^>]+)>)/.exec(rest);
        if (inc) doc.includes.push({ name: inc[1] ?? inc[2], line: n, system: inc[2] !== undefined });
      }
      continue;
    }
    const code = maskLine(line, state);
    if (conds.some((c) => c.value === false)) continue;
    let offset = 0;
    for (const part of code.split(';')) {
      const st = parseStatement(n, part, offset);
      offset += part.length + 1;
      if (!st.op && st.labels.length === 0) continue;
      doc.statements.push(st);
      doc.byLine.set(n, [...(doc.byLine.get(n) ?? []), st]);
      const op = st.op?.text.toLowerCase();
      const first = st.operands[0]?.text;
      const firstName = first ? /^[A-Za-z_.$][\w.$]*/.exec(first)?.[0] : undefined;
      if (op === '.macro' && firstName) {
        define({ name: firstName, kind: 'macro', line: n, text: line.trim(), doc: commentAbove(lines, n) });
      } else if ((op === '.equ' || op === '.set' || op === '.equiv' || op === '.eqv') && firstName) {
        define({ name: firstName, kind: 'symbol', line: n, text: line.trim() });
      } else if (st.assignment && st.op) {
        define({ name: st.op.text, kind: 'symbol', line: n, text: line.trim() });
      } else if (op === '.include' && first) {
        const inc = /^"([^"]*)"/.exec(line.slice(st.operands[0].start));
        if (inc) doc.includes.push({ name: inc[1], line: n, system: false });
      }
    }
  }
  return doc;
}

// ---- includes ----

export interface IncludeOptions {
  /** The document's own path (quoted includes are looked up beside it first). */
  path?: string;
  /** Include directories (-I), absolute. */
  includePaths: readonly string[];
  /** Reads a file; undefined when it does not exist. Default: the file system. */
  readFile?: (path: string) => string | undefined;
}

const readFromDisk = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Adds the names the document's includes define (recursively) to doc.names and records which includes
 * were found. Returns the includes that could not be found.
 */
export function resolveIncludes(doc: AsmDocument, opts: IncludeOptions): string[] {
  const read = opts.readFile ?? readFromDisk;
  const missing: string[] = [];
  const seen = new Set<string>();
  const visit = (d: AsmDocument, from: string | undefined, depth: number): void => {
    for (const inc of d.includes) {
      const dirs = [...(inc.system || !from ? [] : [dirname(from)]), ...opts.includePaths];
      let found: { path: string; text: string } | undefined;
      for (const dir of isAbsolute(inc.name) ? [''] : dirs) {
        const p = dir === '' ? inc.name : join(dir, inc.name);
        const text = read(p);
        if (text !== undefined) {
          found = { path: p, text };
          break;
        }
      }
      if (d === doc) inc.resolved = found?.path;
      if (!found) {
        missing.push(inc.name);
        continue;
      }
      if (seen.has(found.path) || depth > 16) continue;
      seen.add(found.path);
      const sub = parseAsm(found.text);
      for (const [key, def] of sub.names) if (!doc.names.has(key)) doc.names.set(key, { ...def, file: def.file ?? found.path });
      visit(sub, found.path, depth + 1);
    }
  };
  visit(doc, opts.path, 0);
  return missing;
}

// ---- diagnostics ----

/** For each CSR instruction, which operand is the CSR. */
const CSR_OPERAND: Readonly<Record<string, number>> = {
  csrr: 1, csrw: 0, csrs: 0, csrc: 0, csrwi: 0, csrsi: 0, csrci: 0,
  csrrw: 1, csrrs: 1, csrrc: 1, csrrwi: 1, csrrsi: 1, csrrci: 1,
};

const range = (line: number, t: Token): Range => ({ start: { line, character: t.start }, end: { line, character: t.end } });

/**
 * Unknown mnemonics and CSR names. `missingIncludes`: includes that could not be read (their macros are
 * unknown, so an unknown word is only a hint).
 */
export function asmDiagnostics(doc: AsmDocument, missingIncludes: readonly string[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  const unsure = missingIncludes.length > 0;
  const severity = unsure ? DiagnosticSeverity.Hint : DiagnosticSeverity.Warning;
  const because = unsure ? ` (or a macro of ${missingIncludes.map((m) => `"${m}"`).join(', ')}, which could not be found: see rvisor.asm.includePaths)` : '';
  const known = (word: string): boolean => doc.names.has(word) || doc.names.has(word.toLowerCase());
  for (const st of doc.statements) {
    const op = st.op;
    if (!op || op.text.startsWith('.') || op.text.includes('\\') || st.assignment) continue;
    const mnemonic = op.text.toLowerCase();
    if (!instructionDoc(mnemonic)) {
      if (doc.listing || known(op.text)) continue;
      out.push({ range: range(st.line, op), severity, source: 'rvisor', message: `unknown instruction or macro '${op.text}'${because}` });
      continue;
    }
    const ci = CSR_OPERAND[mnemonic];
    const operand = ci !== undefined ? st.operands[ci] : undefined;
    if (!operand || !/^[A-Za-z_][\w.]*$/.test(operand.text)) continue;
    if (csrDoc(operand.text) || known(operand.text)) continue;
    out.push({ range: range(st.line, operand), severity, source: 'rvisor', message: `unknown CSR '${operand.text}'${because}` });
  }
  return out;
}

// ---- hovers ----

function definitionMarkdown(d: NameDefinition): string {
  const where = `${d.file ?? 'this file'}:${d.line + 1}`;
  const what = d.kind === 'macro' ? 'assembler macro' : d.kind === 'define' ? 'C preprocessor macro' : 'symbol';
  return [`**${d.name}** — ${what} (${where})`, '', '```riscv-asm', d.text, '```', ...(d.doc ? ['', d.doc] : [])].join('\n');
}

/** The word (identifier, register, CSR, %relocation) around `character`, with its span. */
function wordAt(line: string, character: number): Token | undefined {
  const re = /%?[A-Za-z_.$][\w.$]*/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (character >= m.index && character <= m.index + m[0].length) return { text: m[0], start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

export function asmHover(doc: AsmDocument, line: number, character: number): Hover | null {
  const text = doc.lines[line];
  if (text === undefined) return null;
  const statements = doc.byLine.get(line) ?? [];
  const hover = (value: string, t: Token): Hover => ({ contents: { kind: 'markdown', value }, range: range(line, t) });
  const st = statements.find((s) => s.op && character >= s.op.start && character <= s.op.end);
  if (st?.op) {
    const insn = instructionDoc(st.op.text);
    if (insn) return hover(instructionMarkdown(insn), st.op);
    const def = doc.names.get(st.op.text.toLowerCase()) ?? doc.names.get(st.op.text);
    return def ? hover(definitionMarkdown(def), st.op) : null;
  }
  // operands, and words of preprocessor lines (#define values)
  const masked = maskLine(text, { block: false });
  const word = wordAt(PREPROCESSOR.test(text) ? text : masked, character);
  if (!word) return null;
  if (word.text.startsWith('%')) {
    const reloc = RELOCATIONS.get(word.text.slice(1).toLowerCase());
    return reloc ? hover(`**${word.text}(symbol)** — relocation operator\n\n${reloc}`, word) : null;
  }
  const reg = registerDoc(word.text);
  if (reg) return hover(registerMarkdown(reg), word);
  const def = doc.names.get(word.text) ?? doc.names.get(word.text.toLowerCase());
  if (def && def.line !== line) return hover(definitionMarkdown(def), word);
  const csr = csrDoc(word.text);
  if (csr) return hover(csrMarkdown(csr), word);
  const insn = doc.listing ? undefined : instructionDoc(word.text);
  return insn && statements.length === 0 ? hover(instructionMarkdown(insn), word) : null;
}

// ---- definitions and outline ----

/** Where the macro, #define or symbol under the cursor is defined (file undefined: this document). */
export function asmDefinition(doc: AsmDocument, line: number, character: number): NameDefinition | undefined {
  const text = doc.lines[line];
  if (text === undefined) return undefined;
  const word = wordAt(PREPROCESSOR.test(text) ? text : maskLine(text, { block: false }), character);
  if (!word) return undefined;
  const def = doc.names.get(word.text) ?? doc.names.get(word.text.toLowerCase());
  return def && !(def.file === undefined && def.line === line) ? def : undefined;
}

/** Labels (but numeric and .L local ones), macros and #defines of the document, in order. */
export function asmOutline(doc: AsmDocument): DocumentSymbol[] {
  if (doc.listing) return [];
  const out: DocumentSymbol[] = [];
  const lineRange = (n: number): Range => ({ start: { line: n, character: 0 }, end: { line: n, character: doc.lines[n].length } });
  for (const def of doc.names.values()) {
    if (def.file !== undefined || def.kind === 'symbol') continue;
    out.push({ name: def.name, detail: def.kind === 'macro' ? '.macro' : '#define', kind: def.kind === 'macro' ? SymbolKind.Function : SymbolKind.Constant, range: lineRange(def.line), selectionRange: lineRange(def.line) });
  }
  for (const st of doc.statements) {
    for (const l of st.labels) {
      if (/^\d+$/.test(l.text) || l.text.startsWith('.L')) continue;
      out.push({ name: l.text, kind: SymbolKind.Function, range: lineRange(st.line), selectionRange: range(st.line, l) });
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line);
}

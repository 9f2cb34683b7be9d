// Reads an rvisor trace document (docs/trace-format.md: JSON Lines, a header line first) into records
// with their line numbers and the character spans of their fields, for the language server. Tolerant:
// a line that is not JSON, or not an object, becomes a problem on that line and the rest is read.

import { TRACE_FORMAT, TRACE_VERSION } from '../../engine/trace.ts';

/** Character offsets within a line, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A top-level member of a line's object: where its key and value are; array values also per element. */
export interface Member {
  key: Span;
  value: Span;
  elements?: Span[];
}

export interface TraceHeader {
  line: number;
  format: string;
  version: number;
  harts?: number;
  ramSize?: number;
  stepsPerTick?: number;
  kinds?: string[];
  /** The `symbols` field: ELF paths (as written; relative ones are relative to the trace's directory). */
  symbols?: string[];
  fields: Record<string, unknown>;
  members: Map<string, Member>;
  /** Length of the line's text. */
  length: number;
}

export interface TraceRecord {
  /** 0-based line number. */
  line: number;
  /** The event kind (`k`). */
  k: string;
  vt?: number;
  hart?: number;
  fields: Record<string, unknown>;
  members: Map<string, Member>;
  /** Length of the line's text. */
  length: number;
}

export interface TraceProblem {
  line: number;
  span: Span;
  message: string;
  /** 'error': the line cannot be read; 'warning': read, but not as the format says. */
  severity: 'error' | 'warning';
}

export interface ParsedTrace {
  header?: TraceHeader;
  records: TraceRecord[];
  /** Records by line number. */
  byLine: Map<number, TraceRecord>;
  problems: TraceProblem[];
  /** The `end` record, if the trace has one. */
  end?: TraceRecord;
  /** Number of lines of the document, and the last non-empty one. */
  lineCount: number;
  lastLine: number;
}

/** The lines of a document ("\n" or "\r\n"). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * The top-level members of the JSON object on a line, with spans, or undefined when the line is not
 * an object. Assumes the line is valid JSON (JSON.parse said so); stops at anything unexpected.
 */
export function scanMembers(line: string): Map<string, Member> | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < line.length && /\s/.test(line[i])) i++;
  };
  const skipString = (): void => {
    i++;
    while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
    i++;
  };
  /** Skips one JSON value; for arrays, collects the top-level element spans. */
  const skipValue = (elements?: Span[]): void => {
    const c = line[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (line[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (c === '{') {
          skipString();
          ws();
          i++; // ':'
          ws();
        }
        const start = i;
        skipValue();
        elements?.push({ start, end: i });
        ws();
        if (line[i] === ',') i++;
        else {
          i++;
          return;
        }
      }
    }
    while (i < line.length && !/[\s,\]}]/.test(line[i])) i++;
  };
  ws();
  if (line[i] !== '{') return undefined;
  i++;
  const members = new Map<string, Member>();
  for (;;) {
    ws();
    if (line[i] !== '"') break;
    const keyStart = i;
    skipString();
    const key: Span = { start: keyStart, end: i };
    const name = JSON.parse(line.slice(key.start, key.end)) as string;
    ws();
    if (line[i] !== ':') break;
    i++;
    ws();
    const valueStart = i;
    const elements: Span[] | undefined = line[i] === '[' ? [] : undefined;
    skipValue(elements);
    members.set(name, { key, value: { start: valueStart, end: i }, ...(elements ? { elements } : {}) });
    ws();
    if (line[i] !== ',') break;
    i++;
  }
  return members;
}

/** A hex string field ("0x80200000") as a bigint. */
export function hexField(v: unknown): bigint | undefined {
  return typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? BigInt(v) : undefined;
}

const numberField = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function readHeader(line: number, fields: Record<string, unknown>, members: Map<string, Member>, problems: TraceProblem[], length: number): TraceHeader {
  const whole = { start: 0, end: length };
  const at = (key: string): Span => members.get(key)?.value ?? whole;
  const version = numberField(fields.version) ?? 0;
  if (version !== TRACE_VERSION) {
    problems.push({ line, span: at('version'), severity: 'warning', message: `trace format version ${JSON.stringify(fields.version)}: this reader knows version ${TRACE_VERSION}` });
  }
  const strings = (key: string): string[] | undefined => {
    const v = fields[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
    problems.push({ line, span: at(key), severity: 'warning', message: `header field "${key}" should be an array of strings` });
    return undefined;
  };
  for (const key of ['harts', 'ramSize', 'stepsPerTick']) {
    if (fields[key] !== undefined && numberField(fields[key]) === undefined) {
      problems.push({ line, span: at(key), severity: 'warning', message: `header field "${key}" should be a number` });
    }
  }
  return {
    line, format: TRACE_FORMAT, version, fields, members, length,
    harts: numberField(fields.harts), ramSize: numberField(fields.ramSize), stepsPerTick: numberField(fields.stepsPerTick),
    kinds: strings('kinds'), symbols: strings('symbols'),
  };
}

const missingHeader = `missing trace header: the first line should be {"format":"${TRACE_FORMAT}","version":${TRACE_VERSION},…} (docs/trace-format.md)`;

export function parseTrace(text: string): ParsedTrace {
  const lines = splitLines(text);
  const out: ParsedTrace = { records: [], byLine: new Map(), problems: [], lineCount: lines.length, lastLine: 0 };
  let sawFirst = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === '') continue;
    out.lastLine = n;
    const first = !sawFirst;
    sawFirst = true;
    const whole: Span = { start: line.length - line.trimStart().length, end: line.length };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      out.problems.push({ line: n, span: whole, severity: 'error', message: `not a JSON line: ${(e as Error).message}` });
      if (first) out.problems.push({ line: n, span: whole, severity: 'error', message: missingHeader });
      continue;
    }
    const members = typeof value === 'object' && value !== null && !Array.isArray(value) ? scanMembers(line) : undefined;
    if (!members) {
      out.problems.push({ line: n, span: whole, severity: 'warning', message: 'not an event: a trace line is a JSON object' });
      if (first) out.problems.push({ line: n, span: whole, severity: 'error', message: missingHeader });
      continue;
    }
    const fields = value as Record<string, unknown>;
    if (first) {
      if (fields.format === TRACE_FORMAT) {
        out.header = readHeader(n, fields, members, out.problems, line.length);
        continue;
      }
      out.problems.push({ line: n, span: members.get('format')?.value ?? whole, severity: 'error', message: missingHeader });
    } else if (fields.format === TRACE_FORMAT) {
      out.problems.push({ line: n, span: whole, severity: 'warning', message: 'a trace header in the middle of the trace (two traces joined?)' });
      continue;
    }
    if (typeof fields.k !== 'string') {
      out.problems.push({ line: n, span: members.get('k')?.value ?? whole, severity: 'warning', message: 'not an event: no "k" (kind) field' });
      continue;
    }
    const record: TraceRecord = {
      line: n, k: fields.k, vt: numberField(fields.vt), hart: numberField(fields.hart), fields, members, length: line.length,
    };
    out.records.push(record);
    out.byLine.set(n, record);
    if (record.k === 'end') out.end = record;
  }
  if (!sawFirst) out.problems.push({ line: 0, span: { start: 0, end: 0 }, severity: 'error', message: `empty trace: ${missingHeader}` });
  return out;
}

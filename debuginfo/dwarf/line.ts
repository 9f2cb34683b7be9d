// .debug_line: line program headers (versions 2–5; v5 directory/file entry formats) and the line
// number state machine (DWARF 5 §6.2), giving sequences of rows sorted by address.

import { posix } from 'node:path';
import { ByteReader, type StringTable } from './reader.ts';
import * as constants from './constants.ts';

// Copied once: the module namespace's getters would otherwise run at every case label in the hot loops.
const { DW_FORM, DW_LNCT, DW_LNE, DW_LNS } = constants;

export interface LineRow {
  address: bigint;
  /** Index into LineTable.files. */
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
}

export interface LineSequence {
  /** Address of the first row. */
  start: bigint;
  /** Address of the end_sequence row (one past the last instruction). */
  end: bigint;
  /** Rows in address order (the end_sequence row left out). */
  rows: LineRow[];
}

export interface LineTable {
  version: number;
  /** Full, normalised paths, indexed by the program's file numbers (v5: 0-based, earlier: 1-based, [0] = primary). */
  files: string[];
  /** Sequences sorted by start address; empty when only the header was read. */
  sequences: LineSequence[];
}

export interface LineStrings {
  str: StringTable;
  lineStr: StringTable;
}

/** Joins a file entry with its directory and the unit's compilation directory, then normalises. */
export function joinPath(compDir: string, dir: string, name: string): string {
  let p = name;
  if (!posix.isAbsolute(p) && dir !== '') p = posix.join(dir, p);
  if (!posix.isAbsolute(p) && compDir !== '') p = posix.join(compDir, p);
  return posix.normalize(p);
}

/** Bounds on input-driven sizes: beyond these a table is malformed. */
const MAX_ENTRY_FORMATS = 64;
const MAX_ROWS = 50_000_000;

/**
 * Parses the line program at `offset`. `compDir`/`compName` come from the unit (v2–4 directory 0 is
 * the compilation directory, file 0 the primary file). With `headerOnly`, only `files` is filled.
 */
export function parseLineTable(
  data: Uint8Array, offset: number, compDir: string, compName: string, addrSize: number,
  strings: LineStrings, headerOnly = false,
): LineTable {
  const outer = new ByteReader(data, '.debug_line', offset);
  if (offset < 0 || offset >= data.length) outer.fail('line table offset is outside the section');
  const { is64, length } = outer.initialLength();
  const r = outer.sub(length);
  const version = r.u16();
  if (version < 2 || version > 5) r.fail(`unsupported line table version ${version}`, offset);
  if (version >= 5) {
    addrSize = r.u8();
    r.u8(); // segment selector size
  }
  const headerLength = r.offset(is64);
  const programStart = r.pos + headerLength;
  const minInstLength = r.u8();
  const maxOpsPerInst = version >= 4 ? Math.max(1, r.u8()) : 1;
  const defaultIsStmt = r.u8() !== 0;
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) r.fail('line_range is 0');
  const standardLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(r.u8());

  const dirs: string[] = [];
  const files: string[] = [];
  if (version >= 5) {
    const readEntries = (): Array<Map<number, string | number>> => {
      const formatCount = r.u8();
      if (formatCount > MAX_ENTRY_FORMATS) r.fail('too many entry formats');
      const formats: Array<[number, number]> = [];
      for (let i = 0; i < formatCount; i++) formats.push([r.uleb(), r.uleb()]);
      const count = r.uleb();
      if (count > r.remaining) r.fail(`implausible entry count ${count}`);
      const entries: Array<Map<number, string | number>> = [];
      for (let i = 0; i < count; i++) {
        const e = new Map<number, string | number>();
        for (const [type, form] of formats) {
          const v = readEntryForm(r, form, is64, strings);
          if (type === DW_LNCT.path || type === DW_LNCT.directory_index) e.set(type, v);
        }
        entries.push(e);
      }
      return entries;
    };
    for (const e of readEntries()) dirs.push(String(e.get(DW_LNCT.path) ?? ''));
    // Directory 0 is the compilation directory itself (relative entries are relative to it).
    const dirPath = (i: number): string => (i === 0 ? dirs[0] ?? compDir : joinPath(compDir, '', dirs[i] ?? ''));
    for (const e of readEntries()) {
      const di = Number(e.get(DW_LNCT.directory_index) ?? 0);
      files.push(joinPath(compDir, dirPath(di), String(e.get(DW_LNCT.path) ?? '')));
    }
  } else {
    dirs.push(compDir);
    for (let i = 0; i < 1_000_000; i++) {
      const d = r.cstr();
      if (d === '') break;
      dirs.push(d);
    }
    files.push(joinPath(compDir, '', compName));
    for (let i = 0; i < 1_000_000; i++) {
      const name = r.cstr();
      if (name === '') break;
      const di = r.uleb();
      r.uleb(); // modification time
      r.uleb(); // length
      files.push(joinPath(compDir, di === 0 ? '' : dirs[di] ?? '', name));
    }
  }
  const table: LineTable = { version, files, sequences: [] };
  if (headerOnly) return table;

  r.pos = programStart;
  if (programStart > r.end) r.fail('header length runs past the table');
  const addrMask = addrSize === 4 ? 0xffffffffn : 0xffffffffffffffffn;
  let address = 0n;
  let opIndex = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  let rows: LineRow[] = [];
  let total = 0;
  const reset = (): void => {
    address = 0n; opIndex = 0; file = 1; line = 1; column = 0; isStmt = defaultIsStmt; rows = [];
  };
  const emit = (): void => {
    rows.push({ address, file, line, column, isStmt });
    if (++total > MAX_ROWS) r.fail('too many line table rows');
  };
  const advance = (operationAdvance: number): void => {
    if (maxOpsPerInst === 1) {
      address = (address + BigInt(minInstLength * operationAdvance)) & addrMask;
    } else {
      const ops = opIndex + operationAdvance;
      address = (address + BigInt(minInstLength * Math.floor(ops / maxOpsPerInst))) & addrMask;
      opIndex = ops % maxOpsPerInst;
    }
  };
  while (!r.atEnd) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adjusted = op - opcodeBase;
      advance(Math.floor(adjusted / lineRange));
      line += lineBase + (adjusted % lineRange);
      emit();
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const ext = r.sub(len);
        if (len === 0) break;
        const sub = ext.u8();
        if (sub === DW_LNE.end_sequence) {
          const start = rows.length > 0 ? rows[0].address : address;
          table.sequences.push({ start, end: address, rows: sortRows(rows) });
          reset();
        } else if (sub === DW_LNE.set_address) {
          address = ext.sized(Math.min(ext.remaining, 8)) & addrMask;
          opIndex = 0;
        } else if (sub === DW_LNE.define_file) {
          const name = ext.cstr();
          const di = ext.uleb();
          files.push(joinPath(compDir, di === 0 ? '' : dirs[di] ?? '', name));
        }
        // set_discriminator and unknown extended opcodes: skipped by their length.
        break;
      }
      case DW_LNS.copy: emit(); break;
      case DW_LNS.advance_pc: advance(r.uleb()); break;
      case DW_LNS.advance_line: line += r.sleb(); break;
      case DW_LNS.set_file: file = r.uleb(); break;
      case DW_LNS.set_column: column = r.uleb(); break;
      case DW_LNS.negate_stmt: isStmt = !isStmt; break;
      case DW_LNS.set_basic_block: break;
      case DW_LNS.const_add_pc: advance(Math.floor((255 - opcodeBase) / lineRange)); break;
      case DW_LNS.fixed_advance_pc: address = (address + BigInt(r.u16())) & addrMask; opIndex = 0; break;
      case DW_LNS.set_prologue_end: case DW_LNS.set_epilogue_begin: break;
      case DW_LNS.set_isa: r.uleb(); break;
      default:
        // Unknown standard opcode: skip its operands as the header declares.
        for (let i = 0; i < (standardLengths[op - 1] ?? 0); i++) r.uleb();
    }
  }
  table.sequences.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return table;
}

/** Rows in address order, stable (a sequence should already be ordered; this guards bad producers). */
function sortRows(rows: LineRow[]): LineRow[] {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].address < rows[i - 1].address) {
      return rows.map((row, idx) => ({ row, idx }))
        .sort((a, b) => (a.row.address < b.row.address ? -1 : a.row.address > b.row.address ? 1 : a.idx - b.idx))
        .map((x) => x.row);
    }
  }
  return rows;
}

function readEntryForm(r: ByteReader, form: number, is64: boolean, strings: LineStrings): string | number {
  switch (form) {
    case DW_FORM.string: return r.cstr();
    case DW_FORM.line_strp: return strings.lineStr.at(r.offset(is64));
    case DW_FORM.strp: return strings.str.at(r.offset(is64));
    case DW_FORM.udata: return r.uleb();
    case DW_FORM.data1: return r.u8();
    case DW_FORM.data2: return r.u16();
    case DW_FORM.data4: return r.u32();
    case DW_FORM.data8: r.skip(8); return 0;
    case DW_FORM.data16: r.skip(16); return 0;
    case DW_FORM.block: r.skip(r.uleb()); return 0;
    case DW_FORM.strx: case DW_FORM.strx1: case DW_FORM.strx2: case DW_FORM.strx3: case DW_FORM.strx4:
      // Needs the unit's str_offsets_base, which a line table does not know; GCC never emits these here.
      return r.fail('DW_FORM_strx in a line table header is not supported');
    default: return r.fail(`unsupported form 0x${form.toString(16)} in a line table header`);
  }
}

/** The row covering `address` in a table: the last row at or before it in the sequence containing it. */
export function rowAt(table: LineTable, address: bigint): LineRow | undefined {
  const seqs = table.sequences;
  let lo = 0;
  let hi = seqs.length - 1;
  let found: LineSequence | undefined;
  // Sequences may overlap (discarded code at address 0): take the last one starting at or before address.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid].start <= address) { found = seqs[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  if (!found || address >= found.end) {
    // An earlier, longer sequence may still cover it.
    found = undefined;
    for (let i = Math.min(lo, seqs.length) - 1; i >= 0 && i >= lo - 8; i--) {
      if (seqs[i].start <= address && address < seqs[i].end) { found = seqs[i]; break; }
    }
    if (!found) return undefined;
  }
  const rows = found.rows;
  let a = 0;
  let b = rows.length - 1;
  let best = -1;
  while (a <= b) {
    const mid = (a + b) >> 1;
    if (rows[mid].address <= address) { best = mid; a = mid + 1; } else b = mid - 1;
  }
  return best >= 0 ? rows[best] : undefined;
}

// The debugger's view of a kernel image: symbols, lines, functions (with inlining), scopes, variables,
// globals and types, from ELF symbols and DWARF 2–5. Loading only indexes unit headers, aranges and the
// symbol table; a unit's DIEs and line program are parsed when first asked about, then cached, so a
// 100+ MB vmlinux loads in well under a second. Every address in and out is an unsigned 64-bit bigint
// with the load bias (`offset`) included.

import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { posix } from 'node:path';
import { ElfFile, type ElfSymbolBinding, type ElfSymbolType } from './elf.ts';
import { DW_AT, DW_TAG } from './dwarf/constants.ts';
import { ByteReader, DwarfError } from './dwarf/reader.ts';
import { DwarfInfo, type Die, type DwarfSections, type Unit } from './dwarf/info.ts';
import { parseLineTable, rowAt, type LineRow, type LineSequence, type LineTable } from './dwarf/line.ts';
import {
  dieRanges, isLocationListForm, locationAt, locationList, rangesContain, type AddressRange,
} from './dwarf/ranges.ts';
import {
  bigIntToBytes, bytesToBigInt, evaluateExpression, type EvalContext, type ExprUnit, type LocationResult,
} from './dwarf/expression.ts';
import { TypeBuilder } from './dwarf/ctypes.ts';
import { buildNameIndex, decodeEntry, type NameIndex } from './dwarf/names.ts';
import { sizeOfType, type BaseEncoding, type Type, type Value } from './types.ts';
import { F_NAMES, X_NAMES } from './registers.ts';

export type { AddressRange } from './dwarf/ranges.ts';
export type { EvalContext, LocationResult, Piece, SimpleLocation } from './dwarf/expression.ts';

const MASK64 = 0xffffffffffffffffn;
const SHF_ALLOC = 0x2n;
const SHF_EXECINSTR = 0x4n;
const SHF_COMPRESSED = 0x800n;
const ELFCOMPRESS_ZLIB = 1;
/** Largest value variableValue assembles (bytes); bigger ones are read through their address instead. */
const MAX_VALUE_SIZE = 1 << 20;
/** Bound on abstract_origin/specification hops (a cycle in malformed input ends here). */
const MAX_ORIGIN_HOPS = 16;

export interface LoadOptions {
  /** Load bias added to every address (for code relocated from where it was linked). */
  offset?: bigint;
}

export interface SymbolInfo {
  name: string;
  address: bigint;
  size: bigint;
  type: ElfSymbolType;
  binding: ElfSymbolBinding;
}

export interface SymbolMatch {
  name: string;
  address: bigint;
  size: bigint;
  /** addr − address, for "func+0x12". */
  offset: bigint;
}

export interface LineInfo {
  /** Full path: directory and compilation directory joined, normalised (may stay relative, as DWARF has it). */
  file: string;
  line: number;
  column: number;
  /** Start address of the line-table row. */
  address: bigint;
}

export interface LineAddresses {
  /** The line actually bound: the first line ≥ the requested one that has statement rows in the file. */
  line: number;
  /** Per function (or inlined instance), the lowest address of that line; sorted. */
  addresses: bigint[];
}

export interface FunctionInfo {
  name: string;
  lowPc: bigint;
  ranges: AddressRange[];
  file?: string;
  line?: number;
  /** Where a breakpoint on the function goes: past the prologue (the function's second line-table line). */
  breakAddress: bigint;
  /** An inlined instance (DW_TAG_inlined_subroutine) rather than an out-of-line function. */
  inlined: boolean;
}

export interface InlinedFrame {
  /** The inlined function's name. */
  name: string;
  /** Where it was inlined (in its caller, the next entry outwards, or the concrete function). */
  callFile?: string;
  callLine?: number;
  lowPc: bigint;
  ranges: AddressRange[];
}

export interface FunctionScope {
  /** The concrete (out-of-line) function: name, entry, ranges, frame base. */
  name: string;
  lowPc: bigint;
  ranges: AddressRange[];
  /** DW_AT_frame_base (usually DW_OP_call_frame_cfa), resolved for the pc when it is a location list. */
  frameBase?: Uint8Array;
  file?: string;
  line?: number;
  /** Inlined subroutines containing the address, innermost first (empty when none). */
  inlinedChain: InlinedFrame[];
}

/** Where a variable lives: a DWARF expression (for a location list, the entry covering the pc), or a constant. */
export interface LocationDescription {
  /** The DWARF expression; empty when `constValue` is given. */
  expr: Uint8Array;
  /** DW_AT_const_value: the variable has no storage; these are its bytes (type's size, little-endian). */
  constValue?: Uint8Array;
  /** For a location list entry: the pc range it holds for. */
  validRange?: AddressRange;
  /** The enclosing function's frame base expression, for DW_OP_fbreg. */
  frameBase?: Uint8Array;
  /** What evaluating the expression needs from its unit. */
  unit: ExprUnit;
}

export interface Variable {
  name: string;
  type: Type;
  /** undefined: optimized out (at this pc). */
  location: LocationDescription | undefined;
  declLine?: number;
  declFile?: string;
}

export interface Scope {
  function: FunctionScope;
  parameters: Variable[];
  /** Locals of every block and inlined subroutine containing the pc, innermost first. */
  locals: Variable[];
}

/** Thrown by variableValue when a value cannot be had; `reason` is e.g. "optimized out". */
export class ValueUnavailableError extends Error {
  override name = 'ValueUnavailableError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** RISC-V DWARF register numbers 0–31 (x) and 32–63 (f) → ABI names. */
export const DWARF_REGISTER_NAMES: readonly string[] = [...X_NAMES, ...F_NAMES];

const DWARF_SECTION_NAMES: Record<keyof DwarfSections, string> = {
  info: '.debug_info', abbrev: '.debug_abbrev', str: '.debug_str', lineStr: '.debug_line_str', line: '.debug_line',
  addr: '.debug_addr', strOffsets: '.debug_str_offsets', ranges: '.debug_ranges', rnglists: '.debug_rnglists',
  loc: '.debug_loc', loclists: '.debug_loclists', aranges: '.debug_aranges',
};

/** A code scope: a function with code, an inlined instance or a lexical block, with its nested scopes. */
interface ScopeNode {
  die: Die;
  ranges: AddressRange[];
  children: ScopeNode[];
}

interface UnitState {
  lines?: LineTable | null;
  /** File names from the line table header, when the program itself was not needed. */
  files?: string[];
  scopes?: ScopeNode[];
}

interface SortedSymbol extends SymbolInfo {
  rank: number;
  /** In an executable section (assembly labels are often notype). */
  code: boolean;
}

const compareBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export class DebugInfo {
  readonly elf: ElfFile;
  readonly bias: bigint;
  /** Problems met while indexing (malformed units skipped); queries go on without them. */
  readonly warnings: string[] = [];
  private readonly dwarf?: DwarfInfo;
  private readonly unitStates = new Map<Unit, UnitState>();
  private readonly typeBuilder?: TypeBuilder;
  private symbolList?: SymbolInfo[];
  private sortedSymbols?: SortedSymbol[];
  private unitRanges?: Array<{ start: bigint; end: bigint; unit: Unit }>;
  private names?: NameIndex;
  private fileIndex?: Map<string, Array<{ unit: Unit; files: number[] }>>;
  private readonly exprUnits = new Map<Unit, ExprUnit>();
  private readonly allocRanges: AddressRange[];

  private constructor(bytes: Uint8Array, readonly name: string, opts: LoadOptions) {
    this.elf = ElfFile.parse(bytes, name);
    this.bias = BigInt.asUintN(64, opts.offset ?? 0n);
    this.allocRanges = this.elf.sections
      .filter((s) => (s.flags & SHF_ALLOC) !== 0n && s.size > 0n)
      .map((s) => ({ start: s.address, end: s.address + s.size }));
    const info = this.sectionData('.debug_info');
    if (info && info.length > 0) {
      const sections = {} as DwarfSections;
      for (const [key, sectionName] of Object.entries(DWARF_SECTION_NAMES)) {
        sections[key as keyof DwarfSections] = this.sectionData(sectionName) ?? new Uint8Array(0);
      }
      this.dwarf = new DwarfInfo(sections);
      this.dwarf.onRelease = (unit) => { const st = this.unitStates.get(unit); if (st) st.scopes = undefined; };
      if (this.dwarf.headerError) this.warnings.push(this.dwarf.headerError);
      this.typeBuilder = new TypeBuilder(this.dwarf, (tag, typeName) => this.findTypeDefinition(tag, typeName));
    }
  }

  static load(path: string, opts: LoadOptions = {}): DebugInfo {
    const buf = readFileSync(path);
    return new DebugInfo(new Uint8Array(buf.buffer, buf.byteOffset, buf.length), path, opts);
  }

  static fromBytes(bytes: Uint8Array, name = 'ELF file', opts: LoadOptions = {}): DebugInfo {
    return new DebugInfo(bytes, name, opts);
  }

  get hasDwarf(): boolean {
    return this.dwarf !== undefined && this.dwarf.units.length > 0;
  }

  /** DWARF versions of the units seen. */
  dwarfVersions(): Set<number> {
    return new Set(this.dwarf?.units.map((u) => u.version) ?? []);
  }

  /** A section's bytes (decompressed when SHF_COMPRESSED) and its address (bias included). */
  section(name: string): { data: Uint8Array; address: bigint } | undefined {
    const s = this.elf.section(name);
    const data = this.sectionData(name);
    if (!s || !data) return undefined;
    return { data, address: this.toLoaded(s.address) };
  }

  private sectionData(name: string): Uint8Array | undefined {
    const s = this.elf.section(name);
    if (!s) return undefined;
    if ((s.flags & SHF_COMPRESSED) === 0n) return s.data;
    const r = new ByteReader(s.data, name);
    const type = r.u32();
    r.u32();
    const size = r.u64n();
    r.u64();
    if (type !== ELFCOMPRESS_ZLIB) throw new Error(`${this.name}: ${name}: unsupported compression type ${type}`);
    try {
      const out = inflateSync(s.data.subarray(24));
      if (out.length !== size) throw new Error('size mismatch');
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (e) {
      throw new Error(`${this.name}: ${name}: cannot decompress (${(e as Error).message})`);
    }
  }

  private toLoaded(address: bigint): bigint {
    return (address + this.bias) & MASK64;
  }

  private toFile(address: bigint): bigint {
    return (address - this.bias) & MASK64;
  }

  private loadedRanges(ranges: AddressRange[]): AddressRange[] {
    return ranges.map((r) => ({ start: this.toLoaded(r.start), end: this.toLoaded(r.end) }));
  }

  /** False for addresses in no allocated section (code the linker discarded keeps address 0 in DWARF). */
  private isLiveAddress(address: bigint): boolean {
    return this.allocRanges.length === 0 || rangesContain(this.allocRanges, address);
  }

  // ---------------------------------------------------------------- symbols

  /** The symbol table (.symtab, or .dynsym for stripped files), bias included for section-relative symbols. */
  symbols(): SymbolInfo[] {
    if (!this.symbolList) {
      this.symbolList = this.elf.symbols.map((s) => ({
        name: s.name,
        address: s.sectionIndex > 0 && s.sectionIndex < 0xff00 ? this.toLoaded(s.value) : s.value,
        size: s.size, type: s.type, binding: s.binding,
      }));
    }
    return this.symbolList;
  }

  private sorted(): SortedSymbol[] {
    if (!this.sortedSymbols) {
      const typeRank: Partial<Record<ElfSymbolType, number>> = { func: 0, object: 1, notype: 2 };
      const bindRank: Partial<Record<ElfSymbolBinding, number>> = { global: 0, weak: 1, local: 2 };
      this.sortedSymbols = this.elf.symbols
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => s.name !== '' && typeRank[s.type] !== undefined && s.sectionIndex !== 0
          && !s.name.startsWith('$') && !s.name.startsWith('.L'))
        .map(({ s, i }) => ({
          ...this.symbols()[i], rank: (typeRank[s.type] ?? 3) * 4 + (bindRank[s.binding] ?? 3),
          code: s.type === 'func' || (s.type === 'notype' && ((this.elf.sections[s.sectionIndex]?.flags ?? 0n) & SHF_EXECINSTR) !== 0n),
        }))
        .sort((a, b) => compareBig(a.address, b.address) || a.rank - b.rank);
    }
    return this.sortedSymbols;
  }

  /** A function/object symbol by name (globals first). */
  lookupSymbol(name: string): SymbolInfo | undefined {
    let best: SortedSymbol | undefined;
    for (const s of this.sorted()) if (s.name === name && (!best || s.rank < best.rank)) best = s;
    if (!best) return undefined;
    const { rank: _rank, code: _code, ...info } = best;
    return info;
  }

  /** The symbol containing addr, or the nearest preceding one without a size. */
  symbolAt(address: bigint): SymbolMatch | undefined {
    const list = this.sorted();
    let lo = 0;
    let hi = list.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].address <= address) { idx = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (idx < 0) return undefined;
    // Among the symbols at or before addr (a bounded look back over nested/overlapping ones), the best-ranked
    // one whose extent contains addr; else the nearest preceding zero-size symbol.
    let best: SortedSymbol | undefined;
    const nearest = list[idx].address;
    for (let i = idx; i >= 0 && i > idx - 64; i--) {
      const s = list[i];
      if (s.size > 0n && address < s.address + s.size) {
        if (!best || s.address > best.address || (s.address === best.address && s.rank < best.rank)) best = s;
      }
    }
    if (!best) {
      for (let i = idx; i >= 0 && list[i].address === nearest; i--) {
        if (list[i].size === 0n && (!best || list[i].rank < best.rank)) best = list[i];
      }
    }
    if (!best) return undefined;
    return { name: best.name, address: best.address, size: best.size, offset: address - best.address };
  }

  // ---------------------------------------------------------------- units by address

  private unitState(unit: Unit): UnitState {
    let s = this.unitStates.get(unit);
    if (!s) {
      s = {};
      this.unitStates.set(unit, s);
    }
    return s;
  }

  /** Address → unit map from .debug_aranges, completed from root DIE ranges of units aranges leaves out. */
  private addressMap(): Array<{ start: bigint; end: bigint; unit: Unit }> {
    if (this.unitRanges) return this.unitRanges;
    const out: Array<{ start: bigint; end: bigint; unit: Unit }> = [];
    const dwarf = this.dwarf;
    if (dwarf) {
      const covered = new Set<Unit>();
      try {
        this.readAranges(dwarf, out, covered);
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.warnings.push(e.message);
      }
      for (const unit of dwarf.units) {
        if (covered.has(unit) || !unit.isCompileUnit) continue;
        try {
          for (const r of dieRanges(unit.root())) if (this.isLiveAddress(r.start)) out.push({ ...r, unit });
        } catch (e) {
          if (!(e instanceof DwarfError)) throw e;
          this.warnings.push(e.message);
        }
      }
    }
    out.sort((a, b) => compareBig(a.start, b.start));
    this.unitRanges = out;
    return out;
  }

  private readAranges(dwarf: DwarfInfo, out: Array<{ start: bigint; end: bigint; unit: Unit }>, covered: Set<Unit>): void {
    const r = new ByteReader(dwarf.sections.aranges, '.debug_aranges');
    while (r.remaining >= 16) {
      const setStart = r.pos;
      const { is64, length } = r.initialLength();
      const set = r.sub(length);
      set.u16(); // version
      const unit = dwarf.unitAt(set.offset(is64));
      const addrSize = set.u8();
      set.u8(); // segment selector size
      if (addrSize !== 4 && addrSize !== 8) continue;
      // Tuples start at a multiple of twice the address size from the set's start.
      const align = addrSize * 2;
      set.pos = setStart + Math.ceil((set.pos - setStart) / align) * align;
      while (set.remaining >= align) {
        const start = set.sized(addrSize);
        const len = set.sized(addrSize);
        if (start === 0n && len === 0n) break;
        if (unit && len > 0n && this.isLiveAddress(start)) { out.push({ start, end: start + len, unit }); covered.add(unit); }
      }
    }
  }

  /** The unit whose code contains a file address. */
  private unitFor(address: bigint): Unit | undefined {
    const map = this.addressMap();
    let lo = 0;
    let hi = map.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (map[mid].start <= address) { idx = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = idx; i >= 0 && i > idx - 16; i--) {
      if (map[i].start <= address && address < map[i].end) return map[i].unit;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- lines

  private lineTable(unit: Unit): LineTable | undefined {
    const state = this.unitState(unit);
    if (state.lines === undefined) {
      unit.root();
      state.lines = null;
      if (unit.stmtList >= 0 && this.dwarf) {
        const table = parseLineTable(this.dwarf.sections.line, unit.stmtList, unit.compDir, unit.name, unit.addrSize, this.dwarf);
        // Sequences of discarded code (left at address 0 by the linker) would shadow real code.
        table.sequences = table.sequences.filter((s) => this.isLiveAddress(s.start));
        state.lines = table;
      }
    }
    return state.lines ?? undefined;
  }

  /** The line-table row covering addr. */
  lineAt(address: bigint): LineInfo | undefined {
    const a = this.toFile(address);
    const unit = this.unitFor(a);
    const table = unit && this.lineTable(unit);
    const row = table ? rowAt(table, a) : undefined;
    return row ? this.lineInfo(table!, row) : undefined;
  }

  private lineInfo(table: LineTable, row: LineRow): LineInfo {
    return { file: table.files[row.file] ?? '?', line: row.line, column: row.column, address: this.toLoaded(row.address) };
  }

  /** File path → units whose line table names it (header-only parse of every line table, once). */
  private files(): Map<string, Array<{ unit: Unit; files: number[] }>> {
    if (this.fileIndex) return this.fileIndex;
    const index = new Map<string, Array<{ unit: Unit; files: number[] }>>();
    for (const unit of this.dwarf?.units ?? []) {
      if (!unit.isCompileUnit) continue;
      try {
        unit.root();
        if (unit.stmtList < 0) continue;
        const byPath = new Map<string, number[]>();
        this.fileTable(unit).forEach((f, i) => {
          const l = byPath.get(f);
          if (l) l.push(i);
          else byPath.set(f, [i]);
        });
        for (const [path, files] of byPath) {
          const l = index.get(path);
          if (l) l.push({ unit, files });
          else index.set(path, [{ unit, files }]);
        }
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.warnings.push(e.message);
      }
    }
    this.fileIndex = index;
    return index;
  }

  /** Source files named by the line tables (full paths as DWARF gives them, normalised). */
  sourceFiles(): string[] {
    return [...this.files().keys()].sort();
  }

  /**
   * Addresses for a breakpoint at file:line. `file` matches a DWARF path exactly or by the longest common
   * trailing path (a client's absolute path vs. DWARF's relative one).
   */
  addressesForLine(file: string, line: number): LineAddresses {
    const paths = matchPaths(file, [...this.files().keys()]);
    const candidates: Array<{ unit: Unit; row: LineRow; seq: LineSequence }> = [];
    for (const path of paths) {
      for (const { unit, files } of this.files().get(path) ?? []) {
        const table = this.lineTable(unit);
        if (!table) continue;
        const wanted = new Set(files);
        for (const seq of table.sequences) {
          for (const row of seq.rows) {
            if (row.isStmt && row.line >= line && wanted.has(row.file)) candidates.push({ unit, row, seq });
          }
        }
      }
    }
    if (candidates.length === 0) return { line, addresses: [] };
    let best = Infinity;
    for (const c of candidates) if (c.row.line < best) best = c.row.line;
    // One address per function or inlined instance (or per sequence without DWARF functions): its lowest.
    const perBlock = new Map<unknown, bigint>();
    for (const c of candidates) {
      if (c.row.line !== best) continue;
      const chain = this.scopeChain(c.unit, c.row.address);
      // Keyed by DIE offset (a unit's parsed scopes may be dropped and rebuilt meanwhile).
      let key: unknown = c.seq;
      for (let i = chain.length - 1; i >= 0; i--) {
        if (chain[i].die.tag !== DW_TAG.lexical_block) { key = chain[i].die.offset; break; }
      }
      const prev = perBlock.get(key);
      if (prev === undefined || c.row.address < prev) perBlock.set(key, c.row.address);
    }
    const addresses = [...new Set(perBlock.values())].sort(compareBig).map((a) => this.toLoaded(a));
    return { line: best, addresses };
  }

  // ---------------------------------------------------------------- scopes (functions, blocks, inlines)

  private scopes(unit: Unit): ScopeNode[] {
    const state = this.unitState(unit);
    if (state.scopes) return state.scopes;
    const top: ScopeNode[] = [];
    const walk = (die: Die, into: ScopeNode[], depth: number): void => {
      if (depth > 256) return;
      for (const c of die.children) {
        if (c.tag === DW_TAG.subprogram || c.tag === DW_TAG.inlined_subroutine || c.tag === DW_TAG.lexical_block) {
          const ranges = dieRanges(c).filter((r) => this.isLiveAddress(r.start));
          if (ranges.length > 0) {
            const node: ScopeNode = { die: c, ranges, children: [] };
            into.push(node);
            walk(c, node.children, depth + 1);
            continue;
          }
          // A block without code may still hold scopes with code (abstract blocks do not): look inside.
          walk(c, into, depth + 1);
        } else if (c.hasChildren && c.tag !== DW_TAG.structure_type && c.tag !== DW_TAG.union_type
          && c.tag !== DW_TAG.enumeration_type) {
          walk(c, into, depth + 1);
        }
      }
    };
    unit.dies();
    walk(unit.root(), top, 0);
    state.scopes = top;
    return top;
  }

  /** Scopes containing a file address in a unit, outermost first. */
  private scopeChain(unit: Unit, address: bigint): ScopeNode[] {
    const chain: ScopeNode[] = [];
    let level = this.scopes(unit);
    for (let depth = 0; depth < 256; depth++) {
      const next = level.find((n) => rangesContain(n.ranges, address));
      if (!next) break;
      chain.push(next);
      level = next.children;
    }
    return chain;
  }

  /** Follows abstract_origin/specification to the DIE holding an attribute. */
  private withAttr(die: Die, at: number): Die | undefined {
    let d: Die | undefined = die;
    for (let i = 0; d && i < MAX_ORIGIN_HOPS; i++) {
      if (d.unit.attr(d, at)) return d;
      const ref: number | undefined = d.unit.ref(d, DW_AT.abstract_origin) ?? d.unit.ref(d, DW_AT.specification);
      d = ref === undefined ? undefined : this.dwarf!.dieAttrsAt(ref);
    }
    return undefined;
  }

  private nameOf(die: Die): string | undefined {
    const d = this.withAttr(die, DW_AT.name);
    return d?.unit.str(d, DW_AT.name);
  }

  private declOf(die: Die): { file?: string; line?: number } {
    const out: { file?: string; line?: number } = {};
    const lineDie = this.withAttr(die, DW_AT.decl_line);
    if (lineDie) out.line = lineDie.unit.constant(lineDie, DW_AT.decl_line);
    const fileDie = this.withAttr(die, DW_AT.decl_file);
    if (fileDie) {
      const f = this.fileName(fileDie.unit, fileDie.unit.constant(fileDie, DW_AT.decl_file));
      if (f !== undefined) out.file = f;
    }
    return out;
  }

  private fileName(unit: Unit, index: number | undefined): string | undefined {
    if (index === undefined) return undefined;
    return this.fileTable(unit)[index];
  }

  /** A unit's file names: from its line table when parsed, else from the table's header alone. */
  private fileTable(unit: Unit): string[] {
    const state = this.unitState(unit);
    if (state.lines) return state.lines.files;
    if (!state.files) {
      unit.root();
      state.files = unit.stmtList >= 0 && this.dwarf
        ? parseLineTable(this.dwarf.sections.line, unit.stmtList, unit.compDir, unit.name, unit.addrSize, this.dwarf, true).files
        : [];
    }
    return state.files;
  }

  /** A function's entry: DW_AT_entry_pc, else low_pc, else its first range. */
  private entryOf(die: Die, ranges: AddressRange[]): bigint {
    const u = die.unit;
    const entry = u.attr(die, DW_AT.entry_pc);
    const low = u.address(die, DW_AT.low_pc);
    if (entry) {
      const asAddress = u.addressOf(entry);
      if (asAddress !== undefined) return asAddress;
      if (typeof entry.value === 'number' || typeof entry.value === 'bigint') {
        return ((low ?? ranges[0]?.start ?? 0n) + BigInt(entry.value)) & MASK64;
      }
    }
    return low ?? ranges[0]?.start ?? 0n;
  }

  /** GDB's choice: the first is_stmt row after the entry whose line differs from the opening line. */
  private afterPrologue(unit: Unit, entry: bigint, ranges: AddressRange[]): bigint {
    const table = this.lineTable(unit);
    if (!table) return entry;
    const seq = table.sequences.find((s) => s.start <= entry && entry < s.end);
    if (!seq) return entry;
    const rows = seq.rows;
    let i = rows.findIndex((r) => r.address >= entry);
    if (i < 0) return entry;
    if (rows[i].address > entry && i > 0) i--;
    const opening = rows[i].line;
    for (let j = i + 1; j < rows.length; j++) {
      const r = rows[j];
      if (!rangesContain(ranges, r.address)) {
        if (r.address > entry) break;
        continue;
      }
      if (r.address > entry && r.isStmt && r.line !== 0 && r.line !== opening) return r.address;
    }
    return entry;
  }

  /** Functions named `name`: out-of-line definitions, inlined instances, or symbol-table functions. */
  functionsNamed(name: string): FunctionInfo[] {
    const out: FunctionInfo[] = [];
    const seen = new Set<string>();
    const add = (f: FunctionInfo): void => {
      const key = `${f.lowPc}:${f.inlined}`;
      if (!seen.has(key)) { seen.add(key); out.push(f); }
    };
    if (this.dwarf) {
      const index = this.nameIndex();
      for (const offset of this.definitions(index, index.functions.get(name) ?? [])) {
        const die = this.dieAtSafe(offset, false);
        if (!die || (die.tag !== DW_TAG.subprogram && die.tag !== DW_TAG.inlined_subroutine)) continue;
        const ranges = dieRanges(die).filter((r) => this.isLiveAddress(r.start));
        if (ranges.length === 0) continue;
        const inlined = die.tag === DW_TAG.inlined_subroutine;
        const entry = this.entryOf(die, ranges);
        const f: FunctionInfo = {
          name, lowPc: this.toLoaded(entry), ranges: this.loadedRanges(ranges),
          breakAddress: this.toLoaded(inlined ? entry : this.afterPrologue(die.unit, entry, ranges)), inlined,
          ...this.declOf(die),
        };
        add(f);
      }
    }
    if (out.length === 0) {
      for (const s of this.sorted()) {
        if (s.name !== name || !s.code) continue;
        const ranges = [{ start: s.address, end: s.address + (s.size > 0n ? s.size : 1n) }];
        add({ name, lowPc: s.address, ranges, breakAddress: s.address, inlined: false });
      }
    }
    return out.sort((a, b) => compareBig(a.lowPc, b.lowPc));
  }

  /** The DIE at an offset, with its children (`withChildren`) or its attributes only; undefined when malformed. */
  private dieAtSafe(offset: number, withChildren = true): Die | undefined {
    try {
      return withChildren ? this.dwarf?.dieAt(offset) : this.dwarf?.dieAttrsAt(offset);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.warnings.push(e.message);
      return undefined;
    }
  }

  private nameIndex(): NameIndex {
    if (!this.names) {
      this.names = buildNameIndex(this.dwarf!);
      this.warnings.push(...this.names.errors);
    }
    return this.names;
  }

  /** The function containing addr: the concrete function and the inlined subroutines around addr. */
  functionAt(address: bigint): FunctionScope | undefined {
    const a = this.toFile(address);
    const found = this.functionChain(a);
    if (found) return found.scope;
    const sym = this.symbolAt(address);
    if (!sym) return undefined;
    const ranges = [{ start: sym.address, end: sym.address + (sym.size > 0n ? sym.size : 1n) }];
    return { name: sym.name, lowPc: sym.address, ranges, inlinedChain: [] };
  }

  private functionChain(a: bigint): { scope: FunctionScope; chain: ScopeNode[]; fnIndex: number } | undefined {
    const unit = this.unitFor(a);
    if (!unit) return undefined;
    const chain = this.scopeChain(unit, a);
    // The concrete function is the innermost subprogram (a GNU C nested function nests inside another).
    let fnIndex = -1;
    for (let i = chain.length - 1; i >= 0; i--) if (chain[i].die.tag === DW_TAG.subprogram) { fnIndex = i; break; }
    if (fnIndex < 0) return undefined;
    const fn = chain[fnIndex];
    const scope: FunctionScope = {
      name: this.nameOf(fn.die) ?? '??', lowPc: this.toLoaded(this.entryOf(fn.die, fn.ranges)),
      ranges: this.loadedRanges(fn.ranges), inlinedChain: [], ...this.declOf(fn.die),
    };
    const frameBase = this.frameBaseOf(fn.die, a);
    if (frameBase) scope.frameBase = frameBase;
    for (let i = chain.length - 1; i > fnIndex; i--) {
      const node = chain[i];
      if (node.die.tag !== DW_TAG.inlined_subroutine) continue;
      const u = node.die.unit;
      const frame: InlinedFrame = {
        name: this.nameOf(node.die) ?? '??', lowPc: this.toLoaded(this.entryOf(node.die, node.ranges)),
        ranges: this.loadedRanges(node.ranges),
      };
      const callFile = this.fileName(u, u.constant(node.die, DW_AT.call_file));
      if (callFile !== undefined) frame.callFile = callFile;
      const callLine = u.constant(node.die, DW_AT.call_line);
      if (callLine !== undefined) frame.callLine = callLine;
      scope.inlinedChain.push(frame);
    }
    return { scope, chain, fnIndex };
  }

  private frameBaseOf(fn: Die, pc: bigint): Uint8Array | undefined {
    const u = fn.unit;
    const a = u.attr(fn, DW_AT.frame_base);
    if (!a) return undefined;
    if (a.value instanceof Uint8Array) return a.value;
    if (isLocationListForm(a.form)) return locationAt(locationList(u, a.form, a.value as number), pc)?.expr;
    return undefined;
  }

  /** Parameters and locals visible at addr (innermost blocks first). */
  scopeAt(address: bigint): Scope | undefined {
    const a = this.toFile(address);
    const found = this.functionChain(a);
    if (!found) return undefined;
    const { scope, chain, fnIndex } = found;
    const fn = chain[fnIndex];
    const parameters: Variable[] = [];
    const locals: Variable[] = [];
    for (const c of fn.die.children) {
      if (c.tag === DW_TAG.formal_parameter) parameters.push(this.variable(c, a, scope.frameBase));
    }
    for (let i = chain.length - 1; i >= fnIndex; i--) {
      const node = chain[i];
      for (const c of node.die.children) {
        if (c.tag === DW_TAG.variable || (i > fnIndex && node.die.tag === DW_TAG.inlined_subroutine && c.tag === DW_TAG.formal_parameter)) {
          locals.push(this.variable(c, a, scope.frameBase));
        }
      }
    }
    return { function: scope, parameters, locals };
  }

  private variable(die: Die, pc: bigint | undefined, frameBase: Uint8Array | undefined): Variable {
    const typeDie = this.withAttr(die, DW_AT.type);
    const type = typeDie ? this.typeBuilder!.typeOfAttr(typeDie) : { kind: 'void' as const };
    const v: Variable = { name: this.nameOf(die) ?? '?', type, location: this.locationOf(die, pc, type, frameBase) };
    const decl = this.declOf(die);
    if (decl.line !== undefined) v.declLine = decl.line;
    if (decl.file !== undefined) v.declFile = decl.file;
    return v;
  }

  private exprUnit(unit: Unit): ExprUnit {
    let e = this.exprUnits.get(unit);
    if (!e) {
      const builder = this.typeBuilder!;
      e = {
        addrSize: unit.addrSize, bias: this.bias,
        addrx: (index) => unit.addrx(index),
        baseType: (unitOffset) => {
          const t = builder.typeAt(unit.offset + unitOffset);
          if (t.kind !== 'base') return undefined;
          return { size: t.size, signed: t.encoding === 'signed' || t.encoding === 'signed_char' };
        },
      };
      this.exprUnits.set(unit, e);
    }
    return e;
  }

  /** DW_AT_location (an expression, or the list entry covering pc) or DW_AT_const_value. */
  private locationOf(die: Die, pc: bigint | undefined, type: Type, frameBase: Uint8Array | undefined): LocationDescription | undefined {
    const u = die.unit;
    const unit = this.exprUnit(u);
    const base = (d: LocationDescription): LocationDescription => {
      if (frameBase) d.frameBase = frameBase;
      return d;
    };
    const a = u.attr(die, DW_AT.location);
    if (a) {
      if (a.value instanceof Uint8Array) return base({ expr: a.value, unit });
      if (isLocationListForm(a.form)) {
        if (pc === undefined) return undefined;
        const entry = locationAt(locationList(u, a.form, a.value as number), pc);
        if (!entry) return undefined;
        const d: LocationDescription = { expr: entry.expr, unit };
        if (!entry.isDefault) d.validRange = { start: this.toLoaded(entry.start), end: this.toLoaded(entry.end) };
        return base(d);
      }
      return undefined;
    }
    const cv = this.withAttr(die, DW_AT.const_value);
    if (cv) {
      const attr = cv.unit.attr(cv, DW_AT.const_value)!;
      const size = Math.max(sizeOfType(type), 1);
      let bytes: Uint8Array;
      if (attr.value instanceof Uint8Array) bytes = attr.value;
      else if (typeof attr.value === 'string') bytes = new TextEncoder().encode(`${attr.value}\0`);
      else bytes = bigIntToBytes(BigInt.asUintN(size * 8, BigInt(attr.value)), size);
      return { expr: new Uint8Array(0), constValue: bytes, unit };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- evaluation

  /** Evaluates a location in a frame: where the value is, or why it cannot be had. */
  evaluateLocation(loc: LocationDescription, ctx: EvalContext): LocationResult {
    if (loc.constValue) return { kind: 'value', bytes: loc.constValue };
    let frameBase = ctx.frameBase;
    if (frameBase === undefined && loc.frameBase) {
      const fb = evaluateExpression(loc.frameBase, ctx, loc.unit);
      if (fb.kind === 'memory') frameBase = fb.address;
      else if (fb.kind === 'register') frameBase = ctx.readRegister(fb.regno);
      else if (fb.kind === 'value') frameBase = bytesToBigInt(fb.bytes.subarray(0, 8));
    }
    return evaluateExpression(loc.expr, frameBase === undefined ? ctx : { ...ctx, frameBase }, loc.unit);
  }

  /** A variable's value in a frame; throws ValueUnavailableError (e.g. "optimized out") when there is none. */
  variableValue(variable: Variable, ctx: EvalContext): Value {
    if (!variable.location) throw new ValueUnavailableError('optimized out');
    const type = variable.type;
    const size = sizeOfType(type);
    const result = this.evaluateLocation(variable.location, ctx);
    if (result.kind !== 'memory' && size > MAX_VALUE_SIZE) throw new ValueUnavailableError(`value too large (${size} bytes)`);
    switch (result.kind) {
      case 'memory': return { type, address: result.address };
      case 'value': return { type, bytes: fit(result.bytes, size) };
      case 'register': {
        const v = ctx.readRegister(result.regno);
        if (v === undefined) throw new ValueUnavailableError(`register ${registerName(result.regno)} is not available`);
        return { type, register: registerName(result.regno), bytes: fit(bigIntToBytes(v, 8), size) };
      }
      case 'unavailable': throw new ValueUnavailableError(result.reason);
      case 'pieces': {
        const total = result.pieces.reduce((n, p) => n + p.sizeBits + p.offsetBits, 0);
        if (total > MAX_VALUE_SIZE * 8) throw new ValueUnavailableError('value too large');
        const out = new Uint8Array(Math.max(size, Math.ceil(total / 8)));
        let bit = 0;
        for (const p of result.pieces) {
          const bits = pieceBits(p.location, p.sizeBits, p.offsetBits, ctx);
          for (let i = 0; i < p.sizeBits; i++, bit++) {
            if ((bits >> BigInt(i)) & 1n) out[bit >> 3] |= 1 << (bit & 7);
          }
        }
        const value: Value = { type, bytes: fit(out, size) };
        const regs = result.pieces.filter((p) => p.location.kind === 'register');
        if (regs.length === 1 && result.pieces.length === 1 && regs[0].location.kind === 'register') {
          value.register = registerName(regs[0].location.regno);
        }
        return value;
      }
    }
  }

  // ---------------------------------------------------------------- globals and types

  /** File-scope variables with a static location named `name` (statics of several units give several). */
  globals(name: string): Variable[] {
    if (!this.dwarf) return [];
    const index = this.nameIndex();
    const out: Variable[] = [];
    const entries = index.variables.get(name) ?? [];
    for (const offset of this.definitions(index, entries)) {
      const die = this.dieAtSafe(offset, false);
      if (!die || die.tag !== DW_TAG.variable) continue;
      if (!die.unit.attr(die, DW_AT.location) && !die.unit.attr(die, DW_AT.const_value)) continue;
      const v = this.variable(die, undefined, undefined);
      if (v.location) out.push(v);
    }
    if (out.length === 0) {
      const fromSymbol = this.globalFromSymbol(index, name);
      if (fromSymbol) out.push(fromSymbol);
    }
    return out;
  }

  /**
   * The non-declaration DIEs reachable from index entries through abstract_origin/specification (the
   * instances of a function, the definition of a declared variable); declarations are never parsed.
   */
  private definitions(index: NameIndex, entries: number[]): number[] {
    const out: number[] = [];
    const queue = [...entries];
    const visited = new Set<number>();
    for (let i = 0; i < queue.length && i < 1_000_000; i++) {
      const { offset, declaration } = decodeEntry(queue[i]);
      if (visited.has(offset)) continue;
      visited.add(offset);
      for (const o of index.origins.get(offset) ?? []) queue.push(o);
      if (!declaration) out.push(offset);
    }
    return out;
  }

  /** A declared-only global (defined in assembly or a linker script, e.g. jiffies): its DWARF type at its symbol. */
  private globalFromSymbol(index: NameIndex, name: string): Variable | undefined {
    const sym = this.sorted().find((s) => s.name === name && !s.code);
    const decl = (index.variables.get(name) ?? []).find((e) => e < 0);
    if (!sym || decl === undefined) return undefined;
    const die = this.dieAtSafe(decodeEntry(decl).offset, false);
    if (!die) return undefined;
    const v = this.variable(die, undefined, undefined);
    const address = this.toFile(sym.address);
    const expr = new Uint8Array(1 + die.unit.addrSize);
    expr[0] = 0x03; // DW_OP_addr
    for (let i = 0; i < die.unit.addrSize; i++) expr[1 + i] = Number((address >> BigInt(8 * i)) & 0xffn);
    v.location = { expr, unit: this.exprUnit(die.unit) };
    return v;
  }

  lookupGlobal(name: string): Variable | undefined {
    return this.globals(name)[0];
  }

  /** A type by C name: "struct foo", "union u", "enum e", a typedef or a base type ("unsigned long"). */
  lookupType(name: string): Type | undefined {
    const key = normaliseTypeName(name);
    if (this.dwarf) {
      const index = this.nameIndex();
      const offset = index.types.get(key) ?? index.typeDeclarations.get(key) ?? this.baseTypeOffset(index, key);
      if (offset !== undefined) {
        const die = this.dieAtSafe(offset);
        if (die) return this.typeBuilder!.typeOf(die);
      }
    }
    return standardBaseType(key);
  }

  private baseTypeOffset(index: NameIndex, key: string): number | undefined {
    const canonical = canonicalBaseName(key);
    if (canonical === undefined) return undefined;
    for (const [k, offset] of index.types) if (canonicalBaseName(k) === canonical) return offset;
    return undefined;
  }

  private findTypeDefinition(tag: number, typeName: string): Die | undefined {
    const prefix = tag === DW_TAG.union_type ? 'union ' : tag === DW_TAG.enumeration_type ? 'enum ' : 'struct ';
    const offset = this.nameIndex().types.get(prefix + typeName);
    return offset === undefined ? undefined : this.dieAtSafe(offset);
  }
}

/** Resizes little-endian bytes to a type's size (zero-extended; size 0 keeps them). */
function fit(bytes: Uint8Array, size: number): Uint8Array {
  if (size === 0 || bytes.length === size) return bytes;
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, size));
  return out;
}

export function registerName(regno: number): string {
  return DWARF_REGISTER_NAMES[regno] ?? `dwarf-reg${regno}`;
}

function pieceBits(loc: LocationResult, sizeBits: number, offsetBits: number, ctx: EvalContext): bigint {
  const bytes = Math.ceil((sizeBits + offsetBits) / 8);
  let v: bigint;
  switch (loc.kind) {
    case 'memory': {
      const b = ctx.readMemory(loc.address, bytes);
      if (!b || b.length < bytes) throw new ValueUnavailableError(`cannot read memory at 0x${loc.address.toString(16)}`);
      v = bytesToBigInt(b.subarray(0, bytes));
      break;
    }
    case 'register': {
      const r = ctx.readRegister(loc.regno);
      if (r === undefined) throw new ValueUnavailableError(`register ${registerName(loc.regno)} is not available`);
      v = r;
      break;
    }
    case 'value': v = bytesToBigInt(loc.bytes); break;
    case 'unavailable': throw new ValueUnavailableError(loc.reason === 'optimized out' ? 'optimized out' : `partly optimized out (${loc.reason})`);
    default: throw new ValueUnavailableError('nested pieces');
  }
  return (v >> BigInt(offsetBits)) & ((1n << BigInt(sizeBits)) - 1n);
}

/**
 * Chooses the DWARF paths that best match a client path: one path a trailing part of the other (equal
 * included) wins, more matching trailing components win; failing that, the longest common trailing
 * components (a source tree moved since the build), at least the file name.
 */
export function matchPaths(file: string, paths: string[]): string[] {
  const want = posix.normalize(file.replace(/\\/g, '/')).split('/').filter((c) => c !== '' && c !== '.');
  let best = 0;
  let out: string[] = [];
  for (const p of paths) {
    const have = p.split('/').filter((c) => c !== '' && c !== '.');
    let n = 0;
    while (n < want.length && n < have.length && want[want.length - 1 - n] === have[have.length - 1 - n]) n++;
    if (n === 0) continue;
    const rank = (n === want.length || n === have.length ? 10_000 : 0) + n;
    if (rank > best) { best = rank; out = [p]; } else if (rank === best) out.push(p);
  }
  return out;
}

function normaliseTypeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** A canonical spelling of a C integer/float type name ("long unsigned int" → "unsigned long"), else undefined. */
function canonicalBaseName(name: string): string | undefined {
  const words = name.split(' ');
  const known = new Set(['unsigned', 'signed', 'short', 'long', 'int', 'char', 'float', 'double', '_Bool']);
  if (!words.every((w) => known.has(w))) return undefined;
  const longs = words.filter((w) => w === 'long').length;
  const sign = words.includes('unsigned') ? 'unsigned ' : words.includes('signed') && words.includes('char') ? 'signed ' : '';
  if (words.includes('char')) return `${sign}char`;
  if (words.includes('_Bool')) return '_Bool';
  if (words.includes('float')) return 'float';
  if (words.includes('double')) return longs > 0 ? 'long double' : 'double';
  if (words.includes('short')) return `${sign}short`;
  if (longs >= 2) return `${sign}long long`;
  if (longs === 1) return `${sign}long`;
  return `${sign}int`;
}

/** LP64 base types, for casts in files without DWARF. */
function standardBaseType(name: string): Type | undefined {
  const c = canonicalBaseName(name);
  if (c === undefined) return undefined;
  const table: Record<string, [number, BaseEncoding]> = {
    char: [1, 'unsigned_char'], 'signed char': [1, 'signed_char'], 'unsigned char': [1, 'unsigned_char'], _Bool: [1, 'bool'],
    short: [2, 'signed'], 'unsigned short': [2, 'unsigned'], int: [4, 'signed'], 'unsigned int': [4, 'unsigned'],
    long: [8, 'signed'], 'unsigned long': [8, 'unsigned'], 'long long': [8, 'signed'], 'unsigned long long': [8, 'unsigned'],
    float: [4, 'float'], double: [8, 'float'], 'long double': [16, 'float'],
  };
  const entry = table[c];
  if (!entry) return undefined;
  return { kind: 'base', name: c, size: entry[0], encoding: entry[1] };
}

// .debug_info / .debug_abbrev: unit headers (DWARF 2–5, 32- and 64-bit format), abbreviation tables,
// attribute forms, and DIE trees parsed lazily per unit. Values of the indexed forms (strx, addrx,
// rnglistx, loclistx) are resolved through the unit's bases on access, because the bases are attributes
// of the unit's root DIE that may follow the attributes that use them.

import { ByteReader, DwarfError, StringTable } from './reader.ts';
import * as constants from './constants.ts';

// Copied once: the module namespace's getters would otherwise run at every case label in the hot loops.
const { DW_AT, DW_FORM, DW_TAG, DW_UT } = constants;

/** The DWARF sections, as views of the file (empty when absent). */
export interface DwarfSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  str: Uint8Array;
  lineStr: Uint8Array;
  line: Uint8Array;
  addr: Uint8Array;
  strOffsets: Uint8Array;
  ranges: Uint8Array;
  rnglists: Uint8Array;
  loc: Uint8Array;
  loclists: Uint8Array;
  aranges: Uint8Array;
}

export type AttrValue = number | bigint | string | Uint8Array;

export interface Attr {
  at: number;
  form: number;
  /** Raw value: offsets/indexes/constants as numbers, addresses and 8-byte data as bigints, blocks as views. */
  value: AttrValue;
}

export interface Die {
  /** Offset in .debug_info. */
  offset: number;
  tag: number;
  unit: Unit;
  attrs: Attr[];
  children: Die[];
  parent: Die | undefined;
  hasChildren: boolean;
}

interface AbbrevAttr {
  at: number;
  form: number;
  implicitConst: number;
}

export interface Abbrev {
  code: number;
  tag: number;
  hasChildren: boolean;
  attrs: AbbrevAttr[];
  /** How to skip this DIE's values (per unit format; abbreviation tables are cached per format). */
  skipPlan?: Int32Array;
  /** What the name index does with DIEs of this abbreviation (names.ts). */
  indexKind?: number;
}

export type AbbrevTable = Map<number, Abbrev>;

/** Parses the abbreviation table at `offset`. */
export function parseAbbrevs(data: Uint8Array, offset: number): AbbrevTable {
  const r = new ByteReader(data, '.debug_abbrev', offset);
  if (offset >= data.length) r.fail('abbreviation table offset is outside the section');
  const table: AbbrevTable = new Map();
  while (!r.atEnd) {
    const code = r.uleb();
    if (code === 0) break;
    const tag = r.uleb();
    const hasChildren = r.u8() !== 0;
    const attrs: AbbrevAttr[] = [];
    for (;;) {
      const at = r.uleb();
      const form = r.uleb();
      if (at === 0 && form === 0) break;
      const implicitConst = form === DW_FORM.implicit_const ? r.sleb() : 0;
      attrs.push({ at, form, implicitConst });
    }
    if (!table.has(code)) table.set(code, { code, tag, hasChildren, attrs });
  }
  return table;
}

/** Size of a form's value when it is fixed for this format; -1 when variable. */
function fixedFormSize(form: number, addrSize: number, is64: boolean, version: number): number {
  const off = is64 ? 8 : 4;
  switch (form) {
    case DW_FORM.addr: return addrSize;
    case DW_FORM.data1: case DW_FORM.ref1: case DW_FORM.flag: case DW_FORM.strx1: case DW_FORM.addrx1: return 1;
    case DW_FORM.data2: case DW_FORM.ref2: case DW_FORM.strx2: case DW_FORM.addrx2: return 2;
    case DW_FORM.strx3: case DW_FORM.addrx3: return 3;
    case DW_FORM.data4: case DW_FORM.ref4: case DW_FORM.strx4: case DW_FORM.addrx4: case DW_FORM.ref_sup4: return 4;
    case DW_FORM.data8: case DW_FORM.ref8: case DW_FORM.ref_sig8: case DW_FORM.ref_sup8: return 8;
    case DW_FORM.data16: return 16;
    case DW_FORM.flag_present: case DW_FORM.implicit_const: return 0;
    case DW_FORM.strp: case DW_FORM.line_strp: case DW_FORM.sec_offset: case DW_FORM.strp_sup:
    case DW_FORM.GNU_ref_alt: case DW_FORM.GNU_strp_alt: return off;
    case DW_FORM.ref_addr: return version <= 2 ? addrSize : off;
    default: return -1;
  }
}

/** Reads one attribute value of `form`. References are returned as absolute .debug_info offsets. */
export function readForm(r: ByteReader, form: number, unit: Unit, implicitConst: number): AttrValue {
  switch (form) {
    case DW_FORM.addr: return r.sized(unit.addrSize);
    case DW_FORM.data1: case DW_FORM.flag: case DW_FORM.strx1: case DW_FORM.addrx1: return r.u8();
    case DW_FORM.data2: case DW_FORM.strx2: case DW_FORM.addrx2: return r.u16();
    case DW_FORM.strx3: case DW_FORM.addrx3: return r.u24();
    case DW_FORM.data4: case DW_FORM.strx4: case DW_FORM.addrx4: return r.u32();
    case DW_FORM.data8: case DW_FORM.ref_sig8: return r.u64();
    case DW_FORM.data16: return r.bytes(16);
    case DW_FORM.sdata: return r.sleb();
    case DW_FORM.udata: case DW_FORM.strx: case DW_FORM.addrx: case DW_FORM.loclistx: case DW_FORM.rnglistx:
    case DW_FORM.GNU_addr_index: case DW_FORM.GNU_str_index:
      return r.uleb();
    case DW_FORM.string: return r.cstr();
    case DW_FORM.strp: case DW_FORM.line_strp: case DW_FORM.sec_offset: case DW_FORM.strp_sup:
    case DW_FORM.GNU_strp_alt: case DW_FORM.GNU_ref_alt:
      return r.offset(unit.is64);
    case DW_FORM.flag_present: return 1;
    case DW_FORM.implicit_const: return implicitConst;
    case DW_FORM.ref1: return unit.offset + r.u8();
    case DW_FORM.ref2: return unit.offset + r.u16();
    case DW_FORM.ref4: return unit.offset + r.u32();
    case DW_FORM.ref8: return unit.offset + r.u64n();
    case DW_FORM.ref_udata: return unit.offset + r.uleb();
    case DW_FORM.ref_addr: return unit.version <= 2 ? Number(r.sized(unit.addrSize)) : r.offset(unit.is64);
    case DW_FORM.ref_sup4: return r.u32();
    case DW_FORM.ref_sup8: return r.u64n();
    case DW_FORM.block1: return r.bytes(r.u8());
    case DW_FORM.block2: return r.bytes(r.u16());
    case DW_FORM.block4: return r.bytes(r.u32());
    case DW_FORM.block: case DW_FORM.exprloc: return r.bytes(r.uleb());
    case DW_FORM.indirect: {
      const actual = r.uleb();
      if (actual === DW_FORM.indirect) r.fail('nested DW_FORM_indirect');
      return readForm(r, actual, unit, implicitConst);
    }
    default: return r.fail(`unknown attribute form 0x${form.toString(16)}`);
  }
}

/** Skips one attribute value (the variable-size forms; fixed ones are skipped by size). */
export function skipForm(r: ByteReader, form: number, unit: Unit): void {
  const size = fixedFormSize(form, unit.addrSize, unit.is64, unit.version);
  if (size >= 0) { r.skip(size); return; }
  readForm(r, form, unit, 0);
}

const SKIP_LEB = -1;
const SKIP_STRING = -2;
const SKIP_BLOCK1 = -3;
const SKIP_BLOCK2 = -4;
const SKIP_BLOCK4 = -5;
const SKIP_BLOCK = -6;
const SKIP_INDIRECT = -7;
const VARIABLE_SKIPS = new Map<number, number>([
  [DW_FORM.sdata, SKIP_LEB], [DW_FORM.udata, SKIP_LEB], [DW_FORM.ref_udata, SKIP_LEB], [DW_FORM.strx, SKIP_LEB],
  [DW_FORM.addrx, SKIP_LEB], [DW_FORM.loclistx, SKIP_LEB], [DW_FORM.rnglistx, SKIP_LEB],
  [DW_FORM.GNU_addr_index, SKIP_LEB], [DW_FORM.GNU_str_index, SKIP_LEB], [DW_FORM.string, SKIP_STRING],
  [DW_FORM.block1, SKIP_BLOCK1], [DW_FORM.block2, SKIP_BLOCK2], [DW_FORM.block4, SKIP_BLOCK4],
  [DW_FORM.block, SKIP_BLOCK], [DW_FORM.exprloc, SKIP_BLOCK], [DW_FORM.indirect, SKIP_INDIRECT],
]);

const REF_FORMS = new Set<number>([
  DW_FORM.ref1, DW_FORM.ref2, DW_FORM.ref4, DW_FORM.ref8, DW_FORM.ref_udata, DW_FORM.ref_addr,
]);

/** A compilation (or partial/type) unit: its header, and its DIE tree parsed on demand. */
export class Unit {
  /** Offset of the unit header in .debug_info. */
  readonly offset: number;
  /** Offset just past the unit. */
  readonly end: number;
  readonly version: number;
  readonly unitType: number;
  readonly is64: boolean;
  readonly addrSize: number;
  readonly abbrevOffset: number;
  /** Offset of the first (root) DIE. */
  readonly dieOffset: number;
  /** Bases (DWARF 5) — defaults where the attributes are absent. */
  strOffsetsBase = -1;
  addrBase = -1;
  rnglistsBase = -1;
  loclistsBase = -1;
  /** The unit's base address (DW_AT_low_pc of the root DIE, else 0), for ranges and location lists. */
  baseAddress = 0n;
  name = '';
  compDir = '';
  stmtList = -1;
  private rootDie?: Die;
  private allDies?: Die[];
  private abbrevs?: AbbrevTable;

  constructor(readonly dwarf: DwarfInfo, r: ByteReader) {
    this.offset = r.pos;
    const { is64, length } = r.initialLength();
    this.is64 = is64;
    const body = r.sub(length);
    this.end = r.pos;
    this.version = body.u16();
    if (this.version < 2 || this.version > 5) body.fail(`unsupported DWARF version ${this.version}`, this.offset);
    if (this.version >= 5) {
      this.unitType = body.u8();
      this.addrSize = body.u8();
      this.abbrevOffset = body.offset(is64);
      if (this.unitType === DW_UT.skeleton || this.unitType === DW_UT.split_compile) body.skip(8);
      else if (this.unitType === DW_UT.type || this.unitType === DW_UT.split_type) body.skip(8 + (is64 ? 8 : 4));
    } else {
      this.unitType = DW_UT.compile;
      this.abbrevOffset = body.offset(is64);
      this.addrSize = body.u8();
    }
    if (this.addrSize !== 4 && this.addrSize !== 8) body.fail(`unsupported address size ${this.addrSize}`, this.offset);
    this.dieOffset = body.pos;
  }

  get isCompileUnit(): boolean {
    return this.unitType === DW_UT.compile || this.unitType === DW_UT.partial;
  }

  abbrevTable(): AbbrevTable {
    if (!this.abbrevs) {
      // Keyed by format too: an abbreviation caches its fixed size, which depends on it.
      this.abbrevs = this.dwarf.abbrevTable(this.abbrevOffset, `${this.addrSize}:${this.is64}:${this.version <= 2}`);
    }
    return this.abbrevs;
  }

  /** Reads the root DIE's attributes only (cheap) and sets the unit's bases and names. */
  root(): Die {
    if (this.rootDie) return this.rootDie;
    const r = new ByteReader(this.dwarf.sections.info, '.debug_info', this.dieOffset, this.end);
    const die = this.readDie(r, undefined);
    if (!die) r.fail('unit has no root DIE');
    this.rootDie = die!;
    for (const a of die!.attrs) {
      switch (a.at) {
        case DW_AT.str_offsets_base: this.strOffsetsBase = Number(a.value); break;
        case DW_AT.addr_base: case DW_AT.GNU_addr_base: this.addrBase = Number(a.value); break;
        case DW_AT.rnglists_base: this.rnglistsBase = Number(a.value); break;
        case DW_AT.loclists_base: this.loclistsBase = Number(a.value); break;
        case DW_AT.stmt_list: this.stmtList = Number(a.value); break;
      }
    }
    this.name = this.str(die!, DW_AT.name) ?? '';
    this.compDir = this.str(die!, DW_AT.comp_dir) ?? '';
    this.baseAddress = this.address(die!, DW_AT.low_pc) ?? 0n;
    return die!;
  }

  /** Parses the whole DIE tree (cached); returns all DIEs in offset order. */
  dies(): Die[] {
    if (this.allDies) {
      this.dwarf.noteParsed(this);
      return this.allDies;
    }
    const root = this.root();
    const all: Die[] = [root];
    const abbrevs = this.abbrevTable();
    const r = new ByteReader(this.dwarf.sections.info, '.debug_info', this.dieOffset, this.end);
    this.skipDie(r, abbrevs);
    if (root.hasChildren) {
      const stack: Die[] = [root];
      while (stack.length > 0 && !r.atEnd) {
        const parent = stack[stack.length - 1];
        const die = this.readDie(r, parent);
        if (!die) { stack.pop(); continue; }
        parent.children.push(die);
        all.push(die);
        if (die.hasChildren) stack.push(die);
      }
    }
    this.allDies = all;
    this.dwarf.noteParsed(this);
    return all;
  }

  get hasParsedDies(): boolean {
    return this.allDies !== undefined;
  }

  /** Drops the parsed DIE tree (the root DIE and bases stay); it is parsed again when next needed. */
  releaseDies(): void {
    this.allDies = undefined;
    // The root stays (it holds the bases); its children are the tree being dropped.
    if (this.rootDie) this.rootDie.children = [];
  }

  /** The DIE at an absolute .debug_info offset inside this unit. */
  dieAt(offset: number): Die | undefined {
    const all = this.dies();
    let lo = 0;
    let hi = all.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const o = all[mid].offset;
      if (o === offset) return all[mid];
      if (o < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Reads one DIE's attributes; undefined for a null entry (end of siblings). */
  readDie(r: ByteReader, parent: Die | undefined): Die | undefined {
    const offset = r.pos;
    const code = r.uleb();
    if (code === 0) return undefined;
    const abbrev = this.abbrevTable().get(code);
    if (!abbrev) r.fail(`unknown abbreviation code ${code}`, offset);
    const attrs: Attr[] = new Array(abbrev!.attrs.length);
    for (let i = 0; i < abbrev!.attrs.length; i++) {
      const spec = abbrev!.attrs[i];
      let form = spec.form;
      if (form === DW_FORM.indirect) form = r.uleb();
      attrs[i] = { at: spec.at, form, value: readForm(r, form, this, spec.implicitConst) };
    }
    return { offset, tag: abbrev!.tag, unit: this, attrs, children: [], parent, hasChildren: abbrev!.hasChildren };
  }

  /** Skips one DIE's attributes (not its children); returns its abbreviation, or undefined for a null entry. */
  skipDie(r: ByteReader, abbrevs: AbbrevTable): Abbrev | undefined {
    const at = r.pos;
    const code = r.uleb();
    if (code === 0) return undefined;
    const abbrev = abbrevs.get(code);
    if (!abbrev) return r.fail(`unknown abbreviation code ${code}`, at);
    this.skipAttrs(r, abbrev);
    return abbrev;
  }

  /** Skips a DIE's attribute values following the abbreviation's skip plan (computed once per table). */
  skipAttrs(r: ByteReader, abbrev: Abbrev): void {
    const plan = abbrev.skipPlan ?? (abbrev.skipPlan = this.skipPlanOf(abbrev));
    for (let i = 0; i < plan.length; i++) {
      const step = plan[i];
      if (step >= 0) { r.skip(step); continue; }
      switch (step) {
        case SKIP_LEB: r.skipLebValue(); break;
        case SKIP_STRING: r.skipString(); break;
        case SKIP_BLOCK1: r.skip(r.u8()); break;
        case SKIP_BLOCK2: r.skip(r.u16()); break;
        case SKIP_BLOCK4: r.skip(r.u32()); break;
        case SKIP_BLOCK: r.skip(r.uleb()); break;
        default: skipForm(r, r.uleb(), this); // DW_FORM_indirect
      }
    }
  }

  /** Runs of fixed-size values merged into one skip; variable-size ones as negative codes. */
  private skipPlanOf(abbrev: Abbrev): Int32Array {
    const plan: number[] = [];
    let run = 0;
    for (const spec of abbrev.attrs) {
      const size = fixedFormSize(spec.form, this.addrSize, this.is64, this.version);
      if (size >= 0) { run += size; continue; }
      if (run > 0) { plan.push(run); run = 0; }
      plan.push(VARIABLE_SKIPS.get(spec.form) ?? this.unknownForm(spec.form));
    }
    if (run > 0) plan.push(run);
    return Int32Array.from(plan);
  }

  private unknownForm(form: number): never {
    throw new DwarfError(`.debug_abbrev: unknown attribute form 0x${form.toString(16)} (unit at 0x${this.offset.toString(16)})`);
  }

  attr(die: Die, at: number): Attr | undefined {
    for (const a of die.attrs) if (a.at === at) return a;
    return undefined;
  }

  /** A string attribute, any string form. */
  str(die: Die, at: number): string | undefined {
    const a = this.attr(die, at);
    return a ? this.stringOf(a) : undefined;
  }

  stringOf(a: Attr): string | undefined {
    switch (a.form) {
      case DW_FORM.string: return a.value as string;
      case DW_FORM.strp: return this.dwarf.str.at(a.value as number);
      case DW_FORM.line_strp: return this.dwarf.lineStr.at(a.value as number);
      case DW_FORM.strx: case DW_FORM.strx1: case DW_FORM.strx2: case DW_FORM.strx3: case DW_FORM.strx4:
      case DW_FORM.GNU_str_index:
        return this.dwarf.str.at(this.strOffset(a.value as number));
      default: return undefined;
    }
  }

  private strOffset(index: number): number {
    const base = this.strOffsetsBase >= 0 ? this.strOffsetsBase : (this.is64 ? 16 : 8);
    const size = this.is64 ? 8 : 4;
    const r = new ByteReader(this.dwarf.sections.strOffsets, '.debug_str_offsets', base + index * size);
    return r.offset(this.is64);
  }

  /** An entry of .debug_addr for this unit. */
  addrx(index: number): bigint {
    const base = this.addrBase >= 0 ? this.addrBase : 8;
    const r = new ByteReader(this.dwarf.sections.addr, '.debug_addr', base + index * this.addrSize);
    return r.sized(this.addrSize);
  }

  /** An address-class attribute (addr or addrx forms). */
  address(die: Die, at: number): bigint | undefined {
    const a = this.attr(die, at);
    if (!a) return undefined;
    return this.addressOf(a);
  }

  addressOf(a: Attr): bigint | undefined {
    switch (a.form) {
      case DW_FORM.addr: return a.value as bigint;
      case DW_FORM.addrx: case DW_FORM.addrx1: case DW_FORM.addrx2: case DW_FORM.addrx3: case DW_FORM.addrx4:
      case DW_FORM.GNU_addr_index:
        return this.addrx(a.value as number);
      default: return undefined;
    }
  }

  /** A constant attribute as a number (data forms are read unsigned, sdata signed). */
  constant(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    if (!a) return undefined;
    if (typeof a.value === 'number' && !isBlockForm(a.form) && !REF_FORMS.has(a.form)) return a.value;
    if (typeof a.value === 'bigint') return Number(a.value);
    return undefined;
  }

  flag(die: Die, at: number): boolean {
    const a = this.attr(die, at);
    return a !== undefined && a.value !== 0;
  }

  /** A reference attribute's target offset (absolute in .debug_info); ref_sig8 and supplementary refs give undefined. */
  ref(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    return a && REF_FORMS.has(a.form) ? (a.value as number) : undefined;
  }
}

const BLOCK_FORMS = new Set<number>([DW_FORM.block, DW_FORM.block1, DW_FORM.block2, DW_FORM.block4, DW_FORM.exprloc, DW_FORM.data16]);
export function isBlockForm(form: number): boolean {
  return BLOCK_FORMS.has(form);
}

/** All of .debug_info: the unit headers (indexed up front, cheaply), abbreviation tables and strings. */
export class DwarfInfo {
  readonly units: Unit[] = [];
  readonly str: StringTable;
  readonly lineStr: StringTable;
  private readonly abbrevCache = new Map<string, AbbrevTable>();

  constructor(readonly sections: DwarfSections) {
    this.str = new StringTable(sections.str, '.debug_str');
    this.lineStr = new StringTable(sections.lineStr, '.debug_line_str');
    const r = new ByteReader(sections.info, '.debug_info');
    // Bounded: each unit consumes at least its header's bytes.
    while (r.remaining >= 11) {
      const start = r.pos;
      try {
        this.units.push(new Unit(this, r));
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        // A malformed header: the units before it remain usable; nothing after it can be located.
        this.headerError = e.message;
        break;
      }
      if (r.pos <= start) break;
    }
  }

  /** The first unit-header error met while indexing, if any. */
  headerError?: string;

  /** Units whose DIE trees are kept parsed, least recently used first (a vmlinux has thousands). */
  private readonly parsed = new Set<Unit>();
  /** How many units keep their DIE trees. */
  static readonly PARSED_UNITS_KEPT = 16;
  /** Called when a unit's DIE tree is dropped, so caches built over it can go too. */
  onRelease?: (unit: Unit) => void;

  noteParsed(unit: Unit): void {
    this.parsed.delete(unit);
    this.parsed.add(unit);
    if (this.parsed.size <= DwarfInfo.PARSED_UNITS_KEPT) return;
    const oldest = this.parsed.values().next().value as Unit;
    this.parsed.delete(oldest);
    oldest.releaseDies();
    this.onRelease?.(oldest);
  }

  abbrevTable(offset: number, format: string): AbbrevTable {
    const key = `${offset}:${format}`;
    let t = this.abbrevCache.get(key);
    if (!t) {
      t = parseAbbrevs(this.sections.abbrev, offset);
      this.abbrevCache.set(key, t);
    }
    return t;
  }

  /** The unit containing an offset of .debug_info. */
  unitAt(offset: number): Unit | undefined {
    const u = this.units;
    let lo = 0;
    let hi = u.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < u[mid].offset) hi = mid - 1;
      else if (offset >= u[mid].end) lo = mid + 1;
      else return u[mid];
    }
    return undefined;
  }

  /**
   * A DIE's attributes read directly at its offset, without parsing its unit (its children and parent
   * are not loaded): for attribute lookups on DIEs of units nobody looks into otherwise.
   */
  dieAttrsAt(offset: number): Die | undefined {
    const unit = this.unitAt(offset);
    if (!unit) return undefined;
    if (unit.hasParsedDies) return unit.dieAt(offset);
    const root = unit.root();
    if (offset === root.offset) return root;
    if (offset < unit.dieOffset) return undefined;
    return unit.readDie(new ByteReader(this.sections.info, '.debug_info', offset, unit.end), undefined);
  }

  /** The DIE at an absolute offset (any unit). */
  dieAt(offset: number): Die | undefined {
    return this.unitAt(offset)?.dieAt(offset);
  }
}

/** Tags whose DIEs can own code (their low_pc/high_pc/ranges matter for pc lookups). */
export const SCOPE_TAGS = new Set<number>([DW_TAG.subprogram, DW_TAG.inlined_subroutine, DW_TAG.lexical_block]);

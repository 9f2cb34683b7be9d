// Address ranges and location lists: DWARF 2–4 .debug_ranges/.debug_loc (with base address selection
// entries) and DWARF 5 .debug_rnglists/.debug_loclists (every DW_RLE_*/DW_LLE_* kind).

import { ByteReader } from './reader.ts';
import * as constants from './constants.ts';

// Copied once: the module namespace's getters would otherwise run at every case label in the hot loops.
const { DW_AT, DW_FORM, DW_LLE, DW_RLE } = constants;
import { isBlockForm, type Die, type Unit } from './info.ts';

export interface AddressRange {
  /** First address. */
  start: bigint;
  /** One past the last address. */
  end: bigint;
}

export interface LocationListEntry extends AddressRange {
  expr: Uint8Array;
  /** DW_LLE_default_location: applies where no other entry does. */
  isDefault?: boolean;
}

/** Entry count bound for one list: a longer list is malformed (or a loop of garbage). */
const MAX_LIST_ENTRIES = 1_000_000;

function maxAddress(unit: Unit): bigint {
  return unit.addrSize === 4 ? 0xffffffffn : 0xffffffffffffffffn;
}

/** The ranges of a DIE: low_pc/high_pc (high as address or as length) or DW_AT_ranges; [] when it has none. */
export function dieRanges(die: Die): AddressRange[] {
  const unit = die.unit;
  const low = unit.address(die, DW_AT.low_pc);
  const highAttr = unit.attr(die, DW_AT.high_pc);
  if (low !== undefined && highAttr) {
    const asAddress = unit.addressOf(highAttr);
    const high = asAddress ?? low + BigInt(highAttr.value as number | bigint);
    return high > low ? [{ start: low, end: high }] : [];
  }
  const rangesAttr = unit.attr(die, DW_AT.ranges);
  if (rangesAttr) {
    if (rangesAttr.form === DW_FORM.rnglistx) {
      return readRnglist(unit, rnglistOffset(unit, rangesAttr.value as number));
    }
    const offset = Number(rangesAttr.value);
    if (unit.version >= 5) {
      return readRnglist(unit, offset);
    }
    // GNU split DWARF adds DW_AT_GNU_ranges_base; plain DWARF 4 offsets are section offsets.
    return readRangesV4(unit, offset);
  }
  return [];
}

/** DW_FORM_rnglistx: index into the offset array at rnglists_base (offsets relative to that base). */
function rnglistOffset(unit: Unit, index: number): number {
  const base = unit.rnglistsBase >= 0 ? unit.rnglistsBase : (unit.is64 ? 20 : 12);
  const r = new ByteReader(unit.dwarf.sections.rnglists, '.debug_rnglists', base + index * (unit.is64 ? 8 : 4));
  return base + r.offset(unit.is64);
}

function loclistOffset(unit: Unit, index: number): number {
  const base = unit.loclistsBase >= 0 ? unit.loclistsBase : (unit.is64 ? 20 : 12);
  const r = new ByteReader(unit.dwarf.sections.loclists, '.debug_loclists', base + index * (unit.is64 ? 8 : 4));
  return base + r.offset(unit.is64);
}

export function readRangesV4(unit: Unit, offset: number): AddressRange[] {
  const r = new ByteReader(unit.dwarf.sections.ranges, '.debug_ranges', offset);
  if (offset >= r.data.length) r.fail('range list offset is outside the section');
  const max = maxAddress(unit);
  let base = unit.baseAddress;
  const out: AddressRange[] = [];
  for (let i = 0; i < MAX_LIST_ENTRIES; i++) {
    const start = r.sized(unit.addrSize);
    const end = r.sized(unit.addrSize);
    if (start === 0n && end === 0n) return out;
    if (start === max) { base = end; continue; }
    if (end > start) out.push({ start: (base + start) & max, end: (base + end) & max });
  }
  return r.fail('range list too long');
}

export function readRnglist(unit: Unit, offset: number): AddressRange[] {
  const r = new ByteReader(unit.dwarf.sections.rnglists, '.debug_rnglists', offset);
  if (offset >= r.data.length) r.fail('range list offset is outside the section');
  const max = maxAddress(unit);
  let base = unit.baseAddress;
  const out: AddressRange[] = [];
  const push = (start: bigint, end: bigint): void => {
    if (end > start) out.push({ start: start & max, end: end & max });
  };
  for (let i = 0; i < MAX_LIST_ENTRIES; i++) {
    const kind = r.u8();
    switch (kind) {
      case DW_RLE.end_of_list: return out;
      case DW_RLE.base_addressx: base = unit.addrx(r.uleb()); break;
      case DW_RLE.startx_endx: { const s = unit.addrx(r.uleb()); push(s, unit.addrx(r.uleb())); break; }
      case DW_RLE.startx_length: { const s = unit.addrx(r.uleb()); push(s, s + r.ulebBig()); break; }
      case DW_RLE.offset_pair: { const s = r.ulebBig(); push(base + s, base + r.ulebBig()); break; }
      case DW_RLE.base_address: base = r.sized(unit.addrSize); break;
      case DW_RLE.start_end: { const s = r.sized(unit.addrSize); push(s, r.sized(unit.addrSize)); break; }
      case DW_RLE.start_length: { const s = r.sized(unit.addrSize); push(s, s + r.ulebBig()); break; }
      default: r.fail(`unknown range list entry kind ${kind}`);
    }
  }
  return r.fail('range list too long');
}

/** The location list an attribute refers to (loclistx, sec_offset, or data4/data8 in DWARF 2–3). */
export function locationList(unit: Unit, form: number, value: number | bigint): LocationListEntry[] {
  if (form === DW_FORM.loclistx) return readLoclist(unit, loclistOffset(unit, Number(value)));
  const offset = Number(value);
  return unit.version >= 5 ? readLoclist(unit, offset) : readLocV4(unit, offset);
}

/** True when an attribute of the location class is a list reference rather than an expression. */
export function isLocationListForm(form: number): boolean {
  return !isBlockForm(form) && (form === DW_FORM.sec_offset || form === DW_FORM.loclistx
    || form === DW_FORM.data4 || form === DW_FORM.data8);
}

export function readLocV4(unit: Unit, offset: number): LocationListEntry[] {
  const r = new ByteReader(unit.dwarf.sections.loc, '.debug_loc', offset);
  if (offset >= r.data.length) r.fail('location list offset is outside the section');
  const max = maxAddress(unit);
  let base = unit.baseAddress;
  const out: LocationListEntry[] = [];
  for (let i = 0; i < MAX_LIST_ENTRIES; i++) {
    const start = r.sized(unit.addrSize);
    const end = r.sized(unit.addrSize);
    if (start === 0n && end === 0n) return out;
    if (start === max) { base = end; continue; }
    const expr = r.bytes(r.u16());
    if (end > start) out.push({ start: (base + start) & max, end: (base + end) & max, expr });
  }
  return r.fail('location list too long');
}

export function readLoclist(unit: Unit, offset: number): LocationListEntry[] {
  const r = new ByteReader(unit.dwarf.sections.loclists, '.debug_loclists', offset);
  if (offset >= r.data.length) r.fail('location list offset is outside the section');
  const max = maxAddress(unit);
  let base = unit.baseAddress;
  const out: LocationListEntry[] = [];
  const push = (start: bigint, end: bigint, isDefault = false): void => {
    const expr = r.bytes(r.uleb());
    if (isDefault) out.push({ start: 0n, end: max, expr, isDefault });
    else if (end > start) out.push({ start: start & max, end: end & max, expr });
  };
  for (let i = 0; i < MAX_LIST_ENTRIES; i++) {
    const kind = r.u8();
    switch (kind) {
      case DW_LLE.end_of_list: return out;
      case DW_LLE.base_addressx: base = unit.addrx(r.uleb()); break;
      case DW_LLE.startx_endx: { const s = unit.addrx(r.uleb()); push(s, unit.addrx(r.uleb())); break; }
      case DW_LLE.startx_length: { const s = unit.addrx(r.uleb()); push(s, s + r.ulebBig()); break; }
      case DW_LLE.offset_pair: { const s = r.ulebBig(); push(base + s, base + r.ulebBig()); break; }
      case DW_LLE.default_location: push(0n, 0n, true); break;
      case DW_LLE.base_address: base = r.sized(unit.addrSize); break;
      case DW_LLE.start_end: { const s = r.sized(unit.addrSize); push(s, r.sized(unit.addrSize)); break; }
      case DW_LLE.start_length: { const s = r.sized(unit.addrSize); push(s, s + r.ulebBig()); break; }
      case DW_LLE.GNU_view_pair: r.uleb(); r.uleb(); break;
      default: r.fail(`unknown location list entry kind ${kind}`);
    }
  }
  return r.fail('location list too long');
}

/** The expression of a list valid at `pc` (the default entry when no bounded one covers it). */
export function locationAt(list: LocationListEntry[], pc: bigint): LocationListEntry | undefined {
  let fallback: LocationListEntry | undefined;
  for (const e of list) {
    if (e.isDefault) fallback ??= e;
    else if (e.start <= pc && pc < e.end) return e;
  }
  return fallback;
}

export function rangesContain(ranges: AddressRange[], address: bigint): boolean {
  for (const r of ranges) if (r.start <= address && address < r.end) return true;
  return false;
}

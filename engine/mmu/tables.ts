// Side-effect-free views of a hart's page tables, for the debugger (privileged spec 4.3-4.6:
// Sv39/Sv48/Sv57): satp decoded, one table's entries at a time (the tree is expanded level by level,
// so a table pointing at itself costs nothing), and a ptdump-like summary of what is mapped.
// Memory is read only through `peek64`: RAM only, no A/D updates, no device reads.
//
// Each entry is classified as the walk in walk.ts would treat it, so the view and the engine agree:
// an entry the walk faults on is 'reserved' or carries a `problem`.
import type { Bus } from '../bus.ts';
import { SATP_MODE_BARE, SATP_MODE_SV39, SATP_MODE_SV48, SATP_MODE_SV57, levelsOf } from './walk.ts';

/** Reads a little-endian u64 of physical memory, or undefined where there is no RAM. */
export type Peek64 = (pa: number) => bigint | undefined;

export type PagingMode = 'bare' | 'sv39' | 'sv48' | 'sv57';

export interface PageTableView {
  mode: PagingMode;
  asid: number;
  /** Physical address of the root table (satp.PPN × 4096). */
  rootPa: number;
  /** Table levels (0 for bare). */
  levels: number;
}

export interface PteEntry {
  index: number;
  pteAddress: number;
  pte: bigint;
  /** V R W X U G A D (bits 0-7), '-' for a clear bit: e.g. "VRW--GAD". */
  flags: string;
  kind: 'leaf' | 'table' | 'invalid' | 'reserved';
  /** First VA this entry maps: canonical (sign-extended from the top VA bit), as an unsigned 64-bit value. */
  vaStart: bigint;
  /** Bytes of VA the entry covers: 4 KiB << (9 × level). */
  vaSize: bigint;
  /** leaf: physical address mapped at vaStart; table: the next-level table's physical address. */
  target?: number;
  /** Table level: levels-1 is the root, 0 maps 4 KiB pages. */
  level: number;
  /** Why the walk would not use this entry as it looks (or what is odd about it). */
  problem?: string;
}

/** A run of leaves mapping contiguous VAs to contiguous PAs with the same flags and page size. */
export interface MappingRun {
  vaStart: bigint;
  /** Exclusive end (may be 2^64 for a run reaching the top of the address space). */
  vaEnd: bigint;
  paStart: number;
  flags: string;
  pageSize: bigint;
}

export interface MappingSummary {
  runs: MappingRun[];
  /** True if maxRuns or maxTables stopped the walk before the whole tree was seen. */
  truncated: boolean;
}

/** PTE bits. walk.ts keeps its copies private; these are the same bits (spec Figure "Sv39 PTE"). */
const PTE_V = 0x01;
const PTE_R = 0x02;
const PTE_W = 0x04;
const PTE_X = 0x08;
const PTE_U = 0x10;
const PTE_A = 0x40;
const PTE_D = 0x80;
/** Letters of bits 0-7, in bit order. */
const FLAG_LETTERS = 'VRWXUGAD';

const PAGE_SHIFT = 12n;
const PAGE_SIZE = 4096;
const ENTRIES = 512;
const PPN_MASK = (1n << 44n) - 1n;

const MODE_NAMES: Readonly<Record<number, PagingMode>> = {
  [SATP_MODE_BARE]: 'bare',
  [SATP_MODE_SV39]: 'sv39',
  [SATP_MODE_SV48]: 'sv48',
  [SATP_MODE_SV57]: 'sv57',
};

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;

/** Decodes satp (MODE 63:60, ASID 59:44, PPN 43:0). A reserved MODE is an error: the hart never holds one. */
export function pageTableOf(satp: bigint): PageTableView {
  const modeNumber = Number((satp >> 60n) & 0xfn);
  const mode = MODE_NAMES[modeNumber] as PagingMode | undefined;
  if (mode === undefined) throw new Error(`satp MODE ${modeNumber} is reserved (not Bare, Sv39, Sv48 or Sv57)`);
  return {
    mode,
    asid: Number((satp >> 44n) & 0xffffn),
    rootPa: Number((satp & PPN_MASK) << PAGE_SHIFT),
    levels: levelsOf(modeNumber),
  };
}

/** The flag letters of a PTE's low byte. */
export function pteFlags(pte: bigint): string {
  const bits = Number(pte & 0xffn);
  let s = '';
  for (let b = 0; b < FLAG_LETTERS.length; b++) s += bits & (1 << b) ? FLAG_LETTERS[b] : '-';
  return s;
}

/** An unsigned 64-bit VA with bits above `vaBits` copying bit vaBits-1. */
function canonical(va: bigint, vaBits: number): bigint {
  return BigInt.asUintN(64, BigInt.asIntN(vaBits, va));
}

function checkLevels(levels: number): void {
  if (levels !== 3 && levels !== 4 && levels !== 5) throw new Error(`page tables have 3, 4 or 5 levels (got ${levels})`);
}

/** Classifies one PTE as the walk (walk.ts, spec 4.3.2) would, for a table at `level`. */
function classify(peek64: Peek64, pte: bigint, level: number): Pick<PteEntry, 'kind' | 'target' | 'problem'> {
  const bits = Number(pte & 0x3ffn);
  if ((bits & PTE_V) === 0) return { kind: 'invalid' };
  if ((bits & (PTE_R | PTE_W)) === PTE_W) return { kind: 'reserved', problem: 'W without R is reserved: the walk faults' };
  // Bits 63:54 hold N (Svnapot), PBMT (Svpbmt) and reserved bits: none is implemented, so all must be 0.
  const high = pte >> 54n;
  if (high !== 0n) return { kind: 'reserved', problem: `bits 63:54 are ${hex(high)} (N, PBMT and reserved bits are not implemented): the walk faults` };
  const ppn = (pte >> 10n) & PPN_MASK;
  const pa = ppn << PAGE_SHIFT;
  const target = Number(pa);
  if ((bits & (PTE_R | PTE_X)) === 0) {
    if (bits & (PTE_A | PTE_D | PTE_U)) return { kind: 'reserved', problem: 'A, D or U set in a non-leaf entry (reserved): the walk faults' };
    if (level === 0) return { kind: 'reserved', problem: 'a pointer at level 0 (no level below): the walk faults' };
    if (peek64(target) === undefined) return { kind: 'table', target, problem: `next-level table at ${hex(pa)} is not in RAM: the walk raises an access fault` };
    return { kind: 'table', target };
  }
  // A superpage's PPN must be aligned to its size (ppn[level-1:0] = 0).
  if (level > 0 && (ppn & ((1n << BigInt(9 * level)) - 1n)) !== 0n) {
    return { kind: 'leaf', target, problem: `misaligned superpage (PA ${hex(pa)} not aligned to its size): accesses fault` };
  }
  if (peek64(target) === undefined) return { kind: 'leaf', target, problem: `maps ${hex(pa)}, which is not RAM (MMIO or nothing)` };
  return { kind: 'leaf', target };
}

/** The entries of the table at tablePa, or undefined when the table is not entirely RAM. */
function readEntries(peek64: Peek64, tablePa: number, level: number, vaBase: bigint, levels: number, includeInvalid: boolean): PteEntry[] | undefined {
  const vaBits = 12 + 9 * levels;
  const vaSize = 1n << BigInt(12 + 9 * level);
  const out: PteEntry[] = [];
  for (let index = 0; index < ENTRIES; index++) {
    const pteAddress = tablePa + 8 * index;
    const pte = peek64(pteAddress);
    if (pte === undefined) return undefined;
    const c = classify(peek64, pte, level);
    if (c.kind === 'invalid' && !includeInvalid) continue;
    const e: PteEntry = { index, pteAddress, pte, flags: pteFlags(pte), kind: c.kind, vaStart: canonical(vaBase + BigInt(index) * vaSize, vaBits), vaSize, level };
    if (c.target !== undefined) e.target = c.target;
    if (c.problem !== undefined) e.problem = c.problem;
    out.push(e);
  }
  return out;
}

/**
 * The valid entries (all 512 with includeInvalid) of the table at tablePa, at `level` (levels-1 is
 * the root), whose entry 0 maps `vaBase` (0 for a root; a table entry's vaStart for the table below
 * it). Throws if the table is not page-aligned RAM.
 */
export function readTable(
  peek64: Peek64, tablePa: number, level: number, vaBase: bigint, levels: number, opts: { includeInvalid?: boolean } = {},
): PteEntry[] {
  checkLevels(levels);
  if (!Number.isInteger(level) || level < 0 || level >= levels) throw new Error(`table level ${level} is not in 0..${levels - 1}`);
  if (!Number.isSafeInteger(tablePa) || tablePa < 0 || tablePa % PAGE_SIZE !== 0) throw new Error(`page table address ${hex(tablePa)} is not page-aligned`);
  const entries = readEntries(peek64, tablePa, level, vaBase, levels, opts.includeInvalid ?? false);
  if (entries === undefined) throw new Error(`page table at ${hex(tablePa)} is not in RAM`);
  return entries;
}

/** Default bounds of a mapping summary: runs listed, and tables read (512 PTEs each). */
const DEFAULT_MAX_RUNS = 4096;
const DEFAULT_MAX_TABLES = 4096;

/**
 * Everything the tree maps, as ptdump shows it: leaves in VA order, a run continuing while VAs and
 * PAs stay contiguous and flags and page size stay the same. Leaves the walk faults on (misaligned
 * superpages) and tables outside RAM are left out. Work is bounded by maxTables (a hostile tree can
 * point many entries at the same tables) and the output by maxRuns.
 */
export function mappingSummary(peek64: Peek64, view: PageTableView, opts: { maxRuns?: number; maxTables?: number } = {}): MappingSummary {
  const runs: MappingRun[] = [];
  if (view.levels === 0) return { runs, truncated: false };
  checkLevels(view.levels);
  const maxRuns = opts.maxRuns ?? DEFAULT_MAX_RUNS;
  let tablesLeft = opts.maxTables ?? DEFAULT_MAX_TABLES;
  let truncated = false;
  let last: (MappingRun & { paEnd: number }) | undefined;

  const addLeaf = (e: PteEntry, pa: number): boolean => {
    if (last && last.vaEnd === e.vaStart && last.paEnd === pa && last.flags === e.flags && last.pageSize === e.vaSize) {
      last.vaEnd += e.vaSize;
      last.paEnd += Number(e.vaSize);
      return true;
    }
    if (runs.length >= maxRuns) return false;
    last = { vaStart: e.vaStart, vaEnd: e.vaStart + e.vaSize, paStart: pa, flags: e.flags, pageSize: e.vaSize, paEnd: pa + Number(e.vaSize) };
    runs.push(last);
    return true;
  };

  // Depth-first in entry order, so leaves come in ascending VA order. Returns false once a bound is hit.
  const visit = (tablePa: number, level: number, vaBase: bigint): boolean => {
    if (tablesLeft <= 0) return false;
    tablesLeft--;
    const entries = readEntries(peek64, tablePa, level, vaBase, view.levels, false);
    if (entries === undefined) return true;
    for (const e of entries) {
      if (e.target === undefined) continue;
      if (e.kind === 'table') {
        if (!visit(e.target, level - 1, e.vaStart)) return false;
      } else if (e.kind === 'leaf' && e.target % Number(e.vaSize) === 0) { // a misaligned superpage maps nothing
        if (!addLeaf(e, e.target)) return false;
      }
    }
    return true;
  };

  if (Number.isSafeInteger(view.rootPa) && view.rootPa % PAGE_SIZE === 0) truncated = !visit(view.rootPa, view.levels - 1, 0n);
  return {
    runs: runs.map(({ vaStart, vaEnd, paStart, flags, pageSize }) => ({ vaStart, vaEnd, paStart, flags, pageSize })),
    truncated,
  };
}

/** The runs of mappingSummary (see there); use that to know whether the list is complete. */
export function mappings(peek64: Peek64, view: PageTableView, opts: { maxRuns?: number; maxTables?: number } = {}): MappingRun[] {
  return mappingSummary(peek64, view, opts).runs;
}

/** A Peek64 over a bus's RAM: plain reads of the RAM array, nothing else (no MMIO, no ROM). */
export function ramPeek64(bus: Bus): Peek64 {
  return (pa) => {
    if (!Number.isSafeInteger(pa)) return undefined;
    const off = bus.ramOffset(pa, 8);
    if (off < 0) return undefined;
    const ram = bus.ram32;
    if (off % 4 !== 0) {
      let v = 0n;
      for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bus.ram[off + i]);
      return v;
    }
    return (BigInt(ram[(off >>> 2) + 1] >>> 0) << 32n) | BigInt(ram[off >>> 2] >>> 0);
  };
}

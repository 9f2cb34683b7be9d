// Page-table views (engine/mmu/tables.ts): satp decoding, table entries classified as the walk treats
// them, and the ptdump-like mapping summary, on tables built by hand in RAM (Sv39/Sv48/Sv57, every page
// size, invalid and reserved encodings, cycles) and on the demo guest's own tables. Every translation
// the tree implies is checked against the engine's walk (engine/mmu/walk.ts translate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { Bus } from '../../../engine/bus.ts';
import { Machine } from '../../../engine/machine.ts';
import { C64 } from '../../../engine/cpu/hart.ts';
import { PRV_S, PRV_U } from '../../../engine/cpu/csr.ts';
import { Pmp, ACCESS_READ } from '../../../engine/mmu/pmp.ts';
import { translate } from '../../../engine/mmu/walk.ts';
import { parseElf } from '../../../engine/loader/elf.ts';
import {
  mappingSummary, mappings, pageTableOf, ramPeek64, readTable,
  type MappingRun, type PageTableView, type Peek64, type PteEntry,
} from '../../../engine/mmu/tables.ts';
import { ROOT } from '../../helpers/cli.ts';

const V = 1n, R = 2n, W = 4n, X = 8n, U = 16n, G = 32n, A = 64n, D = 128n;
const RAM = 0x80000000;
const KiB4 = 1n << 12n, MiB2 = 1n << 21n, GiB = 1n << 30n;
const LOAD_PAGE_FAULT = 13, LOAD_ACCESS = 5;

/** A PTE: the PPN of `pa` with `flags` (and any high bits in `flags`). */
const pte = (pa: number | bigint, flags: bigint): bigint => ((BigInt(pa) >> 12n) << 10n) | flags;

function ramBus(): Bus {
  return new Bus(RAM, 8 << 20);
}
function put(bus: Bus, table: number, index: number, value: bigint): void {
  new DataView(bus.ram.buffer).setBigUint64(table - RAM + 8 * index, value, true);
}
const satpOf = (mode: number, root: number, asid = 0): bigint => (BigInt(mode) << 60n) | (BigInt(asid) << 44n) | BigInt(root / 4096);

/** Allocates tables and maps leaves at any level, as a kernel would. */
class Tables {
  private next: number;
  readonly root: number;
  constructor(readonly bus: Bus, readonly levels: number, pool: number) {
    this.next = pool;
    this.root = this.alloc();
  }
  alloc(): number {
    const p = this.next;
    this.next += 4096;
    return p;
  }
  /** Writes `value` as the entry for `va` in its table at `level`, creating the tables above it. */
  set(va: bigint, level: number, value: bigint): void {
    const peek = ramPeek64(this.bus);
    let table = this.root;
    for (let i = this.levels - 1; i > level; i--) {
      const index = Number((va >> BigInt(12 + 9 * i)) & 0x1ffn);
      let e = peek(table + 8 * index)!;
      if ((e & V) === 0n) {
        e = pte(this.alloc(), V);
        put(this.bus, table, index, e);
      }
      table = Number((e >> 10n) << 12n);
    }
    put(this.bus, table, Number((va >> BigInt(12 + 9 * level)) & 0x1ffn), value);
  }
}

type Outcome = { pa: number } | { fault: number };

/** readTable with every entry, memoized per peek function (tests ask for the same tables many times); undefined if it throws. */
const tableCache = new WeakMap<Peek64, Map<string, PteEntry[] | undefined>>();
function readCached(peek: Peek64, table: number, level: number, base: bigint, levels: number): PteEntry[] | undefined {
  let cache = tableCache.get(peek);
  if (!cache) tableCache.set(peek, (cache = new Map()));
  const key = `${table}/${level}/${base}/${levels}`;
  if (!cache.has(key)) {
    try {
      cache.set(key, readTable(peek, table, level, base, levels, { includeInvalid: true }));
    } catch {
      cache.set(key, undefined);
    }
  }
  return cache.get(key);
}

/**
 * What the tree says about a read of `va`, found only through readTable (descending from the root),
 * and whether the leaf has U (the walk is then asked from U-mode).
 */
function lookup(peek: Peek64, view: PageTableView, va: bigint): { want: Outcome; user: boolean } {
  const pageFault = { want: { fault: LOAD_PAGE_FAULT }, user: false };
  const vaBits = 12 + 9 * view.levels;
  if (BigInt.asUintN(64, BigInt.asIntN(vaBits, va)) !== va) return pageFault;
  let table = view.rootPa;
  let base = 0n;
  for (let level = view.levels - 1; level >= 0; level--) {
    const entries = readCached(peek, table, level, base, view.levels);
    if (entries === undefined) return { want: { fault: LOAD_ACCESS }, user: false };
    const e = entries.find((x) => va >= x.vaStart && va < x.vaStart + x.vaSize);
    assert.ok(e, `an entry covers 0x${va.toString(16)}`);
    if (e.kind === 'invalid' || e.kind === 'reserved') return pageFault;
    if (e.kind === 'table') {
      table = e.target!;
      base = e.vaStart;
      continue;
    }
    if (e.target! % Number(e.vaSize) !== 0) return pageFault; // misaligned superpage
    return { want: { pa: e.target! + Number(va - e.vaStart) }, user: e.flags[4] === 'U' };
  }
  assert.fail('no leaf');
}

/** The engine's own walk for a read of `va` (U pages from U-mode, the others from S; MXR for X-only). */
function engineTranslate(bus: Bus, view: PageTableView, va: bigint, userPage: boolean): Outcome {
  const pmp = new Pmp();
  pmp.writeAddr(0, (1n << 54n) - 1n);
  pmp.writeCfg(0, 0x1fn); // NAPOT over everything, RWX
  const satpMode = view.levels + 5; // 3 → 8 (Sv39), 4 → 9, 5 → 10
  const out = { pagePerms: 0 };
  const lo = Number(va & 0xffffffffn) | 0;
  const hi = Number(va >> 32n) | 0;
  const r = translate({ bus, pmp, satpMode, rootPa: view.rootPa }, lo, hi, ACCESS_READ, userPage ? PRV_U : PRV_S, false, true, out);
  return r >= 0 ? { pa: r } : { fault: -r - 1 };
}

/**
 * Every entry of the tree (level by level, each table once), probed at its first, middle and last
 * bytes, plus `extra` VAs: the tree's answer must be the walk's. Lookups run first: the walk sets A bits.
 */
function agreeWithWalk(bus: Bus, view: PageTableView, extra: bigint[] = []): number {
  const peek = ramPeek64(bus);
  const vas = new Set<bigint>(extra);
  const seen = new Set<number>();
  const queue: Array<{ pa: number; level: number; base: bigint }> = [{ pa: view.rootPa, level: view.levels - 1, base: 0n }];
  while (queue.length > 0) {
    const t = queue.shift()!;
    if (seen.has(t.pa * 8 + t.level)) continue;
    seen.add(t.pa * 8 + t.level);
    for (const e of readTable(peek, t.pa, t.level, t.base, view.levels, { includeInvalid: t.level === view.levels - 1 })) {
      for (const off of [0n, e.vaSize / 2n + 8n, e.vaSize - 8n]) vas.add(e.vaStart + off);
      if (e.kind === 'table' && e.problem === undefined) queue.push({ pa: e.target!, level: e.level - 1, base: e.vaStart });
    }
  }
  const expected = [...vas].map((va) => ({ va, ...lookup(peek, view, va) }));
  for (const { va, want, user } of expected) {
    assert.deepEqual(engineTranslate(bus, view, va, user), want, `VA 0x${va.toString(16)}`);
  }
  return expected.length;
}

/** Byte-for-byte equality of two (large) RAM images, by memcmp. */
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

const hexRuns = (runs: MappingRun[]): string[] =>
  runs.map((r) => `${r.vaStart.toString(16)}-${r.vaEnd.toString(16)} -> ${r.paStart.toString(16)} ${r.flags} ${r.pageSize.toString(16)}`);

// ------------------------------------------------------------------------------------------------

test('satp decodes to mode, ASID, root and levels; reserved modes are errors', () => {
  assert.deepEqual(pageTableOf(0n), { mode: 'bare', asid: 0, rootPa: 0, levels: 0 });
  assert.deepEqual(pageTableOf(satpOf(8, 0x80123000, 5)), { mode: 'sv39', asid: 5, rootPa: 0x80123000, levels: 3 });
  assert.deepEqual(pageTableOf(satpOf(9, 0x80001000, 0xabcd)), { mode: 'sv48', asid: 0xabcd, rootPa: 0x80001000, levels: 4 });
  assert.deepEqual(pageTableOf(satpOf(10, 0x80002000, 0xffff)), { mode: 'sv57', asid: 0xffff, rootPa: 0x80002000, levels: 5 });
  assert.throws(() => pageTableOf(1n << 60n), /satp MODE 1 is reserved/);
  assert.throws(() => pageTableOf(15n << 60n), /satp MODE 15 is reserved/);
  assert.deepEqual(mappings(ramPeek64(ramBus()), pageTableOf(0n)), [], 'bare maps nothing');
});

/** The Sv39 tree of the main test: every kind of entry at every level. */
const ROOT39 = RAM + 0x1000, TA = RAM + 0x2000, TB = RAM + 0x3000, TC = RAM + 0x4000;
function sv39Tree(): Bus {
  const bus = ramBus();
  put(bus, ROOT39, 0, pte(TA, V));
  put(bus, ROOT39, 2, pte(0x80000000, V | R | W | X | G | A | D)); // gigapage, identity
  put(bus, ROOT39, 511, pte(TC, V | G)); // G is allowed in a pointer
  put(bus, TA, 0, pte(TB, V));
  put(bus, TA, 1, pte(RAM + 0x400000, V | R | X | G)); // megapage, A clear
  put(bus, TA, 2, pte(RAM + 0x401000, V | R | A)); // misaligned megapage
  put(bus, TA, 3, pte(TB, V | A)); // pointer with A: reserved
  put(bus, TA, 4, pte(0x10000000, V)); // pointer outside RAM
  put(bus, TB, 0, pte(RAM + 0x100000, V | R | W | A | D));
  put(bus, TB, 1, pte(RAM + 0x101000, V | R | W | A | D)); // continues the run of entry 0
  put(bus, TB, 2, pte(RAM + 0x200000, V | R | X | U | A));
  put(bus, TB, 3, pte(RAM + 0x102000, V | W)); // W without R
  put(bus, TB, 4, pte(RAM + 0x100000, R | W)); // not valid (but not zero)
  put(bus, TB, 5, pte(TB, V)); // pointer at level 0
  put(bus, TB, 6, pte(RAM + 0x103000, V | R | A) | (1n << 61n)); // PBMT bits
  put(bus, TB, 7, pte(0x10000000, V | R | W | A | D)); // a leaf onto MMIO
  put(bus, TB, 8, pte(RAM + 0x104000, V | W | X)); // XWR = 110: reserved too
  put(bus, TC, 510, pte(RAM + 0x400000, V | R | W | G | A | D));
  put(bus, TC, 511, pte(RAM + 0x600000, V | R | W | G | A | D)); // contiguous with 510: one run
  return bus;
}

test('Sv39: each table lists its entries with flags, kind, VA range, target and problem', () => {
  const bus = sv39Tree();
  const peek = ramPeek64(bus);
  const raw = (t: number, i: number): bigint => peek(t + 8 * i)!;
  assert.deepEqual(readTable(peek, ROOT39, 2, 0n, 3), [
    { index: 0, pteAddress: ROOT39, pte: raw(ROOT39, 0), flags: 'V-------', kind: 'table', vaStart: 0n, vaSize: GiB, target: TA, level: 2 },
    { index: 2, pteAddress: ROOT39 + 16, pte: raw(ROOT39, 2), flags: 'VRWX-GAD', kind: 'leaf', vaStart: 0x80000000n, vaSize: GiB, target: 0x80000000, level: 2 },
    { index: 511, pteAddress: ROOT39 + 8 * 511, pte: raw(ROOT39, 511), flags: 'V----G--', kind: 'table', vaStart: 0xffffffffc0000000n, vaSize: GiB, target: TC, level: 2 },
  ]);
  const all = readTable(peek, ROOT39, 2, 0n, 3, { includeInvalid: true });
  assert.equal(all.length, 512);
  assert.deepEqual(all[1], { index: 1, pteAddress: ROOT39 + 8, pte: 0n, flags: '--------', kind: 'invalid', vaStart: GiB, vaSize: GiB, level: 2 });
  assert.equal(all[255].vaStart, 255n * GiB, 'the last entry of the lower half');
  assert.equal(all[256].vaStart, 0xffffffc000000000n, 'entry 256 starts the sign-extended upper half');

  assert.deepEqual(readTable(peek, TA, 1, 0n, 3), [
    { index: 0, pteAddress: TA, pte: raw(TA, 0), flags: 'V-------', kind: 'table', vaStart: 0n, vaSize: MiB2, target: TB, level: 1 },
    { index: 1, pteAddress: TA + 8, pte: raw(TA, 1), flags: 'VR-X-G--', kind: 'leaf', vaStart: 0x200000n, vaSize: MiB2, target: RAM + 0x400000, level: 1 },
    {
      index: 2, pteAddress: TA + 16, pte: raw(TA, 2), flags: 'VR----A-', kind: 'leaf', vaStart: 0x400000n, vaSize: MiB2, target: RAM + 0x401000, level: 1,
      problem: 'misaligned superpage (PA 0x80401000 not aligned to its size): accesses fault',
    },
    {
      index: 3, pteAddress: TA + 24, pte: raw(TA, 3), flags: 'V-----A-', kind: 'reserved', vaStart: 0x600000n, vaSize: MiB2, level: 1,
      problem: 'A, D or U set in a non-leaf entry (reserved): the walk faults',
    },
    {
      index: 4, pteAddress: TA + 32, pte: raw(TA, 4), flags: 'V-------', kind: 'table', vaStart: 0x800000n, vaSize: MiB2, target: 0x10000000, level: 1,
      problem: 'next-level table at 0x10000000 is not in RAM: the walk raises an access fault',
    },
  ]);

  const wNoR = 'W without R is reserved: the walk faults';
  assert.deepEqual(readTable(peek, TB, 0, 0n, 3), [
    { index: 0, pteAddress: TB, pte: raw(TB, 0), flags: 'VRW---AD', kind: 'leaf', vaStart: 0n, vaSize: KiB4, target: RAM + 0x100000, level: 0 },
    { index: 1, pteAddress: TB + 8, pte: raw(TB, 1), flags: 'VRW---AD', kind: 'leaf', vaStart: 0x1000n, vaSize: KiB4, target: RAM + 0x101000, level: 0 },
    { index: 2, pteAddress: TB + 16, pte: raw(TB, 2), flags: 'VR-XU-A-', kind: 'leaf', vaStart: 0x2000n, vaSize: KiB4, target: RAM + 0x200000, level: 0 },
    { index: 3, pteAddress: TB + 24, pte: raw(TB, 3), flags: 'V-W-----', kind: 'reserved', vaStart: 0x3000n, vaSize: KiB4, level: 0, problem: wNoR },
    {
      index: 5, pteAddress: TB + 40, pte: raw(TB, 5), flags: 'V-------', kind: 'reserved', vaStart: 0x5000n, vaSize: KiB4, level: 0,
      problem: 'a pointer at level 0 (no level below): the walk faults',
    },
    {
      index: 6, pteAddress: TB + 48, pte: raw(TB, 6), flags: 'VR----A-', kind: 'reserved', vaStart: 0x6000n, vaSize: KiB4, level: 0,
      problem: 'bits 63:54 are 0x80 (N, PBMT and reserved bits are not implemented): the walk faults',
    },
    {
      index: 7, pteAddress: TB + 56, pte: raw(TB, 7), flags: 'VRW---AD', kind: 'leaf', vaStart: 0x7000n, vaSize: KiB4, target: 0x10000000, level: 0,
      problem: 'maps 0x10000000, which is not RAM (MMIO or nothing)',
    },
    { index: 8, pteAddress: TB + 64, pte: raw(TB, 8), flags: 'V-WX----', kind: 'reserved', vaStart: 0x8000n, vaSize: KiB4, level: 0, problem: wNoR },
  ]);
  const invalid = readTable(peek, TB, 0, 0n, 3, { includeInvalid: true })[4];
  assert.deepEqual(invalid, { index: 4, pteAddress: TB + 32, pte: raw(TB, 4), flags: '-RW-----', kind: 'invalid', vaStart: 0x4000n, vaSize: KiB4, level: 0 });

  // A table under the upper half: its VAs continue the parent entry's canonical VA.
  assert.deepEqual(readTable(peek, TC, 1, 0xffffffffc0000000n, 3).map((e) => [e.index, e.vaStart, e.target]), [
    [510, 0xffffffffffc00000n, RAM + 0x400000],
    [511, 0xffffffffffe00000n, RAM + 0x600000],
  ]);
});

test('Sv39: the mapping summary merges contiguous leaves and leaves out what the walk faults on', () => {
  const bus = sv39Tree();
  const view = pageTableOf(satpOf(8, ROOT39, 3));
  assert.deepEqual(hexRuns(mappings(ramPeek64(bus), view)), [
    '0-2000 -> 80100000 VRW---AD 1000',
    '2000-3000 -> 80200000 VR-XU-A- 1000',
    '7000-8000 -> 10000000 VRW---AD 1000',
    '200000-400000 -> 80400000 VR-X-G-- 200000',
    '80000000-c0000000 -> 80000000 VRWX-GAD 40000000',
    'ffffffffffc00000-10000000000000000 -> 80400000 VRW--GAD 200000',
  ]);
  assert.deepEqual(mappingSummary(ramPeek64(bus), view).truncated, false);
});

test('Sv39: every VA the tree covers translates as the engine walk does', () => {
  const bus = sv39Tree();
  const view = pageTableOf(satpOf(8, ROOT39));
  const n = agreeWithWalk(bus, view, [0x8000000000n /* not canonical */, 0xffffffc000001000n, 0x1234n, 0x7ffn]);
  assert.ok(n > 1500, `${n} VAs compared`);
});

test('readTable, mappings and ramPeek64 change nothing and read RAM only', () => {
  const bus = sv39Tree();
  const before = bus.ram.slice();
  const view = pageTableOf(satpOf(8, ROOT39));
  agreeWithWalk(sv39Tree(), view); // (on another copy: the walk itself sets A bits)
  readTable(ramPeek64(bus), ROOT39, 2, 0n, 3, { includeInvalid: true });
  readTable(ramPeek64(bus), TA, 1, 0n, 3, { includeInvalid: true });
  mappingSummary(ramPeek64(bus), view);
  assert.ok(sameBytes(bus.ram, before));
  const peek = ramPeek64(bus);
  assert.equal(peek(0x10000000), undefined, 'MMIO is not read');
  assert.equal(peek(RAM + (8 << 20) - 4), undefined, 'straddling the end of RAM');
  assert.equal(peek(RAM - 8), undefined);
  put(bus, RAM, 0, 0x0123456789abcdefn);
  assert.equal(peek(RAM + 1), 0x0123456789abcdn, 'unaligned');
});

test('readTable rejects what is not a table: misaligned, outside RAM, bad level', () => {
  const peek = ramPeek64(sv39Tree());
  assert.throws(() => readTable(peek, ROOT39 + 8, 2, 0n, 3), /page table address 0x80001008 is not page-aligned/);
  assert.throws(() => readTable(peek, 0x10000000, 1, 0n, 3), /page table at 0x10000000 is not in RAM/);
  assert.throws(() => readTable(peek, ROOT39, 3, 0n, 3), /table level 3 is not in 0..2/);
  assert.throws(() => readTable(peek, ROOT39, 0, 0n, 6), /3, 4 or 5 levels/);
});

test('Sv48: four levels, a 512 GiB leaf, the upper half from 0xffff800000000000', () => {
  const bus = ramBus();
  const t = new Tables(bus, 4, RAM + 0x10000);
  t.set(0x3000n, 0, pte(RAM + 0x101000, V | R | A));
  t.set(0x40000000n, 2, pte(0x80000000, V | R | W | A | D));
  t.set(0x8000000000n, 3, pte(0, V | R | A)); // 512 GiB page at PA 0: aligned, not RAM
  t.set(0xffffffffc0000000n, 2, pte(0xc0000000, V | R | A));
  const peek = ramPeek64(bus);
  const view = pageTableOf(satpOf(9, t.root));
  const root = readTable(peek, t.root, 3, 0n, 4, { includeInvalid: true });
  assert.deepEqual(root[256].vaStart, 0xffff800000000000n);
  assert.deepEqual(root[1], {
    index: 1, pteAddress: t.root + 8, pte: pte(0, V | R | A), flags: 'VR----A-', kind: 'leaf', vaStart: 0x8000000000n, vaSize: 1n << 39n, target: 0, level: 3,
    problem: 'maps 0x0, which is not RAM (MMIO or nothing)',
  });
  assert.deepEqual(hexRuns(mappings(peek, view)), [
    '3000-4000 -> 80101000 VR----A- 1000',
    '40000000-80000000 -> 80000000 VRW---AD 40000000',
    '8000000000-10000000000 -> 0 VR----A- 8000000000',
    'ffffffffc0000000-10000000000000000 -> c0000000 VR----A- 40000000',
  ]);
  agreeWithWalk(bus, view, [0x800000000000n /* not canonical in Sv48 */, 0xffff800000000000n]);
});

test('Sv57: five levels, a 256 TiB leaf, the upper half from 0xff00000000000000', () => {
  const bus = ramBus();
  const t = new Tables(bus, 5, RAM + 0x20000);
  t.set(0x5000n, 0, pte(RAM + 0x105000, V | R | W | U | A | D));
  t.set(1n << 48n, 4, pte(0, V | X | A)); // execute-only 256 TiB page
  t.set(0xfffffffffffff000n, 0, pte(RAM + 0x106000, V | R | G | A));
  const peek = ramPeek64(bus);
  const view = pageTableOf(satpOf(10, t.root));
  assert.equal(readTable(peek, t.root, 4, 0n, 5, { includeInvalid: true })[256].vaStart, 0xff00000000000000n);
  assert.deepEqual(hexRuns(mappings(peek, view)), [
    '5000-6000 -> 80105000 VRW-U-AD 1000',
    '1000000000000-2000000000000 -> 0 V--X--A- 1000000000000',
    'fffffffffffff000-10000000000000000 -> 80106000 VR---GA- 1000',
  ]);
  agreeWithWalk(bus, view, [1n << 56n /* not canonical in Sv57 */]);
});

test('a table that points at itself: read level by level, and the summary ends', () => {
  const bus = ramBus();
  put(bus, ROOT39, 0, pte(ROOT39, V)); // root[0] → the root again
  put(bus, ROOT39, 2, pte(0x80000000, V | R | W | X | G | A | D));
  const peek = ramPeek64(bus);
  const view = pageTableOf(satpOf(8, ROOT39));
  // As a level-1 table (under root[0]) the root's entry 2 is a megapage at 4 MiB.
  assert.deepEqual(readTable(peek, ROOT39, 1, 0n, 3).map((e) => [e.kind, e.vaStart, e.vaSize]), [['table', 0n, MiB2], ['leaf', 0x400000n, MiB2]]);
  assert.deepEqual(hexRuns(mappings(peek, view)), [
    '2000-3000 -> 80000000 VRWX-GAD 1000',
    '400000-600000 -> 80000000 VRWX-GAD 200000',
    '80000000-c0000000 -> 80000000 VRWX-GAD 40000000',
  ]);
  agreeWithWalk(bus, view, [0x2000n, 0x2ff8n, 0x400010n]);
});

test('the summary bounds its work and its output on hostile trees', () => {
  const bus = ramBus();
  // Sv57, every root entry pointing at the root: 512^4 tables to visit without a bound.
  for (let i = 0; i < 512; i++) put(bus, ROOT39, i, pte(ROOT39, V));
  const peek = ramPeek64(bus);
  const t0 = performance.now();
  assert.deepEqual(mappingSummary(peek, pageTableOf(satpOf(10, ROOT39))), { runs: [], truncated: true });
  assert.ok(performance.now() - t0 < 5000, 'default bound reached quickly');
  assert.deepEqual(mappingSummary(peek, pageTableOf(satpOf(10, ROOT39)), { maxTables: 3 }), { runs: [], truncated: true });
  // 512 4 KiB leaves with alternating flags: 512 runs, cut at maxRuns.
  const leaves = TA;
  put(bus, TC, 0, pte(TB, V));
  put(bus, TB, 0, pte(leaves, V));
  for (let i = 0; i < 512; i++) put(bus, leaves, i, pte(RAM + 0x100000 + 4096 * i, V | R | A | (i % 2 ? X : 0n)));
  const s = mappingSummary(peek, pageTableOf(satpOf(8, TC)), { maxRuns: 10 });
  assert.equal(s.runs.length, 10);
  assert.equal(s.truncated, true);
  assert.equal(mappingSummary(peek, pageTableOf(satpOf(8, TC))).runs.length, 512);
  // The same flags throughout: one run.
  for (let i = 0; i < 512; i++) put(bus, leaves, i, pte(RAM + 0x100000 + 4096 * i, V | R | A));
  assert.deepEqual(hexRuns(mappings(peek, pageTableOf(satpOf(8, TC)))), ['0-200000 -> 80100000 VR----A- 1000']);
});

// ------------------------------------------------------------------------------------------------

test('the demo guest: identity-mapped kernel, the user image with U, each task its own stack', () => {
  const elf = parseElf(new Uint8Array(readFileSync(resolve(ROOT, 'guests/demo/demo.elf'))), 'demo.elf');
  const sym = (name: string): bigint => {
    const s = elf.symbols.find((x) => x.name === name);
    assert.ok(s, name);
    return BigInt(s.value);
  };
  const m = Machine.create({ kernel: resolve(ROOT, 'guests/demo/demo.elf'), rtcEpochNs: 0n, ramSize: 16 << 20 });
  const h = m.harts[0];
  // Paging goes on after ~130k steps; the three tasks have all run by ~450k. Every distinct satp is kept.
  const roots: bigint[] = [];
  for (let steps = 0; roots.length < 4 && steps < 3_000_000; steps += 1000) {
    m.run(1000);
    const satp = h.c64[C64.SATP];
    if (satp !== 0n && !roots.includes(satp)) roots.push(satp);
  }
  assert.equal(roots.length, 4, 'the kernel and three tasks');
  const peek = ramPeek64(h.bus);
  const ramEnd = BigInt(h.bus.ramBase + h.bus.ramSize);
  const alignUp = (v: bigint, a: bigint): bigint => (v + a - 1n) / a * a;

  // What vm.c maps for the kernel (vm_init), merged the way the summary merges.
  const kernelRuns: MappingRun[] = [];
  const add = (start: bigint, end: bigint, flags: string, pageSize: bigint): void => {
    if (end <= start) return;
    const last = kernelRuns.at(-1);
    if (last && last.vaEnd === start && last.flags === flags && last.pageSize === pageSize) last.vaEnd = end;
    else kernelRuns.push({ vaStart: start, vaEnd: end, paStart: Number(start), flags, pageSize });
  };
  const firstMegapage = alignUp(alignUp(sym('__kernel_end'), KiB4), MiB2);
  add(sym('__kernel_start'), sym('__text_end'), 'VR-X-GA-', KiB4);
  add(sym('__rodata_start'), sym('__rodata_end'), 'VR---GA-', KiB4);
  add(sym('__user_text_start'), sym('__user_text_end'), 'VR-XUGA-', KiB4);
  add(sym('__user_rodata_start'), sym('__user_end'), 'VR--UGA-', KiB4);
  add(sym('__data_start'), firstMegapage, 'VRW--GAD', KiB4);
  add(firstMegapage, ramEnd, 'VRW--GAD', MiB2);
  assert.equal(kernelRuns[0].vaStart, 0x80200000n);

  const [kernel, ...tasks] = roots.map((s) => pageTableOf(s));
  assert.equal(kernel.mode, 'sv39');
  assert.deepEqual(hexRuns(mappings(peek, kernel)), hexRuns(kernelRuns));
  const stackTop = 0x40000000n, stackBottom = 0x3fffc000n;
  const stackPages = new Set<number>();
  for (const t of tasks) {
    assert.notEqual(t.rootPa, kernel.rootPa);
    const runs = mappings(peek, t);
    const stack = runs.filter((r) => r.vaEnd <= stackTop);
    // The kernel's mappings are shared, after the stack (lower VAs).
    assert.deepEqual(hexRuns(runs.slice(stack.length)), hexRuns(kernelRuns));
    assert.ok(stack.length > 0);
    for (const r of stack) {
      assert.ok(r.vaStart >= stackBottom, `stack run from 0x${r.vaStart.toString(16)} inside the 16 KiB stack`);
      assert.equal(r.flags, 'VRW-U-AD');
      assert.equal(r.pageSize, KiB4);
      for (let va = r.vaStart; va < r.vaEnd; va += KiB4) {
        const pa = r.paStart + Number(va - r.vaStart);
        assert.ok(!stackPages.has(pa), 'each stack page is private');
        stackPages.add(pa);
      }
    }
    assert.equal(stack.at(-1)!.vaEnd, stackTop, 'the top page is mapped from the start');
    // The engine's walk agrees on the stack, the guard page below it, and the kernel.
    const vas = [stackTop - 8n, stackBottom - 8n, stackBottom, sym('__user_text_start'), sym('__kernel_start'), ramEnd - 8n, ramEnd, 0n];
    const expected = vas.map((va) => lookup(peek, t, va));
    const ram = h.bus.ram.slice();
    vas.forEach((va, i) => assert.deepEqual(engineTranslate(h.bus, t, va, expected[i].user), expected[i].want, `VA 0x${va.toString(16)}`));
    assert.ok(sameBytes(h.bus.ram, ram), 'A and D were set already: the walk changed nothing either');
    assert.deepEqual(expected[1].want, { fault: LOAD_PAGE_FAULT }, 'the guard page is not mapped');
    assert.deepEqual(expected[0].user, true);
  }
});

// Page-table walk tests (engine/mmu/walk.ts through the hart): Sv39/Sv48/Sv57 tables built in guest
// RAM, translations for every page size, A/D write-back, every fault kind with its cause and tval for
// fetch/load/store, MPRV, and TLB coherence across sfence.vma (privileged spec, supervisor.adoc 4.3-4.5).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, peek, poke, describe as hartState, RAM_BASE, type Guest } from '../../helpers/asm.ts';
import { Csr, PRV_M, PRV_S, PRV_U } from '../../../engine/cpu/csr.ts';

const V = 1n, R = 2n, W = 4n, X = 8n, U = 16n, A = 64n, D = 128n;
const MS_SUM = 1n << 18n, MS_MXR = 1n << 19n, MS_MPRV = 1n << 17n;
const MODES = { sv39: { mode: 8n, levels: 3 }, sv48: { mode: 9n, levels: 4 }, sv57: { mode: 10n, levels: 5 } } as const;
type Mode = keyof typeof MODES;

const POOL = RAM_BASE + 0x200000; // page tables
const DATA = RAM_BASE + 0x400000; // data pages (2 MiB aligned)
/** U-mode code runs through this alias of the code gigapage. */
const UCODE_VA = 0x40000000;

// The guest: snippets run in S or U (or M with MPRV) at the code's identity (S) or alias (U) address;
// traps go to mtrap (M-mode, physical).
const SRC = `
  do_ld: ld a0, 0(a1)
  done: j done
  do_sd: sd a2, 0(a1)
  j done
  do_lw: lw a0, 0(a1)
  j done
  do_fetch: jalr ra, 0(a1)
  j done
  .balign 4
  mtrap: j mtrap
  .balign 4096
  fn_a: li a0, 0xaa; jr ra
  .balign 4096
  fn_b: li a0, 0xbb; jr ra
  .balign 4096
  s_remap: ld a0, 0(a1); sd a3, 0(a2); sfence.vma; ld a4, 0(a1)
  j done
  s_remap_noflush: ld a0, 0(a1); sd a3, 0(a2); sfence.vma a1, zero; ld a4, 0(a1)
  j done
  s_fetch_remap: jalr ra, 0(a1); mv a5, a0; sd a3, 0(a2); sfence.vma; jalr ra, 0(a1)
  j done
  s_ro: sd a4, 0(a1); sd a3, 0(a2); sfence.vma; sd a4, 8(a1)
  j done
  ld_then_sd: ld a0, 0(a1); sd a2, 8(a1)
  j done
  m_ld: ld a0, 0(a1)
  j done
  .balign 4096
  cross_code: .space 4094
  addi a0, zero, 1; jr ra`;

class PageTables {
  private next: number;
  readonly root: number;
  constructor(readonly g: Guest, readonly mode: Mode, pool = POOL) {
    this.next = pool;
    this.root = this.alloc();
  }
  alloc(): number {
    const p = this.next;
    this.next += 4096;
    for (let i = 0; i < 4096; i += 8) poke(this.g, p + i, 8, 0n);
    return p;
  }
  get levels(): number { return MODES[this.mode].levels; }
  satp(): bigint { return (MODES[this.mode].mode << 60n) | BigInt(this.root / 4096); }
  /** Address of the PTE for `va` at `level`, creating the tables above it (pointers with V only). */
  pteAddr(va: bigint, level: number): number {
    let table = this.root;
    for (let i = this.levels - 1; i > level; i--) {
      const a = table + Number((va >> BigInt(12 + 9 * i)) & 0x1ffn) * 8;
      let pte = peek(this.g, a, 8);
      if ((pte & V) === 0n) {
        const t = this.alloc();
        pte = (BigInt(t / 4096) << 10n) | V;
        poke(this.g, a, 8, pte);
      }
      table = Number((pte >> 10n) & ((1n << 44n) - 1n)) * 4096;
    }
    return table + Number((va >> BigInt(12 + 9 * level)) & 0x1ffn) * 8;
  }
  /** Maps `va` to `pa` with a leaf at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, …). */
  map(va: bigint, pa: number | bigint, level: number, flags: bigint): number {
    const a = this.pteAddr(va, level);
    poke(this.g, a, 8, ((BigInt(pa) >> 12n) << 10n) | flags);
    return a;
  }
  /** Writes a raw PTE. */
  set(va: bigint, level: number, pte: bigint): number {
    const a = this.pteAddr(va, level);
    poke(this.g, a, 8, pte);
    return a;
  }
  pte(addr: number): bigint { return peek(this.g, addr, 8); }
}

interface Setup { g: Guest; pt: PageTables }

function setup(mode: Mode = 'sv39'): Setup {
  const g = guest(SRC, { ramSize: 16 * 1024 * 1024 });
  const pt = new PageTables(g, mode);
  // Code: identity gigapage for S (covers code, tables and data), alias gigapage with U for U-mode code.
  pt.map(BigInt(RAM_BASE), RAM_BASE, 2, V | R | W | X | A | D);
  pt.map(BigInt(UCODE_VA), RAM_BASE, 2, V | R | W | X | U | A | D);
  const h = g.h;
  h.setCsr(Csr.PMPADDR0, (1n << 54n) - 1n);
  h.setCsr(Csr.PMPCFG0, 0x1fn);
  h.setCsr(Csr.MTVEC, BigInt(g.prog.at('mtrap')));
  h.setCsr(Csr.SATP, pt.satp());
  return { g, pt };
}

type Result = { trap: false; a0: bigint } | { trap: true; cause: bigint; tval: bigint; epc: bigint };

/** Runs snippet `label` in `priv` with registers set; returns the loaded value or the trap. */
function run(s: Setup, label: string, priv: number, regs: Record<number, bigint>, mstatus = 0n): Result {
  const { g } = s;
  const h = g.h;
  h.setPriv(PRV_M);
  h.setCsr(Csr.MSTATUS, mstatus);
  h.setCsr(Csr.MCAUSE, 0n);
  h.setCsr(Csr.SATP, s.pt.satp()); // also flushes the TLBs
  for (const [r, v] of Object.entries(regs)) h.setX(Number(r), v);
  h.setPriv(priv);
  const codeVa = (l: string): number => g.prog.at(l) - (priv === PRV_U ? RAM_BASE - UCODE_VA : 0);
  h.pc = codeVa(label);
  const done = codeVa('done');
  const mtrap = g.prog.at('mtrap');
  for (let i = 0; i < 1000; i++) {
    const r = g.m.run(1);
    if (r.reason !== 'budget') throw new Error(`stopped: ${JSON.stringify(r)}`);
    if (h.pc === done) return { trap: false, a0: h.getX(10) };
    if (h.pc === mtrap) return { trap: true, cause: h.getCsr(Csr.MCAUSE)!, tval: h.getCsr(Csr.MTVAL)!, epc: h.getCsr(Csr.MEPC)! };
  }
  throw new Error(`snippet ${label} did not finish: ${hartState(h)}`);
}

const ld = (s: Setup, va: bigint, priv = PRV_S, ms = 0n): Result => run(s, 'do_ld', priv, { 11: va }, ms);
const sd = (s: Setup, va: bigint, v: bigint, priv = PRV_S, ms = 0n): Result => run(s, 'do_sd', priv, { 11: va, 12: v }, ms);
const fetch = (s: Setup, va: bigint, priv = PRV_S, ms = 0n): Result => run(s, 'do_fetch', priv, { 11: va }, ms);

function ok(r: Result, what: string): bigint {
  if (r.trap) assert.fail(`${what}: unexpected trap cause ${r.cause}, tval 0x${r.tval.toString(16)}`);
  return r.a0;
}
function fault(r: Result, cause: number, tval: bigint, what: string): void {
  if (!r.trap) assert.fail(`${what}: expected cause ${cause}, got no trap (a0 = 0x${r.a0.toString(16)})`);
  assert.equal(r.cause, BigInt(cause), `${what}: cause`);
  assert.equal('0x' + r.tval.toString(16), '0x' + BigInt.asUintN(64, tval).toString(16), `${what}: tval`);
}

const LOAD_PF = 13, STORE_PF = 15, FETCH_PF = 12, LOAD_AF = 5, STORE_AF = 7, FETCH_AF = 1;
const GiB = 1n << 30n;

describe('translation: every page size in every mode', () => {
  for (const mode of ['sv39', 'sv48', 'sv57'] as Mode[]) {
    test(`${mode}: 4 KiB, 2 MiB and 1 GiB pages${mode !== 'sv39' ? ', 512 GiB' : ''}${mode === 'sv57' ? ', 256 TiB' : ''}; loads and stores reach the right bytes`, () => {
      const s = setup(mode);
      const { g, pt } = s;
      for (let i = 0; i < 64; i++) poke(g, DATA + 8 * i, 8, 0x1000n + BigInt(i));
      poke(g, DATA + 0x1ff000, 8, 0x2ffn);
      const cases: Array<[bigint, number, number]> = [
        // [va of the page, leaf level, pa mapped]
        [8n * GiB + 0x5000n, 0, DATA],
        [9n * GiB + 0x200000n, 1, DATA],
        [12n * GiB, 2, RAM_BASE],
      ];
      if (mode !== 'sv39') cases.push([512n * GiB * 3n, 3, 0]);
      if (mode === 'sv57') cases.push([(1n << 48n) * 5n, 4, 0]);
      for (const [va, level, pa] of cases) {
        pt.map(va, pa, level, V | R | W | A | D);
        const base = va + BigInt(DATA - pa); // the VA of DATA through this mapping
        assert.equal(ok(ld(s, base + 16n), `${mode} level ${level}`), 0x1002n);
        ok(sd(s, base + 24n, 0xabcdn), `${mode} level ${level} store`);
        assert.equal(peek(g, DATA + 24, 8), 0xabcdn);
        poke(g, DATA + 24, 8, 0x1003n);
        if (level > 0) assert.equal(ok(ld(s, base + 0x1ff000n), `${mode} level ${level}, far offset`), 0x2ffn);
      }
      // Negative (upper-half) canonical addresses.
      const top = -(1n << BigInt(12 + 9 * MODES[mode].levels - 1)); // lowest upper-half address
      pt.map(BigInt.asUintN(64, top), DATA, 0, V | R | A);
      assert.equal(ok(ld(s, BigInt.asUintN(64, top + 8n)), `${mode} upper half`), 0x1001n);
    });
  }

  test('fetch through a 4 KiB mapping runs the code of the mapped page', () => {
    const s = setup();
    s.pt.map(20n * GiB, s.g.prog.at('fn_a'), 0, V | R | X | A);
    assert.equal(ok(fetch(s, 20n * GiB), 'fetch'), 0xaan);
  });

  test('U-mode code and data through U pages', () => {
    const s = setup();
    poke(s.g, DATA, 8, 0x55n);
    s.pt.map(21n * GiB, DATA, 0, V | R | W | U | A | D);
    assert.equal(ok(ld(s, 21n * GiB, PRV_U), 'U load'), 0x55n);
    ok(sd(s, 21n * GiB, 0x66n, PRV_U), 'U store');
    assert.equal(peek(s.g, DATA, 8), 0x66n);
  });
});

describe('A and D bits', () => {
  test('a load sets A only; a store sets A and D; non-leaf PTEs are left alone', () => {
    const s = setup();
    const va = 30n * GiB;
    const leaf = s.pt.map(va, DATA, 0, V | R | W);
    const mid = s.pt.pteAddr(va, 1);
    const midBefore = s.pt.pte(mid);
    ok(ld(s, va), 'load');
    assert.equal(s.pt.pte(leaf) & (A | D), A);
    ok(sd(s, va, 1n), 'store');
    assert.equal(s.pt.pte(leaf) & (A | D), A | D);
    assert.equal(s.pt.pte(mid), midBefore);
    const leaf2 = s.pt.map(va + 0x1000n, DATA, 0, V | R | W);
    ok(sd(s, va + 0x1000n, 2n), 'store first');
    assert.equal(s.pt.pte(leaf2) & (A | D), A | D);
    const leaf3 = s.pt.map(va + 0x2000n, s.g.prog.at('fn_a'), 0, V | X);
    ok(fetch(s, va + 0x2000n), 'fetch');
    assert.equal(s.pt.pte(leaf3) & (A | D), A);
  });

  test('a store to a page first cached for reads (A set, D clear) still sets D', () => {
    const s = setup();
    const va = 31n * GiB;
    const leaf = s.pt.map(va, DATA, 0, V | R | W | A);
    ok(run(s, 'ld_then_sd', PRV_S, { 11: va, 12: 5n }), 'load, then store to the same page');
    assert.equal(s.pt.pte(leaf) & (A | D), A | D);
    assert.equal(peek(s.g, DATA + 8, 8), 5n);
  });
});

describe('page faults: cause and tval for fetch, load and store', () => {
  const cases: Array<[string, (s: Setup, va: bigint) => void, boolean, boolean, boolean]> = [
    // [what, set-up, load ok, store ok, fetch ok] (S-mode, SUM = MXR = 0)
    ['invalid leaf (V = 0)', (s, va) => s.pt.map(va, DATA, 0, R | W | X | A | D), false, false, false],
    ['invalid root entry', (s, va) => s.pt.set(va, 2, 0n), false, false, false],
    ['W without R (reserved)', (s, va) => s.pt.map(va, DATA, 0, V | W | A | D), false, false, false],
    ['W|X without R (reserved)', (s, va) => s.pt.map(va, DATA, 0, V | W | X | A | D), false, false, false],
    ['read-only page', (s, va) => s.pt.map(va, DATA, 0, V | R | A | D), true, false, false],
    ['execute-only page (MXR = 0)', (s, va) => s.pt.map(va, DATA, 0, V | X | A | D), false, false, true],
    ['read-write page without X', (s, va) => s.pt.map(va, DATA, 0, V | R | W | A | D), true, true, false],
    ['U page from S (SUM = 0)', (s, va) => s.pt.map(va, DATA, 0, V | R | W | X | U | A | D), false, false, false],
    ['misaligned 2 MiB superpage', (s, va) => s.pt.map(va, DATA + 0x1000, 1, V | R | W | X | A | D), false, false, false],
    ['misaligned 1 GiB superpage', (s, va) => s.pt.map(va, RAM_BASE + 0x200000, 2, V | R | W | X | A | D), false, false, false],
    ['leaf with reserved bit 54', (s, va) => s.pt.set(va, 0, (BigInt(DATA >> 12) << 10n) | V | R | W | X | A | D | (1n << 54n)), false, false, false],
    ['leaf with bit 60 (reserved)', (s, va) => s.pt.set(va, 0, (BigInt(DATA >> 12) << 10n) | V | R | W | X | A | D | (1n << 60n)), false, false, false],
    ['leaf with PBMT (bits 62:61) without Svpbmt', (s, va) => s.pt.set(va, 0, (BigInt(DATA >> 12) << 10n) | V | R | W | X | A | D | (1n << 61n)), false, false, false],
    ['leaf with N (bit 63) without Svnapot', (s, va) => s.pt.set(va, 0, (BigInt(DATA >> 12) << 10n) | V | R | W | X | A | D | (1n << 63n)), false, false, false],
    ['non-leaf with reserved bit 63', (s, va) => { s.pt.map(va, DATA, 0, V | R | W | X | A | D); const a = s.pt.pteAddr(va, 1); poke(s.g, a, 8, s.pt.pte(a) | (1n << 63n)); }, false, false, false],
    ['pointer PTE at the last level', (s, va) => s.pt.set(va, 0, (BigInt(DATA >> 12) << 10n) | V), false, false, false],
  ];
  for (const [what, mk, loadOk, storeOk, fetchOk] of cases) {
    test(what, () => {
      const s = setup();
      const va = 40n * GiB + 0x3000n;
      mk(s, va);
      // The data page holds code (fn_a's bytes) so a permitted fetch completes.
      const code = s.g.m.board.bus.ram.slice(s.g.prog.at('fn_a') - RAM_BASE, s.g.prog.at('fn_a') - RAM_BASE + 16);
      s.g.m.board.bus.writeRam(DATA, code);
      const lr = ld(s, va + 8n);
      if (loadOk) ok(lr, 'load'); else fault(lr, LOAD_PF, va + 8n, 'load');
      const sr = sd(s, va + 16n, 1n);
      if (storeOk) ok(sr, 'store'); else fault(sr, STORE_PF, va + 16n, 'store');
      const fr = fetch(s, va);
      if (fetchOk) assert.equal(ok(fr, 'fetch'), 0xaan); else {
        fault(fr, FETCH_PF, va, 'fetch');
        assert.equal(fr.trap && fr.epc, va, 'mepc = the faulting fetch address');
      }
    });
  }

  test('SUM lets S load and store U pages but never execute them', () => {
    const s = setup();
    const va = 41n * GiB;
    s.pt.map(va, s.g.prog.at('fn_a'), 0, V | R | W | X | U | A | D);
    ok(ld(s, va, PRV_S, MS_SUM), 'load');
    ok(sd(s, va + 0x800n, 0n, PRV_S, MS_SUM), 'store');
    fault(fetch(s, va, PRV_S, MS_SUM), FETCH_PF, va, 'fetch');
  });

  test('MXR makes execute-only pages readable (loads only)', () => {
    const s = setup();
    const va = 42n * GiB;
    s.pt.map(va, DATA, 0, V | X | A | D);
    poke(s.g, DATA, 8, 0x77n);
    assert.equal(ok(ld(s, va, PRV_S, MS_MXR), 'load'), 0x77n);
    fault(sd(s, va, 0n, PRV_S, MS_MXR), STORE_PF, va, 'store');
  });

  test('U mode: S pages fault for every access; U pages work', () => {
    const s = setup();
    const va = 43n * GiB;
    s.pt.map(va, DATA, 0, V | R | W | X | A | D);
    fault(ld(s, va, PRV_U), LOAD_PF, va, 'load');
    fault(sd(s, va, 0n, PRV_U), STORE_PF, va, 'store');
    fault(fetch(s, va, PRV_U), FETCH_PF, va, 'fetch');
  });

  for (const mode of ['sv39', 'sv48', 'sv57'] as Mode[]) {
    test(`${mode}: non-canonical addresses fault (load 13, store 15, fetch 12) with tval = the address`, () => {
      const s = setup(mode);
      const bits = 12 + 9 * MODES[mode].levels; // 39, 48, 57
      for (const va of [1n << BigInt(bits - 1), (1n << 63n) | 0x1000n, BigInt.asUintN(64, -(1n << BigInt(bits - 1))) ^ (1n << 62n)]) {
        fault(ld(s, va), LOAD_PF, va, `load 0x${va.toString(16)}`);
        fault(sd(s, va, 0n), STORE_PF, va, `store 0x${va.toString(16)}`);
        fault(fetch(s, va & ~1n), FETCH_PF, va & ~1n, `fetch 0x${va.toString(16)}`);
      }
    });
  }

  test('a page-table entry outside RAM gives an access fault (load 5, store 7, fetch 1), tval = the VA', () => {
    const s = setup();
    const va = 44n * GiB;
    // Root entry points to a "table" at 0x30000000, where nothing is mapped.
    s.pt.set(va, 2, ((0x30000000n >> 12n) << 10n) | V);
    fault(ld(s, va), LOAD_AF, va, 'load');
    fault(sd(s, va, 0n), STORE_AF, va, 'store');
    fault(fetch(s, va), FETCH_AF, va, 'fetch');
  });

  test('a misaligned load or store crossing into an unmapped page: tval = the address of the faulting portion', () => {
    // supervisor.adoc: "If stval is written with a nonzero value when a misaligned load or store causes an
    // access-fault or page-fault exception, then stval will contain the virtual address of the portion of the
    // access that caused the fault." The first page is mapped, the second is not.
    const s = setup();
    const va = 45n * GiB;
    s.pt.map(va, DATA, 0, V | R | W | A | D);
    const r1 = ld(s, va + 0xffcn);
    fault(r1, LOAD_PF, va + 0x1000n, 'load');
    const r2 = sd(s, va + 0xffan, 0x1122334455667788n);
    fault(r2, STORE_PF, va + 0x1000n, 'store');
    assert.equal(peek(s.g, DATA + 0xff8, 8), 0n, 'a faulting store writes nothing');
  });
});

describe('fetch of an instruction that straddles two pages', () => {
  test('second page unmapped: fetch page fault with mepc = the instruction, mtval = the second page', () => {
    const s = setup();
    const va = 46n * GiB;
    s.pt.map(va, s.g.prog.at('cross_code'), 0, V | R | X | A);
    const r = fetch(s, va + 0xffen);
    fault(r, FETCH_PF, va + 0x1000n, 'fetch');
    assert.equal(r.trap && r.epc, va + 0xffen);
    // Mapped: the instruction runs.
    s.pt.map(va + 0x1000n, s.g.prog.at('cross_code') + 0x1000, 0, V | R | X | A);
    assert.equal(ok(fetch(s, va + 0xffen), 'both pages mapped'), 1n);
  });
});

describe('MPRV', () => {
  test('M-mode loads translate with MPP when MPRV = 1; fetches do not', () => {
    const s = setup();
    const va = 50n * GiB;
    s.pt.map(va, DATA, 0, V | R | W | A | D);
    poke(s.g, DATA, 8, 0x99n);
    const mpp = (p: number): bigint => BigInt(p) << 11n;
    assert.equal(ok(run(s, 'm_ld', PRV_M, { 11: va }, MS_MPRV | mpp(PRV_S)), 'MPRV, MPP = S'), 0x99n);
    fault(run(s, 'm_ld', PRV_M, { 11: va + 0x1000n }, MS_MPRV | mpp(PRV_S)), LOAD_PF, va + 0x1000n, 'unmapped with MPRV');
    fault(run(s, 'm_ld', PRV_M, { 11: va }, MS_MPRV | mpp(PRV_U)), LOAD_PF, va, 'MPP = U on an S page');
    assert.equal(ok(run(s, 'm_ld', PRV_M, { 11: BigInt(DATA) }, MS_MPRV | mpp(PRV_M)), 'MPP = M: physical'), 0x99n);
    assert.equal(ok(run(s, 'm_ld', PRV_M, { 11: BigInt(DATA) }, mpp(PRV_S)), 'MPRV = 0: physical'), 0x99n);
    s.pt.map(va + 0x2000n, DATA, 0, V | R | W | U | A | D);
    fault(run(s, 'm_ld', PRV_M, { 11: va + 0x2000n }, MS_MPRV | mpp(PRV_S)), LOAD_PF, va + 0x2000n, 'U page, SUM = 0');
    assert.equal(ok(run(s, 'm_ld', PRV_M, { 11: va + 0x2000n }, MS_MPRV | MS_SUM | mpp(PRV_S)), 'U page, SUM = 1'), 0x99n);
    assert.equal(ok(run(s, 'm_ld', PRV_M, { 11: va + 0x2000n }, MS_MPRV | mpp(PRV_U)), 'U page, MPP = U'), 0x99n);
  });
});

describe('TLB coherence', () => {
  test('a changed PTE takes effect after sfence.vma (load)', () => {
    const s = setup();
    const va = 60n * GiB;
    poke(s.g, DATA, 8, 111n);
    poke(s.g, DATA + 0x1000, 8, 222n);
    const leaf = s.pt.map(va, DATA, 0, V | R | W | A | D);
    const newPte = ((BigInt(DATA + 0x1000) >> 12n) << 10n) | V | R | W | A | D;
    const r = run(s, 's_remap', PRV_S, { 11: va, 12: BigInt(leaf), 13: newPte });
    assert.equal(ok(r, 'remap'), 111n);
    assert.equal(s.g.h.getX(14), 222n, 'the load after sfence.vma sees the new mapping');
  });

  test('an address-specific sfence.vma also drops the stale translation', () => {
    const s = setup();
    const va = 61n * GiB;
    poke(s.g, DATA, 8, 111n);
    poke(s.g, DATA + 0x1000, 8, 222n);
    const leaf = s.pt.map(va, DATA, 0, V | R | W | A | D);
    const newPte = ((BigInt(DATA + 0x1000) >> 12n) << 10n) | V | R | W | A | D;
    ok(run(s, 's_remap_noflush', PRV_S, { 11: va, 12: BigInt(leaf), 13: newPte }), 'remap');
    assert.equal(s.g.h.getX(14), 222n);
  });

  test('an invalidated PTE faults after sfence.vma', () => {
    const s = setup();
    const va = 62n * GiB;
    const leaf = s.pt.map(va, DATA, 0, V | R | W | A | D);
    const r = run(s, 's_remap', PRV_S, { 11: va, 12: BigInt(leaf), 13: 0n });
    fault(r, LOAD_PF, va, 'second load');
    assert.equal(r.trap && r.epc, BigInt(s.g.prog.at('s_remap') + 12), 'the second load faulted');
  });

  test('a store-permission change (read-only) takes effect after sfence.vma', () => {
    const s = setup();
    const va = 63n * GiB;
    const leaf = s.pt.map(va, DATA, 0, V | R | W | A | D);
    const roPte = ((BigInt(DATA) >> 12n) << 10n) | V | R | A | D;
    const r = run(s, 's_ro', PRV_S, { 11: va, 12: BigInt(leaf), 13: roPte, 14: 7n });
    fault(r, STORE_PF, va + 8n, 'store after the page became read-only');
    assert.equal(r.trap && r.epc, BigInt(s.g.prog.at('s_ro') + 12));
    assert.equal(peek(s.g, DATA, 8), 7n);
    assert.equal(peek(s.g, DATA + 8, 8), 0n);
  });

  test('fetch: code remapped to another page runs the new code after sfence.vma', () => {
    const s = setup();
    const va = 64n * GiB;
    const leaf = s.pt.map(va, s.g.prog.at('fn_a'), 0, V | R | X | A);
    const newPte = ((BigInt(s.g.prog.at('fn_b')) >> 12n) << 10n) | V | R | X | A;
    const r = run(s, 's_fetch_remap', PRV_S, { 11: va, 12: BigInt(leaf), 13: newPte });
    assert.equal(s.g.h.getX(15), 0xaan, 'first call');
    assert.equal(ok(r, 'second call'), 0xbbn);
  });

  test('writing satp switches address spaces (and flushes what the old one cached)', () => {
    const s = setup();
    const va = 65n * GiB;
    poke(s.g, DATA, 8, 1n);
    poke(s.g, DATA + 0x1000, 8, 2n);
    s.pt.map(va, DATA, 0, V | R | A);
    assert.equal(ok(ld(s, va), 'first space'), 1n);
    const other = new PageTables(s.g, 'sv39', POOL + 0x100000);
    other.map(BigInt(RAM_BASE), RAM_BASE, 2, V | R | W | X | A | D);
    other.map(va, DATA + 0x1000, 0, V | R | A);
    const saved = s.pt;
    s.pt = other;
    assert.equal(ok(ld(s, va), 'second space'), 2n);
    s.pt = saved;
    assert.equal(ok(ld(s, va), 'first space again'), 1n);
  });
});

describe('satp', () => {
  test('unsupported modes leave satp unchanged; Sv39/48/57 and bare are accepted', () => {
    const g = guest('end: j end');
    const h = g.h;
    h.setCsr(Csr.SATP, (8n << 60n) | 0x1234n);
    for (const mode of [1n, 2n, 7n, 11n, 12n, 15n]) {
      h.setCsr(Csr.SATP, (mode << 60n) | 0x5678n);
      assert.equal(h.getCsr(Csr.SATP), (8n << 60n) | 0x1234n, `mode ${mode}`);
    }
    for (const mode of [0n, 9n, 10n, 8n]) {
      h.setCsr(Csr.SATP, (mode << 60n) | (0xffffn << 44n) | 0xfffffffffffn);
      assert.equal(h.getCsr(Csr.SATP), (mode << 60n) | (0xffffn << 44n) | 0xfffffffffffn, `mode ${mode}`);
    }
  });
});

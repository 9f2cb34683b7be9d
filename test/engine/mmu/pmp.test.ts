// PMP tests (engine/mmu/pmp.ts, and its use by the hart): address matching (OFF/TOR/NA4/NAPOT), priority,
// partial matches, the lock bit and M-mode, the default for S/U, WARL fields (privileged spec 3.7).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Pmp, ACCESS_READ as RD, ACCESS_WRITE as WR, ACCESS_EXEC as EX } from '../../../engine/mmu/pmp.ts';
import { guest, peek, poke, describe as hartState, RAM_BASE, type Guest } from '../../helpers/asm.ts';
import { Csr, PRV_M, PRV_S, PRV_U } from '../../../engine/cpu/csr.ts';

const R = 1, W = 2, X = 4, L = 0x80;
const OFF = 0, TOR = 1 << 3, NA4 = 2 << 3, NAPOT = 3 << 3;

/** Sets entry i (pmpaddr first, then its cfg byte, keeping the other bytes of the pmpcfg register). */
function setEntry(p: Pmp, i: number, cfg: number, addr: bigint): void {
  p.writeAddr(i, addr);
  const reg = i < 8 ? 0 : 2;
  const sh = BigInt(8 * (i % 8));
  p.writeCfg(reg, (p.readCfg(reg) & ~(0xffn << sh)) | (BigInt(cfg) << sh));
}
/** pmpaddr for a NAPOT region of `size` bytes (a power of two ≥ 8) at `base`. */
const napot = (base: number, size: number): bigint => (BigInt(base) >> 2n) | (BigInt(size / 8) - 1n);
const can = (p: Pmp, pa: number, size: number, access: number, priv: number): boolean => p.check(pa, size, access, priv);

describe('Pmp: matching', () => {
  test('no entry programmed: M may do anything, S and U nothing', () => {
    const p = new Pmp();
    for (const a of [RD, WR, EX]) {
      assert.equal(can(p, 0x80000000, 4, a, PRV_M), true);
      assert.equal(can(p, 0x80000000, 4, a, PRV_S), false);
      assert.equal(can(p, 0x80000000, 4, a, PRV_U), false);
    }
  });

  test('OFF entries match nothing (an address in them is still "no match" for S)', () => {
    const p = new Pmp();
    setEntry(p, 0, OFF | R | W | X, (1n << 54n) - 1n);
    setEntry(p, 1, NA4 | R, 0x1000n >> 2n); // something active elsewhere
    assert.equal(can(p, 0x80000000, 4, RD, PRV_S), false);
    assert.equal(can(p, 0x80000000, 4, RD, PRV_M), true);
  });

  test('TOR: entry 0 from address 0, entry i from pmpaddr[i-1]; bounds are [lo, hi)', () => {
    const p = new Pmp();
    setEntry(p, 0, TOR | R, 0x80001000n >> 2n);
    setEntry(p, 1, TOR | R | W, 0x80003000n >> 2n);
    assert.equal(can(p, 0, 8, RD, PRV_S), true);
    assert.equal(can(p, 0x80000ff8, 8, RD, PRV_S), true);
    assert.equal(can(p, 0x80000ff8, 8, WR, PRV_S), false);
    assert.equal(can(p, 0x80001000, 8, WR, PRV_S), true);
    assert.equal(can(p, 0x80002ff8, 8, WR, PRV_S), true);
    assert.equal(can(p, 0x80003000, 1, RD, PRV_S), false, 'above the top: no match');
    assert.equal(can(p, 0x80000ffc, 8, RD, PRV_S), false, 'straddles entries 0 and 1: partial match of entry 0');
    // pmpaddr[i-1] >= pmpaddr[i]: entry i matches nothing.
    setEntry(p, 2, TOR | R | W | X, 0x80002000n >> 2n);
    assert.equal(can(p, 0x80003000, 4, RD, PRV_S), false);
  });

  test('NA4: exactly four bytes', () => {
    const p = new Pmp();
    setEntry(p, 0, NA4 | R, 0x80000100n >> 2n);
    assert.equal(can(p, 0x80000100, 4, RD, PRV_S), true);
    assert.equal(can(p, 0x80000103, 1, RD, PRV_S), true);
    assert.equal(can(p, 0x80000104, 1, RD, PRV_S), false);
    assert.equal(can(p, 0x800000ff, 1, RD, PRV_S), false);
    assert.equal(can(p, 0x80000100, 8, RD, PRV_S), false, 'an 8-byte access covers more than the entry');
  });

  for (const size of [8, 16, 4096, 1 << 20, 1 << 30]) {
    test(`NAPOT of ${size} bytes`, () => {
      const p = new Pmp();
      const base = 0x80000000;
      setEntry(p, 0, NAPOT | R | X, napot(base, size));
      assert.equal(can(p, base, 8, RD, PRV_U), true);
      assert.equal(can(p, base + size - 8, 8, EX, PRV_U), true);
      assert.equal(can(p, base + size - 8, 8, WR, PRV_U), false);
      assert.equal(can(p, base + size, 1, RD, PRV_U), false);
      assert.equal(can(p, base - 1, 1, RD, PRV_U), false);
      assert.equal(can(p, base + size - 4, 8, RD, PRV_U), false, 'partial at the top');
    });
  }

  test('NAPOT with every pmpaddr bit set covers the whole physical address space', () => {
    const p = new Pmp();
    setEntry(p, 0, NAPOT | R | W | X, (1n << 54n) - 1n);
    for (const pa of [0, 0x1000, 0x80000000, 2 ** 40, 2 ** 52]) assert.equal(can(p, pa, 8, WR, PRV_U), true, `0x${pa.toString(16)}`);
  });

  test('the lowest-numbered matching entry decides, even when a later one would allow', () => {
    const p = new Pmp();
    setEntry(p, 0, NA4, 0x80000010n >> 2n); // no permissions
    setEntry(p, 1, NAPOT | R | W | X, napot(0x80000000, 4096));
    assert.equal(can(p, 0x80000010, 4, RD, PRV_S), false);
    assert.equal(can(p, 0x80000014, 4, RD, PRV_S), true);
    assert.equal(can(p, 0x8000000c, 4, RD, PRV_S), true);
    assert.equal(can(p, 0x80000010, 4, RD, PRV_M), true, 'M ignores an unlocked entry');
    // And the other way round: a permissive low entry wins over a restrictive high one.
    const q = new Pmp();
    setEntry(q, 0, NA4 | R, 0x80000010n >> 2n);
    setEntry(q, 1, NAPOT, napot(0x80000000, 4096));
    assert.equal(can(q, 0x80000010, 4, RD, PRV_S), true);
    assert.equal(can(q, 0x80000014, 4, RD, PRV_S), false);
  });

  test('a partial match fails, whatever the permissions and privilege (M included)', () => {
    const p = new Pmp();
    setEntry(p, 0, NA4 | R | W | X, 0x80000010n >> 2n);
    setEntry(p, 1, NAPOT | R | W | X, napot(0x80000000, 4096));
    for (const priv of [PRV_M, PRV_S, PRV_U]) {
      assert.equal(can(p, 0x8000000c, 8, RD, priv), false, `priv ${priv}: 8 bytes over entry 0's start`);
      assert.equal(can(p, 0x80000012, 4, RD, priv), false, `priv ${priv}: 4 bytes over entry 0's end`);
    }
  });
});

describe('Pmp: lock bit and WARL fields', () => {
  test('L applies the permissions to M-mode too', () => {
    const p = new Pmp();
    setEntry(p, 0, NAPOT | R | L, napot(0x80000000, 4096));
    assert.equal(can(p, 0x80000000, 8, RD, PRV_M), true);
    assert.equal(can(p, 0x80000000, 8, WR, PRV_M), false);
    assert.equal(can(p, 0x80000000, 8, EX, PRV_M), false);
    assert.equal(can(p, 0x80001000, 8, WR, PRV_M), true, 'no match: M allowed');
  });

  test('a locked entry ignores writes to its cfg and pmpaddr; a locked TOR entry also locks pmpaddr[i-1]', () => {
    const p = new Pmp();
    setEntry(p, 0, OFF, 0x80000000n >> 2n);
    setEntry(p, 1, TOR | R | L, 0x80001000n >> 2n);
    setEntry(p, 1, NAPOT | R | W | X, 0n);
    assert.equal(p.readCfg(0) >> 8n & 0xffn, BigInt(TOR | R | L));
    assert.equal(p.addr[1], 0x80001000n >> 2n);
    p.writeAddr(0, 0n);
    assert.equal(p.addr[0], 0x80000000n >> 2n, 'pmpaddr0 is locked by the locked TOR entry 1');
    assert.equal(can(p, 0x80000800, 8, WR, PRV_M), false);
    // An unlocked entry next to it is still writable.
    setEntry(p, 2, NA4 | R, 0x90000000n >> 2n);
    assert.equal(p.addr[2], 0x90000000n >> 2n);
  });

  test('cfg bits 6:5 read as zero; R = 0, W = 1 is not kept; pmpaddr holds 54 bits', () => {
    const p = new Pmp();
    p.writeCfg(0, 0x60n | BigInt(NA4 | R));
    assert.equal(p.readCfg(0) & 0xffn, BigInt(NA4 | R));
    p.writeCfg(0, BigInt(NA4 | W));
    assert.notEqual(Number(p.readCfg(0) & 3n), W, 'the reserved R=0 W=1 combination is not stored');
    p.writeAddr(3, (1n << 64n) - 1n);
    assert.equal(p.addr[3], (1n << 54n) - 1n);
  });

  test('pmpcfg0 holds entries 0-7 and pmpcfg2 entries 8-15 (RV64)', () => {
    const p = new Pmp();
    p.writeCfg(2, 0x1800000000000000n | BigInt(NA4 | R)); // entry 8 NA4 R, entry 15 NAPOT none
    p.writeAddr(8, 0x80000040n >> 2n);
    assert.equal(p.readCfg(0), 0n);
    assert.equal(p.readCfg(2), 0x1800000000000000n | BigInt(NA4 | R));
    assert.equal(can(p, 0x80000040, 4, RD, PRV_S), true);
  });

  test('pagePermissions: uniform pages give their permissions, pages cut by an entry give -1', () => {
    const p = new Pmp();
    setEntry(p, 0, NA4, 0x80000010n >> 2n);
    setEntry(p, 1, NAPOT | R | X, napot(0x80000000, 1 << 20));
    assert.equal(p.pagePermissions(0x80000000, PRV_S), -1);
    assert.equal(p.pagePermissions(0x80001000, PRV_S), R | X);
    assert.equal(p.pagePermissions(0x80100000, PRV_S), 0);
    assert.equal(p.pagePermissions(0x80100000, PRV_M), R | W | X);
  });
});

// ---- through the hart ----

const DATA = RAM_BASE + 0x100000;
const SRC = `
  do_ld: ld a0, 0(a1)
  done: j done
  do_sd: sd a2, 0(a1)
  j done
  do_fetch: jalr ra, 0(a1)
  j done
  ld_ecall_ld: ld a0, 0(a1); ecall; ld a0, 0(a1)
  j done
  do_lw: lw a0, 0(a1)
  j done
  .balign 4
  mtrap: csrr t0, mcause; li t1, 9; bne t0, t1, stop
  csrw pmpcfg0, a3; csrr t0, mepc; addi t0, t0, 4; csrw mepc, t0; mret
  stop: j stop
  .balign 4096
  fn: li a0, 0x42; jr ra`;

type Result = { trap: false; a0: bigint } | { trap: true; cause: bigint; tval: bigint; epc: bigint };

/** Entry 0 = the region under test (cfg0, addr0); entry 1 = everything RWX, so code runs in S/U. */
function pmpGuest(cfg0: number, addr0: bigint): Guest {
  const g = guest(SRC);
  g.h.setCsr(Csr.PMPADDR0, addr0);
  g.h.setCsr(Csr.PMPADDR0 + 1, (1n << 54n) - 1n);
  g.h.setCsr(Csr.PMPCFG0, BigInt(cfg0) | (BigInt(NAPOT | R | W | X) << 8n));
  g.h.setCsr(Csr.MTVEC, BigInt(g.prog.at('mtrap')));
  return g;
}

function run(g: Guest, label: string, priv: number, regs: Record<number, bigint>): Result {
  const h = g.h;
  for (const [r, v] of Object.entries(regs)) h.setX(Number(r), v);
  h.setPriv(priv);
  h.pc = g.prog.at(label);
  for (let i = 0; i < 1000; i++) {
    const r = g.m.run(1);
    if (r.reason !== 'budget') throw new Error(`stopped: ${JSON.stringify(r)}`);
    if (h.pc === g.prog.at('done')) return { trap: false, a0: h.getX(10) };
    if (h.pc === g.prog.at('stop')) return { trap: true, cause: h.getCsr(Csr.MCAUSE)!, tval: h.getCsr(Csr.MTVAL)!, epc: h.getCsr(Csr.MEPC)! };
  }
  throw new Error(`did not finish: ${hartState(h)}`);
}

function expectFault(r: Result, cause: number, tval: number): void {
  if (!r.trap) assert.fail(`expected access fault ${cause}, got none (a0 = 0x${r.a0.toString(16)}, tval 0x${tval.toString(16)})`);
  assert.equal(r.cause, BigInt(cause));
  assert.equal(r.tval, BigInt(tval));
}

describe('PMP through the hart', () => {
  test('S/U: load without R → 5, store without W → 7, fetch without X → 1; mtval = the address', () => {
    for (const priv of [PRV_S, PRV_U]) {
      const g = pmpGuest(NAPOT | X, napot(DATA, 4096));
      expectFault(run(g, 'do_ld', priv, { 11: BigInt(DATA + 8) }), 5, DATA + 8);
      expectFault(run(g, 'do_sd', priv, { 11: BigInt(DATA + 16), 12: 1n }), 7, DATA + 16);
      assert.equal(peek(g, DATA + 16, 8), 0n);
      const g2 = pmpGuest(NAPOT | R | W, napot(g.prog.at('fn'), 4096));
      const r = run(g2, 'do_fetch', priv, { 11: BigInt(g2.prog.at('fn')) });
      expectFault(r, 1, g2.prog.at('fn'));
      assert.equal(r.trap && r.epc, BigInt(g2.prog.at('fn')));
      const g3 = pmpGuest(NAPOT | R | X, napot(g.prog.at('fn'), 4096));
      const ok = run(g3, 'do_fetch', priv, { 11: BigInt(g3.prog.at('fn')) });
      assert.equal(ok.trap, false);
      assert.equal(!ok.trap && ok.a0, 0x42n);
    }
  });

  test('M-mode: an unlocked entry does not restrict, a locked one does', () => {
    const g = pmpGuest(NAPOT | R, napot(DATA, 4096));
    assert.equal(run(g, 'do_sd', PRV_M, { 11: BigInt(DATA), 12: 5n }).trap, false);
    assert.equal(peek(g, DATA, 8), 5n);
    const gl = pmpGuest(NAPOT | R | L, napot(DATA, 4096));
    expectFault(run(gl, 'do_sd', PRV_M, { 11: BigInt(DATA), 12: 5n }), 7, DATA);
    const r = run(gl, 'do_ld', PRV_M, { 11: BigInt(DATA) });
    assert.equal(r.trap, false);
  });

  test('an access straddling the edge of a region fails (partial match), also for M', () => {
    // (Within one page: a misaligned access crossing a page may legally be split into separately checked
    // operations — machine.adoc, "Priority and Matching Logic".)
    const g = pmpGuest(NA4 | R | W, BigInt(DATA + 0x10) >> 2n);
    expectFault(run(g, 'do_ld', PRV_M, { 11: BigInt(DATA + 0x10) }), 5, DATA + 0x10);
    expectFault(run(g, 'do_ld', PRV_S, { 11: BigInt(DATA + 0xc) }), 5, DATA + 0xc);
    expectFault(run(g, 'do_sd', PRV_S, { 11: BigInt(DATA + 0x12), 12: 1n }), 7, DATA + 0x12);
    assert.equal(run(g, 'do_lw', PRV_S, { 11: BigInt(DATA + 0x10) }).trap, false, 'a 4-byte access inside it is fine');
  });

  test('S/U with no matching entry are denied; M is not', () => {
    const g = guest(SRC);
    g.h.setCsr(Csr.PMPADDR0, napot(RAM_BASE, 1 << 20)); // code and DATA page: first MiB only
    g.h.setCsr(Csr.PMPCFG0, BigInt(NAPOT | R | W | X));
    g.h.setCsr(Csr.MTVEC, BigInt(g.prog.at('mtrap')));
    expectFault(run(g, 'do_ld', PRV_S, { 11: BigInt(RAM_BASE + (1 << 20)) }), 5, RAM_BASE + (1 << 20));
    expectFault(run(g, 'do_ld', PRV_U, { 11: 0x10000000n }), 5, 0x10000000);
    assert.equal(run(g, 'do_ld', PRV_M, { 11: BigInt(RAM_BASE + (1 << 20)) }).trap, false);
  });

  test('a PMP change made by M takes effect for the next S access (no stale cached permission)', () => {
    const g = pmpGuest(NAPOT | R | W, napot(DATA, 4096));
    poke(g, DATA, 8, 9n);
    const revoke = BigInt(NAPOT) | (BigInt(NAPOT | R | W | X) << 8n); // entry 0: no permissions
    const r = run(g, 'ld_ecall_ld', PRV_S, { 11: BigInt(DATA), 13: revoke });
    expectFault(r, 5, DATA);
    assert.equal(r.trap && r.epc, BigInt(g.prog.at('ld_ecall_ld') + 8), 'the second load faulted');
    assert.equal(g.h.getX(10), 9n, 'the first load succeeded');
  });

  test('page-table walks are checked by PMP: a table in a no-access region gives an access fault for the original access', () => {
    const g = pmpGuest(NAPOT, napot(DATA, 4096)); // DATA page: no permissions for S/U
    // Sv39 root table at DATA (zeroed here from the host): its reads are PMP-checked as S-mode accesses.
    g.h.setCsr(Csr.SATP, (8n << 60n) | BigInt(DATA / 4096));
    const va = 0x40000000n;
    // Code must still be reachable: run the access from M with MPRV (MPP = S) instead of from S.
    g.h.setCsr(Csr.MSTATUS, (1n << 17n) | (1n << 11n));
    expectFault(run(g, 'do_ld', PRV_M, { 11: va }), 5, Number(va));
    expectFault(run(g, 'do_sd', PRV_M, { 11: va, 12: 0n }), 7, Number(va));
  });
});

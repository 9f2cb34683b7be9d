// The pc over all 64 bits (engine/cpu/hart.ts): under Sv57 code runs at user addresses up to 2^56
// (Linux maps the vDSO there) and at kernel addresses below -2^53, where a double is exact only for
// multiples of 8. The same code runs at three bases — the top of the user half, the bottom of the
// kernel half, and across the carry from the pc's low word into its high word — through every way
// the pc moves: straight-line code (compressed and not), running on into the next page, an
// instruction that straddles two pages, JAL/JALR/C.JALR/C.JR/C.J across pages, AUIPC and link
// values, traps taken there (into M and, delegated, into S at a kernel vector), fetch faults (mepc
// and mtval), xRET back, breakpoints, and the state accessors.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, peek, poke, assemble, describe as hartState, RAM_BASE, type Guest } from '../../helpers/asm.ts';
import { Csr, PRV_S, PRV_U } from '../../../engine/cpu/csr.ts';
import { Machine } from '../../../engine/machine.ts';

const V = 1n, R = 2n, X = 8n, U = 16n, A = 64n;
const SV57 = 10n;
const hx = (v: bigint): string => '0x' + BigInt.asUintN(64, v).toString(16).padStart(16, '0');
/** A pc as Hart.breakpoints keys it: its signed value as a number. */
const key = (va: bigint): number => Number(BigInt.asIntN(64, va));

/** Sv57 page tables in guest RAM, 4 KiB leaves only. */
class PageTables {
  private next: number;
  readonly root: number;
  constructor(readonly g: Guest, pool: number) {
    this.next = pool;
    this.root = this.alloc();
  }
  private alloc(): number {
    const p = this.next;
    this.next += 4096;
    for (let i = 0; i < 4096; i += 8) poke(this.g, p + i, 8, 0n);
    return p;
  }
  satp(): bigint { return (SV57 << 60n) | BigInt(this.root / 4096); }
  map(va: bigint, pa: number, flags: bigint): void {
    let table = this.root;
    for (let level = 4; level > 0; level--) {
      const a = table + Number((va >> BigInt(12 + 9 * level)) & 0x1ffn) * 8;
      let pte = peek(this.g, a, 8);
      if ((pte & V) === 0n) {
        pte = (BigInt(this.alloc() / 4096) << 10n) | V;
        poke(this.g, a, 8, pte);
      }
      table = Number((pte >> 10n) & ((1n << 44n) - 1n)) * 4096;
    }
    poke(this.g, table + Number((va >> 12n) & 0x1ffn) * 8, 8, ((BigInt(pa) >> 12n) << 10n) | flags);
  }
}

// Page 0 (physical, M-mode): the trap handler logs (mcause, mepc, mtval) at s11 and resumes after an
// ecall, at ra after a fetch fault, and stops at `done` on ebreak.
// Pages 1-3 (`code`, mapped at a base VA; position-independent): the code under test. Page 4 (`hole`)
// is never mapped. Offsets from `code` are in the comments; the test checks the layout.
const SRC = `
  mtrap:
    csrr t1, mcause
    csrr t2, mepc
    csrr t3, mtval
    sd t1, 0(s11)
    sd t2, 8(s11)
    sd t3, 16(s11)
    addi s11, s11, 24
    li t4, 3
    beq t1, t4, done
    li t4, 12
    beq t1, t4, mfault
    addi t2, t2, 4
    csrw mepc, t2
    mret
  mfault:
    csrw mepc, ra
    mret
  done: j done

  .balign 4096
  code:
  back: auipc s4, 0           # 0x000
    la s1, after_back         # 0x004: AUIPC into the next page (a carry into the high word at the C base)
    c.addi a1, 1
    ret                       # 0x00e: JALR back across pages
  back2: auipc s7, 0          # 0x012
    jr s5
  back3: c.addi a1, 1         # 0x01a
    c.jr ra
    .balign 4
  shandler:                   # 0x020: S-mode handler (delegated ecall from U), run at the kernel base
    csrr s8, sepc
    csrr s9, scause
    csrr s10, stval
    addi t2, s8, 4
    csrw sepc, t2
    sret
    .space 0xfb8
  entry:
    auipc s2, 0               # 0xff0
    c.li a1, 7                # 0xff4
    c.addi a1, 3
    c.mv a2, a1
    c.slli a2, 4
    c.addi a2, 1              # 0xffc
    jal a4, cont              # 0xffe: straddles pages 1 and 2; its link is in page 2
  cont:
    auipc s3, 0               # 0x1002
    jal ra, back              # 0x1006: back to page 1
  after_back:
    la t0, back2              # 0x100a
    jalr s5, 0(t0)            # 0x1012
  after_jalr:
    la t0, back3              # 0x1016
    c.jalr t0                 # 0x101e
  after_cjalr:
    ecall                     # 0x1020
    c.j skip                  # 0x1024
    c.addi a1, 5
  skip:
    j p2tail                  # 0x1028
    .space 0xfd0
  p2tail:
    c.addi a1, 1              # 0x1ffc
    c.addi a1, 1              # 0x1ffe: runs on into page 3
    auipc s6, 0               # 0x2000
    la t0, hole
    jalr ra, 0(t0)            # 0x200c: a fetch fault at hole
  after_fault:
    jal ra, p3tail            # 0x2010
  after_p3tail:
    ebreak                    # 0x2014
    .space 0xfe6
  p3tail:
    addi a3, a2, 5            # 0x2ffe: straddles into the unmapped page 4: a fetch fault
    .space 4
  hole:                       # 0x3006
`;

/** Offsets from `code` the comments above promise. */
const LAYOUT: Record<string, number> = {
  back: 0, back2: 0x12, back3: 0x1a, shandler: 0x20, entry: 0xff0, cont: 0x1002, after_back: 0x100a,
  after_jalr: 0x1016, after_cjalr: 0x1020, skip: 0x1028, p2tail: 0x1ffc, after_fault: 0x2010,
  after_p3tail: 0x2014, p3tail: 0x2ffe, hole: 0x3006,
};

/** Where the code pages are mapped (each with the pages after it; the page at +0x3000 is not). */
const BASES = {
  /** The last three pages of the Sv57 user half: 0x00ffffffffffd000..2^56 (page 4 is not canonical). */
  user: 0x00ffffffffffd000n,
  /** The bottom of the kernel half: signed -2^56 + 0x1000. */
  kernel: 0xff00000000001000n,
  /** A kernel base whose first page ends where the pc's low word wraps to 0 (0xff00_0000_ffff_f000). */
  carry: 0xff000000fffff000n,
};

const LOG = RAM_BASE + 0x10000;
const POOL = RAM_BASE + 0x100000;

interface Setup { g: Guest; codePa: number; va: (label: string, base: bigint) => bigint }

function setup(): Setup {
  const g = guest(SRC, { ramSize: 16 * 1024 * 1024 });
  const codePa = g.prog.at('code');
  for (const [l, o] of Object.entries(LAYOUT)) assert.equal(g.prog.at(l) - codePa, o, `layout: ${l}`);
  const pt = new PageTables(g, POOL);
  for (let p = 0; p < 3; p++) {
    const pa = codePa + p * 4096;
    pt.map(BASES.user + BigInt(p * 4096), pa, V | R | X | U | A);
    pt.map(BASES.kernel + BigInt(p * 4096), pa, V | R | X | A);
    pt.map(BASES.carry + BigInt(p * 4096), pa, V | R | X | A);
  }
  const h = g.h;
  h.setCsr(Csr.PMPADDR0, (1n << 54n) - 1n);
  h.setCsr(Csr.PMPCFG0, 0x1fn);
  h.setCsr(Csr.MTVEC, BigInt(g.prog.at('mtrap')));
  h.setCsr(Csr.SATP, pt.satp());
  const va = (label: string, base: bigint): bigint => BigInt.asUintN(64, base + BigInt(g.prog.at(label) - codePa));
  return { g, codePa, va };
}

/** Starts the code at `base`: U-mode at the user base (ecall delegated to S, stvec at the kernel base), else S-mode. */
function start(s: Setup, base: bigint): void {
  const h = s.g.h;
  const user = base === BASES.user;
  h.setCsr(Csr.MEDELEG, user ? 1n << 8n : 0n);
  h.setCsr(Csr.STVEC, s.va('shandler', BASES.kernel));
  h.setX(27, BigInt(LOG)); // s11: the M handler's log
  h.setX(13, 0x5a5an); // a3: the faulting straddler never writes it
  h.setPriv(user ? PRV_U : PRV_S);
  h.setPc(s.va('entry', base));
}

/** Runs in slices of `budget` steps until the hart is at `done` (or a breakpoint when `bp`). */
function runToDone(s: Setup, budget: number, bp = false): 'done' | 'breakpoint' {
  const { g } = s;
  const done = BigInt(g.prog.at('done'));
  for (let i = 0; i < 10_000; i++) {
    const r = g.m.run(budget);
    if (bp && r.reason === 'breakpoint') return 'breakpoint';
    if (r.reason !== 'budget') throw new Error(`stopped: ${JSON.stringify(r)}, ${hartState(g.h)}`);
    if (g.h.getPc() === done) return 'done';
  }
  throw new Error(`did not reach done: ${hartState(g.h)}`);
}

function log(s: Setup): Array<[bigint, string, string]> {
  const out: Array<[bigint, string, string]> = [];
  const end = Number(s.g.h.getX(27));
  for (let a = LOG; a < end; a += 24) out.push([peek(s.g, a, 8), hx(peek(s.g, a + 8, 8)), hx(peek(s.g, a + 16, 8))]);
  return out;
}

function check(s: Setup, base: bigint): void {
  const h = s.g.h;
  const va = (l: string): string => hx(s.va(l, base));
  const x = (r: number): string => hx(h.getX(r));
  const off = (o: number): string => hx(base + BigInt(o));
  assert.equal(x(18), va('entry'), 's2: AUIPC');
  assert.equal(x(14), va('cont'), 'a4: link of the straddling JAL');
  assert.equal(x(19), va('cont'), 's3: AUIPC after the straddling JAL');
  assert.equal(x(20), va('back'), 's4: AUIPC after a JAL back across pages');
  assert.equal(x(9), va('after_back'), 's1: AUIPC with an offset into the next page');
  assert.equal(x(21), va('after_jalr'), 's5: JALR link');
  assert.equal(x(23), va('back2'), 's7: AUIPC after a JALR across pages');
  assert.equal(x(22), off(0x2000), 's6: AUIPC after running on into the next page');
  assert.equal(x(1), va('after_p3tail'), 'ra: JAL link');
  assert.equal(h.getX(11), 14n, 'a1: the compressed additions ran, the skipped one did not');
  assert.equal(h.getX(12), 161n, 'a2');
  assert.equal(h.getX(13), 0x5a5an, 'a3: the straddler whose second half faults did not run');
  const user = base === BASES.user;
  const expected: Array<[bigint, string, string]> = [
    ...(user ? [] : [[9n, va('after_cjalr'), hx(0n)] as [bigint, string, string]]),
    [12n, va('hole'), va('hole')],
    // A straddler faulting on its second half: mepc is the instruction, mtval the page it could not fetch.
    [12n, va('p3tail'), off(0x3000)],
    [3n, va('after_p3tail'), hx(0n)],
  ];
  assert.deepEqual(log(s), expected, 'M-mode traps (mcause, mepc, mtval)');
  if (user) {
    assert.equal(x(24), va('after_cjalr'), 's8: sepc of the delegated ecall');
    assert.equal(h.getX(25), 8n, 's9: scause');
    assert.equal(h.getX(26), 0n, 's10: stval');
  }
}

describe('the pc beyond ±2^53 (Sv57)', () => {
  for (const [name, base] of Object.entries(BASES)) {
    for (const budget of [1000, 1]) {
      test(`${name} base ${hx(base)}, ${budget === 1 ? 'one step at a time' : 'in slices'}`, () => {
        const s = setup();
        start(s, base);
        runToDone(s, budget);
        check(s, base);
      });
    }

    test(`${name} base: a breakpoint stops at its exact pc, and the run goes on from it`, () => {
      const s = setup();
      const h = s.g.h;
      start(s, base);
      const at = s.va('after_cjalr', base);
      assert.equal(BigInt.asUintN(64, BigInt(key(at))), at, 'the breakpoint address is a double');
      h.breakpoints.add(key(at));
      assert.equal(runToDone(s, 1000, true), 'breakpoint');
      assert.equal(hx(h.getPc()), hx(at));
      assert.equal(h.getX(11), 12n, 'a1: stopped before the ecall, after back3');
      assert.equal(h.getX(27), BigInt(LOG), 'no trap yet');
      assert.equal(runToDone(s, 1000, true), 'done');
      check(s, base);
    });
  }

  test('a breakpoint key matches only the pc of exactly its value', () => {
    const s = setup();
    const h = s.g.h;
    start(s, BASES.user);
    // 0x00ffffffffffe01e (c.jalr) is no double: as a number it rounds to the neighbour 0x…e020, the
    // next instruction, where the hart must stop (not at c.jalr).
    const cjalr = s.va('after_cjalr', BASES.user) - 2n;
    assert.equal(BigInt(key(cjalr)), cjalr + 2n);
    h.breakpoints.add(key(cjalr));
    assert.equal(runToDone(s, 1000, true), 'breakpoint');
    assert.equal(hx(h.getPc()), hx(cjalr + 2n));
    assert.equal(h.getX(11), 12n);
  });
});

describe('pc accessors and state', () => {
  const values = [0n, 0x1000n, 0x80000000n, 0x00ffffffffffeffen, 0x00fffffffffffffen, 0xff00000000001002n,
    0xff000000fffffffen, 0xff00000100000002n, 0x8000000000000000n, 0xfffffffffffffffen, 0xffffffff80200000n];

  test('setPc/getPc are exact; pc is the signed value as a number', () => {
    const g = guest('nop');
    const h = g.h;
    for (const v of values) {
      h.setPc(v);
      assert.equal(hx(h.getPc()), hx(v));
      assert.equal(h.pc, Number(BigInt.asIntN(64, v)));
      h.setPc(BigInt.asIntN(64, v)); // signed works too
      assert.equal(hx(h.getPc()), hx(v));
    }
    h.pc = -0x7fe00000;
    assert.equal(hx(h.getPc()), '0xffffffff80200000');
    h.pc = 0x80000000;
    assert.equal(hx(h.getPc()), '0x0000000080000000');
  });

  test('saveState/loadState keep the exact pc; a state without pcLo/pcHi loads its pc', () => {
    const g = guest('nop');
    const h = g.h;
    for (const v of values) {
      h.setPc(v);
      const st = h.saveState();
      h.setPc(0x1234n);
      h.loadState(st);
      assert.equal(hx(h.getPc()), hx(v));
      const json = JSON.parse(JSON.stringify(st)) as typeof st;
      h.setPc(0x1234n);
      h.loadState(json);
      assert.equal(hx(h.getPc()), hx(v), 'through JSON');
    }
    const legacy = h.saveState();
    delete legacy.pcLo;
    delete legacy.pcHi;
    legacy.pc = -0x7fe00000;
    h.loadState(legacy);
    assert.equal(hx(h.getPc()), '0xffffffff80200000');
  });

  test('an SBI call (the engine as SBI) at the end of a page resumes where the low word wraps', () => {
    // The kernel (at 0x80200000 with the engine's SBI) is one page of code mapped so that the ecall is
    // the last word of 0xff000000fffff000 and the next instruction the first of 0xff00000100000000.
    const prog = assemble(`
      .space 0xff4
      li a7, 0x10             # BASE
      li a6, 0                # sbi_get_spec_version
      ecall                   # 0xffc
      auipc s2, 0             # 0x1000
      end: j end
      .balign 4096
    `, 0x80200000);
    const m = Machine.create({ kernel: prog.bytes, ramSize: 16 * 1024 * 1024, rtcEpochNs: 0n });
    const h = m.harts[0];
    const g: Guest = { m, h, prog };
    const pt = new PageTables(g, RAM_BASE + 0x400000);
    pt.map(0xff000000fffff000n, 0x80200000, V | R | X | A);
    pt.map(0xff00000100000000n, 0x80201000, V | R | X | A);
    h.setCsr(Csr.SATP, pt.satp());
    h.setPc(0xff000000fffffff4n);
    const end = 0xff00000100000004n;
    for (let i = 0; i < 100 && h.getPc() !== end; i++) m.run(1);
    assert.equal(hx(h.getPc()), hx(end), hartState(h));
    assert.equal(hx(h.getX(18)), '0xff00000100000000', 's2');
    assert.equal(h.getX(10), 0n, 'a0: SBI_SUCCESS');
  });
});

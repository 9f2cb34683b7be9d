// Hart execution tests (engine/cpu/hart.ts): small guests run on a Machine, results checked
// against a BigInt reference model written from the unprivileged spec (RV64I, M, A, Zba, Zbb, Zbs).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, runTo, peek, poke, asm1, describe as hartState, RAM_BASE } from '../../helpers/asm.ts';
import { Csr } from '../../../engine/cpu/csr.ts';
import { prng } from '../../helpers/prng.ts';

const M64 = (1n << 64n) - 1n;
const U = (v: bigint): bigint => BigInt.asUintN(64, v);
const S = (v: bigint): bigint => BigInt.asIntN(64, v);
const W = (v: bigint): bigint => U(BigInt.asIntN(32, v)); // sign-extend the low 32 bits
const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);
const MIN64 = 1n << 63n;
const hx = (v: bigint): string => '0x' + v.toString(16);


// ---- the reference model ----------------------------------------------------------------------------

const rotl = (a: bigint, s: bigint): bigint => (s === 0n ? a : U((a << s) | (a >> (64n - s))));
const rotl32 = (a: bigint, s: bigint): bigint => (s === 0n ? a : u32((a << s) | (a >> (32n - s))));
const clz = (v: bigint, bits: number): bigint => { let n = 0n; for (let i = bits - 1; i >= 0 && ((v >> BigInt(i)) & 1n) === 0n; i--) n++; return n; };
const ctz = (v: bigint, bits: number): bigint => { let n = 0n; for (let i = 0; i < bits && ((v >> BigInt(i)) & 1n) === 0n; i++) n++; return n; };
const cpop = (v: bigint): bigint => { let n = 0n; for (; v; v &= v - 1n) n++; return n; };
const bytes = (v: bigint): bigint[] => Array.from({ length: 8 }, (_, i) => (v >> BigInt(8 * i)) & 0xffn);

/** Two-operand ops: result from unsigned 64-bit a, b. */
const RR: Record<string, (a: bigint, b: bigint) => bigint> = {
  add: (a, b) => U(a + b), sub: (a, b) => U(a - b), sll: (a, b) => U(a << (b & 63n)), srl: (a, b) => a >> (b & 63n),
  sra: (a, b) => U(S(a) >> (b & 63n)), slt: (a, b) => (S(a) < S(b) ? 1n : 0n), sltu: (a, b) => (a < b ? 1n : 0n),
  xor: (a, b) => a ^ b, or: (a, b) => a | b, and: (a, b) => a & b,
  addw: (a, b) => W(a + b), subw: (a, b) => W(a - b), sllw: (a, b) => W(u32(a) << (b & 31n)),
  srlw: (a, b) => W(u32(a) >> (b & 31n)), sraw: (a, b) => W(s32(a) >> (b & 31n)),
  mul: (a, b) => U(a * b), mulh: (a, b) => U((S(a) * S(b)) >> 64n), mulhsu: (a, b) => U((S(a) * b) >> 64n),
  mulhu: (a, b) => (a * b) >> 64n,
  div: (a, b) => (b === 0n ? M64 : a === MIN64 && b === M64 ? a : U(S(a) / S(b))),
  divu: (a, b) => (b === 0n ? M64 : a / b),
  rem: (a, b) => (b === 0n ? a : a === MIN64 && b === M64 ? 0n : U(S(a) % S(b))),
  remu: (a, b) => (b === 0n ? a : a % b),
  mulw: (a, b) => W(a * b),
  divw: (a, b) => (s32(b) === 0n ? M64 : s32(a) === -(1n << 31n) && s32(b) === -1n ? W(a) : W(s32(a) / s32(b))),
  divuw: (a, b) => (u32(b) === 0n ? M64 : W(u32(a) / u32(b))),
  remw: (a, b) => (s32(b) === 0n ? W(a) : s32(a) === -(1n << 31n) && s32(b) === -1n ? 0n : W(s32(a) % s32(b))),
  remuw: (a, b) => (u32(b) === 0n ? W(a) : W(u32(a) % u32(b))),
  sh1add: (a, b) => U((a << 1n) + b), sh2add: (a, b) => U((a << 2n) + b), sh3add: (a, b) => U((a << 3n) + b),
  'add.uw': (a, b) => U(u32(a) + b), 'sh1add.uw': (a, b) => U((u32(a) << 1n) + b),
  'sh2add.uw': (a, b) => U((u32(a) << 2n) + b), 'sh3add.uw': (a, b) => U((u32(a) << 3n) + b),
  andn: (a, b) => a & ~b & M64, orn: (a, b) => U(a | ~b), xnor: (a, b) => U(~(a ^ b)),
  max: (a, b) => (S(a) > S(b) ? a : b), min: (a, b) => (S(a) < S(b) ? a : b),
  maxu: (a, b) => (a > b ? a : b), minu: (a, b) => (a < b ? a : b),
  rol: (a, b) => rotl(a, b & 63n), ror: (a, b) => rotl(a, (64n - (b & 63n)) & 63n),
  rolw: (a, b) => W(rotl32(u32(a), b & 31n)), rorw: (a, b) => W(rotl32(u32(a), (32n - (b & 31n)) & 31n)),
  bclr: (a, b) => a & ~(1n << (b & 63n)) & M64, bext: (a, b) => (a >> (b & 63n)) & 1n,
  binv: (a, b) => a ^ (1n << (b & 63n)), bset: (a, b) => a | (1n << (b & 63n)),
};

/** One-operand ops. */
const R1: Record<string, (a: bigint) => bigint> = {
  clz: (a) => clz(a, 64), ctz: (a) => ctz(a, 64), cpop: (a) => cpop(a),
  clzw: (a) => clz(u32(a), 32), ctzw: (a) => ctz(u32(a), 32), cpopw: (a) => cpop(u32(a)),
  'sext.b': (a) => U(BigInt.asIntN(8, a)), 'sext.h': (a) => U(BigInt.asIntN(16, a)), 'zext.h': (a) => a & 0xffffn,
  'orc.b': (a) => bytes(a).reduce((r, x, i) => r | ((x ? 0xffn : 0n) << BigInt(8 * i)), 0n),
  rev8: (a) => bytes(a).reduce((r, x, i) => r | (x << BigInt(8 * (7 - i))), 0n),
  'sext.w': (a) => W(a), seqz: (a) => (a === 0n ? 1n : 0n), snez: (a) => (a !== 0n ? 1n : 0n),
  neg: (a) => U(-a), not: (a) => U(~a),
};

/** Register-immediate ops with the immediates tried (a program line per pair). */
const RI: Array<[string, number[], (a: bigint, i: bigint) => bigint]> = [
  ['addi', [0, 1, -1, 2047, -2048], (a, i) => U(a + i)],
  ['slti', [0, 1, -1, 2047, -2048], (a, i) => (S(a) < i ? 1n : 0n)],
  ['sltiu', [0, 1, -1, 2047, -2048], (a, i) => (a < U(i) ? 1n : 0n)],
  ['xori', [0, -1, 0x555, -2048], (a, i) => a ^ U(i)],
  ['ori', [0, -1, 0x555, -2048], (a, i) => a | U(i)],
  ['andi', [0, -1, 0x555, -2048], (a, i) => a & U(i)],
  ['slli', [0, 1, 31, 32, 63], (a, i) => U(a << i)],
  ['srli', [0, 1, 31, 32, 63], (a, i) => a >> i],
  ['srai', [0, 1, 31, 32, 63], (a, i) => U(S(a) >> i)],
  ['addiw', [0, 1, -1, 2047, -2048], (a, i) => W(a + i)],
  ['slliw', [0, 1, 31], (a, i) => W(u32(a) << i)],
  ['srliw', [0, 1, 31], (a, i) => W(u32(a) >> i)],
  ['sraiw', [0, 1, 31], (a, i) => W(s32(a) >> i)],
  ['slli.uw', [0, 1, 31, 32, 63], (a, i) => U(u32(a) << i)],
  ['rori', [0, 1, 31, 32, 63], (a, i) => rotl(a, (64n - i) & 63n)],
  ['roriw', [0, 1, 31], (a, i) => W(rotl32(u32(a), (32n - i) & 31n))],
  ['bclri', [0, 31, 32, 63], (a, i) => a & ~(1n << i) & M64],
  ['bexti', [0, 31, 32, 63], (a, i) => (a >> i) & 1n],
  ['binvi', [0, 31, 32, 63], (a, i) => a ^ (1n << i)],
  ['bseti', [0, 31, 32, 63], (a, i) => a | (1n << i)],
];

const SPECIAL = [0n, 1n, 2n, 31n, 32n, 63n, 64n, M64, M64 - 1n, MIN64, MIN64 - 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn,
  0x100000000n, 0xffffffff80000000n, 0xffffffff7fffffffn, 0x8000000080000000n, 0x00ff00ff00ff00ffn, 0x0123456789abcdefn];

function randomValue(r: () => number): bigint {
  const kind = Math.floor(r() * 4);
  const rnd32 = (): bigint => BigInt(Math.floor(r() * 4294967296));
  const full = (rnd32() << 32n) | rnd32();
  if (kind === 0) return full;
  if (kind === 1) return full >> BigInt(Math.floor(r() * 64)); // small magnitudes
  if (kind === 2) return U(-(full >> BigInt(Math.floor(r() * 64)))); // small negatives
  return SPECIAL[Math.floor(r() * SPECIAL.length)] ^ (r() < 0.5 ? 0n : 1n << BigInt(Math.floor(r() * 64)));
}

type Variant = 'distinct' | 'rd=rs1' | 'rd=rs2' | 'rs1=rs2';

/** A program computing every op on a0 (and a1) into t2, storing each result at s0 + 8k. */
function aluProgram(variant: Variant): { src: string[]; checks: Array<(a: bigint, b: bigint) => [string, bigint]> } {
  const src: string[] = [];
  const checks: Array<(a: bigint, b: bigint) => [string, bigint]> = [];
  let k = 0;
  const emit = (line: string, name: string, want: (a: bigint, b: bigint) => bigint): void => {
    src.push(line, `sd t2, ${8 * k}(s0)`);
    checks.push((a, b) => [name, want(a, b)]);
    k++;
    if (k * 8 > 2040) throw new Error('too many ops');
  };
  const rrLine = (op: string): [string, (f: (a: bigint, b: bigint) => bigint) => (a: bigint, b: bigint) => bigint] => {
    switch (variant) {
      case 'distinct': return [`${op} t2, a0, a1`, (f) => f];
      case 'rd=rs1': return [`mv t2, a0; ${op} t2, t2, a1`, (f) => f];
      case 'rd=rs2': return [`mv t2, a1; ${op} t2, a0, t2`, (f) => f];
      case 'rs1=rs2': return [`${op} t2, a0, a0`, (f) => (a) => f(a, a)];
    }
  };
  for (const [op, f] of Object.entries(RR)) {
    const [line, adapt] = rrLine(op);
    emit(line, `${op} (${variant})`, adapt(f));
  }
  for (const [op, f] of Object.entries(R1)) {
    const line = variant === 'rd=rs1' ? `mv t2, a0; ${op} t2, t2` : `${op} t2, a0`;
    emit(line, op, (a) => f(a));
  }
  if (variant === 'distinct' || variant === 'rd=rs1') {
    for (const [op, imms, f] of RI) {
      for (const imm of imms) {
        const line = variant === 'rd=rs1' ? `mv t2, a0; ${op} t2, t2, ${imm}` : `${op} t2, a0, ${imm}`;
        emit(line, `${op} ${imm}`, (a) => f(a, BigInt(imm)));
      }
    }
  }
  src.push('end: j end');
  return { src, checks };
}

const RESULTS = RAM_BASE + 0x100000;

describe('RV64I/M/Zba/Zbb/Zbs arithmetic against a BigInt model', () => {
  for (const variant of ['distinct', 'rd=rs1', 'rd=rs2', 'rs1=rs2'] as Variant[]) {
    test(`every op, special and random operands (seed 0x5eed, ${variant})`, () => {
      const { src, checks } = aluProgram(variant);
      // s0 is set by the host; the stores use 12-bit offsets from it (two halves of the table).
      const g = guest(src);
      const r = prng(0x5eed);
      const pairs: Array<[bigint, bigint]> = [];
      for (const a of SPECIAL) for (const b of [0n, 1n, M64, MIN64, 31n, 32n, 63n, 0x80000000n]) pairs.push([a, b]);
      for (let i = 0; i < 120; i++) pairs.push([randomValue(r), randomValue(r)]);
      // Every mismatch is collected (first example per op), so one wrong op does not hide another.
      const failures = new Map<string, string>();
      for (const [a, b] of pairs) {
        g.h.setX(10, a);
        g.h.setX(11, b);
        g.h.setX(8, BigInt(RESULTS));
        g.h.pc = RAM_BASE;
        runTo(g, 'end', 10_000);
        checks.forEach((c, k) => {
          const [name, want] = c(a, b);
          const got = peek(g, RESULTS + 8 * k, 8);
          if (got !== want && !failures.has(name)) failures.set(name, `${name}: a=${hx(a)} b=${hx(b)}: got ${hx(got)}, want ${hx(want)}`);
        });
        assert.equal(g.h.getX(10), a, 'a0 unchanged');
      }
      assert.deepEqual([...failures.values()], []);
    });
  }

  test('li expands to sequences that build every kind of 64-bit constant', () => {
    const r = prng(7);
    const values = [...SPECIAL, 0x7ff, 0x800n, 0xfffn, 0x7ffff800n, 0x7ffff7ffn, 0x3fffff800n, 0xfffffffffffff800n,
      0xaaaaaaaaaaaaaaaan, 0x5555555555555555n, 0x100000001n, 0x80200000n].map(BigInt);
    for (let i = 0; i < 60; i++) values.push(randomValue(r));
    const g = guest([...values.map((v, i) => `li a0, ${S(v)}; sd a0, ${8 * i}(s0)`), 'end: j end']);
    g.h.setX(8, BigInt(RESULTS));
    runTo(g);
    values.forEach((v, i) => assert.equal(hx(peek(g, RESULTS + 8 * i, 8)), hx(U(v)), `li ${hx(v)}`));
  });
});

describe('RV64I corner cases', () => {
  test('64-bit carries and borrows across the 32-bit halves', () => {
    const g = guest(`
      li a0, 0xffffffff; addi a1, a0, 1            # 0x1_0000_0000
      li a2, 0x7fffffffffffffff; addi a3, a2, 1    # wraps to MIN
      li a4, 0x100000000; addi a5, a4, -1          # borrow: 0xffffffff
      sub a6, zero, a4                             # 0xffffffff_00000000
      li t0, 0xffffffffffffffff; add t1, t0, t0    # -2
      lui t2, 0x80000                              # sign-extended: 0xffffffff80000000
      here: auipc t3, 0
      addiw t4, a0, 1                              # 0xffffffff + 1 → 0 (32-bit)
      li s1, 0x7fffffff; addiw s2, s1, 1           # → 0xffffffff80000000
      end: j end`);
    runTo(g);
    const x = (r: number): string => hx(g.h.getX(r));
    assert.equal(x(11), '0x100000000');
    assert.equal(x(13), hx(MIN64));
    assert.equal(x(15), '0xffffffff');
    assert.equal(x(16), '0xffffffff00000000');
    assert.equal(x(6), hx(U(-2n)));
    assert.equal(x(7), '0xffffffff80000000');
    assert.equal(g.h.getX(28), BigInt(g.prog.at('here')));
    assert.equal(x(29), '0x0');
    assert.equal(x(18), '0xffffffff80000000');
  });

  test('AUIPC and JAL/JALR link values; JALR clears bit 0 of the target and reads rs1 before writing rd', () => {
    const g = guest(`
      here: auipc a0, 0x1                  # here + 0x1000
      la t0, target
      addi t0, t0, 1                       # odd address
      jalr ra, 0(t0)                       # jumps to target (bit 0 cleared)
      back: li a2, 99
      j end
      target: li a1, 7
      la t1, target2
      addi t1, t1, 3                       # target2 + 3, with -2 below: target2 + 1 → bit 0 cleared
      jalr t1, -2(t1)                      # rd == rs1
      link2: nop
      target2: mv a3, t1
      jal a4, after
      after: j back
      end: j end`);
    runTo(g);
    const at = (l: string): bigint => BigInt(g.prog.at(l));
    assert.equal(g.h.getX(10), at('here') + 0x1000n);
    assert.equal(g.h.getX(11), 7n);
    assert.equal(g.h.getX(12), 99n);
    assert.equal(g.h.getX(1), at('back'));
    assert.equal(g.h.getX(13), at('link2'), 'jalr t1, -2(t1): rd gets the link, target from the old t1');
    assert.equal(g.h.getX(14), at('after'));
  });

  test('branches: each condition taken and not taken, signed vs unsigned', () => {
    const ops = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
    const cond: Record<string, (a: bigint, b: bigint) => boolean> = {
      beq: (a, b) => a === b, bne: (a, b) => a !== b, blt: (a, b) => S(a) < S(b), bge: (a, b) => S(a) >= S(b),
      bltu: (a, b) => a < b, bgeu: (a, b) => a >= b,
    };
    // Each op: a forward and a backward taken branch; t2 counts the path taken.
    const src = ops.flatMap((op) => [
      `${op}_f: ${op} a0, a1, ${op}_ft`, `li t2, 0`, `j end`, `${op}_ft: li t2, 1`, `j end`,
      `${op}_bt: li t2, 2`, `j end`, `${op}_b: ${op} a0, a1, ${op}_bt`, `li t2, 3`, `j end`,
    ]);
    const g = guest([...src, 'end: j end']);
    const vals = [0n, 1n, M64, MIN64, MIN64 - 1n, 0x80000000n, 0xffffffffn, 0x100000000n, 0xffffffff00000000n];
    for (const op of ops) {
      for (const a of vals) {
        for (const b of vals) {
          for (const dir of ['f', 'b']) {
            g.h.setX(10, a);
            g.h.setX(11, b);
            g.h.pc = g.prog.at(`${op}_${dir}`);
            runTo(g, 'end', 100);
            const taken = cond[op](a, b);
            const want = dir === 'f' ? (taken ? 1n : 0n) : (taken ? 2n : 3n);
            assert.equal(g.h.getX(7), want, `${op} ${hx(a)}, ${hx(b)} (${dir})`);
          }
        }
      }
    }
  });

  test('compressed branches and jumps, and a 32-bit instruction at a 2-byte-aligned address', () => {
    const g = guest(`
      li a0, 0; li a1, 5
      c.nop
      loop: c.addi a0, 1
      c.bnez a1, dec
      c.j done
      dec: addi a1, a1, -1                 # 32-bit at pc ≡ 2 (mod 4)
      c.j loop
      done: c.li a2, -3
      c.beqz a2, end
      c.mv a3, a2
      la a4, fn
      c.jalr a4
      j end
      fn: c.addi16sp sp, -16
      c.jr ra
      end: j end`);
    g.h.setX(2, 0x80100000n);
    runTo(g);
    assert.equal(g.h.getX(10), 6n);
    assert.equal(g.h.getX(11), 0n);
    assert.equal(g.h.getX(13), U(-3n));
    assert.equal(g.h.getX(2), 0x80100000n - 16n);
  });

  test('x0 stays zero whatever is written to it', () => {
    const g = guest(`
      li t0, 0x80100000
      li t1, -1; sd t1, 0(t0)
      addi zero, zero, 5
      lui zero, 0x12345
      auipc zero, 1
      ld zero, 0(t0)
      lw zero, 0(t0)
      add zero, t1, t1
      mul zero, t1, t1
      mulh zero, t1, t1
      div zero, t1, t1
      sltiu zero, zero, 1
      csrr zero, mstatus
      csrrw zero, mscratch, t1
      csrrs zero, mscratch, t1
      amoadd.d zero, t1, (t0)
      lr.d zero, (t0)
      sc.d zero, t1, (t0)
      jal zero, 4
      c.li zero, 7
      c.lui zero, 3
      c.mv zero, t1
      c.add zero, t1
      c.slli zero, 3
      clz zero, zero
      bseti zero, zero, 3
      rev8 zero, t1
      orc.b zero, t1
      sh1add zero, t1, t1
      fmv.x.d zero, ft0
      mv a0, zero
      add a1, zero, zero
      sd zero, 8(t0)
      ld a2, 8(t0)
      end: j end`);
    g.h.setCsr(Csr.MSTATUS, 1n << 13n); // FS = initial (fmv.x.d is legal)
    runTo(g);
    assert.equal(g.h.getX(10), 0n);
    assert.equal(g.h.getX(11), 0n);
    assert.equal(g.h.getX(12), 0n);
    assert.equal(g.h.x[0], 0);
    assert.equal(g.h.x[1], 0);
  });
});

describe('M extension corner cases', () => {
  const g = guest(`
    div t0, a0, a1; divu t1, a0, a1; rem t2, a0, a1; remu t3, a0, a1
    divw t4, a0, a1; divuw t5, a0, a1; remw t6, a0, a1; remuw s1, a0, a1
    mulh s2, a0, a1; mulhsu s3, a0, a1; mulhu s4, a0, a1; mul s5, a0, a1; mulw s6, a0, a1
    end: j end`);
  const run = (a: bigint, b: bigint): Record<string, bigint> => {
    g.h.setX(10, U(a));
    g.h.setX(11, U(b));
    g.h.pc = RAM_BASE;
    runTo(g, 'end', 100);
    const r = (n: number): bigint => g.h.getX(n);
    return { div: r(5), divu: r(6), rem: r(7), remu: r(28), divw: r(29), divuw: r(30), remw: r(31), remuw: r(9),
      mulh: r(18), mulhsu: r(19), mulhu: r(20), mul: r(21), mulw: r(22) };
  };

  test('division by zero: quotient all ones, remainder the dividend (W forms sign-extend)', () => {
    const v = run(0x123456789abcdef0n, 0n);
    assert.equal(v.div, M64);
    assert.equal(v.divu, M64);
    assert.equal(v.rem, 0x123456789abcdef0n);
    assert.equal(v.remu, 0x123456789abcdef0n);
    assert.equal(v.divw, M64);
    assert.equal(v.divuw, M64);
    assert.equal(v.remw, 0xffffffff9abcdef0n, 'REMW x/0 = sext(x[31:0])');
    assert.equal(v.remuw, 0xffffffff9abcdef0n, 'REMUW x/0 = sext(x[31:0])');
    const z = run(-5n, 0n);
    assert.equal(z.rem, U(-5n));
    assert.equal(z.remw, U(-5n));
  });

  test('signed overflow: MIN / -1 = MIN, remainder 0 (64- and 32-bit)', () => {
    const v = run(-(1n << 63n), -1n);
    assert.equal(v.div, MIN64);
    assert.equal(v.rem, 0n);
    assert.equal(v.divu, 0n);
    assert.equal(v.remu, MIN64);
    const w = run(0x1234567880000000n, -1n);
    assert.equal(w.divw, 0xffffffff80000000n);
    assert.equal(w.remw, 0n);
  });

  test('signs of quotient and remainder (truncation toward zero)', () => {
    const v = run(-7n, 2n);
    assert.equal(S(v.div), -3n);
    assert.equal(S(v.rem), -1n);
    const w = run(7n, -2n);
    assert.equal(S(w.div), -3n);
    assert.equal(S(w.rem), 1n);
    const x = run(0xfffffff9n /* -7 as 32-bit */, 2n);
    assert.equal(S(x.divw), -3n);
    assert.equal(S(x.remw), -1n);
    assert.equal(x.divuw, 0x7ffffffcn);
  });

  test('MULH/MULHSU/MULHU at the extremes', () => {
    const cases: Array<[bigint, bigint]> = [[-1n, -1n], [MIN64, MIN64], [MIN64, -1n], [-1n, 2n], [M64 >> 1n, M64 >> 1n],
      [0xffffffffn, 0xffffffffn], [0x100000000n, 0x100000000n], [-2n, 3n], [3n, -2n]];
    for (const [a, b] of cases) {
      const v = run(a, b);
      assert.equal(v.mulh, U((S(U(a)) * S(U(b))) >> 64n), `mulh ${a} ${b}`);
      assert.equal(v.mulhsu, U((S(U(a)) * U(b)) >> 64n), `mulhsu ${a} ${b}`);
      assert.equal(v.mulhu, (U(a) * U(b)) >> 64n, `mulhu ${a} ${b}`);
      assert.equal(v.mul, U(a * b), `mul ${a} ${b}`);
      assert.equal(v.mulw, W(a * b), `mulw ${a} ${b}`);
    }
  });
});

const DATA = RAM_BASE + 0x100000;

describe('loads and stores', () => {
  test('every width at every offset of a doubleword, aligned and misaligned, with sign/zero extension', () => {
    const g = guest(`
      lb t0, 0(a0); lbu t1, 0(a0); lh t2, 0(a0); lhu t3, 0(a0); lw t4, 0(a0); lwu t5, 0(a0); ld t6, 0(a0)
      end: j end`);
    const pattern = 0x8f7e6d5c4b3a2918f0e1d2c3b4a59687n; // 16 bytes, high bits set in many bytes
    const base = DATA + 0x40;
    for (let i = 0; i < 16; i++) poke(g, base + i, 1, (pattern >> BigInt(8 * i)) & 0xffn);
    const le = (off: number, n: number): bigint => (pattern >> BigInt(8 * off)) & ((1n << BigInt(8 * n)) - 1n);
    for (let off = 0; off < 8; off++) {
      g.h.setX(10, BigInt(base + off));
      g.h.pc = RAM_BASE;
      runTo(g, 'end', 100);
      const x = (r: number): bigint => g.h.getX(r);
      assert.equal(x(5), U(BigInt.asIntN(8, le(off, 1))), `lb +${off}`);
      assert.equal(x(6), le(off, 1), `lbu +${off}`);
      assert.equal(x(7), U(BigInt.asIntN(16, le(off, 2))), `lh +${off}`);
      assert.equal(x(28), le(off, 2), `lhu +${off}`);
      assert.equal(x(29), U(BigInt.asIntN(32, le(off, 4))), `lw +${off}`);
      assert.equal(x(30), le(off, 4), `lwu +${off}`);
      assert.equal(x(31), le(off, 8), `ld +${off}`);
    }
  });

  test('stores of every width at every offset write exactly their bytes', () => {
    const g = guest(`
      sb a1, 0(a0); sh a1, 16(a0); sw a1, 32(a0); sd a1, 48(a0)
      end: j end`);
    const v = 0x1122334455667788n;
    for (let off = 0; off < 8; off++) {
      const base = DATA + 0x200 * (off + 1) + off;
      for (let i = -8; i < 72; i++) poke(g, base + i, 1, 0xeen);
      g.h.setX(10, BigInt(base));
      g.h.setX(11, v);
      g.h.pc = RAM_BASE;
      runTo(g, 'end', 100);
      for (const [rel, n] of [[0, 1], [16, 2], [32, 4], [48, 8]]) {
        assert.equal(peek(g, base + rel, n as 1 | 2 | 4 | 8), v & ((1n << BigInt(8 * n)) - 1n), `store ${n} at +${off}`);
        assert.equal(peek(g, base + rel - 1, 1), 0xeen, `byte before store ${n} at +${off}`);
        assert.equal(peek(g, base + rel + n, 1), 0xeen, `byte after store ${n} at +${off}`);
      }
    }
  });

  test('misaligned accesses that cross a page boundary (done in hardware, no trap)', () => {
    const g = guest(`
      li t0, 0x1122334455667788
      sd t0, 0(a0); ld t1, 0(a0); lw t2, 4(a0); lhu t3, 7(a0); sw t0, 8(a0); lwu t4, 8(a0)
      end: j end`);
    g.h.setX(10, BigInt(DATA + 0x1000 - 5)); // the doubleword straddles two pages
    runTo(g);
    assert.equal(g.h.getX(6), 0x1122334455667788n);
    assert.equal(g.h.getX(7), 0x11223344n);
    assert.equal(g.h.getX(28), 0x11n, 'the byte after the doubleword is still 0 when lhu runs');
    assert.equal(g.h.getX(29), 0x55667788n);
    assert.equal(g.h.getCsr(Csr.MCAUSE), 0n, 'no trap');
  });

  test('a load after a store to the same address sees the store (fast path and slow path)', () => {
    const g = guest(`
      li t0, 0; li t2, 100
      loop: sd t0, 0(a0); ld t1, 0(a0); bne t0, t1, bad; sw t0, 12(a0); lw t1, 12(a0); bne t0, t1, bad
      addi t0, t0, 1; addi a0, a0, 8; blt t0, t2, loop
      j end
      bad: j bad
      end: j end`);
    g.h.setX(10, BigInt(DATA));
    runTo(g, 'end', 10_000);
  });
});

describe('A extension', () => {
  test('LR/SC: success writes and returns 0; failure (no reservation, other address) writes nothing and returns 1', () => {
    const g = guest(`
      li t0, 0x80100000
      li t1, -5; sw t1, 0(t0)
      lr.w a0, (t0)                # sign-extended
      li t2, 77; sc.w a1, t2, (t0) # succeeds
      lw a2, 0(t0)
      sc.w a3, t1, (t0)            # no reservation any more: fails
      lw a4, 0(t0)
      lr.d a5, (t0)
      addi t3, t0, 64; sc.d a6, t1, (t3)
      end: j end`);
    runTo(g);
    assert.equal(g.h.getX(10), U(-5n));
    assert.equal(g.h.getX(11), 0n);
    assert.equal(g.h.getX(12), 77n);
    assert.equal(g.h.getX(13), 1n);
    assert.equal(g.h.getX(14), 77n);
    assert.equal(g.h.getX(16), 1n, 'SC to an address outside the reservation set fails');
    assert.equal(peek(g, 0x80100040, 8), 0n);
  });

  test('AMOs: old value in rd (W sign-extended), new value in memory', () => {
    const ops: Array<[string, (a: bigint, b: bigint) => bigint]> = [
      ['amoswap', (_a, b) => b], ['amoadd', (a, b) => a + b], ['amoxor', (a, b) => a ^ b], ['amoand', (a, b) => a & b],
      ['amoor', (a, b) => a | b], ['amomin', (a, b) => (S(a) < S(b) ? a : b)], ['amomax', (a, b) => (S(a) > S(b) ? a : b)],
      ['amominu', (a, b) => (a < b ? a : b)], ['amomaxu', (a, b) => (a > b ? a : b)],
    ];
    const src: string[] = [];
    ops.forEach(([op], i) => src.push(`${op}.d t1, a1, (s0); sd t1, ${16 * i}(s1)`, `addi s0, s0, 8`,
      `${op}.w t1, a1, (s0); sd t1, ${16 * i + 8}(s1)`, `addi s0, s0, 8`));
    const g = guest([...src, 'end: j end']);
    const vals = [0n, 1n, M64, MIN64, 0x80000000n, 0x7fffffffn, 0xffffffff00000001n, 0x123456789n];
    for (const a of vals) {
      for (const b of vals) {
        const mem = DATA + 0x2000;
        ops.forEach((_, i) => { poke(g, mem + 16 * i, 8, a); poke(g, mem + 16 * i + 8, 8, a); });
        g.h.setX(8, BigInt(mem));
        g.h.setX(9, BigInt(DATA + 0x3000));
        g.h.setX(11, b);
        g.h.pc = RAM_BASE;
        runTo(g, 'end', 200);
        ops.forEach(([op, f], i) => {
          assert.equal(peek(g, DATA + 0x3000 + 16 * i, 8), a, `${op}.d rd`);
          assert.equal(peek(g, mem + 16 * i, 8), U(f(a, b)), `${op}.d mem a=${hx(a)} b=${hx(b)}`);
          const aw = U(s32(a));
          const bw = U(s32(b));
          assert.equal(peek(g, DATA + 0x3000 + 16 * i + 8, 8), aw, `${op}.w rd`);
          assert.equal(peek(g, mem + 16 * i + 8, 4), u32(f(aw, bw)), `${op}.w mem a=${hx(a)} b=${hx(b)}`);
          assert.equal(peek(g, mem + 16 * i + 12, 4), u32(a >> 32n), `${op}.w leaves the upper word`);
        });
      }
    }
  });

  for (const [insn, cause] of [['amoadd.w a0, a1, (t0)', 6], ['amoswap.d a0, a1, (t0)', 6], ['sc.w a0, a1, (t0)', 6],
    ['sc.d a0, a1, (t0)', 6], ['lr.w a0, (t0)', 4], ['lr.d a0, (t0)', 4]] as Array<[string, number]>) {
    test(`misaligned ${insn.split(' ')[0]} → cause ${cause}, mtval = the address, memory untouched`, () => {
      const g = guest(`
        la t1, trap; csrw mtvec, t1
        li t0, 0x80100002
        li a1, -1
        li a0, 1234
        insn: ${insn}
        end: j end
        trap: j trap`);
      runTo(g, 'trap', 1000);
      assert.equal(g.h.getCsr(Csr.MCAUSE), BigInt(cause));
      assert.equal(g.h.getCsr(Csr.MTVAL), 0x80100002n);
      assert.equal(g.h.getCsr(Csr.MEPC), BigInt(g.prog.at('insn')));
      assert.equal(g.h.getX(10), 1234n, 'rd not written');
      assert.equal(peek(g, 0x80100000, 8) | peek(g, 0x80100008, 8), 0n);
    });
  }

  test('a store by another hart breaks the reservation, also when that hart stores through its fast path', () => {
    // Hart 1 stores to the reserved doubleword twice: the first store (slow path) fills its write TLB, the second
    // one hits it. Hart 0 takes its reservation between the two; its SC must then fail (unpriv spec, LR/SC:
    // an SC may succeed only if no store from another hart to the reservation set occurred in between).
    const g = guest(`
      csrr t0, mhartid
      li a0, 0x80100000
      bnez t0, hart1
      lr: lr.d a1, (a0)
      li a2, 5
      sc.d a3, a2, (a0)
      end: j end
      hart1: li a2, 9
      st1: sd a2, 0(a0)
      st2: sd a2, 0(a0)
      end1: j end1`, { harts: 2 });
    const [h0, h1] = g.m.harts;
    const stepTo = (h: typeof h0, label: string): void => {
      for (let i = 0; i < 20 && h.pc !== g.prog.at(label); i++) g.m.step(h.id);
      assert.equal(h.pc, g.prog.at(label), hartState(h));
    };
    stepTo(h1, 'st1');
    g.m.step(1); // first store (slow path, fills hart 1's write TLB)
    stepTo(h0, 'lr');
    g.m.step(0); // lr.d
    assert.ok(h0.reservation >= 0);
    g.m.step(1); // second store: fast path
    assert.equal(h1.pc, g.prog.at('end1'));
    stepTo(h0, 'end');
    assert.equal(h0.getX(13), 1n, 'SC after another hart stored to the reservation set must fail');
    assert.equal(peek(g, 0x80100000, 8), 9n);
  });
});

describe('self-modifying code', () => {
  test('a store into code followed by FENCE.I executes the new instruction (already executed once before)', () => {
    const g = guest(`
      li s1, 0
      again: 
      patch: addi a0, zero, 1
      addi s1, s1, 1
      li t1, 2
      beq s1, t1, end
      la t0, patch
      li t2, ${asm1('addi a0, zero, 42')}
      sw t2, 0(t0)
      fence.i
      j again
      end: j end`);
    runTo(g);
    assert.equal(g.h.getX(10), 42n);
  });

  test('patching the next instruction in the same page, with a halfword store (compressed code)', () => {
    const g = guest(`
      la t0, next
      li t2, ${asm1('c.li a0, 9')}
      sh t2, 0(t0)
      fence.i
      next: c.li a0, 1
      c.nop
      end: j end`);
    runTo(g);
    assert.equal(g.h.getX(10), 9n);
  });

  test('patching a 32-bit instruction into two 16-bit ones in a loop that runs many times', () => {
    // The loop body is rewritten on every iteration, alternating between two encodings.
    const a = asm1('addi a0, a0, 1');
    const b = asm1('c.addi a0, 2') | (asm1('c.addi a1, 1') << 16);
    const g = guest(`
      li a0, 0; li a1, 0; li s1, 0; li s2, 100
      li t3, ${a}; li t4, ${b >>> 0}
      la t0, body
      loop: body: addi a0, a0, 1
      andi t1, s1, 1
      beqz t1, useB
      sw t3, 0(t0)
      j done
      useB: sw t4, 0(t0)
      done: fence.i
      addi s1, s1, 1
      blt s1, s2, loop
      end: j end`);
    runTo(g, 'end', 10_000);
    // Iteration 0 runs the original; odd iterations run B (a0 += 2, a1 += 1), even ones A (a0 += 1).
    assert.equal(g.h.getX(10), 50n * 2n + 50n);
    assert.equal(g.h.getX(11), 50n);
  });
});

describe('breakpoints', () => {
  // Machine.run stops with reason 'breakpoint' before executing an instruction at a breakpoint address.
  // The hart skips the check for the first instruction of each run slice (to resume from a breakpoint),
  // but slices also begin after CSR writes, xRET, traps and interrupts: breakpoints there are missed.
  test('a breakpoint on the instruction after a CSR write is hit', () => {
    const g = guest(`
      csrwi mscratch, 1
      target: li a0, 1
      end: j end`);
    g.h.breakpoints.add(g.prog.at('target'));
    const r = g.m.run(1000);
    assert.equal(r.reason, 'breakpoint');
    assert.equal(g.h.pc, g.prog.at('target'));
    assert.equal(g.h.getX(10), 0n, 'not executed yet');
  });

  test('a breakpoint on the first instruction of a trap handler is hit', () => {
    const g = guest(`
      la t0, handler; csrw mtvec, t0
      nop
      ecall
      end: j end
      handler: li a0, 1
      spin: j spin`);
    g.h.breakpoints.add(g.prog.at('handler'));
    const r = g.m.run(1000);
    assert.equal(r.reason, 'breakpoint');
    assert.equal(g.h.pc, g.prog.at('handler'));
    assert.equal(g.h.getX(10), 0n, 'not executed yet');
  });

  test('resuming from a breakpoint executes the instruction there (no immediate re-stop)', () => {
    const g = guest(`
      li a0, 0
      loop: addi a0, a0, 1
      j loop`);
    g.h.breakpoints.add(g.prog.at('loop'));
    for (let i = 1; i <= 3; i++) {
      assert.equal(g.m.run(1000).reason, 'breakpoint');
      assert.equal(g.h.getX(10), BigInt(i - 1));
    }
  });
});

describe('instruction fetch', () => {
  // The addresses avoid the fetch-TLB slot of the code page (0x80000000 → slot 0), so a stale entry survives.
  for (const [where, addr] of [['nothing (0x30001000)', 0x30001000], ['MMIO (CLINT, 0x2001000)', 0x2001000],
    ['MMIO (RTC, 0x101000)', 0x101000], ['address 0', 0]] as Array<[string, number]>) {
    test(`fetching from ${where} is an instruction access fault every time, not only the first`, () => {
      const g = guest(`
        la t0, mtrap; csrw mtvec, t0
        li s1, ${addr}
        li s2, 0
        jalr s1
        .balign 4
        mtrap: csrr t1, mcause; slli t2, s2, 3; add t2, t2, s0; sd t1, 0(t2)
        csrr t1, mtval; sd t1, 32(t2)
        addi s2, s2, 1; li t3, 3; bge s2, t3, end
        jalr s1
        end: j end`);
      g.h.setX(8, BigInt(DATA));
      runTo(g, 'end', 1000);
      for (let i = 0; i < 3; i++) {
        assert.equal(peek(g, DATA + 8 * i, 8), 1n, `attempt ${i + 1}: mcause`);
        assert.equal(peek(g, DATA + 32 + 8 * i, 8), BigInt(addr), `attempt ${i + 1}: mtval`);
      }
    });
  }
});

describe('F/D: the binary64 fast paths', () => {
  // fadd.d, fsub.d, fmul.d, fdiv.d, fsqrt.d, fmadd.d, fnmsub.d fa0, fa1, fa2(, fa3), dynamic rounding, and
  // feq.d, flt.d, fle.d a0, fa1, fa2: the hart runs these on fpu.ts's fast paths when FS is dirty and frm is
  // RNE, and through execFp otherwise. Both must give execFp's register bits, fflags and mstatus.FS.
  const OPS: Array<[string, number]> = [['fadd.d', 0x02c5f553], ['fsub.d', 0x0ac5f553], ['fmul.d', 0x12c5f553],
    ['fdiv.d', 0x1ac5f553], ['fsqrt.d', 0x5a05f553], ['fmadd.d', 0x6ac5f543], ['fnmsub.d', 0x6ac5f54b],
    ['feq.d', 0xa2c5a553], ['flt.d', 0xa2c59553], ['fle.d', 0xa2c58553]];
  const dv = new DataView(new ArrayBuffer(8));
  const bitsOf = (x: number): bigint => { dv.setFloat64(0, x); return dv.getBigUint64(0); };
  const SPECIAL = [0, -0, 1, -1, 3, 0.1, 2 ** -1022, 2 ** -1074, -(2 ** -1060), 1.5 * 2 ** 1023, -Number.MAX_VALUE,
    Infinity, -Infinity, 2 ** 512, 2 ** -540, 1 + 2 ** -52].map(bitsOf)
    .concat([0x7ff8000000000000n, 0x7ff0000000000001n, 0xfff8000000000123n]); // qNaN, sNaN, NaN with payload
  const rnd = prng(7);
  const operand = (): bigint => {
    if (rnd() < 0.3) return SPECIAL[Math.floor(rnd() * SPECIAL.length)];
    // Random sign, exponent near 0 (mostly) or anywhere, random mantissa.
    const e = rnd() < 0.8 ? 1023 + Math.floor(rnd() * 40 - 20) : Math.floor(rnd() * 2047);
    const hi = (rnd() < 0.5 ? 0x80000000 : 0) | (e << 20) | Math.floor(rnd() * 0x100000);
    return (BigInt(hi >>> 0) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
  };

  for (const [name, insn] of OPS) {
    test(`${name}: same results, fflags and FS as execFp, for any operands, rounding mode and FS state`, async () => {
      const { execFp } = await import('../../../engine/cpu/fpu.ts');
      const g = guest(`.word ${insn}\nend: j end`);
      const fi = g.h.fi;
      for (let i = 0; i < 3000; i++) {
        const ops = [operand(), operand(), operand()];
        const frm = rnd() < 0.8 ? 0 : Math.floor(rnd() * 5);
        const fs = rnd() < 0.8 ? 3 : 1 + Math.floor(rnd() * 2); // dirty, or initial/clean
        // The reference: execFp on a bare FpHart.
        const ref = { x: new Int32Array(64), f: new Float64Array(32), fi: new Int32Array(0), fflags: 0, frm };
        ref.fi = new Int32Array(ref.f.buffer);
        for (let k = 0; k < 3; k++) {
          for (const a of [ref.fi, fi]) { a[22 + 2 * k] = Number(BigInt.asIntN(32, ops[k])); a[23 + 2 * k] = Number(BigInt.asIntN(32, ops[k] >> 32n)); }
        }
        execFp(ref, insn);
        g.h.setCsr(Csr.FCSR, BigInt(frm << 5)); // (writing fcsr dirties FS: before mstatus)
        g.h.setCsr(Csr.MSTATUS, BigInt(fs) << 13n);
        g.h.setX(10, 0n);
        g.h.pc = RAM_BASE;
        runTo(g, 'end', 10);
        const what = `${name} ${ops.map(hx).join(' ')} frm ${frm} fs ${fs}`;
        assert.equal(hx(g.h.getF(10)), hx(BigInt.asUintN(64, (BigInt(ref.fi[21] >>> 0) << 32n) | BigInt(ref.fi[20] >>> 0))), what);
        assert.equal(g.h.getX(10), BigInt(ref.x[20]), `${what}: x10`);
        assert.equal(g.h.getCsr(Csr.FFLAGS), BigInt(ref.fflags), `${what}: fflags`);
        // Arithmetic dirties FS; a compare only if it raised a flag.
        const dirty = (insn >>> 27) !== 0x14 || ref.fflags !== 0;
        assert.equal((g.h.getCsr(Csr.MSTATUS)! >> 13n) & 3n, dirty ? 3n : BigInt(fs), `${what}: FS`);
      }
    });
  }

  test('with FS off they are illegal instructions', () => {
    const g = guest(`
      la t0, mtrap; csrw mtvec, t0
      .word 0x12c5f553
      j end
      mtrap: csrr a0, mcause; csrr a1, mtval
      end: j end`);
    g.h.setCsr(Csr.MSTATUS, 0n);
    runTo(g, 'end', 100);
    assert.equal(g.h.getX(10), 2n);
    assert.equal(g.h.getX(11), 0x12c5f553n);
  });
});

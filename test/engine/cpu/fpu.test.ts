// Tests for the F/D executor (engine/cpu/fpu.ts).
// Expected values follow the unprivileged spec's F and D chapters (canonical NaNs, NaN-boxing, tininess after
// rounding, the FCVT saturation table). Every execFp call made by this file was also replayed on
// qemu-system-riscv64 7.2 (softfloat, same encodings, bare-metal harness) and gave the same register and
// fflags results; the "golden vectors" at the end are QEMU 7.2 outputs for random and edge-case inputs.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFp } from '../../../engine/cpu/fpu.ts';
import { FP_BAD_RM, FP_ILLEGAL, FP_OK_FREG, FP_OK_INT, type FpHart } from '../../../engine/cpu/fpu-types.ts';

// ---- a tiny hart -----------------------------------------------------------------------------------------

function mkHart(): FpHart {
  const buf = new ArrayBuffer(64 * 4 + 32 * 8);
  return { x: new Int32Array(buf, 0, 64), f: new Float64Array(buf, 256, 32), fi: new Int32Array(buf, 256, 64), fflags: 0, frm: 0 };
}

const M64 = (1n << 64n) - 1n;
function set64(a: Int32Array, r: number, v: bigint): void {
  a[2 * r] = Number(v & 0xffffffffn) | 0;
  a[2 * r + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
}
function get64(a: Int32Array, r: number): bigint {
  return (BigInt(a[2 * r + 1] >>> 0) << 32n) | BigInt(a[2 * r] >>> 0);
}

// ---- value <-> bits --------------------------------------------------------------------------------------

const dv = new DataView(new ArrayBuffer(8));
/** binary64 bits of x. */
function D(x: number): bigint {
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}
/** binary32 bits of x (x must be a binary32 value). */
function s32(x: number): number {
  dv.setFloat32(0, x);
  assert.equal(dv.getFloat32(0), x, `${x} is not a binary32 value`);
  return dv.getUint32(0);
}
/** NaN-boxed register image of binary32 bits. */
function box(bits: number): bigint {
  return (0xffffffffn << 32n) | BigInt(bits >>> 0);
}
/** NaN-boxed register image of a binary32 value. */
function S(x: number): bigint {
  return box(s32(x));
}
const hex = (v: bigint) => '0x' + v.toString(16).padStart(16, '0');

// Bit patterns used throughout.
const D_ONE = 0x3ff0000000000000n;
const D_INF = 0x7ff0000000000000n;
const D_NINF = 0xfff0000000000000n;
const D_MAX = 0x7fefffffffffffffn;
const D_QNAN = 0x7ff8000000000000n; // canonical
const D_SNAN = 0x7ff0000000000001n;
const D_QNAN_PAYLOAD = 0x7ff8000000000123n;
const S_INF = 0x7f800000;
const S_MAX = 0x7f7fffff;
const S_QNAN = 0x7fc00000; // canonical
const S_SNAN = 0x7f800001;

// ---- encoder ---------------------------------------------------------------------------------------------

const FS = 0; // fmt S
const FD = 1; // fmt D
const RNE = 0;
const RTZ = 1;
const RDN = 2;
const RUP = 3;
const RMM = 4;
const DYN = 7;
const MODES = [RNE, RTZ, RDN, RUP, RMM] as const;

// fflags
const NX = 1;
const UF = 2;
const OF = 4;
const DZ = 8;
const NV = 16;

function opfp(f5: number, fmt: number, rs2: number, f3: number, rd = 10, rs1 = 11): number {
  return ((f5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x53) | 0;
}
function r4(op: number, fmt: number, rm: number, rd = 10, rs1 = 11, rs2 = 12, rs3 = 13): number {
  return ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | op) | 0;
}

// Instructions with the test's register convention: rd = 10, rs1 = 11, rs2 = 12, rs3 = 13 (f or x as fits).
const I = {
  fadd: (fmt: number, rm = RNE) => opfp(0x00, fmt, 12, rm),
  fsub: (fmt: number, rm = RNE) => opfp(0x01, fmt, 12, rm),
  fmul: (fmt: number, rm = RNE) => opfp(0x02, fmt, 12, rm),
  fdiv: (fmt: number, rm = RNE) => opfp(0x03, fmt, 12, rm),
  fsqrt: (fmt: number, rm = RNE) => opfp(0x0b, fmt, 0, rm),
  fsgnj: (fmt: number) => opfp(0x04, fmt, 12, 0),
  fsgnjn: (fmt: number) => opfp(0x04, fmt, 12, 1),
  fsgnjx: (fmt: number) => opfp(0x04, fmt, 12, 2),
  fmin: (fmt: number) => opfp(0x05, fmt, 12, 0),
  fmax: (fmt: number) => opfp(0x05, fmt, 12, 1),
  fcvt_s_d: (rm = RNE) => opfp(0x08, FS, 1, rm),
  fcvt_d_s: (rm = RNE) => opfp(0x08, FD, 0, rm),
  feq: (fmt: number) => opfp(0x14, fmt, 12, 2),
  flt: (fmt: number) => opfp(0x14, fmt, 12, 1),
  fle: (fmt: number) => opfp(0x14, fmt, 12, 0),
  fclass: (fmt: number) => opfp(0x1c, fmt, 0, 1),
  // float -> integer: kind 0 W, 1 WU, 2 L, 3 LU
  fcvt_i: (kind: number, fmt: number, rm = RNE) => opfp(0x18, fmt, kind, rm),
  // integer -> float
  fcvt_f: (fmt: number, kind: number, rm = RNE) => opfp(0x1a, fmt, kind, rm),
  fmv_x: (fmt: number) => opfp(0x1c, fmt, 0, 0), // FMV.X.W / FMV.X.D
  fmv_f: (fmt: number) => opfp(0x1e, fmt, 0, 0), // FMV.W.X / FMV.D.X
  fmadd: (fmt: number, rm = RNE) => r4(0x43, fmt, rm),
  fmsub: (fmt: number, rm = RNE) => r4(0x47, fmt, rm),
  fnmsub: (fmt: number, rm = RNE) => r4(0x4b, fmt, rm),
  fnmadd: (fmt: number, rm = RNE) => r4(0x4f, fmt, rm),
};
const W = 0;
const WU = 1;
const L = 2;
const LU = 3;

// ---- running one instruction -----------------------------------------------------------------------------

interface In {
  a?: bigint; // f11
  b?: bigint; // f12
  c?: bigint; // f13
  x?: bigint; // x11
  frm?: number;
}
interface Out {
  ret: number;
  flags: number;
  f: bigint; // f10
  x: bigint; // x10
}
const F10_INIT = 0x5a5a5a5a5a5a5a5an;
const X10_INIT = 0x3c3c3c3c3c3c3c3cn;

function run(insn: number, inp: In = {}): Out {
  const h = mkHart();
  set64(h.fi, 11, inp.a ?? 0n);
  set64(h.fi, 12, inp.b ?? 0n);
  set64(h.fi, 13, inp.c ?? 0n);
  set64(h.fi, 10, F10_INIT);
  set64(h.x, 11, (inp.x ?? 0n) & M64);
  set64(h.x, 10, X10_INIT);
  h.frm = inp.frm ?? 0;
  const ret = execFp(h, insn);
  return { ret, flags: h.fflags, f: get64(h.fi, 10), x: get64(h.x, 10) };
}

/** Run an instruction writing f10; check the register bits and fflags. */
function fres(insn: number, inp: In, want: bigint, flags: number, msg = ''): void {
  const o = run(insn, inp);
  assert.equal(o.ret, FP_OK_FREG, `${msg} return code`);
  assert.equal(hex(o.f), hex(want), `${msg} result`);
  assert.equal(o.flags, flags, `${msg} fflags`);
}
/** Run an instruction writing x10; check the register and fflags. */
function xres(insn: number, inp: In, want: bigint, flags: number, msg = ''): void {
  const o = run(insn, inp);
  assert.equal(o.ret, FP_OK_INT, `${msg} return code`);
  assert.equal(hex(o.x), hex(want & M64), `${msg} result`);
  assert.equal(o.flags, flags, `${msg} fflags`);
}
/** Per-mode expectations [RNE, RTZ, RDN, RUP, RMM] for an f10-writing instruction built by mk(rm). */
function fmodes(mk: (rm: number) => number, inp: In, want: readonly bigint[], flags: number | readonly number[], msg = ''): void {
  for (const rm of MODES) fres(mk(rm), inp, want[rm], typeof flags === 'number' ? flags : flags[rm], `${msg} rm=${rm}`);
}
function xmodes(mk: (rm: number) => number, inp: In, want: readonly bigint[], flags: number | readonly number[], msg = ''): void {
  for (const rm of MODES) xres(mk(rm), inp, want[rm], typeof flags === 'number' ? flags : flags[rm], `${msg} rm=${rm}`);
}

const p2 = (k: number) => 2 ** k;

// ---- tests -----------------------------------------------------------------------------------------------

describe('decoding', () => {
  test('reserved static rounding modes 5 and 6 are illegal (found when executed: FP_BAD_RM)', () => {
    for (const rm of [5, 6]) {
      for (const insn of [I.fadd(FD, rm), I.fmul(FS, rm), I.fsqrt(FD, rm), I.fmadd(FD, rm), I.fcvt_i(W, FD, rm), I.fcvt_f(FD, L, rm), I.fcvt_d_s(rm)]) {
        assert.equal(run(insn, { a: D(1), b: D(1) }).ret, FP_BAD_RM);
      }
    }
  });

  test('dynamic rounding mode uses frm, and frm 5..7 is illegal', () => {
    // 1 + 2^-60: frm = RUP rounds up, frm = RNE does not.
    fres(I.fadd(FD, DYN), { a: D(1), b: D(p2(-60)), frm: RUP }, 0x3ff0000000000001n, NX);
    fres(I.fadd(FD, DYN), { a: D(1), b: D(p2(-60)), frm: RNE }, D_ONE, NX);
    for (const frm of [5, 6, 7]) {
      const o = run(I.fadd(FD, DYN), { a: D(1), b: D(1), frm });
      assert.equal(o.ret, FP_BAD_RM);
      assert.equal(o.f, F10_INIT, 'nothing written');
      // Even instructions the rounding mode cannot affect decode the rm field as usual.
      assert.equal(run(I.fcvt_d_s(DYN), { a: S(1), frm }).ret, FP_BAD_RM);
      assert.equal(run(I.fcvt_f(FD, W, DYN), { x: 1n, frm }).ret, FP_BAD_RM);
    }
  });

  test('H and Q formats, unknown funct5/funct3 and fixed fields are illegal', () => {
    const bad = [
      opfp(0x00, 2, 12, RNE), // FADD.H
      opfp(0x00, 3, 12, RNE), // FADD.Q
      r4(0x43, 2, RNE), // FMADD.H
      r4(0x4f, 3, RNE), // FNMADD.Q
      opfp(0x06, FD, 12, 0), // unassigned funct5
      opfp(0x04, FD, 12, 3), // FSGNJ funct3 3
      opfp(0x05, FS, 12, 2), // FMIN/FMAX funct3 2
      opfp(0x14, FD, 12, 3), // FEQ/FLT/FLE funct3 3
      opfp(0x0b, FD, 1, RNE), // FSQRT with rs2 != 0
      opfp(0x08, FS, 0, RNE), // "FCVT.S.S"
      opfp(0x08, FD, 1, RNE), // "FCVT.D.D"
      opfp(0x08, FS, 3, RNE), // FCVT.S.Q
      opfp(0x08, FD, 2, RNE), // FCVT.D.H
      opfp(0x18, FD, 4, RNE), // FCVT with rs2 4
      opfp(0x1a, FS, 5, RNE),
      opfp(0x1c, FD, 0, 2), // FMV.X.D / FCLASS with funct3 2
      opfp(0x1c, FS, 1, 0), // FMV.X.W with rs2 != 0
      opfp(0x1e, FD, 0, 1), // FMV.D.X with funct3 1
      opfp(0x1e, FS, 1, 0),
    ];
    for (const insn of bad) assert.equal(run(insn).ret, FP_ILLEGAL, (insn >>> 0).toString(16));
  });

  test('return codes: float destination vs integer destination', () => {
    assert.equal(run(I.fadd(FD), { a: D(1), b: D(1) }).ret, FP_OK_FREG);
    assert.equal(run(I.fsgnj(FS), { a: S(1), b: S(1) }).ret, FP_OK_FREG);
    assert.equal(run(I.fmv_f(FD), { x: 5n }).ret, FP_OK_FREG);
    assert.equal(run(I.feq(FD), { a: D(1), b: D(1) }).ret, FP_OK_INT);
    assert.equal(run(I.fclass(FS), { a: S(1) }).ret, FP_OK_INT);
    assert.equal(run(I.fcvt_i(L, FD), { a: D(1) }).ret, FP_OK_INT);
    assert.equal(run(I.fmv_x(FD), { a: D(1) }).ret, FP_OK_INT);
  });

  test('integer rd = x0 is never written, but flags are still raised; rs1 = x0 reads as zero', () => {
    for (const insn of [opfp(0x14, FD, 12, 1, 0), opfp(0x18, FD, 0, RNE, 0), opfp(0x1c, FD, 0, 0, 0), opfp(0x1c, FD, 0, 1, 0)]) {
      const h = mkHart();
      h.x[0] = 0x11111111;
      h.x[1] = 0x22222222;
      set64(h.fi, 11, D_QNAN);
      set64(h.fi, 12, D(1));
      assert.equal(execFp(h, insn), FP_OK_INT);
      assert.equal(h.x[0], 0x11111111);
      assert.equal(h.x[1], 0x22222222);
      if ((insn >>> 27) !== 0x1c) assert.equal(h.fflags, NV); // FLT / FCVT.W of a NaN signal invalid
    }
    // Garbage in the x0 slots must not leak into FCVT.D.L / FMV.D.X / FCVT.S.W from x0.
    for (const insn of [opfp(0x1a, FD, L, RNE, 10, 0), opfp(0x1e, FD, 0, 0, 10, 0), opfp(0x1a, FS, W, RDN, 10, 0)]) {
      const h = mkHart();
      h.x[0] = 0x11111111;
      h.x[1] = 0x22222222;
      execFp(h, insn);
      assert.equal(get64(h.fi, 10) & 0xffffffffn, 0n);
      assert.equal(h.fflags, 0);
    }
  });

  test('fflags accumulate: bits are OR-ed in, never cleared', () => {
    const h = mkHart();
    h.fflags = DZ;
    set64(h.fi, 11, D(1));
    set64(h.fi, 12, D(3));
    execFp(h, I.fdiv(FD));
    assert.equal(h.fflags, DZ | NX);
  });
});

describe('add, sub, mul, div, sqrt', () => {
  test('basic results, S and D', () => {
    fres(I.fadd(FD), { a: D(1.5), b: D(2.25) }, D(3.75), 0);
    fres(I.fsub(FD), { a: D(1.5), b: D(2.25) }, D(-0.75), 0);
    fres(I.fmul(FD), { a: D(1.5), b: D(-2.25) }, D(-3.375), 0);
    fres(I.fdiv(FD), { a: D(-3.375), b: D(1.5) }, D(-2.25), 0);
    fres(I.fsqrt(FD), { a: D(2.25) }, D(1.5), 0);
    fres(I.fadd(FS), { a: S(1.5), b: S(2.25) }, S(3.75), 0);
    fres(I.fsub(FS), { a: S(1.5), b: S(2.25) }, S(-0.75), 0);
    fres(I.fmul(FS), { a: S(1.5), b: S(-2.25) }, S(-3.375), 0);
    fres(I.fdiv(FS), { a: S(-3.375), b: S(1.5) }, S(-2.25), 0);
    fres(I.fsqrt(FS), { a: S(2.25) }, S(1.5), 0);
  });

  test('1 + 2^-60 and -1 - 2^-60 in every mode (D)', () => {
    const up = 0x3ff0000000000001n;
    fmodes((rm) => I.fadd(FD, rm), { a: D(1), b: D(p2(-60)) }, [D_ONE, D_ONE, D_ONE, up, D_ONE], NX);
    fmodes((rm) => I.fsub(FD, rm), { a: D(-1), b: D(p2(-60)) }, [D(-1), D(-1), up | (1n << 63n), D(-1), D(-1)], NX);
  });

  test('1 + 2^-30 in every mode (S)', () => {
    const one = S(1);
    fmodes((rm) => I.fadd(FS, rm), { a: S(1), b: S(p2(-30)) }, [one, one, one, box(0x3f800001), one], NX);
  });

  test('ties: RNE to even, RMM away (D add, S add)', () => {
    // 1 + 2^-53 is halfway between 1 and 1 + 2^-52.
    fmodes((rm) => I.fadd(FD, rm), { a: D(1), b: D(p2(-53)) }, [D_ONE, D_ONE, D_ONE, 0x3ff0000000000001n, 0x3ff0000000000001n], NX);
    // (1 + 2^-52) + 2^-53 is halfway between 1 + 2^-52 (odd) and 1 + 2^-51 (even).
    fmodes((rm) => I.fadd(FD, rm), { a: D(1 + p2(-52)), b: D(p2(-53)) }, [0x3ff0000000000002n, 0x3ff0000000000001n, 0x3ff0000000000001n, 0x3ff0000000000002n, 0x3ff0000000000002n], NX);
    // S: 1 + 2^-24 is halfway between 1 and 1 + 2^-23.
    fmodes((rm) => I.fadd(FS, rm), { a: S(1), b: S(p2(-24)) }, [S(1), S(1), S(1), box(0x3f800001), box(0x3f800001)], NX);
  });

  test('1/3 and -1/3 in every mode', () => {
    // binary64 1/3 = 0x3fd5555555555555 + (1/3) ulp: rounds down to nearest.
    const lo = 0x3fd5555555555555n;
    const hi = 0x3fd5555555555556n;
    const neg = 1n << 63n;
    fmodes((rm) => I.fdiv(FD, rm), { a: D(1), b: D(3) }, [lo, lo, lo, hi, lo], NX);
    fmodes((rm) => I.fdiv(FD, rm), { a: D(-1), b: D(3) }, [lo | neg, lo | neg, hi | neg, lo | neg, lo | neg], NX);
    // binary32 1/3 = 0x3eaaaaaa + (2/3) ulp: rounds up to nearest.
    fmodes((rm) => I.fdiv(FS, rm), { a: S(1), b: S(3) }, [box(0x3eaaaaab), box(0x3eaaaaaa), box(0x3eaaaaaa), box(0x3eaaaaab), box(0x3eaaaaab)], NX);
    fmodes((rm) => I.fdiv(FS, rm), { a: S(1), b: S(-3) }, [box(0xbeaaaaab), box(0xbeaaaaaa), box(0xbeaaaaab), box(0xbeaaaaaa), box(0xbeaaaaab)], NX);
  });

  test('sqrt(2) in every mode', () => {
    // binary64 RN(sqrt 2) = 0x3ff6a09e667f3bcd lies above sqrt 2; binary32 RN(sqrt 2) = 0x3fb504f3 lies below.
    const dUp = 0x3ff6a09e667f3bcdn;
    const dDn = 0x3ff6a09e667f3bccn;
    fmodes((rm) => I.fsqrt(FD, rm), { a: D(2) }, [dUp, dDn, dDn, dUp, dUp], NX);
    const sDn = box(0x3fb504f3);
    const sUp = box(0x3fb504f4);
    fmodes((rm) => I.fsqrt(FS, rm), { a: S(2) }, [sDn, sDn, sDn, sUp, sDn], NX);
  });

  test('products in every mode, including an exact tie', () => {
    // (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104
    const x = D(1 + p2(-52));
    fmodes((rm) => I.fmul(FD, rm), { a: x, b: x }, [0x3ff0000000000002n, 0x3ff0000000000002n, 0x3ff0000000000002n, 0x3ff0000000000003n, 0x3ff0000000000002n], NX);
    // (1 + 2^-52)(1 + 2^-1) = 1.5 + 2^-52 + 2^-53: halfway between 1.5 + 2^-52 (odd) and 1.5 + 2^-51.
    fmodes((rm) => I.fmul(FD, rm), { a: x, b: D(1.5) }, [0x3ff8000000000002n, 0x3ff8000000000001n, 0x3ff8000000000001n, 0x3ff8000000000002n, 0x3ff8000000000002n], NX);
    // S: (1 + 2^-23)(1 + 2^-1) = 1.5 + 2^-23 + 2^-24, a tie.
    fmodes((rm) => I.fmul(FS, rm), { a: box(0x3f800001), b: S(1.5) }, [box(0x3fc00002), box(0x3fc00001), box(0x3fc00001), box(0x3fc00002), box(0x3fc00002)], NX);
  });

  test('signed zeros: exact zero sums are +0, except -0 under RDN', () => {
    fmodes((rm) => I.fadd(FD, rm), { a: D(0), b: D(-0) }, [D(0), D(0), D(-0), D(0), D(0)], 0);
    fmodes((rm) => I.fadd(FD, rm), { a: D(-0), b: D(-0) }, [D(-0), D(-0), D(-0), D(-0), D(-0)], 0);
    fmodes((rm) => I.fsub(FD, rm), { a: D(1.25), b: D(1.25) }, [D(0), D(0), D(-0), D(0), D(0)], 0);
    fmodes((rm) => I.fsub(FS, rm), { a: S(1.25), b: S(1.25) }, [S(0), S(0), S(-0), S(0), S(0)], 0);
    fres(I.fadd(FS, RDN), { a: S(0), b: S(0) }, S(0), 0);
    fres(I.fmul(FD), { a: D(-0), b: D(5) }, D(-0), 0);
    fres(I.fdiv(FS), { a: S(0), b: S(-5) }, S(-0), 0);
    fres(I.fsqrt(FD), { a: D(-0) }, D(-0), 0);
    fres(I.fsqrt(FS), { a: S(-0) }, S(-0), 0);
  });

  test('invalid operations give the canonical NaN and NV', () => {
    fres(I.fadd(FD), { a: D_INF, b: D_NINF }, D_QNAN, NV);
    fres(I.fsub(FS), { a: box(S_INF), b: box(S_INF) }, box(S_QNAN), NV);
    fres(I.fmul(FD), { a: D(0), b: D_NINF }, D_QNAN, NV);
    fres(I.fmul(FS), { a: box(S_INF), b: S(-0) }, box(S_QNAN), NV);
    fres(I.fdiv(FD), { a: D(0), b: D(-0) }, D_QNAN, NV);
    fres(I.fdiv(FS), { a: box(S_INF), b: box(S_INF) }, box(S_QNAN), NV);
    fres(I.fsqrt(FD), { a: D(-1) }, D_QNAN, NV);
    fres(I.fsqrt(FS), { a: box(0x80000001) }, box(S_QNAN), NV); // negative subnormal
    fres(I.fsqrt(FD), { a: D_NINF }, D_QNAN, NV);
  });

  test('divide by zero: DZ and a signed infinity; inf/0 is exact', () => {
    fres(I.fdiv(FD), { a: D(1), b: D(0) }, D_INF, DZ);
    fres(I.fdiv(FD), { a: D(1), b: D(-0) }, D_NINF, DZ);
    fres(I.fdiv(FS), { a: S(-2), b: S(0) }, box(S_INF | 0x80000000), DZ);
    fres(I.fdiv(FD), { a: D_INF, b: D(0) }, D_INF, 0);
    fres(I.fdiv(FD), { a: D(1), b: D_NINF }, D(-0), 0);
    fres(I.fsqrt(FD), { a: D_INF }, D_INF, 0);
  });

  test('NaN operands: canonical NaN out, NV only for signaling NaNs, payloads dropped', () => {
    fres(I.fadd(FD), { a: D_QNAN_PAYLOAD, b: D(1) }, D_QNAN, 0);
    fres(I.fadd(FD), { a: D(1), b: D_SNAN }, D_QNAN, NV);
    fres(I.fmul(FD), { a: 0xfff8000000000000n, b: D_INF }, D_QNAN, 0);
    fres(I.fdiv(FS), { a: box(0x7fc00123), b: S(1) }, box(S_QNAN), 0);
    fres(I.fsqrt(FS), { a: box(S_SNAN) }, box(S_QNAN), NV);
    fres(I.fsqrt(FD), { a: D_SNAN }, D_QNAN, NV);
    fres(I.fsub(FS), { a: box(0xff800100), b: box(S_QNAN) }, box(S_QNAN), NV); // negative sNaN
  });

  test('subnormal operands and results are not flushed', () => {
    // 2^-1074 * 2^1000 = 2^-74 exactly; 2^-1074 / 2 = 2^-1075 is a tie between 0 and 2^-1074.
    fres(I.fmul(FD), { a: 1n, b: D(p2(1000)) }, D(p2(-74)), 0);
    fmodes((rm) => I.fdiv(FD, rm), { a: 1n, b: D(2) }, [0n, 0n, 0n, 1n, 1n], NX | UF);
    fmodes((rm) => I.fdiv(FS, rm), { a: box(1), b: S(-2) }, [box(0x80000000), box(0x80000000), box(0x80000001), box(0x80000000), box(0x80000001)], NX | UF);
    // Adding subnormals is exact: no flags.
    fres(I.fadd(FD), { a: 3n, b: 5n }, 8n, 0);
    fres(I.fadd(FS), { a: box(0x007fffff), b: box(1) }, box(0x00800000), 0);
    fres(I.fsqrt(FD), { a: 4n }, D(p2(-536)), 0); // sqrt(2^-1072)
    fres(I.fsqrt(FS), { a: box(0x00400000) }, box(0x1fb504f3), NX); // sqrt(2^-127) = sqrt(2) 2^-64
  });
});

describe('underflow is detected after rounding', () => {
  // x = 2^-126 - 2^-151 = (2^25 - 1) 2^-151 = (18631 * 2^-75) * (1801 * 2^-76).
  // On the subnormal grid (step 2^-149) it rounds up to 2^-126 in RNE; rounded to 24 bits with unbounded
  // exponent it is a tie that goes to 2^-126 as well, so it is not tiny: NX without UF.
  test('S: rounds to the smallest normal and is not tiny', () => {
    const a = S(18631 * p2(-75));
    const b = S(1801 * p2(-76));
    const minNorm = box(0x00800000);
    const maxSub = box(0x007fffff);
    fmodes((rm) => I.fmul(FS, rm), { a, b }, [minNorm, maxSub, maxSub, minNorm, minNorm], [NX, NX | UF, NX | UF, NX, NX]);
  });
  // x = 2^-126 - 2^-150 = (2^24 - 1) 2^-150 = (4095 * 2^-75) * (4097 * 2^-75): exactly representable with 24
  // bits and unbounded exponent, so tiny; on the subnormal grid it is a tie. UF in every mode, even when
  // the delivered result is the smallest normal.
  test('S: rounds to the smallest normal yet is tiny', () => {
    const a = S(4095 * p2(-75));
    const b = S(4097 * p2(-75));
    const minNorm = box(0x00800000);
    const maxSub = box(0x007fffff);
    fmodes((rm) => I.fmul(FS, rm), { a, b }, [minNorm, maxSub, maxSub, minNorm, minNorm], NX | UF);
  });
  test('D: the same two boundaries', () => {
    // (2^54 - 1) 2^-1076 = (262143 * 2^-538) * (68719738881 * 2^-538): not tiny when rounding to nearest/up.
    const minNorm = 0x0010000000000000n;
    const maxSub = 0x000fffffffffffffn;
    fmodes((rm) => I.fmul(FD, rm), { a: D(262143 * p2(-538)), b: D(68719738881 * p2(-538)) }, [minNorm, maxSub, maxSub, minNorm, minNorm], [NX, NX | UF, NX | UF, NX, NX]);
    // (2^53 - 1) 2^-1075 = (441650591 * 2^-537) * (20394401 * 2^-538): tiny in every mode.
    fmodes((rm) => I.fmul(FD, rm), { a: D(441650591 * p2(-537)), b: D(20394401 * p2(-538)) }, [minNorm, maxSub, maxSub, minNorm, minNorm], NX | UF);
  });
  test('exact tiny results raise nothing', () => {
    fres(I.fmul(FS), { a: S(p2(-140)), b: S(p2(-5)) }, box(0x00000010), 0);
    fres(I.fmul(FD), { a: D(p2(-1000)), b: D(p2(-60)) }, D(p2(-1060)), 0);
    fres(I.fdiv(FD), { a: D(p2(-1020)), b: D(8) }, D(p2(-1023)), 0);
  });
  test('results that vanish', () => {
    // 2^-600 * 2^-600 = 2^-1200: 0 or the smallest subnormal, always NX|UF.
    fmodes((rm) => I.fmul(FD, rm), { a: D(p2(-600)), b: D(-p2(-600)) }, [D(-0), D(-0), 0x8000000000000001n, D(-0), D(-0)], NX | UF);
    fmodes((rm) => I.fmul(FS, rm), { a: S(p2(-100)), b: S(p2(-100)) }, [S(0), S(0), S(0), box(1), S(0)], NX | UF);
  });
});

describe('overflow depends on the rounding mode', () => {
  const inf = D_INF;
  const ninf = D_NINF;
  const max = D_MAX;
  const nmax = D_MAX | (1n << 63n);
  test('D: MAX * 2', () => {
    fmodes((rm) => I.fmul(FD, rm), { a: D_MAX, b: D(2) }, [inf, max, max, inf, inf], OF | NX);
    fmodes((rm) => I.fmul(FD, rm), { a: D_MAX, b: D(-2) }, [ninf, nmax, ninf, nmax, ninf], OF | NX);
    fmodes((rm) => I.fadd(FD, rm), { a: D_MAX, b: D_MAX }, [inf, max, max, inf, inf], OF | NX);
    fmodes((rm) => I.fdiv(FD, rm), { a: D_MAX, b: D(0.5) }, [inf, max, max, inf, inf], OF | NX);
  });
  test('D: MAX + half an ulp overflows only when the unbounded rounding exceeds MAX', () => {
    // MAX + 2^970 = 2^1024 - 2^970: a tie between MAX and 2^1024.
    fmodes((rm) => I.fadd(FD, rm), { a: D_MAX, b: D(p2(970)) }, [inf, max, max, inf, inf], [OF | NX, NX, NX, OF | NX, OF | NX]);
    // MAX + 2^969: nearest is MAX; only rounding up overflows.
    fmodes((rm) => I.fadd(FD, rm), { a: D_MAX, b: D(p2(969)) }, [max, max, max, inf, max], [NX, NX, NX, OF | NX, NX]);
    fmodes((rm) => I.fsub(FD, rm), { a: nmax, b: D(p2(969)) }, [nmax, nmax, ninf, nmax, nmax], [NX, NX, OF | NX, NX, NX]);
  });
  test('S: MAXF * 2, and FCVT.S.D of large doubles', () => {
    const sinf = box(S_INF);
    const smax = box(S_MAX);
    fmodes((rm) => I.fmul(FS, rm), { a: box(S_MAX), b: S(2) }, [sinf, smax, smax, sinf, sinf], OF | NX);
    fmodes((rm) => I.fcvt_s_d(rm), { a: D_MAX }, [sinf, smax, smax, sinf, sinf], OF | NX);
    // 2^128 - 2^103 is the midpoint between MAXF and 2^128.
    fmodes((rm) => I.fcvt_s_d(rm), { a: D(p2(128) - p2(103)) }, [sinf, smax, smax, sinf, sinf], [OF | NX, NX, NX, OF | NX, OF | NX]);
    fmodes((rm) => I.fcvt_s_d(rm), { a: D(-(p2(128) - p2(104)) - p2(80)) }, [box(0xff7fffff), box(0xff7fffff), box(0xff800000), box(0xff7fffff), box(0xff7fffff)], [NX, NX, OF | NX, NX, NX]);
  });
  test('sums of operands near MAX (the error term itself would overflow)', () => {
    // -MAX + 1.016 2^1022: the exact error of the rounded sum cannot be computed in binary64 directly.
    const a = 0x7fd042474e3e4db3n;
    const lo = 0xffe7dedc58e0d925n;
    const hi = 0xffe7dedc58e0d926n;
    fmodes((rm) => I.fadd(FD, rm), { a, b: nmax }, [hi, lo, hi, lo, hi], NX);
    fmodes((rm) => I.fsub(FD, rm), { a: D_MAX, b: D(p2(1023)) }, [0, 1, 2, 3, 4].map(() => D(p2(1023) - p2(971))), 0);
  });
  test('infinite operands are exact', () => {
    fres(I.fadd(FD, RTZ), { a: D_INF, b: D(1) }, D_INF, 0);
    fres(I.fmul(FS, RTZ), { a: box(S_INF), b: S(2) }, box(S_INF), 0);
  });
});

describe('fused multiply-add', () => {
  test('the four variants negate the product and/or the addend', () => {
    const inp = { a: D(2), b: D(3), c: D(1) };
    fres(I.fmadd(FD), inp, D(7), 0);
    fres(I.fmsub(FD), inp, D(5), 0);
    fres(I.fnmsub(FD), inp, D(-5), 0);
    fres(I.fnmadd(FD), inp, D(-7), 0);
    const sin = { a: S(2), b: S(3), c: S(1) };
    fres(I.fmadd(FS), sin, S(7), 0);
    fres(I.fmsub(FS), sin, S(5), 0);
    fres(I.fnmsub(FS), sin, S(-5), 0);
    fres(I.fnmadd(FS), sin, S(-7), 0);
  });

  test('one rounding: (1 + 2^-27)(1 - 2^-27) - 1 = -2^-54 exactly', () => {
    // The product 1 - 2^-54 rounds to 1 in binary64, so a*b + c in doubles would give 0.
    fres(I.fmadd(FD), { a: D(1 + p2(-27)), b: D(1 - p2(-27)), c: D(-1) }, D(-p2(-54)), 0);
    fres(I.fnmadd(FD), { a: D(1 + p2(-27)), b: D(1 - p2(-27)), c: D(-1) }, D(p2(-54)), 0);
    // S: (1 + 2^-12)(1 - 2^-12) - 1 = -2^-24.
    fres(I.fmadd(FS), { a: S(1 + p2(-12)), b: S(1 - p2(-12)), c: S(-1) }, S(-p2(-24)), 0);
  });

  test('directed modes with a tiny addend', () => {
    const one = D_ONE;
    fmodes((rm) => I.fmadd(FD, rm), { a: D(1), b: D(1), c: D(p2(-80)) }, [one, one, one, 0x3ff0000000000001n, one], NX);
    fmodes((rm) => I.fmadd(FD, rm), { a: D(1), b: D(1), c: D(-p2(-80)) }, [one, 0x3fefffffffffffffn, 0x3fefffffffffffffn, one, one], NX);
    // (1 + 2^-52)^2 + 0 rounds once, like the product.
    const x = D(1 + p2(-52));
    fmodes((rm) => I.fmadd(FD, rm), { a: x, b: x, c: D(0) }, [0x3ff0000000000002n, 0x3ff0000000000002n, 0x3ff0000000000002n, 0x3ff0000000000003n, 0x3ff0000000000002n], NX);
  });

  test('S: no double rounding through binary64', () => {
    // a*b = (24929 * 2^-15)(673 * 2^-9) = 1 + 2^-24 exactly: a binary32 tie. Adding +-2^-80 breaks the tie;
    // rounding 1 + 2^-24 + 2^-80 first to binary64 would give back the tie and then 1.0.
    const a = S(24929 * p2(-15));
    const b = S(673 * p2(-9));
    const one = S(1);
    const up = box(0x3f800001);
    fmodes((rm) => I.fmadd(FS, rm), { a, b, c: S(p2(-80)) }, [up, one, one, up, up], NX);
    fmodes((rm) => I.fmadd(FS, rm), { a, b, c: S(-p2(-80)) }, [one, one, one, up, one], NX);
    fmodes((rm) => I.fmadd(FS, rm), { a, b, c: S(0) }, [one, one, one, up, up], NX);
  });

  test('D: ties and near-ties of the exact sum', () => {
    // (1 + 2^-52)(1 + 2^-52) - 2^-104 = 1 + 2^-51 exactly; then +- 2^-53 (half an ulp) makes exact ties.
    const x = D(1 + p2(-52));
    fres(I.fmsub(FD), { a: x, b: x, c: D(p2(-104)) }, 0x3ff0000000000002n, 0);
    // (1 + 2^-52)(1 + 2^-1) + 0 = 1.5 + 2^-52 + 2^-53: tie between ...01 and ...02.
    fmodes((rm) => I.fmadd(FD, rm), { a: x, b: D(1.5), c: D(0) }, [0x3ff8000000000002n, 0x3ff8000000000001n, 0x3ff8000000000001n, 0x3ff8000000000002n, 0x3ff8000000000002n], NX);
    // ... - 2^-200 is just below the tie.
    fmodes((rm) => I.fmadd(FD, rm), { a: x, b: D(1.5), c: D(-p2(-200)) }, [0x3ff8000000000001n, 0x3ff8000000000001n, 0x3ff8000000000001n, 0x3ff8000000000002n, 0x3ff8000000000001n], NX);
  });

  test('signed zeros of exact results', () => {
    fmodes((rm) => I.fmadd(FD, rm), { a: D(2), b: D(3), c: D(-6) }, [D(0), D(0), D(-0), D(0), D(0)], 0);
    fmodes((rm) => I.fmadd(FD, rm), { a: D(1), b: D(0), c: D(-0) }, [D(0), D(0), D(-0), D(0), D(0)], 0);
    fmodes((rm) => I.fnmadd(FD, rm), { a: D(1), b: D(0), c: D(0) }, [D(-0), D(-0), D(-0), D(-0), D(-0)], 0);
    fmodes((rm) => I.fnmsub(FS, rm), { a: S(1), b: S(0), c: S(0) }, [S(0), S(0), S(-0), S(0), S(0)], 0);
    fres(I.fmadd(FD), { a: D(-0), b: D(5), c: D(-0) }, D(-0), 0);
    fres(I.fmadd(FD), { a: D(0), b: D(5), c: D(7) }, D(7), 0);
  });

  test('inf * 0 raises NV even with a quiet NaN addend; inf - inf is invalid', () => {
    fres(I.fmadd(FD), { a: D_INF, b: D(0), c: D_QNAN }, D_QNAN, NV);
    fres(I.fmadd(FS), { a: S(-0), b: box(S_INF), c: box(S_QNAN) }, box(S_QNAN), NV);
    fres(I.fmadd(FD), { a: D(1), b: D(2), c: D_QNAN }, D_QNAN, 0);
    fres(I.fmadd(FD), { a: D(1), b: D_SNAN, c: D(1) }, D_QNAN, NV);
    fres(I.fmadd(FD), { a: D_INF, b: D(2), c: D_NINF }, D_QNAN, NV);
    fres(I.fmsub(FD), { a: D_INF, b: D(2), c: D_INF }, D_QNAN, NV);
    fres(I.fmadd(FD), { a: D_INF, b: D(2), c: D_INF }, D_INF, 0);
    fres(I.fnmadd(FS), { a: box(S_INF), b: S(2), c: S(1) }, box(S_INF | 0x80000000), 0);
    fres(I.fmadd(FD), { a: D_MAX, b: D(2), c: D_NINF }, D_NINF, 0); // finite product overflow does not matter
  });

  test('overflow and underflow of the fused result', () => {
    fmodes((rm) => I.fmadd(FD, rm), { a: D_MAX, b: D(2), c: D(-1) }, [D_INF, D_MAX, D_MAX, D_INF, D_INF], OF | NX);
    // MAX*2 - MAX = MAX exactly, although the product alone overflows.
    fres(I.fmsub(FD, RNE), { a: D_MAX, b: D(2), c: D_MAX }, D_MAX, 0);
    // 2^-600 * 2^-600 + 2^-1074: tiny and inexact.
    fmodes((rm) => I.fmadd(FD, rm), { a: D(p2(-600)), b: D(p2(-600)), c: 1n }, [1n, 1n, 1n, 2n, 1n], NX | UF);
    fmodes((rm) => I.fmadd(FS, rm), { a: S(p2(-100)), b: S(p2(-100)), c: box(1) }, [box(1), box(1), box(1), box(2), box(1)], NX | UF);
  });
});

describe('sign injection, min/max, compare, classify', () => {
  test('FSGNJ/FSGNJN/FSGNJX keep every other bit (even NaN payloads) and raise nothing', () => {
    fres(I.fsgnj(FD), { a: D(1.5), b: D(-2) }, D(-1.5), 0);
    fres(I.fsgnjn(FD), { a: D(1.5), b: D(-2) }, D(1.5), 0);
    fres(I.fsgnjx(FD), { a: D(-1.5), b: D(-2) }, D(1.5), 0);
    fres(I.fsgnj(FD), { a: D_SNAN, b: D(-1) }, D_SNAN | (1n << 63n), 0);
    fres(I.fsgnjx(FD), { a: 0xfff8000000000123n, b: D(-1) }, 0x7ff8000000000123n, 0);
    fres(I.fsgnj(FS), { a: S(1.5), b: S(-2) }, S(-1.5), 0);
    fres(I.fsgnjn(FS), { a: S(1.5), b: S(2) }, S(-1.5), 0);
    fres(I.fsgnjx(FS), { a: S(-1.5), b: S(2) }, S(-1.5), 0);
    fres(I.fsgnjn(FS), { a: box(S_SNAN), b: box(S_SNAN) }, box(S_SNAN | 0x80000000), 0);
  });

  test('FMIN/FMAX: minimumNumber/maximumNumber', () => {
    fres(I.fmin(FD), { a: D(1), b: D(-2) }, D(-2), 0);
    fres(I.fmax(FD), { a: D(1), b: D(-2) }, D(1), 0);
    fres(I.fmin(FD), { a: D(0), b: D(-0) }, D(-0), 0);
    fres(I.fmin(FD), { a: D(-0), b: D(0) }, D(-0), 0);
    fres(I.fmax(FD), { a: D(-0), b: D(0) }, D(0), 0);
    fres(I.fmax(FD), { a: D(0), b: D(-0) }, D(0), 0);
    fres(I.fmin(FD), { a: D_QNAN_PAYLOAD, b: D(3) }, D(3), 0);
    fres(I.fmax(FD), { a: D(3), b: D_SNAN }, D(3), NV);
    fres(I.fmin(FD), { a: D_QNAN_PAYLOAD, b: D_QNAN_PAYLOAD }, D_QNAN, 0);
    fres(I.fmax(FD), { a: D_SNAN, b: D_QNAN }, D_QNAN, NV);
    fres(I.fmin(FD), { a: D_NINF, b: D(-1) }, D_NINF, 0);
    fres(I.fmin(FS), { a: S(1), b: S(-2) }, S(-2), 0);
    fres(I.fmax(FS), { a: S(-0), b: S(0) }, S(0), 0);
    fres(I.fmin(FS), { a: S(0), b: S(-0) }, S(-0), 0);
    fres(I.fmin(FS), { a: box(S_SNAN), b: S(7) }, S(7), NV);
    fres(I.fmax(FS), { a: box(0x7fc00001), b: box(0xffc00000) }, box(S_QNAN), 0);
  });

  test('FEQ is quiet, FLT/FLE signal on any NaN', () => {
    xres(I.feq(FD), { a: D(1), b: D(1) }, 1n, 0);
    xres(I.feq(FD), { a: D(0), b: D(-0) }, 1n, 0);
    xres(I.flt(FD), { a: D(-0), b: D(0) }, 0n, 0);
    xres(I.fle(FD), { a: D(-0), b: D(0) }, 1n, 0);
    xres(I.flt(FD), { a: D(1), b: D(2) }, 1n, 0);
    xres(I.flt(FD), { a: D(2), b: D(1) }, 0n, 0);
    xres(I.fle(FD), { a: D(2), b: D(2) }, 1n, 0);
    xres(I.fle(FD), { a: D_NINF, b: D(-1e300) }, 1n, 0);
    xres(I.feq(FD), { a: D_QNAN, b: D_QNAN }, 0n, 0);
    xres(I.feq(FD), { a: D(1), b: D_SNAN }, 0n, NV);
    xres(I.flt(FD), { a: D_QNAN, b: D(1) }, 0n, NV);
    xres(I.fle(FD), { a: D(1), b: D_QNAN }, 0n, NV);
    xres(I.feq(FS), { a: S(1.5), b: S(1.5) }, 1n, 0);
    xres(I.flt(FS), { a: S(1), b: S(1.5) }, 1n, 0);
    xres(I.fle(FS), { a: S(2), b: S(1.5) }, 0n, 0);
    xres(I.feq(FS), { a: box(S_QNAN), b: S(1) }, 0n, 0);
    xres(I.feq(FS), { a: box(S_SNAN), b: S(1) }, 0n, NV);
    xres(I.fle(FS), { a: box(S_QNAN), b: S(1) }, 0n, NV);
  });

  test('FCLASS: all ten classes, S and D', () => {
    const dcases: [bigint, number][] = [
      [D_NINF, 0],
      [D(-1), 1],
      [0x8000000000000001n, 2],
      [D(-0), 3],
      [D(0), 4],
      [0x000fffffffffffffn, 5],
      [D_MAX, 6],
      [D_INF, 7],
      [D_SNAN, 8],
      [0x7ff4000000000000n, 8],
      [D_QNAN, 9],
      [0xfff8000000000001n, 9],
    ];
    for (const [v, bit] of dcases) xres(I.fclass(FD), { a: v }, 1n << BigInt(bit), 0, hex(v));
    const scases: [number, number][] = [
      [0xff800000, 0],
      [0xbf800000, 1],
      [0x807fffff, 2],
      [0x80000000, 3],
      [0x00000000, 4],
      [0x00000001, 5],
      [0x00800000, 6],
      [S_INF, 7],
      [S_SNAN, 8],
      [0xffa00000, 8],
      [S_QNAN, 9],
      [0xffc00001, 9],
    ];
    for (const [v, bit] of scases) xres(I.fclass(FS), { a: box(v) }, 1n << BigInt(bit), 0, v.toString(16));
  });
});

describe('NaN-boxing', () => {
  const unboxed = [0x000000003f800000n, 0xfffffffe3f800000n, 0x7fffffff3f800000n, D(1)];
  test('an improperly boxed S operand reads as the canonical NaN', () => {
    for (const a of unboxed) {
      fres(I.fadd(FS), { a, b: S(1) }, box(S_QNAN), 0, hex(a));
      fres(I.fmul(FS), { a: S(1), b: a }, box(S_QNAN), 0);
      fres(I.fmadd(FS), { a: S(1), b: S(1), c: a }, box(S_QNAN), 0);
      xres(I.fclass(FS), { a }, 1n << 9n, 0);
      xres(I.feq(FS), { a, b: a }, 0n, 0); // a quiet NaN: FEQ stays quiet
      xres(I.flt(FS), { a, b: S(1) }, 0n, NV);
      fres(I.fmin(FS), { a, b: S(-4) }, S(-4), 0);
      fres(I.fsgnj(FS), { a, b: S(-1) }, box(0xffc00000), 0); // not a transfer: canonical NaN with new sign
      fres(I.fsgnjn(FS), { a: S(2), b: a }, S(-2), 0); // the canonical NaN's sign is +
      fres(I.fcvt_d_s(), { a }, D_QNAN, 0);
      xres(I.fcvt_i(W, FS, RTZ), { a }, 0x7fffffffn, NV);
    }
  });
  test('S results are boxed; D results are not', () => {
    const o = run(I.fadd(FS), { a: S(1), b: S(2) });
    assert.equal(hex(o.f), hex(0xffffffff40400000n));
    assert.equal(hex(run(I.fadd(FD), { a: D(1), b: D(2) }).f), hex(D(3)));
  });
});

describe('moves', () => {
  test('FMV.X.W sign-extends the low word without a NaN-box check; FMV.W.X boxes', () => {
    xres(I.fmv_x(FS), { a: box(0xbf800000) }, 0xffffffffbf800000n, 0);
    xres(I.fmv_x(FS), { a: 0x123456787f800001n }, 0x7f800001n, 0); // unboxed: still the raw low word
    xres(I.fmv_x(FS), { a: 0x0000000080000000n }, 0xffffffff80000000n, 0);
    fres(I.fmv_f(FS), { x: 0x123456787f800001n }, box(0x7f800001), 0); // payload preserved
    fres(I.fmv_f(FS), { x: 0x00000000ff800000n }, box(0xff800000), 0);
  });
  test('FMV.X.D / FMV.D.X move all 64 bits unchanged', () => {
    xres(I.fmv_x(FD), { a: D_SNAN }, D_SNAN, 0);
    xres(I.fmv_x(FD), { a: 0xfff0000000000abcn }, 0xfff0000000000abcn, 0);
    fres(I.fmv_f(FD), { x: 0x7ff0000000000abcn }, 0x7ff0000000000abcn, 0);
    fres(I.fmv_f(FD), { x: 0x8000000000000000n }, D(-0), 0);
    fres(I.fmv_f(FD), { x: 0x0000000180000000n }, 0x0000000180000000n, 0);
  });
});

describe('conversions', () => {
  test('FCVT.S.D rounds in every mode; FCVT.D.S is exact', () => {
    // 1 + 2^-24 is a binary32 tie; 1 + 2^-24 + 2^-52 is just above it.
    const one = S(1);
    const up = box(0x3f800001);
    fmodes((rm) => I.fcvt_s_d(rm), { a: D(1 + p2(-24)) }, [one, one, one, up, up], NX);
    fmodes((rm) => I.fcvt_s_d(rm), { a: D(1 + p2(-24) + p2(-52)) }, [up, one, one, up, up], NX);
    fmodes((rm) => I.fcvt_s_d(rm), { a: D(-(1 + p2(-24))) }, [S(-1), S(-1), box(0xbf800001), S(-1), box(0xbf800001)], NX);
    fres(I.fcvt_s_d(), { a: D(0.1) }, S(Math.fround(0.1)), NX);
    fres(I.fcvt_s_d(), { a: D(-0) }, S(-0), 0);
    fres(I.fcvt_s_d(), { a: D_NINF }, box(0xff800000), 0);
    fres(I.fcvt_s_d(), { a: D_QNAN_PAYLOAD }, box(S_QNAN), 0);
    fres(I.fcvt_s_d(), { a: D_SNAN }, box(S_QNAN), NV);
    // Below the binary32 range: 2^-150 is a tie between 0 and 2^-149; 2^-1074 vanishes.
    fmodes((rm) => I.fcvt_s_d(rm), { a: D(p2(-150)) }, [S(0), S(0), S(0), box(1), box(1)], NX | UF);
    fmodes((rm) => I.fcvt_s_d(rm), { a: 0x8000000000000001n }, [S(-0), S(-0), box(0x80000001), S(-0), S(-0)], NX | UF);
    fres(I.fcvt_s_d(), { a: D(p2(-149)) }, box(1), 0);
    fres(I.fcvt_d_s(), { a: S(Math.fround(1.1)) }, D(Math.fround(1.1)), 0);
    fres(I.fcvt_d_s(), { a: box(1) }, D(p2(-149)), 0);
    fres(I.fcvt_d_s(), { a: box(0xff800000) }, D_NINF, 0);
    fres(I.fcvt_d_s(), { a: box(S_SNAN) }, D_QNAN, NV);
    fres(I.fcvt_d_s(), { a: box(0xffc00123) }, D_QNAN, 0);
  });

  test('float -> W, WU, L, LU: rounding of 2.5 and -2.5 in every mode', () => {
    for (const kind of [W, L]) {
      for (const fmt of [FS, FD]) {
        const v = (x: number) => (fmt === FD ? D(x) : S(x));
        xmodes((rm) => I.fcvt_i(kind, fmt, rm), { a: v(2.5) }, [2n, 2n, 2n, 3n, 3n], NX);
        xmodes((rm) => I.fcvt_i(kind, fmt, rm), { a: v(-2.5) }, [-2n, -2n, -3n, -2n, -3n], NX);
        xmodes((rm) => I.fcvt_i(kind, fmt, rm), { a: v(-7) }, [-7n, -7n, -7n, -7n, -7n], 0);
      }
    }
    xmodes((rm) => I.fcvt_i(WU, FD, rm), { a: D(3.5) }, [4n, 3n, 3n, 4n, 4n], NX);
    xmodes((rm) => I.fcvt_i(LU, FS, rm), { a: S(0.75) }, [1n, 0n, 0n, 1n, 1n], NX);
  });

  test('-0.5 and -0.4 to unsigned: values that round to 0 are fine (NX), others are invalid (NV, 0)', () => {
    for (const kind of [WU, LU]) {
      xmodes((rm) => I.fcvt_i(kind, FD, rm), { a: D(-0.5) }, [0n, 0n, 0n, 0n, 0n], [NX, NX, NV, NX, NV]);
      xmodes((rm) => I.fcvt_i(kind, FS, rm), { a: S(-0.5) }, [0n, 0n, 0n, 0n, 0n], [NX, NX, NV, NX, NV]);
      xmodes((rm) => I.fcvt_i(kind, FD, rm), { a: D(-0.4) }, [0n, 0n, 0n, 0n, 0n], [NX, NX, NV, NX, NX]);
      xres(I.fcvt_i(kind, FD), { a: D(-0) }, 0n, 0);
      xres(I.fcvt_i(kind, FD), { a: D(-1) }, 0n, NV);
    }
  });

  test('32-bit results are sign-extended, WU included', () => {
    xres(I.fcvt_i(W, FD), { a: D(-1) }, -1n, 0);
    xres(I.fcvt_i(WU, FD), { a: D(p2(31)) }, 0xffffffff80000000n, 0);
    xres(I.fcvt_i(WU, FD), { a: D(p2(32) - 1) }, -1n, 0);
    xres(I.fcvt_i(WU, FD), { a: D(0x7fffffff) }, 0x7fffffffn, 0);
    xres(I.fcvt_i(WU, FS, RTZ), { a: S(p2(32) - 256) }, 0xffffffffffffff00n, 0);
  });

  test('W/WU boundaries and saturation', () => {
    // 2^31 - 0.5: RNE ties to 2^31 (out of range), RTZ gives 2^31 - 1.
    xmodes((rm) => I.fcvt_i(W, FD, rm), { a: D(p2(31) - 0.5) }, [0x7fffffffn, 0x7fffffffn, 0x7fffffffn, 0x7fffffffn, 0x7fffffffn], [NV, NX, NX, NV, NV]);
    xmodes((rm) => I.fcvt_i(W, FD, rm), { a: D(-p2(31) - 0.5) }, [-(2n ** 31n), -(2n ** 31n), -(2n ** 31n), -(2n ** 31n), -(2n ** 31n)], [NX, NX, NV, NX, NV]);
    xres(I.fcvt_i(W, FD), { a: D(-p2(31)) }, -(2n ** 31n), 0);
    xres(I.fcvt_i(W, FD), { a: D(p2(31)) }, 0x7fffffffn, NV);
    xres(I.fcvt_i(W, FS), { a: S(-p2(40)) }, -(2n ** 31n), NV);
    xres(I.fcvt_i(W, FD), { a: D_INF }, 0x7fffffffn, NV);
    xres(I.fcvt_i(W, FD), { a: D_NINF }, -(2n ** 31n), NV);
    xres(I.fcvt_i(W, FD), { a: D_QNAN }, 0x7fffffffn, NV);
    xres(I.fcvt_i(W, FD), { a: 0xfff8000000000000n }, 0x7fffffffn, NV); // negative NaN: still the max
    xmodes((rm) => I.fcvt_i(WU, FD, rm), { a: D(p2(32) - 0.5) }, [-1n, -1n, -1n, -1n, -1n], [NV, NX, NX, NV, NV]);
    xres(I.fcvt_i(WU, FD), { a: D(p2(32)) }, -1n, NV);
    xres(I.fcvt_i(WU, FS), { a: box(S_INF) }, -1n, NV);
    xres(I.fcvt_i(WU, FS), { a: box(0xff800000) }, 0n, NV);
    xres(I.fcvt_i(WU, FD), { a: D_SNAN }, -1n, NV);
  });

  test('L/LU boundaries at 2^63 and 2^64', () => {
    const LMAX = 0x7fffffffffffffffn;
    const LMIN = 0x8000000000000000n;
    xres(I.fcvt_i(L, FD), { a: D(p2(63)) }, LMAX, NV);
    xres(I.fcvt_i(L, FD), { a: D(p2(63) - 1024) }, 0x7ffffffffffffc00n, 0); // largest double below 2^63
    xres(I.fcvt_i(L, FD), { a: D(-p2(63)) }, LMIN, 0);
    xres(I.fcvt_i(L, FD), { a: D(-p2(63) - 2048) }, LMIN, NV);
    xres(I.fcvt_i(L, FS), { a: S(p2(63)) }, LMAX, NV);
    xres(I.fcvt_i(L, FS), { a: S(-p2(63)) }, LMIN, 0);
    xres(I.fcvt_i(L, FS), { a: S(p2(62) + p2(39)) }, (1n << 62n) + (1n << 39n), 0);
    xres(I.fcvt_i(L, FD), { a: D_NINF }, LMIN, NV);
    xres(I.fcvt_i(L, FD), { a: D_QNAN }, LMAX, NV);
    xres(I.fcvt_i(LU, FD), { a: D(p2(64)) }, M64, NV);
    xres(I.fcvt_i(LU, FD), { a: D(p2(64) - 2048) }, 0xfffffffffffff800n, 0);
    xres(I.fcvt_i(LU, FD), { a: D(p2(63)) }, 0x8000000000000000n, 0);
    xres(I.fcvt_i(LU, FS), { a: S(p2(64)) }, M64, NV);
    xres(I.fcvt_i(LU, FS), { a: S(p2(64) - p2(40)) }, 0xffffff0000000000n, 0);
    xres(I.fcvt_i(LU, FD), { a: D_QNAN }, M64, NV);
    xres(I.fcvt_i(LU, FD), { a: D_NINF }, 0n, NV);
    xmodes((rm) => I.fcvt_i(L, FD, rm), { a: D(-0.5) }, [0n, 0n, -1n, 0n, -1n], NX);
    xmodes((rm) => I.fcvt_i(L, FD, rm), { a: D(p2(51) + 0.5) }, [2251799813685248n, 2251799813685248n, 2251799813685248n, 2251799813685249n, 2251799813685249n], NX);
  });

  test('W/WU -> S/D: exact into D, rounded into S; only the low word is used', () => {
    fres(I.fcvt_f(FD, W), { x: 0x12345678fffffffbn }, D(-5), 0);
    fres(I.fcvt_f(FD, WU), { x: 0x12345678fffffffbn }, D(4294967291), 0);
    fres(I.fcvt_f(FD, W), { x: 0x0000000180000000n }, D(-p2(31)), 0);
    fres(I.fcvt_f(FS, W), { x: 123456n }, S(123456), 0);
    fres(I.fcvt_f(FS, W, RDN), { x: 0n }, S(0), 0); // +0, even rounding down
    // 2^24 + 1 is a binary32 tie; 2^32 - 1 is just below 2^32.
    fmodes((rm) => I.fcvt_f(FS, W, rm), { x: (1n << 24n) + 1n }, [S(p2(24)), S(p2(24)), S(p2(24)), S(p2(24) + 2), S(p2(24) + 2)], NX);
    fmodes((rm) => I.fcvt_f(FS, W, rm), { x: -((1n << 24n) + 1n) }, [S(-p2(24)), S(-p2(24)), S(-p2(24) - 2), S(-p2(24)), S(-p2(24) - 2)], NX);
    fmodes((rm) => I.fcvt_f(FS, WU, rm), { x: 0xffffffffn }, [S(p2(32)), S(p2(32) - 256), S(p2(32) - 256), S(p2(32)), S(p2(32))], NX);
  });

  test('L/LU -> S/D round correctly in every mode', () => {
    const two63 = D(p2(63));
    const below = D(p2(63) - 1024);
    fmodes((rm) => I.fcvt_f(FD, L, rm), { x: (1n << 63n) - 1n }, [two63, below, below, two63, two63], NX);
    fmodes((rm) => I.fcvt_f(FD, L, rm), { x: 1n << 63n }, [D(-p2(63)), D(-p2(63)), D(-p2(63)), D(-p2(63)), D(-p2(63))], 0);
    fmodes((rm) => I.fcvt_f(FD, L, rm), { x: -((1n << 53n) + 1n) }, [D(-p2(53)), D(-p2(53)), D(-p2(53) - 2), D(-p2(53)), D(-p2(53) - 2)], NX);
    fmodes((rm) => I.fcvt_f(FD, LU, rm), { x: M64 }, [D(p2(64)), D(p2(64) - 2048), D(p2(64) - 2048), D(p2(64)), D(p2(64))], NX);
    fmodes((rm) => I.fcvt_f(FD, LU, rm), { x: (1n << 53n) + 1n }, [D(p2(53)), D(p2(53)), D(p2(53)), D(p2(53) + 2), D(p2(53) + 2)], NX);
    // Exact values need no rounding.
    fres(I.fcvt_f(FD, LU, RTZ), { x: 0x8000000000000800n }, D(p2(63) + 2048), 0);
    fres(I.fcvt_f(FD, L), { x: -1n }, D(-1), 0);
    fmodes((rm) => I.fcvt_f(FS, LU, rm), { x: M64 }, [S(p2(64)), S(p2(64) - p2(40)), S(p2(64) - p2(40)), S(p2(64)), S(p2(64))], NX);
    // (2^24 + 1) 2^30 is a binary32 tie; one more unit breaks it.
    fmodes((rm) => I.fcvt_f(FS, L, rm), { x: ((1n << 24n) + 1n) << 30n }, [S(p2(54)), S(p2(54)), S(p2(54)), S(p2(54) + p2(31)), S(p2(54) + p2(31))], NX);
    fmodes((rm) => I.fcvt_f(FS, L, rm), { x: (((1n << 24n) + 1n) << 30n) + 1n }, [S(p2(54) + p2(31)), S(p2(54)), S(p2(54)), S(p2(54) + p2(31)), S(p2(54) + p2(31))], NX);
    fmodes((rm) => I.fcvt_f(FS, L, rm), { x: -(((1n << 24n) + 1n) << 30n) - 1n }, [S(-p2(54) - p2(31)), S(-p2(54)), S(-p2(54) - p2(31)), S(-p2(54)), S(-p2(54) - p2(31))], NX);
  });
});

// ---- golden vectors --------------------------------------------------------------------------------------

// Outputs of qemu-system-riscv64 7.2 for random and edge-targeted inputs (registers as in run(): rd = 10,
// rs1 = 11, rs2 = 12, rs3 = 13; f10 starts as 0x5a5a..., x10 as 0x3c3c...). Columns: instruction word, frm,
// f11, f12, f13, x11, then the expected f10, x10 and fflags.
const GOLDEN: string = `
6ac5854f 1 ffec822699dc4a0a bfe1f5a985fba1db 0000000000000000 ffffffff0fb3acc0 ffe0000000000000 3c3c3c3c3c3c3c3c 01
42059553 3 ffffffff75963acd ffffffffbd0ec425 ffffffffb6450602 0004000000000000 46b2c759a0000000 3c3c3c3c3c3c3c3c 00
1ac58553 4 bfa83f37a2a5e888 7f883f37a2a5e885 0053067f8b496c31 00000018211d0899 8010000000000002 3c3c3c3c3c3c3c3c 01
5805c553 1 ffffffff7ae249bf ffffffff3eb9a85a ffffffff69f00000 00000244f1e6322a ffffffff5d2a30d1 3c3c3c3c3c3c3c3c 01
d025f553 4 ffffffff3a6ba058 ffffffffff800000 ffffffffc46f7106 00025d290b8cddde ffffffff58174a43 3c3c3c3c3c3c3c3c 01
12c58553 2 bf01436977e3b5bf c0244fb73c48c77e 44ab5a3862bfffff 0000157cdedb3581 3f35ea4662ae34d7 3c3c3c3c3c3c3c3c 01
28c58553 1 ffffffffe8a571ff ffffffffdfa571ff ffffffffc9632768 000000000000e45e ffffffffe8a571ff 3c3c3c3c3c3c3c3c 00
0ac5a553 4 bfbab18b1452eade be1ab18b1452eade 7ff8000000000000 0000005182de268b bfbab18b0da68819 3c3c3c3c3c3c3c3c 01
12c5f553 3 96688cd6c911b29f a654daf2d32c8e7c 8010000000000000 000002ceba41fe3b 0000000000000001 3c3c3c3c3c3c3c3c 03
a0c58553 4 ffffffff745f0000 ffffffff7f370ee1 ffffffffc6358a80 0000000000000d74 5a5a5a5a5a5a5a5a 0000000000000001 00
f0058553 3 ffffffff825ee7b7 ffffffffbbdd0000 ffffffffbf800000 fffffffffffffff0 fffffffffffffff0 3c3c3c3c3c3c3c3c 00
c005a553 0 ffffffff3662ece6 ffffffff82bbaa9e ffffffffbc5fffff 0000000000000100 5a5a5a5a5a5a5a5a 0000000000000000 01
e2059553 3 3e33c7f8d158d05e e5657a26c0000000 7fe581c005a1bfff 0000001105400000 5a5a5a5a5a5a5a5a 0000000000000040 00
12c5a553 3 c043d2909f284e00 8000000000000000 fda917f69a196425 00002683bbadcb39 0000000000000000 3c3c3c3c3c3c3c3c 00
a2c58553 2 4046a2fe373e26b2 c046a2fe373e26b2 262648c5ed1486e2 000000000000000f 5a5a5a5a5a5a5a5a 0000000000000000 00
5a058553 0 bdb887f93b77c57a 7ecadd6b3fbd0fc8 426430b3c5a7a402 0000000000000005 7ff8000000000000 3c3c3c3c3c3c3c3c 10
d205f553 3 8141ffffffffffff fd31f795e24bd404 bf7f914000000000 0000000000000880 40a1000000000000 3c3c3c3c3c3c3c3c 00
18c5f553 3 ffffffffb305c720 fffffffffda8566b ffffffff783fffff 0000000034000000 ffffffff00000001 3c3c3c3c3c3c3c3c 03
e0059553 3 ffffffff4120ce46 fffffffff9e443a9 fffffffffe4e6200 00000247c11bca28 5a5a5a5a5a5a5a5a 0000000000000040 00
2ac59553 0 81377e56c08814c8 01377e56c08814c8 8184bfffffffffff fffffffffffff915 01377e56c08814c8 3c3c3c3c3c3c3c3c 00
58058553 0 ffffffff741ae633 ffffffff44ee7b40 ffffffffba6c545d 0000000000000062 ffffffff59c72235 3c3c3c3c3c3c3c3c 01
f2058553 4 3fa656c090cfc6a7 43e0000000000000 c241860b8c486143 0000004000000000 0000004000000000 3c3c3c3c3c3c3c3c 00
2ac59553 0 be9cb0335a07fb5e fde56a1e6a91ffff 00773b9fdd71c6cd f6cda82800000000 be9cb0335a07fb5e 3c3c3c3c3c3c3c3c 00
02c5f553 0 41e5400000000000 c1e5400000000000 7e7c044000000000 001d19dbabed9748 0000000000000000 3c3c3c3c3c3c3c3c 00
68c5c547 2 ffffffffb953afff ffffffffff7fffff ffffffff707fffff 0000000000dfba97 ffffffff7953afbe 3c3c3c3c3c3c3c3c 01
68c5f54f 3 ffffffff42a88677 ffffffffc2a88677 ffffffff45dde187 0000000080000000 ffffffffba2f34af 3c3c3c3c3c3c3c3c 00
1ac5f553 0 41e50f3c7c48d69f c1e50f3c7c48d69f b61864978844d25a 0000000629f6e076 bff0000000000000 3c3c3c3c3c3c3c3c 00
d235f553 2 40a9694348b18000 c0a9694348b18000 417f6854c7928106 00000000000ca49a 4129493400000000 3c3c3c3c3c3c3c3c 00
6ac5854b 1 3eae1fd7246c970d beae1fd7246c970d 3d6c5bd312c89f3b 7fffffffffffffff 3d7c5bd312c89f3a 3c3c3c3c3c3c3c3c 01
4015f553 0 414f966602051bb7 c14f966602051bb7 7e960349905d0256 0000000000000192 ffffffff4a7cb330 3c3c3c3c3c3c3c3c 01
c215f553 0 7ff8000000000123 67eb95be1f226de8 7ccba8c1208d01ff fffffffffffffffc 5a5a5a5a5a5a5a5a ffffffffffffffff 10
d235f553 1 bed8117e3fffffff 40e9f0fbb920d300 818823de3f0e8787 000000236f7045e5 4241b7b822f28000 3c3c3c3c3c3c3c3c 00
a0c58553 3 ffffffff8724a533 ffffffffc7e65297 ffffffff424a1a5e 00000000000000df 5a5a5a5a5a5a5a5a 0000000000000000 00
10c5f553 3 ffffffffba655fff ffffffff80000476 ffffffff395d691b 0000012333cbe000 ffffffff00000001 3c3c3c3c3c3c3c3c 03
02c5c553 2 40777d328846dfff ffe0000000000000 7d82ac257251b1ae 0000000001000000 ffe0000000000000 3c3c3c3c3c3c3c3c 01
c025a553 4 ffffffff3fc00000 ffffffffbfbfffff ffffffff856c8405 0000000000000002 5a5a5a5a5a5a5a5a 0000000000000001 01
28c59553 1 ffffffff353b0873 ffffffffb53b0872 ffffffff6107584f fff960c7598b54e8 ffffffff353b0873 3c3c3c3c3c3c3c3c 00
f0058553 4 ffffffff8086300b ffffffffd12bb132 ffffffff04e3a170 0000000080000000 ffffffff80000000 3c3c3c3c3c3c3c3c 00
02c58553 1 beaa0145beacd6bc c1f47c9adb2ac259 7fa87d5ff588cc66 00ac000000000000 c1f47c9adb2ac25a 3c3c3c3c3c3c3c3c 01
12c5c553 3 7ff0000000000000 e64b56ffffffffff c058c9a45dc853c2 00000001f6517c86 fff0000000000000 3c3c3c3c3c3c3c3c 00
a0c59553 4 ffffffff3084d100 ffffffffffef9b60 ffffffff4641dac1 0000000000600000 5a5a5a5a5a5a5a5a 0000000000000000 10
e0058553 4 ffffffffc97c907f ffffffff497c907f 123456787f800001 fffffffffffffc00 5a5a5a5a5a5a5a5a ffffffffc97c907f 00
c0259553 3 ffffffff402b68f3 ffffffff33ab68f3 ffffffff43655546 0000000000000026 5a5a5a5a5a5a5a5a 0000000000000002 01
4205f553 0 ffffffff944496ff ffffffff7fc00000 ffffffff37d8e98f 0000000001000001 ba8892dfe0000000 3c3c3c3c3c3c3c3c 00
c015c553 0 ffffffff0bc7c4f9 ffffffff429ba5a7 ffffffff4520fcbe 0000000000000004 5a5a5a5a5a5a5a5a 0000000000000000 01
c205b553 2 be10ab2780000000 7f84771a5a09f949 ffd6e69400000000 fffffa139058f056 5a5a5a5a5a5a5a5a 0000000000000000 01
c2358553 2 7dc163b8cb55f113 c3e0000000000000 3fe0000000000000 0000000000009e55 5a5a5a5a5a5a5a5a ffffffffffffffff 10
68c5f547 2 ffffffff4f800000 ffffffff8508f1df fffffffffe800000 fffffff89dc650a7 ffffffff7e7fffff 3c3c3c3c3c3c3c3c 01
6ac5f543 1 801337646eb16ca3 3d03fba300974046 0000000000000002 00000037c146cfb3 800000000000002d 3c3c3c3c3c3c3c3c 03
02c58553 3 7fefffffffffffff ffefffffffffffff fdfe7d275d141742 7ffffffffffffe00 0000000000000000 3c3c3c3c3c3c3c3c 00
d0258553 3 ffffffff00000001 ffffffff80000001 ffffffffbbc00bc3 8000000000000400 ffffffffdf000000 3c3c3c3c3c3c3c3c 01
68c5a54f 4 ffffffff3fa89c3e ffffffff00000023 ffffffff00000000 162e8f263e8fb4a3 ffffffff8000002f 3c3c3c3c3c3c3c3c 03
e2058553 3 be433c794610b057 3e433c794610b057 3f8bb6e25db60461 00000000ac0d65d9 5a5a5a5a5a5a5a5a be433c794610b057 00
1ac5f553 3 3e09c27b2da6fbc0 80000000000ce13e 95326f9c76a22754 0000000807e925c4 ffeffffefab20b67 3c3c3c3c3c3c3c3c 01
18c5b553 4 ffffffffb9098fff ffffffff3cb8af14 ffffffff398b8fc2 000000000000b5bf ffffffffbbbeaebb 3c3c3c3c3c3c3c3c 01
6ac5a547 0 3a16ba6e80000000 7ff0000000000002 7c20000000000002 000000004c564036 7ff8000000000000 3c3c3c3c3c3c3c3c 10
c0159553 1 ffffffff4232b3ef ffffffffb674d6d0 ffffffff7aa695ff ffffffffffffffff 5a5a5a5a5a5a5a5a 000000000000002c 01
0ac5b553 1 7f60f28656b2491e 7f60f28656b2491c 3e8b0afe4d0633b4 61b302023f000000 7c30000000000000 3c3c3c3c3c3c3c3c 00
00c59553 0 ffffffff44f0c4a9 ffffffff2038c500 ffffffff38761c00 fffffffffffef902 ffffffff44f0c4a9 3c3c3c3c3c3c3c3c 01
0ac5f553 3 4008000000000000 fc4cdb7796c7ffff bf5de7deb0000000 0000000795d64000 7c4cdb7796c80000 3c3c3c3c3c3c3c3c 01
d0358553 3 ffffffffc3aad635 ffffffff3c543fff ffffffff80476998 677b200000000000 ffffffff5ecef640 3c3c3c3c3c3c3c3c 00
6ac5a54f 4 c13411b0a6bbf4e9 8000000000000001 0000000000000000 168a1a9aaef35eb6 80000000001411b1 3c3c3c3c3c3c3c3c 03
e0058553 1 ffffffff7539fe12 ffffffff41f8c5fc ffffffff450f5388 fffffcd4fddcf8b1 5a5a5a5a5a5a5a5a 000000007539fe12 00
d2159553 3 a96acc87f560c6d2 a8facc87f560c6d2 3f679f03febb6020 00000000004bea3e 4152fa8f80000000 3c3c3c3c3c3c3c3c 00
5a05f553 2 3e102996f050a377 017f7fffffffffff 4000000000000000 0000000000000001 3f0014be063821b5 3c3c3c3c3c3c3c3c 01
1ac58553 1 8000000000000000 0000000000000001 3ff03c5c396bab71 0000000005b21677 8000000000000000 3c3c3c3c3c3c3c3c 00
68c5f547 3 ffffffffc96effff ffffffff8186712b 12345678fdd80000 0000000000007c13 ffffffff7fc00000 3c3c3c3c3c3c3c3c 00
6ac5f54b 3 be2214883b249809 000000054f46d715 0000000000000000 0000000000000000 0000000000000030 3c3c3c3c3c3c3c3c 03
c235c553 2 7ca4ffffffffffff 416864c54bffffff 0391eb5b478643f6 0000000000000001 5a5a5a5a5a5a5a5a ffffffffffffffff 10
6ac5a54f 1 807c1fffffffffff 3f823456789abcdd 0000000000000000 00000000000b7668 000ffffffffffffd 3c3c3c3c3c3c3c3c 03
12c5a553 1 c1034bb6adc8a800 00000006a2327e8a 4330000000000001 ffffffffffffffff 801000000000b2b1 3c3c3c3c3c3c3c3c 01
f2058553 3 ceceddf1f2953a91 4eceddf1f2953a8f c1b438b078eb92c1 ffffffffffdeb000 ffffffffffdeb000 3c3c3c3c3c3c3c3c 00
22c5a553 1 bdd1d98040d749f1 7f8d460b5a0a4a6d 015dccdd3d3fe9e6 0000000000000000 bdd1d98040d749f1 3c3c3c3c3c3c3c3c 00
c235f553 0 839affffffffffff bee24042da296517 4451b1eebd819fff 000000001b43c900 5a5a5a5a5a5a5a5a 0000000000000000 01
6ac5c543 0 3e7755c48f302ac3 42462ff000000000 c0d02dec1e659e0e 0000000000000000 3d5f1e8000000000 3c3c3c3c3c3c3c3c 00
6ac5a543 2 36318724e2000000 fff0000000000001 fff0000000000002 0000000000a2a6fa 7ff8000000000000 3c3c3c3c3c3c3c3c 10
20c59553 0 ffffffff435c87a9 ffffffffc35c87a9 ffffffffb1c72dff 7fffffffffffffff ffffffff435c87a9 3c3c3c3c3c3c3c3c 00
a0c5a553 1 ffffffffc4ea007c ffffffff74b0997b ffffffffbdeb79eb 00000000191aa72f 5a5a5a5a5a5a5a5a 0000000000000000 00
20c58553 3 ffffffff2b68ffff ffffffffff800000 ffffffffde800000 00000000001be928 ffffffffab68ffff 3c3c3c3c3c3c3c3c 00
08c5b553 4 ffffffff4497a124 ffffffffc497a124 ffffffffbb0e649c 0000000000000c8c ffffffff4517a124 3c3c3c3c3c3c3c3c 00
40159553 2 0010000000000000 ff7a8295f9be8ce9 bfe1c3113b7a1c90 0000000000000020 ffffffff00000000 3c3c3c3c3c3c3c3c 03
2ac58553 2 8931690000000000 0931690000000002 bf4ff7dd6a8c1fff 1a9d8b30348e776d 8931690000000000 3c3c3c3c3c3c3c3c 00
22c59553 1 41c7ffffffffffff c1c7fffffffffffd 8010000000000000 00000364eac34e85 41c7ffffffffffff 3c3c3c3c3c3c3c3c 00
68c5c54b 0 ffffffff41d24000 ffffffff0004ded3 ffffffff00000002 000004306437e031 ffffffff80800017 3c3c3c3c3c3c3c3c 01
68c5954b 1 ffffffffb5812e07 ffffffff35812e08 ffffffff3c327c56 000000007fffffff ffffffff3c327c56 3c3c3c3c3c3c3c3c 01
e2058553 2 1d037447b0f144c2 9bc37447b0f144c2 bff0000000000000 0000000003b49f47 5a5a5a5a5a5a5a5a 1d037447b0f144c2 00
4015c553 3 7ec3dc3905b979cb c22d1a607fffffff dc4fc04c42ce68af 000000000003907e ffffffff7f800000 3c3c3c3c3c3c3c3c 05
68c5b543 1 ffffffff4f000000 ffffffffffffffff ffffffff00000000 000000003255b6d5 ffffffff7fc00000 3c3c3c3c3c3c3c3c 00
a0c59553 2 ffffffff94b9d000 ffffffff09115fdf fffffffffef1ffff fffffd54d4a29d94 5a5a5a5a5a5a5a5a 0000000000000001 00
00c5f553 3 ffffffff473393c5 ffffffffc73393c7 ffffffff7f54869f 00000000000e4fa7 ffffffffbc000000 3c3c3c3c3c3c3c3c 00
0ac59553 1 3f37d437ffffffff 3f37d437fffffffd d37e41582fb5fd93 000000bceabe0574 3c00000000000000 3c3c3c3c3c3c3c3c 00
20c5a553 4 ffffffff81443363 ffffffff01443363 fffffffff3ce7800 0000000000000001 ffffffff81443363 3c3c3c3c3c3c3c3c 00
5a05f553 2 3daac0bc87e194d8 bdaac0bc87e194d8 40668ba94e000000 0000000021000000 3ecd425127e5129f 3c3c3c3c3c3c3c3c 01
22c59553 3 c25dcc3ac2c46a17 3f8d6d1caffd996b c0e5082e72000000 000000ca125697ac c25dcc3ac2c46a17 3c3c3c3c3c3c3c3c 00
e2059553 0 323db15008e51f3b c186e8a42bffffff fcca468c8005d711 0000000200336c6e 5a5a5a5a5a5a5a5a 0000000000000040 00
08c5a553 0 ffffffff7446635f ffffffffff7ffffc fffffffffb6ba400 0011360000000000 ffffffff7f7fffff 3c3c3c3c3c3c3c3c 01
a2c5a553 1 02708ecdf6f80c01 0326a3ffffffffff 3f393ec788b3c267 0837f2fbdb7ba02f 5a5a5a5a5a5a5a5a 0000000000000000 00
10c5f553 4 ffffffff4884d746 ffffffffc884d747 ffffffff979a9800 000010f83565f553 ffffffffd189dd6b 3c3c3c3c3c3c3c3c 01
c015a553 1 ffffffff4f800000 ffffffff81614748 ffffffff3e388927 fffffffff5ed4eec 5a5a5a5a5a5a5a5a ffffffffffffffff 10
c215a553 1 402d7fffffffffff 81dc80b76f58c1fa c13485c4d0abd512 fffeedde1097fe59 5a5a5a5a5a5a5a5a 000000000000000e 01
d215f553 4 7e4a87657ca5ffff 9d8f000000000000 0010000000000000 7836636ebf2c9123 41e7e59224600000 3c3c3c3c3c3c3c3c 00
5a05f553 2 c23576bfffffffff fc72a426597fffff 4340000000000000 00000000aaf50fe9 7ff8000000000000 3c3c3c3c3c3c3c3c 10
10c59553 0 ffffffffb75c532d ffffffffff800001 ffffffff8c820000 703206082e90d051 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
c015b553 3 ffffffffc7a541d4 ffffffff47a541d5 fffffffffcc5a78e 001aa3441ff4c43d 5a5a5a5a5a5a5a5a 0000000000000000 10
08c5f553 2 ffffffff3aa00000 ffffffff3a9fffff fffffffffcf3e4ff f16fbfe800000000 ffffffff2f000000 3c3c3c3c3c3c3c3c 00
4015a553 0 ffe0000000000000 bd15b321efda80f1 4c0549e45a73d840 0000000000000000 ffffffffff800000 3c3c3c3c3c3c3c3c 05
6ac5c543 0 3ded10d4ff88f58f 00000034d87fffa8 0000000000000000 0000000080000000 0000000000000030 3c3c3c3c3c3c3c3c 03
a0c5a553 3 ffffffff878c58e1 ffffffff049336f0 ffffffffba2bc61a 000013743936e163 5a5a5a5a5a5a5a5a 0000000000000000 00
18c5b553 1 ffffffffbd8e81ba fffffffffc8e81bc ffffffffbf28ad59 fffffffffffffc00 ffffffff007fffff 3c3c3c3c3c3c3c3c 03
68c5a54f 3 ffffffffc5d78fe5 fffffffff9180309 fffffffff07ffffd 000000000000000b ffffffffff7ffffd 3c3c3c3c3c3c3c3c 01
28c59553 3 fffffffffe064335 ffffffff7e064337 ffffffff8fb21460 0000005f7d07f13e ffffffff7e064337 3c3c3c3c3c3c3c3c 00
c2059553 0 4004000000000000 c004000000000002 81d849c7fd386e00 ffffffffffffff11 5a5a5a5a5a5a5a5a 0000000000000002 01
5805f553 3 ffffffffc83b6458 ffffffff8a900000 ffffffff77a20000 0000000000000027 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
a2c5a553 2 bf20fda669bb3dbc c089b720c542b19e 79a0ed86cfffffff fffffffffffffe34 5a5a5a5a5a5a5a5a 0000000000000000 00
6ac5854f 4 fe4009a593f654f7 fffffffffffffffe 8000000000000000 000000012c83df29 7ff8000000000000 3c3c3c3c3c3c3c3c 00
18c59553 2 ffffffff7ad65731 ffffffff086ca4ee ffffffff748f9000 fffff97527fad42f ffffffff7f7fffff 3c3c3c3c3c3c3c3c 05
4015a553 1 c06696b53bc2fdf5 3edd68523962beb1 f7eac54440000000 0068fdd22e0f0000 ffffffffc334b5aa 3c3c3c3c3c3c3c3c 01
22c58553 3 0198186f79bf494d 8198186f79bf494e 43e0000000000000 000000000000a8be 8198186f79bf494d 3c3c3c3c3c3c3c3c 00
6ac5f54f 4 c1f154a51e4b6f3f 825c6411fbf13bce 845ec08577d5f460 ffdd521f07bc1231 0106b5c17ab3ec9c 3c3c3c3c3c3c3c3c 00
2ac58553 4 7d30a5eebaf88540 bd92acd5f4e56c01 fc6768ce56d09a69 8000000000000000 bd92acd5f4e56c01 3c3c3c3c3c3c3c3c 00
c035b553 0 ffffffff3c043a3b ffffffff5f001d6e fffffffffc825400 7fffffffffffffff 5a5a5a5a5a5a5a5a 0000000000000001 01
e0059553 4 ffffffff463f7d07 ffffffffbfbf7d07 ffffffff39192667 0a7c5becc134c6ec 5a5a5a5a5a5a5a5a 0000000000000040 00
22c58553 1 ff66a2ce2c3e2d01 017096afffffffff 3fa131d640a66b7f 00000000000005a8 7f66a2ce2c3e2d01 3c3c3c3c3c3c3c3c 00
a2c58553 0 3ebe791830000000 bebe791830000000 ff978c74d5516848 fffffffb97f514f0 5a5a5a5a5a5a5a5a 0000000000000000 00
12c59553 3 8dcc7526bd614f5a b231fdddbcf1fee7 4245a48fdee5ba1d 0000000000010000 000ffffffffffffe 3c3c3c3c3c3c3c3c 03
20c59553 3 ffffffff3a48ffff ffffffffba48ffff ffffffff3bb59000 000000000000009d ffffffff3a48ffff 3c3c3c3c3c3c3c3c 00
10c5f553 4 ffffffff7f800001 ffffffff45284fff ffffffff38728b5c 0000385400000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
68c5a54f 1 ffffffff8e3649df ffffffff0e3649df ffffffff00000000 000000000000001f ffffffff00000000 3c3c3c3c3c3c3c3c 03
68c5c543 1 ffffffffb93e3f8f ffffffff06ac3cf9 ffffffff00000000 0003d44000000000 ffffffff80800004 3c3c3c3c3c3c3c3c 01
d015f553 4 ffffffff43584c09 ffffffffbf8b0000 ffffffff7b04d255 0000000000eecfc4 ffffffff4b6ecfc4 3c3c3c3c3c3c3c3c 00
68c59547 0 f61e6746c54f9a4e ffffffff40000000 ffffffff4015944c 00000000000000f8 ffffffff7fc00000 3c3c3c3c3c3c3c3c 00
4015a553 3 8000000000000003 403f2095ae6cc500 7fb8a39157c6da5c 000000000006d800 ffffffff80000001 3c3c3c3c3c3c3c3c 03
d015b553 0 ffffffff81ff7c95 ffffffff8da62000 ffffffffb9400000 0019b7c540000000 ffffffff4e800000 3c3c3c3c3c3c3c3c 00
1ac59553 4 be32e403b7575fc0 7e12e403b7575fc1 c013bfffffffffff 8000000000000400 800fffffffffffff 3c3c3c3c3c3c3c3c 03
d225b553 4 036b132527ffffff 836b132527fffffd 0179d4b6f747f9c1 ffffffffffffffff bff0000000000000 3c3c3c3c3c3c3c3c 00
20c58553 2 ffffffffc76532b3 ffffffff83540000 ffffffffbf01b1fc 005fa45c13522676 ffffffffc76532b3 3c3c3c3c3c3c3c3c 00
68c5f54f 0 ffffffff0a78af42 ffffffff8a78af42 ffffffff3cf209d0 0000003acc7be556 ffffffffbcf209d0 3c3c3c3c3c3c3c3c 01
10c5f553 2 ffffffffbb57b5ca ffffffffff7fffff ffffffff01362d00 000000000000000e ffffffff7b57b5c9 3c3c3c3c3c3c3c3c 01
6ac5c54b 2 7e4c1342cc5f0000 c1923c9916751bc7 fc2ffffffffffffb 0006b9c12a0cb4ee 7feffffffffffffc 3c3c3c3c3c3c3c3c 01
12c5c553 0 02590b390ce9ca6e 7ff0000000000001 fe6329917b9c8669 fe8bdd450eb60000 7ff8000000000000 3c3c3c3c3c3c3c3c 10
c225c553 4 7f7d0493f69e0000 7f5d0493f69e0000 c07a980000000000 0000000f4d0fe25d 5a5a5a5a5a5a5a5a 7fffffffffffffff 10
68c5b54f 4 ffffffff7a6a5834 ffffffff00000002 ffffffff80000000 0000000000000001 ffffffffb06a5834 3c3c3c3c3c3c3c3c 00
00c59553 4 ffffffffb5bfffff ffffffff35bfffff ffffffff489ff600 0000000000036d12 ffffffff00000000 3c3c3c3c3c3c3c3c 00
00c5f553 1 fffffffff7240fff ffffffff75f71d69 ffffffffb7546b4b 0022be2a0c983d39 fffffffff7052c51 3c3c3c3c3c3c3c3c 01
12c5a553 0 3db77d28dc34b631 fff0000000000002 3fd5555555555555 7fffffffffffffff 7ff8000000000000 3c3c3c3c3c3c3c3c 10
22c5a553 4 802c2ca9124710bd c24f14c2b47b96a9 3ddd40706294ffff ffffff2759ad2004 002c2ca9124710bd 3c3c3c3c3c3c3c3c 00
6ac59543 2 c0b2d95dc5b73031 7ff0000000000000 ffeffffffffffffe fffffffffffffc00 fff0000000000000 3c3c3c3c3c3c3c3c 00
a2c59553 4 0048024517736155 8048024517736155 020c5892ae5cddfd 0000000000000d00 5a5a5a5a5a5a5a5a 0000000000000000 00
28c58553 3 ffffffff667ceebe ffffffffd87ceebe fffffffffe07a61d ffffffffff0f0223 ffffffffd87ceebe 3c3c3c3c3c3c3c3c 00
d205c553 0 0280dcbaf0bbf3b9 8280dcbaf0bbf3bb 83a05390e9edd561 000000000001948e 40f948e000000000 3c3c3c3c3c3c3c3c 00
5805f553 4 ffffffffb7966fff fffffffffc380000 ffffffff7e860000 0000000001000001 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
6ac5954b 0 c174f40eafffffff 000000000c37b5c4 ffffffffffffffff 000130c074500000 7ff8000000000000 3c3c3c3c3c3c3c3c 00
1ac5f553 4 69d2dec5db704bd8 fff0000000000001 c0d4826a404b2f16 0000001bfd34c0ef 7ff8000000000000 3c3c3c3c3c3c3c3c 10
68c5a543 2 ffffffff8b33e398 ffffffff81b3e398 ffffffff7fffffff fffffffffffe7c0d ffffffff7fc00000 3c3c3c3c3c3c3c3c 00
68c5a54b 4 ffffffffbee1439e ffffffff811176f7 ffffffff80000002 000000035e4c46b0 ffffffff807ffffe 3c3c3c3c3c3c3c3c 03
68c5b547 1 ffffffff756c72ef ffffffffc98a9577 ffffffff00000000 000000000000000c ffffffffff7fffff 3c3c3c3c3c3c3c3c 05
20c5a553 3 fffffffff9a00000 fffffffffac056ff ffffffff37280000 0000000080000000 ffffffff79a00000 3c3c3c3c3c3c3c3c 00
08c5a553 3 ffffffff380de5cd ffffffff7f800002 ffffffff46b69df6 0000000080000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
10c59553 3 ffffffffd10ead00 ffffffff7fffffff ffffffff69802664 ffffffff80000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 00
c035c553 1 ffffffffc44fffff ffffffffbfcfffff ffffffffb688194e 00001a3eda85f0b7 5a5a5a5a5a5a5a5a 0000000000000000 10
68c5a54b 2 ffffffffc6a3b59c ffffffff0000018f ffffffff80000000 000000000000076e ffffffff007f9407 3c3c3c3c3c3c3c3c 03
d005f553 0 ffffffffb82fcefc ffffffff3f000000 ffffffff456d5200 0000361ee9ef4120 ffffffffcdb085f7 3c3c3c3c3c3c3c3c 00
68c5f547 1 ffffffff8a97687d ffffffff35586bed ffffffff00000000 fffffffffffea719 ffffffff807ffffe 3c3c3c3c3c3c3c3c 03
0ac5c553 1 018c7bffffffffff 7ff0000000000002 8035650e3ac00000 fff0000000000000 7ff8000000000000 3c3c3c3c3c3c3c3c 10
c225b553 4 3ec37646eba20b4b 7fdd9e212df56ce5 bfe0000000000000 7ffffffffffffe00 5a5a5a5a5a5a5a5a 0000000000000001 01
6ac5c543 1 c24f4c8c8c3c1b18 fd805bbc29617e51 0000000000000000 000052eee0000000 7fe0000000000005 3c3c3c3c3c3c3c3c 01
68c58543 4 fffffffff18432ff ffffffff718432ff ffffffff7f800001 0000000000000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
10c58553 4 ffffffff07149274 ffffffff7f800000 ffffffffc7460420 ffffffffff8bace5 ffffffff7f800000 3c3c3c3c3c3c3c3c 00
08c5f553 0 ffffffff09170400 ffffffff7f000001 fffffffff7119042 fffe52a604220000 ffffffffff000001 3c3c3c3c3c3c3c3c 01
d015c553 2 ffffffff0a107b2b ffffffff8a173fff ffffffffb7a9dbc8 ffffffffffe18c44 ffffffff4f7fe18c 3c3c3c3c3c3c3c3c 01
d0059553 2 ffffffffbf800000 ffffffffcf000000 ffffffff391c6892 0000000000000000 ffffffff00000000 3c3c3c3c3c3c3c3c 00
6ac5f54b 2 3f498fb2b002e1ed 000000000000f05c 0000000000000000 00b68f837690a4a0 8000000000000030 3c3c3c3c3c3c3c3c 03
68c5f547 3 ffffffff7f7fffff ffffffffbf800001 ffffffff00000000 000000000000001d ffffffffff7fffff 3c3c3c3c3c3c3c3c 05
58058553 2 ffffffff7f800000 ffffffff3f6f78b7 ffffffffb97df458 fffecc537ddc78ca ffffffff7f800000 3c3c3c3c3c3c3c3c 00
10c5f553 0 fffffffff62a2000 ffffffff762a2000 ffffffff47b76f98 00000001c5700000 ffffffffff800000 3c3c3c3c3c3c3c3c 05
68c5f543 2 ffffffff5e8a948a ffffffffb68a078a ffffffff7e7021a2 000000009fbb898c ffffffff7e7021a1 3c3c3c3c3c3c3c3c 01
c035f553 3 ffffffff3657ffff ffffffffb657fffd ffffffff7f7fffff fffffffffffffffc 5a5a5a5a5a5a5a5a 0000000000000001 01
6ac5a54f 3 b6e32fb7994a75ed 8acd83e421c8ffff becbdbf7d2ebac75 00000000008356d8 3ecbdbf7d2ebac74 3c3c3c3c3c3c3c3c 01
6ac5b547 2 75a51e0e4d443964 0000000000000002 8000000000000002 00000e90319b444b 32951e0e4d443965 3c3c3c3c3c3c3c3c 01
d005f553 3 ffffffff45d885e6 ffffffff3c835fff ffffffff493affff 0166b9d625ddd1f8 ffffffff4e177748 3c3c3c3c3c3c3c3c 01
6ac59547 3 095f32a59c2e8808 fff0000000000002 0000000000000000 0000000001e9a000 7ff8000000000000 3c3c3c3c3c3c3c3c 10
1ac5f553 3 00725a5916a83a3d c3387876c8e04da5 bfb8e04d5d1ae700 0000000000008000 8000000000000030 3c3c3c3c3c3c3c3c 03
c035f553 4 fffffffff1cc4200 ffffffffb97ecf57 fffffffff6b60000 7fffffffffffffff 5a5a5a5a5a5a5a5a 0000000000000000 10
68c5854b 0 ffffffffff7fffff ffffffff7f800001 ffffffffffc00001 0000000177400000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
c225b553 2 fd3a22764aa409ec 7defc18000000000 42cc0a583248586b 0000000000000009 5a5a5a5a5a5a5a5a 8000000000000000 10
0ac5f553 3 3eee51068017ffff fff0000000000002 7fee41a4ffffffff 0000000001000001 7ff8000000000000 3c3c3c3c3c3c3c3c 10
18c5c553 4 ffffffff7f6003ab ffffffffbf6003ad ffffffffb9340000 ffffffffffffff6b ffffffffff7ffffe 3c3c3c3c3c3c3c3c 01
68c59547 3 ffffffff442cf045 ffffffff00000002 ffffffff00000000 0000000000055a37 ffffffff00000567 3c3c3c3c3c3c3c3c 03
6ac5b547 1 40086d2bbe3c7745 c0086d2bbe3c7744 3fe0000000000000 0000006c9e701c00 c023a5360f967a80 3c3c3c3c3c3c3c3c 01
1ac5f553 1 7f706a0000000000 fff0000000000002 4000000000000000 7ffffffffffffdff 7ff8000000000000 3c3c3c3c3c3c3c3c 10
6ac5854b 2 7ea10976ea9692e1 8000000000000002 0000000000000000 165135858cda6355 3b910976ea9692e1 3c3c3c3c3c3c3c3c 00
68c5f543 3 ffffffff8eecdca2 ffffffffb10a579b ffffffff00000000 00000000000007f1 ffffffff007ffffe 3c3c3c3c3c3c3c3c 03
c0058553 0 ffffffff719e1d19 ffffffffc7bbffff ffffffff37656c00 34326581a8c121c0 5a5a5a5a5a5a5a5a 000000007fffffff 10
68c5c54b 1 ffffffff44498631 fffffffffaa299d0 ffffffff00000000 0000000001000001 ffffffff7f800000 3c3c3c3c3c3c3c3c 05
c005f553 4 ffffffff3e9d3600 ffffffffc424ea00 ffffffff8bf1e4af fffffc7394bc8852 5a5a5a5a5a5a5a5a 0000000000000000 01
d035f553 4 e3023d1fd2d35631 ffffffff52d35630 ffffffff325f360f 000000f6e8a17a6e ffffffff5376e8a1 3c3c3c3c3c3c3c3c 01
a0c59553 4 ffffffff38aca900 ffffffff32475eff ffffffff462b1471 000000d6115b75ac 5a5a5a5a5a5a5a5a 0000000000000000 00
d225f553 0 c1bf90b68e5901ff 23151eb914d9e3f0 7df63fc634711d31 0000000015099880 41b5099880000000 3c3c3c3c3c3c3c3c 00
18c5b553 4 ffffffff44d3e38f ffffffff7f800002 ffffffff38b005ae 7f58ea4000000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
d225f553 4 83767da0538f6061 3efceb0d0e2badab fd5a154f5fffffff 1fb02ec8574d5c7c 43bfb02ec8574d5c 3c3c3c3c3c3c3c3c 01
68c5b54b 3 ffffffff42186213 ffffffff7cd7097c ffffffff00000000 017a97e7e2000000 ffffffffff7fffff 3c3c3c3c3c3c3c3c 05
d235c553 2 be8e74c000000000 826f043e1ee24c82 7daa1f8868d15af5 ffffffff3dc604fa 43efffffffe7b8c1 3c3c3c3c3c3c3c3c 01
6ac5f547 0 ff8848bd04ecfd72 8000000000000001 0000000000000000 000005c3c8eb39cd 3c6848bd04ecfd72 3c3c3c3c3c3c3c3c 00
d015a553 1 ffffffffafb82c2b ffffffff2fb82c29 ffffffff73c72dc8 0000003e2ff29b15 ffffffff4e3fca6c 3c3c3c3c3c3c3c3c 01
6ac5f547 3 3f89f52aead00000 fff0000000000000 7d057fffffffffff ffffcf43ecec1159 fff0000000000000 3c3c3c3c3c3c3c3c 00
18c5a553 4 ffffffffb1700000 ffffffff00000001 ffffffff4792b52f fb19800000000000 fffffffffbf00000 3c3c3c3c3c3c3c3c 00
68c5a54b 3 ffffffff00800000 ffffffffb6bfffff ffffffff7ffffffe 000000000000caf2 ffffffff7fc00000 3c3c3c3c3c3c3c3c 00
6ac5f54f 4 bebfd3401da2b58f 7ff0000000000000 7ff0000000000002 7ffffffffffffe00 7ff8000000000000 3c3c3c3c3c3c3c3c 10
68c59543 0 ffffffff3d0615e0 ffffffff7f800002 ffffffff70000002 00007a2687dbbd17 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
d0259553 3 ffffffff5f000000 ffffffffdf000000 ffffffffff77ffff 0000000000000055 ffffffff42aa0000 3c3c3c3c3c3c3c3c 00
6ac5954f 3 3e063a04cb0e9f0f fff0000000000002 fff0000000000000 0000008000000000 7ff8000000000000 3c3c3c3c3c3c3c3c 10
18c5f553 2 fffffffff2e778aa ffffffff7f800001 ffffffffbb25087e 7fffffffffffffff ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
08c5b553 0 ffffffff40400000 ffffffffff800001 ffffffff8e523b0d 0000befc00000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
6ac5b54f 3 7d849537971f185e fc549537971f185e 025194fb2ea07cc4 ffdcde9a84437000 7ff0000000000000 3c3c3c3c3c3c3c3c 05
c2359553 3 013a9f51e18e25b9 40d7c67fffffffff 42494aff0340f4b4 7fffffffffffffff 5a5a5a5a5a5a5a5a 0000000000000000 01
18c58553 1 ffffffff361688e3 ffffffff00000007 ffffffff39d84094 0000aa16ada37e05 ffffffff7f2c0a28 3c3c3c3c3c3c3c3c 00
a2c59553 3 03fac4071e412bc2 ffb1e8bcf4199fff f49ca4bfffffffff ffffffffffffe840 5a5a5a5a5a5a5a5a 0000000000000000 00
1ac5f553 4 cc83715ab22b430e 0250281305e84882 c05af37d4eb39b97 000000006f3f8e18 fff0000000000000 3c3c3c3c3c3c3c3c 05
68c5f54b 1 ffffffff012fffff ffffffffff800000 fffffffff0800000 000001e676c4be49 ffffffff7f800000 3c3c3c3c3c3c3c3c 00
68c5f547 0 ffffffffbdb85aba ffffffff7f800001 fffffffff0800003 000000000c000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
6ac58543 3 3d99de4cb97ecbff 8cb01da1e91a4000 3f7b3f94e1993dc0 ffffffffffffe990 3f7b3f94e1993dc0 3c3c3c3c3c3c3c3c 01
10c58553 1 ffffffff4290acfe ffffffff800000e1 ffffffffc167569a fffffffffffffd87 ffffffff80003f94 3c3c3c3c3c3c3c3c 03
c205b553 4 fcb23f3fffffffff 7eafc65d3bd9b017 c11ff7651c000000 0000000000000001 5a5a5a5a5a5a5a5a ffffffff80000000 10
d0359553 2 ffffffff7fa00000 fffffffff4200000 ffffffff80000001 0000006cee285979 ffffffff52d9dc50 3c3c3c3c3c3c3c3c 01
68c5f543 3 ffffffffc0a9af32 ffffffff0018238f ffffffff00000000 0000000000000000 ffffffff807ffff3 3c3c3c3c3c3c3c3c 03
d005f553 0 ffffffff382892d1 ffffffff2aa892d1 123456783735993f 000000802140fd31 ffffffff4e0503f5 3c3c3c3c3c3c3c3c 01
0ac5f553 2 c2448682c41974c0 7fefffffffffffff 7fc1a7813d04e939 0000001982653ccb fff0000000000000 3c3c3c3c3c3c3c3c 05
c2259553 1 c1e0000000000000 41e0000000000000 bd9d0af4f2113fff 0020000000000001 5a5a5a5a5a5a5a5a ffffffff80000000 00
d225c553 2 3feb3c2b5843756c 3d4b3c2b5843756c 7ffc000000000000 7ffffffffffffe00 43e0000000000000 3c3c3c3c3c3c3c3c 01
68c5a547 4 ffffffff7fa00000 ffffffffc16c056d ffffffffbf800000 00002475bddc5427 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
12c5f553 0 fe45e21900000000 c20e5ca2c565ea57 bf78d29ae5c2b327 0000000183ef71f0 7ff0000000000000 3c3c3c3c3c3c3c3c 05
6ac58547 0 7c5d9ae08c4e80d8 fc5d9ae08c4e80d8 0287251677ffffff 0af07f22979090a8 fff0000000000000 3c3c3c3c3c3c3c3c 05
c215b553 2 c0be12d3ffffffff 40be12d3ffffffff 004de3a9bf7fe93d 000000007fffffff 5a5a5a5a5a5a5a5a 0000000000000000 10
6ac5b547 1 02a2e55972ffffff bc3b18885a00ec89 0000000000000000 fffffffffffffff0 80000003ffffffff 3c3c3c3c3c3c3c3c 03
c0259553 2 ffffffff40400000 00000000c0400000 ffffffff0096a308 0000000000000003 5a5a5a5a5a5a5a5a 0000000000000003 00
c225f553 0 c1e7810750aee9a4 fdf0f7aa0a1ec7f8 0344813fbc000000 0000000000000020 5a5a5a5a5a5a5a5a ffffffff43f7c57b 01
c0258553 2 ffffffffdff58369 ffffffff411fffff ffffffff3fc00000 000000000003f124 5a5a5a5a5a5a5a5a 8000000000000000 10
a2c59553 0 7ff8000000000123 fff8000000000124 02aa9d2ffbc32538 fffdb4745acd779e 5a5a5a5a5a5a5a5a 0000000000000000 10
1ac5a553 3 fcdd293000000000 8337b2a8bfffffff 3dec5db9d23b2394 002946e9dff7d433 7fefffffffffffff 3c3c3c3c3c3c3c3c 05
d0258553 1 fffffffff9f338e9 ffffffffed401bf0 ffffffff71e76392 ffffffffffffe7e8 ffffffffc5c0c000 3c3c3c3c3c3c3c3c 00
68c5854b 4 ffffffff03fb4a45 ffffffffff800001 ffffffff00000000 fffffffffdfc0000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
d035c553 3 ffffffff74b0ae1d ffffffff844208e2 fffffffff3598b3f 0000000000000018 ffffffff41c00000 3c3c3c3c3c3c3c3c 00
4015f553 4 7fffffffffffffff 0010000000000001 fd1162c1f54ee055 00000000000005c3 ffffffff7fc00000 3c3c3c3c3c3c3c3c 00
c0058553 2 ffffffffde1679fc ffffffffbe0ffac5 fffffffffd88642f 0020000000000001 5a5a5a5a5a5a5a5a ffffffff80000000 10
6ac5f543 0 bf27f479a8f30800 7ff0000000000002 7c20000000000001 00000005bbd2ab5f 7ff8000000000000 3c3c3c3c3c3c3c3c 10
d235c553 3 0d80253575b39946 8b30253575b39946 7fefffffffffffff ffffffffffffffff 43f0000000000000 3c3c3c3c3c3c3c3c 01
c2159553 2 beefc0b100000000 c0392d7f5dac4c44 3dc1461fffffffff 00000000000003af 5a5a5a5a5a5a5a5a 0000000000000000 01
6ac58543 4 72ecaddec5113485 ffeffffffffffffe 0000000000000000 0020000000000001 fff0000000000000 3c3c3c3c3c3c3c3c 05
6ac58547 4 71a46a838e7c1dd9 70c46a838e7c1dd9 bd778aa7dfffffff 00000000000000f7 7ff0000000000000 3c3c3c3c3c3c3c3c 05
6ac59547 4 0010000000000000 3d07ffffffffffff 0000000000000002 001689d0fbfe0000 000000000000002d 3c3c3c3c3c3c3c3c 03
12c5b553 4 fcbde2b000000000 7cbde2b000000000 81df9ca000000000 0008430b5344ebdf ffefffffffffffff 3c3c3c3c3c3c3c3c 05
6ac5a543 0 c1c11b628851731c 7e1dede7bcf7b01a 0000000000000000 7ffffffffffffdff fff0000000000000 3c3c3c3c3c3c3c3c 05
c2059553 1 fc6558d67c703c31 fa9558d67c703c31 7e2493d117bd4226 0000000000000004 5a5a5a5a5a5a5a5a ffffffff80000000 10
c025b553 1 fffffffff69d044a ffffffff769d044b ffffffff80000001 fffffffffffffc00 5a5a5a5a5a5a5a5a 8000000000000000 10
40159553 2 7ff0000000000001 fff0000000000001 9cf725cea6968f49 ffffee1de0000000 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
02c5f553 0 3fe0000000000000 7ff0000000000002 fee201276c29f3dc 00000001e2ca3b82 7ff8000000000000 3c3c3c3c3c3c3c3c 10
68c5b54f 3 ffffffff7308a401 fffffffff8e639a6 ffffffffbf000000 172155d64ee6887a ffffffff7f800000 3c3c3c3c3c3c3c3c 05
10c5b553 4 ffffffff78fda318 ffffffff46013146 ffffffff45c56db3 7ffffffffffffdff ffffffff7f800000 3c3c3c3c3c3c3c3c 05
a2c5a553 4 fff2b1503b980694 bf497de47e587e56 3fdb6adf0e3fffff fffb1de2880dc5aa 5a5a5a5a5a5a5a5a 0000000000000000 10
68c5f54f 2 4d36a4807a7ac591 ffffffffc95e8000 ffffffff7f800001 fa09ce345dd74654 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
02c58553 4 fff4000000000000 c1134ec80a8492bf 4008000000000000 fe9892530176d89b 7ff8000000000000 3c3c3c3c3c3c3c3c 10
4015f553 3 fff0000000000000 8125f8b23f05b16b 417ab41810000000 0000178ddd0308bb ffffffffff800000 3c3c3c3c3c3c3c3c 00
5805c553 1 ffffffff26f20000 00000000a6f20000 ffffffff432cb82d 0000004000000000 ffffffff33300000 3c3c3c3c3c3c3c3c 00
a0c59553 2 e6cd9cd2c5533700 ffffffffbd5e0799 ffffffff78250000 000000000000016a 5a5a5a5a5a5a5a5a 0000000000000000 10
c2258553 4 41e0000000000000 c0e0000000000000 3ee9b51d886a7288 0000000000000001 5a5a5a5a5a5a5a5a 0000000080000000 00
68c5f543 1 fffffffffe680000 ffffffff7e680000 ffffffff80194beb fffffff64104858d ffffffffff7fffff 3c3c3c3c3c3c3c3c 05
68c5b543 3 ffffffff45e73205 ffffffff7e76d0e7 ffffffffff7fffff 0000003800000000 ffffffff7f800000 3c3c3c3c3c3c3c3c 05
6ac5c54b 2 a161406282f7cd4c 7ff0000000000002 fc1ffffffffffffe fc2bf5cccb2ec9c6 7ff8000000000000 3c3c3c3c3c3c3c3c 10
6ac5954f 2 fec1cba000000000 fe21cba000000000 7fa05b2840500000 0000000000000018 ffefffffffffffff 3c3c3c3c3c3c3c3c 05
5a059553 0 8000000000000000 0000000000000001 fd1ad59e56480d6a fffffffffbd44c8b 8000000000000000 3c3c3c3c3c3c3c3c 00
40158553 4 fff0000000000002 015bbe1630000000 bfdb59ffffffffff 000000000ffcf404 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
2ac58553 1 c004000000000000 7ff0000000000001 027db4a93171993d 0000000032915369 c004000000000000 3c3c3c3c3c3c3c3c 10
28c58553 0 ffffffff7fa00000 ffffffff413feb1f ffffffffc64427ff 0000004000000000 ffffffff413feb1f 3c3c3c3c3c3c3c3c 10
6ac5f54b 4 ff06612c00000000 7f06612bfffffffe bfb2eba5f0410000 0000000000000000 7ff0000000000000 3c3c3c3c3c3c3c3c 05
68c5f54f 0 ffffffffc537ce50 fffffffff9b24667 ffffffff707ffffc ffffffff80000000 ffffffffff800000 3c3c3c3c3c3c3c3c 05
6ac5c54b 1 7eb19e6429f8c60a 417459cf89bfffff c15c9ee000000000 7fffffffffffffff fff0000000000000 3c3c3c3c3c3c3c3c 05
5a059553 1 7ff8000000000123 fff8000000000125 7ca1000000000000 ffffff8b1eca4920 7ff8000000000000 3c3c3c3c3c3c3c3c 00
c2159553 4 4147f8a000000000 c147f8a000000000 f26d404fc3f2485d 019544325d782cdb 5a5a5a5a5a5a5a5a 00000000002ff140 00
18c5f553 4 ffffffffc8dfffff ffffffff88dffffe ffffffff4894e96a 0002bde317e46a7c ffffffff7f800000 3c3c3c3c3c3c3c3c 05
68c5b54f 2 ffffffff7fc00000 ffffffff05ef992b ffffffffffbfffff 000000001c19b7d2 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
a0c58553 2 bd7644cd44bfffff ffffffff0830c2df fffffffff88ae44b fa6dd60000000000 5a5a5a5a5a5a5a5a 0000000000000000 10
00c59553 3 ffffffffc1f3ddff ffffffff7f800001 ffffffff8130c1a0 7ffffffffffffe00 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
6ac5f54b 0 3e9f5d5df8692ac7 7ff0000000000001 0000000000000000 fffffffffffdf3f0 7ff8000000000000 3c3c3c3c3c3c3c3c 10
28c59553 3 ffffffff7f800001 ffffffffc18bf422 ffffffffc76097c4 0000000000000040 ffffffffc18bf422 3c3c3c3c3c3c3c3c 10
1ac5c553 2 fe8b51113cc74d45 0000000000000000 3f2cc4ca5c84b3d0 ffc820c85e04f6c1 fff0000000000000 3c3c3c3c3c3c3c3c 08
a0c58553 0 ffffffffff800100 ffffffff40000000 ffffffffb5b10040 ffffffffffffb5ab 5a5a5a5a5a5a5a5a 0000000000000000 10
c025a553 3 ffffffff4779ec00 ffffffff9d4c6f4f ffffffff789bffff ffffffff80000000 5a5a5a5a5a5a5a5a 000000000000f9ec 00
a2c59553 2 7ff8000000000000 bd71d885ab763d8d bf912b070566294f 090b148098f748ed 5a5a5a5a5a5a5a5a 0000000000000000 10
c205a553 4 0000000000000000 8000000000000000 c2294a1910b9a164 0000000003300574 5a5a5a5a5a5a5a5a 0000000000000000 00
28c58553 4 fffffffff6860993 ffffffff7f800001 ffffffff72a19639 0000000018200000 fffffffff6860993 3c3c3c3c3c3c3c3c 10
00c58553 1 ffffffff7f800001 ffffffffff800000 ffffffff7fc00000 45b305b085a7f172 ffffffff7fc00000 3c3c3c3c3c3c3c3c 10
18c58553 4 ffffffff0fbf36f2 ffffffff80000000 ffffffff49000000 0000294891c84880 ffffffffff800000 3c3c3c3c3c3c3c3c 08
0ac5b553 4 40d311653fffffff ffefffffffffffff bfeda41cac5f71b3 7ffffffffffffe00 7ff0000000000000 3c3c3c3c3c3c3c3c 05
c0359553 0 ffffffff40000000 ffffffff8ae44308 ffffffff83d90ca0 000000000005ba67 5a5a5a5a5a5a5a5a 0000000000000002 00
1ac5a553 1 41e0000000000000 8000000000000000 011b8cbe4212fa70 03108b13fc240000 fff0000000000000 3c3c3c3c3c3c3c3c 08
c005c553 2 ffffffffc0800000 ffffffff445e08c3 ffffffff7f6a2c40 ffc7681032931353 5a5a5a5a5a5a5a5a fffffffffffffffc 00
c205b553 3 c1e0000000000000 41e0000000000000 7ff0000000000000 00000000000f5692 5a5a5a5a5a5a5a5a ffffffff80000000 00
00c5c553 2 ffffffff7cbfffff ffffffff7f7a0008 ffffffff3a3264b9 ffce1d09d47a961f ffffffff7f800000 3c3c3c3c3c3c3c3c 05
c215c553 4 3ff0000000000000 3ff0000000000000 4eb6617fffffffff 0000000000000df2 5a5a5a5a5a5a5a5a 0000000000000001 00
2ac59553 1 3dbab9b4199e83fa fff4000000000000 bdd0d81ceb202e1d 000003dfe7800000 3dbab9b4199e83fa 3c3c3c3c3c3c3c3c 10
00c5f553 1 ffffffff7f51386a ffffffff7e3b1e59 ffffffff4f000000 00002b98061cdb85 ffffffff7f7fffff 3c3c3c3c3c3c3c3c 05
c015c553 0 ffffffff4f000000 ffffffff7f1612ef ffffffffff800000 000000000003a50d 5a5a5a5a5a5a5a5a ffffffff80000000 00
c035c553 2 ffffffff5f000000 ffffffffda000000 ffffffffbbcb2043 0000000000000000 5a5a5a5a5a5a5a5a 8000000000000000 00
28c59553 4 ffffffff3a9dffff ffffffff7f800001 ffffffff03861fff 000000e4dba655ab ffffffff3a9dffff 3c3c3c3c3c3c3c3c 10
c015f553 3 ffffffff80000000 ffffffff00000001 ffffffff3b282b63 00000000000b2599 5a5a5a5a5a5a5a5a 0000000000000000 00
a2c58553 2 001df152af89ccc9 fff4000000000000 3e9f397a670765ba 00000000078c0000 5a5a5a5a5a5a5a5a 0000000000000000 10
4205b553 3 ffffffff7fa00000 ffffffff38c4244d ffffffffc2d5f1c5 fffe0a98113fb10e 7ff8000000000000 3c3c3c3c3c3c3c3c 10
a0c5a553 2 ffffffffff830173 ffffffff826a8f79 ffffffff82341b7b 0000000000274b46 5a5a5a5a5a5a5a5a 0000000000000000 10
02c5f553 1 7d208d36f47591cd 7feffffffffffffe be70a3a4ca1db22e 0000000005869448 7fefffffffffffff 3c3c3c3c3c3c3c3c 05
08c5a553 4 ffffffff7a4b24dc ffffffffff7fcd3c ffffffff417d4f88 00010df609caf7c9 ffffffff7f7fffff 3c3c3c3c3c3c3c3c 05
08c5f553 3 ffffffff7296c000 ffffffffff7fffff ffffffffb8764000 00003dc7fb6b189d ffffffff7f800000 3c3c3c3c3c3c3c3c 05
2ac58553 3 7ff0000000000001 0352ec3249ff0e83 3f55b7211fe97ce8 0100000000000000 0352ec3249ff0e83 3c3c3c3c3c3c3c3c 10
4205f553 1 ffffffff7f800001 ffffffffff800003 ffffffff44ffffff ffffffffffead9c8 7ff8000000000000 3c3c3c3c3c3c3c3c 10
a0c5a553 3 ffffffffb725e1cf ffffffffff800100 ffffffff068cc6c8 7ffffffffffffe00 5a5a5a5a5a5a5a5a 0000000000000000 10
18c5b553 1 ffffffff80d1201c ffffffff00000000 ffffffffc789ba53 000000000000006a ffffffffff800000 3c3c3c3c3c3c3c3c 08
02c58553 1 fe92384013e13fff ffefffffffffffff da19675b7f37d3a2 000000363506156d fff0000000000000 3c3c3c3c3c3c3c3c 05
a2c58553 2 3fce455a256c3cb8 7ff8000000000123 7ed6d6703c0f867c ebf55a96abacfd86 5a5a5a5a5a5a5a5a 0000000000000000 10
c235b553 2 4008000000000000 bff0000000000000 fc21000000000000 001f9443fc6b8208 5a5a5a5a5a5a5a5a 0000000000000003 00
c235a553 4 42671dd29d800000 feee1c6c89bb552f bfdd659b488892bc 0000000080000000 5a5a5a5a5a5a5a5a 000000b8ee94ec00 00
2ac59553 3 7ff0000000000001 fff0000000000003 c1f9c5ffffffffff 1f1c3691600974b6 7ff8000000000000 3c3c3c3c3c3c3c3c 10
c005a553 1 ffffffff80000000 00000000bbf13190 fffffffff3396b9a ffffffffffffff75 5a5a5a5a5a5a5a5a 0000000000000000 00
a2c5a553 0 fff4000000000000 c0ebdb01ac1cdfff 41964c6eac2e57a3 077ab5e7e9000000 5a5a5a5a5a5a5a5a 0000000000000000 10
`;

describe('golden vectors (QEMU 7.2)', () => {
  test('match bit for bit, flags included', () => {
    const rows = GOLDEN.trim().split('\n');
    assert.ok(rows.length > 100);
    for (const row of rows) {
      const [insn, frm, a, b, c, x, wf, wx, wfl] = row.trim().split(/\s+/);
      const o = run(Number.parseInt(insn, 16) | 0, { frm: Number(frm), a: BigInt('0x' + a), b: BigInt('0x' + b), c: BigInt('0x' + c), x: BigInt('0x' + x) });
      assert.ok(o.ret >= 0, row);
      assert.equal(`${hex(o.f).slice(2)} ${hex(o.x).slice(2)} ${o.flags.toString(16).padStart(2, '0')}`, `${wf} ${wx} ${wfl}`, row);
    }
  });
});

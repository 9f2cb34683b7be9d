// F and D extension executor: every OP-FP, FMADD, FMSUB, FNMSUB and FNMADD instruction of RV64 (fmt S or D).
// Loads and stores belong to the hart.
//
// What the results follow (unpriv spec, F and D chapters): canonical NaNs (payloads are never
// propagated), NaN-boxing of singles, tininess detected after rounding (UF only when also inexact),
// no flush-to-zero, and correct rounding in all five rounding modes.
//
// How. JS arithmetic rounds binary64 to nearest-even only, so:
//  - binary64 fast paths take the RNE result plus an exact error term (TwoSum for sums, Veltkamp/Dekker
//    for products, residuals a-q*b and a-r*r for div and sqrt). The error tells whether the result is exact
//    (NX) and which way the exact value lies, so a directed mode (or a ties-away tie) moves one ulp.
//    FMA rebuilds a*b+c exactly as a sum of doubles and rounds that once (fmaFast).
//  - binary32 ops run in binary64, then become a round-to-odd binary64 value (exact, or else an odd last
//    bit on the side of the exact value). 53 >= 24 + 2 bits, so rounding that value once more to binary32
//    gives the correctly rounded result and flags in every mode, without double-rounding errors.
//  - what the fast paths cannot do safely (operands or results near underflow or overflow, overflow in
//    directed modes, an FMA sum the fast path cannot pin down) goes to an exact BigInt slow path (roundPack).

import { FP_BAD_RM, FP_ILLEGAL, FP_OK_FREG, FP_OK_INT, type FpHart } from './fpu-types.ts';

// ---- tables and constants ------------------------------------------------------------------------------

// fflags bits.
const NX = 1;
const UF = 2;
const OF = 4;
const DZ = 8;
const NV = 16;

// Rounding modes (rm field / frm); DYN (rm only) selects frm.
export const RNE = 0;
const RTZ = 1;
const RDN = 2;
const RUP = 3;
const RMM = 4;
export const DYN = 7;

// Major opcodes (the decoder shares OP_FP and the funct5 values).
const OP_MADD = 0x43;
const OP_MSUB = 0x47;
const OP_NMSUB = 0x4b;
const OP_NMADD = 0x4f;
export const OP_FP = 0x53;
// Bits of the four FMA major opcodes: FNMSUB/FNMADD negate the product, FMSUB/FNMADD the addend.
const FMA_NEG_PRODUCT = 0x08;
const FMA_NEG_ADDEND = 0x04;

// OP-FP funct5 (insn[31:27]); the fmt field insn[26:25] selects S (0) or D (1).
export const F_ADD = 0x00;
export const F_SUB = 0x01;
export const F_MUL = 0x02;
export const F_DIV = 0x03;
const F_SGNJ = 0x04;
const F_MINMAX = 0x05;
const F_CVT_FF = 0x08; // FCVT.S.D / FCVT.D.S
export const F_SQRT = 0x0b;
export const F_CMP = 0x14;
const F_CVT_IF = 0x18; // FCVT.{W,WU,L,LU}.fmt: float -> integer
const F_CVT_FI = 0x1a; // FCVT.fmt.{W,WU,L,LU}: integer -> float
const F_MVX_CLASS = 0x1c; // FMV.X.W/D (rm 0), FCLASS (rm 1)
const F_MV_FX = 0x1e; // FMV.W.X / FMV.D.X

const CANON_S = 0x7fc00000; // canonical binary32 NaN
const CANON_D_HI = 0x7ff80000; // canonical binary64 NaN (high word; low word 0)
const INF_S = 0x7f800000;
const MAXF_BITS = 0x7f7fffff;

// Scratch for bit casts; the hart's typed arrays and these views all assume a little-endian host.
const scratch = new ArrayBuffer(8);
const F64 = new Float64Array(scratch);
const F32 = new Float32Array(scratch);
const I32 = new Int32Array(scratch);
const U64 = new BigUint64Array(scratch);
F64[0] = 1;
if (I32[1] !== 0x3ff00000) throw new Error('fpu: little-endian host required');

/** 2^k, exactly, for -1074 <= k <= 1023 (built from bits so no pow() accuracy question arises). */
function pow2(k: number): number {
  if (k >= -1022) {
    I32[0] = 0;
    I32[1] = (k + 1023) << 20;
  } else {
    const s = k + 1074; // position of the single mantissa bit of a subnormal
    I32[0] = s < 32 ? 1 << s : 0;
    I32[1] = s < 32 ? 0 : 1 << (s - 32);
  }
  return F64[0];
}

const MAXD = Number.MAX_VALUE;
const MAXF = pow2(128) - pow2(104);
const MIDF = pow2(128) - pow2(103); // halfway between MAXF and 2^128: RNE/RMM overflow threshold
const TWO128 = pow2(128);
const MIN_NORM_F = pow2(-126);
// Singles below 2^-126 whose 24-bit rounding with unbounded exponent still reaches 2^-126 (not tiny).
const TINY_NEAR_F = pow2(-126) - pow2(-151); // RNE/RMM: at or above
const TINY_AWAY_F = pow2(-126) - pow2(-150); // rounding away from zero: strictly above
// Range where Veltkamp splitting and Dekker's exact product cannot overflow or lose bits to underflow:
// factors in [2^-1022, SAFE_HI], product in [SAFE_LO, SAFE_PROD] (its exact partial products stay finite).
const SAFE_LO = pow2(-960);
const SAFE_HI = pow2(995);
const SAFE_PROD = pow2(1020);
const MIN_NORM_D = pow2(-1022);
const TWO32 = 4294967296;
const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)
// 2^-53 + 2^-105: |x| times this is more than half the gap from x to either neighbour, and less than 1.5 gaps.
const STEP_FRACTION = pow2(-53) + pow2(-105);

// Float -> integer conversions, by rs2 (0 W, 1 WU, 2 L, 3 LU): valid rounded range [lo, hi) and the
// saturated results as (low word, high word); 32-bit results are sign-extended, WU included.
const CVT_MIN = [-2147483648, 0, -pow2(63), 0];
const CVT_END = [pow2(31), pow2(32), pow2(63), pow2(64)];
const SAT_MIN_LO = [0x80000000 | 0, 0, 0, 0];
const SAT_MIN_HI = [-1, 0, 0x80000000 | 0, 0];
const SAT_MAX_LO = [0x7fffffff, -1, -1, -1];
const SAT_MAX_HI = [0, -1, 0x7fffffff, -1];

// FCLASS result bits.
const CL_NEG_INF = 1 << 0;
const CL_NEG_NORM = 1 << 1;
const CL_NEG_SUB = 1 << 2;
const CL_NEG_ZERO = 1 << 3;
const CL_POS_ZERO = 1 << 4;
const CL_POS_SUB = 1 << 5;
const CL_POS_NORM = 1 << 6;
const CL_POS_INF = 1 << 7;
const CL_SNAN = 1 << 8;
const CL_QNAN = 1 << 9;

// Exceptions raised by the instruction being executed; OR-ed into fflags at the end. Zero between
// instructions (execFp and the fast paths leave it so).
let fl = 0;

/** The exceptions raised so far, leaving none. */
function takeFpFlags(): number {
  const f = fl;
  fl = 0;
  return f;
}

// ---- register access -----------------------------------------------------------------------------------

/** Single operand: the register's low word if properly NaN-boxed, else the canonical NaN. */
function bitsS(h: FpHart, r: number): number {
  return h.fi[2 * r + 1] === -1 ? h.fi[2 * r] : CANON_S;
}

/** Value of binary32 bits, as a double (exact). */
function valS(bits: number): number {
  I32[0] = bits;
  return F32[0];
}

function isSNaNS(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7f800000 && (bits & 0x3fffff) !== 0;
}

/** Whether double register r holds a signaling NaN (read the bits: reading NaNs as numbers may quieten them). */
function isSNaND(h: FpHart, r: number): boolean {
  const hi = h.fi[2 * r + 1];
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) | h.fi[2 * r]) !== 0;
}

function wrS(h: FpHart, rd: number, bits: number): number {
  h.fi[2 * rd] = bits;
  h.fi[2 * rd + 1] = -1; // NaN-box
  return FP_OK_FREG;
}

/** Write a binary64 result; any NaN becomes the canonical NaN. */
function wrD(h: FpHart, rd: number, v: number): number {
  if (v !== v) {
    h.fi[2 * rd] = 0;
    h.fi[2 * rd + 1] = CANON_D_HI;
  } else {
    h.f[rd] = v;
  }
  return FP_OK_FREG;
}

function wrX(h: FpHart, rd: number, lo: number, hi: number): number {
  if (rd !== 0) {
    h.x[2 * rd] = lo;
    h.x[2 * rd + 1] = hi;
  }
  return FP_OK_INT;
}

// ---- rounding helpers ----------------------------------------------------------------------------------

/** Move |x| one binary64 ulp: dir +1 away from zero, -1 toward zero (x finite; x nonzero when dir is -1). */
function stepD(x: number, dir: number): number {
  F64[0] = x;
  const lo = I32[0];
  if (dir > 0) {
    if (lo === -1) I32[1] += 1;
    I32[0] = lo + 1;
  } else {
    if (lo === 0) I32[1] -= 1;
    I32[0] = lo - 1;
  }
  return F64[0];
}

/**
 * s = RN(x) for an exact x = s + err (err nonzero, s nonzero and finite): return x rounded in mode rm.
 * Stepping MAXD away from zero gives infinity: a genuine overflow (x > MAXD in an away-from-zero mode).
 */
function adjD(s: number, err: number, rm: number): number {
  const away = err > 0 === s > 0; // x lies farther from zero than s
  let r = s;
  switch (rm) {
    case RTZ:
      if (!away) r = stepD(s, -1);
      break;
    case RDN:
      if (err < 0) r = stepD(s, away ? 1 : -1);
      break;
    case RUP:
      if (err > 0) r = stepD(s, away ? 1 : -1);
      break;
    case RMM: {
      // RNE resolved a tie toward the even neighbour; ties-away wants the one farther from zero.
      if (away) {
        const n = stepD(s, 1);
        if (n - s === 2 * err) r = n;
      }
      break;
    }
  }
  if (r - r !== 0) fl |= OF;
  return r;
}

/** Round-to-odd of x = s + err (s = RN(x), err exact): s if exact, else the neighbour with an odd last bit. */
function ro(s: number, err: number): number {
  if (err === 0) return s;
  F64[0] = s;
  if ((I32[0] & 1) !== 0) return s;
  return stepD(s, err > 0 === s > 0 ? 1 : -1);
}

/** Exact error of the binary64 sum s = RN(a + b) (TwoSum): a + b - s. Not finite if s or s - a overflowed. */
function sumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/** Exact error of the binary64 product p = RN(a*b) (Dekker): a*b - p. Needs the SAFE_* ranges. */
function prodErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Whether prodErr(a, b, p) is exact: factors in [2^-1022, SAFE_HI], product in [SAFE_LO, SAFE_PROD]. False
 * for zeros, subnormals, values near overflow, infinities and NaNs.
 */
function prodErrExact(a: number, b: number, p: number): boolean {
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const ap = Math.abs(p);
  return ap >= SAFE_LO && ap <= SAFE_PROD && aa >= MIN_NORM_D && aa <= SAFE_HI && ab >= MIN_NORM_D && ab <= SAFE_HI;
}

/**
 * stepD for |x| in [SAFE_LO, SAFE_PROD], by arithmetic: adding dir * |x| * STEP_FRACTION rounds to the
 * neighbour (stepD's round trip through memory, a 32-bit store read back as 64 bits, stalls the CPU).
 */
function stepInRange(x: number, dir: number): number {
  return x + dir * (x * STEP_FRACTION);
}

/** Value on overflow (OF|NX are raised by the caller): infinity or the largest finite, by mode and sign. */
function ovfValue(neg: boolean, rm: number, max: number): number {
  switch (rm) {
    case RTZ:
      return neg ? -max : max;
    case RDN:
      return neg ? -Infinity : max;
    case RUP:
      return neg ? -max : Infinity;
    default:
      return neg ? -Infinity : Infinity;
  }
}

/** IEEE 754 sign of an exact zero sum a + b under RDN: -0 unless both addends are +0. */
function zeroRdn(a: number, b: number): number {
  return Object.is(a, 0) && Object.is(b, 0) ? 0 : -0;
}

/**
 * Round x to binary32 in mode rm and return the bits. x is the exact result, or its round-to-odd at 53 bits,
 * which lands on the same side of every binary32 value, midpoint and threshold used here as the exact value.
 */
function roundS(x: number, rm: number): number {
  F32[0] = x; // the IEEE binary64 -> binary32 conversion: RNE, subnormals and overflow included
  const f = F32[0];
  if (f === x || x !== x) return I32[0]; // exact (or infinite, or NaN — callers canonicalise NaNs first)
  fl |= NX;
  const neg = x < 0;
  const ax = neg ? -x : x;
  // 'away' modes round magnitudes up: RUP for positives, RDN for negatives.
  const awayMode = rm === RUP ? !neg : rm === RDN && neg;
  if (ax > MAXF) {
    // Overflow is judged on the rounding with unbounded exponent: from the midpoint for RNE/RMM,
    // from just above MAXF when rounding away, from 2^128 when rounding toward zero.
    const over = rm === RNE || rm === RMM ? ax >= MIDF : awayMode || ax >= TWO128;
    if (!over) return neg ? MAXF_BITS | 0x80000000 : MAXF_BITS;
    fl |= OF;
    const r = ovfValue(neg, rm, MAXF);
    const mag = r === Infinity || r === -Infinity ? INF_S : MAXF_BITS;
    return neg ? mag | 0x80000000 : mag;
  }
  let b = I32[0];
  const af = neg ? -f : f;
  const up = ax > af; // exact magnitude is above the RNE result
  if (rm === RTZ) {
    if (!up) b -= 1;
  } else if (rm === RDN || rm === RUP) {
    if (awayMode ? up : !up) b += awayMode ? 1 : -1;
  } else if (rm === RMM && up) {
    I32[0] = b + 1;
    const an = Math.abs(F32[0]);
    if (ax - af === an - ax) b += 1; // a tie that RNE sent to the even (smaller) neighbour
  }
  if (ax < MIN_NORM_F) {
    // Tininess after rounding: tiny unless rounding to 24 bits with unbounded exponent reaches 2^-126.
    const notTiny = rm === RNE || rm === RMM ? ax >= TINY_NEAR_F : awayMode && ax > TINY_AWAY_F;
    if (!notTiny) fl |= UF;
  }
  return b;
}

/** A binary32 result computed in binary64 (exact or round-to-odd) -> bits; NaN -> canonical NaN. */
function finishS(x: number, rm: number): number {
  return x !== x ? CANON_S : roundS(x, rm);
}

// ---- exact BigInt slow path ----------------------------------------------------------------------------

const FRAC_MASK = (1n << 52n) - 1n;
const HIDDEN = 1n << 52n;
let uM = 0n; // unpack() result: |x| = uM * 2^uE
let uE = 0;

function unpack(x: number): void {
  F64[0] = x;
  const ex = (I32[1] >>> 20) & 0x7ff;
  const frac = U64[0] & FRAC_MASK;
  if (ex === 0) {
    uM = frac;
    uE = -1074;
  } else {
    uM = frac | HIDDEN;
    uE = ex - 1075;
  }
}

/** Number of bits of m > 0. */
function bitLen(m: bigint): number {
  const n = Number(m);
  if (n !== Infinity) {
    F64[0] = n;
    const k = (I32[1] >>> 20) - 1023; // floor(log2(n)); n may have rounded up to a power of two
    return m >> BigInt(k) === 0n ? k : k + 1;
  }
  const s = m.toString(16);
  return (s.length - 1) * 4 + 32 - Math.clz32(parseInt(s[0], 16));
}

function roundsUp(rm: number, neg: boolean, rem: bigint, half: bigint, mant: bigint): boolean {
  switch (rm) {
    case RNE:
      return rem > half || (rem === half && (mant & 1n) === 1n);
    case RTZ:
      return false;
    case RDN:
      return neg;
    case RUP:
      return !neg;
    default:
      return rem >= half;
  }
}

// binary64 format parameters for roundPack (binary32 never needs the slow path).
const P = 53;
const EMIN = -1022;
const EMAX = 1023;

/**
 * Round (-1)^neg * m * 2^e (m > 0, exact — or with a sticky bit at least 3 places below the rounding point)
 * to binary64, raising NX/UF/OF.
 */
function roundPack(neg: boolean, m: bigint, e: number, rm: number): number {
  const E = e + bitLen(m) - 1; // exponent of the leading bit
  let q = (E < EMIN ? EMIN : E) - P + 1; // weight of the last kept bit (subnormals keep fewer bits)
  const sh = q - e;
  let mant: bigint;
  let inexact = false;
  if (sh <= 0) {
    mant = m << BigInt(-sh);
  } else {
    const bs = BigInt(sh);
    mant = m >> bs;
    const rem = m - (mant << bs);
    if (rem !== 0n) {
      inexact = true;
      if (roundsUp(rm, neg, rem, 1n << (bs - 1n), mant)) mant += 1n;
    }
  }
  if (mant >> BigInt(P) !== 0n) {
    mant >>= 1n; // carried into a new binade
    q += 1;
  }
  if (q + P - 1 > EMAX) {
    fl |= OF | NX;
    return ovfValue(neg, rm, MAXD);
  }
  if (inexact) {
    fl |= NX;
    // Tininess after rounding: below 2^EMIN unless rounding to P bits with unbounded exponent reaches it,
    // which only a value just under 2^EMIN can do.
    let tiny = E < EMIN;
    if (E === EMIN - 1) {
      const bs = BigInt(EMIN - P - e); // >= 0: one bit below the bounded rounding point, which was inexact
      const mu = m >> bs;
      const rem = m - (mu << bs);
      if (rem !== 0n && roundsUp(rm, neg, rem, 1n << (bs - 1n), mu) && mu + 1n === 1n << BigInt(P)) tiny = false;
    }
    if (tiny) fl |= UF;
  }
  const v = Number(mant) * pow2(q);
  return neg ? -v : v;
}

/** Round the exact sum (-1)^na*ma*2^ea + (-1)^nb*mb*2^eb; an exact zero sum is +0 (-0 under RDN). */
function addRound(na: boolean, ma: bigint, ea: number, nb: boolean, mb: bigint, eb: number, rm: number): number {
  const e = ea < eb ? ea : eb;
  const A = ma << BigInt(ea - e);
  const B = mb << BigInt(eb - e);
  const s = (na ? -A : A) + (nb ? -B : B);
  if (s === 0n) return rm === RDN ? -0 : 0;
  return s < 0n ? roundPack(true, -s, e, rm) : roundPack(false, s, e, rm);
}

/** a + b (finite, nonzero) exactly rounded. */
function addSlow(a: number, b: number, rm: number): number {
  unpack(a);
  const ma = uM;
  const ea = uE;
  unpack(b);
  return addRound(a < 0, ma, ea, b < 0, uM, uE, rm);
}

/** a * b (finite, nonzero) exactly rounded. */
function mulSlow(a: number, b: number, rm: number): number {
  unpack(a);
  const ma = uM;
  const ea = uE;
  unpack(b);
  return roundPack(a < 0 !== b < 0, ma * uM, ea + uE, rm);
}

/** a / b (finite, nonzero) rounded: a quotient of 56 or more bits, plus a sticky bit for the remainder. */
function divSlow(a: number, b: number, rm: number): number {
  unpack(a);
  const ma = uM;
  const ea = uE;
  unpack(b);
  const mb = uM;
  let k = 56 + bitLen(mb) - bitLen(ma);
  if (k < 0) k = 0;
  const num = ma << BigInt(k);
  let qm = num / mb;
  let e = ea - uE - k;
  if (num !== qm * mb) {
    qm = (qm << 1n) | 1n;
    e -= 1;
  }
  return roundPack(a < 0 !== b < 0, qm, e, rm);
}

/** a*b + c for finite a, b, c, with a single rounding. */
function fmaSlow(a: number, b: number, c: number, rm: number): number {
  if (a === 0 || b === 0) {
    const p = a * b; // exact signed zero
    if (c !== 0) return c;
    const s = p + c;
    return s === 0 && rm === RDN ? zeroRdn(p, c) : s;
  }
  unpack(a);
  const ma = uM;
  const ea = uE;
  unpack(b);
  const neg = a < 0 !== b < 0;
  const mp = ma * uM;
  const ep = ea + uE;
  if (c === 0) return roundPack(neg, mp, ep, rm);
  unpack(c);
  return addRound(neg, mp, ep, c < 0, uM, uE, rm);
}

// ---- binary64 arithmetic (operands are not NaN) ----------------------------------------------------------

function addD(a: number, b: number, rm: number): number {
  const s = a + b;
  if (s - s !== 0) {
    if (s !== s) {
      fl |= NV; // inf - inf
      return s;
    }
    if (a - a !== 0 || b - b !== 0) return s; // an infinite operand: exact
    if (rm !== RNE) return addSlow(a, b, rm);
    fl |= OF | NX;
    return s;
  }
  const err = sumErr(a, b, s);
  if (err - err !== 0) return addSlow(a, b, rm); // s - a overflowed (operands near MAXD)
  if (err === 0) return s === 0 && rm === RDN ? zeroRdn(a, b) : s;
  fl |= NX;
  return rm === RNE ? s : adjD(s, err, rm);
}

function mulD(a: number, b: number, rm: number): number {
  const p = a * b;
  if (p !== p) {
    fl |= NV; // inf * 0
    return p;
  }
  if (a === 0 || b === 0 || a - a !== 0 || b - b !== 0) return p; // exact zero or infinity
  if (prodErrExact(a, b, p)) {
    const err = prodErr(a, b, p);
    if (err === 0) return p;
    fl |= NX;
    return rm === RNE ? p : adjD(p, err, rm);
  }
  if (p - p !== 0 && rm === RNE) {
    fl |= OF | NX;
    return p;
  }
  return mulSlow(a, b, rm);
}

function divD(a: number, b: number, rm: number): number {
  const q = a / b;
  if (q !== q) {
    fl |= NV; // 0/0, inf/inf
    return q;
  }
  if (b === 0) {
    if (a - a === 0) fl |= DZ; // finite / 0; inf / 0 is an exact infinity
    return q;
  }
  if (a === 0 || a - a !== 0 || b - b !== 0) return q; // exact zero or infinity
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const aq = Math.abs(q);
  if (aa >= SAFE_LO && aa <= SAFE_PROD && ab >= MIN_NORM_D && ab <= SAFE_HI && aq >= SAFE_LO && aq <= SAFE_HI) {
    // Residual a - q*b, exact: q*b = ph + pl exactly, and a - ph is exact (Sterbenz).
    const ph = q * b;
    const res = a - ph - prodErr(q, b, ph);
    if (res === 0) return q;
    fl |= NX;
    // A binary64 quotient is never exactly halfway between two normal doubles, so RMM acts as RNE.
    return rm === RNE || rm === RMM ? q : adjD(q, b > 0 ? res : -res, rm);
  }
  if (aq === Infinity && rm === RNE) {
    fl |= OF | NX;
    return q;
  }
  return divSlow(a, b, rm);
}

function sqrtD(a: number, rm: number): number {
  if (a < 0) {
    fl |= NV;
    return NaN;
  }
  if (a === 0 || a === Infinity) return a; // sqrt(-0) = -0
  // Scale by an even power of two into the range where the residual is exact; the root never
  // under- or overflows, so scaling back is exact too.
  let s = a;
  let scale = 1;
  if (a < SAFE_LO) {
    s = a * pow2(1000);
    scale = pow2(-500);
  } else if (a > SAFE_HI) {
    s = a * pow2(-100);
    scale = pow2(50);
  }
  let r = Math.sqrt(s); // IEEE square root, correctly rounded to nearest
  const ph = r * r;
  const res = s - ph - prodErr(r, r, ph);
  if (res !== 0) {
    fl |= NX;
    // A square root is never exactly halfway between two doubles: RMM acts as RNE.
    if (rm !== RNE && rm !== RMM) r = adjD(r, res, rm);
  }
  return r * scale;
}

function fmaD(a: number, b: number, c: number, rm: number): number {
  const p = a * b;
  if (p !== p) {
    fl |= NV; // inf * 0
    return p;
  }
  if (p - p !== 0 && (a - a !== 0 || b - b !== 0)) {
    // infinite product (exact)
    const s = p + c;
    if (s !== s) fl |= NV; // inf - inf
    return s;
  }
  if (c - c !== 0) return c; // finite product + infinite addend
  fmaIo[0] = a;
  fmaIo[1] = b;
  fmaIo[2] = c;
  return fmaFast(rm) ? fmaIo[0] : fmaSlow(a, b, c, rm);
}

// fmaFast's operands a, b, c in, its result out. A typed array rather than arguments and a return value:
// fmaFast is too big for V8 to inline, and doubles passed to or returned from a call that is not inlined
// are allocated (four for each FMA).
const fmaIo = new Float64Array(3);

/**
 * fmaIo[0] * fmaIo[1] + fmaIo[2] rounded in mode rm, into fmaIo[0], without BigInt. Returns false when the
 * inputs are outside the safe ranges (zeros, infinities and NaNs included) or the exact value is not pinned
 * between two adjacent doubles (cancellation, near under/overflow): then use fmaSlow.
 * The exact value is rebuilt as r + d1 + d2 from error-free transforms; r and its neighbour n toward
 * the exact value bracket it, and |d1 + d2| against the gap |n - r| decides the rounding in any mode.
 */
function fmaFast(rm: number): boolean {
  const io = fmaIo;
  const a = io[0];
  const b = io[1];
  const c = io[2];
  const p = a * b;
  if (!prodErrExact(a, b, p) || !(Math.abs(c) <= SAFE_PROD)) return false;
  const pl = prodErr(a, b, p); // a*b = p + pl
  const s = p + c;
  const e1 = sumErr(p, c, s); // a*b + c = s + e1 + pl
  const t = e1 + pl;
  const e2 = sumErr(e1, pl, t); // = s + t + e2
  const r = s + t;
  const e3 = sumErr(s, t, r); // = r + e3 + e2
  const d1 = e3 + e2;
  const d2 = sumErr(e3, e2, d1); // = r + d1 + d2, d1 = RN(d1 + d2)
  const ar = Math.abs(r);
  if (!(ar >= SAFE_LO && ar <= SAFE_PROD)) return false;
  if (d1 === 0) {
    io[0] = r; // exact
    return true;
  }
  const away = d1 > 0 === r > 0;
  const n = stepInRange(r, away ? 1 : -1); // the neighbour on the side of the exact value
  const g = Math.abs(n - r);
  const ad = Math.abs(d1);
  if (ad >= g) return false; // not strictly between r and n (d1 = RN(d), so |d| < g iff |d1| < g)
  fl |= NX;
  let toN: boolean;
  switch (rm) {
    case RTZ:
      toN = !away;
      break;
    case RDN:
      toN = d1 < 0;
      break;
    case RUP:
      toN = d1 > 0;
      break;
    default: {
      const half = g / 2;
      if (ad !== half) toN = ad > half;
      else if (d2 !== 0) toN = d2 > 0 === d1 > 0; // just past, or just short of, the midpoint
      else if (rm === RMM) toN = away;
      else {
        F64[0] = r;
        toN = (I32[0] & 1) !== 0; // tie: to even
      }
    }
  }
  io[0] = toN ? n : r;
  return true;
}

// ---- binary32 arithmetic, in binary64 (operands are not NaN); results go through finishS ------------------

function addS(a: number, b: number, rm: number): number {
  const s = a + b; // cannot overflow binary64, and tiny sums of singles are exact
  if (s - s !== 0) {
    if (s !== s) fl |= NV;
    return s;
  }
  const err = sumErr(a, b, s);
  if (err !== 0) return ro(s, err);
  return s === 0 && rm === RDN ? zeroRdn(a, b) : s;
}

function mulS(a: number, b: number): number {
  const p = a * b; // exact: 24x24 bits, within binary64's normal range
  if (p !== p) fl |= NV;
  return p;
}

function divS(a: number, b: number): number {
  const q = a / b;
  if (q !== q) {
    fl |= NV;
    return q;
  }
  if (b === 0) {
    if (a - a === 0) fl |= DZ;
    return q;
  }
  if (q === 0 || q - q !== 0) return q; // exact zero or infinity (no binary64 under/overflow for singles)
  const ph = q * b;
  const res = a - ph - prodErr(q, b, ph); // exact sign of a - q*b (as in divD)
  return ro(q, b > 0 ? res : -res);
}

function sqrtS(a: number): number {
  if (a < 0) {
    fl |= NV;
    return NaN;
  }
  if (a === 0 || a === Infinity) return a;
  const r = Math.sqrt(a);
  const ph = r * r;
  return ro(r, a - ph - prodErr(r, r, ph));
}

function fmaS(a: number, b: number, c: number, rm: number): number {
  const p = a * b; // exact
  if (p !== p) {
    fl |= NV;
    return p;
  }
  const s = p + c;
  if (s - s !== 0) {
    if (s !== s) fl |= NV; // inf - inf
    return s;
  }
  const err = sumErr(p, c, s);
  if (err !== 0) return ro(s, err);
  return s === 0 && rm === RDN ? zeroRdn(p, c) : s;
}

// ---- conversions ---------------------------------------------------------------------------------------

/** Round a finite double to an integral double in mode rm. */
function rint(x: number, rm: number): number {
  switch (rm) {
    case RTZ:
      return Math.trunc(x);
    case RDN:
      return Math.floor(x);
    case RUP:
      return Math.ceil(x);
    case RMM: {
      const t = Math.trunc(x);
      return Math.abs(x - t) >= 0.5 ? t + (x < 0 ? -1 : 1) : t;
    }
    default: {
      const t = Math.floor(x);
      const d = x - t; // exact
      return d > 0.5 || (d === 0.5 && t % 2 !== 0) ? t + 1 : t;
    }
  }
}

/** FCVT.{W,WU,L,LU}.fmt: kind 0..3 (rs2). x may be NaN or infinite. */
function cvtToInt(h: FpHart, rd: number, x: number, kind: number, rm: number): number {
  if (x !== x) {
    fl |= NV;
    return wrX(h, rd, SAT_MAX_LO[kind], SAT_MAX_HI[kind]);
  }
  const r = x - x === 0 ? rint(x, rm) : x;
  if (r < CVT_MIN[kind]) {
    fl |= NV;
    return wrX(h, rd, SAT_MIN_LO[kind], SAT_MIN_HI[kind]);
  }
  if (r >= CVT_END[kind]) {
    fl |= NV;
    return wrX(h, rd, SAT_MAX_LO[kind], SAT_MAX_HI[kind]);
  }
  if (r !== x) fl |= NX;
  if (kind < 2) {
    const lo = r | 0;
    return wrX(h, rd, lo, lo >> 31);
  }
  const hi = Math.floor(r / TWO32);
  return wrX(h, rd, (r - hi * TWO32) | 0, hi | 0);
}

/** FCVT.fmt.{W,WU,L,LU}: kind 0..3 (rs2); integer x[rs1] to S or D. */
function cvtFromInt(h: FpHart, rd: number, rs1: number, kind: number, rm: number, dbl: boolean): number {
  const lo = rs1 === 0 ? 0 : h.x[2 * rs1];
  let v: number;
  if (kind < 2) {
    v = kind === 0 ? lo : lo >>> 0; // exact in binary64
  } else {
    const hw = rs1 === 0 ? 0 : h.x[2 * rs1 + 1];
    const big = (kind === 2 ? hw : hw >>> 0) * TWO32;
    const low = lo >>> 0;
    v = big + low;
    const err = sumErr(big, low, v); // exact remainder of the 64-bit value
    if (err !== 0) {
      if (!dbl) return wrS(h, rd, roundS(ro(v, err), rm));
      fl |= NX;
      v = rm === RNE ? v : adjD(v, err, rm);
    }
  }
  return dbl ? wrD(h, rd, v) : wrS(h, rd, roundS(v, rm));
}

// ---- instruction groups --------------------------------------------------------------------------------

/** FADD/FSUB/FMUL/FDIV. */
function arith2(h: FpHart, f5: number, rd: number, rs1: number, rs2: number, rm: number, dbl: boolean): number {
  if (dbl) {
    const a = h.f[rs1];
    const b = h.f[rs2];
    if (a !== a || b !== b) {
      if (isSNaND(h, rs1) || isSNaND(h, rs2)) fl |= NV;
      return wrD(h, rd, NaN);
    }
    switch (f5) {
      case F_ADD:
        return wrD(h, rd, addD(a, b, rm));
      case F_SUB:
        return wrD(h, rd, addD(a, -b, rm));
      case F_MUL:
        return wrD(h, rd, mulD(a, b, rm));
      default:
        return wrD(h, rd, divD(a, b, rm));
    }
  }
  const ab = bitsS(h, rs1);
  const bb = bitsS(h, rs2);
  const a = valS(ab);
  const b = valS(bb);
  if (a !== a || b !== b) {
    if (isSNaNS(ab) || isSNaNS(bb)) fl |= NV;
    return wrS(h, rd, CANON_S);
  }
  switch (f5) {
    case F_ADD:
      return wrS(h, rd, finishS(addS(a, b, rm), rm));
    case F_SUB:
      return wrS(h, rd, finishS(addS(a, -b, rm), rm));
    case F_MUL:
      return wrS(h, rd, finishS(mulS(a, b), rm));
    default:
      return wrS(h, rd, finishS(divS(a, b), rm));
  }
}

function sqrt(h: FpHart, rd: number, rs1: number, rm: number, dbl: boolean): number {
  if (dbl) {
    const a = h.f[rs1];
    if (a !== a) {
      if (isSNaND(h, rs1)) fl |= NV;
      return wrD(h, rd, NaN);
    }
    return wrD(h, rd, sqrtD(a, rm));
  }
  const ab = bitsS(h, rs1);
  const a = valS(ab);
  if (a !== a) {
    if (isSNaNS(ab)) fl |= NV;
    return wrS(h, rd, CANON_S);
  }
  return wrS(h, rd, finishS(sqrtS(a), rm));
}

/** FMADD/FMSUB/FNMSUB/FNMADD: (±rs1*rs2) ± rs3, via negated operands (IEEE negation is exact). */
function fused(h: FpHart, op: number, rd: number, rs1: number, rs2: number, rs3: number, rm: number, dbl: boolean): number {
  const negProd = (op & FMA_NEG_PRODUCT) !== 0;
  const negAdd = (op & FMA_NEG_ADDEND) !== 0;
  let a: number, b: number, c: number;
  let snan: boolean;
  if (dbl) {
    a = h.f[rs1];
    b = h.f[rs2];
    c = h.f[rs3];
    snan = (a !== a && isSNaND(h, rs1)) || (b !== b && isSNaND(h, rs2)) || (c !== c && isSNaND(h, rs3));
  } else {
    const ab = bitsS(h, rs1);
    const bb = bitsS(h, rs2);
    const cb = bitsS(h, rs3);
    a = valS(ab);
    b = valS(bb);
    c = valS(cb);
    snan = isSNaNS(ab) || isSNaNS(bb) || isSNaNS(cb);
  }
  if (a !== a || b !== b || c !== c) {
    // RISC-V: inf * 0 raises NV even when the addend is a quiet NaN.
    const infZero = (a === 0 && (b === Infinity || b === -Infinity)) || (b === 0 && (a === Infinity || a === -Infinity));
    if (snan || infZero) fl |= NV;
    return dbl ? wrD(h, rd, NaN) : wrS(h, rd, CANON_S);
  }
  if (negProd) a = -a;
  if (negAdd) c = -c;
  return dbl ? wrD(h, rd, fmaD(a, b, c, rm)) : wrS(h, rd, finishS(fmaS(a, b, c, rm), rm));
}

/** FSGNJ/FSGNJN/FSGNJX (funct3 0/1/2): bits of rs1 with a new sign; no flags, no canonicalisation. */
function sgnj(h: FpHart, rd: number, rs1: number, rs2: number, f3: number, dbl: boolean): number {
  if (dbl) {
    const ah = h.fi[2 * rs1 + 1];
    const bh = h.fi[2 * rs2 + 1];
    const sign = f3 === 0 ? bh : f3 === 1 ? ~bh : ah ^ bh;
    h.fi[2 * rd] = h.fi[2 * rs1];
    h.fi[2 * rd + 1] = (ah & 0x7fffffff) | (sign & 0x80000000);
    return FP_OK_FREG;
  }
  // Not a transfer operation, so an improperly boxed input reads as the canonical NaN.
  const a = bitsS(h, rs1);
  const b = bitsS(h, rs2);
  const sign = f3 === 0 ? b : f3 === 1 ? ~b : a ^ b;
  return wrS(h, rd, (a & 0x7fffffff) | (sign & 0x80000000));
}

/** FMIN/FMAX (funct3 0/1): IEEE 754-2019 minimumNumber/maximumNumber, -0 < +0. */
function minMax(h: FpHart, rd: number, rs1: number, rs2: number, isMax: boolean, dbl: boolean): number {
  let a: number, b: number;
  let ab = 0;
  let bb = 0;
  if (dbl) {
    a = h.f[rs1];
    b = h.f[rs2];
    if ((a !== a && isSNaND(h, rs1)) || (b !== b && isSNaND(h, rs2))) fl |= NV;
  } else {
    ab = bitsS(h, rs1);
    bb = bitsS(h, rs2);
    a = valS(ab);
    b = valS(bb);
    if (isSNaNS(ab) || isSNaNS(bb)) fl |= NV;
  }
  let pickA: boolean;
  if (a !== a) {
    if (b !== b) return dbl ? wrD(h, rd, NaN) : wrS(h, rd, CANON_S);
    pickA = false;
  } else if (b !== b) {
    pickA = true;
  } else if (a === b) {
    // Equal values differ only for zeros of opposite sign.
    const aNeg = a < 0 || Object.is(a, -0);
    pickA = isMax ? !aNeg : aNeg;
  } else {
    pickA = isMax ? a > b : a < b;
  }
  if (dbl) return wrD(h, rd, pickA ? a : b);
  return wrS(h, rd, pickA ? ab : bb);
}

/** FEQ/FLT/FLE (funct3 2/1/0). FEQ is quiet (NV only for sNaN), FLT/FLE signal on any NaN. */
function compare(h: FpHart, rd: number, rs1: number, rs2: number, f3: number, dbl: boolean): number {
  let a: number, b: number;
  let snan: boolean;
  if (dbl) {
    a = h.f[rs1];
    b = h.f[rs2];
    snan = (a !== a && isSNaND(h, rs1)) || (b !== b && isSNaND(h, rs2));
  } else {
    const ab = bitsS(h, rs1);
    const bb = bitsS(h, rs2);
    a = valS(ab);
    b = valS(bb);
    snan = isSNaNS(ab) || isSNaNS(bb);
  }
  if (a !== a || b !== b) {
    if (snan || f3 !== 2) fl |= NV;
    return wrX(h, rd, 0, 0);
  }
  return wrX(h, rd, ordered(a, b, f3), 0);
}

/** FEQ/FLT/FLE (funct3 2/1/0) of two numbers that are not NaN: 1 or 0. */
function ordered(a: number, b: number, f3: number): number {
  return (f3 === 2 ? a === b : f3 === 1 ? a < b : a <= b) ? 1 : 0;
}

/** FCLASS: one-hot class mask. */
function fclass(h: FpHart, rd: number, rs1: number, dbl: boolean): number {
  let neg: boolean, expMax: boolean, expZero: boolean, fracZero: boolean, quiet: boolean;
  if (dbl) {
    const hi = h.fi[2 * rs1 + 1];
    const ex = (hi >>> 20) & 0x7ff;
    neg = hi < 0;
    expMax = ex === 0x7ff;
    expZero = ex === 0;
    fracZero = ((hi & 0xfffff) | h.fi[2 * rs1]) === 0;
    quiet = (hi & 0x80000) !== 0;
  } else {
    const b = bitsS(h, rs1);
    const ex = (b >>> 23) & 0xff;
    neg = b < 0;
    expMax = ex === 0xff;
    expZero = ex === 0;
    fracZero = (b & 0x7fffff) === 0;
    quiet = (b & 0x400000) !== 0;
  }
  let c: number;
  if (expMax) c = fracZero ? (neg ? CL_NEG_INF : CL_POS_INF) : quiet ? CL_QNAN : CL_SNAN;
  else if (expZero) c = fracZero ? (neg ? CL_NEG_ZERO : CL_POS_ZERO) : neg ? CL_NEG_SUB : CL_POS_SUB;
  else c = neg ? CL_NEG_NORM : CL_POS_NORM;
  return wrX(h, rd, c, 0);
}

/** FCVT.S.D (fmt S, rs2 1) and FCVT.D.S (fmt D, rs2 0). */
function cvtFF(h: FpHart, rd: number, rs1: number, rm: number, toDbl: boolean): number {
  if (toDbl) {
    const b = bitsS(h, rs1);
    if (isSNaNS(b)) fl |= NV;
    return wrD(h, rd, valS(b)); // exact; NaN -> canonical
  }
  const a = h.f[rs1];
  if (a !== a) {
    if (isSNaND(h, rs1)) fl |= NV;
    return wrS(h, rd, CANON_S);
  }
  return wrS(h, rd, roundS(a, rm));
}

/** The effective rounding mode, or -1 if reserved (static 5/6, or dynamic with frm 5..7). */
function effRm(h: FpHart, rm: number): number {
  if (rm === DYN) rm = h.frm;
  return rm <= RMM ? rm : -1;
}

// ---- entry points --------------------------------------------------------------------------------------

// The hart's fast paths for binary64 arithmetic rounding to nearest-even (the decoder's FADD_D … FMA_D ops
// with rm RNE or dynamic; the hart checks frm and FS): the kernels straight on the registers. Each writes
// f[rd] and returns the exceptions raised when the result is finite; otherwise (NaN operands, infinities,
// overflow) it writes nothing and returns -1, and execFp must run the instruction. One entry per operation,
// register numbers in and flags out, so that its kernel is inlined into it and no double crosses a call
// (doubles passed to or returned from a call that is not inlined are allocated).

/** The result of a fast path: see above. */
function fastResult(f: Float64Array, insn: number, r: number): number {
  if (r - r !== 0) {
    fl = 0; // NaN operands make NaN here, with a wrong NV from the kernels: dropped with the result
    return -1;
  }
  f[(insn >>> 7) & 31] = r;
  return takeFpFlags();
}

/** FADD.D / FSUB.D. */
export function fastAddD(f: Float64Array, insn: number): number {
  const b = f[(insn >>> 20) & 31];
  return fastResult(f, insn, addD(f[(insn >>> 15) & 31], (insn >>> 27) === F_SUB ? -b : b, RNE));
}

export function fastMulD(f: Float64Array, insn: number): number {
  return fastResult(f, insn, mulD(f[(insn >>> 15) & 31], f[(insn >>> 20) & 31], RNE));
}

export function fastDivD(f: Float64Array, insn: number): number {
  return fastResult(f, insn, divD(f[(insn >>> 15) & 31], f[(insn >>> 20) & 31], RNE));
}

export function fastSqrtD(f: Float64Array, insn: number): number {
  return fastResult(f, insn, sqrtD(f[(insn >>> 15) & 31], RNE));
}

/**
 * FEQ.D / FLT.D / FLE.D (the decoder's FCMP_D), for the hart to write to rd: 1 or 0, raising nothing; -1 when
 * an operand is a NaN (execFp then decides on NV).
 */
export function fastCmpD(f: Float64Array, insn: number): number {
  const a = f[(insn >>> 15) & 31];
  const b = f[(insn >>> 20) & 31];
  return a !== a || b !== b ? -1 : ordered(a, b, (insn >>> 12) & 7);
}

/** FMADD.D / FMSUB.D / FNMSUB.D / FNMADD.D: fmaFast alone (it declines fmaD's special cases too). */
export function fastFmaD(f: Float64Array, insn: number): number {
  const a = f[(insn >>> 15) & 31];
  const c = f[insn >>> 27];
  fmaIo[0] = (insn & FMA_NEG_PRODUCT) !== 0 ? -a : a;
  fmaIo[1] = f[(insn >>> 20) & 31];
  fmaIo[2] = (insn & FMA_NEG_ADDEND) !== 0 ? -c : c;
  return fmaFast(RNE) ? fastResult(f, insn, fmaIo[0]) : -1;
}

/**
 * Execute one F/D instruction (major opcode OP-FP or one of the four FMA opcodes). Returns FP_OK_FREG when a
 * float register was written, FP_OK_INT when an integer register (or nothing) was, FP_ILLEGAL for an
 * encoding that does not exist, FP_BAD_RM for a valid one whose rounding mode is reserved.
 */
export function execFp(h: FpHart, insn: number): number {
  const op = insn & 0x7f;
  const rd = (insn >>> 7) & 31;
  const f3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const fmt = (insn >>> 25) & 3;
  if (fmt > 1) return FP_ILLEGAL; // H and Q are not implemented
  const dbl = fmt === 1;
  fl = 0;
  let ret: number;
  if (op === OP_FP) {
    const f5 = insn >>> 27;
    switch (f5) {
      case F_ADD:
      case F_SUB:
      case F_MUL:
      case F_DIV: {
        const rm = effRm(h, f3);
        if (rm < 0) return FP_BAD_RM;
        ret = arith2(h, f5, rd, rs1, rs2, rm, dbl);
        break;
      }
      case F_SQRT: {
        const rm = effRm(h, f3);
        if (rs2 !== 0) return FP_ILLEGAL;
        if (rm < 0) return FP_BAD_RM;
        ret = sqrt(h, rd, rs1, rm, dbl);
        break;
      }
      case F_SGNJ:
        if (f3 > 2) return FP_ILLEGAL;
        ret = sgnj(h, rd, rs1, rs2, f3, dbl);
        break;
      case F_MINMAX:
        if (f3 > 1) return FP_ILLEGAL;
        ret = minMax(h, rd, rs1, rs2, f3 === 1, dbl);
        break;
      case F_CVT_FF: {
        // rs2 holds the source format, which must be the other one of S/D.
        const rm = effRm(h, f3);
        if (rs2 !== (dbl ? 0 : 1)) return FP_ILLEGAL;
        if (rm < 0) return FP_BAD_RM;
        ret = cvtFF(h, rd, rs1, rm, dbl);
        break;
      }
      case F_CMP:
        if (f3 > 2) return FP_ILLEGAL;
        ret = compare(h, rd, rs1, rs2, f3, dbl);
        break;
      case F_CVT_IF: {
        const rm = effRm(h, f3);
        if (rs2 > 3) return FP_ILLEGAL;
        if (rm < 0) return FP_BAD_RM;
        ret = cvtToInt(h, rd, dbl ? h.f[rs1] : valS(bitsS(h, rs1)), rs2, rm);
        break;
      }
      case F_CVT_FI: {
        const rm = effRm(h, f3);
        if (rs2 > 3) return FP_ILLEGAL;
        if (rm < 0) return FP_BAD_RM;
        ret = cvtFromInt(h, rd, rs1, rs2, rm, dbl);
        break;
      }
      case F_MVX_CLASS:
        if (rs2 !== 0 || f3 > 1) return FP_ILLEGAL;
        if (f3 === 1) {
          ret = fclass(h, rd, rs1, dbl);
        } else {
          // FMV.X.W moves the low word, sign-extended, without a NaN-box check; FMV.X.D moves all 64 bits.
          const lo = h.fi[2 * rs1];
          ret = wrX(h, rd, lo, dbl ? h.fi[2 * rs1 + 1] : lo >> 31);
        }
        break;
      case F_MV_FX: {
        if (rs2 !== 0 || f3 !== 0) return FP_ILLEGAL;
        const lo = rs1 === 0 ? 0 : h.x[2 * rs1];
        h.fi[2 * rd] = lo;
        h.fi[2 * rd + 1] = dbl ? (rs1 === 0 ? 0 : h.x[2 * rs1 + 1]) : -1;
        ret = FP_OK_FREG;
        break;
      }
      default:
        return FP_ILLEGAL;
    }
  } else if (op === OP_MADD || op === OP_MSUB || op === OP_NMSUB || op === OP_NMADD) {
    const rm = effRm(h, f3);
    if (rm < 0) return FP_BAD_RM;
    ret = fused(h, op, rd, rs1, rs2, insn >>> 27, rm, dbl);
  } else {
    return FP_ILLEGAL;
  }
  if (fl !== 0) h.fflags |= takeFpFlags();
  return ret;
}

// 64-bit arithmetic on int32 halves: the parts of RV64 that are not one-liners in the interpreter.

/** High 32 bits of the unsigned 64-bit product of two 32-bit values (16-bit limbs: exact in doubles). */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Signed 64-bit value of a register pair as a bigint. */
export function toSigned(lo: number, hi: number): bigint {
  return (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0);
}

/** Unsigned 64-bit value of a register pair as a bigint. */
export function toUnsigned(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Writes a bigint (any sign; taken mod 2^64) into x[i], x[i+1]. */
export function setBig(x: Int32Array, i: number, v: bigint): void {
  x[i] = Number(BigInt.asIntN(32, v));
  x[i + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

const TWO32 = 4294967296;

/** A number (an integer, exact below 2^53 in magnitude) written as a 64-bit register value. */
export function setNum(x: Int32Array, i: number, v: number): void {
  x[i] = v | 0;
  x[i + 1] = Math.floor(v / TWO32) | 0;
}

/** A register pair as a signed number (exact when |value| < 2^53; used for addresses and pc). */
export function toNum(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}

/** 32-bit DIVW/DIVUW/REMW/REMUW; result is the 32-bit value (caller sign-extends). */
export function divRem32(a: number, b: number, signed: boolean, rem: boolean): number {
  if (signed) {
    if (b === 0) return rem ? a : -1;
    if (b === -1 && a === -0x80000000) return rem ? 0 : a;
    return rem ? a % b | 0 : (a / b) | 0;
  }
  const ua = a >>> 0;
  const ub = b >>> 0;
  if (ub === 0) return rem ? a : -1;
  return rem ? ua % ub | 0 : Math.floor(ua / ub) | 0;
}

/** Count leading zeros of a 64-bit pair. */
export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

export function ctz32(v: number): number {
  return v === 0 ? 32 : 31 - Math.clz32(v & -v);
}

export function ctz64(lo: number, hi: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** orc.b on one 32-bit half: each byte becomes 0xff if non-zero. */
export function orcb32(v: number): number {
  let r = 0;
  for (let i = 0; i < 32; i += 8) if ((v >>> i) & 0xff) r |= 0xff << i;
  return r;
}

/** Byte-reverse a 32-bit value. */
export function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/**
 * High 64 bits of the 128-bit product (MULH/MULHSU/MULHU) without BigInt: four 32×32 partial
 * products, then the signed corrections (subtract b if a < 0, a if b < 0). Writes x[rd], x[rd+1].
 */
export function mulHigh64(x: Int32Array, rd: number, al: number, ah: number, bl: number, bh: number, aSigned: boolean, bSigned: boolean): void {
  const p0hi = mulhu32(al, bl) >>> 0;
  const p1lo = Math.imul(al, bh) >>> 0;
  const p1hi = mulhu32(al, bh) >>> 0;
  const p2lo = Math.imul(ah, bl) >>> 0;
  const p2hi = mulhu32(ah, bl) >>> 0;
  const p3lo = Math.imul(ah, bh) >>> 0;
  const p3hi = mulhu32(ah, bh) >>> 0;
  const mid = p0hi + p1lo + p2lo; // < 3 * 2^32: exact
  const w2 = p3lo + p1hi + p2hi + Math.floor(mid / TWO32);
  let lo = w2 | 0;
  let hi = (p3hi + Math.floor(w2 / TWO32)) | 0;
  if (aSigned && ah < 0) {
    const l = lo;
    lo = (l - bl) | 0;
    hi = (hi - bh - ((l >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;
  }
  if (bSigned && bh < 0) {
    const l = lo;
    lo = (l - al) | 0;
    hi = (hi - ah - ((l >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
  }
  x[rd] = lo;
  x[rd + 1] = hi;
}

const TWO12 = 4096;
const TWO20 = 1048576;
const TWO30 = 1073741824;

// udiv64's results, as int32 halves: quotient low, high, remainder low, high. (A typed array rather than
// module variables: numbers of 2^31 and more stored in those would be allocated as heap numbers.)
const Q_LO = 0;
const Q_HI = 1;
const R_LO = 2;
const R_HI = 3;
const divOut = new Int32Array(4);

/**
 * Unsigned 64-bit division on int32 halves, b nonzero, without BigInt. (Halves are passed as int32 and
 * made unsigned here: numbers of 2^31 and more passed to a call would be allocated.) Doubles
 * divide exactly enough when the dividend stays below 2^52: floor(n / d) is then the exact quotient,
 * since n + d < 2^53 (the rounded n / d cannot reach the next integer).
 */
function udiv64(sal: number, sah: number, sbl: number, sbh: number): void {
  const al = sal >>> 0;
  const ah = sah >>> 0;
  const bl = sbl >>> 0;
  const bh = sbh >>> 0;
  const out = divOut;
  if (bh === 0) {
    if (ah < TWO20) {
      // a < 2^52: one division.
      const a = ah * TWO32 + al;
      const q = Math.floor(a / bl);
      const qh = Math.floor(q / TWO32);
      out[Q_LO] = q - qh * TWO32;
      out[Q_HI] = qh;
      out[R_LO] = a - q * bl;
      out[R_HI] = 0;
      return;
    }
    // Divisor below 2^32: long division in two digits, the top 52 bits of a, then the last 12.
    const t1 = ah * TWO20 + (al >>> 12);
    const q1 = Math.floor(t1 / bl);
    const t2 = (t1 - q1 * bl) * TWO12 + (al & 0xfff);
    const q2 = Math.floor(t2 / bl);
    const qh = Math.floor(q1 / TWO20);
    out[Q_LO] = (q1 - qh * TWO20) * TWO12 + q2;
    out[Q_HI] = qh;
    out[R_LO] = t2 - q2 * bl;
    out[R_HI] = 0;
    return;
  }
  out[Q_HI] = 0;
  if (ah < TWO20) {
    // Both below 2^52.
    const a = ah * TWO32 + al;
    const b = bh * TWO32 + bl;
    const q = Math.floor(a / b);
    const r = a - q * b;
    const rh = Math.floor(r / TWO32);
    out[Q_LO] = q;
    out[R_LO] = r - rh * TWO32;
    out[R_HI] = rh;
    return;
  }
  let q = 0;
  let l = al;
  let h = ah;
  if (bh < TWO30) {
    // b < 2^62: the quotient is below 2^32 and the double estimate is within 2^-19 of it, so its
    // floor is off by at most one. r = a - q*b, exact modulo 2^64: |r| < 2b < 2^63, so its top bit is its sign.
    q = Math.min(Math.floor((ah * TWO32 + al) / (bh * TWO32 + bl)), 0xffffffff);
    const pl = Math.imul(q, bl) >>> 0;
    const ph = (mulhu32(q, bl) + Math.imul(q, bh)) >>> 0;
    l = (al - pl) >>> 0;
    h = (ah - ph - (al < pl ? 1 : 0)) >>> 0;
    if (h >= 0x80000000) {
      q -= 1;
      const s = l + bl;
      l = s >>> 0;
      h = (h + bh + (s >= TWO32 ? 1 : 0)) >>> 0;
    }
  }
  // Too small by one (or, for b >= 2^62, a quotient of at most 3 from zero): subtract b while r >= b.
  while (h > bh || (h === bh && l >= bl)) {
    q += 1;
    h = (h - bh - (l < bl ? 1 : 0)) >>> 0;
    l = (l - bl) >>> 0;
  }
  out[Q_LO] = q;
  out[R_LO] = l;
  out[R_HI] = h;
}

/**
 * DIV/DIVU/REM/REMU into x[rd], with RISC-V's results for division by zero (quotient all ones,
 * remainder the dividend) and overflow (-2^63 / -1 = -2^63, remainder 0: what the magnitudes give).
 */
export function divRem64Into(x: Int32Array, rd: number, al: number, ah: number, bl: number, bh: number, signed: boolean, rem: boolean): void {
  if ((bl | bh) === 0) {
    x[rd] = rem ? al : -1;
    x[rd + 1] = rem ? ah : -1;
    return;
  }
  const negA = signed && ah < 0;
  const negB = signed && bh < 0;
  // Divide the magnitudes (negation: invert and add one).
  udiv64(negA ? -al | 0 : al, negA ? (~ah + (al === 0 ? 1 : 0)) | 0 : ah,
    negB ? -bl | 0 : bl, negB ? (~bh + (bl === 0 ? 1 : 0)) | 0 : bh);
  // The quotient is negative when the signs differ, the remainder takes the dividend's sign.
  const neg = rem ? negA : negA !== negB;
  const lo = divOut[rem ? R_LO : Q_LO];
  const hi = divOut[rem ? R_HI : Q_HI];
  if (neg) {
    x[rd] = -lo | 0;
    x[rd + 1] = (~hi + (lo === 0 ? 1 : 0)) | 0;
  } else {
    x[rd] = lo;
    x[rd + 1] = hi;
  }
}

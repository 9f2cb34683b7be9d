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

/** mulh / mulhsu / mulhu: the high 64 bits of the 128-bit product. */
export function mulHigh(al: number, ah: number, bl: number, bh: number, aSigned: boolean, bSigned: boolean): bigint {
  const a = aSigned ? toSigned(al, ah) : toUnsigned(al, ah);
  const b = bSigned ? toSigned(bl, bh) : toUnsigned(bl, bh);
  return (a * b) >> 64n;
}

/** DIV/DIVU/REM/REMU on 64-bit values with RISC-V's rules for division by zero and overflow. */
export function divRem64(al: number, ah: number, bl: number, bh: number, signed: boolean, rem: boolean): bigint {
  const a = signed ? toSigned(al, ah) : toUnsigned(al, ah);
  const b = signed ? toSigned(bl, bh) : toUnsigned(bl, bh);
  if (b === 0n) return rem ? a : -1n;
  if (signed && b === -1n && a === -(1n << 63n)) return rem ? 0n : a;
  return rem ? a % b : a / b; // bigint division truncates toward zero, as RISC-V does
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

const TWO32_ = 4294967296;

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
  const w2 = p3lo + p1hi + p2hi + Math.floor(mid / TWO32_);
  let lo = w2 | 0;
  let hi = (p3hi + Math.floor(w2 / TWO32_)) | 0;
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

/** 2^51: below it, quotients and remainders are exact in doubles after a one-step correction. */
const SMALL = 2 ** 51;

/**
 * DIV/DIVU/REM/REMU into x[rd]: doubles when both operands are below 2^51 in magnitude, BigInt otherwise.
 */
export function divRem64Into(x: Int32Array, rd: number, al: number, ah: number, bl: number, bh: number, signed: boolean, rem: boolean): void {
  const a = signed ? ah * TWO32_ + (al >>> 0) : (ah >>> 0) * TWO32_ + (al >>> 0);
  const b = signed ? bh * TWO32_ + (bl >>> 0) : (bh >>> 0) * TWO32_ + (bl >>> 0);
  if (b !== 0 && a < SMALL && a > -SMALL && b < SMALL && b > -SMALL) {
    let q = Math.trunc(a / b);
    let r = a - q * b;
    // a / b was rounded: step q by one if the remainder came out on the wrong side.
    if (r !== 0 && (r < 0) !== (a < 0)) {
      q -= (a < 0) === (b < 0) ? 1 : -1;
      r = a - q * b;
    } else if (Math.abs(r) >= Math.abs(b)) {
      q += (a < 0) === (b < 0) ? 1 : -1;
      r = a - q * b;
    }
    const v = rem ? r : q;
    x[rd] = v | 0;
    x[rd + 1] = Math.floor(v / TWO32_) | 0;
    return;
  }
  setBig(x, rd, divRem64(al, ah, bl, bh, signed, rem));
}

// Tests for the 64-bit helpers on int32 halves (engine/cpu/alu64.ts) against BigInt arithmetic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divRem64Into, mulHigh64 } from '../../../engine/cpu/alu64.ts';

const M64 = (1n << 64n) - 1n;
const lo = (v: bigint): number => Number(BigInt.asIntN(32, v));
const hi = (v: bigint): number => Number(BigInt.asIntN(32, v >> 32n));

/** RISC-V DIV/DIVU/REM/REMU on 64-bit patterns, division by zero and overflow included. */
function divRef(a: bigint, b: bigint, signed: boolean, rem: boolean): bigint {
  const sa = signed ? BigInt.asIntN(64, a) : a;
  const sb = signed ? BigInt.asIntN(64, b) : b;
  if (sb === 0n) return rem ? a : M64;
  if (signed && sb === -1n && sa === -(1n << 63n)) return rem ? 0n : a;
  return BigInt.asUintN(64, rem ? sa % sb : sa / sb);
}

/** Operands that reach every path of the division: small and large, around 2^32, 2^52, 2^62, 2^63, negative. */
function* operands(count: number): Generator<bigint> {
  let s = 0x9e3779b97f4a7c15n;
  const next = (): bigint => (s = (s * 6364136223846793005n + 1442695040888963407n) & M64);
  const edges = [0n, 1n, 2n, 3n, M64, 1n << 63n, (1n << 63n) - 1n, 1n << 62n, (1n << 62n) - 1n, 1n << 52n,
    (1n << 52n) - 1n, 1n << 32n, (1n << 32n) - 1n, 0xffffffffn << 20n, 7n << 60n];
  for (let i = 0; i < count; i++) {
    const r = next();
    const bits = BigInt(Number(next() % 65n));
    switch (Number(next() % 6n)) {
      case 0: yield r & ((1n << bits) - 1n); break;
      case 1: yield BigInt.asUintN(64, -(r & ((1n << bits) - 1n))); break;
      case 2: yield edges[Number(next() % BigInt(edges.length))]; break;
      case 3: yield ((1n << bits) + (next() % 3n) - 1n) & M64; break;
      default: yield r >> (next() % 64n);
    }
  }
}

test('DIV/DIVU/REM/REMU match BigInt division, by zero and -2^63 / -1 included', () => {
  const x = new Int32Array(4);
  const vals = [...operands(40000)];
  for (let i = 0; i + 1 < vals.length; i++) {
    const a = vals[i];
    const b = vals[(i * 7919) % vals.length];
    for (const signed of [false, true]) {
      for (const rem of [false, true]) {
        divRem64Into(x, 2, lo(a), hi(a), lo(b), hi(b), signed, rem);
        const got = BigInt.asUintN(64, (BigInt(x[3]) << 32n) | BigInt(x[2] >>> 0));
        assert.equal(got, divRef(a, b, signed, rem), `${a.toString(16)} ${signed ? 's' : 'u'}${rem ? 'rem' : 'div'} ${b.toString(16)}`);
      }
    }
  }
});

test('MULH/MULHSU/MULHU match BigInt products', () => {
  const x = new Int32Array(2);
  const vals = [...operands(20000)];
  for (let i = 0; i < vals.length; i++) {
    const a = vals[i];
    const b = vals[(i * 104729) % vals.length];
    for (const [as, bs] of [[true, true], [true, false], [false, false]]) {
      mulHigh64(x, 0, lo(a), hi(a), lo(b), hi(b), as, bs);
      const want = BigInt.asUintN(64, ((as ? BigInt.asIntN(64, a) : a) * (bs ? BigInt.asIntN(64, b) : b)) >> 64n);
      assert.equal(BigInt.asUintN(64, (BigInt(x[1]) << 32n) | BigInt(x[0] >>> 0)), want);
    }
  }
});

// 64-bit rotates (Zbb) on int32 halves, writing the result into x[rd], x[rd+1]. The plain shifts are
// written into the hart's run loop (see there).

export function rol64(x: Int32Array, rd: number, lo: number, hi: number, sh: number): void {
  sh &= 63;
  if (sh === 0) { x[rd] = lo; x[rd + 1] = hi; return; }
  if (sh >= 32) { const t = lo; lo = hi; hi = t; sh -= 32; }
  if (sh === 0) { x[rd] = lo; x[rd + 1] = hi; return; }
  x[rd] = (lo << sh) | (hi >>> (32 - sh));
  x[rd + 1] = (hi << sh) | (lo >>> (32 - sh));
}

export function ror64(x: Int32Array, rd: number, lo: number, hi: number, sh: number): void {
  rol64(x, rd, lo, hi, (64 - (sh & 63)) & 63);
}

// Physical memory protection: 16 entries, OFF/TOR/NA4/NAPOT, lock bit (privileged spec 3.7).
// Granularity G = 0 (4 bytes), as QEMU 7.2's virt harts.

import { PRV_M } from '../cpu/csr.ts';

export const PMP_ENTRIES = 16;
const R = 1;
const W = 2;
const X = 4;
const A_SHIFT = 3;
const L = 0x80;
const A_OFF = 0;
const A_TOR = 1;
const A_NA4 = 2;
const A_NAPOT = 3;

/** Access kinds, matching the permission bits. */
export const ACCESS_READ = R;
export const ACCESS_WRITE = W;
export const ACCESS_EXEC = X;

export class Pmp {
  /** pmpNcfg bytes. */
  readonly cfg = new Uint8Array(PMP_ENTRIES);
  /** pmpaddrN values (bits 55:2 of the address, i.e. 54 bits: more than a double holds exactly). */
  readonly addr = new BigUint64Array(PMP_ENTRIES);
  /** Decoded [lo, hi) byte ranges per entry (empty when OFF). */
  private readonly lo = new Float64Array(PMP_ENTRIES);
  private readonly hi = new Float64Array(PMP_ENTRIES);
  /** True when at least one entry is not OFF. */
  private active = false;
  /** Bumped on every change, so translation caches can tell they are stale. */
  generation = 0;

  isLocked(i: number): boolean {
    return (this.cfg[i] & L) !== 0;
  }

  /** Writes pmpcfg register `reg` (even numbers on RV64: 0 or 2 → entries reg*4 .. reg*4+7). */
  writeCfg(reg: number, value: bigint): void {
    for (let k = 0; k < 8; k++) {
      const i = reg * 4 + k;
      if (i >= PMP_ENTRIES || this.isLocked(i)) continue;
      let b = Number((value >> BigInt(8 * k)) & 0xffn);
      b &= 0x9f; // bits 6:5 are reserved (read-only zero)
      if ((b & (R | W)) === W) b &= ~W; // R=0,W=1 is reserved: keep W clear (QEMU does the same)
      this.cfg[i] = b;
    }
    this.recompute();
  }

  readCfg(reg: number): bigint {
    let v = 0n;
    for (let k = 7; k >= 0; k--) {
      const i = reg * 4 + k;
      v = (v << 8n) | BigInt(i < PMP_ENTRIES ? this.cfg[i] : 0);
    }
    return v;
  }

  writeAddr(i: number, value: bigint): void {
    if (this.isLocked(i)) return;
    // A locked TOR entry i+1 also locks pmpaddr i.
    if (i + 1 < PMP_ENTRIES && this.isLocked(i + 1) && ((this.cfg[i + 1] >> A_SHIFT) & 3) === A_TOR) return;
    this.addr[i] = value & ((1n << 54n) - 1n);
    this.recompute();
  }

  private recompute(): void {
    this.active = false;
    for (let i = 0; i < PMP_ENTRIES; i++) {
      const a = (this.cfg[i] >> A_SHIFT) & 3;
      let lo = 0n;
      let hi = 0n;
      const addr = this.addr[i];
      if (a === A_TOR) {
        lo = i === 0 ? 0n : this.addr[i - 1] * 4n;
        hi = addr * 4n;
      } else if (a === A_NA4) {
        lo = addr * 4n;
        hi = lo + 4n;
      } else if (a === A_NAPOT) {
        // k trailing ones in pmpaddr give a region of 2^(k+3) bytes.
        let ones = 0n;
        while (ones < 54n && ((addr >> ones) & 1n) === 1n) ones++;
        lo = (addr >> ones << ones) * 4n;
        hi = lo + (1n << (ones + 3n));
      }
      if (a !== A_OFF) this.active = true;
      // Byte bounds as doubles: exact for every address a device or RAM can have (< 2^53).
      this.lo[i] = Number(lo);
      this.hi[i] = Number(hi);
    }
    this.generation++;
  }

  /**
   * Checks an access of `size` bytes at `pa` by privilege `priv`. Returns true if allowed.
   * The lowest-numbered entry matching any byte decides; a partial match fails.
   */
  check(pa: number, size: number, access: number, priv: number): boolean {
    if (!this.active) return priv === PRV_M;
    for (let i = 0; i < PMP_ENTRIES; i++) {
      const lo = this.lo[i];
      const hi = this.hi[i];
      if (hi <= lo) continue;
      if (pa + size <= lo || pa >= hi) continue;
      if (pa < lo || pa + size > hi) return false; // matches only part of the access
      const cfg = this.cfg[i];
      if (priv === PRV_M && (cfg & L) === 0) return true;
      return (cfg & access) !== 0;
    }
    return priv === PRV_M;
  }

  /**
   * Whether a whole 4 KiB page gets the same answer for every byte, so a TLB entry may cover it.
   * Returns the allowed access bits (R|W|X) for the page, or -1 if permissions vary inside it.
   */
  pagePermissions(pagePa: number, priv: number): number {
    if (!this.active) return priv === PRV_M ? R | W | X : 0;
    const end = pagePa + 4096;
    for (let i = 0; i < PMP_ENTRIES; i++) {
      const lo = this.lo[i];
      const hi = this.hi[i];
      if (hi <= lo) continue;
      if (end <= lo || pagePa >= hi) continue;
      if (pagePa < lo || end > hi) return -1;
      const cfg = this.cfg[i];
      if (priv === PRV_M && (cfg & L) === 0) return R | W | X;
      return cfg & (R | W | X);
    }
    return priv === PRV_M ? R | W | X : 0;
  }

  saveState(): { cfg: number[]; addr: string[] } {
    return { cfg: Array.from(this.cfg), addr: Array.from(this.addr, (v) => v.toString()) };
  }

  loadState(s: { cfg: number[]; addr: string[] }): void {
    this.cfg.set(s.cfg);
    this.addr.set(s.addr.map((v) => BigInt(v)));
    this.recompute();
  }
}

// What a virtio device may touch of the guest: RAM only, bounds-checked on every access. An address
// the driver gives us that is outside RAM (or inside an MMIO window, or wraps) is an error the caller
// reports to the driver; it never becomes a host access, and nothing here throws for it.
import type { Bus } from '../../bus.ts';

export interface GuestMemory {
  /** A copy of `len` bytes at `pa`, or undefined unless all of [pa, pa + len) is RAM. */
  read(pa: number, len: number): Uint8Array | undefined;
  /** Writes `bytes` at `pa`; false (and nothing written) unless the whole range is RAM. */
  write(pa: number, bytes: Uint8Array): boolean;
  /** Whether [pa, pa + len) is entirely RAM. */
  contains(pa: number, len: number): boolean;
  /** Little-endian loads; undefined outside RAM. */
  u16(pa: number): number | undefined;
  u32(pa: number): number | undefined;
  /**
   * A little-endian u64 as a number: exact below 2^53; larger values come back rounded, which is
   * harmless because every such address is far outside RAM and fails `contains`.
   */
  u64(pa: number): number | undefined;
  /** Little-endian stores; false outside RAM. */
  setU16(pa: number, value: number): boolean;
  setU32(pa: number, value: number): boolean;
}

/** GuestMemory over the machine's bus: RAM writes keep the decoded-instruction cache coherent. */
export class BusGuestMemory implements GuestMemory {
  private readonly bus: Bus;

  constructor(bus: Bus) {
    this.bus = bus;
  }

  /** RAM offset of [pa, pa + len), or -1. Rejects non-integers and negatives before the bus sees them. */
  private offset(pa: number, len: number): number {
    if (!Number.isSafeInteger(pa) || !Number.isSafeInteger(len) || pa < 0 || len < 0) return -1;
    return this.bus.ramOffset(pa, len);
  }

  contains(pa: number, len: number): boolean {
    return this.offset(pa, len) >= 0;
  }

  read(pa: number, len: number): Uint8Array | undefined {
    const off = this.offset(pa, len);
    return off < 0 ? undefined : this.bus.ram.slice(off, off + len);
  }

  write(pa: number, bytes: Uint8Array): boolean {
    const off = this.offset(pa, bytes.length);
    if (off < 0) return false;
    this.bus.ram.set(bytes, off);
    if (bytes.length > 0) this.bus.invalidateRam(off, bytes.length);
    return true;
  }

  u16(pa: number): number | undefined {
    const off = this.offset(pa, 2);
    if (off < 0) return undefined;
    const m = this.bus.ram;
    return m[off] | (m[off + 1] << 8);
  }

  u32(pa: number): number | undefined {
    const off = this.offset(pa, 4);
    if (off < 0) return undefined;
    const m = this.bus.ram;
    return (m[off] | (m[off + 1] << 8) | (m[off + 2] << 16) | (m[off + 3] << 24)) >>> 0;
  }

  u64(pa: number): number | undefined {
    const lo = this.u32(pa);
    const hi = this.u32(pa + 4);
    return lo === undefined || hi === undefined ? undefined : hi * 2 ** 32 + lo;
  }

  setU16(pa: number, value: number): boolean {
    const off = this.offset(pa, 2);
    if (off < 0) return false;
    const m = this.bus.ram;
    m[off] = value & 0xff;
    m[off + 1] = (value >>> 8) & 0xff;
    this.bus.invalidateRam(off, 2);
    return true;
  }

  setU32(pa: number, value: number): boolean {
    const off = this.offset(pa, 4);
    if (off < 0) return false;
    const m = this.bus.ram;
    for (let i = 0; i < 4; i++) m[off + i] = (value >>> (8 * i)) & 0xff;
    this.bus.invalidateRam(off, 4);
    return true;
  }
}

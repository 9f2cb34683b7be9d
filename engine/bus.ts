// The physical address space: RAM, the boot ROM and memory-mapped devices, plus the
// pre-decoded instruction cache kept per physical page (invalidated when code pages are written).

import type { MmioDevice } from './devices/device.ts';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** Decoded-cache slots per page: one per 16-bit parcel, two int32 words each. */
export const DECODED_WORDS = (PAGE_SIZE / 2) * 2;

interface Region {
  base: number;
  size: number;
  device: MmioDevice;
}

/** Something that caches translations to RAM pages for writing and must drop them when a page turns into code. */
export interface WriteCacheOwner {
  dropWritesToRamPage(ramPage: number): void;
}

export class Bus {
  readonly ramBase: number;
  readonly ramSize: number;
  readonly ram: Uint8Array;
  readonly ram16: Uint16Array;
  readonly ram32: Int32Array;
  /** Read-only memory regions (boot ROM), by base. */
  private readonly roms: Array<{ base: number; data: Uint8Array }> = [];
  private readonly regions: Region[] = [];
  /** Decoded instruction pages of RAM, by RAM page index. */
  readonly decodedRam: Array<Int32Array | undefined>;
  /** Decoded instruction pages outside RAM (ROM), by physical page number. */
  private readonly decodedOther = new Map<number, Int32Array>();
  /** Who must be told when a RAM page becomes code (each hart's write TLB). */
  readonly writeCaches: WriteCacheOwner[] = [];
  /** Called for every RAM write through the slow path at a watched physical address (HTIF tohost). */
  storeWatch: ((pa: number) => void) | undefined;
  storeWatchPage = -1;

  constructor(ramBase: number, ramSize: number) {
    if (ramSize <= 0 || ramSize % PAGE_SIZE !== 0 || ramSize > 0xf000_0000) {
      throw new Error(`RAM size must be a positive multiple of 4 KiB up to 3.75 GiB (got ${ramSize})`);
    }
    this.ramBase = ramBase;
    this.ramSize = ramSize;
    const buf = new ArrayBuffer(ramSize);
    this.ram = new Uint8Array(buf);
    this.ram16 = new Uint16Array(buf);
    this.ram32 = new Int32Array(buf);
    this.decodedRam = new Array(ramSize >>> PAGE_SHIFT);
  }

  /** Maps a device at [base, base + size). */
  register(base: number, size: number, device: MmioDevice): void {
    for (const r of this.regions) {
      if (base < r.base + r.size && r.base < base + size) throw new Error(`${device.name} overlaps ${r.device.name}`);
    }
    this.regions.push({ base, size, device });
    this.regions.sort((a, b) => a.base - b.base);
  }

  /** Maps read-only memory at `base` (replacing a ROM already there: a reboot rewrites the boot ROM). */
  addRom(base: number, data: Uint8Array): void {
    const i = this.roms.findIndex((r) => r.base === base);
    if (i >= 0) this.roms.splice(i, 1);
    for (let pa = base - (base % PAGE_SIZE); pa < base + data.length; pa += PAGE_SIZE) this.decodedOther.delete(Math.floor(pa / PAGE_SIZE));
    this.roms.push({ base, data });
  }

  /** The ROM mapped at `base` (for snapshots). */
  romAt(base: number): Uint8Array | undefined {
    return this.roms.find((r) => r.base === base)?.data;
  }

  get devices(): ReadonlyArray<Readonly<Region>> {
    return this.regions;
  }

  /** Byte offset of `pa` in RAM, or -1 when `pa..pa+size` is not entirely RAM. */
  ramOffset(pa: number, size = 1): number {
    const off = pa - this.ramBase;
    return off >= 0 && off + size <= this.ramSize ? off : -1;
  }

  private findRegion(pa: number): Region | undefined {
    const rs = this.regions;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      if (pa >= r.base && pa < r.base + r.size) return r;
    }
    return undefined;
  }

  /**
   * A load of `size` bytes (1, 2, 4, 8) at physical address `pa` into out[0] (low) and out[1] (high),
   * zero-extended. Returns false for an access fault (nothing there).
   */
  load(pa: number, size: number, out: Int32Array): boolean {
    const off = this.ramOffset(pa, size);
    if (off >= 0) {
      const m = this.ram;
      let lo = 0;
      let hi = 0;
      for (let i = Math.min(size, 4) - 1; i >= 0; i--) lo = (lo << 8) | m[off + i];
      for (let i = size - 1; i >= 4; i--) hi = (hi << 8) | m[off + i];
      out[0] = lo;
      out[1] = hi;
      return true;
    }
    const r = this.findRegion(pa);
    if (r !== undefined) {
      if (pa + size > r.base + r.size) return false;
      const o = pa - r.base;
      const d = r.device;
      if (size === 8) {
        if (d.read64) {
          const v = d.read64(o);
          out[0] = Number(v & 0xffffffffn) | 0;
          out[1] = Number(v >> 32n) | 0;
        } else {
          out[0] = d.read(o, 4) | 0;
          out[1] = d.read(o + 4, 4) | 0;
        }
      } else {
        const v = d.read(o, size);
        out[0] = size === 4 ? v | 0 : v & (size === 1 ? 0xff : 0xffff);
        out[1] = 0;
      }
      return true;
    }
    for (const rom of this.roms) {
      const o = pa - rom.base;
      if (o >= 0 && o + size <= rom.data.length) {
        let lo = 0;
        let hi = 0;
        for (let i = Math.min(size, 4) - 1; i >= 0; i--) lo = (lo << 8) | rom.data[o + i];
        for (let i = size - 1; i >= 4; i--) hi = (hi << 8) | rom.data[o + i];
        out[0] = lo;
        out[1] = hi;
        return true;
      }
    }
    return false;
  }

  /** A store of `size` bytes of (lo, hi) at `pa`. Returns false for an access fault. ROM ignores writes. */
  store(pa: number, size: number, lo: number, hi: number): boolean {
    const off = this.ramOffset(pa, size);
    if (off >= 0) {
      this.invalidateRam(off, size);
      const m = this.ram;
      for (let i = 0; i < size; i++) m[off + i] = i < 4 ? lo >>> (8 * i) : hi >>> (8 * (i - 4));
      if ((off >>> PAGE_SHIFT) === this.storeWatchPage && this.storeWatch) this.storeWatch(pa);
      return true;
    }
    const r = this.findRegion(pa);
    if (r !== undefined) {
      if (pa + size > r.base + r.size) return false;
      const o = pa - r.base;
      const d = r.device;
      if (size === 8) {
        if (d.write64) d.write64(o, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
        else {
          d.write(o, 4, lo >>> 0);
          d.write(o + 4, 4, hi >>> 0);
        }
      } else {
        d.write(o, size, size === 4 ? lo >>> 0 : lo & (size === 1 ? 0xff : 0xffff));
      }
      return true;
    }
    for (const rom of this.roms) {
      const o = pa - rom.base;
      if (o >= 0 && o + size <= rom.data.length) return true;
    }
    return false;
  }

  /** True if `pa` is backed by RAM or ROM (instructions can be fetched there). */
  isMemory(pa: number): boolean {
    if (this.ramOffset(pa) >= 0) return true;
    return this.roms.some((r) => pa >= r.base && pa < r.base + r.data.length);
  }

  /** Reads a 16-bit instruction parcel from RAM or ROM (caller checked isMemory). */
  parcel(pa: number): number {
    const off = this.ramOffset(pa, 2);
    if (off >= 0) return this.ram[off] | (this.ram[off + 1] << 8);
    for (const r of this.roms) {
      const o = pa - r.base;
      if (o >= 0 && o + 2 <= r.data.length) return r.data[o] | (r.data[o + 1] << 8);
    }
    return 0;
  }

  /** The decoded-instruction page for the physical page holding `pa` (created empty on first use). */
  decodedPage(pa: number): Int32Array {
    const off = this.ramOffset(pa);
    if (off >= 0) {
      const p = off >>> PAGE_SHIFT;
      let d = this.decodedRam[p];
      if (d === undefined) {
        d = new Int32Array(DECODED_WORDS);
        this.decodedRam[p] = d;
        for (const w of this.writeCaches) w.dropWritesToRamPage(p);
      }
      return d;
    }
    const ppn = Math.floor(pa / PAGE_SIZE);
    let d = this.decodedOther.get(ppn);
    if (d === undefined) {
      d = new Int32Array(DECODED_WORDS);
      this.decodedOther.set(ppn, d);
    }
    return d;
  }

  /** True if the RAM page holds decoded code (writes to it must go through invalidateRam). */
  isCodePage(ramPage: number): boolean {
    return this.decodedRam[ramPage] !== undefined;
  }

  /** Drops decoded instructions covering RAM bytes [off, off + size). */
  invalidateRam(off: number, size: number): void {
    const first = off >>> PAGE_SHIFT;
    const last = (off + size - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) this.decodedRam[p] = undefined;
  }

  /** Writes bytes into RAM from the host (loaders, DMA, the debugger), keeping the decode cache coherent. */
  writeRam(pa: number, bytes: Uint8Array): void {
    const off = this.ramOffset(pa, bytes.length);
    if (off < 0) throw new Error(`0x${pa.toString(16)}+${bytes.length} is outside RAM`);
    this.ram.set(bytes, off);
    if (bytes.length > 0) this.invalidateRam(off, bytes.length);
  }
}

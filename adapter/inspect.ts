// What the adapter reads and writes in a stopped machine: memory as a hart sees it (virtual, through
// a side-effect-free walk) or physical, registers in DWARF numbering, and the call stack (CFI, with
// frame pointers as the fallback). Reads never touch devices: only RAM and ROM are memory here.

import type { Machine } from '../engine/machine.ts';
import type { Hart } from '../engine/cpu/hart.ts';
import { ACCESS_READ } from '../engine/mmu/pmp.ts';
import { unwindByFramePointer, unwindStep } from '../debuginfo/cfi.ts';
import type { Symbols } from './symbols.ts';

const MASK64 = (1n << 64n) - 1n;
const PAGE = 4096n;
/** The most a single read or write may span (a memory view asks for a few KiB at a time). */
export const MAX_ACCESS = 1 << 20;
export const MAX_FRAMES = 64;

export interface Frame {
  /** The frame's pc (for frame 0 the hart's; for callers the return address). */
  pc: bigint;
  /** The pc to look lines and scopes up with: for callers, inside the call instruction. */
  lookupPc: bigint;
  /** Canonical frame address, when known (the caller's sp at the call). */
  cfa?: bigint;
  /** Registers in DWARF numbering (0–31 x, 32–63 f), as far as unwinding recovered them. */
  regs: Map<number, bigint>;
}

export class Inspector {
  constructor(private readonly machine: Machine, private readonly symbols: Symbols) {}

  /** Physical RAM/ROM bytes, or undefined if any byte is not memory (MMIO is never read). */
  readPhysical(pa: bigint, size: number): Uint8Array | undefined {
    if (size < 0 || size > MAX_ACCESS || pa < 0n || pa + BigInt(size) > 1n << 56n) return undefined;
    const bus = this.machine.board.bus;
    const off = bus.ramOffset(Number(pa), Math.max(size, 1));
    if (off >= 0) return bus.ram.slice(off, off + size);
    // ROM (the boot ROM) is memory too: byte by byte through the bus's side-effect-free parcel reads.
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i += 2) {
      const a = Number(pa) + i;
      if (!bus.isMemory(a) || (i + 1 < size && !bus.isMemory(a + 1))) return undefined;
      const p = bus.parcel(a);
      out[i] = p & 0xff;
      if (i + 1 < size) out[i + 1] = p >>> 8;
    }
    return out;
  }

  /** Writes RAM (decoded code in it is invalidated); false if any byte is not RAM. */
  writePhysical(pa: bigint, bytes: Uint8Array): boolean {
    const bus = this.machine.board.bus;
    if (bytes.length > MAX_ACCESS || pa < 0n) return false;
    const off = bus.ramOffset(Number(pa), Math.max(bytes.length, 1));
    if (off < 0) return false;
    bus.ram.set(bytes, off);
    bus.invalidateRam(off, bytes.length);
    for (const h of this.machine.harts) h.flushTlb();
    return true;
  }

  /** A virtual address as `hart` sees it now (any valid mapping), or undefined. */
  translate(hart: Hart, va: bigint): bigint | undefined {
    const pa = hart.translateDebug(va & MASK64, ACCESS_READ, [], true);
    return pa < 0 ? undefined : BigInt(pa);
  }

  /** Reads `size` bytes at virtual `va`, page by page; undefined if any page is unmapped or not memory. */
  readVirtual(hart: Hart, va: bigint, size: number): Uint8Array | undefined {
    if (size < 0 || size > MAX_ACCESS) return undefined;
    const out = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const a = (va + BigInt(done)) & MASK64;
      const n = Math.min(size - done, Number(PAGE - (a % PAGE)));
      const pa = this.translate(hart, a);
      if (pa === undefined) return undefined;
      const b = this.readPhysical(pa, n);
      if (!b) return undefined;
      out.set(b, done);
      done += n;
    }
    return out;
  }

  /** How many bytes from `va` can be read (for a memory view's unreadable tail). */
  readableLength(hart: Hart, va: bigint, size: number): number {
    let done = 0;
    while (done < size) {
      const a = (va + BigInt(done)) & MASK64;
      const n = Math.min(size - done, Number(PAGE - (a % PAGE)));
      const pa = this.translate(hart, a);
      if (pa === undefined || !this.readPhysical(pa, n)) return done;
      done += n;
    }
    return done;
  }

  writeVirtual(hart: Hart, va: bigint, bytes: Uint8Array): boolean {
    // Translate every page first, so a failure writes nothing.
    const parts: Array<[bigint, Uint8Array]> = [];
    let done = 0;
    while (done < bytes.length) {
      const a = (va + BigInt(done)) & MASK64;
      const n = Math.min(bytes.length - done, Number(PAGE - (a % PAGE)));
      const pa = this.translate(hart, a);
      if (pa === undefined || this.machine.board.bus.ramOffset(Number(pa), n) < 0) return false;
      parts.push([pa, bytes.subarray(done, done + n)]);
      done += n;
    }
    for (const [pa, b] of parts) this.writePhysical(pa, b);
    return true;
  }

  /** The hart's registers in DWARF numbering. */
  registers(hart: Hart): Map<number, bigint> {
    const regs = new Map<number, bigint>();
    for (let i = 0; i < 32; i++) regs.set(i, hart.getX(i));
    for (let i = 0; i < 32; i++) regs.set(32 + i, hart.getF(i));
    return regs;
  }

  /** The call stack of `hart`, innermost first (at most MAX_FRAMES). */
  unwind(hart: Hart, max = MAX_FRAMES): Frame[] {
    const read = (a: bigint, n: number): Uint8Array | undefined => this.readVirtual(hart, a, n);
    const frames: Frame[] = [];
    let pc = hart.getPc();
    let regs = this.registers(hart);
    for (let depth = 0; depth < max; depth++) {
      // A return address points after the call: look the caller up inside the call instruction.
      const lookupPc = depth === 0 ? pc : (pc - 2n) & MASK64;
      const frame: Frame = { pc, lookupPc, regs };
      frames.push(frame);
      const loc = this.symbols.locate(lookupPc);
      let step: { pc: bigint; cfa: bigint; regs: Map<number, bigint> } | undefined;
      const table = loc?.file.cfi.find((t) => t.rowAt(loc.address) !== undefined);
      if (loc && table) {
        // The table knows the file's virtual addresses; the registers are what the hart holds.
        step = unwindStep(table, loc.address, regs, read);
        if (step && loc.address !== lookupPc) step.pc = (step.pc - loc.file.aliasDelta) & MASK64;
      } else if (loc) {
        step = unwindByFramePointer(pc, regs, read);
      }
      if (!step) break;
      frame.cfa = step.cfa;
      if (step.pc === 0n || (step.pc === pc && step.regs.get(2) === regs.get(2))) break;
      const prevSp = regs.get(2) ?? 0n;
      const nextSp = step.regs.get(2) ?? step.cfa;
      // Stacks grow down: a caller's frame is above its callee's (else the chain is broken).
      if (BigInt.asIntN(64, nextSp) < BigInt.asIntN(64, prevSp)) break;
      pc = step.pc;
      regs = step.regs;
    }
    return frames;
  }
}

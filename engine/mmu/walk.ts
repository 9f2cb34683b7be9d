// Sv39/Sv48/Sv57 page-table walks (privileged spec 4.3.2, 4.4, 4.5), with hardware A/D updates as QEMU does.

import type { Bus } from '../bus.ts';
import { Cause, PRV_S, PRV_U } from '../cpu/csr.ts';
import { ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, type Pmp } from './pmp.ts';

export const SATP_MODE_BARE = 0;
export const SATP_MODE_SV39 = 8;
export const SATP_MODE_SV48 = 9;
export const SATP_MODE_SV57 = 10;

/** Levels per satp mode (0 for bare / unsupported). */
export function levelsOf(mode: number): number {
  return mode === SATP_MODE_SV39 ? 3 : mode === SATP_MODE_SV48 ? 4 : mode === SATP_MODE_SV57 ? 5 : 0;
}

const PTE_V = 1;
const PTE_R = 2;
const PTE_W = 4;
const PTE_X = 8;
const PTE_U = 16;
const PTE_A = 64;
const PTE_D = 128;

/** One level of a walk, for the debugger's page-table views. */
export interface WalkStep {
  level: number;
  pteAddr: number;
  pte: bigint;
}

/** What a walk needs to know about the accessing context. */
export interface WalkContext {
  bus: Bus;
  pmp: Pmp;
  satpMode: number;
  /** Physical address of the root page table. */
  rootPa: number;
  /**
   * A debugger's walk: no A/D updates, and with `anyPermission` a valid leaf translates whatever its
   * permission bits say (a debugger reads user and kernel memory alike, as QEMU's gdbstub does).
   */
  debug?: { anyPermission: boolean };
}

/** Fault causes by access kind. */
function pageFault(access: number): number {
  return access === ACCESS_EXEC ? Cause.FETCH_PAGE_FAULT : access === ACCESS_WRITE ? Cause.STORE_PAGE_FAULT : Cause.LOAD_PAGE_FAULT;
}
function accessFault(access: number): number {
  return access === ACCESS_EXEC ? Cause.FETCH_ACCESS : access === ACCESS_WRITE ? Cause.STORE_ACCESS : Cause.LOAD_ACCESS;
}

/** VPN[i] of a virtual address given as int32 halves. */
function vpn(lo: number, hi: number, i: number): number {
  switch (i) {
    case 0: return (lo >>> 12) & 0x1ff;
    case 1: return (lo >>> 21) & 0x1ff;
    case 2: return ((lo >>> 30) | (hi << 2)) & 0x1ff;
    case 3: return (hi >>> 7) & 0x1ff;
    default: return (hi >>> 16) & 0x1ff;
  }
}

/** True if the address is canonical for a scheme with `levels` levels (upper bits copy the top VA bit). */
export function isCanonical(lo: number, hi: number, levels: number): boolean {
  const vaBits = 12 + 9 * levels; // 39, 48, 57
  const shift = vaBits - 1 - 32; // top VA bit's position in hi
  const top = hi >> shift; // sign-propagating: all 0 or all -1 when canonical
  return top === 0 || top === -1;
}

/**
 * Translates a virtual address. On success returns the physical address (a non-negative number)
 * and sets `out.pagePerms` (R|W|X allowed by the leaf for this context, for the TLB); on failure
 * returns -(cause + 1). `trace`, if given, receives every level read.
 */
export function translate(
  ctx: WalkContext, lo: number, hi: number, access: number, priv: number, sum: boolean, mxr: boolean,
  out: { pagePerms: number }, trace?: WalkStep[],
): number {
  const levels = levelsOf(ctx.satpMode);
  if (!isCanonical(lo, hi, levels)) return -(pageFault(access) + 1);
  const bus = ctx.bus;
  const ram = bus.ram32;
  let a = ctx.rootPa;
  for (let i = levels - 1; i >= 0; i--) {
    const pteAddr = a + vpn(lo, hi, i) * 8;
    const off = bus.ramOffset(pteAddr, 8);
    // Implicit page-table reads are checked by PMP as S-mode accesses.
    if (off < 0 || !ctx.pmp.check(pteAddr, 8, ACCESS_READ, PRV_S)) return -(accessFault(access) + 1);
    let pteLo = ram[off >>> 2];
    const pteHi = ram[(off >>> 2) + 1];
    if (trace) trace.push({ level: i, pteAddr, pte: (BigInt(pteHi >>> 0) << 32n) | BigInt(pteLo >>> 0) });
    if ((pteLo & PTE_V) === 0 || (pteLo & (PTE_R | PTE_W)) === PTE_W) return -(pageFault(access) + 1);
    // Bits 63:54 (PBMT, N and reserved) must be zero: Svpbmt and Svnapot are not implemented.
    if ((pteHi >>> 22) !== 0) return -(pageFault(access) + 1);
    const ppn = (pteHi & 0x3fffff) * 0x400000 + (pteLo >>> 10);
    if ((pteLo & (PTE_R | PTE_X)) === 0) {
      // Pointer to the next level; D, A, U must be zero in non-leaf PTEs.
      if ((pteLo & (PTE_D | PTE_A | PTE_U)) !== 0) return -(pageFault(access) + 1);
      a = ppn * 4096;
      continue;
    }
    // Leaf: permissions for this privilege.
    const u = (pteLo & PTE_U) !== 0;
    const any = ctx.debug?.anyPermission === true;
    if (!any && (priv === PRV_U ? !u : u && (access === ACCESS_EXEC || !sum))) return -(pageFault(access) + 1);
    let perms = 0;
    if (pteLo & PTE_R || (mxr && pteLo & PTE_X)) perms |= ACCESS_READ;
    if (pteLo & PTE_W) perms |= ACCESS_WRITE;
    if (pteLo & PTE_X) perms |= ACCESS_EXEC;
    if (!any && (perms & access) === 0) return -(pageFault(access) + 1);
    // A superpage's low PPN fields must be zero.
    if (i > 0 && ppn % 2 ** (9 * i) !== 0) return -(pageFault(access) + 1);
    // Hardware A/D update (as QEMU): set A, and D on a store; the PTE write is a PMP-checked S-mode store.
    const want = PTE_A | (access === ACCESS_WRITE ? PTE_D : 0);
    // (A debugger's walk leaves the PTE as it is.)
    if ((pteLo & want) !== want && ctx.debug === undefined) {
      if (!ctx.pmp.check(pteAddr, 8, ACCESS_WRITE, PRV_S)) return -(accessFault(access) + 1);
      pteLo |= want;
      ram[off >>> 2] = pteLo;
      bus.invalidateRam(off, 8);
    }
    // A TLB entry may allow writes only once D is set.
    if ((pteLo & PTE_D) === 0) perms &= ~ACCESS_WRITE;
    out.pagePerms = perms;
    // Physical address: PPN with the low levels taken from the VA for superpages.
    const pageOffsetBits = 12 + 9 * i;
    const vaLow = i === 0 ? lo & 0xfff : vaLowBits(lo, hi, pageOffsetBits);
    return ppn * 4096 + vaLow;
  }
  return -(pageFault(access) + 1);
}

/** The low `bits` bits of a VA (bits ≤ 48), as a number. */
function vaLowBits(lo: number, hi: number, bits: number): number {
  if (bits <= 32) return bits === 32 ? lo >>> 0 : (lo & ((1 << bits) - 1)) >>> 0;
  return (hi & ((1 << (bits - 32)) - 1)) * 0x100000000 + (lo >>> 0);
}

// Call frame information and unwinding: .debug_frame (DWARF 5 §6.4, CIE versions 1, 3 and 4) and
// .eh_frame (LSB 5.0 §10.6: CIE id 0, CIE pointers relative to the field, 'z' augmentations and
// DW_EH_PE_* pointer encodings).
//
// parseCfi reads every entry's header up front and runs each FDE's instructions once to check them
// (a malformed FDE is skipped, not fatal); rows are computed on demand by running the CIE's initial
// instructions and the FDE's instructions up to the pc, so no per-row state is kept in memory.
// Little-endian sections only (RISC-V).

import type { ReadMemory } from './types.ts';

export type CfiKind = 'debug_frame' | 'eh_frame';

export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'same' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'val-offset'; offset: bigint }
  | { kind: 'register'; reg: number }
  | { kind: 'expression'; expr: Uint8Array }
  | { kind: 'val-expression'; expr: Uint8Array };

export type CfaRule = { kind: 'reg-offset'; reg: number; offset: bigint } | { kind: 'expression'; expr: Uint8Array };

export interface UnwindRow {
  cfa: CfaRule;
  /** DWARF register number → rule; registers absent from the map keep their value ('same value'),
   *  the return address column included (the caller's pc is then the callee's ra). */
  rules: Map<number, RegisterRule>;
  returnAddressRegister: number;
  /** The FDE the row comes from (its CIE says e.g. whether this is a signal frame). */
  fde: Fde;
}

export interface Cie {
  /** Offset of the entry in its section. */
  offset: number;
  version: number;
  augmentation: string;
  /** Size of target addresses (v4 CIEs say it; otherwise the caller's choice, 8 by default). */
  addressSize: number;
  segmentSelectorSize: number;
  codeAlignmentFactor: bigint;
  dataAlignmentFactor: bigint;
  returnAddressRegister: number;
  /** Augmentation 'z': FDEs carry augmentation data (skipped). */
  hasAugmentationData: boolean;
  /** Augmentation 'R': the DW_EH_PE_* encoding of FDE addresses (absptr otherwise). */
  fdeEncoding: number;
  /** Augmentation 'S': the frames are trap/signal frames, whose pc is not a return address. */
  signalFrame: boolean;
  /** Section offset and length of the initial instructions. */
  instructionsOffset: number;
  instructionsEnd: number;
}

export interface Fde {
  offset: number;
  cie: Cie;
  /** The covered pc range [start, end), load bias applied. */
  start: bigint;
  end: bigint;
  /** Section offset and end of the FDE's instructions. */
  instructionsOffset: number;
  instructionsEnd: number;
}

/** An entry parseCfi could not use (and why). */
export interface SkippedEntry {
  offset: number;
  reason: string;
}

export interface CfiTable {
  /** The FDE covering pc, or undefined (binary search over sorted FDE ranges). */
  fdeFor(pc: bigint): Fde | undefined;
  /** The unwind row in effect at pc (CIE initial instructions + FDE instructions up to pc), or undefined. */
  rowAt(pc: bigint): UnwindRow | undefined;
  readonly fdeCount: number;
  /** The usable FDEs, sorted by start address. */
  readonly fdes: readonly Fde[];
  /** FDEs left out because they (or their CIE) are malformed or use what is not supported. */
  readonly skipped: readonly SkippedEntry[];
}

export interface CfiOptions {
  /** Address size for CIEs that do not state it (versions 1 and 3, and .eh_frame): 8 (RV64) or 4. */
  addressSize?: 4 | 8;
  /** Base of DW_EH_PE_datarel pointers: defaults to the section address, as in .eh_frame_hdr;
   *  targets whose .eh_frame datarel pointers are GOT-relative pass the GOT address. */
  dataBase?: bigint;
  /** Base of DW_EH_PE_textrel pointers (unsupported when absent). */
  textBase?: bigint;
}

/** The caller's frame as one unwinding step recovers it. */
export interface CallerFrame {
  pc: bigint;
  /** The canonical frame address of the callee's frame: the caller's sp at the call. */
  cfa: bigint;
  /** The caller's registers (DWARF numbering); an absent register is unknown. */
  regs: Map<number, bigint>;
}

/** Evaluates a DWARF expression for a CFI rule; initialStack is [CFA] for register rules. */
export type CfiExpressionEvaluator = (expr: Uint8Array, regs: Map<number, bigint>, initialStack?: bigint[]) => bigint | undefined;

/** A malformed or unsupported construct in a CFI section. */
export class CfiError extends Error {
  override name = 'CfiError';
}

// ---- constants ------------------------------------------------------------------------------------

/** DW_CFA_* opcodes with operands in the low byte (the three "primary" ones use the top two bits). */
const DW_CFA = {
  advance_loc: 0x40, offset: 0x80, restore: 0xc0,
  nop: 0x00, set_loc: 0x01, advance_loc1: 0x02, advance_loc2: 0x03, advance_loc4: 0x04,
  offset_extended: 0x05, restore_extended: 0x06, undefined: 0x07, same_value: 0x08, register: 0x09,
  remember_state: 0x0a, restore_state: 0x0b, def_cfa: 0x0c, def_cfa_register: 0x0d, def_cfa_offset: 0x0e,
  def_cfa_expression: 0x0f, expression: 0x10, offset_extended_sf: 0x11, def_cfa_sf: 0x12,
  def_cfa_offset_sf: 0x13, val_offset: 0x14, val_offset_sf: 0x15, val_expression: 0x16,
  MIPS_advance_loc8: 0x1d, GNU_args_size: 0x2e, GNU_negative_offset_extended: 0x2f,
} as const;

/** DW_EH_PE_*: the low nibble is the value's format, bits 4–6 what it is relative to, bit 7 indirection. */
const DW_EH_PE = {
  absptr: 0x00, uleb128: 0x01, udata2: 0x02, udata4: 0x03, udata8: 0x04,
  signed: 0x08, sleb128: 0x09, sdata2: 0x0a, sdata4: 0x0b, sdata8: 0x0c,
  pcrel: 0x10, textrel: 0x20, datarel: 0x30, funcrel: 0x40, aligned: 0x50,
  indirect: 0x80, omit: 0xff,
} as const;

/** RISC-V psABI DWARF register numbers the unwinder knows about. */
const REG_RA = 1;
const REG_SP = 2;
const REG_GP = 3;
const REG_TP = 4;
const REG_FP = 8;
const FIRST_FLOAT_REG = 32;
const LAST_FLOAT_REG = 63;

/** Register numbers beyond this are taken as corruption (RISC-V's highest, the CSRs, end at 8191). */
const MAX_REGISTER = 0xffff;
/** Nesting limit of DW_CFA_remember_state (compilers use one or two levels). */
const MAX_STATE_DEPTH = 64;
/** Longest augmentation string accepted. */
const MAX_AUGMENTATION = 32;

const MASK64 = (1n << 64n) - 1n;

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;

// ---- byte reading ---------------------------------------------------------------------------------

/** A bounds-checked little-endian reader over data[pos, end). */
class Cursor {
  constructor(readonly data: Uint8Array, public pos: number, readonly end: number) {}

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) throw new CfiError(`${what} at ${hex(this.pos)} runs past the end of its entry (${hex(this.end)})`);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    this.need(1, 'byte');
    return this.data[this.pos++];
  }

  /** An unsigned little-endian value of 1, 2, 4 or 8 bytes. */
  uint(size: number): bigint {
    this.need(size, `${size}-byte value`);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.data[this.pos + i]);
    this.pos += size;
    return v;
  }

  /** Unsigned LEB128, truncated to 64 bits. */
  uleb(): bigint {
    const first = this.u8();
    if (first < 0x80) return BigInt(first);
    let v = BigInt(first & 0x7f);
    let shift = 7n;
    for (;;) {
      const b = this.u8(); // bounded: u8 throws at the end
      if (shift < 64n) v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) return v & MASK64;
    }
  }

  /** Signed LEB128, as a 64-bit two's complement value. */
  sleb(): bigint {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      if (shift < 64n) v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) {
        if (b & 0x40 && shift < 64n) v -= 1n << shift;
        return BigInt.asIntN(64, v);
      }
    }
  }

  /** A ULEB128 length or count that must fit in the rest of the entry. */
  length(what: string): number {
    const n = this.uleb();
    if (n > BigInt(this.end - this.pos)) throw new CfiError(`${what} ${hex(n)} at ${hex(this.pos)} runs past the end of its entry`);
    return Number(n);
  }

  register(): number {
    const r = this.uleb();
    if (r > BigInt(MAX_REGISTER)) throw new CfiError(`register number ${r} at ${hex(this.pos)} is out of range`);
    return Number(r);
  }

  bytes(n: number): Uint8Array {
    this.need(n, `${n}-byte block`);
    this.pos += n;
    return this.data.subarray(this.pos - n, this.pos);
  }

  cstring(max: number): string {
    let s = '';
    for (;;) {
      const b = this.u8();
      if (b === 0) return s;
      if (s.length >= max) throw new CfiError(`string at ${hex(this.pos)} is longer than ${max} bytes`);
      s += String.fromCharCode(b);
    }
  }
}

// ---- entries --------------------------------------------------------------------------------------

interface EntryHeader {
  /** 0 for the zero terminator. */
  length: bigint;
  /** The CIE id / CIE pointer field's offset and size. */
  idOffset: number;
  offsetSize: number;
  id: bigint;
  /** Offset just past the entry. */
  end: number;
}

/** Where the section is and how to read its pointers. */
interface SectionContext {
  data: Uint8Array;
  kind: CfiKind;
  sectionAddress: bigint;
  bias: bigint;
  addressSize: number;
  dataBase: bigint;
  textBase: bigint | undefined;
}

/** Reads an entry's length and id; a header that cannot be framed ends the section's parse. */
function readEntryHeader(data: Uint8Array, pos: number, kind: CfiKind): EntryHeader {
  const c = new Cursor(data, pos, data.length);
  let length = c.uint(4);
  let offsetSize = 4;
  if (length === 0xffffffffn) {
    length = c.uint(8);
    offsetSize = 8;
  } else if (length >= 0xfffffff0n) {
    throw new CfiError(`reserved length value ${hex(length)}`);
  }
  if (length === 0n) return { length, idOffset: c.pos, offsetSize, id: 0n, end: c.pos };
  if (length > BigInt(data.length - c.pos)) {
    throw new CfiError(`length ${hex(length)} runs past the end of the ${kind} section (${hex(data.length)} bytes)`);
  }
  const end = c.pos + Number(length);
  const idOffset = c.pos;
  const id = new Cursor(data, idOffset, end).uint(offsetSize);
  return { length, idOffset, offsetSize, id, end };
}

function isCie(h: EntryHeader, kind: CfiKind): boolean {
  return kind === 'eh_frame' ? h.id === 0n : h.id === (h.offsetSize === 4 ? 0xffffffffn : MASK64);
}

const ADDRESS_SIZES = new Set([2, 4, 8]);

function parseCie(ctx: SectionContext, offset: number): Cie {
  const h = readEntryHeader(ctx.data, offset, ctx.kind);
  if (h.length === 0n || !isCie(h, ctx.kind)) throw new CfiError(`CIE pointer ${hex(offset)} does not point to a CIE`);
  const c = new Cursor(ctx.data, h.idOffset + h.offsetSize, h.end);
  const version = c.u8();
  const versions = ctx.kind === 'eh_frame' ? [1, 3] : [1, 3, 4];
  if (!versions.includes(version)) throw new CfiError(`CIE at ${hex(offset)}: unsupported version ${version}`);
  const augmentation = c.cstring(MAX_AUGMENTATION);
  let addressSize = ctx.addressSize;
  let segmentSelectorSize = 0;
  if (version >= 4) {
    addressSize = c.u8();
    segmentSelectorSize = c.u8();
    if (!ADDRESS_SIZES.has(addressSize)) throw new CfiError(`CIE at ${hex(offset)}: address size ${addressSize}`);
    if (segmentSelectorSize > 8) throw new CfiError(`CIE at ${hex(offset)}: segment selector size ${segmentSelectorSize}`);
  }
  // GCC 2's "eh" augmentation: a pointer to its exception table follows (unused here).
  if (augmentation.startsWith('eh')) c.bytes(addressSize);
  const codeAlignmentFactor = c.uleb();
  const dataAlignmentFactor = c.sleb();
  const returnAddressRegister = version === 1 ? c.u8() : c.register();
  const cie: Cie = {
    offset, version, augmentation, addressSize, segmentSelectorSize, codeAlignmentFactor, dataAlignmentFactor,
    returnAddressRegister, hasAugmentationData: false, fdeEncoding: DW_EH_PE.absptr, signalFrame: false,
    instructionsOffset: 0, instructionsEnd: h.end,
  };
  if (augmentation.startsWith('z')) {
    cie.hasAugmentationData = true;
    const dataEnd = c.length('augmentation data length') + c.pos;
    const aug = new Cursor(ctx.data, c.pos, dataEnd);
    for (const letter of augmentation.slice(1)) {
      switch (letter) {
        case 'R': cie.fdeEncoding = aug.u8(); break;
        case 'L': aug.u8(); break; // the LSDA pointer's encoding: the pointer is skipped with the FDE's data
        case 'P': skipEncoded(aug, aug.u8(), addressSize); break; // the personality routine
        case 'S': cie.signalFrame = true; break;
        case 'B': case 'G': break; // AArch64 BTI / MTE markers: no data
        default: throw new CfiError(`CIE at ${hex(offset)}: unknown augmentation '${augmentation}'`);
      }
    }
    c.pos = dataEnd;
  } else if (augmentation !== '' && augmentation !== 'eh') {
    // Without 'z' only letters known to carry no data can be skipped.
    for (const letter of augmentation) {
      if (letter === 'S') cie.signalFrame = true;
      else throw new CfiError(`CIE at ${hex(offset)}: unknown augmentation '${augmentation}'`);
    }
  }
  if (codeAlignmentFactor === 0n) throw new CfiError(`CIE at ${hex(offset)}: code alignment factor 0`);
  cie.instructionsOffset = c.pos;
  return cie;
}

function parseFde(ctx: SectionContext, h: EntryHeader, cie: Cie, offset: number): Fde {
  const c = new Cursor(ctx.data, h.idOffset + h.offsetSize, h.end);
  let start: bigint;
  let range: bigint;
  if (ctx.kind === 'eh_frame') {
    start = readEncoded(c, cie.fdeEncoding, ctx, cie.addressSize);
    range = readFormat(c, cie.fdeEncoding & 0x0f, cie.addressSize);
  } else {
    c.bytes(cie.segmentSelectorSize);
    start = c.uint(cie.addressSize);
    range = c.uint(cie.addressSize);
  }
  if (cie.hasAugmentationData) c.bytes(c.length('augmentation data length'));
  const addressMask = (1n << BigInt(8 * cie.addressSize)) - 1n;
  start = (start + ctx.bias) & addressMask;
  const end = start + (range & addressMask);
  if (end > addressMask + 1n) throw new CfiError(`FDE at ${hex(offset)}: range ${hex(start)}+${hex(range)} wraps around`);
  return { offset, cie, start, end, instructionsOffset: c.pos, instructionsEnd: h.end };
}

// ---- pointer encodings (.eh_frame) ----------------------------------------------------------------

/** A value in one of the DW_EH_PE formats (the low nibble). */
function readFormat(c: Cursor, format: number, addressSize: number): bigint {
  switch (format) {
    case DW_EH_PE.absptr: return c.uint(addressSize);
    case DW_EH_PE.uleb128: return c.uleb();
    case DW_EH_PE.udata2: return c.uint(2);
    case DW_EH_PE.udata4: return c.uint(4);
    case DW_EH_PE.udata8: return c.uint(8);
    case DW_EH_PE.signed: return BigInt.asIntN(8 * addressSize, c.uint(addressSize));
    case DW_EH_PE.sleb128: return c.sleb();
    case DW_EH_PE.sdata2: return BigInt.asIntN(16, c.uint(2));
    case DW_EH_PE.sdata4: return BigInt.asIntN(32, c.uint(4));
    case DW_EH_PE.sdata8: return BigInt.asIntN(64, c.uint(8));
    default: throw new CfiError(`unknown pointer format ${hex(format)} at ${hex(c.pos)}`);
  }
}

/** Skips an encoded pointer whose value is not needed (personality routine, LSDA). */
function skipEncoded(c: Cursor, encoding: number, addressSize: number): void {
  if (encoding === DW_EH_PE.omit) return;
  if ((encoding & 0x70) === DW_EH_PE.aligned) alignCursor(c, addressSize);
  readFormat(c, encoding & 0x0f, addressSize);
}

function alignCursor(c: Cursor, addressSize: number): void {
  const misalignment = c.pos % addressSize;
  if (misalignment !== 0) c.bytes(addressSize - misalignment);
}

/** An address in a DW_EH_PE encoding: format, then what it is relative to; indirection is not supported. */
function readEncoded(c: Cursor, encoding: number, ctx: SectionContext, addressSize: number): bigint {
  if (encoding === DW_EH_PE.omit) throw new CfiError('FDE address encoding is "omit"');
  if (encoding & DW_EH_PE.indirect) throw new CfiError(`indirect pointer encoding ${hex(encoding)} is not supported`);
  const application = encoding & 0x70;
  if (application === DW_EH_PE.aligned) alignCursor(c, addressSize);
  const fieldAddress = ctx.sectionAddress + BigInt(c.pos);
  const value = readFormat(c, encoding & 0x0f, addressSize);
  const mask = (1n << BigInt(8 * addressSize)) - 1n;
  switch (application) {
    case DW_EH_PE.absptr: case DW_EH_PE.aligned: return value & mask;
    case DW_EH_PE.pcrel: return (value + fieldAddress) & mask;
    case DW_EH_PE.datarel: return (value + ctx.dataBase) & mask;
    case DW_EH_PE.textrel:
      if (ctx.textBase === undefined) throw new CfiError('textrel pointer encoding without a text base');
      return (value + ctx.textBase) & mask;
    default: throw new CfiError(`pointer encoding ${hex(encoding)} is not supported for addresses`);
  }
}

// ---- CFA instructions -----------------------------------------------------------------------------

interface RowState {
  cfa: CfaRule;
  rules: Map<number, RegisterRule>;
}

/**
 * Runs CFA programs on a row: first the CIE's initial instructions, then the FDE's. `stopPc`: stop
 * before the first advance past it (the row in effect there); undefined runs everything (validation).
 */
class RowMachine {
  state: RowState = { cfa: { kind: 'reg-offset', reg: 0, offset: 0n }, rules: new Map() };
  /** The rules after the CIE's initial instructions, for DW_CFA_restore. */
  private initialRules = new Map<number, RegisterRule>();
  private readonly stack: RowState[] = [];
  private loc: bigint;

  constructor(private readonly ctx: SectionContext, private readonly fde: Fde, private readonly stopPc: bigint | undefined) {
    this.loc = fde.start;
  }

  /** The row at stopPc (or after all instructions); throws CfiError on malformed instructions. */
  run(): RowState {
    const cie = this.fde.cie;
    this.execute(cie.instructionsOffset, cie.instructionsEnd, true);
    this.initialRules = new Map(this.state.rules);
    this.execute(this.fde.instructionsOffset, this.fde.instructionsEnd, false);
    return this.state;
  }

  /** Runs the instructions in data[from, to); returns early when the location passes stopPc. */
  private execute(from: number, to: number, inCie: boolean): void {
    const cie = this.fde.cie;
    const c = new Cursor(this.ctx.data, from, to);
    const factored = (n: bigint): bigint => BigInt.asIntN(64, n * cie.dataAlignmentFactor);
    while (!c.atEnd) { // every instruction consumes at least one byte
      const op = c.u8();
      let advance: bigint | undefined;
      let newLoc: bigint | undefined;
      switch (op & 0xc0) {
        case DW_CFA.advance_loc: advance = BigInt(op & 0x3f); break;
        case DW_CFA.offset: this.set(op & 0x3f, { kind: 'offset', offset: factored(c.uleb()) }); continue;
        case DW_CFA.restore: this.restore(op & 0x3f); continue;
      }
      if (advance === undefined) {
        switch (op) {
          case DW_CFA.nop: break;
          case DW_CFA.set_loc:
            if (this.ctx.kind === 'eh_frame') {
              newLoc = readEncoded(c, cie.fdeEncoding, this.ctx, cie.addressSize);
            } else {
              c.bytes(cie.segmentSelectorSize);
              newLoc = c.uint(cie.addressSize);
            }
            newLoc += this.ctx.bias;
            break;
          case DW_CFA.advance_loc1: advance = c.uint(1); break;
          case DW_CFA.advance_loc2: advance = c.uint(2); break;
          case DW_CFA.advance_loc4: advance = c.uint(4); break;
          case DW_CFA.MIPS_advance_loc8: advance = c.uint(8); break;
          case DW_CFA.offset_extended: this.set(c.register(), { kind: 'offset', offset: factored(c.uleb()) }); break;
          case DW_CFA.offset_extended_sf: this.set(c.register(), { kind: 'offset', offset: factored(c.sleb()) }); break;
          case DW_CFA.GNU_negative_offset_extended: this.set(c.register(), { kind: 'offset', offset: -factored(c.uleb()) }); break;
          case DW_CFA.restore_extended: this.restore(c.register()); break;
          case DW_CFA.undefined: this.set(c.register(), { kind: 'undefined' }); break;
          case DW_CFA.same_value: this.set(c.register(), { kind: 'same' }); break;
          case DW_CFA.register: this.set(c.register(), { kind: 'register', reg: c.register() }); break;
          case DW_CFA.remember_state:
            if (this.stack.length >= MAX_STATE_DEPTH) throw new CfiError(`DW_CFA_remember_state nested deeper than ${MAX_STATE_DEPTH}`);
            this.stack.push({ cfa: this.state.cfa, rules: new Map(this.state.rules) });
            break;
          case DW_CFA.restore_state: {
            const saved = this.stack.pop();
            if (!saved) throw new CfiError(`DW_CFA_restore_state at ${hex(c.pos - 1)} without a remembered state`);
            this.state = saved;
            break;
          }
          case DW_CFA.def_cfa: this.state.cfa = { kind: 'reg-offset', reg: c.register(), offset: c.uleb() }; break;
          case DW_CFA.def_cfa_sf: this.state.cfa = { kind: 'reg-offset', reg: c.register(), offset: factored(c.sleb()) }; break;
          case DW_CFA.def_cfa_register: this.state.cfa = { ...this.registerCfa(c), reg: c.register() }; break;
          case DW_CFA.def_cfa_offset: this.state.cfa = { ...this.registerCfa(c), offset: c.uleb() }; break;
          case DW_CFA.def_cfa_offset_sf: this.state.cfa = { ...this.registerCfa(c), offset: factored(c.sleb()) }; break;
          case DW_CFA.def_cfa_expression: this.state.cfa = { kind: 'expression', expr: c.bytes(c.length('expression length')) }; break;
          case DW_CFA.expression: {
            const reg = c.register();
            this.set(reg, { kind: 'expression', expr: c.bytes(c.length('expression length')) });
            break;
          }
          case DW_CFA.val_expression: {
            const reg = c.register();
            this.set(reg, { kind: 'val-expression', expr: c.bytes(c.length('expression length')) });
            break;
          }
          case DW_CFA.val_offset: this.set(c.register(), { kind: 'val-offset', offset: factored(c.uleb()) }); break;
          case DW_CFA.val_offset_sf: this.set(c.register(), { kind: 'val-offset', offset: factored(c.sleb()) }); break;
          case DW_CFA.GNU_args_size: c.uleb(); break; // outgoing argument area size: not needed to unwind
          default: throw new CfiError(`unknown CFA instruction ${hex(op)} at ${hex(c.pos - 1)}`);
        }
      }
      if (advance !== undefined) newLoc = this.loc + advance * cie.codeAlignmentFactor;
      if (newLoc !== undefined) {
        if (inCie) throw new CfiError(`location change in the initial instructions of the CIE at ${hex(cie.offset)}`);
        if (this.stopPc !== undefined && newLoc > this.stopPc) return;
        this.loc = newLoc;
      }
    }
  }

  /** The current CFA rule for the ops that change only its register or offset. */
  private registerCfa(c: Cursor): { kind: 'reg-offset'; reg: number; offset: bigint } {
    const cfa = this.state.cfa;
    if (cfa.kind !== 'reg-offset') throw new CfiError(`CFA register/offset change at ${hex(c.pos - 1)} while the CFA is an expression`);
    return cfa;
  }

  private set(reg: number, rule: RegisterRule): void {
    this.state.rules.set(reg, rule);
  }

  private restore(reg: number): void {
    const initial = this.initialRules.get(reg);
    if (initial) this.state.rules.set(reg, initial);
    else this.state.rules.delete(reg);
  }
}

// ---- the table ------------------------------------------------------------------------------------

class Table implements CfiTable {
  /** maxEnd[i]: the largest end among fdes[0..i], so lookups find FDEs overlapping later ones. */
  private readonly maxEnd: bigint[] = [];

  constructor(private readonly ctx: SectionContext, readonly fdes: readonly Fde[], readonly skipped: readonly SkippedEntry[]) {
    let max = 0n;
    for (const f of fdes) {
      if (f.end > max) max = f.end;
      this.maxEnd.push(max);
    }
  }

  get fdeCount(): number {
    return this.fdes.length;
  }

  fdeFor(pc: bigint): Fde | undefined {
    // The last FDE starting at or before pc, then back over earlier ones that may still cover it.
    let lo = 0;
    let hi = this.fdes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.fdes[mid].start <= pc) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && this.maxEnd[i] > pc; i--) {
      if (pc < this.fdes[i].end) return this.fdes[i];
    }
    return undefined;
  }

  rowAt(pc: bigint): UnwindRow | undefined {
    const fde = this.fdeFor(pc);
    if (!fde) return undefined;
    // The FDE ran cleanly at parse time, so this cannot throw.
    const state = new RowMachine(this.ctx, fde, pc).run();
    return { cfa: state.cfa, rules: state.rules, returnAddressRegister: fde.cie.returnAddressRegister, fde };
  }
}

/**
 * Parses a whole section. sectionAddress: the section's address (for eh_frame pc-relative
 * encodings). bias: load bias added to every pc range. A header that cannot be framed (a length
 * running past the section, a reserved length) throws; a malformed CIE or FDE only drops the FDEs
 * concerned (listed in `skipped`).
 */
export function parseCfi(data: Uint8Array, sectionAddress: bigint, kind: CfiKind, bias = 0n, options: CfiOptions = {}): CfiTable {
  const ctx: SectionContext = {
    data, kind, sectionAddress, bias, addressSize: options.addressSize ?? 8,
    dataBase: options.dataBase ?? sectionAddress, textBase: options.textBase,
  };
  const cies = new Map<number, Cie | CfiError>();
  const cieAt = (offset: number): Cie => {
    let cie = cies.get(offset);
    if (cie === undefined) {
      try {
        cie = parseCie(ctx, offset);
      } catch (e) {
        if (!(e instanceof CfiError)) throw e;
        cie = e;
      }
      cies.set(offset, cie);
    }
    if (cie instanceof CfiError) throw cie;
    return cie;
  };
  const fdes: Fde[] = [];
  const skipped: SkippedEntry[] = [];
  let pos = 0;
  while (pos < data.length) { // every entry advances pos by at least 4 bytes
    if (data.length - pos < 4 && data.subarray(pos).every((b) => b === 0)) break; // trailing padding
    let h: EntryHeader;
    try {
      h = readEntryHeader(data, pos, kind);
    } catch (e) {
      if (e instanceof CfiError) throw new Error(`${kind}: entry at ${hex(pos)}: ${e.message}`);
      throw e;
    }
    if (h.length === 0n) {
      if (kind === 'eh_frame') break; // the terminator
      pos = h.end;
      continue;
    }
    if (!isCie(h, kind)) {
      try {
        const cieOffset = kind === 'eh_frame' ? BigInt(h.idOffset) - h.id : h.id;
        if (cieOffset < 0n || cieOffset >= BigInt(data.length)) throw new CfiError(`CIE pointer ${hex(h.id)} is outside the section`);
        const fde = parseFde(ctx, h, cieAt(Number(cieOffset)), pos);
        new RowMachine(ctx, fde, undefined).run(); // checks the instructions once
        if (fde.end > fde.start) fdes.push(fde);
      } catch (e) {
        if (!(e instanceof CfiError)) throw e;
        skipped.push({ offset: pos, reason: `FDE at ${hex(pos)}: ${e.message}` });
      }
    }
    pos = h.end;
  }
  fdes.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return new Table(ctx, fdes, skipped);
}

// ---- unwinding ------------------------------------------------------------------------------------

function readU64(readMemory: ReadMemory, address: bigint, size: number): bigint | undefined {
  const bytes = readMemory(address & MASK64, size);
  if (!bytes || bytes.length < size) return undefined;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

/** Bytes a saved register occupies: integer registers are address-sized, F/D registers 8 bytes. */
function registerSize(reg: number, addressSize: number): number {
  return reg >= FIRST_FLOAT_REG && reg <= LAST_FLOAT_REG ? 8 : addressSize;
}

/**
 * One step of unwinding: the caller's registers from the callee's, or undefined when the row says the
 * chain ends (RA undefined) or a rule cannot be computed (unreadable memory, an expression without
 * evalExpr). regs: DWARF numbering (0–31 x, 32–63 f); pc is passed separately. Registers without a
 * rule keep their values; the caller's sp (x2) is the CFA, its pc the return address column's value.
 * For frames above the innermost, pass the return address minus 1 as pc, so that a call ending a
 * function (to a noreturn callee) finds its own FDE — unless the frame's CIE says 'S' (signal frame).
 */
export function unwindStep(
  table: CfiTable, pc: bigint, regs: Map<number, bigint>, readMemory: ReadMemory, evalExpr?: CfiExpressionEvaluator,
): CallerFrame | undefined {
  const row = table.rowAt(pc);
  if (!row) return undefined;
  const addressSize = row.fde.cie.addressSize;
  const mask = (1n << BigInt(8 * addressSize)) - 1n;
  let cfa: bigint | undefined;
  if (row.cfa.kind === 'reg-offset') {
    const base = regs.get(row.cfa.reg);
    cfa = base === undefined ? undefined : (base + row.cfa.offset) & mask;
  } else {
    cfa = evalExpr?.(row.cfa.expr, regs);
  }
  if (cfa === undefined) return undefined;
  const caller = new Map(regs);
  for (const [reg, rule] of row.rules) {
    let value: bigint | undefined;
    switch (rule.kind) {
      case 'undefined':
        if (reg === row.returnAddressRegister) return undefined; // the outermost frame
        caller.delete(reg);
        continue;
      case 'same': continue;
      case 'offset': value = readU64(readMemory, (cfa + rule.offset) & mask, registerSize(reg, addressSize)); break;
      case 'val-offset': value = (cfa + rule.offset) & mask; break;
      case 'register':
        value = regs.get(rule.reg);
        if (value === undefined) {
          caller.delete(reg);
          continue;
        }
        break;
      case 'expression': {
        const address = evalExpr?.(rule.expr, regs, [cfa]);
        value = address === undefined ? undefined : readU64(readMemory, address, registerSize(reg, addressSize));
        break;
      }
      case 'val-expression': value = evalExpr?.(rule.expr, regs, [cfa]); break;
    }
    if (value === undefined) return undefined;
    caller.set(reg, value);
  }
  const callerPc = caller.get(row.returnAddressRegister);
  if (callerPc === undefined) return undefined;
  if (!row.rules.has(REG_SP)) caller.set(REG_SP, cfa);
  return { pc: callerPc, cfa, regs: caller };
}

/**
 * Frame-pointer fallback for code without CFI (RISC-V psABI with -fno-omit-frame-pointer: s0/fp
 * points just above the saved ra at fp-8 and the saved fp at fp-16). pc is the current frame's pc
 * (the heuristic does not need it). The caller's registers: pc = ra = the saved ra, sp = fp (also the
 * CFA), s0 = the saved fp, gp and tp unchanged; the rest is unknown. Undefined when fp is 0,
 * misaligned or not above sp, the slots are unreadable, or the saved ra is 0 (the chain's end).
 * Leaf functions that save no ra, and pcs inside prologues/epilogues, cannot be unwound this way.
 */
export function unwindByFramePointer(_pc: bigint, regs: Map<number, bigint>, readMemory: ReadMemory): CallerFrame | undefined {
  const fp = regs.get(REG_FP);
  if (fp === undefined || fp === 0n || fp % 8n !== 0n) return undefined;
  const sp = regs.get(REG_SP);
  if (sp !== undefined && fp <= sp) return undefined; // the frame lies above sp: this also ensures progress
  const ra = readU64(readMemory, fp - 8n, 8);
  const savedFp = readU64(readMemory, fp - 16n, 8);
  if (ra === undefined || savedFp === undefined || ra === 0n) return undefined;
  const caller = new Map<number, bigint>([[REG_RA, ra], [REG_SP, fp], [REG_FP, savedFp]]);
  for (const reg of [REG_GP, REG_TP]) {
    const v = regs.get(reg);
    if (v !== undefined) caller.set(reg, v);
  }
  return { pc: ra, cfa: fp, regs: caller };
}

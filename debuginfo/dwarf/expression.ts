// The DWARF expression stack machine (DWARF 5 §2.5, §2.6): computes where a variable lives — in
// memory, in a register, as a computed value, or in pieces — given the stopped hart's registers and
// memory. Anything it cannot know (entry values, implicit pointers, unreadable memory) is reported as
// `unavailable` with a reason, never thrown.

import { ByteReader, DwarfError } from './reader.ts';
import * as constants from './constants.ts';

// Copied once: the module namespace's getters would otherwise run at every case label in the hot loops.
const { DW_OP } = constants;

export interface EvalContext {
  pc: bigint;
  /** DWARF register number (RISC-V: 0–31 x, 32–63 f) → value; undefined when unknown in this frame. */
  readRegister(dwarfRegNo: number): bigint | undefined;
  readMemory(address: bigint, size: number): Uint8Array | undefined;
  /** The value of the function's DW_AT_frame_base, when the caller has it. */
  frameBase?: bigint;
  /** The canonical frame address (from CFI), for DW_OP_call_frame_cfa. */
  cfa?: bigint;
}

/** What an expression needs from its unit: address size, .debug_addr and base types, and the load bias. */
export interface ExprUnit {
  addrSize: number;
  /** Entry of .debug_addr (unbiased). */
  addrx(index: number): bigint;
  /** The base type at a unit-relative DIE offset (for the typed-stack operations). */
  baseType(unitOffset: number): { size: number; signed: boolean } | undefined;
  /** Added to DW_OP_addr/addrx operands (relocated code). */
  bias: bigint;
}

export type SimpleLocation =
  | { kind: 'memory'; address: bigint }
  | { kind: 'register'; regno: number }
  | { kind: 'value'; bytes: Uint8Array }
  | { kind: 'unavailable'; reason: string };

export interface Piece {
  /** Size of this piece in bits. */
  sizeBits: number;
  /** DW_OP_bit_piece offset within the location (bits); 0 for DW_OP_piece. */
  offsetBits: number;
  location: SimpleLocation;
}

export type LocationResult = SimpleLocation | { kind: 'pieces'; pieces: Piece[] };

/** Operation count bound: branches could otherwise loop forever. */
const MAX_STEPS = 10_000;
const MAX_STACK = 1_000;

class Unavailable extends Error {}

const toBytes = (v: bigint, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
};

const fromBytes = (b: Uint8Array): bigint => {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
};

export function evaluateExpression(expr: Uint8Array, ctx: EvalContext, unit: ExprUnit): LocationResult {
  try {
    return run(expr, ctx, unit);
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'unavailable', reason: e.message };
    if (e instanceof DwarfError) return { kind: 'unavailable', reason: `malformed location expression (${e.message})` };
    throw e;
  }
}

function run(expr: Uint8Array, ctx: EvalContext, unit: ExprUnit): LocationResult {
  if (expr.length === 0) return { kind: 'unavailable', reason: 'optimized out' };
  const bits = BigInt(unit.addrSize * 8);
  const mask = (1n << bits) - 1n;
  const signed = (v: bigint): bigint => BigInt.asIntN(Number(bits), v);
  const stack: bigint[] = [];
  const push = (v: bigint): void => {
    if (stack.length >= MAX_STACK) throw new Unavailable('expression stack overflow');
    stack.push(v & mask);
  };
  const pop = (): bigint => {
    const v = stack.pop();
    if (v === undefined) throw new Unavailable('malformed location expression (stack underflow)');
    return v;
  };
  const reg = (n: number): bigint => {
    const v = ctx.readRegister(n);
    if (v === undefined) throw new Unavailable(`register ${n} is not available in this frame`);
    return v;
  };
  const mem = (address: bigint, size: number): bigint => {
    const b = ctx.readMemory(address, size);
    if (!b || b.length < size) throw new Unavailable(`cannot read memory at 0x${address.toString(16)}`);
    return fromBytes(b.subarray(0, size));
  };
  const typeOf = (offset: number): { size: number; signed: boolean } => {
    const t = unit.baseType(offset);
    if (!t) throw new Unavailable(`unknown base type at unit offset 0x${offset.toString(16)}`);
    return t;
  };
  const convert = (v: bigint, t: { size: number; signed: boolean }): bigint => {
    const w = t.size * 8;
    if (w <= 0 || w > 64) return v;
    return t.signed ? BigInt.asIntN(w, v) : BigInt.asUintN(w, v);
  };

  const r = new ByteReader(expr, 'location expression');
  const pieces: Piece[] = [];
  // The location being described since the last piece: a register/implicit form, or the stack top.
  let pending: SimpleLocation | undefined;
  const current = (): SimpleLocation => {
    if (pending) return pending;
    if (stack.length === 0) return { kind: 'unavailable', reason: 'optimized out' };
    return { kind: 'memory', address: stack[stack.length - 1] };
  };
  const binary = (f: (a: bigint, b: bigint) => bigint): void => {
    const b = pop();
    const a = pop();
    push(f(a, b));
  };
  const compare = (f: (a: bigint, b: bigint) => boolean): void => binary((a, b) => (f(signed(a), signed(b)) ? 1n : 0n));

  for (let steps = 0; !r.atEnd; steps++) {
    if (steps >= MAX_STEPS) throw new Unavailable('location expression does not terminate');
    const op = r.u8();
    if (op >= DW_OP.lit0 && op <= DW_OP.lit31) { push(BigInt(op - DW_OP.lit0)); continue; }
    if (op >= DW_OP.reg0 && op <= DW_OP.reg31) { pending = { kind: 'register', regno: op - DW_OP.reg0 }; continue; }
    if (op >= DW_OP.breg0 && op <= DW_OP.breg31) { push(reg(op - DW_OP.breg0) + r.slebBig()); continue; }
    switch (op) {
      case DW_OP.addr: push(r.sized(unit.addrSize) + unit.bias); break;
      case DW_OP.addrx: case DW_OP.GNU_addr_index: push(unit.addrx(r.uleb()) + unit.bias); break;
      case DW_OP.constx: case DW_OP.GNU_const_index: push(unit.addrx(r.uleb())); break;
      case DW_OP.const1u: push(BigInt(r.u8())); break;
      case DW_OP.const1s: push(BigInt(r.i8())); break;
      case DW_OP.const2u: push(BigInt(r.u16())); break;
      case DW_OP.const2s: push(BigInt(r.i16())); break;
      case DW_OP.const4u: push(BigInt(r.u32())); break;
      case DW_OP.const4s: push(BigInt(r.i32())); break;
      case DW_OP.const8u: push(r.u64()); break;
      case DW_OP.const8s: push(r.i64()); break;
      case DW_OP.constu: push(r.ulebBig()); break;
      case DW_OP.consts: push(r.slebBig()); break;
      case DW_OP.dup: { const v = pop(); push(v); push(v); break; }
      case DW_OP.drop: pop(); break;
      case DW_OP.over: {
        if (stack.length < 2) throw new Unavailable('malformed location expression (stack underflow)');
        push(stack[stack.length - 2]);
        break;
      }
      case DW_OP.pick: {
        const i = r.u8();
        if (i >= stack.length) throw new Unavailable('malformed location expression (pick beyond stack)');
        push(stack[stack.length - 1 - i]);
        break;
      }
      case DW_OP.swap: { const a = pop(); const b = pop(); push(a); push(b); break; }
      case DW_OP.rot: { const a = pop(); const b = pop(); const c = pop(); push(a); push(c); push(b); break; }
      case DW_OP.abs: { const v = signed(pop()); push(v < 0n ? -v : v); break; }
      case DW_OP.and: binary((a, b) => a & b); break;
      case DW_OP.div: binary((a, b) => {
        if (b === 0n) throw new Unavailable('division by zero in location expression');
        return signed(a) / signed(b);
      }); break;
      case DW_OP.minus: binary((a, b) => a - b); break;
      case DW_OP.mod: binary((a, b) => {
        if (b === 0n) throw new Unavailable('division by zero in location expression');
        return a % b;
      }); break;
      case DW_OP.mul: binary((a, b) => a * b); break;
      case DW_OP.neg: push(-signed(pop())); break;
      case DW_OP.not: push(~pop()); break;
      case DW_OP.or: binary((a, b) => a | b); break;
      case DW_OP.plus: binary((a, b) => a + b); break;
      case DW_OP.plus_uconst: push(pop() + r.ulebBig()); break;
      case DW_OP.shl: binary((a, b) => (b >= bits ? 0n : a << b)); break;
      case DW_OP.shr: binary((a, b) => (b >= bits ? 0n : a >> b)); break;
      case DW_OP.shra: binary((a, b) => signed(a) >> (b >= bits ? bits - 1n : b)); break;
      case DW_OP.xor: binary((a, b) => a ^ b); break;
      case DW_OP.eq: compare((a, b) => a === b); break;
      case DW_OP.ge: compare((a, b) => a >= b); break;
      case DW_OP.gt: compare((a, b) => a > b); break;
      case DW_OP.le: compare((a, b) => a <= b); break;
      case DW_OP.lt: compare((a, b) => a < b); break;
      case DW_OP.ne: compare((a, b) => a !== b); break;
      case DW_OP.skip: case DW_OP.bra: {
        const delta = r.i16();
        if (op === DW_OP.bra && pop() === 0n) break;
        const target = r.pos + delta;
        if (target < 0 || target > expr.length) throw new Unavailable('malformed location expression (branch out of range)');
        r.pos = target;
        break;
      }
      case DW_OP.regx: pending = { kind: 'register', regno: r.uleb() }; break;
      case DW_OP.fbreg: {
        const offset = r.slebBig();
        if (ctx.frameBase === undefined) throw new Unavailable('frame base is not known');
        push(ctx.frameBase + offset);
        break;
      }
      case DW_OP.bregx: { const n = r.uleb(); push(reg(n) + r.slebBig()); break; }
      case DW_OP.deref: push(mem(pop(), unit.addrSize)); break;
      case DW_OP.deref_size: {
        const size = r.u8();
        if (size < 1 || size > 8) throw new Unavailable(`malformed location expression (deref size ${size})`);
        push(mem(pop(), size));
        break;
      }
      case DW_OP.nop: break;
      case DW_OP.call_frame_cfa:
        if (ctx.cfa === undefined) throw new Unavailable('canonical frame address is not known');
        push(ctx.cfa);
        break;
      case DW_OP.stack_value: {
        const v = pop();
        pending = { kind: 'value', bytes: toBytes(v, unit.addrSize) };
        break;
      }
      case DW_OP.implicit_value: {
        const len = r.uleb();
        pending = { kind: 'value', bytes: r.bytes(len) };
        break;
      }
      case DW_OP.piece: {
        const size = r.uleb();
        pieces.push({ sizeBits: size * 8, offsetBits: 0, location: current() });
        pending = undefined;
        stack.length = 0;
        break;
      }
      case DW_OP.bit_piece: {
        const size = r.uleb();
        const offset = r.uleb();
        pieces.push({ sizeBits: size, offsetBits: offset, location: current() });
        pending = undefined;
        stack.length = 0;
        break;
      }
      case DW_OP.const_type: case DW_OP.GNU_const_type: {
        const t = typeOf(r.uleb());
        const len = r.u8();
        push(convert(fromBytes(r.bytes(len).subarray(0, 8)), t));
        break;
      }
      case DW_OP.regval_type: case DW_OP.GNU_regval_type: {
        const n = r.uleb();
        push(convert(reg(n), typeOf(r.uleb())));
        break;
      }
      case DW_OP.deref_type: case DW_OP.GNU_deref_type: {
        const size = r.u8();
        const t = typeOf(r.uleb());
        if (size < 1 || size > 8) throw new Unavailable(`malformed location expression (deref size ${size})`);
        push(convert(mem(pop(), size), t));
        break;
      }
      case DW_OP.convert: case DW_OP.GNU_convert: case DW_OP.reinterpret: case DW_OP.GNU_reinterpret: {
        const offset = r.uleb();
        const v = pop();
        push(offset === 0 ? v : convert(v, typeOf(offset)));
        break;
      }
      case DW_OP.entry_value: case DW_OP.GNU_entry_value:
        throw new Unavailable('optimized out (value at function entry is not known)');
      case DW_OP.GNU_parameter_ref:
        throw new Unavailable('optimized out (parameter of the caller)');
      case DW_OP.implicit_pointer: case DW_OP.GNU_implicit_pointer:
        throw new Unavailable('optimized out (implicit pointer)');
      case DW_OP.GNU_variable_value:
        throw new Unavailable('optimized out (variable value reference)');
      case DW_OP.call2: case DW_OP.call4: case DW_OP.call_ref:
        throw new Unavailable('DW_OP_call is not supported');
      case DW_OP.form_tls_address: case DW_OP.GNU_push_tls_address:
        throw new Unavailable('thread-local storage is not supported');
      case DW_OP.push_object_address:
        throw new Unavailable('DW_OP_push_object_address is not supported');
      case DW_OP.xderef: case DW_OP.xderef_size: case DW_OP.xderef_type:
        throw new Unavailable('address spaces are not supported');
      case DW_OP.GNU_uninit: break;
      default:
        throw new Unavailable(`unknown DWARF operation 0x${op.toString(16)}`);
    }
  }
  if (pieces.length > 0) {
    if (pending || stack.length > 0) pieces.push({ sizeBits: 0, offsetBits: 0, location: current() });
    return { kind: 'pieces', pieces: pieces.filter((p) => p.sizeBits > 0) };
  }
  return current();
}

export { fromBytes as bytesToBigInt, toBytes as bigIntToBytes };

// Type DIEs → the C type model of debuginfo/types.ts. Types are cached by DIE offset and created before
// their parts, so cyclic graphs (struct list { struct list *next; }) come out as cyclic objects.
// A declaration-only struct/union/enum is completed from a definition with the same name elsewhere,
// looked up lazily (on first access to its members), since finding it may need a scan of all units.

import type { BaseEncoding, Enumerator, Member, Type } from '../types.ts';
import { DW_AT, DW_ATE, DW_TAG } from './constants.ts';
import { isBlockForm, type Die, type DwarfInfo } from './info.ts';
import { ByteReader } from './reader.ts';
import { DW_OP } from './constants.ts';

const VOID: Type = { kind: 'void' };

const ENCODINGS: Record<number, BaseEncoding> = {
  [DW_ATE.address]: 'address', [DW_ATE.boolean]: 'bool', [DW_ATE.float]: 'float', [DW_ATE.complex_float]: 'float',
  [DW_ATE.signed]: 'signed', [DW_ATE.signed_char]: 'signed_char', [DW_ATE.unsigned]: 'unsigned',
  [DW_ATE.unsigned_char]: 'unsigned_char', [DW_ATE.UTF]: 'unsigned',
};

const QUALIFIERS: Record<number, 'const' | 'volatile' | 'restrict' | 'atomic'> = {
  [DW_TAG.const_type]: 'const', [DW_TAG.volatile_type]: 'volatile', [DW_TAG.restrict_type]: 'restrict',
  [DW_TAG.atomic_type]: 'atomic',
};

/** Finds the defining DIE of a struct/union/enum by tag and name (any unit), for declarations. */
export type DefinitionFinder = (tag: number, name: string) => Die | undefined;

/** Bound on nested type references followed while building one type (anything deeper is malformed). */
const MAX_DEPTH = 200;

export class TypeBuilder {
  private readonly cache = new Map<number, Type>();
  private depth = 0;

  constructor(private readonly dwarf: DwarfInfo, private readonly findDefinition: DefinitionFinder) {}

  /** The type a DIE's DW_AT_type refers to (void when absent or unresolvable). */
  typeOfAttr(die: Die): Type {
    const ref = die.unit.ref(die, DW_AT.type);
    if (ref === undefined) return VOID;
    return this.typeAt(ref);
  }

  typeAt(offset: number): Type {
    const cached = this.cache.get(offset);
    if (cached) return cached;
    const die = this.dwarf.dieAt(offset);
    if (!die) return VOID;
    return this.typeOf(die);
  }

  typeOf(die: Die): Type {
    const cached = this.cache.get(die.offset);
    if (cached) return cached;
    if (this.depth > MAX_DEPTH) return VOID;
    this.depth++;
    try {
      return this.build(die);
    } finally {
      this.depth--;
    }
  }

  private build(die: Die): Type {
    const u = die.unit;
    const name = u.str(die, DW_AT.name);
    const size = u.constant(die, DW_AT.byte_size);
    const keep = <T extends Type>(t: T): T => { this.cache.set(die.offset, t); return t; };
    switch (die.tag) {
      case DW_TAG.base_type:
        return keep({
          kind: 'base', name: name ?? '?', size: size ?? 0,
          encoding: ENCODINGS[u.constant(die, DW_AT.encoding) ?? DW_ATE.signed] ?? 'unsigned',
        });
      case DW_TAG.pointer_type: case DW_TAG.reference_type: {
        const t = keep<Type & { kind: 'pointer' }>({ kind: 'pointer', size: size ?? u.addrSize, target: VOID });
        t.target = this.typeOfAttr(die);
        return t;
      }
      case DW_TAG.typedef: {
        const t = keep<Type & { kind: 'typedef' }>({ kind: 'typedef', name: name ?? '?', target: VOID });
        t.target = this.typeOfAttr(die);
        return t;
      }
      case DW_TAG.const_type: case DW_TAG.volatile_type: case DW_TAG.restrict_type: case DW_TAG.atomic_type: {
        const t = keep<Type & { kind: 'qualified' }>({ kind: 'qualified', qualifier: QUALIFIERS[die.tag], target: VOID });
        t.target = this.typeOfAttr(die);
        return t;
      }
      case DW_TAG.structure_type: case DW_TAG.class_type: case DW_TAG.union_type: {
        const kind = die.tag === DW_TAG.union_type ? 'union' : 'struct';
        const t = keep<Type & { kind: 'struct' | 'union' }>({ kind, size: size ?? 0, members: [] });
        if (name !== undefined) t.name = name;
        if (u.flag(die, DW_AT.declaration)) {
          t.declaration = true;
          if (name !== undefined) this.completeLazily(t, die.tag, name);
          return t;
        }
        t.members = this.members(die);
        return t;
      }
      case DW_TAG.enumeration_type: {
        const t = keep<Type & { kind: 'enum' }>({ kind: 'enum', size: size ?? 4, enumerators: [], signed: false });
        if (name !== undefined) t.name = name;
        const under = this.typeOfAttr(die);
        let signed = under.kind === 'base' && (under.encoding === 'signed' || under.encoding === 'signed_char');
        const enumerators: Enumerator[] = [];
        for (const c of die.children) {
          if (c.tag !== DW_TAG.enumerator) continue;
          const a = u.attr(c, DW_AT.const_value);
          if (!a) continue;
          let value: bigint;
          if (typeof a.value === 'bigint') value = a.value;
          else if (typeof a.value === 'number') value = BigInt(a.value);
          else continue;
          if (value < 0n) signed = true;
          enumerators.push({ name: u.str(c, DW_AT.name) ?? '?', value });
        }
        t.enumerators = enumerators;
        t.signed = signed;
        if (u.flag(die, DW_AT.declaration) && name !== undefined) this.completeLazily(t, die.tag, name);
        return t;
      }
      case DW_TAG.array_type: {
        // int a[2][3]: subranges outermost first; build from the innermost outwards.
        const dims = die.children.filter((c) => c.tag === DW_TAG.subrange_type);
        const outer = keep<Type & { kind: 'array' }>({ kind: 'array', element: VOID });
        const element = this.typeOfAttr(die);
        let inner: Type = element;
        for (let i = dims.length - 1; i >= 1; i--) {
          const a: Type = { kind: 'array', element: inner };
          const n = this.count(dims[i]);
          if (n !== undefined) a.count = n;
          inner = a;
        }
        outer.element = inner;
        const n = dims.length > 0 ? this.count(dims[0]) : undefined;
        if (n !== undefined) outer.count = n;
        return outer;
      }
      case DW_TAG.subroutine_type: {
        const t = keep<Type & { kind: 'function' }>({ kind: 'function', returnType: VOID, params: [], variadic: false });
        t.returnType = this.typeOfAttr(die);
        for (const c of die.children) {
          if (c.tag === DW_TAG.formal_parameter) t.params.push(this.typeOfAttr(c));
          else if (c.tag === DW_TAG.unspecified_parameters) t.variadic = true;
        }
        return t;
      }
      case DW_TAG.subrange_type:
        return keep(this.typeOfAttr(die));
      default:
        // unspecified_type, ptr_to_member, … : nothing C can show.
        return keep({ kind: 'void' });
    }
  }

  private count(subrange: Die): number | undefined {
    const u = subrange.unit;
    const count = u.constant(subrange, DW_AT.count);
    if (count !== undefined) return count;
    const upperAttr = u.attr(subrange, DW_AT.upper_bound);
    if (!upperAttr || isBlockForm(upperAttr.form) || typeof upperAttr.value !== 'number' && typeof upperAttr.value !== 'bigint') return undefined;
    if (u.ref(subrange, DW_AT.upper_bound) !== undefined) return undefined; // a variable's bound (VLA)
    let upper = Number(upperAttr.value);
    // data8 is unsigned: an upper bound of -1 (zero-length array) reads as all ones.
    if (upper >= 2 ** 63) upper = -1;
    const lower = u.constant(subrange, DW_AT.lower_bound) ?? 0;
    const n = upper - lower + 1;
    return n >= 0 ? n : undefined;
  }

  private members(die: Die): Member[] {
    const u = die.unit;
    const out: Member[] = [];
    for (const c of die.children) {
      if (c.tag !== DW_TAG.member) continue;
      const type = this.typeOfAttr(c);
      const m: Member = { offset: this.memberOffset(c), type };
      const name = u.str(c, DW_AT.name);
      if (name !== undefined) m.name = name;
      const bitSize = u.constant(c, DW_AT.bit_size);
      if (bitSize !== undefined) {
        const storage = u.constant(c, DW_AT.byte_size) ?? sizeOf(type);
        let bitPos: number;
        const dataBitOffset = u.constant(c, DW_AT.data_bit_offset);
        if (dataBitOffset !== undefined) {
          bitPos = dataBitOffset;
        } else {
          // DWARF 2/3: DW_AT_bit_offset counts from the storage unit's most significant bit.
          const bo = u.constant(c, DW_AT.bit_offset) ?? 0;
          bitPos = m.offset * 8 + storage * 8 - bo - bitSize;
        }
        // Offset: the start of the naturally aligned storage unit holding the field, when it fits in one.
        let byteOffset = storage > 0 ? Math.floor(bitPos / 8 / storage) * storage : Math.floor(bitPos / 8);
        if (bitPos - byteOffset * 8 + bitSize > Math.max(storage, 1) * 8) byteOffset = Math.floor(bitPos / 8);
        m.offset = byteOffset;
        m.bitSize = bitSize;
        m.bitOffset = bitPos - byteOffset * 8;
      }
      out.push(m);
    }
    return out;
  }

  private memberOffset(member: Die): number {
    const u = member.unit;
    const a = u.attr(member, DW_AT.data_member_location);
    if (!a) return 0;
    if (typeof a.value === 'number') return a.value;
    if (typeof a.value === 'bigint') return Number(a.value);
    if (a.value instanceof Uint8Array) {
      // DWARF 2/3: an expression, in practice DW_OP_plus_uconst N (or a constant push).
      const r = new ByteReader(a.value, 'member location');
      try {
        const op = r.u8();
        if (op === DW_OP.plus_uconst || op === DW_OP.constu) return r.uleb();
      } catch { /* malformed: offset 0 */ }
    }
    return 0;
  }

  /** Replaces a declaration's members/size/enumerators with its definition's on first access. */
  private completeLazily(t: Type & { kind: 'struct' | 'union' | 'enum' }, tag: number, name: string): void {
    const keys = t.kind === 'enum' ? ['size', 'enumerators', 'signed'] : ['size', 'members', 'declaration'];
    let resolved = false;
    const resolve = (): void => {
      if (resolved) return;
      resolved = true;
      const def = this.findDefinition(tag, name);
      const full = def ? this.typeOf(def) : undefined;
      for (const k of keys) {
        const value = full && full !== t && full.kind === t.kind ? (full as unknown as Record<string, unknown>)[k] : (t as unknown as Record<string, unknown>)[`_${k}`];
        Object.defineProperty(t, k, { value, writable: true, enumerable: value !== undefined, configurable: true });
      }
    };
    const store = t as unknown as Record<string, unknown>;
    for (const k of keys) {
      Object.defineProperty(store, `_${k}`, { value: store[k], enumerable: false, writable: true });
      Object.defineProperty(store, k, {
        get: () => { resolve(); return store[k]; }, enumerable: true, configurable: true,
      });
    }
  }
}

function sizeOf(t: Type): number {
  for (let i = 0; i < 64; i++) {
    switch (t.kind) {
      case 'typedef': case 'qualified': t = t.target; continue;
      case 'base': case 'pointer': case 'struct': case 'union': case 'enum': return t.size;
      case 'array': return t.count === undefined ? 0 : t.count * sizeOf(t.element);
      default: return 0;
    }
  }
  return 0;
}

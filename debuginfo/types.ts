// The C type and value model shared by the DWARF reader (debuginfo/dwarf/), value formatting
// (debuginfo/values.ts) and the expression evaluator (debuginfo/expr.ts). Plain objects; a type graph
// may be cyclic (struct list { struct list *next; }), so walkers must not recurse without a bound.

/** How a base type's bytes are read (DW_ATE_*). */
export type BaseEncoding = 'signed' | 'unsigned' | 'signed_char' | 'unsigned_char' | 'bool' | 'float' | 'address';

export interface Member {
  /** Absent for anonymous struct/union members (their members are reachable through them). */
  name?: string;
  /** Byte offset from the start of the enclosing struct/union. */
  offset: number;
  type: Type;
  /** Bit fields: width in bits and offset in bits from `offset`'s byte (little-endian numbering). */
  bitSize?: number;
  bitOffset?: number;
}

export interface Enumerator {
  name: string;
  value: bigint;
}

export type Type =
  | { kind: 'void' }
  | { kind: 'base'; name: string; size: number; encoding: BaseEncoding }
  | { kind: 'pointer'; size: number; target: Type }
  | { kind: 'struct' | 'union'; name?: string; size: number; members: Member[]; /** only declared here */ declaration?: boolean }
  | { kind: 'array'; element: Type; /** undefined: unknown bound (flexible array member) */ count?: number }
  | { kind: 'enum'; name?: string; size: number; enumerators: Enumerator[]; signed: boolean }
  | { kind: 'typedef'; name: string; target: Type }
  | { kind: 'qualified'; qualifier: 'const' | 'volatile' | 'restrict' | 'atomic'; target: Type }
  | { kind: 'function'; returnType: Type; params: Type[]; variadic: boolean };

/**
 * A value of a type: in memory at `address` (an lvalue), held in a register (`register`, a display
 * name such as "a0"), or computed (`bytes` only). `bytes` are little-endian, the type's size; when
 * absent they are read from `address` on demand.
 */
export interface Value {
  type: Type;
  address?: bigint;
  register?: string;
  bytes?: Uint8Array;
  /** Bit-field values: the member's bit width and offset within `bytes`. */
  bitSize?: number;
  bitOffset?: number;
}

/** Reads guest memory (virtual addresses, as the stopped hart sees them); undefined when unreadable. */
export type ReadMemory = (address: bigint, size: number) => Uint8Array | undefined;

/** Strips typedefs and qualifiers (bounded: a malformed cycle of typedefs ends at `void`). */
export function resolveType(t: Type): Type {
  for (let i = 0; i < 64; i++) {
    if (t.kind !== 'typedef' && t.kind !== 'qualified') return t;
    t = t.target;
  }
  return { kind: 'void' };
}

/** Size in bytes of a type (0 for void, functions and unknown bounds). */
export function sizeOfType(t: Type): number {
  const r = resolveType(t);
  switch (r.kind) {
    case 'base': case 'pointer': case 'struct': case 'union': case 'enum': return r.size;
    case 'array': return r.count === undefined ? 0 : r.count * sizeOfType(r.element);
    default: return 0;
  }
}

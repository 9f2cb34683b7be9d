// C types as GCC describes them for RV64 (LP64, plain char unsigned), built by hand for the tests of
// value formatting and expressions (debuginfo/values.ts, debuginfo/expr.ts), laid out as the psABI does.
import { resolveType, type Member, type Type } from '../../debuginfo/types.ts';

export const base = (name: string, size: number, encoding: 'signed' | 'unsigned' | 'signed_char' | 'unsigned_char' | 'bool' | 'float'): Type =>
  ({ kind: 'base', name, size, encoding });
export const int = base('int', 4, 'signed');
export const uint = base('unsigned int', 4, 'unsigned');
export const short = base('short int', 2, 'signed');
export const long = base('long int', 8, 'signed');
export const ulong = base('long unsigned int', 8, 'unsigned');
export const char = base('char', 1, 'unsigned_char');
export const schar = base('signed char', 1, 'signed_char');
export const uchar = base('unsigned char', 1, 'unsigned_char');
export const bool = base('_Bool', 1, 'bool');
export const float = base('float', 4, 'float');
export const double = base('double', 8, 'float');
export const longDouble = base('long double', 16, 'float');
export const voidType: Type = { kind: 'void' };
export const ptr = (target: Type): Type => ({ kind: 'pointer', size: 8, target });
export const arr = (element: Type, count?: number): Type => ({ kind: 'array', element, count });
export const qualified = (qualifier: 'const' | 'volatile', target: Type): Type => ({ kind: 'qualified', qualifier, target });
export const constOf = (target: Type): Type => qualified('const', target);

export function alignOf(t: Type): number {
  const r = resolveType(t);
  switch (r.kind) {
    case 'base': case 'pointer': case 'enum': return r.size;
    case 'array': return alignOf(r.element);
    case 'struct': case 'union': return Math.max(1, ...r.members.map((m) => alignOf(m.type)));
    default: return 1;
  }
}

export function sizeOf(t: Type): number {
  const r = resolveType(t);
  if (r.kind === 'array') return (r.count ?? 0) * sizeOf(r.element);
  return 'size' in r ? r.size : 0;
}

/** A struct or union laid out as the psABI does (natural alignment). */
export function record(kind: 'struct' | 'union', name: string | undefined, fields: Array<[string | undefined, Type]>): Type & { members: Member[] } {
  const members: Member[] = [];
  let offset = 0;
  let size = 0;
  for (const [n, type] of fields) {
    const a = alignOf(type);
    const at = kind === 'union' ? 0 : Math.ceil(offset / a) * a;
    members.push(n === undefined ? { offset: at, type } : { name: n, offset: at, type });
    offset = at + sizeOf(type);
    size = Math.max(size, offset);
  }
  const align = Math.max(1, ...fields.map(([, t]) => alignOf(t)));
  return { kind, name, size: Math.ceil(size / align) * align, members };
}

/** struct node { int v; struct node *next; } (a cyclic type). */
export function nodeType(): Type & { members: Member[] } {
  const node = record('struct', 'node', [['v', int], ['next', ptr(int)]]);
  node.members[1].type = ptr(node);
  return node;
}

/** A struct with an anonymous union and an anonymous struct among its members. */
export const anonType = (): Type => record('struct', 'anon', [['k', int], [undefined, record('union', undefined, [['p', int], ['q', float]])], [undefined, record('struct', undefined, [['r', char], ['s', char]])]]);

// Declarations both the formatting and the expression tests use.
export const uint64 = { kind: 'typedef', name: 'uint64_t', target: ulong } as const satisfies Type;
export const inner = record('struct', 'inner', [['x', int], ['y', short]]);
export const outer = record('struct', 'outer', [['a', int], ['b', inner], ['c', char]]);
export const unionU = record('union', 'u', [['i', int], ['f', float], ['b', arr(uchar, 4)]]);
/** struct bits { unsigned a:3; int b:5; unsigned c:1; unsigned long d:40; } */
export const bits: Type = {
  kind: 'struct', name: 'bits', size: 16, members: [
    { name: 'a', offset: 0, type: uint, bitSize: 3, bitOffset: 0 },
    { name: 'b', offset: 0, type: int, bitSize: 5, bitOffset: 3 },
    { name: 'c', offset: 1, type: uint, bitSize: 1, bitOffset: 0 },
    { name: 'd', offset: 1, type: ulong, bitSize: 40, bitOffset: 1 },
  ],
};
export const color: Type = { kind: 'enum', name: 'color', size: 4, signed: false, enumerators: [{ name: 'RED', value: 0n }, { name: 'GREEN', value: 1n }, { name: 'BLUE', value: 5n }] };

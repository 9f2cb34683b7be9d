// A C expression parser and evaluator for the debugger's watch, hover and console (like GDB's print):
// literals, variables and symbols, $registers, member access, indexing, unary and binary operators with
// C's integer promotions and usual arithmetic conversions on LP64 (RV64: plain char is unsigned),
// pointer arithmetic, casts to any type name, sizeof, ?:, and assignment. Results are Values: lvalues
// keep their address, computed values carry their bytes.

import { resolveType, sizeOfType, type BaseEncoding, type ReadMemory, type Type, type Value } from './types.ts';
import {
  bigintToBytes, bytesToBigint, elementValue, findMember, floatToNumber, integerOf, isSignedType, memberValue,
  memoryError, numberToFloatBytes, offsetAddress, readCharEscape, typeName, valueBytes, valueSize,
} from './values.ts';

export interface ExprEnv {
  readMemory: ReadMemory;
  writeMemory?: (address: bigint, bytes: Uint8Array) => boolean;
  /** Writes a register (name without `$`) for assignments to `$a0` or to register-held variables. */
  writeRegister?: (name: string, value: bigint) => boolean;
  /** A variable in scope (locals first, then globals) as a Value, or undefined. Enumerators may be returned as constants. */
  lookupVariable(name: string): Value | undefined;
  /** A named type: 'struct foo', 'union u', 'enum e', a typedef or base type name ('int', 'unsigned long', 'uint64_t'). */
  lookupType(name: string): Type | undefined;
  /** Registers and CSRs by name without the `$` (a0, sp, pc, x5, f10, mstatus, satp) as 64-bit values; undefined if unknown. */
  lookupRegister(name: string): bigint | undefined;
  /** A symbol's address (functions/objects without DWARF variables), for `&sym`, `sym` and pointers. */
  lookupSymbol(name: string): bigint | undefined;
  symbolAt?: (addr: bigint) => string | undefined;
}

/** Longest expression text accepted, and deepest nesting of the parser. */
const MAX_TEXT = 10_000;
const MAX_NESTING = 200;
/** Bytes read to check (and kept as a snapshot of) a result. */
const RESULT_SNAPSHOT_BYTES = 64 * 1024;
/** Largest array type a cast may name. */
const MAX_ARRAY_TYPE_BYTES = 2 ** 40;
const POINTER_SIZE = 8;

// ---- the types the evaluator makes (LP64; plain char is unsigned on RISC-V) ----

function baseType(name: string, size: number, encoding: BaseEncoding): Type {
  return { kind: 'base', name, size, encoding };
}

const T = {
  void: { kind: 'void' } as Type,
  bool: baseType('_Bool', 1, 'bool'),
  char: baseType('char', 1, 'unsigned_char'),
  signedChar: baseType('signed char', 1, 'signed_char'),
  unsignedChar: baseType('unsigned char', 1, 'unsigned_char'),
  short: baseType('short', 2, 'signed'),
  unsignedShort: baseType('unsigned short', 2, 'unsigned'),
  int: baseType('int', 4, 'signed'),
  unsignedInt: baseType('unsigned int', 4, 'unsigned'),
  long: baseType('long', 8, 'signed'),
  unsignedLong: baseType('unsigned long', 8, 'unsigned'),
  longLong: baseType('long long', 8, 'signed'),
  unsignedLongLong: baseType('unsigned long long', 8, 'unsigned'),
  int128: baseType('__int128', 16, 'signed'),
  unsignedInt128: baseType('unsigned __int128', 16, 'unsigned'),
  float: baseType('float', 4, 'float'),
  double: baseType('double', 8, 'float'),
  longDouble: baseType('long double', 16, 'float'),
};

function pointerTo(target: Type): Type {
  return { kind: 'pointer', size: POINTER_SIZE, target };
}

/**
 * Symbols without debug information get a type of their own, remembered with the symbol name: shown
 * alone as `{<no debug info>} 0x... <sym>`, usable through `&sym` and casts (`(long)sym` reads a long
 * there, as GDB does), refused elsewhere.
 */
const noDebugNames = new WeakMap<Type, string>();

function noDebugName(t: Type): string | undefined {
  return noDebugNames.get(t);
}

function noDebugError(name: string): Error {
  return new Error(`'${name}' has unknown type; cast it to its declared type`);
}

// ---- tokens ----

type TokenKind = 'number' | 'char' | 'string' | 'identifier' | 'register' | 'punct' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const PUNCTUATORS = [
  '<<=', '>>=', '->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '++', '--',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '?', ':', '(', ')', '[', ']', '.', ',', '{', '}', '@',
];

function syntaxError(text: string, pos: number, what?: string): Error {
  const near = text.slice(pos, pos + 40);
  return new Error(`A syntax error in expression at column ${pos + 1}, near \`${near}'${what ? `: ${what}` : ''}.`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const c = text[pos];
    if (/\s/.test(c)) { pos++; continue; }
    const rest = text.slice(pos, pos + 256);
    const number = /^\.?[0-9](?:[eEpP][+-]|[0-9a-zA-Z_.])*/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const register = /^\$[A-Za-z0-9_]+/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], pos });
      pos += number[0].length;
    } else if (word) {
      tokens.push({ kind: 'identifier', text: word[0], pos });
      pos += word[0].length;
    } else if (register) {
      tokens.push({ kind: 'register', text: register[0].slice(1), pos });
      pos += register[0].length;
    } else if (c === "'" || c === '"') {
      let end = pos + 1;
      while (end < text.length && text[end] !== c) end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) throw syntaxError(text, pos, `unterminated ${c === '"' ? 'string' : 'character'} literal`);
      tokens.push({ kind: c === '"' ? 'string' : 'char', text: text.slice(pos + 1, end), pos });
      pos = end + 1;
    } else {
      const p = PUNCTUATORS.find((x) => text.startsWith(x, pos));
      if (!p) throw syntaxError(text, pos, 'unexpected character');
      tokens.push({ kind: 'punct', text: p, pos });
      pos += p.length;
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

/** The bytes of a char or string literal's body (escapes decoded). */
function literalBytes(body: string, source: string, pos: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < body.length) {
    try {
      const c = readCharEscape(body, i);
      out.push(c.value);
      i = c.next;
    } catch (e) {
      throw syntaxError(source, pos, (e as Error).message.replace(/\.$/, ''));
    }
  }
  return out;
}

// ---- literals ----

/** The C (and GDB) candidate types of an integer literal, by base and suffix. */
function integerLiteralCandidates(decimal: boolean, unsigned: boolean, longs: number): Type[] {
  if (longs === 2) return unsigned ? [T.unsignedLongLong] : [T.longLong, T.unsignedLongLong];
  if (unsigned) return longs === 1 ? [T.unsignedLong] : [T.unsignedInt, T.unsignedLong];
  if (longs === 1) return [T.long, T.unsignedLong];
  return decimal ? [T.int, T.long, T.unsignedLong] : [T.int, T.unsignedInt, T.long, T.unsignedLong];
}

function fitsType(n: bigint, t: Type): boolean {
  const bits = sizeOfType(t) * 8;
  return isSignedType(t) ? n < 1n << BigInt(bits - 1) : n < 1n << BigInt(bits);
}

/** A hexadecimal floating literal (0x1.8p3): hex digits scaled by a power of two. */
function parseHexFloat(body: string): number | undefined {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(body);
  const fraction = m?.[2] ?? '';
  if (!m || (m[1] === '' && fraction === '')) return undefined;
  return Number(BigInt(`0x${m[1]}${fraction}`)) * 2 ** (Number(m[3]) - 4 * fraction.length);
}

function numberLiteral(token: Token, source: string): Value {
  const text = token.text;
  const isHex = /^0[xX]/.test(text);
  const isFloat = isHex ? /[.pP]/.test(text) : /[.eE]/.test(text);
  if (isFloat) {
    const m = /^(.*?)([fFlL]?)$/.exec(text) as RegExpExecArray;
    const x = isHex ? parseHexFloat(m[1]) : /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(m[1]) ? Number(m[1]) : undefined;
    if (x === undefined) throw syntaxError(source, token.pos, `invalid number "${text}"`);
    const type = m[2] === '' ? T.double : /[fF]/.test(m[2]) ? T.float : T.longDouble;
    return floatResult(type, x);
  }
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  const suffix = m ? m[2].toLowerCase() : '';
  if (!m || !['', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu'].includes(suffix)) throw syntaxError(source, token.pos, `invalid number "${text}"`);
  const digits = m[1];
  const n = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const longs = suffix.replace('u', '').length;
  const type = integerLiteralCandidates(/^[1-9]/.test(digits) || digits === '0', suffix.includes('u'), longs).find((t) => fitsType(n, t));
  if (!type) throw new Error('Numeric constant too large.');
  return intResult(type, n);
}

// ---- values the evaluator makes ----

function intResult(type: Type, n: bigint): Value {
  return { type, bytes: bigintToBytes(n, sizeOfType(type)) };
}

function floatResult(type: Type, x: number): Value {
  return { type, bytes: numberToFloatBytes(x, sizeOfType(type)) };
}

function wrapTo(type: Type, n: bigint): bigint {
  const bits = sizeOfType(type) * 8;
  return isSignedType(type) ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n);
}

/** The canonical integer type of a size and signedness (long long kept when an operand was one). */
function integerType(size: number, signed: boolean, longLong: boolean): Type {
  if (size <= 4) return signed ? T.int : T.unsignedInt;
  if (size <= 8) return longLong ? (signed ? T.longLong : T.unsignedLongLong) : signed ? T.long : T.unsignedLong;
  return signed ? T.int128 : T.unsignedInt128;
}

function isLongLong(t: Type): boolean {
  const r = resolveType(t);
  return r.kind === 'base' && /long long/.test(r.name);
}

// ---- syntax tree ----

type Node =
  | { k: 'value'; value: Value }
  | { k: 'identifier'; name: string }
  | { k: 'register'; name: string }
  | { k: 'unary'; op: string; arg: Node }
  | { k: 'sizeofType'; type: Type }
  | { k: 'sizeofExpr'; arg: Node }
  | { k: 'cast'; type: Type; arg: Node }
  | { k: 'at'; type: Type; arg: Node }
  | { k: 'binary'; op: string; left: Node; right: Node }
  | { k: 'conditional'; cond: Node; then: Node; else: Node }
  | { k: 'member'; arg: Node; name: string; arrow: boolean }
  | { k: 'index'; arg: Node; index: Node }
  | { k: 'assign'; op: string; target: Node; value: Node };

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const ASSIGNMENT_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=']);
const UNARY_OPS = new Set(['-', '+', '!', '~', '*', '&']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '_Atomic', '__restrict', '__volatile__', '__const']);
const BASE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', '__int128']);
const TAG_WORDS = new Set(['struct', 'union', 'enum']);

class Parser {
  private tokens: Token[];
  private at = 0;
  private nesting = 0;
  private typedefCache = new Map<string, Type | undefined>();

  constructor(private source: string, private env: ExprEnv, private evaluator: Evaluator) {
    if (source.length > MAX_TEXT) throw new Error(`Expression too long (more than ${MAX_TEXT} characters).`);
    this.tokens = tokenize(source);
  }

  parseAll(): Node {
    if (this.peek().kind === 'end') throw new Error('Empty expression.');
    const node = this.expression();
    if (this.peek().kind !== 'end') throw this.error();
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.at < this.tokens.length - 1) this.at++;
    return t;
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text)) throw this.error(`expected \`${text}'`);
    this.next();
  }

  private error(what?: string): Error {
    return syntaxError(this.source, this.peek().pos, what);
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) throw new Error('Expression nested too deeply.');
  }

  private expression(): Node {
    this.enter();
    const target = this.conditional();
    const op = this.peek();
    let node = target;
    if (op.kind === 'punct' && ASSIGNMENT_OPS.has(op.text)) {
      this.next();
      node = { k: 'assign', op: op.text, target, value: this.expression() };
    }
    this.nesting--;
    return node;
  }

  private conditional(): Node {
    const cond = this.binary(1);
    if (!this.isPunct('?')) return cond;
    this.next();
    const then = this.expression();
    this.expect(':');
    this.enter();
    const otherwise = this.conditional();
    this.nesting--;
    return { k: 'conditional', cond, then, else: otherwise };
  }

  private binary(minPrecedence: number): Node {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const precedence = op.kind === 'punct' ? BINARY_PRECEDENCE[op.text] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.next();
      this.enter();
      const right = this.binary(precedence + 1);
      this.nesting--;
      left = { k: 'binary', op: op.text, left, right };
    }
  }

  private unary(): Node {
    this.enter();
    const node = this.unaryInner();
    this.nesting--;
    return node;
  }

  private unaryInner(): Node {
    const t = this.peek();
    if (t.kind === 'punct' && UNARY_OPS.has(t.text)) {
      this.next();
      return { k: 'unary', op: t.text, arg: this.unary() };
    }
    if (t.kind === 'punct' && (t.text === '++' || t.text === '--')) throw this.error('increment and decrement are not supported');
    if (t.kind === 'identifier' && t.text === 'sizeof') {
      this.next();
      if (this.isPunct('(') && this.startsType(1)) {
        this.next();
        const type = this.typeName();
        this.expect(')');
        return { k: 'sizeofType', type };
      }
      return { k: 'sizeofExpr', arg: this.unary() };
    }
    if (this.isPunct('(') && this.startsType(1)) {
      this.next();
      const type = this.typeName();
      this.expect(')');
      return { k: 'cast', type, arg: this.unary() };
    }
    if (this.isPunct('{') && this.startsType(1)) {
      // GDB's {type} address: the object of that type at that address.
      this.next();
      const type = this.typeName();
      this.expect('}');
      return { k: 'at', type, arg: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.isPunct('[')) {
        this.next();
        const index = this.expression();
        this.expect(']');
        node = { k: 'index', arg: node, index };
      } else if (this.isPunct('.') || this.isPunct('->')) {
        const arrow = this.next().text === '->';
        const name = this.next();
        if (name.kind !== 'identifier') throw syntaxError(this.source, name.pos, 'expected a member name');
        node = { k: 'member', arg: node, name: name.text, arrow };
      } else if (this.isPunct('(')) {
        throw this.error('function calls are not supported');
      } else if (this.isPunct('++') || this.isPunct('--')) {
        throw this.error('increment and decrement are not supported');
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { k: 'value', value: numberLiteral(t, this.source) };
      case 'char': {
        const bytes = literalBytes(t.text, this.source, t.pos);
        if (bytes.length !== 1) throw syntaxError(this.source, t.pos, bytes.length === 0 ? 'empty character constant' : 'multi-character constant');
        return { k: 'value', value: intResult(T.char, BigInt(bytes[0])) };
      }
      case 'string': {
        const bytes = literalBytes(t.text, this.source, t.pos);
        while (this.peek().kind === 'string') {
          const more = this.next();
          bytes.push(...literalBytes(more.text, this.source, more.pos));
        }
        bytes.push(0);
        return { k: 'value', value: { type: { kind: 'array', element: T.char, count: bytes.length }, bytes: Uint8Array.from(bytes) } };
      }
      case 'identifier':
        if (BASE_WORDS.has(t.text) || TAG_WORDS.has(t.text) || QUALIFIERS.has(t.text)) {
          throw syntaxError(this.source, t.pos, 'a type name is not an expression');
        }
        return { k: 'identifier', name: t.text };
      case 'register':
        return { k: 'register', name: t.text };
      case 'punct':
        if (t.text === '(') {
          const inner = this.expression();
          this.expect(')');
          return inner;
        }
        throw syntaxError(this.source, t.pos, 'expected an expression');
      default:
        throw syntaxError(this.source, t.pos, 'expected an expression');
    }
  }

  // ---- type names ----

  /** A typedef name that no variable in scope hides. */
  private typedefNamed(name: string): Type | undefined {
    if (!this.typedefCache.has(name)) {
      this.typedefCache.set(name, this.env.lookupVariable(name) === undefined ? this.env.lookupType(name) : undefined);
    }
    return this.typedefCache.get(name);
  }

  private startsType(offset: number): boolean {
    const t = this.peek(offset);
    if (t.kind !== 'identifier') return false;
    return BASE_WORDS.has(t.text) || TAG_WORDS.has(t.text) || QUALIFIERS.has(t.text) || this.typedefNamed(t.text) !== undefined;
  }

  /** A type name: specifiers and qualifiers, then an abstract declarator. */
  private typeName(): Type {
    this.enter();
    const base = this.specifiers();
    const declarator = this.abstractDeclarator();
    this.nesting--;
    return declarator(base);
  }

  private specifiers(): Type {
    const qualifiers: Array<'const' | 'volatile' | 'restrict' | 'atomic'> = [];
    const words: string[] = [];
    let named: Type | undefined;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'identifier') break;
      if (QUALIFIERS.has(t.text)) {
        this.next();
        qualifiers.push(qualifierOf(t.text));
      } else if (BASE_WORDS.has(t.text) && !named) {
        this.next();
        words.push(t.text);
      } else if (TAG_WORDS.has(t.text) && !named && words.length === 0) {
        this.next();
        const tag = this.next();
        if (tag.kind !== 'identifier') throw syntaxError(this.source, tag.pos, `expected a ${t.text} tag`);
        named = this.env.lookupType(`${t.text} ${tag.text}`);
        if (!named) throw new Error(`No ${t.text} type named ${tag.text}.`);
      } else if (!named && words.length === 0 && this.typedefNamed(t.text)) {
        this.next();
        named = this.typedefNamed(t.text);
      } else {
        break;
      }
    }
    return qualify(named ?? baseFromWords(words, this.source, this.peek().pos), qualifiers);
  }

  /** Parses pointers, (nested) declarators, array bounds and parameter lists; returns how they wrap a base type. */
  private abstractDeclarator(): (t: Type) => Type {
    this.enter();
    const pointers: Array<Array<'const' | 'volatile' | 'restrict' | 'atomic'>> = [];
    while (this.isPunct('*')) {
      this.next();
      const qs: Array<'const' | 'volatile' | 'restrict' | 'atomic'> = [];
      while (this.peek().kind === 'identifier' && QUALIFIERS.has(this.peek().text)) qs.push(qualifierOf(this.next().text));
      pointers.push(qs);
    }
    let inner: ((t: Type) => Type) | undefined;
    if (this.isPunct('(') && (this.isPunct('*', 1) || this.isPunct('(', 1) || this.isPunct('[', 1))) {
      this.next();
      inner = this.abstractDeclarator();
      this.expect(')');
    }
    const suffixes: Array<(t: Type) => Type> = [];
    for (;;) {
      if (this.isPunct('[')) {
        this.next();
        let count: number | undefined;
        if (!this.isPunct(']')) count = this.arrayBound();
        this.expect(']');
        suffixes.push((t) => arrayOf(t, count));
      } else if (this.isPunct('(')) {
        this.next();
        const { params, variadic } = this.parameterList();
        suffixes.push((t) => ({ kind: 'function', returnType: t, params, variadic }));
      } else {
        break;
      }
    }
    this.nesting--;
    return (t: Type) => {
      for (const qs of pointers) {
        t = qualify(pointerTo(t), qs);
      }
      for (let i = suffixes.length - 1; i >= 0; i--) t = suffixes[i](t);
      return inner ? inner(t) : t;
    };
  }

  private arrayBound(): number {
    const pos = this.peek().pos;
    const v = this.evaluator.eval(this.conditional());
    const t = resolveType(v.type);
    if (t.kind !== 'base' && t.kind !== 'enum') throw syntaxError(this.source, pos, 'array bound is not an integer');
    const n = this.evaluator.integer(v);
    if (n < 0n || n > BigInt(MAX_ARRAY_TYPE_BYTES)) throw syntaxError(this.source, pos, 'invalid array bound');
    return Number(n);
  }

  private parameterList(): { params: Type[]; variadic: boolean } {
    const params: Type[] = [];
    let variadic = false;
    if (this.isPunct(')')) {
      this.next();
      return { params, variadic: true };
    }
    if (this.peek().text === 'void' && this.isPunct(')', 1)) {
      this.next();
      this.next();
      return { params, variadic };
    }
    for (;;) {
      if (this.isPunct('.') && this.isPunct('.', 1) && this.isPunct('.', 2)) {
        this.next(); this.next(); this.next();
        variadic = true;
      } else {
        if (!this.startsType(0)) throw this.error('expected a parameter type');
        params.push(this.typeName());
      }
      if (this.isPunct(')')) break;
      if (variadic) throw this.error("expected `)' after `...'");
      this.expect(',');
    }
    this.next();
    return { params, variadic };
  }
}

/** Wraps qualifiers so the first written is outermost, as GCC's DWARF nests them (`const volatile int`). */
function qualify(t: Type, qualifiers: Array<'const' | 'volatile' | 'restrict' | 'atomic'>): Type {
  for (let i = qualifiers.length - 1; i >= 0; i--) t = { kind: 'qualified', qualifier: qualifiers[i], target: t };
  return t;
}

function qualifierOf(word: string): 'const' | 'volatile' | 'restrict' | 'atomic' {
  if (word === '_Atomic') return 'atomic';
  return word.replace(/^__|__$/g, '') as 'const' | 'volatile' | 'restrict';
}

function arrayOf(element: Type, count: number | undefined): Type {
  const size = sizeOfType(element) * (count ?? 0);
  if (size > MAX_ARRAY_TYPE_BYTES) throw new Error('Array type too large.');
  return { kind: 'array', element, count };
}

/** The base type named by a multiset of specifier words (`long unsigned int` = `unsigned long`). */
function baseFromWords(words: string[], source: string, pos: number): Type {
  const count = (w: string): number => words.filter((x) => x === w).length;
  const signed = count('signed') > 0;
  const unsigned = count('unsigned') > 0;
  const longs = count('long');
  const invalid = (): Error => syntaxError(source, pos, `invalid type \`${words.join(' ')}'`);
  if (words.length === 0) throw syntaxError(source, pos, 'expected a type name');
  if ((signed && unsigned) || longs > 2 || words.some((w) => w !== 'long' && count(w) > 1)) throw invalid();
  const only = (...allowed: string[]): boolean => words.every((w) => allowed.includes(w));
  if (count('void')) { if (!only('void')) throw invalid(); return T.void; }
  if (count('_Bool')) { if (!only('_Bool')) throw invalid(); return T.bool; }
  if (count('float')) { if (!only('float')) throw invalid(); return T.float; }
  if (count('double')) {
    if (!only('double', 'long') || longs > 1) throw invalid();
    return longs ? T.longDouble : T.double;
  }
  if (count('char')) {
    if (!only('char', 'signed', 'unsigned')) throw invalid();
    return signed ? T.signedChar : unsigned ? T.unsignedChar : T.char;
  }
  if (count('__int128')) {
    if (!only('__int128', 'signed', 'unsigned')) throw invalid();
    return unsigned ? T.unsignedInt128 : T.int128;
  }
  if (count('short')) {
    if (!only('short', 'int', 'signed', 'unsigned')) throw invalid();
    return unsigned ? T.unsignedShort : T.short;
  }
  if (!only('int', 'long', 'signed', 'unsigned')) throw invalid();
  if (longs === 2) return unsigned ? T.unsignedLongLong : T.longLong;
  if (longs === 1) return unsigned ? T.unsignedLong : T.long;
  return unsigned ? T.unsignedInt : T.int;
}

// ---- evaluation ----

/** An operand after rvalue conversion: integers (promoted), floats, or pointers (arrays and functions decayed). */
type Operand =
  | { kind: 'int'; type: Type; n: bigint }
  | { kind: 'float'; type: Type; x: number }
  | { kind: 'pointer'; type: Extract<Type, { kind: 'pointer' }>; address: bigint };

class Evaluator {
  /** Inside sizeof: unreadable memory reads as zeros and nothing is written. */
  private typeOnly = 0;

  constructor(private env: ExprEnv) {}

  eval(n: Node): Value {
    switch (n.k) {
      case 'value': return n.value;
      case 'identifier': return this.identifier(n.name);
      case 'register': return this.register(n.name);
      case 'unary': return this.unary(n.op, this.eval(n.arg));
      case 'sizeofType': return this.sizeOf(n.type);
      case 'sizeofExpr': {
        this.typeOnly++;
        try {
          const v = this.eval(n.arg);
          this.checkKnownType(v);
          if (v.bitSize !== undefined) throw new Error('Cannot take the size of a bit-field.');
          return this.sizeOf(v.type);
        } finally {
          this.typeOnly--;
        }
      }
      case 'cast': return this.cast(this.eval(n.arg), n.type);
      case 'at': {
        const o = this.operand(this.eval(n.arg));
        if (o.kind === 'float') throw new Error('Invalid cast.');
        return { type: n.type, address: o.kind === 'pointer' ? o.address : BigInt.asUintN(64, o.n) };
      }
      case 'binary': return this.binaryNode(n.op, n.left, n.right);
      case 'conditional': return this.truth(this.eval(n.cond)) ? this.eval(n.then) : this.eval(n.else);
      case 'member': return this.member(this.eval(n.arg), n.name, n.arrow);
      case 'index': return this.index(this.eval(n.arg), this.eval(n.index));
      case 'assign': {
        const target = this.eval(n.target);
        const value = n.op === '=' ? this.eval(n.value) : this.binary(n.op.slice(0, -1), target, this.eval(n.value));
        return this.store(target, value);
      }
    }
  }

  // ---- names ----

  private identifier(name: string): Value {
    const variable = this.env.lookupVariable(name);
    if (variable) return variable;
    const address = this.env.lookupSymbol(name);
    if (address !== undefined) {
      const type: Type = { kind: 'typedef', name: '<no debug info>', target: { kind: 'function', returnType: T.int, params: [], variadic: true } };
      noDebugNames.set(type, name);
      return { type, address };
    }
    if (name === 'true' || name === 'false') return intResult(T.bool, name === 'true' ? 1n : 0n);
    throw new Error(`No symbol "${name}" in current context.`);
  }

  private register(name: string): Value {
    const n = this.env.lookupRegister(name);
    if (n === undefined) throw new Error(`No register named $${name}.`);
    return { type: T.unsignedLong, register: name, bytes: bigintToBytes(n, 8) };
  }

  private checkKnownType(v: Value): void {
    const name = noDebugName(v.type);
    if (name !== undefined) throw noDebugError(name);
  }

  /** Replaces a declaration-only struct/union/enum with its definition when the program has one. */
  private complete(t: Type): Type {
    const r = resolveType(t);
    if ((r.kind === 'struct' || r.kind === 'union') && r.declaration && r.name !== undefined) {
      const full = this.env.lookupType(`${r.kind} ${r.name}`);
      if (full) {
        const f = resolveType(full);
        if (f.kind === r.kind && !f.declaration) return full;
      }
    }
    return t;
  }

  // ---- reading ----

  bytes(v: Value): Uint8Array {
    const b = valueBytes(v, this.env.readMemory);
    if (b) return b;
    if (this.typeOnly > 0) return new Uint8Array(Math.min(valueSize(v), 64));
    if (v.address === undefined) throw new Error(v.bytes ? 'Value is unavailable.' : 'Value has been optimized out.');
    throw memoryError(v.address);
  }

  integer(v: Value): bigint {
    const o = this.operand(v);
    if (o.kind === 'float') return floatToInteger(o.x);
    return o.kind === 'pointer' ? o.address : o.n;
  }

  /** Rvalue conversion with integer promotion; arrays and functions decay to pointers. */
  operand(v: Value): Operand {
    this.checkKnownType(v);
    const t = resolveType(v.type);
    switch (t.kind) {
      case 'base': {
        const bytes = this.bytes(v);
        if (t.encoding === 'float') return { kind: 'float', type: t, x: floatToNumber(bytes, t.size) };
        const n = integerOf(v, bytes);
        if (t.size < 4 || t.encoding === 'bool') return { kind: 'int', type: T.int, n };
        return { kind: 'int', type: integerType(t.size, isSignedType(t), isLongLong(t)), n };
      }
      case 'enum': {
        const n = integerOf(v, this.bytes(v));
        return { kind: 'int', type: t.size < 4 ? T.int : integerType(t.size, t.signed, false), n };
      }
      case 'pointer':
        return { kind: 'pointer', type: t, address: integerOf(v, this.bytes(v)) };
      case 'array': {
        if (v.address === undefined) throw new Error('Attempt to take address of value not located in memory.');
        return { kind: 'pointer', type: pointerTo(t.element) as Extract<Type, { kind: 'pointer' }>, address: v.address };
      }
      case 'function': {
        if (v.address === undefined) throw new Error('Attempt to take address of value not located in memory.');
        return { kind: 'pointer', type: pointerTo(v.type) as Extract<Type, { kind: 'pointer' }>, address: v.address };
      }
      case 'void':
        throw new Error('Attempt to use a void value.');
      default:
        throw new Error(`Invalid operand of type ${typeName(v.type)}: a number or pointer is needed.`);
    }
  }

  truth(v: Value): boolean {
    const o = this.operand(v);
    if (o.kind === 'float') return o.x !== 0;
    return (o.kind === 'pointer' ? o.address : o.n) !== 0n;
  }

  private sizeOf(t: Type): Value {
    const r = resolveType(this.complete(t));
    if (r.kind === 'struct' || r.kind === 'union') {
      if (r.declaration && r.members.length === 0) throw new Error(`Cannot take the size of incomplete type ${typeName(t)}.`);
    }
    // GNU C: sizeof (void) and sizeof of a function are 1.
    const size = r.kind === 'void' || r.kind === 'function' ? 1 : sizeOfType(r);
    return intResult(T.unsignedLong, BigInt(size));
  }

  // ---- operators ----

  private unary(op: string, v: Value): Value {
    switch (op) {
      case '&': return this.addressOf(v);
      case '*': return this.deref(v);
      case '!': return intResult(T.int, this.truth(v) ? 0n : 1n);
      default: {
        const o = this.operand(v);
        if (o.kind === 'pointer') throw new Error('Argument to arithmetic operation not a number or boolean.');
        if (o.kind === 'float') {
          if (op === '~') throw new Error('Argument to complement operation not an integer, boolean.');
          return floatResult(o.type, op === '-' ? -o.x : o.x);
        }
        const n = op === '-' ? -o.n : op === '~' ? ~o.n : o.n;
        return intResult(o.type, wrapTo(o.type, n));
      }
    }
  }

  private addressOf(v: Value): Value {
    if (v.bitSize !== undefined) throw new Error('Attempt to take address of value not located in memory (a bit-field).');
    if (v.address === undefined) throw new Error('Attempt to take address of value not located in memory.');
    return { type: pointerTo(v.type), bytes: bigintToBytes(v.address, POINTER_SIZE) };
  }

  private deref(v: Value): Value {
    this.checkKnownType(v);
    const t = resolveType(v.type);
    if (t.kind === 'function') return v;
    if (t.kind === 'array') return this.index(v, intResult(T.int, 0n));
    if (t.kind === 'pointer') {
      const target = resolveType(t.target);
      if (target.kind === 'void') throw new Error('Attempt to take contents of a non-pointer value.');
      return { type: this.complete(t.target), address: integerOf(v, this.bytes(v)) };
    }
    if (t.kind === 'base' && t.encoding !== 'float') {
      // GDB allows `*integer` (an int at that address), which casts then refine.
      return { type: T.int, address: BigInt.asUintN(64, integerOf(v, this.bytes(v))) };
    }
    throw new Error('Attempt to take contents of a non-pointer value.');
  }

  private member(v: Value, name: string, arrow: boolean): Value {
    this.checkKnownType(v);
    let base = v;
    if (resolveType(v.type).kind === 'pointer') base = this.deref(v);
    else if (arrow && resolveType(v.type).kind !== 'struct' && resolveType(v.type).kind !== 'union') {
      throw new Error('The -> operator needs a pointer to a structure or union.');
    }
    const type = this.complete(base.type);
    const t = resolveType(type);
    if (t.kind !== 'struct' && t.kind !== 'union') {
      throw new Error(`Attempt to extract a component of a value that is not a structure${arrow ? ' pointer' : ''}.`);
    }
    const found = findMember(t, name);
    if (!found) throw new Error(`There is no member named ${name}.`);
    return memberValue({ ...base, type }, found.member, found.offset);
  }

  private index(a: Value, i: Value): Value {
    const isIndexable = (v: Value): boolean => ['array', 'pointer'].includes(resolveType(v.type).kind);
    if (!isIndexable(a) && isIndexable(i)) [a, i] = [i, a];
    this.checkKnownType(a);
    const t = resolveType(a.type);
    const io = this.operand(i);
    if (io.kind !== 'int') throw new Error('Array subscript is not an integer.');
    if (t.kind === 'array') {
      const element = this.complete(t.element);
      if (a.address === undefined) {
        if (io.n < 0n || io.n >= BigInt(t.count ?? 0)) throw new Error('no such vector element');
        return elementValue(a, element, Number(io.n));
      }
      return { type: element, address: offsetAddress(a.address, io.n * BigInt(sizeOfType(element))) };
    }
    if (t.kind === 'pointer') return this.deref(this.binary('+', a, i));
    throw new Error(`cannot subscript something of type \`${typeName(a.type)}'`);
  }

  private binaryNode(op: string, left: Node, right: Node): Value {
    if (op === '&&' || op === '||') {
      const l = this.truth(this.eval(left));
      if (op === '&&' ? !l : l) return intResult(T.int, l ? 1n : 0n);
      return intResult(T.int, this.truth(this.eval(right)) ? 1n : 0n);
    }
    return this.binary(op, this.eval(left), this.eval(right));
  }

  binary(op: string, lv: Value, rv: Value): Value {
    const l = this.operand(lv);
    const r = this.operand(rv);
    if (l.kind === 'pointer' || r.kind === 'pointer') return this.pointerBinary(op, l, r);
    if (op === '<<' || op === '>>') {
      if (l.kind !== 'int' || r.kind !== 'int') throw new Error('Integer-only operation on floating point number.');
      const bits = BigInt(sizeOfType(l.type) * 8);
      // Out-of-range counts are undefined in C; GDB warns and gives 0.
      if (r.n < 0n || r.n >= bits) return intResult(l.type, 0n);
      return intResult(l.type, wrapTo(l.type, op === '<<' ? l.n << r.n : l.n >> r.n));
    }
    if (l.kind === 'float' || r.kind === 'float') {
      const type = commonFloatType(l, r);
      const x = l.kind === 'float' ? l.x : Number(l.n);
      const y = r.kind === 'float' ? r.x : Number(r.n);
      const compared = compare(op, x, y);
      if (compared !== undefined) return intResult(T.int, compared ? 1n : 0n);
      switch (op) {
        case '+': return floatResult(type, x + y);
        case '-': return floatResult(type, x - y);
        case '*': return floatResult(type, x * y);
        case '/': return floatResult(type, x / y);
        default: throw new Error('Integer-only operation on floating point number.');
      }
    }
    const type = commonIntegerType(l.type, r.type);
    const x = wrapTo(type, l.n);
    const y = wrapTo(type, r.n);
    const compared = compare(op, x, y);
    if (compared !== undefined) return intResult(T.int, compared ? 1n : 0n);
    let n: bigint;
    switch (op) {
      case '+': n = x + y; break;
      case '-': n = x - y; break;
      case '*': n = x * y; break;
      case '/': case '%':
        if (y === 0n) {
          if (this.typeOnly > 0) return intResult(type, 0n);
          throw new Error('Division by zero');
        }
        n = op === '/' ? x / y : x % y;
        break;
      case '&': n = x & y; break;
      case '|': n = x | y; break;
      case '^': n = x ^ y; break;
      default: throw new Error(`Unknown operator ${op}.`);
    }
    return intResult(type, wrapTo(type, n));
  }

  private pointerBinary(op: string, l: Operand, r: Operand): Value {
    const scale = (p: Extract<Operand, { kind: 'pointer' }>): bigint => {
      const size = sizeOfType(this.complete(p.type.target));
      return BigInt(size > 0 ? size : 1); // GNU C: void * and function pointers step by 1
    };
    if (l.kind === 'pointer' && r.kind === 'pointer') {
      if (op === '-') {
        const diff = BigInt.asIntN(64, l.address - r.address);
        return intResult(T.long, diff / scale(l));
      }
      const compared = compare(op, l.address, r.address);
      if (compared !== undefined) return intResult(T.int, compared ? 1n : 0n);
    } else if (l.kind === 'pointer' && r.kind === 'int') {
      if (op === '+' || op === '-') {
        const delta = r.n * scale(l);
        return { type: l.type, bytes: bigintToBytes(op === '+' ? l.address + delta : l.address - delta, POINTER_SIZE) };
      }
      const compared = compare(op, l.address, BigInt.asUintN(64, r.n));
      if (compared !== undefined) return intResult(T.int, compared ? 1n : 0n);
    } else if (l.kind === 'int' && r.kind === 'pointer') {
      if (op === '+') return { type: r.type, bytes: bigintToBytes(r.address + l.n * scale(r), POINTER_SIZE) };
      const compared = compare(op, BigInt.asUintN(64, l.n), r.address);
      if (compared !== undefined) return intResult(T.int, compared ? 1n : 0n);
    }
    throw new Error(`Invalid operands to ${op}: ${typeName(l.type)} and ${typeName(r.type)}.`);
  }

  // ---- conversions ----

  cast(v: Value, to: Type): Value {
    // A symbol without debug info is reinterpreted in place, as GDB does.
    if (noDebugName(v.type) !== undefined && v.address !== undefined) return { type: to, address: v.address };
    const target = resolveType(to);
    switch (target.kind) {
      case 'void':
        return { type: to, bytes: new Uint8Array(0) };
      case 'base': case 'enum': {
        const o = this.operand(v);
        if (target.kind === 'base' && target.encoding === 'float') {
          if (o.kind === 'pointer') throw new Error('Invalid cast.');
          return floatResult(to, o.kind === 'float' ? o.x : Number(o.n));
        }
        if (target.kind === 'base' && target.encoding === 'bool') return intResult(to, this.truth(v) ? 1n : 0n);
        const n = o.kind === 'pointer' ? o.address : o.kind === 'int' ? o.n : floatToInteger(o.x);
        return intResult(to, wrapTo(to, n));
      }
      case 'pointer': {
        const o = this.operand(v);
        if (o.kind === 'float') throw new Error('Invalid cast.');
        return { type: to, bytes: bigintToBytes(o.kind === 'pointer' ? o.address : o.n, POINTER_SIZE) };
      }
      case 'struct': case 'union': case 'array': {
        this.checkKnownType(v);
        const from = resolveType(v.type);
        const same = from === target || (from.kind === target.kind && sizeOfType(from) === sizeOfType(target)
          && (target.kind === 'array' || ('name' in from && 'name' in target && from.name === target.name)));
        if (!same) throw new Error('Invalid cast.');
        return { ...v, type: to };
      }
      default:
        throw new Error('Invalid cast.');
    }
  }

  /** Assignment: converts `value` to the target's type and writes it (bit-fields read, modified, written back). */
  store(target: Value, value: Value): Value {
    this.checkKnownType(target);
    if (this.typeOnly > 0) return target;
    const t = resolveType(target.type);
    let bytes: Uint8Array;
    if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'array') {
      const converted = this.cast(value, target.type);
      bytes = this.bytes(converted).slice(0, sizeOfType(t));
    } else if (t.kind === 'base' || t.kind === 'enum' || t.kind === 'pointer') {
      bytes = this.bytes(this.cast(value, target.type));
    } else {
      throw new Error(`Cannot assign to a value of type ${typeName(target.type)}.`);
    }
    if (target.bitSize !== undefined) {
      const storage = this.bytes({ ...target, bytes: undefined }).slice();
      const width = BigInt(target.bitSize);
      const shift = BigInt(target.bitOffset ?? 0);
      const mask = ((1n << width) - 1n) << shift;
      const field = (BigInt.asUintN(target.bitSize, integerOf({ type: target.type }, bytes)) << shift) & mask;
      const old = bytesToBigint(storage, false);
      bytes = bigintToBytes((old & ~mask) | field, storage.length);
    }
    if (target.address !== undefined) {
      if (!this.env.writeMemory) throw new Error('Cannot write memory here.');
      if (!this.env.writeMemory(target.address, bytes)) throw memoryError(target.address);
      const { bytes: _old, ...lvalue } = target;
      return lvalue;
    }
    if (target.register !== undefined && target.bitSize === undefined && bytes.length <= 8) {
      if (!this.env.writeRegister) throw new Error(`Cannot write register $${target.register} here.`);
      // Integers go in sign- or zero-extended as RV64 keeps them; a float in an FP register is NaN-boxed.
      const boxed = t.kind === 'base' && t.encoding === 'float' && bytes.length === 4 ? 0xffffffff00000000n : 0n;
      const n = BigInt.asUintN(64, integerOf({ type: target.type }, bytes)) | boxed;
      if (!this.env.writeRegister(target.register, n)) throw new Error(`Cannot write register $${target.register}.`);
      return { ...target, bytes };
    }
    throw new Error('Left operand of assignment is not an lvalue.');
  }

  /** Checks a result can be read and keeps a snapshot of a small one's bytes. */
  finish(v: Value): Value {
    if (v.bytes || v.address === undefined) return v;
    const size = Math.min(valueSize(v), RESULT_SNAPSHOT_BYTES);
    if (size === 0) return v;
    const bytes = this.env.readMemory(v.address, size);
    if (!bytes || bytes.length < size) throw memoryError(v.address);
    return size === valueSize(v) ? { ...v, bytes } : v;
  }
}

/** C's conversion of a floating value to an integer: truncation (infinities and NaN have no integer). */
function floatToInteger(x: number): bigint {
  if (!Number.isFinite(x)) throw new Error(`Cannot convert ${x} to an integer.`);
  return BigInt(Math.trunc(x));
}

function compare(op: string, x: bigint | number, y: bigint | number): boolean | undefined {
  switch (op) {
    case '==': return x === y;
    case '!=': return x !== y;
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
    default: return undefined;
  }
}

/** C's usual arithmetic conversions for two promoted integer types. */
function commonIntegerType(a: Type, b: Type): Type {
  const rank = (t: Type): number => sizeOfType(t) * 2 + (isLongLong(t) ? 1 : 0);
  const sa = isSignedType(a);
  const sb = isSignedType(b);
  const longLong = isLongLong(a) || isLongLong(b);
  if (sa === sb) return rank(a) >= rank(b) ? a : b;
  const [signed, unsigned] = sa ? [a, b] : [b, a];
  if (rank(unsigned) >= rank(signed)) return unsigned;
  if (sizeOfType(signed) > sizeOfType(unsigned)) return signed;
  return integerType(sizeOfType(signed), false, longLong);
}

function commonFloatType(l: Operand, r: Operand): Type {
  const size = Math.max(l.kind === 'float' ? sizeOfType(l.type) : 0, r.kind === 'float' ? sizeOfType(r.type) : 0);
  return size >= 16 ? T.longDouble : size === 8 ? T.double : T.float;
}

// ---- entry points ----

function parse(text: string, env: ExprEnv, evaluator: Evaluator): Node {
  return new Parser(text, env, evaluator).parseAll();
}

/** Evaluates a C expression; the result is checked to be readable (a small one carries a snapshot of its bytes). */
export function evaluate(text: string, env: ExprEnv): Value {
  const evaluator = new Evaluator(env);
  return evaluator.finish(evaluator.eval(parse(text, env, evaluator)));
}

/** Assignment for setVariable / `x = 5` in the console: evaluates `target` as an lvalue and writes `value` (an expression) there. */
export function assign(target: string, valueText: string, env: ExprEnv): Value {
  const evaluator = new Evaluator(env);
  const lvalue = evaluator.eval(parse(target, env, evaluator));
  // An enum variable also takes its enumerators' names (env need not know them as symbols).
  const t = resolveType(lvalue.type);
  const enumerator = t.kind === 'enum' ? t.enumerators.find((e) => e.name === valueText.trim()) : undefined;
  const value = enumerator ? intResult(lvalue.type, enumerator.value) : evaluator.eval(parse(valueText, env, evaluator));
  return evaluator.finish(evaluator.store(lvalue, value));
}

/** A type name in C syntax ("struct task *", "unsigned char [16]"), resolved against the program's types. */
export function parseTypeName(text: string, env: ExprEnv): Type {
  const evaluator = new Evaluator(env);
  const v = parse(`sizeof(${text})`, env, evaluator);
  if (v.k !== 'sizeofType') throw new Error(`"${text}" is not a type name.`);
  return v.type;
}

/** Names that complete the identifier at the end of `prefix` (sorted, unique). */
export function completions(prefix: string, names: string[]): string[] {
  const word = /[A-Za-z_$][A-Za-z0-9_]*$/.exec(prefix)?.[0] ?? '';
  return [...new Set(names.filter((n) => n.startsWith(word)))].sort();
}

// ELF64 little-endian reader for the debugger and the loader: header, program headers, section headers
// by name (data as views into the file, never copies) and the symbol table (.symtab, else .dynsym).
// Addresses and sizes stay exact unsigned 64-bit bigints (kernel addresses are 0xffffffff8xxxxxxx).
// Malformed files give an Error naming the file and the problem.

export const EM_RISCV = 243;
export const PT_LOAD = 1;
export const SHT_NOBITS = 8;
const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const SHN_XINDEX = 0xffff;
const ELF_HEADER_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

export interface ElfProgramHeader {
  /** PT_* (1 load, 2 dynamic, …). */
  type: number;
  /** PF_* bits (1 execute, 2 write, 4 read). */
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  /** The bytes in the file (filesz of them). */
  data: Uint8Array;
  memsz: bigint;
}

export interface ElfSection {
  index: number;
  name: string;
  /** SHT_* (1 progbits, 2 symtab, 8 nobits, 11 dynsym, …). */
  type: number;
  flags: bigint;
  address: bigint;
  offset: number;
  size: bigint;
  link: number;
  info: number;
  entsize: bigint;
  /** A view of the section's bytes in the file (empty for SHT_NOBITS). */
  data: Uint8Array;
}

export type ElfSymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'other';
export type ElfSymbolBinding = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbolEntry {
  name: string;
  value: bigint;
  size: bigint;
  type: ElfSymbolType;
  binding: ElfSymbolBinding;
  /** st_shndx: 0 undefined, 0xfff1 absolute, 0xfff2 common. */
  sectionIndex: number;
  /** The raw STT_* type (st_info & 0xf). */
  typeCode: number;
}

const SYMBOL_TYPES: readonly ElfSymbolType[] = ['notype', 'object', 'func', 'section', 'file', 'common', 'tls'];
const SYMBOL_BINDINGS: readonly ElfSymbolBinding[] = ['local', 'global', 'weak'];

export interface ElfParseOptions {
  /**
   * Tolerate a broken section header table (none is read) or sections whose data lies outside the
   * file (they read as empty), instead of failing: a loader needs only the program headers.
   */
  lenientSections?: boolean;
}

/** Unwinds a lenient section table read. */
class LenientSkip extends Error {}

const utf8 = new TextDecoder();

/** A zero-terminated string at `offset` in `table` (empty when out of range). */
export function stringAt(table: Uint8Array, offset: number): string {
  if (offset < 0 || offset >= table.length) return '';
  let end = offset;
  let ascii = true;
  while (end < table.length && table[end] !== 0) {
    if (table[end] >= 0x80) ascii = false;
    end++;
  }
  if (ascii && end - offset < 48) {
    let s = '';
    for (let i = offset; i < end; i++) s += String.fromCharCode(table[i]);
    return s;
  }
  return utf8.decode(table.subarray(offset, end));
}

export function isElf(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

export class ElfFile {
  /** ET_* (2 executable, 3 shared object, 1 relocatable). */
  readonly type: number;
  readonly machine: number;
  readonly entry: bigint;
  readonly flags: number;
  readonly programHeaders: ElfProgramHeader[];
  readonly sections: ElfSection[];
  private readonly byName = new Map<string, ElfSection>();
  private symbolCache?: { symbols: ElfSymbolEntry[]; source: 'symtab' | 'dynsym' | 'none' };

  private constructor(readonly data: Uint8Array, readonly what: string, opts: ElfParseOptions) {
    const fail = (msg: string): never => { throw new Error(`${what}: ${msg}`); };
    if (!isElf(data)) fail('not an ELF file (bad magic)');
    if (data.length < ELF_HEADER_SIZE) fail('truncated ELF header');
    if (data[4] !== 2) fail('not a 64-bit ELF (only ELF64 is supported)');
    if (data[5] !== 1) fail('not little-endian');
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.type = dv.getUint16(16, true);
    this.machine = dv.getUint16(18, true);
    this.entry = dv.getBigUint64(24, true);
    this.flags = dv.getUint32(48, true);
    const phoff = dv.getBigUint64(32, true);
    const shoff = dv.getBigUint64(40, true);
    const phentsize = dv.getUint16(54, true);
    const phnum = dv.getUint16(56, true);
    /** A file range as numbers, or undefined when it does not lie inside the file. */
    const range = (off: bigint, len: bigint): number | undefined =>
      off >= 0n && len >= 0n && off + len <= BigInt(data.length) ? Number(off) : undefined;

    this.programHeaders = [];
    if (phnum > 0) {
      const base = range(phoff, BigInt(phnum) * BigInt(phentsize));
      if (phentsize < PHDR_SIZE || base === undefined) fail('program headers lie outside the file');
      for (let i = 0; i < phnum; i++) {
        const p = base! + i * phentsize;
        const offset = dv.getBigUint64(p + 8, true);
        const filesz = dv.getBigUint64(p + 32, true);
        const memsz = dv.getBigUint64(p + 40, true);
        const type = dv.getUint32(p, true);
        const start = range(offset, filesz);
        if (start === undefined) {
          if (type === PT_LOAD && memsz > 0n) fail(`segment ${i}: data lies outside the file`);
          continue;
        }
        this.programHeaders.push({
          type, flags: dv.getUint32(p + 4, true), offset: start,
          vaddr: dv.getBigUint64(p + 16, true), paddr: dv.getBigUint64(p + 24, true),
          data: data.subarray(start, start + Number(filesz)), memsz,
        });
      }
    }

    this.sections = [];
    if (shoff === 0n) return;
    // Lenient: a broken section table (all a loader can do without) leaves the file without sections.
    const sectionFail = (msg: string): never => {
      if (opts.lenientSections) throw new LenientSkip();
      return fail(msg);
    };
    try {
      this.readSections(dv, shoff, range, sectionFail, opts.lenientSections === true);
    } catch (e) {
      if (!(e instanceof LenientSkip)) throw e;
      this.sections.length = 0;
      this.byName.clear();
    }
  }

  private readSections(
    dv: DataView, shoff: bigint, range: (off: bigint, len: bigint) => number | undefined,
    fail: (msg: string) => never, lenient: boolean,
  ): void {
    const data = this.data;
    const shentsize = dv.getUint16(58, true);
    let shnum = dv.getUint16(60, true);
    let shstrndx = dv.getUint16(62, true);
    if (shentsize < SHDR_SIZE) fail(`section header entry size ${shentsize} is too small`);
    const first = range(shoff, BigInt(SHDR_SIZE));
    if (first === undefined) fail('section headers lie outside the file');
    // More than 0xff00 sections: the real count and string table index are in section 0.
    if (shnum === 0) shnum = Number(dv.getBigUint64(first! + 32, true) & 0xffffffn);
    if (shstrndx === SHN_XINDEX) shstrndx = dv.getUint32(first! + 40, true);
    const shBase = range(shoff, BigInt(shnum) * BigInt(shentsize));
    if (shBase === undefined) fail('section headers lie outside the file');
    const raw: Array<Omit<ElfSection, 'name'> & { nameOffset: number }> = [];
    for (let i = 0; i < shnum; i++) {
      const s = shBase! + i * shentsize;
      const type = dv.getUint32(s + 4, true);
      const offset = dv.getBigUint64(s + 24, true);
      const size = dv.getBigUint64(s + 32, true);
      let start = 0;
      let length = 0;
      if (type !== SHT_NOBITS && type !== 0) {
        const r = range(offset, size);
        if (r !== undefined) {
          start = r;
          length = Number(size);
        } else if (!lenient) {
          fail(`section ${i}: data lies outside the file`);
        }
      }
      raw.push({
        index: i, nameOffset: dv.getUint32(s, true), type, flags: dv.getBigUint64(s + 8, true),
        address: dv.getBigUint64(s + 16, true), offset: start, size, link: dv.getUint32(s + 40, true),
        info: dv.getUint32(s + 44, true), entsize: dv.getBigUint64(s + 56, true),
        data: data.subarray(start, start + length),
      });
    }
    const names = shstrndx < raw.length ? raw[shstrndx].data : new Uint8Array(0);
    for (const { nameOffset, ...s } of raw) {
      const section: ElfSection = { ...s, name: stringAt(names, nameOffset) };
      this.sections.push(section);
      if (section.name !== '' && !this.byName.has(section.name)) this.byName.set(section.name, section);
    }
  }

  /** Parses an ELF64 little-endian file. `what` names it in error messages. */
  static parse(data: Uint8Array, what = 'ELF file', opts: ElfParseOptions = {}): ElfFile {
    return new ElfFile(data, what, opts);
  }

  /** The first section with this name. */
  section(name: string): ElfSection | undefined {
    return this.byName.get(name);
  }

  /** PT_LOAD segments with a non-zero memory size. */
  loadSegments(): ElfProgramHeader[] {
    return this.programHeaders.filter((p) => p.type === PT_LOAD && p.memsz > 0n);
  }

  /** Symbols of .symtab, or of .dynsym when there is no .symtab (stripped files); the null symbol left out. */
  get symbols(): ElfSymbolEntry[] {
    return this.symbolTable().symbols;
  }

  /** Which table `symbols` came from. */
  get symbolSource(): 'symtab' | 'dynsym' | 'none' {
    return this.symbolTable().source;
  }

  private symbolTable(): { symbols: ElfSymbolEntry[]; source: 'symtab' | 'dynsym' | 'none' } {
    if (this.symbolCache) return this.symbolCache;
    const table = this.sections.find((s) => s.type === SHT_SYMTAB) ?? this.sections.find((s) => s.type === SHT_DYNSYM);
    const symbols = table ? this.readSymbols(table) : [];
    this.symbolCache = { symbols, source: !table ? 'none' : table.type === SHT_SYMTAB ? 'symtab' : 'dynsym' };
    return this.symbolCache;
  }

  private readSymbols(table: ElfSection): ElfSymbolEntry[] {
    const strings = table.link < this.sections.length ? this.sections[table.link].data : new Uint8Array(0);
    const entsize = table.entsize >= BigInt(SYM_SIZE) && table.entsize < 0x10000n ? Number(table.entsize) : SYM_SIZE;
    const d = table.data;
    const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const symbols: ElfSymbolEntry[] = [];
    for (let o = entsize; o + SYM_SIZE <= d.length; o += entsize) {
      const info = d[o + 4];
      const sectionIndex = dv.getUint16(o + 6, true);
      let name = stringAt(strings, dv.getUint32(o, true));
      // Section symbols are nameless: show their section's name, as readelf does.
      if (name === '' && (info & 0xf) === 3) name = this.sections[sectionIndex]?.name ?? '';
      symbols.push({
        name,
        value: dv.getBigUint64(o + 8, true),
        size: dv.getBigUint64(o + 16, true),
        type: SYMBOL_TYPES[info & 0xf] ?? 'other',
        binding: SYMBOL_BINDINGS[info >> 4] ?? 'other',
        sectionIndex,
        typeCode: info & 0xf,
      });
    }
    return symbols;
  }
}

// ELF64 (RISC-V, little-endian) parsing: PT_LOAD segments, entry point and the symbol table.
// Malformed files give a clear Error; nothing is written anywhere until the whole file checks out.

const EM_RISCV = 243;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;

export interface ElfSegment {
  /** Physical load address (p_paddr), where QEMU loads it too. */
  paddr: number;
  vaddr: number;
  data: Uint8Array;
  /** Total size in memory (≥ data.length; the rest is zero-filled). */
  memsz: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_* type (0 notype, 1 object, 2 func, …). */
  type: number;
}

export interface ElfImage {
  entry: number;
  segments: ElfSegment[];
  symbols: ElfSymbol[];
}

export function isElf(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

/** Parses an ELF64 RISC-V executable. `what` names the file in error messages. */
export function parseElf(data: Uint8Array, what = 'ELF file'): ElfImage {
  const fail = (msg: string): never => { throw new Error(`${what}: ${msg}`); };
  if (!isElf(data)) fail('not an ELF file (bad magic)');
  if (data.length < 64) fail('truncated ELF header');
  if (data[4] !== 2) fail('not a 64-bit ELF (only ELF64 RISC-V is supported)');
  if (data[5] !== 1) fail('not little-endian');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const u64 = (o: number): number => {
    const v = dv.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      // Addresses above 2^53 (e.g. sign-extended kernel VAs) are kept as signed numbers.
      return Number(BigInt.asIntN(64, v));
    }
    return Number(v);
  };
  if (u16(18) !== EM_RISCV) fail(`machine ${u16(18)} is not RISC-V (${EM_RISCV})`);
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);
  const inFile = (off: number, len: number): boolean => off >= 0 && len >= 0 && off + len <= data.length;
  if (phnum > 0 && (phentsize < 56 || !inFile(phoff, phnum * phentsize))) fail('program headers lie outside the file');
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (u32(p) !== PT_LOAD) continue;
    const offset = u64(p + 8);
    const vaddr = u64(p + 16);
    const paddr = u64(p + 24);
    const filesz = u64(p + 32);
    const memsz = u64(p + 40);
    if (memsz === 0) continue;
    if (filesz > memsz) fail(`segment ${i}: file size exceeds memory size`);
    if (!inFile(offset, filesz)) fail(`segment ${i}: data lies outside the file`);
    if (memsz > 4 * 1024 * 1024 * 1024) fail(`segment ${i}: implausible size ${memsz}`);
    segments.push({ paddr, vaddr, data: data.subarray(offset, offset + filesz), memsz });
  }
  if (segments.length === 0) fail('no loadable (PT_LOAD) segments');
  const symbols: ElfSymbol[] = [];
  if (shnum > 0 && shoff > 0 && shentsize >= 64 && inFile(shoff, shnum * shentsize)) {
    for (let i = 0; i < shnum; i++) {
      const s = shoff + i * shentsize;
      if (u32(s + 4) !== SHT_SYMTAB) continue;
      const symOff = u64(s + 24);
      const symSize = u64(s + 32);
      const link = u32(s + 40);
      // sh_entsize below one Elf64_Sym (0, or a value past 2^53 that u64 returns negative) is taken as 24:
      // a negative step would walk the loop below backwards out of the file.
      const entsize = u64(s + 56) >= 24 ? u64(s + 56) : 24;
      if (link >= shnum || !inFile(symOff, symSize)) continue;
      const l = shoff + link * shentsize;
      const strOff = u64(l + 24);
      const strSize = u64(l + 32);
      if (!inFile(strOff, strSize)) continue;
      for (let o = symOff; o + 24 <= symOff + symSize; o += entsize) {
        const nameOff = u32(o);
        if (nameOff === 0 || nameOff >= strSize) continue;
        let end = strOff + nameOff;
        while (end < strOff + strSize && data[end] !== 0) end++;
        const name = new TextDecoder().decode(data.subarray(strOff + nameOff, end));
        symbols.push({ name, value: u64(o + 8), size: u64(o + 16), type: data[o + 4] & 0xf });
      }
    }
  }
  return { entry, segments, symbols };
}

// ELF64 (RISC-V, little-endian) loading: PT_LOAD segments, entry point and the symbol table, as the
// engine wants them (numbers). The parsing is debuginfo/elf.ts's. Malformed files give a clear Error;
// nothing is written anywhere until the whole file checks out. A broken section table or symbol table
// only loses the symbols: loading needs the program headers alone.

import { EM_RISCV, ElfFile, PT_LOAD, isElf } from '../../debuginfo/elf.ts';

export { isElf };

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

/** An address or size as a number: beyond 2^53 (sign-extended kernel VAs) kept as a signed number. */
function toNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number(BigInt.asIntN(64, v)) : Number(v);
}

/** Parses an ELF64 RISC-V executable. `what` names the file in error messages. */
export function parseElf(data: Uint8Array, what = 'ELF file'): ElfImage {
  const fail = (msg: string): never => { throw new Error(`${what}: ${msg}`); };
  if (!isElf(data)) fail('not an ELF file (bad magic)');
  if (data.length >= 64 && data[4] === 2 && data[5] === 1) {
    const machine = data[18] | (data[19] << 8);
    if (machine !== EM_RISCV) fail(`machine ${machine} is not RISC-V (${EM_RISCV})`);
  }
  const elf = ElfFile.parse(data, what, { lenientSections: true });
  const segments: ElfSegment[] = [];
  elf.programHeaders.forEach((p, i) => {
    if (p.type !== PT_LOAD || p.memsz === 0n) return;
    if (BigInt(p.data.length) > p.memsz) fail(`segment ${i}: file size exceeds memory size`);
    if (p.memsz > 4n * 1024n * 1024n * 1024n) fail(`segment ${i}: implausible size ${p.memsz}`);
    segments.push({ paddr: toNumber(p.paddr), vaddr: toNumber(p.vaddr), data: p.data, memsz: Number(p.memsz) });
  });
  if (segments.length === 0) fail('no loadable (PT_LOAD) segments');
  const symbols: ElfSymbol[] = elf.symbolSource !== 'symtab' ? [] : elf.symbols
    .filter((s) => s.name !== '' && s.typeCode !== 3)
    .map((s) => ({ name: s.name, value: toNumber(s.value), size: toNumber(s.size), type: s.typeCode }));
  return { entry: toNumber(elf.entry), segments, symbols };
}

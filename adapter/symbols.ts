// The debuggee's symbol files (firmware, kernel, user programs) as one lookup: which file covers an
// address, its line, function and symbol; where a source line or a function is. A kernel linked high
// but entered at its physical address (Linux before the MMU is on) is covered in both spaces: each
// of its addresses has a physical alias, and breakpoints bind to both.

import { DebugInfo } from '../debuginfo/debuginfo.ts';
import { parseCfi, type CfiTable } from '../debuginfo/cfi.ts';

/** One `symbols` entry of launch.json. */
export interface SymbolFileSpec {
  path: string;
  /** Load bias added to every address of the file (relocated code: U-Boot after relocation, modules). */
  offset?: bigint;
  /** Physical address where the file's first loadable segment lies, for code that runs before the MMU is on. */
  physicalBase?: bigint;
}

export interface SymbolFile {
  path: string;
  info: DebugInfo;
  /** CFI tables (.debug_frame, .eh_frame), for unwinding. */
  cfi: CfiTable[];
  /** Virtual ranges the file's loadable segments cover (bias included). */
  ranges: Array<[bigint, bigint]>;
  /** physical = virtual - aliasDelta for the physical alias (0n: none). */
  aliasDelta: bigint;
}

export interface Location {
  file: SymbolFile;
  /** The address as the file knows it (a physical alias mapped back to its virtual address). */
  address: bigint;
}

const MASK64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => v & MASK64;

export class Symbols {
  readonly files: SymbolFile[] = [];

  /** Loads symbol files; a file that cannot be read or parsed is an Error naming it. */
  add(spec: SymbolFileSpec): SymbolFile {
    const info = DebugInfo.load(spec.path, { offset: spec.offset ?? 0n });
    const ranges: Array<[bigint, bigint]> = [];
    let firstVaddr: bigint | undefined;
    for (const seg of info.elf.loadSegments()) {
      if (seg.memsz === 0n) continue;
      const start = u64(seg.vaddr + (spec.offset ?? 0n));
      if (firstVaddr === undefined || start < firstVaddr) firstVaddr = start;
      ranges.push([start, u64(start + seg.memsz)]);
    }
    const cfi: CfiTable[] = [];
    for (const [name, kind] of [['.debug_frame', 'debug_frame'], ['.eh_frame', 'eh_frame']] as const) {
      const sec = info.section(name);
      if (!sec) continue;
      try {
        cfi.push(parseCfi(sec.data, u64(sec.address + (spec.offset ?? 0n)), kind, spec.offset ?? 0n));
      } catch {
        // A broken CFI section: unwinding falls back to frame pointers.
      }
    }
    let aliasDelta = 0n;
    if (spec.physicalBase !== undefined && firstVaddr !== undefined) aliasDelta = u64(firstVaddr - spec.physicalBase);
    const file: SymbolFile = { path: spec.path, info, cfi, ranges, aliasDelta };
    this.files.push(file);
    return file;
  }

  /** The file whose segments cover `addr` (directly or through its physical alias). */
  locate(addr: bigint): Location | undefined {
    addr = u64(addr);
    for (const file of this.files) {
      for (const [s, e] of file.ranges) if (addr >= s && addr < e) return { file, address: addr };
    }
    for (const file of this.files) {
      if (file.aliasDelta === 0n) continue;
      const va = u64(addr + file.aliasDelta);
      for (const [s, e] of file.ranges) if (va >= s && va < e) return { file, address: va };
    }
    return undefined;
  }

  /** Every address an execution of virtual address `va` of `file` may be seen at (itself and its physical alias). */
  aliases(file: SymbolFile, va: bigint): bigint[] {
    return file.aliasDelta === 0n ? [u64(va)] : [u64(va), u64(va - file.aliasDelta)];
  }

  lineAt(addr: bigint): { file: SymbolFile; path: string; line: number; column: number } | undefined {
    const loc = this.locate(addr);
    if (!loc) return undefined;
    const row = loc.file.info.lineAt(loc.address);
    return row ? { file: loc.file, path: row.file, line: row.line, column: row.column } : undefined;
  }

  /**
   * "name+0x12" for an address inside a known symbol (any file). `strict`: only a symbol whose size
   * covers the address (what a pointer's value is shown with), not the nearest one before it.
   */
  symbolize(addr: bigint, strict = false): string | undefined {
    const loc = this.locate(addr);
    if (!loc) return undefined;
    const s = loc.file.info.symbolAt(loc.address);
    if (!s || (strict && s.offset !== 0n && s.offset >= s.size)) return undefined;
    return s.offset === 0n ? s.name : `${s.name}+0x${s.offset.toString(16)}`;
  }

  /** Addresses (with aliases) where a function breakpoint binds: after the prologue of each instance. */
  functionAddresses(name: string): Array<{ file: SymbolFile; address: bigint; aliases: bigint[]; line?: number; path?: string }> {
    const out: Array<{ file: SymbolFile; address: bigint; aliases: bigint[]; line?: number; path?: string }> = [];
    for (const file of this.files) {
      for (const f of file.info.functionsNamed(name)) {
        const row = file.info.lineAt(f.breakAddress);
        out.push({ file, address: f.breakAddress, aliases: this.aliases(file, f.breakAddress), line: row?.line, path: row?.file });
      }
    }
    return out;
  }

  /** Addresses for a source line in any file (the first line at or after `line` that has code). */
  lineAddresses(path: string, line: number): { line: number; addresses: bigint[]; file?: SymbolFile } | undefined {
    let best: { line: number; addresses: bigint[]; file?: SymbolFile } | undefined;
    for (const file of this.files) {
      const r = file.info.addressesForLine(path, line);
      if (!r || r.addresses.length === 0) continue;
      const addresses = r.addresses.flatMap((a) => this.aliases(file, a));
      if (!best || r.line < best.line) best = { line: r.line, addresses, file };
    }
    return best;
  }

  /** Every source file the symbol files know (for the client's loaded sources). */
  sourceFiles(): string[] {
    return [...new Set(this.files.flatMap((f) => f.info.sourceFiles()))];
  }
}

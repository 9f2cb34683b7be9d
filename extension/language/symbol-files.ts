// The guest's symbol files for the language server: ELF files loaded once per path and modification
// time (the adapter's Symbols and our DWARF reader do the work), and addresses resolved to source lines —
// the innermost line first, then the call sites of the inlined functions around it, outwards (as
// `addr2line -i` lists them).

import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Symbols, type SymbolFile, type SymbolFileSpec } from '../../adapter/symbols.ts';

const MASK64 = (1n << 64n) - 1n;

interface Entry {
  mtimeMs: number;
  size: number;
  file?: SymbolFile;
  error?: string;
}

export class SymbolFileCache {
  private readonly entries = new Map<string, Entry>();
  /** How many times a file was parsed (tests check the cache). */
  loads = 0;

  /** The file of `spec`, loaded again only when it changed on disk. */
  get(spec: SymbolFileSpec): { file?: SymbolFile; error?: string } {
    const key = `${spec.path}\0${spec.offset ?? ''}\0${spec.physicalBase ?? ''}`;
    let stat;
    try {
      stat = statSync(spec.path);
    } catch (e) {
      this.entries.delete(key);
      return { error: `${spec.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
    const cached = this.entries.get(key);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    const entry: Entry = { mtimeMs: stat.mtimeMs, size: stat.size };
    this.loads++;
    try {
      entry.file = new Symbols().add(spec);
      if (spec.physicalBase === undefined) entry.file.aliasDelta = physicalAlias(entry.file, spec.offset ?? 0n);
    } catch (e) {
      entry.error = (e as Error).message;
    }
    this.entries.set(key, entry);
    return entry;
  }

  /** One lookup over several files; `problems` names those that could not be loaded. */
  symbols(specs: readonly SymbolFileSpec[]): { symbols: Symbols; problems: string[] } {
    const symbols = new Symbols();
    const problems: string[] = [];
    for (const spec of specs) {
      const { file, error } = this.get(spec);
      if (file) symbols.files.push(file);
      else problems.push(error ?? spec.path);
    }
    return { symbols, problems };
  }
}

/**
 * A file linked at virtual addresses but loaded at other physical ones (a kernel linked in the upper
 * half: rvisor loads an ELF at its segments' physical addresses) runs at the physical ones until paging
 * is on: virtual − physical of its first segment, or 0 when they agree.
 */
function physicalAlias(file: SymbolFile, offset: bigint): bigint {
  const segments = file.info.elf.loadSegments();
  if (segments.length === 0) return 0n;
  const first = segments.reduce((a, s) => (s.vaddr < a.vaddr ? s : a));
  return first.paddr === first.vaddr ? 0n : (first.vaddr + offset - first.paddr) & MASK64;
}

export interface SourceLocation {
  /** The path as DWARF has it (maybe relative to the compilation directory). */
  dwarfPath: string;
  /** An existing file the path names (tried against the roots), if any. */
  path?: string;
  line: number;
  column: number;
  /** The function this line is in (for call sites: the caller). */
  function?: string;
}

export interface AddressInfo {
  /** "func+0x12". */
  symbol?: string;
  /** The symbol file that covers the address. */
  file?: string;
  /** The innermost source line first, then the call sites of the inlined functions around it. */
  locations: SourceLocation[];
}

/** Directories a relative DWARF path may be relative to: the given roots, then each ELF's directory and its parents. */
export function sourceRoots(roots: readonly string[], symbols: Symbols): string[] {
  const out = [...roots];
  for (const f of symbols.files) {
    for (let d = dirname(resolve(f.path)), i = 0; i < 8; i++) {
      out.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return [...new Set(out)];
}

function existing(path: string, roots: readonly string[]): string | undefined {
  if (isAbsolute(path)) return existsSync(path) ? path : undefined;
  for (const r of roots) {
    const p = join(r, path);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Where `addr` is in the sources of the symbol files. */
export function resolveAddress(symbols: Symbols, addr: bigint, roots: readonly string[]): AddressInfo {
  const loc = symbols.locate(addr);
  if (!loc) return { locations: [] };
  const info = loc.file.info;
  const all = sourceRoots(roots, symbols);
  const out: AddressInfo = { symbol: symbols.symbolize(addr), file: loc.file.path, locations: [] };
  const row = info.lineAt(loc.address);
  const fn = info.functionAt(loc.address);
  const chain = fn?.inlinedChain ?? [];
  if (row) {
    out.locations.push({ dwarfPath: row.file, path: existing(row.file, all), line: row.line, column: row.column, function: chain[0]?.name ?? fn?.name });
  }
  chain.forEach((frame, i) => {
    if (!frame.callFile || !frame.callLine) return;
    out.locations.push({ dwarfPath: frame.callFile, path: existing(frame.callFile, all), line: frame.callLine, column: 0, function: chain[i + 1]?.name ?? fn?.name });
  });
  return out;
}

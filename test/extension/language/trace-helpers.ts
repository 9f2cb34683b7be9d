// Shared by the language tests: the demo guest's trace, written by the CLI (so the header names its ELF),
// and binutils' addr2line (test/helpers/addr2line.ts) bound to the repository.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../../helpers/cli.ts';
import { addr2line as addr2lineIn } from '../../helpers/addr2line.ts';

export { hasAddr2line } from '../../helpers/addr2line.ts';

export const DEMO = resolve(ROOT, 'guests/demo/demo.elf');

/** A diagnostic's message as text (LSP 3.18 allows markup there; our server sends strings). */
export const message = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);

/** Runs `rvisor run -kernel demo.elf --trace F` (the CLI from source) and returns the trace's text. */
export function demoTraceFromCli(extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-lang-'));
  try {
    const file = join(dir, 'demo.rvtrace');
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(ROOT, 'cli/rvisor.ts'), 'run', '-kernel', DEMO, '-nographic', '--trace', file, ...extra],
      { cwd: ROOT, input: '', encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`rvisor run failed (${r.status}): ${r.stderr}`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** addr2line -i for the repository's guests (their DWARF paths are relative to its root). */
export const addr2line = (elf: string, addr: bigint): Array<{ path: string; line: number }> | undefined => addr2lineIn(elf, addr, ROOT);

// Shared by the language tests: the demo guest's trace, written by the CLI (so the header names its ELF),
// and where addr2line puts an address.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../../helpers/cli.ts';

export const DEMO = resolve(ROOT, 'guests/demo/demo.elf');
export const ADDR2LINE = 'riscv64-unknown-elf-addr2line';

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

/** addr2line -i: the innermost source line first, then the call sites (paths absolute), or undefined without the tool. */
export function addr2line(elf: string, addr: bigint): Array<{ path: string; line: number }> | undefined {
  const r = spawnSync(ADDR2LINE, ['-i', '-e', elf, `0x${addr.toString(16)}`], { cwd: ROOT, encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim().split('\n').map((l) => {
    const m = /^(.*):(\d+)/.exec(l)!;
    return { path: resolve(ROOT, m[1]), line: Number(m[2]) };
  });
}

export function hasAddr2line(): boolean {
  return !spawnSync(ADDR2LINE, ['--version']).error;
}

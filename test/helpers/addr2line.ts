// binutils' addr2line on a RISC-V ELF: the reference the tests hold our DWARF reading against.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const ADDR2LINE = 'riscv64-unknown-elf-addr2line';

/**
 * `addr2line -i` for `addr`: the innermost source line first, then each call site that inlined it, the
 * last in the concrete function. Paths as DWARF gives them, resolved against `root` (comp_dir is "."
 * for our guests). Undefined where the tool is not installed.
 */
export function addr2line(elf: string, addr: bigint | string, root: string): Array<{ path: string; line: number }> | undefined {
  const at = typeof addr === 'bigint' ? `0x${addr.toString(16)}` : addr;
  const r = spawnSync(ADDR2LINE, ['-i', '-e', elf, at], { cwd: root, encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim().split('\n').map((l) => {
    const m = /^(.*):(\d+)(?: \(discriminator \d+\))?$/.exec(l.trim());
    if (!m) throw new Error(`addr2line printed ${JSON.stringify(l)} for ${at}`);
    return { path: resolve(root, m[1]), line: Number(m[2]) };
  });
}

export function hasAddr2line(): boolean {
  return !spawnSync(ADDR2LINE, ['--version']).error;
}

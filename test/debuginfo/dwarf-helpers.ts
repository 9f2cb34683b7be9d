// Test helpers for the ELF/DWARF reader: binutils' answers parsed from their text output (the reference
// the reader is checked against), and C fixtures compiled at test time.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const DEMO = join(ROOT, 'guests', 'demo', 'demo.elf');
export const FW_JUMP = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
export const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf';
export const CC = 'riscv64-unknown-elf-gcc';

export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

export interface RefRow {
  /** Full path from the nearest preceding "CU: path:" / "path:" header when its basename matches, else the row's name. */
  file: string;
  base: string;
  line: number;
  address: bigint;
  stmt: boolean;
}

export interface RefSequence {
  rows: RefRow[];
  end: bigint;
}

/** The decoded line tables, as `readelf -wL -W` prints them, split into sequences. */
export function readelfLines(path: string): RefSequence[] {
  const out: RefSequence[] = [];
  let header = '';
  let rows: RefRow[] = [];
  for (const text of run('riscv64-unknown-elf-readelf', ['-wL', '-W', path]).split('\n')) {
    const h = /^(?:CU: )?(\S.*):$/.exec(text);
    if (h && !text.startsWith('Contents of')) { header = h[1]; continue; }
    const m = /^(\S+)\s+(\d+|-)\s+0x([0-9a-f]+)(?:\s+\d+)?\s*(x?)\s*$/.exec(text);
    if (!m) continue;
    const address = BigInt(`0x${m[3]}`);
    if (m[2] === '-') {
      out.push({ rows, end: address });
      rows = [];
      continue;
    }
    const base = m[1];
    const file = header.endsWith(`/${base}`) || header === base ? header : base;
    rows.push({ file, base, line: Number(m[2]), address, stmt: m[4] === 'x' });
  }
  return out;
}

/** The row covering `address`: the last row at or before it in the sequence containing it. */
export function expectedRow(seqs: RefSequence[], address: bigint): RefRow | undefined {
  for (const s of seqs) {
    if (s.rows.length === 0 || address < s.rows[0].address || address >= s.end || s.rows[0].address === 0n) continue;
    let found: RefRow | undefined;
    for (const r of s.rows) if (r.address <= address) found = r;
    return found;
  }
  return undefined;
}

/** A temp dir with `files` written and compiled into `out` with `flags` (bare-metal RV64, linked at 0x80000000). */
export function compile(files: Record<string, string>, flags: string[], out = 'fixture.elf'): string {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-dwarf-'));
  const sources: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    if (name.endsWith('.c') || name.endsWith('.S')) sources.push(name);
  }
  const r = spawnSync(CC, [
    '-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany', '-nostdlib', '-ffreestanding', '-static',
    '-Wl,-Ttext=0x80000000', '-Wl,-e,main', ...flags, ...sources, '-o', out,
  ], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${CC} failed: ${r.stderr}`);
  return join(dir, out);
}

/** 1-based line of the first source line containing `marker`. */
export function lineOf(source: string, marker: string): number {
  const i = source.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not in source`);
  return i + 1;
}

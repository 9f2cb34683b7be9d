// Runs the bundled CLI (dist/rvisor.js, built by `npm test` first) as a child process and talks to its serial port.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = resolve(ROOT, 'dist', 'rvisor.js');

export const OPENSBI_FW_JUMP = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
export const UBOOT_SMODE = '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';

export function missing(...paths: string[]): string | undefined {
  const m = paths.filter((p) => !existsSync(p));
  return m.length ? `not installed: ${m.join(', ')}` : undefined;
}

export interface CliRun {
  proc: ChildProcessWithoutNullStreams;
  /** Everything the guest printed so far. */
  output(): string;
  /** Everything rvisor wrote to stderr so far. */
  errors(): string;
  /** Resolves when `pattern` appears in the output after `from` (default: anywhere); rejects on timeout or exit. */
  waitFor(pattern: string | RegExp, timeoutMs: number, from?: number): Promise<number>;
  send(text: string): void;
  exit: Promise<{ code: number | null; stderr: string }>;
}

export function runCli(args: string[]): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const proc = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  proc.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); waiters.forEach((w) => w()); });
  proc.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  let exited = false;
  const exit = new Promise<{ code: number | null; stderr: string }>((res) => {
    proc.on('close', (code) => { exited = true; waiters.forEach((w) => w()); res({ code, stderr: err }); });
  });
  return {
    proc,
    output: () => out,
    errors: () => err,
    send: (t) => proc.stdin.write(t),
    exit,
    waitFor(pattern, timeoutMs, from = 0) {
      return new Promise((res, rej) => {
        const check = (): boolean => {
          const hay = out.slice(from);
          const idx = typeof pattern === 'string' ? hay.indexOf(pattern) : hay.search(pattern);
          if (idx >= 0) { res(from + idx); return true; }
          if (exited) { rej(new Error(`exited before ${pattern}; output tail:\n${out.slice(-800)}\nstderr: ${err}`)); return true; }
          return false;
        };
        if (check()) return;
        const timer = setTimeout(() => rej(new Error(`timed out waiting for ${pattern}; output tail:\n${out.slice(-800)}`)), timeoutMs);
        const w = (): void => { if (check()) { clearTimeout(timer); waiters.splice(waiters.indexOf(w), 1); } };
        waiters.push(w);
      });
    },
  };
}

/** A TCP port on loopback that is free now. */
export function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

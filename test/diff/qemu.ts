// Starts qemu-system-riscv64 (virt) halted with its gdb stub on a free local TCP port, connects
// a GdbClient to it, and makes sure the process goes away (kill on close, on exit, on signals,
// and a hard `timeout` wrapper in case this process itself dies without cleaning up).
//
// Time: `-icount shift=2,align=off,sleep=off` makes QEMU's virtual clock advance exactly 4 ns per
// executed instruction (and jump straight to the next timer deadline when every hart idles in WFI),
// so the CLINT's 10 MHz mtime advances by 1 every 25 instructions and mcycle/minstret are the
// instruction count. The engine implements the same rate so that time reads can match.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { GdbClient } from './gdb-rsp.ts';

export const QEMU_BIN = process.env.RVISOR_QEMU ?? 'qemu-system-riscv64';
/** The CPU model every diff run uses (the engine implements RV64GC + Zba/Zbb/Zbs, no H, no Zbc). */
export const QEMU_CPU = 'rv64,h=false,zbc=false';

let availability: string | null | undefined;

/** null when QEMU is usable, else the reason it is not (for t.skip). */
export function qemuUnavailableReason(): string | null {
  if (availability !== undefined) return availability;
  const r = spawnSync(QEMU_BIN, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) availability = `${QEMU_BIN} is not installed`;
  else if (!/version [7-9]\.|version 1\d\./.test(r.stdout)) availability = `${QEMU_BIN}: unexpected version ${r.stdout.split('\n')[0]}`;
  else availability = null;
  return availability;
}

export interface QemuOptions {
  /** -bios: 'none' (default) or a firmware path. */
  bios?: string;
  /** -kernel path. */
  kernel?: string;
  /** -dtb path (optional). */
  dtb?: string;
  /** -append. */
  append?: string;
  /** RAM in MiB (default 128). */
  memoryMiB?: number;
  smp?: number;
  cpu?: string;
  /** icount shift (default 2); null disables icount. */
  icountShift?: number | null;
  /** Extra arguments appended as-is. */
  extraArgs?: string[];
  /** Hard wall-clock limit for the QEMU process, seconds (default 3600). */
  maxSeconds?: number;
}

/** A free TCP port on 127.0.0.1 (there is a small race until QEMU binds it; start() retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * sh -c script: $1 = our pid, $2 = max seconds, then the QEMU command line. Exits with QEMU's
 * status. Everything stays in the shell's process group (timeout --foreground), which the
 * watcher kills when our process is gone.
 */
const WATCHDOG = `
parent=$1; limit=$2; shift 2
timeout --foreground -s KILL "$limit" "$@" </dev/null &
q=$!
( while kill -0 "$parent" 2>/dev/null && kill -0 "$q" 2>/dev/null; do sleep 1; done
  kill -0 "$parent" 2>/dev/null || kill -9 -$$ ) &
w=$!
wait "$q"; s=$?
kill "$w" 2>/dev/null
exit $s
`;

const live = new Set<QemuInstance>();
let hooksInstalled = false;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const q of live) q.killNow();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const q of live) q.killNow();
      process.kill(process.pid, sig);
    });
  }
}

export class QemuInstance {
  readonly proc: ChildProcess;
  readonly port: number;
  readonly args: string[];
  gdb!: GdbClient;
  /** Everything QEMU wrote to stdout (the guest's serial console with -nographic). */
  stdout = '';
  stderr = '';
  exited = false;
  exitCode: number | null = null;

  private constructor(proc: ChildProcess, port: number, args: string[]) {
    this.proc = proc;
    this.port = port;
    this.args = args;
    proc.stdout?.setEncoding('latin1');
    proc.stderr?.setEncoding('utf8');
    proc.stdout?.on('data', (d: string) => (this.stdout += d));
    proc.stderr?.on('data', (d: string) => (this.stderr += d));
    proc.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      live.delete(this);
    });
  }

  static buildArgs(o: QemuOptions, port: number): string[] {
    const args = ['-machine', 'virt', '-nographic', '-m', `${o.memoryMiB ?? 128}M`, '-smp', String(o.smp ?? 1)];
    args.push('-cpu', o.cpu ?? QEMU_CPU);
    args.push('-bios', o.bios ?? 'none');
    if (o.kernel) args.push('-kernel', o.kernel);
    if (o.dtb) args.push('-dtb', o.dtb);
    if (o.append) args.push('-append', o.append);
    if (o.icountShift !== null) args.push('-icount', `shift=${o.icountShift ?? 2},align=off,sleep=off`);
    args.push('-S', '-gdb', `tcp:127.0.0.1:${port}`);
    if (o.extraArgs) args.push(...o.extraArgs);
    return args;
  }

  /** Start QEMU halted (-S) and connect to its gdb stub. */
  static async start(o: QemuOptions = {}): Promise<QemuInstance> {
    installExitHooks();
    let lastErr = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      const args = QemuInstance.buildArgs(o, port);
      // A small shell keeps watch: QEMU is killed as soon as this process is gone (even if it
      // dies by SIGKILL and cannot clean up), and `timeout -s KILL` bounds its life anyway.
      // detached: the group (shell, watcher, QEMU) is signalled as a whole by killNow().
      const proc = spawn('sh', ['-c', WATCHDOG, 'rvisor-qemu', String(process.pid), String(o.maxSeconds ?? 3600), QEMU_BIN, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const q = new QemuInstance(proc, port, args);
      live.add(q);
      try {
        q.gdb = await Promise.race([
          GdbClient.connect('127.0.0.1', port, 15000),
          new Promise<never>((_, reject) => proc.once('exit', () => reject(new Error(`qemu exited: ${q.stderr.trim()}`)))),
        ]);
        return q;
      } catch (e) {
        lastErr = String(e);
        q.killNow();
        if (!/Address already in use|could not connect|Failed to bind/i.test(q.stderr + lastErr)) break;
      }
    }
    throw new Error(`could not start QEMU: ${lastErr}`);
  }

  /** Kill the process group now (SIGKILL). */
  killNow(): void {
    if (this.exited) return;
    try {
      this.gdb?.close();
    } catch {
      /* ignore */
    }
    try {
      if (this.proc.pid) process.kill(-this.proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    live.delete(this);
  }

  /** Ask QEMU to quit through gdb (`k`), then make sure it is gone. */
  async close(): Promise<void> {
    if (this.exited) return;
    try {
      this.gdb.kill();
    } catch {
      /* ignore */
    }
    await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 500))]);
    this.killNow();
  }
}

// The Linux guest (guests/linux/build.sh) for tests: where it is built, and a shell driver over the CLI.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, runCli, type CliRun } from './cli.ts';

export interface LinuxGuest { image: string; initrd: string; disk: string; /** the same kernel as an ELF with DWARF */ vmlinux: string }

/** The built guest, or why it is not there (CI builds it in .ci/run before the tests). */
export function linuxGuest(): LinuxGuest | string {
  const r = spawnSync(join(ROOT, 'guests/linux/build.sh'), ['--print-dir'], { encoding: 'utf8' });
  if (r.status !== 0) return `the Linux guest is not built (guests/linux/build.sh): ${r.stdout.trim() || r.stderr.trim()}`;
  const dir = r.stdout.trim().split('\n').pop()!;
  return { image: join(dir, 'Image'), initrd: join(dir, 'initramfs.cpio.gz'), disk: join(dir, 'disk.ext2'), vmlinux: join(dir, 'vmlinux') };
}

export const SHELL_READY = 'rvisor-linux: shell ready';
/** A fixed RTC: runs print the same dates, so outputs can be compared byte for byte. */
export const FIXED_RTC = ['-rtc', 'base=2026-01-01T00:00:00'];

/** Kernel, initramfs and the usual console for `g`, plus `extra` QEMU flags. */
export function linuxArgs(g: LinuxGuest, extra: string[] = [], append = 'console=ttyS0'): string[] {
  return ['-m', '256M', '-kernel', g.image, '-initrd', g.initrd, '-append', append, ...extra];
}

/** A booted guest's shell: run(cmd) sends a command line and resolves with its output. */
export class Shell {
  private n = 0;
  constructor(readonly cli: CliRun) {}

  /** Boots; the rvisor process is killed when the test ends, whatever happened. */
  static async boot(t: { after(fn: () => void): void }, args: string[], timeoutMs = 60_000): Promise<Shell> {
    const cli = runCli(args);
    t.after(() => { if (cli.proc.exitCode === null) cli.proc.kill('SIGKILL'); });
    await cli.waitFor(SHELL_READY, timeoutMs);
    return new Shell(cli);
  }

  /**
   * Runs one shell command line and returns what it printed. The end marker is computed by the
   * shell ($((…))), so the echo of the typed line never matches it.
   */
  async run(cmd: string, timeoutMs = 60_000): Promise<string> {
    const k = ++this.n;
    const from = this.cli.output().length;
    this.cli.send(`${cmd}; echo "@@end"$((${k}*1000+7))"@@"\n`);
    const at = await this.cli.waitFor(`@@end${k * 1000 + 7}@@`, timeoutMs, from);
    const text = this.cli.output().slice(from, at);
    // Drop everything up to the end of the echoed command line (a prompt may come before it).
    const echo = text.indexOf(`$((${k}*1000+7))`);
    const nl = text.indexOf('\n', echo);
    return echo >= 0 && nl >= 0 ? text.slice(nl + 1) : text;
  }

  /** Sends a line without waiting for it to finish (poweroff, reboot). */
  send(line: string): void {
    this.cli.send(line + '\n');
  }
}

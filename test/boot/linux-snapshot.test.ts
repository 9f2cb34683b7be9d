// A snapshot of Linux taken mid-boot (2 harts, a disk, a seeded entropy device), restored in a new
// rvisor process, produces byte-identical serial output to an uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { FIXED_RTC, SHELL_READY, linuxArgs, linuxGuest, type LinuxGuest } from '../helpers/linux.ts';

const guest = linuxGuest();
const skip = typeof guest === 'string' ? guest : false;
const g = guest as LinuxGuest;
/** Mid-boot: the kernel has printed its log, init has not started yet (measured: the console comes up between 40M and 50M steps). */
const AT = 50_000_000;

/** Output once the shell prompt is there and nothing more comes for a while; the process is then killed. */
async function untilQuiet(run: CliRun): Promise<string> {
  await run.waitFor(SHELL_READY, 60_000);
  await run.waitFor('rvisor:~# ', 10_000);
  let len = -1;
  while (run.output().length !== len) {
    len = run.output().length;
    await new Promise((r) => setTimeout(r, 700));
  }
  run.proc.kill('SIGKILL');
  await run.exit;
  return run.output();
}

test('a Linux snapshot taken mid-boot and restored in a new process gives byte-identical output', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-lsnap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const args = linuxArgs(g, ['-smp', '2', ...FIXED_RTC, '-drive', `file=${g.disk},if=virtio`, '-device', 'virtio-rng-device,seed=5']);
  const whole = await untilQuiet(runCli(args));

  const file = join(dir, 'linux.snap');
  const first = runCli(['snapshot', '--at', String(AT), '-o', file, ...args]);
  assert.equal((await first.exit).code, 0);
  const rest = await untilQuiet(runCli(['restore', file]));
  assert.ok(first.output().length > 1000, 'the kernel had printed its log before the snapshot');
  assert.ok(rest.includes(SHELL_READY), 'init and the shell came after it');
  assert.equal(first.output() + rest, whole);
});

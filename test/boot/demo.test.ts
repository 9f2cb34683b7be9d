// The demo guest (guests/demo) boots on the engine's own SBI, runs its U-mode tasks and powers off;
// with `shell` on its command line it then runs a console shell on the UART.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Machine } from '../../engine/machine.ts';
import { CLI, missing, ROOT, runCli } from '../helpers/cli.ts';

const DEMO = resolve(ROOT, 'guests/demo/demo.elf');

test('demo guest runs its tasks with paging and timer preemption, then powers off through SRST', () => {
  const m = Machine.create({ kernel: DEMO });
  const calls = new Map<number, number>();
  m.events.on((e) => {
    if (e.kind === 'hypercall') calls.set(e.record.eid, (calls.get(e.record.eid) ?? 0) + 1);
  });
  const r = m.runToEnd(100_000_000);
  const out = m.takeOutput();
  assert.deepEqual(r, { reason: 'poweroff', exitCode: 0 }, out.slice(-1000));
  assert.match(out, /specification v2\.0/);
  assert.match(out, /DBCN yes/);
  assert.match(out, /vm: Sv39 paging on/);
  assert.match(out, /primes\[2\]: 2262 primes below 20000/);
  assert.match(out, /pi\[3\]: error 0\.00000500 \(ok\)/);
  assert.match(out, /all tasks succeeded; powering off through SBI SRST/);
  // Preemption happened: the timer interrupted the compute tasks.
  const pre = /2 primes\s+exit 0,\s+\d+ syscalls,\s+(\d+) preemptions/.exec(out);
  assert.ok(pre && Number(pre[1]) > 0, 'primes was preempted');
  // Hypercalls went through the engine's SBI: DBCN for output, TIME for timers, SRST to finish.
  assert.ok((calls.get(0x4442434e) ?? 0) > 10);
  assert.ok((calls.get(0x54494d45) ?? 0) > 5);
  assert.equal(calls.get(0x53525354), 1);
});

test('demo guest is deterministic: the same instruction count and output on every run', () => {
  const a = Machine.create({ kernel: DEMO, rtcEpochNs: 0n });
  const b = Machine.create({ kernel: DEMO, rtcEpochNs: 0n });
  a.runToEnd(100_000_000);
  b.runToEnd(100_000_000);
  assert.equal(a.harts[0].instret, b.harts[0].instret);
  assert.equal(a.takeOutput(), b.takeOutput());
});

/** Boots the demo with `append` as its command line up to the point where it waits for input. */
function bootShell(append: string): { m: Machine; out: string } {
  const m = Machine.create({ kernel: DEMO, append });
  const r = m.runToEnd(100_000_000);
  const out = m.takeOutput();
  assert.deepEqual(r, { reason: 'idle' }, out.slice(-1000));
  return { m, out };
}

test('demo guest with "shell" on its command line: a console shell after the tasks, sleeping while it waits', () => {
  const { m, out } = bootShell('console=ttyS0 shell');
  assert.match(out, /shell: command line "console=ttyS0 shell": a console shell follows the tasks\n/);
  assert.match(out, /summary: all tasks succeeded; starting the console shell\n/);
  assert.match(out, /shell: input from the UART at 0x10000000 \(PLIC 0xc000000 source 10, context 1\); type help\n/);
  assert.ok(out.endsWith('\ndemo> '), out.slice(-200));

  // Waiting for input, the hart sleeps in wfi with no timer armed: run returns 'idle' at once.
  const asleep = m.totalSteps();
  assert.deepEqual(m.run(1_000_000), { reason: 'idle' });
  assert.equal(m.totalSteps(), asleep);

  /** Types `text`; the guest handles it in a bounded number of steps and is idle again. */
  const type = (text: string): string => {
    m.input(text);
    const before = m.totalSteps();
    const r = m.run(10_000_000);
    const o = m.takeOutput();
    assert.deepEqual(r, { reason: 'idle' }, o);
    assert.ok(m.totalSteps() - before < 200_000, `${m.totalSteps() - before} steps for ${JSON.stringify(text)}`);
    return o;
  };
  assert.equal(type('echo hello rvisor\r'), 'echo hello rvisor\nhello rvisor\ndemo> ');
  const help = type('help\n');
  for (const cmd of ['help', 'echo TEXT', 'uptime', 'tasks', 'sbi', 'poweroff']) {
    assert.match(help, new RegExp(`^  ${cmd} +\\S`, 'm'), help);
  }
  assert.equal(type('frobnicate now\n'), 'frobnicate now\nunknown command: frobnicate (try help)\ndemo> ');
  assert.match(type('uptime\n'), /^uptime\nup \d+ ms\ndemo> $/);
  assert.match(type('tasks\n'), /^ +1 +counter +exited +0 .*\n +2 +primes +exited +0 .*\n +3 +pi +exited +0 /m);
  assert.match(type('sbi\n'), /sbi: specification v2\.0, implementation .*\nsbi: extensions: TIME yes, SRST yes, DBCN yes/);
  // Line editing: DEL and Backspace erase, an arrow key's escape sequence is ignored, CR LF is one line end.
  assert.equal(type('echo hellp\x7fo wor\x1b[Ald\x08d\r\n'), 'echo hellp\b \bo world\b \bd\nhello world\ndemo> ');
  assert.equal(type('   \n'), '   \ndemo> ');

  m.input('poweroff\n');
  const r = m.runToEnd(10_000_000);
  assert.deepEqual(r, { reason: 'poweroff', exitCode: 0 });
  assert.equal(m.takeOutput(), 'poweroff\nshell: powering off through SBI SRST\n');
});

test('demo shell: keys typed before the shell starts wait in the UART', () => {
  const m = Machine.create({ kernel: DEMO, append: 'shell' });
  m.input('echo typed ahead\npoweroff\n');
  const r = m.runToEnd(100_000_000);
  const out = m.takeOutput();
  assert.deepEqual(r, { reason: 'poweroff', exitCode: 0 }, out.slice(-1000));
  assert.match(out, /all tasks succeeded; starting the console shell\n/);
  assert.match(out, /demo> echo typed ahead\ntyped ahead\ndemo> poweroff\nshell: powering off through SBI SRST\n$/);
});

test('demo guest without the word "shell" on its command line behaves as without a command line', () => {
  const plain = Machine.create({ kernel: DEMO, rtcEpochNs: 0n });
  const other = Machine.create({ kernel: DEMO, rtcEpochNs: 0n, append: 'console=ttyS0 shellfish noshell' });
  assert.deepEqual(plain.runToEnd(100_000_000), { reason: 'poweroff', exitCode: 0 });
  assert.deepEqual(other.runToEnd(100_000_000), { reason: 'poweroff', exitCode: 0 });
  // Only the device tree's size differs (it holds the command line).
  const dtbSize = (s: string): string => s.replace(/(fdt: device tree at 0x[0-9a-f]+, )\d+ bytes/, '$1N bytes');
  const out = other.takeOutput();
  assert.doesNotMatch(out, /shell/);
  assert.equal(dtbSize(out), dtbSize(plain.takeOutput()));
});

test('demo shell through the CLI: a command typed on stdin reaches the guest, poweroff ends the run', { skip: missing(CLI) }, async () => {
  const run = runCli(['run', '-kernel', 'guests/demo/demo.elf', '-append', 'shell', '-nographic']);
  try {
    const prompt = await run.waitFor('demo> ', 60_000);
    run.send('echo hi\n');
    await run.waitFor('echo hi\nhi\ndemo> ', 30_000, prompt);
    run.send('poweroff\n');
    const { code, stderr } = await run.exit;
    assert.equal(code, 0, stderr);
    assert.match(run.output(), /shell: powering off through SBI SRST\n$/);
  } finally {
    run.proc.kill();
  }
});

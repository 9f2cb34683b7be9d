// The demo guest (guests/demo) boots on the engine's own SBI, runs its U-mode tasks and powers off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Machine } from '../../engine/machine.ts';
import { ROOT } from '../helpers/cli.ts';

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

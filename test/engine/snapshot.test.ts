// Snapshots (engine/snapshot.ts, Machine.snapshot/restore): a restored machine continues exactly as
// the original would have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Machine } from '../../engine/machine.ts';
import { decodeSnapshot, encodeSnapshot, SnapshotError } from '../../engine/snapshot.ts';
import type { MachineSnapshot } from '../../engine/machine.ts';
import { ROOT } from '../helpers/cli.ts';

const DEMO = resolve(ROOT, 'guests/demo/demo.elf');

/** Runs to the end, returning the output and every hypercall as "eid/fid@instret". */
function finish(m: Machine): { out: string; calls: string[]; instret: number } {
  const calls: string[] = [];
  m.events.on((e) => {
    if (e.kind === 'hypercall') calls.push(`${e.record.eid.toString(16)}/${e.record.fid}@${e.record.instret}`);
  });
  const r = m.runToEnd(200_000_000);
  assert.deepEqual(r, { reason: 'poweroff', exitCode: 0 });
  return { out: m.takeOutput(), calls, instret: m.harts[0].instret };
}

test('the file format round-trips plain data, bigints and binary blobs', () => {
  const v = { a: 1, b: 'x', c: [true, null, 2.5], d: 123456789012345678901234567890n, e: new Uint8Array([1, 2, 3, 0, 0, 0]), f: { g: new Uint8Array(0) } };
  const back = decodeSnapshot(encodeSnapshot(v));
  assert.deepEqual(back, v);
});

test('truncated or foreign files are clear errors', () => {
  const bytes = encodeSnapshot({ x: new Uint8Array(1000).fill(7) });
  assert.throws(() => decodeSnapshot(bytes.subarray(0, bytes.length - 3)), SnapshotError);
  assert.throws(() => decodeSnapshot(new TextEncoder().encode('not a snapshot at all')), /bad magic/);
  const wrongVersion = bytes.slice();
  wrongVersion[7] = 99;
  assert.throws(() => decodeSnapshot(wrongVersion), /format version 99/);
  assert.throws(() => Machine.restore({ kind: 'something else' } as unknown as MachineSnapshot), SnapshotError);
});

for (const at of [1_000, 3_000_000]) {
  test(`the demo guest restored from a snapshot taken after ${at} steps continues identically`, () => {
    const whole = finish(Machine.create({ kernel: DEMO, rtcEpochNs: 0n }));

    const a = Machine.create({ kernel: DEMO, rtcEpochNs: 0n });
    a.runToEnd(at);
    const before = a.takeOutput();
    const file = encodeSnapshot(a.snapshot());
    // Sparse: a 128 MiB machine whose guest touched little makes a small file.
    assert.ok(file.length < 2 * 1024 * 1024, `snapshot is ${file.length} bytes`);
    const b = Machine.restore(decodeSnapshot(file) as MachineSnapshot);
    const rest = finish(b);
    assert.equal(before + rest.out, whole.out, 'same serial output');
    assert.equal(rest.instret, whole.instret, 'same instruction count');
    // Every later hypercall at the same instret.
    assert.deepEqual(rest.calls, whole.calls.slice(whole.calls.length - rest.calls.length));
    assert.ok(rest.calls.length > 5);
    // And the original, going on, does the same.
    assert.equal(before + finish(a).out, whole.out);
  });
}

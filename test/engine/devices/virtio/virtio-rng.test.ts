// virtio-rng: buffers are filled; a seeded device is reproducible and its PRNG state is snapshotted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioRng } from '../../../../engine/devices/virtio/virtio-rng.ts';
import { REG } from '../../../../engine/devices/virtio/constants.ts';
import { RAM_BASE, makeRig } from './driver.ts';
import type { Rig } from './driver.ts';

const BUF = RAM_BASE + 0x80000;

function rig(seed?: number): Rig {
  const r = makeRig(new VirtioRng({ seed }));
  r.drv.init(1, 8);
  return r;
}

/** Posts one writable buffer of `len` bytes (split in two descriptors) and returns what came back. */
function entropy(r: Rig, len: number): { bytes: Uint8Array; used: number } {
  const q = r.drv.queues[0];
  r.drv.writeBytes(BUF, new Uint8Array(len));
  const half = len >> 1;
  q.publish(q.chain([{ addr: BUF, len: half, write: true }, { addr: BUF + half, len: len - half, write: true }]));
  r.drv.notify(0);
  const [u] = q.takeUsed();
  return { bytes: r.drv.readBytes(BUF, len), used: u.len };
}

test('identifies as an entropy device with one queue and no features of its own', () => {
  const r = rig();
  assert.equal(r.drv.r(REG.DEVICE_ID), 4);
  assert.equal(r.drv.deviceFeatures() & 0xffffffn, 0n);
});

test('seeded: the same seed gives the same bytes, another seed others', () => {
  const a = [entropy(rig(42), 64).bytes, entropy(rig(42), 64).bytes];
  assert.deepEqual(a[0], a[1]);
  assert.notDeepEqual(entropy(rig(43), 64).bytes, a[0]);
  const r = rig(42);
  const first = entropy(r, 64);
  assert.equal(first.used, 64);
  assert.notDeepEqual(entropy(r, 64).bytes, first.bytes, 'the stream moves on');
});

test('host source fills the buffer', () => {
  const { bytes, used } = entropy(rig(), 256);
  assert.equal(used, 256);
  assert.ok(bytes.some((b) => b !== 0));
});

test('the PRNG state is in the snapshot: a restored device continues the same stream', () => {
  const r = rig(7);
  entropy(r, 32);
  const state = JSON.parse(JSON.stringify(r.dev.saveState()));
  const q = r.drv.queues[0].clone(r.bus);
  const ram = r.bus.ram.slice();
  const next = entropy(r, 32).bytes;
  const r2 = makeRig(new VirtioRng({ seed: 999 }));
  r2.bus.ram.set(ram);
  r2.dev.loadState(state);
  r2.drv.queues[0] = q.clone(r2.bus);
  assert.deepEqual(entropy(r2, 32).bytes, next);
});

test('device-readable buffers are not written; a chain without writable bytes is returned empty', () => {
  const r = rig(1);
  const q = r.drv.queues[0];
  r.drv.writeBytes(BUF, new Uint8Array(16).fill(0xaa));
  q.publish(q.chain([{ addr: BUF, len: 16 }]));
  r.drv.notify(0);
  assert.deepEqual(q.takeUsed(), [{ id: 0, len: 0 }]);
  assert.deepEqual(r.drv.readBytes(BUF, 16), new Uint8Array(16).fill(0xaa));
});

test('huge buffers are filled only up to the per-request bound', () => {
  const r = makeRig(new VirtioRng({ seed: 1 }), { ramSize: 1 << 21 });
  r.drv.init(1, 8);
  const { used } = entropy(r, 1 << 20);
  assert.equal(used, 64 * 1024);
});

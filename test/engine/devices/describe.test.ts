// Device self-descriptions for the debugger's Devices scope: a virtqueue lists its descriptor table
// and the chains waiting in the available ring (engine/devices/virtio/virtqueue.ts describeRings,
// through virtio-mmio's queue children), read without side effects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioRng } from '../../../engine/devices/virtio/virtio-rng.ts';
import { STATUS, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT } from '../../../engine/devices/virtio/constants.ts';
import type { DeviceDescription } from '../../../engine/devices/device.ts';
import { FEAT, RAM_BASE, makeRig, type Rig } from './virtio/driver.ts';

const BUF = RAM_BASE + 0x80000;
const TABLE = RAM_BASE + 0x90000; // an indirect table

function child(d: DeviceDescription, name: string): DeviceDescription {
  const c = d.children?.find((x) => x.name === name);
  assert.ok(c, `${d.name} has ${name}`);
  return c;
}
/** name → value (and detail when there is one) of a description's registers. */
function regs(d: DeviceDescription): Record<string, unknown> {
  return Object.fromEntries(d.registers.map((r) => [r.name, r.detail ? [r.value, r.detail] : r.value]));
}
const queue0 = (rig: Rig): DeviceDescription => child(rig.dev.describe(), 'queue 0');

/** Everything describe() might disturb: device state, interrupt line, events, guest RAM. */
function state(rig: Rig): string {
  return JSON.stringify({ dev: rig.dev.saveState(), irq: rig.irq.level, changes: rig.irq.changes, events: rig.events.length, ram: Buffer.from(rig.bus.ram).toString('base64') });
}

test('a queue lists its descriptors and the chains pending between last_avail and avail.idx', () => {
  const rig = makeRig(new VirtioRng({ seed: 1 }));
  const [q] = rig.drv.init(1, 8);
  // One chain consumed already (last_avail 1), then two posted without a notification.
  q.publish(q.chain([{ addr: BUF, len: 16, write: true }]));
  rig.drv.notify(0);
  assert.equal(q.takeUsed().length, 1);
  const direct = q.chain([{ addr: BUF + 0x100, len: 24 }, { addr: BUF + 0x200, len: 0x1000, write: true }]);
  const viaTable = q.indirect([{ addr: BUF + 0x300, len: 8 }, { addr: BUF + 0x400, len: 64, write: true }], TABLE);
  q.publish(direct, viaTable);
  assert.deepEqual([direct, viaTable], [1, 3]);

  const before = state(rig);
  const d = queue0(rig);
  assert.equal(state(rig), before, 'describe() changed nothing');
  assert.deepEqual(queue0(rig), d, 'and says the same twice');

  assert.deepEqual(regs(d)['last_avail'], [1, 'next entry the device consumes']);
  assert.equal(regs(d)['avail.idx'], 3);

  const table = child(d, 'descriptors');
  assert.equal(table.kind, 'descriptor table');
  assert.deepEqual(regs(table), { shown: [8, 'all'] });
  assert.equal(table.children?.length, 8);
  const desc = (i: number): DeviceDescription => table.children![i];
  assert.deepEqual(desc(1), {
    name: 'desc 1', kind: 'descriptor', registers: [
      { name: 'addr', value: BigInt(BUF + 0x100) },
      { name: 'len', value: 24 },
      { name: 'flags', value: 1, detail: 'NEXT' },
      { name: 'next', value: 2 },
    ],
  });
  assert.deepEqual(regs(desc(2)), { addr: BigInt(BUF + 0x200), len: 0x1000, flags: [2, 'WRITE'], next: 0 });
  assert.deepEqual(regs(desc(3)), { addr: BigInt(TABLE), len: 32, flags: [4, 'INDIRECT'], next: 0 });
  assert.deepEqual(regs(desc(5)), { addr: 0n, len: 0, flags: 0, next: 0 }, 'an unused descriptor');

  const pending = child(d, 'pending');
  assert.deepEqual(regs(pending), { count: [2, 'avail.idx 3 - last_avail 1'] });
  assert.deepEqual(pending.children?.map((c) => [c.name, regs(c)]), [
    ['head 1', { 'ring index': [1, 'avail.ring[1]'], head: 1, readable: [24, 'bytes'], writable: [0x1000, 'bytes'] }],
    ['head 3', { 'ring index': [2, 'avail.ring[2]'], head: 3, readable: [8, 'bytes'], writable: [64, 'bytes'] }],
  ]);
  const [first, second] = pending.children!;
  assert.deepEqual(first.children?.map((c) => [c.name, regs(c)]), [
    ['desc 1', { addr: BigInt(BUF + 0x100), len: 24, flags: [1, 'NEXT'], next: 2 }],
    ['desc 2', { addr: BigInt(BUF + 0x200), len: 0x1000, flags: [2, 'WRITE'], next: 0 }],
  ]);
  assert.deepEqual(second.children?.map((c) => [c.name, regs(c)]), [
    ['desc 3', { addr: BigInt(TABLE), len: 32, flags: [4, 'INDIRECT'], next: 0 }],
    ['indirect 0', { addr: BigInt(BUF + 0x300), len: 8, flags: [1, 'NEXT'], next: 1 }],
    ['indirect 1', { addr: BigInt(BUF + 0x400), len: 64, flags: [2, 'WRITE'], next: 2 }],
  ]);

  // The device still finds both chains when the driver notifies.
  rig.drv.notify(0);
  assert.deepEqual(q.takeUsed(), [{ id: 1, len: 0x1000 }, { id: 3, len: 64 }]);
  const after = queue0(rig);
  assert.deepEqual(regs(child(after, 'pending')), { count: [0, 'avail.idx 3 - last_avail 3'] });
  assert.deepEqual(child(after, 'pending').children, []);
});

test('hostile rings show as errors in the view, and only the device itself breaks on them', () => {
  const rig = makeRig(new VirtioRng({ seed: 1 }));
  const [q] = rig.drv.init(1, 8, FEAT.VERSION_1); // no INDIRECT_DESC
  q.writeDesc(0, BUF, 16, VIRTQ_DESC_F_NEXT, 1);
  q.writeDesc(1, BUF + 16, 16, VIRTQ_DESC_F_NEXT, 0); // 0 → 1 → 0 → …
  q.writeDesc(2, TABLE, 16, VIRTQ_DESC_F_INDIRECT, 0);
  q.writeDesc(0, BUF, 8, 0, 0, TABLE);
  q.writeDesc(7, 0x1_0000_0000_0000n, 16, 0, 0); // a buffer far outside RAM
  q.publish(0, 2, 9, 7);
  const before = state(rig);
  const pending = child(queue0(rig), 'pending');
  assert.equal(state(rig), before);
  assert.deepEqual(pending.children?.map((c) => [c.name, c.registers.find((r) => r.name === 'error')?.value]), [
    ['head 0', 'longer than 8 descriptors (a loop?)'],
    ['head 2', 'indirect descriptor without VIRTIO_F_INDIRECT_DESC'],
    ['head 9', 'head descriptor 9 out of range'],
    ['head 7', undefined],
  ]);
  assert.equal(pending.children?.[0].children?.length, 8, 'the loop is followed only as far as the queue size');
  assert.deepEqual(pending.children?.[3].children?.[0].registers[0], { name: 'addr', value: 0x1_0000_0000_0000n, detail: 'outside RAM' });
  assert.equal(rig.drv.status() & STATUS.DEVICE_NEEDS_RESET, 0, 'the view did not fail the device');
  rig.drv.notify(0);
  assert.notEqual(rig.drv.status() & STATUS.DEVICE_NEEDS_RESET, 0, 'the device, walking the same loop, did');

  // An available index running ahead by more than the queue size.
  const rig2 = makeRig(new VirtioRng({ seed: 1 }));
  const [q2] = rig2.drv.init(1, 8);
  q2.w16(q2.avail + 2, 100);
  assert.deepEqual(regs(child(queue0(rig2), 'pending')), {
    count: [100, 'avail.idx 100 - last_avail 0'],
    error: 'available index 100 is 100 entries ahead of 0',
  });
});

test('bounds: at most 256 descriptors and 64 pending chains are shown', () => {
  const rig = makeRig(new VirtioRng({ seed: 1, queueSize: 1024 }), { ramSize: 1 << 21 });
  const [q] = rig.drv.init(1, 1024);
  for (let i = 0; i < 100; i++) q.publish(q.chain([{ addr: BUF, len: 4, write: true }]));
  const d = queue0(rig);
  assert.deepEqual(regs(child(d, 'descriptors')), { shown: [256, 'the first 256 of 1024'] });
  assert.equal(child(d, 'descriptors').children?.length, 256);
  const pending = child(d, 'pending');
  assert.deepEqual(regs(pending), { count: [100, 'avail.idx 100 - last_avail 0'], shown: [64, 'the first 64'] });
  assert.equal(pending.children?.length, 64);
  assert.equal(pending.children?.[63].name, 'head 63');
});

test('legacy transport: the queue found through QueuePFN has the same views; a queue not live has none', () => {
  const rig = makeRig(new VirtioRng({ seed: 1 }), { legacy: true });
  const [q] = rig.drv.init(1, 8);
  q.publish(q.chain([{ addr: BUF, len: 32, write: true }]));
  const d = queue0(rig);
  assert.deepEqual(regs(child(d, 'descriptors').children![0]), { addr: BigInt(BUF), len: 32, flags: [2, 'WRITE'], next: 0 });
  assert.equal(child(d, 'pending').children?.[0].name, 'head 0');
  const fresh = makeRig(new VirtioRng({ seed: 1 }));
  assert.equal(queue0(fresh).children, undefined);
});

// The virtio-mmio transport, driven through its registers as a driver would: identification, feature
// negotiation (modern and legacy), queue set-up, notifications, interrupt status/ack and the IRQ
// level, EVENT_IDX and NO_INTERRUPT suppression, reset, NEEDS_RESET, describe, snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Plic } from '../../../../engine/devices/plic.ts';
import { MIP_SEIP } from '../../../../engine/devices/device.ts';
import { fdtProp } from '../../../../engine/board/fdt.ts';
import { VirtioRng } from '../../../../engine/devices/virtio/virtio-rng.ts';
import { VirtioConsole } from '../../../../engine/devices/virtio/virtio-console.ts';
import { REG, STATUS, INT, F, bit, VIRTQ_AVAIL_F_NO_INTERRUPT } from '../../../../engine/devices/virtio/constants.ts';
import { FEAT, RAM_BASE, makeRig, queueArea } from './driver.ts';

const BUF = RAM_BASE + 0x80000;

function rngRig(legacy = false) {
  return makeRig(new VirtioRng({ seed: 1 }), { legacy });
}

/** Posts one 16-byte writable buffer on queue 0 of an rng and notifies. */
function rngRequest(rig: ReturnType<typeof rngRig>, len = 16, notify = true): number {
  const q = rig.drv.queues[0];
  const head = q.chain([{ addr: BUF, len, write: true }]);
  q.publish(head);
  if (notify) rig.drv.notify(0);
  return head;
}

test('identification: magic, version, device and vendor ids', () => {
  const { drv } = rngRig();
  assert.equal(drv.r(REG.MAGIC_VALUE), 0x74726976);
  assert.equal(drv.r(REG.VERSION), 2);
  assert.equal(drv.r(REG.DEVICE_ID), 4);
  assert.equal(drv.r(REG.VENDOR_ID), 0x554d4551);
  assert.equal(rngRig(true).drv.r(REG.VERSION), 1);
  // Control registers are 32-bit only.
  assert.equal(drv.dev.read(REG.MAGIC_VALUE, 2), 0);
  assert.equal(drv.dev.read(REG.MAGIC_VALUE + 1, 4), 0);
});

test('modern negotiation: VERSION_1 offered and required; unoffered features refuse FEATURES_OK', () => {
  const { drv } = rngRig();
  const offered = drv.deviceFeatures();
  assert.ok(offered & FEAT.VERSION_1);
  assert.ok(offered & FEAT.INDIRECT);
  assert.ok(offered & FEAT.EVENT_IDX);
  assert.equal(offered & FEAT.ANY_LAYOUT, 0n);
  assert.equal(drv.negotiate(FEAT.VERSION_1), true);
  assert.equal(drv.negotiate(FEAT.VERSION_1 | FEAT.INDIRECT | FEAT.EVENT_IDX), true);
  assert.equal(drv.negotiate(FEAT.VERSION_1 | bit(F.RING_PACKED)), false, 'RING_PACKED was not offered');
  assert.equal(drv.status() & STATUS.FEATURES_OK, 0);
  assert.equal(drv.status(), STATUS.ACKNOWLEDGE | STATUS.DRIVER);
  assert.equal(drv.negotiate(FEAT.INDIRECT), false, 'a modern device requires VERSION_1');
  assert.equal(drv.negotiate(FEAT.VERSION_1 | bit(1)), false, 'device-type bit not offered by rng');
  // Once FEATURES_OK is accepted the driver features are frozen.
  assert.equal(drv.negotiate(FEAT.VERSION_1), true);
  drv.writeFeatures(FEAT.VERSION_1 | FEAT.EVENT_IDX);
  assert.equal(drv.dev.negotiated(), FEAT.VERSION_1);
});

test('legacy negotiation: no VERSION_1, ANY_LAYOUT offered, feature word 1 empty', () => {
  const rig = rngRig(true);
  const { drv, dev } = rig;
  const offered = drv.deviceFeatures();
  assert.equal(offered >> 32n, 0n);
  assert.ok(offered & FEAT.ANY_LAYOUT);
  assert.ok(drv.negotiate(FEAT.INDIRECT));
  assert.equal(dev.negotiated(), FEAT.INDIRECT);
  // A legacy driver may use the device before DRIVER_OK (3.1.2).
  drv.setupQueue(0, 8);
  rngRequest(rig);
  assert.equal(drv.queues[0].takeUsed().length, 1);
});

test('modern queue set-up: QueueNumMax, QueueReady read-back, absent queues', () => {
  const { drv } = rngRig();
  drv.negotiate();
  drv.w(REG.QUEUE_SEL, 0);
  assert.equal(drv.r(REG.QUEUE_NUM_MAX), 64);
  assert.equal(drv.r(REG.QUEUE_READY), 0);
  drv.setupQueue(0, 16);
  assert.equal(drv.r(REG.QUEUE_READY), 1);
  assert.equal(drv.r(REG.QUEUE_PFN), 0, 'no PFN in modern mode');
  drv.w(REG.QUEUE_SEL, 1);
  assert.equal(drv.r(REG.QUEUE_NUM_MAX), 0, 'rng has one queue');
  drv.w(REG.QUEUE_READY, 1);
  assert.equal(drv.r(REG.QUEUE_READY), 0);
  drv.w(REG.QUEUE_SEL, 0);
  drv.w(REG.QUEUE_READY, 0);
  assert.equal(drv.r(REG.QUEUE_READY), 0, 'the driver reads 0 back after stopping the queue');
});

test('legacy queue set-up: PFN read-back, GuestPageSize/QueueAlign layout, PFN 0 stops the queue', () => {
  const rig = rngRig(true);
  const { drv } = rig;
  drv.negotiate();
  const q = drv.setupQueue(0, 8);
  drv.w(REG.QUEUE_SEL, 0);
  assert.equal(drv.r(REG.QUEUE_PFN), queueArea(0) / 4096);
  assert.equal(drv.r(REG.QUEUE_READY), 0);
  drv.driverOk();
  rngRequest(rig);
  assert.deepEqual(q.takeUsed(), [{ id: 0, len: 16 }]);
  assert.equal(q.usedIdx(), 1);
  drv.w(REG.QUEUE_PFN, 0);
  assert.equal(drv.r(REG.QUEUE_PFN), 0);
  rngRequest(rig);
  assert.deepEqual(q.takeUsed(), [], 'a stopped queue is not touched');
  assert.equal(drv.status() & STATUS.DEVICE_NEEDS_RESET, 0);
});

test('bad queue sizes put the device in NEEDS_RESET', () => {
  for (const size of [0, 3, 128]) {
    const { drv } = rngRig();
    drv.negotiate();
    drv.setupQueue(0, size);
    assert.ok(drv.status() & STATUS.DEVICE_NEEDS_RESET, `size ${size}`);
  }
});

test('modern: buffers are not consumed before DRIVER_OK, then consumed when it is set', () => {
  const rig = rngRig();
  const { drv } = rig;
  drv.negotiate();
  const q = drv.setupQueue(0, 8);
  rngRequest(rig);
  assert.deepEqual(q.takeUsed(), []);
  assert.equal(rig.irq.level, false);
  drv.driverOk();
  assert.deepEqual(q.takeUsed(), [{ id: 0, len: 16 }]);
  assert.equal(rig.irq.level, true);
});

test('interrupt status, ack and the level of the IRQ line', () => {
  const rig = rngRig();
  const { drv, irq } = rig;
  drv.init(1, 8, FEAT.VERSION_1); // no EVENT_IDX: every completion notifies
  assert.equal(drv.r(REG.INTERRUPT_STATUS), 0);
  rngRequest(rig);
  assert.equal(drv.r(REG.INTERRUPT_STATUS), INT.USED_BUFFER);
  assert.equal(irq.level, true);
  drv.w(REG.INTERRUPT_ACK, INT.CONFIG_CHANGE); // acking another bit leaves it
  assert.equal(irq.level, true);
  drv.w(REG.INTERRUPT_ACK, INT.USED_BUFFER);
  assert.equal(drv.r(REG.INTERRUPT_STATUS), 0);
  assert.equal(irq.level, false);
  // Two completions before the ack: one level, one ack.
  rngRequest(rig);
  rngRequest(rig);
  assert.equal(irq.level, true);
  assert.equal(drv.ack(), INT.USED_BUFFER);
  assert.equal(irq.level, false);
});

test('through a real PLIC: the transport raises SEIP until acknowledged', () => {
  const mip = [0];
  const plic = new Plic({ name: 'plic', numHarts: 1, sink: { setPending: (_h, b, l) => { mip[0] = l ? mip[0] | b : mip[0] & ~b; } } });
  const rig = makeRig(new VirtioRng({ seed: 3 }), { irq: plic.irqLine(4) });
  plic.write(4 * 4, 4, 1); // priority
  plic.write(0x2080, 4, 1 << 4); // enable for hart 0 S-mode
  rig.drv.init(1, 8);
  rngRequest(rig);
  assert.equal(mip[0], MIP_SEIP);
  assert.equal(plic.read(0x201004, 4), 4); // claim
  rig.drv.ack();
  plic.write(0x201004, 4, 4); // complete
  assert.equal(mip[0], 0);
});

test('NO_INTERRUPT suppresses the used-buffer interrupt when EVENT_IDX is off', () => {
  const rig = rngRig();
  const [q] = rig.drv.init(1, 8, FEAT.VERSION_1);
  q.setAvailFlags(VIRTQ_AVAIL_F_NO_INTERRUPT);
  rngRequest(rig);
  assert.equal(q.takeUsed().length, 1);
  assert.equal(rig.irq.level, false);
  q.setAvailFlags(0);
  rngRequest(rig);
  assert.equal(rig.irq.level, true);
});

test('EVENT_IDX: used_event chooses the notification, avail_event is published, flags ignored', () => {
  const rig = rngRig();
  const [q] = rig.drv.init(1, 8, FEAT.VERSION_1 | FEAT.EVENT_IDX);
  q.setAvailFlags(VIRTQ_AVAIL_F_NO_INTERRUPT); // must be ignored with EVENT_IDX
  q.setUsedEvent(2); // notify when the device writes used entry 2
  for (let i = 0; i < 2; i++) {
    rngRequest(rig);
    assert.equal(rig.irq.level, false, `entry ${i}`);
  }
  assert.equal(q.availEvent(), 2);
  rngRequest(rig);
  assert.equal(rig.irq.level, true, 'entry 2');
  rig.drv.ack();
  rngRequest(rig);
  assert.equal(rig.irq.level, false, 'entry 3: past used_event');
  // A batch that crosses used_event notifies once.
  q.setUsedEvent(5);
  const heads = [q.chain([{ addr: BUF, len: 4, write: true }]), q.chain([{ addr: BUF, len: 4, write: true }]), q.chain([{ addr: BUF, len: 4, write: true }])];
  q.publish(...heads);
  rig.drv.notify(0);
  assert.equal(q.takeUsed().length, 7);
  assert.equal(rig.irq.level, true);
  assert.equal(q.availEvent(), 7);
});

test('garbage available index sets DEVICE_NEEDS_RESET with a config-change interrupt; reset recovers', () => {
  const rig = rngRig();
  const { drv } = rig;
  const [q] = drv.init(1, 8);
  q.w16(q.avail + 2, 100); // 100 entries ahead of a queue of 8
  drv.notify(0);
  assert.ok(drv.status() & STATUS.DEVICE_NEEDS_RESET);
  assert.equal(drv.r(REG.INTERRUPT_STATUS), INT.CONFIG_CHANGE);
  assert.equal(rig.irq.level, true);
  assert.match(String(rig.dev.describe().registers.find((r) => r.name === 'error')?.value), /ahead/);
  // Writing status keeps NEEDS_RESET (the device's bit); only a reset clears it.
  drv.w(REG.STATUS, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK | STATUS.DRIVER_OK);
  assert.ok(drv.status() & STATUS.DEVICE_NEEDS_RESET);
  drv.w(REG.STATUS, 0);
  assert.equal(drv.status(), 0);
  assert.equal(drv.r(REG.INTERRUPT_STATUS), 0);
  assert.equal(rig.irq.level, false);
  const [q2] = drv.init(1, 8);
  rngRequest(rig);
  assert.deepEqual(q2.takeUsed(), [{ id: 0, len: 16 }]);
});

test('reset clears status, features, queues and interrupts', () => {
  const rig = rngRig();
  const { drv, dev } = rig;
  const [q] = drv.init(1, 8);
  rngRequest(rig);
  assert.equal(rig.irq.level, true);
  drv.w(REG.STATUS, 0);
  assert.equal(drv.status(), 0);
  assert.equal(dev.negotiated(), 0n);
  assert.equal(rig.irq.level, false);
  drv.w(REG.QUEUE_SEL, 0);
  assert.equal(drv.r(REG.QUEUE_READY), 0);
  // The old rings are no longer the device's: a notification touches nothing.
  q.publish(q.chain([{ addr: BUF, len: 8, write: true }]));
  drv.notify(0);
  assert.equal(q.usedIdx(), 1);
  assert.equal(rig.irq.level, false);
});

test('events: notify, complete and irq', () => {
  const rig = rngRig();
  rig.drv.init(1, 8);
  rig.events.length = 0;
  rngRequest(rig);
  assert.deepEqual(rig.events.map((e) => e.kind), ['virtio-notify', 'virtio-complete', 'virtio-irq']);
  assert.equal(rig.events[1].queue, 0);
  assert.equal(rig.events[1].detail?.len, 16);
  assert.equal(rig.events[0].device, 'virtio0');
});

test('describe: registers, decoded status and features, queues as children', () => {
  const rig = makeRig(new VirtioConsole({ onOutput: () => undefined }));
  rig.drv.init(2, 16);
  const d = rig.dev.describe();
  assert.equal(d.kind, 'virtio-mmio virtio-console');
  const reg = (n: string) => d.registers.find((r) => r.name === n);
  assert.equal(reg('Status')?.detail, 'ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK');
  assert.match(String(reg('negotiated')?.detail), /INDIRECT_DESC EVENT_IDX .*VERSION_1/);
  assert.match(String(reg('negotiated')?.detail), /CONSOLE_EMERG_WRITE/);
  const queues = d.children?.filter((c) => c.kind === 'virtqueue') ?? [];
  assert.equal(queues.length, 2);
  const q1 = queues[1].registers;
  assert.equal(q1.find((r) => r.name === 'QueueNum')?.value, 16);
  assert.equal(q1.find((r) => r.name === 'desc')?.value, BigInt(queueArea(1)));
  assert.equal(q1.find((r) => r.name === 'avail.idx')?.value, 0);
});

test('fdtNode matches the empty slot QEMU virt has', () => {
  const n = rngRig().dev.fdtNode(0x10008000, 0x1000, { plicPhandle: 5, cpuIntcPhandles: [4] });
  assert.equal(n.name, 'virtio_mmio@10008000');
  assert.deepEqual(fdtProp(n, 'compatible'), { str: 'virtio,mmio' });
  assert.deepEqual(fdtProp(n, 'reg'), { u32: [0, 0x10008000, 0, 0x1000] });
  assert.deepEqual(fdtProp(n, 'interrupts'), { u32: [1] });
  assert.deepEqual(fdtProp(n, 'interrupt-parent'), { u32: [5] });
});

test('saveState/loadState: JSON round trip, the restored device carries on', () => {
  for (const legacy of [false, true]) {
    const rig = rngRig(legacy);
    const [q] = rig.drv.init(1, 8, legacy ? undefined : FEAT.VERSION_1 | FEAT.EVENT_IDX);
    rngRequest(rig);
    rngRequest(rig);
    q.takeUsed();
    const state = JSON.parse(JSON.stringify(rig.dev.saveState()));
    const ram = rig.bus.ram.slice();
    const copy = rngRig(legacy);
    copy.drv.queues[0] = q.clone(copy.bus);
    const next1 = (() => { rngRequest(rig); return rig.drv.readBytes(BUF, 16); })();
    // A fresh device on a copy of the RAM, loaded from the snapshot, produces the same next request.
    copy.bus.ram.set(ram);
    copy.dev.loadState(state);
    assert.equal(copy.irq.level, true, 'interrupt status restored');
    assert.equal(copy.drv.status(), rig.drv.status() & 0xff);
    rngRequest(copy);
    assert.deepEqual(copy.drv.readBytes(BUF, 16), next1);
    assert.equal(copy.drv.queues[0].usedIdx(), 3);
  }
});

test('unknown offsets read 0 and ignore writes; config space reads past the end are 0', () => {
  const { drv, dev } = rngRig();
  for (const off of [0x018, 0x0c0, 0x0fc - 4, 0x200]) assert.equal(drv.r(off), 0);
  drv.w(0x0d0, 0xffffffff);
  assert.equal(dev.read(0x100, 1), 0);
  assert.equal(drv.r(REG.SHM_LEN_LOW), 0xffffffff, 'no shared memory region: length -1');
  assert.equal(drv.r(REG.CONFIG_GENERATION), 0);
});

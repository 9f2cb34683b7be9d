// virtio-console: transmit to onOutput, host input buffered until receive buffers are posted, the
// emergency write, snapshots of pending input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioConsole } from '../../../../engine/devices/virtio/virtio-console.ts';
import { CONSOLE_F, INT, REG, bit } from '../../../../engine/devices/virtio/constants.ts';
import { RAM_BASE, makeRig } from './driver.ts';
import type { Rig } from './driver.ts';

const RX = RAM_BASE + 0x80000;
const TX = RAM_BASE + 0x90000;

function consoleRig(legacy = false): { r: Rig; con: VirtioConsole; out: number[] } {
  const out: number[] = [];
  const con = new VirtioConsole({ onOutput: (b) => out.push(...b) });
  const r = makeRig(con, { legacy });
  return { r, con, out };
}

/** Posts `n` receive buffers of `len` bytes each. */
function postRx(r: Rig, n: number, len: number, notify = true): number[] {
  const q = r.drv.queues[0];
  const heads: number[] = [];
  for (let i = 0; i < n; i++) heads.push(q.chain([{ addr: RX + 0x100 * i, len, write: true }]));
  q.publish(...heads);
  if (notify) r.drv.notify(0);
  return heads;
}

const text = (s: string): number[] => [...Buffer.from(s)];

test('identifies as a console with two queues and EMERG_WRITE', () => {
  const { r } = consoleRig();
  assert.equal(r.drv.r(REG.DEVICE_ID), 3);
  assert.equal(r.drv.deviceFeatures() & 0xffffffn, bit(CONSOLE_F.EMERG_WRITE));
  r.drv.w(REG.QUEUE_SEL, 1);
  assert.equal(r.drv.r(REG.QUEUE_NUM_MAX), 64);
  r.drv.w(REG.QUEUE_SEL, 2);
  assert.equal(r.drv.r(REG.QUEUE_NUM_MAX), 0, 'no MULTIPORT control queues');
});

test('transmit: chains go to onOutput in order, used length 0', () => {
  for (const legacy of [false, true]) {
    const { r, out } = consoleRig(legacy);
    r.drv.init(2, 8);
    const q = r.drv.queues[1];
    r.drv.writeBytes(TX, text('hello, '));
    r.drv.writeBytes(TX + 0x100, text('world\n'));
    q.publish(q.chain([{ addr: TX, len: 3 }, { addr: TX + 3, len: 4 }]), q.chain([{ addr: TX + 0x100, len: 6 }]));
    r.drv.notify(1);
    assert.equal(Buffer.from(out).toString(), 'hello, world\n');
    assert.deepEqual(q.takeUsed().map((u) => u.len), [0, 0]);
    assert.ok(r.irq.level);
  }
});

test('input waits for receive buffers; posting them delivers it', () => {
  const { r, con } = consoleRig();
  assert.equal(con.input(text('early')), 5, 'accepted before the driver is even there');
  r.drv.init(2, 8);
  assert.equal(con.pendingInput, 5);
  postRx(r, 1, 64);
  const q = r.drv.queues[0];
  assert.deepEqual(q.takeUsed(), [{ id: 0, len: 5 }]);
  assert.equal(Buffer.from(r.drv.readBytes(RX, 5)).toString(), 'early');
  assert.equal(con.pendingInput, 0);
  assert.equal(r.drv.r(REG.INTERRUPT_STATUS), INT.USED_BUFFER);
});

test('input with buffers already posted is delivered at once, across several buffers', () => {
  const { r, con } = consoleRig();
  r.drv.init(2, 8);
  postRx(r, 3, 4);
  const q = r.drv.queues[0];
  assert.deepEqual(q.takeUsed(), [], 'buffers stay posted while there is no input');
  r.drv.ack();
  con.input(text('abcdefghij'));
  assert.deepEqual(q.takeUsed(), [{ id: 0, len: 4 }, { id: 1, len: 4 }, { id: 2, len: 2 }]);
  assert.equal(Buffer.from([...r.drv.readBytes(RX, 4), ...r.drv.readBytes(RX + 0x100, 4), ...r.drv.readBytes(RX + 0x200, 2)]).toString(), 'abcdefghij');
  assert.ok(r.irq.level);
  con.input(text('XYZ'));
  assert.equal(con.pendingInput, 3, 'no buffer left');
  postRx(r, 1, 8);
  assert.deepEqual(q.takeUsed(), [{ id: 3, len: 3 }]);
});

test('buffers posted before DRIVER_OK are filled when DRIVER_OK is set', () => {
  const { r, con } = consoleRig();
  con.input(text('hi'));
  r.drv.negotiate();
  r.drv.setupQueue(0, 8);
  r.drv.setupQueue(1, 8);
  postRx(r, 1, 16);
  assert.equal(con.pendingInput, 2);
  r.drv.driverOk();
  assert.equal(con.pendingInput, 0);
  assert.deepEqual(r.drv.queues[0].takeUsed(), [{ id: 0, len: 2 }]);
});

test('emergency write outputs the low byte, even unconfigured', () => {
  const { r, out } = consoleRig();
  r.dev.write(REG.CONFIG + 8, 4, 0x4142);
  assert.deepEqual(out, [0x42]);
  assert.equal(r.dev.read(REG.CONFIG + 8, 4), 0);
});

test('pending input is part of the snapshot', () => {
  const { r, con } = consoleRig();
  con.input(text('saved'));
  const state = JSON.parse(JSON.stringify(r.dev.saveState()));
  const { r: r2, con: con2 } = consoleRig();
  r2.dev.loadState(state);
  assert.equal(con2.pendingInput, 5);
  r2.drv.init(2, 8);
  postRx(r2, 1, 16);
  assert.equal(Buffer.from(r2.drv.readBytes(RX, 5)).toString(), 'saved');
});

test('host input beyond 1 MiB is refused, not lost', () => {
  const { con } = consoleRig();
  assert.equal(con.input(new Uint8Array(1 << 20)), 1 << 20);
  assert.equal(con.input(new Uint8Array(10)), 0);
});

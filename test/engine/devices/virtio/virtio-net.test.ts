// virtio-net: the MAC and link status in config space, frames out through the transmit queue and in
// through posted receive buffers (with the 12-byte modern / 10-byte legacy header), bounded drops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioNet, parseMac } from '../../../../engine/devices/virtio/virtio-net.ts';
import { REG } from '../../../../engine/devices/virtio/constants.ts';
import { RAM_BASE, makeRig } from './driver.ts';
import type { Rig } from './driver.ts';

const RX_BUF = RAM_BASE + 0x80000;
const TX_BUF = RAM_BASE + 0x90000;
const FRAME = Uint8Array.from([...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff], ...[0x52, 0x54, 0, 0, 0, 9], 0x08, 0x06, ...Array.from({ length: 28 }, (_, i) => i)]);

function rig(legacy = false): Rig & { sent: Uint8Array[]; net: VirtioNet } {
  const sent: Uint8Array[] = [];
  const net = new VirtioNet({ mac: '52:54:00:12:34:57', onTransmit: (f) => sent.push(f) });
  const r = makeRig(net, { legacy });
  r.drv.init(2, 8);
  return { ...r, sent, net };
}

test('identifies as a network device; config space holds the MAC and link up', () => {
  const r = rig();
  assert.equal(r.drv.r(REG.DEVICE_ID), 1);
  const cfg = Array.from({ length: 8 }, (_, i) => r.dev.read(0x100 + i, 1));
  assert.deepEqual(cfg, [0x52, 0x54, 0x00, 0x12, 0x34, 0x57, 1, 0]);
  assert.throws(() => parseMac('01:00:5e:00:00:01'), /multicast/);
  assert.throws(() => parseMac('52:54:00:12:34'), /bad MAC/);
});

for (const legacy of [false, true]) {
  const hdr = legacy ? 10 : 12;
  test(`transmit strips the ${hdr}-byte header; receive adds it (${legacy ? 'legacy' : 'modern'})`, () => {
    const r = rig(legacy);
    const tx = r.drv.queues[1];
    r.drv.writeBytes(TX_BUF, [...new Uint8Array(hdr), ...FRAME]);
    tx.publish(tx.chain([{ addr: TX_BUF, len: hdr }, { addr: TX_BUF + hdr, len: FRAME.length }]));
    r.drv.notify(1);
    assert.deepEqual(r.sent, [FRAME]);

    // A frame for the guest waits until a receive buffer is posted.
    assert.equal(r.net.receive(FRAME), true);
    const rx = r.drv.queues[0];
    rx.publish(rx.chain([{ addr: RX_BUF, len: 1526, write: true }]));
    r.drv.notify(0);
    const [u] = rx.takeUsed();
    assert.equal(u.len, hdr + FRAME.length);
    assert.deepEqual(r.drv.readBytes(RX_BUF + hdr, FRAME.length), FRAME);
    if (!legacy) assert.equal(r.drv.readBytes(RX_BUF + 10, 1)[0], 1, 'num_buffers = 1');
  });
}

test('a receive buffer too small for the frame is returned empty; the backlog is bounded; runt frames are not sent', () => {
  const r = rig();
  const rx = r.drv.queues[0];
  r.net.receive(FRAME);
  rx.publish(rx.chain([{ addr: RX_BUF, len: 20, write: true }]));
  r.drv.notify(0);
  assert.equal(rx.takeUsed()[0].len, 0);
  let accepted = 0;
  for (let i = 0; i < 1000; i++) if (r.net.receive(FRAME)) accepted++;
  assert.ok(accepted <= 256, `${accepted} frames queued`);
  const tx = r.drv.queues[1];
  r.drv.writeBytes(TX_BUF, new Uint8Array(12 + 4));
  tx.publish(tx.chain([{ addr: TX_BUF, len: 16 }]));
  r.drv.notify(1);
  assert.equal(r.sent.length, 0);
});

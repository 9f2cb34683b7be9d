// The virtual switch (engine/net/switch.ts) and its socket links (engine/net/socket-link.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualSwitch, type SwitchPort } from '../../../engine/net/switch.ts';
import { connectLink, listenLink } from '../../../engine/net/socket-link.ts';

const mac = (n: number): number[] => [0x52, 0x54, 0x00, 0x12, 0x34, n];
const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
function frame(dst: number[], src: number[], payload = 'hi'): Uint8Array {
  return Uint8Array.from([...dst, ...src, 0x08, 0x00, ...Buffer.from(payload)]);
}

function port(name: string): SwitchPort & { got: Uint8Array[] } {
  const got: Uint8Array[] = [];
  return { name, got, deliver: (f) => got.push(f) };
}

test('floods unknown and broadcast destinations, then forwards to the learned port only', () => {
  const sw = new VirtualSwitch('lan');
  const a = port('a'), b = port('b'), c = port('c');
  const sendA = sw.attach(a), sendB = sw.attach(b);
  sw.attach(c);
  sendA(frame(BROADCAST, mac(1)));
  assert.equal(b.got.length, 1);
  assert.equal(c.got.length, 1);
  assert.equal(a.got.length, 0, 'never back to the sender');
  // b answers a: a was learned, so only a gets it; b is learned on the way.
  sendB(frame(mac(1), mac(2)));
  assert.equal(a.got.length, 1);
  assert.equal(c.got.length, 1);
  sendA(frame(mac(2), mac(1)));
  assert.equal(b.got.length, 2);
  assert.equal(c.got.length, 1);
  assert.deepEqual(sw.stats, { forwarded: 2, flooded: 1, dropped: 0 });
});

test('runt frames and frames from unplugged ports are dropped', () => {
  const sw = new VirtualSwitch('lan');
  const a = port('a'), b = port('b');
  const sendA = sw.attach(a);
  sw.attach(b);
  sendA(new Uint8Array(10));
  sw.detach(a);
  sendA(frame(BROADCAST, mac(1)));
  assert.equal(b.got.length, 0);
  assert.equal(sw.stats.dropped, 2);
});

test('two switches linked over loopback carry frames both ways', async () => {
  const left = new VirtualSwitch('left'), right = new VirtualSwitch('right');
  const a = port('a'), b = port('b');
  const sendA = left.attach(a), sendB = right.attach(b);
  const server = await listenLink(left, '127.0.0.1', 0);
  const link = connectLink(right, '127.0.0.1', server.address()!.port);
  try {
    const until = async (cond: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(cond());
    };
    // Wait for the link, then broadcast from the right: it reaches the left.
    await until(() => left.portNames.length === 2);
    sendB(frame(BROADCAST, mac(2), 'from b'));
    await until(() => a.got.length === 1);
    assert.equal(Buffer.from(a.got[0].subarray(14)).toString(), 'from b');
    sendA(frame(mac(2), mac(1), 'x'.repeat(1500)));
    await until(() => b.got.length === 1);
    assert.equal(b.got[0].length, 14 + 1500);
  } finally {
    link.close();
    server.close();
  }
});

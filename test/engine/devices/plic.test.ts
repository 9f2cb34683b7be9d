import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Plic } from '../../../engine/devices/plic.ts';
import { MIP_MEIP, MIP_SEIP } from '../../../engine/devices/device.ts';
import { fdtProp } from '../../../engine/board/fdt.ts';

const PRIORITY = (src: number) => 4 * src;
const PENDING = 0x1000;
const ENABLE = (ctx: number) => 0x2000 + 0x80 * ctx;
const THRESHOLD = (ctx: number) => 0x200000 + 0x1000 * ctx;
const CLAIM = (ctx: number) => 0x200004 + 0x1000 * ctx;

function makePlic(numHarts = 2) {
  const mip = new Array<number>(numHarts).fill(0);
  const calls: Array<[number, number, boolean]> = [];
  const sink = {
    setPending(h: number, bit: number, level: boolean) {
      calls.push([h, bit, level]);
      mip[h] = level ? mip[h] | bit : mip[h] & ~bit;
    },
  };
  const plic = new Plic({ name: 'plic', numHarts, sink });
  const rd = (off: number) => plic.read(off, 4);
  const wr = (off: number, v: number) => plic.write(off, 4, v);
  return { plic, mip, calls, rd, wr };
}

test('priority, enable and threshold gate the external interrupt', () => {
  const { plic, mip, rd, wr } = makePlic();
  const uart = plic.irqLine(10);
  uart.set(true);
  assert.equal(rd(PENDING), 1 << 10);
  assert.equal(mip[0], 0); // priority 0: never interrupts
  wr(PRIORITY(10), 3);
  assert.equal(mip[0], 0); // not enabled
  wr(ENABLE(1), 1 << 10);
  assert.equal(mip[0], MIP_SEIP);
  wr(THRESHOLD(1), 3);
  assert.equal(mip[0], 0); // priority must exceed the threshold
  wr(THRESHOLD(1), 2);
  assert.equal(mip[0], MIP_SEIP);
  uart.set(false);
  assert.equal(mip[0], 0);
  assert.equal(rd(PENDING), 0);
});

test('registers are WARL as in QEMU: priority/threshold 3 bits, source 0 absent', () => {
  const { rd, wr } = makePlic();
  wr(PRIORITY(5), 0xffffffff);
  assert.equal(rd(PRIORITY(5)), 7);
  wr(PRIORITY(0), 7);
  assert.equal(rd(PRIORITY(0)), 0);
  wr(THRESHOLD(0), 0x1f);
  assert.equal(rd(THRESHOLD(0)), 7);
  wr(ENABLE(0), 0xffffffff);
  assert.equal(rd(ENABLE(0)), 0xfffffffe);
  wr(ENABLE(0) + 8, 0xffffffff);
  assert.equal(rd(ENABLE(0) + 8), 0xffffffff); // sources 64..95
  assert.equal(rd(ENABLE(0) + 12), 0); // beyond 95
});

test('claim returns the highest priority source (lowest id on ties) and clears its pending bit', () => {
  const { plic, rd, wr } = makePlic();
  for (const src of [3, 7, 9]) {
    wr(PRIORITY(src), src === 3 ? 1 : 5);
    plic.irqLine(src).set(true);
  }
  wr(ENABLE(0), (1 << 3) | (1 << 7) | (1 << 9));
  wr(THRESHOLD(0), 7); // the threshold does not affect claims
  assert.equal(rd(CLAIM(0)), 7);
  assert.equal(rd(PENDING), (1 << 3) | (1 << 9));
  assert.equal(rd(CLAIM(0)), 9);
  assert.equal(rd(CLAIM(0)), 3);
  assert.equal(rd(CLAIM(0)), 0);
});

test('gateway: a claimed level source is not pending again until completed', () => {
  const { plic, mip, rd, wr } = makePlic(1);
  const line = plic.irqLine(1);
  wr(PRIORITY(1), 1);
  wr(ENABLE(0), 1 << 1);
  line.set(true);
  assert.equal(mip[0], MIP_MEIP);
  assert.equal(rd(CLAIM(0)), 1);
  assert.equal(mip[0], 0);
  line.set(false);
  line.set(true); // still in flight: held back
  assert.equal(rd(PENDING), 0);
  assert.equal(mip[0], 0);
  wr(CLAIM(0), 2); // completing a different source does nothing
  assert.equal(mip[0], 0);
  wr(CLAIM(0), 1); // complete: the still-high line is forwarded again
  assert.equal(rd(PENDING), 1 << 1);
  assert.equal(mip[0], MIP_MEIP);
  assert.equal(rd(CLAIM(0)), 1);
  line.set(false);
  wr(CLAIM(0), 1);
  assert.equal(rd(PENDING), 0);
  assert.equal(mip[0], 0);
});

test('completion is ignored for a source not enabled in that context', () => {
  const { plic, rd, wr } = makePlic(1);
  wr(PRIORITY(4), 1);
  wr(ENABLE(0), 1 << 4);
  plic.irqLine(4).set(true);
  assert.equal(rd(CLAIM(0)), 4);
  wr(ENABLE(0), 0);
  wr(CLAIM(0), 4);
  wr(ENABLE(0), 1 << 4);
  assert.equal(rd(CLAIM(0)), 0); // still in flight
  wr(CLAIM(0), 4);
  assert.equal(rd(CLAIM(0)), 4);
});

test('contexts: 2h is hart h M-mode (MEIP), 2h+1 is S-mode (SEIP)', () => {
  const { plic, mip, calls, wr } = makePlic(2);
  wr(PRIORITY(8), 1);
  wr(ENABLE(3), 1 << 8); // hart 1 S-mode
  calls.length = 0;
  plic.irqLine(8).set(true);
  assert.deepEqual(mip, [0, MIP_SEIP]);
  assert.deepEqual(calls, [[1, MIP_SEIP, true]]); // only changes are driven
  wr(ENABLE(2), 1 << 8); // hart 1 M-mode as well
  assert.deepEqual(mip, [0, MIP_SEIP | MIP_MEIP]);
  plic.irqLine(8).set(true); // same level again: nothing new
  assert.equal(calls.length, 2);
});

test('irqLine rejects sources outside 1..95', () => {
  const { plic } = makePlic();
  assert.throws(() => plic.irqLine(0));
  assert.throws(() => plic.irqLine(96));
  plic.irqLine(95).set(true);
});

test('describe() is side-effect free; saveState/loadState round-trip and re-drive the harts', () => {
  const a = makePlic(1);
  a.wr(PRIORITY(10), 2);
  a.wr(ENABLE(1), 1 << 10);
  a.plic.irqLine(10).set(true);
  const d = a.plic.describe();
  assert.equal(d.children?.[1].registers.find((r) => r.name === 'claim')?.value, 10);
  assert.equal(a.rd(PENDING), 1 << 10); // describing did not claim
  const b = makePlic(1);
  b.plic.loadState(JSON.parse(JSON.stringify(a.plic.saveState())));
  assert.equal(b.mip[0], MIP_SEIP);
  assert.deepEqual(b.plic.describe(), d);
  assert.equal(b.rd(CLAIM(1)), 10);
});

test('fdtNode matches QEMU virt (2 harts)', () => {
  const { plic } = makePlic(2);
  const n = plic.fdtNode(0xc000000, 0x600000, { plicPhandle: 5, cpuIntcPhandles: [4, 2] });
  assert.equal(n.name, 'plic@c000000');
  assert.deepEqual(fdtProp(n, 'compatible'), { strs: ['sifive,plic-1.0.0', 'riscv,plic0'] });
  assert.deepEqual(fdtProp(n, 'reg'), { u32: [0, 0xc000000, 0, 0x600000] });
  assert.deepEqual(fdtProp(n, 'interrupts-extended'), { u32: [4, 11, 4, 9, 2, 11, 2, 9] });
  assert.deepEqual(fdtProp(n, 'riscv,ndev'), { u32: [0x60] });
  assert.deepEqual(fdtProp(n, 'phandle'), { u32: [5] });
  assert.deepEqual(fdtProp(n, '#interrupt-cells'), { u32: [1] });
  assert.deepEqual(fdtProp(n, '#address-cells'), { u32: [0] });
  assert.equal(fdtProp(n, 'interrupt-controller'), null);
});

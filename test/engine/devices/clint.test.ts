import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clint } from '../../../engine/devices/clint.ts';
import { MIP_MSIP, MIP_MTIP } from '../../../engine/devices/device.ts';
import { fdtProp } from '../../../engine/board/fdt.ts';

const MSIP = (h: number) => 4 * h;
const MTIMECMP = (h: number) => 0x4000 + 8 * h;
const MTIME = 0xbff8;

function makeClint(numHarts = 2) {
  const clock = { t: 0, now() { return this.t; } };
  const mip = new Array<number>(numHarts).fill(0);
  const sink = {
    setPending(h: number, bit: number, level: boolean) {
      mip[h] = level ? mip[h] | bit : mip[h] & ~bit;
    },
  };
  const clint = new Clint({ name: 'clint', numHarts, clock, sink });
  return { clint, clock, mip };
}

test('mtime follows the clock; 4- and 8-byte reads agree', () => {
  const { clint, clock } = makeClint();
  clock.t = 0x1_2345_6789;
  assert.equal(clint.read(MTIME, 4), 0x2345_6789);
  assert.equal(clint.read(MTIME + 4, 4), 1);
  assert.equal(clint.read64(MTIME), 0x1_2345_6789n);
});

test('mtimecmp resets to 0 (MTIP pending from reset, as QEMU 7.2), and compare drives MTIP', () => {
  const { clint, clock, mip } = makeClint();
  assert.equal(clint.read64(MTIMECMP(0)), 0n);
  clint.tick();
  assert.deepEqual(mip, [MIP_MTIP, MIP_MTIP]);
  clint.write64(MTIMECMP(0), 0xffff_ffff_ffff_ffffn);
  clint.write64(MTIMECMP(1), 0xffff_ffff_ffff_ffffn);
  assert.deepEqual(mip, [0, 0]);
  assert.equal(clint.nextDeadline(), Infinity);
  clock.t = 100;
  clint.write64(MTIMECMP(1), 150n);
  assert.deepEqual(mip, [0, 0]);
  assert.equal(clint.nextDeadline(), 150);
  clock.t = 149;
  clint.tick();
  assert.equal(mip[1], 0);
  clock.t = 150;
  clint.tick();
  assert.equal(mip[1], MIP_MTIP);
  assert.equal(clint.nextDeadline(), Infinity); // MTIP already set
  clint.write64(MTIMECMP(1), 1000n); // a write re-evaluates at once
  assert.equal(mip[1], 0);
  clint.write64(MTIMECMP(1), 10n);
  assert.equal(mip[1], MIP_MTIP);
});

test('nextDeadline is the earliest mtimecmp among harts with MTIP clear, overdue ones included', () => {
  const { clint, clock } = makeClint();
  clint.write64(MTIMECMP(0), 500n);
  clint.write64(MTIMECMP(1), 300n);
  assert.equal(clint.nextDeadline(), 300);
  clock.t = 400; // passed hart 1's deadline, not yet ticked: still due
  assert.equal(clint.nextDeadline(), 300);
  clint.tick();
  assert.equal(clint.nextDeadline(), 500);
});

test('32-bit halves of mtimecmp (the way RV32 software writes it)', () => {
  const { clint, mip } = makeClint(1);
  clint.write(MTIMECMP(0) + 4, 4, 0xffffffff); // high first, no spurious interrupt
  clint.write(MTIMECMP(0), 4, 0x20);
  clint.write(MTIMECMP(0) + 4, 4, 0);
  assert.equal(clint.read(MTIMECMP(0), 4), 0x20);
  assert.equal(clint.read(MTIMECMP(0) + 4, 4), 0);
  assert.equal(clint.nextDeadline(), 0x20);
  assert.equal(mip[0], 0);
});

test('writing mtime moves it (an offset from the clock) and re-evaluates MTIP', () => {
  const { clint, clock, mip } = makeClint(1);
  clock.t = 1000;
  clint.write64(MTIMECMP(0), 5000n);
  clint.write64(MTIME, 4990n);
  assert.equal(clint.read64(MTIME), 4990n);
  assert.equal(clint.nextDeadline(), 1010); // in clock units
  clock.t = 1010;
  assert.equal(clint.read64(MTIME), 5000n);
  clint.tick();
  assert.equal(mip[0], MIP_MTIP);
  clint.write(MTIME, 4, 0); // low half only
  assert.equal(clint.read64(MTIME), 0n);
  assert.equal(mip[0], 0);
});

test('msip drives MSIP (bit 0 only)', () => {
  const { clint, mip } = makeClint();
  clint.write(MSIP(1), 4, 0xfffffffe);
  assert.equal(mip[1], 0);
  clint.write(MSIP(1), 4, 1);
  assert.equal(clint.read(MSIP(1), 4), 1);
  assert.deepEqual(mip, [0, MIP_MSIP]);
  clint.write(MSIP(1), 4, 0);
  assert.equal(mip[1], 0);
});

test('saveState/loadState round-trip and re-drive the lines', () => {
  const a = makeClint();
  a.clock.t = 50;
  a.clint.write(MSIP(0), 4, 1);
  a.clint.write64(MTIMECMP(1), 40n);
  a.clint.write64(MTIME, 1000n);
  const b = makeClint();
  b.clock.t = 50;
  b.clint.loadState(JSON.parse(JSON.stringify(a.clint.saveState())));
  assert.deepEqual(b.mip, [MIP_MSIP | MIP_MTIP, MIP_MTIP]); // hart 0's mtimecmp is still its reset value 0
  assert.equal(b.clint.read64(MTIME), 1000n);
  assert.deepEqual(b.clint.describe(), a.clint.describe());
});

test('fdtNode matches QEMU virt (2 harts)', () => {
  const { clint } = makeClint();
  const n = clint.fdtNode(0x2000000, 0x10000, { plicPhandle: 5, cpuIntcPhandles: [4, 2] });
  assert.equal(n.name, 'clint@2000000');
  assert.deepEqual(fdtProp(n, 'compatible'), { strs: ['sifive,clint0', 'riscv,clint0'] });
  assert.deepEqual(fdtProp(n, 'reg'), { u32: [0, 0x2000000, 0, 0x10000] });
  assert.deepEqual(fdtProp(n, 'interrupts-extended'), { u32: [4, 3, 4, 7, 2, 3, 2, 7] });
});

test('a compare armed in the future keeps the sub-tick phase of its write (as QEMU arms its timer)', () => {
  const clock = { f: 0, now() { return Math.floor(this.f / 25); }, fine() { return this.f; }, finePerTick: 25 };
  const mip = [0];
  const clint = new Clint({ name: 'clint', numHarts: 1, clock, sink: { setPending: (_h, bit, level) => { mip[0] = level ? mip[0] | bit : mip[0] & ~bit; } } });
  clock.f = 103; // mtime 4, 3 steps into the tick
  clint.write64(MTIMECMP(0), 6n);
  assert.equal(mip[0], 0);
  assert.equal(clint.nextDeadlineFine(), 6 * 25 + 3);
  clock.f = 152; // mtime is 6 already, but the phase has not come round
  clint.tick();
  assert.equal(mip[0], 0);
  clock.f = 153;
  clint.tick();
  assert.equal(mip[0], MIP_MTIP);
  clint.write64(MTIMECMP(0), 2n); // in the past: pending at once, whatever the phase
  assert.equal(mip[0], MIP_MTIP);
});

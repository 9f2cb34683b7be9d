import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoldfishRtc } from '../../../engine/devices/goldfish-rtc.ts';
import { fdtProp } from '../../../engine/board/fdt.ts';

const TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c;
const EPOCH = 1_700_000_000_000_000_000n; // ns

function makeRtc() {
  const clock = { t: 1000, now() { return this.t; } };
  const levels: boolean[] = [];
  const rtc = new GoldfishRtc({ name: 'rtc', clock, irq: { set: (l) => levels.push(l) }, epochNs: EPOCH });
  const rd = (off: number) => rtc.read(off, 4);
  const wr = (off: number, v: number) => rtc.write(off, 4, v);
  const readTime = () => {
    const lo = rd(TIME_LOW);
    return (BigInt(rd(TIME_HIGH)) << 32n) | BigInt(lo);
  };
  const line = () => levels.at(-1) ?? false;
  return { rtc, clock, rd, wr, readTime, line };
}

test('time starts at epochNs and advances 100 ns per clock tick', () => {
  const { clock, readTime } = makeRtc();
  assert.equal(readTime(), EPOCH);
  clock.t += 10_000_000; // one second at 10 MHz
  assert.equal(readTime(), EPOCH + 1_000_000_000n);
});

test('reading TIME_LOW latches TIME_HIGH', () => {
  const { clock, rd, wr, readTime } = makeRtc();
  // Put the low word just below a carry.
  const now = readTime();
  wr(TIME_HIGH, Number(now >> 32n));
  wr(TIME_LOW, 0xffffff00);
  const high = Number(now >> 32n);
  assert.equal(rd(TIME_LOW), 0xffffff00);
  clock.t += 10; // +1000 ns: the low word wraps, but the latched high does not move
  assert.equal(rd(TIME_HIGH), high);
  assert.equal(rd(TIME_LOW), 0xffffff00 + 1000 - 2 ** 32);
  assert.equal(rd(TIME_HIGH), high + 1);
});

test('writing TIME (high then low, as Linux does) sets the clock', () => {
  const { clock, wr, readTime } = makeRtc();
  const t = 0x1234_5678_9abc_def0n;
  wr(TIME_HIGH, Number(t >> 32n));
  wr(TIME_LOW, Number(t & 0xffffffffn));
  assert.equal(readTime(), t);
  clock.t += 5;
  assert.equal(readTime(), t + 500n);
});

test('alarm fires at the right virtual time and raises the IRQ when enabled', () => {
  const { rtc, clock, rd, wr, line } = makeRtc();
  assert.equal(rtc.nextDeadline(), Infinity);
  wr(IRQ_ENABLED, 1);
  const alarm = EPOCH + 2_000_050n; // 20000.5 ticks ahead
  wr(ALARM_HIGH, Number(alarm >> 32n));
  wr(ALARM_LOW, Number(alarm & 0xffffffffn));
  assert.equal(rd(ALARM_STATUS), 1);
  assert.equal(rtc.nextDeadline(), 1000 + 20001);
  clock.t = 1000 + 20000;
  rtc.tick();
  assert.equal(line(), false);
  clock.t = rtc.nextDeadline();
  rtc.tick();
  assert.equal(line(), true);
  assert.equal(rd(ALARM_STATUS), 0);
  assert.equal(rtc.nextDeadline(), Infinity);
  wr(CLEAR_INTERRUPT, 1);
  assert.equal(line(), false);
});

test('an alarm in the past fires at once; IRQ_ENABLED gates the line; CLEAR_ALARM cancels', () => {
  const { rtc, rd, wr, line } = makeRtc();
  wr(ALARM_HIGH, Number(EPOCH >> 32n));
  wr(ALARM_LOW, Number((EPOCH - 1n) & 0xffffffffn));
  assert.equal(rd(ALARM_STATUS), 0);
  assert.equal(line(), false); // pending but not enabled
  wr(IRQ_ENABLED, 1);
  assert.equal(rd(IRQ_ENABLED), 1);
  assert.equal(line(), true);
  wr(CLEAR_INTERRUPT, 1);
  assert.equal(line(), false);
  const later = EPOCH + 1_000_000n;
  wr(ALARM_HIGH, Number(later >> 32n));
  wr(ALARM_LOW, Number(later & 0xffffffffn));
  assert.equal(rd(ALARM_LOW), Number(later & 0xffffffffn));
  assert.equal(rd(ALARM_STATUS), 1);
  wr(CLEAR_ALARM, 1);
  assert.equal(rd(ALARM_STATUS), 0);
  assert.equal(rtc.nextDeadline(), Infinity);
});

test('saveState/loadState round-trip', () => {
  const a = makeRtc();
  a.wr(IRQ_ENABLED, 1);
  const alarm = EPOCH + 500n;
  a.wr(ALARM_HIGH, Number(alarm >> 32n));
  a.wr(ALARM_LOW, Number(alarm & 0xffffffffn));
  const b = makeRtc();
  b.rtc.loadState(JSON.parse(JSON.stringify(a.rtc.saveState())));
  assert.deepEqual(b.rtc.describe(), a.rtc.describe());
  assert.equal(b.rtc.nextDeadline(), a.rtc.nextDeadline());
});

test('fdtNode matches QEMU virt', () => {
  const { rtc } = makeRtc();
  const n = rtc.fdtNode(0x101000, 0x1000, { plicPhandle: 5, cpuIntcPhandles: [4] });
  assert.equal(n.name, 'rtc@101000');
  assert.deepEqual(fdtProp(n, 'compatible'), { str: 'google,goldfish-rtc' });
  assert.deepEqual(fdtProp(n, 'reg'), { u32: [0, 0x101000, 0, 0x1000] });
  assert.deepEqual(fdtProp(n, 'interrupts'), { u32: [11] });
  assert.deepEqual(fdtProp(n, 'interrupt-parent'), { u32: [5] });
});

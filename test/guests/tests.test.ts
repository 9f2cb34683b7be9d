// Our self-checking test guests (guests/tests/*.elf, M-mode, -bios none) pass on the engine:
// each compares its results with expected values and powers off with 0, or fails with its test number.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Machine } from '../../engine/machine.ts';
import { ROOT } from '../helpers/cli.ts';

const DIR = resolve(ROOT, 'guests/tests');
const guests = readdirSync(DIR).filter((f) => f.endsWith('.elf')).sort();

test('there are test guests', () => assert.ok(guests.length >= 10));

for (const g of guests) {
  test(`guests/tests/${g} passes`, () => {
    const m = Machine.create({ bios: 'none', kernel: resolve(DIR, g) });
    const r = m.runToEnd(20_000_000);
    assert.deepEqual(r, { reason: 'poweroff', exitCode: 0 }, m.takeOutput());
  });
}

test('HTIF: a guest with a tohost symbol reports through it on -machine spike', () => {
  // Every test guest writes tohost (1 = pass) before the test device; check the engine saw the symbol.
  const m = Machine.create({ bios: 'none', kernel: resolve(DIR, 'rv64i.elf'), machine: 'spike' });
  assert.ok(m.tohost >= 0x80000000, 'tohost symbol located');
  const r = m.runToEnd(20_000_000);
  assert.deepEqual(r, { reason: 'poweroff', exitCode: 0 });
  // It was HTIF that stopped the machine: tohost holds 1 and the test device was never written.
  const off = m.board.bus.ramOffset(m.tohost, 8);
  assert.equal(new DataView(m.board.bus.ram.buffer).getBigUint64(off, true), 1n);
  assert.equal(m.board.test.saveState().lastWrite, 0);
});

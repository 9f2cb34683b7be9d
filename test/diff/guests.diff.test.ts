// Lockstep of every test guest (guests/tests/*.elf) against QEMU: zero divergences beyond the
// documented allowed kinds (lockstep.ts, DEFAULT_ALLOWED), with mtime compared after every step
// as well, so the two virtual clocks agree exactly (timer interrupts at the same instruction).
// Skipped only when QEMU is not installed; an engine that diverges fails, with the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { qemuUnavailableReason } from './qemu.ts';
import { DEFAULT_ALLOWED, formatResult, runLockstep } from './lockstep.ts';

const GUEST_DIR = join(__dirname, '..', '..', 'guests', 'tests');
const guests = readdirSync(GUEST_DIR)
  .filter((f) => f.endsWith('.elf'))
  .sort();

test('the test guests exist', () => {
  assert.ok(guests.length >= 10, `guests in ${GUEST_DIR}: ${guests.join(', ')}`);
});

for (const g of guests) {
  test(`lockstep: ${g}`, async (t) => {
    const why = qemuUnavailableReason();
    if (why) {
      t.skip(why);
      return;
    }
    const r = await runLockstep({ kernel: join(GUEST_DIR, g), maxSteps: 500_000, allow: DEFAULT_ALLOWED, compareTime: true });
    t.diagnostic(formatResult(r).split('\n')[0]);
    assert.equal(r.divergences.length, 0, formatResult(r));
    assert.ok(r.end === 'qemu-exit' || r.end === 'engine-poweroff', `the guest did not finish: ${formatResult(r)}`);
    assert.equal(r.qemuExitCode, 0, `QEMU exit status ${r.qemuExitCode}: ${r.qemuOutput}`);
    assert.equal(r.engineExitCode, 0, `engine exit status ${r.engineExitCode}: ${r.engineOutput}`);
  });
}

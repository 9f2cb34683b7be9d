// The first 100,000 instructions of OpenSBI + U-Boot in lockstep with QEMU: zero divergences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResult } from './lockstep.ts';
import { bootLockstep, bootUnavailableReason } from './boot.ts';

test('lockstep: OpenSBI + U-Boot, 100k steps', async (t) => {
  const why = bootUnavailableReason();
  if (why) {
    t.skip(why);
    return;
  }
  const r = await bootLockstep(100_000, (s) => t.diagnostic(s));
  assert.equal(r.divergences.length, 0, formatResult(r));
  assert.equal(r.steps, 100_000, formatResult(r));
});

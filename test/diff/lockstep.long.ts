// `npm run test:lockstep`: the first 1,000,000 instructions of OpenSBI + U-Boot in lockstep with
// QEMU (a few minutes). Not part of the normal suite (boot.diff.test.ts runs 100,000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResult } from './lockstep.ts';
import { bootLockstep, bootUnavailableReason } from './boot.ts';

test('lockstep: OpenSBI + U-Boot, 1M steps', async (t) => {
  const why = bootUnavailableReason();
  if (why) {
    t.skip(why);
    return;
  }
  const r = await bootLockstep(1_000_000, (s) => t.diagnostic(s));
  assert.equal(r.divergences.length, 0, formatResult(r));
  assert.equal(r.steps, 1_000_000, formatResult(r));
});

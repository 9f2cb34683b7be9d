// The engine's debug interface: execute breakpoints, data watchpoints, and stops a debugger asks for
// from an event listener (its trap and hypercall filters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, RAM_BASE } from '../helpers/asm.ts';

const DATA = RAM_BASE + 0x10000;

/** A loop that reads, adds and stores a counter at DATA, with an AMO and a page-crossing store. */
const program = [
  '  li s0, 0x80010000',
  '  li s1, 0',
  'loop:',
  '  ld t0, 0(s0)',
  'add:',
  '  addi t0, t0, 1',
  'store:',
  '  sd t0, 0(s0)',
  'after_store:',
  '  sd t0, 64(s0)',
  '  li t1, 1',
  '  addi t3, s0, 128',
  '  amoadd.d t2, t1, (t3)',
  'after_amo:',
  '  addi s1, s1, 1',
  '  j loop',
];

test('a write watchpoint stops after the storing instruction and says what it hit', () => {
  const g = guest(program);
  g.m.setWatchpoints([{ id: 7, start: DATA, end: DATA + 8, physical: false, read: false, write: true }]);
  const r = g.m.run(1000);
  assert.equal(r.reason, 'watchpoint');
  if (r.reason !== 'watchpoint') return;
  assert.equal(r.hit.id, 7);
  assert.equal(r.hit.write, true);
  assert.equal(r.hit.address, DATA);
  assert.equal(r.hit.size, 8);
  assert.equal(r.hit.pc, BigInt(g.prog.at('store')));
  assert.equal(g.h.pc, g.prog.at('after_store'), 'the pc is past the store');
  // Go on: the next hit is the next iteration's store, with the counter at 2.
  const r2 = g.m.run(1000);
  assert.equal(r2.reason, 'watchpoint');
  assert.equal(g.h.getX(5), 2n);
});

test('read and physical watchpoints, atomics, and removal', () => {
  const g = guest(program);
  g.m.setWatchpoints([{ id: 1, start: DATA + 4, end: DATA + 5, physical: true, read: true, write: false }]);
  const r = g.m.run(1000);
  assert.ok(r.reason === 'watchpoint' && !r.hit.write && r.hit.pc === BigInt(g.prog.at('loop')), JSON.stringify(r, (_k, v) => typeof v === 'bigint' ? v.toString(16) : v));
  // The AMO both reads and writes its word.
  g.m.setWatchpoints([{ id: 2, start: DATA + 128, end: DATA + 136, physical: false, read: false, write: true }]);
  const a = g.m.run(1000);
  assert.ok(a.reason === 'watchpoint' && a.hit.id === 2 && a.hit.pc === BigInt(g.prog.at('after_amo') - 4));
  // Removed: the loop runs its budget out, and the data TLB is used again.
  g.m.setWatchpoints([]);
  assert.equal(g.m.run(10_000).reason, 'budget');
  assert.ok(g.h.getX(9) > 500n);
});

test('breakpoints are found through the page index, also when added or removed between runs', () => {
  const g = guest(program);
  const bp = g.prog.at('add');
  g.h.breakpoints.add(bp);
  assert.deepEqual(g.m.run(1000), { reason: 'breakpoint', hart: 0 });
  assert.equal(g.h.pc, bp);
  assert.deepEqual(g.m.run(1000), { reason: 'breakpoint', hart: 0 }, 'hit again on the next iteration');
  assert.equal(g.h.getX(9), 1n);
  g.h.breakpoints.delete(bp);
  g.h.breakpoints.add(g.prog.at('after_amo'));
  assert.deepEqual(g.m.run(1000), { reason: 'breakpoint', hart: 0 });
  assert.equal(g.h.pc, g.prog.at('after_amo'));
  // A breakpoint on another page only (far away): never hit, the loop just runs.
  g.h.breakpoints.clear();
  g.h.breakpoints.add(RAM_BASE + 0x5000);
  assert.equal(g.m.run(5000).reason, 'budget');
});

test('requestDebugStop from an event listener stops the machine right after the trap it reports', () => {
  const g = guest([
    '  la t0, handler',
    '  csrw mtvec, t0',
    '  li s1, 0',
    'loop:',
    '  addi s1, s1, 1',
    '  ecall',
    '  j loop',
    'handler:',
    '  csrr t1, mepc',
    '  addi t1, t1, 4',
    '  csrw mepc, t1',
    '  mret',
  ]);
  let traps = 0;
  g.m.events.on((e) => {
    if (e.kind === 'trap' && ++traps === 3) g.m.requestDebugStop();
  }, ['trap']);
  const r = g.m.run(100_000);
  assert.deepEqual(r, { reason: 'debug', hart: 0 });
  assert.equal(traps, 3);
  assert.equal(g.h.pc, g.prog.at('handler'), 'stopped at the trap vector');
  assert.equal(g.h.getX(9), 3n);
  assert.equal(g.m.run(100).reason, 'budget', 'the request was used up');
});

// Virtual time (engine/machine.ts, docs/architecture.md "Time and determinism"): the rules that make
// the engine's clock equal QEMU -icount's at every instruction. The lockstep suite (test/diff) checks
// the same against QEMU itself; these tests pin each rule down without QEMU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, guest, runTo, RAM_BASE } from '../helpers/asm.ts';
import { STEPS_PER_TICK } from '../../engine/machine.ts';

/** An M-mode trap handler that skips the faulting instruction (all tests' instructions are 4 bytes). */
const SKIP_HANDLER = [
  'handler:',
  '  csrr t6, mepc',
  '  addi t6, t6, 4',
  '  csrw mepc, t6',
  '  mret',
];

test('a trap raised while an instruction executes is not time; ECALL and unknown encodings are', () => {
  const g = guest([
    '  la t0, handler',
    '  csrw mtvec, t0',
    '  li t1, 0x200',
    'faults:',
    '  ld a0, 0(t1)', // load access fault (nothing at 0x200)
    '  sd a0, 0(t1)', // store access fault
    '  csrr a0, 0x7c0', // a custom CSR the hart lacks: illegal when executed
    'counted:',
    '  ecall',
    '  .word 0xffffffff', // no such encoding: illegal at decode
    'end:',
    '  j end',
    ...SKIP_HANDLER,
  ]);
  runTo(g, 'faults');
  const s0 = g.h.steps, v0 = g.m.vtime, u0 = g.h.untimedSteps;
  runTo(g, 'counted');
  assert.equal(g.h.untimedSteps - u0, 3, 'three faults, none of them time');
  assert.equal(g.m.vtime - v0, g.h.steps - s0 - 3);
  const s1 = g.h.steps, v1 = g.m.vtime;
  runTo(g, 'end');
  assert.equal(g.h.untimedSteps - u0, 3, 'ECALL and the unknown encoding are time');
  assert.equal(g.m.vtime - v1, g.h.steps - s1);
});

test('a reserved rounding mode is found when the instruction executes: not time', () => {
  const g = guest([
    '  la t0, handler',
    '  csrw mtvec, t0',
    '  li t0, 0x2000',
    '  csrs mstatus, t0', // FS = initial
    'start:',
    '  .word 0x02a5d553', // fadd.d fa0, fa1, fa0 with rm = 5 (reserved)
    'end:',
    '  j end',
    ...SKIP_HANDLER,
  ]);
  runTo(g, 'start');
  const u0 = g.h.untimedSteps;
  runTo(g, 'end');
  assert.equal(g.h.getCsr(0x342), 2n, 'illegal instruction');
  assert.equal(g.h.untimedSteps - u0, 1);
});

test('reading time counts the reading instruction itself', () => {
  // The 25th instruction from reset sees mtime 1 (24 before it, plus itself); the 24th sees 0.
  const prog = (before: number) => [...Array.from({ length: before }, () => '  addi x0, x0, 0'), '  csrr a0, time', 'end:', '  j end'];
  for (const [before, want] of [[STEPS_PER_TICK - 1, 1n], [STEPS_PER_TICK - 2, 0n]] as const) {
    const g = guest(prog(before));
    runTo(g, 'end');
    assert.equal(g.h.getX(10), want, `${before} instructions before the read`);
  }
});

/**
 * Runs a guest that writes a timer compare and then executes straight-line code with that timer's
 * interrupt enabled; returns the number of instructions executed before the interrupt was taken
 * (= the virtual time, in steps, at which it fired: nothing here traps or waits). Every
 * instruction is 4 bytes, so that number is mepc's offset / 4.
 */
function fireStep(setup: string[], write: string, lead: number): number {
  const pre = ['  la t0, handler', '  csrw mtvec, t0', '  csrsi mstatus, 8', ...setup];
  const count = (lines: string[]) => (assemble([...lines, 'handler:']).at('handler') - RAM_BASE) / 4;
  const pad = lead - count(pre);
  assert.ok(pad >= 0);
  const g = guest([
    ...pre,
    ...Array.from({ length: pad }, () => '  addi x0, x0, 0'),
    write,
    '  csrs mie, t2',
    ...Array.from({ length: 300 }, () => '  addi x0, x0, 0'),
    'handler:',
    '  j handler',
  ]);
  runTo(g, 'handler', 1000);
  return Number((g.h.getCsr(0x341) ?? 0n) - BigInt(RAM_BASE)) / 4;
}

for (const phase of [0, 7, 24]) {
  test(`compares fire (compare − time) ticks after the write, keeping its sub-tick phase (${phase})`, () => {
    // The write is preceded by 2·25 + phase − 1 instructions, so it sees 50 + phase steps (its own
    // included): mtime 2. A compare of 5 fires 3 ticks later, at step 125 + phase.
    const lead = 2 * STEPS_PER_TICK + phase - 1;
    const want = 5 * STEPS_PER_TICK + phase;
    const clint = fireStep(['  li t0, 0x2004000', '  li t1, 5', '  li t2, 0x80'], '  sd t1, 0(t0)', lead);
    assert.equal(clint, want, 'CLINT mtimecmp');
    const sstc = fireStep(['  li t0, 1', '  slli t0, t0, 63', '  csrs menvcfg, t0', '  li t1, 5', '  li t2, 0x20'], '  csrw stimecmp, t1', lead);
    assert.equal(sstc, want, 'Sstc stimecmp');
  });
}

// Machine-level behaviour (engine/machine.ts) that no single device or hart test covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { guest } from '../helpers/asm.ts';
import { ROOT } from '../helpers/cli.ts';
import { Machine } from '../../engine/machine.ts';
import { Csr } from '../../engine/cpu/csr.ts';

test('a reboot (syscon reset) restarts from the reset vector with every device at power-on', () => {
  // First boot: program the UART (IER, LCR, scratch), arm the RTC alarm, then reboot through the
  // sifive_test finisher. -bios none: after the reset the boot ROM jumps to the program again, whose
  // first instruction tells the runs apart by a RAM cell that a reset clears.
  const g = guest([
    '  li t0, 0x10000000',
    '  li t1, 0x0f',
    '  sb t1, 1(t0)', // IER
    '  li t1, 0x5a',
    '  sb t1, 7(t0)', // SCR
    '  li t1, 0x03',
    '  sb t1, 3(t0)', // LCR
    '  li t0, 0x100000',
    '  li t1, 0x7777',
    '  sw t1, 0(t0)', // reboot
    'hang:',
    '  j hang',
  ]);
  const uart = g.m.board.uart;
  for (let i = 0; i < 100 && uart.read(3, 1) !== 0x03; i++) g.m.run(1);
  assert.equal(uart.read(1, 1), 0x0f, 'programmed before the reboot');
  assert.equal(uart.read(7, 1), 0x5a);
  const resets: number[] = [];
  g.m.events.on((e) => { if (e.kind === 'reset') resets.push(g.m.vtime); });
  for (let i = 0; i < 20 && resets.length === 0; i++) g.m.run(1);
  assert.equal(resets.length, 1, 'the machine reset');
  assert.equal(g.h.pc, 0x1000, 'the hart restarts at the reset vector');
  assert.equal(uart.read(1, 1), 0, 'IER back to 0');
  assert.equal(uart.read(7, 1), 0, 'SCR back to 0');
  assert.equal(uart.read(3, 1), 0, 'LCR back to 0');
});

test('with noReboot (QEMU -no-reboot) a reboot ends the run with status 0', () => {
  const g = guest(['  li t0, 0x100000', '  li t1, 0x7777', '  sw t1, 0(t0)', 'hang:', '  j hang'], { noReboot: true });
  assert.deepEqual(g.m.runToEnd(1000), { reason: 'poweroff', exitCode: 0 });
});

test('an SBI IPI while the PLIC drives SEIP does not latch SEIP: the line going low clears it', () => {
  // Linux 6.1 with 2 harts hung at poweroff: hart 1's IPI reached hart 0 while a virtio interrupt was
  // pending, and the SBI's read-modify-write of mip copied that SEIP into the software bit for ever.
  const m = Machine.create({ kernel: resolve(ROOT, 'guests/demo/demo.elf'), harts: 2 });
  const [h0, h1] = m.harts;
  const plic = m.board.plic;
  const SRC = 8; // a virtio-mmio slot's line
  plic.write(4 * SRC, 4, 1); // priority 1
  plic.write(0x2000 + 0x80 * 1, 4, 1 << SRC); // enabled in hart 0's S-mode context
  const line = plic.irqLine(SRC);
  line.set(true);
  assert.equal(h0.getCsr(Csr.MIP)! & 0x200n, 0x200n, 'the PLIC drives SEIP');
  // Hart 1 sends hart 0 an IPI through the engine's SBI (a7 = IPI, a6 = send_ipi, a0 = mask, a1 = base).
  h1.setX(17, 0x735049n); h1.setX(16, 0n); h1.setX(10, 1n); h1.setX(11, 0n);
  assert.equal(m.sbi!.call(h1), true);
  assert.equal(h0.getCsr(Csr.MIP)! & 0x202n, 0x202n, 'SSIP raised, SEIP still driven');
  line.set(false);
  assert.equal(h0.getCsr(Csr.MIP)! & 0x202n, 0x2n, 'SEIP follows the line; SSIP stays until cleared');
});

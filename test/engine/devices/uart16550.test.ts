import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Uart16550 } from '../../../engine/devices/uart16550.ts';
import { fdtProp } from '../../../engine/board/fdt.ts';

const RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function makeUart() {
  const out: number[] = [];
  const levels: boolean[] = [];
  const uart = new Uart16550({ name: 'uart0', irq: { set: (l) => levels.push(l) }, onOutput: (b) => out.push(b) });
  const rd = (off: number) => uart.read(off, 1);
  const wr = (off: number, v: number) => uart.write(off, 1, v);
  const line = () => levels.at(-1) ?? false;
  return { uart, out, levels, rd, wr, line };
}

test('THR write goes straight to onOutput; LSR shows THRE and TEMT', () => {
  const { out, rd, wr } = makeUart();
  for (const c of 'hi\n') wr(RBR, c.charCodeAt(0));
  assert.deepEqual(out, [0x68, 0x69, 0x0a]);
  assert.equal(rd(LSR), 0x60);
});

test('RX FIFO delivers bytes in order and DR follows it', () => {
  const { uart, rd, wr } = makeUart();
  wr(FCR, 0x07);
  assert.equal(rd(LSR) & 1, 0);
  uart.receive([1, 2, 3]);
  assert.equal(rd(LSR) & 1, 1);
  assert.deepEqual([rd(RBR), rd(RBR), rd(RBR)], [1, 2, 3]);
  assert.equal(rd(LSR) & 1, 0);
  assert.equal(rd(RBR), 0);
});

test('long host input is not lost: it feeds the FIFO as the guest reads', () => {
  const { uart, rd, wr } = makeUart();
  wr(FCR, 0x01);
  const text = Array.from({ length: 10000 }, (_, i) => i & 0xff);
  assert.equal(uart.receive(text), text.length);
  const got: number[] = [];
  while (rd(LSR) & 1) got.push(rd(RBR));
  assert.deepEqual(got, text);
});

test('FCR clear drops only what is in the FIFO (16 bytes; 1 byte with FIFOs off)', () => {
  const { uart, rd, wr } = makeUart();
  wr(FCR, 0x01);
  uart.receive(Array.from({ length: 20 }, (_, i) => i));
  wr(FCR, 0x03);
  assert.equal(rd(RBR), 16);
  wr(FCR, 0x00); // turning the FIFOs off clears them: 17..19 go
  assert.equal(rd(LSR) & 1, 0);
  uart.receive([1, 2, 3]);
  wr(FCR, 0x02); // FIFOs off: the "FIFO" is the one holding register
  assert.equal(rd(RBR), 2);
});

test('DLAB banks DLL/DLM over RBR/THR and IER', () => {
  const { out, rd, wr } = makeUart();
  wr(IER, 0x05);
  wr(LCR, 0x83);
  wr(RBR, 0x0c);
  wr(IER, 0x00);
  assert.deepEqual(out, []);
  assert.equal(rd(RBR), 0x0c);
  assert.equal(rd(IER), 0x00);
  wr(LCR, 0x03);
  assert.equal(rd(IER), 0x05);
  wr(LCR, 0x83);
  assert.equal(rd(RBR), 0x0c);
  assert.equal(rd(LCR), 0x83);
  wr(SCR, 0x5a);
  assert.equal(rd(SCR), 0x5a);
});

test('RX data interrupt raises and lowers the IRQ line', () => {
  const { uart, rd, wr, line } = makeUart();
  wr(IER, 0x01);
  assert.equal(line(), false);
  assert.equal(rd(IIR), 0x01);
  uart.receive([0x41]);
  assert.equal(line(), true);
  assert.equal(rd(IIR), 0x04);
  rd(RBR);
  assert.equal(line(), false);
  assert.equal(rd(IIR), 0x01);
});

test('FIFO mode: RX trigger level chooses data-available vs character timeout', () => {
  const { uart, rd, wr } = makeUart();
  wr(FCR, 0x81); // FIFOs on, trigger 8
  wr(IER, 0x01);
  uart.receive([1, 2, 3]);
  assert.equal(rd(IIR), 0xcc); // timeout, FIFO bits set
  uart.receive([4, 5, 6, 7, 8]);
  assert.equal(rd(IIR), 0xc4);
});

test('THRE interrupt: raised when ETBEI is newly enabled, cleared by reading IIR, raised again after a THR write', () => {
  const { rd, wr, line, out } = makeUart();
  wr(IER, 0x02);
  assert.equal(line(), true);
  assert.equal(rd(IIR), 0x02);
  assert.equal(line(), false);
  assert.equal(rd(IIR), 0x01);
  wr(IER, 0x02); // no transition: nothing new
  assert.equal(line(), false);
  wr(RBR, 0x41); // THR empties again at once
  assert.deepEqual(out, [0x41]);
  assert.equal(line(), true);
  wr(IER, 0x00);
  assert.equal(line(), false);
  wr(IER, 0x02); // re-enabling while THR is empty raises it again (Linux's UART_BUG_THRE probe)
  assert.equal(rd(IIR), 0x02);
});

test('IIR priority: line status > RX data > THRE > modem status', () => {
  const { uart, rd, wr } = makeUart();
  wr(IER, 0x0f);
  wr(MCR, 0x10); // loopback: MSR lines change (CTS/DSR/DCD drop) → modem status delta
  assert.equal(rd(IIR), 0x02); // THRE (newly enabled) outranks modem status
  assert.equal(rd(IIR), 0x00); // then modem status
  assert.equal(rd(MSR) & 0x0f, 0x0b); // DCTS DDSR DDCD
  assert.equal(rd(IIR), 0x01);
  // Overrun in loopback: write 2 bytes with FIFOs off.
  wr(RBR, 1);
  wr(RBR, 2);
  assert.equal(rd(IIR), 0x06); // receiver line status first
  assert.equal(rd(LSR) & 0x03, 0x03); // DR and OE; reading clears OE
  assert.equal(rd(IIR), 0x04); // then RX data
  assert.equal(rd(RBR), 1);
  assert.equal(rd(IIR), 0x02); // then THRE from the transmissions
  assert.equal(uart.describe().registers.find((r) => r.name === 'IIR')?.value, 0x01);
});

test('loopback mirrors MCR into MSR as Linux 8250 autoconfig expects', () => {
  const { rd, wr, out } = makeUart();
  assert.equal(rd(MSR) & 0xf0, 0xb0); // no modem: CTS DSR DCD
  wr(MCR, 0x10 | 0x0a);
  assert.equal(rd(MSR) & 0xf0, 0x90);
  wr(RBR, 0x55);
  assert.deepEqual(out, []);
  assert.equal(rd(RBR), 0x55);
});

test('describe() has no side effects and saveState/loadState round-trip', () => {
  const a = makeUart();
  a.wr(FCR, 0xc1);
  a.wr(IER, 0x03);
  a.uart.receive([9, 8, 7]);
  const before = a.uart.describe();
  assert.deepEqual(a.uart.describe(), before);
  const lsr = before.registers.find((r) => r.name === 'LSR');
  assert.equal(lsr?.detail, 'DR THRE TEMT');
  const b = makeUart();
  b.uart.loadState(JSON.parse(JSON.stringify(a.uart.saveState())));
  assert.equal(b.line(), true);
  assert.deepEqual(b.uart.describe().registers, before.registers);
  assert.deepEqual([b.rd(RBR), b.rd(RBR), b.rd(RBR)], [9, 8, 7]);
});

test('fdtNode matches QEMU virt', () => {
  const { uart } = makeUart();
  const n = uart.fdtNode(0x10000000, 0x100, { plicPhandle: 5, cpuIntcPhandles: [4] });
  assert.equal(n.name, 'serial@10000000');
  assert.deepEqual(fdtProp(n, 'compatible'), { str: 'ns16550a' });
  assert.deepEqual(fdtProp(n, 'reg'), { u32: [0, 0x10000000, 0, 0x100] });
  assert.deepEqual(fdtProp(n, 'clock-frequency'), { u32: [0x384000] });
  assert.deepEqual(fdtProp(n, 'interrupts'), { u32: [10] });
  assert.deepEqual(fdtProp(n, 'interrupt-parent'), { u32: [5] });
});

// The extension's text (extension/format.ts) from real records and real adapter answers: the demo
// guest's hypercalls and traps as the views' rows, a disassembly document, a hex dump, the ELF check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Machine } from '../../engine/machine.ts';
import { traceRecord } from '../../engine/trace.ts';
import { ROOT } from '../helpers/cli.ts';
import { formatDisassembly, hexDump, hypercallRow, isRiscvElf, trapRow } from '../../extension/format.ts';
import type { TraceRecord } from '../../extension/records.ts';

const DEMO = resolve(ROOT, 'guests/demo/demo.elf');

function demoRecords(): TraceRecord[] {
  const m = Machine.create({ kernel: DEMO });
  const out: TraceRecord[] = [];
  m.events.on((e) => { if (e.kind === 'hypercall' || e.kind === 'trap') out.push(traceRecord(e, m.nowSteps()) as unknown as TraceRecord); }, ['hypercall', 'trap']);
  assert.equal(m.runToEnd(100_000_000).reason, 'poweroff');
  return out;
}

test('hypercall and trap rows name the call, its arguments, result, time, hart and modes', () => {
  const recs = demoRecords();
  const version = recs.find((r) => r.k === 'hypercall' && r.fn === 'get_spec_version')!;
  const row = hypercallRow(version);
  assert.equal(row.label, 'BASE.get_spec_version() → 0x2000000');
  assert.equal(row.description, `#${version.instret} · hart 0 · S · pc ${version.pc}`);
  assert.match(row.tooltip, /a5 = `0x[0-9a-f]+`/, 'every register in the tooltip');
  assert.match(row.tooltip, /`struct sbiret sbi_get_spec_version\(void\)`/);
  const probe = recs.find((r) => r.k === 'hypercall' && r.fn === 'probe_extension' && r.value === '0x0');
  if (probe) assert.match(hypercallRow(probe).label, /^BASE\.probe_extension\(0x[0-9a-f]+\) → 0x0$/);
  const write = recs.find((r) => r.k === 'hypercall' && r.ext === 'DBCN')!;
  assert.match(hypercallRow(write).label, /^DBCN\.console_write\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x0\) → 0x[0-9a-f]+$/, 'num_bytes, base_addr_lo, base_addr_hi');
  assert.match(hypercallRow(write).tooltip, /a1 = `0x[0-9a-f]+` — base_addr_lo/);
  const timer = recs.find((r) => r.k === 'hypercall' && r.ext === 'TIME')!;
  assert.match(hypercallRow(timer).label, /^TIME\.set_timer\(0x[0-9a-f]+\) → 0x0$/);
  const failed = hypercallRow({ ...version, error: -2, value: '0x0' });
  assert.match(failed.label, /→ SBI_ERR_NOT_SUPPORTED$/);
  assert.match(failed.tooltip, /\*\*SBI_ERR_NOT_SUPPORTED \(-2: not supported\)\*\*/);
  const unknown = hypercallRow({ ...version, eid: '0x9000000', ext: null, fid: 3, fn: null, args: ['0x5', '0x0', '0x0', '0x0', '0x0', '0x0'] });
  assert.equal(unknown.label, '0x9000000.3(0x5) → 0x2000000', 'unknown calls: the arguments up to the last non-zero');
  const ecall = recs.find((r) => r.k === 'trap' && r.name === 'ecall from U-mode')!;
  assert.match(trapRow(ecall).label, /^ecall from U-mode, tval 0x0$/);
  assert.match(trapRow(ecall).description, /^#\d+ · hart 0 · U→S · epc 0x[0-9a-f]+$/);
  const tick = recs.find((r) => r.k === 'interrupt')!;
  assert.equal(trapRow(tick).label, 'supervisor timer interrupt');
});

test('a disassembly document: symbol labels, objdump-style lines, source comments, the target marked', () => {
  const text = formatDisassembly([
    { address: '0x80200000', instructionBytes: '97 02 00 00', instruction: 'auipc t0, 0x0', symbol: '_start', location: { name: 'entry.S', path: '/x/entry.S' }, line: 20 },
    { address: '0x80200004', instructionBytes: '93 82 02 02', instruction: 'addi t0, t0, 32', symbol: '_start', location: { name: 'entry.S', path: '/x/entry.S' }, line: 20 },
    { address: '0x80200008', instructionBytes: '0000', instruction: 'unknown', presentationHint: 'invalid' },
    { address: '0x8020000c', instructionBytes: '82 80', instruction: 'ret', symbol: 'kmain', location: { name: 'main.c', path: '/x/main.c' }, line: 7 },
  ], 0x80200004n);
  const lines = text.split('\n');
  assert.ok(lines.includes('0000000080200000 <_start>:'));
  assert.ok(lines.some((l) => /^ {4}80200000:\t00000297\tauipc\tt0, 0x0 +# entry\.S:20$/.test(l)), text);
  assert.ok(lines.some((l) => /^=> {2}80200004:\t02028293\taddi\tt0, t0, 32$/.test(l)), 'same source line: no second comment');
  assert.ok(!text.includes('unknown'));
  assert.ok(lines.some((l) => /^ {4}8020000c:.*ret +# main\.c:7$/.test(l)));
});

test('a hex dump: address, bytes, printable text', () => {
  const bytes = new Uint8Array(20).map((_, i) => 0x41 + i);
  bytes[3] = 0;
  const lines = hexDump(bytes, 0x80200000n).trim().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[0], '0000000080200000  41 42 43 00 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50  |ABC.EFGHIJKLMNOP|');
  assert.equal(lines[1], '0000000080200010  51 52 53 54' + ' '.repeat(36) + '  |QRST|');
});

test('the kernel picker knows a RISC-V ELF from others', () => {
  assert.equal(isRiscvElf(readFileSync(DEMO).subarray(0, 20)), true);
  assert.equal(isRiscvElf(readFileSync(process.execPath).subarray(0, 20)), false, 'the host node binary');
  assert.equal(isRiscvElf(new Uint8Array(8)), false);
});

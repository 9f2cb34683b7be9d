// Trace files (engine/trace.ts, docs/trace-format.md): the demo guest's event stream, line by line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Machine } from '../../engine/machine.ts';
import { TraceWriter, TRACE_FORMAT, TRACE_VERSION } from '../../engine/trace.ts';
import { ROOT } from '../helpers/cli.ts';
import { guest } from '../helpers/asm.ts';

const DEMO = resolve(ROOT, 'guests/demo/demo.elf');

function traceDemo(kinds?: Parameters<typeof Machine.prototype.events.on>[1]): Array<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-trace-'));
  try {
    const file = join(dir, 't.jsonl');
    const m = Machine.create({ kernel: DEMO, rtcEpochNs: 0n });
    const w = new TraceWriter(m, file, kinds);
    assert.deepEqual(m.runToEnd(100_000_000), { reason: 'poweroff', exitCode: 0 });
    w.close();
    return readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a trace holds a header, every hypercall and trap with names, and an end line', () => {
  const lines = traceDemo();
  const [head, ...rest] = lines;
  assert.equal(head.format, TRACE_FORMAT);
  assert.equal(head.version, TRACE_VERSION);
  const end = rest.pop()!;
  assert.equal(end.k, 'end');
  assert.equal(end.events, rest.length);
  const calls = rest.filter((r) => r.k === 'hypercall');
  assert.ok(calls.some((c) => c.ext === 'BASE' && c.fn === 'get_spec_version' && c.value === '0x2000000'));
  assert.ok(calls.some((c) => c.ext === 'TIME' && c.fn === 'set_timer'));
  assert.ok(calls.some((c) => c.ext === 'DBCN' && c.fn === 'console_write'));
  assert.ok(calls.every((c) => Array.isArray(c.args) && (c.args as unknown[]).length === 6 && typeof c.instret === 'number'));
  const srst = calls.at(-1)!;
  assert.equal(srst.fn, 'system_reset');
  assert.ok(rest.some((r) => r.k === 'interrupt' && r.name === 'supervisor timer' && r.from === 'U' && r.to === 'S'));
  assert.ok(rest.some((r) => r.k === 'trap' && r.name === 'ecall from U-mode'));
  assert.ok(rest.some((r) => r.k === 'poweroff' && r.code === 0));
  // Virtual time never goes backwards.
  for (let i = 1; i < rest.length; i++) assert.ok((rest[i].vt as number) >= (rest[i - 1].vt as number));
});

test('device events: interrupt lines into the PLIC', () => {
  // The demo prints through SBI DBCN, not the UART: no lines move. A guest that enables the UART's
  // transmit-empty interrupt raises source 10.
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-trace-'));
  try {
    const file = join(dir, 't.jsonl');
    const g = guest(['  li t0, 0x10000000', '  li t1, 2', '  sb t1, 1(t0)', 'end:', '  j end']);
    const w = new TraceWriter(g.m, file);
    g.m.run(100);
    w.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l.k === 'device' && l.device === 'plic' && l.what === 'irq-line' && l.source === 10 && l.level === true));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the header names the symbol files it is given, and none otherwise', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-trace-'));
  try {
    const m = Machine.create({ kernel: DEMO, rtcEpochNs: 0n });
    const header = (symbols?: string[]): Record<string, unknown> => {
      const file = join(dir, 't.jsonl');
      new TraceWriter(m, file, undefined, symbols).close();
      return JSON.parse(readFileSync(file, 'utf8').split('\n')[0]) as Record<string, unknown>;
    };
    assert.deepEqual(header([DEMO]).symbols, [DEMO]);
    assert.equal('symbols' in header(), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trace can be limited to some kinds', () => {
  const lines = traceDemo(['hypercall']);
  const kinds = new Set(lines.slice(1, -1).map((r) => r.k));
  assert.deepEqual([...kinds], ['hypercall']);
});

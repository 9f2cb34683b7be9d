// The debug adapter (adapter/session.ts) driven by a real DAP client (DebugClient) over stdio against
// the demo guest: launch errors, stop on entry, registers, instruction step, pause, serial output,
// the guest's exit, terminate.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { addr2line } from '../helpers/addr2line.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT } from '../helpers/cli.ts';
import { parseElf } from '../../engine/loader/elf.ts';

const ADAPTER = resolve(ROOT, 'dist/dap.js');
const DEMO = resolve(ROOT, 'guests/demo/demo.elf');

let dc: DebugClient;
beforeEach(async () => {
  dc = new DebugClient('node', ADAPTER, 'rvisor');
  await dc.start();
});
afterEach(async () => {
  await dc.stop();
});

async function registers(): Promise<Map<string, string>> {
  const frames = await dc.stackTraceRequest({ threadId: 0 });
  const scopes = await dc.scopesRequest({ frameId: frames.body.stackFrames[0].id });
  const regs = scopes.body.scopes.find((s) => s.name === 'Registers')!;
  const vars = await dc.variablesRequest({ variablesReference: regs.variablesReference });
  return new Map(vars.body.variables.map((v: DebugProtocol.Variable) => [v.name, v.value]));
}

test('a bad launch configuration is an error naming the attribute', async () => {
  await dc.initializeRequest();
  await assert.rejects(dc.launchRequest({ stopOnEntry: true } as DebugProtocol.LaunchRequestArguments), /launch: kernel: give a kernel/);
  await assert.rejects(dc.launchRequest({ kernel: '/nope.elf' } as DebugProtocol.LaunchRequestArguments), /launch: kernel: no such file '\/nope\.elf'/);
  await assert.rejects(dc.launchRequest({ kernel: DEMO, harts: 0 } as DebugProtocol.LaunchRequestArguments), /launch: harts/);
});

test('stop on entry at the kernel entry in S-mode; registers; instruction steps; one thread per hart', async () => {
  await Promise.all([
    dc.configurationSequence(),
    dc.launch({ kernel: DEMO, stopOnEntry: true, harts: 2 }),
    dc.waitForEvent('stopped'),
  ]);
  const threads = await dc.threadsRequest();
  assert.deepEqual(threads.body.threads.map((t) => t.name), ['hart 0', 'hart 1']);
  let r = await registers();
  assert.equal(r.get('pc'), '0x0000000080200000', 'the demo kernel entry');
  assert.equal(r.get('mode'), 'S-mode (1)');
  assert.equal(r.get('a0'), '0x0000000000000000', 'a0 = hart id');
  assert.match(r.get('a1')!, /^0x00000000[89a-f]/, 'a1 = the device tree in RAM');
  // One instruction: the pc moves on by 2 or 4.
  await Promise.all([dc.nextRequest({ threadId: 0, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
  r = await registers();
  assert.ok(['0x0000000080200002', '0x0000000080200004'].includes(r.get('pc')!), r.get('pc'));
});

test('continue runs the guest: serial output arrives, pause stops it, the guest\'s poweroff ends the session', async () => {
  await Promise.all([dc.configurationSequence(), dc.launch({ kernel: DEMO, stopOnEntry: true }), dc.waitForEvent('stopped')]);
  let out = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => { out += e.body.output; });
  await dc.continueRequest({ threadId: 0 });
  // Listen before asking: the stop can come in the same read as the pause's response.
  const [, stopped] = await Promise.all([dc.pauseRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  assert.equal((stopped as DebugProtocol.StoppedEvent).body.reason, 'pause');
  // Both events come back to back: wait for them together.
  const [, exited] = await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('exited', 60_000), dc.waitForEvent('terminated', 60_000)]);
  assert.equal((exited as DebugProtocol.ExitedEvent).body.exitCode, 0);
  assert.match(out, /all tasks succeeded; powering off through SBI SRST/);
});

test('an instruction breakpoint at kmain stops the hart there; readMemory returns the loaded kernel', async () => {
  const elf = parseElf(new Uint8Array(readFileSync(DEMO)));
  const kmain = elf.symbols.find((x) => x.name === 'kmain')!.value;
  await dc.initializeRequest();
  await Promise.all([dc.launch({ kernel: DEMO, stopOnEntry: true }), dc.waitForEvent('stopped')]);
  const set = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x' + kmain.toString(16) }, { instructionReference: 'nowhere' }] });
  assert.deepEqual(set.body.breakpoints.map((b: DebugProtocol.Breakpoint) => b.verified), [true, false]);
  await dc.configurationDoneRequest();
  const [, stop] = await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  assert.equal((stop as DebugProtocol.StoppedEvent).body.reason, 'instruction breakpoint');
  assert.equal((await registers()).get('pc'), '0x' + kmain.toString(16).padStart(16, '0'));
  // The first segment's bytes, as loaded.
  const seg = elf.segments[0];
  const mem = await dc.customRequest('readMemory', { memoryReference: '0x' + seg.paddr.toString(16), count: 64 });
  assert.deepEqual([...Buffer.from(mem.body.data, 'base64')], [...seg.data.subarray(0, 64)]);
  const outside = await dc.customRequest('readMemory', { memoryReference: '0x0', count: 16 });
  assert.equal(outside.body.unreadableBytes, 16);
});

test('hypercalls and traps stream as rvisor.event and page through rvisor.history', async () => {
  const events: Array<Record<string, unknown>> = [];
  dc.on('rvisor.event', (e: DebugProtocol.Event) => events.push(e.body as Record<string, unknown>));
  await Promise.all([dc.configurationSequence(), dc.launch({ kernel: DEMO }), dc.waitForEvent('terminated', 60_000)]);
  const calls = events.filter((e) => e.k === 'hypercall');
  assert.ok(calls.some((c) => c.ext === 'BASE' && c.fn === 'get_spec_version' && c.value === '0x2000000'));
  assert.ok(events.some((e) => e.k === 'trap' && e.name === 'ecall from U-mode'));
  assert.ok(events.some((e) => e.k === 'interrupt' && e.name === 'supervisor timer'));
  // The history, filtered and paged, holds the same records.
  const all = await dc.customRequest('rvisor.history', { kind: 'hypercall', count: 10_000 });
  assert.equal(all.body.total, calls.length);
  const page = await dc.customRequest('rvisor.history', { kind: 'hypercall', ext: 'TIME', start: 1, count: 2 });
  assert.equal(page.body.records.length, 2);
  assert.ok(page.body.records.every((r: Record<string, unknown>) => r.ext === 'TIME' && r.fn === 'set_timer'));
  await assert.rejects(dc.customRequest('rvisor.nope', {}), /'rvisor.nope' is not supported by rvisor/);
});

async function csrs(): Promise<Map<string, string>> {
  const frames = await dc.stackTraceRequest({ threadId: 0 });
  const scopes = await dc.scopesRequest({ frameId: frames.body.stackFrames[0].id });
  const scope = scopes.body.scopes.find((s) => s.name === 'CSRs')!;
  const groups = await dc.variablesRequest({ variablesReference: scope.variablesReference });
  const out = new Map<string, string>();
  for (const g of groups.body.variables) {
    const vars = await dc.variablesRequest({ variablesReference: g.variablesReference });
    for (const v of vars.body.variables) out.set(v.name, v.value);
  }
  return out;
}

test('the CSRs scope shows every CSR with its fields decoded (delegation at entry, Sv39 once paging is on)', async () => {
  const elf = parseElf(new Uint8Array(readFileSync(DEMO)));
  const at = (name: string) => '0x' + elf.symbols.find((x) => x.name === name)!.value.toString(16);
  await dc.initializeRequest();
  await Promise.all([dc.launch({ kernel: DEMO, stopOnEntry: true }), dc.waitForEvent('stopped')]);
  let c = await csrs();
  assert.match(c.get('mideleg')!, /^0x0000000000000222 {2}SSIP STIP SEIP$/);
  assert.match(c.get('medeleg')!, /ecall from U-mode/);
  assert.match(c.get('satp')!, /Bare/);
  assert.match(c.get('sstatus')!, /SPP=/);
  // next_runnable: the scheduler, which runs with the tasks' page tables in place.
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: at('next_runnable') }] });
  await dc.configurationDoneRequest();
  await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  c = await csrs();
  assert.match(c.get('satp')!, /Sv39 ASID=\d+ root=0x8/);
  assert.match(c.get('stvec')!, /direct base=0x/);
});

test('terminate ends a running session', async () => {
  await Promise.all([dc.configurationSequence(), dc.launch({ kernel: DEMO }), dc.waitForEvent('output')]);
  await Promise.all([dc.terminateRequest(), dc.waitForEvent('terminated')]);
});

test('rvisor dap --port N serves the same protocol on 127.0.0.1:N', async () => {
  const server = spawn(process.execPath, [resolve(ROOT, 'dist/rvisor.js'), 'dap', '--port', '0']);
  try {
    const port = await new Promise<number>((res, rej) => {
      let err = '';
      server.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
        if (m) res(Number(m[1]));
      });
      server.on('exit', () => rej(new Error(`rvisor dap exited: ${err}`)));
    });
    const tcp = new DebugClient('node', ADAPTER, 'rvisor');
    await tcp.start(port);
    await Promise.all([tcp.configurationSequence(), tcp.launch({ kernel: DEMO, stopOnEntry: true }), tcp.waitForEvent('stopped')]);
    const threads = await tcp.threadsRequest();
    assert.equal(threads.body.threads.length, 1);
    await tcp.stop();
  } finally {
    server.kill();
  }
});

test('for an editor: serial output as rvisor.serial events, status, hypercall breakpoints, a trace file, and no run before configurationDone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-dap-'));
  const trace = join(dir, 'demo.rvtrace');
  const serial: string[] = [];
  let outputs = 0;
  dc.on('rvisor.serial', (e: DebugProtocol.Event) => serial.push((e.body as { text: string }).text));
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') outputs++; });
  await dc.initializeRequest();
  // Without stopOnEntry the guest runs only once configuration is done: no instruction before it.
  await dc.launch({ kernel: DEMO, serialConsole: 'terminal', trace } as DebugProtocol.LaunchRequestArguments);
  const before = await dc.customRequest('rvisor.status', {});
  assert.deepEqual(before.body, { state: 'stopped', steps: 0, harts: 1 });
  // A hypercall breakpoint from the client (apart from the exception filters, which stay empty).
  await dc.setExceptionBreakpointsRequest({ filters: [] });
  const set = await dc.customRequest('rvisor.hypercallBreakpoints', { conditions: ['SRST', ' '] });
  assert.deepEqual(set.body.conditions, ['SRST']);
  const [, stop] = await Promise.all([dc.configurationDoneRequest(), dc.waitForEvent('stopped', 60_000)]);
  assert.equal(stop.body.reason, 'exception');
  assert.match(stop.body.description ?? '', /^SBI SRST\.system_reset\(0x0, 0x0/);
  const after = await dc.customRequest('rvisor.status', {});
  assert.equal(after.body.state, 'stopped');
  assert.ok(after.body.steps > 1_000_000, `steps ${after.body.steps}`);
  assert.match(serial.join(''), /all tasks succeeded; powering off through SBI SRST/);
  assert.equal(outputs, 0, 'serial output went to the terminal only');
  // Removing it lets the guest finish; the trace file is complete when the session ends.
  await dc.customRequest('rvisor.hypercallBreakpoints', { conditions: [] });
  await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('terminated', 60_000)]);
  await assert.rejects(dc.customRequest('rvisor.hypercallBreakpoints', { conditions: 'SRST' }), /conditions/);
  const lines = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].format, 'rvisor-trace');
  assert.deepEqual(lines[0].symbols, [DEMO]);
  assert.ok(lines.some((l) => l.k === 'hypercall' && l.ext === 'DBCN'));
  assert.equal(lines.at(-1).k, 'end');
  rmSync(dir, { recursive: true, force: true });
});

test('source paths: DWARF\'s relative paths resolve against cwd; sourceMap moves a prefix', async () => {
  const elf = parseElf(new Uint8Array(readFileSync(DEMO)));
  const kmain = '0x' + elf.symbols.find((x) => x.name === 'kmain')!.value.toString(16);
  const pathAt = async (): Promise<string | undefined> => (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames[0].source?.path;
  await dc.initializeRequest();
  await Promise.all([dc.launch({ kernel: DEMO, stopOnEntry: true, cwd: '/somewhere' } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('stopped')]);
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: kmain }] });
  await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  assert.equal(await pathAt(), '/somewhere/guests/demo/main.c');
  await Promise.all([dc.terminateRequest(), dc.waitForEvent('terminated')]);
  await dc.stop();
  dc = new DebugClient('node', ADAPTER, 'rvisor');
  await dc.start();
  await dc.initializeRequest();
  await Promise.all([dc.launch({ kernel: DEMO, stopOnEntry: true, sourceMap: { 'guests/demo': '/src/demo', guests: '/nope' } } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('stopped')]);
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: kmain }] });
  await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  assert.equal(await pathAt(), '/src/demo/main.c', 'the longest prefix wins');
  // A breakpoint at the mapped path binds to the DWARF file it maps from.
  const line = readFileSync(resolve(ROOT, 'guests/demo/main.c'), 'utf8').split('\n').findIndex((l) => l.includes('vm_init(&board, dtb);')) + 1;
  const bp = await dc.setBreakpointsRequest({ source: { path: '/src/demo/main.c' }, breakpoints: [{ line }] });
  assert.equal(bp.body.breakpoints[0].verified, true);
  assert.equal(bp.body.breakpoints[0].source?.path, '/src/demo/main.c');
});

test('a guest waiting for input stays running: serial input wakes it, pause stops it; lookups answer meanwhile', async () => {
  const serial: string[] = [];
  dc.on('rvisor.serial', (e: DebugProtocol.Event) => serial.push((e.body as { text: string }).text));
  const output = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 600 && !re.test(serial.join('')); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(serial.join(''), re);
  };
  const stops: string[] = [];
  dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e.body.reason));
  await Promise.all([dc.configurationSequence(), dc.launch({ kernel: DEMO, append: 'shell', serialConsole: 'terminal' } as DebugProtocol.LaunchRequestArguments)]);
  await output(/demo> $/);
  // At the prompt every hart sleeps in WFI with no timer: the session is still running, not stopped.
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(stops, []);
  assert.equal((await dc.customRequest('rvisor.status', {})).body.state, 'running');
  // Where an address is in the sources, by the symbols alone: answered while the guest runs.
  const elf = parseElf(new Uint8Array(readFileSync(DEMO)));
  const kmain = elf.symbols.find((x) => x.name === 'kmain')!.value;
  const at = await dc.customRequest('rvisor.lookup', { address: '0x' + (kmain + 4).toString(16) });
  assert.equal(at.body.symbol, 'kmain+0x4');
  assert.equal(at.body.source.path, resolve(ROOT, 'guests/demo/main.c'));
  const ref = addr2line(DEMO, BigInt(kmain + 4), ROOT);
  if (ref) assert.deepEqual({ path: at.body.source.path, line: at.body.line }, ref[0], 'as binutils says');
  assert.equal(at.body.function, 'kmain');
  assert.equal(at.body.caller, undefined, 'no inlined code there');
  // A hypercall's pc is in an inlined SBI wrapper: the caller is the line that inlined it.
  const dbcn = (await dc.customRequest('rvisor.history', { kind: 'hypercall', ext: 'DBCN', count: 1 })).body.records[0];
  const call = (await dc.customRequest('rvisor.lookup', { address: dbcn.pc })).body;
  const inl = addr2line(DEMO, dbcn.pc, ROOT);
  if (inl) {
    assert.deepEqual({ path: call.source.path, line: call.line }, inl[0], 'the innermost line');
    assert.deepEqual({ path: call.caller.source.path, line: call.caller.line }, inl.at(-1), 'the line in the concrete function');
    assert.equal(call.caller.inlined, 'sbi_call');
  }
  await assert.rejects(dc.customRequest('rvisor.lookup', { address: 'nope' }), /not an address/);
  await dc.customRequest('rvisor.input', { text: 'echo woken\r' });
  await output(/\nwoken\ndemo> $/);
  await Promise.all([dc.pauseRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  assert.deepEqual(stops, ['pause']);
  // Typed while stopped: it waits in the UART and runs on continue.
  await dc.customRequest('rvisor.input', { text: 'poweroff\r' });
  await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('terminated', 30_000)]);
  await output(/shell: powering off through SBI SRST/);
});

test('launch attribute console: a virtio console on the slot asked for', async () => {
  await dc.initializeRequest();
  await Promise.all([dc.launch({ kernel: DEMO, stopOnEntry: true, console: { slot: 3 } } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('stopped')]);
  const frames = await dc.stackTraceRequest({ threadId: 0 });
  const scopes = await dc.scopesRequest({ frameId: frames.body.stackFrames[0].id });
  const devices = (await dc.variablesRequest({ variablesReference: scopes.body.scopes.find((s) => s.name === 'Devices')!.variablesReference })).body.variables;
  const withConsole = [];
  for (const d of devices) {
    const kids = d.variablesReference ? (await dc.variablesRequest({ variablesReference: d.variablesReference })).body.variables : [];
    if (kids.some((k) => /console/i.test(`${k.name} ${k.value}`))) withConsole.push(`${d.name} ${d.value}`);
  }
  assert.deepEqual(withConsole.length, 1, JSON.stringify(devices.map((d) => `${d.name} ${d.value}`)));
  assert.match(withConsole[0], /^virtio3 .*virtio-console @ 0x10004000$/, 'slot 3: QEMU virt\'s virtio-mmio at 0x10001000 + 0x1000·N');
  await Promise.all([dc.terminateRequest(), dc.waitForEvent('terminated')]);
  await assert.rejects(dc.launchRequest({ kernel: DEMO, console: { slot: 9 } } as DebugProtocol.LaunchRequestArguments), /console\/slot/);
});

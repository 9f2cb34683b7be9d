// Source-level debugging of the demo guest through the real adapter process (DebugClient over stdio):
// breakpoints by line, function, condition, hit count, log message and mode; the stack with source
// lines; arguments and locals with struct expansion; registers, CSRs, page tables and devices;
// stepping by line and instruction; data and exception breakpoints; memory; disassembly; evaluate.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT, freePort } from '../helpers/cli.ts';
import { connect } from 'node:net';

const ADAPTER = resolve(ROOT, 'dist/dap.js');
const DEMO = resolve(ROOT, 'guests/demo/demo.elf');
const SRC = (f: string): string => resolve(ROOT, 'guests/demo', f);
/** The 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(SRC(file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${file} has '${text}'`);
  return i + 1;
}

let dc: DebugClient;
beforeEach(async () => {
  dc = new DebugClient('node', ADAPTER, 'rvisor');
  dc.defaultTimeout = 20_000;
  await dc.start();
});
afterEach(async () => {
  await dc.stop();
});

async function launchStopped(extra: Record<string, unknown> = {}): Promise<void> {
  await dc.initializeRequest();
  await Promise.all([dc.launch({ kernel: DEMO, stopOnEntry: true, ...extra } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('stopped')]);
}

async function continueTo(): Promise<DebugProtocol.StoppedEvent> {
  const [, ev] = await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  return ev as DebugProtocol.StoppedEvent;
}

async function stack(): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
}

async function scope(name: string, frameIndex = 0): Promise<DebugProtocol.Variable[]> {
  const frames = await stack();
  const scopes = await dc.scopesRequest({ frameId: frames[frameIndex].id });
  const s = scopes.body.scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name} in ${scopes.body.scopes.map((x) => x.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

async function children(v: DebugProtocol.Variable | undefined): Promise<DebugProtocol.Variable[]> {
  assert.ok(v && v.variablesReference > 0, `${v?.name} expands`);
  return (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
}

const named = (vars: DebugProtocol.Variable[], name: string): DebugProtocol.Variable => {
  const v = vars.find((x) => x.name === name);
  assert.ok(v, `${name} in ${vars.map((x) => x.name).join(', ')}`);
  return v;
};

async function evaluate(expression: string): Promise<DebugProtocol.EvaluateResponse['body']> {
  const frames = await stack();
  return (await dc.evaluateRequest({ expression, frameId: frames[0].id, context: 'repl' })).body;
}

test('function and source breakpoints bind through DWARF; the stack has source lines; arguments and locals expand', async () => {
  await launchStopped();
  const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'vm_init' }, { name: 'no_such_function' }] });
  assert.deepEqual(fb.body.breakpoints.map((b) => b.verified), [true, false]);
  assert.equal(fb.body.breakpoints[0].source?.name, 'vm.c');
  const line = lineOf('task.c', 'task->state = TASK_RUNNABLE;');
  const sb = await dc.setBreakpointsRequest({ source: { path: SRC('task.c') }, breakpoints: [{ line }] });
  assert.equal(sb.body.breakpoints[0].verified, true);
  assert.equal(sb.body.breakpoints[0].line, line);

  let ev = await continueTo();
  assert.equal(ev.body.reason, 'function breakpoint');
  let frames = await stack();
  assert.match(frames[0].name, /^vm_init/);
  assert.equal(frames[0].source?.name, 'vm.c');
  assert.equal(frames[1].name, 'kmain');
  assert.equal(frames[1].source?.name, 'main.c');
  assert.equal(frames[1].line, lineOf('main.c', 'vm_init(&board, dtb);'), 'the caller frame is at the call');
  // Arguments: board is a pointer to struct board_info; expanding it shows the struct's members.
  const args = await scope('Arguments');
  const board = named(args, 'board');
  assert.equal(board.type, 'const struct board_info *');
  const pointee = await children(board);
  const members = await children(pointee[0]);
  assert.equal(named(members, 'ram_base').value, '2147483648');
  assert.equal(named(members, 'hart_count').value, '1');
  assert.match(named(members, 'model').value, /^"riscv-virtio,qemu"/);

  ev = await continueTo();
  assert.equal(ev.body.reason, 'breakpoint');
  frames = await stack();
  assert.equal(frames[0].name, 'task_create');
  assert.equal(frames[0].line, line);
  assert.equal(frames[1].name, 'kmain');
  const locals = await scope('Locals');
  const task = await children(named(locals, 'task'));
  const t = await children(task[0]);
  assert.equal(named(t, 'pid').value, '1');
  assert.match(named(t, 'name').value, /"counter"$/);
  const frame = await children(named(t, 'frame'));
  assert.equal(named(frame, 'sepc').value.length > 0, true);
  const argsNow = await scope('Arguments');
  assert.equal(named(argsNow, 'arg').value, '8');
  // Dead by now at -Og: shown as such, not as a wrong value.
  assert.match(named(argsNow, 'uses_fpu').value, /^(0|<optimized out.*>)$/);
});

test('conditions, hit counts, logpoints and modes decide which hits stop', async () => {
  await launchStopped();
  const created = lineOf('task.c', 'task->state = TASK_RUNNABLE;');
  const entry = lineOf('task.c', 'struct task *task = NULL;');
  let log = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console') log += e.body.output; });
  await dc.setBreakpointsRequest({
    source: { path: SRC('task.c') },
    breakpoints: [
      { line: created, condition: 'task->pid >= 2 && arg > 10000' }, // primes (arg 20000) and pi (200000)
      { line: entry, logMessage: 'creating {name} with arg {arg}' },
    ],
  });
  // A kernel line limited to U-mode never stops.
  await dc.setBreakpointsRequest({ source: { path: SRC('timer.c') }, breakpoints: [{ line: lineOf('timer.c', 'void timer_init(') + 2, mode: 'U' }] });
  let ev = await continueTo();
  assert.equal(ev.body.reason, 'breakpoint');
  const t = await children((await children(named(await scope('Locals'), 'task')))[0]);
  assert.match(named(t, 'name').value, /"primes"$/, 'the first task with the FPU and a big argument');
  assert.match(log, /creating 0x[0-9a-f]+ "counter" with arg 8\n/);
  assert.match(log, /creating 0x[0-9a-f]+ "primes" with arg 20000\n/);
  // Hit count: the third timer tick (the line runs before the counter's increment).
  await dc.setBreakpointsRequest({ source: { path: SRC('task.c') }, breakpoints: [] });
  const tick = lineOf('timer.c', 'timer.ticks++;');
  await dc.setBreakpointsRequest({ source: { path: SRC('timer.c') }, breakpoints: [{ line: tick, hitCondition: '3' }] });
  ev = await continueTo();
  assert.equal(ev.body.reason, 'breakpoint');
  assert.equal((await stack())[0].name, 'timer_tick');
  assert.equal((await evaluate('timer.ticks')).result, '2', 'two ticks counted before the third');
  // A bad hit condition is refused up front.
  const bad = await dc.setBreakpointsRequest({ source: { path: SRC('task.c') }, breakpoints: [{ line: created, hitCondition: 'often' }] });
  assert.equal(bad.body.breakpoints[0].verified, false);
});

test('step over, into and out by line; instruction steps; registers, CSRs, page tables and devices', async () => {
  await launchStopped();
  const callVm = lineOf('main.c', 'vm_init(&board, dtb);');
  await dc.setBreakpointsRequest({ source: { path: SRC('main.c') }, breakpoints: [{ line: callVm }] });
  await continueTo();
  let frames = await stack();
  assert.equal(frames[0].line, callVm);
  // Paging is off before vm_init: the page-table scope says so.
  let pt = await scope('Page Tables');
  assert.match(named(pt, 'satp').value, /bare/);
  // next: over the call, to the next line.
  await Promise.all([dc.nextRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  frames = await stack();
  assert.equal(frames[0].name, 'kmain');
  assert.equal(frames[0].line, callVm + 1, 'next went over vm_init');
  // Paging is on: satp is Sv39 and the tree has the kernel's identity map.
  pt = await scope('Page Tables');
  assert.match(named(pt, 'satp').value, /sv39, ASID 0, root 0x80[0-9a-f]+/);
  const root = await children(named(pt, 'root table (level 2)'));
  const ram = root.find((v) => v.name.startsWith('[2] 0x80000000'));
  assert.ok(ram, root.map((v) => v.name).join(', '));
  assert.match(ram.value, /^table @ 0x/);
  const l1 = await children(ram);
  const text = l1.find((v) => v.name.startsWith('[1] 0x80200000'));
  assert.ok(text);
  assert.match(text.value, /VR-X-GA-|table/, 'kernel text: read and execute, global');
  const runs = await children(named(pt, 'mappings'));
  assert.ok(runs.some((r) => r.name.startsWith('0x80200000') && r.value.includes('→ 0x80200000')), 'identity mapped from the load address');
  // CSRs: satp decoded in the Supervisor group.
  const csrs = await scope('CSRs');
  const sup = await children(named(csrs, 'Supervisor'));
  assert.match(named(sup, 'satp').value, /^0x8000000000[0-9a-f]{6}  Sv39 ASID=0 root=0x80/);
  // Devices: the UART with its registers, the CLINT, the PLIC.
  const devs = await scope('Devices');
  const names = devs.map((d) => d.name);
  for (const d of ['uart0', 'clint', 'plic', 'rtc']) assert.ok(names.some((n) => n.startsWith(d)), `${d} in ${names.join(', ')}`);
  const uart = await children(devs.find((d) => d.name.startsWith('uart'))!);
  assert.ok(uart.some((r) => r.name.startsWith('LSR')), uart.map((r) => r.name).join(', '));

  // stepIn: into timer_init (its first line after the prologue); stepOut: back in kmain.
  await Promise.all([dc.stepInRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  frames = await stack();
  assert.equal(frames[0].name, 'timer_init');
  assert.equal(frames[0].source?.name, 'timer.c');
  assert.equal(frames[1].name, 'kmain');
  await Promise.all([dc.stepOutRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  frames = await stack();
  assert.equal(frames[0].name, 'kmain');
  assert.ok(frames[0].line >= callVm + 1 && frames[0].line <= callVm + 3, `back in kmain at ${frames[0].line}`);
  // One instruction: the pc moves by 2 or 4 (or to a call's target).
  const regs0 = await scope('Registers');
  const pc0 = BigInt(named(regs0, 'pc').value);
  await Promise.all([dc.stepInRequest({ threadId: 0, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
  const pc1 = BigInt(named(await scope('Registers'), 'pc').value);
  assert.notEqual(pc1, pc0);
  // An instruction step over a call (jal) lands on the instruction after it, in the same function.
  const dis = await dc.customRequest('disassemble', { memoryReference: '0x' + pc1.toString(16), instructionCount: 40 });
  const call = (dis.body.instructions as DebugProtocol.DisassembledInstruction[]).find((i) => /^jal\s/.test(i.instruction));
  assert.ok(call, 'a call in kmain after here');
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: call.address }] });
  await continueTo();
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });
  await Promise.all([dc.nextRequest({ threadId: 0, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
  const after = (await stack())[0];
  assert.equal(BigInt(after.instructionPointerReference!), BigInt(call.address) + BigInt(call.instructionBytes!.split(' ').length), 'just past the call');
  assert.equal(after.name, 'kmain');
  assert.match(named(regs0, 'sp').value, /^0x0000000080[0-9a-f]{6}$/);
  assert.match(named(regs0, 'mode').value, /^S-mode/);
});

test('an exception breakpoint stops at the page fault; a data breakpoint stops after the write', async () => {
  await launchStopped();
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'scheduler_start' }] });
  await continueTo();
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  // The primes task's sieve grows its stack: a store page fault the kernel serves.
  await dc.setExceptionBreakpointsRequest({ filters: ['page-fault'] });
  let ev = await continueTo();
  assert.equal(ev.body.reason, 'exception');
  const ex = await dc.customRequest('exceptionInfo', { threadId: 0 });
  assert.equal(ex.body.exceptionId, 'page-fault');
  assert.match(ex.body.description, /^store\/AMO page fault at 0x[0-9a-f]+ <sieve_count\+0x[0-9a-f]+>, tval 0x3fff[0-9a-f]{4} \(U-mode → S-mode\)/);
  const sup = await children(named(await scope('CSRs'), 'Supervisor'));
  assert.match(named(sup, 'scause').value, /exception 15: store\/AMO page fault/);
  // translate: the faulting address is not mapped yet.
  const tval = /tval (0x[0-9a-f]+)/.exec(ex.body.description)![1];
  const tr = await evaluate(`translate ${tval}`);
  assert.match(tr.result, /fault: load page fault/, 'a read of it faults');
  assert.ok(tr.variablesReference > 0);
  const walk = (await dc.variablesRequest({ variablesReference: tr.variablesReference })).body.variables;
  assert.ok(walk.some((w) => w.name === 'level 2'), walk.map((w) => w.name).join(', '));
  await dc.setExceptionBreakpointsRequest({ filters: [] });

  // Then a data breakpoint on the tick counter: the next timer tick writes it.
  const before = Number((await evaluate('timer.ticks')).result);
  const info = await dc.customRequest('dataBreakpointInfo', { name: 'timer.ticks', frameId: (await stack())[0].id });
  assert.ok(info.body.dataId, info.body.description);
  assert.deepEqual(info.body.accessTypes, ['read', 'write', 'readWrite']);
  const set = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
  assert.equal(set.body.breakpoints[0].verified, true);
  ev = await continueTo();
  assert.equal(ev.body.reason, 'data breakpoint');
  assert.match(ev.body.description ?? '', /^write of 8 bytes at 0x[0-9a-f]+ by 0x[0-9a-f]+ <timer_tick\+0x[0-9a-f]+>$/);
  assert.equal((await stack())[0].name, 'timer_tick');
  assert.equal((await evaluate('timer.ticks')).result, String(before + 1), 'stopped after the write');
  // The same word as a physical address (the kernel is identity mapped), watched for reads.
  const addr = /at (0x[0-9a-f]+)/.exec(info.body.description)![1];
  const phys = await dc.customRequest('dataBreakpointInfo', { name: `phys:${addr}`, asAddress: true, bytes: 8 });
  assert.equal(phys.body.dataId, `p:${addr}:8`);
  await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: phys.body.dataId, accessType: 'read' }] });
  ev = await continueTo();
  assert.equal(ev.body.reason, 'data breakpoint');
  assert.match(ev.body.description ?? '', new RegExp(`^read of 8 bytes at ${addr} by 0x[0-9a-f]+ <timer_`));
});

test('memory reads and writes, disassembly with symbols and lines, evaluate, setVariable, hypercall filter', async () => {
  await launchStopped();
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'timer_init' }] });
  await continueTo();
  // evaluate: globals, expressions, registers, casts, sizeof.
  assert.equal((await evaluate('board.hart_count')).result, '1');
  assert.equal((await evaluate('board.ram_size >> 20')).result, '128');
  assert.equal((await evaluate('sizeof(board.model)')).result, '64');
  assert.equal((await evaluate('(char)board.model[0]')).result, "114 'r'");
  assert.equal((await evaluate('$a0 == timebase_hz')).result, '1', 'the argument in a0');
  const addr = await evaluate('&board');
  assert.match(addr.result, /^0x80[0-9a-f]+ <board>$/);
  assert.equal(addr.type, 'struct board_info *');
  assert.ok(addr.memoryReference);
  await assert.rejects(evaluate('no_such_thing + 1'), /No symbol "no_such_thing" in current context/);
  // Memory: the model string, then a write through writeMemory shows in evaluate.
  const mem = await dc.customRequest('readMemory', { memoryReference: addr.memoryReference, count: 8 });
  assert.equal(Buffer.from(mem.body.data, 'base64').toString('latin1'), 'riscv-vi');
  await dc.customRequest('writeMemory', { memoryReference: addr.memoryReference, data: Buffer.from('RISCV').toString('base64') });
  assert.match((await evaluate('board.model')).result, /^"RISCV-virtio,qemu"/);
  // setVariable: a register, a CSR, a global's member.
  const regsScope = (await dc.scopesRequest({ frameId: (await stack())[0].id })).body.scopes.find((s) => s.name === 'Registers')!;
  await dc.variablesRequest({ variablesReference: regsScope.variablesReference });
  const setA5 = await dc.setVariableRequest({ variablesReference: regsScope.variablesReference, name: 'a5', value: '0x1234' });
  assert.equal(setA5.body.value, '0x0000000000001234');
  assert.equal((await evaluate('$a5')).result, '4660');
  await dc.customRequest('setExpression', { expression: 'board.hart_count', value: '3' }).catch(() => undefined);
  const bh = await evaluate('board');
  const members = (await dc.variablesRequest({ variablesReference: bh.variablesReference })).body.variables;
  await dc.setVariableRequest({ variablesReference: bh.variablesReference, name: 'hart_count', value: '2' });
  assert.equal((await evaluate('board.hart_count')).result, '2');
  assert.ok(members.length >= 7);
  // Disassembly: the function's first instructions with its symbol and source line, and going back.
  const pc = (await stack())[0].instructionPointerReference!;
  const dis = await dc.customRequest('disassemble', { memoryReference: pc, instructionOffset: -3, instructionCount: 8, resolveSymbols: true });
  const insns: DebugProtocol.DisassembledInstruction[] = dis.body.instructions;
  assert.equal(insns.length, 8);
  assert.equal(insns[3].address, pc, 'three instructions before the pc, then the pc');
  assert.ok(insns.some((i) => i.symbol === 'timer_init'), insns.map((i) => i.symbol).join(','));
  assert.ok(insns.every((i) => /^[a-z.]+( |$)/.test(i.instruction)), insns.map((i) => i.instruction).join(' | '));
  assert.ok(insns.some((i) => i.location?.name === 'timer.c' && i.line !== undefined));
  // Completions: locals, registers and CSRs.
  const comp = await dc.customRequest('completions', { text: '$sst', column: 5 });
  assert.ok(comp.body.targets.some((t: DebugProtocol.CompletionItem) => t.label === '$sstatus'));
  // Hypercall exception filter: stop at the first SBI TIME set_timer call.
  await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'hypercall', condition: 'TIME.set_timer' }] });
  const ev = await continueTo();
  assert.equal(ev.body.reason, 'exception');
  assert.match(ev.body.description ?? '', /^SBI TIME\.set_timer\(0x[0-9a-f]+, 0x0, 0x0\) = 0, 0x0 from 0x[0-9a-f]+ <sbi_set_timer\+0x[0-9a-f]+>$/);
  // Serial input reaches the UART: its receive buffer has data.
  await dc.customRequest('rvisor.input', { text: 'x' });
  const devs = await scope('Devices');
  const uart = await children(devs.find((d) => d.name.startsWith('uart'))!);
  assert.match(uart.find((r) => r.name.startsWith('LSR'))!.value, /DR/);
  // terminate ends the session.
  await Promise.all([dc.terminateRequest(), dc.waitForEvent('terminated')]);
});

test('a breakpoint scoped to a hart by its condition ($hart) stops only on that hart', async () => {
  await launchStopped({ harts: 2 });
  // Hart 1 stays stopped (SBI HSM): a breakpoint for it in kmain never fires; one for hart 0 does.
  const line = lineOf('main.c', 'vm_init(&board, dtb);');
  await dc.setBreakpointsRequest({ source: { path: SRC('main.c') }, breakpoints: [{ line, condition: '$hart == 1' }] });
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'timer_init' }] });
  let ev = await continueTo();
  assert.equal(ev.body.reason, 'function breakpoint', 'went past the line: hart 0 is not hart 1');
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  await dc.setBreakpointsRequest({ source: { path: SRC('main.c') }, breakpoints: [{ line: lineOf('main.c', 'task_create("counter"'), condition: '$hart == 0 && $priv == 1' }] });
  ev = await continueTo();
  assert.equal(ev.body.reason, 'breakpoint');
  assert.equal(ev.body.threadId, 0);
  assert.deepEqual((await dc.threadsRequest()).body.threads.map((t) => t.name), ['hart 0', 'hart 1']);
});

test('launch with a NIC on a switch linked to another process: the link listens, the guest idles in real time and finishes', async () => {
  const port = await freePort();
  await launchStopped({ nics: [{ switch: 'lan' }], switches: { lan: { listen: `127.0.0.1:${port}` } } });
  // A peer (another rvisor, say) connects to the switch's link.
  const peer = await new Promise<ReturnType<typeof connect>>((res, rej) => {
    const tryOnce = (left: number): void => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => res(s));
      s.once('error', (e) => (left > 0 ? setTimeout(() => tryOnce(left - 1), 100) : rej(e)));
    };
    tryOnce(50);
  });
  try {
    const devs = await scope('Devices');
    assert.ok(devs.some((d) => /virtio-net|network/.test(d.value)), devs.map((d) => `${d.name}: ${d.value}`).join(', '));
    // The demo sleeps between its counter's lines: with a NIC those waits pass in real time.
    const t0 = Date.now();
    const [, exited] = await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('exited', 60_000), dc.waitForEvent('terminated', 60_000)]);
    assert.equal((exited as DebugProtocol.ExitedEvent).body.exitCode, 0);
    assert.ok(Date.now() - t0 >= 10, 'idle time passed on the host clock');
  } finally {
    peer.destroy();
  }
});

test('restart boots the guest again and keeps the breakpoints', async () => {
  await launchStopped();
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'vm_init' }] });
  await continueTo();
  await Promise.all([dc.customRequest('restart', {}), dc.waitForEvent('stopped')]);
  const regs = await scope('Registers');
  assert.equal(named(regs, 'pc').value, '0x0000000080200000');
  const ev = await continueTo();
  assert.equal(ev.body.reason, 'function breakpoint');
});

// The debug adapter (dist/dap.js) against a generated storm of malformed and out-of-order requests,
// sent over raw stdio framing to one long-lived process: every request gets exactly one answer, the
// malformed ones an error with a message (a request that can be satisfied may succeed, with a
// well-formed body), the adapter never exits, hangs or prints an uncaught exception, and afterwards
// the same process still serves a normal session. Framing garbage goes to processes of its own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/cli.ts';
import { prng } from '../helpers/prng.ts';
import {
  RawDap, Tracker, commandSpecs, preLaunchSpecs, launchSpec, singleCases, doubleCases, commandCases, shuffle, judge, tally,
  RAW_EXCEPTION, frame, type CommandSpec, type FuzzCase, type Outcome, type Result, type Targets, type DapMessage,
} from '../helpers/dap-fuzz.ts';

const ADAPTER = resolve(ROOT, 'dist/dap.js');
const DEMO = resolve(ROOT, 'guests/demo/demo.elf');
const BENCH = resolve(ROOT, 'guests/bench/bench.elf');
const SEED = 0x5eed_dab;
/** Requests written before waiting for their answers. */
const BATCH = 40;
/** Silence (no answer at all) after which the adapter counts as hung. */
const IDLE_MS = 5000;
/** New adapter processes after exits or hangs before a phase of the storm gives up on its remaining cases (to bound the run time). */
const MAX_RESTARTS = 5;
const TARGETS: Targets = { source: resolve(ROOT, 'guests/demo/main.c'), line: 60, functionName: 'kmain', code: '0x80200000', scratch: '0x81000000' };
/** What stderr must never show: a stack, an uncaught exception, a second answer to one request. */
const BAD_STDERR = /\n\s+at |Uncaught|Error:|attempt to send more than one response/;

interface Storm {
  /** Every adapter process started: a hang or an exit starts another (and fails the first test). */
  procs: RawDap[];
  trackers: Tracker[];
  hangs: string[];
  exits: string[];
  /** Driver failures (a setup step that did not work). */
  errors: string[];
  /** Out-of-order checks beyond one request's answer. */
  sequenceProblems: string[];
  envelopeProblems: string[];
  cases: number;
}

const storm: Storm = { procs: [], trackers: [], hangs: [], exits: [], errors: [], sequenceProblems: [], envelopeProblems: [], cases: 0 };
let dap: RawDap;
let tracker: Tracker;
/** Ids the cases use (slot names), and the stop they were taken at. */
let slots: Record<string, unknown> = { frame: 1, frame2: 2, args: 1, regs: 3, csrs: 4, stale: 999_998 };
let slotEpoch = 0;

function startAdapter(): void {
  dap = new RawDap(ADAPTER);
  tracker = new Tracker(dap);
  storm.procs.push(dap);
  storm.trackers.push(tracker);
}

/** Waits until every `seqs` has an answer; false when the adapter fell silent for IDLE_MS or exited. */
async function answered(seqs: number[]): Promise<boolean> {
  const count = (): number => seqs.filter((s) => dap.responsesTo(s).length > 0).length;
  for (;;) {
    const before = count();
    if (before === seqs.length) return true;
    try {
      await dap.until(() => count() > before, IDLE_MS, 'answers');
    } catch {
      return false;
    }
  }
}

/** After a hang or an exit: note it, and go on with a new process in the state `restore` makes. */
async function replaceAdapter(phase: string, seqs: number[], labels: Map<number, string>, restore: () => Promise<void>): Promise<void> {
  const missing = seqs.filter((s) => dap.responsesTo(s).length === 0).map((s) => labels.get(s) ?? `seq ${s}`);
  if (dap.exit) {
    const thrown = dap.stderr.split('\n').find((l) => /^\w*Error/.test(l)) ?? dap.stderr.slice(-300);
    storm.exits.push(`${phase}: exit ${JSON.stringify(dap.exit)} (${thrown}) after ${lastAccepted()} succeeded;`
      + ` ${missing.length} requests unanswered, the first: ${missing[0]}`);
    if (storm.exits.length === 1) storm.exits.push(`the first exit's stderr: ${dap.stderr.slice(-1500)}`);
  }
  else storm.hangs.push(`${phase}: no answer for ${IDLE_MS} ms to ${missing.length} requests, the first: ${missing.slice(0, 3).join(' | ')}`);
  tracker.sync();
  dap.proc.kill('SIGKILL');
  await dap.exited;
  startAdapter();
  await restore();
}

/** The last request that succeeded and set the guest going (what an asynchronous crash follows). */
function lastAccepted(): string {
  const moving = new Set(['next', 'stepIn', 'stepOut', 'continue', 'pause', 'restart', 'launch']);
  const m = dap.messages.filter((x) => x.type === 'response' && x.success && moving.has(String(x.command))).at(-1);
  return m ? `${String(m.command)} ${dap.sent.get(m.request_seq as number)?.argsJson ?? '(no arguments)'}` : 'no request that runs the guest';
}

/** Sends cases in batches (`prepare` runs before each), judging each answer in the state it was handled in. */
async function storming(phase: string, cases: FuzzCase[], prepare: () => Promise<void>, restore: () => Promise<void>, batch = BATCH): Promise<void> {
  storm.cases += cases.length;
  const procs = storm.procs.length;
  for (let i = 0; i < cases.length; i += batch) {
    if (storm.procs.length - procs >= MAX_RESTARTS) {
      storm.errors.push(`${phase}: ${cases.length - i} cases not sent: the adapter had to be restarted ${MAX_RESTARTS} times`);
      return;
    }
    await prepare();
    tracker.sync();
    const labels = new Map<number, string>();
    const seqs = cases.slice(i, i + batch).map((c) => {
      const seq = tracker.send(c, phase, slots, slotEpoch);
      labels.set(seq, `${c.label} ${(dap.sent.get(seq)?.argsJson ?? '').slice(0, 200)}`);
      return seq;
    });
    const ok = await answered(seqs);
    tracker.sync();
    if (!ok) await replaceAdapter(phase, seqs, labels, restore);
  }
}

/** One request of an out-of-order sequence, with the outcome it must have whatever the state. */
async function step(label: string, command: string, args: unknown, fixed: Outcome, ms = IDLE_MS): Promise<DapMessage | undefined> {
  const c: FuzzCase = { command, args, label, verdict: 'valid', needs: 'anything', checks: [], usesRefs: false, fixed };
  storm.cases++;
  tracker.sync();
  const seq = tracker.send(c, 'sequence', {}, tracker.epoch);
  try {
    const r = await dap.response(seq, ms);
    tracker.sync();
    return r;
  } catch (e) {
    storm.sequenceProblems.push(`${label}: ${(e as Error).message}`);
    return undefined;
  }
}

/** A request of the driver's own (setting up a state); its failure is a driver error. */
async function drive(command: string, args: unknown, what: string): Promise<DapMessage | undefined> {
  try {
    const r = await dap.request(command, args);
    tracker.sync();
    if (!r.success) storm.errors.push(`${what}: ${command} failed: ${r.message}`);
    return r;
  } catch (e) {
    storm.errors.push(`${what}: ${(e as Error).message}`);
    return undefined;
  }
}

/** Waits for the event `name` after message index `from` (a driver error if it does not come). */
async function expectEvent(name: string, from: number, what: string, ms = IDLE_MS): Promise<DapMessage | undefined> {
  try {
    const e = await dap.event(name, from, ms);
    tracker.sync();
    return e;
  } catch (err) {
    storm.errors.push(`${what}: ${(err as Error).message}`);
    return undefined;
  }
}

/** Frame ids and variablesReferences of the current stop (stackTrace, scopes, the registers listed). */
async function refreshSlots(): Promise<void> {
  tracker.sync();
  const epoch = tracker.epoch;
  const st = await drive('stackTrace', { threadId: 0 }, 'refresh');
  const frames = (st?.body?.stackFrames ?? []) as Array<{ id: number }>;
  const sc = await drive('scopes', { frameId: frames[0]?.id ?? 1 }, 'refresh');
  const scopes = (sc?.body?.scopes ?? []) as Array<{ name: string; variablesReference: number }>;
  const refOf = (name: string, fallback: number): number => scopes.find((s) => s.name === name)?.variablesReference ?? fallback;
  const next = { ...slots, frame: frames[0]?.id ?? 1, frame2: frames[1]?.id ?? frames[0]?.id ?? 1, regs: refOf('Registers', 3), args: refOf('Arguments', refOf('Registers', 3)), csrs: refOf('CSRs', 4) };
  await drive('variables', { variablesReference: next.regs }, 'refresh');
  slots = next;
  slotEpoch = epoch;
}

/** The demo guest launched and stopped in kmain (a C function: arguments, DWARF variables). */
async function launchDemoInKmain(): Promise<void> {
  let from = dap.messages.length;
  await drive('launch', { kernel: DEMO, stopOnEntry: true }, 'launch the demo');
  await expectEvent('stopped', from, 'stop on entry');
  await drive('setFunctionBreakpoints', { breakpoints: [{ name: 'kmain' }] }, 'break at kmain');
  from = dap.messages.length;
  await drive('continue', { threadId: 0 }, 'run to kmain');
  await expectEvent('stopped', from, 'stop at kmain');
  await drive('setFunctionBreakpoints', { breakpoints: [] }, 'clear the kmain breakpoint');
  // A stop more: the registers' reference of the first stop is now stale.
  await refreshSlots();
  const stale = slots.regs;
  from = dap.messages.length;
  await drive('pause', { threadId: 0 }, 'pause while stopped (a stop more)');
  await expectEvent('stopped', from, 'the pause\'s stop');
  await refreshSlots();
  slots.stale = stale;
}

/** Stopped, with fresh slots: pauses a guest that runs, relaunches one that ended. */
async function ensureStopped(): Promise<void> {
  tracker.sync();
  if (tracker.state === 'running') {
    const from = dap.messages.length;
    await dap.request('pause', { threadId: 0 }).catch(() => undefined);
    await dap.until(() => dap.messages.slice(from).some((m) => m.event === 'stopped' || m.event === 'terminated'), IDLE_MS, 'stop').catch(() => undefined);
    tracker.sync();
  }
  if (tracker.state === 'none') await launchDemoInKmain();
  if (tracker.epoch !== slotEpoch) await refreshSlots();
}

/** Breakpoints, watchpoints and exception filters the storm may have set: all cleared. */
async function clearBreakpoints(): Promise<void> {
  await drive('setBreakpoints', { source: { path: TARGETS.source }, breakpoints: [] }, 'clear');
  await drive('setFunctionBreakpoints', { breakpoints: [] }, 'clear');
  await drive('setInstructionBreakpoints', { breakpoints: [] }, 'clear');
  await drive('setDataBreakpoints', { breakpoints: [] }, 'clear');
  await drive('setExceptionBreakpoints', { filters: [] }, 'clear');
}

const noop = async (): Promise<void> => {};
const initialize = async (): Promise<void> => { await drive('initialize', { adapterID: 'rvisor', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true }, 'initialize'); };

/** Specs with their valid requests too (no guest to step, run or stop yet). */
const allowValid = (specs: CommandSpec[]): CommandSpec[] => specs.map((s) => ({ ...s, invalidOnly: false }));

async function runStorm(): Promise<void> {
  const rnd = prng(SEED);
  const specs = commandSpecs(TARGETS);
  const pick = (...names: string[]): CommandSpec[] => names.map((n) => specs[n]);
  startAdapter();

  // 1. Before initialize, then before launch: nothing that needs a guest can succeed.
  const noGuest = [...allowValid(Object.values(specs)), ...preLaunchSpecs()];
  const early = shuffle([...singleCases(noGuest), ...commandCases(), ...doubleCases(noGuest, 150, rnd)], rnd);
  const half = Math.floor(early.length / 2);
  await storming('before initialize', early.slice(0, half), noop, noop);
  await initialize();
  await storming('before launch', early.slice(half), noop, initialize);

  // 2. Bad launch configurations (each followed by terminate, in case one got through).
  const launches = shuffle(singleCases([launchSpec(DEMO)]), rnd);
  launches.push({
    command: 'launch', args: { type: 'rvisor', request: 'launch', name: 'demo', __sessionId: 'x', kernel: DEMO, stopOnEntry: true },
    label: 'launch arguments: with the attributes VS Code adds', verdict: 'valid', needs: 'nothing', checks: [], usesRefs: false,
  });
  storm.cases += launches.length;
  for (let i = 0; i < launches.length; i += BATCH / 2) {
    const labels = new Map<number, string>();
    const seqs = launches.slice(i, i + BATCH / 2).flatMap((c) => {
      const seq = tracker.send(c, 'launch', slots, slotEpoch);
      labels.set(seq, c.label);
      return [seq, dap.send('terminate', {})];
    });
    if (!(await answered(seqs))) await replaceAdapter('launch', seqs, labels, initialize);
    tracker.sync();
  }

  // 3. Stopped in kmain: every request, malformed in every way (and the valid ones).
  await launchDemoInKmain();
  const stoppedPool = Object.values(specs);
  const stopped = shuffle([...singleCases(stoppedPool), ...commandCases(), ...doubleCases(stoppedPool, 300, rnd)], rnd);
  const relaunch = async (): Promise<void> => { await initialize(); await launchDemoInKmain(); };
  // Steps, continue and pause (all malformed) one at a time: one that gets through must not leave the
  // guest running for the requests after it.
  const moving = new Set<unknown>(['next', 'stepIn', 'stepOut', 'continue', 'pause']);
  await storming('stopped', stopped.filter((c) => !moving.has(c.command)), ensureStopped, relaunch);
  await storming('stopped', stopped.filter((c) => moving.has(c.command)), ensureStopped, relaunch, 1);
  await ensureStopped();
  await clearBreakpoints();

  // 4. Out of order: a second launch, stale references after a step, requests after terminate.
  await step('launch while a guest is being debugged', 'launch', { kernel: DEMO, stopOnEntry: true }, 'error');
  tracker.sync();
  if (tracker.state !== 'stopped') await ensureStopped();
  await refreshSlots();
  const before = { ...slots };
  let from = dap.messages.length;
  await step('pause when already stopped', 'pause', { threadId: 0 }, 'any');
  await dap.event('stopped', from, 1000).catch(() => undefined);
  from = dap.messages.length;
  await step('instruction step', 'next', { threadId: 0, granularity: 'instruction' }, 'success');
  await expectEvent('stopped', from, 'the step\'s stop');
  await step('variables with a reference from before the step', 'variables', { variablesReference: before.regs }, 'error');
  await step('scopes of a frame from before the step (no stackTrace since)', 'scopes', { frameId: before.frame }, 'error');
  await step('setVariable with a reference from before the step', 'setVariable', { variablesReference: before.regs, name: 't6', value: '1' }, 'error');
  await step('stackTrace after the step', 'stackTrace', { threadId: 0 }, 'success');
  await step('terminate', 'terminate', {}, 'success');
  await step('next after terminate', 'next', { threadId: 0 }, 'error');
  await step('stepIn after terminate', 'stepIn', { threadId: 0 }, 'error');
  await step('stepOut after terminate', 'stepOut', { threadId: 0, granularity: 'instruction' }, 'error');
  await step('continue after terminate', 'continue', { threadId: 0 }, 'error');
  await step('pause after terminate', 'pause', { threadId: 0 }, 'error');
  await step('stackTrace after terminate', 'stackTrace', { threadId: 0 }, 'error');
  await step('variables after terminate', 'variables', { variablesReference: before.regs }, 'error');
  await step('evaluate after terminate', 'evaluate', { expression: '$pc' }, 'error');
  await step('readMemory after terminate', 'readMemory', { memoryReference: TARGETS.code, count: 4 }, 'error');
  await step('writeMemory after terminate', 'writeMemory', { memoryReference: TARGETS.scratch, data: 'AAAA' }, 'error');
  await step('disassemble after terminate', 'disassemble', { memoryReference: TARGETS.code, instructionCount: 4 }, 'error');
  await step('rvisor.input after terminate', 'rvisor.input', { text: 'x' }, 'error');
  await step('exceptionInfo after terminate', 'exceptionInfo', { threadId: 0 }, 'error');
  await step('threads after terminate', 'threads', {}, 'success');
  await step('terminate twice', 'terminate', {}, 'any');

  // 5. Running (the bench guest runs for seconds): whatever needs a stopped guest is refused.
  from = dap.messages.length;
  await step('launch after terminate', 'launch', { kernel: BENCH, stopOnEntry: true }, 'success');
  await expectEvent('stopped', from, 'the bench guest\'s entry');
  await refreshSlots();
  const stoppedRefs = { ...slots };
  const runningPool = [...pick('stackTrace', 'scopes', 'variables', 'setVariable', 'evaluate', 'readMemory', 'writeMemory', 'disassemble'), ...allowValid(pick('next', 'stepIn', 'stepOut'))];
  const running = shuffle(singleCases(runningPool), rnd).slice(0, 160);
  // The continue and the first batch in one go: the adapter handles them before the guest's first slice.
  tracker.sync();
  const cont = tracker.send({ command: 'continue', args: { threadId: 0 }, label: 'continue', verdict: 'valid', needs: 'machine', checks: [], usesRefs: false, fixed: 'success' }, 'sequence', {}, tracker.epoch);
  storm.cases++;
  await storming('running', running, noop, async () => { await initialize(); });
  if (!(await answered([cont]))) storm.errors.push('continue: no answer');
  await step('variables with a reference from before continue', 'variables', { variablesReference: stoppedRefs.regs }, 'error');
  await step('continue while running', 'continue', { threadId: 0 }, 'any');
  from = dap.messages.length;
  const paused = await step('pause while running', 'pause', { threadId: 0 }, 'success');
  if (paused?.success) {
    await expectEvent('stopped', from, 'the pause\'s stop');
    await new Promise((r) => setTimeout(r, 300));
    tracker.sync();
    const stops = dap.messages.slice(from).filter((m) => m.event === 'stopped').length;
    if (stops !== 1) storm.sequenceProblems.push(`one pause (after continue twice) brought ${stops} stopped events`);
  }
  await step('continue again', 'continue', { threadId: 0 }, 'success');
  await step('restart with bad arguments while running', 'restart', { arguments: { kernel: 5 } }, 'error');
  await step('stackTrace after a failed restart (the guest still runs)', 'stackTrace', { threadId: 0 }, 'error');
  from = dap.messages.length;
  await step('pause after the failed restart', 'pause', { threadId: 0 }, 'any');
  await dap.event('stopped', from, 2000).catch(() => undefined);
  await step('variables with a reference from before continue, stopped again', 'variables', { variablesReference: stoppedRefs.regs }, 'error');
  await step('scopes of a frame from before continue', 'scopes', { frameId: stoppedRefs.frame }, 'error');
  await step('restart with bad arguments while stopped', 'restart', { arguments: 'x' }, 'error');
  await step('stackTrace after a failed restart (still stopped)', 'stackTrace', { threadId: 0 }, 'success');
  await step('terminate the bench guest', 'terminate', {}, 'success');
  await step('restart after terminate', 'restart', {}, 'any');
  await step('terminate after the restart', 'terminate', {}, 'any');
  await step('disconnect', 'disconnect', {}, 'success');
  await step('stackTrace after disconnect', 'stackTrace', { threadId: 0 }, 'error');
  await step('next after disconnect', 'next', { threadId: 0 }, 'error');

  // 6. Envelopes that are not well-formed requests.
  await envelopes();
}

/** Messages with a strange seq, type or command: an answer where it is a request, and the adapter lives on. */
async function envelopes(): Promise<void> {
  const cases: Array<{ label: string; body: string; answer: 'required' | 'optional'; seq?: unknown; outcome: Outcome }> = [
    { label: 'seq a string', body: '{"seq":"abc","type":"request","command":"threads"}', answer: 'required', seq: 'abc', outcome: 'any' },
    { label: 'no seq', body: '{"type":"request","command":"threads"}', answer: 'required', seq: undefined, outcome: 'any' },
    { label: 'seq negative', body: '{"seq":-5,"type":"request","command":"threads"}', answer: 'required', seq: -5, outcome: 'any' },
    { label: 'seq fractional', body: '{"seq":1.5,"type":"request","command":"threads"}', answer: 'required', seq: 1.5, outcome: 'any' },
    { label: 'seq null', body: '{"seq":null,"type":"request","command":"threads"}', answer: 'optional', seq: null, outcome: 'any' },
    { label: 'no command', body: '{"seq":900001,"type":"request"}', answer: 'required', seq: 900001, outcome: 'error' },
    { label: 'command null', body: '{"seq":900002,"type":"request","command":null}', answer: 'required', seq: 900002, outcome: 'error' },
    { label: 'a lone surrogate command', body: '{"seq":900003,"type":"request","command":"\\ud800"}', answer: 'required', seq: 900003, outcome: 'error' },
    { label: 'a 1 MB field beside the request', body: `{"seq":900004,"type":"request","command":"threads","padding":"${'x'.repeat(1 << 20)}"}`, answer: 'required', seq: 900004, outcome: 'success' },
    { label: 'no type', body: '{"seq":900005,"command":"threads"}', answer: 'optional', seq: 900005, outcome: 'any' },
    { label: 'type event', body: '{"seq":900006,"type":"event","event":"stopped","body":{"reason":"entry","threadId":0}}', answer: 'optional', seq: 900006, outcome: 'any' },
    { label: 'type response', body: '{"seq":900007,"type":"response","request_seq":1,"success":true,"command":"runInTerminal"}', answer: 'optional', seq: 900007, outcome: 'any' },
    { label: 'type REQUEST', body: '{"seq":900008,"type":"REQUEST","command":"threads"}', answer: 'optional', seq: 900008, outcome: 'any' },
    { label: 'type a number', body: '{"seq":900009,"type":5,"command":"threads"}', answer: 'optional', seq: 900009, outcome: 'any' },
    { label: 'an empty object', body: '{}', answer: 'optional', seq: undefined, outcome: 'any' },
    { label: 'a JSON array', body: '[{"seq":900010,"type":"request","command":"threads"}]', answer: 'optional', seq: 900010, outcome: 'any' },
    { label: 'a JSON string', body: '"threads"', answer: 'optional', seq: undefined, outcome: 'any' },
    { label: 'a JSON number', body: '42', answer: 'optional', seq: undefined, outcome: 'any' },
  ];
  for (const e of cases) {
    storm.cases++;
    const before = dap.responsesTo(e.seq).length;
    dap.sendBody(e.body);
    // The adapter answers in order: by the probe's answer, the envelope's (if any) has come.
    try {
      await dap.request('threads', {});
    } catch (err) {
      storm.envelopeProblems.push(`${e.label}: the adapter did not answer a request after it: ${(err as Error).message}`);
      return;
    }
    const got = dap.responsesTo(e.seq).slice(before);
    if (e.answer === 'required' && got.length !== 1) storm.envelopeProblems.push(`${e.label}: ${got.length} answers, expected 1`);
    if (got.length > 1) storm.envelopeProblems.push(`${e.label}: ${got.length} answers`);
    const r = got[0];
    if (r && e.outcome === 'error' && r.success !== false) storm.envelopeProblems.push(`${e.label}: success, expected an error`);
    if (r && e.outcome === 'success' && r.success !== true) storm.envelopeProblems.push(`${e.label}: error (${r.message}), expected success`);
    if (r && r.success === false && !r.message) storm.envelopeProblems.push(`${e.label}: an error without a message`);
  }
}

const results = (...phases: string[]): Result[] => storm.trackers.flatMap((t) => t.results).filter((r) => phases.includes(r.phase));
const show = (r: Result): string => `${r.c.label} [${r.state}] ${(r.argsJson ?? '(no arguments)').slice(0, 160)} → ${r.response.success ? 'success' : `error: ${String(r.response.message).slice(0, 160).replace(/\n/g, ' ⏎ ')}`}`;

/** The problems, one line per problem and field (the values that got it, and an example). */
function listProblems(items: Array<{ r: Result; problem: string }>): string {
  const field = (label: string): string => label.split(': ')[0];
  const what = (label: string): string => label.split(': ').slice(1).join(': ') || label;
  const groups = tally(items, (x) => `${x.problem} — ${field(x.r.c.label)}`);
  return groups.map((g) => {
    const values = [...new Set(items.filter((x) => `${x.problem} — ${field(x.r.c.label)}` === g.key).map((x) => what(x.r.c.label)))];
    const shown = values.slice(0, 12).join(' | ') + (values.length > 12 ? ` | … ${values.length - 12} more` : '');
    return `${g.count}× ${g.key}: ${shown}\n      e.g. ${show(g.example.r)}`;
  }).join('\n');
}

before(async () => {
  assert.ok(existsSync(ADAPTER), `${ADAPTER} is missing: run npm run build`);
  try {
    await runStorm();
  } catch (e) {
    storm.errors.push(`the storm stopped: ${(e as Error).stack}`);
  }
  tracker.sync();
}, { timeout: 90_000 });

after(async () => {
  for (const p of storm.procs) if (!p.exit) p.proc.kill('SIGKILL');
});

test('a generated storm of over 1,000 requests: each gets exactly one answer, and the adapter neither exits nor hangs', () => {
  const sent = storm.procs.reduce((n, p) => n + p.sent.size, 0);
  const answers = storm.procs.flatMap((p) => p.messages.filter((m) => m.type === 'response'));
  const errors = answers.filter((m) => m.success === false).length;
  console.log(`malformed DAP storm: ${sent} requests sent (${storm.cases} generated or scripted cases) to ${storm.procs.length} adapter process(es); ${answers.length} answers, ${errors} of them errors`);
  assert.deepEqual(storm.exits, [], 'the adapter exited');
  assert.deepEqual(storm.hangs, [], 'the adapter hung');
  assert.deepEqual(storm.errors, [], 'the driver could not set a state up');
  assert.ok(storm.cases >= 1000, `only ${storm.cases} cases`);
  const twice: string[] = [];
  for (const p of storm.procs) {
    for (const seq of p.sent.keys()) if (p.responsesTo(seq).length > 1) twice.push(`seq ${seq} (${JSON.stringify(p.sent.get(seq)?.command)}): ${p.responsesTo(seq).length} answers`);
    assert.deepEqual(p.protocolErrors, [], 'output that is not DAP');
  }
  assert.deepEqual(twice, [], 'requests answered more than once');
  const stderr = storm.procs.map((p) => p.stderr).join('');
  assert.doesNotMatch(stderr, BAD_STDERR, `stderr:\n${stderr.slice(0, 3000)}`);
});

test('malformed requests get error responses with a message; satisfiable ones succeed with a well-formed body', () => {
  const judged = results('before initialize', 'before launch', 'launch', 'stopped', 'running');
  const states = tally(results('running'), (r) => r.state).map((g) => `${g.count} ${g.key}`).join(', ');
  console.log(`  answers in the running phase were given while: ${states}`);
  const wrong = judged.map((r) => ({ r, problem: judge(r) })).filter((x): x is { r: Result; problem: string } => x.problem !== undefined);
  console.log(`  judged ${judged.length} generated requests: ${wrong.length} wrong answers`);
  assert.equal(wrong.length, 0, `${wrong.length} of ${judged.length} answers are wrong:\n${listProblems(wrong)}`);
});

test('error messages say what is wrong, never a JavaScript exception', () => {
  const raw = storm.trackers.flatMap((t) => t.results).filter((r) => r.response.success === false
    && (RAW_EXCEPTION.test(String(r.response.message)) || (r.response.body?.error as { id?: number } | undefined)?.id === 1104));
  assert.equal(raw.length, 0, `${raw.length} error answers carry an exception instead of a message:\n${listProblems(raw.map((r) => ({ r, problem: 'exception text' })))}`);
});

test('out-of-order requests (before launch, while running, after a step, after terminate, odd envelopes) get the answers their state allows', () => {
  const judged = results('sequence');
  const wrong = judged.map((r) => ({ r, problem: judge(r) })).filter((x): x is { r: Result; problem: string } => x.problem !== undefined);
  const problems = [...storm.sequenceProblems, ...storm.envelopeProblems, ...wrong.map((x) => `${x.problem}: ${show(x.r)}`)];
  assert.ok(judged.length >= 30, `only ${judged.length} sequence steps were answered`);
  assert.deepEqual(problems, []);
});

test('after the storm the same process serves a normal session', async () => {
  assert.equal(dap.exit, undefined, 'the adapter exited');
  const init = await dap.request('initialize', { adapterID: 'rvisor', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  assert.equal(init.success, true, init.message);
  assert.equal(init.body?.supportsConfigurationDoneRequest, true);
  let from = dap.messages.length;
  const launch = await dap.request('launch', { kernel: DEMO, stopOnEntry: true });
  assert.equal(launch.success, true, launch.message);
  const entry = await dap.event('stopped', from);
  assert.equal(entry.body?.reason, 'entry');
  assert.equal(entry.body?.threadId, 0);
  assert.equal((await dap.request('configurationDone', {})).success, true);
  const threads = await dap.request('threads', {});
  assert.deepEqual(threads.body?.threads, [{ id: 0, name: 'hart 0' }]);
  const st = await dap.request('stackTrace', { threadId: 0 });
  const frames = st.body?.stackFrames as Array<{ id: number; name: string; instructionPointerReference: string }>;
  assert.equal(frames[0].name, '_start');
  assert.equal(frames[0].instructionPointerReference, '0x80200000');
  const scopes = (await dap.request('scopes', { frameId: frames[0].id })).body?.scopes as Array<{ name: string; variablesReference: number }>;
  const regsRef = scopes.find((s) => s.name === 'Registers')!.variablesReference;
  const vars = (await dap.request('variables', { variablesReference: regsRef })).body?.variables as Array<{ name: string; value: string }>;
  const regs = new Map(vars.map((v) => [v.name, v.value]));
  assert.equal(regs.get('pc'), '0x0000000080200000');
  assert.equal(regs.get('mode'), 'S-mode (1)');
  assert.equal(regs.get('a0'), '0x0000000000000000');
  const ev = await dap.request('evaluate', { expression: '$pc', frameId: frames[0].id });
  assert.equal(ev.success, true, ev.message);
  assert.match(String(ev.body?.result), /0x0*80200000|2149580800/);
  // continue and pause in one write: the pause comes before the guest's first slice ends.
  from = dap.messages.length;
  const cont = dap.send('continue', { threadId: 0 });
  const pause = dap.send('pause', { threadId: 0 });
  assert.equal((await dap.response(cont)).success, true);
  const paused = await dap.response(pause);
  assert.equal(paused.success, true, paused.message);
  const stop = await dap.event('stopped', from);
  assert.equal(stop.body?.reason, 'pause');
  const again = await dap.request('stackTrace', { threadId: 0 });
  assert.equal(again.success, true, again.message);
  assert.ok((again.body?.stackFrames as unknown[]).length >= 1);
  from = dap.messages.length;
  assert.equal((await dap.request('terminate', {})).success, true);
  await dap.event('terminated', from);
  assert.equal(dap.exit, undefined, 'the adapter exited after terminate');
  // Closing stdin ends it, cleanly.
  assert.equal(await dap.close(5000), true, 'the adapter did not exit when stdin closed');
  assert.equal((dap.exit as RawDap['exit'])?.code, 0);
  assert.doesNotMatch(dap.stderr, BAD_STDERR);
  assert.equal(storm.procs.length, 1, 'not the same process: the storm had to start another (see the first test)');
});

/** Framing garbage: one process each; afterwards a valid request, then stdin closes. */
const FRAMING: Array<{ label: string; bytes: Buffer }> = [
  { label: 'a body that is not JSON', bytes: frame('hello, adapter') },
  { label: 'a Content-Length shorter than the body', bytes: Buffer.concat([Buffer.from('Content-Length: 10\r\n\r\n'), Buffer.from('{"seq":1,"type":"request","command":"threads"}')]) },
  { label: 'a JSON array', bytes: frame('[1,2,3]') },
  { label: 'JSON null', bytes: frame('null') },
  { label: 'a JSON number', bytes: frame('42') },
  { label: 'a Content-Length that is not a number', bytes: Buffer.from('Content-Length: abc\r\n\r\n{}') },
  { label: 'a negative Content-Length', bytes: Buffer.from('Content-Length: -5\r\n\r\n{}') },
  { label: 'a body with no header', bytes: Buffer.from('{"seq":1,"type":"request","command":"threads"}\r\n\r\n') },
  { label: 'a header line of 1 MB', bytes: Buffer.from('X'.repeat(1 << 20)) },
  { label: 'a huge Content-Length with a small body', bytes: Buffer.from('Content-Length: 999999999\r\n\r\n{"seq":1}') },
  { label: 'invalid UTF-8', bytes: frame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])) },
];

test('framing garbage: the adapter neither hangs nor throws, and exits cleanly when stdin closes', async () => {
  const outcomes = await Promise.all(FRAMING.map(async ({ label, bytes }) => {
    const d = new RawDap(ADAPTER);
    d.writeRaw(bytes);
    const probe = d.send('threads', {});
    const answeredProbe = await d.response(probe, 3000).then(() => true, () => false);
    await new Promise((r) => setTimeout(r, 400));
    const exitedAlone = d.exit !== undefined;
    const closed = await d.close(5000);
    return { label, answeredProbe, exitedAlone, closed, exit: d.exit, stderr: d.stderr, protocolErrors: d.protocolErrors };
  }));
  const problems: string[] = [];
  for (const o of outcomes) {
    console.log(`  framing: ${o.label}: ${o.answeredProbe ? 'a request after it was answered' : 'no answer to a request after it'};`
      + ` ${o.exitedAlone ? 'exited by itself' : 'exited when stdin closed'} (${JSON.stringify(o.exit)})`);
    if (!o.closed) problems.push(`${o.label}: still running 5 s after stdin closed`);
    else if (o.exit?.code !== 0) problems.push(`${o.label}: exit ${JSON.stringify(o.exit)}`);
    if (BAD_STDERR.test(o.stderr)) problems.push(`${o.label}: stderr ${o.stderr.slice(0, 500)}`);
    if (o.protocolErrors.length > 0) problems.push(`${o.label}: ${o.protocolErrors.join('; ')}`);
  }
  assert.deepEqual(problems, []);
});

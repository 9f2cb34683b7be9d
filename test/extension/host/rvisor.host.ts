// The rvisor extension through the `vscode` API, inside a real extension host (code-server's through
// test/extension/host.e2e.test.ts, Electron's through test/extension/electron.test.ts). Nothing is
// mocked: the extension under development is the repository, its adapter (dist/dap.js) boots the demo
// guest (guests/demo/demo.elf), its language server (dist/language-server.js) reads real trace files and
// the demo's assembly. What we see of a session comes from our own DebugAdapterTracker (every message the
// adapter sends and receives) and from DAP requests of our own (customRequest), never from the DOM.
//
// The demo's DWARF paths are relative (guests/demo/*.c), resolved by the adapter against the launch's
// `cwd`: sessions that check source paths pass cwd = the repository (the extension's own path).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { setHostInfo, test, type HostTestContext } from './runner.ts';
import { addr2line } from '../../helpers/addr2line.ts';

const EXTENSION_ID = 'rvisor.rvisor';

// ---- the extension ---------------------------------------------------------------------------------

interface Manifest {
  main?: string;
  contributes: {
    commands: Array<{ command: string }>;
    debuggers: Array<{ type: string; configurationSnippets?: Array<{ label: string; body: Record<string, unknown> }>; configurationAttributes?: Record<string, unknown> }>;
    languages: Array<{ id: string }>;
  };
}

/** The activated extension, or the test skips (not loaded here, or not built). */
async function rvisor(t: HostTestContext): Promise<{ ext: vscode.Extension<unknown>; root: string; pkg: Manifest }> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) return t.skip(`${EXTENSION_ID} is not loaded here (extensionDevelopmentPath is not the repository, and it is not installed)`);
  const pkg = ext.packageJSON as Manifest;
  if (!pkg.main) return t.skip('package.json has no "main": the extension has no code to activate');
  for (const f of [pkg.main, 'dist/dap.js', 'dist/language-server.js', 'dist/rvisor.js']) {
    if (!existsSync(join(ext.extensionPath, f))) return t.skip(`${f} is not built (npm run build)`);
  }
  await ext.activate();
  return { ext, root: ext.extensionPath, pkg };
}

const demoElf = (root: string): string => join(root, 'guests', 'demo', 'demo.elf');

/** `p`, or a rejection naming `what` after `ms`. */
async function within<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(p),
      new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- debug sessions as the adapter reports them ------------------------------------------------------

type Message = DebugProtocol.ProtocolMessage;
type Event = DebugProtocol.Event;

/** Every message each rvisor adapter sent or received, by session id; sessions that ended. */
const sent = new Map<string, Message[]>();
const terminated = new Set<string>();
let listening: vscode.Disposable[] | undefined;

function listen(): void {
  listening ??= [
    vscode.debug.registerDebugAdapterTrackerFactory('rvisor', {
      createDebugAdapterTracker(session) {
        const log: Message[] = [];
        sent.set(session.id, log);
        // What the adapter sent, and what VS Code asked of it (requests, to match responses to them).
        return { onDidSendMessage: (m: Message) => { log.push(m); }, onWillReceiveMessage: (m: Message) => { log.push(m); } };
      },
    }),
    vscode.debug.onDidTerminateDebugSession((s) => { terminated.add(s.id); }),
  ];
}

let sessionCounter = 0;

class Session {
  private constructor(readonly session: vscode.DebugSession, private readonly t: HostTestContext) {}

  /** Starts a launch configuration (resolved by the extension's configuration provider) and waits for the session. */
  static async start(t: HostTestContext, config: Omit<vscode.DebugConfiguration, 'name' | 'type' | 'request'>, folder?: vscode.WorkspaceFolder): Promise<Session> {
    listen();
    const name = `rvisor host test ${++sessionCounter} (${t.name.replace(/[:(].*/, '').trim()})`;
    let sub: vscode.Disposable | undefined;
    const started = new Promise<vscode.DebugSession>((res) => {
      sub = vscode.debug.onDidStartDebugSession((s) => { if (s.type === 'rvisor' && s.name === name) res(s); });
    });
    try {
      const ok = await within(vscode.debug.startDebugging(folder, { type: 'rvisor', request: 'launch', name, ...config }), 20_000, `startDebugging(${name})`);
      assert.ok(ok, `vscode.debug.startDebugging(${name}) returned false (the configuration provider refused it, or the launch failed)`);
      const session = await within(started, 10_000, `onDidStartDebugSession for ${name}`);
      return new Session(session, t);
    } finally {
      sub?.dispose();
    }
  }

  get messages(): Message[] {
    return sent.get(this.session.id) ?? [];
  }

  /** How many messages the adapter has sent so far (for waitFor's `since`). */
  mark(): number {
    return this.messages.length;
  }

  /** The first event named `event` (and matching `pred`) sent at or after index `since`. */
  async event<B = unknown>(event: string, since: number, pred: (body: B) => boolean = () => true, timeoutMs = 20_000): Promise<B> {
    const e = await this.t.waitFor(`the adapter's "${event}" event`, () =>
      this.messages.slice(since).find((m): m is Event => m.type === 'event' && (m as Event).event === event && pred((m as Event).body as B)), timeoutMs);
    return e.body as B;
  }

  /** The next `stopped` event after `since`; fails on an unexpected end of the session. */
  async stopped(since: number, timeoutMs = 20_000): Promise<DebugProtocol.StoppedEvent['body']> {
    return this.t.waitFor('a "stopped" event', () => {
      const later = this.messages.slice(since);
      const stop = later.find((m) => m.type === 'event' && (m as Event).event === 'stopped');
      if (stop) return (stop as DebugProtocol.StoppedEvent).body;
      const end = later.find((m) => m.type === 'event' && ['terminated', 'exited'].includes((m as Event).event));
      if (end || terminated.has(this.session.id)) {
        const output = later.filter((m) => (m as Event).event === 'output').map((m) => ((m as DebugProtocol.OutputEvent).body.output)).join('');
        throw new Error(`the session ended instead of stopping${output ? `; its output: ${output.slice(-500)}` : ''}`);
      }
      return undefined;
    }, timeoutMs);
  }

  /**
   * The first stop, on entry, once VS Code has configured the session (its breakpoints sent,
   * configurationDone answered): what it sends during configuration cannot be mistaken for later answers.
   */
  async entry(): Promise<DebugProtocol.StoppedEvent['body']> {
    const stop = await this.stopped(0);
    assert.equal(stop.reason, 'entry', 'the first stop is on entry');
    await this.response('configurationDone', 0);
    return stop;
  }

  /** The adapter's response to the first `command` request sent at or after `since` (and matching `pred`). */
  async response<R extends DebugProtocol.Response = DebugProtocol.Response>(command: string, since: number,
    pred: (request: DebugProtocol.Request) => boolean = () => true, timeoutMs = 10_000): Promise<R> {
    return this.t.waitFor(`the adapter's answer to "${command}"`, () => {
      const later = this.messages.slice(since);
      const req = later.find((m): m is DebugProtocol.Request => m.type === 'request' && (m as DebugProtocol.Request).command === command && pred(m as DebugProtocol.Request));
      return req && later.find((m): m is R => m.type === 'response' && (m as DebugProtocol.Response).request_seq === req.seq);
    }, timeoutMs);
  }

  request<T>(command: string, args?: unknown): Promise<T> {
    return within(this.session.customRequest(command, args) as Thenable<T>, 15_000, `the "${command}" request`);
  }

  async topFrame(threadId: number): Promise<DebugProtocol.StackFrame> {
    const st = await this.request<DebugProtocol.StackTraceResponse['body']>('stackTrace', { threadId, startFrame: 0, levels: 1 });
    assert.ok(st.stackFrames.length > 0, `hart ${threadId} has no stack frame`);
    return st.stackFrames[0];
  }

  async waitForEnd(timeoutMs = 20_000): Promise<void> {
    await this.t.waitFor(`the end of session ${this.session.name} (onDidTerminateDebugSession)`, () => terminated.has(this.session.id), timeoutMs);
  }

  /** Ends the session (if it has not ended) and waits for VS Code to say so; closes its serial terminal. */
  async stop(): Promise<void> {
    try {
      if (!terminated.has(this.session.id)) {
        await within(vscode.debug.stopDebugging(this.session), 15_000, `stopDebugging(${this.session.name})`);
        await this.waitForEnd(15_000);
      }
    } finally {
      for (const term of vscode.window.terminals) if (term.name === serialTerminalName(this.session)) term.dispose();
      sent.delete(this.session.id);
    }
  }
}

/**
 * A DAP source path as the extension host sees it in a customRequest's response: the adapter's path, or,
 * in a remote window (code-server), VS Code's `vscode-remote://authority/path` for it.
 */
function sourcePath(p: string | undefined): string {
  if (!p || !/^[a-z][a-z0-9+.-]+:\/\//i.test(p)) return p ?? '';
  const uri = vscode.Uri.parse(p);
  assert.equal(uri.scheme, 'vscode-remote', `a source path that is a URI is a remote file: ${p}`);
  return uri.path;
}

const serialTerminalName = (s: vscode.DebugSession): string => `rvisor serial: ${s.name}`;

/** Runs `fn` with rvisor.adapter.mode set (globally) to `mode`, restoring what was there. */
async function withAdapterMode<T>(t: HostTestContext, mode: 'process' | 'server', fn: () => Promise<T>): Promise<T> {
  const cfg = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('rvisor');
  const before = cfg().inspect<string>('adapter.mode')?.globalValue;
  const change = cfg().get<string>('adapter.mode') !== mode;
  if (change) await cfg().update('adapter.mode', mode, vscode.ConfigurationTarget.Global);
  try {
    await t.waitFor(`rvisor.adapter.mode to read "${mode}"`, () => cfg().get<string>('adapter.mode') === mode, 5_000);
    return await fn();
  } finally {
    if (change) await cfg().update('adapter.mode', before, vscode.ConfigurationTarget.Global);
  }
}

/**
 * The debug adapter processes the extension host started (the adapter runs as `<node> <ext>/dist/dap.js`,
 * with `--port` for the shared server): Linux only (/proc), else undefined.
 */
function adapterProcesses(root: string): Array<{ pid: number; server: boolean }> | undefined {
  if (process.platform !== 'linux' || !existsSync('/proc/self/stat')) return undefined;
  const dap = join(root, 'dist', 'dap.js');
  const out: Array<{ pid: number; server: boolean }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (args.includes(dap)) out.push({ pid: Number(d), server: args.includes('--port') });
    } catch {
      // the process went away meanwhile
    }
  }
  return out;
}

// ---- the host ---------------------------------------------------------------------------------------

test('the extension host has the vscode API', () => {
  setHostInfo(`${vscode.env.appName} ${vscode.version} (${vscode.env.appHost}, remote: ${vscode.env.remoteName ?? 'none'})`);
  assert.match(vscode.version, /^1\.\d+\.\d+/);
  assert.equal(typeof vscode.debug.startDebugging, 'function');
});

// ---- activation and contributions ------------------------------------------------------------------

test('activation: the extension activates, registers every contributed command, debugger snippets and languages', async (t) => {
  const { ext, pkg } = await rvisor(t);
  assert.ok(ext.isActive, 'the extension is active after activate()');

  const registered = new Set(await vscode.commands.getCommands(true));
  const contributed = pkg.contributes.commands.map((c) => c.command);
  assert.ok(contributed.length > 0, 'package.json contributes commands');
  assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed commands the extension did not register');

  const dbg = pkg.contributes.debuggers.find((d) => d.type === 'rvisor');
  assert.ok(dbg, 'package.json contributes the "rvisor" debugger type');
  assert.ok(dbg.configurationAttributes?.launch && dbg.configurationAttributes.attach, 'the debugger describes launch and attach attributes');
  const snippets = dbg.configurationSnippets ?? [];
  assert.ok(snippets.length > 0, 'the rvisor debugger has configuration snippets');
  for (const s of snippets) {
    assert.equal(s.body.type, 'rvisor', `snippet "${s.label}" is of type rvisor`);
    assert.match(String(s.body.request), /^(launch|attach)$/, `snippet "${s.label}" launches or attaches`);
    assert.ok(typeof s.body.name === 'string' && s.body.name, `snippet "${s.label}" names its configuration`);
  }
  const demo = snippets.find((s) => s.label === 'rvisor: demo guest');
  assert.ok(demo, `a snippet for the demo guest (have: ${snippets.map((s) => s.label).join(', ')})`);
  assert.match(String(demo.body.kernel), /guests\/demo\/demo\.elf/);
  t.log(`${contributed.length} commands, ${snippets.length} snippets: ${snippets.map((s) => s.label).join(', ')}`);

  const languages = await vscode.languages.getLanguages();
  for (const l of pkg.contributes.languages) assert.ok(languages.includes(l.id), `language ${l.id} is known to VS Code`);
});

// ---- a debug session in each adapter mode ----------------------------------------------------------

/**
 * Boots the demo, stopped on entry; a function breakpoint at timer_init; continue; the stop there, its
 * source, the status request, the serial terminal and events, the filled configuration; then stop.
 * Returns the adapter processes seen while the session ran (undefined without /proc).
 */
async function debugTheDemo(t: HostTestContext, root: string, mode: 'process' | 'server'): Promise<Array<{ pid: number; server: boolean }> | undefined> {
  const s = await Session.start(t, { kernel: demoElf(root), cwd: root, stopOnEntry: true });
  let bp: vscode.FunctionBreakpoint | undefined;
  let adapters: Array<{ pid: number; server: boolean }> | undefined;
  try {
    await s.entry();

    // Who runs the adapter: a process per session, or the shared server (where /proc tells who started what).
    if (adapterProcesses(root)) {
      const perSession = mode === 'process' ? 1 : 0;
      adapters = await t.waitFor(`${perSession} per-session adapter process (dist/dap.js without --port) in ${mode} mode`, () => {
        const now = adapterProcesses(root)!;
        return now.filter((p) => !p.server).length === perSession ? now : undefined;
      }, 10_000);
      if (mode === 'server') assert.equal(adapters.filter((p) => p.server).length, 1, `one adapter server (dist/dap.js --port): ${JSON.stringify(adapters)}`);
    } else {
      t.log('no /proc: adapter processes not counted');
    }

    // What the configuration provider filled in (we gave no serialConsole).
    assert.equal(s.session.configuration.serialConsole, 'terminal', 'the provider defaults serialConsole to "terminal"');
    assert.equal(s.session.configuration.cwd, root, 'cwd as given');

    // The serial terminal for this session.
    await t.waitFor(`the terminal "${serialTerminalName(s.session)}"`, () => vscode.window.terminals.some((x) => x.name === serialTerminalName(s.session)), 5_000);

    // A function breakpoint, sent to the adapter by VS Code itself.
    let mark = s.mark();
    bp = new vscode.FunctionBreakpoint('timer_init');
    vscode.debug.addBreakpoints([bp]);
    const set = await s.response<DebugProtocol.SetFunctionBreakpointsResponse>('setFunctionBreakpoints', mark,
      (r) => (r.arguments as DebugProtocol.SetFunctionBreakpointsArguments).breakpoints.some((b) => b.name === 'timer_init'));
    assert.ok(set.success, `setFunctionBreakpoints failed: ${set.message}`);
    assert.ok(set.body.breakpoints.some((b) => b.verified), `timer_init is verified: ${JSON.stringify(set.body.breakpoints)}`);

    mark = s.mark();
    await s.request('continue', { threadId: 0 });
    const stop = await s.stopped(mark);
    assert.equal(stop.reason, 'function breakpoint', `stopped at timer_init (${JSON.stringify(stop)})`);
    const frame = await s.topFrame(stop.threadId ?? 0);
    assert.match(frame.name, /^timer_init\b/, 'the top frame is timer_init');
    const path = sourcePath(frame.source?.path);
    assert.ok(isAbsolute(path), `the frame's source path is absolute: ${frame.source?.path}`);
    assert.equal(path, join(root, 'guests', 'demo', 'timer.c'), 'the frame is in guests/demo/timer.c under cwd');
    const fnLine = readFileSync(path, 'utf8').split('\n').findIndex((l) => /^void timer_init\(/.test(l)) + 1;
    assert.ok(fnLine > 0 && frame.line > fnLine && frame.line < fnLine + 15, `line ${frame.line} is in timer_init's body (it starts at line ${fnLine})`);

    // The serial port, as the extension's terminal receives it (rvisor.serial events, not the debug console).
    const serial = s.messages.filter((m) => (m as Event).event === 'rvisor.serial').map((m) => ((m as Event).body as { text: string }).text).join('');
    assert.match(serial, /hello from S-mode/, 'the demo\'s banner arrived as rvisor.serial events before timer_init');

    const status = await s.request<{ state: string; steps: number; harts: number }>('rvisor.status');
    assert.equal(status.state, 'stopped');
    assert.equal(status.harts, 1);
    assert.ok(status.steps > 0, `steps > 0 (${status.steps})`);
    t.log(`${mode}: stopped at ${frame.name} ${path}:${frame.line} after ${status.steps} steps; adapters ${JSON.stringify(adapters)}`);
  } finally {
    if (bp) vscode.debug.removeBreakpoints([bp]);
    await s.stop();
  }
  assert.ok(terminated.has(s.session.id), 'onDidTerminateDebugSession fired');
  return adapters;
}

test('debugging in process mode (default): stop on entry, function breakpoint at timer_init, status, serial terminal, stop', async (t) => {
  const { root } = await rvisor(t);
  await withAdapterMode(t, 'process', () => debugTheDemo(t, root, 'process'));
}, { timeoutMs: 60_000 });

test('debugging in server mode: two sessions through one shared adapter server; the provider fills cwd', async (t) => {
  const { root } = await rvisor(t);
  await withAdapterMode(t, 'server', async () => {
    const first = await debugTheDemo(t, root, 'server');
    const second = await debugTheDemo(t, root, 'server');
    if (first && second) {
      const server = (ps: Array<{ pid: number; server: boolean }>): number[] => ps.filter((p) => p.server).map((p) => p.pid);
      assert.deepEqual(server(second), server(first), 'the same adapter server served both sessions');
    }
    // A session from the workspace folder without cwd: the provider fills it with the folder.
    const folder = vscode.workspace.workspaceFolders?.[0];
    const s = await Session.start(t, { kernel: demoElf(root), stopOnEntry: true }, folder);
    try {
      await s.entry();
      if (folder) assert.equal(s.session.configuration.cwd, folder.uri.fsPath, 'the provider fills cwd with the workspace folder');
      else t.log('no workspace folder: cwd stays unset');
      assert.equal(s.session.configuration.serialConsole, 'terminal');
    } finally {
      await s.stop();
    }
  });
}, { timeoutMs: 60_000 });

// ---- hypercall breakpoints through the extension's commands ------------------------------------------

test('attach to `rvisor run … --dap-port N` (the attach snippet): serial in and out, pause, detach leaves the guest running', async (t) => {
  const { root } = await rvisor(t);
  const port = await new Promise<number>((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => { const a = srv.address() as AddressInfo; srv.close(() => res(a.port)); });
  });
  // The demo guest with its shell: it waits at the prompt for ever, until its serial input says poweroff.
  const guest = spawn(process.execPath, [join(root, 'dist', 'rvisor.js'), 'run', '-kernel', demoElf(root), '-append', 'shell', '-nographic', '--dap-port', String(port)],
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let hostOut = '';
  guest.stdout!.on('data', (b: Buffer) => { hostOut += b.toString('latin1'); });
  guest.stderr!.on('data', (b: Buffer) => { hostOut += b.toString('latin1'); });
  try {
    await t.waitFor('the guest at its prompt under rvisor run', () => /demo> $/.test(hostOut), 20_000);
    const s = await Session.start(t, { request: 'attach', port, cwd: root });
    try {
      assert.equal(s.session.configuration.serialConsole, 'terminal');
      let mark = s.mark();
      await s.request('rvisor.input', { text: 'echo attached from vscode\r' });
      await s.event<{ text: string }>('rvisor.serial', mark, () => /attached from vscode\n/.test(s.messages.slice(mark)
        .filter((m) => (m as Event).event === 'rvisor.serial').map((m) => ((m as Event).body as { text: string }).text).join('')));
      mark = s.mark();
      await s.request('pause', { threadId: 0 });
      const stop = await s.stopped(mark);
      assert.equal(stop.reason, 'pause');
      const frame = await s.topFrame(0);
      assert.equal(sourcePath(frame.source?.path), join(root, 'guests', 'demo', 'shell.c'), `waiting for a key in the shell: ${frame.name}`);
      await s.request('continue', { threadId: 0 });
    } finally {
      await s.stop(); // detaches: the guest goes on under rvisor run
    }
    assert.equal(guest.exitCode, null, 'the guest runs on after the debugger detached');
    guest.stdin!.write('poweroff\r');
    const code = await within(new Promise<number | null>((res) => guest.on('exit', (c) => res(c))), 15_000, 'the guest to power off');
    assert.equal(code, 0, hostOut.slice(-300));
  } finally {
    if (guest.exitCode === null) guest.kill('SIGKILL');
  }
}, { timeoutMs: 60_000 });

test('hypercall breakpoints: rvisor.breakOnHypercall stops at SBI SRST.system_reset; rvisor.clearHypercallBreakpoints lets the guest end', async (t) => {
  const { root } = await rvisor(t);
  const s = await Session.start(t, { kernel: demoElf(root), cwd: root, stopOnEntry: true });
  try {
    await s.entry();
    // What the Hypercalls view's context menu passes: its RecordItem (a record and the session).
    const item = {
      record: { k: 'hypercall', vt: 0, hart: 0, pc: '0x80200000', instret: 0, eid: '0x53525354', ext: 'SRST', fid: 0, fn: 'system_reset', args: [], error: 0, value: '0x0' },
      session: s.session,
    };
    let mark = s.mark();
    await vscode.commands.executeCommand('rvisor.breakOnHypercall', item);
    // (The command reports its errors in a notification, not to its caller: check what went to the adapter.)
    const set = await s.response('rvisor.hypercallBreakpoints', mark);
    assert.ok(set.success, `the adapter took rvisor.hypercallBreakpoints: ${JSON.stringify(set)}`);
    assert.deepEqual((set.body as { conditions: string[] }).conditions, ['SRST.system_reset']);

    mark = s.mark();
    await s.request('continue', { threadId: 0 });
    const stop = await s.stopped(mark, 30_000);
    assert.equal(stop.reason, 'exception', `stopped for the hypercall (${JSON.stringify(stop)})`);
    assert.ok(stop.description?.startsWith('SBI SRST.system_reset'), `the stop describes the call: ${stop.description}`);
    t.log(stop.description ?? '');

    mark = s.mark();
    await vscode.commands.executeCommand('rvisor.clearHypercallBreakpoints');
    const cleared = await s.response('rvisor.hypercallBreakpoints', mark);
    assert.ok(cleared.success, `the adapter took rvisor.hypercallBreakpoints: ${JSON.stringify(cleared)}`);
    assert.deepEqual((cleared.body as { conditions: string[] }).conditions, []);

    mark = s.mark();
    await s.request('continue', { threadId: 0 });
    const exited = await s.event<DebugProtocol.ExitedEvent['body']>('exited', mark);
    assert.equal(exited.exitCode, 0, 'the guest powered off cleanly');
    await s.event('terminated', mark);
    await s.waitForEnd();
  } finally {
    await s.stop();
  }
}, { timeoutMs: 60_000 });

test('Reveal Call Site: a hypercall row opens the source line of its call', async (t) => {
  const { root } = await rvisor(t);
  const s = await Session.start(t, { kernel: demoElf(root), cwd: root, stopOnEntry: true });
  try {
    await s.entry();
    let mark = s.mark();
    await s.request('rvisor.hypercallBreakpoints', { conditions: ['DBCN.console_write'] });
    await s.request('continue', { threadId: 0 });
    const stop = await s.stopped(mark);
    assert.equal(stop.reason, 'exception');
    // The row as the Hypercalls view has it: the adapter's record of the call.
    const { records } = await s.request<{ records: Array<{ pc: string; ext: string; fn: string }> }>('rvisor.history', { kind: 'hypercall', ext: 'DBCN', count: 1 });
    assert.ok(records.length === 1 && records[0].fn === 'console_write', `the adapter recorded the call: ${JSON.stringify(records)}`);
    const want = addr2line(demoElf(root), records[0].pc, root);

    // VS Code itself opens the stopped frame's source (in the same file): let it, then close every
    // editor, so that the editor we look for can only be the command's.
    const frame = await s.topFrame(stop.threadId ?? 0);
    const framePath = sourcePath(frame.source?.path);
    const editorOn = (path: string): vscode.TextEditor | undefined => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.scheme === 'file' && e.document.uri.fsPath === path ? e : undefined;
    };
    try {
      await t.waitFor(`VS Code's editor on the stopped frame (${framePath})`, () => editorOn(framePath), 5_000);
    } catch {
      t.log(`VS Code opened no editor on the stop (${framePath}:${frame.line})`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await t.waitFor('no active editor', () => vscode.window.activeTextEditor === undefined, 5_000);

    mark = s.mark();
    await vscode.commands.executeCommand('rvisor.revealCallSite', { record: records[0], session: s.session });
    const lookup = await s.response<DebugProtocol.Response>('rvisor.lookup', mark);
    assert.ok(lookup.success, `rvisor.lookup: ${lookup.message}`);
    const editor = await t.waitFor('an editor on the call site (the command reports failures in a notification)', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.scheme === 'file' && e.document.uri.fsPath.startsWith(join(root, 'guests')) ? e : undefined;
    }, 5_000);
    const at = `${editor.document.uri.fsPath}:${editor.selection.start.line + 1}`;
    t.log(`pc ${records[0].pc}: ${at} (the stop's frame: ${framePath}:${frame.line})`);
    if (want) assert.equal(at, `${want.at(-1)!.path}:${want.at(-1)!.line}`, 'the outermost line addr2line -i gives: the call inlining the SBI wrapper');
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await s.stop();
  }
}, { timeoutMs: 30_000 });

test('Reveal Call Site without source: a disassembly document (riscv-asm) with the address marked', async (t) => {
  const { root } = await rvisor(t);
  // No symbol files: the adapter knows no source line, so the extension disassembles.
  const s = await Session.start(t, { kernel: demoElf(root), cwd: root, stopOnEntry: true, symbols: [] });
  try {
    await s.entry();
    const pc = (await s.topFrame(0)).instructionPointerReference!;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('rvisor.revealCallSite', { record: { k: 'trap', pc }, session: s.session });
    const editor = await t.waitFor('an editor on a disassembly document', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'rvisor-disasm' ? e : undefined;
    }, 10_000);
    assert.equal(editor.document.languageId, 'riscv-asm');
    const line = editor.document.lineAt(editor.selection.start.line).text;
    // The marked line is the address, with its bytes and instruction (objdump's layout).
    assert.match(line, new RegExp(`^=>\\s+${pc.replace(/^0x/, '')}:\\t[0-9a-f]{4,8}\\s*\\t[a-z.]+`), line);
    assert.ok(editor.document.getText().split('\n').filter((l) => /^(=>| {2}) {2}[0-9a-f]+:\t/.test(l)).length >= 40, 'instructions around it');
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await s.stop();
  }
}, { timeoutMs: 30_000 });

// ---- the views' data path (the adapter's scopes) ---------------------------------------------------

test('machine views\' data: the adapter offers the "Page Tables" and "Devices" scopes the views read', async (t) => {
  const { root } = await rvisor(t);
  const s = await Session.start(t, { kernel: demoElf(root), cwd: root, stopOnEntry: true });
  try {
    const stop = await s.entry();
    const frame = await s.topFrame(stop.threadId ?? 0);
    const { scopes } = await s.request<DebugProtocol.ScopesResponse['body']>('scopes', { frameId: frame.id });
    const names = scopes.map((x) => x.name);
    // extension/views/machine-tree.ts finds them by these exact names.
    for (const want of ['Page Tables', 'Devices']) assert.ok(names.includes(want), `a scope named exactly "${want}" (have: ${names.join(', ')})`);
    for (const want of ['Page Tables', 'Devices']) {
      const scope = scopes.find((x) => x.name === want)!;
      const { variables } = await s.request<DebugProtocol.VariablesResponse['body']>('variables', { variablesReference: scope.variablesReference });
      t.log(`${want}: ${variables.length} rows (${variables.slice(0, 4).map((v) => v.name).join(', ')}…)`);
      if (want === 'Devices') assert.ok(variables.length > 0, 'the Devices scope lists the board\'s devices');
    }
  } finally {
    await s.stop();
  }
}, { timeoutMs: 30_000 });

// ---- language features through VS Code's own commands ----------------------------------------------

type Loc = { uri: vscode.Uri; range: vscode.Range };
const toLoc = (l: vscode.Location | vscode.LocationLink): Loc => ('targetUri' in l ? { uri: l.targetUri, range: l.targetRange } : l);
const hoverText = (hs: vscode.Hover[]): string => hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');


test('trace files: language, outline, hover, go to call site and diagnostics through VS Code\'s providers', async (t) => {
  const { root } = await rvisor(t);
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-host-trace-'));
  try {
    const trace = join(dir, 'demo.rvtrace');
    const run = spawnSync(process.execPath, [join(root, 'dist', 'rvisor.js'), 'run', '-kernel', demoElf(root), '-nographic', '--trace', trace],
      { input: '', encoding: 'utf8', timeout: 20_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(run.status, 0, `rvisor run exited ${run.status ?? run.signal}: ${run.stderr}`);
    const lines = readFileSync(trace, 'utf8').split('\n');

    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(trace));
    assert.equal(doc.languageId, 'rvisor-trace');

    // The outline (the language client answers once the server is up: poll).
    const symbols = await t.waitFor('document symbols for the trace', async () => {
      const r = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      return r?.length ? r : undefined;
    }, 20_000, 200);
    const top = symbols.map((x) => x.name);
    t.log(`outline: ${top.join(' | ')}`);
    assert.ok(top.some((n) => /^rvisor-trace v1$/.test(n)), 'the header is in the outline');
    const hart = symbols.find((x) => /^hart 0\b/.test(x.name));
    assert.ok(hart, 'a "hart 0" group');
    assert.ok(hart.children.some((c) => /^kernel \(S-mode\)$/.test(c.name)), `hart 0 has a kernel (S-mode) phase: ${hart.children.map((c) => c.name).join(', ')}`);
    assert.ok(top.some((n) => /^poweroff \(code 0\)$/.test(n)), 'the poweroff line');
    const end = symbols.find((x) => /^end \(\d+ events\)$/.test(x.name));
    assert.ok(end, 'the end line');
    assert.equal(end.range.start.line, lines.findIndex((l) => l.startsWith('{"k":"end"')), 'the end symbol is on the end line');

    // A DBCN console_write line: its hover, and its pc's source line.
    const line = lines.findIndex((l) => /"ext":"DBCN".*"fn":"console_write"/.test(l));
    assert.ok(line > 0, 'the trace has a DBCN console_write call');
    const hover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 3)));
    assert.match(hover, /console_write/);
    assert.match(hover, /num_bytes/);

    const pc = /"pc":"(0x[0-9a-f]+)"/.exec(lines[line])![1];
    const at = new vscode.Position(line, lines[line].indexOf(`"pc":"${pc}"`) + 8);
    const defs = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, at)).map(toLoc);
    assert.ok(defs.length > 0, `go to definition on pc ${pc} gives a source location`);
    const got = defs.map((d) => ({ file: d.uri.fsPath, line: d.range.start.line + 1 }));
    t.log(`pc ${pc}: ${got.map((g) => `${g.file}:${g.line}`).join(', ')}`);
    assert.ok(got.every((g) => g.file.startsWith(join(root, 'guests') + '/') && existsSync(g.file)), 'locations are files in guests/');
    assert.ok(got.some((g) => g.file === join(root, 'guests', 'demo', 'sbi.c')), 'one of them in guests/demo/sbi.c (sbi_debug_console_write)');
    const want = addr2line(demoElf(root), pc, root);
    // VS Code does not keep the server's order (innermost first): compare as sets.
    const key = (l: { file: string; line: number }): string => `${l.file}:${l.line}`;
    if (want) assert.deepEqual(got.map(key).sort(), want.map((w) => key({ file: w.path, line: w.line })).sort(), 'the same lines as addr2line -i');
    else t.log('no RISC-V addr2line here: lines not cross-checked');

    // Diagnostics: a failing hypercall (SBI error -2) and a line that is not JSON.
    const bad = [...lines];
    const endLine = bad.findIndex((l) => l.startsWith('{"k":"end"'));
    const failing = lines[line].replace(/"error":0,"value":"0x[0-9a-f]+"/, '"error":-2,"value":"0x0"');
    assert.notEqual(failing, lines[line]);
    bad.splice(endLine, 0, failing, 'this line is not JSON');
    const badPath = join(dir, 'broken.rvtrace');
    writeFileSync(badPath, bad.join('\n'));
    const badDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(badPath));
    assert.equal(badDoc.languageId, 'rvisor-trace');
    const diags = await t.waitFor('diagnostics for the failing call and the junk line', () => {
      const d = vscode.languages.getDiagnostics(badDoc.uri);
      const call = d.find((x) => x.range.start.line === endLine && x.severity === vscode.DiagnosticSeverity.Warning && /console_write failed: SBI_ERR_NOT_SUPPORTED/.test(x.message));
      const junk = d.find((x) => x.range.start.line === endLine + 1 && x.severity === vscode.DiagnosticSeverity.Error && /not a JSON line/.test(x.message));
      return call && junk ? d : undefined;
    }, 15_000);
    t.log(`diagnostics: ${diags.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeoutMs: 45_000 });

test('RISC-V assembly: entry.S has no diagnostics, hovers document csrw and sie, an unknown mnemonic is flagged', async (t) => {
  const { root } = await rvisor(t);
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-host-asm-'));
  try {
    const entry = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root, 'guests', 'demo', 'entry.S')));
    assert.equal(entry.languageId, 'riscv-asm');
    const n = entry.getText().split('\n').findIndex((l) => /^\s*csrw\s+sie\b/.test(l));
    assert.ok(n >= 0, 'entry.S has a csrw sie line');
    const text = entry.lineAt(n).text;
    const hover = (ch: number): Thenable<vscode.Hover[]> => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', entry.uri, new vscode.Position(n, ch));
    const csrw = await t.waitFor('a hover on csrw', async () => hoverText(await hover(text.indexOf('csrw') + 1)), 20_000, 200);
    assert.match(csrw, /\*\*csrw\*\*/);
    assert.match(csrw, /Write a CSR/);
    const sie = hoverText(await hover(text.indexOf('sie') + 1));
    assert.match(sie, /\*\*sie\*\* — CSR 0x104/);
    assert.match(sie, /Supervisor interrupt enable/);

    const badPath = join(dir, 'bad.S');
    writeFileSync(badPath, '\t.text\n\t.globl f\nf:\n\tfrobnicate a0, a1\n\tret\n');
    const bad = await vscode.workspace.openTextDocument(vscode.Uri.file(badPath));
    assert.equal(bad.languageId, 'riscv-asm');
    const d = await t.waitFor('the unknown-mnemonic diagnostic', () =>
      vscode.languages.getDiagnostics(bad.uri).find((x) => /unknown instruction or macro 'frobnicate'/.test(x.message)), 15_000);
    assert.equal(d.range.start.line, 3);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    // entry.S's diagnostics were published before bad.S's: the server validates documents in the order
    // they opened (same debounce), and the client applies its notifications in order.
    assert.deepEqual(vscode.languages.getDiagnostics(entry.uri).map((x) => `${x.range.start.line + 1}: ${x.message}`), [], 'entry.S has no diagnostics');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeoutMs: 45_000 });

// Several guests in one rvisor process (`rvisor run --config FILE`): each guest runs in its own
// worker thread, so a guest that faults, spins or is killed stops alone while the others go on.
// The main thread owns the terminal (output lines tagged with the guest's name, input to the guest
// in focus) and reports every guest's state.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Machine, type StopReason } from '../engine/machine.ts';
import { TraceWriter } from '../engine/trace.ts';
import { IdleWaiter } from './idle.ts';
import { readConsole } from './console.ts';
import type { GuestSpec, GuestsConfig } from './config.ts';
import { parseHostPort } from './args.ts';
import { VirtualSwitch, type SwitchPort } from '../engine/net/switch.ts';
import { connectLink, listenLink, type SocketLink } from '../engine/net/socket-link.ts';

/** Messages from a guest's worker to the main thread. */
type FromGuest =
  | { t: 'output'; bytes: Uint8Array }
  | { t: 'frame'; nic: number; bytes: Uint8Array }
  | { t: 'state'; state: string }
  | { t: 'end'; reason: StopReason | { reason: 'error'; message: string } | { reason: 'max-steps' }; steps: number };

/** Messages from the main thread to a guest's worker. */
type ToGuest = { t: 'input'; bytes: Uint8Array } | { t: 'frame'; nic: number; bytes: Uint8Array } | { t: 'stop' };

const WORKER_FLAG = 'rvisor-guest-worker';

/** True in a guest's worker thread (the CLI bundle is also the worker's code). */
export function isGuestWorker(): boolean {
  return !isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_FLAG;
}

/** The worker side: boots one guest and runs it until it ends or is told to stop. */
export function runGuestWorker(): void {
  const spec = (workerData as { spec: GuestSpec }).spec;
  const port = parentPort!;
  const post = (m: FromGuest): void => port.postMessage(m);
  let m: Machine;
  try {
    m = Machine.create(spec.machine);
  } catch (e) {
    post({ t: 'end', reason: { reason: 'error', message: (e as Error).message }, steps: 0 });
    return;
  }
  const trace = spec.trace ? new TraceWriter(m, spec.trace) : undefined;
  m.onOutput = (b) => post({ t: 'output', bytes: b.slice() });
  m.nics.forEach((n, i) => { n.send = (f) => post({ t: 'frame', nic: i, bytes: f }); });
  let stopped = false;
  let idle = false;
  const end = (reason: FromGuest & { t: 'end' } extends { reason: infer R } ? R : never): void => {
    stopped = true;
    waiter.cancel();
    trace?.close();
    m.close();
    post({ t: 'end', reason, steps: m.totalSteps() });
    port.close();
  };
  const waiter = new IdleWaiter(m, () => setImmediate(loop));
  port.on('message', (msg: ToGuest) => {
    if (msg.t === 'input' || msg.t === 'frame') {
      if (msg.t === 'input') m.input(msg.bytes);
      else m.deliver(() => m.nics[msg.nic]?.device.receive(msg.bytes));
      if (waiter.waiting) waiter.wake();
      else if (idle) { idle = false; post({ t: 'state', state: 'running' }); setImmediate(loop); }
    } else if (msg.t === 'stop') {
      if (!stopped) end({ reason: 'error', message: 'stopped by the user' });
    }
  });
  const loop = (): void => {
    if (stopped) return;
    let budget = 2_000_000;
    if (spec.maxSteps !== undefined) {
      const left = spec.maxSteps - m.totalSteps();
      if (left <= 0) { end({ reason: 'max-steps' }); return; }
      budget = Math.min(budget, left);
    }
    let r: StopReason;
    try {
      r = m.run(budget);
    } catch (e) {
      // An engine bug: this guest ends, the others go on.
      end({ reason: 'error', message: `engine error: ${(e as Error).stack ?? e}` });
      return;
    }
    if (r.reason === 'budget' || r.reason === 'breakpoint') { setImmediate(loop); return; }
    if (r.reason === 'idle') { idle = true; post({ t: 'state', state: 'idle' }); return; }
    if (r.reason === 'waiting') { waiter.wait(r.untilSteps); return; }
    end(r);
  };
  post({ t: 'state', state: 'running' });
  setImmediate(loop);
}

interface GuestRun {
  spec: GuestSpec;
  worker: Worker;
  state: string;
  result?: { text: string; ok: boolean };
  /** Output bytes after the last newline (lines are tagged whole). */
  partial: string;
  /** Takes the guest's NICs off their switches. */
  unplug: Array<() => void>;
}

/**
 * The main-thread side: starts every guest, multiplexes the terminal and resolves with the exit
 * status (0 when every guest powered off with status 0).
 */
export function runGuests(cfg: GuestsConfig, bundle: string): Promise<number> {
  const stdin = process.stdin;
  const tty = stdin.isTTY === true;
  const tag = cfg.guests.length > 1;
  const runs: GuestRun[] = [];
  let focus = 0;
  const say = (s: string): void => { process.stderr.write(`${tty ? '\r\n' : ''}rvisor: ${s}${tty ? '\r\n' : '\n'}`); };

  return new Promise((resolveAll) => {
    let finished = false;
    const maybeDone = (): void => {
      if (finished || runs.some((r) => !r.result)) return;
      finished = true;
      if (tty) stdin.setRawMode(false);
      stdin.pause();
      if (!tag) say(`guest ${runs[0].spec.name}: ${runs[0].result!.text}`);
      closeLinks();
      resolveAll(runs.every((r) => r.result!.ok) ? 0 : 1);
    };
    const finish = (r: GuestRun, text: string, ok: boolean): void => {
      if (r.result) return;
      if (r.partial) { process.stdout.write(`[${r.spec.name}] ${r.partial}\n`); r.partial = ''; }
      r.result = { text, ok };
      r.state = text;
      for (const u of r.unplug) u();
      if (tag) say(`guest ${r.spec.name}: ${text}`);
      maybeDone();
    };
    // The switches live here; each guest NIC is a port whose frames cross to and from its worker.
    const switches = new Map<string, VirtualSwitch>();
    const links: SocketLink[] = [];
    const log = (s: string): void => say(s);
    for (const [name, sc] of Object.entries(cfg.switches)) {
      const sw = new VirtualSwitch(name);
      switches.set(name, sw);
      if (sc.listen) {
        const { host, port } = parseHostPort(sc.listen, `switch ${name} listen`);
        listenLink(sw, host, port, log).then((l) => links.push(l), (e: Error) => say(e.message));
      }
      if (sc.connect) {
        const { host, port } = parseHostPort(sc.connect, `switch ${name} connect`);
        links.push(connectLink(sw, host, port, log));
      }
    }
    const closeLinks = (): void => { for (const l of links) l.close(); };
    for (const spec of cfg.guests) {
      const worker = new Worker(bundle, { workerData: { kind: WORKER_FLAG, spec }, stdin: false });
      const r: GuestRun = { spec, worker, state: 'starting', partial: '', unplug: [] };
      runs.push(r);
      const nicSends = (spec.machine.devices ?? []).filter((d) => d.type === 'virtio-net').map((d, i) => {
        const sw = switches.get((d as { netdev: string }).netdev)!;
        const port: SwitchPort = {
          name: `${spec.name} nic${i}`,
          deliver: (f) => { if (!r.result) worker.postMessage({ t: 'frame', nic: i, bytes: f } satisfies ToGuest); },
        };
        r.unplug.push(() => sw.detach(port));
        return sw.attach(port);
      });
      worker.on('message', (msg: FromGuest) => {
        if (msg.t === 'frame') {
          nicSends[msg.nic]?.(msg.bytes);
        } else if (msg.t === 'output') {
          if (!tag) { process.stdout.write(msg.bytes); return; }
          const text = r.partial + Buffer.from(msg.bytes).toString('latin1');
          const lines = text.split('\n');
          r.partial = lines.pop()!;
          for (const l of lines) process.stdout.write(`[${spec.name}] ${l}\n`);
        } else if (msg.t === 'state') {
          r.state = msg.state;
        } else {
          const e = msg.reason;
          const steps = `${msg.steps} steps`;
          if (e.reason === 'poweroff') finish(r, `powered off, status ${e.exitCode} (${steps})`, e.exitCode === 0);
          else if (e.reason === 'fatal') finish(r, `stopped on a fault: hart ${e.hart}: ${e.message} (${steps})`, false);
          else if (e.reason === 'error') finish(r, `stopped: ${e.message}`, false);
          else if (e.reason === 'max-steps') finish(r, `stopped at its step limit (${steps})`, false);
          else finish(r, `ended: ${e.reason} (${steps})`, false);
        }
      });
      worker.on('error', (err) => finish(r, `crashed: ${err.message}`, false));
      worker.on('exit', (code) => finish(r, `worker exited (${code})`, false));
    }

    // The terminal: input to the guest in focus; Ctrl-A n next guest, l list, k kill, x quit all.
    readConsole(tty, {
      x: () => {
        for (const r of runs) if (!r.result) { void r.worker.terminate(); finish(r, 'terminated by Ctrl-A x', false); }
        return 'stop';
      },
      n: () => { focus = (focus + 1) % runs.length; say(`console: ${runs[focus].spec.name}`); },
      l: () => { runs.forEach((r, i) => say(`${i === focus ? '*' : ' '} ${r.spec.name}: ${r.state}`)); },
      k: () => { const r = runs[focus]; void r.worker.terminate(); finish(r, 'killed by Ctrl-A k', false); },
    }, (bytes) => {
      const r = runs[focus];
      if (!r.result) r.worker.postMessage({ t: 'input', bytes } satisfies ToGuest);
    });
  });
}

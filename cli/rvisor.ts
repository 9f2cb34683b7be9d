// rvisor's command-line launcher: `rvisor run [QEMU flags]` (or `rvisor [QEMU flags]`) boots a
// machine with the guest's serial port on stdio. Ctrl-A x quits; the exit status is the guest's.

import { closeSync, fsyncSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { connect, createServer } from 'node:net';
import { Machine, type MachineConfig, type MachineSnapshot, type StopReason } from '../engine/machine.ts';
import { decodeSnapshot, encodeSnapshot } from '../engine/snapshot.ts';
import { TraceWriter } from '../engine/trace.ts';
import { isElf } from '../engine/loader/elf.ts';
import { loadGuestsConfig } from './config.ts';
import { runDebugAdapter } from '../adapter/main.ts';
import { RvisorDebugSession } from '../adapter/session.ts';
import { isGuestWorker, runGuestWorker, runGuests } from './guests.ts';
import { parseRunArgs, UsageError, type NetdevConfig } from './args.ts';
import { IdleWaiter } from './idle.ts';
import { readConsole } from './console.ts';
import { plugNics } from './netlink.ts';
import { RISCV_ISA } from '../engine/board/virt.ts';

const USAGE = `usage: rvisor run [options]      (or: rvisor [options] — the same, QEMU style)
       rvisor snapshot --at STEPS -o FILE [options]
       rvisor restore FILE
       rvisor run --config FILE
       rvisor dap [--port N]                 (the debug adapter: DAP on stdio, or on 127.0.0.1:N)

Boots a RISC-V guest on rvisor's QEMU-virt-compatible board. Options (QEMU's spelling):
  -machine virt|spike     board (spike = virt plus HTIF tohost for conformance tests)
  -bios FILE|none         M-mode firmware (e.g. OpenSBI); default: rvisor's own SBI, kernel in S-mode
  -kernel FILE            ELF or raw image (raw: at 0x80200000, or 0x80000000 with -bios none)
  -initrd FILE            initial ramdisk
  -append STRING          kernel command line (/chosen/bootargs)
  -m SIZE                 RAM (default 128M)
  -smp N                  harts (default 1)
  -cpu rv64               the hart model (${RISCV_ISA})
  -nographic              serial on stdio (always the case)
  -no-reboot              a guest reboot ends the run (status 0)
  -icount shift=2[,sleep=on|off]   rvisor's clock always counts instructions (4 ns each, QEMU's
                          shift=2); sleep=off (the default without a NIC): idle time is skipped at
                          once; sleep=on (the default with a NIC): idle time passes in real time
  -rtc base=utc|DATETIME  where the RTC starts (default: the host's time); a fixed date makes a
                          run reproducible byte for byte
  -drive file=F,if=virtio|none[,id=ID][,format=raw][,readonly=on][,snapshot=off][,overlay=F]
                          a raw disk image. rvisor never writes the image unless snapshot=off:
                          by default writes go to an overlay (in memory, or the file overlay=F)
  -device virtio-blk-device,drive=ID[,serial=S] | virtio-rng-device[,seed=N] | virtio-serial-device
                          [,bus=virtio-mmio-bus.N]   (without bus=, the highest free slot, as QEMU)
  -global virtio-mmio.force-legacy=on|off   virtio-mmio version 1 instead of 2 (default off)
  -incoming tcp:HOST:PORT wait for a machine migrated from another rvisor, and run it
  --migrate-to HOST:PORT --migrate-at STEPS   at that step, send the machine there and exit
  --dap-port N            serve the debug adapter on 127.0.0.1:N: a DAP client that connects and
                          sends attach debugs the running guest; when it detaches, the guest goes on
  --trace FILE            write the event stream (hypercalls, traps, interrupts, device activity)
                          to FILE (JSON Lines, docs/trace-format.md)
  --trace-events K,K…     only these kinds: hypercall, trap, device, output, poweroff, reset, fatal
Several guests: rvisor run --config FILE starts every guest the file describes (JSON; schema:
schemas/rvisor-config.schema.json), each isolated in its own thread. Output lines are tagged with
the guest's name; Ctrl-A n moves the console to the next guest, Ctrl-A l lists the guests' states,
Ctrl-A k kills the guest in focus. Exit status 0 when every guest powered off with status 0.
Snapshots: rvisor snapshot runs to step STEPS (output on stdout), writes the machine to FILE and
exits; rvisor restore FILE continues it. While running, Ctrl-A s writes rvisor-PID-N.snap.
Keys: Ctrl-A x quits, Ctrl-A s snapshots, Ctrl-A Ctrl-A sends Ctrl-A.
Exit status: the guest's poweroff code (0 = pass), 1 on a guest fault, 2 on usage errors.`;

function main(argv: string[]): void {
  if (isGuestWorker()) {
    runGuestWorker();
    return;
  }
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(USAGE + '\n');
    process.exit(argv.length === 0 ? 2 : 0);
  }
  if (argv[0] === 'dap') {
    runDebugAdapter(argv.slice(1));
    return;
  }
  const command = argv[0] === 'run' || argv[0] === 'snapshot' || argv[0] === 'restore' ? argv[0] : 'run';
  const args = command === argv[0] ? argv.slice(1) : argv;
  try {
    if (command === 'restore') {
      if (args.length !== 1) throw new UsageError('usage: rvisor restore FILE');
      runInteractive(Machine.restore(readSnapshot(args[0])));
      return;
    }
    const ci = args.findIndex((a) => a === '--config' || a === '-config');
    if (ci >= 0) {
      if (command !== 'run' || args.length !== 2 || ci !== 0) throw new UsageError('usage: rvisor run --config FILE (the file describes everything)');
      void runGuests(loadGuestsConfig(args[1]), __filename).then((code) => process.stdout.write('', () => process.exit(code)));
      return;
    }
    const opts = parseRunArgs(args, command);
    if (opts.incoming) {
      receiveMigration(opts.incoming);
      return;
    }
    const machine = Machine.create(opts.config);
    if (opts.trace) {
      const writer = new TraceWriter(machine, opts.trace.file, opts.trace.kinds, elfFiles(opts.config));
      process.on('exit', () => writer.close());
    }
    if (opts.snapshot) takeSnapshot(machine, opts.snapshot);
    else runInteractive(machine, opts.migrate, opts.netdevs, opts.dapPort, opts.config);
  } catch (e) {
    fail(e);
  }
}

/** The kernel and firmware files that are ELF (absolute paths): a trace's symbol files (docs/trace-format.md). */
function elfFiles(c: MachineConfig): string[] {
  return [c.kernel, c.bios].filter((f): f is string => typeof f === 'string' && f !== 'none' && f !== 'builtin').map((f) => resolve(f)).filter((f) => {
    const magic = new Uint8Array(4);
    const fd = openSync(f, 'r');
    try {
      return readSync(fd, magic, 0, 4, 0) === 4 && isElf(magic);
    } finally {
      closeSync(fd);
    }
  });
}

function fail(e: unknown): never {
  process.stderr.write(`rvisor: ${(e as Error).message}\n`);
  if (e instanceof UsageError) process.stderr.write(`(rvisor --help lists the options)\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
}

function readSnapshot(file: string): MachineSnapshot {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read snapshot '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return decodeSnapshot(bytes) as MachineSnapshot;
}

/** Writes a file completely and durably (a crash leaves the old file or the new one, never half). */
function writeFileDurably(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** rvisor snapshot: runs to step `atStep` (the guest's output on stdout), writes the machine, exits. */
function takeSnapshot(m: Machine, o: { file: string; atStep: number }): void {
  m.onOutput = (b) => process.stdout.write(b);
  for (;;) {
    const left = o.atStep - m.totalSteps();
    if (left <= 0) break;
    const r = m.run(Math.min(left, 2_000_000));
    if (r.reason === 'idle') {
      // Nothing will happen without input: the state is the same at any later step.
      process.stderr.write(`rvisor: the guest is idle at step ${m.totalSteps()}; snapshot taken there\n`);
      break;
    }
    if (r.reason === 'waiting') { m.idleUntil(r.untilSteps); continue; }
    if (r.reason !== 'budget' && r.reason !== 'breakpoint') throw new Error(`the guest stopped (${r.reason}) before step ${o.atStep}`);
  }
  writeFileDurably(o.file, encodeSnapshot(m.snapshot()));
  process.stdout.write('', () => process.exit(0));
}

/** -incoming tcp:HOST:PORT: accepts one connection, reads a whole snapshot, and runs it. */
function receiveMigration(at: { host: string; port: number }): void {
  const server = createServer((sock) => {
    server.close();
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', (e) => fail(new Error(`migration connection: ${e.message}`)));
    sock.on('end', () => {
      try {
        const m = Machine.restore(decodeSnapshot(Buffer.concat(chunks)) as MachineSnapshot);
        sock.end('ok\n');
        process.stderr.write(`rvisor: machine received from ${sock.remoteAddress}:${sock.remotePort}\n`);
        runInteractive(m);
      } catch (e) {
        sock.end(`error: ${(e as Error).message}\n`);
        fail(e);
      }
    });
  });
  server.on('error', (e) => fail(new Error(`-incoming: ${e.message}`)));
  server.listen(at.port, at.host, () => process.stderr.write(`rvisor: waiting for a migration on ${at.host}:${at.port}\n`));
}

/** Sends the machine to a waiting `-incoming` rvisor (stop-and-copy) and exits once it has it. */
function migrate(m: Machine, to: { host: string; port: number }, done: (code: number, message: string) => void): void {
  const bytes = encodeSnapshot(m.snapshot());
  const sock = connect(to.port, to.host);
  let reply = '';
  sock.on('connect', () => sock.end(bytes));
  sock.on('data', (d: Buffer) => (reply += d.toString()));
  sock.on('error', (e) => done(1, `migration to ${to.host}:${to.port} failed: ${e.message}`));
  sock.on('close', () => {
    if (reply.startsWith('ok')) done(0, `migrated to ${to.host}:${to.port} at step ${m.totalSteps()} (${bytes.length} bytes)`);
    else done(1, `migration to ${to.host}:${to.port} refused: ${reply.trim() || 'no answer'}`);
  });
}

/** Plugs the machine's NICs into one switch per -netdev, each linked over TCP as asked. */
function runInteractive(m: Machine, migrateAt?: { host: string; port: number; atStep: number }, netdevs?: Map<string, NetdevConfig>, dapPort?: number, config?: MachineConfig): void {
  const stdin = process.stdin;
  const tty = stdin.isTTY === true;
  let finished = false;
  m.onOutput = (b) => process.stdout.write(b);
  process.on('exit', () => m.close());
  const finish = (code: number, message?: string): void => {
    if (finished) return;
    finished = true;
    if (tty) stdin.setRawMode(false);
    stdin.pause();
    if (message) process.stderr.write(`\nrvisor: ${message}\n`);
    process.exitCode = code;
    // Let stdout drain before exiting.
    process.stdout.write('', () => process.exit(code));
  };
  readConsole(tty, {
    x: () => { finish(0, 'terminated by Ctrl-A x'); return 'stop'; },
    s: () => saveSnapshotNow(),
  }, (bytes) => {
    m.input(bytes);
    wake();
  });
  let idle = false;
  const wake = (): void => {
    if (finished) return;
    if (waiter.waiting) waiter.wake();
    else if (idle) { idle = false; setImmediate(loop); }
  };
  const waiter = new IdleWaiter(m, () => setImmediate(loop));
  // A guest with a network link may be woken by a frame: idle with no input is not the end then.
  const hasLinks = netdevs !== undefined && netdevs.size > 0;
  if (netdevs) plugNics(m, netdevs, wake, (msg) => process.stderr.write(`rvisor: ${msg}\r\n`));
  stdin.on('end', () => { if (idle && !finished && !hasLinks) finish(0, 'input closed while the guest was idle'); stdinEnded = true; });
  let stdinEnded = false;
  let snapshots = 0;
  const saveSnapshotNow = (): void => {
    const file = `rvisor-${process.pid}-${++snapshots}.snap`;
    try {
      writeFileDurably(file, encodeSnapshot(m.snapshot()));
      process.stderr.write(`\r\nrvisor: snapshot written to ${file} (step ${m.totalSteps()}; rvisor restore ${file})\r\n`);
    } catch (e) {
      process.stderr.write(`\r\nrvisor: snapshot failed: ${(e as Error).message}\r\n`);
    }
  };
  // While a debugger is attached it drives the machine; the loop waits for it to detach.
  let attached = false;
  if (dapPort !== undefined) {
    serveAttach(m, dapPort, config, {
      attach: () => { attached = true; },
      detach: () => { attached = false; if (!finished) setImmediate(loop); },
      output: (b) => process.stdout.write(b),
      finish: (code, message) => finish(code, message),
    });
  }
  const SLICE = 2_000_000;
  const loop = (): void => {
    if (finished || attached) return;
    let budget = SLICE;
    if (migrateAt) {
      const left = migrateAt.atStep - m.totalSteps();
      if (left <= 0) {
        finished = true;
        migrate(m, migrateAt, (code, message) => { finished = false; finish(code, message); });
        return;
      }
      budget = Math.min(budget, left);
    }
    const r: StopReason = m.run(budget);
    switch (r.reason) {
      case 'budget': setImmediate(loop); return;
      case 'poweroff': finish(r.exitCode); return;
      case 'fatal': finish(1, `guest stopped: hart ${r.hart}: ${r.message}`); return;
      case 'halted': finish(1, 'every hart has stopped'); return;
      case 'breakpoint': setImmediate(loop); return;
      case 'waiting': waiter.wait(r.untilSteps); return;
      case 'idle':
        // Every hart waits for an interrupt that only input can bring.
        if (stdinEnded && !hasLinks) { finish(0, 'guest idle with no more input'); return; }
        idle = true;
        return;
    }
  };
  setImmediate(loop);
}

/**
 * `--dap-port N`: a DAP server on 127.0.0.1:N for the running guest. One client at a time sends
 * `attach`; from then on the session runs and stops the machine, and when it disconnects the
 * interactive loop takes over again.
 */
function serveAttach(m: Machine, port: number, config: MachineConfig | undefined, host: { attach(): void; detach(): void; output(b: Uint8Array): void; finish(code: number, message?: string): void }): void {
  let busy = false;
  const symbols = [config?.bios, config?.kernel].filter((p): p is string => typeof p === 'string' && p !== 'none').map((path) => ({ path }));
  const server = createServer((socket) => {
    if (busy) {
      socket.end();
      return;
    }
    busy = true;
    const session = new RvisorDebugSession({
      machine: m, symbols,
      attach: host.attach,
      detach: () => { busy = false; host.detach(); },
      output: host.output,
      end: (code, message) => host.finish(code, message),
    });
    session.setRunAsServer(true);
    session.start(socket, socket);
    socket.on('close', () => session.detachIfAttached());
    socket.on('error', () => session.detachIfAttached());
  });
  server.on('error', (e) => host.finish(2, `--dap-port ${port}: ${e.message}`));
  server.listen(port, '127.0.0.1', () => {
    const a = server.address();
    process.stderr.write(`rvisor: debug adapter on 127.0.0.1:${typeof a === 'object' && a ? a.port : port} (attach to debug this guest)\n`);
  });
  server.unref();
}

main(process.argv.slice(2));

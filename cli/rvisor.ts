// rvisor's command-line launcher: `rvisor run [QEMU flags]` (or `rvisor [QEMU flags]`) boots a
// machine with the guest's serial port on stdio. Ctrl-A x quits; the exit status is the guest's.

import { Machine, type StopReason } from '../engine/machine.ts';
import { parseRunArgs, UsageError } from './args.ts';

const USAGE = `usage: rvisor run [options]      (or: rvisor [options] — the same, QEMU style)

Boots a RISC-V guest on rvisor's QEMU-virt-compatible board. Options (QEMU's spelling):
  -machine virt|spike     board (spike = virt plus HTIF tohost for conformance tests)
  -bios FILE|none         M-mode firmware (e.g. OpenSBI); default: rvisor's own SBI, kernel in S-mode
  -kernel FILE            ELF or raw image (raw: at 0x80200000, or 0x80000000 with -bios none)
  -initrd FILE            initial ramdisk
  -append STRING          kernel command line (/chosen/bootargs)
  -m SIZE                 RAM (default 128M)
  -smp N                  harts (default 1)
  -cpu rv64               the hart model (rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbs_sstc)
  -nographic              serial on stdio (always the case)
Keys: Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A.
Exit status: the guest's poweroff code (0 = pass), 1 on a guest fault, 2 on usage errors.`;

function main(argv: string[]): void {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(USAGE + '\n');
    process.exit(argv.length === 0 ? 2 : 0);
  }
  const args = argv[0] === 'run' ? argv.slice(1) : argv;
  let machine: Machine;
  try {
    const opts = parseRunArgs(args);
    machine = Machine.create(opts.config);
  } catch (e) {
    process.stderr.write(`rvisor: ${(e as Error).message}\n`);
    if (e instanceof UsageError) process.stderr.write(`(rvisor --help lists the options)\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
  runInteractive(machine);
}

function runInteractive(m: Machine): void {
  const stdin = process.stdin;
  const tty = stdin.isTTY === true;
  let ctrlA = false;
  let finished = false;
  m.onOutput = (b) => process.stdout.write(b);
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
  if (tty) stdin.setRawMode(true);
  stdin.on('data', (chunk: Buffer) => {
    const out: number[] = [];
    for (const b of chunk) {
      if (ctrlA) {
        ctrlA = false;
        if (b === 0x78 /* x */) { finish(0, 'terminated by Ctrl-A x'); return; }
        out.push(b === 0x01 ? 0x01 : b);
        continue;
      }
      if (b === 0x01 && tty) { ctrlA = true; continue; }
      out.push(b);
    }
    if (out.length) m.input(Uint8Array.from(out));
    if (idle) { idle = false; setImmediate(loop); }
  });
  stdin.on('end', () => { if (idle && !finished) finish(0, 'input closed while the guest was idle'); stdinEnded = true; });
  let idle = false;
  let stdinEnded = false;
  const SLICE = 2_000_000;
  const loop = (): void => {
    if (finished) return;
    const r: StopReason = m.run(SLICE);
    switch (r.reason) {
      case 'budget': setImmediate(loop); return;
      case 'poweroff': finish(r.exitCode); return;
      case 'fatal': finish(1, `guest stopped: hart ${r.hart}: ${r.message}`); return;
      case 'halted': finish(1, 'every hart has stopped'); return;
      case 'breakpoint': setImmediate(loop); return;
      case 'idle':
        // Every hart waits for an interrupt that only input can bring.
        if (stdinEnded) { finish(0, 'guest idle with no more input'); return; }
        idle = true;
        return;
    }
  };
  setImmediate(loop);
}

main(process.argv.slice(2));

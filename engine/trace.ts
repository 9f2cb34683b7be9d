// Writes a machine's event stream to a trace file (format: docs/trace-format.md, "rvisor-trace"
// version 1): JSON Lines, a header line first, one line per event, an "end" line last.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { Machine } from './machine.ts';
import type { EventKind, MachineEvent } from './events.ts';
import { SBI_EXT_NAMES, SBI_FN_NAMES } from './sbi/ids.ts';
import { EXCEPTION_NAMES, INTERRUPT_NAMES } from './cpu/csr.ts';

export const TRACE_FORMAT = 'rvisor-trace';
export const TRACE_VERSION = 1;
/** What a trace records by default: everything but the serial output (which the terminal shows). */
export const DEFAULT_TRACE_KINDS: readonly EventKind[] = ['hypercall', 'trap', 'device', 'poweroff', 'reset', 'fatal'];

const PRIV = ['U', 'S', '?', 'M'];
const hex = (v: bigint | number): string => '0x' + v.toString(16);

/** One event as the plain object a trace line holds (`vt`: virtual time in steps). */
export function traceRecord(e: MachineEvent, vt: number): Record<string, unknown> {
  switch (e.kind) {
    case 'hypercall': {
      const r = e.record;
      return {
        k: 'hypercall', vt, hart: r.hart, pc: hex(r.pc), instret: r.instret,
        eid: hex(r.eid), ext: SBI_EXT_NAMES.get(r.eid) ?? null, fid: r.fid, fn: SBI_FN_NAMES.get(r.eid)?.[r.fid] ?? null,
        args: r.args.map(hex), error: r.error, value: hex(r.value),
      };
    }
    case 'trap': {
      const r = e.record;
      const interrupt = r.cause >> 63n === 1n;
      const code = Number(r.cause & 0xfffn);
      return {
        k: interrupt ? 'interrupt' : 'trap', vt, hart: r.hart, pc: hex(r.pc), instret: r.instret, cause: code,
        name: (interrupt ? INTERRUPT_NAMES[code] : EXCEPTION_NAMES[code]) ?? `cause ${code}`,
        tval: hex(r.tval), from: PRIV[r.fromPriv], to: PRIV[r.toPriv],
      };
    }
    case 'device':
      return { k: 'device', vt, device: e.record.device, what: e.record.what, ...e.record.detail };
    case 'output':
      return { k: 'output', vt, text: Buffer.from(e.bytes).toString('latin1') };
    case 'poweroff':
      return { k: 'poweroff', vt, code: e.exitCode };
    case 'reset':
      return { k: 'reset', vt };
    case 'fatal':
      return { k: 'fatal', vt, hart: e.hart, message: e.message };
  }
}

/** Streams `machine`'s events into `file` until close(). Lines are buffered and written in blocks. */
export class TraceWriter {
  private readonly fd: number;
  private buf: string[] = [];
  private bytes = 0;
  private count = 0;
  private readonly off: () => void;
  private closed = false;

  /** `symbols`: the run's ELF files (absolute paths) for the header, where readers resolve pcs to source lines. */
  constructor(private readonly machine: Machine, file: string, kinds: readonly EventKind[] = DEFAULT_TRACE_KINDS, symbols?: readonly string[]) {
    try {
      this.fd = openSync(file, 'w');
    } catch (e) {
      throw new Error(`cannot write trace '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const c = machine.config;
    this.line({ format: TRACE_FORMAT, version: TRACE_VERSION, harts: c.harts, ramSize: c.ramSize, stepsPerTick: 25, kinds, ...(symbols ? { symbols } : {}) });
    this.off = machine.events.on((e) => {
      this.count++;
      this.line(traceRecord(e, machine.nowSteps()));
    }, kinds);
  }

  private line(o: Record<string, unknown>): void {
    const s = JSON.stringify(o) + '\n';
    this.buf.push(s);
    this.bytes += s.length;
    if (this.bytes >= 1 << 16) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.bytes = 0;
  }

  /** Stops listening, writes the end line and closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.off();
    this.line({ k: 'end', vt: this.machine.nowSteps(), events: this.count });
    this.flush();
    closeSync(this.fd);
  }
}

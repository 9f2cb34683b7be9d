// The rvisor debug adapter: Debug Adapter Protocol requests in, engine calls out, events back. It only
// translates (the machine is engine/machine.ts). First step of the adapter: launch, harts as threads,
// stop on entry, continue / pause / instruction step, registers, serial output, terminate.

import { DebugSession, ExitedEvent, InitializedEvent, OutputEvent, Scope, StackFrame, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Machine, type MachineConfig } from '../engine/machine.ts';
import { traceRecord } from '../engine/trace.ts';
import { CSR_NAMES, Csr, decodeCsr } from '../engine/cpu/csr.ts';
import { parseSize } from '../cli/args.ts';

/** launch's arguments (package.json's configurationAttributes describe them for the editor). */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  kernel?: string;
  bios?: string;
  initrd?: string;
  append?: string;
  memory?: string;
  harts?: number;
  stopOnEntry?: boolean;
}

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const PRIV = ['U', 'S', '?', 'M'];
/** Steps run between looks at the event loop (pause requests, output). */
const SLICE = 1_000_000;
const REGISTERS_REF = 1;
/** CSR groups: the scope is CSRS_REF, each group CSRS_REF + 1 + its index. */
const CSRS_REF = 100;
const CSR_GROUPS: Array<[string, number[]]> = [
  ['Machine', [Csr.MSTATUS, Csr.MISA, Csr.MEDELEG, Csr.MIDELEG, Csr.MIE, Csr.MIP, Csr.MTVEC, Csr.MEPC, Csr.MCAUSE, Csr.MTVAL, Csr.MSCRATCH, Csr.MCOUNTEREN, Csr.MENVCFG, Csr.MHARTID]],
  ['Supervisor', [Csr.SSTATUS, Csr.SIE, Csr.SIP, Csr.STVEC, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.SSCRATCH, Csr.SATP, Csr.STIMECMP, Csr.SCOUNTEREN, Csr.SENVCFG]],
  ['Counters', [Csr.CYCLE, Csr.TIME, Csr.INSTRET]],
];
/** Hypercall and trap records kept for rvisor.history (the oldest go first). */
const HISTORY_LIMIT = 100_000;
const hex = (v: bigint): string => '0x' + v.toString(16).padStart(16, '0');

export class RvisorDebugSession extends DebugSession {
  private machine: Machine | undefined;
  private running = false;
  private pauseRequested = false;
  /** The hart the last stop is about. */
  private stoppedHart = 0;
  /** Every hypercall and trap so far, as trace records (docs/trace-format.md), for rvisor.history. */
  private readonly history: Array<Record<string, unknown>> = [];

  /** What rvisor supports, as the client learns it. */
  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true, // launch waits for the client's breakpoints, then configurationDone
      supportsTerminateRequest: true, // terminate powers the guest off
      supportsSteppingGranularity: true, // `next` with granularity 'instruction' steps one instruction
      supportsInstructionBreakpoints: true, // breakpoints at addresses (the disassembly view's)
      supportsReadMemoryRequest: true, // guest RAM by physical address, without side effects
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    const bad = (attr: string, why: string): void => this.sendErrorResponse(response, 1001, `launch: ${attr}: ${why}`);
    if (args.kernel === undefined && args.bios === undefined) return bad('kernel', 'give a kernel (or bios) to boot');
    for (const k of ['kernel', 'bios', 'initrd', 'append', 'memory'] as const) {
      if (args[k] !== undefined && typeof args[k] !== 'string') return bad(k, 'must be a string');
    }
    if (args.harts !== undefined && (!Number.isInteger(args.harts) || args.harts < 1 || args.harts > 64)) return bad('harts', 'must be a whole number from 1 to 64');
    const config: MachineConfig = { kernel: args.kernel, bios: args.bios, initrd: args.initrd, append: args.append, harts: args.harts };
    try {
      if (args.memory !== undefined) config.ramSize = parseSize(args.memory);
      this.machine = Machine.create(config);
    } catch (e) {
      return bad(args.memory !== undefined && /size/.test((e as Error).message) ? 'memory' : 'kernel', (e as Error).message);
    }
    this.machine.onOutput = (b) => this.sendEvent(new OutputEvent(Buffer.from(b).toString('latin1'), 'stdout'));
    // Hypercalls and traps go to the client as they happen (custom event `rvisor.event`, the record
    // as in a trace file) and into the history that the `rvisor.history` request pages through.
    const m = this.machine;
    m.events.on((e) => {
      const rec = traceRecord(e, m.nowSteps());
      this.history.push(rec);
      if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.sendEvent({ seq: 0, type: 'event', event: 'rvisor.event', body: rec } as DebugProtocol.Event);
    }, ['hypercall', 'trap']);
    this.sendResponse(response);
    if (args.stopOnEntry) this.sendEvent(new StoppedEvent('entry', 0));
    else this.resume();
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: (this.machine?.harts ?? []).map((h) => new Thread(h.id, `hart ${h.id}`)) };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const h = this.machine?.harts[args.threadId];
    if (!h) return this.sendErrorResponse(response, 1002, `no hart ${args.threadId}`);
    const pc = h.getPc();
    const frame = new StackFrame(0, `0x${pc.toString(16)} (${PRIV[h.getPriv()]}-mode)`);
    frame.instructionPointerReference = '0x' + pc.toString(16);
    response.body = { stackFrames: [frame], totalFrames: 1 };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    response.body = { scopes: [new Scope('Registers', REGISTERS_REF, false), new Scope('CSRs', CSRS_REF, true)] };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const h = this.machine?.harts[this.stoppedHart];
    const ref = args.variablesReference;
    if (h && ref === CSRS_REF) {
      response.body = { variables: CSR_GROUPS.map(([name], i) => ({ name, value: '', variablesReference: CSRS_REF + 1 + i })) };
      return this.sendResponse(response);
    }
    if (h && ref > CSRS_REF && ref <= CSRS_REF + CSR_GROUPS.length) {
      // Read without side effects (debug access); each value with its fields decoded.
      response.body = {
        variables: CSR_GROUPS[ref - CSRS_REF - 1][1].map((csr) => {
          const v = h.getCsr(csr) ?? 0n;
          const fields = decodeCsr(csr, v);
          return { name: CSR_NAMES.get(csr) ?? `csr 0x${csr.toString(16)}`, value: hex(v) + (fields ? `  ${fields}` : ''), variablesReference: 0 };
        }),
      };
      return this.sendResponse(response);
    }
    if (!h || ref !== REGISTERS_REF) {
      response.body = { variables: [] };
      return this.sendResponse(response);
    }
    const variables: DebugProtocol.Variable[] = [
      { name: 'pc', value: hex(h.getPc()), variablesReference: 0 },
      { name: 'priv', value: PRIV[h.getPriv()], variablesReference: 0 },
      ...ABI.map((abi, i) => ({ name: `x${i} (${abi})`, value: hex(h.getX(i)), variablesReference: 0 })),
    ];
    response.body = { variables };
    this.sendResponse(response);
  }

  /** Replaces every instruction breakpoint (on every hart; virtual addresses as the harts fetch them). */
  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    const m = this.machine;
    const result: DebugProtocol.Breakpoint[] = [];
    const pcs: number[] = [];
    for (const bp of args.breakpoints ?? []) {
      let addr: bigint | undefined;
      try {
        addr = BigInt.asUintN(64, BigInt(bp.instructionReference) + BigInt(bp.offset ?? 0));
      } catch {
        addr = undefined;
      }
      if (addr === undefined) {
        result.push({ verified: false, message: `not an address: ${bp.instructionReference}` });
        continue;
      }
      // The harts key breakpoints by the signed pc (exact within ±2^53: every address a kernel uses).
      pcs.push(Number(BigInt.asIntN(64, addr)));
      result.push({ verified: true, instructionReference: '0x' + addr.toString(16) });
    }
    for (const h of m?.harts ?? []) {
      h.breakpoints.clear();
      for (const pc of pcs) h.breakpoints.add(pc);
    }
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  /** Guest RAM at a physical address; bytes outside RAM are reported unreadable. */
  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const bus = this.machine?.board.bus;
    let start: number;
    try {
      start = Number(BigInt(args.memoryReference) + BigInt(args.offset ?? 0));
    } catch {
      return this.sendErrorResponse(response, 1003, `readMemory: not an address: ${args.memoryReference}`);
    }
    const count = Math.max(0, Math.min(args.count, 1 << 20));
    const off = bus ? bus.ramOffset(start, count) : -1;
    if (!bus || off < 0 || count === 0) {
      response.body = { address: '0x' + start.toString(16), unreadableBytes: count };
    } else {
      response.body = { address: '0x' + start.toString(16), data: Buffer.from(bus.ram.subarray(off, off + count)).toString('base64') };
    }
    this.sendResponse(response);
  }

  /**
   * Custom requests. `rvisor.history` {kind?: 'hypercall'|'trap'|'interrupt', ext?: string, start?,
   * count?}: the recorded hypercalls and traps, filtered, a page at a time ({total, records}).
   */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command !== 'rvisor.history') return this.sendErrorResponse(response, 1004, `unknown request '${command}'`);
    const a = (args ?? {}) as { kind?: string; ext?: string; start?: number; count?: number };
    const matches = this.history.filter((r) => (a.kind === undefined || r.k === a.kind) && (a.ext === undefined || r.ext === a.ext));
    const start = Math.max(0, Math.floor(Number(a.start ?? 0)) || 0);
    const count = Math.max(0, Math.min(Math.floor(Number(a.count ?? 100)) || 0, 10_000));
    response.body = { total: matches.length, records: matches.slice(start, start + count) };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.resume();
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    if (this.running) this.pauseRequested = true;
    else this.sendEvent(new StoppedEvent('pause', this.stoppedHart));
  }

  /** One instruction on that hart (line stepping comes with DWARF). */
  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stepInstruction(response, args.threadId);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.stepInstruction(response, args.threadId);
  }

  private stepInstruction(response: DebugProtocol.Response, hart: number): void {
    const m = this.machine;
    if (!m || !m.harts[hart]) return this.sendErrorResponse(response, 1002, `no hart ${hart}`);
    this.sendResponse(response);
    const r = m.step(hart);
    if (this.ended(r)) return;
    this.stoppedHart = hart;
    this.sendEvent(new StoppedEvent('step', hart));
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.endSession();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.endSession();
    this.sendResponse(response);
  }

  private endSession(): void {
    this.running = false;
    this.machine?.close();
    this.machine = undefined;
  }

  /** Ends the session if the guest did; true if it has. */
  private ended(r: ReturnType<Machine['run']>): boolean {
    if (r.reason !== 'poweroff' && r.reason !== 'fatal' && r.reason !== 'halted') return false;
    if (r.reason === 'fatal') this.sendEvent(new OutputEvent(`rvisor: guest stopped: hart ${r.hart}: ${r.message}\n`, 'stderr'));
    this.sendEvent(new ExitedEvent(r.reason === 'poweroff' ? r.exitCode : 1));
    this.sendEvent(new TerminatedEvent());
    this.endSession();
    return true;
  }

  /** Runs the machine in slices until a stop, a pause request or the end. */
  private resume(): void {
    this.running = true;
    this.pauseRequested = false;
    const loop = (): void => {
      const m = this.machine;
      if (!this.running || !m) return;
      if (this.pauseRequested) {
        this.running = false;
        this.sendEvent(new StoppedEvent('pause', this.stoppedHart));
        return;
      }
      const r = m.run(SLICE);
      if (this.ended(r)) return;
      if (r.reason === 'breakpoint') {
        this.running = false;
        this.stoppedHart = r.hart;
        this.sendEvent(new StoppedEvent('breakpoint', r.hart));
        return;
      }
      if (r.reason === 'waiting') m.idleUntil(r.untilSteps);
      if (r.reason === 'idle') {
        // Every hart waits for input that a debug session does not bring: stop, so the user sees it.
        this.running = false;
        this.sendEvent(new StoppedEvent('pause', this.stoppedHart, 'every hart waits for an interrupt'));
        return;
      }
      setImmediate(loop);
    };
    setImmediate(loop);
  }
}

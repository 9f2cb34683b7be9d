// The rvisor debug adapter: Debug Adapter Protocol requests in, engine calls out, events back. It only
// translates: the machine is engine/machine.ts, symbols and types come from debuginfo/, and the
// machine views from adapter/views.ts. Each capability flag below says what it turns on.

import {
  DebugSession, ExitedEvent, InitializedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename, isAbsolute, resolve as resolvePath } from 'node:path';
import { Machine, type MachineConfig, type StopReason } from '../engine/machine.ts';
import { TraceWriter, traceRecord } from '../engine/trace.ts';
import type { Hart, Watchpoint } from '../engine/cpu/hart.ts';
import { CSR_NAMES, EXCEPTION_NAMES, INTERRUPT_NAMES } from '../engine/cpu/csr.ts';
import { SBI_EXT_NAMES, SBI_FN_NAMES } from '../engine/sbi/ids.ts';
import type { TrapRecord } from '../engine/events.ts';
import type { HypercallRecord } from '../engine/sbi/sbi.ts';
import { ACCESS_READ, ACCESS_WRITE, ACCESS_EXEC } from '../engine/mmu/pmp.ts';
import { checkGuestsConfig, loadGuestsConfig, type SwitchConfig } from '../cli/config.ts';
import { parseHostPort, type NetdevConfig } from '../cli/args.ts';
import { plugNics } from '../cli/netlink.ts';
import { IdleWaiter } from '../cli/idle.ts';
import { disassembleOne, formatInstruction } from '../debuginfo/disasm.ts';
import { evaluate as evaluateExpr, assign as assignExpr, type ExprEnv } from '../debuginfo/expr.ts';
import { formatValue, childrenOf, hasChildren, typeName } from '../debuginfo/values.ts';
import { resolveType, sizeOfType, type Value } from '../debuginfo/types.ts';
import { Symbols, type SymbolFileSpec } from './symbols.ts';
import { checkRequest, dropNulls } from './requests.ts';
import { Inspector, MAX_ACCESS, type Frame } from './inspect.ts';
import { BreakpointTable, BREAKPOINT_MODES, hitConditionMet, modeToPriv, parseHitCondition, type LogicalBreakpoint } from './breakpoints.ts';
import { PRIV_NAMES, csrNodes, deviceNodes, hex64, pageTableNodes, registerNodes, type Node } from './views.ts';
import { X_NAMES as ABI, F_NAMES as FABI } from '../debuginfo/registers.ts';

/** launch's arguments (package.json's configurationAttributes describe them for the editor). */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  kernel?: string;
  bios?: string;
  initrd?: string;
  append?: string;
  memory?: string;
  harts?: number;
  disks?: unknown[];
  /** NICs on named switches, and the switches' links to other processes (as in a guest config file). */
  nics?: unknown[];
  switches?: Record<string, SwitchConfig>;
  rng?: unknown;
  /** A virtio console (Linux hvc0) on the serial port. */
  console?: unknown;
  /** Also write the event stream to this file (docs/trace-format.md). */
  trace?: string;
  virtioLegacy?: boolean;
  noReboot?: boolean;
  /** A guest configuration file (rvisor run --config) and which of its guests to debug. */
  config?: string;
  guest?: string;
  /** Symbol files: paths, or {path, offset, physicalBase}. Default: the kernel and firmware ELFs. */
  symbols?: Array<string | { path: string; offset?: string | number; physicalBase?: string | number }>;
  stopOnEntry?: boolean;
  cwd?: string;
  /** DWARF path prefixes → where those sources are on this machine (e.g. a build directory elsewhere). */
  sourceMap?: Record<string, string>;
  /** Where the guest's serial output goes: the Debug Console (output events, the default) or the
   * client's terminal (custom events `rvisor.serial`, for a client that shows a serial terminal). */
  serialConsole?: 'debugConsole' | 'terminal';
}

/** Steps run between looks at the event loop (pause requests, output). */
const SLICE = 1_000_000;
/** Single steps per event-loop turn while stepping by lines. */
const STEP_SLICE = 20_000;
/** Hypercall and trap records kept for rvisor.history (the oldest go first). */
const HISTORY_LIMIT = 100_000;
const MASK64 = (1n << 64n) - 1n;
const hexN = (v: bigint | number): string => '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);

/** Exception breakpoint filters: trap causes (EXCEPTION_NAMES numbering), interrupts, hypercalls. */
const EXCEPTION_FILTERS: Array<DebugProtocol.ExceptionBreakpointsFilter & { causes?: number[] }> = [
  { filter: 'page-fault', label: 'Page faults', description: 'instruction, load and store page faults', causes: [12, 13, 15] },
  { filter: 'access-fault', label: 'Access faults', description: 'instruction, load and store access faults (PMP, no memory)', causes: [1, 5, 7] },
  { filter: 'misaligned', label: 'Misaligned accesses', causes: [0, 4, 6] },
  { filter: 'illegal-instruction', label: 'Illegal instructions', causes: [2] },
  { filter: 'breakpoint', label: 'ebreak', description: 'breakpoint exceptions raised by the guest', causes: [3] },
  { filter: 'ecall-u', label: 'ecall from U-mode', description: 'system calls', causes: [8] },
  { filter: 'ecall-s', label: 'ecall from S-mode', description: 'SBI calls trapped to firmware', causes: [9] },
  { filter: 'interrupt', label: 'Interrupts', supportsCondition: true, conditionDescription: 'interrupt numbers or names, e.g. "5" or "supervisor timer"' },
  { filter: 'hypercall', label: 'Hypercalls (SBI)', supportsCondition: true, conditionDescription: 'extension[.function] names or ids, e.g. "HSM", "TIME.set_timer", "0x48534d", or "failed"' },
];

/**
 * A guest that is already running (`rvisor run … --dap-port N`), for `attach`: the host stops driving
 * the machine while a session is attached and takes over again when it detaches.
 */
export interface AttachTarget {
  machine: Machine;
  /** Default symbol files (the guest's kernel and firmware). */
  symbols: SymbolFileSpec[];
  attach(): void;
  detach(): void;
  /** Where the guest's console output goes besides the client (the host's terminal). */
  output(bytes: Uint8Array): void;
  /** The guest ended while attached (or the client asked to terminate it). */
  end(code: number, message?: string): void;
}

interface DataBreakpoint { id: number; watch: Watchpoint; condition?: string; hitCondition?: string; hits: number; description: string; priv?: number }
interface StepPlan {
  kind: 'line' | 'out';
  hart: number;
  into: boolean;
  startLine?: { path: string; line: number };
  startFunction?: bigint;
  startSp: bigint;
  /** Running to a return address (set while a call or trap is being stepped over). */
  returnTo?: { pcs: bigint[]; sp: bigint };
}

export class RvisorDebugSession extends DebugSession {
  private machine: Machine | undefined;
  /** Set while attached to a running guest: the machine belongs to the host. */
  private attached: AttachTarget | undefined;
  private stopListening: (() => void) | undefined;
  /** While every hart of a networked guest waits in real time. */
  private waiter: IdleWaiter | undefined;
  /** While every hart waits for an interrupt only input can bring: resumes the run. */
  private inputWait: (() => void) | undefined;
  private closeLinks: (() => void) | undefined;
  /** The launch's `trace` file, written while the session lasts. */
  private traceWriter: TraceWriter | undefined;

  constructor(private readonly attachTarget?: AttachTarget) {
    super();
  }
  private symbols = new Symbols();
  private inspector: Inspector | undefined;
  private launchArgs: LaunchArguments | undefined;
  /** How DWARF's source paths become the client's (launch or attach arguments `cwd`, `sourceMap`). */
  private sourcePaths: { cwd?: string; sourceMap?: Record<string, string> } = {};
  private readonly bps = new BreakpointTable();
  private dataBps: DataBreakpoint[] = [];
  private nextDataId = 100_000;
  private exceptionFilters = new Map<string, string | undefined>();
  /** Hypercalls to stop at besides the exception filter's (rvisor.hypercallBreakpoints). */
  private hypercallBreaks: string[] = [];
  private running = false;
  /** configurationDone has come; a launch without stopOnEntry waits for it before running. */
  private configured = false;
  private resumeWhenConfigured = false;
  /** Serial output as `rvisor.serial` events (the client shows a terminal) instead of output events. */
  private serialToTerminal = false;
  private pauseRequested = false;
  private plan: StepPlan | undefined;
  /** The hart the last stop is about. */
  private stoppedHart = 0;
  /** The trap or hypercall that stopped the machine (for exceptionInfo). */
  private lastException: { id: string; description: string; details: string } | undefined;
  private pendingException: { id: string; description: string; details: string; hart: number } | undefined;
  /** Traps taken while stepping over (their return addresses). */
  private stepTraps: TrapRecord[] = [];
  /** Every hypercall and trap so far, as trace records (docs/trace-format.md), for rvisor.history. */
  private readonly history: Array<Record<string, unknown>> = [];
  /** variablesReference → node; frameId → frame; both valid while stopped. */
  private readonly nodes = new Map<number, Node>();
  private readonly frames = new Map<number, { hart: number; index: number; frame: Frame }>();
  private nextRef = 1;
  private unwound = new Map<number, Frame[]>();

  /** What rvisor supports, as the client learns it. */
  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true, // launch waits for the client's breakpoints, then configurationDone
      supportsTerminateRequest: true, // terminate powers the guest off
      supportsRestartRequest: true, // restart boots the same configuration again, breakpoints kept
      supportsSteppingGranularity: true, // next/stepIn/stepOut by line (default) or by instruction
      supportsInstructionBreakpoints: true, // breakpoints at addresses (the disassembly view's)
      supportsFunctionBreakpoints: true, // by function name, bound after the prologue, in every symbol file
      supportsConditionalBreakpoints: true, // C expressions over registers and DWARF variables
      supportsHitConditionalBreakpoints: true, // "N", "== N", ">= N", "% N"…
      supportsLogPoints: true, // messages with {expressions}, no stop
      breakpointModes: BREAKPOINT_MODES, // a breakpoint may be limited to M-, S- or U-mode
      supportsDataBreakpoints: true, // watchpoints on variables and addresses (virtual or physical)
      supportsDataBreakpointBytes: true, // …of any address and size
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map(({ causes: _causes, ...f }) => f), // stop on traps by cause, interrupts, hypercalls
      supportsExceptionFilterOptions: true, // interrupts and hypercalls filtered by a condition
      supportsExceptionInfoRequest: true, // the trap or hypercall that stopped the guest
      supportsReadMemoryRequest: true, // guest memory as the hart sees it (or physical), without side effects
      supportsWriteMemoryRequest: true, // guest RAM, through the same translation
      supportsDisassembleRequest: true, // our own RISC-V disassembler, with symbols and source lines
      supportsSetVariable: true, // registers, CSRs, memory and DWARF variables
      supportsEvaluateForHovers: true, // hover shows variables and registers
      supportsCompletionsRequest: true, // debug console completes variables, registers, commands
      completionTriggerCharacters: ['.', '$', '>'],
      supportsLoadedSourcesRequest: true, // every source file the symbol files name
      supportsValueFormattingOptions: true, // hex display of values
      supportsDelayedStackTraceLoading: true, // frames are paged (startFrame/levels)
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  // ---- launch, restart, end ------------------------------------------------------------------

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    if (this.machine) return this.sendErrorResponse(response, 1001, 'launch: a guest is already being debugged (restart it, or terminate it first)');
    try {
      this.startGuest(args);
    } catch (e) {
      return this.sendErrorResponse(response, 1001, `launch: ${(e as Error).message}`);
    }
    this.sendResponse(response);
    if (args.stopOnEntry) {
      this.stoppedHart = 0;
      this.sendEvent(new StoppedEvent('entry', 0));
    } else if (this.configured) {
      this.resume();
    } else {
      // The client sends its breakpoints after `initialized`, ending with configurationDone: run then,
      // so a breakpoint early in boot is not missed.
      this.resumeWhenConfigured = true;
    }
  }

  /** attach {symbols?, stopOnAttach?}: debug the guest this adapter serves (rvisor run … --dap-port N). */
  protected override attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments & { symbols?: LaunchArguments['symbols']; stopOnAttach?: boolean }): void {
    const t = this.attachTarget;
    if (!t) return this.sendErrorResponse(response, 1001, 'attach: no running guest here; start one with `rvisor run … --dap-port N` and connect to that port');
    if (this.machine) return this.sendErrorResponse(response, 1001, 'attach: already debugging a guest');
    if (t.machine.stopped) return this.sendErrorResponse(response, 1001, 'attach: the guest has already ended');
    let symbols: Symbols;
    try {
      const specs = args?.symbols === undefined ? t.symbols : this.symbolSpecs({ symbols: args.symbols }, {});
      symbols = this.loadSymbols(specs, args?.symbols !== undefined, t.machine);
    } catch (e) {
      return this.sendErrorResponse(response, 1001, `attach: ${(e as Error).message}`);
    }
    t.attach();
    this.attached = t;
    this.serialToTerminal = (args as { serialConsole?: string } | undefined)?.serialConsole === 'terminal';
    this.sourcePaths = sourcePathArgs(args as LaunchArguments | undefined);
    this.useMachine(t.machine, symbols);
    this.sendResponse(response);
    if (args?.stopOnAttach) this.reportStop('pause', 0);
    else this.resume();
  }

  /** The client went away (its connection closed): leave the guest running under its host. */
  detachIfAttached(): void {
    if (this.attached) this.endSession();
  }

  /** Creates the machine and loads symbols; throws an Error naming the bad attribute. */
  private startGuest(args: LaunchArguments): void {
    if (typeof args !== 'object' || args === null) throw new Error('arguments: must be an object');
    if (this.attached) throw new Error('attached to a running guest (detach, then launch)');
    const { config, netdevs, trace } = this.machineConfig(args);
    const specs = this.symbolSpecs(args, config);
    let machine: Machine;
    try {
      machine = Machine.create(config);
    } catch (e) {
      throw new Error(`${args.kernel !== undefined ? 'kernel' : 'bios'}: ${(e as Error).message}`);
    }
    let symbols: Symbols;
    try {
      symbols = this.loadSymbols(specs, args.symbols !== undefined, machine);
    } catch (e) {
      machine.close();
      throw e;
    }
    let traceWriter: TraceWriter | undefined;
    try {
      // The header names the symbol files, where a trace's reader resolves pcs to source lines.
      traceWriter = trace !== undefined ? new TraceWriter(machine, trace, undefined, specs.map((f) => resolvePath(f.path))) : undefined;
    } catch (e) {
      machine.close();
      throw new Error(`trace: ${(e as Error).message}`);
    }
    this.endSession();
    this.launchArgs = args;
    this.sourcePaths = sourcePathArgs(args);
    this.serialToTerminal = args.serialConsole === 'terminal';
    this.traceWriter = traceWriter;
    this.useMachine(machine, symbols);
    // NICs on their switches (linked to other processes where the config says so); a frame for an
    // idle guest wakes it.
    if (netdevs.size > 0) {
      this.closeLinks = plugNics(machine, netdevs, () => this.waiter?.wake(),
        (msg) => this.sendEvent(new OutputEvent(`rvisor: ${msg}\n`, 'console')));
    }
  }

  /** Symbol files for a machine; a file the user named must load (the defaults may be raw images). */
  private loadSymbols(specs: SymbolFileSpec[], named: boolean, machine: Machine): Symbols {
    const symbols = new Symbols();
    for (const [i, spec] of specs.entries()) {
      try {
        symbols.add(spec);
      } catch (e) {
        if (named) throw new Error(`symbols[${i}]: ${(e as Error).message}`);
        // Default symbol files (the kernel, the firmware) that are not ELF or lack symbols: no symbols.
      }
    }
    // A kernel linked in the upper half but entered at its physical address: bind both spaces.
    for (const f of symbols.files) {
      if (f.aliasDelta === 0n && f.ranges.length > 0 && f.ranges[0][0] >= 1n << 63n && machine.kernelEntry !== 0) {
        const first = f.ranges.reduce((a, r) => (r[0] < a ? r[0] : a), f.ranges[0][0]);
        f.aliasDelta = (first - BigInt(machine.kernelEntry)) & MASK64;
      }
    }
    return symbols;
  }

  /** Debug `machine` from now on: output and events to the client, breakpoints into the harts. */
  private useMachine(machine: Machine, symbols: Symbols): void {
    this.machine = machine;
    this.symbols = symbols;
    this.inspector = new Inspector(machine, symbols);
    this.history.length = 0;
    const hostOutput = this.attached?.output;
    machine.onOutput = (b) => {
      hostOutput?.(b);
      const text = Buffer.from(b).toString('latin1');
      if (this.serialToTerminal) this.sendEvent({ seq: 0, type: 'event', event: 'rvisor.serial', body: { text } } as DebugProtocol.Event);
      else this.sendEvent(new OutputEvent(text, 'stdout'));
    };
    this.stopListening = machine.events.on((e) => {
      if (e.kind !== 'hypercall' && e.kind !== 'trap') return;
      const rec = traceRecord(e, machine.nowSteps());
      this.history.push(rec);
      if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
      // Hypercalls and traps go to the client as they happen (custom event `rvisor.event`, the
      // record as in a trace file) and into the history that `rvisor.history` pages through.
      this.sendEvent({ seq: 0, type: 'event', event: 'rvisor.event', body: rec } as DebugProtocol.Event);
      if (e.kind === 'trap') this.onTrap(e.record);
      else this.onHypercall(e.record);
    }, ['hypercall', 'trap']);
    this.applyBreakpoints();
    this.applyWatchpoints();
  }

  /** The machine from launch attributes (checked by the guest-config schema) or a config file. */
  private machineConfig(args: LaunchArguments): { config: MachineConfig; netdevs: Map<string, NetdevConfig | undefined>; trace?: string } {
    const cwd = typeof args.cwd === 'string' ? args.cwd : process.cwd();
    // Each NIC's switch, and the switch's link to another process (listen/connect HOST:PORT), if any.
    const links = (machine: MachineConfig, switches: Record<string, SwitchConfig>, where: string): Map<string, NetdevConfig | undefined> => {
      const map = new Map<string, NetdevConfig | undefined>();
      for (const d of machine.devices ?? []) {
        if (d.type !== 'virtio-net') continue;
        const sw = switches[d.netdev] ?? {};
        try {
          map.set(d.netdev, sw.listen !== undefined ? { listen: parseHostPort(sw.listen, 'listen') }
            : sw.connect !== undefined ? { connect: parseHostPort(sw.connect, 'connect') } : undefined);
        } catch (e) {
          throw new Error(`${where}.${d.netdev}: ${(e as Error).message}`);
        }
      }
      return map;
    };
    if (args.config !== undefined) {
      if (typeof args.config !== 'string') throw new Error('config: must be a path');
      let cfg;
      try {
        cfg = loadGuestsConfig(args.config);
      } catch (e) {
        throw new Error(`config: ${(e as Error).message}`);
      }
      const g = args.guest === undefined ? cfg.guests[0] : cfg.guests.find((x) => x.name === args.guest);
      if (!g) throw new Error(`guest: no guest named '${String(args.guest)}' in ${args.config}`);
      return { config: g.machine, netdevs: links(g.machine, cfg.switches, 'config: switches'), trace: g.trace };
    }
    if (args.kernel === undefined && args.bios === undefined) throw new Error('kernel: give a kernel (or bios) to boot');
    const fields = ['kernel', 'bios', 'initrd', 'append', 'memory', 'harts', 'disks', 'nics', 'rng', 'console', 'virtioLegacy', 'noReboot', 'trace'] as const;
    const raw: Record<string, unknown> = { name: 'debuggee' };
    for (const f of fields) if (args[f] !== undefined) raw[f] = args[f];
    try {
      const cfg = checkGuestsConfig({ switches: args.switches ?? {}, guests: [raw] }, cwd, 'launch');
      return { config: cfg.guests[0].machine, netdevs: links(cfg.guests[0].machine, cfg.switches, 'switches'), trace: cfg.guests[0].trace };
    } catch (e) {
      // The schema speaks of guests[0]; the user wrote launch attributes.
      const msg = (e as Error).message.replace(/\/guests\/0\/?/g, '').replace(/guests\[0\] \(debuggee\)\.?/g, '')
        .replace(/^launch: /, '').replace(/^launch does not match the schema:\n\s*/, '');
      throw new Error(msg.replace(/^: /, ''));
    }
  }

  private symbolSpecs(args: LaunchArguments, config: MachineConfig): SymbolFileSpec[] {
    const num = (v: unknown, what: string): bigint | undefined => {
      if (v === undefined) return undefined;
      try {
        if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
        if (typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim())) {
          const t = v.trim();
          return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
        }
      } catch { /* below */ }
      throw new Error(`${what}: not an address: ${JSON.stringify(v)}`);
    };
    if (args.symbols === undefined) {
      return [config.bios, config.kernel].filter((p): p is string => typeof p === 'string' && p !== 'none').map((path) => ({ path }));
    }
    if (!Array.isArray(args.symbols)) throw new Error('symbols: must be a list of ELF files');
    return args.symbols.map((s, i) => {
      if (typeof s === 'string') return { path: s };
      if (typeof s !== 'object' || s === null || typeof s.path !== 'string') throw new Error(`symbols[${i}]: give a path (or {path, offset, physicalBase})`);
      return { path: s.path, offset: num(s.offset, `symbols[${i}].offset`), physicalBase: num(s.physicalBase, `symbols[${i}].physicalBase`) };
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured = true;
    if (this.resumeWhenConfigured && this.machine) {
      this.resumeWhenConfigured = false;
      this.resume();
    }
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    const launch = (args?.arguments as LaunchArguments | undefined) ?? this.launchArgs;
    if (!launch) return this.sendErrorResponse(response, 1005, 'restart: nothing was launched');
    const wasRunning = this.running;
    this.running = false;
    try {
      this.startGuest(launch);
    } catch (e) {
      if (wasRunning) this.resume(); // the old guest goes on as it was
      return this.sendErrorResponse(response, 1001, `restart: ${(e as Error).message}`);
    }
    for (const bp of this.bps.all()) bp.hits = 0;
    this.sendResponse(response);
    if (launch.stopOnEntry || !wasRunning) this.reportStop('entry', 0);
    else this.resume();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    const t = this.attached;
    this.endSession();
    t?.end(0, 'terminated by the debugger');
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.endSession();
    this.sendResponse(response);
    // The adapter stays up: it ends when its input closes (or on SIGTERM, as editors stop adapters).
  }

  private endSession(): void {
    this.running = false;
    this.plan = undefined;
    this.waiter?.cancel();
    this.waiter = undefined;
    this.inputWait = undefined;
    this.closeLinks?.();
    this.closeLinks = undefined;
    this.traceWriter?.close();
    this.traceWriter = undefined;
    this.stopListening?.();
    this.stopListening = undefined;
    const t = this.attached;
    if (t && this.machine) {
      // Detach: the guest goes on under its host, with none of our breakpoints or watchpoints.
      for (const h of this.machine.harts) h.breakpoints.clear();
      this.machine.setWatchpoints([]);
      this.machine.onOutput = t.output;
      this.attached = undefined;
      this.machine = undefined;
      t.detach();
      return;
    }
    this.machine?.close();
    this.machine = undefined;
  }

  /** The machine and the hart a request names, or an error response. */
  private need(response: DebugProtocol.Response, hartId?: number): { m: Machine; h: Hart; insp: Inspector } | undefined {
    const m = this.machine;
    if (!m || !this.inspector) {
      this.sendErrorResponse(response, 1006, `${response.command}: no guest is running (launch first)`);
      return undefined;
    }
    const id = hartId ?? this.stoppedHart;
    const h = Number.isInteger(id) ? m.harts[id] : undefined;
    if (!h) {
      this.sendErrorResponse(response, 1002, `${response.command}: no hart ${String(id)}`);
      return undefined;
    }
    return { m, h, insp: this.inspector };
  }

  private needStopped(response: DebugProtocol.Response, hartId?: number): { m: Machine; h: Hart; insp: Inspector } | undefined {
    if (this.running) {
      this.sendErrorResponse(response, 1007, `${response.command}: the guest is running (pause it first)`);
      return undefined;
    }
    return this.need(response, hartId);
  }

  // ---- threads, stack, scopes, variables ---------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: (this.machine?.harts ?? []).map((h) => new Thread(h.id, `hart ${h.id}`)) };
    this.sendResponse(response);
  }

  private stackOf(hart: number): Frame[] {
    let f = this.unwound.get(hart);
    if (!f && this.machine && this.inspector) {
      f = this.inspector.unwind(this.machine.harts[hart]);
      this.unwound.set(hart, f);
    }
    return f ?? [];
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const c = this.needStopped(response, args.threadId);
    if (!c) return;
    // Each machine frame, and in front of it the functions inlined at its pc (as GDB shows them).
    const shown = this.stackOf(args.threadId).flatMap((fr, index) => this.displayFrames(fr, index));
    const start = Math.max(0, Math.floor(Number(args.startFrame ?? 0)) || 0);
    const levels = Math.max(0, Math.floor(Number(args.levels ?? 0)) || 0);
    const slice = shown.slice(start, levels > 0 ? start + levels : undefined);
    response.body = {
      stackFrames: slice.map((d, k) => {
        const id = args.threadId * 1000 + start + k + 1;
        this.frames.set(id, { hart: args.threadId, index: d.index, frame: d.frame });
        const sf = new StackFrame(id, d.name, d.path ? this.source(d.path) : undefined, d.line ?? 0, d.column ?? 0);
        sf.instructionPointerReference = hexN(d.frame.pc);
        if (d.line === undefined) sf.presentationHint = 'subtle';
        return sf;
      }),
      totalFrames: shown.length,
    };
    this.sendResponse(response);
  }

  /**
   * A machine frame as the user sees it: the innermost inlined function first, then each function it
   * was inlined into at its call line, then the out-of-line function. At the first instruction of an
   * inlined body the inlined frame is not entered yet (the caller shows its call line), as in GDB.
   */
  private displayFrames(fr: Frame, index: number): Array<{ frame: Frame; index: number; name: string; path?: string; line?: number; column?: number }> {
    const line = this.symbols.lineAt(fr.lookupPc);
    const loc = this.symbols.locate(fr.lookupPc);
    const fn = loc?.file.info.functionAt(loc.address);
    if (!loc || !fn) return [{ frame: fr, index, name: this.symbolName(fr.lookupPc) ?? hexN(fr.pc), path: line?.path, line: line?.line, column: line?.column }];
    let chain = fn.inlinedChain;
    if (index === 0) while (chain.length > 0 && chain[0].lowPc === loc.address) chain = chain.slice(1);
    const out: Array<{ frame: Frame; index: number; name: string; path?: string; line?: number; column?: number }> = [];
    let at: { path?: string; line?: number; column?: number } = { path: line?.path, line: line?.line, column: line?.column };
    if (chain.length < fn.inlinedChain.length && index === 0) {
      // Skipped inline entries: the location is the call site in the next frame out.
      const skipped = fn.inlinedChain[fn.inlinedChain.length - chain.length - 1];
      at = { path: skipped.callFile, line: skipped.callLine, column: 0 };
    }
    for (const inl of chain) {
      out.push({ frame: fr, index, name: inl.name, ...at });
      at = { path: inl.callFile, line: inl.callLine, column: 0 };
    }
    out.push({ frame: fr, index, name: fn.name, ...at });
    return out;
  }

  /** A name for code without DWARF: the symbol covering it, else file+offset (a stripped image). */
  private symbolName(pc: bigint): string | undefined {
    const sym = this.symbols.symbolize(pc, true);
    if (sym) return sym;
    const loc = this.symbols.locate(pc);
    if (!loc) return undefined;
    const base = loc.file.ranges.reduce((a, r) => (r[0] < a ? r[0] : a), loc.file.ranges[0][0]);
    return `${basename(loc.file.path)}+0x${(loc.address - base).toString(16)}`;
  }

  /** The client's path of a source file as the DWARF names it: `sourceMap` backwards (longest target). */
  private dwarfPath(path: string): string {
    let best: [string, string] | undefined;
    for (const [from, to] of Object.entries(this.sourcePaths.sourceMap ?? {})) {
      if (typeof to !== 'string' || !(path === to || path.startsWith(to.endsWith('/') ? to : to + '/'))) continue;
      if (!best || to.length > best[1].length) best = [from, to];
    }
    return best ? best[0] + path.slice(best[1].length) : path;
  }

  /**
   * A source file as the client opens it: the DWARF path with the launch's `sourceMap` applied (the
   * longest matching prefix), and a path still relative (comp_dir ".", as reproducible builds write)
   * resolved against the launch's `cwd`.
   */
  private source(path: string): Source {
    let p = path;
    const { cwd, sourceMap } = this.sourcePaths;
    let best = '';
    for (const [from, to] of Object.entries(sourceMap ?? {})) {
      if (typeof to === 'string' && from.length > best.length && (p === from || p.startsWith(from.endsWith('/') ? from : from + '/'))) best = from;
    }
    if (best) p = sourceMap![best] + p.slice(best.length);
    if (!isAbsolute(p)) p = resolvePath(cwd ?? process.cwd(), p);
    return new Source(basename(p), p);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const fr = this.frames.get(args.frameId);
    const c = this.needStopped(response, fr?.hart ?? Math.floor(args.frameId / 1000));
    if (!c) return;
    if (!fr) return this.sendErrorResponse(response, 1008, `scopes: no frame ${args.frameId} (ask stackTrace first)`);
    const scopes: DebugProtocol.Scope[] = [];
    const vars = this.frameVariables(fr.hart, fr.frame);
    if (vars) {
      scopes.push(new Scope('Arguments', this.ref({ variable: { name: 'Arguments', value: '' }, children: () => vars.parameters() }), false));
      scopes.push(new Scope('Locals', this.ref({ variable: { name: 'Locals', value: '' }, children: () => vars.locals() }), false));
    }
    const frame0 = fr.index === 0;
    scopes.push(new Scope('Registers', this.ref({ variable: { name: 'Registers', value: '' }, children: () => registerNodes(c.h, fr.frame.regs, frame0, fr.frame.pc) }), false));
    scopes.push(new Scope('CSRs', this.ref({ variable: { name: 'CSRs', value: '' }, children: () => csrNodes(c.h) }), true));
    scopes.push(new Scope('Page Tables', this.ref({ variable: { name: 'Page Tables', value: '' }, children: () => pageTableNodes(c.m, c.h) }), true));
    scopes.push(new Scope('Devices', this.ref({ variable: { name: 'Devices', value: '' }, children: () => deviceNodes(c.m) }), true));
    response.body = { scopes };
    this.sendResponse(response);
  }

  /** A node's variablesReference (0 for leaves). */
  private ref(node: Node): number {
    const id = this.nextRef++;
    this.nodes.set(id, node);
    return id;
  }

  private toVariable(node: Node): DebugProtocol.Variable {
    return { ...node.variable, variablesReference: node.children ? this.ref(node) : 0 };
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    if (!this.needStopped(response)) return;
    const node = this.nodes.get(args.variablesReference);
    if (!node?.children) return this.sendErrorResponse(response, 1009, `variables: no variable container ${args.variablesReference}`);
    let children: Node[];
    try {
      children = node.children();
    } catch (e) {
      children = [{ variable: { name: 'error', value: (e as Error).message } }];
    }
    const start = Math.max(0, Math.floor(Number(args.start ?? 0)) || 0);
    const count = Math.max(0, Math.floor(Number(args.count ?? 0)) || 0);
    response.body = { variables: children.slice(start, count > 0 ? start + count : undefined).map((n) => this.toVariable(n)) };
    // Remember children by name for setVariable.
    node.lastChildren = children;
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    if (!this.needStopped(response)) return;
    const node = this.nodes.get(args.variablesReference);
    const child = node?.lastChildren?.find((n) => n.variable.name === args.name);
    if (!child) return this.sendErrorResponse(response, 1010, `setVariable: no variable '${args.name}' here`);
    if (!child.set) return this.sendErrorResponse(response, 1011, `setVariable: '${args.name}' cannot be changed`);
    try {
      const value = child.set(String(args.value));
      this.unwound.clear();
      response.body = { value };
    } catch (e) {
      return this.sendErrorResponse(response, 1012, `setVariable: ${(e as Error).message}`);
    }
    this.sendResponse(response);
  }

  // ---- DWARF variables and expressions --------------------------------------------------------------

  /** The frame's arguments and locals (undefined if no DWARF covers its pc). */
  private frameVariables(hart: number, frame: Frame): { parameters: () => Node[]; locals: () => Node[] } | undefined {
    const loc = this.symbols.locate(frame.lookupPc);
    if (!loc || !loc.file.info.hasDwarf) return undefined;
    const scope = loc.file.info.scopeAt(loc.address);
    if (!scope) return undefined;
    const env = this.exprEnv(hart, frame);
    const nodeOf = (v: { name: string }): Node => {
      let value: Value | undefined;
      try {
        value = env.lookupVariable(v.name);
      } catch (e) {
        return { variable: { name: v.name, value: `<${(e as { reason?: string }).reason ?? (e as Error).message}>` } };
      }
      if (!value) return { variable: { name: v.name, value: '<optimized out>' } };
      return this.valueNode(v.name, v.name, value, env);
    };
    return { parameters: () => scope.parameters.map(nodeOf), locals: () => scope.locals.map(nodeOf) };
  }

  private valueNode(name: string, evaluateName: string | undefined, value: Value, env: ExprEnv, hexFormat = false): Node {
    let text: string;
    try {
      text = formatValue(value, { readMemory: env.readMemory, symbolAt: env.symbolAt }, { hex: hexFormat });
    } catch (e) {
      text = `<error: ${(e as Error).message}>`;
    }
    return {
      variable: {
        name, value: text, type: typeName(value.type), evaluateName,
        memoryReference: memoryReferenceOf(value, env),
      },
      children: hasChildren(value) ? () => childrenOf(value, env.readMemory).map((c) =>
        this.valueNode(c.name, evaluateName ? childExpression(evaluateName, c.name) : undefined, c.value, env, hexFormat)) : undefined,
      set: evaluateName ? (t) => {
        const v = assignExpr(evaluateName, t, env);
        this.unwound.clear();
        return formatValue(v, { readMemory: env.readMemory, symbolAt: env.symbolAt });
      } : undefined,
    };
  }

  /** Names and values an expression may use in a frame: its variables, registers, CSRs, symbols. */
  private exprEnv(hart: number, frame: Frame): ExprEnv {
    const m = this.machine!;
    const h = m.harts[hart];
    const insp = this.inspector!;
    const loc = this.symbols.locate(frame.lookupPc);
    const info = loc?.file.info;
    const readMemory = (a: bigint, n: number): Uint8Array | undefined => {
      const r = insp.readVirtual(h, a, n);
      if (r || !loc || loc.file.aliasDelta === 0n) return r;
      // Before the MMU is on, a kernel linked high reads its own variables at their physical alias.
      return insp.readVirtual(h, (a - loc.file.aliasDelta) & MASK64, n);
    };
    const scope = info?.hasDwarf ? info.scopeAt(loc!.address) : undefined;
    const ctx = {
      pc: loc?.address ?? frame.pc,
      readRegister: (n: number) => frame.regs.get(n),
      readMemory,
      cfa: frame.cfa,
    };
    const regValue = (name: string): bigint | undefined => {
      const n = name.replace(/^\$/, '');
      if (n === 'pc') return frame.pc;
      if (n === 'priv' || n === 'mode') return BigInt(h.getPriv());
      if (n === 'hart') return BigInt(hart);
      if (n === 'fp') return frame.regs.get(8);
      let i = ABI.indexOf(n);
      if (i < 0 && /^x([12]?\d|3[01])$/.test(n)) i = Number(n.slice(1));
      if (i >= 0) return frame.regs.get(i);
      let f = FABI.indexOf(n);
      if (f < 0 && /^f([12]?\d|3[01])$/.test(n)) f = Number(n.slice(1));
      if (f >= 0) return frame.regs.get(32 + f) ?? h.getF(f);
      for (const [csr, cname] of CSR_NAMES) if (cname === n) return h.getCsr(csr);
      return undefined;
    };
    return {
      readMemory,
      writeMemory: (a, b) => insp.writeVirtual(h, a, b),
      lookupVariable: (name) => {
        const v = scope ? [...scope.locals, ...scope.parameters].find((x) => x.name === name) : undefined;
        if (v && info) return info.variableValue(v, ctx);
        for (const f of this.symbols.files) {
          const g = f.info.lookupGlobal(name);
          if (g) return f.info.variableValue(g, { ...ctx, pc: 0n });
        }
        return undefined;
      },
      lookupType: (name) => {
        for (const f of [loc?.file, ...this.symbols.files]) {
          const t = f?.info.lookupType(name);
          if (t) return t;
        }
        return undefined;
      },
      lookupRegister: regValue,
      writeRegister: frame === this.stackOf(hart)[0] || frame.pc === h.getPc() ? (name, value) => {
        const n = name.replace(/^\$/, '');
        let i = ABI.indexOf(n);
        if (i < 0 && /^x([12]?\d|3[01])$/.test(n)) i = Number(n.slice(1));
        if (i === 8 || n === 'fp') i = 8;
        if (i > 0) { h.setX(i, value); frame.regs.set(i, value); return true; }
        let f = FABI.indexOf(n);
        if (f < 0 && /^f([12]?\d|3[01])$/.test(n)) f = Number(n.slice(1));
        if (f >= 0) { h.setF(f, value); frame.regs.set(32 + f, value); return true; }
        if (n === 'pc') { h.setPc(value); return true; }
        for (const [csr, cname] of CSR_NAMES) if (cname === n) return h.setCsr(csr, value);
        return false;
      } : undefined,
      lookupSymbol: (name) => {
        for (const f of this.symbols.files) {
          const s = f.info.lookupSymbol(name);
          if (s) return s.address;
        }
        return undefined;
      },
      symbolAt: (a) => this.symbols.symbolize(a, true),
    };
  }

  /** The frame an evaluate/completion names (the stopped hart's innermost by default). */
  private frameFor(frameId: number | undefined): { hart: number; frame: Frame } | undefined {
    if (frameId !== undefined) {
      const fr = this.frames.get(frameId);
      if (fr) return fr;
    }
    const frames = this.stackOf(this.stoppedHart);
    return frames[0] ? { hart: this.stoppedHart, frame: frames[0] } : undefined;
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const c = this.needStopped(response);
    if (!c) return;
    const text = args.expression.trim();
    if (args.frameId !== undefined && !this.frames.has(args.frameId)) return this.sendErrorResponse(response, 1013, `evaluate: no frame ${args.frameId} (ask stackTrace first)`);
    const fr = this.frameFor(args.frameId);
    if (!fr) return this.sendErrorResponse(response, 1013, 'evaluate: no frame');
    const h = c.m.harts[fr.hart];
    try {
      const cmd = /^(translate|phys)\s+(.+)$/.exec(text);
      if (cmd && cmd[1] === 'translate') {
        response.body = this.translateCommand(h, fr, cmd[2]);
        return this.sendResponse(response);
      }
      const env = this.exprEnv(fr.hart, fr.frame);
      const value = evaluateExpr(text, env);
      const node = this.valueNode(text, text, value, env, args.format?.hex === true);
      response.body = {
        result: node.variable.value, type: node.variable.type, memoryReference: node.variable.memoryReference,
        variablesReference: node.children ? this.ref(node) : 0,
      };
    } catch (e) {
      return this.sendErrorResponse(response, 1014, (e as Error).message);
    }
    this.sendResponse(response);
  }

  /** `translate <va>`: every level of the walk as the hart would do it for a read, a write and a fetch. */
  private translateCommand(h: Hart, fr: { hart: number; frame: Frame }, expr: string): DebugProtocol.EvaluateResponse['body'] {
    const env = this.exprEnv(fr.hart, fr.frame);
    const v = evaluateExpr(expr, env);
    const bytes = v.bytes ?? env.readMemory(v.address ?? 0n, 8);
    let va = 0n;
    if (bytes) for (let i = Math.min(bytes.length, 8) - 1; i >= 0; i--) va = (va << 8n) | BigInt(bytes[i]);
    const lines: string[] = [];
    const children: Node[] = [];
    const steps: Array<{ level: number; pteAddr: number; pte: bigint }> = [];
    const pa = h.translateDebug(va, ACCESS_READ, steps);
    const satp = h.getCsr(0x180) ?? 0n;
    lines.push(`${hex64(va)}: ${pa >= 0 ? `→ ${hexN(pa)}` : `fault: ${EXCEPTION_NAMES[-pa - 1] ?? 'fault'}`} (satp ${hexN(satp)}, ${PRIV_NAMES[h.getPriv()]}-mode read)`);
    for (const s of steps) {
      const flags = 'VRWXUGAD'.split('').map((ch, i) => ((s.pte >> BigInt(i)) & 1n ? ch : '-')).join('');
      const ppn = (s.pte >> 10n) & ((1n << 44n) - 1n);
      children.push({ variable: { name: `level ${s.level}`, value: `pte @ ${hexN(s.pteAddr)} = ${hexN(s.pte)}  ${flags}  ppn ${hexN(ppn)}` } });
    }
    for (const [what, access] of [['write', ACCESS_WRITE], ['execute', ACCESS_EXEC]] as const) {
      const p = h.translateDebug(va, access, []);
      children.push({ variable: { name: what, value: p >= 0 ? `allowed → ${hexN(p)}` : `faults: ${EXCEPTION_NAMES[-p - 1] ?? 'fault'}` } });
    }
    if (steps.length === 0) children.unshift({ variable: { name: 'walk', value: 'none: translation is off (Bare satp or M-mode)' } });
    const node: Node = { variable: { name: 'translate', value: lines[0] }, children: () => children };
    return { result: lines[0], variablesReference: this.ref(node), memoryReference: pa >= 0 ? hexN(va) : undefined };
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    if (args.frameId !== undefined && !this.frames.has(args.frameId)) return this.sendErrorResponse(response, 1013, `completions: no frame ${args.frameId}`);
    const text = args.text;
    const col = Math.max(0, Math.min(text.length, (Number(args.column) || text.length + 1) - 1));
    const before = text.slice(0, col);
    const m = /[$A-Za-z_][$\w]*$/.exec(before);
    const prefix = m ? m[0] : '';
    const names = new Set<string>(['translate']);
    for (const r of ABI) names.add(`$${r}`);
    for (const r of FABI) names.add(`$${r}`);
    for (const n of CSR_NAMES.values()) names.add(`$${n}`);
    names.add('$pc');
    names.add('$priv');
    names.add('$hart');
    if (!this.running && this.machine) {
      const fr = this.frameFor(args.frameId);
      const loc = fr ? this.symbols.locate(fr.frame.lookupPc) : undefined;
      const scope = loc?.file.info.hasDwarf ? loc.file.info.scopeAt(loc.address) : undefined;
      for (const v of [...(scope?.locals ?? []), ...(scope?.parameters ?? [])]) names.add(v.name);
    }
    if (prefix.length > 0 && !prefix.startsWith('$')) {
      for (const f of this.symbols.files) {
        for (const s of f.info.symbols()) {
          if (s.name.startsWith(prefix)) names.add(s.name);
          if (names.size > 2000) break;
        }
      }
    }
    const targets = [...names].filter((n) => n.startsWith(prefix)).sort().slice(0, 500)
      .map((label) => ({ label, type: label.startsWith('$') ? 'property' : 'variable', start: col - prefix.length, length: prefix.length } as DebugProtocol.CompletionItem));
    response.body = { targets };
    this.sendResponse(response);
  }

  // ---- memory and disassembly ---------------------------------------------------------------------

  /** A memoryReference: a number (virtual, as the stopped hart sees it) or "phys:N" (physical). */
  private address(ref: string, offset: number | undefined): { addr: bigint; physical: boolean } {
    const t = String(ref).trim();
    const physical = t.startsWith('phys:');
    const body = physical ? t.slice(5) : t;
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(body) || BigInt(body) > MASK64) throw new Error(`not a 64-bit address: ${ref}`);
    const off = offset ?? 0;
    if (!Number.isSafeInteger(off)) throw new Error(`bad offset ${String(offset)}`);
    return { addr: (BigInt(body) + BigInt(off)) & MASK64, physical };
  }

  /** The stopped hart and the address a memory request names, or an error response. */
  private memoryTarget(response: DebugProtocol.Response, ref: string, offset: number | undefined): { c: { m: Machine; h: Hart; insp: Inspector }; a: { addr: bigint; physical: boolean } } | undefined {
    const c = this.needStopped(response);
    if (!c) return undefined;
    try {
      return { c, a: this.address(ref, offset) };
    } catch (e) {
      this.sendErrorResponse(response, 1003, `${response.command}: ${(e as Error).message}`);
      return undefined;
    }
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const at = this.memoryTarget(response, args.memoryReference, args.offset);
    if (!at) return;
    const { c, a } = at;
    const count = Math.max(0, Math.min(Math.floor(Number(args.count)) || 0, MAX_ACCESS));
    const readable = a.physical ? (c.insp.readPhysical(a.addr, count) ? count : 0) : c.insp.readableLength(c.h, a.addr, count);
    const data = readable > 0 ? (a.physical ? c.insp.readPhysical(a.addr, readable) : c.insp.readVirtual(c.h, a.addr, readable)) : undefined;
    response.body = { address: hexN(a.addr), unreadableBytes: count - readable, data: data ? Buffer.from(data).toString('base64') : undefined };
    this.sendResponse(response);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const at = this.memoryTarget(response, args.memoryReference, args.offset);
    if (!at) return;
    const { c, a } = at;
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(args.data)) return this.sendErrorResponse(response, 1015, 'writeMemory: data is not base64');
    const bytes = new Uint8Array(Buffer.from(args.data, 'base64'));
    if (bytes.length > MAX_ACCESS) return this.sendErrorResponse(response, 1015, `writeMemory: at most ${MAX_ACCESS} bytes at a time`);
    const ok = a.physical ? c.insp.writePhysical(a.addr, bytes) : c.insp.writeVirtual(c.h, a.addr, bytes);
    if (!ok) return this.sendErrorResponse(response, 1016, `writeMemory: ${hexN(a.addr)}+${bytes.length} is not all RAM`);
    this.unwound.clear();
    response.body = { bytesWritten: bytes.length };
    this.sendEvent({ seq: 0, type: 'event', event: 'memory', body: { memoryReference: args.memoryReference, offset: args.offset ?? 0, count: bytes.length } } as DebugProtocol.MemoryEvent);
    this.sendResponse(response);
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const at = this.memoryTarget(response, args.memoryReference, args.offset);
    if (!at) return;
    const { c, a } = at;
    if (args.instructionCount > 10_000) return this.sendErrorResponse(response, 1020, 'disassemble: at most 10000 instructions at a time');
    if (Math.abs(args.instructionOffset ?? 0) > 100_000) return this.sendErrorResponse(response, 1020, 'disassemble: instructionOffset is limited to ±100000');
    const count = args.instructionCount;
    const instOffset = args.instructionOffset ?? 0;
    const read = (addr: bigint, n: number): Uint8Array | undefined => (a.physical ? c.insp.readPhysical(addr, n) : c.insp.readVirtual(c.h, addr, n));
    // Instructions are 2 or 4 bytes: walk back by decoding forward from a point far enough before.
    let start = a.addr;
    if (instOffset < 0) start = this.instructionsBefore(read, a.addr, -instOffset);
    else for (let i = 0; i < instOffset; i++) start += BigInt(this.lengthAt(read, start));
    const out: DebugProtocol.DisassembledInstruction[] = [];
    let addr = start;
    let lastLine: string | undefined;
    for (let i = 0; i < count; i++) {
      const bytes = read(addr, 4) ?? read(addr, 2);
      if (!bytes) {
        out.push({ address: hexN(addr), instruction: '<unreadable>', presentationHint: 'invalid' });
        addr = (addr + 2n) & MASK64;
        continue;
      }
      const insn = disassembleOne(bytes.length >= 4 ? bytes : new Uint8Array([bytes[0], bytes[1], 0, 0]), addr);
      const d: DebugProtocol.DisassembledInstruction = {
        address: hexN(addr),
        instructionBytes: Array.from(bytes.subarray(0, insn.length), (b) => b.toString(16).padStart(2, '0')).join(' '),
        instruction: formatInstruction(insn, (t) => this.symbols.symbolize(t)),
      };
      if (args.resolveSymbols !== false) {
        const sym = this.symbols.symbolize(addr);
        if (sym && !sym.includes('+')) d.symbol = sym;
      }
      const line = this.symbols.lineAt(addr);
      if (line) {
        const key = `${line.path}:${line.line}`;
        if (key !== lastLine) {
          d.location = this.source(line.path);
          d.line = line.line;
          d.column = line.column;
        }
        lastLine = key;
      }
      out.push(d);
      addr = (addr + BigInt(insn.length)) & MASK64;
    }
    response.body = { instructions: out };
    this.sendResponse(response);
  }

  private lengthAt(read: (a: bigint, n: number) => Uint8Array | undefined, addr: bigint): number {
    const b = read(addr, 2);
    return b && (b[0] & 3) !== 3 ? 2 : 4;
  }

  /** The address `n` instructions before `addr`: decode from a function start (or far enough back) up to addr. */
  private instructionsBefore(read: (a: bigint, n: number) => Uint8Array | undefined, addr: bigint, n: number): bigint {
    const loc = this.symbols.locate(addr);
    const fn = loc?.file.info.functionAt(loc.address);
    let from = fn && loc ? (fn.lowPc + (addr - loc.address)) & MASK64 : (addr - BigInt(4 * n)) & MASK64;
    if (addr - from > BigInt(4 * n + 4096) || from > addr) from = (addr - BigInt(4 * n)) & MASK64;
    const starts: bigint[] = [];
    for (let p = from; p < addr && starts.length < 1_000_000;) {
      starts.push(p);
      p += BigInt(this.lengthAt(read, p));
    }
    if (starts.length >= n) return starts[starts.length - n];
    // Not enough room before (the start of memory, say): pad with 2-byte steps.
    return (addr - BigInt(4 * n)) & MASK64;
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    response.body = { sources: this.symbols.sourceFiles().map((p) => this.source(p)) };
    this.sendResponse(response);
  }

  // ---- breakpoints ------------------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source?.path;
    if (typeof path !== 'string') return this.sendErrorResponse(response, 1017, 'setBreakpoints: the source needs a path');
    const list: DebugProtocol.SourceBreakpoint[] = Array.isArray(args.breakpoints) ? args.breakpoints : (Array.isArray(args.lines) ? args.lines : []).map((line) => ({ line }));
    const logical: LogicalBreakpoint[] = [];
    const result: DebugProtocol.Breakpoint[] = [];
    for (const sb of list) {
      const line = Math.floor(Number(sb?.line));
      const problem = this.checkOptions(sb);
      const bound = Number.isFinite(line) && line > 0 ? this.symbols.lineAddresses(this.dwarfPath(path), line) : undefined;
      if (problem || !bound) {
        result.push({ verified: false, line: Number.isFinite(line) ? line : undefined, message: problem ?? `no code at ${basename(path)}:${line} in the symbol files` });
        continue;
      }
      const bp = this.bps.create('source', bound.addresses, { ...this.options(sb) });
      logical.push(bp);
      result.push({ id: bp.id, verified: true, line: bound.line, source: this.source(path), instructionReference: hexN(bound.addresses[0]) });
    }
    this.bps.setSource(path, logical);
    this.applyBreakpoints();
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const logical: LogicalBreakpoint[] = [];
    const result: DebugProtocol.Breakpoint[] = [];
    for (const fb of Array.isArray(args.breakpoints) ? args.breakpoints : []) {
      const name = typeof fb?.name === 'string' ? fb.name.trim() : '';
      const problem = this.checkOptions(fb);
      const found = name ? this.symbols.functionAddresses(name) : [];
      if (problem || found.length === 0) {
        result.push({ verified: false, message: problem ?? `no function '${name}' in the symbol files` });
        continue;
      }
      const bp = this.bps.create('function', found.flatMap((f) => f.aliases), this.options(fb));
      logical.push(bp);
      const first = found[0];
      result.push({ id: bp.id, verified: true, line: first.line, source: first.path ? this.source(first.path) : undefined, instructionReference: hexN(first.address) });
    }
    this.bps.setFunctions(logical);
    this.applyBreakpoints();
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    const logical: LogicalBreakpoint[] = [];
    const result: DebugProtocol.Breakpoint[] = [];
    for (const ib of Array.isArray(args.breakpoints) ? args.breakpoints : []) {
      let addr: bigint;
      try {
        addr = this.address(ib.instructionReference, ib.offset).addr;
      } catch {
        result.push({ verified: false, message: `not an address: ${String(ib?.instructionReference)}` });
        continue;
      }
      const problem = this.checkOptions(ib);
      if (problem) {
        result.push({ verified: false, message: problem });
        continue;
      }
      const bp = this.bps.create('instruction', [addr], this.options(ib));
      logical.push(bp);
      const line = this.symbols.lineAt(addr);
      result.push({ id: bp.id, verified: true, instructionReference: hexN(addr), line: line?.line, source: line ? this.source(line.path) : undefined });
    }
    this.bps.setInstructions(logical);
    this.applyBreakpoints();
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  /** A breakpoint's condition, hit condition and mode checked up front (a message if one is bad). */
  private checkOptions(o: { condition?: unknown; hitCondition?: unknown; logMessage?: unknown; mode?: unknown } | undefined): string | undefined {
    if (typeof o !== 'object' || o === null) return 'not a breakpoint';
    try {
      if (o.hitCondition !== undefined) parseHitCondition(String(o.hitCondition));
      if (o.mode !== undefined) modeToPriv(String(o.mode));
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  }

  private options(o: { condition?: string; hitCondition?: string; logMessage?: string; mode?: string }): { condition?: string; hitCondition?: string; logMessage?: string; priv?: number } {
    return {
      condition: typeof o.condition === 'string' && o.condition.trim() ? o.condition : undefined,
      hitCondition: typeof o.hitCondition === 'string' && o.hitCondition.trim() ? o.hitCondition : undefined,
      logMessage: typeof o.logMessage === 'string' ? o.logMessage : undefined,
      priv: modeToPriv(typeof o.mode === 'string' ? o.mode : undefined),
    };
  }

  /** Gives the engine the union of every breakpoint's addresses (on every hart). */
  private applyBreakpoints(): void {
    const pcs = this.bps.addresses().map((a) => Number(BigInt.asIntN(64, a)));
    for (const h of this.machine?.harts ?? []) {
      h.breakpoints.clear();
      for (const pc of pcs) h.breakpoints.add(pc);
    }
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const unavailable = (why: string): void => {
      response.body = { dataId: null, description: why };
      this.sendResponse(response);
    };
    const name = String(args.name ?? '');
    if (args.asAddress) {
      const physical = name.trim().startsWith('phys:');
      let addr: bigint;
      try {
        addr = this.address(name, 0).addr;
      } catch (e) {
        return unavailable((e as Error).message);
      }
      const bytes = Math.max(1, Math.min(Math.floor(Number(args.bytes ?? 8)) || 8, 4096));
      response.body = { dataId: `${physical ? 'p' : 'v'}:${hexN(addr)}:${bytes}`, description: `${bytes} bytes at ${physical ? 'physical ' : ''}${hexN(addr)}`, accessTypes: ['read', 'write', 'readWrite'], canPersist: true };
      return this.sendResponse(response);
    }
    if (this.running || !this.machine) return unavailable('pause the guest first');
    // A variable: through its container's evaluateName, or the name as an expression.
    const container = args.variablesReference ? this.nodes.get(args.variablesReference) : undefined;
    const child = container?.lastChildren?.find((n) => n.variable.name === name);
    const expr = child?.variable.evaluateName ?? name;
    const fr = this.frameFor(args.frameId);
    if (!fr) return unavailable('no frame');
    try {
      const v = evaluateExpr(expr, this.exprEnv(fr.hart, fr.frame));
      const size = sizeOfType(v.type);
      if (v.address === undefined || size === 0) return unavailable(`'${expr}' is not in memory`);
      response.body = { dataId: `v:${hexN(v.address)}:${Math.min(size, 4096)}`, description: `${expr} (${size} bytes at ${hexN(v.address)})`, accessTypes: ['read', 'write', 'readWrite'], canPersist: false };
    } catch (e) {
      return unavailable((e as Error).message);
    }
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    const result: DebugProtocol.Breakpoint[] = [];
    const list: DataBreakpoint[] = [];
    for (const db of Array.isArray(args.breakpoints) ? args.breakpoints : []) {
      const m = /^([vp]):(0x[0-9a-f]+):(\d+)$/.exec(String(db?.dataId ?? ''));
      const problem = this.checkOptions(db);
      if (!m || problem) {
        result.push({ verified: false, message: problem ?? `not a data breakpoint id: ${String(db?.dataId)}` });
        continue;
      }
      const start = BigInt.asIntN(64, BigInt(m[2]));
      const size = Number(m[3]);
      if (size < 1 || size > 4096 || BigInt(m[2]) > MASK64) {
        result.push({ verified: false, message: `data breakpoint ${db.dataId}: a watched range is 1 to 4096 bytes of a 64-bit address` });
        continue;
      }
      const access = db.accessType ?? 'write';
      const id = this.nextDataId++;
      const o = this.options(db);
      list.push({
        id, hits: 0, condition: o.condition, hitCondition: o.hitCondition, priv: o.priv,
        description: `${m[1] === 'p' ? 'physical ' : ''}${hexN(BigInt(m[2]))} (${size} bytes)`,
        watch: { id, start: Number(m[1] === 'p' ? BigInt(m[2]) : start), end: Number(m[1] === 'p' ? BigInt(m[2]) : start) + size, physical: m[1] === 'p', read: access !== 'write', write: access !== 'read' },
      });
      result.push({ id, verified: true });
    }
    this.dataBps = list;
    this.applyWatchpoints();
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  private applyWatchpoints(): void {
    this.machine?.setWatchpoints(this.dataBps.map((d) => d.watch));
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const filters = new Map<string, string | undefined>();
    const known = new Set(EXCEPTION_FILTERS.map((f) => f.filter));
    const result: DebugProtocol.Breakpoint[] = [];
    const add = (id: unknown, condition?: unknown): void => {
      if (typeof id !== 'string' || !known.has(id)) {
        result.push({ verified: false, message: `unknown exception filter '${String(id)}'` });
        return;
      }
      filters.set(id, typeof condition === 'string' && condition.trim() ? condition.trim() : undefined);
      result.push({ verified: true });
    };
    for (const f of Array.isArray(args.filters) ? args.filters : []) add(f);
    for (const o of Array.isArray(args.filterOptions) ? args.filterOptions : []) add(o?.filterId, o?.condition);
    this.exceptionFilters = filters;
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const e = this.lastException;
    if (!e) return this.sendErrorResponse(response, 1018, 'exceptionInfo: the guest did not stop for a trap or hypercall');
    response.body = { exceptionId: e.id, description: e.description, breakMode: 'always', details: { message: e.details } };
    this.sendResponse(response);
  }

  /** A trap was taken: stop if an exception filter wants it (or note it while stepping over). */
  private onTrap(t: TrapRecord): void {
    if (this.plan) this.stepTraps.push(t);
    if (this.exceptionFilters.size === 0) return;
    const interrupt = t.cause >> 63n === 1n;
    const code = Number(t.cause & 0xffn);
    let id: string | undefined;
    if (interrupt) {
      if (!this.exceptionFilters.has('interrupt')) return;
      const cond = this.exceptionFilters.get('interrupt');
      if (cond && !cond.split(',').some((c) => c.trim() === String(code) || (INTERRUPT_NAMES[code] ?? '').includes(c.trim()))) return;
      id = 'interrupt';
    } else {
      id = EXCEPTION_FILTERS.find((f) => f.causes?.includes(code) && this.exceptionFilters.has(f.filter))?.filter;
      if (!id) return;
    }
    const name = interrupt ? `${INTERRUPT_NAMES[code] ?? `interrupt ${code}`} interrupt` : EXCEPTION_NAMES[code] ?? `exception ${code}`;
    const where = this.symbols.symbolize(t.pc);
    this.pendingException = {
      id, hart: t.hart,
      description: `${name} at ${hexN(t.pc)}${where ? ` <${where}>` : ''}${interrupt ? '' : `, tval ${hexN(t.tval)}`} (${PRIV_NAMES[t.fromPriv]}-mode → ${PRIV_NAMES[t.toPriv]}-mode)`,
      details: `cause ${hexN(t.cause)}, tval ${hexN(t.tval)}, epc ${hexN(t.pc)}, hart ${t.hart}, instret ${t.instret}`,
    };
    this.machine?.requestDebugStop();
  }

  private onHypercall(r: HypercallRecord): void {
    const ext = SBI_EXT_NAMES.get(r.eid) ?? hexN(r.eid);
    const fn = SBI_FN_NAMES.get(r.eid)?.[r.fid] ?? String(r.fid);
    // The exception filter (all calls, or those its condition names), or a call the client asked to
    // break on with rvisor.hypercallBreakpoints.
    const filterOn = this.exceptionFilters.has('hypercall');
    const cond = this.exceptionFilters.get('hypercall');
    const wanted = (filterOn && (!cond || hypercallMatches(cond, r, ext, fn)))
      || this.hypercallBreaks.some((c) => hypercallMatches(c, r, ext, fn));
    if (!wanted) return;
    const where = this.symbols.symbolize(r.pc);
    this.pendingException = {
      id: 'hypercall', hart: r.hart,
      description: `SBI ${ext}.${fn}(${r.args.slice(0, 3).map(hexN).join(', ')}) = ${r.error}${r.error === 0 ? `, ${hexN(r.value)}` : ''} from ${hexN(r.pc)}${where ? ` <${where}>` : ''}`,
      details: `eid ${hexN(r.eid)}, fid ${r.fid}, args ${r.args.map(hexN).join(' ')}, error ${r.error}, value ${hexN(r.value)}, hart ${r.hart}`,
    };
    this.machine?.requestDebugStop();
  }

  // ---- execution ------------------------------------------------------------------------------------

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    if (!this.need(response, args.threadId)) return;
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.plan = undefined;
    this.resume();
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    if (!this.need(response, args.threadId)) return;
    this.sendResponse(response);
    if (this.running && (this.waiter || this.inputWait)) {
      this.waiter?.cancel();
      this.waiter = undefined;
      this.inputWait = undefined;
      this.reportStop('pause', this.stoppedHart);
    } else if (this.running) {
      this.pauseRequested = true;
      this.machine?.requestDebugStop();
    } else {
      this.reportStop('pause', this.stoppedHart);
    }
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.step(response, args.threadId, args.granularity, 'over');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.step(response, args.threadId, args.granularity, 'into');
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.step(response, args.threadId, args.granularity, 'out');
  }

  private step(response: DebugProtocol.Response, hartId: number, granularity: string | undefined, how: 'over' | 'into' | 'out'): void {
    const c = this.needStopped(response, hartId);
    if (!c) return;
    this.sendResponse(response);
    this.stoppedHart = hartId;
    const sp = c.h.getX(2);
    if (granularity === 'instruction' && how !== 'out') {
      if (how === 'over' && this.isCall(c.h)) {
        // Over a call: run to the instruction after it, in this frame.
        const next = (c.h.getPc() + BigInt(this.lengthAt((a, n) => c.insp.readVirtual(c.h, a, n), c.h.getPc()))) & MASK64;
        this.plan = { kind: 'out', hart: hartId, into: false, startSp: sp };
        this.resumeTo([next], sp);
        return;
      }
      const r = c.m.step(hartId);
      if (this.handleStop(r)) return;
      // The step took a trap an exception filter wants: say so.
      if (this.pendingException) return this.reportStop('exception', this.pendingException.hart);
      return this.reportStop('step', hartId);
    }
    if (how === 'out') {
      const frames = c.insp.unwind(c.h, 2);
      const caller = frames[1];
      if (!caller) {
        // No caller known: one line (or instruction) step instead.
        return this.startLineStep(c.h, hartId, true);
      }
      this.plan = { kind: 'out', hart: hartId, into: false, startSp: sp };
      this.resumeTo([caller.pc], caller.regs.get(2) ?? frames[0].cfa ?? sp);
      return;
    }
    this.startLineStep(c.h, hartId, how === 'into');
  }

  /** Whether the instruction at the hart's pc is a call: jal/jalr/c.jalr linking in ra or t0 (the psABI's link registers). */
  private isCall(h: Hart): boolean {
    const b = this.inspector?.readVirtual(h, h.getPc(), 2);
    if (!b) return false;
    const lo = b[0] | (b[1] << 8);
    if ((lo & 3) !== 3) return (lo & 0xf07f) === 0x9002 && ((lo >> 7) & 31) !== 0; // c.jalr rs1 (links ra)
    const w = this.inspector?.readVirtual(h, h.getPc(), 4);
    if (!w) return false;
    const bits = (w[0] | (w[1] << 8) | (w[2] << 16) | (w[3] << 24)) >>> 0;
    const opcode = bits & 0x7f;
    const rd = (bits >>> 7) & 31;
    return (opcode === 0x6f || opcode === 0x67) && (rd === 1 || rd === 5);
  }

  private startLineStep(h: Hart, hartId: number, into: boolean): void {
    const pc = h.getPc();
    const line = this.symbols.lineAt(pc);
    const loc = this.symbols.locate(pc);
    const fn = loc?.file.info.functionAt(loc.address);
    if (!line) {
      // No line information here: one instruction.
      const r = this.machine!.step(hartId);
      if (this.handleStop(r)) return;
      if (this.pendingException) return this.reportStop('exception', this.pendingException.hart);
      return this.reportStop('step', hartId);
    }
    this.plan = { kind: 'line', hart: hartId, into, startLine: { path: line.path, line: line.line }, startFunction: fn?.lowPc, startSp: h.getX(2) };
    this.stepTraps = [];
    this.running = true;
    this.pauseRequested = false;
    setImmediate(() => this.runLineStep());
  }

  /** Single-steps a line plan for a while, then yields to the event loop (pause stays possible). */
  private runLineStep(): void {
    const m = this.machine;
    const plan = this.plan;
    if (!m || !plan || !this.running || plan.kind !== 'line') return;
    if (this.pauseRequested) return this.reportStop('pause', plan.hart);
    const h = m.harts[plan.hart];
    for (let i = 0; i < STEP_SLICE; i++) {
      const before = h.getPc();
      const beforeSp = h.getX(2);
      const wasCall = this.isCall(h);
      const beforePriv = h.getPriv();
      this.stepTraps = [];
      const r = m.step(plan.hart);
      if (r.reason !== 'budget') {
        if (this.handleStop(r)) return;
      }
      if (this.pendingException) return this.reportStop('exception', this.pendingException.hart);
      const pc = h.getPc();
      // A trap was taken (an interrupt, a syscall, a page fault): step over the handler.
      if (this.stepTraps.length > 0 && (h.getPriv() !== beforePriv || this.stepTraps[0].hart === plan.hart)) {
        const t = this.stepTraps[0];
        return this.resumeTo([t.pc, (t.pc + 4n) & MASK64, (t.pc + 2n) & MASK64], beforeSp, true);
      }
      const line = this.symbols.lineAt(pc);
      const loc = this.symbols.locate(pc);
      const fn = loc?.file.info.functionAt(loc.address);
      if (wasCall && pc !== (before + 4n) && pc !== (before + 2n)) {
        // Entered a function. Into: stop at its first line after the prologue if it has lines.
        if (plan.into && line && fn) {
          const body = loc!.file.info.functionsNamed(fn.name).find((f) => f.lowPc === fn.lowPc)?.breakAddress;
          if (body !== undefined && body !== loc!.address) return this.resumeTo(this.symbols.aliases(loc!.file, body), 0n, true, true);
          return this.reportStop('step', plan.hart);
        }
        // Over (or no lines there): run to the return address, in this frame.
        return this.resumeTo([h.getX(1) !== 0n ? h.getX(1) : h.getX(5)], beforeSp, true);
      }
      if (this.lineStepDone(h, plan)) return this.reportStop('step', plan.hart);
    }
    setImmediate(() => this.runLineStep());
  }

  /**
   * Whether a line step ends at the hart's pc: at the start of another line's code (a line-table
   * row, as GDB stops), or anywhere in the caller once the function returned.
   */
  private lineStepDone(h: Hart, plan: StepPlan): boolean {
    const pc = h.getPc();
    const line = this.symbols.lineAt(pc);
    if (!line) return false;
    const loc = this.symbols.locate(pc);
    const fn = loc?.file.info.functionAt(loc.address);
    const sameLine = line.line === plan.startLine?.line && line.path === plan.startLine?.path && fn?.lowPc === plan.startFunction;
    const returned = BigInt.asIntN(64, h.getX(2)) > BigInt.asIntN(64, plan.startSp) && fn?.lowPc !== plan.startFunction;
    if (returned) return true;
    if (sameLine) return false;
    const row = loc?.file.info.lineAt(loc.address);
    return !row || row.address === loc!.address;
  }

  /**
   * Runs every hart until `hartId` reaches one of `pcs` with sp at least `sp` (a return into this
   * frame), then continues the line step (lineAfter) or stops there.
   */
  private resumeTo(pcs: bigint[], sp: bigint, lineAfter = false, anySp = false): void {
    const plan = this.plan;
    if (!plan) return;
    plan.returnTo = { pcs, sp: anySp ? -(1n << 63n) : BigInt.asIntN(64, sp) };
    if (!lineAfter) plan.kind = 'out';
    for (const p of pcs) this.bps.temporary.add(p & MASK64);
    this.applyBreakpoints();
    this.resume(true);
  }

  /** Runs the machine in slices until a stop, a pause request or the end. */
  private resume(keepPlan = false): void {
    if (!keepPlan) this.plan = undefined;
    this.running = true;
    this.pauseRequested = false;
    this.inputWait = undefined; // one run loop at a time
    this.unwound.clear();
    const loop = (): void => {
      const m = this.machine;
      if (!this.running || !m) return;
      if (this.pauseRequested) return this.reportStop('pause', this.stoppedHart);
      const r = m.run(SLICE);
      if (this.handleStop(r)) return;
      if (r.reason === 'breakpoint' && this.atBreakpoint(r.hart)) return;
      if (r.reason === 'debug' || r.reason === 'watchpoint') {
        if (this.pendingException) return this.reportStop('exception', this.pendingException.hart);
        if (r.reason === 'watchpoint' && this.atWatchpoint(r.hart, r.hit.id, r.hit)) return;
        if (this.pauseRequested) return this.reportStop('pause', this.stoppedHart);
      }
      if (r.reason === 'waiting') {
        // A networked guest idles in real time (its peers' replies must come before its timeouts).
        this.waiter = new IdleWaiter(m, () => { this.waiter = undefined; setImmediate(loop); });
        this.waiter.wait(r.untilSteps);
        return;
      }
      if (r.reason === 'idle') {
        // Every hart waits for an interrupt and no timer is armed: only input can wake the guest (a
        // shell at its prompt). It stays running, as a real machine would, until input or a pause.
        this.inputWait = () => { this.inputWait = undefined; setImmediate(loop); };
        return;
      }
      setImmediate(loop);
    };
    setImmediate(loop);
  }

  /** The machine stopped at a breakpoint address: a plan's return point, a breakpoint that stops, or on. */
  private atBreakpoint(hartId: number): boolean {
    const m = this.machine!;
    const h = m.harts[hartId];
    const pc = h.getPc();
    const plan = this.plan;
    if (plan?.returnTo && hartId === plan.hart && plan.returnTo.pcs.includes(pc) && BigInt.asIntN(64, h.getX(2)) >= plan.returnTo.sp) {
      for (const p of plan.returnTo.pcs) this.bps.temporary.delete(p & MASK64);
      plan.returnTo = undefined;
      this.applyBreakpoints();
      if (plan.kind === 'line') {
        // Back in the line being stepped: done if the return lands on a new line, else go on.
        if (this.lineStepDone(h, plan)) {
          this.reportStop('step', hartId);
          return true;
        }
        this.running = true;
        setImmediate(() => this.runLineStep());
        return true;
      }
      this.reportStop('step', hartId);
      return true;
    }
    const frame = this.inspector!.unwind(h, 1)[0];
    const env = this.exprEnv(hartId, frame);
    const decision = this.bps.decide(pc, h.getPriv(), (e) => conditionHolds(e, env), (msg) => this.interpolate(msg, env));
    for (const l of decision.logs) this.sendEvent(new OutputEvent(l + '\n', 'console'));
    for (const e of decision.errors) this.sendEvent(new OutputEvent(e + '\n', 'stderr'));
    if (decision.stop.length === 0) return false;
    this.plan = undefined;
    for (const p of [...this.bps.temporary]) this.bps.temporary.delete(p);
    this.applyBreakpoints();
    this.reportStop(decision.stop[0].kind === 'function' ? 'function breakpoint' : decision.stop[0].kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint', hartId, undefined, decision.stop.map((b) => b.id));
    return true;
  }

  private atWatchpoint(hartId: number, id: number, hit: { address: number; size: number; write: boolean; pc: bigint }): boolean {
    const d = this.dataBps.find((x) => x.id === id);
    if (!d) return false;
    const h = this.machine!.harts[hartId];
    if (d.priv !== undefined && h.getPriv() !== d.priv) return false;
    const frame = this.inspector!.unwind(h, 1)[0];
    if (d.condition) {
      try {
        if (!conditionHolds(d.condition, this.exprEnv(hartId, frame))) return false;
      } catch { /* a bad condition stops */ }
    }
    d.hits++;
    if (d.hitCondition && !hitConditionMet(d.hitCondition, d.hits)) return false;
    const where = this.symbols.symbolize(hit.pc);
    this.plan = undefined;
    this.reportStop('data breakpoint', hartId, `${hit.write ? 'write' : 'read'} of ${hit.size} bytes at ${hexN(hit.address)} by ${hexN(hit.pc)}${where ? ` <${where}>` : ''}`, [id]);
    return true;
  }

  /** A logpoint's message with each {expression} replaced by its value. */
  private interpolate(msg: string, env: ExprEnv): string {
    return msg.replace(/\{([^{}]+)\}/g, (_m, e: string) => {
      try {
        return formatValue(evaluateExpr(e, env), { readMemory: env.readMemory, symbolAt: env.symbolAt });
      } catch (err) {
        return `<${(err as Error).message}>`;
      }
    });
  }

  /** Reports a stop: every hart is stopped (the machine runs them together). */
  private reportStop(reason: string, hart: number, text?: string, hitBreakpointIds?: number[]): void {
    this.running = false;
    this.inputWait = undefined;
    this.plan = undefined;
    if (this.bps.temporary.size > 0) {
      this.bps.temporary.clear();
      this.applyBreakpoints();
    }
    this.stoppedHart = hart;
    this.nodes.clear();
    this.frames.clear();
    this.unwound.clear();
    const ev = new StoppedEvent(reason, hart, text) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    if (reason === 'exception' && this.pendingException) {
      this.lastException = this.pendingException;
      ev.body.description = this.pendingException.description;
      ev.body.text = this.pendingException.description;
      this.pendingException = undefined;
    } else if (reason !== 'exception') {
      this.lastException = undefined;
    }
    if (text) ev.body.description = text;
    if (hitBreakpointIds) ev.body.hitBreakpointIds = hitBreakpointIds;
    this.sendEvent(ev);
  }

  /** Ends the session if the guest did (true); other stop reasons are the caller's. */
  private handleStop(r: StopReason): boolean {
    if (r.reason !== 'poweroff' && r.reason !== 'fatal' && r.reason !== 'halted') return false;
    if (r.reason === 'fatal') this.sendEvent(new OutputEvent(`rvisor: guest stopped: hart ${r.hart}: ${r.message}\n`, 'stderr'));
    this.sendEvent(new ExitedEvent(r.reason === 'poweroff' ? r.exitCode : 1));
    this.sendEvent(new TerminatedEvent());
    const t = this.attached;
    this.endSession();
    t?.end(r.reason === 'poweroff' ? r.exitCode : 1, r.reason === 'fatal' ? `guest stopped: hart ${r.hart}: ${r.message}` : undefined);
    return true;
  }

  // ---- custom requests ----------------------------------------------------------------------------------

  /**
   * `rvisor.history` {kind?: 'hypercall'|'trap'|'interrupt', ext?: string, start?, count?}: the recorded
   * hypercalls and traps, filtered, a page at a time ({total, records}).
   * `rvisor.input` {text}: bytes for the guest's serial input (UART and consoles).
   * `rvisor.status`: {state: 'running'|'stopped'|'none', steps (instructions executed by all harts), harts}.
   * `rvisor.lookup` {address}: {symbol, function, source, line, column, caller} of a guest address, by the
   * symbols alone; `caller` is the line in `function` that the inlined code at the address came from.
   * `rvisor.hypercallBreakpoints` {conditions}: hypercalls to stop at, each as the hypercall filter's
   * condition ("TIME.set_timer", "HSM", "failed"), kept apart from the exception filters the editor sets.
   */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const a = (typeof args === 'object' && args !== null ? args : {}) as { kind?: string; ext?: string; start?: number; count?: number; text?: unknown; conditions?: string[]; address?: string };
    if (command === 'rvisor.input') {
      if (!this.need(response)) return;
      if (typeof a.text !== 'string') return this.sendErrorResponse(response, 1019, 'rvisor.input: give {text: string}');
      this.machine!.input(a.text);
      this.waiter?.wake();
      this.inputWait?.();
      return this.sendResponse(response);
    }
    if (command === 'rvisor.status') {
      // For a client's status line: its speed is the difference of two answers.
      response.body = this.machine
        ? { state: this.running ? 'running' : 'stopped', steps: this.machine.totalSteps(), harts: this.machine.harts.length }
        : { state: 'none', steps: 0, harts: 0 };
      return this.sendResponse(response);
    }
    if (command === 'rvisor.lookup') {
      // Symbols only (no memory is read), so it answers while the guest runs too.
      let addr: bigint;
      try {
        addr = BigInt(String(a.address));
      } catch {
        return this.sendErrorResponse(response, 1003, `rvisor.lookup: not an address: ${String(a.address)}`);
      }
      const line = this.symbols.lineAt(addr);
      const loc = this.symbols.locate(addr);
      const fn = loc?.file.info.functionAt(loc.address);
      // Inside inlined code (an SBI call wrapper): where the outermost inlined call sits in the function.
      const outer = fn?.inlinedChain.at(-1);
      response.body = {
        symbol: this.symbols.symbolize(addr), function: fn?.name,
        source: line ? this.source(line.path) : undefined, line: line?.line, column: line?.column,
        caller: outer?.callFile && outer.callLine ? { source: this.source(outer.callFile), line: outer.callLine, inlined: outer.name } : undefined,
      };
      return this.sendResponse(response);
    }
    if (command === 'rvisor.hypercallBreakpoints') {
      this.hypercallBreaks = (a.conditions ?? []).map((c) => c.trim()).filter((c) => c !== '');
      response.body = { conditions: this.hypercallBreaks };
      return this.sendResponse(response);
    }
    if (command !== 'rvisor.history') return this.sendErrorResponse(response, 1004, `unknown request '${command}'`);
    const matches = this.history.filter((r) => (a.kind === undefined || r.k === a.kind) && (a.ext === undefined || r.ext === a.ext));
    const start = Math.max(0, Math.floor(Number(a.start ?? 0)) || 0);
    const count = Math.max(0, Math.min(Math.floor(Number(a.count ?? 100)) || 0, 10_000));
    response.body = { total: matches.length, records: matches.slice(start, start + count) };
    this.sendResponse(response);
  }

  /**
   * Every request is checked against its declared shape (adapter/requests.ts) first: a malformed or
   * unsupported one gets an error naming what is wrong, and no handler sees it. A handler that throws
   * anyway answers with an error too; the adapter never goes down for a request.
   */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const command = typeof request?.command === 'string' ? request.command : String(request?.command);
    const fail = (message: string): void => {
      const response = { seq: 0, type: 'response', request_seq: Number.isSafeInteger(request?.seq) ? request.seq : 0, command, success: false } as DebugProtocol.Response;
      this.sendErrorResponse(response, 1099, `${command}: ${message}`);
    };
    if (command === 'initialize' && typeof request.arguments === 'object' && request.arguments !== null && request.arguments.pathFormat === undefined) {
      request.arguments.pathFormat = 'path'; // the protocol's default
    }
    const problem = checkRequest(request?.command, request?.arguments);
    if (problem) return fail(problem);
    dropNulls(command, request.arguments);
    try {
      super.dispatchRequest(request);
    } catch (e) {
      fail(`internal error: ${(e as Error).message}`);
    }
  }

  /** The library shuts the adapter down on a message it cannot parse; only the client going away ends it. */
  override shutdown(): void {
    if (this.inputClosed) super.shutdown();
  }

  private inputClosed = false;

  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    inStream.on('end', () => { this.inputClosed = true; this.shutdown(); });
    inStream.on('close', () => { this.inputClosed = true; this.shutdown(); });
    super.start(inStream, outStream);
  }
}

/** A breakpoint condition: the C expression's value is non-zero (throws for a bad expression). */
function conditionHolds(expr: string, env: ExprEnv): boolean {
  const v = evaluateExpr(expr, env);
  const b = v.bytes ?? env.readMemory(v.address ?? 0n, Math.max(1, sizeOfType(v.type)));
  return !!b && b.some((x) => x !== 0);
}

/** Where a value's memory view opens: a pointer's target (as DAP asks for pointers), else the value's own address. */
function memoryReferenceOf(v: Value, env: ExprEnv): string | undefined {
  const t = resolveType(v.type);
  if (t.kind === 'pointer') {
    const b = v.bytes ?? (v.address !== undefined ? env.readMemory(v.address, 8) : undefined);
    if (b && b.length >= 8) return hexN(new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true));
  }
  return v.address !== undefined ? hexN(v.address) : undefined;
}

/** The expression for a child of a value shown under `parent` ("s.field", "p->field", "a[3]", "*p"). */
function childExpression(parent: string, child: string): string | undefined {
  const p = /^[\w$.[\]>-]+$/.test(parent) ? parent : `(${parent})`;
  if (child.startsWith('[')) return /^\[\d+\]$/.test(child) ? `${p}${child}` : undefined;
  if (child.startsWith('*')) return `*${p}`;
  if (/^[A-Za-z_]\w*$/.test(child)) return `${p}.${child}`;
  return undefined;
}

/**
 * Whether a hypercall matches a condition: comma-separated `EXT[.function]` by name or id, or `failed`
 * (e.g. "HSM", "TIME.set_timer", "0x48534d", "failed").
 */
function hypercallMatches(cond: string, r: HypercallRecord, ext: string, fn: string): boolean {
  return cond.split(',').some((c0) => {
    const c = c0.trim();
    if (c === 'failed') return r.error < 0;
    const [e, f] = c.split('.');
    const extOk = e.toLowerCase() === ext.toLowerCase() || (/^(0x[0-9a-f]+|\d+)$/i.test(e) && BigInt(e) === BigInt(r.eid));
    return extOk && (f === undefined || f === fn || f === String(r.fid));
  });
}

/** The arguments that place source files: `cwd` and `sourceMap` (checked shapes; anything else ignored). */
function sourcePathArgs(args: LaunchArguments | undefined): { cwd?: string; sourceMap?: Record<string, string> } {
  return {
    cwd: typeof args?.cwd === 'string' ? args.cwd : undefined,
    sourceMap: args?.sourceMap && typeof args.sourceMap === 'object' ? args.sourceMap : undefined,
  };
}

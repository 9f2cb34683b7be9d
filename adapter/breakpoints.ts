// The client's breakpoints as the adapter keeps them: each one bound to the addresses it stands for
// (a source line or function may have several: inlined copies, physical aliases), with its condition,
// hit condition, log message and mode. The engine only sees the union of addresses; when a hart stops
// at one, `decide` says whether the client hears of it.

import type { DebugProtocol } from '@vscode/debugprotocol';

/** Privilege modes a breakpoint can be limited to (DAP breakpoint modes). */
export const BREAKPOINT_MODES: DebugProtocol.BreakpointMode[] = [
  { mode: 'M', label: 'M-mode only', description: 'Stop only when the hart runs in machine mode (firmware)', appliesTo: ['source', 'instruction', 'data'] },
  { mode: 'S', label: 'S-mode only', description: 'Stop only when the hart runs in supervisor mode (the kernel)', appliesTo: ['source', 'instruction', 'data'] },
  { mode: 'U', label: 'U-mode only', description: 'Stop only when the hart runs in user mode', appliesTo: ['source', 'instruction', 'data'] },
];
const PRIV_OF_MODE: Record<string, number> = { U: 0, S: 1, M: 3 };

export interface LogicalBreakpoint {
  id: number;
  kind: 'source' | 'function' | 'instruction';
  addresses: bigint[];
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Privilege the hart must be in (0 U, 1 S, 3 M), or undefined for any. */
  priv?: number;
  hits: number;
}

/** Checks a hit condition's syntax: "N" (the Nth hit), "== N", ">= N", "> N", "< N", "<= N", "% N" (every Nth). */
export function parseHitCondition(text: string): { op: string; n: number } {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`hit condition '${text}': use a number or one of == >= > <= < % followed by a number`);
  return { op: m[1] ?? '==', n: Number(m[2]) };
}

/** Whether a breakpoint with this hit condition stops at its `hits`-th hit. */
export function hitConditionMet(text: string, hits: number): boolean {
  const { op, n } = parseHitCondition(text);
  switch (op) {
    case '==': return hits === n;
    case '>=': return hits >= n;
    case '>': return hits > n;
    case '<=': return hits <= n;
    case '<': return hits < n;
    default: return n > 0 && hits % n === 0;
  }
}

export function modeToPriv(mode: string | undefined): number | undefined {
  if (mode === undefined) return undefined;
  const p = Object.hasOwn(PRIV_OF_MODE, mode) ? PRIV_OF_MODE[mode] : undefined;
  if (p === undefined) throw new Error(`unknown breakpoint mode '${mode}' (M, S or U)`);
  return p;
}

export class BreakpointTable {
  private nextId = 1;
  private readonly bySource = new Map<string, LogicalBreakpoint[]>();
  private functions: LogicalBreakpoint[] = [];
  private instructions: LogicalBreakpoint[] = [];
  /** Temporary stops of stepping (run to a return address). */
  readonly temporary = new Set<bigint>();

  create(kind: LogicalBreakpoint['kind'], addresses: bigint[], opts: { condition?: string; hitCondition?: string; logMessage?: string; priv?: number }): LogicalBreakpoint {
    return { id: this.nextId++, kind, addresses, hits: 0, ...opts };
  }

  setSource(path: string, bps: LogicalBreakpoint[]): void {
    if (bps.length === 0) this.bySource.delete(path);
    else this.bySource.set(path, bps);
  }

  setFunctions(bps: LogicalBreakpoint[]): void {
    this.functions = bps;
  }

  setInstructions(bps: LogicalBreakpoint[]): void {
    this.instructions = bps;
  }

  all(): LogicalBreakpoint[] {
    return [...[...this.bySource.values()].flat(), ...this.functions, ...this.instructions];
  }

  /** Every address the engine must stop at (breakpoints and temporary stops). */
  addresses(): bigint[] {
    const set = new Set<bigint>(this.temporary);
    for (const bp of this.all()) for (const a of bp.addresses) set.add(a);
    return [...set];
  }

  at(pc: bigint): LogicalBreakpoint[] {
    return this.all().filter((bp) => bp.addresses.includes(pc));
  }

  /**
   * A hart stopped at pc: which breakpoints stop there, and the log lines of logpoints. `evaluate`
   * answers a condition (true / false), throwing for an error (which stops, as GDB does, so the user
   * sees the bad condition); `interpolate` expands a log message's {expressions}.
   */
  decide(pc: bigint, priv: number, evaluate: (expr: string) => boolean, interpolate: (msg: string) => string): { stop: LogicalBreakpoint[]; logs: string[]; errors: string[] } {
    const stop: LogicalBreakpoint[] = [];
    const logs: string[] = [];
    const errors: string[] = [];
    for (const bp of this.at(pc)) {
      if (bp.priv !== undefined && bp.priv !== priv) continue;
      if (bp.condition) {
        let ok: boolean;
        try {
          ok = evaluate(bp.condition);
        } catch (e) {
          errors.push(`breakpoint condition '${bp.condition}': ${(e as Error).message}`);
          stop.push(bp);
          continue;
        }
        if (!ok) continue;
      }
      bp.hits++;
      if (bp.hitCondition && !hitConditionMet(bp.hitCondition, bp.hits)) continue;
      if (bp.logMessage !== undefined) logs.push(interpolate(bp.logMessage));
      else stop.push(bp);
    }
    return { stop, logs, errors };
  }
}

// A small test harness that runs inside a VS Code extension host (code-server's or Electron's), where
// the `vscode` API exists. Test files (`*.host.ts` beside this one) register tests with `test()`;
// scripts/build-host-tests.mjs bundles them with this runner into one CommonJS file whose `run()` VS Code
// calls as the `extensionTestsPath` module. The report goes, as JSON, to the file named by the
// environment variable RVISOR_HOST_TEST_REPORT (HostTestReport below); RVISOR_HOST_TEST_FILTER (a
// regular expression) selects tests by name. `run()` rejects when a test failed, as VS Code expects.
//
// This file imports nothing from `vscode`, so it can run (and be tested) in plain Node too.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';

export interface HostTestContext {
  readonly name: string;
  /** Ends the test as skipped, with the reason in the report. */
  skip(reason: string): never;
  /** A line in the report's `log` for this test (and on the extension host's console). */
  log(message: string): void;
  /**
   * Polls `check` every `intervalMs` until it returns a truthy value, and returns it; rejects with
   * "timed out after N ms waiting for <what>" (and the last error `check` threw, if any).
   */
  waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs?: number, intervalMs?: number): Promise<NonNullable<T>>;
}

export interface HostTestOptions {
  /** Default 30 s. A test still running then fails (its promise is abandoned, not cancelled). */
  timeoutMs?: number;
  /** Skip the test with this reason. */
  skip?: string;
}

export interface HostTestResult {
  name: string;
  /** False only for a failure; a skipped test is ok, with `skipped` set to the reason. */
  ok: boolean;
  skipped?: string;
  error?: string;
  durationMs: number;
  log?: string[];
}

export interface HostTestReport {
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  /** `vscode.version` as the tests saw it, when a test recorded it (see rvisor.host.ts). */
  host?: string;
  results: HostTestResult[];
}

interface Registered { name: string; fn: (t: HostTestContext) => unknown; opts: HostTestOptions }
const registry: Registered[] = [];

export function test(name: string, fn: (t: HostTestContext) => unknown, opts: HostTestOptions = {}): void {
  if (registry.some((r) => r.name === name)) throw new Error(`host test registered twice: ${name}`);
  registry.push({ name, fn, opts });
}

class Skip extends Error {
  constructor(readonly reason: string) { super(`skipped: ${reason}`); }
}

const info: { host?: string } = {};
/** Records what the tests run in (shown in the report). */
export function setHostInfo(host: string): void { info.host = host; }

async function runOne(r: Registered): Promise<HostTestResult> {
  const start = Date.now();
  const log: string[] = [];
  const result = (extra: Partial<HostTestResult>): HostTestResult =>
    ({ name: r.name, ok: true, durationMs: Date.now() - start, ...(log.length ? { log } : {}), ...extra });
  if (r.opts.skip) return result({ skipped: r.opts.skip });
  const ctx: HostTestContext = {
    name: r.name,
    skip(reason) { throw new Skip(reason); },
    log(message) { log.push(message); console.log(`[host test] ${r.name}: ${message}`); },
    async waitFor(what, check, timeoutMs = 10_000, intervalMs = 100) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        try {
          const v = await check();
          if (v) return v as NonNullable<typeof v>;
        } catch (e) { last = e; }
        if (Date.now() >= deadline) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
        }
        await new Promise((res) => setTimeout(res, intervalMs));
      }
    },
  };
  const timeoutMs = r.opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => r.fn(ctx)),
      new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`test timed out after ${timeoutMs} ms`)), timeoutMs); }),
    ]);
    return result({});
  } catch (e) {
    if (e instanceof Skip) return result({ skipped: e.reason });
    return result({ ok: false, error: e instanceof Error ? mapStack(e.stack ?? e.message) : String(e) });
  } finally {
    clearTimeout(timer);
  }
}

let sourceMap: SourceMap | null | undefined;
/**
 * `stack` with the bundle's positions replaced by the .ts ones, from the bundle's inline source map
 * (VS Code's extension host has its own Error.prepareStackTrace, so Node's --enable-source-maps would not).
 */
function mapStack(stack: string): string {
  const bundle = __filename;
  if (sourceMap === undefined) {
    sourceMap = null;
    try {
      const m = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(readFileSync(bundle, 'utf8'));
      if (m) sourceMap = new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')));
    } catch { /* leave the stack as it is */ }
  }
  const map = sourceMap;
  if (!map) return stack;
  const at = new RegExp(`${bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`, 'g');
  return stack.replace(at, (all, line: string, column: string) => {
    const e = map.findEntry(Number(line) - 1, Number(column) - 1);
    return 'originalSource' in e && e.originalSource
      ? `${resolve(dirname(bundle), e.originalSource)}:${e.originalLine + 1}:${e.originalColumn + 1}` : all;
  });
}

function writeReport(path: string, report: HostTestReport): void {
  mkdirSync(dirname(path), { recursive: true });
  // Written whole, then renamed: whoever polls for the file never reads half of it.
  writeFileSync(`${path}.tmp`, JSON.stringify(report, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** Runs every registered test in order; VS Code calls this as the extensionTestsPath module's `run`. */
export async function run(): Promise<void> {
  const start = Date.now();
  const filter = process.env.RVISOR_HOST_TEST_FILTER ? new RegExp(process.env.RVISOR_HOST_TEST_FILTER) : undefined;
  const results: HostTestResult[] = [];
  for (const r of registry) {
    if (filter && !filter.test(r.name)) continue;
    const res = await runOne(r);
    results.push(res);
    console.log(`[host test] ${res.ok ? (res.skipped ? 'SKIP' : 'PASS') : 'FAIL'} ${res.name}` +
      (res.skipped ? ` (${res.skipped})` : '') + (res.error ? `\n${res.error}` : ''));
  }
  const report: HostTestReport = {
    passed: results.filter((r) => r.ok && !r.skipped).length,
    failed: results.filter((r) => !r.ok).length,
    skipped: results.filter((r) => r.skipped).length,
    durationMs: Date.now() - start,
    ...info,
    results,
  };
  const out = process.env.RVISOR_HOST_TEST_REPORT;
  if (out) writeReport(out, report);
  console.log(`[host test] ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  if (report.failed) throw new Error(`${report.failed} host test(s) failed: ${results.filter((r) => !r.ok).map((r) => r.name).join(', ')}`);
}

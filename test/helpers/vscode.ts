// Drives real VS Code in tests: code-server (VS Code served over HTTP, installed by
// scripts/install-code-server.sh) in Debian's headless Chromium through playwright-core. See
// docs/testing.md. A test opens a Workbench, which owns one code-server process, one browser and a
// temporary profile (user data, extensions); everything is torn down when the test ends, whatever
// happened. Every wait has a timeout whose error says what was awaited; a failing driver call saves a
// screenshot (artifacts/e2e/<test>/NN-FAILED-<call>.png) and names it in the error.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { HostTestReport } from '../extension/host/runner.ts';
import { ROOT, freePort } from './cli.ts';

export type { HostTestReport };

export const CHROMIUM = process.env.RVISOR_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const INSTALL_SCRIPT = join(ROOT, 'scripts', 'install-code-server.sh');

/** What a test needs from node:test's context. */
export interface TestContextLike {
  readonly name: string;
  readonly signal: AbortSignal;
  after(fn: () => unknown): void;
  diagnostic(message: string): void;
}

let found: string | { skip: string } | undefined;
/**
 * The code-server binary, or why end-to-end tests must skip (code-server not installed, no Chromium).
 * Use as `test(name, { skip: skipReason() }, …)` or check `typeof r === 'string'`.
 */
export function codeServerOrSkip(): string | { skip: string } {
  if (found) return found;
  const r = spawnSync(INSTALL_SCRIPT, ['--print-dir'], { encoding: 'utf8' });
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  const bin = join(dir, 'node_modules', '.bin', 'code-server');
  if (r.status !== 0 || !existsSync(bin)) {
    found = { skip: `code-server is not installed in ${dir || '(unknown)'} (scripts/install-code-server.sh installs it)` };
  } else if (!existsSync(CHROMIUM)) {
    found = { skip: `no Chromium at ${CHROMIUM} (apt-get install chromium, or set RVISOR_CHROMIUM)` };
  } else {
    found = bin;
  }
  return found;
}

/** The reason end-to-end tests skip here, or false when they can run: node:test's `skip` option. */
export function skipReason(): string | false {
  const r = codeServerOrSkip();
  return typeof r === 'string' ? false : r.skip;
}

/**
 * Bundles the in-host test suite (test/extension/host/*.host.ts with its runner) into `outFile` for an
 * extensionTestsPath; returns the bundled test files (scripts/build-host-tests.mjs).
 */
export async function buildHostTests(outFile: string): Promise<{ outFile: string; files: string[] }> {
  const mod = (await import(pathToFileURL(join(ROOT, 'scripts', 'build-host-tests.mjs')).href)) as {
    buildHostTests(out: string): Promise<{ outFile: string; files: string[] }>;
  };
  return mod.buildHostTests(outFile);
}

/** A packaged extension (.vsix) of the extension in `dir`, written to `outFile` with vsce. */
export function packageVsix(dir: string, outFile: string): string {
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', resolve(outFile)],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  if (r.status !== 0 || !existsSync(outFile)) throw new Error(`vsce package failed in ${dir} (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return outFile;
}

export interface WorkbenchOptions {
  /** The folder to open (absolute path). */
  workspace: string;
  /** Packaged extensions to install (code-server --install-extension) into the fresh extensions dir. */
  vsix?: string | string[];
  /** An extension loaded from source (extensionDevelopmentPath), e.g. the repository root. */
  devPath?: string;
  /** extensionTestsPath: the extension host runs this module's run() instead of a normal session. */
  testsPath?: string;
  /** Extra environment for code-server, and so for the extension host and what it spawns. */
  env?: Record<string, string>;
  /** User settings, merged over the driver's defaults (no welcome page, DOM terminal renderer, …). */
  settings?: Record<string, unknown>;
  /**
   * Workspace trust: false (default) turns it off (--disable-workspace-trust and the setting);
   * true leaves it on as a user has it: the folder opens in restricted mode with the trust dialog.
   */
  workspaceTrust?: boolean;
  /** Default 1600 × 1000. */
  viewport?: { width: number; height: number };
  /** How long code-server, the page and the extension host may take to be ready (default 60 s). */
  timeoutMs?: number;
}

export interface CallStackRow {
  kind: 'session' | 'thread' | 'frame' | 'other';
  name: string;
  /** Frames: the source's file name and position, as the row shows them. */
  file?: string;
  line?: number;
  column?: number;
  /** Sessions and threads: "Paused on entry", "Running"… */
  state?: string;
  level: number;
}

export interface TreeRow {
  label: string;
  description: string;
  /** 1 for top-level rows. */
  level: number;
  /** undefined for leaves. */
  expanded?: boolean;
  /** The row's inline actions, by title. */
  actions: string[];
  /** The row's accessible label (label, description, and whatever the view adds). */
  aria: string;
}

export interface Variable { name: string; value: string }

const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // xterm's DOM renderer: the terminal's visible rows are text in the page (terminalText)
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.enablePersistentSessions': false,
  'terminal.integrated.showExitAlert': false,
  // the debug toolbar floats over the editor, where waitForDebugToolbar looks for it
  'debug.toolBarLocation': 'floating',
  'editor.hover.delay': 300,
};

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// Page-side globals used in page.evaluate callbacks (the project's tsconfig has no DOM library).
declare const document: { activeElement: { blur?(): void } | null };
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
interface SelectElement { options: ArrayLike<{ text: string }>; selectedOptions: ArrayLike<{ text: string }> }
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

// Page-side readers for evaluateAll. VS Code's lists are virtual: a row's DOM position is not its
// place in the list, `data-index` is. (Module-level arrows: tsx would wrap a named function declared
// inside a page function in a __name() call the page does not have.)
const readListRows = (els: PageElement[]): Array<TreeRow & { index: number }> => els.map((el) => {
  const expanded = el.getAttribute('aria-expanded');
  return {
    index: Number(el.getAttribute('data-index') ?? -1),
    label: (el.querySelector('.label-name')?.textContent ?? el.querySelector('.monaco-highlighted-label')?.textContent ?? '').trim(),
    description: (el.querySelector('.label-description')?.textContent ?? '').trim(),
    level: Number(el.getAttribute('aria-level') ?? 1),
    expanded: expanded === null ? undefined : expanded === 'true',
    actions: Array.from(el.querySelectorAll('.actions .action-label'), (a) => a.getAttribute('aria-label') ?? '').filter(Boolean),
    aria: el.getAttribute('aria-label') ?? '',
  };
}).sort((a, b) => a.index - b.index);

const readCallStackRows = (els: PageElement[]): Array<CallStackRow & { index: number }> => els.map((el) => {
  const index = Number(el.getAttribute('data-index') ?? -1);
  const level = Number(el.getAttribute('aria-level') ?? 1);
  const [label, file, pos, name, state] = ['.stack-frame .label', '.file-name', '.line-number', '.name', '.state .label']
    .map((sel) => (el.querySelector(sel)?.textContent ?? '').trim());
  if (el.querySelector('.stack-frame')) {
    const m = /^(\d+)(?::(\d+))?$/.exec(pos);
    return { index, kind: 'frame' as const, name: label, file: file || undefined,
      line: m ? Number(m[1]) : undefined, column: m?.[2] ? Number(m[2]) : undefined, level };
  }
  const kind = el.querySelector('.thread') ? 'thread' as const : el.querySelector('.session') ? 'session' as const : 'other' as const;
  return { index, kind, name: name || (el.textContent ?? '').trim(), state: state || undefined, level };
}).sort((a, b) => a.index - b.index);

const readVariableRows = (els: PageElement[]): Array<{ index: number; level: number; scope: string; name: string; value: string; expanded: string | null }> => els.map((e) => ({
  index: Number(e.getAttribute('data-index') ?? -1),
  level: Number(e.getAttribute('aria-level') ?? 1),
  scope: (e.querySelector('.scope')?.textContent ?? '').trim(),
  name: (e.querySelector('.expression .name')?.textContent ?? '').trim().replace(/\s*[=:]$/, ''),
  value: (e.querySelector('.expression .value')?.textContent ?? '').trim(),
  expanded: e.getAttribute('aria-expanded'),
})).sort((a, b) => a.index - b.index);

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));
/** `p`, or undefined once `ms` have passed (the timer does not keep the process alive). */
const within = <T>(p: Promise<T>, ms: number): Promise<T | undefined> =>
  new Promise((res) => { const timer = setTimeout(() => res(undefined), ms).unref(); void p.then((v) => { clearTimeout(timer); res(v); }, () => { clearTimeout(timer); res(undefined); }); });
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const show = (m: string | RegExp): string => (typeof m === 'string' ? JSON.stringify(m) : String(m));
const matches = (m: string | RegExp, s: string): boolean => (typeof m === 'string' ? s === m : m.test(s));
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'test';

/** An error that ends a waitUntil at once (other errors thrown by its check are retried). */
export class WaitAborted extends Error {}

/**
 * Polls `check` every `intervalMs` until it returns something other than undefined/false/null, and
 * returns that; otherwise throws "timed out after N ms waiting for <what>" with `detail()` appended.
 * A check that throws is retried (its last error is reported), unless it throws WaitAborted.
 */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number, opts: { intervalMs?: number; detail?: () => Promise<string> | string } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
      lastError = undefined;
    } catch (e) {
      if (e instanceof WaitAborted) throw new Error(`${e.message} (while waiting for ${what})`);
      lastError = e;
    }
    if (Date.now() >= deadline) {
      let detail = '';
      try { detail = opts.detail ? await opts.detail() : ''; } catch { /* the page may be gone */ }
      const last = lastError instanceof Error ? lastError.message.split('\n')[0] : lastError ? String(lastError) : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `; ${detail}` : ''}${last ? `; last error: ${last}` : ''}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

const shotCounters = new Map<string, number>();
const DRIVER_ERROR = Symbol('rvisor.e2e.reported');

export class Workbench {
  /** The workbench page: for what the helpers below do not cover. */
  readonly page: Page;
  /** Milliseconds from open(): code-server answering, page loaded, extension host ready. */
  readonly timings: { codeServer: number; page: number; ready: number } = { codeServer: 0, page: 0, ready: 0 };
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** The temporary directory holding the profile (user-data/, extensions/) and code-server.log. */
  readonly dir: string;
  private closed = false;
  private failed = false;
  private pendingShot: Promise<unknown> = Promise.resolve();
  private readonly consoleErrors: string[] = [];

  private constructor(
    private readonly t: TestContextLike,
    private readonly proc: ChildProcess,
    private readonly browser: Browser,
    page: Page,
    readonly port: number,
    dir: string,
  ) {
    this.page = page;
    this.url = `http://127.0.0.1:${port}`;
    this.dir = dir;
    page.on('pageerror', (e) => this.consoleErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') this.consoleErrors.push(m.text().slice(0, 500)); });
  }

  /**
   * Starts code-server with a fresh profile on a free port, opens `workspace` in headless Chromium and
   * waits until the workbench is rendered and the remote extension host has activated its startup
   * extensions (unless `testsPath` is given: then the host runs the tests instead, see runHostTests).
   * Everything is torn down when the test ends (t.after), or earlier by close().
   */
  static async open(t: TestContextLike, opts: WorkbenchOptions): Promise<Workbench> {
    const bin = codeServerOrSkip();
    if (typeof bin !== 'string') throw new Error(`cannot open VS Code: ${bin.skip}`);
    if (!existsSync(opts.workspace)) throw new Error(`workspace ${opts.workspace} does not exist`);
    const t0 = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'rvisor-e2e-'));
    const userData = join(dir, 'user-data');
    const extensions = join(dir, 'extensions');
    mkdirSync(join(userData, 'User'), { recursive: true });
    mkdirSync(extensions);
    const trust = opts.workspaceTrust ?? false;
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
      ...DEFAULT_SETTINGS, 'security.workspace.trust.enabled': trust, ...opts.settings }, null, 2));
    const config = join(dir, 'config.yaml');
    // Without --config, code-server writes a password into ~/.config/code-server.
    const writeConfig = (port: number): void => writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    writeConfig(0);
    const profile = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
    // A VS Code terminal's VSCODE_IPC_HOOK_CLI would turn code-server into a client of that VS Code.
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env)
      .filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE' && k !== 'NODE_OPTIONS'));
    Object.assign(env, opts.env);
    const keep = !!process.env.RVISOR_E2E_KEEP;

    for (const vsix of [opts.vsix ?? []].flat()) {
      const r = spawnSync(bin, [...profile, '--install-extension', resolve(vsix)], { env, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0 || !/successfully installed/.test(r.stdout + r.stderr)) {
        throw new Error(`code-server --install-extension ${vsix} failed (status ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
      }
    }

    const log = join(dir, 'code-server.log');
    const args = [...profile, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
      '--ignore-last-opened', ...(trust ? [] : ['--disable-workspace-trust']), opts.workspace];
    // Its own process group: close() ends code-server, its extension hosts and whatever they spawned.
    const server: { proc?: ChildProcess; exited?: string; port: number } = { port: 0 };
    const start = async (): Promise<void> => {
      server.port = await freePort();
      writeConfig(server.port);
      const logFd = openSync(log, 'w');
      const proc = spawn(bin, args, { env, detached: true, stdio: ['ignore', logFd, logFd] });
      closeSync(logFd);
      server.proc = proc;
      server.exited = undefined;
      proc.on('exit', (code, signal) => { if (server.proc === proc) server.exited = `code-server exited (${code ?? signal})`; });
    };
    const killGroup = (): void => { try { if (server.proc?.pid) process.kill(-server.proc.pid, 'SIGKILL'); } catch { /* gone */ } };
    process.once('exit', killGroup);

    let browser: Browser | undefined;
    let wb: Workbench | undefined;
    let removed = false;
    const cleanup = async (): Promise<void> => {
      if (removed) return;
      removed = true;
      await wb?.close();
      if (!wb) {
        await browser?.close().catch(() => {});
        if (server.proc) await stopProcessGroup(server.proc);
      }
      process.removeListener('exit', killGroup);
      if (keep) t.diagnostic(`RVISOR_E2E_KEEP: VS Code profile and logs kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    };
    t.after(cleanup);
    const logTail = (): string => `code-server log (${log}):\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`;
    try {
      const timeout = opts.timeoutMs ?? 60_000;
      for (let attempt = 1; ; attempt++) {
        await start();
        const up = await waitUntil('code-server to answer /healthz', async () => {
          if (server.exited) {
            // The free port was taken before code-server bound it: another one.
            if (attempt < 3 && /EADDRINUSE/.test(readFileSync(log, 'utf8'))) return 'port taken';
            throw new WaitAborted(`${server.exited}\n${logTail()}`);
          }
          try { return (await fetch(`http://127.0.0.1:${server.port}/healthz`)).ok && 'up'; } catch { return false; }
        }, timeout, { detail: () => server.exited ?? logTail() });
        if (up === 'up') break;
      }
      const proc = server.proc!;
      const port = server.port;
      const tServer = Date.now() - t0;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1600, height: 1000 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${port}` });
      const page = await context.newPage();
      wb = new Workbench(t, proc, browser, page, port, dir);
      wb.timings.codeServer = tServer;
      wb.artifactDir();
      // node:test aborts the signal when the test ends: before the after hooks on a timeout or
      // cancellation (a failure picture is then still possible), after them otherwise (nothing to do).
      t.signal.addEventListener('abort', () => { if (wb) wb.pendingShot = wb.failureShot('timeout-or-cancel'); }, { once: true });

      let url = `${wb.url}/?folder=${encodeURIComponent(opts.workspace)}`;
      const payload: Array<[string, string]> = [];
      const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${resolve(p)}`;
      if (opts.devPath) payload.push(['extensionDevelopmentPath', remote(opts.devPath)]);
      if (opts.testsPath) payload.push(['extensionTestsPath', remote(opts.testsPath)]);
      // The web workbench reads development/test paths from `payload` (as @vscode/test-web does).
      if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      await wb.action('open', async () => {
        await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
        await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
        wb!.timings.page = Date.now() - t0;
        if (opts.testsPath) return;
        // The remote extension host logs this once the startup ('*') extensions are activated.
        await waitUntil('the remote extension host to start ("Eager extensions activated" in its log)',
          () => { if (server.exited) throw new WaitAborted(`${server.exited}\n${logTail()}`); return wb!.extensionHostLog().includes('Eager extensions activated'); },
          timeout, { intervalMs: 200, detail: () => server.exited ?? logTail() });
        wb!.timings.ready = Date.now() - t0;
      });
      return wb;
    } catch (e) {
      await cleanup();
      throw e;
    }
  }

  /**
   * Runs an extension test module (extensionTestsPath, e.g. from buildHostTests) in a fresh code-server
   * extension host, with `devPath` as the extension under development, and returns its report
   * (test/extension/host/runner.ts). Rejects if no report is written (the host failed to load it, or
   * timed out); a report with failures is returned, not thrown.
   */
  static async runHostTests(t: TestContextLike, opts: { devPath: string; testsPath: string; workspace?: string;
    env?: Record<string, string>; settings?: Record<string, unknown>; timeoutMs?: number }): Promise<HostTestReport> {
    const scratch = mkdtempSync(join(tmpdir(), 'rvisor-host-tests-'));
    t.after(() => rmSync(scratch, { recursive: true, force: true }));
    const report = join(scratch, 'report.json');
    const workspace = opts.workspace ?? join(scratch, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const wb = await Workbench.open(t, { workspace, devPath: opts.devPath, testsPath: opts.testsPath, settings: opts.settings,
      env: { ...opts.env, RVISOR_HOST_TEST_REPORT: report } });
    try {
      return await wb.action('runHostTests', async () => {
        await waitUntil(`the in-host test report ${report}`, () => {
          if (existsSync(report)) return true;
          const exit = /Extension host with pid \d+ exiting with code (\d+)/.exec(wb.extensionHostLog());
          if (exit) throw new WaitAborted(`the extension host exited (code ${exit[1]}) without writing a report; ${wb.diagnosis()}`);
          return false;
        }, opts.timeoutMs ?? 120_000, { intervalMs: 200, detail: () => wb.diagnosis() });
        return JSON.parse(readFileSync(report, 'utf8')) as HostTestReport;
      });
    } finally {
      await wb.close();
    }
  }

  /** Ends the browser and code-server (its whole process group). Called by t.after; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    await within(this.pendingShot, 15_000);
    if (this.failed) this.saveLogs();
    this.closed = true;
    await within(this.browser.close(), 10_000);
    await stopProcessGroup(this.proc);
  }

  // --- diagnostics ----------------------------------------------------------------------------------

  /** The remote extension host's log (all hosts this workbench started, oldest first). */
  extensionHostLog(): string {
    const logs = join(this.dir, 'user-data', 'logs');
    if (!existsSync(logs)) return '';
    return readdirSync(logs).sort().flatMap((session) => {
      const d = join(logs, session);
      return existsSync(d) ? readdirSync(d).filter((n) => /^exthost\d+$/.test(n)).sort().map((n) => join(d, n, 'remoteexthost.log')) : [];
    }).filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
  }

  /** The extension host log's errors and last lines, and the page's console errors: for failure messages. */
  diagnosis(): string {
    const lines = this.extensionHostLog().split('\n').filter((l) => !/^\s+(at |file:\/\/)/.test(l));
    const notable = lines.filter((l) => /\[(error|warning)\]/.test(l)).slice(-10);
    return `extension host log (errors, then the last lines):\n${[...notable, '…', ...lines.slice(-5)].join('\n')}\n` +
      `page console errors:\n${this.consoleErrors.slice(-10).join('\n') || '(none)'}`;
  }

  /** Errors the page logged to its console so far. */
  pageErrors(): string[] { return [...this.consoleErrors]; }

  /** artifacts/e2e/<test name>/, emptied when the process first opens a workbench for that test. */
  private artifactDir(): string {
    const dir = join(ARTIFACTS, slug(this.t.name));
    if (!shotCounters.has(dir)) {
      rmSync(dir, { recursive: true, force: true }); // this run's pictures and logs only
      shotCounters.set(dir, 0);
    }
    return dir;
  }

  /** Saves a PNG of the page as artifacts/e2e/<test name>/<nn>-<step>.png and returns its path. */
  async screenshot(step: string): Promise<string> {
    const dir = this.artifactDir();
    const n = (shotCounters.get(dir) ?? 0) + 1;
    shotCounters.set(dir, n);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${String(n).padStart(2, '0')}-${slug(step)}.png`);
    await this.page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }

  private async failureShot(what: string): Promise<string> {
    this.failed = true;
    if (this.closed) return '';
    try { return await this.screenshot(`FAILED-${what}`); } catch { return ''; }
  }

  /** Copies code-server's and the workbench's logs next to the screenshots (after a failure). */
  private saveLogs(): void {
    try {
      const out = join(this.artifactDir(), 'logs');
      mkdirSync(out, { recursive: true });
      cpSync(join(this.dir, 'code-server.log'), join(out, 'code-server.log'));
      if (existsSync(join(this.dir, 'user-data', 'logs'))) cpSync(join(this.dir, 'user-data', 'logs'), join(out, 'vscode'), { recursive: true });
      writeFileSync(join(out, 'page-errors.txt'), this.consoleErrors.join('\n') + '\n');
    } catch { /* best effort */ }
  }

  /**
   * Runs a driver step; when it throws, saves a screenshot (once per error) and names it in the error.
   * Also for a test's own steps: `await wb.step('boot', async () => { … })` screenshots a failure too.
   */
  async action<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const tagged = err as Error & { [DRIVER_ERROR]?: boolean };
      if (!tagged[DRIVER_ERROR]) {
        tagged[DRIVER_ERROR] = true;
        const shot = await this.failureShot(what);
        err.message = `${what}: ${err.message}${shot ? `\n  screenshot: ${shot}` : ''}`;
      }
      throw err;
    }
  }

  /** A named step of a test: a screenshot after it (NN-<name>.png), or NN-FAILED-<name>.png if it throws. */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const r = await this.action(name, fn);
    await this.screenshot(name);
    return r;
  }

  // --- the command palette and quick input ----------------------------------------------------------

  private quickInput(): Locator { return this.page.locator('.quick-input-widget .quick-input-box input'); }

  /** Opens the quick input (F1) with `value` typed: '>' + text for commands, 'term ' for terminals, a path for files. */
  private async openQuickInput(value: string): Promise<void> {
    const input = this.quickInput();
    for (let attempt = 0; ; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 2_000 });
        // The palette can close again at once (focus taken back by the element that had it, such as
        // the Run view's configuration dropdown): then open it again rather than wait on a hidden input.
        await input.fill(value, { timeout: 2_000 });
        return;
      } catch (e) {
        const dialog = this.page.locator('.monaco-dialog-box');
        if (await dialog.isVisible()) {
          throw new Error(`a modal dialog holds the workbench (answer it with answerDialog): ${JSON.stringify(await dialog.innerText())}`);
        }
        if (attempt >= 4) throw new Error(`the quick input did not open on F1 (${(e as Error).message.split('\n')[0]})`);
        // Something holds the keyboard (a menu, a hover, an input): dismiss it and retry.
        await this.page.keyboard.press('Escape');
        await this.page.evaluate(() => document.activeElement?.blur?.());
      }
    }
  }

  private async closeQuickInput(): Promise<void> {
    if (await this.quickInput().isVisible()) await this.page.keyboard.press('Escape');
  }

  private async quickInputRows(): Promise<Array<{ index: number; label: string; description: string }>> {
    return (await this.page.locator('.quick-input-list .monaco-list-row').evaluateAll(readListRows))
      .map(({ index, label, description }) => ({ index, label, description }));
  }

  /**
   * Types `value` into the quick input and clicks the first row `pick` accepts; retries (reopening the
   * input) until one is offered or `timeoutMs` passes. The error lists what was offered instead.
   */
  private async quickPick(what: string, value: string, pick: (row: { label: string; description: string }) => boolean,
    timeoutMs: number): Promise<void> {
    let offered: string[] = [];
    await waitUntil(what, async () => {
      await this.openQuickInput(value);
      const perTry = Date.now() + 1_500;
      for (;;) {
        const rows = await this.quickInputRows();
        const row = rows.find(pick);
        if (row) {
          const el = this.page.locator(`.quick-input-list .monaco-list-row[data-index="${row.index}"]`);
          // Results may still be arriving: click the row only if it still shows what was picked.
          const now = (await el.evaluateAll(readListRows))[0];
          if (now && now.label === row.label && now.description === row.description) {
            await el.click({ timeout: 5_000 });
            return true;
          }
        }
        offered = rows.map((r) => r.label + (r.description ? ` (${r.description})` : ''));
        if (Date.now() > perTry) break;
        await sleep(100);
      }
      await this.closeQuickInput();
      await sleep(400);
      return false;
    }, timeoutMs, { detail: () => `typed ${JSON.stringify(value)}, offered: ${JSON.stringify(offered.slice(0, 10))}` });
  }

  /**
   * Runs a command through the command palette, by its label exactly as the palette shows it
   * ("Debug: Start Debugging" — a substring would also pick "Debug: Select and Start Debugging").
   * Retries until the command is offered: commands whose precondition is not met yet (debuggers not
   * registered, an extension still loading) are missing from the palette, and a key press for them is
   * silently dropped. A RegExp label needs `query`, the text typed to filter.
   */
  async runCommand(label: string | RegExp, opts: { query?: string; timeoutMs?: number } = {}): Promise<void> {
    const query = opts.query ?? (typeof label === 'string' ? label : undefined);
    if (query === undefined) throw new Error(`runCommand(${label}): a RegExp label needs opts.query`);
    await this.action(`runCommand ${typeof label === 'string' ? label : query}`, () =>
      this.quickPick(`the command ${show(label)} in the command palette`, `>${query}`, (r) => matches(label, r.label), opts.timeoutMs ?? 30_000));
  }

  // --- views ------------------------------------------------------------------------------------------

  /** The pane (a view in a side bar or the panel) whose header title is `title`. */
  private pane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane, .part.auxiliarybar .pane, .part.panel .pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRe(title)}$`, 'i') }) });
  }

  /**
   * Makes the view titled `title` visible and expanded: runs its "Focus on <title> View" command when it
   * is not on screen (that opens its container: Explorer, Run and Debug, …), then expands its pane.
   */
  async showView(title: string, timeoutMs = 30_000): Promise<Locator> {
    return this.action(`showView ${title}`, async () => {
      const pane = this.pane(title).first();
      if (!(await pane.isVisible())) {
        await this.runCommand(new RegExp(`^(.+: )?Focus on ${escapeRe(title)} View$`, 'i'), { query: `Focus on ${title} View`, timeoutMs });
        await pane.waitFor({ state: 'visible', timeout: timeoutMs });
      }
      const header = pane.locator('.pane-header').first();
      await waitUntil(`the ${title} view to expand`, async () => {
        if ((await header.getAttribute('aria-expanded')) === 'true') return true;
        await header.click();
        await sleep(200);
        return false;
      }, 10_000);
      return pane;
    });
  }

  /**
   * The rows of the tree view titled `title` (a contributed view such as "Hypercalls", or "Outline"),
   * once it shows at least `minRows` of them. Only rows on screen exist in the page (the list is virtual).
   */
  async treeRows(title: string, opts: { minRows?: number; timeoutMs?: number } = {}): Promise<TreeRow[]> {
    return this.action(`treeRows ${title}`, async () => {
      const pane = await this.showView(title, opts.timeoutMs);
      const min = opts.minRows ?? 1;
      return waitUntil(`${min} row(s) in the ${title} view`, async () => {
        const r = await this.rowsOf(pane);
        return r.length >= min ? r.map(({ index: _, ...row }) => row) : undefined;
      }, opts.timeoutMs ?? 30_000, { detail: async () => `the view shows: ${JSON.stringify((await pane.innerText()).slice(0, 300))}` });
    });
  }

  /** Waits until the view `title` has a row whose label matches, and returns it. */
  async waitForTreeRow(title: string, label: string | RegExp, opts: { description?: string | RegExp; timeoutMs?: number } = {}): Promise<TreeRow> {
    return this.action(`waitForTreeRow ${title} ${show(label)}`, async () => {
      const pane = await this.showView(title, opts.timeoutMs);
      let seen: TreeRow[] = [];
      const want = (r: TreeRow): boolean => matches(label, r.label) && (opts.description === undefined || matches(opts.description, r.description));
      return waitUntil(`a row ${show(label)}${opts.description !== undefined ? ` (description ${show(opts.description)})` : ''} in the ${title} view`, async () => {
        seen = await this.rowsOf(pane);
        const found = seen.find(want);
        return found && (({ index: _, ...row }) => row)(found as TreeRow & { index: number });
      }, opts.timeoutMs ?? 30_000, { detail: () => `rows: ${JSON.stringify(seen.map((r) => `${r.label} ${r.description}`.trim()))}` });
    });
  }

  private async rowsOf(pane: Locator): Promise<Array<TreeRow & { index: number }>> {
    return pane.locator('.pane-body .monaco-list-row').evaluateAll(readListRows);
  }

  /** The row element of the view `title` whose label matches (waiting for it). */
  private async rowLocator(title: string, label: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    await this.waitForTreeRow(title, label, { timeoutMs });
    const pane = this.pane(title).first();
    const row = (await this.rowsOf(pane)).find((r) => matches(label, r.label));
    if (!row) throw new Error(`the row ${show(label)} left the ${title} view`);
    return pane.locator(`.pane-body .monaco-list-row[data-index="${row.index}"]`);
  }

  /** Clicks a row of the view `title` (right: opens its context menu; double: a double click). */
  async clickTreeRow(title: string, label: string | RegExp, opts: { button?: 'left' | 'right'; double?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.action(`clickTreeRow ${title} ${show(label)}`, async () => {
      const row = await this.rowLocator(title, label, opts.timeoutMs);
      if (opts.double) await row.dblclick();
      else await row.click({ button: opts.button ?? 'left' });
    });
  }

  /** Expands (or collapses) a row of the view `title` and waits until it is. */
  async expandTreeRow(title: string, label: string | RegExp, expand = true, timeoutMs = 30_000): Promise<void> {
    await this.action(`expandTreeRow ${title} ${show(label)}`, async () => {
      await waitUntil(`the row ${show(label)} of ${title} to be ${expand ? 'expanded' : 'collapsed'}`, async () => {
        const row = await this.rowLocator(title, label, timeoutMs);
        const state = await row.getAttribute('aria-expanded');
        if (state === null) throw new Error(`the row ${show(label)} is not expandable`);
        if ((state === 'true') === expand) return true;
        await row.locator('.monaco-tl-twistie').click();
        await sleep(200);
        return false;
      }, timeoutMs);
    });
  }

  /** Clicks the inline action (the icon shown on hover) titled `action` on a row of the view `title`. */
  async treeItemAction(title: string, label: string | RegExp, action: string, timeoutMs = 30_000): Promise<void> {
    await this.action(`treeItemAction ${title} ${show(label)} ${action}`, async () => {
      const row = await this.rowLocator(title, label, timeoutMs);
      await row.hover();
      const buttons = row.locator('.actions .action-label');
      const offered = await buttons.evaluateAll((as) => as.map((a) => a.getAttribute('aria-label') ?? ''));
      // The title, or the title and its keybinding: "Greet (Ctrl+G)"
      const i = offered.findIndex((a) => a === action || a.startsWith(`${action} (`));
      if (i < 0) throw new Error(`no inline action ${JSON.stringify(action)} on the row ${show(label)} (it has ${JSON.stringify(offered)})`);
      await buttons.nth(i).click({ timeout: 10_000 });
    });
  }

  /** Right-clicks a row of the view `title` and runs the context menu item `item`. */
  async treeItemContextMenu(title: string, label: string | RegExp, item: string, timeoutMs = 30_000): Promise<void> {
    await this.action(`treeItemContextMenu ${title} ${show(label)} ${item}`, async () => {
      const row = await this.rowLocator(title, label, timeoutMs);
      await row.click({ button: 'right' });
      await this.clickMenuItem(item);
    });
  }

  /** Clicks the item `item` of the context menu that is open. */
  async clickMenuItem(item: string, timeoutMs = 10_000): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    const items = menu.locator('.action-item');
    let offered: string[] = [];
    // A menu ignores a click that comes right after it opened: click until it closes.
    await waitUntil(`the menu item ${JSON.stringify(item)} to be clicked`, async () => {
      if (offered.length && !(await menu.isVisible())) return true;
      offered = await items.evaluateAll((els) => els.map((e) => (e.querySelector('.action-label')?.textContent ?? '').trim()));
      const k = offered.indexOf(item);
      if (k < 0) return false;
      await items.nth(k).click({ timeout: 2_000 });
      await menu.waitFor({ state: 'hidden', timeout: 500 }).catch(() => {});
      return !(await menu.isVisible());
    }, timeoutMs, { intervalMs: 200, detail: () => `the menu offers ${JSON.stringify(offered.filter(Boolean))}` });
  }

  /** The labels of the Outline view's rows (the active editor's document symbols). */
  async outline(opts: { minRows?: number; timeoutMs?: number } = {}): Promise<TreeRow[]> {
    return this.treeRows('Outline', opts);
  }

  // --- debugging ---------------------------------------------------------------------------------------

  /**
   * Starts debugging: selects the launch configuration `configName` in the Run and Debug view's
   * dropdown when given, runs "Debug: Start Debugging" (retrying until the palette offers it, i.e. until
   * the debuggers are registered), and waits for the debug toolbar.
   */
  async startDebugging(configName?: string, timeoutMs = 30_000): Promise<void> {
    await this.action(`startDebugging ${configName ?? ''}`.trim(), async () => {
      if (configName !== undefined) {
        await this.runCommand('View: Show Run and Debug', { timeoutMs });
        const select = this.page.locator('.part.sidebar select.monaco-select-box').first();
        let options: string[] = [];
        const label = await waitUntil(`the launch configuration ${JSON.stringify(configName)} in the Run and Debug dropdown`, async () => {
          options = await select.evaluate((s) => Array.from((s as unknown as SelectElement).options, (o) => o.text));
          // In a multi-root workspace a configuration is shown as "name (folder)".
          return options.find((o) => o === configName) ?? options.find((o) => o.startsWith(`${configName} (`));
        }, timeoutMs, { detail: () => `it offers ${JSON.stringify(options)}` });
        await select.selectOption({ label });
        await waitUntil(`the dropdown to show ${JSON.stringify(label)}`,
          async () => (await select.evaluate((s) => (s as unknown as SelectElement).selectedOptions[0]?.text)) === label, 5_000);
        // Let go of the dropdown: while it has the focus it may take the palette's keys.
        await select.evaluate((s) => (s as unknown as { blur(): void }).blur());
      }
      await this.runCommand('Debug: Start Debugging', { timeoutMs });
      await this.page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: timeoutMs }).catch(async (e: Error) => {
        throw new Error(`no debug toolbar ${timeoutMs} ms after "Debug: Start Debugging" (${e.message.split('\n')[0]}); notifications: ${JSON.stringify(await this.notifications())}`);
      });
    });
  }

  /** Waits until the debug session ends (the debug toolbar goes away). */
  async waitForDebugEnd(timeoutMs = 30_000): Promise<void> {
    await this.action('waitForDebugEnd', () => this.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: timeoutMs }));
  }

  /** Clicks a debug toolbar button by its title: "Continue", "Pause", "Step Over", "Step Into", "Stop"… */
  async debugAction(title: string, timeoutMs = 10_000): Promise<void> {
    await this.action(`debugAction ${title}`, async () => {
      const buttons = this.page.locator('.debug-toolbar .action-label');
      let offered: string[] = [];
      const i = await waitUntil(`the debug toolbar button ${JSON.stringify(title)}`, async () => {
        offered = await buttons.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
        const k = offered.findIndex((a) => a === title || a.startsWith(`${title} (`));
        return k >= 0 ? k : undefined;
      }, timeoutMs, { detail: () => `the toolbar has ${JSON.stringify(offered)}` });
      await buttons.nth(i).click();
    });
  }

  /** The state labels in the CALL STACK view ("Paused on entry", "Running", …): header and thread/session rows. */
  private async debugStates(): Promise<string[]> {
    return this.page.locator('.call-stack-state-message .label, .debug-call-stack .monaco-list-row .state .label')
      .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()).filter(Boolean));
  }

  /**
   * Waits until the CALL STACK shows a paused state ("Paused on entry", "Paused on breakpoint"…),
   * matching `reason` when given, and returns that text.
   */
  async waitForPaused(reason?: RegExp, timeoutMs = 30_000): Promise<string> {
    return this.action(`waitForPaused ${reason ?? ''}`.trim(), async () => {
      await this.showView('Call Stack', timeoutMs);
      let states: string[] = [];
      return waitUntil(`a paused state${reason ? ` matching ${reason}` : ''} in the CALL STACK`, async () => {
        states = await this.debugStates();
        return states.find((s) => /^paused/i.test(s) && (!reason || reason.test(s)));
      }, timeoutMs, { detail: () => `it shows ${JSON.stringify(states)}` });
    });
  }

  /** The CALL STACK view's rows, once it shows at least one frame. */
  async callStack(timeoutMs = 30_000): Promise<CallStackRow[]> {
    return this.action('callStack', async () => {
      await this.showView('Call Stack', timeoutMs);
      const rows = this.page.locator('.debug-call-stack .monaco-list-row');
      return waitUntil('a stack frame in the CALL STACK', async () => {
        const r = (await rows.evaluateAll(readCallStackRows)).map(({ index: _, ...row }) => row);
        return r.some((x) => x.kind === 'frame') ? r : undefined;
      }, timeoutMs, { detail: async () => `it shows ${JSON.stringify(await rows.allInnerTexts())}` });
    });
  }

  /**
   * Expands the scope `scope` ("Locals", "Registers"…) in the VARIABLES view and returns its variables
   * (the rows directly under it), once there is at least one.
   */
  async variables(scope: string, timeoutMs = 30_000): Promise<Variable[]> {
    return this.action(`variables ${scope}`, async () => {
      await this.showView('Variables', timeoutMs);
      const rows = this.page.locator('.debug-variables .monaco-list-row');
      let seen: string[] = [];
      return waitUntil(`variables under the scope ${JSON.stringify(scope)}`, async () => {
        const all = await rows.evaluateAll(readVariableRows);
        seen = all.map((r) => r.scope || `${r.name} = ${r.value}`);
        const i = all.findIndex((r) => r.scope === scope);
        if (i < 0) return undefined;
        if (all[i].expanded === 'false') {
          await this.page.locator(`.debug-variables .monaco-list-row[data-index="${all[i].index}"]`).click();
          return undefined;
        }
        const out: Variable[] = [];
        for (let k = i + 1; k < all.length && all[k].level > all[i].level; k++) {
          if (all[k].level === all[i].level + 1) out.push({ name: all[k].name, value: all[k].value });
        }
        return out.length ? out : undefined;
      }, timeoutMs, { detail: () => `the view shows ${JSON.stringify(seen)}` });
    });
  }

  // --- editors -----------------------------------------------------------------------------------------

  /** Opens a file of the workspace by its workspace-relative path (Quick Open) and waits for its editor. */
  async openFile(relPath: string, timeoutMs = 30_000): Promise<void> {
    await this.action(`openFile ${relPath}`, async () => {
      const rel = relPath.split('\\').join('/');
      const name = posix.basename(rel);
      const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
      await this.quickPick(`${rel} in Quick Open`, rel, (r) => r.label === name && (r.description === dir || r.description.endsWith(` • ${dir}`) || (dir === '' && r.description === '')), timeoutMs);
      await waitUntil(`an editor for ${rel}`, async () => (await this.activeEditor()).file === name, timeoutMs);
    });
  }

  /** The active editor's file name (as its tab shows it) and cursor position (from the status bar). */
  async activeEditor(): Promise<{ file?: string; line?: number; column?: number }> {
    const file = (await this.page.locator('.part.editor .editor-group-container.active .tab.active .label-name').first().textContent({ timeout: 1_000 }).catch(() => null))?.trim();
    const pos = await this.page.locator('.part.statusbar .statusbar-item').filter({ hasText: /^Ln \d+, Col \d+/ }).first()
      .textContent({ timeout: 1_000 }).catch(() => null);
    const m = pos ? /Ln (\d+), Col (\d+)/.exec(pos) : null;
    return { file: file || undefined, line: m ? Number(m[1]) : undefined, column: m ? Number(m[2]) : undefined };
  }

  /** Waits until the active editor shows `file` (with the cursor on `line`, when given). */
  async waitForActiveEditor(file: string | RegExp, line?: number, timeoutMs = 30_000): Promise<{ file?: string; line?: number; column?: number }> {
    return this.action(`waitForActiveEditor ${show(file)}${line ? `:${line}` : ''}`, async () => {
      let seen = {};
      return waitUntil(`the active editor to be ${show(file)}${line ? ` at line ${line}` : ''}`, async () => {
        const e = await this.activeEditor();
        seen = e;
        return e.file !== undefined && matches(file, e.file) && (line === undefined || e.line === line) ? e : undefined;
      }, timeoutMs, { detail: () => `it is ${JSON.stringify(seen)}` });
    });
  }

  /** Moves the active editor's cursor ("Go to Line/Column..."). */
  async goToLine(line: number, column = 1, timeoutMs = 10_000): Promise<void> {
    await this.action(`goToLine ${line}:${column}`, async () => {
      await this.runCommand('Go to Line/Column...', { timeoutMs });
      await this.quickInput().fill(`:${line}:${column}`);
      await this.page.keyboard.press('Enter');
      await waitUntil(`the cursor at ${line}:${column}`, async () => {
        const e = await this.activeEditor();
        return e.line === line && e.column === column;
      }, timeoutMs);
    });
  }

  /** The hover text at `line`:`column` of the active editor ("Show or Focus Hover" there); the hover is then closed. */
  async hover(line: number, column: number, timeoutMs = 15_000): Promise<string> {
    return this.action(`hover ${line}:${column}`, async () => {
      await this.goToLine(line, column, timeoutMs);
      await this.runCommand('Show or Focus Hover', { timeoutMs });
      const hovers = this.page.locator('.part.editor .monaco-hover:not(.hidden):not(.workbench-hover)');
      const text = await waitUntil(`a hover at ${line}:${column}`, async () => {
        const texts = (await hovers.allInnerTexts()).map((s) => s.trim()).filter((s) => s && !/^Loading\.\.\.$/.test(s));
        return texts.length ? texts.join('\n') : undefined;
      }, timeoutMs);
      await this.page.keyboard.press('Escape');
      return text;
    });
  }

  // --- terminals ---------------------------------------------------------------------------------------

  /** Shows and focuses the terminal named `name` (Quick Open's "term " list), waiting until it exists. */
  async selectTerminal(name: string, timeoutMs = 30_000): Promise<void> {
    await this.action(`selectTerminal ${name}`, async () => {
      const re = new RegExp(`^\\d+(\\.\\d+)?: ${escapeRe(name)}$`);
      await this.quickPick(`the terminal ${JSON.stringify(name)}`, 'term ', (r) => re.test(r.label), timeoutMs);
      let active: string[] = [];
      await waitUntil(`the terminal ${JSON.stringify(name)} to be the active one`, async () => {
        active = await this.activeTerminalNames();
        return active.some((a) => a === name || a.endsWith(` ${name}`)) &&
          (await this.page.locator('.part.panel .terminal-wrapper.active .xterm-rows').count()) > 0;
      }, timeoutMs, { detail: () => `the panel shows ${JSON.stringify(active)}` });
    });
  }

  /** The panel's selected terminal tab ("Terminal 1 name"), or the lone terminal's title. */
  private async activeTerminalNames(): Promise<string[]> {
    const tabs = await this.page.locator('.part.panel .tabs-list .monaco-list-row.selected').evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
    const single = await this.page.locator('.part.panel .single-terminal-tab').allInnerTexts();
    return [...tabs, ...single].map((x) => x.trim());
  }

  private async activeTerminalRows(): Promise<string> {
    const rows = await this.page.locator('.part.panel .terminal-wrapper.active .xterm-rows > div')
      .evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));
    while (rows.length && rows[rows.length - 1] === '') rows.pop();
    return rows.join('\n');
  }

  /**
   * The text of the terminal `name`: its rows on screen (the DOM renderer's), or with `scrollback` its
   * whole buffer (selected and copied through the clipboard).
   */
  async terminalText(name: string, opts: { scrollback?: boolean; timeoutMs?: number } = {}): Promise<string> {
    return this.action(`terminalText ${name}`, async () => {
      await this.selectTerminal(name, opts.timeoutMs);
      if (!opts.scrollback) return this.activeTerminalRows();
      await this.page.locator('.part.panel .terminal-wrapper.active .xterm-helper-textarea').focus();
      await this.runCommand('Terminal: Select All', { timeoutMs: opts.timeoutMs });
      await this.page.evaluate(() => navigator.clipboard.writeText(''));
      await this.page.keyboard.press('Control+Shift+C'); // Copy Selection, in a focused terminal
      const text = await waitUntil('the terminal selection on the clipboard', async () =>
        (await this.page.evaluate(() => navigator.clipboard.readText())) || undefined, 10_000);
      // Best effort (an Escape key would go to the terminal's program).
      await this.quickPick('Terminal: Clear Selection', '>Terminal: Clear Selection', (r) => r.label === 'Terminal: Clear Selection', 3_000)
        .catch(() => this.closeQuickInput());
      return text.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n+$/, '');
    });
  }

  /** Waits until the terminal `name` shows text matching `pattern` on screen; returns its text. */
  async waitForTerminalText(name: string, pattern: string | RegExp, timeoutMs = 30_000): Promise<string> {
    return this.action(`waitForTerminalText ${name} ${show(pattern)}`, async () => {
      await this.selectTerminal(name, timeoutMs);
      let text = '';
      return waitUntil(`${show(pattern)} in the terminal ${JSON.stringify(name)}`, async () => {
        text = await this.activeTerminalRows();
        return (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) ? text : undefined;
      }, timeoutMs, { detail: () => `it shows:\n${text.split('\n').slice(-15).join('\n')}` });
    });
  }

  /** Types `text` into the terminal `name` (and Enter, unless `enter` is false). */
  async typeInTerminal(name: string, text: string, opts: { enter?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.action(`typeInTerminal ${name}`, async () => {
      await this.selectTerminal(name, opts.timeoutMs);
      await this.page.locator('.part.panel .terminal-wrapper.active .xterm-helper-textarea').focus();
      await this.page.keyboard.type(text);
      if (opts.enter ?? true) await this.page.keyboard.press('Enter');
    });
  }

  // --- notifications and dialogs -------------------------------------------------------------------

  /** The messages of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts().catch(() => []);
  }

  /** Waits for a modal dialog (e.g. workspace trust) and clicks its button `button`; returns the dialog's text. */
  async answerDialog(button: string, timeoutMs = 30_000): Promise<string> {
    return this.action(`answerDialog ${button}`, async () => {
      const dialog = this.page.locator('.monaco-dialog-box').first();
      await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
      const text = (await dialog.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts()).join('\n');
      const buttons = dialog.locator('.dialog-buttons .monaco-button');
      const labels = (await buttons.allInnerTexts()).map((s) => s.trim());
      const i = labels.indexOf(button);
      if (i < 0) throw new Error(`the dialog has no button ${JSON.stringify(button)} (it has ${JSON.stringify(labels)}): ${text}`);
      await buttons.nth(i).click();
      await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
      return text;
    });
  }
}

/** SIGTERM to the process group, SIGKILL if it is still there after 5 s. */
async function stopProcessGroup(proc: ChildProcess): Promise<void> {
  if (!proc.pid || proc.exitCode !== null || proc.signalCode !== null) {
    try { if (proc.pid) process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
    return;
  }
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  try { process.kill(-proc.pid, 'SIGTERM'); } catch { return; }
  await within(exited, 5_000);
  // The group may outlive its leader (extension hosts, terminals): end what is left.
  try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
}

/** A copy of `dir` in a fresh temporary directory (removed when the test ends): a workspace tests may change. */
export function copyWorkspace(t: TestContextLike, dir: string): string {
  const to = mkdtempSync(join(tmpdir(), `rvisor-ws-${basename(dir)}-`));
  cpSync(dir, to, { recursive: true });
  t.after(() => rmSync(to, { recursive: true, force: true }));
  return to;
}


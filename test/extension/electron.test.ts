// The in-host suite (test/extension/host/*.host.ts) in desktop VS Code (Electron) through
// @vscode/test-electron, with the repository as the extension under development (runner B; runner A,
// code-server, is test/extension/host.e2e.test.ts). VS Code is downloaded into the cache
// (${RVISOR_CACHE:-~/.cache/rvisor}/vscode-test); where that is impossible (offline) the test skips.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { SilentReporter, downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { ROOT } from '../helpers/cli.ts';
import { buildHostTests, type HostTestReport } from '../helpers/vscode.ts';

/** The VS Code that code-server 4.100.3 serves: both runners see the same API. */
const VSCODE_VERSION = process.env.RVISOR_VSCODE_VERSION ?? '1.100.3';
const CACHE = join(process.env.RVISOR_CACHE ?? join(homedir(), '.cache', 'rvisor'), 'vscode-test');
/** An idle timeout: a download that receives nothing for this long fails (offline: at once, ENOTFOUND). */
const DOWNLOAD_IDLE_MS = 15_000;

test('the extension host suite passes in VS Code (Electron)', { timeout: 600_000 }, async (t) => {
  let executable: string;
  try {
    executable = await downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: CACHE, timeout: DOWNLOAD_IDLE_MS, reporter: new SilentReporter() });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    t.skip(`VS Code ${VSCODE_VERSION} could not be downloaded (${why.split('\n')[0]}); the host suite runs in code-server instead (host.e2e.test.ts)`);
    return;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'rvisor-electron-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const display = await xDisplay(t);
  if (typeof display !== 'string') { t.skip(display.skip); return; }

  const { outFile } = await buildHostTests(join(scratch, 'host-tests.js'));
  const reportFile = join(scratch, 'report.json');
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const output = new PassThrough();
  let log = '';
  output.on('data', (d: Buffer) => { log += d.toString(); });
  let failure: unknown;
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: outFile,
      // A fresh profile outside the repository (test-electron's default is ./.vscode-test).
      launchArgs: [workspace, '--disable-extensions', '--disable-gpu', `--user-data-dir=${join(scratch, 'user-data')}`,
        `--extensions-dir=${join(scratch, 'extensions')}`],
      extensionTestsEnv: { RVISOR_HOST_TEST_REPORT: reportFile, DISPLAY: display, RVISOR_HOST_TEST_FILTER: process.env.RVISOR_HOST_TEST_FILTER },
      stdout: output,
      stderr: output,
    });
  } catch (e) {
    failure = e; // run() rejects when a test failed: the report says which
  }
  if (!existsSync(reportFile)) {
    assert.fail(`VS Code wrote no host test report (${failure instanceof Error ? failure.message : 'exit 0'}); its output:\n${log.slice(-3000)}`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as HostTestReport;
  t.diagnostic(`${report.host ?? 'VS Code'}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  const failures = report.results.filter((r) => !r.ok).map((r) => `${r.name}:\n${r.error}`);
  assert.deepEqual(failures, [], `host tests failed:\n${failures.join('\n\n')}`);
});

/** The X display for Electron: $DISPLAY, or a private Xvfb (ended with the test), or why there is none. */
async function xDisplay(t: { after(fn: () => unknown): void }): Promise<string | { skip: string }> {
  if (process.env.DISPLAY) return process.env.DISPLAY;
  const xvfb = ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'].find((p) => existsSync(p));
  if (!xvfb) return { skip: 'no X display for Electron: $DISPLAY is unset and Xvfb is not installed (apt-get install xvfb)' };
  // -displayfd: Xvfb picks a free display and writes its number to fd 3 once it accepts clients.
  const proc = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  t.after(() => { proc.kill('SIGKILL'); });
  const fd3 = proc.stdio[3] as NodeJS.ReadableStream;
  return new Promise((res) => {
    let out = '';
    const timer = setTimeout(() => res({ skip: 'Xvfb did not report a display within 10 s' }), 10_000);
    fd3.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) { clearTimeout(timer); res(`:${out.trim()}`); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); res({ skip: `Xvfb exited (${code}) before reporting a display` }); });
  });
}

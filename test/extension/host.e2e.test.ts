// The in-host suite (test/extension/host/*.host.ts) inside code-server's extension host, with the
// repository as the extension under development (runner A; test/extension/electron.test.ts is runner B).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli.ts';
import { Workbench, buildHostTests, skipReason } from '../helpers/vscode.ts';

test('the extension host suite passes in code-server', { skip: skipReason(), timeout: 180_000 }, async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'rvisor-host-bundle-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const { outFile, files } = await buildHostTests(join(scratch, 'host-tests.js'));
  const report = await Workbench.runHostTests(t, { devPath: ROOT, testsPath: outFile, env: pickEnv('RVISOR_HOST_TEST_FILTER') });
  t.diagnostic(`${files.join(', ')} in ${report.host ?? 'an unknown host'}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped (${report.durationMs} ms)`);
  for (const r of report.results) {
    t.diagnostic(`${r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL'} ${r.name} (${r.durationMs} ms)${r.skipped ? `: ${r.skipped}` : ''}`);
    for (const line of r.log ?? []) t.diagnostic(`    ${line}`);
  }
  const failures = report.results.filter((r) => !r.ok).map((r) => `${r.name}:\n${r.error}`);
  assert.deepEqual(failures, [], `host tests failed:\n${failures.join('\n\n')}`);
  assert.ok(report.results.length > 0, 'the bundle registered no host tests');
});

function pickEnv(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (process.env[n] === undefined ? [] : [[n, process.env[n]!]])));
}

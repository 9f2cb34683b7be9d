// The end-to-end driver's own test (test/helpers/vscode.ts): a throwaway extension
// (fixtures/probe: an inline debug adapter, a tree view, a pseudo-terminal, a hover and document
// symbols), packaged with vsce and installed into code-server, driven through the UI in Chromium.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Workbench, copyWorkspace, packageVsix, skipReason, waitUntil } from '../helpers/vscode.ts';

const PROBE = join(__dirname, 'fixtures', 'probe');

test('waitUntil says what it waited for, and the last error', async () => {
  let n = 0;
  assert.equal(await waitUntil('the third try', () => (++n === 3 ? 'done' : undefined), 2_000, { intervalMs: 1 }), 'done');
  await assert.rejects(waitUntil('a thing that never comes', () => { throw new Error('not yet'); }, 50, { intervalMs: 10, detail: () => 'it shows nothing' }),
    /^Error: timed out after 50 ms waiting for a thing that never comes; it shows nothing; last error: not yet$/);
});

test('the driver debugs, reads views, terminals, hovers and outlines in code-server', { skip: skipReason(), timeout: 120_000 }, async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'rvisor-probe-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const vsix = packageVsix(PROBE, join(scratch, 'probe.vsix'));
  const wb = await Workbench.open(t, { workspace: copyWorkspace(t, join(PROBE, 'workspace')), vsix });
  t.diagnostic(`code-server up ${wb.timings.codeServer} ms, page ${wb.timings.page} ms, extension host ready ${wb.timings.ready} ms`);

  const t0 = Date.now();
  await wb.startDebugging('Probe: greeting');
  assert.equal(await wb.waitForPaused(/entry/), 'Paused on entry');
  t.diagnostic(`Start Debugging to paused: ${Date.now() - t0} ms`);
  const frames = await wb.callStack();
  assert.deepEqual(frames.filter((f) => f.kind === 'frame').map((f) => [f.name, f.file, f.line, f.column]),
    [['probeMainFrame', 'main.probe', 2, 1], ['probeOuterFrame', 'main.probe', 4, 1]]);
  await wb.waitForActiveEditor('main.probe', 2);
  assert.deepEqual(await wb.variables('Locals'), [{ name: 'answer', value: '42' }, { name: 'greeting', value: '"hi"' }]);
  assert.deepEqual(await wb.variables('Registers'), [{ name: 'pc', value: '0x80200000' }, { name: 'sp', value: '0x80400000' }]);
  await wb.screenshot('paused on entry');

  // The adapter wrote to the probe's pseudo-terminal on launch; the terminal echoes what is typed.
  await wb.waitForTerminalText('probe-term', 'launched: hello from launch.json');
  await wb.typeInTerminal('probe-term', 'ping');
  assert.match(await wb.waitForTerminalText('probe-term', 'you typed: ping'), /^probe terminal ready\n/);
  assert.match(await wb.terminalText('probe-term', { scrollback: true }), /^probe terminal ready\nlaunched: hello from launch\.json\n.*ping\nyou typed: ping\n>$/);
  await wb.screenshot('terminal');

  await wb.step('tree view', async () => {
    const rows = await wb.treeRows('Probe Items', { minRows: 2 });
    assert.deepEqual(rows.map((r) => [r.label, r.description, r.level, r.expanded]), [['alpha', 'item alpha', 1, undefined], ['beta', 'item beta', 1, false]]);
    assert.deepEqual(rows[0].actions, ['Greet']);
    await wb.treeItemAction('Probe Items', 'alpha', 'Greet');
    await wb.waitForTreeRow('Probe Items', 'alpha', { description: 'greeted' });
    await wb.expandTreeRow('Probe Items', 'beta');
    assert.equal((await wb.waitForTreeRow('Probe Items', 'beta-child')).level, 2);
    await wb.treeItemContextMenu('Probe Items', 'beta-child', 'Greet');
    await wb.waitForTreeRow('Probe Items', 'beta-child', { description: 'greeted' });
  });

  await wb.step('editor', async () => {
    await wb.openFile('.vscode/launch.json');
    await wb.openFile('main.probe');
    assert.equal(await wb.hover(3, 8), 'probe hover: helper');
    assert.deepEqual((await wb.outline({ minRows: 2 })).map((r) => r.label), ['main', 'helper']);
  });

  await wb.debugAction('Continue');
  await wb.waitForDebugEnd();
});

test('the driver opens a folder in restricted mode and trusts it through the dialog', { skip: skipReason(), timeout: 60_000 }, async (t) => {
  const wb = await Workbench.open(t, { workspace: copyWorkspace(t, join(PROBE, 'workspace')), workspaceTrust: true });
  const restricted = wb.page.locator('.part.statusbar').getByText('Restricted Mode');
  await restricted.waitFor({ timeout: 10_000 });
  assert.match(await wb.answerDialog('Yes, I trust the authors'), /trust the authors of the files in this folder/);
  await restricted.waitFor({ state: 'detached', timeout: 10_000 });
});

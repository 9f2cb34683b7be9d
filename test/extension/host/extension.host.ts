// Example host tests: what the extension host offers the rvisor extension. Runs inside VS Code
// (test/extension/host.e2e.test.ts through code-server, test/extension/electron.test.ts through Electron).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { setHostInfo, test } from './runner.ts';

test('the extension host has the vscode API', () => {
  setHostInfo(`${vscode.env.appName} ${vscode.version} (${vscode.env.appHost}, remote: ${vscode.env.remoteName ?? 'none'})`);
  assert.match(vscode.version, /^1\.\d+\.\d+/);
  assert.equal(typeof vscode.debug.startDebugging, 'function');
});

test('the rvisor extension is loaded and contributes its debugger', async (t) => {
  const ext = vscode.extensions.getExtension('rvisor.rvisor');
  if (!ext) return t.skip('rvisor.rvisor is not loaded here (extensionDevelopmentPath is not the repository, and it is not installed)');
  const pkg = ext.packageJSON as { contributes?: { debuggers?: Array<{ type: string }> }; main?: string };
  assert.ok(pkg.contributes?.debuggers?.some((d) => d.type === 'rvisor'), 'package.json contributes the "rvisor" debugger type');
  if (!pkg.main) return t.skip('package.json has no "main" yet: the extension has no code to activate');
  if (!existsSync(join(ext.extensionPath, pkg.main))) return t.skip(`${pkg.main} is not built (npm run build)`);
  await ext.activate();
  assert.ok(ext.isActive, 'the extension is active after activate()');
});

// rvisor's VS Code extension: thin. It starts the debug adapter (dist/dap.js), fills launch
// configurations, and shows what the adapter reports: the Hypercalls, Traps, Page Tables and Devices
// views, the guest's serial port as a terminal, a status bar item; and it starts the language server
// for trace files and RISC-V assembly. The machine itself is all in the adapter's process.

import * as vscode from 'vscode';
import { join } from 'node:path';
import { AdapterFactory } from './adapter.ts';
import { ConfigurationProvider, pickKernel } from './config.ts';
import { Sessions } from './sessions.ts';
import { RecordsView, RecordItem, chooseFilter } from './views/records.ts';
import { hypercallName, hypercallRow, trapRow } from './format.ts';
import { MachineTreeView, MachineItem, selectedThread } from './views/machine-tree.ts';
import { SerialConsoles } from './serial.ts';
import { StatusItem } from './status.ts';
import { DISASM_SCHEME, DisassemblyProvider, MEMORY_SCHEME, MemoryProvider, openMemory, revealAddress } from './locations.ts';
import { startLanguageClient } from './language-client.ts';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DebugProtocol } from '@vscode/debugprotocol';

let languageClient: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const dist = (file: string): string => join(context.extensionPath, 'dist', file);
  const log = vscode.window.createOutputChannel('rvisor');
  const sessions = new Sessions();
  const adapter = new AdapterFactory(dist('dap.js'), log);
  context.subscriptions.push(
    log, sessions, adapter,
    vscode.debug.registerDebugConfigurationProvider('rvisor', new ConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory('rvisor', adapter),
  );

  // Views.
  const hypercalls = new RecordsView(sessions, ['hypercall'], hypercallRow, 'hypercall', 'rvisor.hypercalls');
  const traps = new RecordsView(sessions, ['trap', 'interrupt'], trapRow, 'trap', 'rvisor.traps');
  const pageTables = new MachineTreeView(sessions, 'Page Tables');
  const devices = new MachineTreeView(sessions, 'Devices');
  const serial = new SerialConsoles(sessions);
  context.subscriptions.push(
    hypercalls, traps, pageTables, devices, serial, new StatusItem(sessions),
    vscode.window.createTreeView('rvisor.hypercalls', { treeDataProvider: hypercalls }),
    vscode.window.createTreeView('rvisor.traps', { treeDataProvider: traps }),
    vscode.window.createTreeView('rvisor.pageTables', { treeDataProvider: pageTables }),
    vscode.window.createTreeView('rvisor.devices', { treeDataProvider: devices }),
    vscode.workspace.registerTextDocumentContentProvider(DISASM_SCHEME, new DisassemblyProvider((id) => sessions.find(id))),
    vscode.workspace.registerTextDocumentContentProvider(MEMORY_SCHEME, new MemoryProvider((id) => sessions.find(id))),
  );

  // Hypercall breakpoints of the current session (the adapter keeps them apart from exception filters).
  const hypercallBreaks = new Map<string, string[]>();
  const setHypercallBreaks = async (session: vscode.DebugSession, conditions: string[]): Promise<void> => {
    await session.customRequest('rvisor.hypercallBreakpoints', { conditions });
    hypercallBreaks.set(session.id, conditions);
    void vscode.commands.executeCommand('setContext', 'rvisor.hasHypercallBreakpoints', conditions.length > 0);
  };
  const current = (): vscode.DebugSession | undefined => {
    const s = sessions.current()?.session;
    if (!s) void vscode.window.showWarningMessage('rvisor: no rvisor debug session.');
    return s;
  };
  const command = (id: string, fn: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        void vscode.window.showErrorMessage(`rvisor: ${(e as Error).message}`);
        return undefined;
      }
    }));
  };

  command('rvisor.hypercalls.filter', () => chooseFilter(hypercalls));
  command('rvisor.hypercalls.pause', () => hypercalls.setPaused(true));
  command('rvisor.hypercalls.resume', () => hypercalls.setPaused(false));
  command('rvisor.hypercalls.clear', () => hypercalls.clear());
  command('rvisor.traps.clear', () => traps.clear());
  // A hypercall's call site is where the kernel called (out of an inlined SBI wrapper); a trap's is the
  // exact faulting line.
  command('rvisor.revealCallSite', (item: RecordItem) => revealAddress(item.session, item.record.pc, item.record.k === 'hypercall'));
  command('rvisor.breakOnHypercall', async (item: RecordItem) => {
    const name = hypercallName(item.record);
    const list = hypercallBreaks.get(item.session.id) ?? [];
    if (!list.includes(name)) await setHypercallBreaks(item.session, [...list, name]);
    void vscode.window.showInformationMessage(`rvisor: the guest will stop at its next ${name} hypercall.`);
  });
  command('rvisor.clearHypercallBreakpoints', async () => {
    const s = current();
    if (s) await setHypercallBreaks(s, []);
  });
  command('rvisor.translateAddress', async (item?: MachineItem) => {
    const s = current();
    if (!s) return;
    const va = await vscode.window.showInputBox({
      title: 'Translate a virtual address (as the selected hart would)', prompt: 'An address or C expression',
      value: item?.variable.memoryReference ?? '', validateInput: (v) => (v.trim() ? undefined : 'give an address'),
    });
    if (!va) return;
    const threadId = selectedThread(sessions, s);
    const st = await s.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 }) as DebugProtocol.StackTraceResponse['body'];
    const r = await s.customRequest('evaluate', { expression: `translate ${va}`, frameId: st.stackFrames[0]?.id, context: 'repl' }) as DebugProtocol.EvaluateResponse['body'];
    const lines = [r.result];
    if (r.variablesReference > 0) {
      const v = await s.customRequest('variables', { variablesReference: r.variablesReference }) as DebugProtocol.VariablesResponse['body'];
      for (const x of v.variables) lines.push(`  ${x.name}: ${x.value}`);
    }
    log.appendLine(`translate ${va} (hart ${threadId}):`);
    for (const l of lines) log.appendLine(l);
    void vscode.window.showInformationMessage(`rvisor: ${r.result}`, 'Show the walk').then((a) => { if (a) log.show(true); });
    return lines;
  });
  command('rvisor.openMemory', async (item?: MachineItem) => {
    const s = item?.session ?? current();
    const ref = item?.variable.memoryReference ?? await vscode.window.showInputBox({ title: 'Open guest memory', prompt: 'Address (virtual, or phys:0x… for physical)' });
    if (s && ref) await openMemory(s, ref);
  });
  command('rvisor.refreshViews', () => { pageTables.refresh(); devices.refresh(); });
  command('rvisor.showSerial', () => serial.show(sessions.current()));
  // Also usable in launch.json as "kernel": "${command:rvisor.pickKernel}".
  command('rvisor.pickKernel', () => pickKernel());

  languageClient = startLanguageClient(dist('language-server.js'));
}

export async function deactivate(): Promise<void> {
  await languageClient?.stop();
}

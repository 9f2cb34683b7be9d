// The Page Tables and Devices views: the adapter's scopes of the same names for the selected hart,
// shown as their own trees and re-read at each stop. Children are fetched when expanded, through the
// ordinary DAP requests (stackTrace → scopes → variables), so the views show exactly what the
// adapter's side-effect-free reads give the Variables view.

import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Sessions } from '../sessions.ts';

export class MachineItem extends vscode.TreeItem {
  constructor(readonly variable: DebugProtocol.Variable, readonly session: vscode.DebugSession) {
    super(variable.name, variable.variablesReference > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.description = variable.value;
    this.tooltip = `${variable.name}\n${variable.value}`;
    // A row with an address can open memory and be translated.
    this.contextValue = variable.memoryReference ? 'memory' : 'row';
  }
}

class Message extends vscode.TreeItem {
  constructor(text: string) {
    super(text, vscode.TreeItemCollapsibleState.None);
  }
}

/** The hart (thread) the user has selected in CALL STACK, or the one that stopped. */
export function selectedThread(sessions: Sessions, session: vscode.DebugSession): number {
  const item = vscode.debug.activeStackItem;
  if (item && item.session.id === session.id) return item.threadId;
  return sessions.get(session)?.lastStop?.threadId ?? 0;
}

export class MachineTreeView implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sessions: Sessions, private readonly scopeName: string) {
    this.subscriptions.push(
      sessions.onChanged(() => this.refresh()),
      sessions.onEnded(() => this.refresh()),
      vscode.debug.onDidChangeActiveStackItem(() => this.refresh()),
      vscode.debug.onDidChangeActiveDebugSession(() => this.refresh()),
    );
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(e: vscode.TreeItem): vscode.TreeItem {
    return e;
  }

  async getChildren(e?: vscode.TreeItem): Promise<vscode.TreeItem[]> {
    const s = this.sessions.current();
    if (!s) return [new Message('No rvisor debug session.')];
    if (e instanceof MachineItem) return this.variables(e.session, e.variable.variablesReference);
    if (s.state !== 'stopped') return [new Message(s.state === 'running' ? 'The guest is running: pause it to see this.' : 'Waiting for the guest.')];
    try {
      const threadId = selectedThread(this.sessions, s.session);
      const st = await s.session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 }) as DebugProtocol.StackTraceResponse['body'];
      const frameId = st.stackFrames[0]?.id;
      if (frameId === undefined) return [new Message(`hart ${threadId} has no frame`)];
      const sc = await s.session.customRequest('scopes', { frameId }) as DebugProtocol.ScopesResponse['body'];
      const scope = sc.scopes.find((x) => x.name === this.scopeName);
      if (!scope) return [new Message(`the adapter has no ${this.scopeName} scope`)];
      return this.variables(s.session, scope.variablesReference);
    } catch (err) {
      return [new Message(`cannot read: ${(err as Error).message}`)];
    }
  }

  private async variables(session: vscode.DebugSession, ref: number): Promise<vscode.TreeItem[]> {
    try {
      const r = await session.customRequest('variables', { variablesReference: ref }) as DebugProtocol.VariablesResponse['body'];
      return r.variables.map((v) => new MachineItem(v, session));
    } catch (err) {
      // The guest ran since this row was read: its references are gone.
      return [new Message(`stale (the guest ran): ${(err as Error).message}`)];
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}

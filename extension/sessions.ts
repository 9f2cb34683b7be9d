// What the extension knows of each rvisor debug session, from the adapter's own messages: a
// DebugAdapterTracker sees every event (stopped, continued, rvisor.event, rvisor.serial, output) and
// turns them into the few notifications the views, the serial terminal and the status bar need.

import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceRecord } from './records.ts';

export type { TraceRecord };

export type SessionState = 'starting' | 'running' | 'stopped' | 'ended';

export interface StopInfo { reason: string; description?: string; threadId?: number }

/** One rvisor session as the extension sees it. */
export class RvisorSession {
  state: SessionState = 'starting';
  lastStop: StopInfo | undefined;
  readonly records = new vscode.EventEmitter<TraceRecord>();
  readonly serial = new vscode.EventEmitter<string>();
  readonly stateChanged = new vscode.EventEmitter<SessionState>();

  constructor(readonly session: vscode.DebugSession) {}

  setState(s: SessionState, stop?: StopInfo): void {
    this.state = s;
    if (stop) this.lastStop = stop;
    this.stateChanged.fire(s);
  }

  dispose(): void {
    this.records.dispose();
    this.serial.dispose();
    this.stateChanged.dispose();
  }
}

/** Every live rvisor session, and which one the user is looking at. */
export class Sessions implements vscode.Disposable {
  private readonly byId = new Map<string, RvisorSession>();
  private readonly emitters = {
    started: new vscode.EventEmitter<RvisorSession>(),
    ended: new vscode.EventEmitter<RvisorSession>(),
    /** Any session's state changed (stopped, continued, …). */
    changed: new vscode.EventEmitter<RvisorSession>(),
  };
  readonly onStarted = this.emitters.started.event;
  readonly onEnded = this.emitters.ended.event;
  readonly onChanged = this.emitters.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.debug.registerDebugAdapterTrackerFactory('rvisor', { createDebugAdapterTracker: (s) => this.tracker(s) }),
      vscode.debug.onDidTerminateDebugSession((s) => this.end(s)),
    );
  }

  get(session: vscode.DebugSession | undefined): RvisorSession | undefined {
    return session ? this.byId.get(session.id) : undefined;
  }

  /** A live session by id; with none, the active debug session. */
  find(id: string | null): vscode.DebugSession | undefined {
    return id === null ? vscode.debug.activeDebugSession : this.byId.get(id)?.session;
  }

  /** The session the user is looking at: the active one if it is ours, else the newest of ours. */
  current(): RvisorSession | undefined {
    const active = this.get(vscode.debug.activeDebugSession);
    if (active) return active;
    return [...this.byId.values()].pop();
  }

  all(): RvisorSession[] {
    return [...this.byId.values()];
  }

  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const s = new RvisorSession(session);
    this.byId.set(session.id, s);
    this.emitters.started.fire(s);
    s.stateChanged.event(() => this.emitters.changed.fire(s));
    return {
      onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type !== 'event') return;
        const e = m as DebugProtocol.Event;
        switch (e.event) {
          case 'rvisor.event': s.records.fire(e.body as TraceRecord); break;
          case 'rvisor.serial': s.serial.fire((e.body as { text: string }).text); break;
          case 'stopped': {
            const b = (e as DebugProtocol.StoppedEvent).body;
            s.setState('stopped', { reason: b.reason, description: b.description, threadId: b.threadId });
            break;
          }
          case 'continued': s.setState('running'); break;
          case 'terminated': case 'exited': if (s.state !== 'ended') s.setState('ended'); break;
        }
      },
      onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
        // A resuming request: the adapter answers it and runs, without a `continued` event.
        if (m.type !== 'request') return;
        const command = (m as DebugProtocol.Request).command;
        if (['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue'].includes(command)) s.setState('running');
        // A launch without stopOnEntry runs once configuration is done.
        if (command === 'configurationDone' && s.state === 'starting') s.setState('running');
      },
      onExit: () => this.end(session),
    };
  }

  private end(session: vscode.DebugSession): void {
    const s = this.byId.get(session.id);
    if (!s) return;
    this.byId.delete(session.id);
    if (s.state !== 'ended') s.setState('ended');
    this.emitters.ended.fire(s);
    s.dispose();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    for (const e of Object.values(this.emitters)) e.dispose();
  }
}

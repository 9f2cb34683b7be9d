// The status bar item: the current guest's state, and while it runs its speed in MIPS (the difference
// of two `rvisor.status` answers a second apart: instructions of all harts per host second).

import * as vscode from 'vscode';
import type { Sessions } from './sessions.ts';

const POLL_MS = 1000;

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rvisor.status', vscode.StatusBarAlignment.Left, 10);
  private timer: NodeJS.Timeout | undefined;
  private last: { steps: number; at: number; session: string } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sessions: Sessions) {
    this.item.name = 'rvisor guest';
    this.item.command = 'rvisor.showSerial';
    this.subscriptions.push(
      sessions.onChanged(() => this.update()),
      sessions.onEnded(() => this.update()),
      vscode.debug.onDidChangeActiveDebugSession(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    const s = this.sessions.current();
    if (!s) {
      this.item.hide();
      this.stopPolling();
      return;
    }
    if (s.state === 'running') {
      this.item.text = '$(vm-running) rvisor: running';
      this.startPolling();
    } else {
      this.stopPolling();
      this.item.text = s.state === 'stopped'
        ? `$(debug-pause) rvisor: stopped (${s.lastStop?.reason ?? 'paused'})${s.lastStop?.threadId !== undefined ? `, hart ${s.lastStop.threadId}` : ''}`
        : s.state === 'starting' ? '$(loading~spin) rvisor: starting' : '$(vm-outline) rvisor: ended';
    }
    this.item.tooltip = `${s.session.name}: click for the serial console`;
    this.item.show();
  }

  private startPolling(): void {
    if (this.timer) return;
    this.last = undefined;
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    void this.poll();
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    const s = this.sessions.current();
    if (!s || s.state !== 'running') return;
    let r: { state: string; steps: number; harts: number };
    try {
      r = await s.session.customRequest('rvisor.status');
    } catch {
      return;
    }
    const now = Date.now();
    const last = this.last;
    this.last = { steps: r.steps, at: now, session: s.session.id };
    if (s.state !== 'running' || r.state !== 'running') return;
    if (last && last.session === s.session.id && now > last.at) {
      const mips = (r.steps - last.steps) / (now - last.at) / 1000;
      this.item.text = `$(vm-running) rvisor: running · ${mips >= 10 ? mips.toFixed(0) : mips.toFixed(1)} MIPS`;
      this.item.tooltip = `${s.session.name}: ${r.harts} hart${r.harts === 1 ? '' : 's'}, ${r.steps.toLocaleString()} instructions so far`;
    }
  }

  dispose(): void {
    this.stopPolling();
    this.item.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

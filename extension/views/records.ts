// The Hypercalls and Traps views: the debugged guest's SBI calls and its trap/interrupt timeline, live
// from the adapter's `rvisor.event` stream (and its `rvisor.history` for what came before the view
// joined, e.g. after attach). Newest first; filterable; pausable.

import * as vscode from 'vscode';
import type { Sessions, RvisorSession } from '../sessions.ts';
import type { TraceRecord } from '../records.ts';

/** A record and where it came from, as one tree row. */
export class RecordItem extends vscode.TreeItem {
  constructor(readonly record: TraceRecord, readonly session: vscode.DebugSession, label: string, description: string, tooltip: string, context: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.description = description;
    this.tooltip = new vscode.MarkdownString(tooltip);
    this.contextValue = context;
    this.command = { command: 'rvisor.revealCallSite', title: 'Reveal Call Site', arguments: [this] };
  }
}

export interface Filter { exts?: Set<string>; harts?: Set<number>; failedOnly?: boolean }

/** A live list of one kind of record for the current session. */
export class RecordsView implements vscode.TreeDataProvider<RecordItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: RecordItem[] = [];
  private session: RvisorSession | undefined;
  private listener: vscode.Disposable | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private paused = false;
  filter: Filter = {};
  /** Rows that arrived while paused, shown on resume. */
  private held: RecordItem[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly sessions: Sessions,
    private readonly kinds: ReadonlyArray<TraceRecord['k']>,
    private readonly makeRow: (r: TraceRecord) => { label: string; description: string; tooltip: string },
    private readonly context: string,
    private readonly view: string,
  ) {
    this.subscriptions.push(
      sessions.onStarted((s) => this.follow(s)),
      vscode.debug.onDidChangeActiveDebugSession((s) => { const r = sessions.get(s); if (r && r !== this.session) void this.follow(r, true); }),
      sessions.onEnded((s) => { if (s === this.session) this.listener?.dispose(); }),
    );
  }

  private maxRows(): number {
    return vscode.workspace.getConfiguration('rvisor').get<number>('hypercalls.maxRows', 2000);
  }

  /** Shows `s`'s records from now on (and those it had, from the adapter's history, if asked). */
  private async follow(s: RvisorSession, withHistory = false): Promise<void> {
    this.listener?.dispose();
    this.session = s;
    this.rows = [];
    this.held = [];
    this.listener = s.records.event((r) => { if (this.kinds.includes(r.k)) this.add(r, s.session); });
    this.refresh();
    if (!withHistory) return;
    try {
      const max = this.maxRows();
      for (const kind of this.kinds) {
        const first = await s.session.customRequest('rvisor.history', { kind, count: 0 }) as { total: number };
        const page = await s.session.customRequest('rvisor.history', { kind, start: Math.max(0, first.total - max), count: max }) as { records: TraceRecord[] };
        for (const r of page.records) this.add(r, s.session);
      }
      this.rows.sort((a, b) => b.record.vt - a.record.vt);
    } catch {
      // the session ended meanwhile
    }
  }

  private add(r: TraceRecord, session: vscode.DebugSession): void {
    const row = this.makeRow(r);
    const item = new RecordItem(r, session, row.label, row.description, row.tooltip, this.context);
    if (this.paused) {
      this.held.push(item);
      return;
    }
    this.rows.unshift(item);
    if (this.rows.length > this.maxRows()) this.rows.length = this.maxRows();
    this.refresh();
  }

  /** Coalesces bursts (Linux makes thousands of calls while booting) into a few redraws a second. */
  private refresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, 150);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    void vscode.commands.executeCommand('setContext', `${this.view}Paused`, paused);
    if (!paused) {
      for (const item of this.held) this.rows.unshift(item);
      this.held = [];
      if (this.rows.length > this.maxRows()) this.rows.length = this.maxRows();
      this.refresh();
    }
  }

  clear(): void {
    this.rows = [];
    this.held = [];
    this.refresh();
  }

  setFilter(f: Filter): void {
    this.filter = f;
    this.changed.fire();
  }

  /** What the rows hold, for the filter's choices. */
  seen(): { exts: string[]; harts: number[] } {
    const exts = new Set<string>();
    const harts = new Set<number>();
    for (const r of this.rows) {
      exts.add(r.record.ext ?? r.record.eid ?? '?');
      harts.add(r.record.hart);
    }
    return { exts: [...exts].sort(), harts: [...harts].sort((a, b) => a - b) };
  }

  private passes(r: TraceRecord): boolean {
    const f = this.filter;
    if (f.exts && !f.exts.has(r.ext ?? r.eid ?? '?')) return false;
    if (f.harts && !f.harts.has(r.hart)) return false;
    if (f.failedOnly && !(r.error !== undefined && r.error !== 0)) return false;
    return true;
  }

  getTreeItem(e: RecordItem): vscode.TreeItem {
    return e;
  }

  getChildren(e?: RecordItem): RecordItem[] {
    return e ? [] : this.rows.filter((r) => this.passes(r.record));
  }

  dispose(): void {
    this.listener?.dispose();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}

/** The filter dialog: extensions, harts, failing calls only. */
export async function chooseFilter(view: RecordsView): Promise<void> {
  const { exts, harts } = view.seen();
  type Pick = vscode.QuickPickItem & { ext?: string; hart?: number; failed?: boolean };
  const cur = view.filter;
  const items: Pick[] = [
    { label: 'Failing calls only', failed: true, picked: !!cur.failedOnly },
    { label: 'Extensions', kind: vscode.QuickPickItemKind.Separator },
    ...exts.map((e) => ({ label: e, ext: e, picked: !cur.exts || cur.exts.has(e) })),
    { label: 'Harts', kind: vscode.QuickPickItemKind.Separator },
    ...harts.map((h) => ({ label: `hart ${h}`, hart: h, picked: !cur.harts || cur.harts.has(h) })),
  ];
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Show which hypercalls?' });
  if (!picked) return;
  const pe = picked.filter((p) => p.ext !== undefined).map((p) => p.ext!);
  const ph = picked.filter((p) => p.hart !== undefined).map((p) => p.hart!);
  view.setFilter({
    failedOnly: picked.some((p) => p.failed),
    exts: pe.length === exts.length ? undefined : new Set(pe),
    harts: ph.length === harts.length ? undefined : new Set(ph),
  });
}

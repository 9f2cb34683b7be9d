// The guest's serial port (UART, SBI console, virtio console) as an interactive VS Code terminal: what
// the guest prints arrives as `rvisor.serial` events, what the user types goes to the guest with the
// `rvisor.input` request. Works while the guest runs and while it is stopped (input waits in the UART).

import * as vscode from 'vscode';
import type { RvisorSession, Sessions } from './sessions.ts';

/** Serial output kept for a terminal that is not open yet, or reopened. */
const SCROLLBACK = 256 * 1024;

class SerialTerminal implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.write.event;
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidClose = this.closeEmitter.event;
  private opened = false;
  private backlog = '';
  private ended = false;
  terminal: vscode.Terminal | undefined;

  constructor(private readonly s: RvisorSession) {}

  open(): void {
    this.opened = true;
    if (this.backlog) this.write.fire(this.backlog);
    this.backlog = '';
  }

  close(): void {
    this.opened = false;
  }

  /** Guest output: a serial line's bare LF becomes CRLF for the terminal (as a tty's onlcr does). */
  output(text: string): void {
    const t = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.write.fire(t);
    else this.backlog = (this.backlog + t).slice(-SCROLLBACK);
  }

  handleInput(data: string): void {
    if (this.ended) return;
    this.s.session.customRequest('rvisor.input', { text: data }).then(undefined, (e: Error) => {
      this.write.fire(`\r\n\x1b[31m[rvisor: input not delivered: ${e.message}]\x1b[0m\r\n`);
    });
  }

  end(): void {
    this.ended = true;
    this.output('\r\n\x1b[2m[rvisor: the guest has ended]\x1b[0m\r\n');
  }

  dispose(): void {
    this.write.dispose();
    this.closeEmitter.dispose();
  }
}

export class SerialConsoles implements vscode.Disposable {
  private readonly bySession = new Map<string, SerialTerminal>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(sessions: Sessions) {
    this.subscriptions.push(
      sessions.onStarted((s) => this.start(s)),
      sessions.onEnded((s) => this.bySession.get(s.session.id)?.end()),
    );
  }

  private start(s: RvisorSession): void {
    if (s.session.configuration.serialConsole === 'debugConsole') return;
    const pty = new SerialTerminal(s);
    this.bySession.set(s.session.id, pty);
    s.serial.event((text) => pty.output(text));
    pty.terminal = vscode.window.createTerminal({ name: `rvisor serial: ${s.session.name}`, pty, iconPath: new vscode.ThemeIcon('vm') });
    pty.terminal.show(true);
  }

  /** Brings the current session's terminal forward. */
  show(s: RvisorSession | undefined): void {
    const t = s && this.bySession.get(s.session.id)?.terminal;
    if (t) t.show(false);
    else void vscode.window.showInformationMessage('rvisor: this session has no serial terminal (serialConsole is "debugConsole").');
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    for (const t of this.bySession.values()) t.dispose();
  }
}

// How VS Code reaches the debug adapter (dist/dap.js): its own process per session over stdio, or one
// adapter process serving every session over TCP on 127.0.0.1 (setting rvisor.adapter.mode), or — for
// `attach` — the adapter a running `rvisor run … --dap-port N` serves.

import * as vscode from 'vscode';
import { spawn, type ChildProcess } from 'node:child_process';

export class AdapterFactory implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  private server: { process: ChildProcess; port: Promise<number> } | undefined;

  constructor(private readonly adapterPath: string, private readonly log: vscode.OutputChannel) {}

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const c = session.configuration;
    if (c.request === 'attach') {
      if (typeof c.port !== 'number') throw new Error('attach: give the `port` of a guest started with `rvisor run … --dap-port PORT`');
      return new vscode.DebugAdapterServer(c.port, typeof c.host === 'string' ? c.host : '127.0.0.1');
    }
    const mode = vscode.workspace.getConfiguration('rvisor').get<string>('adapter.mode', 'process');
    if (mode === 'server') return new vscode.DebugAdapterServer(await this.serverPort());
    // The extension host's own runtime runs the adapter (Electron as node on the desktop).
    return new vscode.DebugAdapterExecutable(process.execPath, [this.adapterPath], { env: { ELECTRON_RUN_AS_NODE: '1' } });
  }

  /** The shared adapter server's port, starting it on first use (`dap.js --port 0` prints the port). */
  private serverPort(): Promise<number> {
    if (this.server && this.server.process.exitCode === null && !this.server.process.killed) return this.server.port;
    const child = spawn(process.execPath, [this.adapterPath, '--port', '0'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const port = new Promise<number>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('the rvisor adapter server did not start within 10 s')), 10_000);
      child.stderr!.on('data', (b: Buffer) => {
        text += b.toString();
        this.log.append(b.toString());
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the rvisor adapter server exited (${code}): ${text.trim()}`));
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    this.server = { process: child, port };
    return port;
  }

  dispose(): void {
    this.server?.process.kill();
    this.server = undefined;
  }
}

// The client of rvisor's language server (dist/language-server.js): trace files and RISC-V assembly.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function startLanguageClient(serverPath: string): LanguageClient {
  const run = { module: serverPath, transport: TransportKind.ipc };
  const serverOptions: ServerOptions = { run, debug: run };
  const cfg = vscode.workspace.getConfiguration('rvisor');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'rvisor-trace' }, { language: 'riscv-asm' }],
    // Later changes reach the server through the synchronized `rvisor` section.
    initializationOptions: { traceSymbols: cfg.get('trace.symbols', []), asmIncludePaths: cfg.get('asm.includePaths', []) },
    synchronize: { configurationSection: 'rvisor' },
  };
  const client = new LanguageClient('rvisor', 'rvisor language server', serverOptions, clientOptions);
  void client.start();
  return client;
}

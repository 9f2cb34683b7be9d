// launch.json support: defaults for a configuration, a kernel picked from the workspace when there is
// no launch.json, and no guests launched from an untrusted workspace.

import * as vscode from 'vscode';
import { open } from 'node:fs/promises';
import { isRiscvElf } from './format.ts';

/** RISC-V ELF files in the workspace (executables and kernels, not objects), nearest paths first. */
export async function findKernels(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const exclude = '{**/node_modules/**,**/.git/**,**/*.o,**/*.a,**/*.so,**/*.ko,**/*.c,**/*.h,**/*.S,**/*.s,**/*.json,**/*.md,**/*.txt}';
  const files = await vscode.workspace.findFiles('**/*', exclude, 5000, token);
  const found: vscode.Uri[] = [];
  for (const uri of files) {
    if (token?.isCancellationRequested) break;
    if (uri.scheme !== 'file') continue;
    try {
      const f = await open(uri.fsPath, 'r');
      const head = new Uint8Array(20);
      try {
        await f.read(head, 0, 20, 0);
      } finally {
        await f.close();
      }
      // e_type 2 (EXEC) or 3 (DYN): something that runs, not a relocatable object.
      if (isRiscvElf(head) && (head[16] === 2 || head[16] === 3)) found.push(uri);
    } catch {
      // unreadable: not a candidate
    }
  }
  return found.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
}

/** Asks the user for a kernel ELF from the workspace; undefined if they cancel or there is none. */
export async function pickKernel(): Promise<string | undefined> {
  const kernels = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'rvisor: looking for RISC-V kernels' }, (_p, token) => findKernels(token));
  if (kernels.length === 0) {
    void vscode.window.showErrorMessage('rvisor: no RISC-V ELF in this workspace. Build your kernel, or add a launch.json naming it ("kernel").');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(kernels.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), {
    title: 'rvisor: which kernel should boot?', placeHolder: 'RISC-V ELF files in the workspace',
  });
  return pick?.uri.fsPath;
}

export class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** Offered when launch.json is created. */
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const kernels = folder ? (await findKernels()).filter((u) => u.fsPath.startsWith(folder.uri.fsPath)) : [];
    const rel = (u: vscode.Uri): string => '${workspaceFolder}/' + vscode.workspace.asRelativePath(u, false);
    return [{
      type: 'rvisor', request: 'launch', name: 'rvisor: boot the kernel',
      kernel: kernels.length > 0 ? rel(kernels[0]) : '${workspaceFolder}/kernel.elf',
      stopOnEntry: false,
    }];
  }

  /** Fills defaults; with no launch.json (F5 on an empty configuration), asks which kernel to boot. */
  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!config.type && !config.request && !config.name) {
      const kernel = await pickKernel();
      if (!kernel) return undefined;
      config = { type: 'rvisor', request: 'launch', name: 'rvisor: boot ' + vscode.workspace.asRelativePath(kernel), kernel, stopOnEntry: false };
    }
    config.type ??= 'rvisor';
    config.request ??= 'launch';
    config.name ??= 'rvisor';
    if (config.request === 'launch' && !vscode.workspace.isTrusted) {
      // A launch.json can name any program, disk or network link: only a trusted workspace's may run.
      void vscode.window.showErrorMessage('rvisor: this workspace is not trusted, so rvisor does not launch guests from it. Trust the workspace to debug its kernels.');
      return undefined;
    }
    if (config.request === 'launch') {
      if (config.kernel === undefined && config.bios === undefined && config.config === undefined) {
        const kernel = await pickKernel();
        if (!kernel) return undefined;
        config.kernel = kernel;
      }
      config.cwd ??= folder?.uri.fsPath;
    }
    config.serialConsole ??= 'terminal';
    return config;
  }
}

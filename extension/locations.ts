// From a guest address to something to look at: its source line (the adapter resolves the pc through
// the guest's symbols in a `disassemble` request), or, for code without source, a disassembly
// document around it; and a read-only hex dump of guest memory. Both documents are read from the
// debug session when opened, through the adapter's own requests.

import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { formatDisassembly, hexDump } from './format.ts';

export const DISASM_SCHEME = 'rvisor-disasm';
export const MEMORY_SCHEME = 'rvisor-memory';

/** Instructions shown before and after the address in a disassembly document. */
const DISASM_BEFORE = 24;
const DISASM_COUNT = 72;
/** Bytes in a memory document (one 4 KiB page). */
const MEMORY_BYTES = 4096;

/** The debug session a document's URI names (by id; the active one when it names none). */
export type SessionLookup = (id: string | null) => vscode.DebugSession | undefined;

/**
 * A DAP source path as a document URI. In a remote window (code-server, SSH) VS Code hands the
 * adapter's paths to extensions as vscode-remote:// URIs; the extension host reads them as files.
 */
export function sourceUri(path: string): vscode.Uri {
  if (!/^[a-z][\w+.-]+:\/\//i.test(path)) return vscode.Uri.file(path);
  const u = vscode.Uri.parse(path);
  return u.scheme === 'vscode-remote' ? vscode.Uri.file(u.path) : u;
}

/**
 * Opens the source line of `pc` if the guest's symbols know it, else a disassembly around `pc`. With
 * `caller`, code inlined into a function (an SBI call wrapper) reveals the line of the function that
 * the inlined call came from: where the kernel made the call, not the wrapper's ecall.
 */
export async function revealAddress(session: vscode.DebugSession, pc: string, caller = false): Promise<void> {
  // The adapter resolves it by the symbols alone: this works while the guest runs.
  type Place = { source?: DebugProtocol.Source; line?: number };
  const r = await session.customRequest('rvisor.lookup', { address: pc }) as Place & { caller?: Place };
  const at = caller && r?.caller?.source?.path ? r.caller : r;
  if (at?.source?.path && at.line !== undefined) {
    const doc = await vscode.workspace.openTextDocument(sourceUri(at.source.path));
    const line = Math.max(0, Math.min(at.line - 1, doc.lineCount - 1));
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, doc.lineAt(line).text.length), preview: true });
    return;
  }
  await openDisassembly(session, pc);
}

/** A disassembly document (riscv-asm) around `pc`, with the cursor on `pc`'s line. */
export async function openDisassembly(session: vscode.DebugSession, pc: string): Promise<void> {
  const uri = vscode.Uri.from({ scheme: DISASM_SCHEME, path: `/${pc}.S`, query: `session=${session.id}` });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'riscv-asm');
  const target = BigInt(pc);
  let line = 0;
  for (let i = 0; i < doc.lineCount; i++) {
    const m = /^(?:=>)?\s*([0-9a-f]+):/.exec(doc.lineAt(i).text);
    if (m && BigInt('0x' + m[1]) === target) { line = i; break; }
  }
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0), preview: true });
}

/** A hex dump of one page of guest memory at `reference` (as the hart sees it, or `phys:0x…`). */
export async function openMemory(session: vscode.DebugSession, reference: string): Promise<void> {
  // VS Code's own memory view when a hex editor is installed; else our read-only dump.
  if (vscode.extensions.getExtension('ms-vscode.hexeditor')) {
    const uri = vscode.Uri.from({ scheme: 'vscode-debug-memory', authority: session.id, path: `/${encodeURIComponent(reference)}/memory.bin`, query: `?range=0:${MEMORY_BYTES}` });
    await vscode.commands.executeCommand('vscode.openWith', uri, 'hexEditor.hexedit');
    return;
  }
  const uri = vscode.Uri.from({ scheme: MEMORY_SCHEME, path: `/${reference.replace(/:/g, '-')}.hexdump`, query: `session=${session.id}&ref=${encodeURIComponent(reference)}` });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}

const query = (uri: vscode.Uri, key: string): string | null => new URLSearchParams(uri.query).get(key);

/** The content of rvisor-disasm: documents. */
export class DisassemblyProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly sessionOf: SessionLookup) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const session = this.sessionOf(query(uri, 'session'));
    const pc = uri.path.replace(/^\//, '').replace(/\.S$/, '');
    if (!session) return `# the debug session of this disassembly has ended\n`;
    let r: DebugProtocol.DisassembleResponse['body'];
    try {
      r = await session.customRequest('disassemble', { memoryReference: pc, instructionOffset: -DISASM_BEFORE, instructionCount: DISASM_COUNT, resolveSymbols: true });
    } catch (e) {
      return `# cannot disassemble at ${pc}: ${(e as Error).message}\n`;
    }
    return formatDisassembly(r?.instructions ?? [], BigInt(pc));
  }
}

/** The content of rvisor-memory: documents. */
export class MemoryProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly sessionOf: SessionLookup) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const session = this.sessionOf(query(uri, 'session'));
    const ref = query(uri, 'ref') ?? '0x0';
    if (!session) return `the debug session of this memory view has ended\n`;
    let r: DebugProtocol.ReadMemoryResponse['body'];
    try {
      r = await session.customRequest('readMemory', { memoryReference: ref, offset: 0, count: MEMORY_BYTES });
    } catch (e) {
      return `cannot read memory at ${ref}: ${(e as Error).message}\n`;
    }
    const bytes = r?.data ? Buffer.from(r.data, 'base64') : Buffer.alloc(0);
    const base = BigInt(r?.address ?? ref.replace(/^phys:/, ''));
    return `${ref}: ${bytes.length} bytes${(r?.unreadableBytes ?? 0) > 0 ? `, ${r!.unreadableBytes} unreadable` : ''}\n\n` + hexDump(bytes, base);
  }
}


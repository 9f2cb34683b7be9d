// The language server as VS Code runs it: a child process speaking LSP over stdio (JSON-RPC with
// vscode-jsonrpc's stream reader/writer): initialize, open a trace and an assembly file, hover,
// definition, outline, diagnostics, a configuration change, shutdown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, DocumentSymbol, Hover, Location, MarkupContent } from 'vscode-languageserver';
import { ROOT } from '../../helpers/cli.ts';
import { DEMO, addr2line, demoTraceFromCli, hasAddr2line, message } from './trace-helpers.ts';

let proc: ChildProcessWithoutNullStreams;
let rpc: MessageConnection;
let dir: string;
let traceText: string;
const diagnostics = new Map<string, Diagnostic[][]>();
/** Pending checks; each returns true once it is done. */
let waiters: Array<() => boolean> = [];

/** Resolves with the next diagnostics published for `uri` that satisfy `ok`. */
function diagnosticsFor(uri: string, ok: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no diagnostics for ${uri}: ${JSON.stringify(diagnostics.get(uri))}`)), 20_000);
    const check = (): boolean => {
      const hit = diagnostics.get(uri)?.find(ok);
      if (!hit) return false;
      clearTimeout(timer);
      res(hit);
      return true;
    };
    if (!check()) waiters.push(check);
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rvisor-ls-'));
  traceText = demoTraceFromCli();
  proc = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'extension/language/server.ts'), '--stdio'], { cwd: ROOT });
  proc.stderr.on('data', (b: Buffer) => process.stderr.write(`[server] ${b}`));
  rpc = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  rpc.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p.diagnostics]);
    waiters = waiters.filter((w) => !w());
  });
  rpc.listen();
  const init = await rpc.sendRequest('initialize', {
    processId: process.pid, rootUri: pathToFileURL(ROOT).href, capabilities: {},
    workspaceFolders: [{ uri: pathToFileURL(ROOT).href, name: 'rvisor' }],
    initializationOptions: { traceSymbols: [], asmIncludePaths: ['guests/include'] },
  }) as { capabilities: Record<string, unknown> };
  assert.equal(init.capabilities.hoverProvider, true);
  assert.equal(init.capabilities.definitionProvider, true);
  assert.equal(init.capabilities.documentSymbolProvider, true);
  await rpc.sendNotification('initialized', {});
});

after(async () => {
  try {
    await rpc.sendRequest('shutdown');
    await rpc.sendNotification('exit');
  } finally {
    rpc.dispose();
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

const open = (uri: string, languageId: string, text: string): Promise<void> =>
  rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });

test('a trace: hover on a DBCN call, definition to its source line, outline, no diagnostics', async () => {
  const file = join(dir, 'demo.rvtrace');
  writeFileSync(file, traceText);
  const uri = pathToFileURL(file).href;
  await open(uri, 'rvisor-trace', traceText);
  const lines = traceText.split('\n');
  const n = lines.findIndex((l) => l.includes('"fn":"console_write"'));
  const hover = await rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: n, character: 5 } }) as Hover;
  const text = (hover.contents as MarkupContent).value;
  assert.match(text, /SBI call DBCN\.console_write/);
  assert.match(text, /num_bytes/);
  assert.match(text, /sbi_debug_console_write\+0x/);
  const defs = await rpc.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: n, character: 5 } }) as Location[];
  assert.ok(defs.length >= 1);
  const pc = BigInt((JSON.parse(lines[n]) as { pc: string }).pc);
  if (hasAddr2line()) {
    assert.deepEqual(defs.map((d) => ({ path: fileURLToPath(d.uri), line: d.range.start.line + 1 })), addr2line(DEMO, pc));
  }
  assert.ok(defs.some((d) => fileURLToPath(d.uri) === resolve(ROOT, 'guests/demo/sbi.c')));
  const outline = await rpc.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }) as DocumentSymbol[];
  assert.deepEqual(outline.map((s) => s.name).slice(0, 2), ['rvisor-trace v1', 'hart 0']);
  assert.deepEqual(await diagnosticsFor(uri), []);
});

test('an edit that breaks the trace is diagnosed; a change of settings is taken', async () => {
  const uri = pathToFileURL(join(dir, 'edited.rvtrace')).href;
  const text = traceText.replace(/\n$/, '') + '\n';
  await open(uri, 'rvisor-trace', text);
  await diagnosticsFor(uri, (d) => d.length === 0);
  const lines = text.split('\n');
  await rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: lines.length - 1, character: 0 }, end: { line: lines.length - 1, character: 0 } }, text: 'junk\n' }],
  });
  const d = await diagnosticsFor(uri, (x) => x.length > 0);
  assert.ok(d.some((x) => x.severity === 1 && /not a JSON line/.test(message(x.message)) && x.range.start.line === lines.length - 1));
  // A symbol file named in the settings that does not exist is reported on the header.
  await rpc.sendNotification('workspace/didChangeConfiguration', { settings: { rvisor: { trace: { symbols: ['/nonexistent/vmlinux'] } } } });
  const after = await diagnosticsFor(uri, (x) => x.some((y) => /cannot load symbol file \/nonexistent\/vmlinux/.test(message(y.message))));
  assert.equal(after.find((y) => /vmlinux/.test(message(y.message)))!.range.start.line, 0);
});

test('assembly: hover on a CSR, a macro from an include, diagnostics for an unknown mnemonic only', async () => {
  const uri = pathToFileURL(resolve(ROOT, 'guests/tests/scratch-ls.S')).href; // never written: the server reads the text it is sent
  const text = '#include "common.h"\n\tcsrw mstatus, t0\n\tCHECK t0, 1\n\tfrobnicate a0\n';
  await open(uri, 'riscv-asm', text);
  const hover = await rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } }) as Hover;
  assert.match((hover.contents as MarkupContent).value, /\*\*mstatus\*\* — CSR 0x300/);
  const macro = await rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 2 } }) as Hover;
  assert.match((macro.contents as MarkupContent).value, /\*\*CHECK\*\* — assembler macro \(.*guests\/tests\/common\.h:\d+\)/);
  const def = await rpc.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 2, character: 2 } }) as Location;
  assert.equal(fileURLToPath(def.uri), resolve(ROOT, 'guests/tests/common.h'));
  const d = await diagnosticsFor(uri);
  assert.deepEqual(d.map((x) => [x.range.start.line, message(x.message)]), [[3, "unknown instruction or macro 'frobnicate'"]]);
});

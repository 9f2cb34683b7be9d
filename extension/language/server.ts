// rvisor's language server (bundled as dist/language-server.js; started by the extension through
// vscode-languageclient, over IPC or stdio): trace files (languageId `rvisor-trace`) and RISC-V assembly
// (`riscv-asm`). The connection only; the features are trace-features.ts and asm-features.ts.
//
// initializationOptions (all optional): { traceSymbols: SymbolSetting[], asmIncludePaths: string[] } —
// the settings rvisor.trace.symbols and rvisor.asm.includePaths; later changes arrive as
// workspace/didChangeConfiguration ({ rvisor: { trace: { symbols }, asm: { includePaths } } }), or are
// pulled with workspace/configuration when the client offers it. Relative paths are relative to the
// first workspace folder.

import {
  createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type Connection, type Diagnostic, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseTrace, type ParsedTrace } from './trace.ts';
import { traceDefinition, traceDiagnostics, traceHover, traceOutline, traceSymbolSpecs, type SymbolSetting, type TraceContext } from './trace-features.ts';
import { asmDefinition, asmDiagnostics, asmHover, asmOutline, parseAsm, resolveIncludes, type AsmDocument } from './asm-features.ts';
import { SymbolFileCache } from './symbol-files.ts';

interface Settings {
  traceSymbols: SymbolSetting[];
  asmIncludePaths: string[];
}

const TRACE = 'rvisor-trace';
const ASM = 'riscv-asm';
const DEBOUNCE_MS = 200;

function filePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

const asArray = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new SymbolFileCache();
  let settings: Settings = { traceSymbols: [], asmIncludePaths: [] };
  let roots: string[] = [];
  let pullConfiguration = false;
  const traces = new Map<string, { version: number; trace: ParsedTrace }>();
  const asms = new Map<string, { version: number; doc: AsmDocument; missing: string[] }>();
  const timers = new Map<string, NodeJS.Timeout>();

  const base = (): string | undefined => roots[0];
  const absolute = (p: string): string => (isAbsolute(p) || !base() ? p : resolve(base()!, p.replace(/^\$\{workspaceFolder\}[\\/]?/, '')));

  const readSettings = (v: Record<string, unknown> | undefined, nested: boolean): void => {
    if (!v) return;
    const trace = nested ? (v.trace as Record<string, unknown> | undefined)?.symbols : v.traceSymbols;
    const include = nested ? (v.asm as Record<string, unknown> | undefined)?.includePaths : v.asmIncludePaths;
    settings = {
      traceSymbols: trace === undefined ? settings.traceSymbols : asArray<SymbolSetting>(trace).filter((s) => typeof s === 'string' || (typeof s === 'object' && s !== null && typeof s.path === 'string')),
      asmIncludePaths: include === undefined ? settings.asmIncludePaths : asArray<unknown>(include).filter((s): s is string => typeof s === 'string'),
    };
    asms.clear(); // include paths may have changed
  };

  const traceOf = (doc: TextDocument): ParsedTrace => {
    const hit = traces.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.trace;
    const trace = parseTrace(doc.getText());
    traces.set(doc.uri, { version: doc.version, trace });
    return trace;
  };

  // Included files, read again only when they change (a kernel's .S pulls in many headers).
  const included = new Map<string, { mtimeMs: number; text: string }>();
  const readIncluded = (path: string): string | undefined => {
    try {
      const { mtimeMs } = statSync(path);
      const hit = included.get(path);
      if (hit?.mtimeMs === mtimeMs) return hit.text;
      const text = readFileSync(path, 'utf8');
      included.set(path, { mtimeMs, text });
      return text;
    } catch {
      return undefined;
    }
  };

  const asmOf = (doc: TextDocument): { doc: AsmDocument; missing: string[] } => {
    const hit = asms.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    const parsed = parseAsm(doc.getText());
    const missing = resolveIncludes(parsed, { path: filePath(doc.uri), includePaths: settings.asmIncludePaths.map(absolute), readFile: readIncluded });
    const entry = { version: doc.version, doc: parsed, missing };
    asms.set(doc.uri, entry);
    return entry;
  };

  const traceContext = (doc: TextDocument, trace: ParsedTrace): TraceContext => {
    const path = filePath(doc.uri);
    const dir = path ? dirname(path) : undefined;
    const specs = traceSymbolSpecs(trace, dir, settings.traceSymbols, base());
    const { symbols, problems } = cache.symbols(specs);
    return { symbols: symbols.files.length > 0 ? symbols : undefined, roots: [...roots, ...(dir ? [dir] : [])], symbolProblems: problems };
  };

  const validate = (doc: TextDocument): void => {
    let diagnostics: Diagnostic[] = [];
    try {
      if (doc.languageId === TRACE) {
        const trace = traceOf(doc);
        diagnostics = traceDiagnostics(trace, traceContext(doc, trace));
      } else if (doc.languageId === ASM) {
        const { doc: parsed, missing } = asmOf(doc);
        diagnostics = asmDiagnostics(parsed, missing);
      }
    } catch (e) {
      connection.console.error(`rvisor: ${doc.uri}: ${(e as Error).stack ?? e}`);
    }
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const schedule = (doc: TextDocument): void => {
    clearTimeout(timers.get(doc.uri));
    timers.set(doc.uri, setTimeout(() => {
      timers.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) validate(current);
    }, DEBOUNCE_MS));
  };

  const pull = async (): Promise<void> => {
    if (!pullConfiguration) return;
    const v = (await connection.workspace.getConfiguration('rvisor')) as Record<string, unknown> | null;
    readSettings(v ?? undefined, true);
  };

  connection.onInitialize((params: InitializeParams) => {
    const folders = params.workspaceFolders?.map((f) => filePath(f.uri)) ?? [params.rootUri ? filePath(params.rootUri) : params.rootPath ?? undefined];
    roots = folders.filter((f): f is string => typeof f === 'string');
    readSettings(params.initializationOptions as Record<string, unknown> | undefined, false);
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'rvisor' },
    };
  });

  connection.onInitialized(() => {
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'rvisor' }).catch(() => undefined);
      void pull().then(() => documents.all().forEach(validate), () => undefined);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as Record<string, unknown> | null | undefined)?.rvisor as Record<string, unknown> | undefined;
    const done = pushed ? Promise.resolve(readSettings(pushed, true)) : pull();
    void done.then(() => documents.all().forEach(validate), () => undefined);
  });

  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    traces.delete(e.document.uri);
    asms.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return null;
    if (doc.languageId === TRACE) {
      const trace = traceOf(doc);
      return traceHover(trace, position.line, position.character, traceContext(doc, trace));
    }
    return doc.languageId === ASM ? asmHover(asmOf(doc).doc, position.line, position.character) : null;
  });

  connection.onDefinition(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (doc?.languageId === TRACE) {
      const trace = traceOf(doc);
      return traceDefinition(trace, position.line, position.character, traceContext(doc, trace));
    }
    if (doc?.languageId !== ASM) return null;
    const def = asmDefinition(asmOf(doc).doc, position.line, position.character);
    if (!def) return null;
    const at = { line: def.line, character: 0 };
    return { uri: def.file ? pathToFileURL(def.file).href : doc.uri, range: { start: at, end: at } };
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    if (doc?.languageId === TRACE) return traceOutline(traceOf(doc));
    return doc?.languageId === ASM ? asmOutline(asmOf(doc).doc) : null;
  });

  documents.listen(connection);
  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));

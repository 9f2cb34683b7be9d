// Bundles the CLI, the debug adapter, the VS Code extension and its language server with esbuild
// into dist/ (the extension's package holds only these bundles: see .vscodeignore).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { outdir: 'dist', bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { rvisor: 'cli/rvisor.ts', dap: 'adapter/dap.ts' },
  banner: { js: '#!/usr/bin/env node' },
});
// The extension runs in VS Code's extension host, which provides `vscode`.
await build({
  ...common,
  entryPoints: {
    extension: 'extension/extension.ts',
    ...(existsSync('extension/language/server.ts') ? { 'language-server': 'extension/language/server.ts' } : {}),
  },
  external: ['vscode'],
});

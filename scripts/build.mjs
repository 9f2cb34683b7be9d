// Bundles the CLI (and later the adapter and extension) with esbuild into dist/.
import { build } from 'esbuild';

await build({
  entryPoints: { rvisor: 'cli/rvisor.ts', dap: 'adapter/dap.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});

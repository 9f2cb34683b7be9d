// Bundles the in-host test harness (test/extension/host/runner.ts) with every test/extension/host/*.host.ts
// into one CommonJS file for VS Code's extensionTestsPath: its `run()` runs the tests in the extension
// host (docs/testing.md). `vscode` stays external: the extension host provides it.
//   node scripts/build-host-tests.mjs [OUT]     (default dist/host-tests.js)
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const HOST_TEST_DIR = join(ROOT, 'test', 'extension', 'host');

/**
 * Writes the bundle to `outFile` (with an inline source map) and returns the test files it holds.
 * @param {string} outFile
 * @returns {Promise<{ outFile: string, files: string[] }>}
 */
export async function buildHostTests(outFile) {
  const files = readdirSync(HOST_TEST_DIR).filter((f) => f.endsWith('.host.ts')).sort();
  // The runner first: each test file registers its tests with it as it is evaluated.
  const contents = [`export { run } from './runner.ts';`, ...files.map((f) => `import './${f}';`)].join('\n');
  await build({
    stdin: { contents, resolveDir: HOST_TEST_DIR, sourcefile: 'host-tests.entry.ts', loader: 'ts' },
    outfile: resolve(outFile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: 'inline', // the runner maps failures' stacks back to the .ts lines with it
    logLevel: 'warning',
  });
  return { outFile: resolve(outFile), files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outFile, files } = await buildHostTests(process.argv[2] ?? join(ROOT, 'dist', 'host-tests.js'));
  console.log(`${outFile}: ${files.join(', ')}`);
}

// The extension's manifest (package.json contributes) against what it must agree with: the launch
// attributes with the guest-config schema and the adapter's launch request, every command, view,
// grammar and snippet with what exists, and the packaged .vsix with what it must (not) hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/cli.ts';
import { REQUESTS } from '../../adapter/requests.ts';

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const schema = JSON.parse(readFileSync(resolve(ROOT, 'schemas/rvisor-config.schema.json'), 'utf8'));
const debuggerContribution = pkg.contributes.debuggers.find((d: { type: string }) => d.type === 'rvisor');
const launch = debuggerContribution.configurationAttributes.launch.properties;
const attach = debuggerContribution.configurationAttributes.attach.properties;

/** The schema node with its $refs resolved, without the words (descriptions, defaults). */
function constraints(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(constraints);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.$ref === 'string') return constraints({ ...schema.$defs[o.$ref.split('/').pop()!], ...o, $ref: undefined });
    return Object.fromEntries(Object.entries(o)
      .filter(([k, v]) => v !== undefined && !['description', 'markdownDescription', 'default', 'enumDescriptions'].includes(k))
      .map(([k, v]) => [k, constraints(v)]));
  }
  return node;
}

test('launch attributes: every guest-config field with the schema\'s own constraints, each described', () => {
  const guest = schema.$defs.guest.properties;
  const ignored = new Set(['name', 'maxSteps']);
  for (const [name, def] of Object.entries(guest)) {
    if (ignored.has(name)) continue;
    assert.ok(launch[name], `launch lacks the guest field ${name}`);
    assert.deepEqual(constraints(launch[name]), constraints(def), `launch.${name} differs from the schema`);
  }
  for (const [name, def] of Object.entries({ ...launch, ...attach }) as Array<[string, { description?: string }]>) {
    assert.ok(def.description && def.description.length > 10, `${name} has no description`);
  }
  // What the editor may send, the adapter accepts.
  const accepted = new Set(Object.keys(REQUESTS.launch.optional ?? {}));
  for (const name of Object.keys(launch)) assert.ok(accepted.has(name), `the adapter's launch does not declare ${name}`);
});

test('snippets and initial configurations use declared attributes only', () => {
  const all = [...debuggerContribution.initialConfigurations, ...debuggerContribution.configurationSnippets.map((s: { body: unknown }) => s.body)];
  assert.ok(debuggerContribution.configurationSnippets.length >= 5);
  for (const c of all) {
    const props = c.request === 'attach' ? attach : launch;
    for (const key of Object.keys(c)) {
      if (['type', 'request', 'name'].includes(key)) continue;
      assert.ok(props[key], `${c.name}: ${key} is not a ${c.request} attribute`);
    }
  }
  const labels = debuggerContribution.configurationSnippets.map((s: { label: string }) => s.label).join('|');
  for (const what of ['demo', 'OpenSBI', 'Linux', 'xv6', 'attach']) assert.match(labels, new RegExp(what));
});

test('commands, menus, views, languages and grammars refer to what exists', () => {
  const c = pkg.contributes;
  const commands = new Set(c.commands.map((x: { command: string }) => x.command));
  const source = readFileSync(resolve(ROOT, 'extension/extension.ts'), 'utf8');
  for (const cmd of commands) assert.match(source, new RegExp(`command\\('${String(cmd).replace(/\./g, '\\.')}'`), `${cmd} is not registered`);
  for (const items of Object.values(c.menus) as Array<Array<{ command: string }>>) {
    for (const m of items) assert.ok(commands.has(m.command), `menu names undeclared ${m.command}`);
  }
  for (const v of c.views.debug) assert.match(source, new RegExp(`createTreeView\\('${v.id.replace(/\./g, '\\.')}'`), `${v.id} has no provider`);
  const langs = new Set(c.languages.map((l: { id: string }) => l.id));
  for (const l of c.languages) if (l.configuration) assert.ok(existsSync(resolve(ROOT, l.configuration)), l.configuration);
  for (const g of c.grammars) {
    assert.ok(langs.has(g.language));
    assert.ok(existsSync(resolve(ROOT, g.path)), `grammar ${g.path}`);
    assert.equal(JSON.parse(readFileSync(resolve(ROOT, g.path), 'utf8')).scopeName, g.scopeName);
  }
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('the package holds the bundles, grammars, schema, manifest and docs, and no sources or dev files', () => {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').sort();
  for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/extension.js', 'dist/dap.js', 'dist/language-server.js', 'schemas/rvisor-config.schema.json']) {
    assert.ok(files.includes(f), `${f} is not packaged`);
  }
  for (const g of pkg.contributes.grammars) assert.ok(files.includes(g.path.replace(/^\.\//, '')), `${g.path} is not packaged`);
  const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/(extension|dap|language-server)\.js|schemas\/[\w.-]+\.json|syntaxes\/[\w.-]+\.json)$/.test(f));
  assert.deepEqual(unexpected, []);
});

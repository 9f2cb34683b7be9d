// rvisor run --config FILE: several guests side by side, each isolated; a guest that executes
// garbage, spins or is killed stops alone while the others finish their work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI, ROOT, runCli } from '../helpers/cli.ts';
import { prng } from '../helpers/prng.ts';

const DEMO = resolve(ROOT, 'guests/demo/demo.elf');
const DEMO_END = 'all tasks succeeded; powering off through SBI SRST';

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-guests-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function garbage(dir: string): string {
  const rnd = prng(0x6a7ba6e);
  const bytes = new Uint8Array(64 * 1024);
  for (let i = 0; i < bytes.length; i += 4) new DataView(bytes.buffer).setUint32(i, rnd() >>> 0, true);
  const file = join(dir, 'garbage.bin');
  writeFileSync(file, bytes);
  return file;
}

test('a guest executing garbage stops alone; two demo guests beside it finish', () => withDir(async (dir) => {
  const cfg = join(dir, 'guests.json');
  writeFileSync(cfg, JSON.stringify({
    guests: [
      { name: 'junk', kernel: garbage(dir), maxSteps: 5_000_000 },
      { name: 'demo1', kernel: DEMO },
      { name: 'demo2', kernel: DEMO, memory: '64M' },
    ],
  }));
  const run = runCli(['run', '--config', cfg]);
  const e = await run.exit;
  assert.equal(e.code, 1, 'not every guest succeeded');
  assert.match(e.stderr, /guest junk: stopped at its step limit/);
  assert.match(e.stderr, /guest demo1: powered off, status 0/);
  assert.match(e.stderr, /guest demo2: powered off, status 0/);
  for (const g of ['demo1', 'demo2']) assert.ok(run.output().includes(`[${g}] summary: ${DEMO_END}`), `${g} finished its work`);
}));

test('a guest killed from the console (Ctrl-A k) stops alone', () => withDir(async (dir) => {
  const cfg = join(dir, 'guests.json');
  // The spinning guest is first: the console starts on it.
  writeFileSync(cfg, JSON.stringify({ guests: [{ name: 'spin', kernel: garbage(dir) }, { name: 'demo', kernel: DEMO }] }));
  // A real terminal (script(1) gives the CLI a pty), so Ctrl-A works as for a person.
  const proc = spawn('script', ['-qfec', `${process.execPath} ${CLI} run --config ${cfg}`, '/dev/null'], { cwd: ROOT });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  const exited = new Promise<number | null>((res) => proc.on('close', res));
  await new Promise((r) => setTimeout(r, 1500));
  proc.stdin.write('\x01k');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
  if (code === 'timeout') proc.kill('SIGKILL');
  assert.equal(code, 1, out.slice(-2000));
  assert.match(out, /guest spin: killed by Ctrl-A k/);
  assert.match(out, /guest demo: powered off, status 0/);
  assert.ok(out.includes(`[demo] summary: ${DEMO_END}`));
}));

test('a bad configuration is a clear error naming the problem, and nothing runs', () => withDir(async (dir) => {
  const cases: Array<[unknown, RegExp]> = [
    [{ guests: [{ name: 'a', kernel: DEMO, memroy: '64M' }] }, /\/guests\/0: must NOT have additional properties 'memroy'/],
    [{ guests: [{ name: 'a' }] }, /\/guests\/0: must have required property 'kernel'/],
    [{ guests: [{ name: 'a', kernel: 'nope.elf' }] }, /guests\[0\] \(a\)\.kernel: no such file/],
    [{ guests: [{ name: 'a', kernel: DEMO }, { name: 'a', kernel: DEMO }] }, /two guests are named 'a'/],
    [{ guests: [{ name: 'a', kernel: DEMO, nics: [{ switch: 'lan' }] }] }, /no switch named 'lan'/],
    [{ guests: [{ name: 'a', kernel: DEMO, memory: '12Q' }] }, /\/guests\/0\/memory: must match pattern/],
    [{ guests: [] }, /\/guests: must NOT have fewer than 1 items/],
  ];
  for (const [cfg, want] of cases) {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(cfg));
    const e = await runCli(['run', '--config', file]).exit;
    assert.equal(e.code, 2, JSON.stringify(cfg));
    assert.match(e.stderr, want);
  }
  writeFileSync(join(dir, 'broken.json'), '{ "guests": [');
  const e = await runCli(['run', '--config', join(dir, 'broken.json')]).exit;
  assert.equal(e.code, 2);
  assert.match(e.stderr, /is not valid JSON/);
}));

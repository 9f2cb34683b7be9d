// rvisor snapshot / restore and migration between two rvisor processes over loopback (stop-and-copy):
// the machine continues in a new process with byte-identical serial output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli } from '../helpers/cli.ts';

const DEMO = ['-kernel', 'guests/demo/demo.elf'];

async function uninterrupted(): Promise<string> {
  const full = runCli(DEMO);
  assert.equal((await full.exit).code, 0);
  return full.output();
}

test('a snapshot restored in a new process gives byte-identical output to an uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-snap-'));
  try {
    const file = join(dir, 'demo.snap');
    const whole = uninterrupted();
    const first = runCli(['snapshot', '--at', '2500000', '-o', file, ...DEMO]);
    assert.equal((await first.exit).code, 0);
    const second = runCli(['restore', file]);
    assert.equal((await second.exit).code, 0);
    assert.ok(first.output().length > 0 && second.output().length > 0, 'output on both sides of the snapshot');
    assert.equal(first.output() + second.output(), await whole);
    // A damaged file is a clear error.
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    const bad = await runCli(['restore', file]).exit;
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a valid rvisor snapshot: truncated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a machine migrates to another rvisor process over loopback and finishes there', async () => {
  const port = await freePort();
  const whole = uninterrupted();
  const target = runCli(['-incoming', `tcp:127.0.0.1:${port}`]);
  // Wait until it listens.
  for (let i = 0; i < 200 && !/waiting for a migration/.test(target.errors()); i++) await new Promise((r) => setTimeout(r, 25));
  assert.match(target.errors(), /waiting for a migration/);
  const source = runCli([...DEMO, '--migrate-to', `127.0.0.1:${port}`, '--migrate-at', '2500000']);
  const s = await source.exit;
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stderr, /migrated to 127\.0\.0\.1:\d+ at step 2500000/);
  const t = await target.exit;
  assert.equal(t.code, 0, t.stderr);
  assert.equal(source.output() + target.output(), await whole);
});

test('migration options are checked', async () => {
  const e = await runCli([...DEMO, '--migrate-to', '127.0.0.1:1']).exit;
  assert.equal(e.code, 2);
  assert.match(e.stderr, /--migrate-to HOST:PORT and --migrate-at STEPS go together/);
  const f = await runCli(['-incoming', 'unix:/tmp/x']).exit;
  assert.equal(f.code, 2);
  assert.match(f.stderr, /over tcp:HOST:PORT/);
});

// rvisor run --config FILE: several guests side by side, each isolated; a guest that executes
// garbage, spins or is killed stops alone while the others finish their work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI, ROOT, runCli } from '../helpers/cli.ts';
import { prng } from '../helpers/prng.ts';
import { assemble } from '../helpers/asm.ts';

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

test('a guest flooding its virtio disk with hostile descriptors gets errors alone; the image is untouched and a guest beside it finishes', () => withDir(async (dir) => {
  // M-mode (-bios none): set up queue 0 of the disk in the highest slot (where the first device goes),
  // then forever fill the descriptor table and available ring with random words and notify; reset the
  // device whenever it says DEVICE_NEEDS_RESET.
  const prog = assemble([
    '  li s0, 0x10008000',
    '  li s1, 0x2545f4914f6cdd1d',
    'restart:',
    '  sw zero, 0x70(s0)',
    '  li t0, 3', '  sw t0, 0x70(s0)',
    '  li t0, 1', '  sw t0, 0x24(s0)', '  sw t0, 0x20(s0)', // VERSION_1
    '  li t0, 11', '  sw t0, 0x70(s0)',
    '  sw zero, 0x30(s0)',
    '  li t0, 16', '  sw t0, 0x38(s0)',
    '  li t0, 0x80100000', '  sw t0, 0x80(s0)', '  sw zero, 0x84(s0)',
    '  li t0, 0x80100100', '  sw t0, 0x90(s0)', '  sw zero, 0x94(s0)',
    '  li t0, 0x80100200', '  sw t0, 0xa0(s0)', '  sw zero, 0xa4(s0)',
    '  li t0, 1', '  sw t0, 0x44(s0)',
    '  li t0, 15', '  sw t0, 0x70(s0)',
    'flood:',
    '  li t1, 0x80100000',
    '  li t2, 0x80100128', // the descriptor table (16 x 16 bytes) and the available ring
    'fill:',
    '  slli t3, s1, 13', '  xor s1, s1, t3',
    '  srli t3, s1, 7', '  xor s1, s1, t3',
    '  slli t3, s1, 17', '  xor s1, s1, t3',
    '  sd s1, 0(t1)',
    '  addi t1, t1, 8',
    '  bltu t1, t2, fill',
    '  sw zero, 0x50(s0)',
    '  lw t0, 0x70(s0)',
    '  andi t0, t0, 64',
    '  bnez t0, restart',
    '  lw t0, 0x60(s0)', '  sw t0, 0x64(s0)',
    '  j flood',
  ]);
  const kernel = join(dir, 'flood.bin');
  writeFileSync(kernel, prog.bytes);
  const img = join(dir, 'disk.img');
  writeFileSync(img, Buffer.alloc(1 << 20, 0xa5));
  const cfg = join(dir, 'guests.json');
  writeFileSync(cfg, JSON.stringify({
    guests: [
      { name: 'flood', bios: 'none', kernel, memory: '16M', disks: [{ file: img }], maxSteps: 20_000_000, trace: join(dir, 'flood.trace') },
      { name: 'demo', kernel: DEMO },
    ],
  }));
  const run = runCli(['run', '--config', cfg]);
  const e = await run.exit;
  assert.match(e.stderr, /guest flood: stopped at its step limit/);
  assert.match(e.stderr, /guest demo: powered off, status 0/);
  assert.ok(run.output().includes(`[demo] summary: ${DEMO_END}`));
  assert.ok(readFileSync(img).every((b) => b === 0xa5), 'the image is untouched');
  // The device saw the flood: many notifications, many error completions, resets.
  const lines = readFileSync(join(dir, 'flood.trace'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const notifies = lines.filter((l) => l.what === 'virtio-notify').length;
  assert.ok(notifies >= 10_000, `${notifies} notifications`);
  const failed = lines.filter((l) => l.what === 'virtio-complete' && (l.error !== undefined || l.status === 'IOERR')).length;
  const resets = lines.filter((l) => l.what === 'virtio-irq' && l.queue === -1).length;
  assert.ok(failed + resets > 100, `errors: ${failed} failed requests, ${resets} configuration-change interrupts (NEEDS_RESET)`);
}));

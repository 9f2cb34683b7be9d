// The command-line launcher: QEMU-style flags, named errors, exit status from the guest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { parseRunArgs, parseSize, UsageError } from '../../cli/args.ts';

test('parseSize reads QEMU sizes and rejects bad ones', () => {
  assert.equal(parseSize('128M'), 128 * 1024 * 1024);
  assert.equal(parseSize('1G'), 1024 * 1024 * 1024);
  assert.equal(parseSize('256'), 256 * 1024 * 1024);
  assert.throws(() => parseSize('12Q'), UsageError);
  assert.throws(() => parseSize('100K'), /too small/);
  assert.throws(() => parseSize('64G'), /too large/);
});

test('parseRunArgs maps QEMU flags and names unsupported ones', () => {
  const o = parseRunArgs(['-machine', 'virt', '-m', '256M', '-smp', '2', '-kernel', 'k', '-append', 'console=ttyS0', '-nographic']);
  assert.deepEqual(o.config, { machine: 'virt', ramSize: 256 * 1024 * 1024, harts: 2, kernel: 'k', append: 'console=ttyS0' });
  assert.throws(() => parseRunArgs(['-kernel', 'k', '-device', 'virtio-blk']), /unsupported option '-device'/);
  assert.throws(() => parseRunArgs(['-machine', 'sifive_u', '-kernel', 'k']), /unsupported machine 'sifive_u'/);
  assert.throws(() => parseRunArgs(['-kernel', 'k', '-cpu', 'rv64,h=on']), /unsupported -cpu properties: h/);
  assert.throws(() => parseRunArgs(['-kernel']), /-kernel needs an argument/);
  assert.throws(() => parseRunArgs([]), /nothing to run/);
});

test('the demo guest runs through the CLI and its poweroff code is the exit status', async () => {
  const r = runCli(['run', '-kernel', 'guests/demo/demo.elf', '-nographic']);
  const { code } = await r.exit;
  assert.equal(code, 0);
  assert.match(r.output(), /all tasks succeeded/);
});

test('missing and malformed files give a clear error and exit status 1', async () => {
  const r1 = runCli(['-kernel', '/nonexistent/kernel.elf']);
  const e1 = await r1.exit;
  assert.equal(e1.code, 1);
  assert.match(e1.stderr, /cannot read kernel '\/nonexistent\/kernel\.elf': ENOENT/);
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-'));
  const bad = join(dir, 'bad.elf');
  const hdr = Buffer.alloc(64);
  hdr.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]); // ELF32
  writeFileSync(bad, hdr);
  const e2 = await runCli(['-kernel', bad]).exit;
  assert.equal(e2.code, 1);
  assert.match(e2.stderr, /kernel: not a 64-bit ELF/);
});

test('unknown flags are usage errors (exit status 2) that name the flag', async () => {
  const e = await runCli(['-kernel', 'guests/demo/demo.elf', '-netdev', 'user,id=n0']).exit;
  assert.equal(e.code, 2);
  assert.match(e.stderr, /unsupported option '-netdev'/);
});

test('an SBI system reset with reason "system failure" exits with status 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-'));
  const img = join(dir, 'k.bin');
  // li a7, 0x53525354 (SRST); li a6, 0; li a0, 0 (shutdown); li a1, 1 (failure); ecall
  const words = [0x535258b7, 0x3548889b, 0x00000813, 0x00000513, 0x00100593, 0x00000073];
  const buf = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => buf.writeUInt32LE(w >>> 0, i * 4));
  writeFileSync(img, buf);
  const e = await runCli(['-kernel', img]).exit;
  assert.equal(e.code, 1, e.stderr);
});

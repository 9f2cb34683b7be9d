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
  assert.throws(() => parseRunArgs(['-kernel', 'k', '-device', 'virtio-blk']), /unsupported device 'virtio-blk'/);
  assert.throws(() => parseRunArgs(['-kernel', 'k', '-usb']), /unsupported option '-usb'/);
  assert.throws(() => parseRunArgs(['-machine', 'sifive_u', '-kernel', 'k']), /unsupported machine 'sifive_u'/);
  assert.throws(() => parseRunArgs(['-kernel', 'k', '-cpu', 'rv64,h=on']), /unsupported -cpu properties: h/);
  assert.throws(() => parseRunArgs(['-kernel']), /-kernel needs an argument/);
  assert.throws(() => parseRunArgs([]), /nothing to run/);
});

test('QEMU device flags: -drive, -device, -global, -no-reboot', () => {
  const base = ['-kernel', 'k'];
  const o = parseRunArgs([...base, '-drive', 'file=d.img,if=none,format=raw,id=hd0', '-device', 'virtio-blk-device,drive=hd0,bus=virtio-mmio-bus.3',
    '-device', 'virtio-rng-device,seed=7', '-global', 'virtio-mmio.force-legacy=true', '-no-reboot']);
  assert.deepEqual(o.config.devices, [
    { type: 'virtio-blk', file: 'd.img', mode: 'cow', overlay: undefined, serial: undefined, slot: 3 },
    { type: 'virtio-rng', slot: undefined, seed: 7 },
  ]);
  assert.equal(o.config.virtioLegacy, true);
  assert.equal(o.config.noReboot, true);
  // The image is written only when asked (snapshot=off); readonly=on gives a read-only disk.
  const mode = (opt: string) => (parseRunArgs([...base, '-drive', `file=d.img,if=virtio${opt}`]).config.devices?.[0] as { mode: string }).mode;
  assert.equal(mode(''), 'cow');
  assert.equal(mode(',snapshot=off'), 'writable');
  assert.equal(mode(',readonly=on'), 'readonly');
  assert.throws(() => parseRunArgs([...base, '-drive', 'file=d.img,format=qcow2,if=virtio']), /format 'qcow2' is not supported/);
  assert.throws(() => parseRunArgs([...base, '-drive', 'file=d.img']), /if=\(default ide\) is not supported/);
  assert.throws(() => parseRunArgs([...base, '-drive', 'file=d.img,if=none,id=x']), /-drive id=x is not used/);
  assert.throws(() => parseRunArgs([...base, '-device', 'virtio-blk-device,drive=nope']), /no -drive with id=nope/);
  assert.throws(() => parseRunArgs([...base, '-drive', 'file=d.img,if=virtio,aio=native']), /unsupported -drive option 'aio'/);
  assert.throws(() => parseRunArgs([...base, '-device', 'virtio-rng-device,bus=virtio-mmio-bus.8']), /bus 'virtio-mmio-bus.8' does not exist/);
  assert.throws(() => parseRunArgs([...base, '-global', 'virtio-mmio.force-legacy=maybe']), /expected on or off/);
  assert.throws(() => parseRunArgs([...base, '-global', 'isa-debugcon.iobase=0x402']), /unsupported -global/);
  assert.throws(() => parseRunArgs([...base, '-netdev', 'user,id=n0']), /-netdev user is not supported/);
  assert.equal(parseRunArgs([...base, '-rtc', 'base=2024-01-02T03:04:05']).config.rtcEpochNs, BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1_000_000n);
  assert.equal(parseRunArgs([...base, '-rtc', 'base=utc,clock=vm']).config.rtcEpochNs, undefined);
  assert.throws(() => parseRunArgs([...base, '-rtc', 'base=yesterday']), /expected utc or a date/);
  assert.throws(() => parseRunArgs([...base, '-rtc', 'clock=host']), /clock=host/);
  // A socket netdev needs its NIC, and a NIC its netdev.
  const net = parseRunArgs([...base, '-netdev', 'socket,id=n0,listen=:7000', '-device', 'virtio-net-device,netdev=n0,mac=52:54:00:00:00:01']);
  assert.deepEqual(net.config.devices, [{ type: 'virtio-net', netdev: 'n0', mac: '52:54:00:00:00:01', slot: undefined }]);
  assert.deepEqual(net.netdevs.get('n0'), { listen: { host: '127.0.0.1', port: 7000 } });
  assert.throws(() => parseRunArgs([...base, '-netdev', 'socket,id=n0,connect=127.0.0.1:7000']), /-netdev id=n0 is not used/);
  assert.throws(() => parseRunArgs([...base, '-device', 'virtio-net-device,netdev=n9']), /no -netdev with id=n9/);
  assert.throws(() => parseRunArgs([...base, '-netdev', 'socket,id=n0']), /needs one of listen=/);
  assert.equal(parseRunArgs([...base, '-icount', 'shift=2,sleep=on']).config.idle, 'realtime');
  assert.equal(parseRunArgs([...base, '-icount', '2,sleep=off,align=off']).config.idle, 'fast-forward');
  assert.throws(() => parseRunArgs([...base, '-icount', 'shift=7']), /fixed at shift=2/);
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
  const e = await runCli(['-kernel', 'guests/demo/demo.elf', '-vga', 'std']).exit;
  assert.equal(e.code, 2);
  assert.match(e.stderr, /unsupported option '-vga'/);
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

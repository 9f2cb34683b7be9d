// Linux 6.1 (guests/linux) boots to a BusyBox shell on rvisor with 2 harts, on rvisor's own SBI and on
// Debian's OpenSBI; the virtio disk mounts; writes go to the overlay (surviving a guest reboot) or,
// with snapshot=off, to the image; poweroff ends the run with status 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENSBI_FW_JUMP } from '../helpers/cli.ts';
import { FIXED_RTC, SHELL_READY, Shell, linuxArgs, linuxGuest, type LinuxGuest } from '../helpers/linux.ts';

const guest = linuxGuest();
const skip = typeof guest === 'string' ? guest : false;
const g = guest as LinuxGuest;

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const disk = (file: string, extra = ''): string[] =>
  ['-drive', `file=${file},if=none,format=raw,id=hd0${extra}`, '-device', 'virtio-blk-device,drive=hd0'];

async function poweroff(sh: Shell): Promise<void> {
  sh.send('poweroff');
  let timer: NodeJS.Timeout | undefined;
  const e = await Promise.race([sh.cli.exit, new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`no poweroff: ${sh.cli.output().slice(-500)}`)), 60_000); })]);
  clearTimeout(timer);
  assert.equal(e.code, 0, e.stderr);
  assert.match(sh.cli.output(), /reboot: Power down/);
}

const FIRMWARES: Array<{ name: string; flags: string[]; banner: RegExp; skip: string | false }> = [
  { name: "rvisor's own SBI", flags: [], banner: /SBI implementation ID=0x7276/, skip },
  {
    name: "Debian's OpenSBI", flags: ['-bios', OPENSBI_FW_JUMP], banner: /SBI implementation ID=0x1 /,
    skip: skip || (!existsSync(OPENSBI_FW_JUMP) && 'opensbi is not installed'),
  },
];

for (const fw of FIRMWARES) {
  test(`${fw.name}, 2 harts: cpuinfo, the disk, a synced file surviving a guest reboot in the overlay, snapshot=off writing the image, poweroff`, { skip: fw.skip }, async (t) => {
    const base = sha(g.disk);
    const sh = await Shell.boot(t, [...fw.flags, ...linuxArgs(g, ['-smp', '2', ...FIXED_RTC, ...disk(g.disk), '-device', 'virtio-rng-device,seed=1'])]);
    assert.match(sh.cli.output(), fw.banner);
    assert.equal((await sh.run('grep -c ^processor /proc/cpuinfo')).trim(), '2');
    assert.match(await sh.run('mount /dev/vda /mnt && cat /mnt/hello.txt'), /hello from the rvisor ext2 disk/);
    assert.match(await sh.run('echo rvisor-$((6*7)) > /mnt/t.txt && sync && cat /mnt/t.txt'), /^rvisor-42\r?$/m);
    // Entropy from virtio-rng.
    assert.match(await sh.run('cat /sys/devices/virtual/misc/hw_random/rng_current'), /virtio_rng/);
    // A guest reboot resets the machine; the overlay (in memory) keeps the write.
    const from = sh.cli.output().length;
    sh.send('reboot');
    await sh.cli.waitFor(SHELL_READY, 60_000, from);
    assert.match(sh.cli.output().slice(from), fw.banner, 'booted again through the same firmware');
    assert.match(await sh.run('mount /dev/vda /mnt && cat /mnt/t.txt'), /^rvisor-42\r?$/m);
    await poweroff(sh);
    assert.equal(sha(g.disk), base, 'the base image is never written');

    // snapshot=off: the data lands in the image file.
    const dir = mkdtempSync(join(tmpdir(), 'rvisor-linux-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const img = join(dir, 'disk.img');
    copyFileSync(g.disk, img);
    const w = await Shell.boot(t, [...fw.flags, ...linuxArgs(g, ['-smp', '2', ...FIXED_RTC, ...disk(img, ',snapshot=off')])]);
    await w.run('mount /dev/vda /mnt && echo "written-through-$((20+3))" > /mnt/w.txt && sync');
    await poweroff(w);
    assert.ok(readFileSync(img).includes('written-through-23'), 'the image holds the write');
  });
}

test('an overlay file keeps writes across runs and the image untouched', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-linux-'));
  try {
    const img = join(dir, 'disk.img');
    copyFileSync(g.disk, img);
    const before = sha(img);
    const overlay = join(dir, 'disk.overlay');
    let sh = await Shell.boot(t, linuxArgs(g, [...FIXED_RTC, ...disk(img, `,overlay=${overlay}`)]));
    await sh.run('mount /dev/vda /mnt && echo "in-overlay-$((30+4))" > /mnt/o.txt && sync');
    await poweroff(sh);
    sh = await Shell.boot(t, linuxArgs(g, [...FIXED_RTC, ...disk(img, `,overlay=${overlay}`)]));
    const out = await sh.run('mount /dev/vda /mnt && cat /mnt/o.txt /mnt/hello.txt');
    assert.match(out, /in-overlay-34/);
    assert.match(out, /hello from the rvisor ext2 disk/);
    await poweroff(sh);
    assert.equal(sha(img), before, 'copy-on-write never writes the image');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('killing rvisor during heavy disk writes: the image is untouched and every synced write reads back from the overlay', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-kill-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const img = join(dir, 'disk.img');
  copyFileSync(g.disk, img);
  const before = sha(img);
  const overlay = join(dir, 'disk.overlay');
  const sh = await Shell.boot(t, linuxArgs(g, [...FIXED_RTC, ...disk(img, `,overlay=${overlay}`)]));
  await sh.run('mount /dev/vda /mnt');
  // Write, sync, report; over and over, with bulk writes in between; killed mid-stream.
  const from = sh.cli.output().length;
  sh.send('i=0; while true; do i=$((i+1)); echo data-$i > /mnt/f$i; dd if=/dev/zero of=/mnt/bulk bs=4k count=64 2>/dev/null; sync; echo synced-$i; done');
  await sh.cli.waitFor(/synced-6\r?\n/, 60_000, from);
  sh.cli.proc.kill('SIGKILL');
  await sh.cli.exit;
  const synced = Math.max(...[...sh.cli.output().slice(from).matchAll(/synced-(\d+)\r?\n/g)].map((m) => Number(m[1])));
  assert.ok(synced >= 6);
  assert.equal(sha(img), before, 'the base image is untouched');
  // A new run over the same overlay reads every synced file back.
  const again = await Shell.boot(t, linuxArgs(g, [...FIXED_RTC, ...disk(img, `,overlay=${overlay}`)]));
  const list = Array.from({ length: synced }, (_, k) => `/mnt/f${k + 1}`).join(' ');
  const out = await again.run(`mount /dev/vda /mnt 2>/dev/null; cat ${list}`);
  for (let k = 1; k <= synced; k++) assert.match(out, new RegExp(`^data-${k}\\r?$`, 'm'), `f${k} after the kill`);
  await poweroff(again);
  assert.equal(sha(img), before);
});

test('under OpenSBI, Linux\'s ecalls to the firmware are hypercall events with their results', { skip: FIRMWARES[1].skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-fwcalls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const trace = join(dir, 'calls.jsonl');
  const sh = await Shell.boot(t, ['-bios', OPENSBI_FW_JUMP, '-smp', '2', ...linuxArgs(g, FIXED_RTC), '--trace', trace, '--trace-events', 'hypercall']);
  await poweroff(sh);
  const calls = readFileSync(trace, 'utf8').trim().split('\n').slice(1, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
  // Linux asks OpenSBI v1.1 (SBI spec 1.0, implementation ID 1) what it implements, then starts hart 1.
  const find = (ext: string, fn: string) => calls.find((c) => c.ext === ext && c.fn === fn);
  assert.equal(find('BASE', 'get_spec_version')?.value, '0x1000000');
  assert.equal(find('BASE', 'get_impl_id')?.value, '0x1');
  const start = find('HSM', 'hart_start');
  assert.deepEqual([(start?.args as string[])[0], start?.error], ['0x1', 0]);
  for (const c of calls) assert.ok((c.error as number) >= -8 && (c.error as number) <= 0, `an SBI error code: ${c.error}`);
});

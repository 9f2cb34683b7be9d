// Two Linux guests on one virtual switch ping each other (one rvisor, guests in worker threads), and
// two rvisor processes linked over loopback (-netdev socket) do the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli } from '../helpers/cli.ts';
import { FIXED_RTC, SHELL_READY, Shell, linuxArgs, linuxGuest, type LinuxGuest } from '../helpers/linux.ts';

const guest = linuxGuest();
const skip = typeof guest === 'string' ? guest : false;
const g = guest as LinuxGuest;

const PING_OK = /3 packets transmitted, 3 packets received, 0% packet loss/;

test('two guests on one switch (rvisor run --config) ping each other', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-net-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cfg = join(dir, 'lan.json');
  const guestAt = (name: string, ip: string) => ({
    name, kernel: g.image, initrd: g.initrd, memory: '128M',
    append: `console=ttyS0 rvisor.ip=${ip}/24`, nics: [{ switch: 'lan' }],
  });
  writeFileSync(cfg, JSON.stringify({ switches: { lan: {} }, guests: [guestAt('a', '10.0.0.1'), guestAt('b', '10.0.0.2')] }));
  const run = runCli(['run', '--config', cfg]);
  t.after(() => { if (run.proc.exitCode === null) run.proc.kill('SIGKILL'); });
  // Both shells up (lines are tagged with the guest's name); the console is on the first guest.
  await run.waitFor(`[a] ${SHELL_READY}`, 90_000);
  await run.waitFor(`[b] ${SHELL_READY}`, 90_000);
  const from = run.output().length;
  run.send('ping -c 3 10.0.0.2\n');
  await run.waitFor(PING_OK, 60_000, from);
  assert.match(run.output().slice(from), /\[a\] 64 bytes from 10\.0\.0\.2: seq=0/);
});

test('two rvisor processes linked over loopback (-netdev socket) ping each other', { skip }, async (t) => {
  const port = await freePort();
  const nic = (mac: string, nd: string) => ['-netdev', `socket,id=n0,${nd}`, '-device', `virtio-net-device,netdev=n0,mac=${mac}`];
  const a = await Shell.boot(t, linuxArgs(g, [...FIXED_RTC, ...nic('52:54:00:00:00:01', `listen=127.0.0.1:${port}`)], 'console=ttyS0 rvisor.ip=10.0.1.1/24'));
  const b = await Shell.boot(t, linuxArgs(g, [...FIXED_RTC, ...nic('52:54:00:00:00:02', `connect=127.0.0.1:${port}`)], 'console=ttyS0 rvisor.ip=10.0.1.2/24'));
  assert.match(await a.run('ping -c 3 10.0.1.2', 60_000), PING_OK);
  assert.match(await b.run('ping -c 3 10.0.1.1', 60_000), PING_OK);
  for (const s of [a, b]) s.send('poweroff');
  for (const s of [a, b]) assert.equal((await s.cli.exit).code, 0);
});

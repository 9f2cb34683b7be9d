#!/usr/bin/env node
// Boots the Linux guest built by build.sh and drives its console: waits for the shell-ready marker,
// checks harts, the virtio disk (read, write + sync), entropy and the network, then powers off and
// expects exit status 0. Prints the time from start to the marker for each run and the median.
//
//   node guests/linux/boot-check.mjs [--runs N] [--modern] [--smp N] [--bin CMD] [--timeout S] [DIR]
//
// DIR defaults to `guests/linux/build.sh --print-dir`. --bin is the emulator (default
// qemu-system-riscv64; it gets QEMU's flags, so `--bin "node dist/rvisor.js"` works once rvisor has the
// devices). --modern adds `-global virtio-mmio.force-legacy=false` (virtio-mmio version 2).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = 'rvisor-linux: shell ready';
const here = dirname(fileURLToPath(import.meta.url));

const opts = { runs: 1, modern: false, smp: 2, bin: 'qemu-system-riscv64', timeout: 120, dir: '' };
const argv = process.argv.slice(2);
while (argv.length) {
  const a = argv.shift();
  if (a === '--runs') opts.runs = Number(argv.shift());
  else if (a === '--modern') opts.modern = true;
  else if (a === '--smp') opts.smp = Number(argv.shift());
  else if (a === '--bin') opts.bin = argv.shift();
  else if (a === '--timeout') opts.timeout = Number(argv.shift());
  else if (!a.startsWith('-') && !opts.dir) opts.dir = a;
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}
if (!opts.dir) {
  try {
    opts.dir = execFileSync(join(here, 'build.sh'), ['--print-dir'], { encoding: 'utf8' }).trim();
  } catch {
    console.error('the Linux guest is not built: run guests/linux/build.sh');
    process.exit(2);
  }
}
for (const f of ['Image', 'initramfs.cpio.gz', 'disk.ext2']) {
  if (!existsSync(join(opts.dir, f))) { console.error(`${opts.dir}/${f} is missing`); process.exit(2); }
}

function qemuArgs() {
  const d = opts.dir;
  return [
    '-machine', 'virt', '-smp', String(opts.smp), '-m', '256M', '-nographic',
    '-bios', '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf',
    '-kernel', join(d, 'Image'), '-initrd', join(d, 'initramfs.cpio.gz'), '-append', 'console=ttyS0',
    // A scratch copy would keep disk.ext2 pristine; snapshot=on does the same without a copy.
    '-drive', `file=${join(d, 'disk.ext2')},if=none,format=raw,id=hd0,snapshot=on`,
    '-device', 'virtio-blk-device,drive=hd0',
    '-device', 'virtio-rng-device',
    '-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0',
    ...(opts.modern ? ['-global', 'virtio-mmio.force-legacy=false'] : []),
  ];
}

// One boot: returns { ready, total, checks: [{name, ok, detail}], status }.
function boot() {
  return new Promise((resolve, reject) => {
    const [cmd, ...pre] = opts.bin.split(' ');
    const t0 = performance.now();
    const child = spawn(cmd, [...pre, ...qemuArgs()], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let seen = 0; // everything before this offset has been consumed by a wait
    let waiter = null;
    const log = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timeout after ${opts.timeout} s; console so far:\n${out.slice(-3000)}`));
    }, opts.timeout * 1000);
    child.stdout.on('data', (b) => {
      out += b.toString('latin1');
      if (waiter) waiter();
    });
    child.stderr.on('data', (b) => log.push(b.toString()));
    const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
    const waitFor = (re) => new Promise((res) => {
      const check = () => {
        const m = re.exec(out.slice(seen));
        if (!m) return;
        seen += m.index + m[0].length;
        waiter = null;
        res(m);
      };
      waiter = check;
      check();
    });
    let n = 0;
    const run = async (line) => {
      const tag = `@@end${++n}`;
      const start = out.length;
      child.stdin.write(`${line}; echo ${tag} $?\n`);
      const m = await waitFor(new RegExp(`${tag} (\\d+)\\r?\\n`));
      // The command's output: after the echoed command line, before the end tag.
      // (the line may be echoed twice, typed ahead and redrawn by the shell, and wrapped: skip past the
      // last literal `TAG $?`).
      const text = out.slice(start, seen - m[0].length);
      const body = text.slice(text.indexOf('\n', text.lastIndexOf(`${tag} $?`)) + 1);
      return { status: Number(m[1]), text: body.replace(/\r/g, '').trim() };
    };
    (async () => {
      await waitFor(new RegExp(MARKER));
      const ready = (performance.now() - t0) / 1000;
      await waitFor(/# $/); // the prompt
      const checks = [];
      const check = (name, ok, detail) => checks.push({ name, ok: !!ok, detail });

      let r = await run('grep -c ^processor /proc/cpuinfo');
      check(`/proc/cpuinfo shows ${opts.smp} harts`, r.status === 0 && r.text === String(opts.smp), r.text);
      r = await run('mount -t ext2 /dev/vda /mnt && cat /mnt/hello.txt');
      check('mount /dev/vda and read hello.txt', r.status === 0 && /hello from the rvisor ext2 disk/.test(r.text), r.text);
      r = await run('echo written-by-the-guest > /mnt/guest.txt && sync && umount /mnt && mount /dev/vda /mnt && cat /mnt/guest.txt && umount /mnt');
      check('write, sync, remount, read back', r.status === 0 && r.text.includes('written-by-the-guest'), r.text);
      r = await run('dd if=/dev/hwrng bs=16 count=1 2>/dev/null | wc -c; cat /sys/class/misc/hw_random/rng_current');
      check('16 bytes from /dev/hwrng (virtio-rng)', r.status === 0 && /^16\s/.test(r.text) && /virtio/.test(r.text), r.text);
      r = await run('ip addr show eth0 | grep "inet "');
      check('eth0 (virtio-net) has 10.0.2.15', r.status === 0 && r.text.includes('10.0.2.15/24'), r.text);
      r = await run('ping -c 1 -W 3 10.0.2.2');
      check('ping 10.0.2.2 (QEMU user-net gateway; needs host ICMP sockets)', r.status === 0, r.text.split('\n').slice(-2).join(' | '));
      r = await run('dmesg | grep -i -e "rtc0:" -e goldfish; date +%Y');
      check('goldfish RTC sets the clock', r.status === 0 && /goldfish/.test(r.text) && Number(r.text.split('\n').pop()) >= 2024, r.text.replace(/\n/g, ' | '));
      r = await run('dmesg | grep -ci -e "call trace" -e "oops" -e "bug:"');
      check('no oops or warning traces in dmesg', r.text === '0', r.text);

      const tOff = performance.now();
      child.stdin.write('poweroff\n');
      const { code, sig } = await exited;
      clearTimeout(timer);
      check('poweroff exits with status 0', code === 0, `code ${code} signal ${sig}`);
      resolve({ ready, poweroff: (performance.now() - tOff) / 1000, total: (performance.now() - t0) / 1000, checks, stderr: log.join('') });
    })().catch((e) => { clearTimeout(timer); child.kill('SIGKILL'); reject(e); });
  });
}

console.log(`${opts.bin} ${qemuArgs().join(' ')}`);
const readies = [];
let failed = false;
for (let i = 1; i <= opts.runs; i++) {
  const r = await boot();
  readies.push(r.ready);
  console.log(`run ${i}: shell ready after ${r.ready.toFixed(2)} s, power-off took ${r.poweroff.toFixed(2)} s, total ${r.total.toFixed(2)} s`);
  for (const c of r.checks) {
    if (!c.ok) failed = true;
    if (i === 1 || !c.ok) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${JSON.stringify(c.detail)}`}`);
  }
  if (r.stderr.trim()) console.log(`  stderr: ${r.stderr.trim()}`);
}
const sorted = [...readies].sort((a, b) => a - b);
console.log(`boot to shell-ready marker: median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s over ${readies.length} run(s) [${readies.map((x) => x.toFixed(2)).join(', ')}]`);
process.exit(failed ? 1 : 0);

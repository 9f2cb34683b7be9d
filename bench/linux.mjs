// The Linux part of `npm run bench`: boot-to-shell time, idle time and the cost of hypercall tracing,
// on the Linux guest of guests/linux (build.sh), on rvisor and on QEMU in the same run. See
// docs/benchmarks.md ("Linux boot to shell", "Idle", "Trace cost") for the method.
//
// Each round runs six sessions, one after the other, in this order (reversed every other round):
//   qemu          qemu-system-riscv64 with Debian's OpenSBI (fw_jump.elf)        boot, idle
//   rvisor        rvisor with the same flags (OpenSBI in M-mode)                 boot, idle
//   rvisor-sbi    rvisor with its own SBI (no -bios; the kernel starts in S-mode) boot, idle
//   rvisor-trace  rvisor-sbi plus --trace FILE --trace-events hypercall        boot
//   rvisor-trace2 the same again                                               boot
//   rvisor-sbi2   rvisor-sbi again                                             boot
// Each trace run has its untraced run next to it, once before it and once after it in every round,
// so the trace overhead is the median of per-pair ratios of neighbouring runs, with the order
// balanced (the machine is shared: its load drifts).
//
// A session: start the process (stdin a pipe of ours), wait for the marker line `rvisor-linux: shell
// ready` (boot time = its arrival - the spawn), wait for the shell's prompt, type `sleep 3; echo
// idle-done` (idle time = from writing it to the `idle-done` line), then end it: rvisor gets
// `poweroff` (it must exit with status 0; the trace file gets its `end` line), QEMU gets SIGTERM (its
// power-off would add init's two 1 s sleeps in real time). Host CPU time (user + system, all
// threads) is read from /proc/PID/stat at the marker and around the idle command.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, pad, padEnd, repo } from './lib.mjs';

const MARKER = 'rvisor-linux: shell ready';
const PROMPT = '# ';
const IDLE_COMMAND = 'sleep 3; echo idle-done';
const IDLE_DONE_RE = /(?:^|\r)idle-done$/;
const IDLE_SECONDS = 3;
const OPENSBI = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
const TRACE_TARGET_PCT = 5;
const CLK_TCK = 100; // Linux's USER_HZ for /proc/PID/stat (getconf CLK_TCK); checked in findLinux

/** The Linux guest's directory, or { skip: reason }. */
export function findLinux() {
  const build = join(repo, 'guests/linux/build.sh');
  const r = spawnSync(build, ['--print-dir'], { encoding: 'utf8' });
  if (r.status !== 0) {
    const why = r.status === 2 ? 'the Debian packages it needs are missing' : r.error ? String(r.error) : 'not built';
    return { skip: `the Linux guest is not available (guests/linux/build.sh --print-dir: exit status ${r.status ?? '-'}, ${why}); run guests/linux/build.sh to build it` };
  }
  const dir = r.stdout.trim().split('\n').pop();
  for (const f of ['Image', 'initramfs.cpio.gz', 'disk.ext2']) {
    if (!existsSync(join(dir, f))) return { skip: `${dir}/${f} is missing (rebuild with guests/linux/build.sh)` };
  }
  const tck = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  if (tck.status === 0 && Number(tck.stdout) !== CLK_TCK) return { dir, noCpu: `CLK_TCK is ${tck.stdout.trim()}, not ${CLK_TCK}` };
  return { dir };
}

/** Host CPU time (user + system, all threads) of a live process, in seconds; NaN if unreadable. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15: utime, stime
  } catch {
    return NaN;
  }
}

/** A child process whose console we read line by line (timestamped on arrival) and write to. */
export class Session {
  constructor(cmd, args) {
    this.lines = [];
    this.partial = '';
    this.stderr = '';
    this.cursor = 0;
    this.exit = undefined;
    this.waiter = undefined;
    this.start = performance.now();
    this.child = spawn(cmd, args, { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.child.stdin.on('error', () => {}); // EPIPE when it has gone: its exit is reported instead
    this.child.stdout.setEncoding('latin1');
    this.child.stdout.on('data', (chunk) => {
      const t = performance.now();
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop();
      for (const p of parts) this.lines.push({ t, text: p.replace(/\r$/, '') });
      this.poll(t);
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk) => { this.stderr += chunk; });
    this.child.on('error', (e) => { this.stderr += String(e); });
    this.child.on('close', (code, signal) => {
      this.exit = { code, signal, t: performance.now() };
      this.poll(this.exit.t);
    });
  }

  poll(t) {
    const w = this.waiter;
    if (!w) return;
    const found = w.test(t);
    if (found !== undefined) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.resolve(found);
    } else if (this.exit) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.reject(new Error(`${w.what}: the process ended first (${this.exit.signal ? `killed by ${this.exit.signal}` : `exit status ${this.exit.code}`})`));
    }
  }

  /** Resolves test(t)'s first defined value (tested on every arrival of output); rejects on timeout or exit. */
  until(what, test, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`${what}: timed out after ${timeoutMs / 1e3} s`));
      }, timeoutMs);
      this.waiter = { what, test, resolve, reject, timer };
      this.poll(performance.now());
    });
  }

  /** Waits for a complete line matching re (after the last one matched); resolves its arrival time. */
  line(what, re, timeoutMs) {
    return this.until(what, () => {
      while (this.cursor < this.lines.length) {
        const l = this.lines[this.cursor++];
        if (re.test(l.text)) return l.t;
      }
      return undefined;
    }, timeoutMs);
  }

  /** Waits for the unfinished last line (a prompt) to end with s. */
  prompt(what, s, timeoutMs) {
    return this.until(what, (t) => (this.partial.endsWith(s) ? t : undefined), timeoutMs);
  }

  write(s) { this.child.stdin.write(s); }

  /** Waits for the process to end (after timeoutMs: SIGKILL); resolves { code, signal, killed }. */
  async end(timeoutMs) {
    if (!this.exit) {
      try {
        await this.until('exit', () => (this.exit ? this.exit : undefined), timeoutMs);
      } catch {
        this.child.kill('SIGKILL');
        await new Promise((r) => (this.exit ? r() : this.child.once('close', r)));
        return { ...this.exit, killed: true };
      }
    }
    return { ...this.exit, killed: false };
  }

  tail(n = 8) {
    const ls = this.lines.slice(-n).map((l) => l.text);
    if (this.partial) ls.push(this.partial);
    return ls.map((l) => `    | ${l}`).join('\n') + (this.stderr.trim() ? `\n    stderr: ${this.stderr.trim().split('\n').slice(-4).join('\n    ')}` : '');
  }
}

/**
 * One session (see the top of the file). Returns { bootS, bootCpuS, idleS, idleCpuS, traceLines,
 * traceHypercalls } (NaN where not measured), or { error }.
 */
export async function session(kind, cmd, args, { idle, trace, timeoutS }) {
  const s = new Session(cmd, args);
  const result = { bootS: NaN, bootCpuS: NaN, idleS: NaN, idleCpuS: NaN };
  const isQemu = kind === 'qemu';
  try {
    const tReady = await s.line('boot', new RegExp(`^${MARKER}$`), timeoutS * 1e3);
    result.bootCpuS = cpuSeconds(s.pid);
    result.bootS = (tReady - s.start) / 1e3;
    await s.prompt('the shell prompt', PROMPT, 60_000);
    if (idle) {
      const cpu0 = cpuSeconds(s.pid);
      const t0 = performance.now();
      s.write(IDLE_COMMAND + '\n');
      const t1 = await s.line('idle', IDLE_DONE_RE, (IDLE_SECONDS + 60) * 1e3);
      result.idleCpuS = cpuSeconds(s.pid) - cpu0;
      result.idleS = (t1 - t0) / 1e3;
      await s.prompt('the shell prompt after idle', PROMPT, 60_000);
    }
  } catch (e) {
    s.child.kill('SIGKILL');
    await s.end(10_000);
    return { error: `${e.message}\n${s.tail()}` };
  }
  if (isQemu) {
    s.child.kill('SIGTERM');
    await s.end(10_000);
  } else {
    s.write('poweroff\n');
    const ex = await s.end(60_000);
    if (ex.killed || ex.code !== 0) return { error: `poweroff: ${ex.killed ? 'no exit within 60 s' : `exit status ${ex.code ?? ex.signal}`} (expected 0)\n${s.tail()}` };
  }
  if (trace) {
    let text = '';
    try { text = readFileSync(trace, 'utf8'); } catch (e) { return { error: `trace file: ${e.message}` }; }
    const lines = text.split('\n').filter((l) => l);
    result.traceLines = lines.length;
    result.traceHypercalls = lines.filter((l) => l.startsWith('{"k":"hypercall"')).length;
    const last = lines.length ? JSON.parse(lines[lines.length - 1]) : {};
    if (last.k !== 'end') return { error: `trace file ${trace}: no "end" line (cut short)` };
    if (result.traceHypercalls === 0) return { error: `trace file ${trace}: no hypercall events` };
  }
  return result;
}

const LABEL = {
  qemu: 'QEMU (OpenSBI)',
  rvisor: 'rvisor (OpenSBI)',
  'rvisor-sbi': 'rvisor (own SBI)',
  'rvisor-trace': 'rvisor (own SBI, --trace)',
  'rvisor-trace2': 'rvisor (own SBI, --trace), 2nd',
  'rvisor-sbi2': 'rvisor (own SBI), 2nd',
};
/** The trace comparison's pairs: [untraced, traced], adjacent in every round. */
const TRACE_PAIRS = [['rvisor-sbi', 'rvisor-trace'], ['rvisor-sbi2', 'rvisor-trace2']];

/**
 * Runs the Linux measurements; prints as it goes (out) and returns { summary, failed }.
 * summary is { skipped } when the guest is not built.
 */
export async function benchLinux({ rounds, qemu, haveQemu, cli, out }) {
  out();
  const found = findLinux();
  if (found.skip) {
    out(`Linux boot/idle/trace: skipped — ${found.skip}`);
    return { summary: { skipped: found.skip }, failed: false };
  }
  const dir = found.dir;
  const common = [
    '-machine', 'virt', '-m', '256M', '-smp', '2', '-nographic',
    '-kernel', join(dir, 'Image'), '-initrd', join(dir, 'initramfs.cpio.gz'), '-append', 'console=ttyS0',
    '-drive', `file=${join(dir, 'disk.ext2')},if=none,format=raw,id=hd0,snapshot=on`,
    '-device', 'virtio-blk-device,drive=hd0',
  ];
  const withBios = [...common.slice(0, 7), '-bios', OPENSBI, ...common.slice(7)]; // after -nographic
  const tmp = mkdtempSync(join(tmpdir(), 'rvisor-bench-'));
  const traceFile = join(tmp, 'boot.trace.jsonl');
  const kinds = {
    qemu: { cmd: qemu, args: withBios, idle: true },
    rvisor: { cmd: process.execPath, args: [cli, ...withBios], idle: true },
    'rvisor-sbi': { cmd: process.execPath, args: [cli, ...common], idle: true },
    'rvisor-trace': { cmd: process.execPath, args: [cli, ...common, '--trace', traceFile, '--trace-events', 'hypercall'], idle: false, trace: traceFile },
    'rvisor-sbi2': { cmd: process.execPath, args: [cli, ...common], idle: false },
  };
  kinds['rvisor-trace2'] = kinds['rvisor-trace'];
  const haveOpensbi = existsSync(OPENSBI);
  haveQemu &&= haveOpensbi;
  const order0 = (haveQemu ? ['qemu'] : []).concat(haveOpensbi ? ['rvisor'] : [], ['rvisor-sbi', 'rvisor-trace', 'rvisor-trace2', 'rvisor-sbi2']);

  out(`Linux guest: ${dir} (Image, initramfs.cpio.gz, disk.ext2), ${rounds} round(s)`);
  out(`  flags: ${withBios.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  out(`  rvisor: node ${cli.startsWith(repo) ? cli.slice(repo.length + 1) : cli} + those flags; own SBI: without -bios; trace: own SBI + --trace FILE --trace-events hypercall`);
  if (!haveOpensbi) out(`  ${OPENSBI} is missing (Debian's opensbi package): QEMU and rvisor with OpenSBI skipped — rvisor's own SBI only`);
  else if (!haveQemu) out('  QEMU: skipped (not installed) — rvisor figures only');
  if (found.noCpu) out(`  host CPU times not measured: ${found.noCpu}`);

  let failed = false;
  const fail = (msg) => { failed = true; out(`FAIL: ${msg}`); };
  const all = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? order0 : [...order0].reverse();
      const round = {};
      for (const k of order) {
        const spec = kinds[k];
        rmSync(traceFile, { force: true });
        const res = await session(k, spec.cmd, spec.args, { idle: spec.idle, trace: spec.trace, timeoutS: k === 'qemu' ? 60 : 300 });
        if (res.error) { fail(`round ${r + 1}, ${LABEL[k]}: ${res.error}`); continue; }
        if (found.noCpu) { res.bootCpuS = NaN; res.idleCpuS = NaN; }
        round[k] = res;
      }
      round.order = order;
      all.push(round);
      const show = (k) => {
        const x = round[k];
        if (!x) return `${k} failed`;
        let s = `${k} ${fmt(x.bootS, 2)} s`;
        if (Number.isFinite(x.idleS)) s += ` (idle ${fmt(x.idleS, 2)} s, cpu ${fmt(x.idleCpuS, 2)} s)`;
        if (x.traceLines !== undefined) s += ` (${x.traceLines} trace lines)`;
        return s;
      };
      const main = order.filter((k) => !TRACE_PAIRS.flat().includes(k) || k === 'rvisor-sbi');
      out(`round ${r + 1}: boot to shell ${main.map(show).join('; ')}`);
      out(`         trace pairs: ${TRACE_PAIRS.map(([a, b]) => `${fmt(round[a]?.bootS, 2)} s untraced, ${show(b)}`).join('; ')}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // Medians: of each figure over the rounds, and of the per-round ratios (two runs of a round are
  // close in time, so their ratio is less exposed to the machine's other load).
  const med = (k, f) => median(all.filter((r) => r[k]).map((r) => r[k][f]));
  const ratio = (a, b, f) => median(all.filter((r) => r[a] && r[b]).map((r) => r[a][f] / r[b][f]));
  const fig = (k) => ({
    bootSeconds: med(k, 'bootS'), bootCpuSeconds: med(k, 'bootCpuS'),
    idleSeconds: med(k, 'idleS'), idleCpuSeconds: med(k, 'idleCpuS'),
  });
  const pairs = all.flatMap((r) => TRACE_PAIRS.filter(([a, b]) => r[a] && r[b]).map(([a, b]) => [r[a], r[b]]));
  const traceRatio = median(pairs.map(([a, b]) => b.bootS / a.bootS));
  const traceCpuRatio = median(pairs.map(([a, b]) => b.bootCpuS / a.bootCpuS));
  const pairMed = (i, f) => median(pairs.map((p) => p[i][f]));
  const summary = {
    dir,
    rounds,
    idleCommand: IDLE_COMMAND,
    qemu: haveQemu ? fig('qemu') : null,
    rvisor: haveOpensbi ? fig('rvisor') : null,
    rvisorSbi: fig('rvisor-sbi'),
    trace: {
      pairs: pairs.length,
      untracedBootSeconds: pairMed(0, 'bootS'), untracedBootCpuSeconds: pairMed(0, 'bootCpuS'),
      tracedBootSeconds: pairMed(1, 'bootS'), tracedBootCpuSeconds: pairMed(1, 'bootCpuS'),
      traceLines: pairMed(1, 'traceLines'), traceHypercalls: pairMed(1, 'traceHypercalls'),
      overheadPct: (traceRatio - 1) * 100,
      cpuOverheadPct: (traceCpuRatio - 1) * 100,
      perPairPct: pairs.map(([a, b]) => Math.round((b.bootS / a.bootS - 1) * 1000) / 10),
      targetPct: TRACE_TARGET_PCT,
    },
    bootRatio: haveQemu ? ratio('rvisor', 'qemu', 'bootS') : null,
    // the ratios against QEMU are rvisor/QEMU: above 1, rvisor is slower
    bootRatioSbi: haveQemu ? ratio('rvisor-sbi', 'qemu', 'bootS') : null,
    idleRatio: haveQemu ? ratio('rvisor', 'qemu', 'idleS') : null,
    idleRatioSbi: haveQemu ? ratio('rvisor-sbi', 'qemu', 'idleS') : null,
    ok: !failed,
  };

  const q = summary.qemu;
  out();
  out(`Linux, medians of ${rounds} round(s) (wall clock; host CPU time of the process, user + system):`);
  out(`  boot to shell (process start to "${MARKER}")`);
  out(`    ${padEnd('', 27)} ${pad('wall s', 8)} ${pad('cpu s', 8)} ${pad('rvisor/QEMU', 12)}`);
  const row = (label, wall, cpu, r) => out(`    ${padEnd(label, 27)} ${pad(fmt(wall, 2), 8)} ${pad(fmt(cpu, 2), 8)} ${pad(r === undefined ? '' : fmt(r, 2), 12)}`);
  if (q) row(LABEL.qemu, q.bootSeconds, q.bootCpuSeconds);
  if (haveOpensbi) row(LABEL.rvisor, summary.rvisor.bootSeconds, summary.rvisor.bootCpuSeconds, q ? summary.bootRatio : undefined);
  row(LABEL['rvisor-sbi'], summary.rvisorSbi.bootSeconds, summary.rvisorSbi.bootCpuSeconds, q ? summary.bootRatioSbi : undefined);
  out(`  idle (\`${IDLE_COMMAND}\` at the prompt, until "idle-done")`);
  out(`    ${padEnd('', 27)} ${pad('wall s', 8)} ${pad('cpu s', 8)} ${pad('rvisor/QEMU', 12)}`);
  if (q) row(LABEL.qemu, q.idleSeconds, q.idleCpuSeconds);
  if (haveOpensbi) row(LABEL.rvisor, summary.rvisor.idleSeconds, summary.rvisor.idleCpuSeconds, q ? summary.idleRatio : undefined);
  row(LABEL['rvisor-sbi'], summary.rvisorSbi.idleSeconds, summary.rvisorSbi.idleCpuSeconds, q ? summary.idleRatioSbi : undefined);
  const tr = summary.trace;
  out(`  hypercall tracing (own SBI: boot to shell with --trace FILE --trace-events hypercall against without, ${tr.pairs} adjacent pairs)`);
  out(`    ${padEnd('', 27)} ${pad('wall s', 8)} ${pad('cpu s', 8)}`);
  row('without --trace', tr.untracedBootSeconds, tr.untracedBootCpuSeconds);
  row('with --trace', tr.tracedBootSeconds, tr.tracedBootCpuSeconds);
  out(`    trace file: ${fmt(tr.traceLines, 0)} lines, ${fmt(tr.traceHypercalls, 0)} of them hypercall events (boot to shell, then power-off)`);
  out(`    overhead: ${fmt(tr.overheadPct, 1)} % of boot time (median of per-pair ratios: ${tr.perPairPct.map((x) => `${x > 0 ? '+' : ''}${x}`).join(', ')} %; cpu time ${fmt(tr.cpuOverheadPct, 1)} %)`);
  out();
  if (q) {
    out(`Linux boot to shell: rvisor ${fmt(summary.rvisor.bootSeconds, 2)} s (own SBI ${fmt(summary.rvisorSbi.bootSeconds, 2)} s), QEMU ${fmt(q.bootSeconds, 2)} s; ratio rvisor/QEMU ${fmt(summary.bootRatio, 2)} (own SBI ${fmt(summary.bootRatioSbi, 2)})`);
    out(`idle (${IDLE_SECONDS} s of guest sleep): rvisor ${fmt(summary.rvisor.idleSeconds, 2)} s (own SBI ${fmt(summary.rvisorSbi.idleSeconds, 2)} s), QEMU ${fmt(q.idleSeconds, 2)} s; ratio rvisor/QEMU ${fmt(summary.idleRatio, 3)} (own SBI ${fmt(summary.idleRatioSbi, 3)})`);
  }
  const met = tr.overheadPct <= TRACE_TARGET_PCT;
  const few = tr.pairs < 6 ? ` (from ${tr.pairs} pair(s) only, single runs vary by ±10 % or more: indicative; --rounds 3 or more for a verdict)` : '';
  out(`trace cost: ${fmt(tr.overheadPct, 1)} % of boot time — target ≤ ${TRACE_TARGET_PCT} %: ${Number.isFinite(tr.overheadPct) ? (met ? 'met' : 'NOT met') : '-'}${few}`);
  return { summary, failed };
}

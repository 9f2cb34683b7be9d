#!/usr/bin/env node
// `npm run bench`: rvisor's speed on a CPU-bound guest of our own (guests/bench), against QEMU's in
// the same run; then, when guests/linux is built, Linux's boot-to-shell time, idle time and the cost
// of hypercall tracing (bench/linux.mjs). See docs/benchmarks.md for what is measured and how.
//
//   node bench/run.mjs [--rounds N] [--quick] [--json] [--only cpu|linux|dap] [--kernel FILE] [--qemu BINARY]
//
// Runs after `npm run build` (it measures the bundle, dist/rvisor.js). Each round runs the guest
// once on rvisor and once on QEMU (the order alternates between rounds). Times are the host's
// wall clock between the guest's console lines as they arrive: from "bench: start" to the last
// "phase" line, i.e. the workload alone, without process start-up and shutdown (reported apart).
// The instruction count is the guest's own (rdinstret around each phase on rvisor, whose count is
// exact); QEMU runs the same instruction stream (same checksum), and the count is checked once
// against QEMU's own with -icount shift=0. Exit status: 0, or 1 if a run failed or the results
// disagree (a wrong answer makes the speed meaningless). Missing QEMU only skips its part, and an
// unbuilt Linux guest skips the Linux part (with a message).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fmt, median, pad, repo } from './lib.mjs';
import { benchLinux } from './linux.mjs';
import { benchDap } from './dap.mjs';

const FLOOR_MIPS = 60;

function usage(message) {
  if (message) process.stderr.write(`bench: ${message}\n`);
  process.stderr.write('usage: node bench/run.mjs [--rounds N] [--quick] [--json] [--only cpu|linux|dap] [--kernel FILE] [--qemu BINARY]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { rounds: 5, json: false, only: undefined, kernel: join(repo, 'guests/bench/bench.elf'), qemu: 'qemu-system-riscv64' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--rounds') {
      opts.rounds = Number(value());
      if (!Number.isInteger(opts.rounds) || opts.rounds < 1) usage('--rounds takes a positive integer');
    } else if (a === '--quick') opts.rounds = 1;
    else if (a === '--json') opts.json = true;
    else if (a === '--only') {
      opts.only = value();
      if (!['cpu', 'linux', 'dap'].includes(opts.only)) usage('--only takes cpu, linux or dap');
    } else if (a === '--kernel') opts.kernel = value();
    else if (a === '--qemu') opts.qemu = value();
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown option ${a}`);
  }
  return opts;
}

/**
 * Runs one process with stdin on /dev/null and timestamps every line of its stdout as it arrives.
 * Resolves { code, signal, lines: [{ t, text }], start, end, stderr } (times in ms, performance.now()).
 */
function runTimed(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let partial = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk) => {
      const t = performance.now();
      const parts = (partial + chunk).split('\n');
      partial = parts.pop();
      for (const p of parts) lines.push({ t, text: p.replace(/\r$/, '') });
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', (e) => { stderr += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const end = performance.now();
      if (partial) lines.push({ t: end, text: partial });
      resolve({ code, signal, timedOut, lines, start, end, stderr });
    });
  });
}

const START_RE = /^bench: start$/;
const PHASE_RE = /^phase (\S+): insns (\d+) check (0x[0-9a-f]+)$/;
const DONE_RE = /^bench: done: insns (\d+) checksum (0x[0-9a-f]+)$/;

/** Reads the guest's report out of a timed run: phases with their wall times, the checksum. */
function parseReport(run) {
  let start;
  const phases = [];
  let done;
  for (const { t, text } of run.lines) {
    let m;
    if (START_RE.test(text)) start = t;
    else if ((m = PHASE_RE.exec(text))) {
      const prev = phases.length ? phases[phases.length - 1].t : start;
      phases.push({ name: m[1], insns: Number(m[2]), check: m[3], t, ms: t - prev });
    } else if ((m = DONE_RE.exec(text))) done = { insns: Number(m[1]), checksum: m[2] };
  }
  if (start === undefined || !done || phases.length === 0) return undefined;
  const workMs = phases[phases.length - 1].t - start;
  return { phases, insns: done.insns, checksum: done.checksum, workMs, totalMs: run.end - run.start };
}

function describeFailure(what, run) {
  const tail = run.lines.slice(-8).map((l) => `    | ${l.text}`).join('\n');
  const why = run.timedOut ? 'timed out' : run.signal ? `killed by ${run.signal}` : `exit status ${run.code}`;
  return `${what}: no complete report (${why})\n${tail}${run.stderr ? `\n    stderr: ${run.stderr.trim()}` : ''}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cli = join(repo, 'dist/rvisor.js');
  if (!existsSync(cli)) usage('dist/rvisor.js is missing: run `npm run build` first (or `npm run bench`)');
  if ((opts.only === undefined || opts.only === 'cpu') && !existsSync(opts.kernel)) usage(`guest image ${opts.kernel} is missing (guests/bench/build.sh builds it)`);
  const kernel = relative(repo, opts.kernel) || opts.kernel;

  const qemuVersion = spawnSync(opts.qemu, ['--version'], { encoding: 'utf8' });
  const haveQemu = qemuVersion.status === 0;
  const cpu = cpus();
  const out = (s = '') => process.stdout.write(s + '\n');

  out(`rvisor benchmark: ${opts.only === 'linux' ? 'the Linux guest only' : opts.only === 'dap' ? 'DAP latencies only' : kernel}, ${opts.rounds} round(s)`);
  out(`host: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} core(s), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, Node ${process.version}`);
  if (haveQemu) out(`qemu: ${qemuVersion.stdout.split('\n')[0]}`);
  else out(`QEMU: '${opts.qemu}' not found — skipping the QEMU part (rvisor figures only)`);

  let summary = {};
  let failed = false;
  if (opts.only === undefined || opts.only === 'cpu') {
    const cpuPart = await benchCpu({ opts, cli, kernel, haveQemu, out });
    summary = cpuPart.summary;
    failed ||= cpuPart.failed;
  }
  if (opts.only === undefined || opts.only === 'linux') {
    const linuxPart = await benchLinux({ rounds: opts.rounds, qemu: opts.qemu, haveQemu, cli, out });
    summary.linux = linuxPart.summary;
    failed ||= linuxPart.failed;
  }
  if (opts.only === undefined || opts.only === 'dap') {
    const dapPart = await benchDap({ rounds: opts.rounds, out });
    summary.dap = dapPart.summary;
    failed ||= dapPart.failed;
  }
  summary.ok = !failed;
  if (failed) out('bench: FAILED (see the FAIL lines above)');
  if (opts.json) out(JSON.stringify(summary));
  if (failed) process.exit(1);
}

/** The CPU-bound guest (guests/bench) on rvisor and QEMU; prints as it goes, returns { summary, failed }. */
async function benchCpu({ opts, cli, kernel, haveQemu, out }) {
  const rvisorCmd = [process.execPath, [cli, '-kernel', kernel, '-nographic']];
  const qemuArgs = ['-machine', 'virt', '-nographic', '-kernel', kernel];
  const qemuCmd = [opts.qemu, qemuArgs];
  let failed = false;
  const fail = (msg) => { failed = true; out(`FAIL: ${msg}`); };

  // The instruction count, once, from QEMU's own counter: with -icount shift=0, rdinstret reads
  // QEMU's count of executed instructions (without -icount it reads a host cycle counter).
  let icountReport;
  if (haveQemu) {
    const run = await runTimed(opts.qemu, ['-icount', 'shift=0', ...qemuArgs], 120_000);
    icountReport = parseReport(run);
    if (!icountReport) fail(describeFailure('QEMU -icount run', run));
  }

  const rounds = [];
  let reference; // the first rvisor report: counts and checks every other run must repeat
  for (let r = 0; r < opts.rounds; r++) {
    const order = r % 2 === 0 ? ['rvisor', 'qemu'] : ['qemu', 'rvisor'];
    const round = { order };
    for (const which of order) {
      if (which === 'qemu' && !haveQemu) continue;
      const [cmd, args] = which === 'rvisor' ? rvisorCmd : qemuCmd;
      const run = await runTimed(cmd, args, which === 'rvisor' ? 600_000 : 120_000);
      const report = parseReport(run);
      if (!report) {
        fail(describeFailure(`round ${r + 1}, ${which}`, run));
        continue;
      }
      if (which === 'rvisor' && run.code !== 0) fail(`round ${r + 1}, rvisor: exit status ${run.code} (the guest powers off with 0 on success)`);
      round[which] = report;
    }
    if (round.rvisor && !reference) reference = round.rvisor;
    for (const which of ['rvisor', 'qemu']) {
      const rep = round[which];
      if (!rep || !reference) continue;
      if (rep.checksum !== reference.checksum) fail(`round ${r + 1}, ${which}: checksum ${rep.checksum}, expected ${reference.checksum}`);
      for (const [i, p] of rep.phases.entries()) {
        const ref = reference.phases[i];
        if (!ref || p.check !== ref.check) fail(`round ${r + 1}, ${which}: phase ${p.name} check ${p.check}, expected ${ref?.check}`);
      }
      if (which === 'rvisor' && rep.insns !== reference.insns) fail(`round ${r + 1}, rvisor: ${rep.insns} instructions, expected ${reference.insns} (the guest is deterministic)`);
    }
    rounds.push(round);
    const rv = round.rvisor;
    const q = round.qemu;
    const insns = reference?.insns ?? NaN;
    const rvMips = rv ? insns / rv.workMs / 1e3 : NaN;
    const qMips = q ? insns / q.workMs / 1e3 : NaN;
    round.rvMips = rvMips;
    round.qMips = qMips;
    round.ratio = rvMips / qMips;
    out(`round ${r + 1} (${order.filter((w) => w === 'rvisor' || haveQemu).join(' then ')}): ` +
      `rvisor ${fmt(rv?.workMs / 1e3, 2)} s = ${fmt(rvMips)} MIPS (process ${fmt(rv?.totalMs / 1e3, 2)} s)` +
      (haveQemu ? `; qemu ${fmt(q?.workMs / 1e3, 3)} s = ${fmt(qMips)} MIPS (process ${fmt(q?.totalMs / 1e3, 2)} s); ratio ${fmt(round.ratio, 4)}` : ''));
  }

  if (!reference) {
    out('no rvisor run completed: nothing to report');
    return { summary: { ok: false }, failed: true };
  }

  // Instruction counts: rvisor's against QEMU's -icount.
  if (icountReport && icountReport.checksum !== reference.checksum) fail(`QEMU -icount run: checksum ${icountReport.checksum}, expected ${reference.checksum}`);
  if (icountReport) {
    const same = icountReport.insns === reference.insns &&
      icountReport.phases.every((p, i) => p.insns === reference.phases[i]?.insns);
    if (same) out(`instruction count: ${reference.insns} (${reference.phases.map((p) => `${p.name} ${p.insns}`).join(', ')}), identical under QEMU -icount`);
    else fail(`instruction counts differ: rvisor ${reference.phases.map((p) => p.insns).join('/')} total ${reference.insns}, QEMU -icount ${icountReport.phases.map((p) => p.insns).join('/')} total ${icountReport.insns}`);
  } else out(`instruction count: ${reference.insns} (as the guest reports it on rvisor)`);
  out(`checksum: ${reference.checksum}${haveQemu ? (failed ? '' : ' (rvisor and QEMU agree)') : ''}`);

  // Medians over the rounds, per phase and in total.
  const rvRounds = rounds.filter((r) => r.rvisor);
  const qRounds = rounds.filter((r) => r.qemu);
  const bothRounds = rounds.filter((r) => r.rvisor && r.qemu);
  const phaseStats = reference.phases.map((p, i) => {
    const rv = median(rvRounds.map((r) => p.insns / r.rvisor.phases[i].ms / 1e3));
    const q = median(qRounds.map((r) => p.insns / r.qemu.phases[i].ms / 1e3));
    const ratio = median(bothRounds.map((r) => r.qemu.phases[i].ms / r.rvisor.phases[i].ms));
    return { name: p.name, insns: p.insns, rvisorMips: rv, qemuMips: q, ratio };
  });
  const summary = {
    rounds: opts.rounds,
    insns: reference.insns,
    checksum: reference.checksum,
    rvisorMips: median(rvRounds.map((r) => r.rvMips)),
    qemuMips: median(qRounds.map((r) => r.qMips)),
    ratio: median(bothRounds.map((r) => r.ratio)),
    rvisorWorkSeconds: median(rvRounds.map((r) => r.rvisor.workMs / 1e3)),
    qemuWorkSeconds: median(qRounds.map((r) => r.qemu.workMs / 1e3)),
    rvisorOverheadSeconds: median(rvRounds.map((r) => (r.rvisor.totalMs - r.rvisor.workMs) / 1e3)),
    qemuOverheadSeconds: median(qRounds.map((r) => (r.qemu.totalMs - r.qemu.workMs) / 1e3)),
    phases: phaseStats,
    floorMips: FLOOR_MIPS,
    ok: !failed,
  };

  out();
  out(`medians of ${opts.rounds} round(s):`);
  out(`  phase      instructions   rvisor MIPS   qemu MIPS   rvisor/qemu`);
  for (const p of phaseStats) {
    out(`  ${p.name.padEnd(8)} ${pad(p.insns, 14)} ${pad(fmt(p.rvisorMips), 13)} ${pad(fmt(p.qemuMips), 11)} ${pad(fmt(p.ratio, 4), 13)}`);
  }
  out(`  ${'total'.padEnd(8)} ${pad(summary.insns, 14)} ${pad(fmt(summary.rvisorMips), 13)} ${pad(fmt(summary.qemuMips), 11)} ${pad(fmt(summary.ratio, 4), 13)}`);
  out(`  workload wall time: rvisor ${fmt(summary.rvisorWorkSeconds, 2)} s` + (haveQemu ? `, qemu ${fmt(summary.qemuWorkSeconds, 3)} s` : '') +
    `; start-up and shutdown (not counted): rvisor ${fmt(summary.rvisorOverheadSeconds, 2)} s` + (haveQemu ? `, qemu ${fmt(summary.qemuOverheadSeconds, 2)} s` : ''));
  out();
  out(`rvisor: ${fmt(summary.rvisorMips)} MIPS (median)`);
  if (haveQemu) {
    out(`QEMU:   ${fmt(summary.qemuMips)} MIPS (median, same instruction count)`);
    out(`ratio rvisor/QEMU: ${fmt(summary.ratio, 4)} (median of per-round ratios; QEMU is ${fmt(1 / summary.ratio)}x faster)`);
  } else out('QEMU: skipped (not installed)');
  out(summary.rvisorMips >= FLOOR_MIPS
    ? `floor: ${FLOOR_MIPS} MIPS — met`
    : `floor: ${FLOOR_MIPS} MIPS — NOT met (${fmt(summary.rvisorMips)} MIPS)`);
  return { summary, failed };
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e}\n`);
  process.exit(1);
});

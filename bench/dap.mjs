// DAP latencies of the debug adapter (dist/dap.js), driven by a real DAP client over stdio:
//   - a step round trip: `next` (by line and by instruction) until its `stopped` event;
//   - what a client asks after every stop: stackTrace + scopes + variables (Locals, Registers);
//   - pause latency: `pause` while the guest runs at full speed, until `stopped`;
//   - guest speed with 100 breakpoints set, as a ratio of the speed with none (goal ≥ 0.95). The
//     CPU-bound bench guest runs from its first user instruction to its end under the adapter; the
//     breakpoints sit on the kernel's boot and error paths (_start, sbi_init, fail,
//     handle_kernel_trap, park: every 2-byte address), never hit after boot but on the same page as
//     the trap handler every system call runs through.
// Figures are medians over rounds. Part of `npm run bench` (bench/run.mjs --only dap runs it alone).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { fmt, median, pad, repo } from './lib.mjs';

const ADAPTER = join(repo, 'dist/dap.js');
const DEMO = join(repo, 'guests/demo/demo.elf');
const BENCH = join(repo, 'guests/bench/bench.elf');

async function session() {
  const dc = new DebugClient('node', ADAPTER, 'rvisor');
  dc.defaultTimeout = 600_000;
  await dc.start();
  await dc.initializeRequest();
  return dc;
}

/** The function symbols (and assembly labels) of an ELF (name → [start, end)), from its .symtab, for placing breakpoints. */
function functions(elfPath) {
  const b = readFileSync(elfPath);
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const out = new Map();
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (b.readUInt32LE(sh + 4) !== 2) continue; // SHT_SYMTAB
    const off = Number(b.readBigUInt64LE(sh + 0x18));
    const size = Number(b.readBigUInt64LE(sh + 0x20));
    const strSh = shoff + b.readUInt32LE(sh + 0x28) * shentsize;
    const strOff = Number(b.readBigUInt64LE(strSh + 0x18));
    for (let s = off; s < off + size; s += 24) {
      const type = b[s + 4] & 0xf;
      if ((type !== 2 && type !== 0) || b.readUInt16LE(s + 6) === 0) continue; // STT_FUNC, or an assembly label (NOTYPE) in a section
      const nameAt = strOff + b.readUInt32LE(s);
      const name = b.toString('latin1', nameAt, b.indexOf(0, nameAt));
      const value = b.readBigUInt64LE(s + 8);
      out.set(name, [value, value + b.readBigUInt64LE(s + 16)]);
    }
  }
  // Assembly symbols without a size end where the next symbol starts.
  const starts = [...new Set([...out.values()].map(([v]) => v))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  for (const [name, [v, e]] of out) if (e === v) out.set(name, [v, starts.find((x) => x > v) ?? v]);
  return out;
}

async function stopped(dc, request) {
  const t0 = performance.now();
  await Promise.all([request(), dc.waitForEvent('stopped')]);
  return performance.now() - t0;
}

async function roundLatencies() {
  const dc = await session();
  try {
    await Promise.all([dc.launch({ kernel: DEMO, stopOnEntry: true }), dc.waitForEvent('stopped')]);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'task_create' }] });
    await stopped(dc, () => dc.continueRequest({ threadId: 0 }));
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const line = [];
    const insn = [];
    const inspect = [];
    for (let i = 0; i < 10; i++) {
      line.push(await stopped(dc, () => dc.nextRequest({ threadId: 0 })));
      insn.push(await stopped(dc, () => dc.nextRequest({ threadId: 0, granularity: 'instruction' })));
      const t0 = performance.now();
      const st = await dc.stackTraceRequest({ threadId: 0 });
      const sc = await dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
      for (const s of sc.body.scopes.filter((x) => x.name === 'Locals' || x.name === 'Registers')) {
        await dc.variablesRequest({ variablesReference: s.variablesReference });
      }
      inspect.push(performance.now() - t0);
    }
    // Pause while the guest runs at full speed (the bench guest: long, CPU-bound).
    return { line: median(line), insn: median(insn), inspect: median(inspect) };
  } finally {
    await dc.stop();
  }
}

async function pauseLatency() {
  const dc = await session();
  try {
    await Promise.all([dc.launch({ kernel: BENCH, stopOnEntry: true }), dc.waitForEvent('stopped')]);
    const xs = [];
    for (let i = 0; i < 5; i++) {
      await dc.continueRequest({ threadId: 0 });
      await new Promise((r) => setTimeout(r, 200));
      xs.push(await stopped(dc, () => dc.pauseRequest({ threadId: 0 })));
    }
    return median(xs);
  } finally {
    await dc.stop();
  }
}

/** Wall time of the bench guest from continue to its exit under the adapter, with `bps` breakpoints. */
async function runTime(bps) {
  const dc = await session();
  try {
    await Promise.all([dc.launch({ kernel: BENCH, stopOnEntry: true }), dc.waitForEvent('stopped')]);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'umain' }] });
    await stopped(dc, () => dc.continueRequest({ threadId: 0 }));
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    if (bps.length) {
      const r = await dc.customRequest('setInstructionBreakpoints', { breakpoints: bps.map((a) => ({ instructionReference: '0x' + a.toString(16) })) });
      if (r.body.breakpoints.some((b) => !b.verified)) throw new Error('a breakpoint did not bind');
    }
    const t0 = performance.now();
    const ev = await Promise.race([
      Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('exited')]).then(() => 'exited'),
      dc.waitForEvent('stopped').then(() => 'stopped'),
    ]);
    if (ev !== 'exited') {
      const st = await dc.stackTraceRequest({ threadId: 0 });
      throw new Error(`the guest stopped at a breakpoint that should never be hit: ${st.body.stackFrames.map((f) => `${f.name} ${f.instructionPointerReference}`).join(' < ')}`);
    }
    return performance.now() - t0;
  } finally {
    await dc.stop();
  }
}

export async function benchDap({ rounds, out }) {
  out('');
  out('DAP latencies (dist/dap.js over stdio, medians)');
  const fns = functions(BENCH);
  const bps = [];
  for (const name of ['_start', 'sbi_init', 'fail', 'handle_kernel_trap', 'park']) {
    const [s, e] = fns.get(name) ?? [0n, 0n];
    for (let a = s; a < e && bps.length < 100; a += 2n) bps.push(a);
  }
  if (bps.length < 100) throw new Error(`only ${bps.length} breakpoint addresses in the bench guest's boot and error paths`);
  const lat = [];
  const pause = [];
  const none = [];
  const hundred = [];
  let failed = false;
  for (let r = 0; r < rounds; r++) {
    try {
      lat.push(await roundLatencies());
      pause.push(await pauseLatency());
      // Alternate the order so drift on a shared machine hits both alike.
      if (r % 2 === 0) { none.push(await runTime([])); hundred.push(await runTime(bps)); }
      else { hundred.push(await runTime(bps)); none.push(await runTime([])); }
    } catch (e) {
      failed = true;
      out(`FAIL: DAP bench round ${r + 1}: ${e.message}`);
    }
  }
  const s = {
    stepLineMs: median(lat.map((x) => x.line)),
    stepInstructionMs: median(lat.map((x) => x.insn)),
    stackScopesVariablesMs: median(lat.map((x) => x.inspect)),
    pauseMs: median(pause),
    runNoBreakpointsMs: median(none),
    run100BreakpointsMs: median(hundred),
  };
  s.speedRatio100Breakpoints = s.runNoBreakpointsMs / s.run100BreakpointsMs;
  out(`  step (next by line), round trip     ${pad(fmt(s.stepLineMs, 2), 8)} ms`);
  out(`  step (one instruction), round trip  ${pad(fmt(s.stepInstructionMs, 2), 8)} ms`);
  out(`  stackTrace + scopes + variables     ${pad(fmt(s.stackScopesVariablesMs, 2), 8)} ms`);
  out(`  pause while running at full speed   ${pad(fmt(s.pauseMs, 2), 8)} ms`);
  out(`  bench guest, no breakpoints         ${pad(fmt(s.runNoBreakpointsMs, 0), 8)} ms`);
  out(`  bench guest, 100 breakpoints        ${pad(fmt(s.run100BreakpointsMs, 0), 8)} ms`);
  out(`  speed with 100 breakpoints / none   ${pad(fmt(s.speedRatio100Breakpoints, 3), 8)}   (goal >= 0.95)`);
  return { summary: s, failed };
}

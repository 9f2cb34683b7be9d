// `rvisor run … --dap-port N`: a DAP client attaches to the running guest (DebugClient over TCP),
// pauses it, breaks in the kernel, reads its stack and variables, then detaches; the guest runs on
// to its end under the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { runCli, freePort } from '../helpers/cli.ts';

test('a DAP client attaches to a running guest, stops it, detaches, and the guest finishes', async () => {
  const port = await freePort();
  // The bench guest runs for seconds: long enough to attach while it runs.
  const run = runCli(['run', '-kernel', 'guests/bench/bench.elf', '-nographic', '--dap-port', String(port)]);
  try {
    await run.waitFor('bench: start', 30_000);
    const dc = new DebugClient('node', '', 'rvisor');
    dc.defaultTimeout = 30_000;
    await dc.start(port);
    try {
      await dc.initializeRequest();
      await dc.attachRequest({} as DebugProtocol.AttachRequestArguments);
      // The guest keeps running after attach; pause stops it in user code or the kernel.
      const [, paused] = await Promise.all([dc.pauseRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
      assert.equal((paused as DebugProtocol.StoppedEvent).body.reason, 'pause');
      // A breakpoint on the kernel's trap handler: the next system call or timer tick stops there.
      const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'handle_trap' }] });
      assert.equal(fb.body.breakpoints[0].verified, true);
      const [, hit] = await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
      assert.equal((hit as DebugProtocol.StoppedEvent).body.reason, 'function breakpoint');
      const frames = (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
      assert.equal(frames[0].name, 'handle_trap');
      assert.equal(frames[0].source?.name, 'kernel.c');
      const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
      const csrs = scopes.find((s) => s.name === 'CSRs')!;
      const groups = (await dc.variablesRequest({ variablesReference: csrs.variablesReference })).body.variables;
      const sup = (await dc.variablesRequest({ variablesReference: groups.find((g) => g.name === 'Supervisor')!.variablesReference })).body.variables;
      assert.match(sup.find((v) => v.name === 'scause')!.value, /ecall from U-mode|interrupt|page fault/);
      // Detach: the breakpoint goes with the client, and the guest runs on.
      await dc.disconnectRequest({});
    } finally {
      await dc.stop();
    }
    await run.waitFor(/bench: done: insns \d+ checksum 0x[0-9a-f]+/, 120_000);
    const { code } = await run.exit;
    assert.equal(code, 0, run.errors());
    assert.match(run.errors(), new RegExp(`debug adapter on 127\\.0\\.0\\.1:${port}`));
  } finally {
    run.proc.kill();
    await run.exit;
  }
});

test('attach to an adapter that has no guest is a clear error', async () => {
  const dc = new DebugClient('node', 'dist/dap.js', 'rvisor');
  await dc.start();
  try {
    await dc.initializeRequest();
    await assert.rejects(dc.attachRequest({} as DebugProtocol.AttachRequestArguments), /attach: no running guest here; start one with `rvisor run … --dap-port N`/);
  } finally {
    await dc.stop();
  }
});

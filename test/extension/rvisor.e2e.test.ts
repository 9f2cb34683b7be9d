// The extension end to end in real VS Code (code-server in headless Chromium, test/helpers/vscode.ts):
// the packaged .vsix installed into a fresh profile, a workspace holding the demo guest's sources and
// image with a launch.json, and the user's path through it — a source breakpoint, the CALL STACK and
// VARIABLES, the Page Tables, Devices, Hypercalls and Traps views, the serial terminal, a trace file's
// highlighting, outline and hovers. Every step is asserted from the DOM and leaves a screenshot in
// artifacts/e2e/. Skipped (with the reason) where code-server or Chromium is not installed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli.ts';
import { addr2line } from '../helpers/addr2line.ts';
import { parseElf } from '../../engine/loader/elf.ts';
import { Workbench, packageVsix, skipReason, waitUntil, type CallStackRow, type TestContextLike, type TreeRow } from '../helpers/vscode.ts';

const DEMO_DIR = join(ROOT, 'guests/demo');
/** In page-side code (the project has no DOM types). */
declare const getComputedStyle: (e: unknown) => { color: string };
const CONFIG = 'rvisor: demo guest';
const SERIAL = `rvisor serial: ${CONFIG}`;

/** The line of `file` (guests/demo) that holds `text`, 1-based. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(join(DEMO_DIR, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

/** file name and line of an address by binutils' addr2line -i: the innermost, or with `outermost` the concrete function's. */
function where(elf: string, root: string, pc: string, outermost = false): { file: string; line: number } | undefined {
  const all = addr2line(elf, pc, root);
  const w = outermost ? all?.at(-1) : all?.[0];
  return w && { file: basename(w.path), line: w.line };
}
let vsix: string | undefined;
/** The extension packaged once for the file's tests (npm test builds dist/ first). */
function extensionPackage(t: TestContextLike): string {
  if (vsix) return vsix;
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-vsix-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  vsix = packageVsix(ROOT, join(dir, 'rvisor.vsix'));
  t.diagnostic(`packaged ${vsix}`);
  return vsix;
}

/**
 * A kernel developer's workspace: the demo's sources where its DWARF names them (guests/demo/…), its
 * image, a launch.json, a trace file of a run, written by `rvisor run --trace`.
 */
function demoWorkspace(t: TestContextLike, launchJson = true): string {
  const ws = mkdtempSync(join(tmpdir(), 'rvisor-ws-demo-'));
  t.after(() => rmSync(ws, { recursive: true, force: true }));
  for (const d of ['guests/demo', 'guests/include']) cpSync(join(ROOT, d), join(ws, d), { recursive: true, filter: (p) => !p.endsWith('/build') });
  if (launchJson) mkdirSync(join(ws, '.vscode'));
  if (launchJson) writeFileSync(join(ws, '.vscode/launch.json'), JSON.stringify({
    version: '0.2.0',
    configurations: [
      { type: 'rvisor', request: 'launch', name: CONFIG, kernel: '${workspaceFolder}/guests/demo/demo.elf', append: 'shell', stopOnEntry: false },
    ],
  }, null, 2));
  const run = spawnSync(process.execPath, [join(ROOT, 'dist/rvisor.js'), 'run', '-kernel', join(ws, 'guests/demo/demo.elf'), '-nographic', '--trace', join(ws, 'demo.rvtrace')],
    { encoding: 'utf8', input: '', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return ws;
}

/** Folds the side bar view `title` (its header), making room for the others. */
async function foldView(wb: Workbench, title: string): Promise<void> {
  const header = wb.page.locator('.part.sidebar .pane-header', { has: wb.page.locator('.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).first();
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

/** Runs "Filter Hypercalls…" and leaves checked only the items whose label is in `keep` (all: every item). */
async function filterHypercalls(wb: Workbench, keep: string[] | 'all'): Promise<void> {
  await wb.runCommand('rvisor: Filter Hypercalls…');
  const rows = wb.page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 10_000 });
  // A row of a multi-select pick toggles when clicked; its state is its aria-checked.
  const states = await rows.evaluateAll((els) => els.map((e) => [(e.querySelector('.label-name')?.textContent ?? '').trim(), e.getAttribute('aria-checked')]));
  for (const [i, [label, checked]] of states.entries()) {
    if (!label || checked === null) continue;
    const want = keep === 'all' ? label !== 'Failing calls only' : keep.includes(label);
    if ((checked === 'true') !== want) await rows.nth(i).click();
  }
  await wb.page.keyboard.press('Enter');
}

/** Scrolls the view `title` until a row labelled `label` is drawn (views draw only the rows in sight). */
async function scrollToRow(wb: Workbench, title: string, label: RegExp): Promise<TreeRow> {
  let seen: TreeRow[] = [];
  let top = true;
  return waitUntil(`a row ${label} in ${title}`, async () => {
    seen = await wb.treeRows(title);
    const row = seen.find((r) => label.test(r.label));
    if (row) return row;
    const pane = await wb.showView(title);
    await pane.locator('.monaco-list').first().hover();
    // From the top, then down a few rows at a time.
    await wb.page.mouse.wheel(0, top ? -1e6 : 100);
    top = false;
    return undefined;
  }, 30_000, { detail: () => JSON.stringify(seen.map((r) => r.label)) });
}

test('debugging the demo guest from launch.json in VS Code: breakpoint, stack, variables, machine views, hypercalls, serial terminal, trace file',
  { skip: skipReason(), timeout: 300_000 }, async (t) => {
    const ws = demoWorkspace(t);
    // Tall enough for Run and Debug's views and rvisor's four beside them.
    const wb = await Workbench.open(t, { workspace: ws, vsix: extensionPackage(t), viewport: { width: 1600, height: 1500 } });
    t.diagnostic(`code-server ${wb.timings.codeServer} ms, page ${wb.timings.page} ms, extension host ready ${wb.timings.ready} ms`);

    // 1. A source breakpoint in task_create, F5 on the launch configuration, the stop.
    const bpLine = lineOf('task.c', 'task->state = TASK_RUNNABLE;');
    await wb.step('source breakpoint', async () => {
      await wb.openFile('guests/demo/task.c');
      await wb.goToLine(bpLine);
      await wb.runCommand('Debug: Toggle Breakpoint');
      await wb.page.locator('.part.editor .codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    });
    const t0 = Date.now();
    await wb.startDebugging(CONFIG);
    assert.match(await wb.waitForPaused(/breakpoint/i, 60_000), /^Paused on breakpoint$/i);
    t.diagnostic(`Start Debugging to the breakpoint: ${Date.now() - t0} ms`);
    await wb.step('call stack', async () => {
      // The editor asks for the top frame first and the rest a moment later.
      const caller = lineOf('main.c', 'task_create("counter"');
      let frames: CallStackRow[] = [];
      await waitUntil('kmain under task_create in the CALL STACK', async () => {
        frames = (await wb.callStack()).filter((f) => f.kind === 'frame');
        return frames.some((f) => f.name === 'kmain');
      }, 15_000, { detail: () => JSON.stringify(frames) });
      assert.deepEqual([frames[0].name, frames[0].file, frames[0].line], ['task_create', 'task.c', bpLine]);
      assert.ok(frames.some((f) => f.name === 'kmain' && f.file === 'main.c' && f.line === caller), JSON.stringify(frames));
      await wb.waitForActiveEditor('task.c', bpLine);
    });
    await wb.step('variables', async () => {
      // The VARIABLES list draws only what fits: each scope is folded again once read.
      const fold = async (scope: string): Promise<void> => {
        const row = wb.page.locator('.debug-variables .monaco-list-row', { has: wb.page.locator('.scope', { hasText: new RegExp(`^${scope}$`) }) }).first();
        if ((await row.getAttribute('aria-expanded')) === 'true') await row.click();
      };
      const args = await wb.variables('Arguments');
      await fold('Arguments');
      assert.match(args.find((v) => v.name === 'name')?.value ?? '', /^0x[0-9a-f]+ "counter"$/);
      assert.equal(args.find((v) => v.name === 'arg')?.value, '8');
      const locals = await wb.variables('Locals');
      assert.match(locals.find((v) => v.name === 'task')?.value ?? '', /^0x[0-9a-f]+ <tasks>$/);
      await fold('Locals');
      const regs = await wb.variables('Registers');
      assert.match(regs.find((v) => v.name === 'pc')?.value ?? '', /^0x0000000080[0-9a-f]{6}$/);
      assert.equal(regs.find((v) => v.name === 'mode')?.value, 'S-mode (1)');
      await fold('Registers');
      const csrs = await wb.variables('CSRs');
      assert.deepEqual(csrs.map((v) => v.name), ['Machine', 'Supervisor', 'Counters']);
      // The Supervisor group expanded: satp decoded (paging is on by now).
      const row = wb.page.locator('.debug-variables .monaco-list-row', { hasText: /^Supervisor/ }).first();
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
      const satp = wb.page.locator('.debug-variables .monaco-list-row', { hasText: /satp.*Sv39 ASID=\d+ root=0x8/ }).first();
      await waitUntil('satp decoded in the Supervisor CSRs', async () => {
        if (await satp.isVisible()) return true;
        await wb.page.locator('.debug-variables .monaco-list').first().hover();
        await wb.page.mouse.wheel(0, 120); // the list draws only the rows in view
        return false;
      }, 15_000);
    });

    // 2. The machine views: the page-table tree under satp, every device.
    await wb.step('page tables', async () => {
      await wb.waitForTreeRow('Page Tables', 'satp', { description: /^0x8[0-9a-f]{15} +sv39, ASID \d+, root 0x8/i });
      await wb.expandTreeRow('Page Tables', /^root table \(level 2\)$/);
      const kernel = await wb.waitForTreeRow('Page Tables', /^\[2\] 0x80000000–0xbfffffff$/, { description: /^table @ 0x8/ });
      assert.equal(kernel.level, 2);
      await wb.expandTreeRow('Page Tables', /^\[2\] 0x80000000–0xbfffffff$/);
      // The kernel's first 2 MiB: a table of 4 KiB pages (text r-x, rodata, data); free RAM in megapages.
      await wb.waitForTreeRow('Page Tables', /^\[2\] 0x80400000–0x805fffff$/, { description: /^→ 0x80400000 2 MiB page +VRW--GAD/ });
      await wb.expandTreeRow('Page Tables', /^\[1\] 0x80200000–0x803fffff$/);
      const text = await wb.waitForTreeRow('Page Tables', /^\[0\] 0x80200000–0x80200fff$/, { description: /^→ 0x80200000 4 KiB page +VR-X-GA-/ });
      assert.equal(text.level, 4);
      assert.ok(text.actions.includes('Open Memory'), JSON.stringify(text.actions));
      // Jump from the PTE to the memory it maps: the kernel's first instructions.
      await wb.treeItemAction('Page Tables', /^\[0\] 0x80200000–0x80200fff$/, 'Open Memory');
      await wb.waitForActiveEditor(/^0x80200000\.hexdump$/);
      const seg = parseElf(new Uint8Array(readFileSync(join(ws, 'guests/demo/demo.elf')))).segments.find((g) => g.paddr === 0x80200000)!;
      const first = [...seg.data.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('\\s');
      await wb.page.locator('.part.editor .view-line', { hasText: new RegExp(`^0000000080200000\\s+${first}\\s`) }).first().waitFor({ timeout: 15_000 });
    });
    await wb.step('translate an address', async () => {
      await wb.runCommand('rvisor: Translate Address…');
      const input = wb.page.locator('.quick-input-widget input').first();
      await input.fill('0x80200000');
      await input.press('Enter');
      await waitUntil('the translation in a notification', async () => (await wb.notifications())
        .find((n) => /^rvisor: 0x0000000080200000: → 0x80200000 \(satp 0x8[0-9a-f]+, S-mode read\)/.test(n)), 15_000, {
        detail: async () => JSON.stringify(await wb.notifications()),
      });
    });
    await wb.step('devices', async () => {
      const rows = await wb.treeRows('Devices', { minRows: 5 });
      const top = rows.filter((r) => r.level === 1).map((r) => r.label);
      for (const d of [/^uart/, /^plic/, /^clint/, /^rtc/]) assert.ok(top.some((n) => d.test(n)), `${d} in ${JSON.stringify(top)}`);
      const uart = top.find((n) => /^uart/.test(n))!;
      await wb.expandTreeRow('Devices', uart);
      const lsr = await scrollToRow(wb, 'Devices', /^LSR @\+0x5$/);
      assert.equal(lsr.level, 2);
      assert.match(lsr.description, /^0x[0-9a-f]+ +.*THRE/, 'the transmitter is idle');
    });

    // 3. Hypercalls: the SBI calls so far, by name; filtered; reveal the call site; break on one.
    const elf = join(ws, 'guests/demo/demo.elf');
    for (const v of ['Variables', 'Watch', 'Call Stack', 'Loaded Scripts', 'Breakpoints', 'Traps', 'Page Tables', 'Devices']) await foldView(wb, v);
    await wb.step('hypercalls filter', async () => {
      await wb.waitForTreeRow('Hypercalls', /^DBCN\.console_write/);
      await filterHypercalls(wb, ['BASE', 'hart 0']);
      let rows: TreeRow[] = [];
      await waitUntil('only BASE calls in the Hypercalls view', async () => {
        rows = await wb.treeRows('Hypercalls');
        return rows.every((r) => r.label.startsWith('BASE.'));
      }, 10_000, { detail: () => JSON.stringify(rows.map((r) => r.label)) });
      assert.ok(rows.some((r) => r.label === 'BASE.get_spec_version() → 0x2000000'));
      assert.ok(rows.some((r) => /^BASE\.probe_extension\(0x4442434e\) → 0x1$/.test(r.label)), 'DBCN probed and present');
    });
    await wb.step('hypercall call site', async () => {
      const spec = await wb.waitForTreeRow('Hypercalls', 'BASE.get_spec_version() → 0x2000000');
      const pc = /pc (0x[0-9a-f]+)/.exec(spec.description)?.[1];
      assert.ok(pc, spec.description);
      // The kernel's call: the line that inlined the SBI wrapper (sbi.c), not the wrapper's ecall.
      const call = where(elf, ws, pc, true);
      assert.ok(call, `addr2line ${pc}`);
      assert.equal(call.file, 'sbi.c');
      await wb.treeItemAction('Hypercalls', 'BASE.get_spec_version() → 0x2000000', 'Reveal Call Site');
      await wb.waitForActiveEditor(call.file, call.line);
    });
    await wb.step('hypercalls unfiltered', async () => {
      await filterHypercalls(wb, 'all');
      await scrollToRow(wb, 'Hypercalls', /^DBCN\.console_write\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x0\) → 0x[0-9a-f]+$/);
      await scrollToRow(wb, 'Hypercalls', /^HSM\.hart_get_status\(0x0\) → 0x0$/);
    });
    await wb.step('break on a hypercall', async () => {
      await wb.runCommand('Remove All Breakpoints');
      // The line after the breakpoint prints: the next DBCN console_write is task_create's kprintf.
      const write = await scrollToRow(wb, 'Hypercalls', /^DBCN\.console_write\(/);
      await wb.treeItemAction('Hypercalls', write.label, 'Break on This Hypercall');
      await wb.debugAction('Continue');
      // VS Code shows the stop as an exception, with the adapter's exceptionInfo under the line.
      const widget = wb.page.locator('.part.editor .exception-widget').first();
      await widget.waitFor({ timeout: 30_000 });
      assert.match(await widget.innerText(), /Exception has occurred: hypercall\s+SBI DBCN\.console_write\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x0\) = 0, 0x[0-9a-f]+ from 0x[0-9a-f]+ <sbi_debug_console_write\+0x[0-9a-f]+>/);
      let frames: CallStackRow[] = [];
      await waitUntil('task_create under the hypercall in the CALL STACK', async () => {
        frames = (await wb.callStack()).filter((f) => f.kind === 'frame');
        return frames.some((f) => f.name === 'task_create');
      }, 15_000, { detail: () => JSON.stringify(frames) });
      assert.ok(frames.some((f) => f.name === 'console_write'), JSON.stringify(frames.map((f) => f.name)));
      assert.ok(frames.some((f) => f.name === 'task_create' && f.line === bpLine + 1), 'the kprintf after the breakpoint');
      await wb.runCommand('rvisor: Remove Hypercall Breakpoints');
    });

    // 4. The serial terminal: the guest's output, and what is typed reaches it — while stopped and running.
    await wb.step('serial terminal', async () => {
      await wb.typeInTerminal(SERIAL, 'echo typed while stopped');
      await wb.debugAction('Continue');
      // Typed ahead while stopped: waiting in the UART until the shell reads it.
      await wb.waitForTerminalText(SERIAL, /^demo> echo typed while stopped\ntyped while stopped\ndemo>\s*$/m, 60_000);
      await wb.typeInTerminal(SERIAL, 'echo hello from vscode');
      const text = await wb.waitForTerminalText(SERIAL, /^hello from vscode$/m);
      assert.match(text, /demo> echo hello from vscode\nhello from vscode\ndemo>/);
      // The whole session's output is there, from the first line the kernel printed.
      assert.match(await wb.terminalText(SERIAL, { scrollback: true }), /^\s*rvisor demo kernel: hello from S-mode on hart 0\n/);
      // The status bar: running, and the speed once two samples a second apart are in.
      await waitUntil('the guest running with its speed in the status bar', async () =>
        /rvisor: running · [\d.]+ MIPS/.test(await wb.page.locator('.part.statusbar').innerText()), 10_000);
    });
    await wb.step('hypercalls paused and resumed', async () => {
      for (const v of ['Variables', 'Watch', 'Call Stack', 'Loaded Scripts', 'Breakpoints', 'Traps', 'Page Tables', 'Devices']) await foldView(wb, v);
      const pane = await wb.showView('Hypercalls');
      const newest = async (): Promise<number> => Number(/^#(\d+)/.exec((await wb.treeRows('Hypercalls'))[0].description)?.[1]);
      const before = await newest();
      await pane.hover();
      await pane.locator('.pane-header .action-label[aria-label="Pause Hypercall Updates"]').click();
      await wb.typeInTerminal(SERIAL, 'echo while paused');
      await wb.waitForTerminalText(SERIAL, /^while paused$/m);
      assert.equal(await newest(), before, 'no rows while paused');
      await pane.hover();
      await pane.locator('.pane-header .action-label[aria-label="Resume Hypercall Updates"]').click();
      await waitUntil('the calls made meanwhile in the view', async () => (await newest()) > before, 10_000);
    });

    // 5. Traps: the timeline of the run so far (the tasks' system calls, timer interrupts, the stack's page fault).
    await wb.step('traps', async () => {
      for (const v of ['Call Stack', 'Hypercalls']) await foldView(wb, v);
      await scrollToRow(wb, 'Traps', /^supervisor timer interrupt$/);
      const fault = await scrollToRow(wb, 'Traps', /^store\/AMO page fault, tval 0x3fff[0-9a-f]+$/);
      assert.match(fault.description, /U→S · epc 0x[0-9a-f]+$/);
      const epc = /epc (0x[0-9a-f]+)/.exec(fault.description)![1];
      const at = where(elf, ws, epc);
      assert.ok(at);
      await wb.clickTreeRow('Traps', fault.label);
      await wb.waitForActiveEditor(at.file, at.line);
    });
    await wb.typeInTerminal(SERIAL, 'poweroff');
    await wb.waitForDebugEnd(30_000);

    // 6. A trace file: highlighted, with an outline, and hovers that decode the records.
    await wb.step('trace file', async () => {
      await wb.openFile('demo.rvtrace');
      // The grammar's tokens, as the editor colours them: keys, kinds, hex strings, numbers, names.
      const lines0 = wb.page.locator('.part.editor .editor-instance .view-lines').first();
      let html = '';
      await waitUntil('the trace file highlighted in at least 4 colours', async () => {
        html = (await lines0.innerHTML()).slice(0, 600);
        const colors = await lines0.locator('span[class*="mtk"]').evaluateAll((els) => new Set(els.map((e) => getComputedStyle(e).color)).size);
        return colors >= 4;
      }, 15_000, { detail: () => html });
      const outline = await wb.outline({ minRows: 2 });
      assert.ok(outline.some((r) => /^hart 0/.test(r.label)), JSON.stringify(outline.map((r) => r.label)));
      const lines = readFileSync(join(ws, 'demo.rvtrace'), 'utf8').split('\n');
      const i = lines.findIndex((l) => l.includes('"ext":"DBCN"'));
      const hover = await wb.hover(i + 1, lines[i].indexOf('"fn"') + 3);
      assert.match(hover, /console_write/);
      assert.match(hover, /num_bytes/);
    });
  });

test('an untrusted workspace does not launch guests', { skip: skipReason(), timeout: 120_000 }, async (t) => {
  const ws = demoWorkspace(t);
  const wb = await Workbench.open(t, { workspace: ws, vsix: extensionPackage(t), workspaceTrust: true });
  await wb.answerDialog("No, I don't trust the authors");
  await wb.page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).waitFor({ timeout: 10_000 });
  // Start Debugging in Restricted Mode: VS Code asks for trust first; cancelled, no guest starts (rvisor's
  // own check refuses launches the same way for any caller of the debug API while the folder is untrusted).
  await wb.runCommand('View: Show Run and Debug');
  await wb.runCommand('Debug: Start Debugging');
  const text = await wb.answerDialog('Cancel');
  assert.match(text, /Do you trust the authors/);
  await new Promise((r) => setTimeout(r, 3_000));
  assert.equal(await wb.page.locator('.debug-toolbar').isVisible(), false, 'a debug session started');
  await wb.screenshot('untrusted: nothing launched');
  // Trusted, the same configuration boots.
  await wb.runCommand('Debug: Start Debugging');
  await wb.answerDialog('Trust Folder & Continue');
  await wb.page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 30_000 });
  await wb.waitForTerminalText(SERIAL, /^demo>\s*$/m);
  await wb.screenshot('trusted: the guest boots');
});

test('no launch.json: Start Debugging offers the workspace\'s RISC-V kernels and boots the one picked', { skip: skipReason(), timeout: 120_000 }, async (t) => {
  const ws = demoWorkspace(t, false);
  const wb = await Workbench.open(t, { workspace: ws, vsix: extensionPackage(t) });
  const rows = wb.page.locator('.quick-input-list .monaco-list-row');
  const pick = async (what: string, label: RegExp): Promise<string[]> => {
    let offered: string[] = [];
    await waitUntil(what, async () => {
      offered = (await rows.allInnerTexts()).map((r) => r.trim());
      const i = offered.findIndex((r) => label.test(r));
      if (i < 0) return false;
      await rows.nth(i).click();
      return true;
    }, 30_000, { detail: () => JSON.stringify(offered) });
    return offered;
  };
  await wb.runCommand('Debug: Start Debugging');
  // VS Code asks which debugger (several are installed); rvisor then asks which kernel.
  await pick('rvisor among the debuggers', /^rvisor \(RISC-V guest kernel\)/);
  const kernels = await pick('the demo kernel among the workspace\'s RISC-V ELF files', /^guests\/demo\/demo\.elf$/);
  assert.ok(!kernels.some((k) => /\.c\b|\.h\b|rvtrace/.test(k)), `only ELF files are offered: ${JSON.stringify(kernels)}`);
  // The demo (no shell on its command line) runs to its poweroff in well under a second: the session
  // may be over before a toolbar shows; its serial terminal stays, named after the kernel picked.
  await wb.step('the picked kernel ran', () =>
    wb.waitForTerminalText('rvisor serial: rvisor: boot guests/demo/demo.elf', /all tasks succeeded; powering off through SBI SRST/, 60_000));
});


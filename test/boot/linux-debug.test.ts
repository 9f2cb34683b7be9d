// Source-level debugging of real guests through the adapter (DebugClient over stdio): Linux with its
// vmlinux (DWARF 4) — a breakpoint before the MMU is on (bound at the physical alias), start_kernel,
// its stack and locals, the kernel command line in a local — and Debian's OpenSBI + U-Boot, whose
// symbol files are both used across the firmware → U-Boot hand-off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT, missing, OPENSBI_FW_JUMP, UBOOT_SMODE } from '../helpers/cli.ts';
import { linuxGuest } from '../helpers/linux.ts';

const ADAPTER = resolve(ROOT, 'dist/dap.js');
const UBOOT_ELF = '/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf';
const guest = linuxGuest();
const linuxSkip = typeof guest === 'string' ? guest : !existsSync(guest.vmlinux) ? 'vmlinux is missing (rebuild guests/linux)' : false;
const APPEND = 'console=ttyS0 rvisor.debug-test=yes';

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER, 'rvisor');
  dc.defaultTimeout = 60_000;
  await dc.start();
  await dc.initializeRequest();
  return dc;
}

async function until(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const [, ev] = await Promise.all([dc.continueRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
  return ev as DebugProtocol.StoppedEvent;
}

async function scopeVars(dc: DebugClient, frameId: number, name: string): Promise<DebugProtocol.Variable[]> {
  const s = (await dc.scopesRequest({ frameId })).body.scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

test('Linux: setup_vm before the MMU, start_kernel after it; stack, locals and the command line', { skip: linuxSkip }, async () => {
  const g = guest as Exclude<typeof guest, string>;
  const dc = await client();
  try {
    await Promise.all([
      dc.launch({ kernel: g.image, initrd: g.initrd, append: APPEND, memory: '256M', harts: 2, symbols: [g.vmlinux], stopOnEntry: true } as DebugProtocol.LaunchRequestArguments),
      dc.waitForEvent('stopped'),
    ]);
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'setup_vm' }, { name: 'start_kernel' }] });
    assert.deepEqual(fb.body.breakpoints.map((b) => b.verified), [true, true]);
    assert.equal(fb.body.breakpoints[1].source?.name, 'main.c');
    assert.match(fb.body.breakpoints[1].source?.path ?? '', /init\/main\.c$/);

    // setup_vm runs with translation off, at the kernel's physical address (its alias).
    let ev = await until(dc);
    assert.equal(ev.body.reason, 'function breakpoint');
    let frames = (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
    assert.match(frames[0].name, /^setup_vm/);
    assert.match(frames[0].source?.path ?? '', /arch\/riscv\/mm\/init\.c$/);
    assert.match(frames[0].instructionPointerReference ?? '', /^0x80[0-9a-f]{6}$/, 'a physical pc');
    const pt = await scopeVars(dc, frames[0].id, 'Page Tables');
    assert.match(pt.find((v) => v.name === 'satp')!.value, /bare/);
    const args = await scopeVars(dc, frames[0].id, 'Arguments');
    assert.ok(args.some((a) => a.name === 'dtb_pa'), args.map((a) => a.name).join(', '));

    // start_kernel: the MMU is on, the pc is the linked (virtual) address.
    ev = await until(dc);
    assert.equal(ev.body.reason, 'function breakpoint');
    frames = (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
    assert.match(frames[0].name, /^start_kernel/);
    assert.equal(frames[0].source?.name, 'main.c');
    assert.match(frames[0].instructionPointerReference ?? '', /^0xffffffff80[0-9a-f]{6}$/);
    const locals = await scopeVars(dc, frames[0].id, 'Locals');
    for (const name of ['command_line', 'after_dashes']) assert.ok(locals.some((v) => v.name === name), `${name} in ${locals.map((v) => v.name).join(', ')}`);

    // A source line further on: setup_arch has filled command_line with what we passed.
    const mainC = fb.body.breakpoints[1].source!.path!;
    const line = readFileSync(mainC, 'utf8').split('\n').findIndex((l) => l.includes('setup_command_line(command_line);')) + 1;
    assert.ok(line > 0);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const sb = await dc.setBreakpointsRequest({ source: { path: mainC }, breakpoints: [{ line }] });
    assert.equal(sb.body.breakpoints[0].verified, true);
    ev = await until(dc);
    assert.equal(ev.body.reason, 'breakpoint');
    frames = (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
    assert.equal(frames[0].name, 'start_kernel', 'at the call of an inlined function: the caller, at the call line');
    assert.equal(frames[0].line, line);
    // The command line we passed, in the kernel's global copy (a char array).
    const r = await dc.evaluateRequest({ expression: 'boot_command_line', frameId: frames[0].id, context: 'watch' });
    assert.match(r.body.result, new RegExp(`^"${APPEND.replace(/\./g, '\\.')}", '\\\\000' <repeats \\d+ times>$`));
    const cl = await dc.evaluateRequest({ expression: 'sizeof(boot_command_line)', frameId: frames[0].id, context: 'watch' });
    assert.equal(cl.body.result, '1024', 'COMMAND_LINE_SIZE (arch/riscv/include/uapi/asm/setup.h)');
    // Stepping into the inlined setup_command_line shows it as its own frame above start_kernel.
    await Promise.all([dc.stepInRequest({ threadId: 0 }), dc.waitForEvent('stopped')]);
    frames = (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
    assert.ok(frames.some((f) => f.name === 'start_kernel'), frames.map((f) => f.name).join(' < '));
    await Promise.all([dc.terminateRequest(), dc.waitForEvent('terminated')]);
  } finally {
    await dc.stop();
  }
});

test('OpenSBI + U-Boot: both symbol files name code across the hand-off', { skip: missing(OPENSBI_FW_JUMP, UBOOT_SMODE) }, async () => {
  const dc = await client();
  try {
    await Promise.all([
      dc.launch({ bios: OPENSBI_FW_JUMP, kernel: UBOOT_SMODE, symbols: [OPENSBI_FW_JUMP, UBOOT_ELF], stopOnEntry: true } as DebugProtocol.LaunchRequestArguments),
      dc.waitForEvent('stopped'),
    ]);
    // The firmware's entry (fw_jump.elf, M-mode), reached from the boot ROM.
    const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x80000000' }] });
    assert.equal(ib.body.breakpoints[0].verified, true);
    let ev = await until(dc);
    assert.equal(ev.body.reason, 'instruction breakpoint');
    let frames = (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
    assert.match(frames[0].name, /^fw_jump\.elf\+0x0$|^_start$/, 'named from fw_jump.elf');
    let regs = await scopeVars(dc, frames[0].id, 'Registers');
    assert.match(regs.find((v) => v.name === 'mode')!.value, /^M-mode/);
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });
    // After the hand-off: U-Boot's env_get_location runs before relocation, at its link address.
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'env_get_location' }] });
    assert.equal(fb.body.breakpoints[0].verified, true);
    ev = await until(dc);
    assert.equal(ev.body.reason, 'function breakpoint');
    frames = (await dc.stackTraceRequest({ threadId: 0 })).body.stackFrames;
    assert.equal(frames[0].name, 'env_get_location');
    assert.match(frames[0].instructionPointerReference ?? '', /^0x802[0-9a-f]{5}$/);
    regs = await scopeVars(dc, frames[0].id, 'Registers');
    assert.match(regs.find((v) => v.name === 'mode')!.value, /^S-mode/);
    const dis = await dc.customRequest('disassemble', { memoryReference: frames[0].instructionPointerReference, instructionCount: 4, resolveSymbols: true });
    assert.equal(dis.body.instructions[0].symbol, 'env_get_location', 'no DWARF: bound at the symbol itself');
    // The firmware is still there, and still named: disassembly of its entry.
    const fw = await dc.customRequest('disassemble', { memoryReference: '0x80000000', instructionCount: 2, resolveSymbols: true });
    assert.equal(fw.body.instructions[0].address, '0x80000000');
    await Promise.all([dc.terminateRequest(), dc.waitForEvent('terminated')]);
  } finally {
    await dc.stop();
  }
});

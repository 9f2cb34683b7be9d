// The DWARF reader on real binaries: the demo kernel (DWARF 5, GCC 12) checked against binutils'
// decoded line table, and the Linux vmlinux (DWARF 4) for load time and a few known answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { DebugInfo } from '../../debuginfo/debuginfo.ts';
import { linuxGuest } from '../helpers/linux.ts';
import { DEMO, expectedRow, readelfLines, run, type RefRow } from './dwarf-helpers.ts';

const demo = DebugInfo.load(DEMO);
const demoLines = readelfLines(DEMO);

test('demo.elf: DWARF 5 units are indexed', () => {
  assert.equal(demo.hasDwarf, true);
  assert.deepEqual([...demo.dwarfVersions()], [5]);
  assert.ok(demo.section('.debug_frame')!.data.length > 0);
  assert.equal(demo.section('.text')!.address, 0x80200000n);
});

test('demo.elf: lineAt of every 2nd address of the code equals readelf --debug-dump=decodedline', () => {
  let checked = 0;
  for (const name of ['.text', '.user.text']) {
    const s = demo.elf.section(name)!;
    for (let a = s.address; a < s.address + s.size; a += 2n) {
      const want = expectedRow(demoLines, a);
      const got = demo.lineAt(a);
      if (!want) { assert.equal(got, undefined, `0x${a.toString(16)}`); continue; }
      assert.ok(got, `no line at 0x${a.toString(16)}`);
      const where = `0x${a.toString(16)}: ${got.file}:${got.line} vs ${want.file}:${want.line}`;
      assert.equal(got.line, want.line, where);
      assert.equal(got.address, want.address, where);
      assert.equal(basename(got.file), want.base, where);
      if (want.file.includes('/')) assert.equal(got.file, want.file, where);
      checked++;
    }
  }
  assert.ok(checked > 4000, `only ${checked} addresses had lines`);
});

/** All reference rows with their sequence. */
const allRows: Array<RefRow & { seq: number }> = demoLines.flatMap((s, i) => s.rows.map((r) => ({ ...r, seq: i })));

test('demo.elf: functionsNamed and breakAddress agree with the line table', () => {
  const funcs = demo.symbols().filter((s) => s.type === 'func');
  assert.ok(funcs.length > 50);
  let withDwarf = 0;
  for (const sym of funcs) {
    const found = demo.functionsNamed(sym.name);
    assert.ok(found.length >= 1, sym.name);
    const f = found.find((x) => !x.inlined && x.lowPc === sym.address);
    assert.ok(f, `${sym.name}: no out-of-line instance at its symbol`);
    const end = f.ranges.reduce((m, r) => (r.end > m ? r.end : m), 0n);
    assert.ok(f.breakAddress >= f.lowPc && f.breakAddress < end, `${sym.name}: break address outside the function`);
    if (f.file === undefined) continue; // assembly: no DWARF function
    withDwarf++;
    assert.equal(f.lowPc, sym.address);
    if (f.breakAddress === f.lowPc) {
      // Only when no other line follows the opening one inside the function.
      const opening = demo.lineAt(f.lowPc)!.line;
      assert.ok(!allRows.some((r) => r.address > f.lowPc && r.address < end && r.stmt && r.line !== opening), sym.name);
      continue;
    }
    const row = allRows.find((r) => r.address === f.breakAddress && r.stmt);
    assert.ok(row, `${sym.name}: break address 0x${f.breakAddress.toString(16)} is not a statement row`);
    const opening = allRows.filter((r) => r.address === f.lowPc)[0].line;
    assert.notEqual(demo.lineAt(f.breakAddress)!.line === opening && row.line === opening, true, sym.name);
    // No statement row of another line lies between the entry and the break address.
    assert.ok(!allRows.some((r) => r.address > f.lowPc && r.address < f.breakAddress && r.stmt && r.line !== opening), sym.name);
  }
  assert.ok(withDwarf > 40, `${withDwarf}`);
  // Assembly functions come from the symbol table.
  const start = demo.functionsNamed('_start');
  assert.equal(start.length, 1);
  assert.equal(start[0].lowPc, 0x80200000n);
  assert.equal(start[0].breakAddress, 0x80200000n);
});

test('demo.elf: addressesForLine binds the first line with statement code, one address per function', () => {
  const files = demo.sourceFiles();
  assert.ok(files.includes('guests/demo/main.c'), files.join(' '));
  const mainRows = allRows.filter((r) => r.file === 'guests/demo/main.c' && r.stmt);
  const lines = [...new Set(mainRows.map((r) => r.line))].sort((a, b) => a - b);
  for (const client of ['guests/demo/main.c', '/somewhere/else/rvisor/guests/demo/main.c', 'main.c']) {
    for (let line = 1; line <= lines[lines.length - 1]; line++) {
      const got = demo.addressesForLine(client, line);
      const bound = lines.find((l) => l >= line)!;
      assert.equal(got.line, bound, `${client}:${line}`);
      assert.ok(got.addresses.length >= 1, `${client}:${line}`);
      for (const a of got.addresses) {
        assert.ok(mainRows.some((r) => r.address === a && r.line === bound), `${client}:${line} → 0x${a.toString(16)}`);
        // The lowest address of that line within its function.
        const fn = demo.functionAt(a)!;
        const inFn = mainRows.filter((r) => r.line === bound && fn.ranges.some((x) => r.address >= x.start && r.address < x.end)
          && demo.functionAt(r.address)!.inlinedChain.length === fn.inlinedChain.length);
        assert.equal(a, inFn.reduce((m, r) => (r.address < m ? r.address : m), a), `${client}:${line}`);
      }
    }
  }
  assert.deepEqual(demo.addressesForLine('nonexistent.c', 10).addresses, []);
  assert.deepEqual(demo.addressesForLine('guests/demo/main.c', 100_000).addresses, []);
});

test('demo.elf: functionAt, scopeAt and symbolAt agree with the symbol table', () => {
  const kmain = demo.lookupSymbol('kmain')!;
  const fn = demo.functionAt(kmain.address + 4n)!;
  assert.equal(fn.name, 'kmain');
  assert.equal(fn.lowPc, kmain.address);
  assert.deepEqual(fn.ranges, [{ start: kmain.address, end: kmain.address + kmain.size }]);
  assert.equal(fn.file, 'guests/demo/main.c');
  assert.deepEqual(fn.frameBase, Uint8Array.of(0x9c)); // DW_OP_call_frame_cfa
  const scope = demo.scopeAt(kmain.address + 4n)!;
  assert.deepEqual(scope.parameters.map((p) => p.name), ['hartid', 'dtb']);
  assert.equal(demo.symbolAt(kmain.address + 0x12n)!.name, 'kmain');
  assert.equal(demo.symbolAt(kmain.address + 0x12n)!.offset, 0x12n);
  // Assembly (no DWARF function): the symbol table answers.
  assert.equal(demo.functionAt(0x80200004n)!.name, '_start');
  assert.equal(demo.functionAt(0x80200004n)!.inlinedChain.length, 0);
});

test('demo.elf: a load bias moves every address', () => {
  const bias = 0x1000_0000n;
  const moved = DebugInfo.load(DEMO, { offset: bias });
  const kmain = demo.lookupSymbol('kmain')!;
  assert.equal(moved.lookupSymbol('kmain')!.address, kmain.address + bias);
  assert.deepEqual(moved.lineAt(kmain.address + bias + 16n), { ...demo.lineAt(kmain.address + 16n)!, address: demo.lineAt(kmain.address + 16n)!.address + bias });
  assert.equal(moved.functionsNamed('kmain')[0].breakAddress, demo.functionsNamed('kmain')[0].breakAddress + bias);
  assert.deepEqual(moved.addressesForLine('main.c', 60).addresses, demo.addressesForLine('main.c', 60).addresses.map((a) => a + bias));
  assert.equal(moved.section('.text')!.address, 0x80200000n + bias);
  assert.equal(moved.symbolAt(kmain.address + bias + 2n)!.name, 'kmain');
});

const linux = linuxGuest();
const vmlinux = typeof linux === 'string' ? undefined : linux.vmlinux;
const skipLinux = !vmlinux || !existsSync(vmlinux) ? `vmlinux is not built: ${typeof linux === 'string' ? linux : vmlinux}` : false;

test('vmlinux: loads lazily and fast, finds start_kernel, its lines and locals', { skip: skipLinux }, () => {
  let t = performance.now();
  const d = DebugInfo.load(vmlinux!);
  const loadMs = performance.now() - t;
  assert.ok(loadMs < 2000, `load took ${loadMs.toFixed(0)} ms`);
  assert.ok(d.dwarfVersions().has(4));
  const sym = d.lookupSymbol('start_kernel')!;
  assert.ok(sym.address >= 0xffffffff80000000n, sym.address.toString(16));
  t = performance.now();
  const line = d.lineAt(sym.address)!;
  const lineMs = performance.now() - t;
  assert.ok(lineMs < 500, `first lineAt took ${lineMs.toFixed(0)} ms`);
  assert.match(line.file, /init\/main\.c$/);
  t = performance.now();
  const scope = d.scopeAt(sym.address + 32n)!;
  const scopeMs = performance.now() - t;
  assert.ok(scopeMs < 500, `first scopeAt took ${scopeMs.toFixed(0)} ms`);
  assert.equal(scope.function.name, 'start_kernel');
  const names = scope.locals.map((v) => v.name);
  assert.ok(names.includes('command_line') && names.includes('after_dashes'), names.join(' '));
  const cl = scope.locals.find((v) => v.name === 'command_line')!;
  assert.equal(cl.type.kind, 'pointer');
  const fns = d.functionsNamed('start_kernel');
  const f = fns.find((x) => !x.inlined)!;
  assert.equal(f.lowPc, sym.address);
  assert.ok(f.breakAddress > f.lowPc && f.breakAddress < sym.address + sym.size);
  assert.match(d.lineAt(f.breakAddress)!.file, /init\/main\.c$/);
  // nm agrees on a few symbols.
  const nm = run('riscv64-linux-gnu-nm', [vmlinux!]).split('\n').filter((l) => / [Tt] (start_kernel|rest_init|kernel_init)$/.test(l));
  for (const l of nm) {
    const [addr, , name] = l.split(' ');
    assert.equal(d.lookupSymbol(name)!.address, BigInt(`0x${addr}`), name);
  }
});

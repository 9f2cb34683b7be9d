// The ELF reader (debuginfo/elf.ts) against binutils: section and program headers as readelf shows
// them, .symtab as nm lists it, .dynsym of stripped firmware as readelf --dyn-syms lists it; and
// malformed files, which must give a plain Error naming the problem.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { ElfFile, isElf } from '../../debuginfo/elf.ts';
import { DebugInfo } from '../../debuginfo/debuginfo.ts';
import { prng } from '../helpers/prng.ts';
import { DEMO, FW_JUMP, UBOOT, run } from './dwarf-helpers.ts';

const demoBytes = new Uint8Array(readFileSync(DEMO));
const demo = ElfFile.parse(demoBytes, 'demo.elf');

test('demo.elf: header and section headers equal readelf -S', () => {
  assert.equal(demo.machine, 243);
  assert.equal(demo.type, 2);
  assert.equal(demo.entry, 0x80200000n);
  const rows = run('riscv64-unknown-elf-readelf', ['-SW', DEMO]).split('\n')
    .map((l) => /^\s*\[\s*(\d+)\]\s+(\S*)\s+(\S+)\s+([0-9a-f]{16}) ([0-9a-f]+) ([0-9a-f]+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] !== '0');
  assert.equal(rows.length, demo.sections.length - 1);
  for (const m of rows) {
    const s = demo.sections[Number(m[1])];
    assert.equal(s.name, m[2]);
    assert.equal(s.address, BigInt(`0x${m[4]}`), s.name);
    assert.equal(s.offset === 0 ? 0 : s.offset, s.type === 8 ? 0 : parseInt(m[5], 16), s.name);
    assert.equal(s.size, BigInt(`0x${m[6]}`), s.name);
    assert.equal(demo.section(s.name), s);
    // Views into the file, not copies.
    assert.equal(s.data.buffer, demoBytes.buffer);
    if (s.type !== 8) assert.equal(s.data.length, parseInt(m[6], 16));
  }
});

test('demo.elf: program headers equal readelf -l', () => {
  const rows = run('riscv64-unknown-elf-readelf', ['-lW', DEMO]).split('\n')
    .map((l) => /^\s+LOAD\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  const loads = demo.loadSegments();
  assert.equal(loads.length, rows.length);
  rows.forEach((m, i) => {
    assert.equal(loads[i].offset, parseInt(m[1], 16));
    assert.equal(loads[i].vaddr, BigInt(`0x${m[2]}`));
    assert.equal(loads[i].paddr, BigInt(`0x${m[3]}`));
    assert.equal(loads[i].data.length, parseInt(m[4], 16));
    assert.equal(loads[i].memsz, BigInt(`0x${m[5]}`));
  });
});

/** nm's lines as "address name" (nm leaves out file and section symbols). */
function nmSet(args: string[]): string[] {
  return run('riscv64-unknown-elf-nm', args).split('\n').filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3)
    .map(([addr, , name]) => `${BigInt(`0x${addr}`).toString(16)} ${name}`).sort();
}

test('demo.elf: .symtab equals nm', () => {
  assert.equal(demo.symbolSource, 'symtab');
  // nm hides RISC-V mapping symbols ($x…, $d) as well.
  const ours = demo.symbols.filter((s) => s.type !== 'file' && s.type !== 'section' && s.name !== '' && !s.name.startsWith('$'))
    .map((s) => `${s.value.toString(16)} ${s.name}`).sort();
  assert.deepEqual(ours, nmSet([DEMO]));
  const kmain = demo.symbols.find((s) => s.name === 'kmain')!;
  assert.deepEqual({ type: kmain.type, binding: kmain.binding }, { type: 'func', binding: 'global' });
  const board = demo.symbols.find((s) => s.name === 'board')!;
  assert.deepEqual({ type: board.type, binding: board.binding }, { type: 'object', binding: 'local' });
});

for (const [label, path] of [['fw_jump.elf', FW_JUMP], ['uboot.elf', UBOOT]] as const) {
  test(`${label} (stripped): .dynsym equals readelf --dyn-syms`, { skip: existsSync(path) ? false : `${path} is missing` }, () => {
    const elf = ElfFile.parse(new Uint8Array(readFileSync(path)), label);
    assert.equal(elf.symbolSource, 'dynsym');
    const want = run('riscv64-unknown-elf-readelf', ['--dyn-syms', '-W', path]).split('\n')
      .map((l) => /^\s+\d+: ([0-9a-f]{16})\s+(\d+|0x[0-9a-f]+) (\w+)\s+(\w+)\s+\w+\s+\S+\s*(\S*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .slice(1) // the null symbol
      .map((m) => `${BigInt(`0x${m[1]}`).toString(16)} ${BigInt(m[2])} ${m[3].toLowerCase()} ${m[4].toLowerCase()} ${m[5]}`);
    const ours = elf.symbols.map((s) => `${s.value.toString(16)} ${s.size} ${s.type} ${s.binding} ${s.name}`);
    assert.ok(want.length > 10);
    assert.deepEqual(ours, want);
    // The facade answers symbolAt from them.
    const d = DebugInfo.fromBytes(new Uint8Array(readFileSync(path)), label);
    assert.equal(d.hasDwarf, false);
    const obj = elf.symbols.find((s) => s.type === 'object' && s.size > 1n)!;
    assert.equal(d.symbolAt(obj.value + 1n)?.name, obj.name);
  });
}

test('kernel addresses stay exact 64-bit values', () => {
  const b = demoBytes.slice();
  const dv = new DataView(b.buffer);
  dv.setBigUint64(24, 0xffffffff80001234n, true);
  assert.equal(ElfFile.parse(b).entry, 0xffffffff80001234n);
});

test('malformed files give a clear Error', () => {
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /not an ELF file/],
    ['bad magic', Uint8Array.from([0x7f, 0x45, 0x4c, 0x47, ...demoBytes.subarray(4, 64)]), /not an ELF file/],
    ['truncated header', demoBytes.slice(0, 40), /truncated ELF header/],
    ['ELF32', (() => { const b = demoBytes.slice(); b[4] = 1; return b; })(), /64-bit/],
    ['big-endian', (() => { const b = demoBytes.slice(); b[5] = 2; return b; })(), /little-endian/],
    ['program headers past the end', (() => { const b = demoBytes.slice(); new DataView(b.buffer).setBigUint64(32, 0xfffffffffff0n, true); return b; })(), /program headers lie outside/],
    ['section headers past the end', (() => { const b = demoBytes.slice(); new DataView(b.buffer).setBigUint64(40, BigInt(b.length - 10), true); return b; })(), /section headers lie outside/],
    ['truncated file', demoBytes.slice(0, 0x3000), /outside the file/],
  ];
  for (const [label, bytes, message] of cases) {
    assert.equal(isElf(bytes), label !== 'empty' && label !== 'bad magic', label);
    assert.throws(() => ElfFile.parse(bytes, 'x.elf'), (e: unknown) => e instanceof Error && e.constructor === Error
      && message.test(e.message) && e.message.startsWith('x.elf: '), label);
  }
});

test('lenient section parsing (for loaders): a broken section table leaves no sections, not an error', () => {
  const b = demoBytes.slice();
  new DataView(b.buffer).setBigUint64(40, BigInt(b.length - 10), true);
  const elf = ElfFile.parse(b, 'x.elf', { lenientSections: true });
  assert.equal(elf.sections.length, 0);
  assert.equal(elf.symbols.length, 0);
  assert.equal(elf.loadSegments().length, 5);
  // One section's data outside the file: that section reads as empty, the others stay.
  const c = demoBytes.slice();
  const dv = new DataView(c.buffer);
  const shoff = Number(dv.getBigUint64(40, true));
  const text = demo.section('.text')!.index;
  dv.setBigUint64(shoff + text * 64 + 24, BigInt(c.length), true);
  assert.throws(() => ElfFile.parse(c, 'x.elf'), /section 1: data lies outside the file/);
  const lenient = ElfFile.parse(c, 'x.elf', { lenientSections: true });
  assert.equal(lenient.section('.text')!.data.length, 0);
  assert.equal(lenient.section('.rodata')!.data.length, demo.section('.rodata')!.data.length);
});

test('random truncations and byte flips of headers: Error or a parsed file, nothing else', () => {
  const rnd = prng(7);
  for (let i = 0; i < 300; i++) {
    const b = demoBytes.slice(0, i % 3 === 0 ? Math.floor(rnd() * demoBytes.length) : demoBytes.length);
    for (let k = 0; k < 4; k++) {
      // Flips in the ELF header, program headers and section headers (at the end of the file).
      const region = rnd() < 0.5 ? Math.floor(rnd() * 0x200) : b.length - 1 - Math.floor(rnd() * 0x500);
      if (region >= 0 && region < b.length) b[region] ^= 1 << Math.floor(rnd() * 8);
    }
    try {
      const elf = ElfFile.parse(b);
      void elf.symbols.length;
    } catch (e) {
      assert.ok(e instanceof Error && e.constructor === Error, String(e));
    }
  }
});

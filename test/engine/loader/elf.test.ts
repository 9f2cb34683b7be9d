// ELF loader tests (engine/loader/elf.ts): a real file (the demo guest), synthetic files, and malformed
// inputs — each malformed input must give a plain Error naming the file and the problem, never another
// kind of exception (RangeError from a DataView, TypeError…) and never a hang.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseElf, isElf } from '../../../engine/loader/elf.ts';
import { Machine } from '../../../engine/machine.ts';
import { prng } from '../../helpers/prng.ts';

const ROOT = resolve(__dirname, '..', '..', '..');
const DEMO = resolve(ROOT, 'guests', 'demo', 'demo.elf');

// ---- an independent reader for the checks (not the loader under test) ----

interface Phdr { type: number; offset: number; vaddr: bigint; paddr: bigint; filesz: number; memsz: number }
function phdrs(b: Uint8Array): Phdr[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const phoff = Number(dv.getBigUint64(32, true));
  const n = dv.getUint16(56, true);
  const es = dv.getUint16(54, true);
  return Array.from({ length: n }, (_, i) => {
    const p = phoff + i * es;
    return {
      type: dv.getUint32(p, true), offset: Number(dv.getBigUint64(p + 8, true)), vaddr: dv.getBigUint64(p + 16, true),
      paddr: dv.getBigUint64(p + 24, true), filesz: Number(dv.getBigUint64(p + 32, true)), memsz: Number(dv.getBigUint64(p + 40, true)),
    };
  });
}

// ---- a synthetic ELF64 RISC-V executable ----

interface ElfSpec {
  segments?: Array<{ type?: number; paddr: number; vaddr?: number; data: Uint8Array; memsz?: number }>;
  entry?: number;
  symbols?: Array<{ name: string; value: number; size?: number; type?: number }>;
}

/** Builds: ELF header, program headers, segment data, .symtab, .strtab, section headers (null, symtab, strtab). */
function makeElf(spec: ElfSpec = {}): Uint8Array {
  const segs = spec.segments ?? [{ paddr: 0x80000000, data: Uint8Array.of(0x13, 0, 0, 0, 0x6f, 0, 0, 0) }];
  const syms = spec.symbols ?? [{ name: '_start', value: 0x80000000, type: 2 }, { name: 'tohost', value: 0x80001000, size: 8, type: 1 }];
  const phoff = 64;
  let off = phoff + 56 * segs.length;
  const segOffs = segs.map((s) => { const o = off; off += s.data.length; return o; });
  const strtab: number[] = [0];
  const nameOffs = syms.map((s) => { const o = strtab.length; for (const c of Buffer.from(s.name)) strtab.push(c); strtab.push(0); return o; });
  const symOff = off;
  const symSize = 24 * (syms.length + 1);
  off += symSize;
  const strOff = off;
  off += strtab.length;
  off = (off + 7) & ~7;
  const shoff = off;
  const total = shoff + 3 * 64;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 243, true); // EM_RISCV
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, BigInt(spec.entry ?? segs[0].paddr), true);
  dv.setBigUint64(32, BigInt(phoff), true);
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, segs.length, true);
  dv.setUint16(58, 64, true);
  dv.setUint16(60, 3, true);
  segs.forEach((s, i) => {
    const p = phoff + 56 * i;
    dv.setUint32(p, s.type ?? 1, true);
    dv.setUint32(p + 4, 5, true);
    dv.setBigUint64(p + 8, BigInt(segOffs[i]), true);
    dv.setBigUint64(p + 16, BigInt(s.vaddr ?? s.paddr), true);
    dv.setBigUint64(p + 24, BigInt(s.paddr), true);
    dv.setBigUint64(p + 32, BigInt(s.data.length), true);
    dv.setBigUint64(p + 40, BigInt(s.memsz ?? s.data.length), true);
    dv.setBigUint64(p + 48, 0x1000n, true);
    b.set(s.data, segOffs[i]);
  });
  syms.forEach((s, i) => {
    const o = symOff + 24 * (i + 1);
    dv.setUint32(o, nameOffs[i], true);
    b[o + 4] = s.type ?? 0;
    dv.setBigUint64(o + 8, BigInt(s.value), true);
    dv.setBigUint64(o + 16, BigInt(s.size ?? 0), true);
  });
  b.set(strtab, strOff);
  const sh = (i: number, type: number, o: number, size: number, link: number, entsize: number): void => {
    const s = shoff + 64 * i;
    dv.setUint32(s + 4, type, true);
    dv.setBigUint64(s + 24, BigInt(o), true);
    dv.setBigUint64(s + 32, BigInt(size), true);
    dv.setUint32(s + 40, link, true);
    dv.setBigUint64(s + 56, BigInt(entsize), true);
  };
  sh(1, 2, symOff, symSize, 2, 24);
  sh(2, 3, strOff, strtab.length, 0, 0);
  return b;
}

/** Field offsets used to corrupt files. */
const SHDR_SYMTAB = (b: Uint8Array): number => Number(new DataView(b.buffer).getBigUint64(40, true)) + 64;

function expectElfError(data: Uint8Array, pattern: RegExp, what = 'kernel'): void {
  let err: unknown;
  try {
    parseElf(data, what);
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `expected an error matching ${pattern}`);
  assert.equal((err as Error).constructor, Error, `a plain Error, not ${(err as Error).constructor.name}: ${(err as Error).message}`);
  assert.match((err as Error).message, new RegExp(`^${what}: `));
  assert.match((err as Error).message, pattern);
}

/** parseElf either succeeds or throws a plain Error whose message names the file. */
function parsesOrClearError(data: Uint8Array, what: string): boolean {
  try {
    parseElf(data, 'kernel');
    return true;
  } catch (e) {
    assert.equal((e as Error).constructor, Error, `${what}: ${(e as Error).constructor.name}: ${(e as Error).message}`);
    assert.match((e as Error).message, /^kernel: /, what);
    return false;
  }
}


describe('the demo guest (a real file)', () => {
  const data = new Uint8Array(readFileSync(DEMO));

  test('entry, PT_LOAD segments (paddr, vaddr, bytes, memsz) and symbols', () => {
    assert.ok(isElf(data));
    const img = parseElf(data, 'demo.elf');
    const loads = phdrs(data).filter((p) => p.type === 1 && p.memsz > 0);
    assert.ok(loads.length >= 2);
    assert.equal(img.segments.length, loads.length);
    img.segments.forEach((s, i) => {
      const p = loads[i];
      assert.equal(BigInt(s.paddr), p.paddr);
      assert.equal(BigInt(s.vaddr), p.vaddr);
      assert.equal(s.memsz, p.memsz);
      assert.deepEqual(s.data, data.subarray(p.offset, p.offset + p.filesz));
    });
    assert.ok(img.segments.some((s) => s.memsz > s.data.length), 'the .bss segment is zero-filled beyond its file bytes');
    const start = img.symbols.find((s) => s.name === '_start');
    assert.ok(start);
    assert.equal(start.value, img.entry);
    assert.equal(img.entry, 0x80200000);
    const kmain = img.symbols.find((s) => s.name === 'kmain');
    assert.ok(kmain && kmain.type === 2 && kmain.size > 0, 'kmain is a function with a size');
  });

  test('Machine loads it at its physical addresses, zero-fills .bss and starts there', () => {
    const m = Machine.create({ kernel: DEMO, rtcEpochNs: 0n });
    const bus = m.board.bus;
    for (const p of phdrs(data).filter((q) => q.type === 1 && q.memsz > 0)) {
      const off = bus.ramOffset(Number(p.paddr), p.memsz);
      assert.ok(off >= 0);
      assert.deepEqual(bus.ram.subarray(off, off + p.filesz), data.subarray(p.offset, p.offset + p.filesz));
      assert.ok(bus.ram.subarray(off + p.filesz, off + p.memsz).every((x) => x === 0));
    }
    assert.equal(m.harts[0].pc, 0x80200000);
  });

  test('every truncation of the file parses or fails with a clear error', () => {
    // Headers, program headers and the first bytes of the file densely; the rest sparsely (section headers last).
    const cuts = new Set<number>();
    for (let n = 0; n < 600; n++) cuts.add(n);
    for (let n = 600; n < data.length; n += 997) cuts.add(n);
    for (let n = data.length - 2000; n < data.length; n += 7) cuts.add(n);
    for (const n of cuts) parsesOrClearError(data.subarray(0, n), `first ${n} bytes`);
  });

  test('random corruption of its headers (2,000 mutants) never gives anything but a clear error', () => {
    const r = prng(0xe1f);
    const shoff = Number(new DataView(data.buffer, data.byteOffset).getBigUint64(40, true));
    const hot = [[0, 64], [64, 64 + 56 * 6], [shoff, data.length]] as const;
    for (let k = 0; k < 2000; k++) {
      const m = data.slice();
      for (let j = 0; j < 1 + Math.floor(r() * 4); j++) {
        const [lo, hi] = hot[Math.floor(r() * hot.length)];
        const at = lo + Math.floor(r() * (hi - lo));
        m[at] = r() < 0.3 ? 0xff : Math.floor(r() * 256);
      }
      parsesOrClearError(m, `mutant ${k}`);
    }
  });
});

describe('synthetic files', () => {
  test('a minimal valid file: entry, one segment, symbols (types and sizes)', () => {
    const img = parseElf(makeElf(), 'kernel');
    assert.equal(img.entry, 0x80000000);
    assert.equal(img.segments.length, 1);
    assert.deepEqual(Array.from(img.segments[0].data), [0x13, 0, 0, 0, 0x6f, 0, 0, 0]);
    assert.deepEqual(img.symbols.map((s) => [s.name, s.value, s.size, s.type]), [['_start', 0x80000000, 0, 2], ['tohost', 0x80001000, 8, 1]]);
  });

  test('segments with memsz 0 are skipped; sign-extended addresses are kept as negative numbers', () => {
    const img = parseElf(makeElf({
      segments: [
        { paddr: 0x80000000, data: new Uint8Array(4), memsz: 0 },
        { paddr: 0x80001000, vaddr: -0x7ff000, data: new Uint8Array(4), memsz: 16 },
      ],
      entry: 0x80001000,
    }), 'kernel');
    assert.equal(img.segments.length, 1);
    assert.equal(img.segments[0].vaddr, -0x7ff000);
    assert.equal(img.segments[0].memsz, 16);
  });

  test('Machine.create places a synthetic kernel and finds tohost', () => {
    const m = Machine.create({ bios: 'none', kernel: makeElf(), rtcEpochNs: 0n });
    assert.equal(m.tohost, 0x80001000);
    assert.equal(m.board.bus.ram[0], 0x13);
  });
});

describe('malformed files: a clear Error each', () => {
  const good = makeElf();
  const patch = (f: (dv: DataView, b: Uint8Array) => void, base: Uint8Array = good): Uint8Array => {
    const b = base.slice();
    f(new DataView(b.buffer), b);
    return b;
  };

  test('not an ELF (bad magic, empty)', () => {
    expectElfError(new Uint8Array(0), /bad magic/);
    expectElfError(Uint8Array.of(0x7f, 0x45, 0x4c), /bad magic/);
    expectElfError(patch((_dv, b) => { b[1] = 0x46; }), /bad magic/);
    assert.equal(isElf(new Uint8Array(3)), false);
  });

  test('truncated header: every length from 4 to 63 bytes', () => {
    for (let n = 4; n < 64; n++) expectElfError(good.subarray(0, n), /truncated ELF header/);
  });

  test('wrong class (ELFCLASS32), wrong byte order, wrong machine', () => {
    expectElfError(patch((_dv, b) => { b[4] = 1; }), /not a 64-bit ELF/);
    expectElfError(patch((_dv, b) => { b[4] = 0; }), /not a 64-bit ELF/);
    expectElfError(patch((_dv, b) => { b[5] = 2; }), /not little-endian/);
    expectElfError(patch((dv) => dv.setUint16(18, 62, true)), /machine 62 is not RISC-V/);
    expectElfError(patch((dv) => dv.setUint16(18, 0xf3, false)), /is not RISC-V/);
  });

  test('program headers outside the file, or too small', () => {
    expectElfError(patch((dv) => dv.setBigUint64(32, BigInt(good.length), true)), /program headers lie outside the file/);
    expectElfError(patch((dv) => dv.setBigUint64(32, 0xffffffffffffff00n, true)), /program headers lie outside the file/);
    expectElfError(patch((dv) => dv.setUint16(56, 0xffff, true)), /program headers lie outside the file/);
    expectElfError(patch((dv) => dv.setUint16(54, 32, true)), /program headers lie outside the file/);
  });

  test('segment data outside the file, file size above memory size, implausible sizes', () => {
    expectElfError(patch((dv) => dv.setBigUint64(64 + 8, BigInt(good.length - 4), true)), /segment 0: data lies outside the file/);
    expectElfError(patch((dv) => dv.setBigUint64(64 + 8, 0xfffffffffffffff0n, true)), /segment 0: data lies outside the file/);
    expectElfError(patch((dv) => { dv.setBigUint64(64 + 32, 1n << 40n, true); dv.setBigUint64(64 + 40, 1n << 40n, true); }), /segment 0: data lies outside the file/);
    expectElfError(patch((dv) => dv.setBigUint64(64 + 40, 4n, true)), /segment 0: file size exceeds memory size/);
    expectElfError(patch((dv) => dv.setBigUint64(64 + 40, 1n << 40n, true)), /segment 0: implausible size/);
    expectElfError(patch((dv) => dv.setBigUint64(64 + 40, 0xffffffffffffffffn, true)), /segment 0: /);
  });

  test('no PT_LOAD segment', () => {
    expectElfError(patch((dv) => dv.setUint32(64, 4, true)), /no loadable \(PT_LOAD\) segments/);
    expectElfError(patch((dv) => dv.setUint16(56, 0, true)), /no loadable \(PT_LOAD\) segments/);
    expectElfError(makeElf({ segments: [{ paddr: 0x80000000, data: new Uint8Array(8), memsz: 0 }] }), /no loadable/);
  });

  test('a broken symbol table is ignored (symbols dropped), never a crash', () => {
    const sh = SHDR_SYMTAB(good);
    const cases: Array<[string, (dv: DataView) => void]> = [
      ['symtab offset outside the file', (dv) => dv.setBigUint64(sh + 24, BigInt(good.length), true)],
      ['symtab size outside the file', (dv) => dv.setBigUint64(sh + 32, 1n << 40n, true)],
      ['symtab link out of range', (dv) => dv.setUint32(sh + 40, 99, true)],
      ['strtab outside the file', (dv) => dv.setBigUint64(sh + 64 + 24, 0xfffffffffffff000n, true)],
      ['entsize 0 (taken as 24)', (dv) => dv.setBigUint64(sh + 56, 0n, true)],
      ['entsize all ones', (dv) => dv.setBigUint64(sh + 56, 0xffffffffffffffffn, true)],
      ['entsize 2^63', (dv) => dv.setBigUint64(sh + 56, 1n << 63n, true)],
      ['entsize 1', (dv) => dv.setBigUint64(sh + 56, 1n, true)],
      ['entsize huge (2^60)', (dv) => dv.setBigUint64(sh + 56, 1n << 60n, true)],
      ['section headers outside the file', (dv) => dv.setBigUint64(40, 0xffffffffffffffc0n, true)],
      ['shentsize too small', (dv) => dv.setUint16(58, 8, true)],
      ['symbol name offsets past the string table', (dv) => dv.setUint32(Number(dv.getBigUint64(sh + 24, true)) + 24, 0xffffffff, true)],
    ];
    for (const [what, f] of cases) {
      const b = patch(f);
      let img;
      try {
        img = parseElf(b, 'kernel');
      } catch (e) {
        assert.fail(`${what}: ${(e as Error).constructor.name}: ${(e as Error).message}`);
      }
      assert.equal(img.segments.length, 1, what);
    }
  });

  test('2,000 random mutants of a synthetic file: parse or a clear error', () => {
    const r = prng(0xe1f2);
    for (let k = 0; k < 2000; k++) {
      const m = good.slice();
      const dv = new DataView(m.buffer);
      for (let j = 0; j < 1 + Math.floor(r() * 3); j++) {
        const at = Math.floor(r() * (m.length - 8));
        const kind = r();
        if (kind < 0.5) m[at] = Math.floor(r() * 256);
        else if (kind < 0.8) dv.setBigUint64(at & ~7, (BigInt(Math.floor(r() * 4294967296)) << 32n) | BigInt(Math.floor(r() * 4294967296)), true);
        else dv.setBigUint64(at & ~7, BigInt.asUintN(64, -BigInt(Math.floor(r() * 100))), true);
      }
      parsesOrClearError(m, `mutant ${k}`);
    }
  });

  test('Machine.create reports a malformed kernel or one that does not fit in RAM as an Error', () => {
    assert.throws(() => Machine.create({ bios: 'none', kernel: patch((dv) => dv.setUint16(18, 62, true)), rtcEpochNs: 0n }), /^Error: kernel: machine 62/);
    assert.throws(() => Machine.create({ bios: 'none', kernel: makeElf({ segments: [{ paddr: 0x1000, data: new Uint8Array(4) }] }), rtcEpochNs: 0n }),
      /kernel: segment at 0x1000 .* does not fit in RAM/);
    assert.throws(() => Machine.create({ bios: 'none', kernel: '/nonexistent/kernel.elf', rtcEpochNs: 0n }), /cannot read kernel '\/nonexistent\/kernel.elf': ENOENT/);
  });
});

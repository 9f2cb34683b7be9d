// The demo guest (guests/demo): the committed image is a sane RISC-V ELF, and
// build.sh — when Debian's riscv64-unknown-elf-gcc is installed — reproduces it
// byte for byte, with `kmain` and DWARF in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Tests run from the repository root (npm test).
const demoDir = resolve('guests/demo');
const committedElf = join(demoDir, 'demo.elf');
const ENTRY = 0x8020_0000n;
const EM_RISCV = 243;

interface ElfSummary {
  entry: bigint;
  machine: number;
  sections: string[];
}

/** Reads what the tests need from an ELF64 little-endian file. */
function readElf(bytes: Buffer): ElfSummary {
  assert.equal(bytes.readUInt32BE(0), 0x7f454c46, 'ELF magic');
  assert.equal(bytes[4], 2, 'ELFCLASS64');
  assert.equal(bytes[5], 1, 'little endian');
  const machine = bytes.readUInt16LE(18);
  const entry = bytes.readBigUInt64LE(24);
  const shoff = Number(bytes.readBigUInt64LE(40));
  const shentsize = bytes.readUInt16LE(58);
  const shnum = bytes.readUInt16LE(60);
  const shstrndx = bytes.readUInt16LE(62);
  const strtabOffset = Number(bytes.readBigUInt64LE(shoff + shstrndx * shentsize + 24));
  const sections: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const nameOffset = bytes.readUInt32LE(shoff + i * shentsize);
    const start = strtabOffset + nameOffset;
    sections.push(bytes.toString('latin1', start, bytes.indexOf(0, start)));
  }
  return { entry, machine, sections };
}

function haveTool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

test('committed demo.elf: RISC-V, entry 0x80200000, DWARF present, small', () => {
  const bytes = readFileSync(committedElf);
  const elf = readElf(bytes);
  assert.equal(elf.machine, EM_RISCV);
  assert.equal(elf.entry, ENTRY);
  for (const section of ['.text', '.user.text', '.debug_info', '.debug_line', '.symtab']) {
    assert.ok(elf.sections.includes(section), `section ${section}`);
  }
  assert.ok(bytes.length < 256 * 1024, `image is ${bytes.length} bytes`);
});

test('build.sh reproduces demo.elf', (t) => {
  if (!haveTool('riscv64-unknown-elf-gcc') || !haveTool('riscv64-unknown-elf-nm')) {
    t.skip('riscv64-unknown-elf-gcc is not installed');
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'rvisor-demo-'));
  try {
    const build = spawnSync('bash', [join(demoDir, 'build.sh'), out], { encoding: 'utf8' });
    assert.equal(build.status, 0, `build.sh failed:\n${build.stdout}\n${build.stderr}`);
    const built = readFileSync(join(out, 'demo.elf'));
    assert.equal(readElf(built).entry, ENTRY);

    const nm = spawnSync('riscv64-unknown-elf-nm', [join(out, 'demo.elf')], { encoding: 'utf8' });
    assert.equal(nm.status, 0);
    const symbols = new Set(nm.stdout.split('\n').map((line) => line.split(' ').pop()));
    for (const symbol of ['_start', 'kmain', 'trap_entry', 'handle_trap', 'counter_main', 'pi_main']) {
      assert.ok(symbols.has(symbol), `symbol ${symbol}`);
    }

    assert.ok(
      built.equals(readFileSync(committedElf)),
      'guests/demo/demo.elf is stale: run guests/demo/build.sh and commit the result',
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

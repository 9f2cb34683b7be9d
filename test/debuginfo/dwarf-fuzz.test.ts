// Malformed DWARF: demo.elf with truncated or garbage debug sections and a few hundred random byte
// flips. Every query must answer or throw a plain Error (or DwarfError) — never a TypeError or
// RangeError from a bad offset — and must not hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DebugInfo, ValueUnavailableError } from '../../debuginfo/debuginfo.ts';
import type { Type } from '../../debuginfo/types.ts';
import { ElfFile } from '../../debuginfo/elf.ts';
import { DwarfError } from '../../debuginfo/dwarf/reader.ts';
import { prng } from '../helpers/prng.ts';
import { DEMO } from './dwarf-helpers.ts';

const original = new Uint8Array(readFileSync(DEMO));
const elf = ElfFile.parse(original);
const debugSections = elf.sections.filter((s) => s.name.startsWith('.debug_'));
const kmain = elf.symbols.find((s) => s.name === 'kmain')!.value;

function isCleanError(e: unknown): boolean {
  return e instanceof DwarfError || e instanceof ValueUnavailableError || (e instanceof Error && e.constructor === Error);
}

/** Touches every part of a type graph (bounded, cycles allowed), resolving lazy declarations. */
function walkType(t: Type): number {
  const seen = new Set<Type>();
  const stack = [t];
  while (stack.length > 0 && seen.size < 10_000) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    switch (x.kind) {
      case 'pointer': case 'typedef': case 'qualified': stack.push(x.target); break;
      case 'array': stack.push(x.element); break;
      case 'struct': case 'union': for (const m of x.members) stack.push(m.type); break;
      case 'function': stack.push(x.returnType, ...x.params); break;
      default: break;
    }
  }
  return seen.size;
}

/** Runs every kind of query; returns how many threw (cleanly). */
function exercise(bytes: Uint8Array): number {
  let errors = 0;
  const attempt = (f: () => unknown): void => {
    try {
      f();
    } catch (e) {
      assert.ok(isCleanError(e), `unclean error: ${(e as Error)?.stack ?? String(e)}`);
      // A value that cannot be had (optimized out, unreadable) is an answer, not a failure.
      if (!(e instanceof ValueUnavailableError)) errors++;
    }
  };
  let d: DebugInfo | undefined;
  attempt(() => { d = DebugInfo.fromBytes(bytes, 'mutant.elf'); });
  if (!d) return errors;
  const info = d;
  const ctx = {
    pc: kmain + 16n, cfa: 0x80100000n,
    readRegister: (n: number) => BigInt(n) * 0x100n,
    readMemory: (_a: bigint, size: number) => (size <= 64 ? new Uint8Array(size).fill(0x5a) : undefined),
  };
  for (const a of [kmain, kmain + 16n, 0x80200000n, 0x80201000n, 0x80203010n]) {
    attempt(() => info.lineAt(a));
    attempt(() => info.functionAt(a));
    attempt(() => {
      const scope = info.scopeAt(a);
      for (const v of [...(scope?.parameters ?? []), ...(scope?.locals ?? [])]) {
        attempt(() => { if (v.location) info.evaluateLocation(v.location, { ...ctx, pc: a }); });
        attempt(() => info.variableValue(v, { ...ctx, pc: a }));
        attempt(() => walkType(v.type));
      }
    });
  }
  attempt(() => info.functionsNamed('kmain'));
  attempt(() => info.addressesForLine('main.c', 60));
  attempt(() => info.sourceFiles());
  attempt(() => { const t = info.lookupType('struct board_info'); if (t) walkType(t); });
  attempt(() => info.lookupGlobal('board'));
  attempt(() => info.symbolAt(kmain + 4n));
  return errors;
}

test('the unmodified file answers without errors', () => {
  assert.equal(exercise(original), 0);
});

test('truncated and garbage debug sections', () => {
  const rnd = prng(11);
  for (const s of debugSections) {
    for (const mode of ['zeros', 'garbage', 'truncate'] as const) {
      const b = original.slice();
      const start = s.offset;
      const end = s.offset + s.data.length;
      if (mode === 'truncate') {
        // Shrink the section header's size to a third.
        const dv = new DataView(b.buffer);
        const shoff = Number(dv.getBigUint64(40, true));
        dv.setBigUint64(shoff + s.index * 64 + 32, BigInt(Math.floor(s.data.length / 3)), true);
      } else {
        for (let i = start + Math.floor((end - start) / 4); i < end; i++) b[i] = mode === 'zeros' ? 0 : Math.floor(rnd() * 256);
      }
      const t = performance.now();
      exercise(b);
      assert.ok(performance.now() - t < 5000, `${s.name} ${mode}: too slow`);
    }
  }
});

test('random byte flips in the debug sections (300 mutants)', () => {
  const rnd = prng(1234);
  const started = performance.now();
  let withErrors = 0;
  for (let i = 0; i < 300; i++) {
    const b = original.slice();
    const flips = 1 + Math.floor(rnd() * 8);
    for (let k = 0; k < flips; k++) {
      const s = debugSections[Math.floor(rnd() * debugSections.length)];
      const at = s.offset + Math.floor(rnd() * s.data.length);
      b[at] = rnd() < 0.5 ? b[at] ^ (1 << Math.floor(rnd() * 8)) : Math.floor(rnd() * 256);
    }
    const t = performance.now();
    if (exercise(b) > 0) withErrors++;
    assert.ok(performance.now() - t < 5000, `mutant ${i}: too slow`);
  }
  assert.ok(withErrors > 0, 'no mutant was ever rejected: the mutations do not reach the parser');
  assert.ok(performance.now() - started < 60_000);
});

// Robustness fuzzing: random instruction words (32-bit and 16-bit) executed by the hart in M, S and U,
// and random MMIO accesses (every device region of the virt board, every size, aligned or not, reads and
// writes) issued by guest code. The engine must never throw or hang: every run is bounded by a step budget
// and the guest only ever traps. Deterministic: the PRNG seeds are in the test names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../engine/machine.ts';
import type { Hart, HartState } from '../../engine/cpu/hart.ts';
import { assemble, RAM_BASE } from '../helpers/asm.ts';
import { Csr, PRV_M, PRV_S, PRV_U } from '../../engine/cpu/csr.ts';
import { prng } from '../helpers/prng.ts';


const CODE = RAM_BASE + 0x10000; // the random code block
const CELL = RAM_BASE + 0x8000; // [priv/mstatus for the handler's mret, trap counter]
const SCRATCH = RAM_BASE + 0x100000; // where random pointers point
const RAM_SIZE = 8 * 1024 * 1024;

/**
 * The M-mode trap handler: sanitises mstatus (MPRV off, FS on, MPP = the block's privilege), counts the
 * trap, and resumes after the trapping instruction if it lies in [CODE, codeEnd) — otherwise it parks at
 * `out`, which ends the block.
 */
function handler(codeEnd: number): ReturnType<typeof assemble> {
  return assemble(`
    trap: li t2, ${CELL}
    ld t1, 0(t2); csrw mstatus, t1
    ld t3, 8(t2); addi t3, t3, 1; sd t3, 8(t2)
    csrr t0, mepc
    li t1, ${CODE}; bltu t0, t1, out
    li t1, ${codeEnd}; bgeu t0, t1, out
    lhu t1, 0(t0); andi t1, t1, 3; li t2, 3
    addi t0, t0, 2
    bne t1, t2, skip
    addi t0, t0, 2
    skip: csrw mepc, t0
    mret
    out: j out`, RAM_BASE);
}

/** Major opcodes (bits 6:0) of the 32-bit instructions the hart knows, to bias the random words. */
const OPCODES = [0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b, 0x4f,
  0x53, 0x63, 0x67, 0x6f, 0x73];
const CSRS = [0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02, 0xc03, 0x100, 0x104, 0x105, 0x106, 0x10a, 0x140, 0x141,
  0x142, 0x143, 0x144, 0x14d, 0x180, 0xf11, 0xf14, 0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x306, 0x30a, 0x320,
  0x340, 0x341, 0x342, 0x343, 0x344, 0x3a0, 0x3a2, 0x3b0, 0x3b5, 0xb00, 0xb02, 0xb03, 0x7a0];

function random32(r: () => number): number {
  const hi = Math.floor(r() * 4294967296) >>> 0;
  const k = r();
  if (k < 0.1) return hi | 3; // any 32-bit encoding
  let w = (hi & ~0x7f) | OPCODES[Math.floor(r() * OPCODES.length)];
  if ((w & 0x7f) === 0x73 && r() < 0.7) w = ((w & 0xfffff) | (CSRS[Math.floor(r() * CSRS.length)] << 20)) >>> 0;
  if ((w & 0x7f) === 0x73 && r() < 0.1) w = [0x30200073, 0x10200073, 0x10500073, 0x12000073, 0x00000073, 0x00100073][Math.floor(r() * 6)];
  return w >>> 0;
}

function random16(r: () => number): number {
  for (;;) {
    const c = Math.floor(r() * 65536);
    if ((c & 3) !== 3) return c;
  }
}

/** Random register contents: pointers into scratch RAM or devices, small and large numbers. */
function randomRegs(h: Hart, r: () => number, devices: ReadonlyArray<{ base: number; size: number }>): void {
  for (let i = 1; i < 32; i++) {
    const k = r();
    let v: bigint;
    if (k < 0.35) v = BigInt(SCRATCH + Math.floor(r() * 0x100000));
    else if (k < 0.45) { const d = devices[Math.floor(r() * devices.length)]; v = BigInt(d.base + Math.floor(r() * Math.min(d.size, 0x1000))); }
    else if (k < 0.7) v = BigInt(Math.floor(r() * 4096) - 2048);
    else v = (BigInt(Math.floor(r() * 4294967296)) << 32n) | BigInt(Math.floor(r() * 4294967296));
    h.setX(i, v);
  }
}

interface Rig {
  m: Machine;
  h: Hart;
  base: HartState;
  handlerBytes: Uint8Array;
  codeEnd: number;
}

function makeRig(codeBytes: number): Rig {
  const codeEnd = CODE + codeBytes;
  const hnd = handler(codeEnd);
  const m = Machine.create({ bios: 'none', kernel: hnd.bytes, ramSize: RAM_SIZE, rtcEpochNs: 0n });
  m.onOutput = () => {};
  const h = m.harts[0];
  h.setCsr(Csr.MTVEC, BigInt(RAM_BASE));
  h.setCsr(Csr.PMPADDR0, (1n << 54n) - 1n);
  h.setCsr(Csr.PMPCFG0, 0x1fn);
  h.setCsr(Csr.MSTATUS, 1n << 13n); // FS = initial: float instructions execute
  h.pc = CODE;
  return { m, h, base: h.saveState(), handlerBytes: hnd.bytes, codeEnd };
}

/** Restores the hart and writes the block's code, the handler and the handler's cell. */
function prepare(rig: Rig, code: Uint8Array, priv: number, r: () => number): void {
  const { m, h } = rig;
  h.loadState(rig.base);
  randomRegs(h, r, m.board.bus.devices);
  const bus = m.board.bus;
  bus.writeRam(RAM_BASE, rig.handlerBytes);
  bus.writeRam(CODE, code);
  const cell = new Uint8Array(8);
  new DataView(cell.buffer).setBigUint64(0, (1n << 13n) | (BigInt(priv) << 11n), true);
  bus.writeRam(CELL, cell);
  h.setPriv(priv);
  h.pc = CODE;
}

/**
 * Pass 1: every instruction slot of the block is executed once, in order, as one hart step from the block's
 * privilege (the hart's other state carries over from slot to slot, so earlier random instructions shape
 * later ones). Hart.run(1) directly, so a pending interrupt cannot take the step instead (pass 2 runs
 * through the machine). Returns how many slots took a step (retired or trapped).
 */
function stepEverySlot(rig: Rig, slots: number, slotSize: number, priv: number): number {
  const { m, h } = rig;
  let executed = 0;
  for (let i = 0; i < slots && !m.stopped; i++) {
    h.waiting = false;
    h.setPriv(priv);
    h.pc = CODE + slotSize * i;
    const before = h.steps;
    h.run(1);
    if (h.steps === before + 1) executed++;
  }
  return executed;
}

/**
 * Pass 2: the block runs freely from its start (traps resume after the trapping instruction through the
 * handler) until it parks at `out`, waits in WFI, the machine stops, or the step budget runs out.
 */
function runFree(rig: Rig, budget: number): number {
  const { m, h } = rig;
  const out = RAM_BASE + rig.handlerBytes.length - 4;
  const before = h.steps;
  let left = budget;
  while (left > 0) {
    const res = m.run(Math.min(left, 256));
    left -= 256;
    if (res.reason !== 'budget' || h.pc === out || h.waiting) break;
  }
  return h.steps - before;
}

function fuzzInstructions(seed: number, total: number, slots: number, slotSize: 2 | 4): { executed: number; freeSteps: number } {
  const r = prng(seed);
  let rig = makeRig(slots * slotSize);
  let executed = 0;
  let freeSteps = 0;
  for (let block = 0; block * slots < total; block++) {
    const code = new Uint8Array(slots * slotSize);
    const dv = new DataView(code.buffer);
    for (let i = 0; i < slots; i++) {
      if (slotSize === 4) dv.setUint32(4 * i, random32(r), true);
      else dv.setUint16(2 * i, random16(r), true);
    }
    const priv = [PRV_M, PRV_M, PRV_S, PRV_U][Math.floor(r() * 4)];
    const dump = (): string => Array.from({ length: slots }, (_, i) => (slotSize === 4 ? dv.getUint32(4 * i, true) : dv.getUint16(2 * i, true)).toString(16)).join(' ');
    try {
      prepare(rig, code, priv, r);
      executed += stepEverySlot(rig, slots, slotSize, priv);
      if (rig.m.stopped) rig = makeRig(slots * slotSize);
      prepare(rig, code, priv, r);
      freeSteps += runFree(rig, slots * 40);
    } catch (e) {
      assert.fail(`seed 0x${seed.toString(16)}, block ${block} (priv ${priv}) threw: ${(e as Error).stack}\ncode: ${dump()}`);
    }
    // A random store may have hit the finisher (power-off) or reset: start a fresh machine.
    if (rig.m.stopped) rig = makeRig(slots * slotSize);
  }
  return { executed, freeSteps };
}

test('fuzz: 100,000 random 32-bit instruction words in M, S and U never throw or hang (seed 0x5eed1)', () => {
  const t0 = Date.now();
  const { executed, freeSteps } = fuzzInstructions(0x5eed1, 100_000, 64, 4);
  assert.ok(executed >= 100_000, `each word took a step (${executed})`);
  assert.ok(freeSteps > 100_000, `free runs made progress (${freeSteps} steps)`);
  assert.ok(Date.now() - t0 < 30_000, 'fast enough');
});

test('fuzz: 100,000 random 16-bit instruction parcels in M, S and U never throw or hang (seed 0x5eed2)', () => {
  const { executed, freeSteps } = fuzzInstructions(0x5eed2, 100_000, 128, 2);
  assert.ok(executed >= 100_000, `each parcel took a step (${executed})`);
  assert.ok(freeSteps > 100_000, `free runs made progress (${freeSteps} steps)`);
});

test('fuzz: 12,000 random MMIO accesses by guest code over every device region (seed 0x5eed3)', () => {
  const r = prng(0x5eed3);
  const PER_PROGRAM = 400;
  const LOADS = ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'];
  const STORES = ['sb', 'sh', 'sw', 'sd'];
  const TRIGGERS = new Set([0x3333, 0x5555, 0x7777]); // sifive_test finisher codes: power-off and reset
  let accesses = 0;
  let faults = 0;
  let programs = 0;
  const touched = new Set<string>();
  const probe = Machine.create({ bios: 'none', kernel: new Uint8Array(4), ramSize: RAM_SIZE, rtcEpochNs: 0n });
  const devices = probe.board.bus.devices.map((d) => ({ base: d.base, size: d.size, name: d.device.name }));
  while (accesses < 12_000) {
    const lines: string[] = ['li s0, ' + CELL];
    for (let i = 0; i < PER_PROGRAM; i++) {
      const d = devices[Math.floor(r() * devices.length)];
      const k = r();
      // Mostly the register area at the start; sometimes anywhere; sometimes the last bytes (accesses that
      // run past the end of the region).
      const off = k < 0.6 ? Math.floor(r() * Math.min(d.size, 0x100)) : k < 0.85 ? Math.floor(r() * d.size) : d.size - 1 - Math.floor(r() * 8);
      const store = r() < 0.5;
      const op = store ? STORES[Math.floor(r() * STORES.length)] : LOADS[Math.floor(r() * LOADS.length)];
      let value = (BigInt(Math.floor(r() * 4294967296)) << 32n) | BigInt(Math.floor(r() * 4294967296));
      if (d.name === 'test' && TRIGGERS.has(Number(value & 0xffffn))) value ^= 1n;
      touched.add(d.name);
      lines.push(`li t0, ${d.base + off}`, `li t1, ${value}`, `${op} t1, 0(t0)`);
    }
    lines.push('end: j end');
    const prog = assemble(lines, CODE);
    const hnd = handler(CODE + prog.bytes.length);
    const image = new Uint8Array(CODE - RAM_BASE + prog.bytes.length);
    image.set(hnd.bytes, 0);
    image.set(prog.bytes, CODE - RAM_BASE);
    const m = Machine.create({ bios: 'none', kernel: image, ramSize: RAM_SIZE, rtcEpochNs: 0n });
    m.onOutput = () => {};
    const h = m.harts[0];
    h.setCsr(Csr.MTVEC, BigInt(RAM_BASE));
    const cell = new Uint8Array(8);
    new DataView(cell.buffer).setBigUint64(0, (1n << 13n) | (3n << 11n), true);
    m.board.bus.writeRam(CELL, cell);
    h.pc = CODE;
    const end = prog.at('end');
    let res;
    try {
      for (let i = 0; i < 200 && h.pc !== end; i++) {
        res = m.run(500);
        if (res.reason !== 'budget') break;
      }
    } catch (e) {
      assert.fail(`program ${programs} threw: ${(e as Error).stack}`);
    }
    assert.equal(h.pc, end, `program ${programs} reached its end (${JSON.stringify(res)}, pc 0x${h.pc.toString(16)})`);
    assert.equal(h.getPriv(), PRV_M);
    faults += Number(new DataView(m.board.bus.ram.buffer).getBigUint64(CELL - RAM_BASE + 8, true));
    accesses += PER_PROGRAM;
    programs++;
  }
  assert.equal(touched.size, devices.length, 'every device region was accessed');
  assert.ok(faults > 0 && faults < accesses, `some accesses fault (past a region's end), most do not: ${faults}/${accesses}`);
});

// Hostile drivers: more than 10,000 random descriptor chains — loops, addresses outside RAM or in MMIO,
// absurd lengths, nested indirect tables, indirect + NEXT, zero lengths, garbage heads and ring
// indexes, indexes wrapping at 65536, random register writes — against virtio-blk (copy-on-write in
// memory, an overlay file over the legacy transport, read-only), virtio-rng and virtio-console.
// Asserted after every step: nothing throws, every step ends (bounded completions), the device writes
// only into device-writable buffers of chains it completed and into the used ring, every reported
// virtio-blk status byte is OK/IOERR/UNSUPP, the base image stays byte-identical, and the device still
// answers a well-formed request (after a reset when it asked for one). Deterministic: fixed seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtioBlk } from '../../../../engine/devices/virtio/virtio-blk.ts';
import { VirtioRng } from '../../../../engine/devices/virtio/virtio-rng.ts';
import { VirtioNet } from '../../../../engine/devices/virtio/virtio-net.ts';
import { VirtioConsole } from '../../../../engine/devices/virtio/virtio-console.ts';
import { openBlockStore } from '../../../../engine/devices/virtio/block-store.ts';
import type { BlockStore } from '../../../../engine/devices/virtio/block-store.ts';
import type { VirtioBackend, VirtioEvent } from '../../../../engine/devices/virtio/virtio-mmio.ts';
import {
  BLK_F,
  BLK_T,
  REG,
  STATUS,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  bit,
} from '../../../../engine/devices/virtio/constants.ts';
import { prng } from '../../../helpers/prng.ts';
import { FEAT, RAM_BASE, makeRig } from './driver.ts';
import type { DriverQueue, Rig } from './driver.ts';

const RAM_SIZE = 256 * 1024;
const RAM_END = RAM_BASE + RAM_SIZE;
const QSIZE = 16;
const AREA = [RAM_BASE + 0x1000, RAM_BASE + 0x5000]; // queue 0 and 1 rings (zeroed up to +0xd000)
const TABLES = RAM_BASE + 0xd000; // indirect tables: [0xd000, 0xf000)
const DATA_LO = RAM_BASE + 0x10000; // buffers: [0x10000, RAM end)
const SECTORS = 128;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number): number => Math.floor(r() * n);

const HOSTILE_ADDRS: readonly bigint[] = [
  0n, 0x1000n, 0x10001000n, 0x0c000000n, BigInt(RAM_BASE - 8), BigInt(RAM_END - 4), BigInt(RAM_END), 0xffffffffn,
  1n << 32n, 1n << 40n, 1n << 53n, (1n << 53n) + 1n, 1n << 63n, (1n << 64n) - 16n, BigInt(RAM_BASE) + (1n << 32n),
];
const HOSTILE_LENS: readonly number[] = [0, 1, 2, 15, 16, 17, 511, 512, 513, 1024, 4096, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

function addr(r: Rand, len: number): bigint {
  if (r() < 0.8) return BigInt(DATA_LO + int(r, Math.max(1, RAM_END - DATA_LO - Math.min(len, 0x4000))));
  return r() < 0.85 ? pick(r, HOSTILE_ADDRS) : BigInt.asUintN(64, BigInt(int(r, 2 ** 32)) << 32n | BigInt(int(r, 2 ** 32)));
}

function len(r: Rand): number {
  return r() < 0.5 ? pick(r, HOSTILE_LENS) : int(r, 9000);
}

// ------------------------------------------------------------------------------------------------
// A reference walk over a RAM snapshot (the spec's rules), to know what the device was allowed to write.

interface Walked {
  writable: Array<[number, number]>;
  writeLen: number;
}

function walk(ram: Uint8Array, head: number, indirectOk: boolean, desc: number): Walked | undefined {
  const dv = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  const inRam = (a: number, n: number) => a >= RAM_BASE && a + n <= RAM_END;
  const out: Walked = { writable: [], writeLen: 0 };
  let table = desc;
  let entries = QSIZE;
  let indirect = false;
  let idx = head;
  let visited = 0;
  if (head >= QSIZE) return undefined;
  for (;;) {
    if (++visited > QSIZE) return undefined;
    const d = table + 16 * idx - RAM_BASE;
    const a = dv.getUint32(d + 4, true) * 2 ** 32 + dv.getUint32(d, true);
    const n = dv.getUint32(d + 8, true);
    const flags = dv.getUint16(d + 12, true);
    const next = dv.getUint16(d + 14, true);
    if (flags & VIRTQ_DESC_F_INDIRECT) {
      if (!indirectOk || indirect || flags & VIRTQ_DESC_F_NEXT || n === 0 || n % 16 || !inRam(a, n)) return undefined;
      table = a;
      entries = n / 16;
      indirect = true;
      idx = 0;
      visited = 0;
      continue;
    }
    if (flags & VIRTQ_DESC_F_WRITE) {
      out.writable.push([a, n]);
      out.writeLen += n;
    }
    if (!(flags & VIRTQ_DESC_F_NEXT)) return out;
    if (next >= entries) return undefined;
    idx = next;
  }
}

/** RAM offset of byte `off` of a writable stream, or -1. */
function streamByte(w: Walked, off: number): number {
  for (const [a, n] of w.writable) {
    if (off < n) return a >= RAM_BASE && a + n <= RAM_END ? a + off - RAM_BASE : -1;
    off -= n;
  }
  return -1;
}

// ------------------------------------------------------------------------------------------------
// Chain builders: write descriptors (into the ring's table or an indirect table) and return the head.

type Kind = 'blk' | 'rng' | 'console' | 'net';
/** Kinds with host input (console bytes, network frames) and a transmit queue 1. */
const hasInput = (k: Kind): boolean => k === 'console' || k === 'net';

interface Ctx {
  r: Rand;
  q: DriverQueue;
  kind: Kind;
  queue: number;
  rig: Rig;
}

function writeDesc(c: Ctx, table: number, i: number, a: bigint, n: number, flags: number, next: number): void {
  c.q.writeDesc(i, a, n >>> 0, flags & 0xffff, next & 0xffff, table);
}

/** A plausible request: blk header/data/status, rng/console rx writable buffers, console tx readable. */
function plausible(c: Ctx): Array<{ a: bigint; n: number; w: boolean }> {
  const { r, rig } = c;
  const segs: Array<{ a: bigint; n: number; w: boolean }> = [];
  if (c.kind === 'blk') {
    const h = DATA_LO + int(r, 0x20000);
    const hdr = new Uint8Array(16);
    const dv = new DataView(hdr.buffer);
    dv.setUint32(0, r() < 0.85 ? pick(r, [BLK_T.IN, BLK_T.OUT, BLK_T.FLUSH, BLK_T.GET_ID, BLK_T.IN, BLK_T.OUT]) : int(r, 2 ** 32), true);
    dv.setBigUint64(8, r() < 0.8 ? BigInt(int(r, SECTORS)) : pick(r, [BigInt(SECTORS), BigInt(SECTORS - 1), 1n << 63n, (1n << 64n) - 1n]), true);
    rig.drv.writeBytes(h, hdr);
    if (r() < 0.3) segs.push({ a: BigInt(h), n: 7, w: false }, { a: BigInt(h + 7), n: 9, w: false });
    else segs.push({ a: BigInt(h), n: 16, w: false });
    const dataW = r() < 0.5;
    for (let k = int(r, 3); k > 0; k--) {
      const n = r() < 0.7 ? 512 * (1 + int(r, 4)) : len(r);
      segs.push({ a: addr(r, n), n, w: dataW });
    }
    segs.push({ a: r() < 0.9 ? BigInt(DATA_LO + int(r, 0x30000)) : addr(r, 1), n: r() < 0.9 ? 1 : len(r), w: true });
  } else {
    const w = !(hasInput(c.kind) && c.queue === 1);
    for (let k = 1 + int(r, 3); k > 0; k--) {
      const n = r() < 0.7 ? 1 + int(r, 256) : len(r);
      segs.push({ a: addr(r, n), n, w: r() < 0.95 ? w : !w });
    }
  }
  return segs;
}

/** Lays `segs` out as a chain at random free indices (direct) or in an indirect table; returns the head. */
function layChain(c: Ctx, segs: Array<{ a: bigint; n: number; w: boolean }>, viaIndirect: boolean): number {
  const { r } = c;
  if (viaIndirect) {
    const t = TABLES + 16 * int(r, 0x200 - segs.length * 1);
    segs.forEach((s, k) => writeDesc(c, t, k, s.a, s.n, (s.w ? VIRTQ_DESC_F_WRITE : 0) | (k + 1 < segs.length ? VIRTQ_DESC_F_NEXT : 0), k + 1));
    const head = int(r, QSIZE);
    writeDesc(c, c.q.desc, head, BigInt(t), 16 * segs.length, VIRTQ_DESC_F_INDIRECT, 0);
    return head;
  }
  const free = Array.from({ length: QSIZE }, (_, i) => i).sort(() => r() - 0.5).slice(0, Math.min(QSIZE, segs.length));
  segs.slice(0, free.length).forEach((s, k) => writeDesc(c, c.q.desc, free[k], s.a, s.n, (s.w ? VIRTQ_DESC_F_WRITE : 0) | (k + 1 < free.length ? VIRTQ_DESC_F_NEXT : 0), free[k + 1] ?? 0));
  return free[0];
}

/** One hostile chain; returns the head to publish. */
function hostileChain(c: Ctx): number {
  const { r, q } = c;
  const k = r();
  if (k < 0.35) return layChain(c, plausible(c), false);
  if (k < 0.5) return layChain(c, plausible(c), true);
  if (k < 0.62) {
    // Garbage descriptors: any flags, any next, hostile addresses and lengths.
    const head = int(r, QSIZE);
    for (let i = 0; i < 1 + int(r, 6); i++) {
      const n = len(r);
      writeDesc(c, q.desc, i === 0 ? head : int(r, QSIZE), addr(r, n), n, int(r, 8) | (r() < 0.1 ? int(r, 0x10000) : 0), r() < 0.8 ? int(r, QSIZE) : int(r, 0x10000));
    }
    return head;
  }
  if (k < 0.7) {
    // A loop through the ring's table.
    const idx = Array.from({ length: 2 + int(r, 3) }, () => int(r, QSIZE));
    idx.forEach((i, j) => writeDesc(c, q.desc, i, addr(r, 16), 16, VIRTQ_DESC_F_NEXT | (r() < 0.5 ? VIRTQ_DESC_F_WRITE : 0), idx[(j + 1) % idx.length]));
    return idx[0];
  }
  if (k < 0.85) {
    // Hostile indirect tables: nested, with NEXT, bad lengths, outside RAM, loops, garbage entries.
    const t = r() < 0.8 ? TABLES + 16 * int(r, 0x1f0) : Number(pick(r, HOSTILE_ADDRS));
    const entries = 1 + int(r, 8);
    if (t >= RAM_BASE && t + 16 * entries <= RAM_END) {
      for (let i = 0; i < entries; i++) {
        const n = len(r);
        const flags = r() < 0.2 ? VIRTQ_DESC_F_INDIRECT | int(r, 8) : int(r, 4);
        writeDesc(c, t, i, r() < 0.3 ? BigInt(TABLES) : addr(r, n), n, flags, r() < 0.7 ? (i + 1) % (entries + 1) : int(r, 0x10000));
      }
    }
    const head = int(r, QSIZE);
    const tlen = r() < 0.6 ? 16 * entries : pick(r, [0, 8, 24, 16 * 4096, 0xfffffff0, ...HOSTILE_LENS]);
    writeDesc(c, q.desc, head, BigInt(t), tlen, VIRTQ_DESC_F_INDIRECT | (r() < 0.2 ? VIRTQ_DESC_F_NEXT : 0) | (r() < 0.3 ? VIRTQ_DESC_F_WRITE : 0), int(r, QSIZE + 2));
    return head;
  }
  if (k < 0.93) {
    // Zero-length buffers and device-readable after device-writable.
    const segs = plausible(c);
    for (let i = 0; i < 2; i++) segs.splice(int(r, segs.length + 1), 0, { a: addr(r, 0), n: 0, w: r() < 0.5 });
    if (r() < 0.5) segs.push({ a: addr(r, 16), n: 16, w: false });
    return layChain(c, segs, r() < 0.3);
  }
  return r() < 0.5 ? QSIZE + int(r, 100) : 0xffff; // a head out of range
}

// ------------------------------------------------------------------------------------------------

interface Config {
  name: string;
  kind: Kind;
  iterations: number;
  seed: number;
  legacy?: boolean;
  /** Jump the ring indexes close to 65535 at some resets (through a snapshot). */
  wrap: boolean;
  backend: () => { backend: VirtioBackend; store?: BlockStore; done?: () => void };
}

/** Host input for a device that takes it: console bytes, or a network frame. */
function feed(backend: VirtioBackend, bytes: number[]): void {
  if (backend instanceof VirtioNet) backend.receive(Uint8Array.from(bytes));
  else (backend as VirtioConsole).input(bytes);
}

function runFuzz(cfg: Config, imagePath?: string): number {
  const r = prng(cfg.seed);
  const { backend, store, done } = cfg.backend();
  const events: VirtioEvent[] = [];
  const rig = makeRig(backend, { legacy: cfg.legacy, ramSize: RAM_SIZE });
  rig.dev.onEvent = (e) => events.push(e);
  const numQueues = backend.numQueues;
  const offered = rig.drv.deviceFeatures();
  let negotiated = 0n;
  let chains = 0;
  let resets = 0;

  const init = (): void => {
    resets++;
    let want = offered & ~(FEAT.INDIRECT | FEAT.EVENT_IDX);
    if (r() < 0.5) want &= ~(bit(BLK_F.FLUSH) | bit(BLK_F.SEG_MAX)); // device bits: a random subset
    if (r() < 0.7) want |= FEAT.INDIRECT;
    if (r() < 0.5) want |= FEAT.EVENT_IDX;
    assert.ok(rig.drv.negotiate(want), 'a subset of the offered features is accepted');
    for (let q = 0; q < numQueues; q++) rig.drv.setupQueue(q, QSIZE, AREA[q]);
    rig.drv.driverOk();
    negotiated = rig.dev.negotiated();
    if (cfg.wrap && r() < 0.3) {
      // Move device and driver indexes near the 16-bit wrap, as after 65k requests.
      const start = 0x10000 - 1 - int(r, 2 * QSIZE);
      const s = rig.dev.saveState() as { queues: Array<{ vq: { lastAvail: number; usedIdx: number } | null }> };
      for (let q = 0; q < numQueues; q++) {
        const vq = s.queues[q].vq;
        if (!vq) continue;
        vq.lastAvail = start;
        vq.usedIdx = start;
        const dq = rig.drv.queues[q];
        dq.availIdx = start;
        dq.lastUsed = start;
        dq.w16(dq.avail + 2, start);
        dq.w16(dq.used + 2, start);
      }
      rig.dev.loadState(JSON.parse(JSON.stringify(s)));
    }
  };

  /** Runs `action`, then checks every completion it caused against a snapshot taken before. */
  const step = (action: () => void, checkWrites: boolean): void => {
    const before = rig.bus.ram.slice();
    events.length = 0;
    const indirectOk = (negotiated & FEAT.INDIRECT) !== 0n;
    const allowed: Array<[number, number]> = [];
    for (let q = 0; q < numQueues; q++) {
      const dq = rig.drv.queues[q];
      if (dq) allowed.push([dq.used - RAM_BASE, 6 + 8 * QSIZE]);
    }
    let completions = 0;
    rig.dev.onEvent = (e) => {
      events.push(e);
      if (e.kind !== 'virtio-complete') return;
      completions++;
      const dq = rig.drv.queues[e.queue];
      const head = Number(e.detail?.head);
      const usedLen = Number(e.detail?.len);
      const w = walk(before, head, indirectOk, dq.desc);
      if (checkWrites) assert.ok(w !== undefined, `${cfg.name}: completed chain ${head}, which the spec cannot walk`);
      if (!w) return;
      for (const [a, n] of w.writable) if (a >= RAM_BASE && a + n <= RAM_END) allowed.push([a - RAM_BASE, n]);
      if (checkWrites) assert.ok(usedLen <= w.writeLen, `${cfg.name}: used length ${usedLen} > writable ${w.writeLen}`);
      if (cfg.kind === 'blk' && usedLen > 0 && checkWrites) {
        const at = streamByte(w, w.writeLen - 1);
        assert.ok(at >= 0, `${cfg.name}: status reported outside RAM`);
        assert.ok(rig.bus.ram[at] <= 2, `${cfg.name}: status byte ${rig.bus.ram[at]}`);
      }
    };
    action();
    assert.ok(completions <= QSIZE * numQueues, `${cfg.name}: ${completions} completions in one step`);
    if (!checkWrites) return;
    const now = rig.bus.ram;
    for (let off = 0; off < RAM_SIZE; off += 4096) {
      if (Buffer.compare(before.subarray(off, off + 4096), now.subarray(off, off + 4096)) === 0) continue;
      for (let i = off; i < off + 4096; i++) {
        if (before[i] === now[i]) continue;
        assert.ok(allowed.some(([a, n]) => i >= a && i < a + n), `${cfg.name}: device wrote RAM offset 0x${i.toString(16)} it had no right to`);
      }
    }
  };

  /** A well-formed request must still work (after the reset the device may have asked for). */
  const healthy = (): void => {
    init(); // hostile buffers may still be posted (console receive buffers wait for input)
    const q = rig.drv.queues[0];
    const buf = DATA_LO + 0x1000;
    if (cfg.kind === 'blk' && store) {
      const sector = int(r, SECTORS);
      rig.drv.writeBytes(buf, [BLK_T.IN, 0, 0, 0, 0, 0, 0, 0, sector, 0, 0, 0, 0, 0, 0, 0]);
      q.publish(q.chain([{ addr: buf, len: 16 }, { addr: buf + 512, len: 512, write: true }, { addr: buf + 16, len: 1, write: true }]));
      step(() => rig.drv.notify(0), true);
      const expect = new Uint8Array(512);
      store.read(sector * 512, expect);
      assert.equal(rig.drv.readBytes(buf + 16, 1)[0], 0, `${cfg.name}: health read status`);
      assert.deepEqual(rig.drv.readBytes(buf + 512, 512), expect, `${cfg.name}: health read data`);
    } else {
      if (hasInput(cfg.kind)) step(() => feed(backend, Array.from({ length: 42 }, (_, i) => i)), true);
      q.publish(q.chain([{ addr: buf, len: 64, write: true }]));
      step(() => rig.drv.notify(0), true);
      const delivered = events.some((e) => e.kind === 'virtio-complete' && Number(e.detail?.len) > 0);
      assert.ok(delivered || (cfg.kind === 'console' && (backend as VirtioConsole).pendingInput === 0), `${cfg.name}: health request`);
    }
    q.takeUsed();
  };

  const baseHash = imagePath ? createHash('sha256').update(readFileSync(imagePath)).digest('hex') : '';
  init();
  for (let it = 0; it < cfg.iterations; it++) {
    if (rig.drv.status() & STATUS.DEVICE_NEEDS_RESET || !(rig.drv.status() & STATUS.DRIVER_OK)) init();
    const queue = numQueues > 1 ? int(r, numQueues) : 0;
    const q = rig.drv.queues[queue];
    const ctx: Ctx = { r, q, kind: cfg.kind, queue, rig };
    const special = r();
    let checkWrites = true;
    if (special < 0.02) {
      // A device-writable buffer over the rings themselves: only termination and no-throw are checked.
      checkWrites = false;
      const target = pick(r, [q.avail, q.desc, q.used, q.avail + 2]);
      const head = layChain(ctx, cfg.kind === 'blk'
        ? [{ a: BigInt(DATA_LO), n: 16, w: false }, { a: BigInt(target), n: 512, w: true }, { a: BigInt(target + 512), n: 1, w: true }]
        : [{ a: BigInt(target), n: 64 + int(r, 512), w: true }], false);
      if (cfg.kind === 'blk') rig.drv.writeBytes(DATA_LO, [BLK_T.IN, 0, 0, 0, 0, 0, 0, 0, int(r, SECTORS), 0, 0, 0, 0, 0, 0, 0]);
      if (hasInput(cfg.kind)) feed(backend, Array.from({ length: 20 }, () => 9));
      q.publish(head);
      chains++;
      step(() => rig.drv.notify(queue), false);
      init(); // the rings are garbage now
      continue;
    }
    if (special < 0.03) {
      // Random register writes (any offset, any value), then a fresh start.
      checkWrites = false;
      step(() => {
        for (let i = 0; i < 1 + int(r, 6); i++) {
          const off = r() < 0.8 ? pick(r, Object.values(REG)) : int(r, 0x1000) & ~3;
          rig.dev.write(off, pick(r, [4, 4, 4, 1, 2]), int(r, 2 ** 32));
          rig.dev.read(int(r, 0x1000), pick(r, [1, 2, 4]));
        }
      }, false);
      init();
      continue;
    }
    const m = 1 + int(r, 3);
    const heads: number[] = [];
    for (let i = 0; i < m; i++) heads.push(hostileChain(ctx));
    chains += m;
    for (const h of heads) {
      q.w16(q.avail + 4 + 2 * (q.availIdx % QSIZE), h);
      q.availIdx = (q.availIdx + 1) & 0xffff;
    }
    const idxMode = r();
    if (idxMode < 0.05) q.w16(q.avail + 2, (q.availIdx + QSIZE + 1 + int(r, 0x10000 - 2 * QSIZE)) & 0xffff); // garbage index
    else if (idxMode < 0.1) q.availIdx = (q.availIdx - m) & 0xffff; // published nothing: a spurious notification
    else q.w16(q.avail + 2, q.availIdx);
    if (r() < 0.05) q.setAvailFlags(int(r, 0x10000));
    if (r() < 0.05) q.setUsedEvent(int(r, 0x10000));
    if (hasInput(cfg.kind) && r() < 0.4) step(() => feed(backend, Array.from({ length: int(r, 1600) }, () => int(r, 256))), true);
    step(() => rig.drv.notify(r() < 0.05 ? pick(r, [queue + 1, 0xffff, 0x12345]) : queue), checkWrites);
    q.takeUsed();
    q.lastUsed = q.usedIdx();
    if (it % 100 === 0) {
      assert.equal(rig.drv.r(REG.MAGIC_VALUE), 0x74726976, 'still answering');
      rig.dev.describe();
      JSON.stringify(rig.dev.saveState());
    }
    if (it % 250 === 0) healthy();
  }
  healthy();
  done?.();
  if (imagePath) assert.equal(createHash('sha256').update(readFileSync(imagePath)).digest('hex'), baseHash, `${cfg.name}: base image changed`);
  assert.ok(resets > 1, `${cfg.name}: the fuzz never made the device need a reset`);
  return chains;
}

test('fuzz: hostile descriptor chains never break the host or the image', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-virtio-fuzz-'));
  try {
    const image = join(dir, 'base.img');
    const r0 = prng(99);
    writeFileSync(image, Uint8Array.from({ length: SECTORS * 512 }, () => Math.floor(r0() * 256)));
    const overlayPath = join(dir, 'base.overlay');
    const blk = (mode: 'cow' | 'readonly', overlay?: string) => () => {
      const store = openBlockStore({ path: image, mode, overlayPath: overlay });
      return { backend: new VirtioBlk({ store, serial: 'fuzz' }), store, done: () => store.close() };
    };
    const started = Date.now();
    let chains = 0;
    chains += runFuzz({ name: 'blk cow', kind: 'blk', iterations: 5000, seed: 1, wrap: true, backend: blk('cow') }, image);
    chains += runFuzz({ name: 'blk legacy overlay', kind: 'blk', iterations: 2000, seed: 2, legacy: true, wrap: false, backend: blk('cow', overlayPath) }, image);
    chains += runFuzz({ name: 'blk readonly', kind: 'blk', iterations: 1000, seed: 3, wrap: true, backend: blk('readonly') }, image);
    chains += runFuzz({ name: 'rng', kind: 'rng', iterations: 1500, seed: 4, wrap: true, backend: () => ({ backend: new VirtioRng({ seed: 5 }) }) });
    chains += runFuzz({ name: 'console', kind: 'console', iterations: 1500, seed: 6, wrap: true, backend: () => ({ backend: new VirtioConsole({ onOutput: () => undefined }) }) });
    chains += runFuzz({ name: 'net', kind: 'net', iterations: 1500, seed: 7, wrap: true, backend: () => ({ backend: new VirtioNet({ mac: '52:54:00:12:34:56', onTransmit: () => undefined }) }) });
    assert.ok(chains >= 10_000, `${chains} chains`);
    // The overlay the fuzz wrote still replays.
    openBlockStore({ path: image, overlayPath }).close();
    assert.ok(Date.now() - started < 300_000, 'bounded time');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// virtio-blk over real image files (in os.tmpdir()): reads, writes, flush, GET_ID, errors, the three
// store modes (copy-on-write in memory or in an overlay file, writable, read-only), overlay replay
// after a torn write, indirect and split descriptor layouts, and malformed chains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtioBlk } from '../../../../engine/devices/virtio/virtio-blk.ts';
import { openBlockStore } from '../../../../engine/devices/virtio/block-store.ts';
import type { BlockStore, BlockStoreOptions } from '../../../../engine/devices/virtio/block-store.ts';
import { BLK_F, BLK_S, BLK_T, REG, STATUS, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE, bit } from '../../../../engine/devices/virtio/constants.ts';
import { prng } from '../../../helpers/prng.ts';
import { FEAT, RAM_BASE, makeRig } from './driver.ts';
import type { Buf, Rig } from './driver.ts';

const HDR = RAM_BASE + 0x80000;
const DATA = RAM_BASE + 0x81000;
const STAT = RAM_BASE + 0x9f000;
const TABLE = RAM_BASE + 0xa0000;
const SECTORS = 64;

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'rvisor-blk-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function makeImage(dir: string, sectors = SECTORS, seed = 7): { path: string; bytes: Uint8Array } {
  const r = prng(seed);
  const bytes = Uint8Array.from({ length: sectors * 512 }, () => Math.floor(r() * 256));
  const path = join(dir, 'disk.img');
  writeFileSync(path, bytes);
  return { path, bytes };
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const pattern = (n: number, k: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + k) & 0xff);

interface ReqOpts {
  type: number;
  sector?: number | bigint;
  /** OUT data */
  data?: Uint8Array;
  /** IN length */
  inLen?: number;
  layout?: 'single' | 'split' | 'indirect';
}

interface ReqResult {
  status: number;
  usedLen: number;
  data: Uint8Array;
}

function header(type: number, sector: number | bigint): Uint8Array {
  const h = new Uint8Array(16);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, type, true);
  dv.setBigUint64(8, BigInt.asUintN(64, BigInt(sector)), true);
  return h;
}

/** Builds one request the way a driver does, notifies, and returns what the device answered. */
function req(rig: Rig, o: ReqOpts): ReqResult {
  const q = rig.drv.queues[0];
  rig.drv.writeBytes(HDR, header(o.type, o.sector ?? 0));
  rig.drv.writeBytes(STAT, [0xff]);
  const bufs: Buf[] = [];
  if (o.layout === 'split') bufs.push({ addr: HDR, len: 5 }, { addr: HDR + 5, len: 11 });
  else bufs.push({ addr: HDR, len: 16 });
  const data = o.data;
  if (data) {
    rig.drv.writeBytes(DATA, data);
    if (o.layout === 'split' && data.length > 700) bufs.push({ addr: DATA, len: 700 }, { addr: DATA + 700, len: data.length - 700 });
    else bufs.push({ addr: DATA, len: data.length });
  }
  const inLen = o.inLen ?? 0;
  if (inLen > 0) {
    rig.drv.writeBytes(DATA, new Uint8Array(inLen));
    if (o.layout === 'split' && inLen > 3) bufs.push({ addr: DATA, len: 3, write: true }, { addr: DATA + 3, len: inLen - 3, write: true });
    else bufs.push({ addr: DATA, len: inLen, write: true });
  }
  bufs.push({ addr: STAT, len: 1, write: true });
  const head = o.layout === 'indirect' ? q.indirect(bufs, TABLE) : q.chain(bufs);
  q.publish(head);
  rig.drv.notify(0);
  const used = q.takeUsed();
  assert.equal(used.length, 1, 'one completion');
  assert.equal(used[0].id, head);
  return { status: rig.drv.readBytes(STAT, 1)[0], usedLen: used[0].len, data: rig.drv.readBytes(DATA, inLen) };
}

function blkRig(store: BlockStore, opts: { legacy?: boolean; want?: bigint; serial?: string } = {}): Rig {
  const rig = makeRig(new VirtioBlk({ store, serial: opts.serial }), { legacy: opts.legacy });
  rig.drv.init(1, 16, opts.want);
  return rig;
}

function open(o: BlockStoreOptions): BlockStore {
  return openBlockStore(o);
}

/** An in-memory store that counts flushes and can fail on demand. */
class FakeStore implements BlockStore {
  readonly size: number;
  readonly readOnly = false;
  readonly data: Uint8Array;
  flushes = 0;
  fail = false;
  constructor(sectors: number) {
    this.size = sectors * 512;
    this.data = new Uint8Array(this.size);
  }
  read(offset: number, buf: Uint8Array): void {
    if (this.fail) throw new Error('EIO');
    buf.set(this.data.subarray(offset, offset + buf.length));
  }
  write(offset: number, data: Uint8Array): void {
    if (this.fail) throw new Error('ENOSPC');
    this.data.set(data, offset);
  }
  flush(): void {
    this.flushes++;
  }
  close(): void {}
  describe() {
    return [];
  }
  saveState(): unknown {
    return {};
  }
  loadState(): void {}
}

test('config space: capacity, seg_max, blk_size; features', () => {
  withDir((dir) => {
    const { path } = makeImage(dir);
    const rig = makeRig(new VirtioBlk({ store: open({ path }), queueSize: 128 }));
    const cfg = (off: number, size = 4) => rig.dev.read(REG.CONFIG + off, size);
    assert.equal(cfg(0), SECTORS);
    assert.equal(cfg(4), 0);
    assert.equal(cfg(12), 126);
    assert.equal(cfg(20), 512);
    assert.equal(cfg(0, 1), SECTORS);
    assert.equal(rig.drv.r(REG.DEVICE_ID), 2);
    const f = rig.drv.deviceFeatures();
    for (const b of [BLK_F.SEG_MAX, BLK_F.BLK_SIZE, BLK_F.FLUSH]) assert.ok(f & bit(b));
    assert.equal(f & bit(BLK_F.RO), 0n);
    rig.drv.w(REG.QUEUE_SEL, 0);
    assert.equal(rig.drv.r(REG.QUEUE_NUM_MAX), 128);
  });
});

test('IN reads the image; used length is data + status', () => {
  withDir((dir) => {
    const { path, bytes } = makeImage(dir);
    const rig = blkRig(open({ path }));
    for (const layout of ['single', 'split', 'indirect'] as const) {
      const r = req(rig, { type: BLK_T.IN, sector: 3, inLen: 1024, layout });
      assert.equal(r.status, BLK_S.OK, layout);
      assert.equal(r.usedLen, 1025);
      assert.deepEqual(r.data, bytes.subarray(3 * 512, 5 * 512));
    }
    assert.ok(rig.irq.level);
  });
});

test('copy-on-write in memory: writes read back, the base image stays byte-identical', () => {
  withDir((dir) => {
    const { path, bytes } = makeImage(dir);
    const before = sha(path);
    const store = open({ path });
    const rig = blkRig(store);
    for (const layout of ['single', 'split', 'indirect'] as const) {
      const w = req(rig, { type: BLK_T.OUT, sector: 10, data: pattern(1536, layout.length), layout });
      assert.equal(w.status, BLK_S.OK);
      assert.equal(w.usedLen, 1);
      const r = req(rig, { type: BLK_T.IN, sector: 9, inLen: 2560 });
      assert.deepEqual(r.data.subarray(0, 512), bytes.subarray(9 * 512, 10 * 512));
      assert.deepEqual(r.data.subarray(512, 2048), pattern(1536, layout.length));
      assert.deepEqual(r.data.subarray(2048), bytes.subarray(13 * 512, 14 * 512));
    }
    assert.equal(req(rig, { type: BLK_T.FLUSH }).status, BLK_S.OK);
    store.close();
    assert.equal(sha(path), before);
  });
});

test('overlay file: flushed writes are there after reopening; the base is untouched', () => {
  withDir((dir) => {
    const { path, bytes } = makeImage(dir);
    const before = sha(path);
    const overlayPath = join(dir, 'disk.overlay');
    const s1 = open({ path, overlayPath });
    const rig = blkRig(s1);
    assert.equal(req(rig, { type: BLK_T.OUT, sector: 0, data: pattern(512, 1) }).status, BLK_S.OK);
    assert.equal(req(rig, { type: BLK_T.OUT, sector: 63, data: pattern(512, 2) }).status, BLK_S.OK);
    assert.equal(req(rig, { type: BLK_T.OUT, sector: 0, data: pattern(1024, 3) }).status, BLK_S.OK); // rewrites sector 0
    assert.equal(req(rig, { type: BLK_T.FLUSH }).status, BLK_S.OK);
    s1.close();
    assert.ok(!existsSync(`${overlayPath}.tmp`), 'created under a temporary name, then renamed');
    const s2 = open({ path, overlayPath });
    const rig2 = blkRig(s2);
    assert.deepEqual(req(rig2, { type: BLK_T.IN, sector: 0, inLen: 1024 }).data, pattern(1024, 3));
    assert.deepEqual(req(rig2, { type: BLK_T.IN, sector: 62, inLen: 1024 }).data, Uint8Array.from([...bytes.subarray(62 * 512, 63 * 512), ...pattern(512, 2)]));
    s2.close();
    assert.equal(sha(path), before);
  });
});

test('overlay file: a torn last record is dropped, earlier flushed ones survive, appends continue', () => {
  for (const damage of ['truncate', 'corrupt'] as const) {
    withDir((dir) => {
      const { path, bytes } = makeImage(dir);
      const overlayPath = join(dir, 'disk.overlay');
      const s1 = open({ path, overlayPath });
      const rig = blkRig(s1);
      req(rig, { type: BLK_T.OUT, sector: 1, data: pattern(512, 10) });
      req(rig, { type: BLK_T.OUT, sector: 2, data: pattern(1024, 11) });
      req(rig, { type: BLK_T.FLUSH });
      const good = statSync(overlayPath).size;
      req(rig, { type: BLK_T.OUT, sector: 5, data: pattern(2048, 12) }); // not flushed: torn below
      s1.close();
      if (damage === 'truncate') truncateSync(overlayPath, statSync(overlayPath).size - 100);
      else {
        const f = readFileSync(overlayPath);
        f[f.length - 7] ^= 0x55; // a bit flip in the last record's data: its CRC fails
        writeFileSync(overlayPath, f);
      }
      const s2 = open({ path, overlayPath });
      assert.equal(statSync(overlayPath).size, good, `${damage}: the torn tail is cut`);
      const rig2 = blkRig(s2);
      assert.deepEqual(req(rig2, { type: BLK_T.IN, sector: 1, inLen: 1536 }).data, Uint8Array.from([...pattern(512, 10), ...pattern(1024, 11)]));
      assert.deepEqual(req(rig2, { type: BLK_T.IN, sector: 5, inLen: 2048 }).data, bytes.subarray(5 * 512, 9 * 512));
      req(rig2, { type: BLK_T.OUT, sector: 7, data: pattern(512, 13) });
      req(rig2, { type: BLK_T.FLUSH });
      s2.close();
      const s3 = open({ path, overlayPath });
      const rig3 = blkRig(s3);
      assert.deepEqual(req(rig3, { type: BLK_T.IN, sector: 7, inLen: 512 }).data, pattern(512, 13));
      assert.deepEqual(req(rig3, { type: BLK_T.IN, sector: 1, inLen: 512 }).data, pattern(512, 10));
      s3.close();
    });
  }
});

test('overlay file: refuses another base image and files that are not overlays', () => {
  withDir((dir) => {
    const { path } = makeImage(dir);
    const overlayPath = join(dir, 'disk.overlay');
    open({ path, overlayPath }).close();
    const other = join(dir, 'other.img');
    writeFileSync(other, new Uint8Array(1024));
    assert.throws(() => open({ path: other, overlayPath }), /made for a 32768-byte image/);
    const junk = join(dir, 'junk');
    writeFileSync(junk, new Uint8Array(100));
    assert.throws(() => open({ path, overlayPath: junk }), /not an rvisor overlay/);
    assert.throws(() => open({ path, mode: 'writable', overlayPath }), /copy-on-write/);
  });
});

test('writable mode writes the image itself', () => {
  withDir((dir) => {
    const { path, bytes } = makeImage(dir);
    const store = open({ path, mode: 'writable' });
    const rig = blkRig(store);
    assert.equal(req(rig, { type: BLK_T.OUT, sector: 4, data: pattern(512, 20) }).status, BLK_S.OK);
    assert.equal(req(rig, { type: BLK_T.FLUSH }).status, BLK_S.OK);
    const img = readFileSync(path);
    assert.deepEqual(new Uint8Array(img.subarray(4 * 512, 5 * 512)), pattern(512, 20));
    assert.deepEqual(new Uint8Array(img.subarray(0, 4 * 512)), bytes.subarray(0, 4 * 512));
    store.close();
  });
});

test('read-only mode: VIRTIO_BLK_F_RO, writes fail with IOERR and write nothing', () => {
  withDir((dir) => {
    const { path, bytes } = makeImage(dir);
    const before = sha(path);
    const store = open({ path, mode: 'readonly' });
    const rig = blkRig(store);
    assert.ok(rig.dev.negotiated() & bit(BLK_F.RO));
    assert.equal(req(rig, { type: BLK_T.OUT, sector: 4, data: pattern(512, 20) }).status, BLK_S.IOERR);
    const r = req(rig, { type: BLK_T.IN, sector: 4, inLen: 512 });
    assert.equal(r.status, BLK_S.OK);
    assert.deepEqual(r.data, bytes.subarray(4 * 512, 5 * 512));
    assert.equal(req(rig, { type: BLK_T.FLUSH }).status, BLK_S.OK);
    store.close();
    assert.equal(sha(path), before);
  });
});

test('I/O past the end fails with IOERR and touches nothing', () => {
  withDir((dir) => {
    const { path } = makeImage(dir);
    const before = sha(path);
    const overlayPath = join(dir, 'o');
    const store = open({ path, overlayPath });
    const size = statSync(overlayPath).size;
    const rig = blkRig(store);
    for (const [sector, n] of [[SECTORS, 1], [SECTORS - 1, 2], [2n ** 64n - 1n, 1], [2n ** 63n, 1], [2n ** 55n, 1]] as Array<[number | bigint, number]>) {
      assert.equal(req(rig, { type: BLK_T.IN, sector, inLen: 512 * n }).status, BLK_S.IOERR, `IN ${sector}`);
      const w = req(rig, { type: BLK_T.OUT, sector, data: pattern(512 * n, 1) });
      assert.equal(w.status, BLK_S.IOERR, `OUT ${sector}`);
      assert.equal(w.usedLen, 1);
    }
    assert.equal(req(rig, { type: BLK_T.IN, sector: SECTORS - 1, inLen: 512 }).status, BLK_S.OK, 'the last sector is fine');
    assert.equal(statSync(overlayPath).size, size);
    store.close();
    assert.equal(sha(path), before);
  });
});

test('GET_ID returns the serial, NUL-padded to 20 bytes; unknown types are UNSUPP', () => {
  withDir((dir) => {
    const { path } = makeImage(dir);
    const rig = blkRig(open({ path }), { serial: 'rvisor-disk-0' });
    const r = req(rig, { type: BLK_T.GET_ID, inLen: 20 });
    assert.equal(r.status, BLK_S.OK);
    assert.equal(r.usedLen, 21);
    assert.equal(Buffer.from(r.data).toString('latin1'), 'rvisor-disk-0\0\0\0\0\0\0\0');
    const long = blkRig(open({ path }), { serial: 'x'.repeat(30) });
    assert.equal(Buffer.from(req(long, { type: BLK_T.GET_ID, inLen: 20 }).data).toString(), 'x'.repeat(20));
    for (const type of [BLK_T.DISCARD, BLK_T.WRITE_ZEROES, BLK_T.GET_LIFETIME, 0x1234, 0xffffffff]) {
      const u = req(rig, { type, inLen: 0 });
      assert.equal(u.status, BLK_S.UNSUPP, `type ${type}`);
      assert.equal(u.usedLen, 1);
    }
  });
});

test('malformed requests complete with IOERR (or length 0 when there is no status byte)', () => {
  const store = new FakeStore(16);
  const rig = blkRig(store);
  const q = rig.drv.queues[0];
  const send = (bufs: Buf[]): { status: number; len: number } => {
    rig.drv.writeBytes(STAT, [0xff]);
    q.publish(q.chain(bufs));
    rig.drv.notify(0);
    const [u] = q.takeUsed();
    return { status: rig.drv.readBytes(STAT, 1)[0], len: u.len };
  };
  rig.drv.writeBytes(HDR, header(BLK_T.IN, 0));
  // Data length not a multiple of 512.
  assert.deepEqual(send([{ addr: HDR, len: 16 }, { addr: DATA, len: 100, write: true }, { addr: STAT, len: 1, write: true }]), { status: BLK_S.IOERR, len: 1 });
  // Header too short.
  assert.deepEqual(send([{ addr: HDR, len: 8 }, { addr: DATA, len: 512, write: true }, { addr: STAT, len: 1, write: true }]), { status: BLK_S.IOERR, len: 1 });
  // A data buffer outside RAM, or in an MMIO window: never touched, the request fails.
  assert.deepEqual(send([{ addr: HDR, len: 16 }, { addr: RAM_BASE + (1 << 20) - 256, len: 512, write: true }, { addr: STAT, len: 1, write: true }]), { status: BLK_S.IOERR, len: 1 });
  assert.deepEqual(send([{ addr: HDR, len: 16 }, { addr: 0x10001000, len: 512, write: true }, { addr: STAT, len: 1, write: true }]), { status: BLK_S.IOERR, len: 1 });
  assert.deepEqual(send([{ addr: HDR, len: 16 }, { addr: DATA, len: 0xffffffff, write: true }, { addr: STAT, len: 1, write: true }]), { status: BLK_S.IOERR, len: 1 });
  // A readable buffer after a writable one.
  assert.deepEqual(send([{ addr: HDR, len: 16 }, { addr: DATA, len: 512, write: true }, { addr: DATA, len: 512 }, { addr: STAT, len: 1, write: true }]), { status: BLK_S.IOERR, len: 1 });
  // No device-writable byte at all: nothing to report, used length 0.
  assert.deepEqual(send([{ addr: HDR, len: 16 }, { addr: STAT, len: 1 }]), { status: 0xff, len: 0 });
  // Zero-length descriptors are harmless.
  const r = send([{ addr: HDR, len: 16 }, { addr: DATA, len: 0 }, { addr: DATA, len: 512, write: true }, { addr: DATA, len: 0, write: true }, { addr: STAT, len: 1, write: true }]);
  assert.deepEqual(r, { status: BLK_S.OK, len: 513 });
  // Host I/O errors are the driver's IOERR.
  store.fail = true;
  assert.deepEqual(send([{ addr: HDR, len: 16 }, { addr: DATA, len: 512, write: true }, { addr: STAT, len: 1, write: true }]), { status: BLK_S.IOERR, len: 1 });
  assert.equal(rig.drv.status() & STATUS.DEVICE_NEEDS_RESET, 0, 'per-request errors do not break the device');
});

test('structurally broken chains put the device in NEEDS_RESET; it recovers after a reset', () => {
  const cases: Array<[string, (q: Rig['drv']['queues'][0]) => number, bigint | undefined]> = [
    ['loop', (q) => { q.writeDesc(0, HDR, 16, VIRTQ_DESC_F_NEXT, 1); q.writeDesc(1, STAT, 1, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0); return 0; }, undefined],
    ['next out of range', (q) => { q.writeDesc(0, HDR, 16, VIRTQ_DESC_F_NEXT, 99); return 0; }, undefined],
    ['nested indirect', (q) => {
      q.writeDesc(0, TABLE + 0x100, 16, VIRTQ_DESC_F_INDIRECT, 0, TABLE);
      q.writeDesc(0, TABLE, 16, VIRTQ_DESC_F_INDIRECT, 0);
      return 0;
    }, undefined],
    ['indirect with next', (q) => { q.writeDesc(0, TABLE, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1); return 0; }, undefined],
    ['indirect length 0', (q) => { q.writeDesc(0, TABLE, 0, VIRTQ_DESC_F_INDIRECT, 0); return 0; }, undefined],
    ['indirect length 24', (q) => { q.writeDesc(0, TABLE, 24, VIRTQ_DESC_F_INDIRECT, 0); return 0; }, undefined],
    ['indirect table outside RAM', (q) => { q.writeDesc(0, 0x1000, 64, VIRTQ_DESC_F_INDIRECT, 0); return 0; }, undefined],
    ['loop inside an indirect table', (q) => {
      q.writeDesc(0, HDR, 16, VIRTQ_DESC_F_NEXT, 1, TABLE);
      q.writeDesc(1, HDR, 16, VIRTQ_DESC_F_NEXT, 0, TABLE);
      q.writeDesc(0, TABLE, 32, VIRTQ_DESC_F_INDIRECT, 0);
      return 0;
    }, undefined],
    ['indirect without INDIRECT_DESC', (q) => q.indirect([{ addr: HDR, len: 16 }, { addr: STAT, len: 1, write: true }], TABLE), FEAT.VERSION_1],
    ['head out of range', () => 16, undefined],
  ];
  for (const [name, build, want] of cases) {
    const rig = blkRig(new FakeStore(16), { want });
    rig.drv.writeBytes(HDR, header(BLK_T.IN, 0));
    const q = rig.drv.queues[0];
    q.publish(build(q));
    rig.drv.notify(0);
    assert.ok(rig.drv.status() & STATUS.DEVICE_NEEDS_RESET, name);
    assert.ok(rig.irq.level, `${name}: configuration change interrupt`);
    assert.equal(q.usedIdx(), 0, `${name}: nothing completed`);
    rig.drv.init(1, 16);
    assert.equal(req(rig, { type: BLK_T.IN, sector: 0, inLen: 512 }).status, BLK_S.OK, `${name}: works after reset`);
  }
});

test('FLUSH: fsync on request when negotiated; writethrough (flush per write) when not', () => {
  const s1 = new FakeStore(16);
  const r1 = blkRig(s1);
  req(r1, { type: BLK_T.OUT, data: pattern(512, 1) });
  assert.equal(s1.flushes, 0);
  req(r1, { type: BLK_T.FLUSH });
  assert.equal(s1.flushes, 1);
  const s2 = new FakeStore(16);
  const r2 = blkRig(s2, { want: FEAT.VERSION_1 | FEAT.INDIRECT });
  req(r2, { type: BLK_T.OUT, data: pattern(512, 1) });
  assert.equal(s2.flushes, 1);
});

test('legacy transport: the same requests work through QueuePFN', () => {
  withDir((dir) => {
    const { path, bytes } = makeImage(dir);
    const rig = blkRig(open({ path }), { legacy: true });
    assert.equal(rig.drv.r(REG.VERSION), 1);
    assert.deepEqual(req(rig, { type: BLK_T.IN, sector: 2, inLen: 512 }).data, bytes.subarray(1024, 1536));
    assert.equal(req(rig, { type: BLK_T.OUT, sector: 2, data: pattern(512, 5), layout: 'indirect' }).status, BLK_S.OK);
    assert.deepEqual(req(rig, { type: BLK_T.IN, sector: 2, inLen: 512, layout: 'split' }).data, pattern(512, 5));
  });
});

test('snapshots: the in-memory overlay and the overlay file log go back to the snapshot', () => {
  withDir((dir) => {
    const { path, bytes } = makeImage(dir);
    for (const overlayPath of [undefined, join(dir, 'snap.overlay')]) {
      const rig = blkRig(open({ path, overlayPath }));
      req(rig, { type: BLK_T.OUT, sector: 1, data: pattern(512, 1) });
      const state = JSON.parse(JSON.stringify(rig.dev.saveState()));
      const q = rig.drv.queues[0].clone(rig.bus);
      const ram = rig.bus.ram.slice();
      req(rig, { type: BLK_T.OUT, sector: 2, data: pattern(512, 2) });
      rig.bus.ram.set(ram);
      rig.dev.loadState(state);
      rig.drv.queues[0] = q;
      const r = req(rig, { type: BLK_T.IN, sector: 1, inLen: 1024 });
      assert.deepEqual(r.data.subarray(0, 512), pattern(512, 1));
      assert.deepEqual(r.data.subarray(512), bytes.subarray(1024, 1536), 'the write after the snapshot is gone');
    }
  });
});

test('describe shows the disk and request counts', () => {
  withDir((dir) => {
    const { path } = makeImage(dir);
    const rig = blkRig(open({ path, overlayPath: join(dir, 'o') }));
    req(rig, { type: BLK_T.IN, inLen: 512 });
    const d = rig.dev.describe();
    assert.equal(d.registers.find((r) => r.name === 'capacity')?.value, BigInt(SECTORS));
    const disk = d.children?.find((c) => c.name === 'disk');
    assert.equal(disk?.registers.find((r) => r.name === 'mode')?.value, 'cow');
    const stats = d.children?.find((c) => c.name === 'requests');
    assert.equal(stats?.registers.find((r) => r.name === 'reads')?.value, 1);
    assert.match(String(d.registers.find((r) => r.name === 'negotiated')?.detail), /BLK_FLUSH/);
  });
});

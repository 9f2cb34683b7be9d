import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FdtNode, FdtValue, HartInterruptSink } from '../../../engine/devices/device.ts';
import {
  bytes,
  empty,
  fdtFind,
  fdtParse,
  fdtProp,
  fdtReadHeader,
  fdtToBlob,
  node,
  reg64,
  str,
  strs,
  u32,
  u64cells,
} from '../../../engine/board/fdt.ts';
import { Uart16550 } from '../../../engine/devices/uart16550.ts';
import { Plic } from '../../../engine/devices/plic.ts';
import { Clint } from '../../../engine/devices/clint.ts';
import { GoldfishRtc } from '../../../engine/devices/goldfish-rtc.ts';
import { SifiveTest, sysconPowerNodes } from '../../../engine/devices/sifive-test.ts';
import { VirtioMmioEmpty } from '../../../engine/devices/virtio-mmio-empty.ts';

const DTC = '/usr/bin/dtc';
const QEMU_DTS = '/work/shared/notes/qemu-7.2-virt-rv64imafdc-smp2.dts';

// Phandles as QEMU 7.2 assigns them for `-smp 2` (see the dts above).
const PH = { cpu0: 3, intc0: 4, cpu1: 1, intc1: 2, plic: 5, test: 6 };

/** A QEMU-virt-like tree for 2 harts, built from the devices' own fdtNode()s. */
function virtTree(): FdtNode {
  const sink: HartInterruptSink = { setPending() {} };
  const clock = { now: () => 0 };
  const ctx = { plicPhandle: PH.plic, cpuIntcPhandles: [PH.intc0, PH.intc1] };
  const plic = new Plic({ name: 'plic', numHarts: 2, sink });
  const test = new SifiveTest({ name: 'test', phandle: PH.test, onPowerOff() {}, onReset() {} });
  const soc: FdtNode[] = [
    new GoldfishRtc({ name: 'rtc', clock, irq: plic.irqLine(11), epochNs: 0n }).fdtNode(0x101000, 0x1000, ctx),
    new Uart16550({ name: 'uart0', irq: plic.irqLine(10), onOutput() {} }).fdtNode(0x10000000, 0x100, ctx),
    test.fdtNode(0x100000, 0x1000),
  ];
  for (let i = 0; i < 8; i++) {
    soc.push(new VirtioMmioEmpty({ name: `virtio${i}`, irq: 1 + i }).fdtNode(0x10001000 + 0x1000 * i, 0x1000, ctx));
  }
  soc.push(plic.fdtNode(0xc000000, 0x600000, ctx));
  soc.push(new Clint({ name: 'clint', numHarts: 2, clock, sink }).fdtNode(0x2000000, 0x10000, ctx));

  const cpu = (id: number, phandle: number, intc: number): FdtNode =>
    node(`cpu@${id}`, {
      phandle: u32(phandle),
      device_type: str('cpu'),
      reg: u32(id),
      status: str('okay'),
      compatible: str('riscv'),
      'riscv,isa': str('rv64imafdc_zicsr_zifencei'),
      'mmu-type': str('riscv,sv48'),
    }, [
      node('interrupt-controller', {
        '#interrupt-cells': u32(1),
        '#address-cells': u32(0), // QEMU omits it; dtc then warns "Missing #address-cells in interrupt provider"
        'interrupt-controller': empty,
        compatible: str('riscv,cpu-intc'),
        phandle: u32(intc),
      }),
    ]);

  return node('', {
    '#address-cells': u32(2),
    '#size-cells': u32(2),
    compatible: str('riscv-virtio'),
    model: str('riscv-virtio,qemu'),
  }, [
    node('chosen', { 'stdout-path': str('/soc/serial@10000000'), bootargs: str('console=ttyS0') }),
    ...sysconPowerNodes(test.phandle),
    node('memory@80000000', { device_type: str('memory'), reg: reg64(0x80000000, 0x10000000) }),
    node('cpus', { '#address-cells': u32(1), '#size-cells': u32(0), 'timebase-frequency': u32(10_000_000) }, [
      cpu(0, PH.cpu0, PH.intc0),
      cpu(1, PH.cpu1, PH.intc1),
    ]),
    node('soc', { '#address-cells': u32(2), '#size-cells': u32(2), compatible: str('simple-bus'), ranges: empty }, soc),
  ]);
}

function withTmp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fdt-test-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('helpers build the plain-data shapes', () => {
  assert.deepEqual(u64cells(0x1_2345_6789n), [1, 0x2345_6789]);
  assert.deepEqual(u64cells(0x80000000), [0, 0x80000000]);
  assert.deepEqual(reg64(0x80000000, 0x10000000), { u32: [0, 0x80000000, 0, 0x10000000] });
  assert.deepEqual(u32(-1), { u32: [0xffffffff] });
  const n = node('x@1', { a: str('s'), b: strs('p', 'q'), c: empty });
  assert.deepEqual(n.props.map((p) => p.name), ['a', 'b', 'c']);
  assert.equal(fdtProp(n, 'c'), null);
  assert.equal(fdtProp(n, 'd'), undefined);
});

test('blob layout: header, reservation map, structure and strings blocks', () => {
  const blob = fdtToBlob(node('', { compatible: str('a'), model: str('b'), 'x-compatible': str('c') }, [node('n', { compatible: str('d') })]), {
    bootCpuId: 1,
    memReserve: [[0x80000000n, 0x200000n]],
  });
  const dv = new DataView(blob.buffer);
  assert.equal(dv.getUint32(0), 0xd00dfeed);
  assert.equal(dv.getUint32(4), blob.length); // totalsize
  assert.equal(dv.getUint32(16), 40); // off_mem_rsvmap
  assert.equal(dv.getUint32(20), 17);
  assert.equal(dv.getUint32(24), 16);
  assert.equal(dv.getUint32(28), 1);
  const offStruct = dv.getUint32(8);
  assert.equal(offStruct, 40 + 2 * 16); // one entry plus the terminator
  assert.equal(dv.getBigUint64(40), 0x80000000n);
  assert.equal(dv.getBigUint64(48), 0x200000n);
  assert.equal(dv.getBigUint64(56), 0n);
  assert.equal(dv.getBigUint64(64), 0n);
  const offStrings = dv.getUint32(12);
  assert.equal(offStrings % 4, 0);
  assert.equal(offStrings, offStruct + dv.getUint32(36));
  const strings = new TextDecoder().decode(blob.subarray(offStrings, offStrings + dv.getUint32(32)));
  assert.equal(strings, 'compatible\0model\0x-compatible\0'); // each name once
  assert.equal(dv.getUint32(offStruct), 1); // FDT_BEGIN_NODE
  assert.equal(dv.getUint32(offStruct + 4), 0); // root name "" padded to 4 bytes
  assert.equal(dv.getUint32(offStrings - 4), 9); // FDT_END
  const header = fdtReadHeader(blob);
  assert.equal(header.bootCpuId, 1);
  assert.deepEqual(header.memReserve, [[0x80000000n, 0x200000n]]);
});

test('parser guesses types the way dtc does and round-trips to the same bytes', () => {
  const values: Record<string, FdtValue> = {
    cells: u32(1, 2, 0xffffffff),
    one: str('hello'),
    list: strs('a', 'bc'),
    flag: empty,
    odd: bytes([1, 2, 3]),
    zeroFirst: u32(0x384000), // 00 38 40 00: not a string despite the trailing NUL
  };
  const tree = node('', values, [node('child@0', { reg: u32(0) }, [node('grandchild', {})])]);
  const blob = fdtToBlob(tree);
  const parsed = fdtParse(blob);
  assert.deepEqual(parsed, tree);
  assert.deepEqual(fdtToBlob(parsed), blob);
  assert.equal(fdtFind(parsed, '/child@0/grandchild')?.name, 'grandchild');
  assert.equal(fdtFind(parsed, '/')?.name, '');
  assert.equal(fdtFind(parsed, '/nope'), undefined);
});

test('parser rejects damaged blobs', () => {
  const blob = fdtToBlob(node('', { a: u32(1) }));
  assert.throws(() => fdtParse(blob.subarray(0, 20)));
  const bad = blob.slice();
  bad[0] = 0;
  assert.throws(() => fdtParse(bad));
  const truncated = blob.slice();
  new DataView(truncated.buffer).setUint32(4, blob.length + 100);
  assert.throws(() => fdtParse(truncated));
});

test('dtc decompiles a full virt tree without warnings, and reads it as we do', { skip: !existsSync(DTC) }, () => {
  const tree = virtTree();
  const blob = fdtToBlob(tree, { memReserve: [[0x80000000n, 0x40000n]] });
  withTmp((dir) => {
    const file = join(dir, 'virt.dtb');
    writeFileSync(file, blob);
    const res = spawnSync(DTC, ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
    assert.equal(res.status, 0);
    assert.equal(res.stderr, '');
    assert.match(res.stdout, /\/memreserve\/\s+0x0*80000000 0x0*40000;/);
    assert.match(res.stdout, /compatible = "sifive,plic-1\.0\.0\\0riscv,plic0";/);
    assert.match(res.stdout, /interrupts-extended = <0x04 0x0b 0x04 0x09 0x02 0x0b 0x02 0x09>;/);
    // dtc re-encoding our blob gives a tree our parser reads identically.
    const again = execFileSync(DTC, ['-I', 'dtb', '-O', 'dtb', file]);
    assert.deepEqual(fdtParse(new Uint8Array(again)), fdtParse(blob));
  });
  const parsed = fdtParse(blob);
  assert.deepEqual(parsed, tree);
  assert.deepEqual(fdtToBlob(parsed, { memReserve: fdtReadHeader(blob).memReserve }), blob);
});

test("our device nodes equal QEMU 7.2's (smp 2 dump), property for property", { skip: !existsSync(DTC) || !existsSync(QEMU_DTS) }, () => {
  const qemu = fdtParse(new Uint8Array(execFileSync(DTC, ['-q', '-I', 'dts', '-O', 'dtb', QEMU_DTS])));
  const ours = virtTree();
  const asMap = (n: FdtNode) => new Map(n.props.map((p) => [p.name, p.value]));
  const paths = ['/poweroff', '/reboot', ...(fdtFind(ours, '/soc')?.children.map((c) => `/soc/${c.name}`) ?? [])];
  assert.equal(paths.length, 2 + 13);
  for (const path of paths) {
    const q = fdtFind(qemu, path);
    const o = fdtFind(ours, path);
    assert.ok(q && o, path);
    assert.deepEqual(asMap(o), asMap(q), path);
  }
});

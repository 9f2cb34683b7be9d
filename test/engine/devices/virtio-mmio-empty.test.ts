import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioMmioEmpty } from '../../../engine/devices/virtio-mmio-empty.ts';
import { fdtProp } from '../../../engine/board/fdt.ts';

test('an empty slot identifies as virtio-mmio with DeviceID 0', () => {
  const dev = new VirtioMmioEmpty({ name: 'virtio0', irq: 1 });
  assert.equal(dev.read(0x000, 4), 0x74726976);
  assert.equal(dev.read(0x004, 4), 1); // legacy, as QEMU 7.2
  assert.equal(dev.read(0x008, 4), 0);
  assert.equal(dev.read(0x00c, 4), 0x554d4551);
  dev.write(0x070, 4, 0xff); // Status: ignored
  assert.equal(dev.read(0x070, 4), 0);
  assert.equal(new VirtioMmioEmpty({ name: 'v', irq: 1, version: 2 }).read(0x004, 4), 2);
});

test('fdtNode matches QEMU virt', () => {
  const dev = new VirtioMmioEmpty({ name: 'virtio7', irq: 8 });
  const n = dev.fdtNode(0x10008000, 0x1000, { plicPhandle: 5, cpuIntcPhandles: [4] });
  assert.equal(n.name, 'virtio_mmio@10008000');
  assert.deepEqual(fdtProp(n, 'compatible'), { str: 'virtio,mmio' });
  assert.deepEqual(fdtProp(n, 'reg'), { u32: [0, 0x10008000, 0, 0x1000] });
  assert.deepEqual(fdtProp(n, 'interrupts'), { u32: [8] });
  assert.deepEqual(fdtProp(n, 'interrupt-parent'), { u32: [5] });
  assert.equal(dev.describe().registers.find((r) => r.name === 'DeviceID')?.value, 0);
});

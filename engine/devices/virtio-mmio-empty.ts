// An empty virtio-mmio slot, as QEMU 7.2 virt leaves its eight transports when no device is
// plugged in: valid magic, version and vendor, DeviceID 0 — which Linux and U-Boot take to mean
// "no device here" and skip. Everything else reads 0 and writes are ignored.
import type { DeviceDescription, FdtContext, FdtNode, MmioDevice } from './device.ts';
import { node, reg64, str, u32, unitName } from '../board/fdt.ts';

const MAGIC_VALUE = 0x000;
const VERSION = 0x004;
const DEVICE_ID = 0x008;
const VENDOR_ID = 0x00c;

/** "virt" in little-endian ASCII (virtio spec 4.2.2). */
const VIRTIO_MMIO_MAGIC = 0x74726976;
/** QEMU's vendor id, "QEMU" in little-endian ASCII. */
const QEMU_VENDOR_ID = 0x554d4551;
/** QEMU 7.2 virtio-mmio transports default to the legacy interface (force-legacy=on): Version 1. */
const DEFAULT_VERSION = 1;

export interface VirtioMmioEmptyOptions {
  name: string;
  /** PLIC source number, for the device tree (QEMU virt: 1 + slot index). */
  irq: number;
  /** Version register: 1 (legacy, QEMU 7.2's default) or 2 (modern). */
  version?: 1 | 2;
}

/** The device-tree node of a virtio-mmio transport, empty or not (QEMU virt's). */
export function virtioMmioNode(base: number, size: number, irq: number, ctx: FdtContext): FdtNode {
  return node(unitName('virtio_mmio', base), {
    compatible: str('virtio,mmio'),
    reg: reg64(base, size),
    interrupts: u32(irq),
    'interrupt-parent': u32(ctx.plicPhandle),
  });
}

export class VirtioMmioEmpty implements MmioDevice {
  readonly name: string;
  private readonly irq: number;
  private readonly version: number;

  constructor(opts: VirtioMmioEmptyOptions) {
    this.name = opts.name;
    this.irq = opts.irq;
    this.version = opts.version ?? DEFAULT_VERSION;
  }

  read(offset: number, size: number): number {
    if (size !== 4) return 0;
    switch (offset) {
      case MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
      case VERSION:
        return this.version;
      case VENDOR_ID:
        return QEMU_VENDOR_ID;
      default:
        return 0; // DeviceID 0: no device
    }
  }

  write(_offset: number, _size: number, _value: number): void {
    // Nothing to configure in an empty slot.
  }

  describe(): DeviceDescription {
    return {
      name: this.name,
      kind: 'virtio-mmio (empty slot)',
      registers: [
        { name: 'MagicValue', offset: MAGIC_VALUE, size: 4, value: VIRTIO_MMIO_MAGIC, detail: '"virt"' },
        { name: 'Version', offset: VERSION, size: 4, value: this.version, detail: this.version === 1 ? 'legacy' : 'modern' },
        { name: 'DeviceID', offset: DEVICE_ID, size: 4, value: 0, detail: 'no device' },
        { name: 'VendorID', offset: VENDOR_ID, size: 4, value: QEMU_VENDOR_ID, detail: '"QEMU"' },
      ],
    };
  }

  fdtNode(base: number, size: number, ctx: FdtContext): FdtNode {
    return virtioMmioNode(base, size, this.irq, ctx);
  }

  saveState(): Record<string, never> {
    return {}; // no state
  }

  loadState(_state: unknown): void {
    // no state
  }
}

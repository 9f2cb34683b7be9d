// The `virt` board, compatible with QEMU 7.2's `-machine virt`: memory map, boot ROM, device
// wiring and the generated device tree. Every address and number below is QEMU 7.2's
// (hw/riscv/virt.c, as dumped with `-machine virt,dumpdtb=…`; see shared/notes/qemu-virt.md).

import { Bus } from '../bus.ts';
import type { FdtNode, HartInterruptSink, Clock, FdtContext, MmioDevice, TimerSource } from '../devices/device.ts';
import { Uart16550 } from '../devices/uart16550.ts';
import { Plic } from '../devices/plic.ts';
import { Clint } from '../devices/clint.ts';
import { GoldfishRtc } from '../devices/goldfish-rtc.ts';
import { SifiveTest, sysconPowerNodes } from '../devices/sifive-test.ts';
import { VirtioMmioEmpty } from '../devices/virtio-mmio-empty.ts';
import { VirtioMmio, type VirtioBackend, type VirtioEvent } from '../devices/virtio/virtio-mmio.ts';
import { BusGuestMemory } from '../devices/virtio/guest-memory.ts';
import { node, u32, reg64, str, strs, empty, unitName, fdtToBlob } from './fdt.ts';

/** QEMU virt memory map (VIRT_* in hw/riscv/virt.c). */
export const VIRT = {
  /** Reset vector and boot ROM (VIRT_MROM). */
  MROM_BASE: 0x1000, MROM_SIZE: 0xf000,
  /** sifive_test finisher / syscon (VIRT_TEST). */
  TEST_BASE: 0x100000, TEST_SIZE: 0x1000,
  /** goldfish RTC (VIRT_RTC), PLIC source 11. */
  RTC_BASE: 0x101000, RTC_SIZE: 0x1000, RTC_IRQ: 11,
  /** CLINT (VIRT_CLINT), mtime at 10 MHz. */
  CLINT_BASE: 0x2000000, CLINT_SIZE: 0x10000,
  /** PLIC (VIRT_PLIC). */
  PLIC_BASE: 0xc000000, PLIC_SIZE: 0x600000,
  /** 16550A UART (VIRT_UART0), PLIC source 10. */
  UART0_BASE: 0x10000000, UART0_SIZE: 0x100, UART0_IRQ: 10,
  /** Eight virtio-mmio transports (VIRT_VIRTIO), PLIC sources 1..8. */
  VIRTIO_BASE: 0x10001000, VIRTIO_SIZE: 0x1000, VIRTIO_COUNT: 8, VIRTIO_IRQ: 1,
  /** DRAM (VIRT_DRAM). */
  DRAM_BASE: 0x80000000,
  /** CLINT/ACLINT timebase: RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ. */
  TIMEBASE_HZ: 10_000_000,
} as const;

/** The ISA string we advertise: exactly what the hart implements (QEMU's default minus H and Zbc). */
export const RISCV_ISA = 'rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbs_sstc';
/**
 * Translation mode advertised: Sv48, as QEMU 7.2 virt does. The hart also implements Sv57 (a guest
 * may write it to satp); Linux takes the highest mode advertised, and Sv48's four-level walks are
 * cheaper than Sv57's five.
 */
export const MMU_TYPE = 'riscv,sv48';

// phandles: assigned here, once (QEMU numbers them similarly: cpu nodes first).
const PHANDLE_TEST = 1;
const PHANDLE_PLIC = 2;
const phandleCpu = (h: number): number => 0x10 + 2 * h;
const phandleIntc = (h: number): number => 0x11 + 2 * h;

export interface VirtBoardOptions {
  ramSize: number;
  harts: number;
  clock: Clock;
  sink: HartInterruptSink;
  onOutput(byte: number): void;
  onPowerOff(code: number): void;
  onReset(): void;
  /** RTC time at boot (ns since the epoch). */
  rtcEpochNs: bigint;
  /** virtio devices by slot (0..7); the other slots stay empty. */
  virtio?: ReadonlyArray<{ slot: number; backend: VirtioBackend }>;
  /** virtio-mmio Version 1 instead of 2. */
  virtioLegacy?: boolean;
  onVirtioEvent?: (e: VirtioEvent) => void;
}

/**
 * Slots for devices in the order they are given: a fixed slot where asked, otherwise the highest
 * free one (QEMU virt plugs its first -device into the last transport, 0x10008000). Throws if two
 * devices want one slot or there are more than eight.
 */
export function assignVirtioSlots(wanted: ReadonlyArray<number | undefined>): number[] {
  const used = new Set<number>();
  for (const w of wanted) {
    if (w === undefined) continue;
    if (!Number.isInteger(w) || w < 0 || w >= VIRT.VIRTIO_COUNT) throw new Error(`virtio slot ${w} does not exist (0..${VIRT.VIRTIO_COUNT - 1})`);
    if (used.has(w)) throw new Error(`two devices want virtio slot ${w} (virtio-mmio-bus.${w})`);
    used.add(w);
  }
  return wanted.map((w) => {
    if (w !== undefined) return w;
    for (let s = VIRT.VIRTIO_COUNT - 1; s >= 0; s--) {
      if (!used.has(s)) { used.add(s); return s; }
    }
    throw new Error(`more than ${VIRT.VIRTIO_COUNT} virtio devices (the board has ${VIRT.VIRTIO_COUNT} slots)`);
  });
}

export class VirtBoard {
  readonly bus: Bus;
  readonly uart: Uart16550;
  readonly plic: Plic;
  readonly clint: Clint;
  readonly rtc: GoldfishRtc;
  readonly test: SifiveTest;
  /** The eight virtio-mmio slots: a transport with its device, or an empty slot. */
  readonly virtio: Array<VirtioMmioEmpty | VirtioMmio> = [];
  /** Devices with timers the scheduler must honour. */
  readonly timers: TimerSource[];
  private readonly harts: number;
  private readonly placed: Array<{ base: number; size: number; device: MmioDevice; initial: unknown }> = [];

  constructor(o: VirtBoardOptions) {
    this.harts = o.harts;
    this.bus = new Bus(VIRT.DRAM_BASE, o.ramSize);
    this.plic = new Plic({ name: 'plic', numHarts: o.harts, sink: o.sink });
    this.clint = new Clint({ name: 'clint', numHarts: o.harts, clock: o.clock, sink: o.sink });
    this.uart = new Uart16550({ name: 'uart0', irq: this.plic.irqLine(VIRT.UART0_IRQ), onOutput: o.onOutput, irqSource: VIRT.UART0_IRQ });
    this.rtc = new GoldfishRtc({ name: 'rtc', clock: o.clock, irq: this.plic.irqLine(VIRT.RTC_IRQ), epochNs: o.rtcEpochNs, irqSource: VIRT.RTC_IRQ });
    this.test = new SifiveTest({ name: 'test', phandle: PHANDLE_TEST, onPowerOff: o.onPowerOff, onReset: o.onReset });
    this.register(VIRT.TEST_BASE, VIRT.TEST_SIZE, this.test);
    this.register(VIRT.RTC_BASE, VIRT.RTC_SIZE, this.rtc);
    this.register(VIRT.CLINT_BASE, VIRT.CLINT_SIZE, this.clint);
    this.register(VIRT.PLIC_BASE, VIRT.PLIC_SIZE, this.plic);
    this.register(VIRT.UART0_BASE, VIRT.UART0_SIZE, this.uart);
    const mem = new BusGuestMemory(this.bus);
    for (let i = 0; i < VIRT.VIRTIO_COUNT; i++) {
      const backend = o.virtio?.find((v) => v.slot === i)?.backend;
      const irq = VIRT.VIRTIO_IRQ + i;
      const slot = backend
        ? new VirtioMmio({ name: `virtio${i}`, backend, mem, irq: this.plic.irqLine(irq), irqSource: irq, legacy: o.virtioLegacy, onEvent: o.onVirtioEvent })
        : new VirtioMmioEmpty({ name: `virtio${i}`, irq, version: o.virtioLegacy ? 1 : 2 });
      this.virtio.push(slot);
      this.register(VIRT.VIRTIO_BASE + i * VIRT.VIRTIO_SIZE, VIRT.VIRTIO_SIZE, slot);
    }
    this.timers = [this.clint, this.rtc];
  }

  /** Adds a device to the bus and to the device tree (the one call a device needs). */
  register(base: number, size: number, device: MmioDevice): void {
    this.bus.register(base, size, device);
    this.placed.push({ base, size, device, initial: device.reset ? undefined : device.saveState?.() });
  }

  /** Every device's state by name (for snapshots). */
  saveState(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of this.placed) if (p.device.saveState) out[p.device.name] = p.device.saveState();
    return out;
  }

  loadState(states: Record<string, unknown>): void {
    for (const p of this.placed) {
      const st = states[p.device.name];
      if (p.device.loadState && st !== undefined) p.device.loadState(st);
      else if (p.device.saveState) throw new Error(`snapshot has no state for device ${p.device.name}`);
    }
  }

  /** Every device back to its power-on state (a machine reset). */
  reset(): void {
    for (const p of this.placed) {
      if (p.device.reset) p.device.reset();
      else if (p.initial !== undefined) p.device.loadState?.(structuredClone(p.initial));
    }
  }

  /** The reset vector QEMU puts at 0x1000 (riscv_setup_rom_reset_vec), followed by fw_dynamic_info. */
  bootRom(startAddr: number, fdtAddr: number, kernelEntry: number): Uint8Array {
    const rom = new Uint8Array(VIRT.MROM_SIZE);
    const dv = new DataView(rom.buffer);
    const code = [
      0x00000297, // auipc t0, 0          (t0 = 0x1000)
      0x02828613, // addi  a2, t0, 40     (a2 = &fw_dynamic_info)
      0xf1402573, // csrr  a0, mhartid
      0x0202b583, // ld    a1, 32(t0)     (device tree address)
      0x0182b283, // ld    t0, 24(t0)     (start address)
      0x00028067, // jr    t0
    ];
    code.forEach((w, i) => dv.setUint32(i * 4, w, true));
    dv.setBigUint64(24, BigInt(startAddr), true);
    dv.setBigUint64(32, BigInt(fdtAddr), true);
    // struct fw_dynamic_info (OpenSBI include/sbi/fw_dynamic.h): magic, version, next_addr, next_mode, options, boot_hart.
    dv.setBigUint64(40, 0x4942534fn, true); // "OSBI"
    dv.setBigUint64(48, 2n, true);
    dv.setBigUint64(56, BigInt(kernelEntry), true);
    dv.setBigUint64(64, 1n, true); // next mode: S
    dv.setBigUint64(72, 0n, true);
    dv.setBigUint64(80, 0n, true);
    return rom;
  }

  /** Generates the device tree blob for this board. */
  deviceTree(o: { ramSize: number; bootargs?: string; initrd?: { start: number; end: number } }): Uint8Array {
    const ctx: FdtContext = {
      plicPhandle: PHANDLE_PLIC,
      cpuIntcPhandles: Array.from({ length: this.harts }, (_, h) => phandleIntc(h)),
    };
    const cpus: FdtNode[] = [];
    for (let h = 0; h < this.harts; h++) {
      cpus.push(node(unitName('cpu', h), {
        phandle: u32(phandleCpu(h)),
        device_type: str('cpu'),
        reg: u32(h),
        status: str('okay'),
        compatible: str('riscv'),
        'riscv,isa': str(RISCV_ISA),
        'mmu-type': str(MMU_TYPE),
      }, [node('interrupt-controller', {
        '#interrupt-cells': u32(1),
        // dtc warns about interrupt providers without #address-cells; QEMU omits it.
        '#address-cells': u32(0),
        'interrupt-controller': empty,
        compatible: str('riscv,cpu-intc'),
        phandle: u32(phandleIntc(h)),
      })]));
    }
    cpus.push(node('cpu-map', {}, [node('cluster0', {}, Array.from({ length: this.harts }, (_, h) =>
      node(`core${h}`, { cpu: u32(phandleCpu(h)) })))]));
    const soc = this.placed.map(({ base, size, device }) => device.fdtNode?.(base, size, ctx))
      .filter((n): n is FdtNode => n !== undefined);
    const chosen: Record<string, ReturnType<typeof str>> = {
      'stdout-path': str(`/soc/${unitName('serial', VIRT.UART0_BASE)}`),
    };
    if (o.bootargs) chosen.bootargs = str(o.bootargs);
    if (o.initrd) {
      chosen['linux,initrd-start'] = u32(Math.floor(o.initrd.start / 2 ** 32), o.initrd.start >>> 0);
      chosen['linux,initrd-end'] = u32(Math.floor(o.initrd.end / 2 ** 32), o.initrd.end >>> 0);
    }
    const root = node('', {
      '#address-cells': u32(2),
      '#size-cells': u32(2),
      compatible: str('riscv-virtio'),
      model: str('riscv-virtio,qemu'),
    }, [
      node('chosen', chosen),
      ...sysconPowerNodes(PHANDLE_TEST),
      node(unitName('memory', VIRT.DRAM_BASE), { device_type: str('memory'), reg: reg64(VIRT.DRAM_BASE, o.ramSize) }),
      node('cpus', { '#address-cells': u32(1), '#size-cells': u32(0), 'timebase-frequency': u32(VIRT.TIMEBASE_HZ) }, cpus),
      node('soc', { '#address-cells': u32(2), '#size-cells': u32(2), compatible: strs('simple-bus'), ranges: empty }, soc),
    ]);
    return fdtToBlob(root);
  }
}

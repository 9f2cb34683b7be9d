// A whole machine: the board, its harts, virtual time, the scheduler, boot and the engine's SBI.
// This is the engine's API for the CLI and the debug adapter (plain data in and out; guest
// behaviour never throws — it ends in a stop reason).

import { readFileSync } from 'node:fs';
import { Hart, HartExit, type Watchpoint, type WatchHit } from './cpu/hart.ts';
import { Csr, PRV_M, PRV_S } from './cpu/csr.ts';
import { VirtBoard, VIRT } from './board/virt.ts';
import { EngineSbi, type HypercallRecord } from './sbi/sbi.ts';
import { EventHub } from './events.ts';
import { isElf, parseElf, type ElfImage } from './loader/elf.ts';
import { SnapshotError } from './snapshot.ts';
import { assignVirtioSlots } from './board/virt.ts';
import type { VirtioBackend } from './devices/virtio/virtio-mmio.ts';
import { openBlockStore, type BlockStore } from './devices/virtio/block-store.ts';
import { VirtioBlk } from './devices/virtio/virtio-blk.ts';
import { VirtioRng } from './devices/virtio/virtio-rng.ts';
import { VirtioConsole } from './devices/virtio/virtio-console.ts';
import { VirtioNet } from './devices/virtio/virtio-net.ts';
import type { HartState } from './cpu/hart.ts';

export const MACHINE_SNAPSHOT_VERSION = 1;

/** Machine.snapshot()'s plain data (see engine/snapshot.ts for the file). */
export interface MachineSnapshot {
  kind: 'rvisor-machine';
  version: number;
  config: MachineConfig;
  clock: { vtime: number; rr: number; quantumLeft: number };
  stop: StopReason | undefined;
  fdtAddr: number;
  tohost: number;
  /** The boot ROM (reset vector and fw_dynamic_info), as boot() wrote it. */
  rom: Uint8Array;
  harts: HartState[];
  sbi: unknown;
  devices: Record<string, unknown>;
  /** RAM pages that are not all zero: their 4 KiB page indexes (u32 LE) and their bytes. */
  ram: { pages: Uint8Array; data: Uint8Array };
}

/**
 * Virtual time: mtime (10 MHz) advances one tick per 25 steps, i.e. 4 ns per instruction — a
 * 250 MIPS virtual hart. This equals QEMU's `-icount shift=2`, so lockstep runs read the same time.
 * Steps of all harts advance the one clock (as QEMU's round-robin icount does).
 */
export const STEPS_PER_TICK = 25;
/** Virtual nanoseconds per step (4: the 10 MHz timebase over STEPS_PER_TICK). */
export const NS_PER_STEP = 1e9 / (VIRT.TIMEBASE_HZ * STEPS_PER_TICK);
const MiB = 1024 * 1024;
/** Steps a hart runs before the scheduler moves to the next hart. */
const QUANTUM = 10_000;

export type ImageSource = string | Uint8Array;

export interface MachineConfig {
  /** RAM in bytes (default 128 MiB, like QEMU). */
  ramSize?: number;
  harts?: number;
  /** Firmware: a path/bytes (ELF or raw at 0x80000000), 'none' (the kernel runs in M-mode), or
   *  undefined/'builtin': the engine itself is the SBI and the kernel starts in S-mode. */
  bios?: ImageSource | 'none' | 'builtin';
  kernel?: ImageSource;
  initrd?: ImageSource;
  append?: string;
  /** 'spike' is accepted for conformance tests: the virt board plus HTIF (tohost). */
  machine?: 'virt' | 'spike';
  /** RTC time at boot in ns since the epoch (default: the host's clock). */
  rtcEpochNs?: bigint;
  /** Devices on the virtio-mmio transports. */
  devices?: DeviceConfig[];
  /**
   * When every hart waits in WFI: 'fast-forward' (default) jumps virtual time to the next timer at
   * once, so idling costs no host time; 'realtime' lets the host sleep until then (run returns
   * 'waiting'), so guest time keeps pace with the host's while idle — what guests talking to the
   * outside (a network) need, as QEMU's -icount sleep=on.
   */
  idle?: 'fast-forward' | 'realtime';
  /** A guest reboot ends the run (poweroff, status 0) instead of resetting: QEMU's -no-reboot. */
  noReboot?: boolean;
  /** virtio-mmio Version 1 (legacy) instead of 2 (modern, the default): QEMU's force-legacy. */
  virtioLegacy?: boolean;
}

/**
 * A device plugged into one of the board's virtio-mmio slots. `slot` is QEMU's
 * `bus=virtio-mmio-bus.N`; without it a device takes the highest free slot, as in QEMU (whose
 * first -device lands at 0x10008000).
 */
export type DeviceConfig = { slot?: number } & (
  | {
      type: 'virtio-blk';
      /** Raw image file. */
      file: string;
      /** cow (default): the image is never written, writes go to an overlay; writable: writes go
       *  to the image; readonly: the guest sees a read-only disk. */
      mode?: 'cow' | 'writable' | 'readonly';
      /** With cow: the overlay file (kept across runs); without it the overlay is in memory. */
      overlay?: string;
      /** The disk's serial (VIRTIO_BLK_T_GET_ID). */
      serial?: string;
    }
  | { type: 'virtio-rng'; /** A deterministic source from this seed (default: host entropy). */ seed?: number }
  | { type: 'virtio-console' }
  | {
      type: 'virtio-net';
      /** MAC address "52:54:00:12:34:56" (default: QEMU's 52:54:00:12:34:56 + slot). */
      mac?: string;
      /** The virtual switch the NIC is plugged into (by name; guests naming the same switch share it). */
      netdev: string;
    }
);

export type StopReason =
  | { reason: 'budget' }
  | { reason: 'poweroff'; exitCode: number }
  | { reason: 'idle' }
  /** Every hart waits; with idle: 'realtime' the host sleeps until the next timer (then call idleUntil) or input. */
  | { reason: 'waiting'; untilSteps: number }
  | { reason: 'breakpoint'; hart: number }
  /** A data watchpoint was hit; the hart's pc is past the accessing instruction. */
  | { reason: 'watchpoint'; hart: number; hit: WatchHit }
  /** requestDebugStop was called (a debugger's pause, or its trap/hypercall filter matched). */
  | { reason: 'debug'; hart: number }
  | { reason: 'fatal'; hart: number; message: string }
  | { reason: 'halted' };

interface LoadedImages {
  bios?: { data: Uint8Array; elf?: ElfImage };
  kernel?: { data: Uint8Array; elf?: ElfImage };
  initrd?: Uint8Array;
}

function readImage(src: ImageSource, what: string): Uint8Array {
  if (typeof src !== 'string') return src;
  try {
    return new Uint8Array(readFileSync(src));
  } catch (e) {
    throw new Error(`cannot read ${what} '${src}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export class Machine {
  readonly config: Required<Pick<MachineConfig, 'ramSize' | 'harts' | 'machine'>> & MachineConfig;
  readonly board: VirtBoard;
  readonly harts: Hart[] = [];
  readonly events = new EventHub();
  readonly sbi: EngineSbi | undefined;
  /** Virtual time in steps (mtime = floor(vtime / STEPS_PER_TICK)). */
  vtime = 0;
  private running: Hart | undefined;
  private rr = 0;
  private quantumLeft = QUANTUM;
  private stop: StopReason | undefined;
  private resetPending = false;
  private readonly images: LoadedImages;
  /** Where the device tree was placed. */
  fdtAddr = 0;
  /** HTIF tohost address, if the guest has one. */
  tohost = -1;
  /** Console output not yet taken by `takeOutput` when nobody listens to events. */
  private readonly outputLog: number[] = [];
  private readonly builtinSbi: boolean;
  private booted = false;
  /** Cached next timer deadline (in steps); recomputed when something that can move it happened. */
  private deadline = 0;
  private deadlineStale = true;

  static create(config: MachineConfig): Machine {
    return new Machine(config);
  }

  /**
   * A machine that continues exactly where `snapshot` was taken (the images its config names are
   * read again, for a later reboot; RAM, harts and devices come from the snapshot).
   */
  static restore(snapshot: MachineSnapshot): Machine {
    if (snapshot?.kind !== 'rvisor-machine' || snapshot.version !== MACHINE_SNAPSHOT_VERSION) {
      throw new SnapshotError(`not a machine snapshot of version ${MACHINE_SNAPSHOT_VERSION}`);
    }
    return new Machine(snapshot.config, snapshot);
  }

  private constructor(config: MachineConfig, snapshot?: MachineSnapshot) {
    const ramSize = config.ramSize ?? 128 * MiB;
    const harts = config.harts ?? 1;
    if (!Number.isInteger(harts) || harts < 1 || harts > 64) throw new Error(`hart count must be 1..64 (got ${harts})`);
    if (!Number.isInteger(ramSize) || ramSize < MiB || ramSize % (4096) !== 0) throw new Error(`RAM size must be at least 1 MiB and a multiple of 4 KiB (got ${ramSize})`);
    // Guests on a network idle in real time (their peers' clocks run on the host's).
    const idle = config.idle ?? (config.devices?.some((d) => d.type === 'virtio-net') ? 'realtime' : 'fast-forward');
    this.config = { ...config, ramSize, harts, machine: config.machine ?? 'virt', idle };
    this.builtinSbi = config.bios === undefined || config.bios === 'builtin';
    this.images = this.loadImages();
    const virtio = this.createVirtioDevices(config.devices ?? []);
    this.board = new VirtBoard({
      ramSize, harts, virtio, virtioLegacy: config.virtioLegacy,
      onVirtioEvent: (e) => {
        if (this.events.wantsDevices) this.events.emit({ kind: 'device', record: { device: e.device, what: e.kind, detail: { queue: e.queue, ...e.detail } } });
      },
      clock: { now: () => this.now(), fine: () => this.nowSteps(), finePerTick: STEPS_PER_TICK },
      sink: { setPending: (h, bit, level) => this.harts[h]?.setPending(bit, level) },
      onOutput: (b) => this.output(Uint8Array.of(b)),
      onPowerOff: (code) => this.powerOff(code),
      onReset: () => this.requestReset(),
      rtcEpochNs: config.rtcEpochNs ?? BigInt(Date.now()) * 1_000_000n,
    });
    this.board.plic.onLine = (source, level) => {
      if (this.events.wantsDevices) this.events.emit({ kind: 'device', record: { device: 'plic', what: 'irq-line', detail: { source, level } } });
    };
    for (let i = 0; i < harts; i++) {
      this.harts.push(new Hart(i, this.board.bus, {
        now: () => this.now(),
        fine: () => this.nowSteps(),
        finePerTick: STEPS_PER_TICK,
        sbiCall: (h) => this.sbi?.call(h) ?? false,
        onTrap: (h, cause, tval, pc, fromPriv) => {
          // With firmware in M-mode, an ecall from S-mode is a hypercall to it: recorded here,
          // completed by the MRET that returns past the ecall (onMret).
          if (cause === 9n && h.priv === PRV_M && !this.builtinSbi && this.events.wantsHypercalls) {
            this.firmwareCalls[h.id] = {
              hart: h.id, eid: Number(h.getX(17) & 0xffffffffn), fid: Number(h.getX(16) & 0xffffffffn),
              args: [10, 11, 12, 13, 14, 15].map((r) => h.getX(r)), error: 0, value: 0n, pc, instret: h.currentInstret(),
            };
          }
          if (this.events.wantsTraps) {
            this.events.emit({ kind: 'trap', record: { hart: h.id, cause, tval, pc, fromPriv, toPriv: h.priv, instret: h.currentInstret() } });
          }
        },
        onFatal: (h, message) => this.fatal(h.id, message),
        onMret: (h) => {
          const call = this.firmwareCalls[h.id];
          if (call === undefined) return;
          this.firmwareCalls[h.id] = undefined;
          if (h.priv !== PRV_S || h.getPc() !== call.pc + 4n) return; // not the return from that call
          call.error = Number(BigInt.asIntN(64, h.getX(10)));
          call.value = h.getX(11);
          this.events.emit({ kind: 'hypercall', record: call });
        },
      }));
    }
    // Other harts' reservations: only needed (and only paid for, on every store) with several harts.
    if (harts > 1) for (const h of this.harts) h.onStore = (from, pa) => this.breakReservations(from, pa);
    if (this.builtinSbi) {
      this.sbi = new EngineSbi({
        harts: this.harts,
        now: () => this.now(),
        consoleWrite: (b) => this.output(b),
        consoleRead: () => this.board.uart.takeByte(),
        readPhys: (pa, len) => {
          const off = this.board.bus.ramOffset(pa, len);
          return off < 0 ? undefined : this.board.bus.ram.slice(off, off + len);
        },
        writePhys: (pa, bytes) => {
          if (this.board.bus.ramOffset(pa, bytes.length) < 0) return false;
          this.board.bus.writeRam(pa, bytes);
          return true;
        },
        powerOff: (code) => this.powerOff(code),
        reset: () => this.requestReset(),
        onHypercall: (record) => this.events.emit({ kind: 'hypercall', record }),
      });
    }
    if (snapshot) this.applySnapshot(snapshot);
    else this.boot();
  }

  /** Ecalls from S-mode to the guest's firmware not yet returned, by hart (their results come at the MRET). */
  private readonly firmwareCalls: Array<HypercallRecord | undefined> = [];

  /** The virtio-net devices, each with the switch (netdev) it plugs into; the host connects them. */
  readonly nics: Array<{ device: VirtioNet; netdev: string; send?: (frame: Uint8Array) => void }> = [];
  /** The virtio consoles (host input goes to them as well as to the UART). */
  private readonly virtioConsoles: VirtioConsole[] = [];
  /** The virtio-blk devices' stores (closed by close()). */
  private readonly blockStores: BlockStore[] = [];

  private createVirtioDevices(devices: readonly DeviceConfig[]): Array<{ slot: number; backend: VirtioBackend }> {
    const slots = assignVirtioSlots(devices.map((d) => d.slot));
    return devices.map((d, i) => {
      const slot = slots[i];
      let backend: VirtioBackend;
      switch (d.type) {
        case 'virtio-blk': {
          let store: BlockStore;
          try {
            store = openBlockStore({ path: d.file, mode: d.mode, overlayPath: d.overlay });
          } catch (e) {
            throw new Error(`disk '${d.file}': ${(e as NodeJS.ErrnoException).code ?? ''} ${(e as Error).message}`.replace(/ {2,}/g, ' '));
          }
          this.blockStores.push(store);
          backend = new VirtioBlk({ store, serial: d.serial });
          break;
        }
        case 'virtio-rng':
          backend = new VirtioRng({ seed: d.seed });
          break;
        case 'virtio-console':
          backend = new VirtioConsole({ onOutput: (b) => this.output(b) });
          this.virtioConsoles.push(backend as VirtioConsole);
          break;
        case 'virtio-net': {
          const mac = d.mac ?? `52:54:00:12:34:${(0x56 + slot).toString(16).padStart(2, '0')}`;
          // The host plugs the NIC in later (nics[i].send); until then its frames go nowhere.
          const device: VirtioNet = new VirtioNet({ mac, onTransmit: (f) => nic.send?.(f) });
          const nic: Machine['nics'][number] = { device, netdev: d.netdev };
          this.nics.push(nic);
          backend = device;
          break;
        }
      }
      return { slot, backend };
    });
  }

  /**
   * Hands something to a device from outside the guest (a network frame, host input) and wakes the
   * harts its interrupt is for. Call between `run` calls.
   */
  deliver(fn: () => void): void {
    fn();
    for (const h of this.harts) if (h.interruptPending) h.waiting = false;
  }

  /**
   * After a 'waiting' stop: virtual time moves on to `steps` (at most the deadline it was waiting
   * for; the host calls it when that much host time has passed, or earlier when input arrives).
   */
  idleUntil(steps: number): void {
    if (this.running) return;
    const deadline = this.nextDeadline();
    const to = Math.min(Math.floor(steps), deadline);
    if (to > this.vtime) this.vtime = to;
    if (deadline <= this.vtime) this.fireTimers();
    this.deadlineStale = true;
  }

  /** Flushes and closes the disks (their overlays stay as the last flush left them). */
  close(): void {
    for (const s of this.blockStores.splice(0)) {
      try { s.close(); } catch { /* closing is best effort */ }
    }
  }

  // ---- snapshots ----

  /**
   * The whole machine as plain data (encodeSnapshot writes it to a file): configuration, scheduler
   * and clock, every hart, every device, and the RAM pages that are not all zero. Take it between
   * `run` calls.
   */
  snapshot(): MachineSnapshot {
    if (this.running) throw new Error('snapshot() while a hart runs');
    const bus = this.board.bus;
    const words = bus.ram32;
    const pages: number[] = [];
    const WORDS_PER_PAGE = 1024;
    for (let p = 0, n = bus.ramSize / 4096; p < n; p++) {
      const w0 = p * WORDS_PER_PAGE;
      for (let i = w0; i < w0 + WORDS_PER_PAGE; i++) {
        if (words[i] !== 0) { pages.push(p); break; }
      }
    }
    const data = new Uint8Array(pages.length * 4096);
    pages.forEach((p, i) => data.set(bus.ram.subarray(p * 4096, (p + 1) * 4096), i * 4096));
    return {
      kind: 'rvisor-machine',
      version: MACHINE_SNAPSHOT_VERSION,
      config: this.config,
      clock: { vtime: this.vtime, rr: this.rr, quantumLeft: this.quantumLeft },
      stop: this.stop,
      fdtAddr: this.fdtAddr,
      tohost: this.tohost,
      rom: bus.romAt(VIRT.MROM_BASE) ?? new Uint8Array(0),
      harts: this.harts.map((h) => h.saveState()),
      sbi: this.sbi?.saveState(),
      devices: this.board.saveState(),
      ram: { pages: new Uint8Array(new Uint32Array(pages).buffer), data },
    };
  }

  private applySnapshot(s: MachineSnapshot): void {
    const bus = this.board.bus;
    const pages = new Uint32Array(s.ram.pages.slice().buffer);
    if (s.ram.data.length !== pages.length * 4096) throw new SnapshotError('RAM pages and data disagree');
    pages.forEach((p, i) => {
      if (p >= bus.ramSize / 4096) throw new SnapshotError(`RAM page ${p} outside RAM`);
      bus.ram.set(s.ram.data.subarray(i * 4096, (i + 1) * 4096), p * 4096);
    });
    bus.invalidateRam(0, bus.ramSize);
    this.booted = true;
    bus.addRom(VIRT.MROM_BASE, s.rom);
    this.fdtAddr = s.fdtAddr;
    this.tohost = s.tohost;
    if (this.tohost >= 0 && bus.ramOffset(this.tohost, 8) >= 0) {
      bus.storeWatchPage = bus.ramOffset(this.tohost) >>> 12;
      bus.storeWatch = (pa) => this.htifStore(pa);
    }
    if (s.harts.length !== this.harts.length) throw new SnapshotError(`snapshot has ${s.harts.length} harts, config ${this.harts.length}`);
    this.harts.forEach((h, i) => h.loadState(s.harts[i]));
    if (s.sbi && this.sbi) this.sbi.loadState(s.sbi);
    this.board.loadState(s.devices);
    this.vtime = s.clock.vtime;
    this.rr = s.clock.rr;
    this.quantumLeft = s.clock.quantumLeft;
    this.stop = s.stop;
    this.deadlineStale = true;
  }

  private loadImages(): LoadedImages {
    const c = this.config;
    const img: LoadedImages = {};
    if (c.bios !== undefined && c.bios !== 'none' && c.bios !== 'builtin') {
      const data = readImage(c.bios, 'firmware');
      img.bios = { data, elf: isElf(data) ? parseElf(data, 'firmware') : undefined };
    }
    if (c.kernel !== undefined) {
      const data = readImage(c.kernel, 'kernel');
      img.kernel = { data, elf: isElf(data) ? parseElf(data, 'kernel') : undefined };
    }
    if (c.initrd !== undefined) img.initrd = readImage(c.initrd, 'initrd');
    if (!img.bios && !img.kernel) throw new Error('nothing to run: give a kernel (-kernel) or firmware (-bios)');
    return img;
  }

  /**
   * Virtual time in steps now. Inside a running hart's instruction (a device access, a CSR read,
   * a hypercall) the instruction itself counts, as in QEMU -icount, which charges a translation
   * block's instructions when it starts and makes an I/O instruction the last of its block.
   */
  nowSteps(): number {
    const r = this.running;
    return this.vtime + (r ? r.sliceSteps - r.sliceUntimed + 1 : 0);
  }

  /** mtime now (the running hart's progress counts). */
  now(): number {
    return Math.floor(this.nowSteps() / STEPS_PER_TICK);
  }

  private output(bytes: Uint8Array): void {
    if (this.onOutput) this.onOutput(bytes);
    else for (const b of bytes) this.outputLog.push(b);
    this.events.emit({ kind: 'output', bytes });
  }

  /** Receives the guest's console output (UART and SBI console). Without it, output is buffered for takeOutput(). */
  onOutput: ((bytes: Uint8Array) => void) | undefined;

  /** Console output buffered so far (when no onOutput is set), emptied. */
  takeOutput(): string {
    const s = Buffer.from(this.outputLog).toString('latin1');
    this.outputLog.length = 0;
    return s;
  }

  /** Host input for the guest's console (UART receive; the SBI console reads the same queue). */
  input(bytes: Uint8Array | string): void {
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    this.board.uart.receive(b);
    for (const c of this.virtioConsoles) c.input(b);
    for (const h of this.harts) if (h.interruptPending) h.waiting = false;
  }

  private powerOff(exitCode: number): void {
    if (!this.stop) this.stop = { reason: 'poweroff', exitCode };
    for (const h of this.harts) h.requestHalt();
    this.events.emit({ kind: 'poweroff', exitCode });
  }

  private fatal(hart: number, message: string): void {
    if (!this.stop) this.stop = { reason: 'fatal', hart, message };
    for (const h of this.harts) h.requestHalt();
    this.events.emit({ kind: 'fatal', hart, message });
  }

  private requestReset(): void {
    if (this.config.noReboot) {
      this.powerOff(0); // QEMU -no-reboot: a reboot ends the run, with status 0
      return;
    }
    this.resetPending = true;
    for (const h of this.harts) h.requestHalt();
  }

  /** Where the kernel image was entered (its load address for a flat Image), 0 without a kernel. */
  kernelEntry = 0;

  private debugStopRequested = false;

  /** A watchpoint `h` hit, or a debug stop that was asked for: the stop reason, once. */
  private takeDebugStop(h: Hart): StopReason | undefined {
    if (h.watchHit !== undefined) {
      const hit = h.watchHit;
      h.watchHit = undefined;
      return { reason: 'watchpoint', hart: h.id, hit };
    }
    if (this.debugStopRequested) {
      this.debugStopRequested = false;
      return { reason: 'debug', hart: h.id };
    }
    return undefined;
  }

  /**
   * Makes `run` return { reason: 'debug' } after the current instruction (callable from an event
   * listener: the trap or hypercall being reported completes first). All harts stop together.
   */
  requestDebugStop(): void {
    this.debugStopRequested = true;
    for (const h of this.harts) h.requestHalt();
  }

  /** Replaces the data watchpoints of every hart (virtual addresses as each hart translates them). */
  setWatchpoints(list: readonly Watchpoint[]): void {
    for (const h of this.harts) h.setWatchpoints(list);
  }

  private breakReservations(from: Hart, pa: number): void {
    for (const h of this.harts) if (h !== from && h.reservation >= 0 && (h.reservation & ~7) === (pa & ~7)) h.reservation = -1;
  }

  // ---- boot ----

  /** Loads the images, builds the device tree and sets every hart to its reset state (QEMU's placement). */
  private boot(): void {
    const bus = this.board.bus;
    const ramEnd = VIRT.DRAM_BASE + this.config.ramSize;
    // A fresh machine's RAM is already zero (and filling it would touch every host page).
    if (this.booted) {
      bus.ram.fill(0);
      bus.invalidateRam(0, this.config.ramSize);
    }
    this.booted = true;
    const place = (image: { data: Uint8Array; elf?: ElfImage }, rawAddr: number, what: string): number => {
      if (image.elf) {
        for (const s of image.elf.segments) {
          if (bus.ramOffset(s.paddr, s.memsz) < 0) {
            throw new Error(`${what}: segment at 0x${s.paddr.toString(16)} (+0x${s.memsz.toString(16)}) does not fit in RAM 0x${VIRT.DRAM_BASE.toString(16)}..0x${ramEnd.toString(16)}`);
          }
          bus.writeRam(s.paddr, s.data);
          bus.writeRam(s.paddr + s.data.length, new Uint8Array(s.memsz - s.data.length));
        }
        return image.elf.entry;
      }
      if (bus.ramOffset(rawAddr, image.data.length) < 0) throw new Error(`${what}: ${image.data.length} bytes at 0x${rawAddr.toString(16)} do not fit in RAM`);
      bus.writeRam(rawAddr, image.data);
      return rawAddr;
    };
    const { bios, kernel, initrd } = this.images;
    let firmwareEntry = 0;
    let kernelEntry = 0;
    if (bios) firmwareEntry = place(bios, VIRT.DRAM_BASE, 'firmware');
    // QEMU: the kernel goes at 0x80200000 after firmware (RV64: firmware end rounded up to 2 MiB),
    // at DRAM base with -bios none; the engine's own SBI leaves the same 2 MiB free, as OpenSBI would.
    const kernelBase = this.config.bios === 'none' ? VIRT.DRAM_BASE : VIRT.DRAM_BASE + 2 * MiB;
    if (kernel) kernelEntry = place(kernel, kernelBase, 'kernel');
    this.kernelEntry = kernelEntry;
    let initrdRange: { start: number; end: number } | undefined;
    if (initrd) {
      const start = (kernel ? kernelEntry : kernelBase) + Math.min(this.config.ramSize / 2, 128 * MiB);
      if (bus.ramOffset(start, initrd.length) < 0) throw new Error(`initrd (${initrd.length} bytes) does not fit in RAM at 0x${start.toString(16)}`);
      bus.writeRam(start, initrd);
      initrdRange = { start, end: start + initrd.length };
    }
    const fdt = this.board.deviceTree({ ramSize: this.config.ramSize, bootargs: this.config.append, initrd: initrdRange });
    const top = Math.min(ramEnd, 0xc0000000);
    this.fdtAddr = Math.floor((top - fdt.length) / (2 * MiB)) * 2 * MiB;
    bus.writeRam(this.fdtAddr, fdt);
    // HTIF: a guest with a `tohost` symbol reports its result by writing it.
    const sym = (bios?.elf ?? kernel?.elf)?.symbols.find((s) => s.name === 'tohost');
    this.tohost = sym ? sym.value : -1;
    if (this.tohost >= 0 && bus.ramOffset(this.tohost, 8) >= 0) {
      bus.storeWatchPage = bus.ramOffset(this.tohost) >>> 12;
      bus.storeWatch = (pa) => this.htifStore(pa);
    }
    const startAddr = bios ? firmwareEntry : kernelEntry;
    this.board.bus.addRom(VIRT.MROM_BASE, this.board.bootRom(startAddr, this.fdtAddr, kernelEntry));
    for (const h of this.harts) {
      h.reset();
      h.stopped = false;
      h.sbiMode = this.builtinSbi;
      if (this.builtinSbi) this.enterSupervisor(h, kernelEntry);
    }
    // Devices keep their state; re-drive their interrupt lines into the freshly reset harts
    // (the CLINT's MTIP is high from reset, as QEMU's).
    const devices = [this.board.clint, this.board.plic, this.board.uart, this.board.rtc];
    for (const d of devices) d.loadState(d.saveState());
    this.vtime = 0;
    this.stop = undefined;
    this.deadlineStale = true;
  }

  /** With the engine as SBI: M-mode state as OpenSBI leaves it, and the hart at the kernel in S-mode. */
  private enterSupervisor(h: Hart, entry: number): void {
    // Delegate every exception but ecalls from S/M, and the S-level interrupts.
    h.setCsr(Csr.MEDELEG, 0xb1ffn);
    h.setCsr(Csr.MIDELEG, 0x222n);
    h.setCsr(Csr.MCOUNTEREN, 0xffffffffn);
    // U-mode may read cycle, time and instret (the vDSO's clock_gettime reads time), as OpenSBI sets it.
    h.setCsr(Csr.SCOUNTEREN, 7n);
    h.setCsr(Csr.MENVCFG, 1n << 63n); // Sstc: the kernel may use stimecmp
    h.setCsr(Csr.PMPADDR0, (1n << 54n) - 1n);
    h.setCsr(Csr.PMPCFG0, 0x1fn); // NAPOT, RWX: all memory for S and U
    h.setPriv(PRV_S);
    h.setX(10, BigInt(h.id));
    h.setXNum(11, this.fdtAddr);
    h.pc = entry;
    // Secondary harts wait in the HSM "stopped" state until hart_start.
    if (h.id !== 0) h.stopped = true;
  }

  private htifStore(pa: number): void {
    if (pa < this.tohost || pa >= this.tohost + 8) return;
    const off = this.board.bus.ramOffset(this.tohost, 8);
    const dv = new DataView(this.board.bus.ram.buffer, off, 8);
    const v = dv.getBigUint64(0, true);
    if (v === 0n) return;
    const device = Number(v >> 56n);
    const cmd = Number((v >> 48n) & 0xffn);
    if (device === 1 && cmd === 1) {
      this.output(Uint8Array.of(Number(v & 0xffn))); // console putchar
      dv.setBigUint64(0, 0n, true);
    } else if ((v & 1n) === 1n) {
      this.powerOff(Number((v >> 1n) & 0x7fffffffn));
    }
  }

  // ---- running ----

  /** The next timer deadline in steps (Infinity if none). */
  private nextDeadline(): number {
    let d = Infinity;
    for (const t of this.board.timers) d = Math.min(d, t.nextDeadlineFine ? t.nextDeadlineFine() : t.nextDeadline() * STEPS_PER_TICK);
    if (this.sbi) d = Math.min(d, this.sbi.nextDeadline() * STEPS_PER_TICK);
    for (const h of this.harts) d = Math.min(d, h.stimecmpDeadlineFine());
    return d;
  }

  private fireTimers(): void {
    for (const t of this.board.timers) t.tick();
    this.sbi?.tick();
    for (const h of this.harts) h.updateStip();
  }

  /**
   * Runs for at most `maxSteps` steps (instructions or traps, all harts together) and says why it
   * stopped. 'idle' means every hart waits for an interrupt that no timer will raise (console input
   * may). Never throws for anything the guest does.
   */
  run(maxSteps: number): StopReason {
    let remaining = maxSteps;
    const harts = this.harts;
    while (remaining > 0) {
      if (this.resetPending) this.doReset();
      if (this.stop) return this.stop;
      // A timer fires between instructions, once virtual time has reached its deadline (QEMU
      // -icount ends a slice of instructions exactly at the next deadline and runs timers there).
      if (this.deadlineStale || this.deadline <= this.vtime) {
        this.deadlineStale = false;
        this.deadline = this.nextDeadline();
        if (this.deadline <= this.vtime) {
          this.fireTimers();
          this.deadline = this.nextDeadline();
          if (this.deadline <= this.vtime) this.deadline = Infinity; // a source that cannot fire yet: do not spin
        }
      }
      const deadline = this.deadline;
      let h: Hart | undefined;
      for (let k = 0; k < harts.length; k++) {
        const c = harts[(this.rr + k) % harts.length];
        if (c.stopped) continue;
        if (c.waiting && c.interruptPending) c.waiting = false;
        if (c.waiting) continue;
        if (k !== 0) { this.rr = (this.rr + k) % harts.length; this.quantumLeft = QUANTUM; }
        h = c;
        break;
      }
      if (h === undefined) {
        if (harts.every((c) => c.stopped)) return { reason: 'halted' };
        if (deadline === Infinity) return { reason: 'idle' };
        if (this.config.idle === 'realtime') return { reason: 'waiting', untilSteps: deadline };
        // Every hart waits: time jumps to the next timer event (idle costs no host time).
        this.vtime = Math.max(this.vtime, deadline);
        this.fireTimers();
        this.deadlineStale = true;
        continue;
      }
      let budget = Math.min(remaining, this.quantumLeft);
      if (deadline !== Infinity) budget = Math.max(1, Math.min(budget, deadline - this.vtime));
      if (h.checkInterrupts() && h.stopped) continue;
      this.running = h;
      const before = h.steps;
      const untimedBefore = h.untimedSteps;
      const exit = h.run(budget);
      this.running = undefined;
      const used = h.steps - before;
      this.vtime += used - (h.untimedSteps - untimedBefore);
      remaining -= used;
      this.quantumLeft -= used;
      // Device writes, CSR writes and hypercalls (all EVENT exits) may move a timer.
      if (exit !== HartExit.BUDGET) this.deadlineStale = true;
      if (this.quantumLeft <= 0 || exit === HartExit.WFI) {
        this.rr = (this.rr + 1) % harts.length;
        this.quantumLeft = QUANTUM;
      }
      if (exit === HartExit.HALT && h.stoppedAtBreakpoint) return { reason: 'breakpoint', hart: h.id };
      const dbg = this.takeDebugStop(h);
      if (dbg) return dbg;
      if (used === 0 && exit !== HartExit.HALT) remaining--; // never spin without progress
    }
    if (this.resetPending) this.doReset();
    return this.stop ?? { reason: 'budget' };
  }

  /**
   * Executes exactly one step on one hart (a pending interrupt is taken first, then one instruction
   * runs; a trap it raises is taken). For debuggers and lockstep tests.
   */
  step(hartId = 0): StopReason {
    const h = this.harts[hartId];
    if (this.stop) return this.stop;
    if (this.nextDeadline() <= this.vtime) this.fireTimers();
    if (h.stopped) return { reason: 'halted' };
    h.checkInterrupts();
    this.running = h;
    const before = h.steps;
    const untimedBefore = h.untimedSteps;
    h.ignoreBreakpoints = true;
    h.run(1);
    h.ignoreBreakpoints = false;
    this.running = undefined;
    this.vtime += h.steps - before - (h.untimedSteps - untimedBefore);
    this.deadlineStale = true;
    if (this.resetPending) this.doReset();
    if (this.stop) return this.stop;
    return this.takeDebugStop(h) ?? { reason: 'budget' };
  }

  private doReset(): void {
    this.resetPending = false;
    this.events.emit({ kind: 'reset' });
    this.board.reset();
    this.boot();
  }

  /** The stop reason once the machine has powered off or failed (undefined while it can run). */
  get stopped(): StopReason | undefined {
    return this.stop;
  }

  /** Convenience for tests and the CLI: runs until poweroff/fatal/idle or `maxSteps`. */
  runToEnd(maxSteps: number): StopReason {
    let r: StopReason = { reason: 'budget' };
    let left = maxSteps;
    while (left > 0) {
      const chunk = Math.min(left, 1_000_000);
      const t0 = this.totalSteps();
      r = this.run(chunk);
      left -= Math.max(1, this.totalSteps() - t0);
      if (r.reason !== 'budget') return r;
    }
    return r;
  }

  totalSteps(): number {
    return this.harts.reduce((s, h) => s + h.steps, 0);
  }
}


// The one interface every memory-mapped device implements, and the small types it needs
// to describe itself (for the device tree and for the debugger's views).

/** A node of a flattened device tree, as plain data. The FDT writer (engine/board/fdt.ts) serialises it. */
export interface FdtNode {
  /** Node name with unit address, e.g. "serial@10000000". The root is "". */
  name: string;
  props: FdtProp[];
  children: FdtNode[];
}

/** A property value: u32 cells, a string, a string list, or raw bytes. `null` is an empty property. */
export type FdtValue = { u32: number[] } | { str: string } | { strs: string[] } | { bytes: Uint8Array } | null;

export interface FdtProp {
  name: string;
  value: FdtValue;
}

/** What the board tells a device when it asks for the device's own device-tree node. */
export interface FdtContext {
  /** phandle of the PLIC (interrupt-parent of platform devices). */
  plicPhandle: number;
  /** phandles of each hart's "riscv,cpu-intc" node, indexed by hart id. */
  cpuIntcPhandles: number[];
}

/** One register (or queue, or other piece of state) in a device's self-description. */
export interface DeviceRegister {
  name: string;
  /** Offset from the device's base, if the register is memory-mapped. */
  offset?: number;
  /** Width in bytes (1, 2, 4 or 8). */
  size?: number;
  /** Current value, read without side effects. bigint for 64-bit values. */
  value: number | bigint | string;
  /** Decoded meaning, for people: e.g. "DR THRE TEMT". */
  detail?: string;
}

export interface DeviceDescription {
  /** Instance name, e.g. "uart0". */
  name: string;
  /** What it is, e.g. "16550A UART". */
  kind: string;
  registers: DeviceRegister[];
  /** Nested parts (per-hart timers, PLIC contexts, virtqueues…). */
  children?: DeviceDescription[];
}

/**
 * A device on the bus. Accesses are at `offset` from the device's base; `size` is 1, 2 or 4 bytes
 * (the bus splits 8-byte accesses into two 4-byte ones, low word first, unless the device
 * implements read64/write64). Values are unsigned 32-bit numbers (for size 4: 0..0xffffffff).
 * A device never throws for guest behaviour: unknown offsets read 0 and ignore writes.
 */
export interface MmioDevice {
  readonly name: string;
  read(offset: number, size: number): number;
  write(offset: number, size: number, value: number): void;
  /** Optional native 64-bit access (e.g. CLINT mtime); value as bigint (0..2^64-1). */
  read64?(offset: number): bigint;
  write64?(offset: number, value: bigint): void;
  /** Side-effect-free self-description for the debugger's views. */
  describe(): DeviceDescription;
  /** The device's node for the generated device tree; `base`/`size` are where the board placed it. */
  fdtNode?(base: number, size: number, ctx: FdtContext): FdtNode;
  /** Snapshot support: plain data in, plain data out. */
  saveState?(): unknown;
  loadState?(state: unknown): void;
  /**
   * Back to the power-on state, for a machine reset (a guest reboot). What outlives a reset on
   * real hardware outlives it here (an RTC's time, a disk's contents). Without it, the board
   * restores the state the device had when it was created.
   */
  reset?(): void;
}

/** An interrupt line into an interrupt controller (a PLIC source). Level-triggered. */
export interface IrqLine {
  set(level: boolean): void;
}

/** Interrupt-pending bits of mip that devices drive (privileged spec numbering). */
export const MIP_SSIP = 1 << 1;
export const MIP_MSIP = 1 << 3;
export const MIP_STIP = 1 << 5;
export const MIP_MTIP = 1 << 7;
export const MIP_SEIP = 1 << 9;
export const MIP_MEIP = 1 << 11;

/** How devices drive a hart's mip bits (the board wires this to the harts). */
export interface HartInterruptSink {
  /** Set or clear `bit` (one of the MIP_* masks) in hart `hartId`'s mip. */
  setPending(hartId: number, bit: number, level: boolean): void;
}

/** The machine's virtual clock: mtime in ticks of the 10 MHz timebase. */
export interface Clock {
  /** Current mtime (a whole number, exact below 2^53). */
  now(): number;
  /** Finer virtual time (the machine's steps), for compares that keep a sub-tick phase. */
  fine?(): number;
  /** Fine units per mtime tick. */
  readonly finePerTick?: number;
}

/** Anything that raises a timer interrupt at a future mtime tells the scheduler when. */
export interface TimerSource {
  /** The smallest mtime at which this source will change an interrupt line, or Infinity. */
  nextDeadline(): number;
  /** The same in the clock's fine units, for sources that fire within a tick (optional). */
  nextDeadlineFine?(): number;
  /** Re-evaluate lines against the current time (called when time passes a deadline). */
  tick(): void;
}

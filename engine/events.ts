// The engine's event stream: one typed record per thing that happened, cheap when nobody listens.

import type { HypercallRecord } from './sbi/sbi.ts';

export interface TrapRecord {
  hart: number;
  /** mcause/scause value (bit 63 set for interrupts). */
  cause: bigint;
  tval: bigint;
  /** pc of the trapping instruction (or the interrupted one), unsigned 64-bit. */
  pc: bigint;
  fromPriv: number;
  /** Privilege level the trap was taken into. */
  toPriv: number;
  instret: number;
}

/** Something a device did: a virtio queue notified or completed, an interrupt line moved. */
export interface DeviceEventRecord {
  /** Device instance name (e.g. "virtio7", "plic"). */
  device: string;
  /** What happened: 'virtio-notify', 'virtio-complete', 'virtio-irq', 'irq-line'… */
  what: string;
  /** Plain details (queue index, descriptor head, byte count, status, line level…). */
  detail: Record<string, number | string | boolean>;
}

export type MachineEvent =
  | { kind: 'hypercall'; record: HypercallRecord }
  | { kind: 'trap'; record: TrapRecord }
  | { kind: 'device'; record: DeviceEventRecord }
  | { kind: 'output'; bytes: Uint8Array }
  | { kind: 'poweroff'; exitCode: number }
  | { kind: 'reset' }
  | { kind: 'fatal'; hart: number; message: string };

export type EventKind = MachineEvent['kind'];
export type EventListener = (e: MachineEvent) => void;

export class EventHub {
  private readonly listeners: Array<{ l: EventListener; kinds: ReadonlySet<EventKind> | undefined }> = [];
  private traps = false;
  private devices = false;
  private hypercalls = false;

  /** Whether trap events are wanted (they are frequent; the hart skips building them otherwise). */
  get wantsTraps(): boolean {
    return this.traps;
  }

  /** Whether hypercall events are wanted (the firmware's ecalls are watched only then). */
  get wantsHypercalls(): boolean {
    return this.hypercalls;
  }

  /** Whether device events are wanted (devices skip building them otherwise). */
  get wantsDevices(): boolean {
    return this.devices;
  }

  /** Listens to every event, or only to `kinds`. Returns the function that stops listening. */
  on(l: EventListener, kinds?: readonly EventKind[]): () => void {
    const entry = { l, kinds: kinds ? new Set(kinds) : undefined };
    this.listeners.push(entry);
    this.update();
    return () => {
      const i = this.listeners.indexOf(entry);
      if (i >= 0) this.listeners.splice(i, 1);
      this.update();
    };
  }

  emit(e: MachineEvent): void {
    for (const { l, kinds } of this.listeners) if (!kinds || kinds.has(e.kind)) l(e);
  }

  private update(): void {
    this.traps = this.listeners.some((x) => !x.kinds || x.kinds.has('trap'));
    this.devices = this.listeners.some((x) => !x.kinds || x.kinds.has('device'));
    this.hypercalls = this.listeners.some((x) => !x.kinds || x.kinds.has('hypercall'));
  }
}

// The engine's event stream: one typed record per thing that happened, cheap when nobody listens.

import type { HypercallRecord } from './sbi/sbi.ts';

export interface TrapRecord {
  hart: number;
  /** mcause/scause value (bit 63 set for interrupts). */
  cause: bigint;
  tval: bigint;
  /** pc of the trapping instruction (or the interrupted one). */
  pc: number;
  fromPriv: number;
  /** Privilege level the trap was taken into. */
  toPriv: number;
  instret: number;
}

export type MachineEvent =
  | { kind: 'hypercall'; record: HypercallRecord }
  | { kind: 'trap'; record: TrapRecord }
  | { kind: 'output'; bytes: Uint8Array }
  | { kind: 'poweroff'; exitCode: number }
  | { kind: 'reset' }
  | { kind: 'fatal'; hart: number; message: string };

export type EventListener = (e: MachineEvent) => void;

export class EventHub {
  private readonly listeners: EventListener[] = [];
  /** Whether trap events are wanted (they are frequent; the hart skips building them otherwise). */
  get wantsTraps(): boolean {
    return this.listeners.length > 0;
  }

  on(l: EventListener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(e: MachineEvent): void {
    for (const l of this.listeners) l(e);
  }
}

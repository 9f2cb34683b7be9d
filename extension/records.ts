// The records the adapter streams as `rvisor.event` (docs/trace-format.md), as the extension reads them.

/** A hypercall, trap or interrupt record as the adapter streams it (docs/trace-format.md). */
export interface TraceRecord {
  k: 'hypercall' | 'trap' | 'interrupt';
  vt: number;
  hart: number;
  pc: string;
  instret: number;
  // hypercall
  eid?: string; ext?: string | null; fid?: number; fn?: string | null; args?: string[]; error?: number; value?: string;
  // trap / interrupt
  cause?: number; name?: string; tval?: string; from?: string; to?: string;
}

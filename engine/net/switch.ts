// A virtual Ethernet switch: guests' NICs (and links to other rvisor processes) are its ports.
// It learns which port each source MAC address is behind and forwards a frame only there;
// broadcast, multicast and unknown destinations go to every other port (as a learning bridge does).

/** One port of a switch: how the switch hands it a frame. */
export interface SwitchPort {
  readonly name: string;
  deliver(frame: Uint8Array): void;
}

/** Frames shorter than an Ethernet header, or longer than a jumbo frame, are dropped. */
const MIN_FRAME = 14;
const MAX_FRAME = 65_535;
/** Learned addresses kept (a hostile guest sending from random MACs cannot grow the table without bound). */
const MAX_LEARNED = 4096;

export interface SwitchStats {
  forwarded: number;
  flooded: number;
  dropped: number;
}

export class VirtualSwitch {
  private readonly ports = new Set<SwitchPort>();
  private readonly macs = new Map<string, SwitchPort>();
  readonly stats: SwitchStats = { forwarded: 0, flooded: 0, dropped: 0 };

  constructor(readonly name: string) {}

  /** Plugs a port in; returns the function that sends frames from it into the switch. */
  attach(port: SwitchPort): (frame: Uint8Array) => void {
    this.ports.add(port);
    return (frame) => this.forward(port, frame);
  }

  detach(port: SwitchPort): void {
    this.ports.delete(port);
    for (const [mac, p] of this.macs) if (p === port) this.macs.delete(mac);
  }

  /** Ports plugged in now (for views). */
  get portNames(): string[] {
    return [...this.ports].map((p) => p.name);
  }

  private forward(from: SwitchPort, frame: Uint8Array): void {
    if (!this.ports.has(from) || frame.length < MIN_FRAME || frame.length > MAX_FRAME) {
      this.stats.dropped++;
      return;
    }
    const src = macKey(frame, 6);
    if ((frame[6] & 1) === 0) {
      if (this.macs.get(src) !== from) {
        if (!this.macs.has(src) && this.macs.size >= MAX_LEARNED) this.macs.delete(this.macs.keys().next().value!);
        this.macs.set(src, from);
      }
    }
    const to = (frame[0] & 1) === 0 ? this.macs.get(macKey(frame, 0)) : undefined;
    if (to && this.ports.has(to)) {
      if (to !== from) {
        this.stats.forwarded++;
        to.deliver(frame);
      }
      return;
    }
    this.stats.flooded++;
    for (const p of this.ports) if (p !== from) p.deliver(frame);
  }
}

function macKey(frame: Uint8Array, off: number): string {
  let s = '';
  for (let i = off; i < off + 6; i++) s += frame[i].toString(16).padStart(2, '0');
  return s;
}

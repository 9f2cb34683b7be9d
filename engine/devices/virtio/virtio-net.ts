// virtio-net (virtio 1.x, 5.1): one receive queue (0) and one transmit queue (1), a MAC address and a
// link that is always up. Frames the guest transmits go to `onTransmit` (a virtual switch port);
// frames for the guest come in through receive() and wait, a bounded number of them, until the
// driver posts receive buffers. No offloads are offered: every frame is a plain Ethernet frame.
import type { DeviceRegister } from '../device.ts';
import type { VirtioBackend, VirtioDeviceContext } from './virtio-mmio.ts';
import { gather, scatter } from './virtqueue.ts';
import type { SplitVirtqueue } from './virtqueue.ts';
import { DEVICE_ID, F, NET_F, NET_FEATURE_NAMES, NET_S_LINK_UP, bit } from './constants.ts';


const RECEIVEQ = 0;
const TRANSMITQ = 1;
/** struct virtio_net_hdr: 12 bytes with VERSION_1 (num_buffers included), 10 for a legacy driver without MRG_RXBUF (5.1.6). */
const HDR_MODERN = 12;
const HDR_LEGACY = 10;
/** Ethernet header + payload limits accepted from the guest (no TSO: at most a 1500-byte MTU frame plus VLAN tag). */
const MIN_FRAME = 14;
const MAX_FRAME = 1522;
/** Frames waiting for receive buffers; more are dropped, as a full NIC ring drops them. */
const RX_BACKLOG = 256;

export interface VirtioNetOptions {
  /** "52:54:00:12:34:56" */
  mac: string;
  /** A frame the guest sent. */
  onTransmit: (frame: Uint8Array) => void;
  queueSize?: number;
}

interface NetState {
  backlog: Uint8Array[];
  stats: NetStats;
}

interface NetStats { txFrames: number; rxFrames: number; rxDropped: number; txDropped: number }

/** Parses "aa:bb:cc:dd:ee:ff"; throws for anything else. */
export function parseMac(s: string): Uint8Array {
  const m = /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i.exec(s);
  if (!m) throw new Error(`bad MAC address '${s}' (expected six hex bytes, e.g. 52:54:00:12:34:56)`);
  const b = Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16)));
  if (b[0] & 1) throw new Error(`MAC address '${s}' is a multicast address`);
  return b;
}

export class VirtioNet implements VirtioBackend {
  readonly deviceId = DEVICE_ID.NET;
  readonly kind = 'virtio-net';
  /** The MAC in config space, and the link status field (5.1.3). */
  readonly features = bit(NET_F.MAC) | bit(NET_F.STATUS);
  readonly featureNames = NET_FEATURE_NAMES;
  readonly numQueues = 2;
  readonly mac: Uint8Array;
  private readonly onTransmit: (frame: Uint8Array) => void;
  private readonly queueSize: number;
  private ctx: VirtioDeviceContext | undefined;
  private backlog: Uint8Array[] = [];
  private readonly stats: NetStats = { txFrames: 0, rxFrames: 0, rxDropped: 0, txDropped: 0 };

  constructor(opts: VirtioNetOptions) {
    this.mac = parseMac(opts.mac);
    this.onTransmit = opts.onTransmit;
    this.queueSize = opts.queueSize ?? 256;
  }

  attach(ctx: VirtioDeviceContext): void {
    this.ctx = ctx;
  }

  queueMaxSize(index: number): number {
    return index === RECEIVEQ || index === TRANSMITQ ? this.queueSize : 0;
  }

  /** struct virtio_net_config: mac[6], status (le16). */
  configRead(offset: number, size: number): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) {
      const o = offset + i;
      const b = o < 6 ? this.mac[o] : o === 6 ? NET_S_LINK_UP : 0;
      v = (v << 8) | b;
    }
    return v >>> 0;
  }

  configWrite(_offset: number, _size: number, _value: number): void {
    // The MAC is writable only with VIRTIO_NET_F_CTRL_MAC_ADDR or for legacy drivers; neither is offered.
  }

  reset(): void {
    this.backlog = [];
  }

  /** A frame for the guest (from the switch). Returns false if it was dropped. */
  receive(frame: Uint8Array): boolean {
    if (frame.length < MIN_FRAME || this.backlog.length >= RX_BACKLOG) {
      this.stats.rxDropped++;
      return false;
    }
    this.backlog.push(frame);
    this.ctx?.processQueue(RECEIVEQ, (vq) => this.deliver(vq));
    return true;
  }

  notify(index: number, vq: SplitVirtqueue): void {
    if (index === RECEIVEQ) this.deliver(vq);
    else if (index === TRANSMITQ) this.transmit(vq);
  }

  private headerSize(): number {
    return this.ctx?.hasFeature(F.VERSION_1) ? HDR_MODERN : HDR_LEGACY;
  }

  private deliver(vq: SplitVirtqueue): void {
    const mem = this.ctx?.mem;
    if (mem === undefined) return;
    const hdr = this.headerSize();
    while (this.backlog.length > 0) {
      const c = vq.pop();
      if (c === undefined) break;
      const frame = this.backlog.shift()!;
      if (c.error !== undefined || c.writeLen < hdr + frame.length) {
        // A buffer too small for the frame (or a broken chain): the frame is lost, the buffer returned empty.
        this.stats.rxDropped++;
        vq.push(c.head, 0, { error: c.error ?? `buffer of ${c.writeLen} bytes for a ${frame.length}-byte frame` });
        continue;
      }
      const out = new Uint8Array(hdr + frame.length);
      if (hdr === HDR_MODERN) out[10] = 1; // num_buffers = 1
      out.set(frame, hdr);
      const ok = scatter(mem, c.writable, 0, out);
      if (ok) this.stats.rxFrames++;
      else this.stats.rxDropped++;
      vq.push(c.head, ok ? out.length : 0, { bytes: ok ? frame.length : 0 });
    }
  }

  private transmit(vq: SplitVirtqueue): void {
    const mem = this.ctx?.mem;
    const hdr = this.headerSize();
    for (let c = vq.pop(); c !== undefined; c = vq.pop()) {
      const len = c.readLen - hdr;
      const frame = c.error === undefined && mem !== undefined && len >= MIN_FRAME && len <= MAX_FRAME
        ? gather(mem, c.readable, hdr, len) : undefined;
      if (frame === undefined) {
        this.stats.txDropped++;
        vq.push(c.head, 0, { error: c.error ?? `unusable frame of ${len} bytes` });
        continue;
      }
      this.stats.txFrames++;
      vq.push(c.head, 0, { bytes: len });
      this.onTransmit(frame);
    }
  }

  describe(): { registers: DeviceRegister[] } {
    const hex = Array.from(this.mac, (b) => b.toString(16).padStart(2, '0')).join(':');
    return {
      registers: [
        { name: 'mac', value: hex },
        { name: 'link', value: 'up' },
        { name: 'frames sent', value: this.stats.txFrames },
        { name: 'frames received', value: this.stats.rxFrames },
        { name: 'frames waiting', value: this.backlog.length },
        { name: 'received frames dropped', value: this.stats.rxDropped },
        { name: 'sent frames dropped', value: this.stats.txDropped },
      ],
    };
  }

  saveState(): NetState {
    return { backlog: this.backlog.map((f) => f.slice()), stats: { ...this.stats } };
  }

  loadState(state: unknown): void {
    const s = state as NetState;
    this.backlog = s.backlog.map((f) => Uint8Array.from(f));
    Object.assign(this.stats, s.stats);
  }
}

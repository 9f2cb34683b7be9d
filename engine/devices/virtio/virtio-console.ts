// virtio-console (virtio 1.x, 5.3), one port, no MULTIPORT: queue 0 receives host input into the
// buffers the driver posts, queue 1 transmits to `onOutput`. Host input waits in a buffer until the
// driver posts receive buffers; posting them (a notification, or DRIVER_OK) delivers it.
// VIRTIO_CONSOLE_F_EMERG_WRITE is offered: a write to emerg_wr outputs its low byte at any time.
import type { DeviceRegister } from '../device.ts';
import type { VirtioBackend, VirtioDeviceContext } from './virtio-mmio.ts';
import { gather, scatter } from './virtqueue.ts';
import type { SplitVirtqueue } from './virtqueue.ts';
import { CONSOLE_F, CONSOLE_FEATURE_NAMES, DEVICE_ID, bit } from './constants.ts';

export interface VirtioConsoleOptions {
  /** Guest output (transmit queue and emergency writes). */
  onOutput: (bytes: Uint8Array) => void;
  /** Queue size offered for both queues (default 64). */
  queueSize?: number;
}

const RECEIVEQ = 0;
const TRANSMITQ = 1;
/** Host input waiting for the guest; beyond this, input is refused (not silently lost), as the UART does. */
const HOST_QUEUE_LIMIT = 1 << 20;
/** Output is handed over in pieces of at most this size. */
const OUTPUT_CHUNK = 64 * 1024;
/** struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr. */
const CONFIG_SIZE = 12;
const EMERG_WR = 8;

interface ConsoleState {
  pending: string;
  bytesIn: number;
  bytesOut: number;
}

export class VirtioConsole implements VirtioBackend {
  readonly deviceId = DEVICE_ID.CONSOLE;
  readonly kind = 'virtio-console';
  readonly features = bit(CONSOLE_F.EMERG_WRITE);
  readonly featureNames = CONSOLE_FEATURE_NAMES;
  readonly numQueues = 2;
  private readonly onOutput: (bytes: Uint8Array) => void;
  private readonly queueSize: number;
  private ctx: VirtioDeviceContext | undefined;
  /** Undelivered host input is pending[head..]. */
  private pending = new Uint8Array(0);
  private head = 0;
  private bytesIn = 0;
  private bytesOut = 0;

  constructor(opts: VirtioConsoleOptions) {
    this.onOutput = opts.onOutput;
    this.queueSize = opts.queueSize ?? 64;
  }

  attach(ctx: VirtioDeviceContext): void {
    this.ctx = ctx;
  }

  /** Bytes of host input not yet delivered to the guest. */
  get pendingInput(): number {
    return this.pending.length - this.head;
  }

  /** Queues host input and delivers what the posted receive buffers can take; returns bytes accepted. */
  input(bytes: Uint8Array | number[]): number {
    const n = Math.min(bytes.length, Math.max(0, HOST_QUEUE_LIMIT - this.pendingInput));
    if (n > 0) {
      const next = new Uint8Array(this.pendingInput + n);
      next.set(this.pending.subarray(this.head));
      next.set(Uint8Array.from(bytes.slice(0, n)), this.pendingInput);
      this.pending = next;
      this.head = 0;
    }
    this.ctx?.processQueue(RECEIVEQ, (vq) => this.deliver(vq));
    return n;
  }

  queueMaxSize(index: number): number {
    return index === RECEIVEQ || index === TRANSMITQ ? this.queueSize : 0;
  }

  configRead(_offset: number, _size: number): number {
    return 0; // cols, rows and max_nr_ports are not offered (no SIZE, no MULTIPORT); emerg_wr reads 0
  }

  configWrite(offset: number, size: number, value: number): void {
    // Emergency write works even on an unconfigured device (5.3.5.1).
    if (offset === EMERG_WR && size >= 1 && offset + size <= CONFIG_SIZE) this.output(Uint8Array.of(value & 0xff));
  }

  reset(): void {
    // Host input not yet delivered stays queued for the next driver.
  }

  notify(index: number, vq: SplitVirtqueue): void {
    if (index === RECEIVEQ) this.deliver(vq);
    else if (index === TRANSMITQ) this.transmit(vq);
  }

  private output(bytes: Uint8Array): void {
    this.bytesOut += bytes.length;
    this.onOutput(bytes);
  }

  /** Fills posted receive buffers with pending input; buffers stay posted while there is none. */
  private deliver(vq: SplitVirtqueue): void {
    const mem = this.ctx?.mem;
    while (this.pendingInput > 0 && mem !== undefined) {
      const c = vq.pop();
      if (c === undefined) break;
      const n = Math.min(c.writeLen, this.pendingInput);
      if (c.error !== undefined || n === 0) {
        vq.push(c.head, 0, { error: c.error ?? 'no writable buffer' });
        continue;
      }
      const ok = scatter(mem, c.writable, 0, this.pending.subarray(this.head, this.head + n));
      if (ok) {
        this.head += n;
        this.bytesIn += n;
      }
      vq.push(c.head, ok ? n : 0, { bytes: ok ? n : 0 });
    }
    if (this.pendingInput === 0) {
      this.pending = new Uint8Array(0);
      this.head = 0;
    }
  }

  private transmit(vq: SplitVirtqueue): void {
    const mem = this.ctx?.mem;
    for (let c = vq.pop(); c !== undefined; c = vq.pop()) {
      let sent = 0;
      if (c.error === undefined && mem !== undefined) {
        for (let off = 0; off < c.readLen; off += OUTPUT_CHUNK) {
          const part = gather(mem, c.readable, off, Math.min(OUTPUT_CHUNK, c.readLen - off));
          if (part === undefined) break;
          this.output(part);
          sent += part.length;
        }
      }
      // Nothing is written into a transmit buffer: used length 0.
      vq.push(c.head, 0, c.error === undefined ? { bytes: sent } : { error: c.error });
    }
  }

  describe(): { registers: DeviceRegister[] } {
    return {
      registers: [
        { name: 'input pending', value: this.pendingInput },
        { name: 'bytes in', value: this.bytesIn },
        { name: 'bytes out', value: this.bytesOut },
      ],
    };
  }

  saveState(): ConsoleState {
    return { pending: Buffer.from(this.pending.subarray(this.head)).toString('base64'), bytesIn: this.bytesIn, bytesOut: this.bytesOut };
  }

  loadState(state: unknown): void {
    const s = state as ConsoleState;
    this.pending = new Uint8Array(Buffer.from(s.pending, 'base64'));
    this.head = 0;
    this.bytesIn = s.bytesIn;
    this.bytesOut = s.bytesOut;
  }
}

// virtio-rng, the entropy device (virtio 1.x, 5.4): every device-writable buffer posted on the request
// queue is filled with random bytes. The source is the host's crypto RNG, or — for reproducible runs
// and replay — a seeded PRNG (xoshiro128**) whose state is part of the snapshot.
import { randomFillSync } from 'node:crypto';
import type { DeviceRegister } from '../device.ts';
import type { VirtioBackend, VirtioDeviceContext } from './virtio-mmio.ts';
import { scatter } from './virtqueue.ts';
import type { SplitVirtqueue } from './virtqueue.ts';
import { DEVICE_ID } from './constants.ts';

export interface VirtioRngOptions {
  /** Seed a deterministic PRNG instead of using the host's crypto RNG. */
  seed?: number;
  /** Queue size offered (default 64). */
  queueSize?: number;
}

/** The device may fill less than the whole buffer (5.4.6.2); this bounds the work per request. */
const MAX_BYTES_PER_REQUEST = 64 * 1024;

interface RngState {
  /** xoshiro128** state, or null for the host source. */
  prng: number[] | null;
  bytes: number;
}

/** splitmix32: spreads a seed over the four state words (xoshiro must not start all-zero). */
function seedState(seed: number): Uint32Array {
  let x = seed >>> 0;
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if (!(s[0] | s[1] | s[2] | s[3])) s[0] = 1;
  return s;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

export class VirtioRng implements VirtioBackend {
  readonly deviceId = DEVICE_ID.ENTROPY;
  readonly kind = 'virtio-rng';
  readonly features = 0n;
  readonly numQueues = 1;
  private readonly queueSize: number;
  private prng: Uint32Array | null;
  private bytes = 0;
  private ctx: VirtioDeviceContext | undefined;

  constructor(opts: VirtioRngOptions = {}) {
    this.queueSize = opts.queueSize ?? 64;
    this.prng = opts.seed === undefined ? null : seedState(opts.seed);
  }

  attach(ctx: VirtioDeviceContext): void {
    this.ctx = ctx;
  }

  queueMaxSize(index: number): number {
    return index === 0 ? this.queueSize : 0;
  }

  configRead(_offset: number, _size: number): number {
    return 0; // no configuration space
  }

  configWrite(_offset: number, _size: number, _value: number): void {
    // no configuration space
  }

  reset(): void {
    // The PRNG runs on across resets: a replayed run resets at the same points.
  }

  private fill(out: Uint8Array): void {
    const s = this.prng;
    if (s === null) {
      randomFillSync(out);
      return;
    }
    for (let i = 0; i < out.length; i += 4) {
      const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0; // xoshiro128**
      const t = s[1] << 9;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = rotl(s[3], 11);
      for (let k = 0; k < 4 && i + k < out.length; k++) out[i + k] = r >>> (8 * k);
    }
  }

  notify(_index: number, vq: SplitVirtqueue): void {
    const mem = this.ctx?.mem;
    for (let c = vq.pop(); c !== undefined; c = vq.pop()) {
      // Device-readable buffers are a driver error (5.4.6.1): ignore them, fill the writable ones.
      const n = Math.min(c.writeLen, MAX_BYTES_PER_REQUEST);
      if (c.error !== undefined || n === 0 || mem === undefined) {
        vq.push(c.head, 0, { error: c.error ?? 'no writable buffer' });
        continue;
      }
      const buf = new Uint8Array(n);
      this.fill(buf);
      const ok = scatter(mem, c.writable, 0, buf);
      if (ok) this.bytes += n;
      vq.push(c.head, ok ? n : 0, { bytes: ok ? n : 0 });
    }
  }

  describe(): { registers: DeviceRegister[] } {
    return {
      registers: [
        { name: 'source', value: this.prng === null ? 'host crypto' : 'seeded PRNG (xoshiro128**)' },
        { name: 'bytes supplied', value: this.bytes },
      ],
    };
  }

  saveState(): RngState {
    return { prng: this.prng === null ? null : Array.from(this.prng), bytes: this.bytes };
  }

  loadState(state: unknown): void {
    const s = state as RngState;
    this.prng = s.prng === null ? null : Uint32Array.from(s.prng);
    this.bytes = s.bytes;
  }
}

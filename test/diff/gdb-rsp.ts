// A small GDB Remote Serial Protocol client over TCP (node:net), enough to drive QEMU's gdb stub
// for lockstep comparison: packet framing and checksums, acks (then QStartNoAckMode), pipelined
// requests, target description (qXfer:features:read) to learn register numbers, register reads
// (`g`, `p`), writes (`P`), single step, continue, breakpoints, memory, kill.
//
// Every request gets exactly one reply, in order, so requests can be pipelined: `pipeline()` writes
// a batch of packets at once and resolves with the batch of replies. A resume packet (`s`, `c`,
// `vCont`) must be the last of a batch: QEMU's stub stops the VM when it sees any byte while the VM
// runs, so nothing may follow a resume before its stop reply has arrived.

import * as net from 'node:net';

/** One register as described by the target description. */
export interface RegInfo {
  name: string;
  regnum: number;
  bitsize: number;
  feature: string;
  type?: string;
}

export class GdbError extends Error {}

type Waiter = { resolve: (s: string) => void; reject: (e: Error) => void };

function checksum(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum = (sum + s.charCodeAt(i)) & 0xff;
  return sum.toString(16).padStart(2, '0');
}

/** Escape a packet body: `$`, `#`, `}` and `*` become `}` followed by the byte xor 0x20. */
function escapeBody(body: string): string {
  return body.replace(/[$#}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
}

/** Undo binary escapes and run-length encoding of a reply body. */
function unescapeBody(raw: string): string {
  if (raw.indexOf('}') < 0 && raw.indexOf('*') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '}') {
      out += String.fromCharCode(raw.charCodeAt(++i) ^ 0x20);
    } else if (c === '*') {
      const n = raw.charCodeAt(++i) - 29;
      out += out[out.length - 1].repeat(n);
    } else {
      out += c;
    }
  }
  return out;
}

/** Little-endian hex (target byte order) to an unsigned bigint. */
export function leHexToBigInt(hex: string): bigint {
  let be = '';
  for (let i = hex.length - 2; i >= 0; i -= 2) be += hex.substr(i, 2);
  return be.length ? BigInt('0x' + be) : 0n;
}

/** Unsigned bigint to little-endian hex of `bytes` bytes. */
export function bigIntToLeHex(v: bigint, bytes: number): string {
  let out = '';
  let x = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) {
    out += Number(x & 0xffn)
      .toString(16)
      .padStart(2, '0');
    x >>= 8n;
  }
  return out;
}

export class GdbClient {
  private sock: net.Socket;
  private rx = '';
  private waiters: Waiter[] = [];
  private noAck = false;
  /** Acks owed to the stub, sent in front of our next packet (see onData). */
  private pendingAcks = 0;
  private closed = false;
  private closeError: Error | null = null;
  /** Stop replies that arrived with no request waiting (asynchronous stops). */
  readonly asyncStops: string[] = [];
  /** Register table from the target description (after `loadTargetDescription`). */
  regs: RegInfo[] = [];
  private byName = new Map<string, RegInfo>();
  /** Packets sent (for statistics). */
  packetsSent = 0;

  private constructor(sock: net.Socket) {
    this.sock = sock;
    sock.setNoDelay(true);
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => this.onData(d));
    sock.on('error', (e) => this.fail(e));
    sock.on('close', () => this.fail(new GdbError('gdb connection closed')));
  }

  /** Connect, retrying until `timeoutMs` (the stub may not be listening yet). */
  static async connect(host: string, port: number, timeoutMs = 10000): Promise<GdbClient> {
    const deadline = Date.now() + timeoutMs;
    let lastErr: unknown;
    while (Date.now() < deadline) {
      try {
        const sock = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect({ host, port });
          s.once('connect', () => {
            s.removeAllListeners('error');
            resolve(s);
          });
          s.once('error', (e) => {
            s.destroy();
            reject(e);
          });
        });
        const c = new GdbClient(sock);
        await c.handshake();
        return c;
      } catch (e) {
        lastErr = e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new GdbError(`cannot connect to gdb stub at ${host}:${port}: ${String(lastErr)}`);
  }

  private async handshake(): Promise<void> {
    const sup = await this.request('qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+;xmlRegisters=riscv');
    if (/QStartNoAckMode\+/.test(sup)) {
      const r = await this.request('QStartNoAckMode');
      if (r === 'OK') this.noAck = true;
    }
  }

  private fail(e: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = e;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(e);
  }

  private onData(d: string): void {
    this.rx += d;
    let i = 0;
    const s = this.rx;
    while (i < s.length) {
      const c = s[i];
      if (c === '+') {
        i++;
        continue;
      }
      if (c === '-') {
        // A NAK: we never resend (checksums are computed correctly); treat as a protocol error.
        i++;
        this.fail(new GdbError('gdb stub NAKed a packet'));
        continue;
      }
      if (c === '$' || c === '%') {
        const hash = s.indexOf('#', i + 1);
        if (hash < 0 || hash + 2 >= s.length) break; // incomplete
        const body = s.substring(i + 1, hash);
        i = hash + 3;
        // Acks are deferred to our next write: QEMU's stub stops a running VM on any byte it
        // receives, so an ack for a reply that arrives after a pipelined resume would interrupt
        // the step (stop reply T02 with nothing executed). QEMU (7.2 has no QStartNoAckMode)
        // does not wait for acks; a deferred ack still reaches it before our next request.
        if (!this.noAck) this.pendingAcks++;
        if (c === '%') continue; // notification: not used by QEMU
        this.deliver(unescapeBody(body));
        continue;
      }
      i++; // stray byte
    }
    this.rx = s.substring(i);
  }

  private deliver(body: string): void {
    const w = this.waiters.shift();
    if (w) w.resolve(body);
    else this.asyncStops.push(body);
  }

  private frame(body: string): string {
    const b = escapeBody(body);
    return '$' + b + '#' + checksum(b);
  }

  private write(data: string): void {
    if (this.pendingAcks) {
      data = '+'.repeat(this.pendingAcks) + data;
      this.pendingAcks = 0;
    }
    this.sock.write(data);
  }

  /** Send one packet and wait for its reply. */
  request(body: string): Promise<string> {
    if (this.closed) return Promise.reject(this.closeError ?? new GdbError('closed'));
    this.packetsSent++;
    return new Promise<string>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.write(this.frame(body));
    });
  }

  /** Writes several packets at once; one promise per reply, in order. */
  private sendAll(bodies: string[]): Promise<string>[] {
    this.packetsSent += bodies.length;
    const ps: Promise<string>[] = [];
    let out = '';
    for (const b of bodies) {
      ps.push(new Promise<string>((resolve, reject) => this.waiters.push({ resolve, reject })));
      out += this.frame(b);
    }
    this.write(out);
    return ps;
  }

  /** Send several packets in one write and wait for all replies (in order). */
  pipeline(bodies: string[]): Promise<string[]> {
    if (this.closed) return Promise.reject(this.closeError ?? new GdbError('closed'));
    return Promise.all(this.sendAll(bodies));
  }

  /**
   * Like `pipeline`, but never rejects: each reply is its string, or the Error that ended the
   * connection before it arrived (QEMU exits in the middle of a step when the guest powers off).
   */
  async pipelineSettled(bodies: string[]): Promise<(string | Error)[]> {
    if (this.closed) return bodies.map(() => this.closeError ?? new GdbError('closed'));
    const ps = this.sendAll(bodies);
    const rs = await Promise.allSettled(ps);
    return rs.map((r) => (r.status === 'fulfilled' ? r.value : r.reason instanceof Error ? r.reason : new GdbError(String(r.reason))));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send a packet that has no reply (e.g. `k`). */
  sendNoReply(body: string): void {
    if (this.closed) return;
    this.packetsSent++;
    this.write(this.frame(body));
  }

  close(): void {
    this.closed = true;
    this.sock.destroy();
  }

  // ---- target description -------------------------------------------------------------

  async readXfer(object: string, annex: string): Promise<string> {
    let data = '';
    for (;;) {
      const r = await this.request(`qXfer:${object}:read:${annex}:${data.length.toString(16)},ffb`);
      if (r.length === 0 || (r[0] !== 'm' && r[0] !== 'l')) throw new GdbError(`qXfer ${annex}: ${r}`);
      data += r.substring(1);
      if (r[0] === 'l') return data;
    }
  }

  /** Read target.xml and the files it includes, and number the registers as GDB does. */
  async loadTargetDescription(): Promise<RegInfo[]> {
    const top = await this.readXfer('features', 'target.xml');
    const regs: RegInfo[] = [];
    let next = 0;
    const parseFeature = (xml: string) => {
      const feat = /<feature\s+name="([^"]+)"/.exec(xml)?.[1] ?? '';
      const re = /<reg\s([^>]*?)\/?>/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(xml))) {
        const attrs: Record<string, string> = {};
        const ar = /(\w+)="([^"]*)"/g;
        let a: RegExpExecArray | null;
        while ((a = ar.exec(m[1]))) attrs[a[1]] = a[2];
        const regnum = attrs.regnum !== undefined ? Number(attrs.regnum) : next;
        next = regnum + 1;
        regs.push({ name: attrs.name, regnum, bitsize: Number(attrs.bitsize ?? 64), feature: feat, type: attrs.type });
      }
    };
    const incs = [...top.matchAll(/<xi:include\s+href="([^"]+)"/g)].map((m) => m[1]);
    parseFeature(top);
    for (const f of incs) parseFeature(await this.readXfer('features', f));
    this.regs = regs;
    this.byName = new Map(regs.map((r) => [r.name, r]));
    return regs;
  }

  reg(name: string): RegInfo | undefined {
    return this.byName.get(name);
  }

  // ---- registers ------------------------------------------------------------------------

  /** `g`: the general registers (for RISC-V QEMU: x0..x31 and pc). */
  async readGeneral(): Promise<bigint[]> {
    return GdbClient.parseG(await this.request('g'));
  }

  static parseG(r: string, width = 8): bigint[] {
    if (r.length === 0 || r[0] === 'E') throw new GdbError(`g: ${r}`);
    const n = width * 2;
    const out: bigint[] = [];
    for (let i = 0; i + n <= r.length; i += n) out.push(leHexToBigInt(r.substr(i, n)));
    return out;
  }

  /** `p`: one register; undefined if the stub refuses it. */
  async readRegister(regnum: number): Promise<bigint | undefined> {
    return GdbClient.parseP(await this.request('p' + regnum.toString(16)));
  }

  static parseP(r: string): bigint | undefined {
    if (r.length === 0 || (r[0] === 'E' && r.length === 3) || r.startsWith('x')) return undefined;
    return leHexToBigInt(r);
  }

  /** Several registers with one pipelined batch. */
  async readRegisters(regnums: number[]): Promise<(bigint | undefined)[]> {
    const rs = await this.pipeline(regnums.map((n) => 'p' + n.toString(16)));
    return rs.map(GdbClient.parseP);
  }

  async writeRegister(regnum: number, value: bigint, bytes = 8): Promise<void> {
    const r = await this.request(`P${regnum.toString(16)}=${bigIntToLeHex(value, bytes)}`);
    if (r !== 'OK') throw new GdbError(`P${regnum}: ${r}`);
  }

  // ---- memory ---------------------------------------------------------------------------

  async readMemory(addr: bigint, len: number): Promise<Uint8Array> {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const n = Math.min(0x800, len - done);
      const r = await this.request(`m${(addr + BigInt(done)).toString(16)},${n.toString(16)}`);
      if (r[0] === 'E') throw new GdbError(`m: ${r}`);
      for (let i = 0; i < r.length / 2; i++) out[done + i] = parseInt(r.substr(i * 2, 2), 16);
      done += n;
    }
    return out;
  }

  async writeMemory(addr: bigint, data: Uint8Array): Promise<void> {
    for (let done = 0; done < data.length; ) {
      const n = Math.min(0x400, data.length - done);
      let hex = '';
      for (let i = 0; i < n; i++) hex += data[done + i].toString(16).padStart(2, '0');
      const r = await this.request(`M${(addr + BigInt(done)).toString(16)},${n.toString(16)}:${hex}`);
      if (r !== 'OK') throw new GdbError(`M: ${r}`);
      done += n;
    }
  }

  // ---- execution ------------------------------------------------------------------------

  /** Single-step one instruction; resolves with the stop reply. */
  step(): Promise<string> {
    return this.request('s');
  }

  /** Continue; resolves with the stop reply (when a breakpoint hits or the target stops). */
  cont(): Promise<string> {
    return this.request('c');
  }

  /** Interrupt a running target (^C); the pending `cont()` resolves with the stop reply. */
  interrupt(): void {
    this.sock.write('\x03');
  }

  async setBreakpoint(addr: bigint, kind = 4, hw = false): Promise<void> {
    const r = await this.request(`Z${hw ? 1 : 0},${addr.toString(16)},${kind}`);
    if (r !== 'OK') throw new GdbError(`Z: ${r}`);
  }

  async removeBreakpoint(addr: bigint, kind = 4, hw = false): Promise<void> {
    const r = await this.request(`z${hw ? 1 : 0},${addr.toString(16)},${kind}`);
    if (r !== 'OK') throw new GdbError(`z: ${r}`);
  }

  /** QEMU: set single-step flags (1 = step with interrupts and timers enabled). */
  async setQemuSstep(flags: number): Promise<boolean> {
    const r = await this.request(`Qqemu.sstep=${flags.toString(16)}`);
    return r === 'OK';
  }

  /** Send `k`; QEMU exits. */
  kill(): void {
    this.sendNoReply('k');
  }
}

// Links a virtual switch to another process over a TCP socket, framed as QEMU's `-netdev socket`
// stream is (a 4-byte big-endian length, then the Ethernet frame), so two rvisor processes — or
// rvisor and QEMU — can share one Ethernet segment over loopback.

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { SwitchPort, VirtualSwitch } from './switch.ts';

const MAX_FRAME = 65_535;

/** Plugs one connected socket into the switch as a port. */
function plugSocket(sw: VirtualSwitch, sock: Socket, name: string, onClose: () => void): void {
  const port: SwitchPort = {
    name,
    deliver(frame) {
      const hdr = Buffer.alloc(4);
      hdr.writeUInt32BE(frame.length, 0);
      sock.write(hdr);
      sock.write(frame);
    },
  };
  const send = sw.attach(port);
  let pending: Buffer = Buffer.alloc(0);
  sock.setNoDelay(true);
  sock.on('data', (d: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, d]) : d;
    while (pending.length >= 4) {
      const len = pending.readUInt32BE(0);
      if (len > MAX_FRAME) {
        // Not a frame stream: drop the peer rather than buffer without bound.
        sock.destroy(new Error(`frame of ${len} bytes from ${name}`));
        return;
      }
      if (pending.length < 4 + len) break;
      send(new Uint8Array(pending.subarray(4, 4 + len)));
      pending = pending.subarray(4 + len);
    }
  });
  sock.on('close', () => { sw.detach(port); onClose(); });
  sock.on('error', () => { /* close follows */ });
}

export interface SocketLink {
  /** Where it listens (with port 0 asked, the port chosen). */
  address(): { host: string; port: number } | undefined;
  close(): void;
}

/** Accepts links from other processes on host:port; each connection becomes a port of `sw`. */
export function listenLink(sw: VirtualSwitch, host: string, port: number, log?: (s: string) => void): Promise<SocketLink> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    const peer = `${sock.remoteAddress}:${sock.remotePort}`;
    log?.(`switch ${sw.name}: link from ${peer}`);
    plugSocket(sw, sock, `link ${peer}`, () => sockets.delete(sock));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`switch ${sw.name}: cannot listen on ${host}:${port}: ${e.message}`)));
    server.listen(port, host, () => {
      resolve({
        address: () => {
          const a = server.address();
          return a && typeof a === 'object' ? { host: a.address, port: a.port } : undefined;
        },
        close: () => { server.close(); for (const s of sockets) s.destroy(); },
      });
    });
  });
}

/**
 * Links `sw` to a listening process at host:port, retrying while it is not up yet (for up to
 * `patienceMs`), and reconnecting if the link drops.
 */
export function connectLink(sw: VirtualSwitch, host: string, port: number, log?: (s: string) => void, patienceMs = 30_000): SocketLink {
  let closed = false;
  let current: Socket | undefined;
  let deadline = Date.now() + patienceMs;
  const attempt = (): void => {
    if (closed) return;
    const sock = connect(port, host);
    current = sock;
    let up = false;
    sock.once('connect', () => {
      up = true;
      log?.(`switch ${sw.name}: linked to ${host}:${port}`);
      plugSocket(sw, sock, `link ${host}:${port}`, () => {
        if (closed) return;
        deadline = Date.now() + patienceMs;
        setTimeout(attempt, 200);
      });
    });
    sock.once('error', (e) => {
      if (up || closed) return;
      if (Date.now() < deadline) setTimeout(attempt, 200);
      else log?.(`switch ${sw.name}: cannot link to ${host}:${port}: ${e.message}`);
    });
  };
  attempt();
  return { address: () => undefined, close: () => { closed = true; current?.destroy(); } };
}

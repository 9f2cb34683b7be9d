// Plugging a machine's NICs into switches, and switches into other processes over loopback (QEMU's
// -netdev socket framing): shared by `rvisor run` (-netdev socket) and the debug adapter's launch.

import type { Machine } from '../engine/machine.ts';
import { VirtualSwitch } from '../engine/net/switch.ts';
import { connectLink, listenLink, type SocketLink } from '../engine/net/socket-link.ts';
import type { NetdevConfig } from './args.ts';

/**
 * One switch per netdev id, each NIC of `m` on its netdev's switch; a switch with a link listens or
 * connects. `wake` is called when a frame arrives for the guest (it may be idle). Returns a function
 * that closes the links.
 */
export function plugNics(m: Machine, netdevs: Map<string, NetdevConfig | undefined>, wake: () => void, log: (s: string) => void): () => void {
  const links: Array<SocketLink | Promise<SocketLink>> = [];
  for (const [id, nd] of netdevs) {
    const sw = new VirtualSwitch(id);
    for (const nic of m.nics.filter((n) => n.netdev === id)) {
      nic.send = sw.attach({ name: `nic ${nic.device.kind}`, deliver: (f) => { m.deliver(() => nic.device.receive(f)); wake(); } });
    }
    if (nd === undefined) continue;
    if ('listen' in nd) {
      const l = listenLink(sw, nd.listen.host, nd.listen.port, log);
      l.then((x) => log(`netdev ${id}: listening on ${x.address()?.host}:${x.address()?.port}`), (e: Error) => log(e.message));
      links.push(l);
    } else {
      links.push(connectLink(sw, nd.connect.host, nd.connect.port, log));
    }
  }
  return () => {
    for (const l of links) void Promise.resolve(l).then((x) => x.close(), () => undefined);
  };
}

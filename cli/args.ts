// Parsing QEMU-style command lines for `rvisor run`: the flags rvisor implements, named errors for the rest.

import type { DeviceConfig, MachineConfig } from '../engine/machine.ts';
import type { EventKind } from '../engine/events.ts';
import { RISCV_ISA, VIRT } from '../engine/board/virt.ts';

export interface RunOptions {
  config: MachineConfig;
  nographic: boolean;
  /** QEMU's -incoming tcp:HOST:PORT: wait for a migrated machine instead of booting one. */
  incoming?: { host: string; port: number };
  /** --migrate-to HOST:PORT at step --migrate-at N: send the machine there and exit. */
  migrate?: { host: string; port: number; atStep: number };
  /** rvisor snapshot: -o FILE at step --at N. */
  snapshot?: { file: string; atStep: number };
  /** -netdev socket backends by id (each becomes a switch linked over TCP). */
  netdevs: Map<string, NetdevConfig>;
  /** --dap-port N: a debug adapter on 127.0.0.1:N that a DAP client attaches to (the running guest). */
  dapPort?: number;
  /** --trace FILE [--trace-events k1,k2…]: the event stream to a file (docs/trace-format.md). */
  trace?: { file: string; kinds?: EventKind[] };
}

const TRACE_KINDS: readonly EventKind[] = ['hypercall', 'trap', 'device', 'output', 'poweroff', 'reset', 'fatal'];

/** "HOST:PORT" (host optional: loopback). */
export function parseHostPort(s: string, what: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d+)$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`${what}: expected HOST:PORT, got '${s}'`);
  return { host: m[1] || '127.0.0.1', port };
}

function parseStep(s: string, what: string): number {
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new UsageError(`${what}: expected a step count, got '${s}'`);
  return Number(s);
}

export class UsageError extends Error {}

/** A -netdev socket: listen for, or connect to, another rvisor (or QEMU) over TCP. */
export type NetdevConfig = { listen: { host: string; port: number } } | { connect: { host: string; port: number } };

const MiB = 1024 * 1024;

/** Parses a QEMU memory size: "128M", "1G", "256" (MiB by default, as QEMU). */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)(?:i?B)?$/i.exec(s.trim());
  if (!m) throw new UsageError(`bad memory size '${s}' (examples: 128M, 1G)`);
  const n = parseFloat(m[1]);
  const unit = m[2].toUpperCase();
  const mult = unit === 'K' ? 1024 : unit === 'G' ? 1024 * MiB : unit === 'T' ? 1024 * 1024 * MiB : MiB;
  const bytes = Math.round(n * mult);
  if (bytes < MiB) throw new UsageError(`memory size '${s}' is too small (at least 1M)`);
  if (bytes > 3.75 * 1024 * MiB) throw new UsageError(`memory size '${s}' is too large (at most 3840M)`);
  if (bytes % 4096 !== 0) throw new UsageError(`memory size '${s}' is not a multiple of 4 KiB`);
  return bytes;
}

/** Splits "name,key=value,…" option strings as QEMU does. */
function optionList(s: string): { head: string; opts: Map<string, string> } {
  const parts = s.split(',');
  const opts = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    opts.set(eq < 0 ? p : p.slice(0, eq), eq < 0 ? 'on' : p.slice(eq + 1));
  }
  return { head: parts[0], opts };
}

/** Reads a QEMU on/off value. */
function onOff(v: string, what: string): boolean {
  if (['on', 'true', 'yes'].includes(v)) return true;
  if (['off', 'false', 'no'].includes(v)) return false;
  throw new UsageError(`${what}: expected on or off, got '${v}'`);
}

/** Rejects every option of `opts` not in `known`, naming it. */
function only(opts: Map<string, string>, known: string[], what: string): void {
  for (const k of opts.keys()) if (!known.includes(k)) throw new UsageError(`unsupported ${what} option '${k}' (rvisor implements: ${known.join(', ')})`);
}

interface DriveArg { file: string; mode: 'cow' | 'writable' | 'readonly'; overlay?: string; used: boolean }

/**
 * The virtio devices of -drive/-device/-netdev. QEMU's names and syntax; one difference, on purpose:
 * a drive's image is never written unless `snapshot=off` asks for it (rvisor's default is QEMU's
 * snapshot=on: writes go to an overlay, in memory or in `overlay=FILE`).
 */
class DeviceArgs {
  readonly drives = new Map<string, DriveArg>();
  readonly netdevs = new Map<string, NetdevConfig>();
  private readonly usedNetdevs = new Set<string>();
  readonly devices: DeviceConfig[] = [];

  drive(arg: string): void {
    const { head, opts } = optionList(arg);
    if (head !== '' && !head.includes('=')) throw new UsageError(`-drive: expected key=value options, got '${head}'`);
    if (head !== '') { const eq = head.indexOf('='); opts.set(head.slice(0, eq), head.slice(eq + 1)); }
    only(opts, ['file', 'if', 'format', 'id', 'readonly', 'snapshot', 'overlay', 'media', 'cache'], '-drive');
    const file = opts.get('file');
    if (!file) throw new UsageError('-drive needs file=PATH');
    const format = opts.get('format') ?? 'raw';
    if (format !== 'raw') throw new UsageError(`-drive format '${format}' is not supported (rvisor reads raw images)`);
    const media = opts.get('media') ?? 'disk';
    if (media !== 'disk') throw new UsageError(`-drive media '${media}' is not supported (only disk)`);
    const ro = opts.has('readonly') && onOff(opts.get('readonly')!, '-drive readonly');
    const snapshot = opts.has('snapshot') ? onOff(opts.get('snapshot')!, '-drive snapshot') : true;
    const overlay = opts.get('overlay');
    if (overlay && (!snapshot || ro)) throw new UsageError('-drive overlay=FILE goes with a copy-on-write drive (not with snapshot=off or readonly=on)');
    const d: DriveArg = { file, mode: ro ? 'readonly' : snapshot ? 'cow' : 'writable', overlay, used: false };
    const iface = opts.get('if');
    if (iface === 'virtio') {
      d.used = true;
      this.devices.push(this.blk(d, undefined, undefined));
    } else if (iface === 'none') {
      const id = opts.get('id');
      if (!id) throw new UsageError('-drive if=none needs id=NAME (for -device virtio-blk-device,drive=NAME)');
      if (this.drives.has(id)) throw new UsageError(`-drive id '${id}' given twice`);
      this.drives.set(id, d);
    } else {
      throw new UsageError(`-drive if=${iface ?? '(default ide)'} is not supported on virt (use if=virtio, or if=none with -device virtio-blk-device)`);
    }
  }

  netdev(arg: string): void {
    const { head, opts } = optionList(arg);
    if (head !== 'socket') throw new UsageError(`-netdev ${head} is not supported (rvisor implements: socket, with listen= or connect=)`);
    only(opts, ['id', 'listen', 'connect'], '-netdev socket');
    const id = opts.get('id');
    if (!id) throw new UsageError('-netdev socket needs id=NAME');
    if (this.netdevs.has(id)) throw new UsageError(`-netdev id '${id}' given twice`);
    const listen = opts.get('listen'), connect = opts.get('connect');
    if ((listen === undefined) === (connect === undefined)) throw new UsageError('-netdev socket needs one of listen=[HOST]:PORT or connect=HOST:PORT');
    this.netdevs.set(id, listen !== undefined ? { listen: parseHostPort(listen, '-netdev listen') } : { connect: parseHostPort(connect!, '-netdev connect') });
  }

  device(arg: string): void {
    const { head, opts } = optionList(arg);
    const slot = this.slot(opts.get('bus'));
    switch (head) {
      case 'virtio-blk-device': {
        only(opts, ['drive', 'bus', 'serial'], head);
        const id = opts.get('drive');
        if (!id) throw new UsageError(`${head} needs drive=ID`);
        const d = this.drives.get(id);
        if (!d) throw new UsageError(`${head}: no -drive with id=${id}`);
        if (d.used) throw new UsageError(`${head}: drive ${id} is already used by another device`);
        d.used = true;
        this.devices.push(this.blk(d, slot, opts.get('serial')));
        break;
      }
      case 'virtio-rng-device': {
        // seed= is rvisor's: a deterministic entropy source, for replay.
        only(opts, ['bus', 'seed', 'rng'], head);
        if (opts.has('rng')) throw new UsageError(`${head} rng=: rvisor's entropy comes from the host or from seed=N`);
        const seed = opts.get('seed');
        if (seed !== undefined && !/^(0x[0-9a-f]+|\d+)$/i.test(seed)) throw new UsageError(`${head} seed '${seed}' is not a number`);
        this.devices.push({ type: 'virtio-rng', slot, seed: seed === undefined ? undefined : Number(seed) });
        break;
      }
      case 'virtio-net-device': {
        only(opts, ['netdev', 'mac', 'bus'], head);
        const id = opts.get('netdev');
        if (!id) throw new UsageError(`${head} needs netdev=ID`);
        if (!this.netdevs.has(id)) throw new UsageError(`${head}: no -netdev with id=${id} (give -netdev before -device)`);
        if (this.usedNetdevs.has(id)) throw new UsageError(`${head}: netdev ${id} is already used by another device`);
        this.usedNetdevs.add(id);
        const mac = opts.get('mac');
        if (mac !== undefined && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac)) throw new UsageError(`${head}: bad mac '${mac}'`);
        this.devices.push({ type: 'virtio-net', netdev: id, mac, slot });
        break;
      }
      case 'virtio-serial-device':
        // One console port on the serial terminal (Linux: hvc0).
        only(opts, ['bus'], head);
        this.devices.push({ type: 'virtio-console', slot });
        break;
      default:
        throw new UsageError(`unsupported device '${head}' (rvisor implements: virtio-blk-device, virtio-net-device, virtio-rng-device, virtio-serial-device)`);
    }
  }

  private blk(d: DriveArg, slot: number | undefined, serial: string | undefined): DeviceConfig {
    return { type: 'virtio-blk', file: d.file, mode: d.mode, overlay: d.overlay, serial, slot };
  }

  private slot(bus: string | undefined): number | undefined {
    if (bus === undefined) return undefined;
    const m = /^virtio-mmio-bus\.(\d+)$/.exec(bus);
    if (!m || Number(m[1]) >= VIRT.VIRTIO_COUNT) throw new UsageError(`bus '${bus}' does not exist (virtio-mmio-bus.0 … virtio-mmio-bus.${VIRT.VIRTIO_COUNT - 1})`);
    return Number(m[1]);
  }

  finish(config: MachineConfig): void {
    for (const [id, d] of this.drives) if (!d.used) throw new UsageError(`-drive id=${id} is not used by any -device (add -device virtio-blk-device,drive=${id})`);
    for (const id of this.netdevs.keys()) if (!this.usedNetdevs.has(id)) throw new UsageError(`-netdev id=${id} is not used by any -device (add -device virtio-net-device,netdev=${id})`);
    if (this.devices.length > 0) config.devices = this.devices;
  }
}

export function parseRunArgs(argv: string[], mode: 'run' | 'snapshot' = 'run'): RunOptions {
  const config: MachineConfig = {};
  const devices = new DeviceArgs();
  let nographic = false;
  let incoming: RunOptions['incoming'];
  let migrateTo: { host: string; port: number } | undefined;
  let migrateAt: number | undefined;
  let dapPort: number | undefined;
  let snapshotFile: string | undefined;
  let snapshotAt: number | undefined;
  let trace: RunOptions['trace'];
  let traceKinds: EventKind[] | undefined;
  const need = (i: number, flag: string): string => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs an argument`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    // QEMU accepts both -flag and --flag.
    const flag = raw.startsWith('--') ? raw.slice(1) : raw;
    switch (flag) {
      case '-machine': case '-M': {
        const { head, opts } = optionList(need(i, flag)); i++;
        if (head !== 'virt' && head !== 'spike') throw new UsageError(`unsupported machine '${head}' (rvisor implements: virt, spike)`);
        for (const k of opts.keys()) throw new UsageError(`unsupported -machine option '${k}'`);
        config.machine = head;
        break;
      }
      case '-bios': config.bios = need(i, flag); i++; break;
      case '-kernel': config.kernel = need(i, flag); i++; break;
      case '-initrd': config.initrd = need(i, flag); i++; break;
      case '-append': config.append = need(i, flag); i++; break;
      case '-m': {
        const { head, opts } = optionList(need(i, flag)); i++;
        const size = head.startsWith('size=') ? head.slice(5) : opts.get('size') ?? head;
        config.ramSize = parseSize(size);
        break;
      }
      case '-smp': {
        const { head, opts } = optionList(need(i, flag)); i++;
        const n = Number(head.startsWith('cpus=') ? head.slice(5) : opts.get('cpus') ?? head);
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`bad -smp '${argv[i]}' (1..64 harts)`);
        config.harts = n;
        break;
      }
      case '-cpu': {
        const { head, opts } = optionList(need(i, flag)); i++;
        if (head !== 'rv64' && head !== 'max') throw new UsageError(`unsupported cpu '${head}' (rvisor implements: rv64)`);
        if (opts.size > 0) throw new UsageError(`unsupported -cpu properties: ${[...opts.keys()].join(', ')} (rvisor's hart is fixed: ${RISCV_ISA})`);
        break;
      }
      case '-nographic': nographic = true; break;
      case '-display': {
        const v = need(i, flag); i++;
        if (v !== 'none') throw new UsageError(`unsupported -display '${v}' (only none)`);
        break;
      }
      case '-serial': {
        const v = need(i, flag); i++;
        if (v !== 'stdio' && v !== 'mon:stdio') throw new UsageError(`unsupported -serial '${v}' (only stdio)`);
        break;
      }
      case '-monitor': {
        const v = need(i, flag); i++;
        if (v !== 'none') throw new UsageError(`unsupported -monitor '${v}' (rvisor has no monitor; use none)`);
        break;
      }
      case '-drive': devices.drive(need(i, flag)); i++; break;
      case '-device': devices.device(need(i, flag)); i++; break;
      case '-netdev': devices.netdev(need(i, flag)); i++; break;
      case '-global': {
        const v = need(i, flag); i++;
        const m = /^virtio-mmio\.force-legacy=(.*)$/.exec(v);
        if (!m) throw new UsageError(`unsupported -global '${v}' (rvisor implements: virtio-mmio.force-legacy=on|off)`);
        config.virtioLegacy = onOff(m[1], '-global virtio-mmio.force-legacy');
        break;
      }
      case '-no-reboot': config.noReboot = true; break;
      case '-icount': {
        const { head, opts } = optionList(need(i, flag)); i++;
        if (head !== '') { const eq = head.indexOf('='); opts.set(eq < 0 ? 'shift' : head.slice(0, eq), eq < 0 ? head : head.slice(eq + 1)); }
        only(opts, ['shift', 'sleep', 'align'], '-icount');
        const shift = opts.get('shift') ?? '2';
        if (shift !== '2') throw new UsageError(`-icount shift=${shift}: rvisor's clock is fixed at shift=2 (4 ns per instruction)`);
        if (opts.has('align') && onOff(opts.get('align')!, '-icount align')) throw new UsageError('-icount align=on is not supported');
        if (opts.has('sleep')) config.idle = onOff(opts.get('sleep')!, '-icount sleep') ? 'realtime' : 'fast-forward';
        break;
      }
      case '-rtc': {
        // QEMU's -rtc base=utc|DATETIME[,clock=vm]: where the RTC starts (utc: the host's time now).
        const { head, opts } = optionList(need(i, flag)); i++;
        if (head !== '' && !head.includes('=')) throw new UsageError(`-rtc: expected key=value options, got '${head}'`);
        if (head !== '') { const eq = head.indexOf('='); opts.set(head.slice(0, eq), head.slice(eq + 1)); }
        only(opts, ['base', 'clock'], '-rtc');
        const clock = opts.get('clock') ?? 'vm';
        if (clock !== 'vm') throw new UsageError(`-rtc clock=${clock}: rvisor's RTC always follows the guest's virtual clock (clock=vm)`);
        const base = opts.get('base') ?? 'utc';
        if (base !== 'utc') {
          const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(base) ? base : `${base}Z`);
          if (!/^\d{4}-\d{2}-\d{2}/.test(base) || Number.isNaN(ms)) throw new UsageError(`-rtc base='${base}': expected utc or a date like 2024-01-01T00:00:00`);
          config.rtcEpochNs = BigInt(ms) * 1_000_000n;
        }
        break;
      }
      case '-trace': {
        const v = need(i, flag); i++;
        // QEMU's own -trace takes event patterns (enable=…, events=…); rvisor's takes a file name.
        if (/^(enable|events|file)=/.test(v)) throw new UsageError(`-trace ${v}: QEMU's trace events are not supported; rvisor's --trace FILE writes its event stream`);
        trace = { file: v };
        break;
      }
      case '-trace-events': {
        const v = need(i, flag); i++;
        traceKinds = v.split(',').map((k) => {
          if (!TRACE_KINDS.includes(k as EventKind)) throw new UsageError(`--trace-events: unknown kind '${k}' (kinds: ${TRACE_KINDS.join(', ')})`);
          return k as EventKind;
        });
        break;
      }
      case '-incoming': {
        const v = need(i, flag); i++;
        if (!v.startsWith('tcp:')) throw new UsageError(`-incoming '${v}': rvisor receives migrations over tcp:HOST:PORT`);
        incoming = parseHostPort(v.slice(4), '-incoming');
        break;
      }
      case '-dap-port': {
        const v = need(i, flag); i++;
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`--dap-port '${v}': give a TCP port number`);
        dapPort = Number(v);
        break;
      }
      case '-migrate-to': migrateTo = parseHostPort(need(i, flag), raw); i++; break;
      case '-migrate-at': migrateAt = parseStep(need(i, flag), raw); i++; break;
      case '-o': case '-output':
        if (mode !== 'snapshot') throw new UsageError(`${raw} belongs to rvisor snapshot`);
        snapshotFile = need(i, flag); i++;
        break;
      case '-at':
        if (mode !== 'snapshot') throw new UsageError(`${raw} belongs to rvisor snapshot`);
        snapshotAt = parseStep(need(i, flag), raw); i++;
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unsupported option '${raw}'`);
        throw new UsageError(`unexpected argument '${raw}'`);
    }
  }
  devices.finish(config);
  if ((migrateTo === undefined) !== (migrateAt === undefined)) throw new UsageError('--migrate-to HOST:PORT and --migrate-at STEPS go together');
  const migrate = migrateTo && migrateAt !== undefined ? { ...migrateTo, atStep: migrateAt } : undefined;
  let snapshot: RunOptions['snapshot'];
  if (mode === 'snapshot') {
    if (snapshotFile === undefined || snapshotAt === undefined) throw new UsageError('rvisor snapshot needs -o FILE and --at STEPS');
    snapshot = { file: snapshotFile, atStep: snapshotAt };
  }
  // A migration target gets its machine (and configuration) from the source.
  if (!incoming && config.kernel === undefined && (config.bios === undefined || config.bios === 'none')) {
    throw new UsageError('nothing to run: give -kernel FILE (and optionally -bios FILE|none)');
  }
  if (traceKinds && !trace) throw new UsageError('--trace-events needs --trace FILE');
  if (trace && traceKinds) trace.kinds = traceKinds;
  if (dapPort !== undefined && (mode !== 'run' || incoming)) throw new UsageError('--dap-port goes with rvisor run');
  return { config, nographic, incoming, migrate, snapshot, trace, netdevs: devices.netdevs, dapPort };
}

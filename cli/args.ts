// Parsing QEMU-style command lines for `rvisor run`: the flags rvisor implements, named errors for the rest.

import type { MachineConfig } from '../engine/machine.ts';

export interface RunOptions {
  config: MachineConfig;
  nographic: boolean;
  /** -icount is accepted for compatibility: rvisor's time is always instruction-counted. */
}

export class UsageError extends Error {}

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

export function parseRunArgs(argv: string[]): RunOptions {
  const config: MachineConfig = {};
  let nographic = false;
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
        if (opts.size > 0) throw new UsageError(`unsupported -cpu properties: ${[...opts.keys()].join(', ')} (rvisor's hart is fixed: ${'rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbs_sstc'})`);
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
      case '-no-reboot': break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unsupported option '${raw}'`);
        throw new UsageError(`unexpected argument '${raw}'`);
    }
  }
  if (config.kernel === undefined && (config.bios === undefined || config.bios === 'none')) {
    throw new UsageError('nothing to run: give -kernel FILE (and optionally -bios FILE|none)');
  }
  return { config, nographic };
}

// Guest configuration files for `rvisor run --config FILE`: validated against the shipped JSON Schema
// (schemas/rvisor-config.schema.json), then turned into one MachineConfig per guest.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import schema from '../schemas/rvisor-config.schema.json';
import type { DeviceConfig, MachineConfig } from '../engine/machine.ts';
import { parseSize, UsageError } from './args.ts';

export interface SwitchConfig { listen?: string; connect?: string }

export interface GuestSpec {
  name: string;
  /** The machine; its virtio-net devices name the switch they plug into (netdev). */
  machine: MachineConfig;
  maxSteps?: number;
  trace?: string;
}

export interface GuestsConfig {
  guests: GuestSpec[];
  switches: Record<string, SwitchConfig>;
}

interface RawDisk { file: string; mode?: 'cow' | 'writable' | 'readonly'; overlay?: string; serial?: string; slot?: number }
interface RawNic { switch: string; mac?: string; slot?: number }
interface RawGuest {
  name: string; kernel?: string; bios?: string; initrd?: string; append?: string; memory?: string; harts?: number;
  disks?: RawDisk[]; nics?: RawNic[]; rng?: { seed?: number; slot?: number }; console?: { slot?: number }; virtioLegacy?: boolean; noReboot?: boolean;
  maxSteps?: number; trace?: string;
}
interface RawConfig { switches?: Record<string, SwitchConfig>; guests: RawGuest[] }

/** The schema's validator, compiled on first use (not at every CLI start). */
let validator: ValidateFunction<RawConfig> | undefined;
function validate(v: unknown): v is RawConfig {
  validator ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile<RawConfig>(schema);
  return validator(v);
}

const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');

/** Reads and checks a configuration file; every problem is a UsageError naming where it is. */
export function loadGuestsConfig(file: string): GuestsConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config '${file}' is not valid JSON: ${(e as Error).message}`);
  }
  return checkGuestsConfig(raw, dirname(resolve(file)), file);
}

/** Validates parsed JSON (paths resolved against `baseDir`). */
export function checkGuestsConfig(raw: unknown, baseDir: string, what = 'config'): GuestsConfig {
  if (!validate(raw)) {
    const errs = (validator?.errors ?? []).map((e) => {
      const where = e.instancePath || '/';
      const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
        : e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
      return `${where}: ${e.message}${extra}`;
    });
    throw new UsageError(`${what} does not match the schema:\n  ${[...new Set(errs)].join('\n  ')}`);
  }
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const mustExist = (p: string, where: string): string => {
    const full = path(p);
    if (!existsSync(full)) throw new UsageError(`${what}: ${where}: no such file '${full}'`);
    return full;
  };
  const switches = raw.switches ?? {};
  const names = new Set<string>();
  const guests = raw.guests.map((g, i): GuestSpec => {
    const at = `guests[${i}] (${g.name})`;
    if (names.has(g.name)) throw new UsageError(`${what}: two guests are named '${g.name}'`);
    names.add(g.name);
    const devices: DeviceConfig[] = [];
    for (const [j, d] of (g.disks ?? []).entries()) {
      if (d.overlay && d.mode && d.mode !== 'cow') throw new UsageError(`${what}: ${at}.disks[${j}]: overlay goes with mode cow`);
      devices.push({ type: 'virtio-blk', file: mustExist(d.file, `${at}.disks[${j}]`), mode: d.mode ?? 'cow', overlay: d.overlay && path(d.overlay), serial: d.serial, slot: d.slot });
    }
    for (const [j, n] of (g.nics ?? []).entries()) {
      if (!(n.switch in switches)) throw new UsageError(`${what}: ${at}.nics[${j}]: no switch named '${n.switch}' in "switches"`);
      // Without a MAC each NIC gets its own (QEMU gives every NIC 52:54:00:12:34:56; here guests share switches).
      const mac = n.mac ?? `52:54:00:ab:${hex2(i)}:${hex2(j)}`;
      devices.push({ type: 'virtio-net', netdev: n.switch, mac, slot: n.slot });
    }
    if (g.rng) devices.push({ type: 'virtio-rng', seed: g.rng.seed, slot: g.rng.slot });
    if (g.console) devices.push({ type: 'virtio-console', slot: g.console.slot });
    let ramSize: number | undefined;
    try {
      ramSize = g.memory === undefined ? undefined : parseSize(g.memory);
    } catch (e) {
      throw new UsageError(`${what}: ${at}.memory: ${(e as Error).message}`);
    }
    const machine: MachineConfig = {
      kernel: g.kernel && mustExist(g.kernel, `${at}.kernel`),
      bios: g.bios === undefined || g.bios === 'none' ? g.bios : mustExist(g.bios, `${at}.bios`),
      initrd: g.initrd && mustExist(g.initrd, `${at}.initrd`),
      append: g.append,
      ramSize,
      harts: g.harts,
      devices: devices.length ? devices : undefined,
      virtioLegacy: g.virtioLegacy,
      noReboot: g.noReboot,
    };
    return { name: g.name, machine, maxSteps: g.maxSteps, trace: g.trace && path(g.trace) };
  });
  return { guests, switches };
}

// OpenSBI (fw_jump) + U-Boot (S-mode) in lockstep: shared by boot.diff.test.ts (100,000 steps)
// and lockstep.long.ts (1,000,000 steps, `npm run test:lockstep`).
import { existsSync } from 'node:fs';
import { qemuUnavailableReason } from './qemu.ts';
import { formatResult, runLockstep, type LockstepResult } from './lockstep.ts';

export const OPENSBI = process.env.RVISOR_OPENSBI ?? '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
export const UBOOT = process.env.RVISOR_UBOOT ?? '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';

/** Why the boot lockstep cannot run here (null if it can). */
export function bootUnavailableReason(): string | null {
  const q = qemuUnavailableReason();
  if (q) return q;
  if (!existsSync(OPENSBI)) return `OpenSBI not found at ${OPENSBI} (apt-get install opensbi)`;
  if (!existsSync(UBOOT)) return `U-Boot not found at ${UBOOT} (apt-get install u-boot-qemu)`;
  return null;
}

export async function bootLockstep(steps: number, log?: (s: string) => void): Promise<LockstepResult> {
  const r = await runLockstep({
    bios: OPENSBI,
    kernel: UBOOT,
    maxSteps: steps,
    compareTime: true,
    progressEvery: 50_000,
    onProgress: (n, ms) => log?.(`${n} steps, ${Math.round(n / (ms / 1000))} steps/s`),
  });
  log?.(formatResult(r));
  return r;
}

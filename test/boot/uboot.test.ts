// Debian's OpenSBI (fw_jump, M-mode) and U-Boot (S-mode) boot on the virt board to the `=>` prompt,
// and U-Boot answers `version` and `help` typed into the UART.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, missing, OPENSBI_FW_JUMP, UBOOT_SMODE } from '../helpers/cli.ts';

test('OpenSBI + U-Boot boot to the prompt and answer version and help', { skip: missing(OPENSBI_FW_JUMP, UBOOT_SMODE) }, async () => {
  const r = runCli(['-machine', 'virt', '-bios', OPENSBI_FW_JUMP, '-kernel', UBOOT_SMODE, '-nographic']);
  try {
    await r.waitFor('OpenSBI v1.1', 20_000);
    await r.waitFor('Boot HART PMP Count       : 16', 20_000);
    await r.waitFor('U-Boot 2023.01', 30_000);
    const hit = await r.waitFor('Hit any key to stop autoboot', 30_000);
    r.send(' ');
    let at = await r.waitFor('=> ', 30_000, hit);
    r.send('version\n');
    at = await r.waitFor(/U-Boot 2023\.01[^\n]*\r?\n[\s\S]*gcc[\s\S]*=> /, 30_000, at + 3);
    r.send('help\n');
    const helpAt = await r.waitFor(/printenv\s+- print environment variables[\s\S]*=> /, 30_000, at + 3);
    const out = r.output();
    assert.match(out, /Platform Console Device\s+: uart8250/);
    assert.match(out, /Boot HART ISA Extensions\s+: time,sstc/);
    assert.match(out, /CPU:\s+rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbs_sstc/);
    assert.match(out.slice(helpAt - 2000), /version\s+- print monitor, compiler and linker version/);
  } finally {
    r.proc.kill();
    await r.exit;
  }
});

// What the SBI calls a kernel makes mean (SBI specification: BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN and
// the legacy extensions), for trace hovers: each argument's meaning and a reading of its value, the
// returned value, the error code's name. Extension and function IDs and names and the error codes come
// from engine/sbi/ids.ts.

import {
  HSM_STARTED, HSM_START_PENDING, HSM_STOPPED, HSM_STOP_PENDING, HSM_SUSPENDED, SBI_ERROR_NAMES, SBI_EXT,
  SBI_EXT_NAMES, SBI_FN_NAMES, SBI_IMPL_ID, SRST_COLD_REBOOT, SRST_REASON_FAILURE, SRST_SHUTDOWN, SRST_WARM_REBOOT,
} from '../../engine/sbi/ids.ts';

const MASK64 = (1n << 64n) - 1n;
const hex = (v: bigint): string => `0x${v.toString(16)}`;

export interface SbiArgDoc {
  name: string;
  meaning: string;
  /** A reading of the value ("harts 0, 2", "Cold reboot"); undefined: the raw value says it all. */
  read?: (v: bigint, args: readonly bigint[], ctx: SbiContext) => string | undefined;
}

export interface SbiContext {
  /** Timebase of the time CSR in Hz (for set_timer values). */
  timebaseHz: number;
  /** Seconds in words ("1.785 ms"). */
  duration: (seconds: number) => string;
}

export interface SbiCallDoc {
  /** C prototype as in the specification. */
  signature: string;
  summary: string;
  args: SbiArgDoc[];
  /** A reading of sbiret.value (undefined: nothing worth saying). */
  value?: (v: bigint, args: readonly bigint[]) => string | undefined;
  /** Legacy calls return one value in a0 (the trace's `error`), not an sbiret. */
  legacy?: boolean;
}

// ---- value readings ----

/** The hart set of (hart_mask, hart_mask_base), as the binary-encoding chapter defines it. */
function hartSet(mask: bigint, base: bigint): string {
  if ((base & MASK64) === MASK64) return 'all harts';
  const ids: string[] = [];
  for (let i = 0n; i < 64n; i++) if ((mask >> i) & 1n) ids.push(String(base + i));
  return ids.length === 0 ? 'no harts' : `hart${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`;
}

/** Extension ID → "TIME" (the registry's four ASCII letters, or our names). */
export function extensionName(eid: bigint | number): string {
  const n = Number(BigInt(eid) & 0xffffffffn);
  const known = SBI_EXT_NAMES.get(n);
  if (known) return known;
  let ascii = '';
  for (let v = n; v > 0; v >>>= 8) ascii = String.fromCharCode(v & 0xff) + ascii;
  return /^[\x20-\x7e]{2,4}$/.test(ascii) ? `"${ascii}"` : `0x${n.toString(16)}`;
}

const timeValue = (v: bigint, _a: readonly bigint[], ctx: SbiContext): string => {
  if (v === MASK64) return 'never (all ones: no timer event)';
  return `${v} ticks = ${ctx.duration(Number(v) / ctx.timebaseHz)} of the ${ctx.timebaseHz / 1e6} MHz timebase`;
};

const charValue = (v: bigint): string => {
  const b = Number(v & 0xffn);
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : b === 10 ? "'\\n'" : b === 13 ? "'\\r'" : `byte 0x${b.toString(16)}`;
};

/** SBI implementation IDs (BASE extension's registry), and rvisor's own unregistered one. */
const IMPL_IDS: ReadonlyMap<number, string> = new Map([
  [0, 'Berkeley Boot Loader (BBL)'], [1, 'OpenSBI'], [2, 'Xvisor'], [3, 'KVM'], [4, 'RustSBI'], [5, 'Diosix'], [6, 'Coffer'],
  [7, 'Xen Project'], [8, 'PolarFire Hart Software Services'], [9, 'coreboot'], [10, 'oreboot'], [11, 'bhyve'],
  [SBI_IMPL_ID, 'rvisor (not a registered ID)'],
]);

const HSM_STATES: ReadonlyMap<number, string> = new Map([
  [HSM_STARTED, 'STARTED'], [HSM_STOPPED, 'STOPPED'], [HSM_START_PENDING, 'START_PENDING'], [HSM_STOP_PENDING, 'STOP_PENDING'],
  [HSM_SUSPENDED, 'SUSPENDED'], [5, 'SUSPEND_PENDING'], [6, 'RESUME_PENDING'],
]);

function suspendType(v: bigint): string {
  const t = Number(v & 0xffffffffn);
  if (t === 0) return 'default retentive suspend';
  if (t === 0x80000000) return 'default non-retentive suspend (resumes at resume_addr)';
  if (t >= 0x10000000 && t <= 0x7fffffff) return 'platform-specific retentive suspend';
  if (t >= 0x90000000) return 'platform-specific non-retentive suspend';
  return 'reserved';
}

function resetType(v: bigint): string {
  const t = Number(v & 0xffffffffn);
  if (t === SRST_SHUTDOWN) return 'shutdown';
  if (t === SRST_COLD_REBOOT) return 'cold reboot';
  if (t === SRST_WARM_REBOOT) return 'warm reboot';
  return t >= 0xf0000000 ? 'vendor or platform specific' : 'reserved';
}

function resetReason(v: bigint): string {
  const t = Number(v & 0xffffffffn);
  if (t === 0) return 'no reason';
  if (t === SRST_REASON_FAILURE) return 'system failure';
  if (t >= 0xf0000000) return 'vendor or platform specific';
  return t >= 0xe0000000 ? 'SBI implementation specific' : 'reserved';
}

// ---- the calls ----

const maskArgs: SbiArgDoc[] = [
  { name: 'hart_mask', meaning: 'bit i selects hart hart_mask_base + i', read: (v, a) => hartSet(v, a[1]) },
  { name: 'hart_mask_base', meaning: 'the first hart ID of the mask (-1: every hart, mask ignored)' },
];
const legacyMask: SbiArgDoc = { name: 'hart_mask', meaning: 'address of an unsigned long hart mask in S-mode memory (0: all harts)', read: (v) => (v === 0n ? 'all harts' : undefined) };
const addressRange: SbiArgDoc[] = [
  { name: 'start_addr', meaning: 'first virtual address to flush' },
  { name: 'size', meaning: 'size of the range in bytes (0 or all ones with start 0: the whole address space)' },
];
const dbcnBuffer = (dir: string): SbiArgDoc[] => [
  { name: 'num_bytes', meaning: `number of bytes to ${dir}`, read: (v) => `${v} bytes` },
  { name: 'base_addr_lo', meaning: 'low XLEN bits of the physical address of the buffer', read: (v, a) => `buffer at physical address ${hex(v + (a[2] << 64n))}` },
  { name: 'base_addr_hi', meaning: 'high XLEN bits of the physical address (0 on RV64 below 2^64)' },
];

const CALLS = new Map<string, SbiCallDoc>();
const call = (eid: number, fid: number, doc: SbiCallDoc): void => {
  CALLS.set(`${eid}:${fid}`, doc);
};

const base = SBI_EXT.BASE;
call(base, 0, { signature: 'struct sbiret sbi_get_spec_version(void)', summary: 'The SBI specification version the implementation follows.', args: [],
  value: (v) => `SBI v${(v >> 24n) & 0x7fn}.${v & 0xffffffn}` });
call(base, 1, { signature: 'struct sbiret sbi_get_impl_id(void)', summary: 'Which SBI implementation this is.', args: [],
  value: (v) => IMPL_IDS.get(Number(v)) ?? 'an unregistered implementation' });
call(base, 2, { signature: 'struct sbiret sbi_get_impl_version(void)', summary: "The implementation's own version number (its encoding is the implementation's).", args: [] });
call(base, 3, { signature: 'struct sbiret sbi_probe_extension(long extension_id)', summary: 'Whether an extension is available.',
  args: [{ name: 'extension_id', meaning: 'the extension ID (EID) asked about', read: (v) => extensionName(v) }],
  value: (v) => (v === 0n ? 'not available' : `available${v === 1n ? '' : ` (extension-specific value ${hex(v)})`}`) });
call(base, 4, { signature: 'struct sbiret sbi_get_mvendorid(void)', summary: 'The mvendorid CSR value.', args: [] });
call(base, 5, { signature: 'struct sbiret sbi_get_marchid(void)', summary: 'The marchid CSR value.', args: [] });
call(base, 6, { signature: 'struct sbiret sbi_get_mimpid(void)', summary: 'The mimpid CSR value.', args: [] });

call(SBI_EXT.TIME, 0, { signature: 'struct sbiret sbi_set_timer(uint64_t stime_value)',
  summary: 'Program the next timer event at an absolute time, and clear the pending supervisor timer interrupt.',
  args: [{ name: 'stime_value', meaning: 'absolute time (in time CSR ticks) of the next supervisor timer interrupt', read: timeValue }] });

call(SBI_EXT.IPI, 0, { signature: 'struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)',
  summary: 'Send an inter-processor interrupt (a supervisor software interrupt) to a set of harts.', args: maskArgs });

const rf = SBI_EXT.RFENCE;
call(rf, 0, { signature: 'struct sbiret sbi_remote_fence_i(unsigned long hart_mask, unsigned long hart_mask_base)',
  summary: 'Make the harts execute FENCE.I (their instruction fetches see earlier stores).', args: maskArgs });
call(rf, 1, { signature: 'struct sbiret sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long hart_mask_base, unsigned long start_addr, unsigned long size)',
  summary: 'Make the harts execute SFENCE.VMA over a range of virtual addresses (every ASID).', args: [...maskArgs, ...addressRange] });
call(rf, 2, { signature: 'struct sbiret sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long hart_mask_base, unsigned long start_addr, unsigned long size, unsigned long asid)',
  summary: 'Make the harts execute SFENCE.VMA over a range of virtual addresses, for one ASID.',
  args: [...maskArgs, ...addressRange, { name: 'asid', meaning: 'the address-space ID whose translations go' }] });
call(rf, 3, { signature: 'struct sbiret sbi_remote_hfence_gvma_vmid(unsigned long hart_mask, unsigned long hart_mask_base, unsigned long start_addr, unsigned long size, unsigned long vmid)',
  summary: 'Make the harts execute HFENCE.GVMA over a range of guest physical addresses, for one VMID.',
  args: [...maskArgs, ...addressRange, { name: 'vmid', meaning: 'the virtual machine ID' }] });
call(rf, 4, { signature: 'struct sbiret sbi_remote_hfence_gvma(unsigned long hart_mask, unsigned long hart_mask_base, unsigned long start_addr, unsigned long size)',
  summary: 'Make the harts execute HFENCE.GVMA over a range of guest physical addresses (every VMID).', args: [...maskArgs, ...addressRange] });
call(rf, 5, { signature: 'struct sbiret sbi_remote_hfence_vvma_asid(unsigned long hart_mask, unsigned long hart_mask_base, unsigned long start_addr, unsigned long size, unsigned long asid)',
  summary: 'Make the harts execute HFENCE.VVMA over a range of guest virtual addresses, for one ASID of the current VMID.',
  args: [...maskArgs, ...addressRange, { name: 'asid', meaning: 'the guest address-space ID' }] });
call(rf, 6, { signature: 'struct sbiret sbi_remote_hfence_vvma(unsigned long hart_mask, unsigned long hart_mask_base, unsigned long start_addr, unsigned long size)',
  summary: 'Make the harts execute HFENCE.VVMA over a range of guest virtual addresses.', args: [...maskArgs, ...addressRange] });

const hsm = SBI_EXT.HSM;
call(hsm, 0, { signature: 'struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque)',
  summary: 'Start a stopped hart in S-mode at start_addr (MMU off, a0 = its hart ID, a1 = opaque).',
  args: [{ name: 'hartid', meaning: 'the hart to start', read: (v) => `hart ${v}` },
    { name: 'start_addr', meaning: 'physical address where the hart starts in S-mode' },
    { name: 'opaque', meaning: 'a value passed to the started hart in a1' }] });
call(hsm, 1, { signature: 'struct sbiret sbi_hart_stop(void)', summary: 'Stop the calling hart (returns only on failure).', args: [] });
call(hsm, 2, { signature: 'struct sbiret sbi_hart_get_status(unsigned long hartid)', summary: "A hart's HSM state.",
  args: [{ name: 'hartid', meaning: 'the hart asked about', read: (v) => `hart ${v}` }],
  value: (v) => HSM_STATES.get(Number(v)) ?? 'an unknown state' });
call(hsm, 3, { signature: 'struct sbiret sbi_hart_suspend(uint32_t suspend_type, unsigned long resume_addr, unsigned long opaque)',
  summary: 'Put the calling hart in a suspend (low-power) state until an interrupt.',
  args: [{ name: 'suspend_type', meaning: 'retentive (registers kept) or non-retentive, default or platform specific', read: suspendType },
    { name: 'resume_addr', meaning: 'physical address where a non-retentive suspend resumes (S-mode, MMU off)' },
    { name: 'opaque', meaning: 'a value passed in a1 on a non-retentive resume' }] });

call(SBI_EXT.SRST, 0, { signature: 'struct sbiret sbi_system_reset(uint32_t reset_type, uint32_t reset_reason)',
  summary: 'Shut the system down or reboot it (returns only on failure).',
  args: [{ name: 'reset_type', meaning: '0 shutdown, 1 cold reboot, 2 warm reboot', read: resetType },
    { name: 'reset_reason', meaning: '0 no reason, 1 system failure', read: resetReason }] });

const dbcn = SBI_EXT.DBCN;
call(dbcn, 0, { signature: 'struct sbiret sbi_debug_console_write(unsigned long num_bytes, unsigned long base_addr_lo, unsigned long base_addr_hi)',
  summary: 'Write bytes from memory to the debug console (non-blocking: may write fewer).', args: dbcnBuffer('write'),
  value: (v) => `${v} bytes written` });
call(dbcn, 1, { signature: 'struct sbiret sbi_debug_console_read(unsigned long num_bytes, unsigned long base_addr_lo, unsigned long base_addr_hi)',
  summary: 'Read bytes from the debug console into memory (non-blocking: may read fewer, or none).', args: dbcnBuffer('read at most'),
  value: (v) => `${v} bytes read` });
call(dbcn, 2, { signature: 'struct sbiret sbi_debug_console_write_byte(uint8_t byte)', summary: 'Write one byte to the debug console (blocking).',
  args: [{ name: 'byte', meaning: 'the byte to write', read: charValue }] });

// Legacy extensions (one function each; the function ID is ignored; the result is a0 alone).
const legacy = (eid: number, signature: string, summary: string, args: SbiArgDoc[]): void =>
  call(eid, 0, { signature, summary, args, legacy: true });
legacy(SBI_EXT.LEGACY_SET_TIMER, 'long sbi_set_timer(uint64_t stime_value)', 'Program the next timer event and clear the pending timer interrupt (legacy; use TIME).',
  [{ name: 'stime_value', meaning: 'absolute time of the next supervisor timer interrupt', read: timeValue }]);
legacy(SBI_EXT.LEGACY_CONSOLE_PUTCHAR, 'long sbi_console_putchar(int ch)', 'Write a character to the debug console (legacy; use DBCN).',
  [{ name: 'ch', meaning: 'the character', read: charValue }]);
legacy(SBI_EXT.LEGACY_CONSOLE_GETCHAR, 'long sbi_console_getchar(void)', 'Read a character from the debug console: the result is the byte, or -1 when none is waiting (legacy; use DBCN).', []);
legacy(SBI_EXT.LEGACY_CLEAR_IPI, 'long sbi_clear_ipi(void)', 'Clear the pending IPI of the calling hart (legacy; deprecated).', []);
legacy(SBI_EXT.LEGACY_SEND_IPI, 'long sbi_send_ipi(const unsigned long *hart_mask)', 'Send an IPI to the harts of a mask in memory (legacy; use IPI).', [legacyMask]);
legacy(SBI_EXT.LEGACY_REMOTE_FENCE_I, 'long sbi_remote_fence_i(const unsigned long *hart_mask)', 'Make the harts execute FENCE.I (legacy; use RFENCE).', [legacyMask]);
legacy(SBI_EXT.LEGACY_REMOTE_SFENCE_VMA, 'long sbi_remote_sfence_vma(const unsigned long *hart_mask, unsigned long start, unsigned long size)',
  'Make the harts execute SFENCE.VMA over a range (legacy; use RFENCE).', [legacyMask, ...addressRange]);
legacy(SBI_EXT.LEGACY_REMOTE_SFENCE_VMA_ASID, 'long sbi_remote_sfence_vma_asid(const unsigned long *hart_mask, unsigned long start, unsigned long size, unsigned long asid)',
  'Make the harts execute SFENCE.VMA over a range for one ASID (legacy; use RFENCE).', [legacyMask, ...addressRange, { name: 'asid', meaning: 'the address-space ID' }]);
legacy(SBI_EXT.LEGACY_SHUTDOWN, 'void sbi_shutdown(void)', 'Power the system off (legacy; use SRST).', []);

/** The doc of a call (legacy extensions: any function ID). */
export function sbiCallDoc(eid: number, fid: number): SbiCallDoc | undefined {
  return eid >= 0 && eid <= 0x0f ? CALLS.get(`${eid}:0`) : CALLS.get(`${eid}:${fid}`);
}

/** The function's name as the trace writes it (engine/sbi/ids.ts), or undefined. */
export function functionName(eid: number, fid: number): string | undefined {
  return SBI_FN_NAMES.get(eid)?.[fid];
}

/** "SBI_ERR_INVALID_PARAM (-3: invalid parameter(s))" for a standard code, else the number. */
export function sbiErrorText(error: number): string {
  const e = SBI_ERROR_NAMES.get(error);
  return e ? `${e.name} (${error}: ${e.meaning})` : `error ${error} (not a standard SBI error code)`;
}

/** Every (eid, fid) the docs cover, for tests. */
export function documentedCalls(): Array<[number, number]> {
  return [...CALLS.keys()].map((k) => k.split(':').map(Number) as [number, number]);
}

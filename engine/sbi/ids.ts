// SBI extension IDs, function IDs and error codes (SBI v2.0 specification; error codes to v3.0), declared once.

export const SBI_EXT = {
  LEGACY_SET_TIMER: 0x00, LEGACY_CONSOLE_PUTCHAR: 0x01, LEGACY_CONSOLE_GETCHAR: 0x02, LEGACY_CLEAR_IPI: 0x03,
  LEGACY_SEND_IPI: 0x04, LEGACY_REMOTE_FENCE_I: 0x05, LEGACY_REMOTE_SFENCE_VMA: 0x06,
  LEGACY_REMOTE_SFENCE_VMA_ASID: 0x07, LEGACY_SHUTDOWN: 0x08,
  BASE: 0x10, TIME: 0x54494d45, IPI: 0x735049, RFENCE: 0x52464e43, HSM: 0x48534d, SRST: 0x53525354,
  DBCN: 0x4442434e,
} as const;

/** Names for events and views. */
export const SBI_EXT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'legacy set_timer'], [0x01, 'legacy console_putchar'], [0x02, 'legacy console_getchar'],
  [0x03, 'legacy clear_ipi'], [0x04, 'legacy send_ipi'], [0x05, 'legacy remote_fence_i'],
  [0x06, 'legacy remote_sfence_vma'], [0x07, 'legacy remote_sfence_vma_asid'], [0x08, 'legacy shutdown'],
  [0x10, 'BASE'], [0x54494d45, 'TIME'], [0x735049, 'IPI'], [0x52464e43, 'RFENCE'], [0x48534d, 'HSM'],
  [0x53525354, 'SRST'], [0x4442434e, 'DBCN'],
]);

/** Function names per extension, for events and views. */
export const SBI_FN_NAMES: ReadonlyMap<number, readonly string[]> = new Map<number, readonly string[]>([
  [0x10, ['get_spec_version', 'get_impl_id', 'get_impl_version', 'probe_extension', 'get_mvendorid', 'get_marchid', 'get_mimpid']],
  [0x54494d45, ['set_timer']],
  [0x735049, ['send_ipi']],
  [0x52464e43, ['remote_fence_i', 'remote_sfence_vma', 'remote_sfence_vma_asid', 'remote_hfence_gvma_vmid',
    'remote_hfence_gvma', 'remote_hfence_vvma_asid', 'remote_hfence_vvma']],
  [0x48534d, ['hart_start', 'hart_stop', 'hart_get_status', 'hart_suspend']],
  [0x53525354, ['system_reset']],
  [0x4442434e, ['console_write', 'console_read', 'console_write_byte']],
]);

export const SBI_SUCCESS = 0;
export const SBI_ERR_FAILED = -1;
export const SBI_ERR_NOT_SUPPORTED = -2;
export const SBI_ERR_INVALID_PARAM = -3;
export const SBI_ERR_DENIED = -4;
export const SBI_ERR_INVALID_ADDRESS = -5;
export const SBI_ERR_ALREADY_AVAILABLE = -6;
export const SBI_ERR_ALREADY_STARTED = -7;
export const SBI_ERR_ALREADY_STOPPED = -8;
export const SBI_ERR_NO_SHMEM = -9;
export const SBI_ERR_INVALID_STATE = -10;
export const SBI_ERR_BAD_RANGE = -11;
export const SBI_ERR_TIMEOUT = -12;
export const SBI_ERR_IO = -13;
export const SBI_ERR_DENIED_LOCKED = -14;

/** The standard error codes (binary encoding chapter, "Standard SBI Errors"): name and meaning. */
export const SBI_ERROR_NAMES: ReadonlyMap<number, { name: string; meaning: string }> = new Map([
  [SBI_SUCCESS, { name: 'SBI_SUCCESS', meaning: 'completed successfully' }],
  [SBI_ERR_FAILED, { name: 'SBI_ERR_FAILED', meaning: 'failed' }],
  [SBI_ERR_NOT_SUPPORTED, { name: 'SBI_ERR_NOT_SUPPORTED', meaning: 'not supported' }],
  [SBI_ERR_INVALID_PARAM, { name: 'SBI_ERR_INVALID_PARAM', meaning: 'invalid parameter(s)' }],
  [SBI_ERR_DENIED, { name: 'SBI_ERR_DENIED', meaning: 'denied or not allowed' }],
  [SBI_ERR_INVALID_ADDRESS, { name: 'SBI_ERR_INVALID_ADDRESS', meaning: 'invalid address(es)' }],
  [SBI_ERR_ALREADY_AVAILABLE, { name: 'SBI_ERR_ALREADY_AVAILABLE', meaning: 'already available' }],
  [SBI_ERR_ALREADY_STARTED, { name: 'SBI_ERR_ALREADY_STARTED', meaning: 'already started' }],
  [SBI_ERR_ALREADY_STOPPED, { name: 'SBI_ERR_ALREADY_STOPPED', meaning: 'already stopped' }],
  [SBI_ERR_NO_SHMEM, { name: 'SBI_ERR_NO_SHMEM', meaning: 'shared memory not available' }],
  [SBI_ERR_INVALID_STATE, { name: 'SBI_ERR_INVALID_STATE', meaning: 'invalid state' }],
  [SBI_ERR_BAD_RANGE, { name: 'SBI_ERR_BAD_RANGE', meaning: 'bad (or invalid) range' }],
  [SBI_ERR_TIMEOUT, { name: 'SBI_ERR_TIMEOUT', meaning: 'failed due to timeout' }],
  [SBI_ERR_IO, { name: 'SBI_ERR_IO', meaning: 'input/output error' }],
  [SBI_ERR_DENIED_LOCKED, { name: 'SBI_ERR_DENIED_LOCKED', meaning: 'denied or not allowed due to lock status' }],
]);

/** SBI spec version implemented: 2.0 (major in bits 30:24). */
export const SBI_SPEC_VERSION = (2 << 24) | 0;
/** Implementation ID: not a registered one (the registry lists BBL, OpenSBI, KVM…); "rv" in ASCII. */
export const SBI_IMPL_ID = 0x7276;

/** HSM hart states. */
export const HSM_STARTED = 0;
export const HSM_STOPPED = 1;
export const HSM_START_PENDING = 2;
export const HSM_STOP_PENDING = 3;
export const HSM_SUSPENDED = 4;

/** SRST reset types. */
export const SRST_SHUTDOWN = 0;
export const SRST_COLD_REBOOT = 1;
export const SRST_WARM_REBOOT = 2;
/** SRST reset reason "system failure". */
export const SRST_REASON_FAILURE = 1;

// Every virtio number the transport and the devices share, declared once: MMIO register offsets,
// device status bits, feature bits, ring flags and device-type codes (virtio 1.x, sections cited).

/** MMIO register offsets (4.2.2, and 4.2.4 for the legacy-only ones). */
export const REG = {
  MAGIC_VALUE: 0x000,
  VERSION: 0x004,
  DEVICE_ID: 0x008,
  VENDOR_ID: 0x00c,
  DEVICE_FEATURES: 0x010,
  DEVICE_FEATURES_SEL: 0x014,
  DRIVER_FEATURES: 0x020,
  DRIVER_FEATURES_SEL: 0x024,
  /** Legacy only. */
  GUEST_PAGE_SIZE: 0x028,
  QUEUE_SEL: 0x030,
  QUEUE_NUM_MAX: 0x034,
  QUEUE_NUM: 0x038,
  /** Legacy only. */
  QUEUE_ALIGN: 0x03c,
  /** Legacy only. */
  QUEUE_PFN: 0x040,
  /** Modern only. */
  QUEUE_READY: 0x044,
  QUEUE_NOTIFY: 0x050,
  INTERRUPT_STATUS: 0x060,
  INTERRUPT_ACK: 0x064,
  STATUS: 0x070,
  QUEUE_DESC_LOW: 0x080,
  QUEUE_DESC_HIGH: 0x084,
  QUEUE_DRIVER_LOW: 0x090,
  QUEUE_DRIVER_HIGH: 0x094,
  QUEUE_DEVICE_LOW: 0x0a0,
  QUEUE_DEVICE_HIGH: 0x0a4,
  SHM_SEL: 0x0ac,
  SHM_LEN_LOW: 0x0b0,
  SHM_LEN_HIGH: 0x0b4,
  SHM_BASE_LOW: 0x0b8,
  SHM_BASE_HIGH: 0x0bc,
  QUEUE_RESET: 0x0c0,
  CONFIG_GENERATION: 0x0fc,
  /** Device-specific configuration space starts here. */
  CONFIG: 0x100,
} as const;

/** "virt" in little-endian ASCII. */
export const VIRTIO_MMIO_MAGIC = 0x74726976;
/** "QEMU" in little-endian ASCII, the vendor QEMU's transports report. */
export const VIRTIO_VENDOR_QEMU = 0x554d4551;
/** Size of one virtio-mmio window on QEMU virt. */
export const VIRTIO_MMIO_WINDOW = 0x1000;

/** Device status bits (2.1). */
export const STATUS = {
  ACKNOWLEDGE: 1,
  DRIVER: 2,
  DRIVER_OK: 4,
  FEATURES_OK: 8,
  DEVICE_NEEDS_RESET: 64,
  FAILED: 128,
} as const;

/** InterruptStatus / InterruptACK bits (4.2.2). */
export const INT = {
  USED_BUFFER: 1,
  CONFIG_CHANGE: 2,
} as const;

/** Device-independent feature bits (chapter 6), as bit numbers. */
export const F = {
  NOTIFY_ON_EMPTY: 24,
  ANY_LAYOUT: 27,
  INDIRECT_DESC: 28,
  EVENT_IDX: 29,
  VERSION_1: 32,
  ACCESS_PLATFORM: 33,
  RING_PACKED: 34,
  IN_ORDER: 35,
  ORDER_PLATFORM: 36,
  SR_IOV: 37,
  NOTIFICATION_DATA: 38,
  NOTIF_CONFIG_DATA: 39,
  RING_RESET: 40,
} as const;

/** Feature bit number → mask. */
export const bit = (n: number): bigint => 1n << BigInt(n);

/** Names of the device-independent feature bits, for describe(). */
export const TRANSPORT_FEATURE_NAMES: Readonly<Record<number, string>> = {
  [F.NOTIFY_ON_EMPTY]: 'NOTIFY_ON_EMPTY',
  [F.ANY_LAYOUT]: 'ANY_LAYOUT',
  [F.INDIRECT_DESC]: 'INDIRECT_DESC',
  [F.EVENT_IDX]: 'EVENT_IDX',
  [F.VERSION_1]: 'VERSION_1',
  [F.ACCESS_PLATFORM]: 'ACCESS_PLATFORM',
  [F.RING_PACKED]: 'RING_PACKED',
  [F.IN_ORDER]: 'IN_ORDER',
  [F.ORDER_PLATFORM]: 'ORDER_PLATFORM',
  [F.SR_IOV]: 'SR_IOV',
  [F.NOTIFICATION_DATA]: 'NOTIFICATION_DATA',
  [F.NOTIF_CONFIG_DATA]: 'NOTIF_CONFIG_DATA',
  [F.RING_RESET]: 'RING_RESET',
};

/** Split-ring descriptor flags (2.7.5). */
export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
/** Available-ring flag (2.7.6). */
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
/** Used-ring flag (2.7.8). */
export const VIRTQ_USED_F_NO_NOTIFY = 1;
/** Bytes per descriptor (struct virtq_desc). */
export const DESC_SIZE = 16;
/** The largest queue size a split ring can have (2.7). */
export const MAX_QUEUE_SIZE = 32768;
/** Drivers must not offer chains longer than 2^32 bytes (2.7.5.1). */
export const MAX_CHAIN_BYTES = 2 ** 32;

/** Device IDs (chapter 5). */
export const DEVICE_ID = {
  NET: 1,
  BLOCK: 2,
  CONSOLE: 3,
  ENTROPY: 4,
} as const;

/** Block device (5.2): feature bits. */
export const BLK_F = {
  SIZE_MAX: 1,
  SEG_MAX: 2,
  GEOMETRY: 4,
  RO: 5,
  BLK_SIZE: 6,
  FLUSH: 9,
  TOPOLOGY: 10,
  CONFIG_WCE: 11,
  MQ: 12,
  DISCARD: 13,
  WRITE_ZEROES: 14,
} as const;

export const BLK_FEATURE_NAMES: Readonly<Record<number, string>> = {
  [BLK_F.SIZE_MAX]: 'BLK_SIZE_MAX',
  [BLK_F.SEG_MAX]: 'BLK_SEG_MAX',
  [BLK_F.GEOMETRY]: 'BLK_GEOMETRY',
  [BLK_F.RO]: 'BLK_RO',
  [BLK_F.BLK_SIZE]: 'BLK_BLK_SIZE',
  [BLK_F.FLUSH]: 'BLK_FLUSH',
  [BLK_F.TOPOLOGY]: 'BLK_TOPOLOGY',
  [BLK_F.CONFIG_WCE]: 'BLK_CONFIG_WCE',
  [BLK_F.MQ]: 'BLK_MQ',
  [BLK_F.DISCARD]: 'BLK_DISCARD',
  [BLK_F.WRITE_ZEROES]: 'BLK_WRITE_ZEROES',
};

/** Block request types (5.2.6); FLUSH_OUT is the legacy synonym of FLUSH. */
export const BLK_T = {
  IN: 0,
  OUT: 1,
  FLUSH: 4,
  FLUSH_OUT: 5,
  GET_ID: 8,
  GET_LIFETIME: 10,
  DISCARD: 11,
  WRITE_ZEROES: 13,
  SECURE_ERASE: 14,
} as const;

/** Block request status byte values (5.2.6). */
export const BLK_S = {
  OK: 0,
  IOERR: 1,
  UNSUPP: 2,
} as const;

/** Protocol sector size: always 512 bytes whatever blk_size says (5.2.5). */
export const SECTOR_SIZE = 512;
/** struct virtio_blk_req header: type, reserved, sector. */
export const BLK_REQ_HEADER = 16;
/** GET_ID returns up to this many bytes of NUL-padded ASCII. */
export const BLK_ID_BYTES = 20;

/** Console device (5.3): feature bits. */
export const CONSOLE_F = {
  SIZE: 0,
  MULTIPORT: 1,
  EMERG_WRITE: 2,
} as const;

export const CONSOLE_FEATURE_NAMES: Readonly<Record<number, string>> = {
  [CONSOLE_F.SIZE]: 'CONSOLE_SIZE',
  [CONSOLE_F.MULTIPORT]: 'CONSOLE_MULTIPORT',
  [CONSOLE_F.EMERG_WRITE]: 'CONSOLE_EMERG_WRITE',
};

/** Network device (5.1): the feature bits rvisor offers, and the link status bit. */
export const NET_F = {
  MAC: 5,
  STATUS: 16,
} as const;

export const NET_FEATURE_NAMES: Readonly<Record<number, string>> = {
  [NET_F.MAC]: 'NET_MAC',
  [NET_F.STATUS]: 'NET_STATUS',
};

export const NET_S_LINK_UP = 1;

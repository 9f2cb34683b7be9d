/*
 * sbi_call.h — the SBI calling convention (SBI specification, "Binary
 * Encoding"), shared by our S-mode guests: an `ecall` with the extension ID in
 * a7, the function ID in a6 and arguments in a0..a5; the result comes back as
 * the pair (error in a0, value in a1). Legacy (v0.1) calls take their argument
 * in a0 and return one value in a0.
 */
#ifndef GUESTS_SBI_CALL_H
#define GUESTS_SBI_CALL_H

#define SBI_EXT_BASE              0x10
#define SBI_BASE_PROBE_EXTENSION  3
#define SBI_SUCCESS               0

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_call(unsigned long eid, unsigned long fid,
				     unsigned long a0, unsigned long a1, unsigned long a2)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = eid;

	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbiret){ .error = (long)r_a0, .value = (long)r_a1 };
}

static inline long sbi_legacy_call(unsigned long eid, unsigned long arg0)
{
	register unsigned long r_a0 __asm__("a0") = arg0;
	register unsigned long r_a7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a7) : "memory", "a1");
	return (long)r_a0;
}

/* Whether the SBI implements extension `eid` (BASE probe_extension). */
static inline int sbi_probe(unsigned long eid)
{
	struct sbiret ret = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, eid, 0, 0);

	return ret.error == SBI_SUCCESS && ret.value != 0;
}

#endif

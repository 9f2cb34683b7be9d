/*
 * main.c — the benchmark: four phases, each a fixed deterministic workload.
 * Each phase line gives its instruction count (rdinstret, measured from the
 * end of the previous line to the start of this one's printing) and its
 * check value; the last line gives the total and the checksum of all phases.
 * The host times the lines as they arrive (bench/run.mjs).
 */
#include "ulib.h"

static const struct {
	const char *name;
	uint64_t (*run)(void);
} phases[] = {
	{ "int", work_int },
	{ "mem", work_mem },
	{ "muldiv", work_muldiv },
	{ "fp", work_fp },
};

long umain(void)
{
	uint64_t checksum = 0;
	uint64_t total = 0;

	uprintf("bench: start\n");
	uint64_t mark = rdinstret();
	for (unsigned i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		uint64_t check = phases[i].run();
		uint64_t now = rdinstret();
		checksum = mix(checksum, check);
		total += now - mark;
		uprintf("phase %s: insns %lu check 0x%016lx\n", phases[i].name, now - mark, check);
		mark = rdinstret();
	}
	uprintf("bench: done: insns %lu checksum 0x%016lx\n", total, checksum);
	return 0;
}

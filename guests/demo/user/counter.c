/*
 * counter.c — a task that counts, sleeping 2 ms between numbers, and then
 * checks that the kernel refuses to print from memory it does not own.
 */
#include "programs.h"
#include "ulib.h"
#include "../syscall.h"

int counter_main(long rounds)
{
	int pid = sys_getpid();
	long refused;

	uprintf("counter[%d]: counting to %ld\n", pid, rounds);
	for (long i = 1; i <= rounds; i++) {
		uprintf("counter[%d]: %ld\n", pid, i);
		sys_sleep_ms(2);
	}

	/* The kernel's own memory is not the task's: sys_write must refuse it. */
	refused = sys_write((const char *)0x80200000UL, 16);
	uprintf("counter[%d]: write from a kernel address returned %ld (%s)\n", pid,
		refused, refused == ERR_FAULT ? "refused, good" : "UNEXPECTED");
	uprintf("counter[%d]: done at %lu ms\n", pid, sys_uptime_ms());
	return refused == ERR_FAULT ? 0 : 1;
}

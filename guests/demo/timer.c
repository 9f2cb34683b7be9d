/*
 * timer.c — time keeping. The `time` CSR counts at the timebase frequency
 * found in the device tree (10 MHz on QEMU virt and rvisor). A tick is
 * requested with SBI set_timer(absolute time); the interrupt stays pending
 * until the next set_timer moves the deadline into the future.
 */
#include "timer.h"
#include "riscv.h"
#include "sbi.h"

static struct {
	uint64_t timebase_hz;
	uint64_t interval;      /* time units per tick */
	uint64_t boot_time;
	uint64_t next_deadline;
	uint64_t ticks;
} timer;

void timer_init(uint64_t timebase_hz)
{
	timer.timebase_hz = timebase_hz;
	timer.interval = timebase_hz / TICK_HZ;
	timer.boot_time = read_time();
}

static void timer_arm_next(void)
{
	uint64_t now = read_time();

	timer.next_deadline += timer.interval;
	if (timer.next_deadline <= now) /* fell behind: do not fire a burst */
		timer.next_deadline = now + timer.interval;
	sbi_set_timer(timer.next_deadline);
}

void timer_start(void)
{
	timer.next_deadline = read_time();
	timer_arm_next();
	csr_set(sie, SIE_STIE);
}

void timer_stop(void)
{
	csr_clear(sie, SIE_STIE);
	sbi_set_timer(UINT64_MAX); /* SBI: "infinitely far into the future" clears it */
}

void timer_tick(void)
{
	timer.ticks++;
	timer_arm_next();
}

int timer_pending(void)
{
	return (csr_read(sip) & SIP_STIP) != 0;
}

uint64_t timer_ticks(void)
{
	return timer.ticks;
}

uint64_t timer_uptime_ms(void)
{
	return (read_time() - timer.boot_time) * 1000 / timer.timebase_hz;
}

uint64_t timer_ms_to_time(uint64_t ms)
{
	return ms * (timer.timebase_hz / 1000);
}

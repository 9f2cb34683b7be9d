/*
 * timer.h — the periodic scheduler tick, through SBI set_timer.
 */
#ifndef DEMO_TIMER_H
#define DEMO_TIMER_H

#include <stdint.h>

#define TICK_HZ 1000 /* one tick (and one time slice) per millisecond */

/* Records the boot time and the timebase; starts nothing yet. */
void timer_init(uint64_t timebase_hz);
/* Arms the first tick and enables the timer interrupt (sie.STIE). */
void timer_start(void);
/* No more ticks: disarms the timer and disables its interrupt (time still counts). */
void timer_stop(void);
/* Counts a tick and arms the next one; called on a timer interrupt. */
void timer_tick(void);
/* Is a timer interrupt pending (sip.STIP)? Used while idle, with SIE off. */
int timer_pending(void);

uint64_t timer_ticks(void);
uint64_t timer_uptime_ms(void);
uint64_t timer_ms_to_time(uint64_t ms);

#endif /* DEMO_TIMER_H */

/*
 * programs.h — the entry points of the U-mode programs, as the kernel sees
 * them. The user image is built with hidden visibility (see build.sh):
 * only what is marked USER_ENTRY stays visible to the kernel.
 */
#ifndef DEMO_USER_PROGRAMS_H
#define DEMO_USER_PROGRAMS_H

#define USER_ENTRY __attribute__((visibility("default")))

/* Every task starts here: a0 = its main, a1 = the argument (see task.c). */
USER_ENTRY __attribute__((noreturn)) void user_task_start(int (*main)(long), long arg);

/* Prints a counter `rounds` times, sleeping in between. */
USER_ENTRY int counter_main(long rounds);
/* Counts the primes below `limit` (floating-point square roots and sums). */
USER_ENTRY int primes_main(long limit);
/* Approximates pi with `terms` terms of the Leibniz series. */
USER_ENTRY int pi_main(long terms);

#endif /* DEMO_USER_PROGRAMS_H */

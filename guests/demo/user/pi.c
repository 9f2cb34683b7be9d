/*
 * pi.c — a floating-point task: pi = 4 * (1 - 1/3 + 1/5 - 1/7 + ...).
 * Preempted all along, it relies on the kernel saving and restoring its
 * FP registers; the result is checked at the end.
 */
#include "programs.h"
#include "ulib.h"

int pi_main(long terms)
{
	int pid = sys_getpid();
	double sum = 0.0, sign = 1.0, pi = 0.0, error;
	char text[32];

	uprintf("pi[%d]: summing %ld terms of the Leibniz series\n", pid, terms);
	for (long k = 0; k < terms; k++) {
		sum += sign / (double)(2 * k + 1);
		sign = -sign;
		if ((k + 1) % (terms / 4) == 0) {
			pi = 4.0 * sum;
			uprintf("pi[%d]: after %ld terms: %s\n", pid, k + 1,
				format_fixed(text, pi, 8));
		}
	}
	/* The series' error after n terms is about 1/n. */
	pi = 4.0 * sum;
	error = pi - 3.14159265358979323846;
	if (error < 0)
		error = -error;
	uprintf("pi[%d]: error %s %s\n", pid, format_fixed(text, error, 8),
		error < 2.0 / (double)terms ? "(ok)" : "(WRONG)");
	return error < 2.0 / (double)terms ? 0 : 1;
}

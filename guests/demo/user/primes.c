/*
 * primes.c — a compute-bound task: counts primes by trial division (with a
 * floating-point square root as the bound) and sums their reciprocals.
 * It never yields: the timer has to preempt it. Its results are checked
 * against known values of pi(n), the prime-counting function.
 */
#include "programs.h"
#include "ulib.h"

struct checkpoint {
	long n;
	long primes_below; /* pi(n) */
};

static const struct checkpoint known[] = {
	{ 5000, 669 }, { 10000, 1229 }, { 15000, 1754 }, { 20000, 2262 },
};

/*
 * A cross-check by another method, the sieve of Eratosthenes. Its table
 * lives on the stack (5000 bytes: more than the one stack page a task
 * starts with, so the kernel maps the next ones on first touch).
 */
#define SIEVE_LIMIT 5000

static __attribute__((noinline)) long sieve_count(void)
{
	unsigned char composite[SIEVE_LIMIT];
	long count = 0;

	for (long i = 0; i < SIEVE_LIMIT; i++)
		composite[i] = 0;
	for (long p = 2; p < SIEVE_LIMIT; p++) {
		if (composite[p])
			continue;
		count++;
		for (long q = p * p; q < SIEVE_LIMIT; q += p)
			composite[q] = 1;
	}
	return count;
}

static int is_prime(long n)
{
	long bound;

	if (n < 2)
		return 0;
	if (n % 2 == 0)
		return n == 2;
	bound = (long)__builtin_sqrt((double)n);
	for (long d = 3; d <= bound; d += 2) {
		if (n % d == 0)
			return 0;
	}
	return 1;
}

int primes_main(long limit)
{
	int pid = sys_getpid();
	long count = 0, largest = 0;
	double reciprocal_sum = 0.0; /* stays in an FP register across preemptions */
	unsigned next = 0;
	int errors = 0;
	char text[32];

	uprintf("primes[%d]: counting primes below %ld\n", pid, limit);
	{
		long sieved = sieve_count();
		int ok = sieved == known[0].primes_below;

		errors += !ok;
		uprintf("primes[%d]: the sieve finds %ld primes below %d%s\n", pid, sieved,
			SIEVE_LIMIT, ok ? "" : " (WRONG)");
	}
	for (long n = 2; n < limit; n++) {
		if (is_prime(n)) {
			count++;
			largest = n;
			reciprocal_sum += 1.0 / (double)n;
		}
		if (next < sizeof(known) / sizeof(known[0]) && n + 1 == known[next].n) {
			int ok = count == known[next].primes_below;
			errors += !ok;
			uprintf("primes[%d]: %ld primes below %ld%s\n", pid, count,
				known[next].n, ok ? "" : " (WRONG)");
			next++;
		}
	}
	uprintf("primes[%d]: largest %ld, sum of 1/p = %s\n", pid, largest,
		format_fixed(text, reciprocal_sum, 6));
	return errors;
}

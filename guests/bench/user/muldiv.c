/*
 * muldiv.c — 64-bit multiply and divide: a Miller-Rabin prime count
 * (modular exponentiation with mul and remu), Euclid's gcd with signed
 * 64-bit remainders, 32-bit divw/remw digit work, and 64x64->128-bit
 * products (mul + mulhu / mulh) as in hash functions and bignum code.
 * Divisors are run-time values, so the compiler cannot turn them into
 * multiplications.
 */
#include "ulib.h"

#define PRIME_BASE   1000000000ULL
#define PRIME_RANGE  180000
#define GCD_PAIRS    180000
#define DIGIT_NUMS   180000
#define MUM_ROUNDS   1200000

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t n)
{
	return a * b % n; /* a, b < n < 2^32: no overflow */
}

static uint64_t powmod(uint64_t a, uint64_t e, uint64_t n)
{
	uint64_t r = 1;

	a %= n;
	while (e) {
		if (e & 1)
			r = mulmod(r, a, n);
		a = mulmod(a, a, n);
		e >>= 1;
	}
	return r;
}

/* Deterministic for n < 4,759,123,141 with bases 2, 7, 61. */
static int is_prime(uint64_t n)
{
	static const uint64_t bases[] = { 2, 7, 61 };
	uint64_t d = n - 1;
	int s = 0;

	if (n < 2)
		return 0;
	for (uint64_t p = 2; p < 40; p++)
		if (n % p == 0)
			return n == p;
	while ((d & 1) == 0) {
		d >>= 1;
		s++;
	}
	for (unsigned i = 0; i < 3; i++) {
		uint64_t x = powmod(bases[i], d, n);
		if (x == 1 || x == n - 1)
			continue;
		int composite = 1;
		for (int r = 1; r < s; r++) {
			x = mulmod(x, x, n);
			if (x == n - 1) {
				composite = 0;
				break;
			}
		}
		if (composite)
			return 0;
	}
	return 1;
}

static int64_t gcd(int64_t a, int64_t b)
{
	while (b != 0) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a < 0 ? -a : a;
}

/* Digit sum of v in base b, 32-bit arithmetic (divuw/remuw, divw/remw). */
static int32_t digit_sum(int32_t v, int32_t b)
{
	int32_t s = 0;

	while (v != 0) {
		s += v % b;
		v /= b;
	}
	return s;
}

uint64_t work_muldiv(void)
{
	uint64_t check = 0;
	uint64_t seed = 0x6a09e667f3bcc908ULL;
	uint64_t count = 0, last = 0;

	for (uint64_t n = PRIME_BASE + 1; n < PRIME_BASE + PRIME_RANGE; n += 2)
		if (is_prime(n)) {
			count++;
			last = n;
		}
	check = mix(check, count);
	check = mix(check, last);

	int64_t gsum = 0;
	for (unsigned i = 0; i < GCD_PAIRS; i++) {
		int64_t a = (int64_t)(rng_next(&seed) >> 8) - (1LL << 55);
		int64_t b = (int64_t)(rng_next(&seed) >> 20) * (int64_t)(i % 97 + 1);
		gsum += gcd(a, b | 1) + gcd(a * 6, b * 4 + 2);
	}
	check = mix(check, (uint64_t)gsum);

	int64_t dsum = 0;
	for (unsigned i = 0; i < DIGIT_NUMS; i++) {
		int32_t v = (int32_t)rng_next(&seed);
		dsum += digit_sum(v, (int32_t)(i % 14) + 2);
	}
	check = mix(check, (uint64_t)dsum);

	/* wyhash-style "mum" mixing: full 128-bit products. */
	uint64_t a = 0x243f6a8885a308d3ULL, b = 0x13198a2e03707344ULL;
	int64_t sh = 0;
	for (unsigned i = 0; i < MUM_ROUNDS; i++) {
		__uint128_t p = (__uint128_t)(a ^ 0xa0761d6478bd642fULL) * (b ^ 0xe7037ed1a0b428dbULL);
		a = (uint64_t)p;
		b = (uint64_t)(p >> 64);
		sh += (int64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
		b += i;
	}
	check = mix(check, a ^ b);
	check = mix(check, (uint64_t)sh);
	return check;
}

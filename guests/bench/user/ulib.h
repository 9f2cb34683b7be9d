/*
 * ulib.h — the user program's runtime: system calls, printing, the
 * instruction counter, a bump allocator over the demand-zero heap, and a
 * deterministic pseudo-random generator.
 */
#ifndef BENCH_ULIB_H
#define BENCH_ULIB_H

#include <stddef.h>
#include <stdint.h>

long sys_write(const void *buf, size_t len);
__attribute__((noreturn)) void sys_exit(long code);

void uprintf(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* Heap memory (demand-zero: first touches page-fault into the kernel). */
void *halloc(size_t size);

static inline uint64_t rdinstret(void)
{
	uint64_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

/* xorshift64*: deterministic, never 0 for a non-zero seed. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Folds a value into a running checksum (a 64-bit mix, order-dependent). */
static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 29);
}

/* The workloads (each returns its check value). */
uint64_t work_int(void);
uint64_t work_mem(void);
uint64_t work_muldiv(void);
uint64_t work_fp(void);

#endif /* BENCH_ULIB_H */

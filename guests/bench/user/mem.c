/*
 * mem.c — loads and stores over a working set of a few hundred KiB on the
 * demand-zero heap: a bottom-up merge sort of 32768 32-bit keys (two
 * 128 KiB arrays), and an open-addressing hash table of 16384 16-byte slots
 * (256 KiB) built and probed with random keys, hits and misses.
 */
#include "ulib.h"

#define SORT_N      32768
#define SORT_ROUNDS 10
#define HT_BITS     14
#define HT_SLOTS    (1u << HT_BITS)
#define HT_KEYS     12000  /* load factor 0.73 */
#define HT_LOOKUPS  60000
#define HT_ROUNDS   10

static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n)
{
	uint32_t *src = a, *dst = tmp;

	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		uint32_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		for (size_t i = 0; i < n; i++)
			a[i] = src[i];
}

struct slot {
	uint64_t key; /* 0 = empty */
	uint64_t value;
};

static inline uint32_t ht_hash(uint64_t key)
{
	return (uint32_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - HT_BITS));
}

/* Inserts or updates; returns the number of probes. */
static unsigned ht_put(struct slot *t, uint64_t key, uint64_t value)
{
	unsigned probes = 1;

	for (uint32_t i = ht_hash(key);; i = (i + 1) & (HT_SLOTS - 1), probes++) {
		if (t[i].key == key) {
			t[i].value += value;
			return probes;
		}
		if (t[i].key == 0) {
			t[i].key = key;
			t[i].value = value;
			return probes;
		}
	}
}

static const struct slot *ht_get(const struct slot *t, uint64_t key)
{
	for (uint32_t i = ht_hash(key);; i = (i + 1) & (HT_SLOTS - 1)) {
		if (t[i].key == key)
			return &t[i];
		if (t[i].key == 0)
			return 0;
	}
}

uint64_t work_mem(void)
{
	uint32_t *a = halloc(SORT_N * sizeof(uint32_t));
	uint32_t *tmp = halloc(SORT_N * sizeof(uint32_t));
	struct slot *table = halloc(HT_SLOTS * sizeof(struct slot));
	uint64_t seed = 0x9d2c5680a1b2c3d4ULL;
	uint64_t check = 0;

	for (int round = 0; round < SORT_ROUNDS; round++) {
		/* Keys from a narrow range in some rounds: duplicates. */
		uint32_t range_mask = round & 1 ? 0xffffffffu : 0x3fffu;
		for (size_t i = 0; i < SORT_N; i++)
			a[i] = (uint32_t)rng_next(&seed) & range_mask;
		merge_sort(a, tmp, SORT_N);
		uint64_t sum = 0;
		for (size_t i = 0; i < SORT_N; i++) {
			if (i > 0 && a[i - 1] > a[i]) {
				uprintf("bench: FAIL: merge sort: a[%lu] > a[%lu]\n", (unsigned long)i - 1, (unsigned long)i);
				sys_exit(2);
			}
			sum += (uint64_t)a[i] * (i + 1);
		}
		check = mix(check, sum);
	}

	for (int round = 0; round < HT_ROUNDS; round++) {
		uint64_t kseed = 0x51ed270b27a3c1f9ULL + (uint64_t)round;
		uint64_t probes = 0, found = 0, total = 0;

		for (size_t i = 0; i < HT_SLOTS; i++)
			table[i].key = table[i].value = 0;
		for (unsigned i = 0; i < HT_KEYS; i++) {
			/* Keys from a 2^14-wide range: some repeat (updates). */
			uint64_t key = (rng_next(&kseed) & 0x3fff) * 0x100000001ULL + 1;
			probes += ht_put(table, key, i);
		}
		for (unsigned i = 0; i < HT_LOOKUPS; i++) {
			uint64_t key = (rng_next(&seed) & 0x7fff) * 0x100000001ULL + 1; /* about half miss */
			const struct slot *s = ht_get(table, key);
			if (s) {
				found++;
				total += s->value ^ key;
			}
		}
		check = mix(check, probes);
		check = mix(check, found);
		check = mix(check, total);
	}
	return check;
}

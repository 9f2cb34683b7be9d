/*
 * int.c — integer ALU work: SHA-256 (rotates, shifts, xor, add; byte loads
 * for the big-endian message words) over a 64 KiB heap buffer, chained
 * over several passes, plus a branchy bytecode interpreter running a small
 * program (the kind of dispatch loop interpreters and parsers spend their
 * time in).
 */
#include "ulib.h"

#define BUF_SIZE   (64u << 10)
#define SHA_PASSES 18
#define VM_RUNS    1
#define VM_LIMIT   600

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* SHA-256 of a message whose length is a multiple of 64 bytes, plus padding. */
static void sha256(uint32_t h[8], const uint8_t *msg, size_t len)
{
	static const uint32_t init[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	uint8_t last[128] = { 0 };
	size_t full = len & ~(size_t)63, rest = len - full, n;
	uint64_t bits = (uint64_t)len * 8;

	for (int i = 0; i < 8; i++)
		h[i] = init[i];
	for (size_t off = 0; off < full; off += 64)
		sha256_block(h, msg + off);
	for (size_t i = 0; i < rest; i++)
		last[i] = msg[full + i];
	last[rest] = 0x80;
	n = rest + 9 <= 64 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		last[n - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (size_t off = 0; off < n; off += 64)
		sha256_block(h, last + off);
}

/*
 * A stack-machine bytecode interpreter. The program below computes, for
 * n = 1 .. limit-1, the Collatz chain length of n and folds them together.
 */
enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_AND, OP_XOR, OP_SHR1, OP_MUL3P1,
       OP_JZ, OP_JNZ, OP_JMP, OP_DUP, OP_POP, OP_LT, OP_HALT };

struct insn {
	uint8_t op;
	int32_t arg;
};

static const struct insn program[] = {
	/*  0 */ { OP_PUSH, 1 }, { OP_STORE, 0 },                              /* n = 1 */
	/*  2 */ { OP_LOAD, 0 }, { OP_LOAD, 3 }, { OP_LT, 0 }, { OP_JZ, 40 }, /* while n < limit: */
	/*  6 */ { OP_LOAD, 0 }, { OP_STORE, 1 },                              /*   x = n */
	/*  8 */ { OP_PUSH, 0 }, { OP_STORE, 2 },                              /*   steps = 0 */
	/* 10 */ { OP_LOAD, 1 }, { OP_PUSH, 1 }, { OP_SUB, 0 }, { OP_JZ, 29 }, /*   while x != 1: */
	/* 14 */ { OP_LOAD, 1 }, { OP_PUSH, 1 }, { OP_AND, 0 }, { OP_JNZ, 21 },
	/* 18 */ { OP_LOAD, 1 }, { OP_SHR1, 0 }, { OP_JMP, 23 },               /*     even: x / 2 */
	/* 21 */ { OP_LOAD, 1 }, { OP_MUL3P1, 0 },                             /*     odd: 3x + 1 */
	/* 23 */ { OP_STORE, 1 },
	/* 24 */ { OP_LOAD, 2 }, { OP_PUSH, 1 }, { OP_ADD, 0 }, { OP_STORE, 2 }, /*   steps++ */
	/* 28 */ { OP_JMP, 10 },
	/* 29 */ { OP_LOAD, 4 }, { OP_LOAD, 2 }, { OP_ADD, 0 }, { OP_LOAD, 0 }, /* acc = (acc + steps) ^ n */
	/* 33 */ { OP_XOR, 0 }, { OP_STORE, 4 },
	/* 35 */ { OP_LOAD, 0 }, { OP_PUSH, 1 }, { OP_ADD, 0 }, { OP_STORE, 0 }, /* n++ */
	/* 39 */ { OP_JMP, 2 },
	/* 40 */ { OP_HALT, 0 },
};

static int64_t run_vm(const struct insn *code, int64_t limit)
{
	int64_t stack[16];
	int64_t vars[8] = { 0 };
	int sp = 0;
	int pc = 0;

	vars[3] = limit;
	for (;;) {
		const struct insn in = code[pc++];
		switch (in.op) {
		case OP_PUSH: stack[sp++] = in.arg; break;
		case OP_LOAD: stack[sp++] = vars[in.arg]; break;
		case OP_STORE: vars[in.arg] = stack[--sp]; break;
		case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
		case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
		case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
		case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
		case OP_SHR1: stack[sp - 1] >>= 1; break;
		case OP_MUL3P1: stack[sp - 1] = 3 * stack[sp - 1] + 1; break;
		case OP_JZ: if (stack[--sp] == 0) pc = in.arg; break;
		case OP_JNZ: if (stack[--sp] != 0) pc = in.arg; break;
		case OP_JMP: pc = in.arg; break;
		case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
		case OP_POP: sp--; break;
		case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
		case OP_HALT: return vars[4];
		default: return -1;
		}
	}
}

uint64_t work_int(void)
{
	static const uint32_t abc_digest[8] = {
		0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223, 0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad,
	};
	uint8_t *buf = halloc(BUF_SIZE);
	uint32_t h[8];
	uint64_t seed = 0x0123456789abcdefULL;
	uint64_t check = 0;

	/* Known answer first: SHA-256("abc"). */
	sha256(h, (const uint8_t *)"abc", 3);
	for (int i = 0; i < 8; i++)
		if (h[i] != abc_digest[i]) {
			uprintf("bench: FAIL: SHA-256(\"abc\") word %d is 0x%08x\n", i, h[i]);
			sys_exit(2);
		}

	for (size_t i = 0; i < BUF_SIZE; i += 8) {
		uint64_t r = rng_next(&seed);
		for (int j = 0; j < 8; j++)
			buf[i + j] = (uint8_t)(r >> (8 * j));
	}
	for (int pass = 0; pass < SHA_PASSES; pass++) {
		sha256(h, buf, BUF_SIZE - 13 * (size_t)pass); /* lengths not all multiples of 64 */
		for (int i = 0; i < 8; i++) {
			uint32_t *slot = (uint32_t *)(buf + ((size_t)pass * 32 + (size_t)i * 4) % BUF_SIZE);
			*slot ^= h[i];
			check = mix(check, h[i]);
		}
	}
	for (int run = 0; run < VM_RUNS; run++)
		check = mix(check, (uint64_t)run_vm(program, VM_LIMIT + run));
	return check;
}

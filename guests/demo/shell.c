/*
 * shell.c — the console shell: a prompt, a line editor and a few commands,
 * after the tasks, when the kernel command line holds the word "shell".
 *
 * Output goes through the SBI console like everything else. Input cannot:
 * SBI can only poll for it (DBCN read, the legacy getchar) and has no way to
 * say that a key arrived, so waiting for one would mean spinning. The shell
 * is therefore the one place where this kernel drives devices itself: the
 * 16550 UART's receiver, whose interrupt the PLIC routes to this hart's
 * S-mode context (addresses, source and context from the device tree).
 *
 * Waiting for a key: the kernel keeps sstatus.SIE = 0 and takes no
 * interrupts. With sie.SEIE = 1, wfi still returns once the PLIC raises
 * sip.SEIP: "WFI is also required to resume execution for locally enabled
 * interrupts pending at any privilege level, regardless of the global
 * interrupt enable" (privileged spec, Wait for Interrupt). No trap is taken;
 * the shell claims the interrupt at the PLIC, reads the UART until its
 * receiver is empty and completes the claim. The timer is stopped, so
 * nothing else wakes the hart: on rvisor, `run` returns 'idle' and the host
 * waits for input.
 */
#include "shell.h"
#include "console.h"
#include "riscv.h"
#include "sbi.h"
#include "task.h"
#include "timer.h"
#include "vm.h"

#include <stddef.h>

#define SIE_SEIE (1UL << 9) /* supervisor external interrupt enable */

/* 16550 registers: one byte each, no reg-shift (QEMU virt); LCR.DLAB is 0. */
#define UART_RBR       0    /* receive buffer */
#define UART_IER       1    /* interrupt enable */
#define UART_LSR       5    /* line status */
#define UART_IER_ERBFI 0x01 /* interrupt on received data available */
#define UART_LSR_DR    0x01 /* data ready */

/* PLIC registers, 32 bits each (RISC-V PLIC specification). */
#define PLIC_PRIORITY(src)     (4UL * (src))
#define PLIC_ENABLE(ctx, src)  (0x2000UL + 0x80UL * (ctx) + 4UL * ((src) / 32))
#define PLIC_THRESHOLD(ctx)    (0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)        (0x200004UL + 0x1000UL * (ctx)) /* read: claim; write: complete */

#define PROMPT "demo> "

static struct {
	int enabled;
	int failure;            /* the status `poweroff` reports */
	uint64_t uart;          /* UART base */
	uint32_t irq;           /* its PLIC source */
	uint64_t plic;          /* PLIC base */
	unsigned context;       /* our hart's S-mode PLIC context */
	char rx[64];            /* received, not yet read by the line editor */
	unsigned rx_head, rx_tail;
	int after_cr;           /* the last line ended with CR: ignore a LF right after */
} sh;

static uint8_t uart_read(unsigned reg)
{
	return *(volatile uint8_t *)(uintptr_t)(sh.uart + reg);
}

static void uart_write(unsigned reg, uint8_t value)
{
	*(volatile uint8_t *)(uintptr_t)(sh.uart + reg) = value;
}

static uint32_t plic_read(uint64_t offset)
{
	return *(volatile uint32_t *)(uintptr_t)(sh.plic + offset);
}

static void plic_write(uint64_t offset, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)(sh.plic + offset) = value;
}

static int has_word(const char *s, const char *word)
{
	while (*s != '\0') {
		const char *w = word;
		while (*s == ' ')
			s++;
		while (*w != '\0' && *s == *w) {
			s++;
			w++;
		}
		if (*w == '\0' && (*s == ' ' || *s == '\0'))
			return 1;
		while (*s != ' ' && *s != '\0')
			s++;
	}
	return 0;
}

void shell_init(const struct board_info *board, unsigned long hartid)
{
	int context = -1;

	if (!has_word(board->bootargs, "shell"))
		return;
	for (unsigned i = 0; i < board->hart_count && i < 8; i++)
		if (board->hart_ids[i] == hartid)
			context = board->plic_s_context[i];
	if (context < 0) {
		kprintf("shell: no PLIC S-mode context for hart %lu: no shell\n", hartid);
		return;
	}
	sh.enabled = 1;
	sh.uart = board->uart_base;
	sh.irq = board->uart_irq;
	sh.plic = board->plic_base;
	sh.context = (unsigned)context;
	kprintf("shell: command line \"%s\": a console shell follows the tasks\n",
		board->bootargs);
}

int shell_enabled(void)
{
	return sh.enabled;
}

/* Maps the registers, stops the timer, routes the UART's interrupt here. */
static void input_init(void)
{
	vm_map_device(sh.uart, 8);
	vm_map_device(sh.plic + PLIC_PRIORITY(sh.irq), 4);
	vm_map_device(sh.plic + PLIC_ENABLE(sh.context, sh.irq), 4);
	vm_map_device(sh.plic + PLIC_THRESHOLD(sh.context), 8);

	timer_stop();
	plic_write(PLIC_PRIORITY(sh.irq), 1);
	plic_write(PLIC_ENABLE(sh.context, sh.irq),
		   plic_read(PLIC_ENABLE(sh.context, sh.irq)) | 1U << (sh.irq % 32));
	plic_write(PLIC_THRESHOLD(sh.context), 0);
	uart_write(UART_IER, UART_IER_ERBFI); /* keystrokes typed earlier raise it at once */
	csr_set(sie, SIE_SEIE);
}

/* Moves what the UART received into sh.rx (what does not fit stays there). */
static void uart_drain(void)
{
	while ((sh.rx_tail - sh.rx_head) < sizeof(sh.rx) && (uart_read(UART_LSR) & UART_LSR_DR))
		sh.rx[sh.rx_tail++ % sizeof(sh.rx)] = (char)uart_read(UART_RBR);
}

/* The next input byte; sleeps in wfi until there is one. */
static char getc_wait(void)
{
	while (sh.rx_head == sh.rx_tail) {
		uint32_t source;

		wait_for_interrupt(); /* may also return for no reason: just check */
		source = plic_read(PLIC_CLAIM(sh.context));
		if (source == sh.irq)
			uart_drain();
		if (source != 0)
			plic_write(PLIC_CLAIM(sh.context), source); /* complete */
	}
	return sh.rx[sh.rx_head++ % sizeof(sh.rx)];
}

static void put(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	console_write(s, n);
}

/*
 * Reads a line with echo: Backspace/DEL erase, Ctrl-U erases the line,
 * Ctrl-C abandons it, CR, LF or CR LF end it; escape sequences (arrow keys)
 * and other control characters are ignored. Returns it NUL-terminated.
 */
static void read_line(char *line, size_t size)
{
	size_t len = 0;
	enum { PLAIN, ESC, CSI, SS3 } state = PLAIN;

	for (;;) {
		char c = getc_wait();
		int after_cr = sh.after_cr;

		sh.after_cr = 0;
		if (state == ESC) {
			state = c == '[' ? CSI : c == 'O' ? SS3 : PLAIN;
		} else if (state == CSI) {
			if (c >= 0x40 && c <= 0x7e) /* a CSI sequence's final byte */
				state = PLAIN;
		} else if (state == SS3) {
			state = PLAIN;
		} else if (c == '\r' || c == '\n') {
			if (c == '\n' && after_cr)
				continue;
			sh.after_cr = c == '\r';
			put("\n");
			line[len] = '\0';
			return;
		} else if (c == 0x7f || c == '\b') {
			if (len > 0) {
				len--;
				put("\b \b");
			}
		} else if (c == 0x15) { /* Ctrl-U */
			for (; len > 0; len--)
				put("\b \b");
		} else if (c == 0x03) { /* Ctrl-C */
			put("^C\n");
			line[0] = '\0';
			return;
		} else if (c == 0x1b) {
			state = ESC;
		} else if (c >= ' ' && c <= '~' && len + 1 < size) {
			line[len++] = c;
			console_write(&c, 1);
		}
	}
}

static void cmd_help(const char *args);

static void cmd_echo(const char *args)
{
	kprintf("%s\n", args);
}

static void cmd_uptime(const char *args)
{
	(void)args;
	kprintf("up %lu ms\n", timer_uptime_ms());
}

static void cmd_tasks(const char *args)
{
	(void)args;
	tasks_print();
}

static void cmd_sbi(const char *args)
{
	(void)args;
	sbi_print_info();
}

static void cmd_poweroff(const char *args)
{
	(void)args;
	kprintf("shell: powering off through SBI SRST\n");
	sbi_shutdown(sh.failure);
}

static const struct command {
	const char *name;
	const char *usage;
	const char *help;
	void (*run)(const char *args);
} commands[] = {
	{ "help", "help", "list the commands", cmd_help },
	{ "echo", "echo TEXT", "print TEXT", cmd_echo },
	{ "uptime", "uptime", "milliseconds since boot", cmd_uptime },
	{ "tasks", "tasks", "the task table", cmd_tasks },
	{ "sbi", "sbi", "the SBI version, implementation and extensions", cmd_sbi },
	{ "poweroff", "poweroff", "power off through SBI SRST", cmd_poweroff },
};

#define NUM_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void cmd_help(const char *args)
{
	(void)args;
	kprintf("commands:\n");
	for (size_t i = 0; i < NUM_COMMANDS; i++)
		kprintf("  %-10s %s\n", commands[i].usage, commands[i].help);
}

static int str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Splits "name args" at the first run of spaces and runs the command. */
static void run_command(char *line)
{
	char *name = line, *args;

	while (*name == ' ')
		name++;
	if (*name == '\0')
		return;
	for (args = name; *args != ' ' && *args != '\0'; args++)
		;
	if (*args == ' ') {
		*args++ = '\0';
		while (*args == ' ')
			args++;
	}
	for (size_t i = 0; i < NUM_COMMANDS; i++) {
		if (str_eq(name, commands[i].name)) {
			commands[i].run(args);
			return;
		}
	}
	kprintf("unknown command: %s (try help)\n", name);
}

void shell_run(int failure)
{
	char line[128];

	sh.failure = failure;
	input_init();
	kprintf("\nshell: input from the UART at 0x%lx (PLIC 0x%lx source %u, context %u); "
		"type help\n", sh.uart, sh.plic, sh.irq, sh.context);
	for (;;) {
		put(PROMPT);
		read_line(line, sizeof(line));
		run_command(line);
	}
}

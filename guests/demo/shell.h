/*
 * shell.h — an optional interactive console shell, run once the tasks are
 * done when the kernel command line (/chosen/bootargs) holds the word
 * "shell".
 */
#ifndef DEMO_SHELL_H
#define DEMO_SHELL_H

#include "fdt.h"

/*
 * Enables the shell if the command line in `board` asks for it: input will
 * come from the UART that `board` describes, its interrupt through the PLIC
 * context of `hartid` (the hart that runs the kernel).
 */
void shell_init(const struct board_info *board, unsigned long hartid);
int shell_enabled(void);

/*
 * Runs the shell in the kernel's address space, once no task is left, with
 * interrupts off, sleeping in wfi between keystrokes. Never returns: its
 * `poweroff` powers off, with reason "system failure" if `failure` (a task
 * failed its check).
 */
__attribute__((noreturn)) void shell_run(int failure);

#endif /* DEMO_SHELL_H */

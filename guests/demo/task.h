/*
 * task.h — U-mode tasks and the round-robin scheduler.
 */
#ifndef DEMO_TASK_H
#define DEMO_TASK_H

#include <stdint.h>

#include "trap.h"
#include "vm.h"

#define MAX_TASKS 4

enum task_state {
	TASK_UNUSED,
	TASK_RUNNABLE,
	TASK_SLEEPING,
	TASK_EXITED,
};

struct fpu_state {
	uint64_t f[32];
	uint64_t fcsr;
};

struct task {
	struct trap_frame frame;   /* registers while not running */
	struct fpu_state fpu;      /* FP registers, valid when not live in the FPU */
	int pid;
	const char *name;
	enum task_state state;
	pte_t *page_table;         /* root of its address space */
	uint64_t wake_time;        /* for TASK_SLEEPING: `time` to wake at */
	int exit_code;
	/* statistics */
	uint64_t syscalls;
	uint64_t preemptions;      /* times the timer took the CPU away */
	uint64_t runs;             /* times it was switched to */
	uint64_t page_faults;      /* stack pages mapped on first touch */
};

/* The task entry point: int main(long arg), running in U-mode. */
typedef int (*task_main_fn)(long arg);

/* Creates a runnable task; uses_fpu starts it with sstatus.FS = Initial. */
struct task *task_create(const char *name, task_main_fn main, long arg, int uses_fpu);

struct task *task_current(void);

/* Called on every trap from a task, first thing: saves its dirty FP state. */
void task_trap_entry(struct task *task);

/* Reasons to give up the CPU: each makes the next schedule() move on */
void task_yield(void);                   /* stays runnable, goes to the back */
void task_preempt(void);                 /* the same, counted as a preemption */
void task_sleep_until(uint64_t time);
void task_exit(int code);

/* Wakes sleeping tasks whose time has come. */
void tasks_wake_sleepers(uint64_t now);

/*
 * Chooses the task to run (round robin), switching address space and FP
 * state as needed, and returns the frame to resume. Idles (wfi) while every
 * live task sleeps; when all have exited, prints the summary and powers off.
 */
struct trap_frame *schedule(void);

/* Prints the task table: pid, name, state, exit code, statistics. */
void tasks_print(void);

/* Starts the first task; never returns. */
__attribute__((noreturn)) void scheduler_start(void);

#endif /* DEMO_TASK_H */

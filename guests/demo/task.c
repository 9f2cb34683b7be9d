/*
 * task.c — tasks and the scheduler.
 *
 * The kernel is not preemptible and keeps no state of its own between
 * traps: a task's registers live in its trap frame, and "switching tasks"
 * means returning from the trap into a different frame. Every trap ends in
 * schedule(), which picks the next frame in round-robin order when the
 * current task yielded, slept, exited or was preempted by the timer.
 *
 * Floating point is switched lazily: the FPU keeps the registers of
 * `fpu_owner`; a task's registers are saved only when it dirtied them
 * (sstatus.FS = Dirty) and restored only when another task used the FPU in
 * between. The kernel itself runs with FS = Off, so it cannot touch them.
 */
#include "task.h"
#include "console.h"
#include "riscv.h"
#include "sbi.h"
#include "shell.h"
#include "timer.h"

/* fpu.S */
void fpu_save(struct fpu_state *state);
void fpu_restore(const struct fpu_state *state);

/* user/start.c: calls main(arg), then exit with its result. */
extern char user_task_start[];

static struct task tasks[MAX_TASKS];
static struct task *current;       /* the task that trapped / will run */
static struct task *fpu_owner;     /* whose registers are in the FPU */
static struct {
	int need_resched;           /* the current task gave up the CPU */
	int timer_expired;          /* ... because its time slice ran out */
	uint64_t context_switches;
	uint64_t idle_ticks;
} sched;

struct task *task_current(void)
{
	return current;
}

struct task *task_create(const char *name, task_main_fn main, long arg, int uses_fpu)
{
	struct task *task = NULL;
	uint64_t sstatus = csr_read(sstatus);

	for (int i = 0; i < MAX_TASKS; i++) {
		if (tasks[i].state == TASK_UNUSED) {
			task = &tasks[i];
			task->pid = i + 1;
			break;
		}
	}
	if (task == NULL)
		panic("too many tasks");

	task->name = name;
	task->page_table = vm_create_user_space();
	task->frame.sepc = (uint64_t)(uintptr_t)user_task_start;
	task->frame.regs[REG_A0] = (uint64_t)(uintptr_t)main;
	task->frame.regs[REG_A1] = (uint64_t)arg;
	task->frame.regs[REG_SP] = USER_STACK_TOP;
	/* sret into U-mode with interrupts on; FP as asked */
	sstatus &= ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM | SSTATUS_FS_MASK);
	sstatus |= SSTATUS_SPIE | (uses_fpu ? SSTATUS_FS_INITIAL : SSTATUS_FS_OFF);
	task->frame.sstatus = sstatus;
	task->state = TASK_RUNNABLE;
	kprintf("task: created %d \"%s\", entry %p, stack top 0x%lx, page table %p%s\n",
		task->pid, name, (void *)main, USER_STACK_TOP, (void *)task->page_table,
		uses_fpu ? ", with FPU" : "");
	return task;
}

static uint64_t fs_of(const struct task *task)
{
	return task->frame.sstatus & SSTATUS_FS_MASK;
}

static void fpu_enable(void)
{
	csr_set(sstatus, SSTATUS_FS_CLEAN);
}

static void fpu_disable(void)
{
	csr_clear(sstatus, SSTATUS_FS_MASK);
}

void task_trap_entry(struct task *task)
{
	if (task != NULL && fs_of(task) == SSTATUS_FS_DIRTY) {
		fpu_save(&task->fpu); /* FS is still the task's (Dirty): usable */
		task->frame.sstatus = (task->frame.sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
		fpu_owner = task;
	}
	fpu_disable();
}

/* Loads the task's FP registers unless they are still in the FPU. */
static void fpu_switch_to(struct task *task)
{
	if (fs_of(task) == SSTATUS_FS_OFF || fpu_owner == task)
		return;
	fpu_enable();
	fpu_restore(&task->fpu);
	fpu_disable();
	fpu_owner = task;
}

void task_yield(void)
{
	sched.need_resched = 1;
}

void task_preempt(void)
{
	sched.need_resched = 1;
	sched.timer_expired = 1;
}

void task_sleep_until(uint64_t time)
{
	current->state = TASK_SLEEPING;
	current->wake_time = time;
	sched.need_resched = 1;
}

void task_exit(int code)
{
	current->state = TASK_EXITED;
	current->exit_code = code;
	if (fpu_owner == current)
		fpu_owner = NULL;
	sched.need_resched = 1;
	kprintf("task: %d \"%s\" exited with code %d after %lu syscalls, %lu preemptions, %lu page faults\n",
		current->pid, current->name, code, current->syscalls, current->preemptions,
		current->page_faults);
}

void tasks_wake_sleepers(uint64_t now)
{
	for (int i = 0; i < MAX_TASKS; i++) {
		if (tasks[i].state == TASK_SLEEPING && now >= tasks[i].wake_time)
			tasks[i].state = TASK_RUNNABLE;
	}
}

/* The next runnable task after `after` in table order, wrapping around. */
static struct task *next_runnable(struct task *after)
{
	int start = after ? (int)(after - tasks) + 1 : 0;

	for (int i = 0; i < MAX_TASKS; i++) {
		struct task *task = &tasks[(start + i) % MAX_TASKS];
		if (task->state == TASK_RUNNABLE)
			return task;
	}
	return NULL;
}

static int tasks_alive(void)
{
	int alive = 0;

	for (int i = 0; i < MAX_TASKS; i++)
		alive += tasks[i].state == TASK_RUNNABLE || tasks[i].state == TASK_SLEEPING;
	return alive;
}

static __attribute__((noreturn)) void all_tasks_done(void)
{
	uint64_t syscalls = 0;
	int failures = 0;

	vm_activate(vm_kernel_root());
	for (int i = 0; i < MAX_TASKS; i++) {
		syscalls += tasks[i].syscalls;
		failures += tasks[i].state == TASK_EXITED && tasks[i].exit_code != 0;
	}
	kprintf("\nsummary: all tasks exited after %lu ms\n", timer_uptime_ms());
	kprintf("summary: %lu timer ticks (%lu idle), %lu syscalls served, %lu context switches\n",
		timer_ticks(), sched.idle_ticks, syscalls, sched.context_switches);
	for (int i = 0; i < MAX_TASKS; i++) {
		const struct task *t = &tasks[i];
		if (t->state == TASK_UNUSED)
			continue;
		kprintf("summary:   %d %-8s exit %d, %3lu syscalls, %3lu preemptions, ran %3lu times\n",
			t->pid, t->name, t->exit_code, t->syscalls, t->preemptions, t->runs);
	}
	kprintf("summary: %s; %s\n", failures ? "some tasks FAILED" : "all tasks succeeded",
		shell_enabled() ? "starting the console shell" : "powering off through SBI SRST");
	if (shell_enabled())
		shell_run(failures != 0);
	sbi_shutdown(failures != 0);
}

void tasks_print(void)
{
	static const char *const states[] = {
		[TASK_UNUSED] = "unused", [TASK_RUNNABLE] = "runnable",
		[TASK_SLEEPING] = "sleeping", [TASK_EXITED] = "exited",
	};

	kprintf("PID  NAME      STATE     EXIT  SYSCALLS  PREEMPTIONS  PAGE FAULTS\n");
	for (int i = 0; i < MAX_TASKS; i++) {
		const struct task *t = &tasks[i];
		if (t->state == TASK_UNUSED)
			continue;
		kprintf("%3d  %-8s  %-8s  %4d  %8lu  %11lu  %11lu\n", t->pid, t->name,
			states[t->state], t->exit_code, t->syscalls, t->preemptions,
			t->page_faults);
	}
}

/* Waits with wfi (interrupts off, sie.STIE on) until a sleeper wakes. */
static void idle_until_runnable(void)
{
	while (next_runnable(NULL) == NULL) {
		wait_for_interrupt();
		if (timer_pending()) {
			timer_tick();
			sched.idle_ticks++;
			tasks_wake_sleepers(read_time());
		}
	}
}

struct trap_frame *schedule(void)
{
	struct task *next;

	if (tasks_alive() == 0)
		all_tasks_done();

	if (current != NULL && current->state == TASK_RUNNABLE && !sched.need_resched) {
		next = current; /* it keeps the CPU */
	} else {
		/* Round robin: whoever comes after the current task. */
		next = next_runnable(current);
		if (next == NULL) {
			idle_until_runnable();
			next = next_runnable(current);
		}
	}
	if (next != current && current != NULL && current->state == TASK_RUNNABLE &&
	    sched.timer_expired)
		current->preemptions++;
	sched.need_resched = 0;
	sched.timer_expired = 0;

	if (next != current) {
		sched.context_switches++;
		next->runs++;
		vm_activate(next->page_table);
		current = next;
	}
	fpu_switch_to(next);
	return &next->frame;
}

void scheduler_start(void)
{
	struct trap_frame *first;

	kprintf("sched: starting %d tasks, round robin, %d ms time slice\n",
		tasks_alive(), 1000 / TICK_HZ);
	timer_start();
	first = schedule();
	trap_return(first);
}

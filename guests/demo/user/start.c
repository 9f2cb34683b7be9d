/*
 * start.c — the first U-mode code every task runs.
 */
#include "programs.h"
#include "ulib.h"

void user_task_start(int (*main)(long), long arg)
{
	sys_exit(main(arg));
}

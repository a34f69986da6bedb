/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Long work started from the app (analyzing, importing a file) on a thread
 * below the window's priority: on a machine with few cores, or with a
 * renderer drawing on the CPU, the frames come first and the work gets
 * what they leave. */
#include "config.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "pd-worker.h"

#define WORKER_NICE 10

typedef struct {
  GTask           *task;
  GTaskThreadFunc  func;
} Work;

static gpointer
worker_thread (gpointer data)
{
  Work *work = data;

#ifdef __linux__
  /* per thread on Linux, and inherited by the threads it starts (the
   * record source's reader and normalizers) */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), WORKER_NICE);
#endif
  work->func (work->task, g_task_get_source_object (work->task), g_task_get_task_data (work->task),
              g_task_get_cancellable (work->task));
  g_object_unref (work->task);
  g_free (work);
  return NULL;
}

/**
 * pd_worker_run_in_thread:
 * @name: the thread's name, for debuggers (15 characters at most)
 *
 * Like g_task_run_in_thread(), at a lower priority, on a thread of its own
 * rather than one of GTask's pool: a thread cannot raise its priority back
 * for the next task.  @func returns the task's value as usual.
 */
void
pd_worker_run_in_thread (GTask           *task,
                         GTaskThreadFunc  func,
                         const char      *name)
{
  Work *work = g_new (Work, 1);

  work->task = g_object_ref (task);
  work->func = func;
  g_thread_unref (g_thread_new (name, worker_thread, work));
}

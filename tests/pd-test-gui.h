/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The main-loop helpers of the tests and tools that drive windows. */

/* GUI tests skip without a display (make test runs them under Xvfb). */
static inline gboolean
pd_test_has_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

static inline gboolean
pd_test_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms. */
static inline void
pd_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, pd_test_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @cond holds, failing after @seconds. */
#define PD_TEST_WAIT_UNTIL(cond, seconds)                                          \
  G_STMT_START {                                                                 \
    gboolean timed_out_ = FALSE;                                                 \
    guint id_ = g_timeout_add_seconds ((seconds), pd_test_timeout_cb, &timed_out_); \
    while (!(cond) && !timed_out_)                                               \
      g_main_context_iteration (NULL, TRUE);                                     \
    if (!timed_out_)                                                             \
      g_source_remove (id_);                                                     \
    g_assert_true (cond);                                                        \
  } G_STMT_END

/* The main loop's heartbeat: a timeout every few ms, and the longest
 * time between two of them (a main loop blocked by a call shows there). */
typedef struct {
  gint64 last;
  gint64 longest;   /* µs */
  guint  ticks;
  guint  id;
} PdTestHeartbeat;

static inline gboolean
pd_test_heartbeat_tick (gpointer data)
{
  PdTestHeartbeat *beat = data;
  gint64 now = g_get_monotonic_time ();

  if (beat->last != 0)
    beat->longest = MAX (beat->longest, now - beat->last);
  beat->last = now;
  beat->ticks++;
  return G_SOURCE_CONTINUE;
}

static inline void
pd_test_heartbeat_start (PdTestHeartbeat *beat,
                         guint            interval_ms)
{
  *beat = (PdTestHeartbeat) { 0 };
  beat->id = g_timeout_add (interval_ms, pd_test_heartbeat_tick, beat);
}

static inline void
pd_test_heartbeat_stop (PdTestHeartbeat *beat)
{
  g_clear_handle_id (&beat->id, g_source_remove);
}

G_END_DECLS

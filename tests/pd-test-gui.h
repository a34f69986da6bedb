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

G_END_DECLS

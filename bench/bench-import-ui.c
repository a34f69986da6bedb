/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "pd-import-assistant.h"
#include "pd-renderer.h"
#include "pd-sqlite-store.h"
#include "pd-window.h"

/* Is the app responsive while a big file is analyzed and imported?
 *
 *   xvfb-run -a bench-import-ui FILE [--db DB] [--no-search] [--settle MS] [--verbose]
 *
 * Opens the main window and the import assistant on FILE (the 50 MB limit
 * lifted), then runs the Analyze step and the Import step as a user would
 * (Next, Next, …), on a fresh database (or DB).  Meanwhile a tick callback
 * keeps the frame clock running and a 10 ms timeout runs on the main
 * loop; the longest gap between two ticks and between two timeouts, per
 * step, is the longest the window could not respond.  Unless --no-search,
 * the main window's search is changed every 300 ms, as a user looking up
 * personas during the import.  After each step, the SETTLE ms (default
 * 2000) that follow its end are measured too, and printed apart ("after"):
 * what runs when a step finishes (its results shown, the list reloaded
 * after the commit) stalls the window as much as what runs during it, and
 * a step's completion callback runs after the step's last tick.  Target:
 * no gap above 50 ms. */

#define TIMER_MS 10

typedef struct {
  const char *name;
  gint64      start;
  gint64      end;
  gint64      last_tick;
  gint64      last_timer;
  gint64      max_tick_gap;
  gint64      max_timer_gap;
  gint64      max_tick_at;    /* when the longest gap ended, from the start */
  gint64      max_timer_at;
  guint       ticks;
  guint       timers;
  guint       slow_ticks;   /* gaps > 50 ms */
  guint       slow_timers;
  GArray     *tick_gaps;
} Phase;

static Phase *current;
static gboolean verbose;
static guint searches;

static void
phase_begin (Phase      *phase,
             const char *name)
{
  *phase = (Phase) { .name = name, .start = g_get_monotonic_time () };
  phase->tick_gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  current = phase;
}

static gboolean
settled_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The step is done: @after measures what its completion set going, from
 * the step's last tick and timeout on. */
static void
phase_end (Phase      *phase,
           Phase      *after,
           const char *after_name,
           guint       settle_ms)
{
  gboolean settled = FALSE;

  phase->end = g_get_monotonic_time ();
  phase_begin (after, after_name);
  after->last_tick = phase->last_tick;
  after->last_timer = phase->last_timer;
  g_timeout_add (settle_ms, settled_cb, &settled);
  while (!settled)
    g_main_context_iteration (NULL, TRUE);
  after->end = g_get_monotonic_time ();
  current = NULL;
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
phase_print (Phase *phase,
             guint  rows)
{
  double seconds = (phase->end - phase->start) / (double) G_USEC_PER_SEC;
  gint64 p99 = 0;

  if (phase->tick_gaps->len > 0)
    {
      g_array_sort (phase->tick_gaps, cmp_gint64);
      p99 = g_array_index (phase->tick_gaps, gint64, phase->tick_gaps->len * 99 / 100);
    }
  g_print ("%-13s %8.1f s  %'9u rows  %'9.0f rows/s\n"
           "         frame ticks %6u, longest gap %6.1f ms (ending at %.1f s), p99 %5.1f ms, gaps > 50 ms: %u\n"
           "         %d ms timer %6u, longest gap %6.1f ms (ending at %.1f s), gaps > 50 ms: %u\n",
           phase->name, seconds, rows, seconds > 0 ? rows / seconds : 0,
           phase->ticks, phase->max_tick_gap / 1000.0, phase->max_tick_at / 1e6, p99 / 1000.0,
           phase->slow_ticks,
           TIMER_MS, phase->timers, phase->max_timer_gap / 1000.0, phase->max_timer_at / 1e6,
           phase->slow_timers);
  g_array_unref (phase->tick_gaps);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (current != NULL)
    {
      if (current->last_tick != 0)
        {
          gint64 gap = now - current->last_tick;

          g_array_append_val (current->tick_gaps, gap);
          if (gap > current->max_tick_gap)
            {
              current->max_tick_gap = gap;
              current->max_tick_at = now - current->start;
            }
          if (gap > 50 * 1000)
            {
              current->slow_ticks++;
              /* CLOCK_MONOTONIC µs, to line up with perf record -k CLOCK_MONOTONIC */
              if (verbose)
                g_printerr ("%s: frame gap %.1f ms from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " µs\n",
                            current->name, gap / 1000.0, current->last_tick, now);
            }
        }
      current->last_tick = now;
      current->ticks++;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
timer_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (current != NULL)
    {
      if (current->last_timer != 0)
        {
          /* The interval itself is not a stall. */
          gint64 gap = now - current->last_timer - TIMER_MS * 1000;

          if (gap > current->max_timer_gap)
            {
              current->max_timer_gap = gap;
              current->max_timer_at = now - current->start;
            }
          if (gap > 50 * 1000)
            current->slow_timers++;
        }
      current->last_timer = now;
      current->timers++;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
search_cb (gpointer data)
{
  static const char * const queries[] = { "ada", "(202) 555", "smith", "@gmail", "" };
  GtkEditable *entry = pd_window_get_search_entry (data);

  gtk_editable_set_text (entry, queries[searches++ % G_N_ELEMENTS (queries)]);
  return G_SOURCE_CONTINUE;
}

static PdImportAssistant *
find_assistant (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (PD_IS_IMPORT_ASSISTANT (window))
        return PD_IMPORT_ASSISTANT (window);
    }
  return NULL;
}

#define WAIT_UNTIL(cond)                                                   \
  G_STMT_START {                                                           \
    while (!(cond))                                                        \
      g_main_context_iteration (NULL, TRUE);                               \
  } G_STMT_END

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  gboolean no_search = FALSE;
  int settle_ms = 2000;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database (default: a fresh one in /tmp)", "DB" },
    { "no-search", 0, 0, G_OPTION_ARG_NONE, &no_search, "Do not search during the import", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "List each frame gap above 50 ms (monotonic µs)", NULL },
    { "settle", 0, 0, G_OPTION_ARG_INT, &settle_ms, "Keep measuring this long after each step (2000)", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  PdWindow *window;
  PdImportAssistant *assistant;
  PdImportAnalyzePage *analyze;
  PdImportProgressPage *progress;
  PdAnalysis *analysis;
  const PdImportInfo *info;
  Phase analyze_phase, import_phase, analyze_after, import_after;
  guint search_id = 0;

  /* As persona-desk's main() does. */
  pd_renderer_choose ();
  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: bench-import-ui FILE [--db DB] [--no-search] [--settle MS] [--verbose]\n");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-import-ui: no display; run under xvfb-run -a\n");
      return 77;
    }
  adw_init ();
  pd_renderer_forget ();

  if (db == NULL)
    {
      dir = g_dir_make_tmp ("pd-bench-import-ui-XXXXXX", &error);
      g_assert_no_error (error);
      db = g_build_filename (dir, "personas.db", NULL);
    }
  store = PD_STORE (pd_sqlite_store_new (db, &error));
  if (store == NULL)
    g_error ("%s", error->message);
  file = g_file_new_for_commandline_arg (argv[1]);

  window = pd_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* The assistant, as Ctrl+I opens it; the file step refuses files above
   * 50 MB, which this benchmark is about. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import", NULL));
  WAIT_UNTIL ((assistant = find_assistant ()) != NULL && gtk_widget_get_mapped (GTK_WIDGET (assistant)));
  pd_import_file_page_set_max_size (pd_import_assistant_get_file_page (assistant), G_MAXUINT64);
  gtk_widget_add_tick_callback (GTK_WIDGET (assistant), tick_cb, NULL, NULL);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, NULL, NULL);
  g_timeout_add (TIMER_MS, timer_cb, NULL);

  pd_import_assistant_open_file (assistant, file);
  WAIT_UNTIL (pd_import_assistant_get_step (assistant) == PD_IMPORT_STEP_MAP);
  pd_import_assistant_next (assistant);
  pd_import_options_page_set_terms_accepted (pd_import_assistant_get_options_page (assistant), TRUE);
  if (!no_search)
    search_id = g_timeout_add (300, search_cb, window);

  phase_begin (&analyze_phase, "analyze");
  pd_import_assistant_next (assistant);
  analyze = pd_import_assistant_get_analyze_page (assistant);
  WAIT_UNTIL (!pd_import_analyze_page_is_running (analyze));
  phase_end (&analyze_phase, &analyze_after, "after analyze", MAX (settle_ms, 0));
  analysis = pd_import_analyze_page_get_analysis (analyze);
  if (analysis == NULL)
    g_error ("analysis failed: %s", pd_import_analyze_page_get_error (analyze));

  phase_begin (&import_phase, "import");
  pd_import_assistant_next (assistant);
  progress = pd_import_assistant_get_progress_page (assistant);
  WAIT_UNTIL (!pd_import_progress_page_is_running (progress));
  phase_end (&import_phase, &import_after, "after import", MAX (settle_ms, 0));
  if (!pd_import_progress_page_get_succeeded (progress))
    g_error ("import failed: %s", pd_import_progress_page_get_error (progress));
  if (search_id != 0)
    g_source_remove (search_id);

  info = pd_import_job_get_info (pd_import_progress_page_get_job (progress));
  /* Under Xvfb the GL renderer is llvmpipe: it draws on the CPU cores the
   * import needs, and its frames wait for it (GSK_RENDERER=cairo draws on
   * the main thread).  Say which one the figures are for. */
  g_print ("renderer %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_print ("file %s: %'u rows, %'u valid, %'u failed; imported %'u, updated %'u, ignored %'u, failed %'u; "
           "%u searches during the run\n",
           argv[1], pd_analysis_get_total (analysis), pd_analysis_get_valid (analysis),
           pd_analysis_get_failed (analysis), info->imported, info->updated, info->ignored,
           info->failed, searches);
  phase_print (&analyze_phase, pd_analysis_get_total (analysis));
  phase_print (&analyze_after, 0);
  phase_print (&import_phase, info->total);
  phase_print (&import_after, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_unlink (db);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "pd-import-failed-row.h"
#include "pd-import-row-queue.h"

/* Rows are built one per frame: building a row takes under a ms, but
 * measuring it in that frame (its wrapped reasons laid out at several
 * widths) about ten.  An idle instead ran several times between two
 * frames, and each frame then laid out a dozen new rows (60-100 ms). */

/* A row of one of the page's lists, waiting to be built. */
typedef enum {
  ROW_FAILED        = 1 << 0,  /* failed in the analysis: an expander to correct it */
  ROW_STORE_FAILED  = 1 << 1,  /* failed only in the dry run, against saved personas */
  ROW_CHANGE        = 1 << 2,  /* a field the dry run changes on a matched persona */
} RowKind;

typedef struct {
  RowKind  kind;
  guint    row;
  char    *title;
  char    *subtitle;
} RowSpec;

static void
row_spec_free (gpointer data)
{
  RowSpec *spec = data;

  if (spec == NULL)
    return;
  g_free (spec->title);
  g_free (spec->subtitle);
  g_free (spec);
}

static RowSpec *
row_spec_new (RowKind  kind,
              guint    row,
              char    *title,
              char    *subtitle)
{
  RowSpec *spec = g_new0 (RowSpec, 1);

  spec->kind = kind;
  spec->row = row;
  spec->title = title;
  spec->subtitle = subtitle;
  return spec;
}

struct _PdImportRowQueue
{
  GObject        parent_instance;

  GtkWidget     *owner;         /* unowned: it owns the queue */
  GtkListBox    *failed_list;   /* unowned: the owner's */
  GtkListBox    *changes_list;
  PdAnalysis    *analysis;      /* of the failed rows */
  guint          fill_id;       /* tick callback building the rows in pending */
  GQueue         pending;       /* RowSpec, in the order they are shown */
  GCancellable  *results_cancellable;  /* reading the dry run's row results */
};

G_DEFINE_FINAL_TYPE (PdImportRowQueue, pd_import_row_queue, G_TYPE_OBJECT)

enum {
  STORE_FAILED_READ,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
build_row (PdImportRowQueue *self,
           const RowSpec    *spec)
{
  GtkWidget *row;

  if (spec->kind == ROW_FAILED)
    {
      row = pd_import_failed_row_new (spec->row, self->analysis,
                                      pd_import_failed_row_find (self->analysis, spec->row),
                                      spec->title, spec->subtitle);
    }
  else
    {
      row = adw_action_row_new ();
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), spec->subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), spec->title);
    }
  if (spec->kind == ROW_STORE_FAILED)
    g_object_set_data (G_OBJECT (row), "store-failed", GINT_TO_POINTER (1));
  if (spec->kind == ROW_FAILED)
    {
      /* Before the rows that fail against the saved personas: a page of
       * failed rows comes after them when the user pages. */
      int position = 0;

      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->failed_list));
           child != NULL && PD_IS_IMPORT_FAILED_ROW (child);
           child = gtk_widget_get_next_sibling (child))
        position++;
      gtk_list_box_insert (self->failed_list, row, position);
    }
  else
    gtk_list_box_append (spec->kind == ROW_CHANGE ? self->changes_list : self->failed_list, row);
  return row;
}

/* Builds the next pending row: building a hundred rows at once stalled
 * the window for a few hundred ms. */
static gboolean
fill_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  PdImportRowQueue *self = PD_IMPORT_ROW_QUEUE (data);
  RowSpec *spec = g_queue_pop_head (&self->pending);

  if (spec != NULL)
    {
      build_row (self, spec);
      row_spec_free (spec);
    }

  if (!g_queue_is_empty (&self->pending))
    return G_SOURCE_CONTINUE;
  self->fill_id = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_filling (PdImportRowQueue *self)
{
  if (self->fill_id != 0)
    gtk_widget_remove_tick_callback (self->owner, self->fill_id);
  self->fill_id = 0;
}

static void
queue_row (PdImportRowQueue *self,
           RowSpec          *spec)
{
  g_queue_push_tail (&self->pending, spec);
  if (self->fill_id == 0)
    self->fill_id = gtk_widget_add_tick_callback (self->owner, fill_cb, self, NULL);
}

/* Forgets the rows of @kinds not built yet. */
static void
drop_pending (PdImportRowQueue *self,
              RowKind           kinds)
{
  GList *l = self->pending.head;

  while (l != NULL)
    {
      GList *next = l->next;
      RowSpec *spec = l->data;

      if (spec->kind & kinds)
        {
          row_spec_free (spec);
          g_queue_delete_link (&self->pending, l);
        }
      l = next;
    }
  if (g_queue_is_empty (&self->pending))
    stop_filling (self);
}

void
pd_import_row_queue_show_failed (PdImportRowQueue *self,
                                 PdAnalysis       *analysis)
{
  GtkWidget *child;

  g_return_if_fail (PD_IS_IMPORT_ROW_QUEUE (self));

  g_set_object (&self->analysis, analysis);
  drop_pending (self, ROW_FAILED | ROW_STORE_FAILED);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->failed_list))) != NULL)
    gtk_list_box_remove (self->failed_list, child);
  pd_import_row_queue_show_failed_page (self, 0);
}

void
pd_import_row_queue_show_failed_page (PdImportRowQueue *self,
                                      guint             first)
{
  GPtrArray *rows;
  guint end;
  GtkWidget *child;

  g_return_if_fail (PD_IS_IMPORT_ROW_QUEUE (self));
  if (self->analysis == NULL)
    return;

  rows = pd_analysis_get_failed_rows (self->analysis);
  end = MIN (rows->len, (guint64) first + PD_IMPORT_MAX_SHOWN_ROWS);
  /* The rows of the page shown before go; those failed only against the
   * saved personas stay. */
  drop_pending (self, ROW_FAILED);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->failed_list))) != NULL
         && PD_IS_IMPORT_FAILED_ROW (child))
    gtk_list_box_remove (self->failed_list, child);

  /* Built in the frames to come, after the counts are shown. */
  for (guint i = first; i < end; i++)
    {
      const PdAnalysisRow *row = g_ptr_array_index (rows, i);

      queue_row (self, row_spec_new (ROW_FAILED, row->row, g_strdup_printf (_("Row %u"), row->row),
                                     g_strjoinv ("\n", row->reasons)));
    }
}

guint
pd_import_row_queue_show_changes (PdImportRowQueue *self,
                                  PdImportJob      *job)
{
  GPtrArray *changes = pd_import_job_get_changes (job);
  guint n = MIN (changes->len, PD_IMPORT_MAX_SHOWN_ROWS);

  g_return_val_if_fail (PD_IS_IMPORT_ROW_QUEUE (self), 0);

  for (guint i = 0; i < n; i++)
    {
      const PdImportFieldChange *c = g_ptr_array_index (changes, i);
      const PdFieldInfo *info = pd_field_lookup (c->field);

      queue_row (self, row_spec_new (ROW_CHANGE, c->row,
                                     g_strdup_printf (_("Row %u, persona %" PRId64),
                                                      c->row, c->persona_id),
                                     g_strdup_printf ("%s: %s → %s",
                                                      info != NULL ? _(info->label) : c->field,
                                                      c->old_value != NULL ? c->old_value : _("(empty)"),
                                                      c->new_value != NULL ? c->new_value : _("(empty)"))));
    }
  return n;
}

void
pd_import_row_queue_clear_changes (PdImportRowQueue *self)
{
  GtkWidget *child;

  g_return_if_fail (PD_IS_IMPORT_ROW_QUEUE (self));

  drop_pending (self, ROW_CHANGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->changes_list))) != NULL)
    gtk_list_box_remove (self->changes_list, child);
}

/* Rows the analysis passed but the dry run failed: they fail only against
 * the saved personas (a row matching two of them, too many contacts).
 * The dry run keeps its row results in a file (every failed and ignored
 * row, half a million for some files): they are read in a thread, and
 * only the first few hundred failed ones come back. */
typedef struct {
  PdImportJob  *job;
  PdAnalysis   *analysis;
  GPtrArray    *specs;   /* RowSpec */
  GCancellable *cancellable;
} StoreFailed;

static void
store_failed_free (gpointer data)
{
  StoreFailed *sf = data;

  g_clear_object (&sf->job);
  g_clear_object (&sf->analysis);
  g_clear_pointer (&sf->specs, g_ptr_array_unref);
  g_free (sf);
}

static void
collect_store_failed (PdImportRowResult *r,
                      gpointer           data)
{
  StoreFailed *sf = data;
  g_autoptr(GString) reasons = NULL;

  if (sf->specs->len >= PD_IMPORT_MAX_SHOWN_ROWS || g_cancellable_is_cancelled (sf->cancellable) ||
      r->outcome != PD_IMPORT_OUTCOME_FAILED || pd_import_failed_row_find (sf->analysis, r->row) != NULL)
    return;
  reasons = g_string_new (NULL);
  for (guint k = 0; k < r->reasons->len; k++)
    g_string_append_printf (reasons, "%s%s", k ? "\n" : "", (char *) g_ptr_array_index (r->reasons, k));
  g_ptr_array_add (sf->specs, row_spec_new (ROW_STORE_FAILED, r->row,
                                            g_strdup_printf (_("Row %u"), r->row),
                                            g_string_free (g_steal_pointer (&reasons), FALSE)));
}

static void
read_store_failed_thread (GTask        *task,
                          gpointer      source,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  StoreFailed *sf = task_data;
  GError *error = NULL;

  sf->cancellable = cancellable;
  if (!pd_import_job_foreach_row_result (sf->job, collect_store_failed, sf, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&sf->specs), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_store_failed_read (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PdImportRowQueue *self = PD_IMPORT_ROW_QUEUE (source);
  g_autoptr(GPtrArray) specs = NULL;
  g_autoptr(GError) error = NULL;

  specs = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->owner == NULL)
    return;
  if (specs == NULL)
    {
      g_warning ("Could not read the dry run's row results back: %s", error->message);
      return;
    }
  g_signal_emit (self, signals[STORE_FAILED_READ], 0, specs->len);
  for (guint i = 0; i < specs->len; i++)
    queue_row (self, g_steal_pointer (&g_ptr_array_index (specs, i)));
}

void
pd_import_row_queue_show_store_failed (PdImportRowQueue *self,
                                       PdImportJob      *job,
                                       PdAnalysis       *analysis)
{
  g_autoptr(GTask) task = NULL;
  StoreFailed *sf;
  GtkWidget *child;

  g_return_if_fail (PD_IS_IMPORT_ROW_QUEUE (self));

  /* those of an earlier dry run go */
  drop_pending (self, ROW_STORE_FAILED);
  child = gtk_widget_get_first_child (GTK_WIDGET (self->failed_list));
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (g_object_get_data (G_OBJECT (child), "store-failed") != NULL)
        gtk_list_box_remove (self->failed_list, child);
      child = next;
    }
  if (pd_import_job_get_info (job)->failed == 0)
    return;

  g_cancellable_cancel (self->results_cancellable);
  g_clear_object (&self->results_cancellable);
  self->results_cancellable = g_cancellable_new ();
  sf = g_new0 (StoreFailed, 1);
  sf->job = g_object_ref (job);
  sf->analysis = g_object_ref (analysis);
  sf->specs = g_ptr_array_new_with_free_func (row_spec_free);
  task = g_task_new (self, self->results_cancellable, on_store_failed_read, NULL);
  g_task_set_source_tag (task, pd_import_row_queue_show_store_failed);
  g_task_set_task_data (task, sf, store_failed_free);
  g_task_run_in_thread (task, read_store_failed_thread);
}

GtkWidget *
pd_import_row_queue_build_until (PdImportRowQueue *self,
                                 guint             row)
{
  GtkWidget *found = NULL;
  RowSpec *spec;

  g_return_val_if_fail (PD_IS_IMPORT_ROW_QUEUE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->failed_list));
       child != NULL && found == NULL; child = gtk_widget_get_next_sibling (child))
    if (PD_IS_IMPORT_FAILED_ROW (child) && pd_import_failed_row_get_row (PD_IMPORT_FAILED_ROW (child)) == row)
      found = child;
  /* Not built yet: built now, with those before it. */
  while (found == NULL && (spec = g_queue_pop_head (&self->pending)) != NULL)
    {
      GtkWidget *built = build_row (self, spec);

      if (PD_IS_IMPORT_FAILED_ROW (built) && spec->row == row)
        found = built;
      row_spec_free (spec);
    }
  if (g_queue_is_empty (&self->pending))
    stop_filling (self);
  return found;
}

void
pd_import_row_queue_cancel (PdImportRowQueue *self)
{
  g_return_if_fail (PD_IS_IMPORT_ROW_QUEUE (self));

  g_cancellable_cancel (self->results_cancellable);
  g_clear_object (&self->results_cancellable);
}

void
pd_import_row_queue_stop (PdImportRowQueue *self)
{
  g_return_if_fail (PD_IS_IMPORT_ROW_QUEUE (self));

  stop_filling (self);
  g_queue_clear_full (&self->pending, row_spec_free);
}

PdImportRowQueue *
pd_import_row_queue_new (GtkWidget  *owner,
                         GtkListBox *failed_list,
                         GtkListBox *changes_list)
{
  PdImportRowQueue *self;

  g_return_val_if_fail (GTK_IS_WIDGET (owner), NULL);
  g_return_val_if_fail (GTK_IS_LIST_BOX (failed_list), NULL);
  g_return_val_if_fail (GTK_IS_LIST_BOX (changes_list), NULL);

  self = g_object_new (PD_TYPE_IMPORT_ROW_QUEUE, NULL);
  self->owner = owner;
  self->failed_list = failed_list;
  self->changes_list = changes_list;
  return self;
}

static void
pd_import_row_queue_dispose (GObject *object)
{
  PdImportRowQueue *self = PD_IMPORT_ROW_QUEUE (object);

  pd_import_row_queue_cancel (self);
  if (self->owner != NULL)
    pd_import_row_queue_stop (self);
  /* A reading still running holds the queue past its owner. */
  self->owner = NULL;
  self->failed_list = NULL;
  self->changes_list = NULL;
  G_OBJECT_CLASS (pd_import_row_queue_parent_class)->dispose (object);
}

static void
pd_import_row_queue_finalize (GObject *object)
{
  PdImportRowQueue *self = PD_IMPORT_ROW_QUEUE (object);

  g_queue_clear_full (&self->pending, row_spec_free);
  g_clear_object (&self->results_cancellable);
  g_clear_object (&self->analysis);
  G_OBJECT_CLASS (pd_import_row_queue_parent_class)->finalize (object);
}

static void
pd_import_row_queue_class_init (PdImportRowQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_import_row_queue_dispose;
  object_class->finalize = pd_import_row_queue_finalize;

  /* rows failing only against saved personas were read: how many */
  signals[STORE_FAILED_READ] = g_signal_new ("store-failed-read", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
pd_import_row_queue_init (PdImportRowQueue *self)
{
  g_queue_init (&self->pending);
}

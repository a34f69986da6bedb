/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-assistant.h"

struct _PdImportAssistant
{
  AdwWindow             parent_instance;

  PdStore              *store;
  PdImportStep          step;
  PdImportPreview      *mapped_preview;  /* the preview the map page was given */
  char                 *hint;

  AdwWindowTitle       *window_title;
  GtkWidget            *cancel_button;
  GtkWidget            *back_button;
  GtkButton            *next_button;
  GtkStack             *stack;
  PdImportFilePage     *file_page;
  PdImportMapPage      *map_page;
  PdImportOptionsPage  *options_page;
  PdImportAnalyzePage  *analyze_page;
  PdImportProgressPage *progress_page;
  GtkRevealer          *hint_revealer;
  GtkLabel             *hint_label;
};

G_DEFINE_FINAL_TYPE (PdImportAssistant, pd_import_assistant, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  IMPORTED,
  VIEW_AUDIENCE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const step_names[] = { "file", "map", "options", "analyze", "import" };

static void
set_hint (PdImportAssistant *self,
          const char        *hint)
{
  g_free (self->hint);
  self->hint = g_strdup (hint);
  if (hint != NULL)
    gtk_label_set_label (self->hint_label, hint);
  gtk_revealer_set_reveal_child (self->hint_revealer, hint != NULL);
}

gboolean
pd_import_assistant_can_go_next (PdImportAssistant *self)
{
  PdAnalysis *analysis;

  switch (self->step)
    {
    case PD_IMPORT_STEP_FILE:
      return pd_import_file_page_get_preview (self->file_page) != NULL
             && !pd_import_file_page_is_loading (self->file_page);
    case PD_IMPORT_STEP_MAP:
      return pd_import_map_page_is_valid (self->map_page);
    case PD_IMPORT_STEP_OPTIONS:
      /* The terms are asked for here, beside the box, not found missing
       * only once the rows were checked. */
      return pd_import_options_page_is_valid (self->options_page)
             && pd_import_options_page_get_terms_accepted (self->options_page);
    case PD_IMPORT_STEP_ANALYZE:
      analysis = pd_import_analyze_page_get_analysis (self->analyze_page);
      return analysis != NULL
             && !pd_import_analyze_page_is_running (self->analyze_page)
             && pd_analysis_get_valid (analysis) + pd_import_analyze_page_get_n_fixed (self->analyze_page) > 0
             && !pd_import_analyze_page_needs_same_file_choice (self->analyze_page)
             && pd_import_options_page_get_terms_accepted (self->options_page);
    case PD_IMPORT_STEP_IMPORT:
      return !pd_import_progress_page_is_running (self->progress_page);
    default:
      return FALSE;
    }
}

static void
update_buttons (PdImportAssistant *self)
{
  static const char * const subtitles[] = {
    N_("Step 1 of 5: Choose a File"),
    N_("Step 2 of 5: Map Columns"),
    N_("Step 3 of 5: Options"),
    N_("Step 4 of 5: Check the Rows"),
    N_("Step 5 of 5: Import"),
  };
  gboolean running = pd_import_progress_page_is_running (self->progress_page);
  gboolean done = self->step == PD_IMPORT_STEP_IMPORT && !running;
  const char *next_label = _("_Next");
  const char *hint = NULL;
  PdAnalysis *analysis;

  adw_window_title_set_subtitle (self->window_title, _(subtitles[self->step]));

  switch (self->step)
    {
    case PD_IMPORT_STEP_FILE:
      break;
    case PD_IMPORT_STEP_MAP:
      if (pd_import_map_page_is_loading (self->map_page))
        hint = _("Reading the header again…");
      break;
    case PD_IMPORT_STEP_OPTIONS:
      next_label = _("_Analyze");
      if (!pd_import_options_page_is_valid (self->options_page))
        hint = _("Give the import a name and tick at least one way to find existing personas.");
      else if (!pd_import_options_page_get_terms_accepted (self->options_page))
        hint = _("Tick the box at the end of this page confirming these people agreed to be contacted: nothing can be imported without it.");
      break;
    case PD_IMPORT_STEP_ANALYZE:
      next_label = _("_Import");
      analysis = pd_import_analyze_page_get_analysis (self->analyze_page);
      if (analysis != NULL
          && pd_analysis_get_valid (analysis) + pd_import_analyze_page_get_n_fixed (self->analyze_page) == 0)
        hint = _("No row can be imported. Go back to change the mapping, or correct the file.");
      else if (pd_import_analyze_page_needs_same_file_choice (self->analyze_page) && analysis != NULL &&
               pd_analysis_get_earlier_import (analysis) == NULL && pd_analysis_get_same_rows (analysis) != NULL)
        hint = _("Rows of this file were imported before: choose whether to skip their points or to import anyway.");
      else if (pd_import_analyze_page_needs_same_file_choice (self->analyze_page))
        hint = _("This file was imported before: choose whether to skip the points of rows already imported or to import anyway.");
      else if (analysis != NULL && !pd_import_options_page_get_terms_accepted (self->options_page))
        hint = _("To import, go back to Options and tick the box confirming these people agreed to be contacted.");
      break;
    case PD_IMPORT_STEP_IMPORT:
      next_label = _("_Done");
      break;
    default:
      break;
    }

  gtk_button_set_label (self->next_button, next_label);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), self->step != PD_IMPORT_STEP_IMPORT || done);
  gtk_widget_set_visible (self->back_button,
                          self->step != PD_IMPORT_STEP_FILE && self->step != PD_IMPORT_STEP_IMPORT);
  gtk_widget_set_visible (self->cancel_button, !done);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button),
                        running ? _("_Cancel Import") : _("_Cancel"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 pd_import_assistant_can_go_next (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back",
                                 self->step != PD_IMPORT_STEP_FILE && self->step != PD_IMPORT_STEP_IMPORT);
  set_hint (self, hint);
}

static void
go_to (PdImportAssistant *self,
       PdImportStep       step)
{
  PdImportStep previous = self->step;

  self->step = step;
  /* No slide to or from the Analyze and Import steps: a transition lays
   * out both steps on every frame, and these start work that must not
   * wait for it (measured by bench-import-ui). */
  gtk_stack_set_visible_child_full (self->stack, step_names[step],
                                    step >= PD_IMPORT_STEP_ANALYZE || previous >= PD_IMPORT_STEP_ANALYZE
                                    ? GTK_STACK_TRANSITION_TYPE_NONE
                                    : gtk_stack_get_transition_type (self->stack));
  update_buttons (self);
  /* Keyboard users land on the new step, not on a hidden widget. */
  gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

static void
fill_source_options (PdImportAssistant *self,
                     PdSourceOptions   *options)
{
  PdImportPreview *preview = pd_import_file_page_get_preview (self->file_page);

  *options = (PdSourceOptions) {
    .skip_rows = pd_import_map_page_get_skip_rows (self->map_page),
    .sheet = preview ? preview->sheet : NULL,
    .mapping = pd_import_map_page_get_mapping (self->map_page),
    .strict = pd_import_options_page_get_strict (self->options_page),
    .no_header = preview ? preview->no_header : FALSE,
  };
}

void
pd_import_assistant_next (PdImportAssistant *self)
{
  PdImportPreview *preview = pd_import_file_page_get_preview (self->file_page);
  PdSourceOptions source = { 0 };
  PdImportOptions options;
  g_autoptr(GHashTable) overrides = NULL;
  gboolean exact;
  guint64 rows;

  g_return_if_fail (PD_IS_IMPORT_ASSISTANT (self));
  if (!pd_import_assistant_can_go_next (self))
    return;

  switch (self->step)
    {
    case PD_IMPORT_STEP_FILE:
      /* Going back and forth keeps the user's choices for the same file. */
      if (preview != self->mapped_preview)
        {
          self->mapped_preview = preview;
          pd_import_map_page_set_preview (self->map_page, preview);
          pd_import_options_page_set_file (self->options_page, preview->display_name);
        }
      go_to (self, PD_IMPORT_STEP_MAP);
      break;

    case PD_IMPORT_STEP_MAP:
      rows = pd_import_map_page_get_estimated_rows (self->map_page, &exact);
      pd_import_options_page_set_estimate (self->options_page, rows, exact,
                                           pd_import_map_page_get_n_mapped (self->map_page));
      go_to (self, PD_IMPORT_STEP_OPTIONS);
      break;

    case PD_IMPORT_STEP_OPTIONS:
      fill_source_options (self, &source);
      pd_import_options_page_get_options (self->options_page, &options);
      pd_import_analyze_page_run_full (self->analyze_page, preview->file, &source, self->store, &options);
      go_to (self, PD_IMPORT_STEP_ANALYZE);
      break;

    case PD_IMPORT_STEP_ANALYZE:
      fill_source_options (self, &source);
      /* Rows corrected in the Analyze step are imported as corrected: the
       * job reads a snapshot of them in place of the file's rows. */
      overrides = pd_import_analyze_page_dup_overrides (self->analyze_page);
      source.row_overrides = overrides;
      pd_import_options_page_get_options (self->options_page, &options);
      options.same_file = pd_import_analyze_page_get_same_file (self->analyze_page);
      go_to (self, PD_IMPORT_STEP_IMPORT);
      pd_import_progress_page_start (self->progress_page, self->store, preview->file,
                                     &source, &options);
      update_buttons (self);
      break;

    case PD_IMPORT_STEP_IMPORT:
      gtk_window_close (GTK_WINDOW (self));
      break;

    default:
      break;
    }
}

void
pd_import_assistant_back (PdImportAssistant *self)
{
  g_return_if_fail (PD_IS_IMPORT_ASSISTANT (self));

  if (self->step == PD_IMPORT_STEP_FILE || self->step == PD_IMPORT_STEP_IMPORT)
    return;
  if (self->step == PD_IMPORT_STEP_ANALYZE)
    pd_import_analyze_page_cancel (self->analyze_page);
  go_to (self, self->step - 1);
}

void
pd_import_assistant_cancel (PdImportAssistant *self)
{
  g_return_if_fail (PD_IS_IMPORT_ASSISTANT (self));

  if (pd_import_progress_page_is_running (self->progress_page))
    {
      pd_import_progress_page_cancel (self->progress_page);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  pd_import_assistant_next (PD_IMPORT_ASSISTANT (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  pd_import_assistant_back (PD_IMPORT_ASSISTANT (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  pd_import_assistant_cancel (PD_IMPORT_ASSISTANT (widget));
}

static void
on_preview_changed (PdImportAssistant *self)
{
  PdImportPreview *preview = pd_import_file_page_get_preview (self->file_page);

  /* A new file: the previous preview is gone, and so are its mapping and
   * the corrections made to its rows. */
  self->mapped_preview = NULL;
  pd_import_analyze_page_forget_corrections (self->analyze_page);
  pd_import_map_page_set_preview (self->map_page, NULL);
  update_buttons (self);
  /* A dropped or opened file moves on by itself, unless there is
   * something to read first on this page. */
  if (self->step == PD_IMPORT_STEP_FILE && preview != NULL && preview->mapping_error == NULL)
    pd_import_assistant_next (self);
  else if (self->step != PD_IMPORT_STEP_FILE && self->step != PD_IMPORT_STEP_IMPORT)
    go_to (self, PD_IMPORT_STEP_FILE);
}

/* The Analyze step's answer about a date column goes into the mapping
 * the import reads (and shows in the column's row). */
static void
on_date_format_chosen (PdImportAssistant *self,
                       guint              column,
                       const char        *format)
{
  pd_import_map_page_set_date_format (self->map_page, column, format);
}

static void
on_import_finished (PdImportAssistant *self)
{
  update_buttons (self);
  if (pd_import_progress_page_get_succeeded (self->progress_page))
    g_signal_emit (self, signals[IMPORTED], 0,
                   pd_import_progress_page_get_import_id (self->progress_page));
}

static void
on_view_audience (PdImportAssistant *self,
                  gint64             import_id)
{
  g_signal_emit (self, signals[VIEW_AUDIENCE], 0, import_id);
}

static void
on_undone (PdImportAssistant *self,
           gint64             import_id)
{
  if (import_id > 0)
    g_signal_emit (self, signals[IMPORTED], 0, import_id);
}

/* Closing the window while importing cancels the import (the rollback
 * leaves nothing half-written); the window stays until it is done. */
static gboolean
pd_import_assistant_close_request (GtkWindow *window)
{
  PdImportAssistant *self = PD_IMPORT_ASSISTANT (window);

  pd_import_analyze_page_cancel (self->analyze_page);
  if (pd_import_progress_page_is_running (self->progress_page))
    {
      pd_import_progress_page_cancel (self->progress_page);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (pd_import_assistant_parent_class)->close_request (window);
}

void
pd_import_assistant_open_file (PdImportAssistant *self,
                               GFile             *file)
{
  g_return_if_fail (PD_IS_IMPORT_ASSISTANT (self));

  if (pd_import_progress_page_is_running (self->progress_page))
    return;
  if (self->step != PD_IMPORT_STEP_FILE)
    go_to (self, PD_IMPORT_STEP_FILE);
  pd_import_file_page_open_file (self->file_page, file, NULL);
}

PdImportStep
pd_import_assistant_get_step (PdImportAssistant *self)
{
  return self->step;
}

const char *
pd_import_assistant_get_hint (PdImportAssistant *self)
{
  return self->hint;
}

PdImportFilePage *
pd_import_assistant_get_file_page (PdImportAssistant *self)
{
  return self->file_page;
}

PdImportMapPage *
pd_import_assistant_get_map_page (PdImportAssistant *self)
{
  return self->map_page;
}

PdImportOptionsPage *
pd_import_assistant_get_options_page (PdImportAssistant *self)
{
  return self->options_page;
}

PdImportAnalyzePage *
pd_import_assistant_get_analyze_page (PdImportAssistant *self)
{
  return self->analyze_page;
}

PdImportProgressPage *
pd_import_assistant_get_progress_page (PdImportAssistant *self)
{
  return self->progress_page;
}

static void
pd_import_assistant_constructed (GObject *object)
{
  PdImportAssistant *self = PD_IMPORT_ASSISTANT (object);

  G_OBJECT_CLASS (pd_import_assistant_parent_class)->constructed (object);
  pd_import_map_page_set_store (self->map_page, self->store);
  update_buttons (self);
}

static void
pd_import_assistant_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PdImportAssistant *self = PD_IMPORT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_import_assistant_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PdImportAssistant *self = PD_IMPORT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_import_assistant_dispose (GObject *object)
{
  G_OBJECT_CLASS (pd_import_assistant_parent_class)->dispose (object);
}

static void
pd_import_assistant_finalize (GObject *object)
{
  PdImportAssistant *self = PD_IMPORT_ASSISTANT (object);

  g_clear_object (&self->store);
  g_free (self->hint);
  G_OBJECT_CLASS (pd_import_assistant_parent_class)->finalize (object);
}

static void
pd_import_assistant_class_init (PdImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pd_import_assistant_constructed;
  object_class->set_property = pd_import_assistant_set_property;
  object_class->get_property = pd_import_assistant_get_property;
  object_class->dispose = pd_import_assistant_dispose;
  object_class->finalize = pd_import_assistant_finalize;
  window_class->close_request = pd_import_assistant_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[VIEW_AUDIENCE] = g_signal_new ("view-audience", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (PD_TYPE_IMPORT_FILE_PAGE);
  g_type_ensure (PD_TYPE_IMPORT_MAP_PAGE);
  g_type_ensure (PD_TYPE_IMPORT_OPTIONS_PAGE);
  g_type_ensure (PD_TYPE_IMPORT_ANALYZE_PAGE);
  g_type_ensure (PD_TYPE_IMPORT_PROGRESS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-assistant.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PdImportAssistant, name)
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (next_button);
  BIND (stack);
  BIND (file_page);
  BIND (map_page);
  BIND (options_page);
  BIND (analyze_page);
  BIND (progress_page);
  BIND (hint_revealer);
  BIND (hint_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_bind_template_callback (widget_class, on_preview_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_import_finished);
  gtk_widget_class_bind_template_callback (widget_class, on_date_format_chosen);
  gtk_widget_class_bind_template_callback (widget_class, on_view_audience);
  gtk_widget_class_bind_template_callback (widget_class, on_undone);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "assistant.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "assistant.next", NULL);
}

static void
pd_import_assistant_init (PdImportAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdImportAssistant *
pd_import_assistant_new (GtkWindow *parent,
                         PdStore   *store)
{
  return g_object_new (PD_TYPE_IMPORT_ASSISTANT,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

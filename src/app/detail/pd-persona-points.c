/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-import-format.h"
#include "pd-loyalty.h"
#include "pd-persona-fields.h"
#include "pd-persona-points.h"

struct _PdPersonaPoints
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *ledger_rows;     /* GtkWidget, children of ledger_row */

  /* template children */
  GtkLabel            *balance_label;
  AdwExpanderRow      *ledger_row;
};

G_DEFINE_FINAL_TYPE (PdPersonaPoints, pd_persona_points, ADW_TYPE_PREFERENCES_GROUP)

static void
clear_ledger (PdPersonaPoints *self)
{
  for (guint i = 0; i < self->ledger_rows->len; i++)
    adw_expander_row_remove (self->ledger_row, g_ptr_array_index (self->ledger_rows, i));
  g_ptr_array_set_size (self->ledger_rows, 0);
}

static GtkWidget *
make_ledger_entry_row (PdLedgerEntry *entry)
{
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *line = NULL;
  g_autofree char *balance = NULL;
  GtkWidget *row, *label;
  char delta[32], id[32], after[32];

  /* Numbers are formatted first: a G_GINT64_FORMAT inside a msgid
   * does not survive xgettext.  Amounts are grouped the locale's way
   * ("1.250" in German); an import's ID is a name, not an amount. */
  g_snprintf (delta, sizeof delta, "%+'" G_GINT64_FORMAT, entry->delta);
  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, entry->import_id);
  g_snprintf (after, sizeof after, "%'" G_GINT64_FORMAT, entry->balance);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point", "%s points",
                                        (gulong) ABS (entry->delta)),
                           delta);
  /* The locale's date and time, as the import history shows them. */
  when = entry->time ? pd_import_format_when (entry->time) : g_strdup ("");
  if (entry->source == PD_SOURCE_UNDO)
    origin = g_strdup_printf (_("undo of import #%s"), id);
  else if (entry->import_id > 0)
    origin = g_strdup_printf (_("import #%s"), id);
  else
    origin = g_strdup (pd_persona_fields_source_label (entry->source));
  line = g_strjoin (" · ", when, origin, entry->actor ? entry->actor : "",
                    entry->reason ? entry->reason : "", NULL);
  /* g_strjoin keeps empty parts: trim a trailing separator. */
  if (g_str_has_suffix (line, " · "))
    line[strlen (line) - strlen (" · ")] = '\0';

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), line);
  balance = g_strdup_printf (_("balance %s"), after);
  label = gtk_label_new (balance);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
fill_ledger (PdPersonaPoints *self,
             PdStore         *store,
             PdPersona       *persona)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;

  clear_ledger (self);
  if (persona == NULL)
    return;

  entries = pd_store_list_ledger (store, pd_persona_get_id (persona), &error);
  if (entries == NULL)
    {
      adw_expander_row_set_subtitle (self->ledger_row, error->message);
      return;
    }

  if (entries->len == 0)
    subtitle = g_strdup (_("No points activity yet"));
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u entry", "%'u entries", entries->len),
                                entries->len);
  adw_expander_row_set_subtitle (self->ledger_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ledger_row), entries->len > 0);

  /* Newest first (as the store lists them): the question at the counter
   * is "what happened lately". */
  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *row = make_ledger_entry_row (g_ptr_array_index (entries, i));

      adw_expander_row_add_row (self->ledger_row, row);
      g_ptr_array_add (self->ledger_rows, row);
    }
}

static void
pd_persona_points_dispose (GObject *object)
{
  PdPersonaPoints *self = PD_PERSONA_POINTS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PERSONA_POINTS);
  g_clear_pointer (&self->ledger_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_persona_points_parent_class)->dispose (object);
}

static void
pd_persona_points_class_init (PdPersonaPointsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_points_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-points.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaPoints, balance_label);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaPoints, ledger_row);
}

static void
pd_persona_points_init (PdPersonaPoints *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->ledger_rows = g_ptr_array_new ();
}

void
pd_persona_points_set_persona (PdPersonaPoints *self,
                               PdStore         *store,
                               PdPersona       *persona)
{
  g_autofree char *points = NULL;

  g_return_if_fail (PD_IS_PERSONA_POINTS (self));

  points = g_strdup_printf ("%'" G_GINT64_FORMAT, persona ? pd_persona_get_points (persona) : 0);
  gtk_label_set_text (self->balance_label, points);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->balance_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, points, -1);
  fill_ledger (self, store, persona);
}

/**
 * pd_persona_points_new_adjust_dialog:
 *
 * The "Adjust points" dialog: an amount and a reason, responses "cancel"
 * and "adjust".  Read it with pd_persona_points_dialog_get().
 *
 * Returns: (transfer full): an AdwMessageDialog
 */
GtkWidget *
pd_persona_points_new_adjust_dialog (GtkWindow *parent)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/personadesk/PersonaDesk/ui/detail/pd-points-dialog.ui");
  GtkWidget *dialog = adw_message_dialog_new (parent, _("Adjust Points"),
                                              _("A negative amount takes points away. The reason is kept in "
                                                "the points timeline."));
  GtkWidget *fields = GTK_WIDGET (gtk_builder_get_object (builder, "points_fields"));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "adjust", _("_Adjust"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "adjust", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "adjust");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), fields);
  g_object_set_data (G_OBJECT (dialog), "amount", gtk_builder_get_object (builder, "amount_row"));
  g_object_set_data (G_OBJECT (dialog), "reason", gtk_builder_get_object (builder, "reason_row"));
  return dialog;
}

/* The dialog's amount (by the core's rule) and reason; FALSE with
 * PD_ERROR_INVALID naming what is wrong. */
gboolean
pd_persona_points_dialog_get (GtkWidget  *dialog,
                              gint64     *delta,
                              char      **reason,
                              GError    **error)
{
  GtkEditable *amount = g_object_get_data (G_OBJECT (dialog), "amount");
  GtkEditable *why = g_object_get_data (G_OBJECT (dialog), "reason");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (why)));

  if (!pd_points_parse_delta (gtk_editable_get_text (amount), delta, error))
    return FALSE;
  if (*text == '\0')
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("A points adjustment needs a reason"));
      return FALSE;
    }
  *reason = g_steal_pointer (&text);
  return TRUE;
}

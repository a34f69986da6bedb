/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "pd-import-format.h"
#include "pd-persona-merges.h"
#include "pd-session.h"
#include "pd-store-merge.h"

struct _PdPersonaMerges
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *merge_rows;     /* AdwActionRow, children of self */

  /* template children */
  GtkWidget           *merge_with_button;
};

G_DEFINE_FINAL_TYPE (PdPersonaMerges, pd_persona_merges, ADW_TYPE_PREFERENCES_GROUP)

static void
pd_persona_merges_dispose (GObject *object)
{
  PdPersonaMerges *self = PD_PERSONA_MERGES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PERSONA_MERGES);
  g_clear_pointer (&self->merge_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_persona_merges_parent_class)->dispose (object);
}

static void
pd_persona_merges_class_init (PdPersonaMergesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_merges_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-merges.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMerges, merge_with_button);
}

static void
pd_persona_merges_init (PdPersonaMerges *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->merge_rows = g_ptr_array_new ();
}

static GtkWidget *
make_row (PdMergeInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Unmerge"));
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *when = info->time != NULL ? pd_import_format_when (info->time) : g_strdup ("");
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;

  for (guint k = 0; k < info->merged_ids->len; k++)
    g_string_append_printf (title, "%s#%" PRId64, k > 0 ? ", " : "", g_array_index (info->merged_ids, gint64, k));
  /* TRANSLATORS: "Merged in: #12, #15" */
  label = g_strdup_printf (_("Merged in: %s"), title->str);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  subtitle = info->actor != NULL ? g_strdup_printf ("%s · %s", when, info->actor) : g_steal_pointer (&when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.unmerge");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (info->id));
  /* TRANSLATORS: the accessible name of an Unmerge button */
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf (_("Unmerge %s"), title->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_object_set_data (G_OBJECT (row), "pd-unmerge", button);
  return row;
}

void
pd_persona_merges_set_persona (PdPersonaMerges *self,
                               PdStore         *store,
                               PdPersona       *persona,
                               gboolean         editing)
{
  g_autoptr(GPtrArray) merges = NULL;
  gint64 id = persona != NULL ? pd_persona_get_id (persona) : 0;

  g_return_if_fail (PD_IS_PERSONA_MERGES (self));

  for (guint i = 0; i < self->merge_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->merge_rows, i));
  g_ptr_array_set_size (self->merge_rows, 0);

  if (id <= 0 || editing || pd_persona_get_archived (persona))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  /* a store that cannot merge (PostgreSQL for now) says so by NULL */
  merges = pd_store_list_merges (store, id, NULL);
  for (guint i = 0; merges != NULL && i < merges->len; i++)
    {
      PdMergeInfo *info = g_ptr_array_index (merges, i);
      GtkWidget *row;

      if (info->undone || info->survivor_id != id)
        continue;
      row = make_row (info);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->merge_rows, row);
    }
  /* a role that may not edit sees the merges, not the buttons */
  gtk_widget_set_visible (GTK_WIDGET (self->merge_with_button), pd_app_may (PD_PERMISSION_EDIT));
  for (guint i = 0; i < self->merge_rows->len; i++)
    gtk_widget_set_visible (g_object_get_data (g_ptr_array_index (self->merge_rows, i), "pd-unmerge"),
                            pd_app_may (PD_PERMISSION_EDIT));
  gtk_widget_set_visible (GTK_WIDGET (self), merges != NULL);
}

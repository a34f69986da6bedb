/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdWindow: several personas selected in the list, "Merge…", "Merge
 * With…" from the detail pane, and "Unmerge" (issue 16).  The rules and
 * the writes are the store's; the window only opens the dialog and shows
 * what happened. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-merge-dialog.h"
#include "pd-session.h"
#include "pd-store-merge.h"
#include "pd-window-private.h"

PdPersona *
_pd_window_get_selected_persona (PdWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (gtk_bitset_get_size (selected) != 1)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_nth (selected, 0));
}

void
_pd_window_unselect_all (PdWindow *self)
{
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

void
_pd_window_update_selection (PdWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  /* a role that may not edit does not see what the store would refuse */
  gboolean may = pd_app_may (PD_PERMISSION_EDIT);

  if (n >= 2)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u persona selected",
                                                            "%u personas selected", (gulong) MIN (n, G_MAXUINT)),
                                               (guint) MIN (n, G_MAXUINT));

      gtk_label_set_label (self->selection_label, text);
    }
  gtk_revealer_set_reveal_child (self->selection_revealer, n >= 2 && may);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.merge-selected", n >= 2 && may);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.merge-with", may);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unmerge", may);
}

static void
on_session_changed (PdSession *session,
                    PdWindow  *self)
{
  _pd_window_update_selection (self);
}

void
_pd_window_setup_merge (PdWindow *self)
{
  g_signal_connect_object (pd_session_get_default (), "changed", G_CALLBACK (on_session_changed), self, 0);
  _pd_window_update_selection (self);
}

static void
on_dialog_merged (PdMergeDialog *dialog,
                  gint64         survivor_id,
                  gint64         merge_id,
                  PdWindow      *self)
{
  AdwToast *toast = adw_toast_new (_("Personas merged"));

  _pd_window_unselect_all (self);
  pd_window_reload (self);
  pd_window_show_persona (self, survivor_id);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.unmerge");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (merge_id));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
open_dialog (PdWindow     *self,
             const gint64 *ids,
             guint         n_ids)
{
  PdMergeDialog *dialog = pd_merge_dialog_new (GTK_WINDOW (self), self->store, ids, n_ids);

  g_signal_connect_object (dialog, "merged", G_CALLBACK (on_dialog_merged), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
merge_selected_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_get_size (selected) > PD_MERGE_DIALOG_MAX)
    {
      g_autofree char *message = g_strdup_printf (_("Select at most %u personas to merge"), PD_MERGE_DIALOG_MAX);

      pd_window_show_toast (self, message);
      return;
    }
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(PdPersona) persona = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
      gint64 id = persona != NULL ? pd_persona_get_id (persona) : 0;

      if (id > 0)
        g_array_append_val (ids, id);
    }
  if (ids->len >= 2)
    open_dialog (self, (const gint64 *) ids->data, ids->len);
}

static void
merge_with_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);
  gint64 id = self->detail != NULL ? pd_persona_detail_get_persona_id (self->detail) : 0;

  if (id > 0)
    open_dialog (self, &id, 1);
}

static void
unmerge_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PdWindow *self = PD_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!pd_store_unmerge (self->store, g_variant_get_int64 (param), pd_app_actor (), &error))
    {
      pd_window_show_toast (self, error->message);
      return;
    }
  pd_window_reload (self);
  if (self->detail != NULL)
    pd_persona_detail_reload (self->detail);
  pd_window_show_toast (self, _("Merge undone"));
}

void
_pd_window_class_add_merge_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.merge-selected", NULL, merge_selected_action);
  gtk_widget_class_install_action (widget_class, "win.merge-with", NULL, merge_with_action);
  gtk_widget_class_install_action (widget_class, "win.unmerge", "x", unmerge_action);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-archived-row.h"
#include "pd-archived-view.h"
#include "pd-session.h"

struct _PdArchivedView
{
  AdwBin          parent_instance;

  PdStore        *store;
  PdPersonaList  *list;
  GtkNoSelection *selection;

  AdwWindowTitle *title;
  AdwHeaderBar   *header_bar;
  GtkSearchEntry *search_entry;
  AdwStatusPage  *empty_page;
  GtkStack       *stack;
  GtkListView    *list_view;
};

G_DEFINE_FINAL_TYPE (PdArchivedView, pd_archived_view, ADW_TYPE_BIN)

enum {
  PERSONA_ACTIVATED,
  PERSONA_UNARCHIVED,
  SHOW_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_state (PdArchivedView *self)
{
  guint n = self->list ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  g_autofree char *subtitle = NULL;

  gboolean searching = self->list != NULL && pd_persona_list_get_search (self->list) != NULL;
  /* as the persona list's window: a reload that could not read keeps the
   * rows, and with none, says so rather than "no match" */
  gboolean stale = self->list != NULL && pd_persona_list_is_stale (self->list);

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  if (stale)
    {
      adw_status_page_set_title (self->empty_page, _("Database Unavailable"));
      adw_status_page_set_description (self->empty_page, NULL);
      adw_window_title_set_subtitle (self->title, _("Not up to date — the database is unavailable"));
      return;
    }
  adw_status_page_set_title (self->empty_page,
                             searching ? _("No Archived Persona Matches") : _("No Archived Personas"));
  adw_status_page_set_description (self->empty_page,
                                   searching ? _("Try a name, an email, a phone or its last digits, or a customer ID.")
                                   : _("Personas you archive from their details appear here and can be unarchived."));
  if (n > 0)
    subtitle = g_strdup_printf (searching ? g_dngettext (GETTEXT_PACKAGE, "%'u match", "%'u matches", n)
                                : g_dngettext (GETTEXT_PACKAGE, "%'u persona", "%'u personas", n), n);
  adw_window_title_set_subtitle (self->title, subtitle ? subtitle : "");
}

/* The same search as the persona list's, on the archived personas. */
static void
on_search_changed (PdArchivedView *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  if (self->list == NULL
      || g_strcmp0 (text[0] != '\0' ? text : NULL, pd_persona_list_get_search (self->list)) == 0)
    return;
  pd_persona_list_set_search (self->list, text);
  pd_persona_list_reload (self->list);
  update_state (self);
}

static void
on_list_notify_n_items (PdArchivedView *self)
{
  update_state (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              PdArchivedView           *self)
{
  gtk_list_item_set_child (item, pd_archived_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             PdArchivedView           *self)
{
  pd_archived_row_set_persona (PD_ARCHIVED_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
on_list_view_activate (GtkListView    *view,
                       guint           position,
                       PdArchivedView *self)
{
  g_autoptr(PdPersona) persona = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (persona != NULL && pd_persona_get_id (persona) > 0)
    g_signal_emit (self, signals[PERSONA_ACTIVATED], 0, pd_persona_get_id (persona));
}

static void
unarchive_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PdArchivedView *self = PD_ARCHIVED_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (!pd_archived_view_unarchive (self, g_variant_get_int64 (param), &error))
    g_signal_emit (self, signals[SHOW_TOAST], 0, error->message);
}

static void
pd_archived_view_dispose (GObject *object)
{
  PdArchivedView *self = PD_ARCHIVED_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_ARCHIVED_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pd_archived_view_parent_class)->dispose (object);
}

static void
pd_archived_view_class_init (PdArchivedViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_archived_view_dispose;

  signals[PERSONA_ACTIVATED] =
    g_signal_new ("persona-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[PERSONA_UNARCHIVED] =
    g_signal_new ("persona-unarchived", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SHOW_TOAST] =
    g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/personas/pd-archived-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PdArchivedView, title);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedView, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedView, stack);
  gtk_widget_class_bind_template_child (widget_class, PdArchivedView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate);

  gtk_widget_class_install_action (widget_class, "archived.unarchive", "x", unarchive_action);
}

static void
pd_archived_view_init (PdArchivedView *self)
{
  g_type_ensure (PD_TYPE_ARCHIVED_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pd_archived_view_set_store (PdArchivedView *self,
                            PdStore        *store)
{
  g_return_if_fail (PD_IS_ARCHIVED_VIEW (self));
  g_return_if_fail (PD_IS_STORE (store));

  g_set_object (&self->store, store);
  g_clear_object (&self->list);
  g_clear_object (&self->selection);
  self->list = pd_persona_list_new (store, PD_PERSONA_VIEW_ARCHIVED);
  g_signal_connect_object (self->list, "notify::n-items", G_CALLBACK (on_list_notify_n_items), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::stale", G_CALLBACK (on_list_notify_n_items), self,
                           G_CONNECT_SWAPPED);
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_state (self);
}

void
pd_archived_view_reload (PdArchivedView *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PD_IS_ARCHIVED_VIEW (self));

  if (self->list == NULL)
    return;
  if (!pd_persona_list_refresh (self->list, &error))
    g_signal_emit (self, signals[SHOW_TOAST], 0, error->message);
  update_state (self);
}

/* Like the persona list's header: the window buttons go to the detail
 * pane's header while it shows (one set, in the top-right corner). */
void
pd_archived_view_set_show_window_buttons (PdArchivedView *self,
                                          gboolean        show)
{
  g_return_if_fail (PD_IS_ARCHIVED_VIEW (self));

  adw_header_bar_set_show_end_title_buttons (self->header_bar, show);
}

GtkEditable *
pd_archived_view_get_search_entry (PdArchivedView *self)
{
  g_return_val_if_fail (PD_IS_ARCHIVED_VIEW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

PdPersonaList *
pd_archived_view_get_list (PdArchivedView *self)
{
  g_return_val_if_fail (PD_IS_ARCHIVED_VIEW (self), NULL);
  return self->list;
}

gboolean
pd_archived_view_unarchive (PdArchivedView  *self,
                            gint64           id,
                            GError         **error)
{
  g_return_val_if_fail (PD_IS_ARCHIVED_VIEW (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!pd_store_set_archived_as (self->store, id, FALSE, pd_app_actor (), error))
    return FALSE;

  pd_archived_view_reload (self);
  g_signal_emit (self, signals[PERSONA_UNARCHIVED], 0, id);
  return TRUE;
}

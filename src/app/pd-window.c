/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-session.h"
#include "pd-persona-row.h"
#include "pd-window-private.h"

G_DEFINE_FINAL_TYPE (PdWindow, pd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_content (PdWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->personas));
  const char *search = pd_persona_list_get_search (self->personas);
  /* the last reload could not read: its rows are from before (perhaps of
   * another search), and an empty list does not mean that none is there */
  gboolean stale = pd_persona_list_is_stale (self->personas);
  g_autofree char *subtitle = NULL;
  guint n_pending;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  else if (stale)
    {
      adw_status_page_set_description (self->unavailable_page,
                                       _pd_window_is_reconnecting (self)
                                       ? _("Reconnecting… The personas show again as soon as the connection is back.")
                                       : NULL);
      gtk_stack_set_visible_child_name (self->content_stack, "unavailable");
    }
  else if (search != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "empty");

  if (stale)
    /* TRANSLATORS: the window's subtitle while the persona list could not
     * be reloaded and still shows the rows it had */
    subtitle = g_strdup (_("Not up to date — the database is unavailable"));
  /* While the count runs (pd_persona_list_reload), n is the first page. */
  else if (pd_persona_list_is_counting (self->personas))
    subtitle = g_strdup_printf (search != NULL
                                ? g_dngettext (GETTEXT_PACKAGE, "%'u+ match, counting…", "%'u+ matches, counting…", n)
                                : g_dngettext (GETTEXT_PACKAGE, "%'u+ persona, counting…", "%'u+ personas, counting…", n),
                                n);
  else if (search != NULL)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u match", "%'u matches", n), n);
  else if (n > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u persona", "%'u personas", n), n);
  n_pending = pd_persona_list_get_n_pending_sms (self->personas);
  if (subtitle != NULL && n_pending > 0 && n_pending != G_MAXUINT)
    {
      /* TRANSLATORS: "1,234 personas · 12 awaiting SMS opt-in": the requests
       * queued in the outbox, waiting for the customer's YES */
      g_autofree char *pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u awaiting SMS opt-in",
                                                               "%'u awaiting SMS opt-in", n_pending), n_pending);
      g_autofree char *both = g_strdup_printf ("%s · %s", subtitle, pending);

      g_free (subtitle);
      subtitle = g_steal_pointer (&both);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
}

static void
reload_list (PdWindow *self)
{
  /* While an import commits, a read on this thread waited 50-60 ms for
   * the disk: the first page comes from a thread then. */
  _pd_window_reload_list (self, pd_import_session_any_running ());
}

static void
on_personas_notify_n_items (PdPersonaList *list,
                            GParamSpec    *pspec,
                            PdWindow      *self)
{
  update_content (self);
}

/* A row is one PdPersonaRow (see pd-persona-row.h for why). */
static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              PdWindow                 *self)
{
  gtk_list_item_set_child (item, pd_persona_row_new (pd_persona_header_get_columns (self->list_header)));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             PdWindow                 *self)
{
  pd_persona_row_set_persona (PD_PERSONA_ROW (gtk_list_item_get_child (item)),
                              gtk_list_item_get_item (item));
}

static void
on_search_entry_search_changed (GtkSearchEntry *entry,
                                PdWindow       *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  /* The entry also reports when nothing changed for the list (the search
   * bar clears the empty entry at start-up, spaces typed after a word):
   * reloading then threw away every row to make the same ones again. */
  if (g_strcmp0 (text[0] != '\0' ? text : NULL, pd_persona_list_get_search (self->personas)) == 0)
    return;
  pd_persona_list_set_search (self->personas, text);
  reload_list (self);
}

static void
on_search_entry_stop_search (GtkSearchEntry *entry,
                             PdWindow       *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* A click on a column's title: sorted by it, ascending; a second click
 * turns the order round. */
void
_pd_window_sort_by (PdWindow        *self,
                    PdPersonaColumn  column)
{
  PdPersonaSort key = pd_persona_column_get_sort (column);
  gboolean descending = FALSE;

  if (pd_persona_list_get_sort (self->personas, &descending) == key)
    descending = !descending;
  else
    descending = FALSE;
  pd_persona_list_set_sort (self->personas, key, descending);
  pd_persona_header_set_sort (self->list_header, key, descending);
  reload_list (self);
}

static void
on_list_load_failed (PdPersonaList *list,
                     GError        *error,
                     PdWindow      *self)
{
  /* while the shared database is away every read fails at once, and the
   * toast that stays says so already: no queue of stale ones behind it */
  if (_pd_window_shows_connection_lost (self))
    return;
  pd_window_show_toast (self, error->message);
}

/* The persona to show once the pane may leave its edit (see
 * _pd_window_leave_edit()): the last one asked for. */
static void
show_persona_cb (PdWindow *self,
                 gpointer  data)
{
  gint64 id = self->leave_to_id;

  self->leave_to_id = 0;
  if (id > 0)
    pd_window_show_persona (self, id);
}

static void
on_selection_changed (GtkSelectionModel *selection,
                      guint              position,
                      guint              n_items,
                      PdWindow          *self)
{
  g_autoptr(PdPersona) persona = _pd_window_get_selected_persona (self);

  _pd_window_update_selection (self);
  /* A refresh clears the selection, and selecting several is for
   * "Merge…": neither is a reason to close the detail the user is
   * looking at. */
  if (persona == NULL || pd_persona_get_id (persona) <= 0)
    return;
  if (self->detail != NULL
      && pd_persona_detail_get_persona_id (self->detail) == pd_persona_get_id (persona)
      && adw_flap_get_reveal_flap (self->flap))
    return;
  self->leave_to_id = pd_persona_get_id (persona);
  _pd_window_leave_edit (self, show_persona_cb, NULL);
}

static void
on_list_view_activate (GtkListView *view,
                       guint        position,
                       PdWindow    *self)
{
  g_autoptr(PdPersona) persona = g_list_model_get_item (G_LIST_MODEL (self->personas), position);

  if (persona != NULL && pd_persona_get_id (persona) > 0)
    {
      pd_window_show_persona (self, pd_persona_get_id (persona));
      gtk_widget_grab_focus (GTK_WIDGET (self->detail));
    }
}

static void
on_archived_view_persona_activated (PdArchivedView *view,
                                    gint64          id,
                                    PdWindow       *self)
{
  self->leave_to_id = id;
  _pd_window_leave_edit (self, show_persona_cb, NULL);
}

static void
on_archived_view_persona_unarchived (PdArchivedView *view,
                                     gint64          id,
                                     PdWindow       *self)
{
  reload_list (self);
  if (self->detail != NULL && pd_persona_detail_get_persona_id (self->detail) == id)
    pd_persona_detail_reload (self->detail);
  pd_window_show_toast (self, _("Persona unarchived"));
}

static void
on_detail_persona_changed (PdPersonaDetail *detail,
                           gint64           id,
                           PdWindow        *self)
{
  pd_window_reload (self);
}

/* Archived with no question asked, so the toast can take it back. */
static void
on_detail_persona_archived (PdPersonaDetail *detail,
                            gint64           id,
                            PdWindow        *self)
{
  AdwToast *toast = adw_toast_new (_("Persona archived"));

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.unarchive-persona");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (id));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_show_toast (GtkWidget       *source,
                      const char      *message,
                      PdWindow        *self)
{
  pd_window_show_toast (self, message);
}

static void
on_detail_close_requested (PdPersonaDetail *detail,
                           PdWindow        *self)
{
  _pd_window_close_detail (self);
}

static void
on_flap_notify_reveal (AdwFlap    *flap,
                       GParamSpec *pspec,
                       PdWindow   *self)
{
  gboolean revealed = adw_flap_get_reveal_flap (flap);

  if (!revealed && self->detail != NULL && pd_persona_detail_has_changes (self->detail)
      && self->ask_hide_id == 0)
    self->ask_hide_id = g_idle_add (_pd_window_ask_before_hiding_cb, self);

  /* Window controls stay in the top-right corner: on the pane's header
   * while the pane shows, beside the list or, in a narrow window, over
   * it (where it hid the list's own). */
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !revealed);
  pd_archived_view_set_show_window_buttons (self->archived_view, !revealed);
  if (self->detail != NULL)
    pd_persona_detail_set_show_window_buttons (self->detail, revealed);
  _pd_window_update_actions (self);
}

/**
 * _pd_window_ensure_detail:
 *
 * The detail slide-out, made on first use: it has more widgets than the
 * rest of the window, and in the window's template it was built, styled
 * and measured (AdwFlap measures a hidden flap) before the first frame,
 * a fifth of the start-up.  It is also made in an idle once the list has
 * painted (see grow_view_cb()), so the first click does not wait for it.
 */
PdPersonaDetail *
_pd_window_ensure_detail (PdWindow *self)
{
  PdPersonaDetail *detail;

  if (self->detail != NULL)
    return self->detail;

  detail = g_object_new (PD_TYPE_PERSONA_DETAIL,
                         /* Set, not computed from its rows: AdwFlap would
                          * split the window's extra width between list and
                          * pane. */
                         "width-request", 420,
                         "hexpand", FALSE,
                         NULL);
  self->detail = detail;
  /* Below the width for both (about 900 px) the flap folds and the pane
   * lies over the list: it needs a background of its own, or the list
   * shows through it. */
  gtk_widget_add_css_class (GTK_WIDGET (detail), "background");
  g_signal_connect_object (detail, "persona-changed", G_CALLBACK (on_detail_persona_changed), self, 0);
  g_signal_connect_object (detail, "show-toast", G_CALLBACK (on_show_toast), self, 0);
  g_signal_connect_object (detail, "persona-archived", G_CALLBACK (on_detail_persona_archived), self, 0);
  g_signal_connect_object (detail, "close-requested", G_CALLBACK (on_detail_close_requested), self, 0);
  if (self->settings != NULL)
    pd_persona_detail_set_settings (detail, self->settings);
  pd_persona_detail_set_store (detail, self->store);
  adw_flap_set_flap (self->flap, GTK_WIDGET (detail));
  on_flap_notify_reveal (self->flap, NULL, self);
  return detail;
}

/**
 * _pd_window_reload_list:
 * @in_thread: read the first page in a thread too
 *
 * The first page now (or from a thread) and the count from a thread: what
 * start-up, search as you type, sorting and every change use, so that
 * none waits for a count (a quarter of a second for a million personas).
 * The rows GTK made (up to 200) are replaced: the new ones are made as at
 * start-up, those that fit first and a page more after each painted
 * frame, so that a search's results are drawn in the frame after the
 * keystroke rather than after 200 rows were made.
 */
void
_pd_window_reload_list (PdWindow *self,
                        gboolean  in_thread)
{
  _pd_window_view_restart (self);   /* pd-window-view.c */
  if (in_thread)
    pd_persona_list_reload_in_thread (self->personas);
  else
    pd_persona_list_reload (self->personas);
  update_content (self);
}

static void
pd_window_realize (GtkWidget *widget)
{
  PdWindow *self = PD_WINDOW (widget);

  GTK_WIDGET_CLASS (pd_window_parent_class)->realize (widget);
  _pd_window_view_realize (self);
}

static void
pd_window_unrealize (GtkWidget *widget)
{
  PdWindow *self = PD_WINDOW (widget);

  _pd_window_view_unrealize (self);
  g_clear_handle_id (&self->make_detail_id, g_source_remove);

  GTK_WIDGET_CLASS (pd_window_parent_class)->unrealize (widget);
}

static void
close_window_cb (PdWindow *self,
                 gpointer  data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* Window size is remembered, as GNOME apps do. */
static gboolean
pd_window_close_request (GtkWindow *window)
{
  PdWindow *self = PD_WINDOW (window);

  /* Nothing typed is lost by closing the window: asked first. */
  if (!self->close_confirmed && self->detail != NULL
      && pd_persona_detail_has_changes (self->detail))
    {
      _pd_window_leave_edit (self, close_window_cb, NULL);
      return TRUE;
    }

  if (self->settings != NULL)
    {
      int width, height;

      int columns[PD_PERSONA_N_COLUMNS];

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      pd_persona_columns_get_widths (pd_persona_header_get_columns (self->list_header), columns);
      g_settings_set_value (self->settings, "column-widths",
                            g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, columns, PD_PERSONA_N_COLUMNS,
                                                       sizeof (int)));
    }

  return GTK_WINDOW_CLASS (pd_window_parent_class)->close_request (window);
}

static void
pd_window_constructed (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);
  GtkApplication *app;
  gboolean maximized = FALSE;

  G_OBJECT_CLASS (pd_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (PD_IS_APPLICATION (app) && pd_application_get_settings (PD_APPLICATION (app)) != NULL)
    self->settings = g_object_ref (pd_application_get_settings (PD_APPLICATION (app)));
  else
    self->settings = pd_application_dup_settings ();

  if (self->settings != NULL)
    {
      int width, height;

      g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      maximized = g_settings_get_boolean (self->settings, "window-maximized");
      if (maximized)
        gtk_window_maximize (GTK_WINDOW (self));
      {
        g_autoptr(GVariant) value = g_settings_get_value (self->settings, "column-widths");
        gsize n = 0;
        const gint32 *columns = g_variant_get_fixed_array (value, &n, sizeof (gint32));

        pd_persona_columns_set_widths (pd_persona_header_get_columns (self->list_header), columns, n);
      }
    }

  self->personas = pd_persona_list_new (self->store, PD_PERSONA_VIEW_ACTIVE);
  g_signal_connect_object (self->personas, "load-failed",
                           G_CALLBACK (on_list_load_failed), self, 0);
  self->view_slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->personas)),
                                               0, _pd_window_view_first_size (self, maximized));
  gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (self->view_slice));

  pd_archived_view_set_store (self->archived_view, self->store);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  g_signal_connect_object (self->personas, "notify::n-items",
                           G_CALLBACK (on_personas_notify_n_items), self, 0);
  g_signal_connect_object (self->personas, "notify::n-pending-sms",
                           G_CALLBACK (on_personas_notify_n_items), self, 0);
  g_signal_connect_object (self->personas, "notify::stale",
                           G_CALLBACK (on_personas_notify_n_items), self, 0);
  _pd_window_view_hold_count (self);   /* until the first frame (pd-window-view.c) */
  reload_list (self);
  _pd_window_update_actions (self);
  _pd_window_setup_staff (self);   /* sign-in, idle lock, who may do what */
  _pd_window_setup_merge (self);   /* Merge… needs two selected and a role that may edit */
  _pd_window_setup_connection (self);  /* a shared database's lost connection (pd-window-connection.c) */
}

static void
pd_window_dispose (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  g_clear_handle_id (&self->grow_view_id, g_source_remove);
  g_clear_handle_id (&self->make_detail_id, g_source_remove);
  g_clear_handle_id (&self->release_count_id, g_source_remove);
  g_clear_handle_id (&self->ask_hide_id, g_source_remove);
  _pd_window_dispose_staff (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WINDOW);

  G_OBJECT_CLASS (pd_window_parent_class)->dispose (object);
}

static void
pd_window_finalize (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  g_clear_object (&self->view_slice);
  g_clear_object (&self->personas);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pd_window_parent_class)->finalize (object);
}

static void
pd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdWindow *self = PD_WINDOW (object);

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
pd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdWindow *self = PD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      /* The window writes on this connection on the main thread (an edit,
       * an archive): while an import holds the database that fails at
       * once with "in use" rather than freeze the window for seconds. */
      if (self->store != NULL)
        pd_store_set_lock_timeout (self->store, 250);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_window_class_init (PdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pd_window_constructed;
  object_class->dispose = pd_window_dispose;
  object_class->finalize = pd_window_finalize;
  object_class->get_property = pd_window_get_property;
  object_class->set_property = pd_window_set_property;
  widget_class->realize = pd_window_realize;
  widget_class->unrealize = pd_window_unrealize;
  window_class->close_request = pd_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PD_TYPE_PERSONA_HEADER);
  g_type_ensure (PD_TYPE_ARCHIVED_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/personadesk/PersonaDesk/ui/pd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, main_page);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, empty_import_button);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, list_header);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, archived_view);

  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_archived_view_persona_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_archived_view_persona_unarchived);
  gtk_widget_class_bind_template_callback (widget_class, on_show_toast);

  _pd_window_class_add_actions (widget_class);
  _pd_window_class_add_staff_actions (widget_class);
  _pd_window_class_add_merge_actions (widget_class);
}

static void
pd_window_init (PdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (on_flap_notify_reveal), self, 0);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (on_flap_notify_reveal), self, 0);
  on_flap_notify_reveal (self->flap, NULL, self);
  _pd_window_setup_list_keys (self);   /* Tab leaves the list (pd-window-actions.c) */
  _pd_window_setup_import (self);  /* drop a file on the window (pd-window-import.c) */
}

/**
 * pd_window_new:
 * @app: (nullable): the application
 * @store: the store the window shows
 *
 * Returns: (transfer none): the new window, owned by GTK
 */
PdWindow *
pd_window_new (PdApplication *app,
               PdStore       *store)
{
  g_return_val_if_fail (PD_IS_STORE (store), NULL);

  return g_object_new (PD_TYPE_WINDOW,
                       "application", app,
                       "store", store,
                       NULL);
}

PdStore *
pd_window_get_store (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->store;
}

PdPersonaList *
pd_window_get_persona_list (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->personas;
}

PdPersonaDetail *
pd_window_get_detail (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return _pd_window_ensure_detail (self);
}

PdArchivedView *
pd_window_get_archived_view (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->archived_view;
}

GtkEditable *
pd_window_get_search_entry (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

GtkListView *
pd_window_get_list_view (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->list_view;
}

PdPersonaHeader *
pd_window_get_list_header (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);
  return self->list_header;
}

gboolean
pd_window_get_detail_revealed (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), FALSE);
  return adw_flap_get_reveal_flap (self->flap);
}

void
pd_window_show_persona (PdWindow *self,
                        gint64    id)
{
  g_return_if_fail (PD_IS_WINDOW (self));

  pd_persona_detail_show_persona (_pd_window_ensure_detail (self), id);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

void
pd_window_reload (PdWindow *self)
{
  g_return_if_fail (PD_IS_WINDOW (self));

  reload_list (self);
  pd_archived_view_reload (self->archived_view);
}

void
pd_window_show_toast (PdWindow   *self,
                      const char *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (PD_IS_WINDOW (self));

  /* Toast titles are parsed as Pango markup: an email with "<" or "&" in
   * an error message must not break it. */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

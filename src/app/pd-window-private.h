/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-window.h"

G_BEGIN_DECLS

/* Shared by pd-window.c and pd-window-actions.c only. */
struct _PdWindow
{
  AdwApplicationWindow  parent_instance;

  PdStore              *store;
  GSettings            *settings;
  PdPersonaList        *personas;
  /* What the list view sees of personas: see grow_view() in pd-window.c. */
  GtkSliceListModel    *view_slice;
  guint                 grow_view_id;
  guint                 release_count_id;
  guint                 make_detail_id;
  gulong                after_paint_id;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwFlap              *flap;
  AdwLeaflet           *leaflet;
  GtkWidget            *main_page;
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *content_stack;
  GtkWidget            *empty_import_button;
  AdwStatusPage        *unavailable_page;   /* a reload failed, no rows kept */
  PdPersonaHeader      *list_header;
  GtkListView          *list_view;
  GtkMultiSelection    *selection;
  GtkRevealer          *selection_revealer;   /* "N selected · Merge…" */
  GtkLabel             *selection_label;
  PdPersonaDetail      *detail;          /* NULL until _pd_window_ensure_detail() */
  PdArchivedView       *archived_view;

  gint64                leave_to_id;      /* see show_persona_cb() */
  guint                 ask_hide_id;      /* see ask_before_hiding_cb() */
  gboolean              close_confirmed;  /* the user said Save or Discard */

  /* Staff accounts (pd-window-staff.c): while no one is signed in the
   * window's content is the sign-in page; main_content is kept aside. */
  GtkWidget            *main_content;
  GtkWidget            *sign_in_page;
  guint                 idle_check_id;
  gint64                last_activity_us;
  double                last_pointer_x, last_pointer_y;
  GPtrArray            *hidden_windows;   /* the app's other windows, hidden by the lock */
  char                 *locked_account;   /* who was signed in when it locked */
};

typedef void (*PdWindowLeaveFunc) (PdWindow *self,
                                   gpointer  data);

void _pd_window_class_add_actions (GtkWidgetClass *widget_class);
void _pd_window_update_actions    (PdWindow       *self);
void _pd_window_sort_by           (PdWindow        *self,
                                   PdPersonaColumn  column);
void _pd_window_close_detail      (PdWindow       *self);
void _pd_window_setup_list_keys   (PdWindow       *self);
gboolean _pd_window_ask_before_hiding_cb (gpointer data);
void _pd_window_leave_edit         (PdWindow          *self,
                                   PdWindowLeaveFunc  then,
                                   gpointer           data);
PdPersonaDetail *_pd_window_ensure_detail (PdWindow *self);
void _pd_window_reload_list       (PdWindow       *self,
                                   gboolean        in_thread);

/* Importing (issue 5), in pd-window-import.c — added by the assistant helper. */
void _pd_window_class_add_import_actions (GtkWidgetClass *widget_class);
void _pd_window_setup_import             (PdWindow       *self);
void _pd_window_set_audience             (PdWindow       *self,
                                          gint64          import_id);

/* Staff accounts and the audit log (issue 16), in pd-window-staff.c. */
void _pd_window_class_add_staff_actions (GtkWidgetClass *widget_class);
void _pd_window_setup_staff             (PdWindow       *self);
void _pd_window_dispose_staff           (PdWindow       *self);
/* Data & Privacy (issue 16), in pd-window-privacy.c */
void _pd_window_class_add_privacy_actions (GtkWidgetClass *widget_class);
/* Merging (issue 16), in pd-window-merge.c. */
void _pd_window_class_add_merge_actions (GtkWidgetClass *widget_class);
/* The persona selected when exactly one is, else NULL (transfer full). */
PdPersona *_pd_window_get_selected_persona (PdWindow *self);
/* Clears the selection (GTK_INVALID_LIST_POSITION of a single one). */
void _pd_window_unselect_all      (PdWindow       *self);
/* After the selection changed: the bar of several, win.merge-selected
 * (and the merge actions for the signed-in role). */
void _pd_window_update_selection  (PdWindow       *self);
/* Follows the session: a role that may not edit sees no merge actions. */
void _pd_window_setup_merge       (PdWindow       *self);

/* The list view's rows made a slice at a time, in pd-window-view.c. */
guint _pd_window_view_first_size  (PdWindow       *self,
                                   gboolean        maximized);
void  _pd_window_view_hold_count  (PdWindow       *self);
void  _pd_window_view_realize     (PdWindow       *self);
void  _pd_window_view_unrealize   (PdWindow       *self);
void  _pd_window_view_restart     (PdWindow       *self);

/* A shared database's lost connection (issue 19), in pd-window-connection.c. */
void     _pd_window_setup_connection       (PdWindow *self);
gboolean _pd_window_shows_connection_lost  (PdWindow *self);
gboolean _pd_window_is_reconnecting        (PdWindow *self);

G_END_DECLS

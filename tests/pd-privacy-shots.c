/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "pd-persona-detail.h"
#include "pd-privacy-window.h"
#include "pd-window.h"
#include "pd-test-personas.h"
#include "pd-test-shots.h"

/* Screenshots of the Data & Privacy page (issue 16) for review:
 *
 *   xvfb-run -a pd-privacy-shots [OUT_DIR]      (default /tmp/pd-shots)
 *
 * at 1280 and 700 px wide, checked for one persona of a generated
 * database, then confirmed and done.  Without a display: exit 77. */

static void
wait_for_status (PdPrivacyWindow *window)
{
  for (guint i = 0; i < 500 && *pd_privacy_window_get_status (window) == '\0'; i++)
    pd_test_spin (20);
  /* the worker's answer, not the cleared line */
  pd_test_spin (200);
}

static PdPrivacyWindow *
open_page (PdStore    *store,
           PdPersona  *persona,
           int         width,
           int         height)
{
  PdPrivacyWindow *window = pd_privacy_window_new (NULL, store, persona);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  return window;
}

static GtkWidget *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_mapped (w))
        return w;
    }
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  const char *out = argc > 1 ? argv[1] : "/tmp/pd-shots";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPersona) persona = NULL;
  PdPrivacyWindow *window;
  GtkWidget *dialog = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("pd-privacy-shots: no display; run it under xvfb-run\n");
      return 77;
    }
  gtk_init ();
  adw_init ();
  g_mkdir_with_parents (out, 0755);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/personadesk/PersonaDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  store = pd_test_store_new (&dir);
  if (!pd_test_seed (store, 0, 300, &error))
    g_error ("seeding: %s", error->message);
  persona = pd_store_get_persona (store, 38, &error);
  g_assert_no_error (error);

  window = open_page (store, persona, 1280, 800);
  wait_for_status (window);
  /* a count, never who */
  g_assert_cmpstr (pd_privacy_window_get_status (window), ==, "This concerns 1 persona.");
  pd_test_shoot (GTK_WIDGET (window), out, "privacy-1280.png", 400);
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_page (store, persona, 700, 700);
  wait_for_status (window);
  pd_test_shoot (GTK_WIDGET (window), out, "privacy-700.png", 400);

  gtk_widget_activate_action (GTK_WIDGET (window), "privacy.forget", NULL);
  for (guint i = 0; i < 200 && (dialog = find_dialog ()) == NULL; i++)
    pd_test_spin (20);
  g_assert_nonnull (dialog);
  pd_test_shoot (dialog, out, "privacy-confirm.png", 400);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "forget");
  /* up to a minute: on a busy machine (a build beside the tests) the
   * erasure and its checkpoint took over the ten seconds waited before */
  for (guint i = 0; i < 3000 && !g_str_has_prefix (pd_privacy_window_get_status (window), "Done"); i++)
    pd_test_spin (20);
  g_printerr ("status: %s\n", pd_privacy_window_get_status (window));
  g_assert_true (g_str_has_prefix (pd_privacy_window_get_status (window), "Done: 1 persona erased"));
  {
    g_autoptr(PdPersona) gone = pd_store_get_persona (store, 38, NULL);

    g_assert_null (gone);
  }
  pd_test_shoot (GTK_WIDGET (window), out, "privacy-done.png", 400);
  gtk_window_destroy (GTK_WINDOW (window));

  /* "Forget This Customer…" at the end of the detail pane, and the page
   * it opens, checked at once */
  {
    PdWindow *main_window = pd_window_new (NULL, store);
    PdPersonaDetail *detail;
    GtkWidget *button;
    GtkScrolledWindow *scroller;
    GtkAdjustment *adjustment;
    GtkWidget *page = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();

    gtk_window_set_default_size (GTK_WINDOW (main_window), 1280, 800);
    gtk_window_present (GTK_WINDOW (main_window));
    while (!gtk_widget_get_mapped (GTK_WIDGET (main_window)))
      g_main_context_iteration (NULL, TRUE);
    pd_window_show_persona (main_window, 40);
    pd_test_spin (300);
    detail = pd_window_get_detail (main_window);
    button = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (detail), PD_TYPE_PERSONA_DETAIL,
                                                          "forget_button");
    scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (button, GTK_TYPE_SCROLLED_WINDOW));
    adjustment = gtk_scrolled_window_get_vadjustment (scroller);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    pd_test_shoot (GTK_WIDGET (main_window), out, "detail-forget.png", 400);

    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.forget-persona", NULL);
    for (guint t = 0; t < 200 && page == NULL; t++)
      {
        pd_test_spin (20);
        for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
          {
            g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

            if (PD_IS_PRIVACY_WINDOW (w))
              page = w;
          }
      }
    g_assert_nonnull (page);
    wait_for_status (PD_PRIVACY_WINDOW (page));
    pd_test_shoot (page, out, "privacy-from-detail.png", 400);
    gtk_window_destroy (GTK_WINDOW (page));
    gtk_window_destroy (GTK_WINDOW (main_window));
  }

  g_clear_object (&store);
  pd_test_remove_dir (dir);
  return 0;
}

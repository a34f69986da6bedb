/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdWindow: Data & Privacy (issue 16): win.privacy opens the page from
 * the main menu; win.forget-persona opens it for the persona shown in the
 * detail pane ("Forget this customer…"). */
#include "config.h"

#include "pd-import-session.h"
#include "pd-persona-detail.h"
#include "pd-privacy-window.h"
#include "pd-window-private.h"

static void
on_privacy_changed (PdPrivacyWindow *privacy,
                    PdWindow        *self)
{
  /* this session's imports keep their rows in memory for their reports */
  pd_import_session_drop_finished ();
  /* the persona shown may be gone */
  if (self->detail != NULL)
    {
      g_autoptr(PdPersona) still = NULL;
      gint64 id = pd_persona_detail_get_persona_id (self->detail);

      if (id != 0 && (still = pd_store_get_persona (self->store, id, NULL)) == NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.close-detail", NULL);
    }
  pd_window_reload (self);
}

static void
open_privacy (PdWindow  *self,
              PdPersona *persona)
{
  PdPrivacyWindow *privacy = pd_privacy_window_new (GTK_WINDOW (self), self->store, persona);

  g_signal_connect_object (privacy, "changed", G_CALLBACK (on_privacy_changed), self, 0);
  gtk_window_present (GTK_WINDOW (privacy));
}

static void
privacy_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  open_privacy (PD_WINDOW (widget), NULL);
}

static void
forget_persona_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);
  PdPersona *persona = self->detail != NULL ? pd_persona_detail_get_persona (self->detail) : NULL;

  if (persona != NULL)
    open_privacy (self, persona);
}

void
_pd_window_class_add_privacy_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.privacy", NULL, privacy_action);
  gtk_widget_class_install_action (widget_class, "win.forget-persona", NULL, forget_persona_action);
}

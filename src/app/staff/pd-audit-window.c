/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-audit-window.h"
#include "pd-session.h"

/* A page: what one look at the log reads, on the main thread (an index
 * range of the newest entries). */
#define PAGE_SIZE 50

struct _PdAuditWindow
{
  AdwWindow     parent_instance;

  PdStore      *store;
  guint         shown;

  /* template children */
  GtkStack     *stack;
  GtkListBox   *list_box;
  GtkWidget    *more_button;
};

G_DEFINE_FINAL_TYPE (PdAuditWindow, pd_audit_window, ADW_TYPE_WINDOW)

static const struct {
  const char *action;
  const char *label;
} action_labels[] = {
  { "persona.create", N_("Created persona") },
  { "persona.edit", N_("Edited persona") },
  { "persona.archive", N_("Archived persona") },
  { "persona.restore", N_("Restored persona") },
  { "points.adjust", N_("Adjusted points") },
  { "consent.sms-opt-in", N_("Text opt-in requested") },
  { "consent.sms-confirm", N_("Text opt-in confirmed") },
  { "consent.sms-decline", N_("Texts declined") },
  { "consent.sms-cancel", N_("Text opt-in request cancelled") },
  { "consent.sms-audience", N_("Text opt-in sent to an import's audience") },
  { "consent.email-opt-in", N_("Email opt-in") },
  { "consent.email-decline", N_("Email declined") },
  { "outbox.sent", N_("Texts marked sent") },
  { "import.undo", N_("Undid an import") },
  { "import.delete", N_("Deleted an import") },
  { "settings.loyalty", N_("Changed loyalty settings") },
  { "settings.staff-accounts", N_("Changed staff account settings") },
  { "account.add", N_("Added a staff account") },
  { "account.update", N_("Changed a staff account") },
};

char *
pd_audit_entry_dup_title (const PdAuditEntry *entry)
{
  const char *label = entry->action;

  for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
    if (g_strcmp0 (action_labels[i].action, entry->action) == 0)
      label = _(action_labels[i].label);
  if (entry->persona_id != 0)
    /* TRANSLATORS: "Edited persona · #12" */
    return g_strdup_printf (_("%s · #%" PRId64), label, entry->persona_id);
  return g_strdup (label);
}

static char *
node_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

/* "first_name: Ann → Anna", one line a change; other details as
 * "name: value". */
char *
pd_audit_entry_dup_changes (const PdAuditEntry *entry)
{
  g_autoptr(JsonNode) root = entry->detail != NULL ? json_from_string (entry->detail, NULL) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *detail, *changes = NULL;
  g_autoptr(GList) members = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup ("");
  detail = json_node_get_object (root);
  if (json_object_has_member (detail, "changes") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (detail, "changes")))
    changes = json_object_get_object_member (detail, "changes");
  members = json_object_get_members (changes != NULL ? changes : detail);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (changes != NULL ? changes : detail, l->data);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (JSON_NODE_HOLDS_OBJECT (value) && json_object_has_member (json_node_get_object (value), "new"))
        {
          JsonObject *change = json_node_get_object (value);
          g_autofree char *old = node_text (json_object_get_member (change, "old"));
          g_autofree char *new = node_text (json_object_get_member (change, "new"));

          g_string_append_printf (text, "%s: %s → %s", (const char *) l->data, old, new);
        }
      else
        {
          g_autofree char *shown = node_text (value);

          g_string_append_printf (text, "%s: %s", (const char *) l->data, shown);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
make_row (const PdAuditEntry *entry)
{
  g_autofree char *title = pd_audit_entry_dup_title (entry);
  g_autofree char *changes = pd_audit_entry_dup_changes (entry);
  g_autoptr(GDateTime) local = g_date_time_to_local (entry->at);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  /* TRANSLATORS: "2026-12-06 10:15:02 · Sam (Staff)" */
  subtitle = g_strdup_printf (_("%s · %s (%s)"), when, entry->who != NULL ? entry->who : _("Owner"),
                              pd_role_to_label (entry->role));
  if (changes[0] != '\0')
    {
      g_autofree char *with = g_strconcat (subtitle, "\n", changes, NULL);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with);
    }
  /* the values are people's data, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static void
load_page (PdAuditWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pd_store_list_audit (self->store, 0, self->shown, PAGE_SIZE,
                                                      pd_app_actor (), &error);

  if (entries == NULL)
    {
      AdwStatusPage *empty = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->stack, "empty"));

      adw_status_page_set_title (empty, _("The Audit Log Cannot Be Shown"));
      adw_status_page_set_description (empty, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->list_box, make_row (g_ptr_array_index (entries, i)));
  self->shown += entries->len;
  gtk_widget_set_visible (self->more_button, entries->len == PAGE_SIZE);
  gtk_stack_set_visible_child_name (self->stack, self->shown > 0 ? "list" : "empty");
}

static void
more_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  load_page (PD_AUDIT_WINDOW (widget));
}

static void
pd_audit_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_AUDIT_WINDOW);
  G_OBJECT_CLASS (pd_audit_window_parent_class)->dispose (object);
}

static void
pd_audit_window_finalize (GObject *object)
{
  g_clear_object (&PD_AUDIT_WINDOW (object)->store);
  G_OBJECT_CLASS (pd_audit_window_parent_class)->finalize (object);
}

static void
pd_audit_window_class_init (PdAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_audit_window_dispose;
  object_class->finalize = pd_audit_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/staff/pd-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAuditWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdAuditWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, PdAuditWindow, more_button);
  gtk_widget_class_install_action (widget_class, "audit.more", NULL, more_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_audit_window_init (PdAuditWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdAuditWindow *
pd_audit_window_new (GtkWindow *parent,
                     PdStore   *store)
{
  PdAuditWindow *self = g_object_new (PD_TYPE_AUDIT_WINDOW,
                                      "transient-for", parent,
                                      NULL);

  self->store = g_object_ref (store);
  load_page (self);
  return self;
}

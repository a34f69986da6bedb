/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-application.h"
#include "pd-import-format.h"
#include "pd-import-options-page.h"

struct _PdImportOptionsPage
{
  AdwBin          parent_instance;

  char           *default_name;  /* what the name row holds unless edited */
  char           *estimate;
  gboolean        syncing;
  /* Owned copies handed out through PdImportOptions */
  char           *name;
  char           *match;
  char          **tags;

  AdwEntryRow    *name_row;
  AdwActionRow   *estimate_row;
  GtkCheckButton *key_email;
  GtkCheckButton *key_phone;
  GtkCheckButton *key_external;
  GtkCheckButton *key_channels;
  GtkCheckButton *action_merge;
  GtkCheckButton *action_update;
  GtkCheckButton *action_append;
  GtkCheckButton *action_replace;
  GtkCheckButton *action_ignore;
  AdwComboRow    *person_type_row;
  AdwComboRow    *tags_row;
  AdwEntryRow    *tags_entry;
  GtkSwitch      *opt_in_email;
  GtkSwitch      *opt_in_sms;
  GtkSwitch      *strict_switch;
  GtkSwitch      *merge_phones_switch;
  GtkCheckButton *terms_check;
};

G_DEFINE_FINAL_TYPE (PdImportOptionsPage, pd_import_options_page, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum { TAGS_NONE, TAGS_AUTOMATIC, TAGS_CHOSEN };

static void
on_changed (PdImportOptionsPage *self)
{
  if (!self->syncing)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_name_changed (PdImportOptionsPage *self)
{
  on_changed (self);
}

static void
on_tags_selected (PdImportOptionsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->tags_entry),
                          adw_combo_row_get_selected (self->tags_row) == TAGS_CHOSEN);
  on_changed (self);
}

void
pd_import_options_page_set_file (PdImportOptionsPage *self,
                                 const char          *display_name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *current;
  gboolean edited;

  g_return_if_fail (PD_IS_IMPORT_OPTIONS_PAGE (self));

  current = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  edited = *current != '\0' && g_strcmp0 (current, self->default_name) != 0;
  g_free (self->default_name);
  self->default_name = pd_import_default_name (display_name, now);
  if (!edited)
    {
      self->syncing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->default_name);
      self->syncing = FALSE;
    }
}

void
pd_import_options_page_set_estimate (PdImportOptionsPage *self,
                                     guint64              rows,
                                     gboolean             exact,
                                     guint                mapped_fields)
{
  g_return_if_fail (PD_IS_IMPORT_OPTIONS_PAGE (self));

  g_free (self->estimate);
  self->estimate = pd_import_format_estimate (rows, exact, mapped_fields);
  adw_action_row_set_subtitle (self->estimate_row, self->estimate);
}

const char *
pd_import_options_page_get_estimate_text (PdImportOptionsPage *self)
{
  return self->estimate;
}

static PdMatchAction
get_action (PdImportOptionsPage *self)
{
  if (gtk_check_button_get_active (self->action_update))
    return PD_MATCH_ACTION_UPDATE;
  if (gtk_check_button_get_active (self->action_append))
    return PD_MATCH_ACTION_APPEND;
  if (gtk_check_button_get_active (self->action_replace))
    return PD_MATCH_ACTION_REPLACE;
  if (gtk_check_button_get_active (self->action_ignore))
    return PD_MATCH_ACTION_IGNORE;
  return PD_MATCH_ACTION_MERGE;
}

void
pd_import_options_page_set_action (PdImportOptionsPage *self,
                                   PdMatchAction        action)
{
  GtkCheckButton *buttons[] = {
    [PD_MATCH_ACTION_IGNORE] = self->action_ignore,
    [PD_MATCH_ACTION_UPDATE] = self->action_update,
    [PD_MATCH_ACTION_APPEND] = self->action_append,
    [PD_MATCH_ACTION_REPLACE] = self->action_replace,
    [PD_MATCH_ACTION_MERGE] = self->action_merge,
  };

  g_return_if_fail (action < G_N_ELEMENTS (buttons));
  gtk_check_button_set_active (buttons[action], TRUE);
}

static PdImportKeys
get_keys (PdImportOptionsPage *self)
{
  PdImportKeys keys = 0;

  if (gtk_check_button_get_active (self->key_email))
    keys |= PD_IMPORT_KEY_EMAIL;
  if (gtk_check_button_get_active (self->key_phone))
    keys |= PD_IMPORT_KEY_PHONE;
  if (gtk_check_button_get_active (self->key_external))
    keys |= PD_IMPORT_KEY_EXTERNAL_ID;
  if (gtk_check_button_get_active (self->key_channels))
    keys |= PD_IMPORT_KEY_CHANNELS;
  return keys;
}

static void
set_keys (PdImportOptionsPage *self,
          PdImportKeys         keys)
{
  gtk_check_button_set_active (self->key_email, (keys & PD_IMPORT_KEY_EMAIL) != 0);
  gtk_check_button_set_active (self->key_phone, (keys & PD_IMPORT_KEY_PHONE) != 0);
  gtk_check_button_set_active (self->key_external, (keys & PD_IMPORT_KEY_EXTERNAL_ID) != 0);
  gtk_check_button_set_active (self->key_channels, (keys & PD_IMPORT_KEY_CHANNELS) != 0);
}

static char *
build_match (PdImportOptionsPage *self)
{
  return pd_import_keys_to_string (get_keys (self));
}

/* Each import starts from the defaults chosen in Preferences; what the
 * user changes here stays with this import and is not written back. */
static void
load_defaults (PdImportOptionsPage *self)
{
  g_autoptr(GSettings) settings = pd_application_dup_settings ();
  g_autofree char *match = NULL;
  g_autofree char *action = NULL;
  PdImportKeys keys;
  PdMatchAction on_match;

  if (settings == NULL)
    return;

  match = g_settings_get_string (settings, "import-match");
  keys = pd_import_keys_parse (match);
  /* No key would leave Analyze disabled before the user did anything. */
  if (keys != 0)
    set_keys (self, keys);
  action = g_settings_get_string (settings, "import-on-match");
  if (pd_match_action_from_string (action, &on_match))
    pd_import_options_page_set_action (self, on_match);
}

void
pd_import_options_page_get_options (PdImportOptionsPage *self,
                                    PdImportOptions     *options)
{
  guint person_type = adw_combo_row_get_selected (self->person_type_row);
  guint tags = adw_combo_row_get_selected (self->tags_row);

  g_return_if_fail (PD_IS_IMPORT_OPTIONS_PAGE (self));

  pd_import_options_init (options);

  g_free (self->name);
  self->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_free (self->match);
  self->match = build_match (self);
  g_clear_pointer (&self->tags, g_strfreev);
  if (tags == TAGS_CHOSEN)
    {
      g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->tags_entry)), ",", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        if (*g_strstrip (parts[i]) != '\0')
          g_strv_builder_add (builder, parts[i]);
      self->tags = g_strv_builder_end (builder);
    }

  options->name = *self->name ? self->name : NULL;
  options->match = self->match;
  options->action = get_action (self);
  options->person_type = person_type == 1 ? "lead" : person_type == 2 ? "customer" : NULL;
  options->tags = (const char * const *) self->tags;
  options->auto_tag = tags == TAGS_AUTOMATIC;
  options->opt_in_all_email = gtk_switch_get_active (self->opt_in_email);
  options->opt_in_all_sms = gtk_switch_get_active (self->opt_in_sms);
  options->accept_terms = gtk_check_button_get_active (self->terms_check);
  options->merge_shared_phones = gtk_switch_get_active (self->merge_phones_switch);
}

/* "Fail a row on any value that can't be read": how the file is read
 * (PdSourceOptions.strict), for Analyze and the import alike. */
gboolean
pd_import_options_page_get_strict (PdImportOptionsPage *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_OPTIONS_PAGE (self), FALSE);
  return gtk_switch_get_active (self->strict_switch);
}

/* Whether Analyze may run: a name and at least one match key. */
gboolean
pd_import_options_page_is_valid (PdImportOptionsPage *self)
{
  g_autofree char *match = build_match (self);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  return *match != '\0' && *name != '\0';
}

gboolean
pd_import_options_page_get_terms_accepted (PdImportOptionsPage *self)
{
  return gtk_check_button_get_active (self->terms_check);
}

void
pd_import_options_page_set_terms_accepted (PdImportOptionsPage *self,
                                           gboolean             accepted)
{
  gtk_check_button_set_active (self->terms_check, accepted);
}

void
pd_import_options_page_set_name (PdImportOptionsPage *self,
                                 const char          *name)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

static void
pd_import_options_page_dispose (GObject *object)
{
  G_OBJECT_CLASS (pd_import_options_page_parent_class)->dispose (object);
}

static void
pd_import_options_page_finalize (GObject *object)
{
  PdImportOptionsPage *self = PD_IMPORT_OPTIONS_PAGE (object);

  g_free (self->default_name);
  g_free (self->estimate);
  g_free (self->name);
  g_free (self->match);
  g_strfreev (self->tags);
  G_OBJECT_CLASS (pd_import_options_page_parent_class)->finalize (object);
}

static void
pd_import_options_page_class_init (PdImportOptionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_import_options_page_dispose;
  object_class->finalize = pd_import_options_page_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-options-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PdImportOptionsPage, name)
  BIND (name_row);
  BIND (estimate_row);
  BIND (key_email);
  BIND (key_phone);
  BIND (key_external);
  BIND (key_channels);
  BIND (action_merge);
  BIND (action_update);
  BIND (action_append);
  BIND (action_replace);
  BIND (action_ignore);
  BIND (person_type_row);
  BIND (tags_row);
  BIND (tags_entry);
  BIND (opt_in_email);
  BIND (opt_in_sms);
  BIND (strict_switch);
  BIND (merge_phones_switch);
  BIND (terms_check);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_tags_selected);
}

static void
pd_import_options_page_init (PdImportOptionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = TRUE;
  load_defaults (self);
  self->syncing = FALSE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-database-group.h"
#include "pd-import-format.h"
#include "pd-preferences-window.h"
#include "pd-regions.h"
#include "pd-store.h"
#include "pd-session.h"
#include "pd-staff-group.h"

struct _PdPreferencesWindow
{
  AdwWindow             parent_instance;

  GSettings            *settings;
  GStrv                 country_codes;  /* in the order of country_row's model */
  gboolean              syncing;

  AdwComboRow          *country_row;
  AdwExpanderRow       *keys_row;
  GtkSwitch            *key_email;
  GtkSwitch            *key_phone;
  GtkSwitch            *key_external;
  GtkSwitch            *key_channels;
  AdwComboRow          *on_match_row;
  GtkWidget            *loyalty_group;
  PdDatabaseGroup      *database_group;
  GtkSwitch            *allow_negative_switch;
  GtkSpinButton        *expiry_spin;
  PdStaffGroup         *staff_group;

  PdStore              *store;      /* nullable: no loyalty settings shown */
};

G_DEFINE_FINAL_TYPE (PdPreferencesWindow, pd_preferences_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The rows of on_match_row, as the options page lists its choices. */
static const char * const on_match_actions[] = {
  "merge", "update", "append", "replace", "ignore", NULL
};

/* The loyalty settings live in the database (pd_store_set_loyalty_settings)
 * so that the CLI and the API follow them too; written as they change. */
static void
on_loyalty_setting_changed (PdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  PdLoyaltySettings settings;

  if (self->syncing || self->store == NULL)
    return;
  pd_loyalty_settings_init (&settings);
  settings.allow_negative_balance = gtk_switch_get_active (self->allow_negative_switch);
  settings.double_opt_in_expiry_days = (guint) gtk_spin_button_get_value_as_int (self->expiry_spin);
  if (!pd_store_set_loyalty_settings_as (self->store, &settings, pd_app_actor (), &error))
    g_warning ("%s", error->message);
}

/* The options page's explanation of the action chosen, under the row. */
static void
on_action_selected (PdPreferencesWindow *self)
{
  const char *explanations[] = {
    N_("Keep what the persona has, add new emails, phones and tags; override columns replace."),
    N_("Fill in only what the persona does not have yet."),
    N_("Add the file's emails, phones and tags; other fields take the file's value."),
    N_("The persona's fields become the file's; its points history stays."),
    N_("Leave the persona untouched; the row is reported as a duplicate."),
  };
  guint selected;

  /* Also called while the template is built, before its children are bound. */
  if (self->on_match_row == NULL)
    return;
  selected = adw_combo_row_get_selected (self->on_match_row);
  G_STATIC_ASSERT (G_N_ELEMENTS (explanations) == G_N_ELEMENTS (on_match_actions) - 1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->on_match_row),
                               selected < G_N_ELEMENTS (explanations) ? _(explanations[selected]) : "");
}

/* ---- settings ↔ combo rows ------------------------------------------- */

static gboolean
index_from_setting (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *text = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (choices[i], text) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
setting_from_index (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const char * const *choices = user_data;
  guint index = g_value_get_uint (value);

  /* GTK_INVALID_LIST_POSITION while the model changes: write nothing. */
  if (index >= g_strv_length ((char **) choices))
    return NULL;
  return g_variant_new_string (choices[index]);
}

/* libphonenumber's regions by name.  Built here, when the window opens:
 * listing them loads libphonenumber's metadata, which start-up avoids. */
static void
fill_countries (PdPreferencesWindow *self)
{
  g_auto(GStrv) labels = NULL;
  g_autofree char *current = g_settings_get_string (self->settings, "default-country");
  g_autoptr(GtkStringList) model = NULL;

  pd_regions_load (&self->country_codes, &labels);
  model = gtk_string_list_new ((const char * const *) labels);

  /* A code libphonenumber does not know (set by hand, or by a newer
   * version) is shown as it is rather than replaced by the first region. */
  if (*current != '\0')
    {
      g_autofree char *upper = g_ascii_strup (current, -1);

      if (!g_strv_contains ((const char * const *) self->country_codes, upper))
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          g_strv_builder_add (builder, current);
          g_strv_builder_addv (builder, (const char **) self->country_codes);
          g_strfreev (self->country_codes);
          self->country_codes = g_strv_builder_end (builder);
          gtk_string_list_splice (model, 0, 0, (const char * const[]) { current, NULL });
        }
    }

  /* The model first: setting it selects its first row, which a binding
   * made before would write to the settings. */
  adw_combo_row_set_model (self->country_row, G_LIST_MODEL (model));
  g_settings_bind_with_mapping (self->settings, "default-country",
                                self->country_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                index_from_setting, setting_from_index,
                                self->country_codes, NULL);
}

/* ---- match keys -------------------------------------------------------- */

/* The switches say which keys import-match holds.  The last one on cannot
 * be turned off: an import needs a key to find anything. */
static void
sync_keys (PdPreferencesWindow *self)
{
  g_autofree char *match = g_settings_get_string (self->settings, "import-match");
  PdImportKeys keys = pd_import_keys_parse (match);
  struct { GtkSwitch *widget; PdImportKeys key; const char *name; } switches[] = {
    { self->key_email, PD_IMPORT_KEY_EMAIL, _("Email") },
    { self->key_phone, PD_IMPORT_KEY_PHONE, _("Phone") },
    { self->key_external, PD_IMPORT_KEY_EXTERNAL_ID, _("External ID") },
    { self->key_channels, PD_IMPORT_KEY_CHANNELS, _("Channel IDs") },
  };
  gboolean only_one = keys != 0 && (keys & (keys - 1)) == 0;
  g_autoptr(GString) summary = g_string_new (NULL);

  self->syncing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      gboolean on = (keys & switches[i].key) != 0;

      /* What the folded row shows: the keys switched on. */
      if (on)
        {
          if (summary->len > 0)
            /* Translators: between the match keys listed on one line, "Email, Phone" */
            g_string_append (summary, _(", "));
          g_string_append (summary, switches[i].name);
        }

      gtk_switch_set_active (switches[i].widget, on);
      gtk_widget_set_sensitive (gtk_widget_get_ancestor (GTK_WIDGET (switches[i].widget),
                                                         ADW_TYPE_ACTION_ROW),
                                !(on && only_one));
    }
  adw_expander_row_set_subtitle (self->keys_row, summary->str);
  self->syncing = FALSE;
}

static void
on_key_toggled (PdPreferencesWindow *self)
{
  PdImportKeys keys = 0;
  g_autofree char *match = NULL;

  if (self->syncing || self->settings == NULL)
    return;

  if (gtk_switch_get_active (self->key_email))
    keys |= PD_IMPORT_KEY_EMAIL;
  if (gtk_switch_get_active (self->key_phone))
    keys |= PD_IMPORT_KEY_PHONE;
  if (gtk_switch_get_active (self->key_external))
    keys |= PD_IMPORT_KEY_EXTERNAL_ID;
  if (gtk_switch_get_active (self->key_channels))
    keys |= PD_IMPORT_KEY_CHANNELS;
  if (keys == 0)
    {
      sync_keys (self);
      return;
    }
  match = pd_import_keys_to_string (keys);
  g_settings_set_string (self->settings, "import-match", match);
}

static void
on_match_changed (PdPreferencesWindow *self)
{
  sync_keys (self);
}

/* ---- GObject ------------------------------------------------------------ */

static void
pd_preferences_window_constructed (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (pd_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (G_IS_SETTINGS (self->settings));

  fill_countries (self);
  g_settings_bind_with_mapping (self->settings, "import-on-match",
                                self->on_match_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                index_from_setting, setting_from_index,
                                (gpointer) on_match_actions, NULL);
  on_action_selected (self);
  g_signal_connect_object (self->settings, "changed::import-match",
                           G_CALLBACK (on_match_changed), self, G_CONNECT_SWAPPED);
  sync_keys (self);
}

static void
pd_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_preferences_window_dispose (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  /* The bindings hold country_codes as their data: undo them before it goes. */
  if (self->settings != NULL)
    {
      g_settings_unbind (self->country_row, "selected");
      g_settings_unbind (self->on_match_row, "selected");
    }
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pd_preferences_window_parent_class)->dispose (object);
}

static void
pd_preferences_window_finalize (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  g_strfreev (self->country_codes);
  G_OBJECT_CLASS (pd_preferences_window_parent_class)->finalize (object);
}

static void
pd_preferences_window_class_init (PdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pd_preferences_window_constructed;
  object_class->set_property = pd_preferences_window_set_property;
  object_class->get_property = pd_preferences_window_get_property;
  object_class->dispose = pd_preferences_window_dispose;
  object_class->finalize = pd_preferences_window_finalize;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PD_TYPE_DATABASE_GROUP);
  g_type_ensure (PD_TYPE_STAFF_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/preferences/pd-preferences-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, name)
  BIND (country_row);
  BIND (keys_row);
  BIND (key_email);
  BIND (key_phone);
  BIND (key_external);
  BIND (key_channels);
  BIND (on_match_row);
  BIND (loyalty_group);
  BIND (database_group);
  BIND (allow_negative_switch);
  BIND (expiry_spin);
  BIND (staff_group);
#undef BIND
  /* As AdwPreferencesWindow does. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_bind_template_callback (widget_class, on_key_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_action_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_loyalty_setting_changed);
}

static void
pd_preferences_window_init (PdPreferencesWindow *self)
{
  /* Signals of the template fire while it is built, before the settings. */
  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = FALSE;
}

PdPreferencesWindow *
pd_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (PD_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}

/* Shows the loyalty settings of @store (the window's database) and saves
 * their changes there. */
void
pd_preferences_window_set_store (PdPreferencesWindow *self,
                                 PdStore             *store)
{
  g_autoptr(GError) error = NULL;
  PdLoyaltySettings settings;

  g_return_if_fail (PD_IS_PREFERENCES_WINDOW (self));

  g_set_object (&self->store, store);
  pd_database_group_set_store (self->database_group, store);
  pd_staff_group_set_store (self->staff_group, store);
  if (store == NULL || !pd_store_get_loyalty_settings (store, &settings, &error))
    {
      gtk_widget_set_visible (self->loyalty_group, FALSE);
      return;
    }
  self->syncing = TRUE;
  gtk_switch_set_active (self->allow_negative_switch, settings.allow_negative_balance);
  gtk_spin_button_set_value (self->expiry_spin, settings.double_opt_in_expiry_days);
  self->syncing = FALSE;
  gtk_widget_set_visible (self->loyalty_group, TRUE);
  /* settings are the Owner's (the store refuses anyone else anyway) */
  gtk_widget_set_sensitive (self->loyalty_group, pd_app_may (PD_PERMISSION_MANAGE_ACCOUNTS));
}

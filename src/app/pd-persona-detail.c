/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-email.h"
#include "pd-error.h"
#include "pd-persona-detail.h"
#include "pd-phone.h"
#include "pd-value.h"

struct _PdPersonaDetail
{
  AdwBin               parent_instance;

  PdStore             *store;
  GSettings           *settings;
  PdPersona           *persona;   /* as read from the store; NULL when creating */
  PdPersonaDetailMode  mode;
  char                *error_text;

  GPtrArray           *ledger_rows;     /* GtkWidget, children of ledger_row */
  GPtrArray           *attribute_rows;  /* AdwEntryRow, title = attribute name */
  GPtrArray           *import_rows;     /* AdwActionRow, children of imports_group */
  GtkStringList       *signup_forms;
  GtkStringList       *person_types;
  GtkStringList       *customer_types;

  /* template children */
  AdwHeaderBar        *header_bar;
  AdwWindowTitle      *title;
  AdwAvatar           *avatar;
  GtkWidget           *sms_confirm_row;
  GtkWidget           *close_button;
  GtkWidget           *cancel_button;
  GtkWidget           *edit_button;
  GtkWidget           *save_button;
  GtkWidget           *archived_group;
  GtkWidget           *contact_group;
  AdwEntryRow         *first_name_row;
  AdwEntryRow         *last_name_row;
  AdwEntryRow         *emails_row;
  AdwEntryRow         *phones_row;
  AdwEntryRow         *external_id_row;
  AdwEntryRow         *city_row;
  AdwEntryRow         *birth_date_row;
  GtkLabel            *contact_error_label;
  GtkWidget           *signup_group;
  AdwComboRow         *signup_form_row;
  GtkWidget           *points_group;
  GtkLabel            *balance_label;
  AdwExpanderRow      *ledger_row;
  AdwActionRow        *email_opt_in_row;
  GtkSwitch           *email_opt_in_switch;
  AdwActionRow        *sms_row;
  GtkWidget           *sms_confirm_button;
  GtkSwitch           *sms_switch;
  GtkWidget           *double_opt_in_row;
  GtkSwitch           *double_opt_in_switch;
  GtkSwitch           *loyalty_switch;
  AdwComboRow         *person_type_row;
  AdwComboRow         *customer_type_row;
  AdwActionRow        *signup_row;
  AdwEntryRow         *favorite_store_row;
  GtkLabel            *favorite_store_source_label;
  AdwEntryRow         *tags_row;
  AdwPreferencesGroup *attributes_group;
  GtkWidget           *no_attributes_row;
  AdwEntryRow         *new_attribute_name_row;
  AdwEntryRow         *new_attribute_value_row;
  GtkLabel            *attribute_error_label;
  GtkWidget           *archive_button;
  AdwPreferencesGroup *imports_group;
};

G_DEFINE_FINAL_TYPE (PdPersonaDetail, pd_persona_detail, ADW_TYPE_BIN)

enum {
  PERSONA_CHANGED,
  SHOW_TOAST,
  CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers -------------------------------------------------------- */

static const char *
source_label (PdSource source)
{
  switch (source)
    {
    case PD_SOURCE_IMPORT:      return _("from an import");
    case PD_SOURCE_MANUAL:      return _("entered by staff");
    case PD_SOURCE_API:         return _("from the POS / API");
    case PD_SOURCE_SIGNUP_FORM: return _("from a signup form");
    case PD_SOURCE_WALLET:      return _("from the wallet pass");
    case PD_SOURCE_PURCHASE:    return _("from a purchase");
    case PD_SOURCE_NONE:
    default:                    return "";
    }
}

/* Labels of the schema's choice values; an unknown value shows as is. */
static const char *
choice_label (const char *choice)
{
  if (g_strcmp0 (choice, "lead") == 0)
    return _("Lead");
  if (g_strcmp0 (choice, "customer") == 0)
    return _("Customer");
  if (g_strcmp0 (choice, "medical") == 0)
    return _("Medical");
  if (g_strcmp0 (choice, "recreational") == 0)
    return _("Recreational");
  return choice;
}

static GtkStringList *
make_choice_model (PdFieldId field)
{
  const PdFieldInfo *info = pd_field_get_info (field);
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("Not set"));
  for (guint i = 0; info->choices != NULL && info->choices[i] != NULL; i++)
    gtk_string_list_append (list, choice_label (info->choices[i]));
  return list;
}

static guint
choice_index (PdFieldId   field,
              const char *value)
{
  const PdFieldInfo *info = pd_field_get_info (field);

  for (guint i = 0; value != NULL && info->choices != NULL && info->choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (info->choices[i], value) == 0)
      return i + 1;
  return 0;
}

static const char *
choice_at (PdFieldId field,
           guint     index)
{
  const PdFieldInfo *info = pd_field_get_info (field);

  if (index == 0 || index == GTK_INVALID_LIST_POSITION || info->choices == NULL)
    return NULL;
  for (guint i = 0; info->choices[i] != NULL; i++)
    if (i + 1 == index)
      return info->choices[i];
  return NULL;
}

static char *
join_values (GPtrArray *values)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, g_ptr_array_index (values, i));
    }
  return g_string_free (s, FALSE);
}

/* "a@b.c, d@e.f; g" → the non-empty items, trimmed. */
static GStrv
split_values (const char *text,
              const char *separators)
{
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", separators, -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static char *
dup_row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  if (text[0] == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static AdwEntryRow **
entry_rows (PdPersonaDetail *self,
            guint           *n)
{
  static AdwEntryRow *rows[9];

  rows[0] = self->first_name_row;
  rows[1] = self->last_name_row;
  rows[2] = self->emails_row;
  rows[3] = self->phones_row;
  rows[4] = self->external_id_row;
  rows[5] = self->city_row;
  rows[6] = self->birth_date_row;
  rows[7] = self->favorite_store_row;
  rows[8] = self->tags_row;
  *n = G_N_ELEMENTS (rows);
  return rows;
}

static void
clear_errors (PdPersonaDetail *self)
{
  AdwEntryRow **rows;
  guint n;

  rows = entry_rows (self, &n);
  for (guint i = 0; i < n; i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_STATE_INVALID);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->contact_error_label), FALSE);
  gtk_label_set_text (self->contact_error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), FALSE);
  g_clear_pointer (&self->error_text, g_free);
}

/* Marks @row as wrong with @reason, next to it and for assistive tech. */
static void
flag_row (PdPersonaDetail *self,
          GString         *errors,
          AdwEntryRow     *row,
          const char      *reason)
{
  if (errors->len == 0 && row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
  if (errors->len > 0)
    g_string_append_c (errors, '\n');
  g_string_append (errors, reason);

  if (row != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
}

static void
show_errors (PdPersonaDetail *self,
             GString         *errors)
{
  g_free (self->error_text);
  self->error_text = g_strdup (errors->str);
  gtk_label_set_text (self->contact_error_label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->contact_error_label), TRUE);
}

static void
toast (PdPersonaDetail *self,
       const char      *message)
{
  g_signal_emit (self, signals[SHOW_TOAST], 0, message);
}

static char *
dup_region (PdPersonaDetail *self)
{
  g_autofree char *region = NULL;

  if (self->settings != NULL)
    region = g_settings_get_string (self->settings, "default-country");
  if (region == NULL || !pd_phone_is_known_region (region))
    return g_strdup ("US");
  return g_steal_pointer (&region);
}

/* ---- filling the pane ---------------------------------------------- */

static void
clear_ledger (PdPersonaDetail *self)
{
  for (guint i = 0; i < self->ledger_rows->len; i++)
    adw_expander_row_remove (self->ledger_row, g_ptr_array_index (self->ledger_rows, i));
  g_ptr_array_set_size (self->ledger_rows, 0);
}

static void
fill_ledger (PdPersonaDetail *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;

  clear_ledger (self);
  if (self->persona == NULL)
    return;

  entries = pd_store_list_ledger (self->store, pd_persona_get_id (self->persona), &error);
  if (entries == NULL)
    {
      adw_expander_row_set_subtitle (self->ledger_row, error->message);
      return;
    }

  if (entries->len == 0)
    subtitle = g_strdup (_("No points activity yet"));
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", entries->len),
                                entries->len);
  adw_expander_row_set_subtitle (self->ledger_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ledger_row), entries->len > 0);

  /* Newest first: the question at the counter is "what happened lately". */
  for (guint i = entries->len; i > 0; i--)
    {
      PdLedgerEntry *entry = g_ptr_array_index (entries, i - 1);
      g_autofree char *title = NULL;
      g_autofree char *when = NULL;
      g_autofree char *origin = NULL;
      g_autofree char *line = NULL;
      g_autofree char *balance = NULL;
      GtkWidget *row, *label;

      char delta[32], id[32], after[32];

      /* Numbers are formatted first: a G_GINT64_FORMAT inside a msgid
       * does not survive xgettext. */
      g_snprintf (delta, sizeof delta, "%+" G_GINT64_FORMAT, entry->delta);
      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, entry->import_id);
      g_snprintf (after, sizeof after, "%" G_GINT64_FORMAT, entry->balance);
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point", "%s points",
                                            (gulong) ABS (entry->delta)),
                               delta);
      when = entry->time ? g_date_time_format (entry->time, "%Y-%m-%d %H:%M") : g_strdup ("");
      if (entry->import_id > 0)
        origin = g_strdup_printf (_("import #%s"), id);
      else
        origin = g_strdup (source_label (entry->source));
      line = g_strjoin (" · ", when, origin,
                        entry->reason ? entry->reason : "", NULL);
      /* g_strjoin keeps empty parts: trim a trailing separator. */
      if (g_str_has_suffix (line, " · "))
        line[strlen (line) - strlen (" · ")] = '\0';

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), line);
      balance = g_strdup_printf (_("balance %s"), after);
      label = gtk_label_new (balance);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_expander_row_add_row (self->ledger_row, row);
      g_ptr_array_add (self->ledger_rows, row);
    }
}

static AdwEntryRow *
add_attribute_row (PdPersonaDetail *self,
                   const char      *name,
                   const char      *value)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove;
  g_autofree char *remove_label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  gtk_editable_set_text (GTK_EDITABLE (row), value);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  remove_label = g_strdup_printf (_("Remove attribute %s"), name);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "detail.remove-attribute");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", name);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
  g_object_set_data (G_OBJECT (row), "pd-remove-button", remove);

  /* Before the "new attribute" rows, which stay last. */
  adw_preferences_group_remove (self->attributes_group, GTK_WIDGET (self->new_attribute_name_row));
  adw_preferences_group_remove (self->attributes_group, GTK_WIDGET (self->new_attribute_value_row));
  adw_preferences_group_remove (self->attributes_group, GTK_WIDGET (self->attribute_error_label));
  adw_preferences_group_add (self->attributes_group, row);
  adw_preferences_group_add (self->attributes_group, GTK_WIDGET (self->new_attribute_name_row));
  adw_preferences_group_add (self->attributes_group, GTK_WIDGET (self->new_attribute_value_row));
  adw_preferences_group_add (self->attributes_group, GTK_WIDGET (self->attribute_error_label));

  g_ptr_array_add (self->attribute_rows, row);
  gtk_widget_set_visible (self->no_attributes_row, FALSE);
  return ADW_ENTRY_ROW (row);
}

static void
clear_attributes (PdPersonaDetail *self)
{
  for (guint i = 0; i < self->attribute_rows->len; i++)
    adw_preferences_group_remove (self->attributes_group, g_ptr_array_index (self->attribute_rows, i));
  g_ptr_array_set_size (self->attribute_rows, 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static void
fill_attributes (PdPersonaDetail *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTable *attributes;
  GHashTableIter iter;
  gpointer key;

  clear_attributes (self);
  if (self->persona != NULL)
    {
      attributes = pd_persona_get_attributes (self->persona);
      g_hash_table_iter_init (&iter, attributes);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (names, key);
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        add_attribute_row (self, g_ptr_array_index (names, i),
                           g_hash_table_lookup (attributes, g_ptr_array_index (names, i)));
    }
  gtk_widget_set_visible (self->no_attributes_row, self->attribute_rows->len == 0);
}

static void
fill_imports (PdPersonaDetail *self)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->import_rows->len; i++)
    adw_preferences_group_remove (self->imports_group, g_ptr_array_index (self->import_rows, i));
  g_ptr_array_set_size (self->import_rows, 0);

  if (self->persona != NULL)
    ids = pd_store_list_persona_imports (self->store, pd_persona_get_id (self->persona), &error);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(PdImportInfo) info = pd_store_get_import (self->store, g_array_index (ids, gint64, i), NULL);
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (info == NULL)
        continue;
      when = info->started ? g_date_time_format (info->started, "%Y-%m-%d %H:%M") : g_strdup ("");
      subtitle = g_strdup_printf ("%s · %s", when, info->file_name ? info->file_name : "");
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     info->name && info->name[0] ? info->name : _("Unnamed import"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->imports_group, row);
      g_ptr_array_add (self->import_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->imports_group), self->import_rows->len > 0);
}

static void
update_sms_row (PdPersonaDetail *self)
{
  PdPersona *p = self->persona;
  gboolean opt_out = p != NULL && pd_persona_get_sms_opt_out (p);
  PdSmsConsent consent = p != NULL ? pd_persona_get_sms_consent (p) : PD_SMS_CONSENT_NONE;
  const char *subtitle;

  if (opt_out)
    subtitle = _("Opted out by the customer — staff cannot opt them back in");
  else if (self->mode == PD_PERSONA_DETAIL_CREATE && gtk_switch_get_active (self->double_opt_in_switch))
    subtitle = _("Pending until the customer replies YES to the opt-in text");
  else if (consent == PD_SMS_CONSENT_PENDING)
    subtitle = _("Opt-in text sent — waiting for the customer's YES");
  else if (consent == PD_SMS_CONSENT_OPTED_IN)
    subtitle = _("Opted in");
  else
    subtitle = _("Not opted in");
  adw_action_row_set_subtitle (self->sms_row, subtitle);

  gtk_widget_set_visible (self->sms_confirm_row,
                          self->mode == PD_PERSONA_DETAIL_VIEW && !opt_out
                          && consent == PD_SMS_CONSENT_PENDING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sms_switch),
                            self->mode != PD_PERSONA_DETAIL_VIEW && !opt_out
                            && !(self->mode == PD_PERSONA_DETAIL_CREATE
                                 && gtk_switch_get_active (self->double_opt_in_switch)));
}

static void
fill_from_persona (PdPersonaDetail *self)
{
  PdPersona *p = self->persona;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *emails = NULL;
  g_autofree char *phones = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *points = NULL;
  g_autofree char *signup = NULL;

  clear_errors (self);

  if (p != NULL)
    {
      name = pd_persona_dup_display_name (p);
      char id[32];

      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, pd_persona_get_id (p));
      subtitle = g_strdup_printf (_("Persona #%s"), id);
    }
  adw_window_title_set_title (self->title,
                              self->mode == PD_PERSONA_DETAIL_CREATE ? _("New Persona")
                              : name != NULL ? name : _("Persona"));
  adw_window_title_set_subtitle (self->title, subtitle ? subtitle : "");
  adw_avatar_set_text (self->avatar, self->mode == PD_PERSONA_DETAIL_CREATE ? NULL : name);

  set_row_text (self->first_name_row, p ? pd_persona_get_value (p, PD_FIELD_FIRST_NAME) : NULL);
  set_row_text (self->last_name_row, p ? pd_persona_get_value (p, PD_FIELD_LAST_NAME) : NULL);
  emails = p ? join_values (pd_persona_get_emails (p)) : NULL;
  set_row_text (self->emails_row, emails);
  phones = p ? join_values (pd_persona_get_phones (p)) : NULL;
  set_row_text (self->phones_row, phones);
  set_row_text (self->external_id_row, p ? pd_persona_get_value (p, PD_FIELD_EXTERNAL_ID) : NULL);
  set_row_text (self->city_row, p ? pd_persona_get_value (p, PD_FIELD_CITY) : NULL);
  set_row_text (self->birth_date_row, p ? pd_persona_get_value (p, PD_FIELD_BIRTH_DATE) : NULL);
  set_row_text (self->favorite_store_row, p ? pd_persona_get_value (p, PD_FIELD_FAVORITE_STORE) : NULL);
  gtk_label_set_text (self->favorite_store_source_label,
                      p && pd_persona_get_value (p, PD_FIELD_FAVORITE_STORE)
                      ? source_label (pd_persona_get_value_source (p, PD_FIELD_FAVORITE_STORE)) : "");
  tags = p ? join_values (pd_persona_get_tags (p)) : NULL;
  set_row_text (self->tags_row, tags);

  points = g_strdup_printf ("%" G_GINT64_FORMAT, p ? pd_persona_get_points (p) : 0);
  gtk_label_set_text (self->balance_label, points);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->balance_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, points, -1);
  fill_ledger (self);

  gtk_switch_set_active (self->email_opt_in_switch, p && pd_persona_get_email_opt_in (p));
  gtk_switch_set_active (self->sms_switch, p && !pd_persona_get_sms_opt_out (p)
                         && pd_persona_get_sms_consent (p) == PD_SMS_CONSENT_OPTED_IN);
  gtk_switch_set_active (self->double_opt_in_switch, FALSE);
  gtk_switch_set_active (self->loyalty_switch, p && pd_persona_get_loyalty (p));
  adw_combo_row_set_selected (self->person_type_row,
                              choice_index (PD_FIELD_PERSON_TYPE,
                                            p ? pd_persona_get_value (p, PD_FIELD_PERSON_TYPE) : NULL));
  adw_combo_row_set_selected (self->customer_type_row,
                              choice_index (PD_FIELD_CUSTOMER_TYPE,
                                            p ? pd_persona_get_value (p, PD_FIELD_CUSTOMER_TYPE) : NULL));

  if (p != NULL)
    {
      const char *date = pd_persona_get_value (p, PD_FIELD_SIGNUP_OVERRIDE_DATE);
      const char *source = pd_persona_get_signup_source (p);

      if (date == NULL)
        date = pd_persona_get_value (p, PD_FIELD_SIGNUP_DATE);
      if (date != NULL && source != NULL)
        /* Translators: signup date, then where the persona signed up */
        signup = g_strdup_printf (_("%s · %s"), date, source);
      else
        signup = g_strdup (date ? date : source ? source : _("Unknown"));
    }
  adw_action_row_set_subtitle (self->signup_row, signup ? signup : "");

  fill_attributes (self);
  fill_imports (self);
  set_row_text (self->new_attribute_name_row, NULL);
  set_row_text (self->new_attribute_value_row, NULL);
  update_sms_row (self);
}

static void
update_actions (PdPersonaDetail *self)
{
  gboolean viewing = self->mode == PD_PERSONA_DETAIL_VIEW;
  gboolean editing = !viewing;
  gboolean creating = self->mode == PD_PERSONA_DETAIL_CREATE;
  gboolean has = self->persona != NULL;
  gboolean archived = has && pd_persona_get_archived (self->persona);
  AdwEntryRow **rows;
  guint n;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.edit", viewing && has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.save", editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.cancel", editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.archive", viewing && has && !archived);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.unarchive", viewing && archived);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.confirm-sms",
                                 viewing && has && !pd_persona_get_sms_opt_out (self->persona)
                                 && pd_persona_get_sms_consent (self->persona) == PD_SMS_CONSENT_PENDING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.add-attribute", editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.remove-attribute", editing);

  gtk_widget_set_visible (self->edit_button, viewing && has);
  gtk_widget_set_visible (self->save_button, editing);
  gtk_widget_set_visible (self->cancel_button, editing);
  gtk_widget_set_visible (self->close_button, viewing);
  gtk_widget_set_visible (self->archive_button, viewing && has && !archived);
  gtk_widget_set_visible (self->archived_group, viewing && archived);
  gtk_widget_set_visible (self->signup_group, creating);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->contact_group),
                                         creating ? _("An email address or a phone number is required") : NULL);
  gtk_widget_set_visible (self->double_opt_in_row, creating);
  gtk_widget_set_visible (self->points_group, !creating);
  gtk_widget_set_visible (GTK_WIDGET (self->signup_row), !creating);
  gtk_widget_set_visible (GTK_WIDGET (self->new_attribute_name_row), editing);
  gtk_widget_set_visible (GTK_WIDGET (self->new_attribute_value_row), editing);
  gtk_widget_set_visible (self->no_attributes_row, !editing && self->attribute_rows->len == 0);

  /* Before "Edit traits" the pane reads as a card: no edit icons, and
   * the fields with nothing in them are left out. */
  if (viewing)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pd-read-only");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pd-read-only");
  rows = entry_rows (self, &n);
  for (guint i = 0; i < n; i++)
    {
      gtk_editable_set_editable (GTK_EDITABLE (rows[i]), editing);
      gtk_widget_set_visible (GTK_WIDGET (rows[i]),
                              editing || gtk_editable_get_text (GTK_EDITABLE (rows[i]))[0] != '\0');
    }
  for (guint i = 0; i < self->attribute_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->attribute_rows, i);

      gtk_editable_set_editable (GTK_EDITABLE (row), editing);
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "pd-remove-button"), editing);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->email_opt_in_switch), editing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->loyalty_switch), editing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->person_type_row), editing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_type_row), editing);
  update_sms_row (self);
}

static void
set_mode (PdPersonaDetail     *self,
          PdPersonaDetailMode  mode)
{
  self->mode = mode;
  fill_from_persona (self);
  update_actions (self);
}

/* ---- collecting what was typed ------------------------------------- */

static void
replace_values (GPtrArray *current,
                gboolean (*remove) (PdPersona *, const char *),
                PdPersona  *persona)
{
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < current->len; i++)
    g_ptr_array_add (old, g_strdup (g_ptr_array_index (current, i)));
  for (guint i = 0; i < old->len; i++)
    remove (persona, g_ptr_array_index (old, i));
}

static void
set_text_field (PdPersona   *persona,
                PdFieldId    field,
                AdwEntryRow *row)
{
  g_autofree char *text = dup_row_text (row);

  if (g_strcmp0 (text, pd_persona_get_value (persona, field)) != 0)
    pd_persona_set_value (persona, field, text);
}

/* Builds the persona to save from the fields, normalized the way imports
 * normalize; on a bad value flags its row with the reason and returns NULL. */
static PdPersona *
collect_persona (PdPersonaDetail *self)
{
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autofree char *region = dup_region (self);
  g_autofree char *birth = NULL;
  g_auto(GStrv) emails = NULL;
  g_auto(GStrv) phones = NULL;
  g_auto(GStrv) tags = NULL;
  const char *text;
  gboolean opt_out;

  clear_errors (self);

  if (self->mode == PD_PERSONA_DETAIL_EDIT && self->persona != NULL)
    p = pd_persona_copy (self->persona);
  else
    p = pd_persona_new ();

  set_text_field (p, PD_FIELD_FIRST_NAME, self->first_name_row);
  set_text_field (p, PD_FIELD_LAST_NAME, self->last_name_row);
  set_text_field (p, PD_FIELD_EXTERNAL_ID, self->external_id_row);
  set_text_field (p, PD_FIELD_CITY, self->city_row);
  set_text_field (p, PD_FIELD_FAVORITE_STORE, self->favorite_store_row);

  birth = dup_row_text (self->birth_date_row);
  if (birth != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = NULL;
      gboolean ambiguous = FALSE;

      iso = pd_value_parse_date (birth, PD_DATE_ORDER_ISO, &ambiguous, &error);
      if (iso == NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("Birth date: %s"), error->message);
          flag_row (self, errors, self->birth_date_row, reason);
        }
      else if (g_strcmp0 (iso, pd_persona_get_value (p, PD_FIELD_BIRTH_DATE)) != 0)
        pd_persona_set_value (p, PD_FIELD_BIRTH_DATE, iso);
    }
  else
    pd_persona_set_value (p, PD_FIELD_BIRTH_DATE, NULL);

  replace_values (pd_persona_get_emails (p), pd_persona_remove_email, p);
  emails = split_values (gtk_editable_get_text (GTK_EDITABLE (self->emails_row)), ",; \t");
  for (guint i = 0; emails[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = pd_email_normalize (emails[i], &error);

      if (email == NULL)
        {
          /* Translators: the address as typed, then why it is refused */
          g_autofree char *reason = g_strdup_printf (_("Email “%s”: %s"), emails[i], error->message);
          flag_row (self, errors, self->emails_row, reason);
        }
      else
        pd_persona_add_email (p, email);
    }

  replace_values (pd_persona_get_phones (p), pd_persona_remove_phone, p);
  /* Spaces are part of phone numbers as people write them: only commas
   * and semicolons separate several. */
  phones = split_values (gtk_editable_get_text (GTK_EDITABLE (self->phones_row)), ",;");
  for (guint i = 0; phones[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *phone = pd_phone_normalize (phones[i], region, &error);

      if (phone == NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("Phone “%s”: %s"), phones[i], error->message);
          flag_row (self, errors, self->phones_row, reason);
        }
      else
        pd_persona_add_phone (p, phone);
    }

  if (errors->len == 0
      && pd_persona_get_emails (p)->len == 0 && pd_persona_get_phones (p)->len == 0)
    {
      flag_row (self, errors, self->emails_row, _("Enter at least an email address or a phone number"));
      gtk_widget_add_css_class (GTK_WIDGET (self->phones_row), "error");
    }

  replace_values (pd_persona_get_tags (p), pd_persona_remove_tag, p);
  tags = split_values (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)), ",");
  for (guint i = 0; tags[i] != NULL; i++)
    pd_persona_add_tag (p, tags[i]);

  /* Attributes: the rows are the whole truth; a cleared value removes. */
  if (self->persona != NULL && self->mode == PD_PERSONA_DETAIL_EDIT)
    {
      g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_free);
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, pd_persona_get_attributes (p));
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (old, g_strdup (key));
      for (guint i = 0; i < old->len; i++)
        pd_persona_set_attribute (p, g_ptr_array_index (old, i), NULL);
    }
  for (guint i = 0; i < self->attribute_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->attribute_rows, i);
      g_autofree char *value = dup_row_text (row);

      pd_persona_set_attribute (p, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), value);
    }

  text = choice_at (PD_FIELD_PERSON_TYPE, adw_combo_row_get_selected (self->person_type_row));
  if (g_strcmp0 (text, pd_persona_get_value (p, PD_FIELD_PERSON_TYPE)) != 0)
    pd_persona_set_value (p, PD_FIELD_PERSON_TYPE, text);
  text = choice_at (PD_FIELD_CUSTOMER_TYPE, adw_combo_row_get_selected (self->customer_type_row));
  if (g_strcmp0 (text, pd_persona_get_value (p, PD_FIELD_CUSTOMER_TYPE)) != 0)
    pd_persona_set_value (p, PD_FIELD_CUSTOMER_TYPE, text);

  pd_persona_set_loyalty (p, gtk_switch_get_active (self->loyalty_switch));
  pd_persona_set_email_opt_in (p, gtk_switch_get_active (self->email_opt_in_switch));

  /* An explicit opt-out is the customer's word: nothing here undoes it. */
  opt_out = pd_persona_get_sms_opt_out (p);
  if (!opt_out)
    {
      if (self->mode == PD_PERSONA_DETAIL_CREATE && gtk_switch_get_active (self->double_opt_in_switch))
        pd_persona_set_sms_consent (p, PD_SMS_CONSENT_PENDING);
      else if (gtk_switch_get_active (self->sms_switch))
        pd_persona_set_sms_consent (p, PD_SMS_CONSENT_OPTED_IN);
      else if (pd_persona_get_sms_consent (p) == PD_SMS_CONSENT_OPTED_IN)
        pd_persona_set_sms_consent (p, PD_SMS_CONSENT_NONE);
    }

  if (self->mode == PD_PERSONA_DETAIL_CREATE)
    {
      guint selected = adw_combo_row_get_selected (self->signup_form_row);
      const char *form = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
        form = gtk_string_list_get_string (self->signup_forms, selected);
      pd_persona_set_signup_source (p, form ? form : "Manual");
      pd_persona_set_value (p, PD_FIELD_SIGNUP_DATE, today);
      pd_persona_set_value_source (p, PD_FIELD_SIGNUP_DATE,
                                   form ? PD_SOURCE_SIGNUP_FORM : PD_SOURCE_MANUAL);
    }

  if (errors->len > 0)
    {
      show_errors (self, errors);
      return NULL;
    }
  return g_steal_pointer (&p);
}

/* The persona already using one of @p's emails or phones, or 0. */
static gint64
find_existing (PdPersonaDetail  *self,
               PdPersona        *p,
               const char      **which)
{
  struct { PdFieldId field; GPtrArray *values; } keys[] = {
    { PD_FIELD_EMAIL, pd_persona_get_emails (p) },
    { PD_FIELD_PHONE, pd_persona_get_phones (p) },
  };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint i = 0; i < keys[k].values->len; i++)
      {
        g_autoptr(GError) error = NULL;
        const char *value = g_ptr_array_index (keys[k].values, i);
        gint64 id = pd_store_find_persona (self->store, keys[k].field, value, &error);

        if (id > 0 && id != pd_persona_get_id (p))
          {
            *which = value;
            return id;
          }
      }
  return 0;
}

static void
open_existing (PdPersonaDetail *self,
               gint64           id,
               const char      *which)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("%s is already used: here is that persona"), which);
  pd_persona_detail_show_persona (self, id);
  toast (self, message);
}

/* ---- actions -------------------------------------------------------- */

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);

  set_mode (self, PD_PERSONA_DETAIL_EDIT);
  gtk_widget_grab_focus (GTK_WIDGET (self->first_name_row));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);

  if (self->mode == PD_PERSONA_DETAIL_CREATE)
    g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
  else
    pd_persona_detail_cancel_editing (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(GError) error = NULL;
  gboolean creating = self->mode == PD_PERSONA_DETAIL_CREATE;
  const char *which = NULL;
  gint64 existing;

  p = collect_persona (self);
  if (p == NULL)
    return;

  if (creating && (existing = find_existing (self, p, &which)) > 0)
    {
      open_existing (self, existing, which);
      return;
    }

  if (!pd_store_save_persona (self->store, p, PD_SOURCE_MANUAL, &error))
    {
      g_autoptr(GString) errors = g_string_new (NULL);

      if (creating && g_error_matches (error, PD_ERROR, PD_ERROR_CONFLICT)
          && (existing = find_existing (self, p, &which)) > 0)
        {
          open_existing (self, existing, which);
          return;
        }
      flag_row (self, errors, NULL, error->message);
      show_errors (self, errors);
      return;
    }

  pd_persona_detail_show_persona (self, pd_persona_get_id (p));
  toast (self, creating ? _("Persona created") : _("Changes saved"));
  g_signal_emit (self, signals[PERSONA_CHANGED], 0, pd_persona_get_id (p));
}

static void
set_archived (PdPersonaDetail *self,
              gboolean         archived)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->persona == NULL)
    return;

  id = pd_persona_get_id (self->persona);
  if (!pd_store_set_archived (self->store, id, archived, &error))
    {
      toast (self, error->message);
      return;
    }

  pd_persona_detail_reload (self);
  toast (self, archived ? _("Persona archived") : _("Persona unarchived"));
  g_signal_emit (self, signals[PERSONA_CHANGED], 0, id);
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  set_archived (PD_PERSONA_DETAIL (widget), TRUE);
}

static void
unarchive_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  set_archived (PD_PERSONA_DETAIL (widget), FALSE);
}

static void
confirm_sms_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);
  g_autoptr(PdPersona) p = NULL;
  g_autoptr(GError) error = NULL;

  if (self->persona == NULL || pd_persona_get_sms_opt_out (self->persona))
    return;

  p = pd_persona_copy (self->persona);
  pd_persona_set_sms_consent (p, PD_SMS_CONSENT_OPTED_IN);
  if (!pd_store_save_persona (self->store, p, PD_SOURCE_MANUAL, &error))
    {
      toast (self, error->message);
      return;
    }
  pd_persona_detail_reload (self);
  toast (self, _("Text opt-in confirmed"));
  g_signal_emit (self, signals[PERSONA_CHANGED], 0, pd_persona_get_id (p));
}

static void
add_attribute_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);
  g_autofree char *name = dup_row_text (self->new_attribute_name_row);
  g_autofree char *value = dup_row_text (self->new_attribute_value_row);
  const char *problem = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), FALSE);
  if (name != NULL && g_str_has_prefix (name, PD_ATTRIBUTE_PREFIX))
    {
      char *bare = g_strdup (name + strlen (PD_ATTRIBUTE_PREFIX));

      g_free (name);
      name = g_strstrip (bare);
    }

  if (name == NULL || name[0] == '\0')
    problem = _("Give the attribute a name");
  else if (value == NULL)
    problem = _("Give the attribute a value");
  else
    for (guint i = 0; i < self->attribute_rows->len; i++)
      {
        AdwEntryRow *row = g_ptr_array_index (self->attribute_rows, i);

        if (g_utf8_collate (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
          {
            /* Same name: edit the value in place rather than refuse. */
            set_row_text (row, value);
            set_row_text (self->new_attribute_name_row, NULL);
            set_row_text (self->new_attribute_value_row, NULL);
            return;
          }
      }

  if (problem != NULL)
    {
      gtk_label_set_text (self->attribute_error_label, problem);
      gtk_widget_set_visible (GTK_WIDGET (self->attribute_error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (name == NULL || name[0] == '\0'
                                         ? self->new_attribute_name_row
                                         : self->new_attribute_value_row));
      return;
    }

  add_attribute_row (self, name, value);
  update_actions (self);
  set_row_text (self->new_attribute_name_row, NULL);
  set_row_text (self->new_attribute_value_row, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->new_attribute_name_row));
}

/* Removes the row; the attribute goes when the persona is saved. */
static void
remove_attribute_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);
  const char *name = g_variant_get_string (param, NULL);

  for (guint i = 0; i < self->attribute_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->attribute_rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
        {
          adw_preferences_group_remove (self->attributes_group, row);
          g_ptr_array_remove_index (self->attribute_rows, i);
          break;
        }
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->new_attribute_name_row));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit (widget, signals[CLOSE_REQUESTED], 0);
}

/* ---- callbacks ------------------------------------------------------ */

static void
on_new_attribute_value_row_entry_activated (AdwEntryRow     *row,
                                            PdPersonaDetail *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "detail.add-attribute", NULL);
}

static void
on_double_opt_in_notify_active (GtkSwitch       *sw,
                                GParamSpec      *pspec,
                                PdPersonaDetail *self)
{
  if (gtk_switch_get_active (sw))
    gtk_switch_set_active (self->sms_switch, FALSE);
  update_sms_row (self);
}

/* ---- GObject -------------------------------------------------------- */

static gboolean
pd_persona_detail_grab_focus (GtkWidget *widget)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (widget);

  if (self->mode == PD_PERSONA_DETAIL_CREATE)
    return gtk_widget_grab_focus (GTK_WIDGET (self->first_name_row));
  if (self->mode == PD_PERSONA_DETAIL_EDIT)
    return gtk_widget_grab_focus (GTK_WIDGET (self->first_name_row));
  if (self->persona != NULL)
    return gtk_widget_grab_focus (self->edit_button);
  return gtk_widget_grab_focus (self->close_button);
}

static void
pd_persona_detail_dispose (GObject *object)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PERSONA_DETAIL);
  g_clear_pointer (&self->ledger_rows, g_ptr_array_unref);
  g_clear_pointer (&self->attribute_rows, g_ptr_array_unref);
  g_clear_pointer (&self->import_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_persona_detail_parent_class)->dispose (object);
}

static void
pd_persona_detail_finalize (GObject *object)
{
  PdPersonaDetail *self = PD_PERSONA_DETAIL (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->persona);
  g_clear_object (&self->signup_forms);
  g_clear_object (&self->person_types);
  g_clear_object (&self->customer_types);
  g_free (self->error_text);

  G_OBJECT_CLASS (pd_persona_detail_parent_class)->finalize (object);
}

static void
pd_persona_detail_class_init (PdPersonaDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_detail_dispose;
  object_class->finalize = pd_persona_detail_finalize;
  widget_class->grab_focus = pd_persona_detail_grab_focus;

  /**
   * PdPersonaDetail::persona-changed:
   * @id: the persona saved, archived or unarchived
   */
  signals[PERSONA_CHANGED] =
    g_signal_new ("persona-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SHOW_TOAST] =
    g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/pd-persona-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, title);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, avatar);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, sms_confirm_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, close_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, edit_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, save_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, archived_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, contact_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, first_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, last_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, emails_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, phones_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, external_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, city_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, birth_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, contact_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, signup_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, signup_form_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, points_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, balance_label);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, ledger_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, email_opt_in_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, email_opt_in_switch);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, sms_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, sms_confirm_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, sms_switch);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, double_opt_in_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, double_opt_in_switch);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, loyalty_switch);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, person_type_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, customer_type_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, signup_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, favorite_store_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, favorite_store_source_label);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, tags_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, attributes_group);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, no_attributes_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, new_attribute_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, new_attribute_value_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, attribute_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, archive_button);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaDetail, imports_group);
  gtk_widget_class_bind_template_callback (widget_class, on_new_attribute_value_row_entry_activated);

  gtk_widget_class_install_action (widget_class, "detail.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "detail.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "detail.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "detail.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "detail.unarchive", NULL, unarchive_action);
  gtk_widget_class_install_action (widget_class, "detail.confirm-sms", NULL, confirm_sms_action);
  gtk_widget_class_install_action (widget_class, "detail.add-attribute", NULL, add_attribute_action);
  gtk_widget_class_install_action (widget_class, "detail.remove-attribute", "s", remove_attribute_action);
  gtk_widget_class_install_action (widget_class, "detail.close", NULL, close_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "detail.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "detail.edit", NULL);
}

static void
pd_persona_detail_init (PdPersonaDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->ledger_rows = g_ptr_array_new ();
  self->attribute_rows = g_ptr_array_new ();
  self->import_rows = g_ptr_array_new ();

  self->person_types = make_choice_model (PD_FIELD_PERSON_TYPE);
  adw_combo_row_set_model (self->person_type_row, G_LIST_MODEL (self->person_types));
  self->customer_types = make_choice_model (PD_FIELD_CUSTOMER_TYPE);
  adw_combo_row_set_model (self->customer_type_row, G_LIST_MODEL (self->customer_types));
  self->signup_forms = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->signup_form_row, G_LIST_MODEL (self->signup_forms));


  g_signal_connect_object (self->double_opt_in_switch, "notify::active",
                           G_CALLBACK (on_double_opt_in_notify_active), self, 0);

  set_mode (self, PD_PERSONA_DETAIL_VIEW);
}

void
pd_persona_detail_set_store (PdPersonaDetail *self,
                             PdStore         *store)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));
  g_return_if_fail (PD_IS_STORE (store));

  g_set_object (&self->store, store);
}

void
pd_persona_detail_set_settings (PdPersonaDetail *self,
                                GSettings       *settings)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  g_set_object (&self->settings, settings);
}

void
pd_persona_detail_show_persona (PdPersonaDetail *self,
                                gint64           id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) persona = NULL;

  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));
  g_return_if_fail (self->store != NULL);

  persona = pd_store_get_persona (self->store, id, &error);
  if (persona == NULL)
    {
      toast (self, error->message);
      return;
    }

  g_set_object (&self->persona, persona);
  set_mode (self, PD_PERSONA_DETAIL_VIEW);
}

void
pd_persona_detail_new_persona (PdPersonaDetail *self)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));
  g_return_if_fail (self->store != NULL);

  /* The forms known to the database, after "Manual" (the default). */
  g_ptr_array_add (names, (gpointer) _("Manual"));
  sources = pd_store_list_signup_sources (self->store, &error);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      const char *source = g_ptr_array_index (sources, i);

      if (source != NULL && source[0] != '\0' && g_strcmp0 (source, "Manual") != 0)
        g_ptr_array_add (names, (gpointer) source);
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->signup_forms, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->signup_forms)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->signup_form_row, 0);

  g_clear_object (&self->persona);
  set_mode (self, PD_PERSONA_DETAIL_CREATE);
  /* A new persona joins loyalty unless staff say otherwise: it is why
   * they sign up at the counter. */
  gtk_switch_set_active (self->loyalty_switch, TRUE);
}

void
pd_persona_detail_reload (PdPersonaDetail *self)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  if (self->persona != NULL)
    pd_persona_detail_show_persona (self, pd_persona_get_id (self->persona));
}

void
pd_persona_detail_cancel_editing (PdPersonaDetail *self)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  if (self->mode != PD_PERSONA_DETAIL_VIEW)
    set_mode (self, PD_PERSONA_DETAIL_VIEW);
}

gint64
pd_persona_detail_get_persona_id (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), 0);

  if (self->persona == NULL || self->mode == PD_PERSONA_DETAIL_CREATE)
    return 0;
  return pd_persona_get_id (self->persona);
}

PdPersona *
pd_persona_detail_get_persona (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), NULL);
  return self->persona;
}

PdPersonaDetailMode
pd_persona_detail_get_mode (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), PD_PERSONA_DETAIL_VIEW);
  return self->mode;
}

const char *
pd_persona_detail_get_error_text (PdPersonaDetail *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), NULL);
  return self->error_text;
}

GtkEditable *
pd_persona_detail_get_field_editable (PdPersonaDetail *self,
                                      PdFieldId        field)
{
  g_return_val_if_fail (PD_IS_PERSONA_DETAIL (self), NULL);

  switch ((int) field)
    {
    case PD_FIELD_FIRST_NAME:     return GTK_EDITABLE (self->first_name_row);
    case PD_FIELD_LAST_NAME:      return GTK_EDITABLE (self->last_name_row);
    case PD_FIELD_EMAIL:          return GTK_EDITABLE (self->emails_row);
    case PD_FIELD_PHONE:          return GTK_EDITABLE (self->phones_row);
    case PD_FIELD_EXTERNAL_ID:    return GTK_EDITABLE (self->external_id_row);
    case PD_FIELD_CITY:           return GTK_EDITABLE (self->city_row);
    case PD_FIELD_BIRTH_DATE:     return GTK_EDITABLE (self->birth_date_row);
    case PD_FIELD_FAVORITE_STORE: return GTK_EDITABLE (self->favorite_store_row);
    case PD_FIELD_TAGS:           return GTK_EDITABLE (self->tags_row);
    default:                      return NULL;
    }
}

/* The window's controls go to the pane's header bar while the pane sits
 * beside the list, so that they stay in the window's top-right corner. */
void
pd_persona_detail_set_show_window_buttons (PdPersonaDetail *self,
                                           gboolean         show)
{
  g_return_if_fail (PD_IS_PERSONA_DETAIL (self));

  adw_header_bar_set_show_end_title_buttons (self->header_bar, show);
}

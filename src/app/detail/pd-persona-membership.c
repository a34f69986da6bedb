/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "pd-persona-fields.h"
#include "pd-persona-membership.h"

struct _PdPersonaMembership
{
  AdwPreferencesGroup  parent_instance;

  GtkStringList       *person_types;
  GtkStringList       *customer_types;

  /* template children */
  GtkSwitch           *loyalty_switch;
  AdwComboRow         *person_type_row;
  AdwComboRow         *customer_type_row;
  AdwActionRow        *signup_row;
  AdwEntryRow         *favorite_store_row;
  GtkLabel            *favorite_store_source_label;
  AdwActionRow        *pinned_row;
};

G_DEFINE_FINAL_TYPE (PdPersonaMembership, pd_persona_membership, ADW_TYPE_PREFERENCES_GROUP)

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

/* "Not set", then the field's choices: position i + 1 is choice i. */
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

static void
collect_choice (PdPersona   *p,
                PdFieldId    field,
                AdwComboRow *row)
{
  const char *value = choice_at (field, adw_combo_row_get_selected (row));

  if (g_strcmp0 (value, pd_persona_get_value (p, field)) != 0)
    pd_persona_set_value (p, field, value);
}

/* A stored YYYY-MM-DD in the locale's date format ("15.03.2024" in German);
 * anything else as it is. */
static char *
dup_local_date (const char *iso)
{
  g_autoptr(GDateTime) date = NULL;
  int y, m, d;
  char end;

  if (iso == NULL)
    return NULL;
  if (sscanf (iso, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
    date = g_date_time_new_utc (y, m, d, 0, 0, 0);
  return date != NULL ? g_date_time_format (date, "%x") : g_strdup (iso);
}

static char *
dup_signup (PdPersona *p)
{
  const char *stored = pd_persona_get_value (p, PD_FIELD_SIGNUP_OVERRIDE_DATE);
  const char *source = pd_persona_get_signup_source (p);
  g_autofree char *date = NULL;

  if (stored == NULL)
    stored = pd_persona_get_value (p, PD_FIELD_SIGNUP_DATE);
  date = dup_local_date (stored);
  if (date != NULL && source != NULL)
    /* Translators: signup date, then where the persona signed up */
    return g_strdup_printf (_("%s · %s"), date, source);
  return g_strdup (date ? date : source ? source : _("Unknown"));
}

static void
pd_persona_membership_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_PERSONA_MEMBERSHIP);

  G_OBJECT_CLASS (pd_persona_membership_parent_class)->dispose (object);
}

static void
pd_persona_membership_finalize (GObject *object)
{
  PdPersonaMembership *self = PD_PERSONA_MEMBERSHIP (object);

  g_clear_object (&self->person_types);
  g_clear_object (&self->customer_types);

  G_OBJECT_CLASS (pd_persona_membership_parent_class)->finalize (object);
}

static void
pd_persona_membership_class_init (PdPersonaMembershipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_membership_dispose;
  object_class->finalize = pd_persona_membership_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-membership.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMembership, loyalty_switch);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMembership, person_type_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMembership, customer_type_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMembership, signup_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMembership, favorite_store_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMembership, favorite_store_source_label);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaMembership, pinned_row);
}

static void
pd_persona_membership_init (PdPersonaMembership *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The choices come from the field schema, not from the template. */
  self->person_types = make_choice_model (PD_FIELD_PERSON_TYPE);
  adw_combo_row_set_model (self->person_type_row, G_LIST_MODEL (self->person_types));
  self->customer_types = make_choice_model (PD_FIELD_CUSTOMER_TYPE);
  adw_combo_row_set_model (self->customer_type_row, G_LIST_MODEL (self->customer_types));
}

void
pd_persona_membership_set_persona (PdPersonaMembership *self,
                                   PdPersona           *p,
                                   PdPersonaDetailMode  mode)
{
  gboolean editing = mode != PD_PERSONA_DETAIL_VIEW;
  g_autofree char *signup = NULL;

  g_return_if_fail (PD_IS_PERSONA_MEMBERSHIP (self));

  pd_persona_fields_set_text (self->favorite_store_row, p ? pd_persona_get_value (p, PD_FIELD_FAVORITE_STORE) : NULL);
  gtk_label_set_text (self->favorite_store_source_label,
                      p && pd_persona_get_value (p, PD_FIELD_FAVORITE_STORE)
                      ? pd_persona_fields_source_label (pd_persona_get_value_source (p, PD_FIELD_FAVORITE_STORE))
                      : "");
  gtk_switch_set_active (self->loyalty_switch, p && pd_persona_get_loyalty (p));
  adw_combo_row_set_selected (self->person_type_row,
                              choice_index (PD_FIELD_PERSON_TYPE,
                                            p ? pd_persona_get_value (p, PD_FIELD_PERSON_TYPE) : NULL));
  adw_combo_row_set_selected (self->customer_type_row,
                              choice_index (PD_FIELD_CUSTOMER_TYPE,
                                            p ? pd_persona_get_value (p, PD_FIELD_CUSTOMER_TYPE) : NULL));
  if (p != NULL)
    signup = dup_signup (p);
  adw_action_row_set_subtitle (self->signup_row, signup ? signup : "");

  /* Pinned values: which fields, as "Field: value" lines. */
  {
    GString *pinned = g_string_new (NULL);

    for (int f = 0; p != NULL && f < PD_FIELD_N_BUILTIN; f++)
      if (pd_persona_get_override (p, f) != NULL)
        g_string_append_printf (pinned, "%s%s: %s", pinned->len ? "\n" : "",
                                _(pd_field_get_info (f)->label), pd_persona_get_override (p, f));
    adw_action_row_set_subtitle (self->pinned_row, pinned->str);
    gtk_widget_set_visible (GTK_WIDGET (self->pinned_row), pinned->len > 0);
    if (p != NULL && pd_persona_get_override (p, PD_FIELD_FAVORITE_STORE) != NULL)
      gtk_label_set_text (self->favorite_store_source_label, _("pinned"));
    g_string_free (pinned, TRUE);
  }

  pd_persona_fields_set_editing (self->favorite_store_row, editing);
  /* a member stays one (only the customer's own request ends it) */
  gtk_widget_set_sensitive (GTK_WIDGET (self->loyalty_switch), editing && !(p && pd_persona_get_loyalty (p)));
  gtk_widget_set_sensitive (GTK_WIDGET (self->person_type_row), editing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_type_row), editing);
  /* A new persona signs up when saved: the pane asks for the form instead. */
  gtk_widget_set_visible (GTK_WIDGET (self->signup_row), mode != PD_PERSONA_DETAIL_CREATE);
}

void
pd_persona_membership_collect (PdPersonaMembership *self,
                               PdPersona           *p)
{
  g_return_if_fail (PD_IS_PERSONA_MEMBERSHIP (self));

  pd_persona_fields_set_value (p, PD_FIELD_FAVORITE_STORE, self->favorite_store_row);
  collect_choice (p, PD_FIELD_PERSON_TYPE, self->person_type_row);
  collect_choice (p, PD_FIELD_CUSTOMER_TYPE, self->customer_type_row);
  pd_persona_set_loyalty (p, gtk_switch_get_active (self->loyalty_switch));
}

void
pd_persona_membership_set_loyalty (PdPersonaMembership *self,
                                   gboolean             loyalty)
{
  g_return_if_fail (PD_IS_PERSONA_MEMBERSHIP (self));

  gtk_switch_set_active (self->loyalty_switch, loyalty);
}

GtkEditable *
pd_persona_membership_get_field_editable (PdPersonaMembership *self,
                                          PdFieldId            field)
{
  g_return_val_if_fail (PD_IS_PERSONA_MEMBERSHIP (self), NULL);

  if (field == PD_FIELD_FAVORITE_STORE)
    return GTK_EDITABLE (self->favorite_store_row);
  return NULL;
}

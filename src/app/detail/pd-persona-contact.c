/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-email.h"
#include "pd-persona-contact.h"
#include "pd-phone-display.h"
#include "pd-persona-fields.h"
#include "pd-phone.h"
#include "pd-value.h"

struct _PdPersonaContact
{
  AdwPreferencesGroup  parent_instance;

  char                *error_text;

  /* template children */
  AdwEntryRow         *first_name_row;
  AdwEntryRow         *last_name_row;
  AdwEntryRow         *emails_row;
  AdwEntryRow         *phones_row;
  GtkImage            *phones_warning;
  AdwEntryRow         *external_id_row;
  AdwEntryRow         *city_row;
  AdwEntryRow         *birth_date_row;
  GtkLabel            *contact_error_label;
};

G_DEFINE_FINAL_TYPE (PdPersonaContact, pd_persona_contact, ADW_TYPE_PREFERENCES_GROUP)

static void
clear_errors (PdPersonaContact *self)
{
  AdwEntryRow *rows[] = {
    self->first_name_row, self->last_name_row, self->emails_row, self->phones_row,
    self->external_id_row, self->city_row, self->birth_date_row,
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_STATE_INVALID);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->contact_error_label), FALSE);
  gtk_label_set_text (self->contact_error_label, "");
  g_clear_pointer (&self->error_text, g_free);
}

/* Marks @row as wrong with @reason, next to it and for assistive tech. */
static void
flag_row (GString     *errors,
          AdwEntryRow *row,
          const char  *reason)
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
show_errors (PdPersonaContact *self,
             GString          *errors)
{
  g_free (self->error_text);
  self->error_text = g_strdup (errors->str);
  gtk_label_set_text (self->contact_error_label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->contact_error_label), TRUE);
}

static void
collect_birth_date (PdPersonaContact *self,
                    PdPersona        *p,
                    GString          *errors)
{
  g_autofree char *birth = pd_persona_fields_dup_text (self->birth_date_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;
  gboolean ambiguous = FALSE;

  if (birth == NULL)
    {
      pd_persona_set_value (p, PD_FIELD_BIRTH_DATE, NULL);
      return;
    }

  iso = pd_value_parse_date (birth, PD_DATE_ORDER_ISO, &ambiguous, &error);
  if (iso == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("Birth date: %s"), error->message);
      flag_row (errors, self->birth_date_row, reason);
    }
  else if (g_strcmp0 (iso, pd_persona_get_value (p, PD_FIELD_BIRTH_DATE)) != 0)
    pd_persona_set_value (p, PD_FIELD_BIRTH_DATE, iso);
}

static void
collect_emails (PdPersonaContact *self,
                PdPersona        *p,
                GString          *errors)
{
  g_auto(GStrv) emails = NULL;

  pd_persona_fields_remove_all (p, pd_persona_get_emails (p), pd_persona_remove_email);
  emails = pd_persona_fields_split (gtk_editable_get_text (GTK_EDITABLE (self->emails_row)), ",; \t");
  for (guint i = 0; emails[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = pd_email_normalize (emails[i], &error);

      if (email == NULL)
        {
          /* Translators: the address as typed, then why it is refused */
          g_autofree char *reason = g_strdup_printf (_("Email “%s”: %s"), emails[i], error->message);
          flag_row (errors, self->emails_row, reason);
        }
      else
        pd_persona_add_email (p, email);
    }
}

static void
collect_phones (PdPersonaContact *self,
                PdPersona        *p,
                const char       *region,
                GString          *errors)
{
  g_auto(GStrv) phones = NULL;

  pd_persona_fields_remove_all (p, pd_persona_get_phones (p), pd_persona_remove_phone);
  /* Spaces are part of phone numbers as people write them: only commas
   * and semicolons separate several. */
  phones = pd_persona_fields_split (gtk_editable_get_text (GTK_EDITABLE (self->phones_row)), ",;");
  for (guint i = 0; phones[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      /* as an import keeps them: a number the phone data does not know
       * yet (marked, see above) and an extension survive an edit */
      g_autofree char *phone = pd_phone_normalize_lenient (phones[i], region, NULL, &error);

      if (phone == NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("Phone “%s”: %s"), phones[i], error->message);
          flag_row (errors, self->phones_row, reason);
        }
      else
        pd_persona_add_phone (p, phone);
    }
}

static gboolean
pd_persona_contact_grab_focus (GtkWidget *widget)
{
  PdPersonaContact *self = PD_PERSONA_CONTACT (widget);

  /* The group itself takes no focus: typing starts at the first field. */
  return gtk_widget_grab_focus (GTK_WIDGET (self->first_name_row));
}

static void
pd_persona_contact_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_PERSONA_CONTACT);

  G_OBJECT_CLASS (pd_persona_contact_parent_class)->dispose (object);
}

static void
pd_persona_contact_finalize (GObject *object)
{
  PdPersonaContact *self = PD_PERSONA_CONTACT (object);

  g_free (self->error_text);

  G_OBJECT_CLASS (pd_persona_contact_parent_class)->finalize (object);
}

static void
pd_persona_contact_class_init (PdPersonaContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_contact_dispose;
  object_class->finalize = pd_persona_contact_finalize;
  widget_class->grab_focus = pd_persona_contact_grab_focus;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-contact.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, first_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, last_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, emails_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, phones_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, phones_warning);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, external_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, city_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, birth_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaContact, contact_error_label);
}

static void
pd_persona_contact_init (PdPersonaContact *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* as staff read them, not as stored: "(202) 555-0143" */
static char *
join_phones (PdPersona *p)
{
  GPtrArray *phones = pd_persona_get_phones (p);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < phones->len; i++)
    g_ptr_array_add (shown, pd_phone_display (g_ptr_array_index (phones, i)));
  return pd_persona_fields_join (shown);
}

void
pd_persona_contact_set_persona (PdPersonaContact    *self,
                                PdPersona           *p,
                                PdPersonaDetailMode  mode)
{
  gboolean editing = mode != PD_PERSONA_DETAIL_VIEW;
  g_autofree char *emails = NULL;
  g_autofree char *phones = NULL;
  g_autofree char *not_in_data = NULL;

  g_return_if_fail (PD_IS_PERSONA_CONTACT (self));

  clear_errors (self);

  pd_persona_fields_set_text (self->first_name_row, p ? pd_persona_get_value (p, PD_FIELD_FIRST_NAME) : NULL);
  pd_persona_fields_set_text (self->last_name_row, p ? pd_persona_get_value (p, PD_FIELD_LAST_NAME) : NULL);
  emails = p ? pd_persona_fields_join (pd_persona_get_emails (p)) : NULL;
  pd_persona_fields_set_text (self->emails_row, emails);
  phones = p ? join_phones (p) : NULL;
  pd_persona_fields_set_text (self->phones_row, phones);
  /* The entry's text is read back on save: the mark is an icon beside it. */
  not_in_data = p ? pd_phone_describe_not_in_data (pd_persona_get_phones (p)) : NULL;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->phones_warning), not_in_data);
  gtk_widget_set_visible (GTK_WIDGET (self->phones_warning), not_in_data != NULL);
  pd_persona_fields_set_text (self->external_id_row, p ? pd_persona_get_value (p, PD_FIELD_EXTERNAL_ID) : NULL);
  pd_persona_fields_set_text (self->city_row, p ? pd_persona_get_value (p, PD_FIELD_CITY) : NULL);
  pd_persona_fields_set_text (self->birth_date_row, p ? pd_persona_get_value (p, PD_FIELD_BIRTH_DATE) : NULL);

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         mode == PD_PERSONA_DETAIL_CREATE
                                         ? _("An email address or a phone number is required") : NULL);
  pd_persona_fields_set_editing (self->first_name_row, editing);
  pd_persona_fields_set_editing (self->last_name_row, editing);
  pd_persona_fields_set_editing (self->emails_row, editing);
  pd_persona_fields_set_editing (self->phones_row, editing);
  pd_persona_fields_set_editing (self->external_id_row, editing);
  pd_persona_fields_set_editing (self->city_row, editing);
  pd_persona_fields_set_editing (self->birth_date_row, editing);
}

gboolean
pd_persona_contact_collect (PdPersonaContact *self,
                            PdPersona        *p,
                            const char       *region)
{
  g_autoptr(GString) errors = g_string_new (NULL);

  g_return_val_if_fail (PD_IS_PERSONA_CONTACT (self), FALSE);

  clear_errors (self);

  pd_persona_fields_set_value (p, PD_FIELD_FIRST_NAME, self->first_name_row);
  pd_persona_fields_set_value (p, PD_FIELD_LAST_NAME, self->last_name_row);
  pd_persona_fields_set_value (p, PD_FIELD_EXTERNAL_ID, self->external_id_row);
  pd_persona_fields_set_value (p, PD_FIELD_CITY, self->city_row);
  collect_birth_date (self, p, errors);
  collect_emails (self, p, errors);
  collect_phones (self, p, region, errors);

  if (errors->len == 0
      && pd_persona_get_emails (p)->len == 0 && pd_persona_get_phones (p)->len == 0)
    {
      flag_row (errors, self->emails_row, _("Enter at least an email address or a phone number"));
      gtk_widget_add_css_class (GTK_WIDGET (self->phones_row), "error");
    }

  if (errors->len > 0)
    {
      show_errors (self, errors);
      return FALSE;
    }
  return TRUE;
}

void
pd_persona_contact_show_error (PdPersonaContact *self,
                               const char       *message)
{
  g_autoptr(GString) errors = g_string_new (NULL);

  g_return_if_fail (PD_IS_PERSONA_CONTACT (self));

  flag_row (errors, NULL, message);
  show_errors (self, errors);
}

const char *
pd_persona_contact_get_error_text (PdPersonaContact *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_CONTACT (self), NULL);
  return self->error_text;
}

GtkEditable *
pd_persona_contact_get_field_editable (PdPersonaContact *self,
                                       PdFieldId         field)
{
  g_return_val_if_fail (PD_IS_PERSONA_CONTACT (self), NULL);

  switch ((int) field)
    {
    case PD_FIELD_FIRST_NAME:  return GTK_EDITABLE (self->first_name_row);
    case PD_FIELD_LAST_NAME:   return GTK_EDITABLE (self->last_name_row);
    case PD_FIELD_EMAIL:       return GTK_EDITABLE (self->emails_row);
    case PD_FIELD_PHONE:       return GTK_EDITABLE (self->phones_row);
    case PD_FIELD_EXTERNAL_ID: return GTK_EDITABLE (self->external_id_row);
    case PD_FIELD_CITY:        return GTK_EDITABLE (self->city_row);
    case PD_FIELD_BIRTH_DATE:  return GTK_EDITABLE (self->birth_date_row);
    default:                   return NULL;
    }
}

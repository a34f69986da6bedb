/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "pd-persona-channels.h"
#include "pd-persona-fields.h"

/* The group's fields, in the order of its rows in the template. */
static const PdFieldId fields[] = {
  PD_FIELD_WEB, PD_FIELD_FACEBOOK, PD_FIELD_INSTAGRAM, PD_FIELD_WHATSAPP, PD_FIELD_TELEGRAM,
  PD_FIELD_VIBER, PD_FIELD_LINKEDIN, PD_FIELD_TWITTER, PD_FIELD_YOUTUBE,
};

#define N_ROWS G_N_ELEMENTS (fields)

struct _PdPersonaChannels
{
  AdwPreferencesGroup  parent_instance;

  /* template children, in the order of fields[] */
  AdwEntryRow         *web_row;
  AdwEntryRow         *facebook_row;
  AdwEntryRow         *instagram_row;
  AdwEntryRow         *whatsapp_row;
  AdwEntryRow         *telegram_row;
  AdwEntryRow         *viber_row;
  AdwEntryRow         *linkedin_row;
  AdwEntryRow         *twitter_row;
  AdwEntryRow         *youtube_row;
};

G_DEFINE_FINAL_TYPE (PdPersonaChannels, pd_persona_channels, ADW_TYPE_PREFERENCES_GROUP)

static AdwEntryRow *
row_of (PdPersonaChannels *self,
        guint              i)
{
  AdwEntryRow *rows[N_ROWS] = {
    self->web_row, self->facebook_row, self->instagram_row, self->whatsapp_row, self->telegram_row,
    self->viber_row, self->linkedin_row, self->twitter_row, self->youtube_row,
  };

  return rows[i];
}

static void
pd_persona_channels_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_PERSONA_CHANNELS);

  G_OBJECT_CLASS (pd_persona_channels_parent_class)->dispose (object);
}

static void
pd_persona_channels_class_init (PdPersonaChannelsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_persona_channels_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/detail/pd-persona-channels.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, web_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, facebook_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, instagram_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, whatsapp_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, telegram_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, viber_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, linkedin_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, twitter_row);
  gtk_widget_class_bind_template_child (widget_class, PdPersonaChannels, youtube_row);
}

static void
pd_persona_channels_init (PdPersonaChannels *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pd_persona_channels_set_persona (PdPersonaChannels   *self,
                                 PdPersona           *p,
                                 PdPersonaDetailMode  mode)
{
  gboolean editing = mode != PD_PERSONA_DETAIL_VIEW;
  gboolean any = editing;

  g_return_if_fail (PD_IS_PERSONA_CHANNELS (self));

  for (guint i = 0; i < N_ROWS; i++)
    {
      const char *value = p != NULL ? pd_persona_get_value (p, fields[i]) : NULL;

      pd_persona_fields_set_text (row_of (self, i), value);
      pd_persona_fields_set_editing (row_of (self, i), editing);
      any = any || (value != NULL && value[0] != '\0');
    }
  gtk_widget_set_visible (GTK_WIDGET (self), any);
}

void
pd_persona_channels_collect (PdPersonaChannels *self,
                             PdPersona         *p)
{
  g_return_if_fail (PD_IS_PERSONA_CHANNELS (self));

  for (guint i = 0; i < N_ROWS; i++)
    pd_persona_fields_set_value (p, fields[i], row_of (self, i));
}

GtkEditable *
pd_persona_channels_get_field_editable (PdPersonaChannels *self,
                                        PdFieldId          field)
{
  g_return_val_if_fail (PD_IS_PERSONA_CHANNELS (self), NULL);

  for (guint i = 0; i < N_ROWS; i++)
    if (fields[i] == field)
      return GTK_EDITABLE (row_of (self, i));
  return NULL;
}

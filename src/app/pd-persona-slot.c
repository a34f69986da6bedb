/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-persona-slot.h"

struct _PdPersonaSlot
{
  GObject    parent_instance;
  PdPersona *persona;
};

G_DEFINE_FINAL_TYPE (PdPersonaSlot, pd_persona_slot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PERSONA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pd_persona_slot_finalize (GObject *object)
{
  PdPersonaSlot *self = PD_PERSONA_SLOT (object);

  g_clear_object (&self->persona);
  G_OBJECT_CLASS (pd_persona_slot_parent_class)->finalize (object);
}

static void
pd_persona_slot_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdPersonaSlot *self = PD_PERSONA_SLOT (object);

  switch (prop_id)
    {
    case PROP_PERSONA:
      g_value_set_object (value, self->persona);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_persona_slot_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdPersonaSlot *self = PD_PERSONA_SLOT (object);

  switch (prop_id)
    {
    case PROP_PERSONA:
      pd_persona_slot_set_persona (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_persona_slot_class_init (PdPersonaSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_persona_slot_finalize;
  object_class->get_property = pd_persona_slot_get_property;
  object_class->set_property = pd_persona_slot_set_property;

  properties[PROP_PERSONA] =
    g_param_spec_object ("persona", NULL, NULL, PD_TYPE_PERSONA,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_persona_slot_init (PdPersonaSlot *self)
{
}

PdPersonaSlot *
pd_persona_slot_new (PdPersona *persona)
{
  return g_object_new (PD_TYPE_PERSONA_SLOT, "persona", persona, NULL);
}

PdPersona *
pd_persona_slot_get_persona (PdPersonaSlot *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_SLOT (self), NULL);
  return self->persona;
}

void
pd_persona_slot_set_persona (PdPersonaSlot *self,
                             PdPersona     *persona)
{
  g_return_if_fail (PD_IS_PERSONA_SLOT (self));
  if (g_set_object (&self->persona, persona))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSONA]);
}

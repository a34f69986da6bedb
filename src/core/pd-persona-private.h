/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-persona.h"

G_BEGIN_DECLS

/* What the files of PdPersona (pd-persona.c: the object and its
 * single values; pd-persona-contacts.c: emails, phones, tags and
 * attributes) share. */
struct _PdPersona
{
  GObject       parent_instance;

  gint64        id;
  /* Text of every single-value field.  The typed fields (points, loyalty,
   * opt-ins, opt-out) keep their text here too, in sync with the typed
   * members below, so that pd_persona_get_value() works for every field. */
  char         *values[PD_FIELD_N_BUILTIN];
  guint8        sources[PD_FIELD_N_BUILTIN];
  /* permanent overrides ("pinned" values): NULL where not pinned */
  char         *pins[PD_FIELD_N_BUILTIN];
  GPtrArray    *emails;
  GPtrArray    *phones;
  GPtrArray    *tags;
  GHashTable   *attributes;
  gint64        points;
  PdSmsConsent  sms_consent;
  guint         loyalty : 1;
  guint         email_opt_in : 1;
  guint         sms_opt_out : 1;
  guint         archived : 1;
  guint         blocklisted : 1;
  char         *signup_source;
};

/* Emits ::changed for @field (PD_FIELD_NONE: no field of its own). */
void _pd_persona_emit_changed        (PdPersona *self,
                                      PdFieldId  field);
/* The display name may have changed (its first email or phone did). */
void _pd_persona_notify_display_name (PdPersona *self);

G_END_DECLS

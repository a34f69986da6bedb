/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-persona-list.h"
#include "pd-persona-slot.h"

G_BEGIN_DECLS

/* The persona list as the column view gets it: a GListModel of
 * PdPersonaSlot, one stable object per position.  When the list changes
 * (a search, a sort), the slots GTK holds get their new persona and only
 * the difference in length is an items-changed, at the end: GTK 4.8
 * otherwise destroys and rebuilds every visible row on each keystroke. */

#define PD_TYPE_PERSONA_SLOTS (pd_persona_slots_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaSlots, pd_persona_slots, PD, PERSONA_SLOTS, GObject)

PdPersonaSlots *pd_persona_slots_new      (PdPersonaList  *list);
PdPersonaList  *pd_persona_slots_get_list (PdPersonaSlots *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-persona-attributes.h"
#include "pd-persona-consent.h"
#include "pd-persona-contact.h"
#include "pd-persona-detail.h"
#include "pd-persona-imports.h"
#include "pd-persona-merges.h"
#include "pd-persona-membership.h"
#include "pd-persona-channels.h"
#include "pd-persona-points.h"

G_BEGIN_DECLS

/* Shared by pd-persona-detail.c and pd-persona-detail-edits.c only. */
struct _PdPersonaDetail
{
  AdwBin               parent_instance;

  PdStore             *store;
  GSettings           *settings;
  PdPersona           *persona;   /* as read from the store; NULL when creating */
  PdPersonaDetailMode  mode;
  GtkStringList       *signup_forms;

  /* template children */
  AdwHeaderBar        *header_bar;
  AdwWindowTitle      *title;
  AdwAvatar           *avatar;
  GtkWidget           *close_button;
  GtkWidget           *cancel_button;
  GtkWidget           *edit_button;
  GtkWidget           *save_button;
  GtkWidget           *archived_group;
  PdPersonaContact    *contact_group;
  GtkWidget           *signup_group;
  AdwComboRow         *signup_form_row;
  PdPersonaPoints     *points_group;
  PdPersonaConsent    *consent_group;
  PdPersonaMembership *membership_group;
  PdPersonaChannels   *channels_group;
  PdPersonaAttributes *attributes;
  PdPersonaImports    *imports_group;
  PdPersonaMerges     *merges_group;
  GtkWidget           *archive_button;
  GtkWidget           *forget_button;

  /* pd-persona-detail-edits.c: the form as it was when editing began,
   * to tell whether leaving would throw something typed away */
  char                *baseline;
  GtkWidget           *dialog;     /* the question asked, while asked */
};


/* pd-persona-detail.c */
void      _pd_persona_detail_show_form      (PdPersonaDetail     *self,
                                             PdPersonaDetailMode  mode,
                                             PdPersona           *shown);
void      _pd_persona_detail_toast          (PdPersonaDetail     *self,
                                             const char          *message);

/* pd-persona-detail-edits.c */
void      _pd_persona_detail_mark_unchanged (PdPersonaDetail     *self);
void      _pd_persona_detail_offer_existing (PdPersonaDetail     *self,
                                             PdPersona           *typed,
                                             gint64               existing,
                                             const char          *which);

G_END_DECLS

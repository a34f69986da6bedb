/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* The detail slide-out: one persona's contact details, points and their
 * timeline, consent, membership, tags and custom attributes; "Edit traits"
 * makes them editable with the import's normalization; the same pane,
 * empty, creates a persona. */

#define PD_TYPE_PERSONA_DETAIL (pd_persona_detail_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaDetail, pd_persona_detail, PD, PERSONA_DETAIL, AdwBin)

typedef enum {
  PD_PERSONA_DETAIL_VIEW,
  PD_PERSONA_DETAIL_EDIT,
  PD_PERSONA_DETAIL_CREATE,
} PdPersonaDetailMode;

void                 pd_persona_detail_set_store      (PdPersonaDetail *self,
                                                       PdStore         *store);
void                 pd_persona_detail_set_settings   (PdPersonaDetail *self,
                                                       GSettings       *settings);
void                 pd_persona_detail_show_persona   (PdPersonaDetail *self,
                                                       gint64           id);
void                 pd_persona_detail_new_persona    (PdPersonaDetail *self);
/* Re-reads the shown persona from the store. */
void                 pd_persona_detail_reload         (PdPersonaDetail *self);
/* Leaves edit or create mode, dropping what was typed. */
void                 pd_persona_detail_cancel_editing (PdPersonaDetail *self);

/* Whether leaving edit or create mode now would throw away something
 * typed (pd-persona-detail-edits.c). */
gboolean             pd_persona_detail_has_changes    (PdPersonaDetail *self);
/* Before the pane leaves what is being edited (Escape, another persona,
 * closing the window): at once TRUE when nothing typed would be lost;
 * else asks Save / Discard / Keep editing, and finishes TRUE after a
 * successful save or a discard (the pane then shows the persona as
 * stored), FALSE when the user keeps editing or the save was refused. */
void                 pd_persona_detail_confirm_leave_async  (PdPersonaDetail     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             pd_persona_detail_confirm_leave_finish (PdPersonaDetail     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 pd_persona_detail_set_show_window_buttons (PdPersonaDetail *self,
                                                       gboolean         show);

/* 0 when none (empty, or creating) */
gint64               pd_persona_detail_get_persona_id (PdPersonaDetail *self);
/* (transfer none) (nullable): the persona as last read from the store */
PdPersona           *pd_persona_detail_get_persona    (PdPersonaDetail *self);
PdPersonaDetailMode  pd_persona_detail_get_mode       (PdPersonaDetail *self);

/* The shown validation errors, one per line, or NULL (for tests and the
 * accessible description). */
const char          *pd_persona_detail_get_error_text (PdPersonaDetail *self);

/* The editable fields, by PdFieldId: FIRST_NAME, LAST_NAME, EMAIL, PHONE,
 * EXTERNAL_ID, CITY, BIRTH_DATE, FAVORITE_STORE, TAGS.  (transfer none)
 * (nullable): for tests and accessibility tools that type into them. */
GtkEditable         *pd_persona_detail_get_field_editable (PdPersonaDetail *self,
                                                       PdFieldId        field);

G_END_DECLS

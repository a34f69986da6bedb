/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-persona.h"

G_BEGIN_DECLS

/* What the parts of the persona detail pane (PdPersonaContact,
 * PdPersonaMembership, PdPersonaAttributes, PdPersonaPoints) share:
 * entry rows read and written as trimmed values, lists typed as
 * comma-separated text, and the wording of a value's source. */

void         pd_persona_fields_set_text    (AdwEntryRow  *row,
                                            const char   *text);
/* The row's text trimmed, or NULL when nothing is left. */
char        *pd_persona_fields_dup_text    (AdwEntryRow  *row);
/* Editable while editing; while viewing an empty row is left out, so
 * that the pane reads as a card. */
void         pd_persona_fields_set_editing (AdwEntryRow  *row,
                                            gboolean      editing);
/* Sets @field of @persona from @row, only when it differs (a change of
 * value is what the store records). */
void         pd_persona_fields_set_value   (PdPersona    *persona,
                                            PdFieldId     field,
                                            AdwEntryRow  *row);

char        *pd_persona_fields_join        (GPtrArray    *values);
/* "a@b.c, d@e.f; g" → the non-empty items, trimmed. */
GStrv        pd_persona_fields_split       (const char   *text,
                                            const char   *separators);
/* Tags as one line of text and back, whatever characters they hold: a
 * tag with a comma or a double quote is quoted ("a, b"), a quote in it
 * doubled.  split_quoted (join_quoted (tags)) gives the same tags. */
char        *pd_persona_fields_join_quoted (GPtrArray    *values);
GStrv        pd_persona_fields_split_quoted (const char  *text);
/* Removes every value of @current (a list of @persona's) with @remove. */
void         pd_persona_fields_remove_all  (PdPersona    *persona,
                                            GPtrArray    *current,
                                            gboolean    (*remove) (PdPersona  *persona,
                                                                   const char *value));

const char  *pd_persona_fields_source_label (PdSource    source);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-normalizer.h"

G_BEGIN_DECLS

/* The Analyze step's question about a date column whose day/month order
 * nothing in the file decides: its samples read day first and month
 * first, one choice each.  A choice emits "chosen" with the order
 * (PdDateOrder); the page sets the column's date format and analyzes
 * again. */

#define PD_TYPE_IMPORT_DATE_QUESTION (pd_import_date_question_get_type ())
G_DECLARE_FINAL_TYPE (PdImportDateQuestion, pd_import_date_question, PD, IMPORT_DATE_QUESTION,
                      AdwPreferencesGroup)

GtkWidget      *pd_import_date_question_new        (const PdDateQuestion *question);
guint           pd_import_date_question_get_column (PdImportDateQuestion *self);
/* Shows @order as chosen (PD_DATE_ORDER_UNKNOWN: none yet), without
 * emitting "chosen". */
void            pd_import_date_question_set_chosen (PdImportDateQuestion *self,
                                                    PdDateOrder           order);
PdDateOrder     pd_import_date_question_get_chosen (PdImportDateQuestion *self);
/* (transfer none): the choice's row, e.g. for tests to activate it */
AdwActionRow   *pd_import_date_question_get_row    (PdImportDateQuestion *self,
                                                    PdDateOrder           order);

/* The Analyze page's list of them. */
void            pd_import_date_questions_show      (GtkBox               *box,
                                                    GPtrArray            *asked,
                                                    GPtrArray            *questions,
                                                    GHashTable           *chosen,
                                                    GCallback             on_chosen,
                                                    gpointer              data);
PdImportDateQuestion *pd_import_date_questions_find (GtkBox              *box,
                                                     guint                column);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-mapping.h"
#include "pd-record.h"
#include "pd-value.h"

G_BEGIN_DECLS

/* Turns a row as read into a PdRecord with the values normalized and
 * validated, following a mapping.  Set up once (mapping, default region,
 * date orders), then immutable: pd_normalizer_normalize() may be called
 * from several threads at once.
 *
 * Normalized forms in PdRecord.values: text and identifiers trimmed
 * (identifiers otherwise verbatim: leading zeros stay), dates ISO 8601
 * "YYYY-MM-DD", integers in decimal with a "-" sign when negative,
 * booleans "true" / "false", choices the choice's key ("medical"). */

/* Values of a date column shown when asking about its order. */
#define PD_DATE_QUESTION_MAX_SAMPLES 3

/* A date column whose day/month order nothing in the whole file decides:
 * it is read in the default region's order (and each value the order
 * decides is warned) until the user chooses the column's date format. */
typedef struct {
  guint        column;
  char        *name;     /* the column as messages name it */
  PdDateOrder  order;    /* the order it is read in now: MDY or DMY */
  char       **samples;  /* up to PD_DATE_QUESTION_MAX_SAMPLES values as written,
                          * each a different date day-first and month-first */
} PdDateQuestion;

PdDateQuestion *pd_date_question_copy (const PdDateQuestion *question);
void            pd_date_question_free (PdDateQuestion       *question);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdDateQuestion, pd_date_question_free)

#define PD_TYPE_NORMALIZER (pd_normalizer_get_type ())
G_DECLARE_FINAL_TYPE (PdNormalizer, pd_normalizer, PD, NORMALIZER, GObject)

PdNormalizer *pd_normalizer_new               (PdMapping          *mapping,
                                               const char         *default_region,
                                               GError            **error);
PdMapping    *pd_normalizer_get_mapping       (PdNormalizer       *self);

/* Setup, before the first pd_normalizer_normalize(). */
void          pd_normalizer_detect_dates      (PdNormalizer       *self,
                                               PdRow * const      *rows,
                                               guint               n_rows);
void          pd_normalizer_add_date_evidence (PdNormalizer       *self,
                                               PdRow * const      *rows,
                                               guint               n_rows);
gboolean      pd_normalizer_needs_date_evidence (PdNormalizer     *self);
void          pd_normalizer_finish_dates      (PdNormalizer       *self);
void          pd_normalizer_set_date_order    (PdNormalizer       *self,
                                               guint               column,
                                               PdDateOrder         order);
PdDateOrder   pd_normalizer_get_date_order    (PdNormalizer       *self,
                                               guint               column);
GPtrArray    *pd_normalizer_dup_date_questions (PdNormalizer    *self);
void          pd_normalizer_set_strict        (PdNormalizer       *self,
                                               gboolean            strict);
gboolean      pd_normalizer_get_strict        (PdNormalizer       *self);
GPtrArray    *pd_normalizer_get_warnings      (PdNormalizer       *self);

PdRecord     *pd_normalizer_normalize         (PdNormalizer       *self,
                                               const PdRow        *row);
void          pd_normalizer_normalize_into    (PdNormalizer       *self,
                                               const PdRow        *row,
                                               PdRecord           *record);

G_END_DECLS

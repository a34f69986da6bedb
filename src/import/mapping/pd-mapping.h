/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-field.h"
#include "pd-row.h"

G_BEGIN_DECLS

/* Which persona field each column of a file feeds.  Built from the header
 * row, auto-mapped by key, label and synonyms (folded: case, accents,
 * spaces, punctuation and camelCase ignored), then adjusted by the user:
 * a field per column, ignored columns, per-column options.  Serializes to
 * JSON for the import history and for presets, which are found again by
 * the header signature. */

#define PD_TYPE_MAPPING (pd_mapping_get_type ())

/* A file without column names is mapped by what its first rows hold, this
 * many at most; its width is the widest of them.  The app's preview and
 * the record source read the same rows, so both make the same mapping. */
#define PD_MAPPING_CONTENT_ROWS 100
G_DECLARE_FINAL_TYPE (PdMapping, pd_mapping, PD, MAPPING, GObject)

PdMapping  *pd_mapping_new                  (const char * const *headers,
                                             guint               n_headers);
PdMapping  *pd_mapping_new_from_row         (const PdRow        *header_row);
PdMapping  *pd_mapping_new_from_content     (PdRow * const      *rows,
                                             guint               n_rows);
PdMapping  *pd_mapping_new_from_json        (JsonNode           *node,
                                             GError            **error);
PdMapping  *pd_mapping_copy                 (PdMapping          *self);

guint       pd_mapping_get_n_columns        (PdMapping          *self);
const char *pd_mapping_get_header           (PdMapping          *self,
                                             guint               column);
char       *pd_mapping_dup_column_name      (PdMapping          *self,
                                             guint               column);
int         pd_mapping_find_column          (PdMapping          *self,
                                             const char         *header);

/* The effective field: PD_FIELD_NONE when unmapped or ignored. */
PdFieldId   pd_mapping_get_field            (PdMapping          *self,
                                             guint               column);
const char *pd_mapping_get_attribute_name   (PdMapping          *self,
                                             guint               column);
char       *pd_mapping_dup_field_key        (PdMapping          *self,
                                             guint               column);
gboolean    pd_mapping_is_automatic         (PdMapping          *self,
                                             guint               column);
gboolean    pd_mapping_set_field            (PdMapping          *self,
                                             guint               column,
                                             const char         *key,
                                             GError            **error);
gboolean    pd_mapping_is_ignored           (PdMapping          *self,
                                             guint               column);
void        pd_mapping_set_ignored          (PdMapping          *self,
                                             guint               column,
                                             gboolean            ignored);
int         pd_mapping_get_column_for_field (PdMapping          *self,
                                             PdFieldId           field);
int         pd_mapping_get_column_for_attribute (PdMapping      *self,
                                             const char         *name);

/* Per-column options; NULL restores the default. */
const char *pd_mapping_get_region           (PdMapping          *self,
                                             guint               column);
void        pd_mapping_set_region           (PdMapping          *self,
                                             guint               column,
                                             const char         *region);
const char *pd_mapping_get_date_format      (PdMapping          *self,
                                             guint               column);
void        pd_mapping_set_date_format      (PdMapping          *self,
                                             guint               column,
                                             const char         *format);
const char *pd_mapping_get_tag_delimiter    (PdMapping          *self,
                                             guint               column);
void        pd_mapping_set_tag_delimiter    (PdMapping          *self,
                                             guint               column,
                                             const char         *delimiter);

void        pd_mapping_explain_refusal      (const PdRow        *header,
                                             GError            **error);
gboolean    pd_mapping_validate             (PdMapping          *self,
                                             GError            **error);

JsonNode   *pd_mapping_to_json              (PdMapping          *self);
const char *pd_mapping_get_signature        (PdMapping          *self);

/* Helpers of the auto-mapper, public for tests and the "all headers" list. */
char       *pd_mapping_fold_header          (const char         *header);
char       *pd_mapping_compute_signature    (const char * const *headers,
                                             guint               n_headers);
PdFieldId   pd_mapping_guess_field          (const char         *header,
                                             char              **attribute_name);

G_END_DECLS

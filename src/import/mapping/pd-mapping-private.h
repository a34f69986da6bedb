/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-mapping.h"

G_BEGIN_DECLS

/* Shared by pd-mapping.c (the object), pd-mapping-guess.c (the
 * auto-mapper) and pd-mapping-json.c (the mapping as JSON) only. */

typedef struct {
  char      *header;
  PdFieldId  field;         /* PD_FIELD_NONE, a built-in, or PD_FIELD_ATTRIBUTE */
  char      *attribute;     /* PD_FIELD_ATTRIBUTE only: the name as written */
  gboolean   ignored;
  gboolean   automatic;     /* set by the auto-mapper, not by the user */
  char      *region;
  char      *date_format;
  char      *tag_delimiter;
} Column;

struct _PdMapping
{
  GObject    parent_instance;

  GArray    *columns;       /* of Column */
  char      *signature;
};

static inline Column *
get_column (PdMapping *self,
            guint      column)
{
  g_return_val_if_fail (column < self->columns->len, NULL);
  return &g_array_index (self->columns, Column, column);
}

/* pd-mapping.c */
/* A mapping of @headers with every column unmapped. */
PdMapping *_pd_mapping_new_unmapped (const char * const *headers,
                                     guint               n_headers);

/* pd-mapping-guess.c */
void       _pd_mapping_auto_map     (PdMapping          *self);
gboolean   _pd_mapping_looks_like_phone (const char     *text);

G_END_DECLS

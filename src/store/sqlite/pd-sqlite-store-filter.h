/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-sqlite-store-private.h"

G_BEGIN_DECLS

/* A listing's filter: its view and import, and the arms of its search.
 * Only pd-sqlite-store-search.c uses it. */
typedef struct {
  GString   *where;
  GString   *match;   /* nullable: a UNION of ids ("mid") that a search matches */
  GString   *match_all; /* the same arms as UNION ALL: streamed, for probing */
  GString   *test;    /* the same condition tested on one personas row */
  GPtrArray *texts;   /* bound to :t1, :t2, ... */
  gint64     merged;  /* :merged */
} PdFilter;

void  _pd_filter_build       (PdSqliteStore        *self,
                              const PdPersonaQuery *query,
                              PdFilter             *filter);
/* FROM clause of a listing: the matched ids first, or personas alone. */
char *_pd_filter_from_clause (PdFilter             *filter);
void  _pd_filter_bind        (sqlite3_stmt         *stmt,
                              const PdPersonaQuery *query,
                              PdFilter             *filter);
void  _pd_filter_clear       (PdFilter             *filter);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libpq-fe.h>

#include "pd-pg-store.h"

G_BEGIN_DECLS

/* What the files of PdPgStore (connection and schema, personas, listing,
 * imports) share. */

struct _PdPgStore
{
  GObject   parent_instance;

  char     *uri;          /* as given: may hold a password, never shown */
  char     *name;         /* "DBNAME on HOST", for messages */
  PGconn   *conn;
  guint     round_trips;  /* statements sent, for tests and measurements */
  /* the import running on this connection */
  gboolean  in_import;
  char     *import_file_path;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* One statement with text parameters (NULL: SQL NULL).  Returns the
 * result, or NULL with @error (the statement failed; in a transaction,
 * the transaction is then aborted). */
PGresult   *_pd_pg_query        (PdPgStore           *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const char * const  *values,
                                 GError             **error);
/* The same with binary parameters where @lengths[i] > 0 (bytea). */
PGresult   *_pd_pg_query_full   (PdPgStore           *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const char * const  *values,
                                 const int           *lengths,
                                 const int           *formats,
                                 GError             **error);
/* The same with the parameters' types given (those a statement does not
 * use need one). */
PGresult   *_pd_pg_query_typed  (PdPgStore           *self,
                                 const char          *sql,
                                 int                  n_params,
                                 const Oid           *types,
                                 const char * const  *values,
                                 GError             **error);
gboolean    _pd_pg_exec         (PdPgStore           *self,
                                 const char          *sql,
                                 GError             **error);
/* The failure of @result (or of the connection) as a PD_ERROR. */
void        _pd_pg_fail         (PdPgStore           *self,
                                 const PGresult      *result,
                                 GError             **error);
gboolean    _pd_pg_is_unique_violation (GError       *error);
void        _pd_pg_rollback     (PdPgStore           *self);
/* A new connection when the server ended this one (PQreset). */
gboolean    _pd_pg_reconnect    (PdPgStore           *self,
                                 GError             **error);
gint64      _pd_pg_int64        (const PGresult      *result,
                                 int                  row,
                                 int                  col);
/* NULL for SQL NULL */
const char *_pd_pg_text         (const PGresult      *result,
                                 int                  row,
                                 int                  col);
/* A text[] literal ({"a","b"}) of @values (NULL-terminated or @n). */
char       *_pd_pg_array        (const char * const  *values,
                                 gssize               n);
char       *_pd_pg_ptr_array    (GPtrArray           *values);
/* Splits a text[] in text form; (transfer full), NULL-terminated. */
char      **_pd_pg_parse_array  (const char          *text);
gboolean    _pd_pg_not_supported (PdPgStore          *self,
                                  const char         *what,
                                  GError            **error);

/* pd-pg-store-personas.c and pd-pg-store-write.c */
PdPersona  *_pd_pg_load_persona (PdPgStore           *self,
                                 gint64               id,
                                 gboolean             for_update,
                                 GError             **error);
/* Personas of the rows of a persona SELECT (columns as
 * _pd_sqlite_store_persona_columns()), their lists read in one statement. */
GPtrArray  *_pd_pg_personas_from_result (PdPgStore   *self,
                                 const PGresult      *result,
                                 GError             **error);
gboolean    _pd_pg_check_unique (PdPgStore           *self,
                                 PdPersona           *persona,
                                 GError             **error);
gboolean    _pd_pg_write_persona (PdPgStore          *self,
                                  PdPersona          *persona,
                                  PdPersona          *before,
                                  PdSource            source,
                                  gint64              import_id,
                                  const char         *points_reason,
                                  GError            **error);
gboolean    _pd_pg_add_ledger   (PdPgStore           *self,
                                 gint64               persona_id,
                                 gint64               delta,
                                 gint64               balance,
                                 const char          *reason,
                                 PdSource             source,
                                 gint64               import_id,
                                 GError             **error);
gint64      _pd_pg_resolve_merge (PdPgStore          *self,
                                  const char         *value);
void        _pd_pg_store_init_personas (PdStoreInterface *iface);
/* pd-pg-store-search.c */
void        _pd_pg_store_init_search   (PdStoreInterface *iface);
/* pd-pg-store-import.c */
void        _pd_pg_store_init_imports  (PdStoreInterface *iface);

G_END_DECLS

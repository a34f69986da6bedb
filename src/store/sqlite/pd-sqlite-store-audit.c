/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audit log's writer: every write outside an import calls it inside
 * its own transaction, so an entry exists exactly when the change does. */
#include "config.h"

#include "pd-permission.h"
#include "pd-sqlite-store-private.h"

gboolean
_pd_sqlite_store_audit (PdSqliteStore  *self,
                        const PdActor  *actor,
                        const char     *action,
                        gint64          persona_id,
                        JsonObject     *detail,
                        GError        **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *detail_text = NULL;
  PdRole role = actor != NULL ? actor->role : PD_ROLE_OWNER;

  g_return_val_if_fail (action != NULL, FALSE);

  if (detail != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonGenerator) gen = json_generator_new ();

      json_node_set_object (node, detail);
      json_generator_set_root (gen, node);
      detail_text = json_generator_to_data (gen, NULL);
    }
  stmt = _pd_sqlite_store_prepare (self,
                                   "INSERT INTO audit_log (at, who, role, source, action, persona_id, detail) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  if (actor != NULL && actor->who != NULL)
    sqlite3_bind_text (stmt, 2, actor->who, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, pd_role_to_key (role), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, actor != NULL ? (int) actor->source : (int) PD_SOURCE_MANUAL);
  sqlite3_bind_text (stmt, 5, action, -1, SQLITE_TRANSIENT);
  if (persona_id > 0)
    sqlite3_bind_int64 (stmt, 6, persona_id);
  else
    sqlite3_bind_null (stmt, 6);
  if (detail_text != NULL)
    sqlite3_bind_text (stmt, 7, detail_text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 7);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

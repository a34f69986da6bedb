/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audit log's writer: every write outside an import calls it inside
 * its own transaction, so an entry exists exactly when the change does. */
#include "config.h"

#include "pd-field.h"
#include "pd-json.h"
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

/* A persona as flat members: its JSON (the shape of `show --json`) with
 * each attribute as "attribute:NAME" and each pinned value as
 * "override:FIELD", so that a change is one member with an old and a new
 * value.  The id is no change. */
static JsonObject *
flatten (PdPersona *persona)
{
  JsonObject *flat = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  GList *members;

  if (persona == NULL)
    return flat;
  node = pd_persona_to_json (persona);
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);

      if (g_str_equal (name, "id"))
        continue;
      if (g_str_equal (name, "attributes") && JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *attributes = json_node_get_object (value);
          GList *names = json_object_get_members (attributes);

          for (GList *a = names; a != NULL; a = a->next)
            {
              g_autofree char *key = g_strconcat (PD_ATTRIBUTE_PREFIX, (const char *) a->data, NULL);

              json_object_set_member (flat, key, json_node_copy (json_object_get_member (attributes, a->data)));
            }
          g_list_free (names);
          continue;
        }
      json_object_set_member (flat, name, json_node_copy (value));
    }
  g_list_free (members);
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      const char *pinned = pd_persona_get_override (persona, f);

      if (pinned != NULL)
        {
          g_autofree char *key = g_strconcat ("override:", pd_field_get_info (f)->key, NULL);

          json_object_set_string_member (flat, key, pinned);
        }
    }
  return flat;
}

static gboolean
same_node (JsonNode *a,
           JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static void
add_changes (JsonObject *changes,
             JsonObject *old,
             JsonObject *new)
{
  GList *names = json_object_get_members (new);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *before = json_object_get_member (old, l->data);
      JsonNode *after = json_object_get_member (new, l->data);
      JsonObject *change;

      if (same_node (before, after))
        continue;
      change = json_object_new ();
      json_object_set_member (change, "old", before != NULL ? json_node_copy (before) : json_node_new (JSON_NODE_NULL));
      json_object_set_member (change, "new", after != NULL ? json_node_copy (after) : json_node_new (JSON_NODE_NULL));
      json_object_set_object_member (changes, l->data, change);
    }
  g_list_free (names);
}

/* Shared with the PostgreSQL store: each changed field's old and new
 * value, or NULL when nothing changed. */
JsonObject *
_pd_sqlite_audit_persona_changes (PdPersona *before,
                                  PdPersona *after)
{
  g_autoptr(JsonObject) old = flatten (before);
  g_autoptr(JsonObject) new = flatten (after);
  g_autoptr(JsonObject) changes = json_object_new ();
  JsonObject *detail;

  add_changes (changes, old, new);
  /* what the new persona no longer has (an attribute, a pin) */
  {
    g_autoptr(JsonObject) gone = json_object_new ();
    GList *names = json_object_get_members (old);

    for (GList *l = names; l != NULL; l = l->next)
      if (!json_object_has_member (new, l->data))
        json_object_set_null_member (gone, l->data);
    g_list_free (names);
    add_changes (changes, old, gone);
  }
  if (json_object_get_size (changes) == 0)
    return NULL;
  detail = json_object_new ();
  json_object_set_object_member (detail, "changes", json_object_ref (changes));
  return detail;
}

gboolean
_pd_sqlite_store_audit_persona (PdSqliteStore  *self,
                                const PdActor  *actor,
                                const char     *action,
                                PdPersona      *before,
                                PdPersona      *after,
                                GError        **error)
{
  g_autoptr(JsonObject) detail = _pd_sqlite_audit_persona_changes (before, after);

  if (detail == NULL)
    return TRUE;
  return _pd_sqlite_store_audit (self, actor, action, pd_persona_get_id (after), detail, error);
}

gboolean
_pd_sqlite_store_audit_consent (PdSqliteStore          *self,
                                const PdActor          *actor,
                                const char             *action,
                                const char             *contact_key,
                                const char             *contact,
                                const PdConsentChange  *change,
                                GError                **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();

  json_object_set_string_member (detail, contact_key, contact);
  json_object_set_string_member (detail, "before", pd_consent_state_to_string (change->before));
  json_object_set_string_member (detail, "after", pd_consent_state_to_string (change->after));
  if (change->enrolled)
    json_object_set_boolean_member (detail, "enrolled", TRUE);
  return _pd_sqlite_store_audit (self, actor, action, change->persona_id, detail, error);
}

gboolean
_pd_sqlite_store_audit_import (PdSqliteStore  *self,
                               const PdActor  *actor,
                               const char     *action,
                               gint64          import_id,
                               GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self, "SELECT name, file_name FROM imports WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  rc = sqlite3_step (stmt);
  json_object_set_int_member (detail, "import_id", import_id);
  if (rc == SQLITE_ROW)
    {
      json_object_set_string_member (detail, "name", (const char *) sqlite3_column_text (stmt, 0));
      json_object_set_string_member (detail, "file_name", (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  return _pd_sqlite_store_audit (self, actor, action, 0, detail, error);
}

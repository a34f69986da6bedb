/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: the blocklist (issue 16).  Contacts are kept only as
 * keyed hashes (schema 12), so the database never again holds the value
 * of a contact that asked to be forgotten.  A persona holding a
 * blocklisted contact is itself blocklisted (state 2), which every list,
 * search, count, export, audience and status answer already leaves out;
 * the writes below keep that true. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-phone.h"
#include "pd-sqlite-store-private.h"

#define KEY_SETTING "privacy.key"

gboolean
_pd_sqlite_store_privacy_key (PdSqliteStore  *self,
                              gboolean        create,
                              gboolean       *have,
                              GError        **error)
{
  sqlite3_stmt *stmt;
  guint8 key[PD_PRIVACY_KEY_BYTES];
  g_autofree char *hex = NULL;
  int rc;

  *have = self->has_privacy_key;
  if (*have)
    return TRUE;
  stmt = _pd_sqlite_store_prepare (self, "SELECT value FROM settings WHERE key = '" KEY_SETTING "'", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (text != NULL && strlen (text) == 2 * PD_PRIVACY_KEY_BYTES)
        {
          for (guint i = 0; i < PD_PRIVACY_KEY_BYTES; i++)
            self->privacy_key[i] = (g_ascii_xdigit_value (text[2 * i]) << 4) |
                                   g_ascii_xdigit_value (text[2 * i + 1]);
          self->has_privacy_key = TRUE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  if (self->has_privacy_key || !create)
    {
      *have = self->has_privacy_key;
      return TRUE;
    }

  pd_privacy_make_key (key);
  hex = g_malloc (2 * PD_PRIVACY_KEY_BYTES + 1);
  for (guint i = 0; i < PD_PRIVACY_KEY_BYTES; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", key[i]);
  stmt = _pd_sqlite_store_prepare (self, "INSERT INTO settings (key, value) VALUES ('" KEY_SETTING "', ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hex, -1, SQLITE_TRANSIENT);
  if (!_pd_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  /* cached only once written: a rolled-back transaction must not leave a
   * key this connection believes in */
  memcpy (self->privacy_key, key, sizeof key);
  self->has_privacy_key = TRUE;
  *have = TRUE;
  return TRUE;
}

static gboolean
blocklist_contains (PdSqliteStore  *self,
                    PdFieldId       key,
                    const char     *value,
                    gboolean       *blocked,
                    GError        **error)
{
  guint8 hash[PD_PRIVACY_HASH_BYTES];
  sqlite3_stmt *stmt;
  gboolean have;
  int rc;

  *blocked = FALSE;
  if (key != PD_FIELD_EMAIL && key != PD_FIELD_PHONE)
    return TRUE;
  /* most desks never blocklist anyone: their imports ask once */
  if (self->in_import && self->import_blocklist == 0)
    {
      stmt = _pd_sqlite_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM blocklist)", error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      self->import_blocklist = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) ? 2 : 1;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return _pd_sqlite_store_fail (self, error);
    }
  if (self->in_import && self->import_blocklist == 1)
    return TRUE;
  if (!_pd_sqlite_store_privacy_key (self, FALSE, &have, error))
    return FALSE;
  if (!have)
    return TRUE;
  pd_privacy_contact_hash (self->privacy_key, key, value, hash);
  stmt = _pd_sqlite_store_prepare (self, "SELECT 1 FROM blocklist WHERE hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _pd_sqlite_store_fail (self, error);
  *blocked = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
sqlite_blocklist_contains (PdStore     *store,
                           PdFieldId    key,
                           const char  *value,
                           gboolean    *blocked,
                           GError     **error)
{
  return blocklist_contains (PD_SQLITE_STORE (store), key, value, blocked, error);
}

gboolean
_pd_sqlite_store_refuse_blocklisted (PdSqliteStore  *self,
                                     PdFieldId       key,
                                     const char     *value,
                                     GError        **error)
{
  gboolean blocked;

  if (!blocklist_contains (self, key, value, &blocked, error))
    return FALSE;
  if (blocked)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_PRIVACY,
                           _("This customer cannot be added or opted in (privacy): "
                             "their data was erased on request"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_pd_sqlite_store_refuse_blocklisted_persona (PdSqliteStore  *self,
                                             PdPersona      *persona,
                                             GError        **error)
{
  GPtrArray *emails = pd_persona_get_emails (persona);
  GPtrArray *phones = pd_persona_get_phones (persona);

  if (pd_persona_get_blocklisted (persona))
    return TRUE;
  for (guint i = 0; i < emails->len; i++)
    if (!_pd_sqlite_store_refuse_blocklisted (self, PD_FIELD_EMAIL, g_ptr_array_index (emails, i), error))
      return FALSE;
  for (guint i = 0; i < phones->len; i++)
    if (!_pd_sqlite_store_refuse_blocklisted (self, PD_FIELD_PHONE, g_ptr_array_index (phones, i), error))
      return FALSE;
  return TRUE;
}

gboolean
_pd_sqlite_store_blocklist_insert (PdSqliteStore  *self,
                                   PdFieldId       key,
                                   const char     *value,
                                   GError        **error)
{
  guint8 hash[PD_PRIVACY_HASH_BYTES];
  sqlite3_stmt *stmt;
  gboolean have;

  if (!_pd_sqlite_store_privacy_key (self, TRUE, &have, error))
    return FALSE;
  pd_privacy_contact_hash (self->privacy_key, key, value, hash);
  stmt = _pd_sqlite_store_prepare (self, "INSERT OR IGNORE INTO blocklist (hash, kind, since) VALUES (?, ?, ?)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return _pd_sqlite_store_step_done (self, stmt, error);
}

static gboolean
blocklist_delete (PdSqliteStore  *self,
                  PdFieldId       key,
                  const char     *value,
                  GError        **error)
{
  guint8 hash[PD_PRIVACY_HASH_BYTES];
  sqlite3_stmt *stmt;
  gboolean have;

  if (!_pd_sqlite_store_privacy_key (self, FALSE, &have, error))
    return FALSE;
  if (!have)
    return TRUE;
  pd_privacy_contact_hash (self->privacy_key, key, value, hash);
  stmt = _pd_sqlite_store_prepare (self, "DELETE FROM blocklist WHERE hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  return _pd_sqlite_store_step_done (self, stmt, error);
}

/* Adds to @ids every persona, in any state, holding @value. */
static gboolean
collect_holders (PdSqliteStore  *self,
                 PdFieldId       key,
                 const char     *value,
                 GArray         *ids,
                 GError        **error)
{
  g_autofree char *number = key == PD_FIELD_PHONE ? g_strndup (value, pd_phone_number_length (value)) : NULL;
  g_autofree char *with_ext = key == PD_FIELD_PHONE ? g_strconcat (number, ";*", NULL) : NULL;
  sqlite3_stmt *stmt = _pd_sqlite_store_prepare (self,
    key == PD_FIELD_PHONE ? "SELECT DISTINCT persona_id FROM phones WHERE phone = ?1 OR phone GLOB ?2"
                          : "SELECT DISTINCT persona_id FROM emails WHERE email = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number != NULL ? number : value, -1, SQLITE_TRANSIENT);
  if (with_ext != NULL)
    sqlite3_bind_text (stmt, 2, with_ext, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gboolean seen = FALSE;

      for (guint i = 0; i < ids->len && !seen; i++)
        seen = g_array_index (ids, gint64, i) == id;
      if (!seen)
        g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || _pd_sqlite_store_fail (self, error);
}

/* A persona is blocklisted exactly when one of its contacts is. */
static gboolean
persona_has_blocked_contact (PdSqliteStore  *self,
                             PdPersona      *persona,
                             gboolean       *blocked,
                             GError        **error)
{
  GPtrArray *lists[2] = { pd_persona_get_emails (persona), pd_persona_get_phones (persona) };
  PdFieldId keys[2] = { PD_FIELD_EMAIL, PD_FIELD_PHONE };

  *blocked = FALSE;
  for (guint l = 0; l < 2; l++)
    for (guint i = 0; i < lists[l]->len && !*blocked; i++)
      if (!blocklist_contains (self, keys[l], g_ptr_array_index (lists[l], i), blocked, error))
        return FALSE;
  return TRUE;
}

static gboolean
edit (PdSqliteStore  *self,
      const PdActor  *actor,
      gboolean        add,
      gint64          persona_id,
      PdFieldId       key,
      const char     *value,
      guint          *n_personas,
      GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) detail = json_object_new ();
  PdActor owner = { PD_SOURCE_MANUAL, NULL, PD_ROLE_OWNER };

  if (persona_id != 0)
    {
      g_autoptr(PdPersona) persona = _pd_sqlite_store_load_persona (self, persona_id, NULL, error);

      if (persona == NULL)
        return FALSE;
      for (guint i = 0; i < pd_persona_get_emails (persona)->len; i++)
        g_ptr_array_add (emails, g_strdup (g_ptr_array_index (pd_persona_get_emails (persona), i)));
      for (guint i = 0; i < pd_persona_get_phones (persona)->len; i++)
        g_ptr_array_add (phones, g_strdup (g_ptr_array_index (pd_persona_get_phones (persona), i)));
      g_array_append_val (ids, persona_id);
    }
  else
    g_ptr_array_add (key == PD_FIELD_EMAIL ? emails : phones, g_strdup (value));

  for (guint i = 0; i < emails->len; i++)
    if (!(add ? _pd_sqlite_store_blocklist_insert : blocklist_delete) (self, PD_FIELD_EMAIL,
                                                                       g_ptr_array_index (emails, i), error) ||
        !collect_holders (self, PD_FIELD_EMAIL, g_ptr_array_index (emails, i), ids, error))
      return FALSE;
  for (guint i = 0; i < phones->len; i++)
    if (!(add ? _pd_sqlite_store_blocklist_insert : blocklist_delete) (self, PD_FIELD_PHONE,
                                                                       g_ptr_array_index (phones, i), error) ||
        !collect_holders (self, PD_FIELD_PHONE, g_ptr_array_index (phones, i), ids, error))
      return FALSE;

  /* each holder hidden (or shown again) through the one persona write,
   * which moves its contacts out of (or back into) the active scope */
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(PdPersona) persona = _pd_sqlite_store_load_persona (self, id, NULL, error);
      g_autoptr(PdPersona) before = NULL;
      gboolean blocked;

      if (persona == NULL || !persona_has_blocked_contact (self, persona, &blocked, error))
        return FALSE;
      if (blocked == pd_persona_get_blocklisted (persona))
        continue;
      before = pd_persona_copy (persona);
      pd_persona_set_blocklisted (persona, blocked);
      if (!_pd_sqlite_store_write_persona_full (self, persona, before,
                                                actor != NULL ? actor : &owner, 0, NULL, error))
        return FALSE;
      (*n_personas)++;
    }

  json_object_set_int_member (detail, "contacts", emails->len + phones->len);
  json_object_set_int_member (detail, "personas", *n_personas);
  return _pd_sqlite_store_audit (self, actor, add ? "blocklist.add" : "blocklist.remove",
                                 persona_id, detail, error);
}

static gboolean
sqlite_blocklist_edit (PdStore        *store,
                       const PdActor  *actor,
                       gboolean        add,
                       gint64          persona_id,
                       PdFieldId       key,
                       const char     *value,
                       guint          *n_personas,
                       GError        **error)
{
  PdSqliteStore *self = PD_SQLITE_STORE (store);
  guint n = 0;

  if (!pd_actor_check (actor, PD_PERMISSION_BLOCKLIST, error))
    return FALSE;
  if (persona_id == 0 && (value == NULL || (key != PD_FIELD_EMAIL && key != PD_FIELD_PHONE)))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The blocklist takes a persona, an email or a phone"));
      return FALSE;
    }
  if (!_pd_sqlite_store_savepoint (self, error))
    return FALSE;
  if (!edit (self, actor, add, persona_id, key, value, &n, error))
    {
      _pd_sqlite_store_rollback_to (self);
      /* the key may have been made in the rolled-back transaction */
      self->has_privacy_key = FALSE;
      return FALSE;
    }
  if (n_personas != NULL)
    *n_personas = n;
  return _pd_sqlite_store_release (self, error);
}

void
_pd_sqlite_store_init_privacy (PdStoreInterface *iface)
{
  iface->blocklist_contains = sqlite_blocklist_contains;
  iface->blocklist_edit = sqlite_blocklist_edit;
  iface->forget = _pd_sqlite_store_forget;
}

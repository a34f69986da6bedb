/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the blocklist (issue 16; PostgreSQL schema 6 = SQLite 12).
 * As on SQLite, contacts are kept only as keyed hashes
 * (pd_privacy_contact_hash(), the key in settings' "privacy.key", so that a
 * database migrated from SQLite keeps its hashes valid), and a persona
 * holding a blocklisted contact is blocklisted itself (state 2, which
 * every list, search and count already leaves out).
 *
 * Between desks: the blocklist and an erasure take the privacy lock
 * exclusively, an import shares it for its whole transaction (so that an
 * import's "is the blocklist empty?", asked once, stays true, and an
 * erasure never misses the persona a running import is writing); a manual
 * write of a contact and a blocklist change take the contact's advisory
 * lock (_pd_pg_contact_lock_key()), so one of them sees the other. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"
#include "pd-phone.h"
#include "pd-pg-store-private.h"

#define KEY_SETTING "privacy.key"

/* pg_advisory_xact_lock(bigint): "PDPRIVCY" in ASCII */
#define PRIVACY_LOCK "5044505249564359"

/* Version 6: the blocklist (hashes only) and the rows each import's kept
 * file lost to data-deletion requests. */
const char _pd_pg_schema_v6[] =
  "CREATE TABLE blocklist ("
  "  hash bytea PRIMARY KEY,"
  "  kind smallint NOT NULL,"                 /* PdFieldId: email or phone */
  "  since bigint NOT NULL"                   /* Unix time, microseconds */
  ");"
  "ALTER TABLE imports ADD COLUMN privacy_removed integer NOT NULL DEFAULT 0;";

gboolean
_pd_pg_privacy_lock (PdPgStore  *self,
                     gboolean    exclusive,
                     GError    **error)
{
  return _pd_pg_exec (self, exclusive ? "SELECT pg_advisory_xact_lock(" PRIVACY_LOCK ")"
                                      : "SELECT pg_advisory_xact_lock_shared(" PRIVACY_LOCK ")", error);
}

static void
parse_key (PdPgStore  *self,
           const char *text)
{
  if (text == NULL || strlen (text) != 2 * PD_PRIVACY_KEY_BYTES)
    return;
  for (guint i = 0; i < PD_PRIVACY_KEY_BYTES; i++)
    self->privacy_key[i] = (g_ascii_xdigit_value (text[2 * i]) << 4) | g_ascii_xdigit_value (text[2 * i + 1]);
  self->has_privacy_key = TRUE;
}

void
_pd_pg_privacy_take_key (PdPgStore  *self,
                         const char *hex)
{
  if (!self->has_privacy_key)
    parse_key (self, hex);
}

/* The database's key, read once per connection (it never changes once
 * made); @create makes one (inside the caller's transaction). */
gboolean
_pd_pg_privacy_key (PdPgStore  *self,
                    gboolean    create,
                    gboolean   *have,
                    GError    **error)
{
  g_autoptr(PGresult) result = NULL;
  guint8 key[PD_PRIVACY_KEY_BYTES];
  char hex[2 * PD_PRIVACY_KEY_BYTES + 1];
  const char *values[1];

  *have = self->has_privacy_key;
  if (*have)
    return TRUE;
  result = _pd_pg_query (self, "SELECT value FROM settings WHERE key = '" KEY_SETTING "'", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    parse_key (self, _pd_pg_text (result, 0, 0));
  if (self->has_privacy_key || !create)
    {
      *have = self->has_privacy_key;
      return TRUE;
    }
  g_clear_pointer (&result, PQclear);
  pd_privacy_make_key (key);
  for (guint i = 0; i < PD_PRIVACY_KEY_BYTES; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", key[i]);
  values[0] = hex;
  /* another desk may make one at the same moment: theirs or ours, one wins */
  result = _pd_pg_query (self,
    "INSERT INTO settings (key, value) VALUES ('" KEY_SETTING "', $1) ON CONFLICT (key) DO NOTHING;", 1, values, error);
  if (result == NULL)
    return FALSE;
  g_clear_pointer (&result, PQclear);
  result = _pd_pg_query (self, "SELECT value FROM settings WHERE key = '" KEY_SETTING "'", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    parse_key (self, _pd_pg_text (result, 0, 0));
  *have = self->has_privacy_key;
  return TRUE;
}

/* The hashes of @values as a text[] of hex strings (decoded by the SQL). */
char *
_pd_pg_privacy_hashes (PdPgStore          *self,
                       PdFieldId           key,
                       const char * const *values,
                       guint               n_values)
{
  g_autoptr(GPtrArray) hexes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_values; i++)
    {
      guint8 hash[PD_PRIVACY_HASH_BYTES];
      char *hex = g_malloc (2 * PD_PRIVACY_HASH_BYTES + 1);

      pd_privacy_contact_hash (self->privacy_key, key, values[i], hash);
      for (guint b = 0; b < PD_PRIVACY_HASH_BYTES; b++)
        g_snprintf (hex + 2 * b, 3, "%02x", hash[b]);
      g_ptr_array_add (hexes, hex);
    }
  return _pd_pg_ptr_array (hexes);
}

static gboolean
pg_blocklist_contains_any (PdStore            *store,
                           PdFieldId           key,
                           const char * const *values,
                           guint               n_values,
                           gboolean           *blocked,
                           GError            **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *hashes = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[1];
  gboolean have;

  *blocked = FALSE;
  if (n_values == 0 || (key != PD_FIELD_EMAIL && key != PD_FIELD_PHONE))
    return TRUE;
  /* An import shares the privacy lock: the blocklist cannot change while
   * it runs, so most imports (nobody ever blocklisted) ask once. */
  if (self->in_import && self->import_blocklist == 0)
    {
      result = _pd_pg_query (self, "SELECT EXISTS (SELECT 1 FROM blocklist)", 0, NULL, error);
      if (result == NULL)
        return FALSE;
      self->import_blocklist = PQgetvalue (result, 0, 0)[0] == 't' ? 2 : 1;
      g_clear_pointer (&result, PQclear);
    }
  if (self->in_import && self->import_blocklist == 1)
    return TRUE;
  if (!_pd_pg_privacy_key (self, FALSE, &have, error))
    return FALSE;
  if (!have)
    return TRUE;
  hashes = _pd_pg_privacy_hashes (self, key, values, n_values);
  params[0] = hashes;
  result = _pd_pg_query (self,
    "SELECT EXISTS (SELECT 1 FROM blocklist WHERE hash = ANY (SELECT decode(h, 'hex') FROM unnest($1::text[]) h))",
    1, params, error);
  if (result == NULL)
    return FALSE;
  *blocked = PQgetvalue (result, 0, 0)[0] == 't';
  return TRUE;
}

static gboolean
pg_blocklist_contains (PdStore     *store,
                       PdFieldId    key,
                       const char  *value,
                       gboolean    *blocked,
                       GError     **error)
{
  const char *values[] = { value };

  return pg_blocklist_contains_any (store, key, values, 1, blocked, error);
}

gboolean
_pd_pg_refuse_blocklisted (PdPgStore   *self,
                           PdFieldId    key,
                           const char  *value,
                           GError     **error)
{
  gboolean blocked;

  if (!pg_blocklist_contains (PD_STORE (self), key, value, &blocked, error))
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

/* A consent change of a blocklisted contact (issue 16): a decline (STOP,
 * unsubscribe) is already true and is not kept, which would store the
 * contact again (@answered, @change says "opted out"); anything else is
 * refused without saying whose it was. */
gboolean
_pd_pg_consent_blocklisted (PdPgStore        *self,
                            PdFieldId         key,
                            const char       *value,
                            gboolean          decline,
                            PdConsentChange  *change,
                            gboolean         *answered,
                            GError          **error)
{
  gboolean blocked;

  *answered = FALSE;
  if (!decline)
    return _pd_pg_refuse_blocklisted (self, key, value, error);
  if (!pg_blocklist_contains (PD_STORE (self), key, value, &blocked, error))
    return FALSE;
  if (blocked)
    {
      *change = (PdConsentChange) { 0 };
      change->before = change->after = PD_CONSENT_STATE_OPTED_OUT;
      *answered = TRUE;
    }
  return TRUE;
}

/* A persona is blocklisted exactly when one of its contacts is. */
static gboolean
has_blocked_contact (PdPgStore  *self,
                     PdPersona  *persona,
                     gboolean   *blocked,
                     GError    **error)
{
  GPtrArray *emails = pd_persona_get_emails (persona);
  GPtrArray *phones = pd_persona_get_phones (persona);

  return pg_blocklist_contains_any (PD_STORE (self), PD_FIELD_EMAIL, (const char * const *) emails->pdata,
                                    emails->len, blocked, error) &&
         (*blocked ||
          pg_blocklist_contains_any (PD_STORE (self), PD_FIELD_PHONE, (const char * const *) phones->pdata,
                                     phones->len, blocked, error));
}

gboolean
_pd_pg_blocklist_insert (PdPgStore   *self,
                         PdFieldId    key,
                         const char  *value,
                         GError     **error)
{
  const char *values[] = { value };
  g_autofree char *hashes = NULL;
  g_autofree char *kind = g_strdup_printf ("%d", key);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  g_autoptr(PGresult) result = NULL;
  const char *params[3];
  gboolean have;

  if (!_pd_pg_privacy_key (self, TRUE, &have, error))
    return FALSE;
  hashes = _pd_pg_privacy_hashes (self, key, values, 1);
  params[0] = hashes;
  params[1] = kind;
  params[2] = now;
  result = _pd_pg_query (self,
    "INSERT INTO blocklist (hash, kind, since) SELECT decode(h, 'hex'), $2, $3 FROM unnest($1::text[]) h "
    "ON CONFLICT DO NOTHING", 3, params, error);
  return result != NULL;
}

static gboolean
blocklist_delete (PdPgStore   *self,
                  PdFieldId    key,
                  const char  *value,
                  GError     **error)
{
  const char *values[] = { value };
  g_autofree char *hashes = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[1];
  gboolean have;

  if (!_pd_pg_privacy_key (self, FALSE, &have, error))
    return FALSE;
  if (!have)
    return TRUE;
  hashes = _pd_pg_privacy_hashes (self, key, values, 1);
  params[0] = hashes;
  result = _pd_pg_query (self, "DELETE FROM blocklist WHERE hash = ANY (SELECT decode(h, 'hex') FROM unnest($1::text[]) h)",
                         1, params, error);
  return result != NULL;
}

static void
add_id (GArray *ids,
        gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return;
  g_array_append_val (ids, id);
}

/* Adds to @ids every persona, in any state, holding @value (a phone with
 * any extension). */
gboolean
_pd_pg_collect_holders (PdPgStore   *self,
                        PdFieldId    key,
                        const char  *value,
                        GArray      *ids,
                        GError     **error)
{
  g_autofree char *number = key == PD_FIELD_PHONE ? g_strndup (value, pd_phone_number_length (value)) : NULL;
  const char *values[] = { number != NULL ? number : value };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    key == PD_FIELD_PHONE ? "SELECT DISTINCT persona_id FROM phones WHERE phone = $1 OR phone LIKE $1 || ';%'"
                          : "SELECT DISTINCT persona_id FROM emails WHERE email = $1", 1, values, error);

  if (result == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (result); r++)
    add_id (ids, _pd_pg_int64 (result, r, 0));
  return TRUE;
}

static gboolean
edit (PdPgStore      *self,
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
  g_autoptr(GPtrArray) contacts = g_ptr_array_new ();
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *locks = NULL;
  PdActor owner = { PD_SOURCE_MANUAL, NULL, PD_ROLE_OWNER };

  if (!_pd_pg_privacy_lock (self, TRUE, error))
    return FALSE;
  if (persona_id != 0)
    {
      g_autoptr(PdPersona) persona = _pd_pg_load_persona (self, persona_id, FALSE, error);

      if (persona == NULL)
        return FALSE;
      for (guint i = 0; i < pd_persona_get_emails (persona)->len; i++)
        g_ptr_array_add (emails, g_strdup (g_ptr_array_index (pd_persona_get_emails (persona), i)));
      for (guint i = 0; i < pd_persona_get_phones (persona)->len; i++)
        g_ptr_array_add (phones, g_strdup (g_ptr_array_index (pd_persona_get_phones (persona), i)));
      add_id (ids, persona_id);
    }
  else
    g_ptr_array_add (key == PD_FIELD_EMAIL ? emails : phones, g_strdup (value));

  /* a desk saving a persona with one of them waits, or is waited for */
  g_ptr_array_extend (contacts, emails, NULL, NULL);
  g_ptr_array_extend (contacts, phones, NULL, NULL);
  locks = _pd_pg_contact_locks_sql ((const char * const *) contacts->pdata, contacts->len);
  if (locks != NULL && !_pd_pg_exec (self, locks, error))
    return FALSE;

  for (guint i = 0; i < emails->len; i++)
    if (!(add ? _pd_pg_blocklist_insert : blocklist_delete) (self, PD_FIELD_EMAIL, g_ptr_array_index (emails, i),
                                                             error) ||
        !_pd_pg_collect_holders (self, PD_FIELD_EMAIL, g_ptr_array_index (emails, i), ids, error))
      return FALSE;
  for (guint i = 0; i < phones->len; i++)
    if (!(add ? _pd_pg_blocklist_insert : blocklist_delete) (self, PD_FIELD_PHONE, g_ptr_array_index (phones, i),
                                                             error) ||
        !_pd_pg_collect_holders (self, PD_FIELD_PHONE, g_ptr_array_index (phones, i), ids, error))
      return FALSE;

  /* each holder hidden (or shown again) through the one persona write,
   * which takes its contacts out of (or back into) the live ones */
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(PdPersona) persona = _pd_pg_load_persona (self, id, TRUE, error);
      g_autoptr(PdPersona) before = NULL;
      gboolean blocked;

      if (persona == NULL || !has_blocked_contact (self, persona, &blocked, error))
        return FALSE;
      if (blocked == pd_persona_get_blocklisted (persona))
        continue;
      before = pd_persona_copy (persona);
      pd_persona_set_blocklisted (persona, blocked);
      if (!_pd_pg_save_persona (self, persona, before, actor != NULL ? actor : &owner, NULL, error))
        return FALSE;
      (*n_personas)++;
    }

  json_object_set_int_member (detail, "contacts", emails->len + phones->len);
  json_object_set_int_member (detail, "personas", *n_personas);
  return _pd_pg_audit (self, actor, add ? "blocklist.add" : "blocklist.remove", persona_id, detail, error);
}

static gboolean
pg_blocklist_edit (PdStore        *store,
                   const PdActor  *actor,
                   gboolean        add,
                   gint64          persona_id,
                   PdFieldId       key,
                   const char     *value,
                   guint          *n_personas,
                   GError        **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  guint n = 0;

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_actor_check (actor, PD_PERMISSION_BLOCKLIST, error))
    return FALSE;
  if (persona_id == 0 && (value == NULL || (key != PD_FIELD_EMAIL && key != PD_FIELD_PHONE)))
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID,
                           _("The blocklist takes a persona, an email or a phone"));
      return FALSE;
    }
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  if (!edit (self, actor, add, persona_id, key, value, &n, error) ||
      !_pd_pg_exec (self, "COMMIT", error))
    {
      _pd_pg_rollback (self);
      /* the key may have been made in the rolled-back transaction */
      self->has_privacy_key = FALSE;
      return FALSE;
    }
  if (n_personas != NULL)
    *n_personas = n;
  return TRUE;
}

void
_pd_pg_store_init_privacy (PdStoreInterface *iface)
{
  iface->blocklist_contains = pg_blocklist_contains;
  iface->blocklist_contains_any = pg_blocklist_contains_any;
  iface->blocklist_edit = pg_blocklist_edit;
  iface->forget = _pd_pg_forget;
}

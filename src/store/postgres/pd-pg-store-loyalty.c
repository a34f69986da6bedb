/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the loyalty program — points adjustments and the ledger, the
 * program's settings, a number's or email's loyalty status, source IDs,
 * and the audit log's writer.  The SQLite store's
 * pd-sqlite-store-loyalty.c is the reference; the rules are core's. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-order.h"
#include "pd-permission.h"
#include "pd-pg-store-private.h"

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static char *
detail_text (JsonObject *detail)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = NULL;

  if (detail == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  gen = json_generator_new ();
  json_node_set_object (node, detail);
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

gboolean
_pd_pg_audit (PdPgStore      *self,
              const PdActor  *actor,
              const char     *action,
              gint64          persona_id,
              JsonObject     *detail_object,
              GError        **error)
{
  g_autofree char *detail = detail_text (detail_object);
  g_autofree char *at = int_text (g_get_real_time ());
  g_autofree char *source = int_text (actor != NULL ? (int) actor->source : (int) PD_SOURCE_MANUAL);
  g_autofree char *persona = persona_id > 0 ? int_text (persona_id) : NULL;
  PdRole role = actor != NULL ? actor->role : PD_ROLE_OWNER;
  const char *values[7];
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (action != NULL, FALSE);

  values[0] = at;
  values[1] = actor != NULL ? actor->who : NULL;
  values[2] = pd_role_to_key (role);
  values[3] = source;
  values[4] = action;
  values[5] = persona;
  values[6] = detail;
  result = _pd_pg_query (self, "INSERT INTO audit_log (at, who, role, source, action, persona_id, detail) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7)", 7, values, error);
  return result != NULL;
}

/* ---- the ledger ------------------------------------------------------ */

#define LEDGER_COLUMNS "id, persona_id, delta, balance, source, import_id, reason, time, actor"

static GPtrArray *
list_entries_n (PdPgStore           *self,
                const char          *sql,
                int                  n_values,
                const char * const  *values,
                GError             **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_ledger_entry_free);
  g_autoptr(PGresult) result = _pd_pg_query (self, sql, n_values, values, error);

  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    {
      PdLedgerEntry *entry = g_new0 (PdLedgerEntry, 1);

      entry->id = _pd_pg_int64 (result, r, 0);
      entry->persona_id = _pd_pg_int64 (result, r, 1);
      entry->delta = _pd_pg_int64 (result, r, 2);
      entry->balance = _pd_pg_int64 (result, r, 3);
      entry->source = _pd_pg_int64 (result, r, 4);
      entry->import_id = _pd_pg_int64 (result, r, 5);
      entry->reason = g_strdup (_pd_pg_text (result, r, 6));
      entry->time = g_date_time_new_from_unix_utc (_pd_pg_int64 (result, r, 7) / G_USEC_PER_SEC);
      entry->actor = g_strdup (_pd_pg_text (result, r, 8));
      g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

static GPtrArray *
list_entries (PdPgStore   *self,
              const char  *sql,
              gint64       arg,
              GError     **error)
{
  g_autofree char *arg_text = int_text (arg);
  const char *values[] = { arg_text };

  return list_entries_n (self, sql, 1, values, error);
}

static GPtrArray *
pg_list_ledger (PdStore  *store,
                gint64    id,
                GError  **error)
{
  return list_entries (PD_PG_STORE (store),
                       "SELECT " LEDGER_COLUMNS " FROM ledger WHERE persona_id = $1 ORDER BY id DESC", id, error);
}

static GPtrArray *
pg_list_ledger_since (PdStore  *store,
                      gint64    since_us,
                      GError  **error)
{
  /* Entries are appended in time order: ids and times rise together. */
  return list_entries (PD_PG_STORE (store),
                       /* a blocklisted persona is in no report (issue 16) */
                       "SELECT " LEDGER_COLUMNS " FROM ledger WHERE time >= $1 AND persona_id NOT IN "
                       "(SELECT id FROM personas WHERE blocklisted <> 0) ORDER BY id", since_us, error);
}

/* The HTTP API's pages of every persona's ledger (pd-pg-store-api.c
 * hooks it up): in commit order from @after_id's commit on, so that an
 * entry committed after a later id was read is not passed
 * (pd-pg-store-feed.c). */
GPtrArray *
_pd_pg_list_ledger_page (PdStore  *store,
                         gint64    since_us,
                         gint64    after_id,
                         guint     limit,
                         GError  **error)
{
  g_autofree char *after_text = int_text (after_id);
  g_autofree char *since_text = int_text (since_us);
  g_autofree char *limit_text = int_text (limit);
  const char *values[] = { after_text, since_text, limit_text };
  g_autofree char *sql = _pd_pg_ledger_page_sql (LEDGER_COLUMNS);

  return list_entries_n (PD_PG_STORE (store), sql, 3, values, error);
}

/* ---- settings -------------------------------------------------------- */

static void
read_setting (PdLoyaltySettings *settings,
              const char        *key,
              const char        *value)
{
  if (value == NULL)
    return;
  if (g_strcmp0 (key, "allow-negative-balance") == 0)
    settings->allow_negative_balance = g_strcmp0 (value, "true") == 0;
  else if (g_strcmp0 (key, "double-opt-in-expiry-days") == 0)
    settings->double_opt_in_expiry_days = (guint) CLAMP (g_ascii_strtoll (value, NULL, 10), 0, 3650);
  else if (g_strcmp0 (key, "order-points-per-unit") == 0)  /* orders' earning rule (schema 10) */
    settings->order_points_per_unit = (guint) CLAMP (g_ascii_strtoll (value, NULL, 10), 0,
                                                     PD_ORDER_MAX_POINTS_PER_UNIT);
}

gboolean
_pd_pg_get_settings (PdPgStore          *self,
                     PdLoyaltySettings  *settings,
                     GError            **error)
{
  g_autoptr(PGresult) result = NULL;

  pd_loyalty_settings_init (settings);
  result = _pd_pg_query (self, "SELECT key, value FROM settings", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (result); r++)
    read_setting (settings, _pd_pg_text (result, r, 0), _pd_pg_text (result, r, 1));
  return TRUE;
}

static gboolean
pg_get_loyalty_settings (PdStore            *store,
                         PdLoyaltySettings  *settings,
                         GError            **error)
{
  return _pd_pg_get_settings (PD_PG_STORE (store), settings, error);
}

/* Every key in one statement: one transaction by itself. */
static gboolean
pg_set_loyalty_settings (PdStore                  *store,
                         const PdLoyaltySettings  *settings,
                         GError                  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *days = g_strdup_printf ("%u", settings->double_opt_in_expiry_days);
  g_autofree char *per_unit = g_strdup_printf ("%u", settings->order_points_per_unit);
  const char *values[] = { settings->allow_negative_balance ? "true" : "false", days, per_unit };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (!self->in_import, FALSE);

  result = _pd_pg_query (self,
    "INSERT INTO settings (key, value) VALUES ('allow-negative-balance', $1), ('double-opt-in-expiry-days', $2), "
    "('order-points-per-unit', $3) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", 3, values, error);
  return result != NULL;
}

/* ---- points ---------------------------------------------------------- */

/* The rule (pd_points_check_adjustment()) is checked on the balance read
 * FOR UPDATE inside the transaction: two desks adjusting the same persona
 * at once take turns, and neither passes on a balance the other changed.
 * Only the points, the enrolment and the change mark move (no email,
 * phone, consent or pinned value: the persona write's other rules have
 * nothing to do), so the row, the ledger entry and the audit entry are one
 * statement: BEGIN, the read, the write, COMMIT. */
static gboolean
pg_adjust_points (PdStore        *store,
                  gint64          id,
                  gint64          delta,
                  const char     *reason,
                  const PdActor  *actor,
                  gint64         *balance,
                  GError        **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *id_text = int_text (id);
  g_autoptr(PGresult) read = NULL;
  g_autoptr(PGresult) written = NULL;
  g_autoptr(JsonObject) detail_object = json_object_new ();
  g_autofree char *detail = NULL, *points = NULL, *delta_text = NULL, *source = NULL, *now = NULL;
  PdLoyaltySettings settings;
  gint64 new_balance;
  const char *values[9];

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_actor_check (actor, PD_PERMISSION_ADJUST_POINTS, error))
    return FALSE;
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  values[0] = id_text;
  read = _pd_pg_query (self,
    "SELECT points, blocklisted, "
    "(SELECT value FROM settings WHERE key = 'allow-negative-balance'), "
    "(SELECT value FROM settings WHERE key = 'double-opt-in-expiry-days') "
    "FROM personas WHERE id = $1 FOR UPDATE", 1, values, error);
  if (read == NULL)
    goto fail;
  if (PQntuples (read) == 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("No persona with ID %" PRId64), id);
      goto fail;
    }
  pd_loyalty_settings_init (&settings);
  read_setting (&settings, "allow-negative-balance", _pd_pg_text (read, 0, 2));
  read_setting (&settings, "double-opt-in-expiry-days", _pd_pg_text (read, 0, 3));
  if (_pd_pg_int64 (read, 0, 1) != 0)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("Persona %" PRId64 " is blocklisted"), id);
      goto fail;
    }
  if (!pd_points_check_adjustment (_pd_pg_int64 (read, 0, 0), delta, reason, &settings, error))
    goto fail;
  new_balance = _pd_pg_int64 (read, 0, 0) + delta;
  json_object_set_int_member (detail_object, "delta", delta);
  json_object_set_int_member (detail_object, "balance", new_balance);
  json_object_set_string_member (detail_object, "reason", reason);
  detail = detail_text (detail_object);
  points = int_text (new_balance);
  delta_text = int_text (delta);
  source = int_text (actor->source);
  now = int_text (g_get_real_time ());
  values[1] = points;
  values[2] = delta_text;
  values[3] = source;
  values[4] = reason;
  values[5] = now;
  values[6] = actor->who;
  values[7] = pd_role_to_key (actor->role);
  values[8] = detail;
  /* An adjustment enrols; nothing here takes anyone out. */
  written = _pd_pg_query (self,
    "WITH row AS (UPDATE personas SET points = $2::bigint, loyalty = 1, changed_by_import = 0 "
    "  WHERE id = $1::bigint RETURNING id), "
    "entry AS (INSERT INTO ledger (persona_id, delta, balance, source, import_id, reason, time, actor) "
    "  SELECT id, $3::bigint, $2::bigint, $4::smallint, NULL, $5, $6::bigint, $7 FROM row RETURNING id) "
    "INSERT INTO audit_log (at, who, role, source, action, persona_id, detail) "
    "SELECT $6::bigint, $7, $8, $4::smallint, 'points.adjust', $1::bigint, $9 FROM entry",
    9, values, error);
  if (written == NULL || !_pd_pg_exec (self, "COMMIT", error))
    goto fail;
  if (balance != NULL)
    *balance = new_balance;
  return TRUE;

fail:
  _pd_pg_rollback (self);
  return FALSE;
}

/* ---- status ---------------------------------------------------------- */

#define EMAIL_OPTED_OUT \
  "EXISTS (SELECT 1 FROM emails e JOIN email_opt_outs o ON o.email = e.email WHERE e.persona_id = p.id)"
#define PENDING_SINCE \
  "(SELECT max(created) FROM outbox WHERE persona_id = p.id AND kind = 'double-opt-in')"

/* One statement: the live email or phone, its persona, whether one of its
 * addresses opted out, and since when its SMS consent is pending. */
static gboolean
pg_get_loyalty_status (PdStore          *store,
                       PdFieldId         key,
                       const char       *value,
                       PdLoyaltyStatus  *status,
                       GError          **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  const char *values[] = { value };
  const char *sql;
  g_autoptr(PGresult) result = NULL;

  *status = (PdLoyaltyStatus) { 0 };
  if (key == PD_FIELD_PHONE)
    sql = "SELECT p.id, p.loyalty, p.points, p.email_opt_in, p.sms_consent, p.sms_opt_out, " EMAIL_OPTED_OUT
          ", " PENDING_SINCE " FROM phones c JOIN personas p ON p.id = c.persona_id "
          /* the number's part first: phones_live's expression, so an
           * index probe (a scan of every phone without it) */
          "WHERE split_part(c.phone, ';', 1) = split_part($1, ';', 1) AND c.phone = $1 AND c.live "
          "AND p.state = 0";
  else if (key == PD_FIELD_EMAIL)
    sql = "SELECT p.id, p.loyalty, p.points, p.email_opt_in, p.sms_consent, p.sms_opt_out, " EMAIL_OPTED_OUT
          ", " PENDING_SINCE " FROM emails c JOIN personas p ON p.id = c.persona_id "
          "WHERE c.email = $1 AND c.live AND p.state = 0";
  else
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_INVALID, _("Loyalty status is looked up by phone or email"));
      return FALSE;
    }
  result = _pd_pg_query (self, sql, 1, values, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;
  status->known = TRUE;
  status->persona_id = _pd_pg_int64 (result, 0, 0);
  status->member = _pd_pg_int64 (result, 0, 1) != 0;
  status->points = _pd_pg_int64 (result, 0, 2);
  status->email_opt_in = _pd_pg_int64 (result, 0, 3) != 0;
  status->email = g_strcmp0 (_pd_pg_text (result, 0, 6), "t") == 0 ? PD_CONSENT_STATE_OPTED_OUT
                  : status->email_opt_in ? PD_CONSENT_STATE_OPTED_IN : PD_CONSENT_STATE_NONE;
  if (_pd_pg_int64 (result, 0, 5) != 0)
    status->sms = PD_CONSENT_STATE_OPTED_OUT;
  else if (_pd_pg_int64 (result, 0, 4) == PD_SMS_CONSENT_OPTED_IN)
    status->sms = PD_CONSENT_STATE_OPTED_IN;
  else if (_pd_pg_int64 (result, 0, 4) == PD_SMS_CONSENT_PENDING)
    status->sms = PD_CONSENT_STATE_PENDING;
  if (status->sms == PD_CONSENT_STATE_PENDING)
    status->pending_since_us = _pd_pg_int64 (result, 0, 7);
  return TRUE;
}

/* ---- source IDs ------------------------------------------------------ */

/* A source ID is the attribute source:NAME, written like any change.
 * @actor: (nullable): audited as a "persona.edit" in the transaction (the
 * _as call, pd-pg-store-staff.c); NULL: the Owner, not audited. */
gboolean
_pd_pg_set_source_id (PdStore        *store,
                      gint64          id,
                      const char     *source,
                      const char     *source_id,
                      const PdActor  *audited,
                      GError        **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  PdActor actor = audited != NULL ? *audited : (PdActor) { PD_SOURCE_MANUAL, NULL, PD_ROLE_OWNER };
  g_autoptr(PdPersona) persona = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (!self->in_import, FALSE);

  if (!pd_source_id_check (source, source_id, error))
    return FALSE;
  if (!_pd_pg_exec (self, "BEGIN", error))
    return FALSE;
  persona = _pd_pg_load_persona (self, id, TRUE, error);
  if (persona == NULL)
    goto fail;
  name = g_strconcat (PD_SOURCE_ID_PREFIX, source, NULL);
  if (source_id == NULL && !g_hash_table_contains (pd_persona_get_attributes (persona), name))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_NOT_FOUND, _("Persona %" PRId64 " has no %s ID"), id, source);
      goto fail;
    }
  {
    g_autoptr(PdPersona) before = pd_persona_copy (persona);

    pd_persona_set_attribute (persona, name, source_id);
    if (!_pd_pg_save_persona (self, persona, before, &actor, NULL, error) ||
        (audited != NULL && !_pd_pg_audit_persona (self, audited, "persona.edit", before, persona, error)) ||
        !_pd_pg_exec (self, "COMMIT", error))
      goto fail;
  }
  return TRUE;

fail:
  _pd_pg_rollback (self);
  return FALSE;
}

static gboolean
pg_set_source_id (PdStore     *store,
                  gint64       id,
                  const char  *source,
                  const char  *source_id,
                  GError     **error)
{
  return _pd_pg_set_source_id (store, id, source, source_id, NULL, error);
}

static GPtrArray *
pg_list_source_ids (PdStore  *store,
                    gint64    id,
                    GError  **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id_text = int_text (id);
  const char *values[] = { id_text };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "SELECT substr(name, 8), value FROM attributes WHERE persona_id = $1 AND name LIKE 'source:%' ORDER BY name",
    1, values, error);

  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (ids, g_strconcat (_pd_pg_text (result, r, 0), ":", _pd_pg_text (result, r, 1), NULL));
  return g_steal_pointer (&ids);
}

/* One look-up in the attributes_source_id index. */
static gint64
pg_find_by_source_id (PdStore     *store,
                      const char  *source,
                      const char  *source_id,
                      GError     **error)
{
  PdPgStore *self = PD_PG_STORE (store);
  g_autofree char *name = g_strconcat (PD_SOURCE_ID_PREFIX, source, NULL);
  const char *values[] = { name, source_id };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "SELECT persona_id FROM attributes WHERE name = $1 AND value = $2 AND name LIKE 'source:%'",
    2, values, error);

  if (result == NULL || PQntuples (result) == 0)
    return 0;
  return _pd_pg_int64 (result, 0, 0);
}

void
_pd_pg_store_init_loyalty (PdStoreInterface *iface)
{
  iface->set_source_id = pg_set_source_id;
  iface->list_source_ids = pg_list_source_ids;
  iface->find_by_source_id = pg_find_by_source_id;
  iface->adjust_points = pg_adjust_points;
  iface->list_ledger = pg_list_ledger;
  iface->list_ledger_since = pg_list_ledger_since;
  iface->get_loyalty_settings = pg_get_loyalty_settings;
  iface->set_loyalty_settings = pg_set_loyalty_settings;
  iface->get_loyalty_status = pg_get_loyalty_status;
}

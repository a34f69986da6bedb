/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPgStore: the rules every persona write follows (the app, the CLI, an
 * import, the API), as the SQLite store's write applies them: the favorite
 * store's precedence, pinned values, loyalty enrolment kept, an explicit
 * SMS or email opt-out final, the consent recorded for a number before any
 * persona held it taken over, source IDs unique per source.  The rules
 * themselves are core's (pd-loyalty.c) or shared with the SQLite store;
 * this file gathers what they need in one statement per write. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-loyalty.h"
#include "pd-pg-store-private.h"
#include "pd-sqlite-store-private.h"

/* The first key of pg_advisory_xact_lock(int, int) for phones and
 * emails: "PDCL" in ASCII. */
#define CONTACT_LOCK_SPACE 1346650956

int
_pd_pg_contact_lock_key (const char *value)
{
  g_autofree char *number = g_strndup (value, strcspn (value, ";"));

  /* g_str_hash() is not seeded: every desk computes the same key */
  return (int) g_str_hash (number);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;

  return x < y ? -1 : x > y;
}

char *
_pd_pg_contact_locks_sql (const char * const *values,
                          gssize              n)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (int));
  GString *sql;

  for (gssize i = 0; n < 0 ? values[i] != NULL : i < n; i++)
    {
      int key = _pd_pg_contact_lock_key (values[i]);

      g_array_append_val (keys, key);
    }
  if (keys->len == 0)
    return NULL;
  /* in one order, so that two desks locking the same numbers cannot
   * deadlock */
  g_array_sort (keys, compare_keys);
  sql = g_string_new ("SELECT ");
  for (guint i = 0; i < keys->len; i++)
    if (i == 0 || g_array_index (keys, int, i) != g_array_index (keys, int, i - 1))
      g_string_append_printf (sql, "%spg_advisory_xact_lock(%d, %d)", i ? ", " : "",
                              CONTACT_LOCK_SPACE, g_array_index (keys, int, i));
  return g_string_free (sql, FALSE);
}

/* @persona's phones and emails that @before (nullable) does not have. */
GPtrArray *
_pd_pg_new_contacts (PdPersona *persona,
                     PdPersona *before)
{
  GPtrArray *contacts = g_ptr_array_new ();
  GPtrArray *lists[] = { pd_persona_get_phones (persona), pd_persona_get_emails (persona) };
  GPtrArray *old[] = { before != NULL ? pd_persona_get_phones (before) : NULL,
                       before != NULL ? pd_persona_get_emails (before) : NULL };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      if (old[l] == NULL ||
          !g_ptr_array_find_with_equal_func (old[l], g_ptr_array_index (lists[l], i), g_str_equal, NULL))
        g_ptr_array_add (contacts, g_ptr_array_index (lists[l], i));
  return contacts;
}

void
_pd_pg_write_lookup_clear (PdPgWriteLookup *lookup)
{
  g_clear_pointer (&lookup->contacts, g_hash_table_unref);
  g_clear_pointer (&lookup->orphan_texts, g_hash_table_unref);
  lookup->email_opted_out = FALSE;
}

static gboolean
is_new_phone (PdPersona  *before,
              const char *phone)
{
  return before == NULL ||
         !g_ptr_array_find_with_equal_func (pd_persona_get_phones (before), phone, g_str_equal, NULL);
}

/* Kinds of the look-up's rows, in the order their conflicts are reported
 * (a source ID first, then an email, then a phone, as SQLite checks). */
enum {
  ROW_EMAIL_TAKEN,
  ROW_PHONE_TAKEN,
  ROW_SOURCE_ID_TAKEN,
  ROW_CONTACT,
  ROW_ORPHAN_TEXT,
  ROW_EMAIL_OPTED_OUT,
  ROW_PRIVACY_KEY,     /* the blocklist's key, not read yet on this connection */
  ROW_BLOCKLISTED,     /* one of its contacts is blocklisted (issue 16) */
};

static int
conflict_rank (int kind)
{
  return kind == ROW_SOURCE_ID_TAKEN ? 0 : kind == ROW_EMAIL_TAKEN ? 1 : 2;
}

static const char lookup_sql[] =
  "(SELECT 0::int AS k, email::text AS v, persona_id::bigint AS n, 0::bigint AS m FROM emails "
  "  WHERE live AND email = ANY($1::text[]) AND persona_id <> $3::bigint LIMIT 1) "
  "UNION ALL (SELECT 1, phone, persona_id, 0 FROM phones WHERE live "
  "  AND split_part(phone, ';', 1) = ANY(SELECT split_part(p, ';', 1) FROM unnest($2::text[]) p) "
  "  AND persona_id <> $3::bigint LIMIT 1) "
  "UNION ALL (SELECT 2, substr(a.name, 8) || ':' || a.value, a.persona_id, 0 FROM attributes a "
  "  JOIN unnest($4::text[], $5::text[]) AS u(n, v) ON a.name = u.n AND a.value = u.v "
  "  WHERE a.name LIKE 'source:%' AND a.persona_id <> $3::bigint LIMIT 1) "
  "UNION ALL SELECT 3, phone, state, loyalty FROM consent_contacts WHERE phone = ANY($6::text[]) "
  "UNION ALL (SELECT DISTINCT 4, phone, 0::bigint, 0::bigint FROM outbox "
  "  WHERE persona_id IS NULL AND phone = ANY($6::text[])) "
  "UNION ALL (SELECT 5, email, 0, 0 FROM email_opt_outs WHERE email = ANY($7::text[]) LIMIT 1) "
  "UNION ALL (SELECT 6, value, 0, 0 FROM settings WHERE key = 'privacy.key' AND $8::boolean) "
  "UNION ALL (SELECT 7, NULL, 0, 0 FROM blocklist "
  "  WHERE hash = ANY (SELECT decode(h, 'hex') FROM unnest($9::text[]) h) LIMIT 1)";

/* The hashes of @persona's contacts (the blocklist's question), or "{}"
 * while this connection knows no key: then the look-up asks for it. */
static char *
contact_hashes (PdPgStore *self,
                PdPersona *persona)
{
  GPtrArray *emails = pd_persona_get_emails (persona);
  GPtrArray *phones = pd_persona_get_phones (persona);
  g_autofree char *e = NULL, *p = NULL;

  if (!self->has_privacy_key)
    return g_strdup ("{}");
  e = _pd_pg_privacy_hashes (self, PD_FIELD_EMAIL, (const char * const *) emails->pdata, emails->len);
  p = _pd_pg_privacy_hashes (self, PD_FIELD_PHONE, (const char * const *) phones->pdata, phones->len);
  /* two text[] literals joined: "{a,b}" + "{c}" */
  if (emails->len == 0)
    return g_steal_pointer (&p);
  if (phones->len == 0)
    return g_steal_pointer (&e);
  e[strlen (e) - 1] = ',';
  return g_strconcat (e, p + 1, NULL);
}

/* One statement for everything the rules need to know; nothing when
 * nothing is to be looked up (an import's row without new numbers, source
 * IDs or an email opt-in, its contacts checked by the job). */
static gboolean
look_up (PdPgStore        *self,
         PdPersona        *persona,
         PdPersona        *before,
         gboolean          check_unique,
         PdPgWriteLookup  *lookup,
         GError          **error)
{
  g_autoptr(GPtrArray) source_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) source_values = g_ptr_array_new ();
  g_autoptr(GPtrArray) new_phones = g_ptr_array_new ();
  GPtrArray *phones = pd_persona_get_phones (persona);
  GPtrArray *emails = pd_persona_get_emails (persona);
  gboolean check_emails = pd_persona_get_email_opt_in (persona) && emails->len > 0 &&
                          (!self->in_import || self->import_has_email_opt_outs);
  g_autofree char *emails_text = NULL, *phones_text = NULL, *id_text = NULL, *names_text = NULL;
  g_autofree char *values_text = NULL, *new_text = NULL, *opt_out_text = NULL, *hashes = NULL;
  /* a manual write (not an import's: the job asks the blocklist itself)
   * refuses a blocklisted contact, as SQLite's validation does */
  gboolean check_blocklist = !self->in_import && !pd_persona_get_blocklisted (persona);
  gboolean read_key = FALSE, blocked = FALSE;
  const char *values[9];
  g_autoptr(PGresult) result = NULL;
  GHashTableIter iter;
  gpointer key, value;
  int conflict = -1;

  g_hash_table_iter_init (&iter, pd_persona_get_attributes (persona));
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, PD_SOURCE_ID_PREFIX))
      {
        g_ptr_array_add (source_names, key);
        g_ptr_array_add (source_values, value);
      }
  for (guint i = 0; i < phones->len; i++)
    {
      const char *phone = g_ptr_array_index (phones, i);

      if (is_new_phone (before, phone) &&
          (!self->in_import ||
           (self->import_contact_phones != NULL && g_hash_table_contains (self->import_contact_phones, phone))))
        g_ptr_array_add (new_phones, (gpointer) phone);
    }
  if (!check_unique && source_names->len == 0 && new_phones->len == 0 && !check_emails && !check_blocklist)
    return TRUE;

  emails_text = check_unique ? _pd_pg_ptr_array (emails) : g_strdup ("{}");
  phones_text = check_unique ? _pd_pg_ptr_array (phones) : g_strdup ("{}");
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (persona));
  names_text = _pd_pg_ptr_array (source_names);
  values_text = _pd_pg_ptr_array (source_values);
  new_text = _pd_pg_ptr_array (new_phones);
  opt_out_text = check_emails ? _pd_pg_ptr_array (emails) : g_strdup ("{}");
  values[0] = emails_text;
  values[1] = phones_text;
  values[2] = id_text;
  values[3] = names_text;
  values[4] = values_text;
  values[5] = new_text;
  values[6] = opt_out_text;
  hashes = check_blocklist ? contact_hashes (self, persona) : g_strdup ("{}");
  values[7] = check_blocklist && !self->has_privacy_key ? "t" : "f";
  values[8] = hashes;
  result = _pd_pg_query (self, lookup_sql, G_N_ELEMENTS (values), values, error);
  if (result == NULL)
    return FALSE;

  for (int r = 0; r < PQntuples (result); r++)
    {
      int kind = (int) _pd_pg_int64 (result, r, 0);
      const char *text = _pd_pg_text (result, r, 1);

      switch (kind)
        {
        case ROW_EMAIL_TAKEN:
        case ROW_PHONE_TAKEN:
        case ROW_SOURCE_ID_TAKEN:
          /* one reported: a source ID before an email before a phone */
          if (conflict < 0 || conflict_rank (kind) < conflict_rank ((int) _pd_pg_int64 (result, conflict, 0)))
            conflict = r;
          break;
        case ROW_CONTACT:
          if (lookup->contacts == NULL)
            lookup->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (lookup->contacts, g_strdup (text),
                               GINT_TO_POINTER ((int) _pd_pg_int64 (result, r, 2) + 1 +
                                                (_pd_pg_int64 (result, r, 3) != 0 ? 16 : 0)));
          break;
        case ROW_ORPHAN_TEXT:
          if (lookup->orphan_texts == NULL)
            lookup->orphan_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_add (lookup->orphan_texts, g_strdup (text));
          break;
        case ROW_PRIVACY_KEY:
          _pd_pg_privacy_take_key (self, text);
          read_key = self->has_privacy_key;
          break;
        case ROW_BLOCKLISTED:
          blocked = TRUE;
          break;
        case ROW_EMAIL_OPTED_OUT:
        default:
          lookup->email_opted_out = TRUE;
          break;
        }
    }
  /* the first write on this connection since someone made the key: the
   * blocklist is asked now (once; the key never changes) */
  if (read_key && !blocked)
    {
      g_autofree char *now_hashes = contact_hashes (self, persona);
      const char *params[] = { now_hashes };
      g_autoptr(PGresult) found = _pd_pg_query (self,
        "SELECT EXISTS (SELECT 1 FROM blocklist WHERE hash = ANY (SELECT decode(h, 'hex') FROM unnest($1::text[]) h))",
        1, params, error);

      if (found == NULL)
        return FALSE;
      blocked = PQgetvalue (found, 0, 0)[0] == 't';
    }
  if (blocked)
    {
      g_set_error_literal (error, PD_ERROR, PD_ERROR_PRIVACY,
                           _("This customer cannot be added or opted in (privacy): "
                             "their data was erased on request"));
      return FALSE;
    }
  if (conflict >= 0)
    {
      int kind = (int) _pd_pg_int64 (result, conflict, 0);
      const char *text = _pd_pg_text (result, conflict, 1);
      gint64 owner = _pd_pg_int64 (result, conflict, 2);

      if (kind == ROW_SOURCE_ID_TAKEN)
        g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("%s already belongs to persona %" PRId64), text, owner);
      else if (kind == ROW_EMAIL_TAKEN)
        g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("The email %s is already used by persona %" PRId64),
                     text, owner);
      else
        g_set_error (error, PD_ERROR, PD_ERROR_CONFLICT, _("The phone %s is already used by persona %" PRId64),
                     text, owner);
      return FALSE;
    }
  return TRUE;
}

void
_pd_pg_prepare_rules (PdPersona *persona,
                      PdPersona *before,
                      PdSource   source)
{
  /* The rules that need no database, shared with the SQLite store. */
  _pd_sqlite_store_apply_favorite_store_precedence (persona, before, source);
  _pd_sqlite_store_apply_overrides (persona);
  /* Enrolment in loyalty is undone only by the customer's own request,
   * never by a save. */
  if (before != NULL && pd_persona_get_loyalty (before))
    pd_persona_set_loyalty (persona, TRUE);
}

gboolean
_pd_pg_prepare_write (PdPgStore        *self,
                      PdPersona        *persona,
                      PdPersona        *before,
                      PdSource          source,
                      gboolean          check_unique,
                      PdPgWriteLookup  *lookup,
                      GError          **error)
{
  gboolean live = !pd_persona_get_archived (persona) && !pd_persona_get_blocklisted (persona);

  _pd_pg_prepare_rules (persona, before, source);
  if (!look_up (self, persona, before, check_unique && live, lookup, error))
    return FALSE;
  _pd_pg_apply_lookup (persona, before, lookup);
  return TRUE;
}

void
_pd_pg_apply_lookup (PdPersona       *persona,
                     PdPersona       *before,
                     PdPgWriteLookup *lookup)
{
  GPtrArray *phones = pd_persona_get_phones (persona);

  /* An explicit SMS opt-out stays whatever the writer sent, and a number
   * new to this persona brings the consent recorded for it while no
   * persona held it. */
  if (before != NULL && pd_persona_get_sms_opt_out (before))
    pd_persona_set_sms_opt_out (persona, TRUE);
  for (guint i = 0; lookup->contacts != NULL && i < phones->len; i++)
    {
      const char *phone = g_ptr_array_index (phones, i);
      int packed;
      PdConsentState state;

      if (!is_new_phone (before, phone))
        continue;
      packed = GPOINTER_TO_INT (g_hash_table_lookup (lookup->contacts, phone));
      if (packed == 0)
        continue;
      state = (packed & 15) - 1;
      if (state == PD_CONSENT_STATE_OPTED_OUT)
        pd_persona_set_sms_opt_out (persona, TRUE);
      else if (state == PD_CONSENT_STATE_OPTED_IN)
        {
          pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_OPTED_IN);
          if (packed & 16)
            pd_persona_set_loyalty (persona, TRUE);
        }
      else if (state == PD_CONSENT_STATE_PENDING &&
               pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_NONE)
        pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_PENDING);
    }
  if (pd_persona_get_sms_opt_out (persona))
    pd_persona_set_sms_consent (persona, PD_SMS_CONSENT_NONE);

  /* An address that opted out never carries an email opt-in again. */
  if (pd_persona_get_email_opt_in (persona) && !pd_email_opt_in_allowed (lookup->email_opted_out))
    pd_persona_set_email_opt_in (persona, FALSE);
}

gint64
_pd_pg_queue_text (PdPgStore   *self,
                   const char  *phone,
                   gint64       persona_id,
                   GError     **error)
{
  g_autofree char *id = persona_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, persona_id) : NULL;
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  const char *values[] = { phone, id, now };
  g_autoptr(PGresult) result = _pd_pg_query (self,
    "INSERT INTO outbox (kind, phone, persona_id, created) VALUES ('double-opt-in', $1, $2, $3) RETURNING id",
    3, values, error);

  return result != NULL ? _pd_pg_int64 (result, 0, 0) : 0;
}

/* A persona's pinned fields, from @before's (nullable: a new persona). */
gboolean
_pd_pg_write_overrides (PdPgStore   *self,
                        PdPersona   *before,
                        PdPersona   *persona,
                        GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (persona));

  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    {
      const char *pin = pd_persona_get_override (persona, f);
      const char *had = before != NULL ? pd_persona_get_override (before, f) : NULL;
      const char *values[] = { id, pd_field_get_info (f)->key, pin };
      g_autoptr(PGresult) result = NULL;

      if (g_strcmp0 (pin, had) == 0)
        continue;
      result = pin != NULL
        ? _pd_pg_query (self, "INSERT INTO overrides (persona_id, field, value) VALUES ($1, $2, $3) "
                              "ON CONFLICT (persona_id, field) DO UPDATE SET value = excluded.value",
                        3, values, error)
        : _pd_pg_query (self, "DELETE FROM overrides WHERE persona_id = $1 AND field = $2", 2, values, error);
      if (result == NULL)
        return FALSE;
    }
  return TRUE;
}

/* A number taken over leaves the consent-only contacts (an opt-out stays
 * there, so that undoing what took it over cannot lose it), its queued
 * texts now belong to the persona, and consent that became pending queues
 * the confirmation text. */
gboolean
_pd_pg_finish_write (PdPgStore        *self,
                     PdPersona        *persona,
                     PdPersona        *before,
                     PdPgWriteLookup  *lookup,
                     GError          **error)
{
  gboolean took_request = lookup->orphan_texts != NULL;

  if (lookup->contacts != NULL || lookup->orphan_texts != NULL)
    {
      g_autoptr(GPtrArray) taken = g_ptr_array_new ();
      GPtrArray *phones = pd_persona_get_phones (persona);
      g_autofree char *taken_text = NULL;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pd_persona_get_id (persona));
      g_autofree char *opted_out = g_strdup_printf ("%d", PD_CONSENT_STATE_OPTED_OUT);
      const char *values[3];
      g_autoptr(PGresult) deleted = NULL;
      g_autoptr(PGresult) moved = NULL;

      for (guint i = 0; i < phones->len; i++)
        if (is_new_phone (before, g_ptr_array_index (phones, i)))
          g_ptr_array_add (taken, g_ptr_array_index (phones, i));
      taken_text = _pd_pg_ptr_array (taken);
      values[0] = taken_text;
      values[1] = opted_out;
      values[2] = id;
      deleted = _pd_pg_query (self, "DELETE FROM consent_contacts WHERE phone = ANY($1::text[]) AND state <> $2",
                              2, values, error);
      if (deleted == NULL)
        return FALSE;
      values[1] = id;
      moved = _pd_pg_query (self, "UPDATE outbox SET persona_id = $2 WHERE phone = ANY($1::text[]) "
                                  "AND persona_id IS NULL", 2, values, error);
      if (moved == NULL)
        return FALSE;
      took_request = g_ascii_strtoll (PQcmdTuples (moved), NULL, 10) > 0;
    }

  self->last_outbox_id = 0;
  if (pd_persona_get_sms_consent (persona) == PD_SMS_CONSENT_PENDING && !took_request &&
      (before == NULL || pd_persona_get_sms_consent (before) != PD_SMS_CONSENT_PENDING) &&
      pd_persona_get_primary_phone (persona) != NULL)
    {
      self->last_outbox_id = _pd_pg_queue_text (self, pd_persona_get_primary_phone (persona),
                                                pd_persona_get_id (persona), error);
      if (self->last_outbox_id == 0)
        return FALSE;
    }
  return _pd_pg_write_overrides (self, before, persona, error);
}

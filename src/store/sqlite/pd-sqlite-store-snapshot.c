/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: undo records — the persona as it was before an import
 * touched it, packed into a blob of import_changes and read back by undo. */
#include "config.h"

#include <string.h>

#include "pd-sqlite-store-private.h"

/* The undo records of older versions: a GVariant of this type. */
#define SNAPSHOT_TYPE "(sa(ys)asasasa{ss}xbbybbbms)"

static PdPersona *
persona_from_snapshot (gint64    id,
                       GVariant *snapshot)
{
  PdPersona *persona = pd_persona_new ();
  g_autoptr(GVariantIter) values = NULL, emails = NULL, phones = NULL, tags = NULL, attributes = NULL;
  const char *sources, *text, *name;
  char *signup_source = NULL;
  gint64 points;
  gboolean loyalty, email_opt_in, sms_opt_out, archived, blocklisted;
  guchar consent, field;

  g_variant_get (snapshot, "(&sa(ys)asasasa{ss}xbbybbbms)", &sources, &values, &emails, &phones, &tags,
                 &attributes, &points, &loyalty, &email_opt_in, &consent, &sms_opt_out, &archived,
                 &blocklisted, &signup_source);
  pd_persona_set_id (persona, id);
  while (g_variant_iter_next (values, "(y&s)", &field, &text))
    pd_persona_set_value (persona, field, text);
  for (int f = 0; sources[f] != '\0' && f < PD_FIELD_N_BUILTIN; f++)
    pd_persona_set_value_source (persona, f, sources[f] - '0');
  while (g_variant_iter_next (emails, "&s", &text))
    pd_persona_add_email (persona, text);
  while (g_variant_iter_next (phones, "&s", &text))
    pd_persona_add_phone (persona, text);
  while (g_variant_iter_next (tags, "&s", &text))
    pd_persona_add_tag (persona, text);
  while (g_variant_iter_next (attributes, "{&s&s}", &name, &text))
    pd_persona_set_attribute (persona, name, text);
  pd_persona_set_points (persona, points);
  pd_persona_set_loyalty (persona, loyalty);
  pd_persona_set_email_opt_in (persona, email_opt_in);
  pd_persona_set_sms_consent (persona, consent);
  pd_persona_set_sms_opt_out (persona, sms_opt_out);
  pd_persona_set_archived (persona, archived);
  pd_persona_set_blocklisted (persona, blocklisted);
  pd_persona_set_signup_source (persona, signup_source);
  g_free (signup_source);
  return persona;
}

/* Undo records written since this format are packed by hand: a GVariant
 * built per updated row cost as much as writing the row.  The first byte
 * tells them apart from the older GVariant records, which start with the
 * sources string (digits).  Then: sources, the text fields as (field byte,
 * string) pairs, emails, phones, tags, attributes as name/value pairs —
 * each list after its count — points, six flags, and the signup source.
 * Integers are little-endian, strings NUL-terminated. */
#define SNAPSHOT_PACKED 0x01

static void
pack_u32 (GByteArray *buf,
          guint32     value)
{
  value = GUINT32_TO_LE (value);
  g_byte_array_append (buf, (const guint8 *) &value, 4);
}

static void
pack_str (GByteArray *buf,
          const char *text)
{
  g_byte_array_append (buf, (const guint8 *) text, strlen (text) + 1);
}

static void
pack_strings (GByteArray *buf,
              GPtrArray  *values)
{
  pack_u32 (buf, values->len);
  for (guint i = 0; i < values->len; i++)
    pack_str (buf, g_ptr_array_index (values, i));
}

/* The undo record of @persona. */
GByteArray *
_pd_sqlite_snapshot_pack (PdPersona *persona)
{
  GByteArray *buf = g_byte_array_sized_new (256);
  char sources[PD_FIELD_N_BUILTIN + 1];
  guint8 flags[7];
  guint count_at, n = 0;
  guint64 points;
  GHashTableIter iter;
  gpointer key, value;

  g_byte_array_append (buf, (const guint8 *) "\x01", 1);
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    sources[f] = '0' + pd_persona_get_value_source (persona, f);
  sources[PD_FIELD_N_BUILTIN] = '\0';
  pack_str (buf, sources);
  count_at = buf->len;
  pack_u32 (buf, 0);
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (_pd_sqlite_column_for_field (f) != NULL && pd_persona_get_value (persona, f) != NULL)
      {
        guint8 field = f;

        g_byte_array_append (buf, &field, 1);
        pack_str (buf, pd_persona_get_value (persona, f));
        n++;
      }
  n = GUINT32_TO_LE (n);
  memcpy (buf->data + count_at, &n, 4);
  pack_strings (buf, pd_persona_get_emails (persona));
  pack_strings (buf, pd_persona_get_phones (persona));
  pack_strings (buf, pd_persona_get_tags (persona));
  pack_u32 (buf, g_hash_table_size (pd_persona_get_attributes (persona)));
  g_hash_table_iter_init (&iter, pd_persona_get_attributes (persona));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      pack_str (buf, key);
      pack_str (buf, value);
    }
  points = GUINT64_TO_LE ((guint64) pd_persona_get_points (persona));
  g_byte_array_append (buf, (const guint8 *) &points, 8);
  flags[0] = pd_persona_get_loyalty (persona);
  flags[1] = pd_persona_get_email_opt_in (persona);
  flags[2] = pd_persona_get_sms_consent (persona);
  flags[3] = pd_persona_get_sms_opt_out (persona);
  flags[4] = pd_persona_get_archived (persona);
  flags[5] = pd_persona_get_blocklisted (persona);
  flags[6] = pd_persona_get_signup_source (persona) != NULL;
  g_byte_array_append (buf, flags, sizeof flags);
  if (flags[6])
    pack_str (buf, pd_persona_get_signup_source (persona));
  /* since schema 8, at the end so that older records still read: the
   * pinned fields as (field byte, value) pairs after their count */
  count_at = buf->len;
  pack_u32 (buf, 0);
  n = 0;
  for (int f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (pd_persona_get_override (persona, f) != NULL)
      {
        guint8 field = f;

        g_byte_array_append (buf, &field, 1);
        pack_str (buf, pd_persona_get_override (persona, f));
        n++;
      }
  n = GUINT32_TO_LE (n);
  memcpy (buf->data + count_at, &n, 4);
  return buf;
}

typedef struct {
  const guint8 *p;
  const guint8 *end;
  gboolean      bad;
} Unpacker;

static guint32
unpack_u32 (Unpacker *u)
{
  guint32 value;

  if (u->bad || u->end - u->p < 4)
    return u->bad = TRUE, 0;
  memcpy (&value, u->p, 4);
  u->p += 4;
  return GUINT32_FROM_LE (value);
}

static const char *
unpack_str (Unpacker *u)
{
  const guint8 *nul;
  const char *text;

  if (u->bad || (nul = memchr (u->p, '\0', u->end - u->p)) == NULL)
    return u->bad = TRUE, NULL;
  text = (const char *) u->p;
  u->p = nul + 1;
  return text;
}

/* NULL when the record is damaged. */
static PdPersona *
persona_from_packed (gint64        id,
                     const guint8 *data,
                     gsize         size)
{
  g_autoptr(PdPersona) persona = pd_persona_new ();
  Unpacker u = { data + 1, data + size, size < 1 || data[0] != SNAPSHOT_PACKED };
  const char *sources, *text, *name;
  guint32 n;
  guint64 points;

  pd_persona_set_id (persona, id);
  sources = unpack_str (&u);
  n = unpack_u32 (&u);
  for (guint i = 0; i < n && !u.bad; i++)
    {
      guint8 field = u.p < u.end ? *u.p++ : (u.bad = TRUE, 0);

      text = unpack_str (&u);
      if (!u.bad && field < PD_FIELD_N_BUILTIN)
        pd_persona_set_value (persona, field, text);
    }
  for (int f = 0; !u.bad && sources[f] != '\0' && f < PD_FIELD_N_BUILTIN; f++)
    pd_persona_set_value_source (persona, f, sources[f] - '0');
  n = unpack_u32 (&u);
  for (guint i = 0; i < n && (text = unpack_str (&u)) != NULL; i++)
    pd_persona_add_email (persona, text);
  n = unpack_u32 (&u);
  for (guint i = 0; i < n && (text = unpack_str (&u)) != NULL; i++)
    pd_persona_add_phone (persona, text);
  n = unpack_u32 (&u);
  for (guint i = 0; i < n && (text = unpack_str (&u)) != NULL; i++)
    pd_persona_add_tag (persona, text);
  n = unpack_u32 (&u);
  for (guint i = 0; i < n && (name = unpack_str (&u)) != NULL && (text = unpack_str (&u)) != NULL; i++)
    pd_persona_set_attribute (persona, name, text);
  if (u.bad || u.end - u.p < 8 + 7)
    return NULL;
  memcpy (&points, u.p, 8);
  u.p += 8;
  pd_persona_set_points (persona, (gint64) GUINT64_FROM_LE (points));
  pd_persona_set_loyalty (persona, u.p[0]);
  pd_persona_set_email_opt_in (persona, u.p[1]);
  pd_persona_set_sms_consent (persona, u.p[2]);
  pd_persona_set_sms_opt_out (persona, u.p[3]);
  pd_persona_set_archived (persona, u.p[4]);
  pd_persona_set_blocklisted (persona, u.p[5]);
  if (u.p[6])
    {
      u.p += 7;
      text = unpack_str (&u);
      if (u.bad)
        return NULL;
      pd_persona_set_signup_source (persona, text);
    }
  else
    u.p += 7;
  if (u.p < u.end)
    {
      n = unpack_u32 (&u);
      for (guint i = 0; i < n && !u.bad; i++)
        {
          guint8 field = u.p < u.end ? *u.p++ : (u.bad = TRUE, 0);

          text = unpack_str (&u);
          if (!u.bad && field < PD_FIELD_N_BUILTIN)
            pd_persona_set_override (persona, field, text);
        }
      if (u.bad)
        return NULL;
    }
  return g_steal_pointer (&persona);
}

/* The persona an undo record holds, in either format; NULL when the
 * record is damaged. */
PdPersona *
_pd_sqlite_snapshot_unpack (gint64        id,
                            const guint8 *data,
                            gsize         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) snapshot = NULL;

  if (size > 0 && data[0] == SNAPSHOT_PACKED)
    return persona_from_packed (id, data, size);

  /* written before the packed format */
  bytes = g_bytes_new (data, size);
  snapshot = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (SNAPSHOT_TYPE), bytes, FALSE));
  if (!g_variant_is_normal_form (snapshot))
    return NULL;
  return persona_from_snapshot (id, snapshot);
}

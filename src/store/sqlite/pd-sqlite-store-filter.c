/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdSqliteStore: what a search matches, as SQL (the arms of index ranges, the same test on one
 * row) and the parameters bound to it.  The listing itself: pd-sqlite-store-search.c. */
#include "config.h"

#include <string.h>

#include "pd-sqlite-store-filter.h"


static char *
upper_bound (const char *prefix)
{
  /* Every UTF-8 string starting with @prefix sorts (memcmp) below this. */
  return g_strconcat (prefix, "\xf4\x90\x80\x80", NULL);
}

static const char *
add_text (PdFilter   *filter,
          char       *text)
{
  char name[16];

  g_ptr_array_add (filter->texts, text);
  g_snprintf (name, sizeof name, ":t%u", filter->texts->len);
  return g_intern_string (name);
}

/* One arm of a search: @arm selects the ids ("mid") of an index range,
 * @test says the same of one personas row (for a scan in id order). */
static void
add_prefix (PdFilter   *filter,
            const char *arm,
            const char *test,
            const char *prefix)
{
  const char *lo = add_text (filter, g_strdup (prefix));
  const char *hi = add_text (filter, upper_bound (prefix));

  if (filter->match->len > 0)
    {
      g_string_append (filter->match, " UNION ");
      g_string_append (filter->match_all, " UNION ALL ");
      g_string_append (filter->test, " OR ");
    }
  g_string_append_printf (filter->match, arm, lo, hi);
  g_string_append_printf (filter->match_all, arm, lo, hi);
  g_string_append_printf (filter->test, test, lo, hi);
}

static gboolean
looks_like_phone (const char *s,
                  guint      *n_digits)
{
  guint n = 0;

  for (const char *p = s; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        n++;
      else if (!strchr (" ()+-./", *p))
        return FALSE;
    }
  *n_digits = n;
  return n >= 3;
}

void
_pd_filter_build (PdSqliteStore        *self,
                  const PdPersonaQuery *query,
                  PdFilter             *filter)
{
  g_autofree char *search = NULL;
  guint n_digits;

  filter->where = g_string_new ("state = :state");
  filter->texts = g_ptr_array_new_with_free_func (g_free);
  if (query->import_id != 0)
    g_string_append (filter->where,
                     " AND id IN (SELECT persona_id FROM import_changes WHERE import_id = :import)");
  if (query->search == NULL)
    return;
  search = g_strstrip (g_strdup (query->search));
  if (*search == '\0')
    return;

  /* A search is a UNION of index range scans giving ids, which then
   * drives the query (see FROM_MATCH): an OR in the WHERE clause would let
   * SQLite walk the sort index and test a million rows instead. */
  filter->match = g_string_new (NULL);
  filter->match_all = g_string_new (NULL);
  filter->test = g_string_new (NULL);
  if (g_ascii_strncasecmp (search, "merge:", 6) == 0)
    {
      filter->merged = _pd_sqlite_store_resolve_merge (self, search + 6);
      g_string_append (filter->match, "SELECT :merged AS mid");
      g_string_append (filter->match_all, "SELECT :merged AS mid");
      g_string_append (filter->test, "personas.id = :merged");
    }
  else if (strchr (search, '@') != NULL)
    {
      g_autofree char *email = g_utf8_strdown (search, -1);

      add_prefix (filter, "SELECT persona_id AS mid FROM emails WHERE email >= %s AND email < %s",
                  "EXISTS (SELECT 1 FROM emails WHERE emails.persona_id = personas.id AND email >= %s AND email < %s)", email);
    }
  else if (looks_like_phone (search, &n_digits))
    {
      GString *digits = g_string_new (NULL);
      g_autofree char *d = NULL;
      g_autofree char *plus = NULL;

      for (const char *p = search; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      d = g_string_free (digits, FALSE);
      plus = g_strconcat ("+", d, NULL);
      add_prefix (filter, "SELECT persona_id AS mid FROM phones WHERE phone >= %s AND phone < %s",
                  "EXISTS (SELECT 1 FROM phones WHERE phones.persona_id = personas.id AND phone >= %s AND phone < %s)",
                  plus);
      add_prefix (filter, "SELECT persona_id FROM phones WHERE national >= %s AND national < %s",
                  "EXISTS (SELECT 1 FROM phones WHERE phones.persona_id = personas.id AND national >= %s AND national < %s)",
                  d);
      /* "020 7183…" as written in the UK: the trunk 0 is not part of the number */
      if (d[0] == '0' && d[1] != '\0')
        add_prefix (filter, "SELECT persona_id FROM phones WHERE national >= %s AND national < %s",
                    "EXISTS (SELECT 1 FROM phones WHERE phones.persona_id = personas.id AND national >= %s AND national < %s)",
                    d + 1);
      /* "1015": the last digits of a phone, as a receipt or a caller ID
       * shows them (a prefix of the reversed national digits, schema 7);
       * up to 7 digits, past that it is a number typed from its start. */
      if (strlen (d) <= 7)
        {
          g_autofree char *reversed = _pd_sqlite_reverse_digits (d);

          add_prefix (filter, "SELECT persona_id FROM phones WHERE national_rev >= %s AND national_rev < %s",
                      "EXISTS (SELECT 1 FROM phones WHERE phones.persona_id = personas.id "
                      "AND national_rev >= %s AND national_rev < %s)",
                      reversed);
        }
      add_prefix (filter, "SELECT id FROM personas WHERE external_id >= %s AND external_id < %s",
                  "(+external_id >= %s AND +external_id < %s)", search);
      /* an order or receipt number (schema 16), as printed on the receipt */
      add_prefix (filter, "SELECT persona_id FROM orders WHERE number >= %s AND number < %s",
                  "EXISTS (SELECT 1 FROM orders WHERE orders.persona_id = personas.id "
                  "AND number >= %s AND number < %s)", search);
    }
  else
    {
      g_autofree char *key = _pd_sqlite_search_key (search);
      g_autofree char *email = g_utf8_strdown (search, -1);

      /* The tests use +column: no index for them, so that SQLite walks
       * the listing's own order and stops at the page's end. */
      add_prefix (filter, "SELECT id AS mid FROM personas WHERE state = :state AND name_key >= %s AND name_key < %s",
                  "(+name_key >= %s AND +name_key < %s)", key);
      add_prefix (filter, "SELECT id FROM personas WHERE state = :state AND last_key >= %s AND last_key < %s",
                  "(+last_key >= %s AND +last_key < %s)", key);
      add_prefix (filter, "SELECT persona_id AS mid FROM emails WHERE email >= %s AND email < %s",
                  "EXISTS (SELECT 1 FROM emails WHERE emails.persona_id = personas.id AND email >= %s AND email < %s)", email);
      add_prefix (filter, "SELECT id FROM personas WHERE external_id >= %s AND external_id < %s",
                  "(+external_id >= %s AND +external_id < %s)", search);
      /* an order or receipt number (schema 16), as printed on the receipt */
      add_prefix (filter, "SELECT persona_id FROM orders WHERE number >= %s AND number < %s",
                  "EXISTS (SELECT 1 FROM orders WHERE orders.persona_id = personas.id "
                  "AND number >= %s AND number < %s)", search);
    }
}

/* FROM clause of a listing: the matched ids first (CROSS JOIN keeps that
 * order of the loops), or the personas table alone. */
char *
_pd_filter_from_clause (PdFilter *filter)
{
  if (filter->match == NULL || filter->match->len == 0)
    return g_strdup ("personas");
  return g_strdup_printf ("(%s) AS m CROSS JOIN personas ON personas.id = m.mid", filter->match->str);
}

void
_pd_filter_bind (sqlite3_stmt         *stmt,
                 const PdPersonaQuery *query,
                 PdFilter             *filter)
{
  int i;

  i = sqlite3_bind_parameter_index (stmt, ":state");
  if (i > 0)
    sqlite3_bind_int (stmt, i, query->view == PD_PERSONA_VIEW_ARCHIVED ? 1 : 0);
  i = sqlite3_bind_parameter_index (stmt, ":import");
  if (i > 0)
    sqlite3_bind_int64 (stmt, i, query->import_id);
  i = sqlite3_bind_parameter_index (stmt, ":merged");
  if (i > 0)
    sqlite3_bind_int64 (stmt, i, filter->merged);
  for (guint t = 0; t < filter->texts->len; t++)
    {
      g_autofree char *name = g_strdup_printf (":t%u", t + 1);

      i = sqlite3_bind_parameter_index (stmt, name);
      if (i > 0)
        sqlite3_bind_text (stmt, i, g_ptr_array_index (filter->texts, t), -1, SQLITE_STATIC);
    }
}

void
_pd_filter_clear (PdFilter *filter)
{
  g_string_free (filter->where, TRUE);
  if (filter->match != NULL)
    g_string_free (filter->match, TRUE);
  if (filter->match_all != NULL)
    g_string_free (filter->match_all, TRUE);
  if (filter->test != NULL)
    g_string_free (filter->test, TRUE);
  g_ptr_array_unref (filter->texts);
}


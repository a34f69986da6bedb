/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdJsonIndex: see pd-json-index.h.  The scanner follows RFC 8259; the
 * whole text is checked to be UTF-8 once, before anything else, so that
 * strings are copied without checking each. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-error.h"
#include "pd-json-index.h"

typedef struct {
  gsize start;
  gsize end;
} Span;

typedef struct {
  char *name;
  Span  span;
} Member;

struct _PdJsonIndex
{
  gatomicrefcount  ref_count;
  GBytes          *text;
  const char      *data;
  gsize            length;
  gboolean         root_is_object;
  GArray          *customers;   /* Span */
  GPtrArray       *keys;        /* char* */
  GHashTable      *columns;     /* key → column + 1 (keys owned by @keys) */
  GArray          *members;     /* Member */
  GPtrArray       *member_names;
};

typedef struct {
  const char  *start;
  const char  *p;
  const char  *end;
  const char  *name;
  GError     **error;
} Scan;

static gboolean
fail (Scan       *s,
      const char *at,
      const char *what)
{
  guint line = 1, column = 1;

  if (s->error == NULL || *s->error != NULL)
    return FALSE;
  for (const char *q = s->start; q < at && q < s->end; q++)
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else if (((guchar) *q & 0xc0) != 0x80)
        column++;
    }
  g_set_error (s->error, PD_ERROR, PD_ERROR_CORRUPT, _("%s is not valid JSON: line %u, column %u: %s"),
               s->name, line, column, what);
  return FALSE;
}

static inline void
skip_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* At a '"': the string, decoded into @out when not NULL. */
static gboolean
scan_string (Scan    *s,
             GString *out)
{
  s->p++;
  for (;;)
    {
      const char *run = s->p;

      while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (guchar) *s->p >= 0x20)
        s->p++;
      if (out != NULL && s->p > run)
        g_string_append_len (out, run, s->p - run);
      if (s->p >= s->end)
        return fail (s, run, _("a text is not closed with \""));
      if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }
      if ((guchar) *s->p < 0x20)
        return fail (s, s->p, _("a control character inside a text"));
      /* a backslash */
      if (s->end - s->p < 2)
        return fail (s, s->p, _("a text is not closed with \""));
      switch (s->p[1])
        {
        case '"': case '\\': case '/':
          if (out != NULL)
            g_string_append_c (out, s->p[1]);
          s->p += 2;
          break;
        case 'b': if (out) g_string_append_c (out, '\b'); s->p += 2; break;
        case 'f': if (out) g_string_append_c (out, '\f'); s->p += 2; break;
        case 'n': if (out) g_string_append_c (out, '\n'); s->p += 2; break;
        case 'r': if (out) g_string_append_c (out, '\r'); s->p += 2; break;
        case 't': if (out) g_string_append_c (out, '\t'); s->p += 2; break;
        case 'u':
          {
            int unit = s->end - s->p >= 6 ? hex4 (s->p + 2) : -1;
            gunichar c;

            if (unit < 0)
              return fail (s, s->p, _("\\u is not followed by four hexadecimal digits"));
            s->p += 6;
            c = unit;
            if (unit >= 0xd800 && unit <= 0xdbff && s->end - s->p >= 6 &&
                s->p[0] == '\\' && s->p[1] == 'u')
              {
                int low = hex4 (s->p + 2);

                if (low >= 0xdc00 && low <= 0xdfff)
                  {
                    c = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                    s->p += 6;
                  }
              }
            /* a lone surrogate or NUL can't be text */
            if ((c >= 0xd800 && c <= 0xdfff) || c == 0)
              c = 0xfffd;
            if (out != NULL)
              g_string_append_unichar (out, c);
            break;
          }
        default:
          return fail (s, s->p, _("an unknown escape after \\"));
        }
    }
}

static gboolean
scan_digits (Scan *s)
{
  const char *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > first;
}

static gboolean
scan_number (Scan *s)
{
  const char *at = s->p;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return fail (s, at, _("a number is not written as JSON writes one"));
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return fail (s, at, _("a number is not written as JSON writes one"));
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return fail (s, at, _("a number is not written as JSON writes one"));
    }
  return TRUE;
}

static gboolean
scan_literal (Scan       *s,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, s->p, _("an unexpected character"));
  s->p += n;
  return TRUE;
}

static gboolean skip_value (Scan *s, guint depth);

static gboolean
enter (Scan  *s,
       guint  depth)
{
  if (depth > PD_JSON_MAX_DEPTH)
    {
      g_set_error (s->error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s: the JSON is nested more than %u levels deep, which no customer list needs"),
                   s->name, (guint) PD_JSON_MAX_DEPTH);
      return FALSE;
    }
  s->p++;
  skip_ws (s);
  return TRUE;
}

/* After a value inside { } or [ ]: TRUE with *@more when a "," follows. */
static gboolean
next_or_close (Scan     *s,
               char      close,
               gboolean *more)
{
  skip_ws (s);
  if (s->p < s->end && *s->p == ',')
    {
      s->p++;
      skip_ws (s);
      *more = TRUE;
      return TRUE;
    }
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      *more = FALSE;
      return TRUE;
    }
  return fail (s, s->p, close == '}' ? _("expected , or }") : _("expected , or ]"));
}

/* At "key": the key (decoded into @key when not NULL) and the ":" after it. */
static gboolean
scan_key (Scan    *s,
          GString *key)
{
  if (s->p >= s->end || *s->p != '"')
    return fail (s, s->p, _("expected a name in \"\""));
  if (key != NULL)
    g_string_truncate (key, 0);
  if (!scan_string (s, key))
    return FALSE;
  skip_ws (s);
  if (s->p >= s->end || *s->p != ':')
    return fail (s, s->p, _("expected :"));
  s->p++;
  skip_ws (s);
  return TRUE;
}

static gboolean
skip_value (Scan  *s,
            guint  depth)
{
  gboolean more = TRUE;

  skip_ws (s);
  if (s->p >= s->end)
    return fail (s, s->p, _("the text ends where a value was expected"));
  switch (*s->p)
    {
    case '{':
      if (!enter (s, depth + 1))
        return FALSE;
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      while (more)
        if (!scan_key (s, NULL) || !skip_value (s, depth + 1) || !next_or_close (s, '}', &more))
          return FALSE;
      return TRUE;
    case '[':
      if (!enter (s, depth + 1))
        return FALSE;
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      while (more)
        if (!skip_value (s, depth + 1) || !next_or_close (s, ']', &more))
          return FALSE;
      return TRUE;
    case '"':
      return scan_string (s, NULL);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return fail (s, s->p, _("an unexpected character"));
    }
}

static gboolean
add_key (PdJsonIndex  *self,
         Scan         *s,
         const char   *key)
{
  char *copy;

  if (g_hash_table_contains (self->columns, key))
    return TRUE;
  if (self->keys->len >= PD_JSON_MAX_KEYS)
    {
      g_set_error (s->error, PD_ERROR, PD_ERROR_TOO_LARGE,
                   _("%s: the customers have more than %u different fields"), s->name,
                   (guint) PD_JSON_MAX_KEYS);
      return FALSE;
    }
  copy = g_strdup (key);
  g_ptr_array_add (self->keys, copy);
  g_hash_table_insert (self->columns, copy, GUINT_TO_POINTER (self->keys->len));
  return TRUE;
}

/* At the customers' '[': each customer's span, and the keys of those
 * that are objects. */
static gboolean
scan_customers (PdJsonIndex *self,
                Scan        *s,
                guint        depth)
{
  g_autoptr(GString) key = g_string_new (NULL);
  gboolean more = TRUE;

  if (!enter (s, depth + 1))
    return FALSE;
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  while (more)
    {
      Span span = { s->p - s->start, 0 };

      if (s->p < s->end && *s->p == '{')
        {
          gboolean members = TRUE;

          if (!enter (s, depth + 2))
            return FALSE;
          if (s->p < s->end && *s->p == '}')
            {
              s->p++;
              members = FALSE;
            }
          while (members)
            if (!scan_key (s, key) || !add_key (self, s, key->str) ||
                !skip_value (s, depth + 2) || !next_or_close (s, '}', &members))
              return FALSE;
        }
      else if (!skip_value (s, depth + 1))
        return FALSE;
      span.end = s->p - s->start;
      g_array_append_val (self->customers, span);
      if (!next_or_close (s, ']', &more))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_root (PdJsonIndex *self,
           Scan        *s)
{
  g_autoptr(GString) key = g_string_new (NULL);
  gboolean found = FALSE, more = TRUE;

  skip_ws (s);
  if (s->p < s->end && *s->p == '[')
    found = scan_customers (self, s, 0);
  else if (s->p < s->end && *s->p == '{')
    {
      self->root_is_object = TRUE;
      if (!enter (s, 1))
        return FALSE;
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          more = FALSE;
        }
      while (more)
        {
          Member member;

          if (!scan_key (s, key))
            return FALSE;
          member.name = g_strdup (key->str);
          member.span.start = s->p - s->start;
          g_ptr_array_add (self->member_names, member.name);
          if (g_str_equal (key->str, "customers") && !found && s->p < s->end && *s->p == '[')
            {
              if (!scan_customers (self, s, 1))
                return FALSE;
              found = TRUE;
            }
          else if (!skip_value (s, 1))
            return FALSE;
          member.span.end = s->p - s->start;
          g_array_append_val (self->members, member);
          if (!next_or_close (s, '}', &more))
            return FALSE;
        }
    }
  else if (s->p >= s->end)
    {
      g_set_error (s->error, PD_ERROR, PD_ERROR_EMPTY, _("%s is empty"), s->name);
      return FALSE;
    }
  else
    return fail (s, s->p, _("a customer list starts with [ or {"));
  if (s->error != NULL && *s->error != NULL)
    return FALSE;
  skip_ws (s);
  if (s->p < s->end)
    return fail (s, s->p, _("text after the end of the JSON"));
  if (!found)
    {
      g_set_error (s->error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT,
                   _("%s holds no customers: a customer list in JSON is an array of objects, "
                     "or an object whose “customers” member is one"), s->name);
      return FALSE;
    }
  return TRUE;
}

PdJsonIndex *
pd_json_index_new (GBytes      *text,
                   const char  *display_name,
                   GError     **error)
{
  g_autoptr(PdJsonIndex) self = g_new0 (PdJsonIndex, 1);
  const char *invalid = NULL;
  Scan scan;

  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_bytes_ref (text);
  self->data = g_bytes_get_data (text, &self->length);
  if (self->data == NULL)
    self->data = "";
  self->customers = g_array_new (FALSE, FALSE, sizeof (Span));
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->columns = g_hash_table_new (g_str_hash, g_str_equal);
  self->members = g_array_new (FALSE, FALSE, sizeof (Member));
  self->member_names = g_ptr_array_new_with_free_func (g_free);

  scan = (Scan) { self->data, self->data, self->data + self->length, display_name, error };
  /* A byte-order mark is not JSON, but editors write one. */
  if (self->length >= 3 && memcmp (self->data, "\xef\xbb\xbf", 3) == 0)
    scan.p += 3;
  if (!g_utf8_validate_len (self->data, self->length, &invalid))
    {
      fail (&scan, invalid, _("not UTF-8 text (or a NUL byte)"));
      return NULL;
    }
  if (!scan_root (self, &scan))
    return NULL;
  return g_steal_pointer (&self);
}

PdJsonIndex *
pd_json_index_ref (PdJsonIndex *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pd_json_index_unref (PdJsonIndex *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_bytes_unref (self->text);
  g_array_unref (self->customers);
  g_hash_table_unref (self->columns);
  g_ptr_array_unref (self->keys);
  g_array_unref (self->members);
  g_ptr_array_unref (self->member_names);
  g_free (self);
}

guint
pd_json_index_get_n_customers (PdJsonIndex *self)
{
  return self->customers->len;
}

GPtrArray *
pd_json_index_get_keys (PdJsonIndex *self)
{
  return self->keys;
}

const char *
pd_json_index_get_customer (PdJsonIndex *self,
                            guint        index,
                            gsize       *length)
{
  const Span *span = &g_array_index (self->customers, Span, index);

  *length = span->end - span->start;
  return self->data + span->start;
}

const char *
pd_json_index_get_member (PdJsonIndex *self,
                          const char  *name,
                          gsize       *length)
{
  for (guint i = 0; i < self->members->len; i++)
    {
      const Member *member = &g_array_index (self->members, Member, i);

      if (g_str_equal (member->name, name))
        {
          *length = member->span.end - member->span.start;
          return self->data + member->span.start;
        }
    }
  return NULL;
}

GPtrArray *
pd_json_index_get_member_names (PdJsonIndex *self)
{
  return self->member_names;
}

gboolean
pd_json_index_root_is_object (PdJsonIndex *self)
{
  return self->root_is_object;
}

/* One scalar at s->p onto @out; FALSE (nothing consumed) for { or [. */
static gboolean
read_scalar (Scan    *s,
             GString *out)
{
  const char *at = s->p;

  switch (*s->p)
    {
    case '"':
      scan_string (s, out);
      return TRUE;
    case 't':
      s->p += 4;
      g_string_append (out, "true");
      return TRUE;
    case 'f':
      s->p += 5;
      g_string_append (out, "false");
      return TRUE;
    case 'n':
      s->p += 4;
      return TRUE;
    case '{':
    case '[':
      return FALSE;
    default:
      scan_number (s);
      g_string_append_len (out, at, s->p - at);
      return TRUE;
    }
}

void
pd_json_index_read_customer (PdJsonIndex   *self,
                             guint          index,
                             const char    *separators,
                             char        ***cells_out,
                             char         **row_error)
{
  const Span *span = &g_array_index (self->customers, Span, index);
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);
  char **cells = g_new0 (char *, self->keys->len + 1);
  gboolean more = TRUE, blank = TRUE;
  /* the text was checked when indexed: no error can come here */
  Scan s = { self->data, self->data + span->start, self->data + span->end, "", NULL };

  if (*s.p != '{')
    g_string_append_printf (errors, _("Customer %u is not an object with the customer’s fields"),
                            index + 1);
  else
    {
      s.p++;
      skip_ws (&s);
      if (s.p < s.end && *s.p == '}')
        more = FALSE;
      while (more && s.p < s.end)
        {
          guint column;
          GString *cell;

          scan_key (&s, key);
          column = GPOINTER_TO_UINT (g_hash_table_lookup (self->columns, key->str));
          cell = g_string_new (NULL);
          if (*s.p == '[')
            {
              gboolean items = TRUE;

              s.p++;
              skip_ws (&s);
              if (*s.p == ']')
                {
                  s.p++;
                  items = FALSE;
                }
              while (items)
                {
                  gsize before = cell->len;
                  gboolean separated = cell->len > 0;

                  if (separated)
                    g_string_append_c (cell, separators[column - 1]);
                  if (!read_scalar (&s, cell))
                    {
                      if (errors->len > 0)
                        g_string_append (errors, "; ");
                      g_string_append_printf (errors, _("“%s” holds a list of lists or objects; it can "
                                                        "hold text, numbers, true/false, or a list of them"),
                                              key->str);
                      skip_value (&s, 0);
                    }
                  else if (separated && cell->len == before + 1)
                    g_string_truncate (cell, before);   /* a null in the list */
                  next_or_close (&s, ']', &items);
                }
            }
          else if (!read_scalar (&s, cell))
            {
              if (errors->len > 0)
                g_string_append (errors, "; ");
              g_string_append_printf (errors, _("“%s” holds an object; it can hold text, numbers, "
                                                "true/false, or a list of them"), key->str);
              skip_value (&s, 0);
            }
          if (cell->len > 0)
            blank = FALSE;
          g_free (cells[column - 1]);
          cells[column - 1] = g_string_free (cell, FALSE);
          next_or_close (&s, '}', &more);
        }
      if (blank && errors->len == 0)
        g_string_append_printf (errors, _("Customer %u has no values"), index + 1);
    }
  for (guint i = 0; i < self->keys->len; i++)
    if (cells[i] == NULL)
      cells[i] = g_strdup ("");
  *cells_out = cells;
  *row_error = errors->len > 0 ? g_string_free (g_steal_pointer (&errors), FALSE) : NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdNormalizer: a PdRow in, a PdRecord with normalized, validated values
 * out.  Immutable once set up, so that a pool of threads can share one. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-email.h"
#include "pd-error.h"
#include "pd-normalizer.h"
#include "pd-phone.h"

#include "pd-normalizer-private.h"

G_DEFINE_FINAL_TYPE (PdNormalizer, pd_normalizer, G_TYPE_OBJECT)

static void
plan_clear (gpointer data)
{
  Plan *plan = data;

  g_free (plan->name);
  g_free (plan->attribute);
  g_free (plan->region);
  g_free (plan->delimiter);
  g_free (plan->choices_text);
  g_clear_pointer (&plan->detector, pd_date_detector_free);
  g_free (plan->ambiguous_example);
  g_clear_pointer (&plan->ambiguous_samples, g_ptr_array_unref);
}

static inline gboolean
is_blank_byte (const char *p)
{
  return *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f' || *p == '\v';
}

/* ASCII blanks and the no-break space spreadsheets love. */
static void
trim (const char  *text,
      gsize        len,
      const char **start,
      gsize       *out_len)
{
  const char *s = text, *e = text + len;

  for (;;)
    {
      if (s < e && is_blank_byte (s))
        s++;
      else if (e - s >= 2 && (guchar) s[0] == 0xc2 && (guchar) s[1] == 0xa0)
        s += 2;
      else
        break;
    }
  for (;;)
    {
      if (e > s && is_blank_byte (e - 1))
        e--;
      else if (e - s >= 2 && (guchar) e[-2] == 0xc2 && (guchar) e[-1] == 0xa0)
        e -= 2;
      else
        break;
    }
  *start = s;
  *out_len = e - s;
}

/* The value as a message quotes it: bounded, so a pasted novel does not
 * become a megabyte of report. */
char *
_pd_normalizer_quote_value (const char *value,
             gssize      len)
{
  const char *end;
  glong chars;

  if (len < 0)
    len = strlen (value);
  if (!g_utf8_validate (value, len, &end))
    len = end - value;
  chars = g_utf8_strlen (value, len);
  if (chars <= MAX_QUOTED_CHARS)
    return g_strndup (value, len);

  end = g_utf8_offset_to_pointer (value, MAX_QUOTED_CHARS - 1);
  return g_strdup_printf ("%.*s…", (int) (end - value), value);
}

/* quote_value() in the record's memory: the quoted value is only ever
 * part of a message. */
static const char *
quote_value_in (PdRecord   *record,
                const char *value,
                gssize      len)
{
  const char *end;
  char *quoted;
  gsize n;

  if (len < 0)
    len = strlen (value);
  if (!g_utf8_validate (value, len, &end))
    len = end - value;
  if (g_utf8_strlen (value, len) <= MAX_QUOTED_CHARS)
    return pd_record_strndup (record, value, len);

  end = g_utf8_offset_to_pointer (value, MAX_QUOTED_CHARS - 1);
  n = end - value;
  quoted = pd_record_alloc (record, n + sizeof "…");
  memcpy (quoted, value, n);
  memcpy (quoted + n, "…", sizeof "…");
  return quoted;
}

static void
add_cell_error (PdRecord   *record,
                const Plan *plan,
                const char *value,
                gssize      len,
                const char *reason)
{
  const char *quoted = quote_value_in (record, value, len);
  gboolean named = *quoted == '\0' || strstr (reason, quoted) != NULL;

  /* A value that can't be read is left out and the customer kept (the
   * row fails later only when nothing identifies the customer), unless
   * the user asked for the old, strict behaviour. */
  if (plan->strict)
    {
      /* Reasons from the value parsers may or may not quote the value. */
      if (named)
        pd_record_add_errorf (record, plan->msg_cell, record->row, plan->name, reason);
      else
        pd_record_add_errorf (record, plan->msg_cell_quoted, record->row, plan->name, reason, quoted);
    }
  else if (named)
    pd_record_add_warningf (record, plan->msg_left_out, record->row, plan->name, reason);
  else
    pd_record_add_warningf (record, plan->msg_left_out_quoted, record->row, plan->name, reason, quoted);
}

static void
add_unique (PdRecord   *record,
            GPtrArray  *array,
            const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp (g_ptr_array_index (array, i), value) == 0)
      return;
  g_ptr_array_add (array, pd_record_strndup (record, value, -1));
}

static guint
count_digits (const char *s,
              gsize       len)
{
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    n += g_ascii_isdigit (s[i]);
  return n;
}

static gboolean
has_at (const char *s,
        gsize       len)
{
  return memchr (s, '@', len) != NULL;
}

/* Whether a ","-separated piece list really is a list: emails all have an
 * "@" (so "bob@example,com" stays one, wrong, address), phones all have at
 * least 7 digits (so a comma used as a dialling pause or a thousands
 * separator in "1,234" does not split a number). */
static gboolean
comma_splits (PdFieldType  type,
              const char  *s,
              gsize        len)
{
  const char *piece = s, *end = s + len;

  while (piece <= end)
    {
      const char *comma = memchr (piece, ',', end - piece);
      gsize n = (comma ? comma : end) - piece;

      if (type == PD_FIELD_TYPE_EMAIL ? !has_at (piece, n) : count_digits (piece, n) < 7)
        return FALSE;
      if (comma == NULL)
        break;
      piece = comma + 1;
    }
  return TRUE;
}

/* @cell: the whole cell when it holds this one value: it is already
 * NUL-terminated, so the common case copies nothing. */
static void
normalize_contact (PdRecord   *record,
                   const Plan *plan,
                   const char *cell,
                   const char *value,
                   gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  const char *text = cell;

  if (text == NULL)
    text = pd_record_strndup (record, value, len);

  gboolean not_in_data = FALSE;

  if (plan->type == PD_FIELD_TYPE_EMAIL)
    normalized = pd_email_normalize (text, &error);
  else
    normalized = pd_phone_normalize_lenient (text, plan->region, &not_in_data, &error);

  if (normalized != NULL && not_in_data && plan->strict)
    {
      /* --strict: as before, a number the phone data does not know fails */
      g_clear_pointer (&normalized, g_free);
      g_set_error (&error, PD_ERROR, PD_ERROR_INVALID, plan->msg_not_in_data_strict,
                   quote_value_in (record, value, len));
    }
  if (normalized == NULL)
    add_cell_error (record, plan, value, len, error ? error->message : "?");
  else
    {
      if (not_in_data)
        pd_record_add_warningf (record, plan->msg_not_in_data, record->row, plan->name,
                                quote_value_in (record, value, len), pd_phone_data_year (), normalized);
      add_unique (record, plan->type == PD_FIELD_TYPE_EMAIL ? record->emails : record->phones,
                  normalized);
    }
}

/* The next ";" that separates two values: not the one of a phone's
 * extension, "+17862843358;ext=62152", as an export writes it. */
static const char *
find_list_semicolon (const char *p,
                     const char *end)
{
  while ((p = memchr (p, ';', end - p)) != NULL)
    {
      if (end - p < 4 || g_ascii_strncasecmp (p + 1, "ext", 3) != 0)
        return p;
      p++;
    }
  return NULL;
}

/* One cell may hold several addresses or numbers, separated by ";" (and
 * by "," when every piece looks like one, see comma_splits()). */
static void
normalize_contacts (PdRecord   *record,
                    const Plan *plan,
                    const char *cell,
                    const char *start,
                    gsize       len)
{
  const char *end = start + len;
  const char *piece = start;

  if (memchr (start, ';', len) == NULL && memchr (start, ',', len) == NULL)
    {
      normalize_contact (record, plan, cell, start, len);
      return;
    }

  while (piece <= end)
    {
      const char *semi = find_list_semicolon (piece, end);
      const char *piece_end = semi ? semi : end;
      const char *s;
      gsize n;

      trim (piece, piece_end - piece, &s, &n);
      if (n > 0 && memchr (s, ',', n) != NULL && comma_splits (plan->type, s, n))
        {
          const char *sub = s, *sub_end = s + n;

          while (sub <= sub_end)
            {
              const char *comma = memchr (sub, ',', sub_end - sub);
              const char *t;
              gsize m;

              trim (sub, (comma ? comma : sub_end) - sub, &t, &m);
              if (m > 0)
                normalize_contact (record, plan, NULL, t, m);
              if (comma == NULL)
                break;
              sub = comma + 1;
            }
        }
      else if (n > 0)
        normalize_contact (record, plan, NULL, s, n);

      if (semi == NULL)
        break;
      piece = semi + 1;
    }
}

static void
normalize_tags (PdRecord   *record,
                const Plan *plan,
                const char *start,
                gsize       len)
{
  const char *delimiter = plan->delimiter ? plan->delimiter : ",";
  gsize dlen = strlen (delimiter);
  const char *end = start + len;
  const char *piece = start;

  while (piece <= end)
    {
      const char *next = dlen > 0 ? g_strstr_len (piece, end - piece, delimiter) : NULL;
      const char *s;
      gsize n;
      gboolean seen = FALSE;

      trim (piece, (next ? next : end) - piece, &s, &n);
      /* Tags compare without case: "VIP" and "vip" are one tag. */
      for (guint i = 0; i < record->tags->len && n > 0 && !seen; i++)
        {
          const char *tag = g_ptr_array_index (record->tags, i);

          seen = strlen (tag) == n && g_ascii_strncasecmp (tag, s, n) == 0;
        }
      if (n > 0 && !seen)
        g_ptr_array_add (record->tags, pd_record_strndup (record, s, n));
      if (next == NULL)
        break;
      piece = next + dlen;
    }
}

static void
normalize_choice (PdRecord   *record,
                  const Plan *plan,
                  const char *start,
                  gsize       len)
{
  for (guint i = 0; plan->choices[i] != NULL; i++)
    if (strlen (plan->choices[i]) == len && g_ascii_strncasecmp (plan->choices[i], start, len) == 0)
      {
        /* The field catalogue's keys are static. */
        pd_record_set_static_value (record, plan->field, plan->choices[i]);
        return;
      }

  /* A type the store does not know is left out with a warning rather than
   * failing a row whose contact details are fine. */
  pd_record_add_warningf (record, plan->msg_not_a_choice, record->row, plan->name,
                          quote_value_in (record, start, len), plan->choices_text);
}

static gboolean
is_placeholder (const char *start,
                gsize       len)
{
  char text[16];

  if (len >= sizeof text)
    return FALSE;
  memcpy (text, start, len);
  text[len] = '\0';
  return pd_value_is_placeholder (text);
}

/* As "%" G_GINT64_FORMAT would, without printf. */
static char *
format_integer (PdRecord *record,
                gint64    value)
{
  char digits[24];
  guint64 magnitude = value < 0 ? 0 - (guint64) value : (guint64) value;
  gsize n = 0, len;
  char *out, *p;

  do
    {
      digits[n++] = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude > 0);
  len = n + (value < 0);
  p = out = pd_record_alloc (record, len + 1);
  if (value < 0)
    *p++ = '-';
  while (n > 0)
    *p++ = digits[--n];
  *p = '\0';
  return out;
}

static void
normalize_cell (PdRecord   *record,
                const Plan *plan,
                const char *cell,
                const char *start,
                gsize       len)
{
  g_autoptr(GError) error = NULL;

  switch (plan->type)
    {
    case PD_FIELD_TYPE_EMAIL:
    case PD_FIELD_TYPE_PHONE:
      normalize_contacts (record, plan, cell, start, len);
      break;

    case PD_FIELD_TYPE_TEXT:
    case PD_FIELD_TYPE_IDENTIFIER:
      if (plan->field == PD_FIELD_ATTRIBUTE)
        {
          g_ptr_array_add (record->attribute_names, pd_record_strndup (record, plan->attribute, -1));
          g_ptr_array_add (record->attribute_values, pd_record_strndup (record, start, len));
        }
      else
        record->values[plan->field] = pd_record_strndup (record, start, len);
      break;

    case PD_FIELD_TYPE_FULL_NAME:
      {
        g_autofree char *first = NULL;
        g_autofree char *last = NULL;

        /* a first or last name column of its own wins, before or after */
        pd_value_split_full_name (cell, &first, &last);
        if (first != NULL && record->values[PD_FIELD_FIRST_NAME] == NULL)
          record->values[PD_FIELD_FIRST_NAME] = pd_record_strndup (record, first, -1);
        if (last != NULL && record->values[PD_FIELD_LAST_NAME] == NULL)
          record->values[PD_FIELD_LAST_NAME] = pd_record_strndup (record, last, -1);
      }
      break;

    case PD_FIELD_TYPE_DATE:
      {
        gboolean ambiguous = FALSE;
        char iso[PD_VALUE_ISO_DATE_SIZE];

        if (pd_value_parse_date_to (cell, plan->undecided ? PD_DATE_ORDER_UNKNOWN : plan->order,
                                    &ambiguous, iso, &error))
          {
            /* The whole column left the order open: the default region's
             * order, and a warning on each value it decides. */
            if (ambiguous && plan->order != PD_DATE_ORDER_UNKNOWN &&
                pd_value_parse_date_to (cell, plan->order, NULL, iso, NULL))
              pd_record_add_warningf (record, plan->msg_date_order, record->row, plan->name,
                                      quote_value_in (record, start, len), iso);
            record->values[plan->field] = pd_record_strndup (record, iso, -1);
          }
        else if (is_placeholder (start, len))
          ;  /* "N/A", "00/00/0000": no date, nothing to warn about */
        else
          add_cell_error (record, plan, start, len, error ? error->message : "?");
      }
      break;

    case PD_FIELD_TYPE_INTEGER:
      {
        gint64 value;

        if (pd_value_parse_integer (cell, &value, &error))
          record->values[plan->field] = format_integer (record, value);
        else
          add_cell_error (record, plan, start, len, error ? error->message : "?");
      }
      break;

    case PD_FIELD_TYPE_BOOLEAN:
      {
        gboolean value;

        if (pd_value_parse_boolean (cell, &value, &error))
          pd_record_set_static_value (record, plan->field, value ? "true" : "false");
        else
          add_cell_error (record, plan, start, len, error ? error->message : "?");
      }
      break;

    case PD_FIELD_TYPE_CHOICE:
      normalize_choice (record, plan, start, len);
      break;

    case PD_FIELD_TYPE_TAGS:
      normalize_tags (record, plan, start, len);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Whether a value that identifies a persona is left after the values
 * that couldn't be read were left out. */
static gboolean
has_valid_identifier (const PdRecord *record)
{
  if (record->emails->len > 0 || record->phones->len > 0)
    return TRUE;
  for (guint f = 0; f < PD_FIELD_N_BUILTIN; f++)
    if (record->values[f] != NULL && f != PD_FIELD_EMAIL && f != PD_FIELD_PHONE &&
        pd_field_get_info (f)->identifier)
      return TRUE;
  return FALSE;
}

static void
pd_normalizer_finalize (GObject *object)
{
  PdNormalizer *self = PD_NORMALIZER (object);

  g_clear_object (&self->mapping);
  g_clear_pointer (&self->plans, g_array_unref);
  g_clear_pointer (&self->active, g_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_free (self->default_region);

  G_OBJECT_CLASS (pd_normalizer_parent_class)->finalize (object);
}

static void
pd_normalizer_class_init (PdNormalizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_normalizer_finalize;
}

static void
pd_normalizer_init (PdNormalizer *self)
{
  self->plans = g_array_new (FALSE, TRUE, sizeof (Plan));
  g_array_set_clear_func (self->plans, plan_clear);
  self->active = g_array_new (FALSE, FALSE, sizeof (guint));
  self->warnings = g_ptr_array_new_with_free_func (g_free);
}

/**
 * pd_normalizer_new:
 * @mapping: the column mapping (copied: later changes do not apply)
 * @default_region: (nullable): region for phones of columns without their
 *   own; "US" when %NULL
 *
 * Returns: (transfer full) (nullable): a normalizer, or %NULL with
 *   PD_ERROR_MAPPING when a column's date format or region is not
 *   understood
 */
PdNormalizer *
pd_normalizer_new (PdMapping   *mapping,
                   const char  *default_region,
                   GError     **error)
{
  g_autoptr(PdNormalizer) self = g_object_new (PD_TYPE_NORMALIZER, NULL);
  guint n_columns;

  g_return_val_if_fail (PD_IS_MAPPING (mapping), NULL);

  if (default_region == NULL || *default_region == '\0')
    default_region = DEFAULT_REGION;
  if (!pd_phone_is_known_region (default_region))
    {
      g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                   _("“%s” is not a known country code for phone numbers; use a two-letter "
                     "code such as US, GB or DE"), default_region);
      return NULL;
    }

  self->default_region = g_ascii_strup (default_region, -1);
  self->mapping = pd_mapping_copy (mapping);
  n_columns = pd_mapping_get_n_columns (self->mapping);
  g_array_set_size (self->plans, n_columns);

  for (guint i = 0; i < n_columns; i++)
    {
      Plan *plan = &g_array_index (self->plans, Plan, i);
      PdFieldId field = pd_mapping_get_field (self->mapping, i);
      const PdFieldInfo *info = pd_field_get_info (field);
      const char *format = pd_mapping_get_date_format (self->mapping, i);
      const char *region = pd_mapping_get_region (self->mapping, i);

      plan->field = field;
      /* every column's, for a stray quote in any of them */
      plan->name = pd_mapping_dup_column_name (self->mapping, i);
      if (field == PD_FIELD_NONE)
        continue;

      plan->msg_cell = _("Row %u, column “%s”: %s");
      /* TRANSLATORS: row number, column header, why the value is refused, the value */
      plan->msg_cell_quoted = _("Row %u, column “%s”: %s (“%s”)");
      /* TRANSLATORS: row number, column header, why the value is refused */
      plan->msg_left_out = _("Row %u, column “%s”: %s; the value is left out");
      /* TRANSLATORS: row number, column header, why the value is refused, the value */
      plan->msg_left_out_quoted = _("Row %u, column “%s”: %s (“%s”); the value is left out");
      /* TRANSLATORS: row, column, the number as written, a year, the number kept */
      plan->msg_not_in_data = _("Row %u, column “%s”: “%s” is not in the phone data this system "
                                "has (from %s), perhaps a range opened since; kept as %s, check it");
      plan->msg_not_in_data_strict = _("“%s” is not a valid phone number");
      /* TRANSLATORS: row, column, the date as written, the date as read */
      plan->msg_date_order = _("Row %u, column “%s”: “%s” could be month-first or day-first and "
                               "nothing in the column decides; read as %s, the default region's "
                               "order (choose the column's date format, --date-format, to be sure)");
      plan->msg_not_a_choice = _("Row %u, column “%s”: “%s” is not one of %s; "
                                 "the value is left out");

      if (field == PD_FIELD_ATTRIBUTE)
        {
          plan->type = PD_FIELD_TYPE_TEXT;
          plan->attribute = g_strdup (pd_mapping_get_attribute_name (self->mapping, i));
        }
      else
        {
          plan->type = info->type;
          plan->identifier = info->identifier;
          plan->choices = info->choices;
          if (info->choices != NULL)
            plan->choices_text = g_strjoinv (", ", (char **) info->choices);
        }

      if (plan->type == PD_FIELD_TYPE_PHONE)
        {
          if (region != NULL && !pd_phone_is_known_region (region))
            {
              g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                           _("Column “%s”: “%s” is not a known country code for phone numbers"),
                           plan->name, region);
              return NULL;
            }
          plan->region = g_strdup (region ? region : default_region);
        }

      if (plan->type == PD_FIELD_TYPE_DATE && format != NULL)
        {
          plan->order = pd_value_date_order_from_format (format);
          if (plan->order == PD_DATE_ORDER_UNKNOWN)
            {
              g_set_error (error, PD_ERROR, PD_ERROR_MAPPING,
                           _("Column “%s”: the date format “%s” is not understood; use one such as "
                             "YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY"),
                           plan->name, format);
              return NULL;
            }
          plan->order_chosen = TRUE;
        }

      if (plan->type == PD_FIELD_TYPE_TAGS)
        plan->delimiter = g_strdup (pd_mapping_get_tag_delimiter (self->mapping, i));

      g_array_append_val (self->active, i);
    }

  return g_steal_pointer (&self);
}

/* Returns: (transfer none): the mapping the normalizer follows */
PdMapping *
pd_normalizer_get_mapping (PdNormalizer *self)
{
  g_return_val_if_fail (PD_IS_NORMALIZER (self), NULL);
  return self->mapping;
}

/**
 * pd_normalizer_set_strict:
 * @strict: whether a value that can't be read fails its row (the old
 *   behaviour) instead of being left out with a warning
 *
 * Setup, before the first pd_normalizer_normalize().
 */
void
pd_normalizer_set_strict (PdNormalizer *self,
                          gboolean      strict)
{
  g_return_if_fail (PD_IS_NORMALIZER (self));

  self->strict = strict;
  for (guint i = 0; i < self->plans->len; i++)
    g_array_index (self->plans, Plan, i).strict = strict;
}

gboolean
pd_normalizer_get_strict (PdNormalizer *self)
{
  g_return_val_if_fail (PD_IS_NORMALIZER (self), FALSE);
  return self->strict;
}

/**
 * pd_normalizer_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): translated warnings about
 *   whole columns, e.g. dates that could be read either way
 */
GPtrArray *
pd_normalizer_get_warnings (PdNormalizer *self)
{
  g_return_val_if_fail (PD_IS_NORMALIZER (self), NULL);
  return self->warnings;
}

/**
 * pd_normalizer_normalize:
 * @row: a data row
 *
 * Thread-safe.  Every problem becomes a translated reason naming the row
 * and the column in the record's errors (the row is not imported) or
 * warnings (it is).  The record does not keep @row; set record->source if
 * the row is wanted for a report.
 *
 * Returns: (transfer full): the record
 */
PdRecord *
pd_normalizer_normalize (PdNormalizer *self,
                         const PdRow  *row)
{
  PdRecord *record = pd_record_new (row->number);

  pd_normalizer_normalize_into (self, row, record);
  return record;
}

/**
 * pd_normalizer_normalize_into:
 * @row: a data row
 * @record: an empty record, new or pd_record_reset(); its row number is
 *   set from @row
 *
 * pd_normalizer_normalize() into a record the caller reuses.
 */
void
pd_normalizer_normalize_into (PdNormalizer *self,
                              const PdRow  *row,
                              PdRecord     *record)
{
  gboolean had_identifier = FALSE;

  record->row = row->number;
  if (row->error != NULL)
    {
      /* The readers' messages name their row already ("Row 2: …"). */
      g_autofree char *prefix = g_strdup_printf (_("Row %u"), row->number);

      if (g_str_has_prefix (row->error, prefix) && !g_ascii_isdigit (row->error[strlen (prefix)]))
        pd_record_add_errorf (record, "%s", row->error);
      else
        pd_record_add_errorf (record, _("Row %u: %s"), row->number, row->error);
      return;
    }

  if (G_UNLIKELY (row->stray_quote > 0))
    {
      guint column = row->stray_quote - 1;
      g_autofree char *name = column < self->plans->len
                              ? g_strdup (g_array_index (self->plans, Plan, column).name)
                              : g_strdup_printf (_("Column %u"), row->stray_quote);

      pd_record_add_warningf (record, _("Row %u, column “%s”: a stray quote (inside a value, after "
                                        "a closing quote, or never closed); the value is read as "
                                        "written (“%s”), check it"),
                              row->number, name, quote_value_in (record, pd_row_get_cell (row, column), -1));
    }

  for (guint a = 0; a < self->active->len; a++)
    {
      guint column = g_array_index (self->active, guint, a);
      const Plan *plan = &g_array_index (self->plans, Plan, column);
      const char *cell = pd_row_get_cell (row, column);
      const char *start;
      gsize len;

      trim (cell, strlen (cell), &start, &len);
      if (len == 0)
        continue;
      if (plan->identifier)
        had_identifier = TRUE;
      normalize_cell (record, plan, cell, start, len);
    }

  if (!had_identifier)
    pd_record_add_errorf (record, _("Row %u: no email, phone, external ID or channel ID; "
                                    "a persona needs at least one"), row->number);
  else if (pd_record_is_valid (record) && !has_valid_identifier (record))
    {
      /* Every identifier was left out: the warnings say why, and they are
       * now the reasons the row fails. */
      for (guint i = 0; i < record->warnings->len; i++)
        g_ptr_array_add (record->errors, g_ptr_array_index (record->warnings, i));
      g_ptr_array_set_size (record->warnings, 0);
      pd_record_add_errorf (record, _("Row %u: no valid email, phone, external ID or channel "
                                      "ID is left; a persona needs at least one"), row->number);
    }
}

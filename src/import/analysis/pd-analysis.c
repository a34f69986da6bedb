/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdAnalysis: the result of analyzing a file. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pd-analysis-private.h"
#include "pd-same-file.h"

struct _PdAnalysis
{
  GObject    parent_instance;

  char      *display_name;
  PdMapping *mapping;
  guint      total;
  guint      valid;
  guint      failed;
  guint      duplicates;
  guint      warned;
  guint      shared_phones;  /* rows sharing a phone with another customer */
  GPtrArray *warnings;      /* utf8 */
  GPtrArray *failed_rows;   /* PdAnalysisRow*, unless spooled */
  FILE      *spool;         /* nullable: failed rows, see _pd_analysis_spool_failed_rows() */
  guint      n_spooled;
  int        spool_errno;   /* the first write error */
  GPtrArray *warned_rows;   /* PdAnalysisRow*, the first PD_ANALYSIS_MAX_WARNED_ROWS */
  GPtrArray *date_questions; /* PdDateQuestion* */
  PdImportInfo *earlier;    /* nullable: the same content imported before */
  char         *same_rows;  /* nullable: the warning about rows imported before */
};

G_DEFINE_FINAL_TYPE (PdAnalysis, pd_analysis, G_TYPE_OBJECT)

static void
analysis_row_free (PdAnalysisRow *row)
{
  g_strfreev (row->reasons);
  g_clear_pointer (&row->source, pd_row_free);
  g_free (row);
}

/* Copies @reasons: a record's strings are its own. */
static PdAnalysisRow *
analysis_row_new (guint      number,
                  GPtrArray *reasons,
                  PdRow     *source)
{
  PdAnalysisRow *row = g_new0 (PdAnalysisRow, 1);

  row->row = number;
  row->reasons = g_new (char *, reasons->len + 1);
  for (guint i = 0; i < reasons->len; i++)
    row->reasons[i] = g_strdup (g_ptr_array_index (reasons, i));
  row->reasons[reasons->len] = NULL;
  row->source = source;

  return row;
}

static void
pd_analysis_finalize (GObject *object)
{
  PdAnalysis *self = PD_ANALYSIS (object);

  g_clear_pointer (&self->display_name, g_free);
  g_clear_object (&self->mapping);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->failed_rows, g_ptr_array_unref);
  g_clear_pointer (&self->warned_rows, g_ptr_array_unref);
  g_clear_pointer (&self->date_questions, g_ptr_array_unref);
  g_clear_pointer (&self->spool, fclose);
  g_clear_pointer (&self->earlier, pd_import_info_free);
  g_clear_pointer (&self->same_rows, g_free);

  G_OBJECT_CLASS (pd_analysis_parent_class)->finalize (object);
}

static void
pd_analysis_class_init (PdAnalysisClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_analysis_finalize;
}

static void
pd_analysis_init (PdAnalysis *self)
{
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->failed_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) analysis_row_free);
  self->warned_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) analysis_row_free);
  self->date_questions = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_date_question_free);
}

PdAnalysis *
_pd_analysis_new (const char *display_name,
                  PdMapping  *mapping)
{
  PdAnalysis *self = g_object_new (PD_TYPE_ANALYSIS, NULL);

  self->display_name = g_strdup (display_name);
  self->mapping = g_object_ref (mapping);
  return self;
}

/**
 * _pd_analysis_spool_failed_rows:
 *
 * From now on, failed rows go to an unlinked temporary file instead of
 * memory: a file where half a million rows fail would otherwise need
 * hundreds of megabytes.  pd_analysis_get_failed_rows() then lists only
 * the rows added before; pd_analysis_foreach_failed_row() and the JSON
 * writers read the rest back.  Sources are not kept for spooled rows.
 *
 * Returns: %FALSE with @error set if no temporary file could be made
 */
gboolean
_pd_analysis_spool_failed_rows (PdAnalysis  *self,
                                GError     **error)
{
  g_autofree char *path = NULL;
  int fd;

  g_return_val_if_fail (self->spool == NULL, FALSE);

  fd = g_file_open_tmp ("persona-desk-analysis-XXXXXX", &path, error);
  if (fd < 0)
    return FALSE;
  /* Unlinked at once: nothing is left behind whatever happens. */
  g_unlink (path);
  self->spool = fdopen (fd, "w+b");
  if (self->spool == NULL)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write the temporary file %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  setvbuf (self->spool, NULL, _IOFBF, 1 << 16);
  return TRUE;
}

/* Returns: %FALSE with @error set if writing the spool failed */
gboolean
_pd_analysis_check_spool (PdAnalysis  *self,
                          GError     **error)
{
  if (self->spool != NULL && self->spool_errno == 0 && fflush (self->spool) != 0)
    self->spool_errno = errno ? errno : EIO;
  if (self->spool_errno != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (self->spool_errno),
                   _("Could not write the failed rows to a temporary file: %s"),
                   g_strerror (self->spool_errno));
      return FALSE;
    }
  return TRUE;
}

/* Spool record: guint32 row, guint32 n_reasons, then per reason guint32
 * length and the bytes, in host order (the file lives as long as we do). */
static void
spool_row (PdAnalysis *self,
           guint       number,
           GPtrArray  *reasons)
{
  guint32 head[2] = { number, reasons->len };

  if (self->spool_errno != 0)
    return;
  if (fwrite (head, sizeof head, 1, self->spool) != 1)
    goto failed;
  for (guint i = 0; i < reasons->len; i++)
    {
      const char *reason = g_ptr_array_index (reasons, i);
      guint32 len = strlen (reason);

      if (fwrite (&len, sizeof len, 1, self->spool) != 1 ||
          fwrite (reason, 1, len, self->spool) != len)
        goto failed;
    }
  self->n_spooled++;
  return;

failed:
  self->spool_errno = errno ? errno : EIO;
}

/* Counts @record; a failed one is kept with its reasons (copied) and, when
 * @keep_source, its row as read (taken from the record), or spooled. */
void
_pd_analysis_add_record (PdAnalysis *self,
                         PdRecord   *record,
                         gboolean    keep_source)
{
  self->total++;
  if (!pd_record_is_valid (record))
    {
      self->failed++;
      if (self->spool != NULL)
        {
          spool_row (self, record->row, record->errors);
          return;
        }
      g_ptr_array_add (self->failed_rows,
                       analysis_row_new (record->row, record->errors,
                                         keep_source ? g_steal_pointer (&record->source) : NULL));
      return;
    }

  self->valid++;
  if (record->warnings->len > 0)
    {
      self->warned++;
      if (self->warned_rows->len < PD_ANALYSIS_MAX_WARNED_ROWS)
        g_ptr_array_add (self->warned_rows,
                         analysis_row_new (record->row, record->warnings, NULL));
    }
}

void
_pd_analysis_add_warning (PdAnalysis *self,
                          const char *warning)
{
  g_ptr_array_add (self->warnings, g_strdup (warning));
}

void
_pd_analysis_count_shared_phone (PdAnalysis *self)
{
  self->shared_phones++;
}

/* Rows whose phone is an earlier row's, a customer with another email:
 * the import keeps them apart (PdImportOptions.merge_shared_phones). */
guint
pd_analysis_get_shared_phones (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), 0);
  return self->shared_phones;
}

void
_pd_analysis_count_duplicate (PdAnalysis *self)
{
  self->duplicates++;
}

const char *
pd_analysis_get_display_name (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->display_name;
}

/* Non-blank data rows: valid + failed. */
guint
pd_analysis_get_total (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), 0);
  return self->total;
}

guint
pd_analysis_get_valid (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), 0);
  return self->valid;
}

guint
pd_analysis_get_failed (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), 0);
  return self->failed;
}

/* Valid rows that repeat an email or phone of an earlier valid row. */
guint
pd_analysis_get_duplicates (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), 0);
  return self->duplicates;
}

/* Valid rows with at least one warning. */
guint
pd_analysis_get_warned (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), 0);
  return self->warned;
}

/* Returns: (transfer none): the mapping used */
PdMapping *
pd_analysis_get_mapping (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->mapping;
}

/**
 * pd_analysis_set_earlier_import:
 * @earlier: (nullable): the completed import of the same content
 *   (pd_import_find_earlier()), copied
 *
 * The analyzer reads only the file; the caller, who has the store, says
 * whether it was imported before.  The warning joins the others.
 */
void
pd_analysis_set_earlier_import (PdAnalysis         *self,
                                const PdImportInfo *earlier)
{
  g_return_if_fail (PD_IS_ANALYSIS (self));

  if (self->earlier != NULL)
    {
      g_autofree char *old = pd_import_earlier_describe (self->earlier);

      for (guint i = 0; i < self->warnings->len; i++)
        if (g_str_equal (g_ptr_array_index (self->warnings, i), old))
          g_ptr_array_remove_index (self->warnings, i);
      g_clear_pointer (&self->earlier, pd_import_info_free);
    }
  if (earlier == NULL)
    return;
  self->earlier = pd_import_info_copy (earlier);
  g_ptr_array_insert (self->warnings, 0, pd_import_earlier_describe (earlier));
}

/* Returns: (transfer none) (nullable): see pd_analysis_set_earlier_import() */
const PdImportInfo *
pd_analysis_get_earlier_import (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->earlier;
}

/* Returns: (transfer none) (element-type utf8): warnings about the file */
GPtrArray *
pd_analysis_get_warnings (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->warnings;
}

/* Returns: (transfer none) (element-type PdAnalysisRow): every failed row,
 * in file order, but for those spooled to a temporary file (only when the
 * analyzer was asked to: pd_analyzer_set_spool_failed_rows()) */
GPtrArray *
pd_analysis_get_failed_rows (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->failed_rows;
}

/* Returns: (transfer none) (element-type PdAnalysisRow): the first rows
 * with warnings (at most PD_ANALYSIS_MAX_WARNED_ROWS), in file order */
GPtrArray *
pd_analysis_get_warned_rows (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->warned_rows;
}

/* For PdAnalyzer: takes @questions (element-type PdDateQuestion) */
void
_pd_analysis_set_date_questions (PdAnalysis *self,
                                 GPtrArray  *questions)
{
  g_ptr_array_unref (self->date_questions);
  self->date_questions = questions;
}

/**
 * pd_analysis_get_date_questions:
 *
 * The date columns whose day/month order nothing in the whole file
 * decides (each read in the default region's order, its values warned),
 * with sample values, to ask the user about.
 *
 * Returns: (transfer none) (element-type PdDateQuestion): in column order
 */
GPtrArray *
pd_analysis_get_date_questions (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->date_questions;
}

static gboolean
read_spooled (PdAnalysis         *self,
              PdAnalysisRowFunc   func,
              gpointer            user_data,
              GError            **error)
{
  g_autoptr(GByteArray) text = g_byte_array_new ();
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  gboolean ok = TRUE;

  if (!_pd_analysis_check_spool (self, error))
    return FALSE;
  if (fseek (self->spool, 0, SEEK_SET) != 0)
    goto failed;

  for (guint n = 0; n < self->n_spooled && ok; n++)
    {
      guint32 head[2];
      PdAnalysisRow row = { 0 };

      if (fread (head, sizeof head, 1, self->spool) != 1)
        goto failed;
      g_byte_array_set_size (text, 0);
      g_array_set_size (offsets, 0);
      for (guint r = 0; r < head[1]; r++)
        {
          guint32 len;
          gsize at = text->len;

          if (fread (&len, sizeof len, 1, self->spool) != 1)
            goto failed;
          g_byte_array_set_size (text, at + len + 1);
          if (len > 0 && fread (text->data + at, 1, len, self->spool) != len)
            goto failed;
          text->data[at + len] = '\0';
          g_array_append_val (offsets, at);
        }
      g_ptr_array_set_size (reasons, 0);
      for (guint r = 0; r < offsets->len; r++)
        g_ptr_array_add (reasons, text->data + g_array_index (offsets, gsize, r));
      g_ptr_array_add (reasons, NULL);

      row.row = head[0];
      row.reasons = (char **) reasons->pdata;
      ok = func (&row, user_data);
    }

  /* Back to the end, should rows be added after all. */
  if (fseek (self->spool, 0, SEEK_END) != 0)
    goto failed;
  return ok;

failed:
  {
    int saved = ferror (self->spool) && errno ? errno : EIO;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("Could not read the failed rows back from a temporary file: %s"),
                 g_strerror (saved));
    return FALSE;
  }
}

/**
 * pd_analysis_foreach_failed_row:
 * @func: called for each failed row in file order; returns %FALSE to stop
 *
 * Every failed row, whether kept in memory or spooled to a temporary
 * file.  The row passed to @func is only valid during the call.
 *
 * Returns: %FALSE if @func stopped the walk, or with @error set if the
 *   spooled rows could not be read back
 */
gboolean
pd_analysis_foreach_failed_row (PdAnalysis         *self,
                                PdAnalysisRowFunc   func,
                                gpointer            user_data,
                                GError            **error)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  for (guint i = 0; i < self->failed_rows->len; i++)
    if (!func (g_ptr_array_index (self->failed_rows, i), user_data))
      return FALSE;
  if (self->spool == NULL)
    return TRUE;
  return read_spooled (self, func, user_data, error);
}

/**
 * pd_analysis_set_same_rows:
 * @warning: (nullable): pd_same_rows_describe()'s, or NULL for none
 *
 * Like pd_analysis_set_earlier_import(), for rows that earlier imports of
 * other files applied: the caller, who has the store, found them.
 */
void
pd_analysis_set_same_rows (PdAnalysis *self,
                           const char *warning)
{
  g_return_if_fail (PD_IS_ANALYSIS (self));

  if (self->same_rows != NULL)
    for (guint i = 0; i < self->warnings->len; i++)
      if (g_str_equal (g_ptr_array_index (self->warnings, i), self->same_rows))
        {
          g_ptr_array_remove_index (self->warnings, i);
          break;
        }
  g_clear_pointer (&self->same_rows, g_free);
  if (warning == NULL)
    return;
  self->same_rows = g_strdup (warning);
  g_ptr_array_insert (self->warnings, 0, g_strdup (warning));
}

const char *
pd_analysis_get_same_rows (PdAnalysis *self)
{
  g_return_val_if_fail (PD_IS_ANALYSIS (self), NULL);
  return self->same_rows;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workbook of a PdXlsxReader: its relationships, sheet list, styles
 * (the number formats that tell dates from numbers) and shared strings,
 * read when the file is opened.  The reader and the row cursor of its
 * sheet: pd-xlsx-reader.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "pd-cell-format.h"
#include "pd-error.h"
#include "pd-xlsx-reader-private.h"

static gboolean
is_end_element (xmlTextReaderPtr reader)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_END_ELEMENT;
}

static void
xlsx_sheet_free (XlsxSheet *sheet)
{
  g_free (sheet->name);
  g_free (sheet->part);
  g_free (sheet);
}

void
_pd_xlsx_book_free (XlsxBook *book)
{
  if (book == NULL)
    return;
  g_clear_pointer (&book->package, pd_zip_package_free);
  g_clear_pointer (&book->sheets, g_ptr_array_unref);
  if (book->strings)
    g_string_free (book->strings, TRUE);
  g_clear_pointer (&book->string_offsets, g_array_unref);
  g_clear_pointer (&book->xf_kinds, g_array_unref);
  g_free (book->display_name);
  g_free (book);
}

/* Resolves a relationship target against the directory of the part that
 * holds the relationship, as OPC says: "/x" is from the root, ".." goes
 * up. */
static char *
resolve_target (const char *base_dir,
                const char *target)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_auto(GStrv) base = NULL;
  g_auto(GStrv) rel = NULL;

  if (target[0] != '/')
    {
      base = g_strsplit (base_dir, "/", -1);
      for (guint i = 0; base[i]; i++)
        if (*base[i] != '\0')
          g_ptr_array_add (parts, base[i]);
    }
  rel = g_strsplit (target, "/", -1);
  for (guint i = 0; rel[i]; i++)
    {
      if (*rel[i] == '\0' || g_str_equal (rel[i], "."))
        continue;
      if (g_str_equal (rel[i], ".."))
        {
          if (parts->len > 0)
            g_ptr_array_remove_index (parts, parts->len - 1);
          continue;
        }
      g_ptr_array_add (parts, rel[i]);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("/", (char **) parts->pdata);
}

typedef struct {
  char *id;
  char *type;
  char *target;  /* resolved part name */
} Relationship;

static void
relationship_free (Relationship *rel)
{
  g_free (rel->id);
  g_free (rel->type);
  g_free (rel->target);
  g_free (rel);
}

/* Reads a .rels part; a missing one is an empty list. */
static GPtrArray *
read_relationships (XlsxBook    *book,
                    const char  *rels_part,
                    const char  *base_dir,
                    GError     **error)
{
  g_autoptr(GPtrArray) rels = g_ptr_array_new_with_free_func ((GDestroyNotify) relationship_free);
  g_autoptr(PdXmlStream) xml = NULL;
  xmlTextReaderPtr reader;
  int r;

  if (!pd_zip_package_has_member (book->package, rels_part))
    return g_steal_pointer (&rels);
  xml = pd_xml_stream_open (book->package, rels_part, error);
  if (xml == NULL)
    return NULL;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      if (is_element (reader) && pd_xml_stream_name_is (reader, "Relationship"))
        {
          g_autofree char *mode = pd_xml_stream_dup_attribute (reader, "TargetMode");
          g_autofree char *target = pd_xml_stream_dup_attribute (reader, "Target");
          Relationship *rel;

          if (target == NULL || (mode && g_ascii_strcasecmp (mode, "External") == 0))
            continue;
          rel = g_new0 (Relationship, 1);
          rel->id = pd_xml_stream_dup_attribute (reader, "Id");
          rel->type = pd_xml_stream_dup_attribute (reader, "Type");
          rel->target = resolve_target (base_dir, target);
          g_ptr_array_add (rels, rel);
        }
    }
  if (r < 0)
    return NULL;
  return g_steal_pointer (&rels);
}

static Relationship *
find_relationship (GPtrArray  *rels,
                   const char *id,
                   const char *type_suffix)
{
  for (guint i = 0; i < rels->len; i++)
    {
      Relationship *rel = g_ptr_array_index (rels, i);

      if (id != NULL && g_strcmp0 (rel->id, id) == 0)
        return rel;
      if (type_suffix != NULL && rel->type && g_str_has_suffix (rel->type, type_suffix))
        return rel;
    }
  return NULL;
}

static gboolean
is_true (const char *value)
{
  return value && (g_str_equal (value, "1") || g_ascii_strcasecmp (value, "true") == 0 ||
                   g_ascii_strcasecmp (value, "on") == 0);
}

static gboolean
read_workbook (XlsxBook    *book,
               const char  *part,
               GPtrArray   *rels,
               GError     **error)
{
  g_autoptr(PdXmlStream) xml = pd_xml_stream_open (book->package, part, error);
  xmlTextReaderPtr reader;
  int r;

  if (xml == NULL)
    return FALSE;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "workbookPr"))
        {
          g_autofree char *date1904 = pd_xml_stream_dup_attribute (reader, "date1904");

          book->date1904 = is_true (date1904);
        }
      else if (pd_xml_stream_name_is (reader, "sheet"))
        {
          g_autofree char *id = pd_xml_stream_dup_attribute (reader, "id");
          XlsxSheet *sheet = g_new0 (XlsxSheet, 1);
          Relationship *rel = id ? find_relationship (rels, id, NULL) : NULL;

          sheet->name = pd_xml_stream_dup_attribute (reader, "name");
          if (sheet->name == NULL)
            sheet->name = g_strdup_printf ("%u", book->sheets->len + 1);
          if (rel && rel->type && g_str_has_suffix (rel->type, "/worksheet") &&
              pd_zip_package_has_member (book->package, rel->target))
            sheet->part = g_strdup (rel->target);
          g_ptr_array_add (book->sheets, sheet);
        }
      else if (pd_xml_stream_name_is (reader, "sheetData") ||
               pd_xml_stream_name_is (reader, "definedNames") ||
               pd_xml_stream_name_is (reader, "extLst"))
        {
          if (!pd_xml_stream_skip (xml, error))
            return FALSE;
        }
    }
  return r == 0;
}

/* The text of a rich string (<si> or <is>): its <t> runs concatenated,
 * without the <rPh> phonetic guides of Japanese text. */
gboolean
_pd_xlsx_read_rich_text (PdXmlStream  *xml,
                         GString      *out,
                         GString      *scratch,
                         GError      **error)
{
  xmlTextReaderPtr reader = pd_xml_stream_get_reader (xml);
  int depth = xmlTextReaderDepth (reader);
  int r;

  if (xmlTextReaderIsEmptyElement (reader))
    return TRUE;

  while ((r = pd_xml_stream_read_inside (xml, depth, error, _("unexpected end of a string"))) == 1)
    {
      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "rPh"))
        {
          if (!pd_xml_stream_skip (xml, error))
            return FALSE;
        }
      else if (pd_xml_stream_name_is (reader, "t"))
        {
          g_string_truncate (scratch, 0);
          if (!pd_xml_stream_read_text (xml, scratch, error))
            return FALSE;
          pd_cell_format_append_ooxml_text (out, scratch->str);
        }
    }
  return r == 0;
}

/* The shared strings table is held (see pd-xlsx-reader-private.h), so it
 * is capped: a few megabytes of zip can declare a hundred million empty
 * strings.  Legitimate workbooks stay far below: a million customers with
 * a dozen text columns each are some 12 million strings. */
#define MAX_SHARED_STRINGS      (1u << 24)
#define MAX_SHARED_STRING_BYTES (512u * 1024 * 1024)

static gboolean
shared_strings_too_many (XlsxBook  *book,
                         GError   **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_TOO_LARGE,
               _("%s is refused: it holds more than %u different texts, or more than %u MB "
                 "of them, more than this app reads from one workbook. "
                 "Save the sheet as .csv and import that."),
               book->display_name, MAX_SHARED_STRINGS, MAX_SHARED_STRING_BYTES / (1024 * 1024));
  return FALSE;
}

static gboolean
read_shared_strings (XlsxBook      *book,
                     const char    *part,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(PdXmlStream) xml = pd_xml_stream_open (book->package, part, error);
  g_autoptr(GString) scratch = g_string_new (NULL);
  xmlTextReaderPtr reader;
  int r;

  if (xml == NULL)
    return FALSE;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      guint32 offset = (guint32) book->strings->len;

      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "sst"))
        {
          /* The declared count refuses most bombs before any is read. */
          g_autofree char *count = pd_xml_stream_dup_attribute (reader, "uniqueCount");

          if (count != NULL && g_ascii_strtoull (count, NULL, 10) > MAX_SHARED_STRINGS)
            return shared_strings_too_many (book, error);
          continue;
        }
      if (!pd_xml_stream_name_is (reader, "si"))
        continue;
      if ((book->string_offsets->len & 0xfff) == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (book->string_offsets->len >= MAX_SHARED_STRINGS)
        return shared_strings_too_many (book, error);
      g_array_append_val (book->string_offsets, offset);
      if (!_pd_xlsx_read_rich_text (xml, book->strings, scratch, error))
        return FALSE;
      g_string_append_c (book->strings, '\0');
      if (book->strings->len > MAX_SHARED_STRING_BYTES)
        return shared_strings_too_many (book, error);
    }
  return r == 0;
}

static gboolean
read_styles (XlsxBook    *book,
             const char  *part,
             GError     **error)
{
  g_autoptr(PdXmlStream) xml = pd_xml_stream_open (book->package, part, error);
  g_autoptr(GHashTable) custom = g_hash_table_new (g_direct_hash, g_direct_equal);
  gboolean in_cell_xfs = FALSE;
  xmlTextReaderPtr reader;
  int r;

  if (xml == NULL)
    return FALSE;
  reader = pd_xml_stream_get_reader (xml);

  while ((r = pd_xml_stream_read (xml, error)) == 1)
    {
      if (is_end_element (reader) && pd_xml_stream_name_is (reader, "cellXfs"))
        in_cell_xfs = FALSE;
      if (!is_element (reader))
        continue;
      if (pd_xml_stream_name_is (reader, "numFmt"))
        {
          g_autofree char *id = pd_xml_stream_dup_attribute (reader, "numFmtId");
          g_autofree char *code = pd_xml_stream_dup_attribute (reader, "formatCode");

          if (id != NULL)
            g_hash_table_insert (custom, GUINT_TO_POINTER ((guint) strtoul (id, NULL, 10)),
                                 GUINT_TO_POINTER (pd_cell_format_classify_code (code) + 1));
        }
      else if (pd_xml_stream_name_is (reader, "cellXfs"))
        {
          in_cell_xfs = !xmlTextReaderIsEmptyElement (reader);
        }
      else if (in_cell_xfs && pd_xml_stream_name_is (reader, "xf"))
        {
          g_autofree char *id_text = pd_xml_stream_dup_attribute (reader, "numFmtId");
          guint id = id_text ? (guint) strtoul (id_text, NULL, 10) : 0;
          gpointer kind = g_hash_table_lookup (custom, GUINT_TO_POINTER (id));
          guint8 k = kind ? (guint8) (GPOINTER_TO_UINT (kind) - 1)
                          : (guint8) pd_cell_format_classify_builtin (id);

          g_array_append_val (book->xf_kinds, k);
        }
      else if (pd_xml_stream_name_is (reader, "fonts") ||
               pd_xml_stream_name_is (reader, "fills") ||
               pd_xml_stream_name_is (reader, "borders") ||
               pd_xml_stream_name_is (reader, "dxfs") ||
               pd_xml_stream_name_is (reader, "cellStyleXfs") ||
               pd_xml_stream_name_is (reader, "extLst"))
        {
          if (!pd_xml_stream_skip (xml, error))
            return FALSE;
        }
    }
  return r == 0;
}

static char *
dir_of (const char *part)
{
  const char *slash = strrchr (part, '/');

  return slash ? g_strndup (part, slash - part) : g_strdup ("");
}

static char *
rels_of (const char *part)
{
  const char *slash = strrchr (part, '/');

  if (slash == NULL)
    return g_strdup_printf ("_rels/%s.rels", part);
  return g_strdup_printf ("%.*s/_rels/%s.rels", (int) (slash - part), part, slash + 1);
}

XlsxBook *
_pd_xlsx_book_load (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(XlsxBook) book = g_new0 (XlsxBook, 1);
  g_autoptr(GPtrArray) root_rels = NULL;
  g_autoptr(GPtrArray) rels = NULL;
  g_autofree char *workbook = NULL;
  g_autofree char *workbook_dir = NULL;
  g_autofree char *workbook_rels = NULL;
  g_autofree char *styles = NULL;
  g_autofree char *strings = NULL;
  Relationship *rel;

  book->display_name = g_file_get_basename (file);
  book->sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) xlsx_sheet_free);
  book->strings = g_string_new (NULL);
  book->string_offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  book->xf_kinds = g_array_new (FALSE, FALSE, sizeof (guint8));

  book->package = pd_zip_package_open (file, ".xlsx", error);
  if (book->package == NULL)
    return NULL;

  root_rels = read_relationships (book, "_rels/.rels", "", error);
  if (root_rels == NULL)
    return NULL;
  rel = find_relationship (root_rels, NULL, "/officeDocument");
  workbook = g_strdup (rel ? rel->target : "xl/workbook.xml");
  if (!pd_zip_package_has_member (book->package, workbook))
    {
      if (pd_zip_package_has_member (book->package, "content.xml"))
        g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                     _("%s is an OpenDocument spreadsheet, not an Excel workbook: "
                       "rename it to .ods."), book->display_name);
      else
        g_set_error (error, PD_ERROR, PD_ERROR_CORRUPT,
                     _("%s is not a valid .xlsx file: it is a zip archive without a workbook in it."),
                     book->display_name);
      return NULL;
    }

  workbook_dir = dir_of (workbook);
  workbook_rels = rels_of (workbook);
  rels = read_relationships (book, workbook_rels, workbook_dir, error);
  if (rels == NULL || !read_workbook (book, workbook, rels, error))
    return NULL;

  rel = find_relationship (rels, NULL, "/styles");
  styles = rel ? g_strdup (rel->target) : g_build_path ("/", workbook_dir, "styles.xml", NULL);
  if (pd_zip_package_has_member (book->package, styles) &&
      !read_styles (book, styles, error))
    return NULL;

  /* libxlsxwriter's constant_memory mode writes inline strings and no
   * shared strings part at all. */
  rel = find_relationship (rels, NULL, "/sharedStrings");
  strings = rel ? g_strdup (rel->target) : g_build_path ("/", workbook_dir, "sharedStrings.xml", NULL);
  if (pd_zip_package_has_member (book->package, strings) &&
      !read_shared_strings (book, strings, cancellable, error))
    return NULL;

  return g_steal_pointer (&book);
}

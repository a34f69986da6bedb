/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd_email_normalize() against the isemail test vectors
 * ($PD_SHARED_DIR/corpora/isemail/tests.xml, Dominic Sayers, BSD).
 *
 * Required: every ISEMAIL_ERR address is rejected; every
 * ISEMAIL_VALID_CATEGORY and ISEMAIL_DNSWARN address is accepted (there is
 * no DNS here: DNS warnings are syntactically valid addresses).
 *
 * Policy for the other categories (see the top of src/core/pd-email.c:
 * accept what a store's mailing system can deliver to):
 *  - ISEMAIL_CFWS_FWS and ISEMAIL_DEPREC_FWS where spaces only surround the
 *    address: accepted, because surrounding spaces and tabs are trimmed as
 *    in any spreadsheet cell.  With a line break (CR LF folding) they are
 *    rejected, as the ISEMAIL_ERR_FWS_CRLF_* and ERR_CR_NO_LF ones must be.
 *  - everything else is rejected: quoted local parts, comments, address
 *    literals ([IP]), numeric or missing top-level domains (RFC5321_TLD,
 *    TLDNUMERIC), white space inside the address, obsolete syntax, and
 *    over-long addresses, local parts and labels (RFC5322 *_TOOLONG).
 *
 * tests.xml writes ASCII control characters as U+2400 + code (its notes
 * and readme say so): they are mapped back before testing. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <locale.h>
#include <string.h>

#include "pd-email.h"
#include "pd-error.h"

static char *
unescape_controls (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c >= 0x2400 && c <= 0x241F)
        g_string_append_c (out, (char) (c - 0x2400));
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
child_text (xmlNode *test, const char *name)
{
  for (xmlNode *n = test->children; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE && strcmp ((const char *) n->name, name) == 0)
      {
        xmlChar *content = xmlNodeGetContent (n);
        char *s = g_strdup ((const char *) content);
        xmlFree (content);
        return s;
      }
  return NULL;
}

/* Spaces or tabs inside the address, or a line break anywhere. */
static gboolean
has_inner_space (const char *s)
{
  g_autofree char *copy = g_strstrip (g_strdup (s));
  if (strpbrk (s, "\r\n") != NULL)
    return TRUE;
  for (const char *p = copy; *p; p++)
    if (g_ascii_isspace (*p))
      return TRUE;
  return FALSE;
}

static void
test_isemail (void)
{
  const char *shared = g_getenv ("PD_SHARED_DIR");
  g_autofree char *path = NULL;
  xmlDoc *doc;
  guint n = 0, accepted = 0, by_policy = 0, failures = 0;

  if (shared == NULL)
    {
      g_test_skip ("PD_SHARED_DIR is not set: no isemail corpus to test against");
      return;
    }
  path = g_build_filename (shared, "corpora", "isemail", "tests.xml", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("isemail corpus absent: %s", path);
      g_test_skip (msg);
      return;
    }
  doc = xmlReadFile (path, NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);

  for (xmlNode *t = xmlDocGetRootElement (doc)->children; t; t = t->next)
    {
      g_autofree char *raw = NULL;
      g_autofree char *address = NULL;
      g_autofree char *category = NULL;
      g_autofree char *diagnosis = NULL;
      g_autofree char *id = NULL;
      g_autofree char *result = NULL;
      g_autoptr(GError) error = NULL;
      gboolean expect;

      if (t->type != XML_ELEMENT_NODE || strcmp ((const char *) t->name, "test") != 0)
        continue;
      raw = child_text (t, "address");
      address = unescape_controls (raw ? raw : "");
      category = child_text (t, "category");
      diagnosis = child_text (t, "diagnosis");
      {
        xmlChar *prop = xmlGetProp (t, (const xmlChar *) "id");
        id = g_strdup ((const char *) prop);
        xmlFree (prop);
      }
      g_assert_nonnull (category);

      if (g_str_equal (category, "ISEMAIL_ERR"))
        expect = FALSE;
      else if (g_str_equal (category, "ISEMAIL_VALID_CATEGORY") ||
               g_str_equal (category, "ISEMAIL_DNSWARN"))
        expect = TRUE;
      else
        {
          by_policy++;
          expect = (g_strcmp0 (diagnosis, "ISEMAIL_CFWS_FWS") == 0 ||
                    g_strcmp0 (diagnosis, "ISEMAIL_DEPREC_FWS") == 0) &&
                   !has_inner_space (address);
        }

      result = pd_email_normalize (address, &error);
      n++;
      if (result)
        accepted++;
      if ((result != NULL) != expect)
        {
          failures++;
          g_test_message ("test %s %s (%s) “%s”: expected %s, got %s %s", id, category,
                          diagnosis, address, expect ? "accept" : "reject",
                          result ? result : "reject", error ? error->message : "");
        }
      else if (result)
        {
          /* Accepted: trimmed and lower-cased, nothing else. */
          g_autofree char *trimmed = g_strstrip (g_strdup (address));
          g_autofree char *lower = g_utf8_strdown (trimmed, -1);
          g_assert_cmpstr (result, ==, lower);
        }
      else
        {
          g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
          g_test_message ("test %s rejected: %s", id, error->message);
        }
    }
  xmlFreeDoc (doc);
  g_test_message ("%u addresses: %u accepted, %u decided by policy", n, accepted, by_policy);
  g_assert_cmpuint (n, >, 150);
  g_assert_cmpuint (failures, ==, 0);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/email/isemail", test_isemail);
  return g_test_run ();
}

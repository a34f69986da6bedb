/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Email normalization: trimming, lower-casing and each reason. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pd-email.h"
#include "pd-error.h"

static void
assert_ok (const char *text, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = pd_email_normalize (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, expected);
}

/* Asserts a rejection whose reason contains @fragment. */
static void
assert_reason (const char *text, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = pd_email_normalize (text, &error);

  g_assert_null (result);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_test_message ("“%s”: %s", text, error->message);
  if (strstr (error->message, fragment) == NULL)
    g_error ("reason for “%s” is “%s”, expected it to mention “%s”", text, error->message, fragment);
}

static void
test_normalize (void)
{
  assert_ok ("bob@example.com", "bob@example.com");
  assert_ok ("  Bob.Smith@Example.COM ", "bob.smith@example.com");
  assert_ok ("\tJOSE.GARCIA12@GMAIL.COM\t", "jose.garcia12@gmail.com");
  assert_ok ("\u3000\u200bbob@example.com\ufeff", "bob@example.com");
  assert_ok ("\u00a0anne+promo@mail.example.org\u00a0", "anne+promo@mail.example.org");
  assert_ok ("o'brien@example.ie", "o'brien@example.ie");
  assert_ok ("a@b.co", "a@b.co");
  assert_ok ("user@io", "user@io");   /* a bare ccTLD */
  assert_ok ("x@mail-server.example-domain.com", "x@mail-server.example-domain.com");
  assert_ok ("test@xn--hxajbheg2az3al.xn--jxalpdlp", "test@xn--hxajbheg2az3al.xn--jxalpdlp");
}

static void
test_international (void)
{
  /* IDN domains and EAI local parts, lower-cased per character. */
  assert_ok ("José@Correo.Ejemplo.ES", "josé@correo.ejemplo.es");
  assert_ok ("ÜBER@MÜNCHEN.DE", "über@münchen.de");
  assert_ok ("用户@例子.广告", "用户@例子.广告");
  assert_ok ("иван@пример.рф", "иван@пример.рф");
  /* Decomposed é (e + U+0301) becomes the composed form. */
  assert_ok ("Jose\u0301@example.com", "jos\u00e9@example.com");
}

static void
test_turkish_locale (void)
{
  /* "I" must become "i" whatever the locale. */
  if (setlocale (LC_ALL, "tr_TR.UTF-8") == NULL)
    {
      g_test_skip ("tr_TR.UTF-8 locale not installed");
      setlocale (LC_ALL, "");
      return;
    }
  assert_ok ("INFO@IBM.COM", "info@ibm.com");
  setlocale (LC_ALL, "");
}

static void
test_reasons (void)
{
  assert_reason ("", "empty");
  assert_reason ("   ", "empty");
  assert_reason ("no at sign", "space");
  assert_reason ("noatsign.example.com", "no @ sign");
  assert_reason ("bob@", "no domain");
  assert_reason ("@example.com", "nothing before the @");
  assert_reason ("bob@@example.com", "more than one @");
  assert_reason ("a@b@example.com", "more than one @");
  assert_reason ("bob@gmail", "no dot");
  assert_reason ("bob@org", "no dot");
  assert_reason ("bob smith@example.com", "space");
  assert_reason ("bob\u00a0smith@example.com", "space");
  assert_reason ("bob@example.com\r\n", "line break");
  assert_reason ("bob@example.com\nann@example.com", "line break");
  assert_reason ("bob@example..com", "two dots");
  assert_reason ("bob..smith@example.com", "two dots");
  assert_reason (".bob@example.com", "dot at the start or end");
  assert_reason ("bob.@example.com", "dot at the start or end");
  assert_reason ("bob@example.com.", "starts or ends with a dot");
  assert_reason ("bob@.example.com", "starts or ends with a dot");
  assert_reason ("bob@gmail,com", "“,”");
  assert_reason ("bob;x@example.com", "“;”");
  assert_reason ("<bob@example.com>", "“<”");
  assert_reason ("bob\\x@example.com", "“\\”");
  assert_reason ("bob\001@example.com", "U+0001");
  assert_reason ("bob@exa_mple.com", "“_”");
  assert_reason ("bob@-example.com", "hyphen");
  assert_reason ("bob@example-.com", "hyphen");
  assert_reason ("bob@example.123", "ends in a number");
  assert_reason ("bob@192.168.1.1", "ends in a number");
  assert_reason ("\"bob smith\"@example.com", "space");
  assert_reason ("\"bob\"@example.com", "quote");
  assert_reason ("(comment)bob@example.com", "comment");
  assert_reason ("bob@[192.168.1.1]", "IP address");
  assert_reason ("bob@例子。广告", "“。”");
}

static void
test_lengths (void)
{
  g_autofree char *local64 = g_strnfill (64, 'a');
  g_autofree char *local65 = g_strnfill (65, 'a');
  g_autofree char *label63 = g_strnfill (63, 'b');
  g_autofree char *label64 = g_strnfill (64, 'b');
  g_autofree char *ok_local = g_strconcat (local64, "@example.com", NULL);
  g_autofree char *long_local = g_strconcat (local65, "@example.com", NULL);
  g_autofree char *ok_label = g_strconcat ("a@", label63, ".com", NULL);
  g_autofree char *long_label = g_strconcat ("a@", label64, ".com", NULL);
  /* 64 + 1 + 63.63.61 = 254 in all; one more is too long. */
  g_autofree char *l61 = g_strnfill (61, 'c');
  g_autofree char *l62 = g_strnfill (62, 'c');
  g_autofree char *max = g_strconcat (local64, "@", label63, ".", label63, ".", l61, NULL);
  g_autofree char *over = g_strconcat (local64, "@", label63, ".", label63, ".", l62, NULL);

  g_assert_cmpuint (strlen (max), ==, 254);
  assert_ok (ok_local, ok_local);
  assert_reason (long_local, "64");
  assert_ok (ok_label, ok_label);
  assert_reason (long_label, "63");
  assert_ok (max, max);
  assert_reason (over, "254");
}

static void
test_generator_emails (void)
{
  /* The shapes ../shared/bench/gen-personas.py writes, good and broken. */
  assert_ok ("Jose.Garcia12@Gmail.Com", "jose.garcia12@gmail.com");
  assert_ok (" mary.smith3@yahoo.com", "mary.smith3@yahoo.com");
  assert_ok ("MSMITH4@OUTLOOK.COM ", "msmith4@outlook.com");
  assert_reason ("msmith4outlook.com", "no @");
  assert_reason ("msmith4@@outlook.com", "more than one @");
  assert_reason ("msmith4@outlook", "no dot");
  assert_reason ("msm ith4@outlook.com", "space");
  assert_reason ("@outlook.com", "nothing before");
  assert_reason ("msmith4@", "no domain");
  assert_reason ("msmith4@outlook,com", "“,”");
  assert_reason ("msmith4@outlook.com.", "dot");
}

static void
test_invalid_utf8 (void)
{
  assert_reason ("bob\xff@example.com", "not valid text");
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/email/normalize", test_normalize);
  g_test_add_func ("/email/international", test_international);
  g_test_add_func ("/email/turkish-locale", test_turkish_locale);
  g_test_add_func ("/email/reasons", test_reasons);
  g_test_add_func ("/email/lengths", test_lengths);
  g_test_add_func ("/email/generator-emails", test_generator_emails);
  g_test_add_func ("/email/invalid-utf8", test_invalid_utf8);
  return g_test_run ();
}

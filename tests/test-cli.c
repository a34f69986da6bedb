/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the real persona-desk-cli ($PD_CLI) on files made here and checks
 * its JSON contract and exit codes. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static char *tmp_dir;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static Run
run_cli (const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  va_list ap;
  int wait_status;

  g_ptr_array_add (args, (gpointer) g_getenv ("PD_CLI"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (tmp_dir, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run.out, &run.err, &wait_status, &error);
  g_assert_no_error (error);
  run.status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return run;
}

static char *
write_fixture (const char *name,
               const char *contents)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_one_line (const char *text,
                 const char *needle)
{
  const char *nl = strchr (text, '\n');

  g_assert_nonnull (nl);
  g_assert_cmpstr (nl + 1, ==, "");
  if (strstr (text, needle) == NULL)
    g_error ("“%s” does not name “%s”", text, needle);
}

static gboolean
have_cli (void)
{
  if (g_getenv ("PD_CLI") == NULL)
    {
      g_test_skip ("PD_CLI is not set (run through meson test)");
      return FALSE;
    }
  return TRUE;
}

static void
test_cli_headers (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  Run run;
  JsonArray *fields;
  gboolean saw_phone = FALSE;

  if (!have_cli ())
    return;

  run = run_cli ("headers", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  fields = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (fields), >=, 28);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);

      g_assert_true (json_object_has_member (f, "key"));
      g_assert_true (json_object_has_member (f, "label"));
      g_assert_true (json_object_has_member (f, "type"));
      g_assert_true (json_object_has_member (f, "multi"));
      g_assert_true (json_object_has_member (f, "synonyms"));
      if (g_str_equal (json_object_get_string_member (f, "key"), "phone"))
        {
          saw_phone = TRUE;
          g_assert_true (json_object_get_boolean_member (f, "multi"));
          g_assert_cmpstr (json_object_get_string_member (f, "type"), ==, "phone");
        }
    }
  g_assert_true (saw_phone);
  run_clear (&run);

  run = run_cli ("headers", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "sms_opt_out"));
  run_clear (&run);
}

/* The template analyzes clean: its labels map back to their fields. */
static void
test_cli_template (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = g_build_filename (tmp_dir, "template.csv", NULL);
  g_autofree char *contents = NULL;
  JsonObject *o, *mapping;
  GList *members;
  Run run;

  if (!have_cli ())
    return;

  run = run_cli ("template", "--out", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_suffix (contents, "\r\n"));

  run = run_cli ("analyze", path, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse_object (run.out, parser);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "valid"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 0);
  mapping = json_object_get_object_member (o, "mapping");
  members = json_object_get_values (mapping);
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_false (JSON_NODE_HOLDS_NULL (l->data));
  g_assert_cmpuint (g_list_length (members), ==, 28);
  g_list_free (members);
  run_clear (&run);
}

static void
test_cli_analyze_json (void)
{
  static const char *keys[] = { "total", "valid", "failed", "warned", "shared_phones", "earlier_import",
                                "mapping", "warnings", "date_questions", "warned_rows", "rows" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = write_fixture ("people.csv",
    "Title line\r\n"
    "Email,Contact,Veteran,Notes\r\n"
    "ann@example.com,(202) 555-0143,Yes,x\r\n"
    "bob@,202-555-0144,No,y\r\n"
    "cy@example.com,12345,,z\r\n");
  JsonObject *o, *mapping;
  JsonArray *rows;
  GList *members;
  Run run;

  if (!have_cli ())
    return;

  run = run_cli ("analyze", path, "--skip-rows", "1", "--map", "Contact=phone",
                 "--ignore-column", "Notes", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse_object (run.out, parser);

  members = json_object_get_members (o);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (keys));
  g_list_free (members);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));

  /* bob@ and 12345 are left out with warnings: every customer is kept */
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "valid"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "warned"), ==, 2);
  mapping = json_object_get_object_member (o, "mapping");
  g_assert_cmpstr (json_object_get_string_member (mapping, "Email"), ==, "email");
  g_assert_cmpstr (json_object_get_string_member (mapping, "Contact"), ==, "phone");
  g_assert_true (json_object_get_null_member (mapping, "Veteran"));
  g_assert_true (json_object_get_null_member (mapping, "Notes"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "rows")), ==, 0);
  rows = json_object_get_array_member (o, "warned_rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  {
    JsonObject *r = json_array_get_object_element (rows, 0);
    JsonArray *reasons = json_object_get_array_member (r, "reasons");

    /* The title is row 1, the header row 2: bob is row 4. */
    g_assert_cmpint (json_object_get_int_member (r, "row"), ==, 4);
    g_assert_cmpuint (json_array_get_length (reasons), ==, 1);
    g_assert_nonnull (strstr (json_array_get_string_element (reasons, 0), "Row 4, column “Email”"));
    g_assert_nonnull (strstr (json_array_get_string_element (reasons, 0), "left out"));
  }
  run_clear (&run);

  /* --strict: a value that can't be read fails its row, as before */
  run = run_cli ("analyze", path, "--skip-rows", "1", "--map", "Contact=phone",
                 "--ignore-column", "Notes", "--strict", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse_object (run.out, parser);
  g_assert_cmpint (json_object_get_int_member (o, "valid"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "warned"), ==, 0);
  rows = json_object_get_array_member (o, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  {
    JsonObject *r = json_array_get_object_element (rows, 0);
    JsonArray *reasons = json_object_get_array_member (r, "reasons");

    g_assert_cmpint (json_object_get_int_member (r, "row"), ==, 4);
    g_assert_cmpuint (json_array_get_length (reasons), ==, 1);
    g_assert_nonnull (strstr (json_array_get_string_element (reasons, 0), "Row 4, column “Email”"));
  }
  run_clear (&run);

  /* Human output names the counts. */
  run = run_cli ("analyze", path, "--skip-rows", "1", "--map", "Contact=phone", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "people.csv"));
  g_assert_nonnull (strstr (run.out, "3 valid (2 of them with warnings), 0 failed"));
  g_assert_nonnull (strstr (run.out, "Row 4, column “Email”"));
  run_clear (&run);
}

static void
test_cli_refused (void)
{
  g_autofree char *names = write_fixture ("names.csv", "First Name,City\r\nAnn,Oslo\r\n");
  g_autofree char *pdf = write_fixture ("scan.pdf", "%PDF-1.4\n");
  g_autofree char *twice = write_fixture ("twice.csv", "Email,First Name,Mail\r\na@b.com,Ada,c@d.com\r\n");
  Run run;

  if (!have_cli ())
    return;

  run = run_cli ("analyze", names, "--json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_line (run.err, "names.csv");
  run_clear (&run);

  run = run_cli ("analyze", pdf, NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_one_line (run.err, "scan.pdf");
  run_clear (&run);

  run = run_cli ("analyze", "missing.csv", NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_one_line (run.err, "missing.csv");
  run_clear (&run);

  /* two columns on a field of one value (email takes several) */
  run = run_cli ("analyze", twice, "--map", "Mail=first_name", NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_one_line (run.err, "“Mail”");
  g_assert_nonnull (strstr (run.err, "“First Name”"));
  run_clear (&run);

  /* Usage errors are 2. */
  run = run_cli ("analyze", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run = run_cli ("analyze", names, "--no-such-option", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
}

/* The benchmark's generator, small: every row is counted once, and the
 * mapping is the one the issue asks for. */
static void
test_cli_generator (void)
{
  const char *shared = g_getenv ("PD_SHARED_DIR");
  g_autofree char *script = NULL;
  g_autofree char *out = g_build_filename (tmp_dir, "gen.csv", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  JsonObject *o, *mapping;
  int wait_status;
  Run run;

  if (!have_cli ())
    return;
  if (shared == NULL || python == NULL)
    {
      g_test_skip ("no PD_SHARED_DIR or no python3: generator not available");
      return;
    }
  script = g_build_filename (shared, "bench", "gen-personas.py", NULL);
  if (!g_file_test (script, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("gen-personas.py is missing");
      return;
    }

  {
    const char *argv[] = { python, script, "--rows", "3000", "--seed", "7", "--out", out, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                  &wait_status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }

  run = run_cli ("analyze", out, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse_object (run.out, parser);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 3000);
  g_assert_cmpint (json_object_get_int_member (o, "valid") + json_object_get_int_member (o, "failed"),
                   ==, 3000);
  /* The generator's bad values (~1%) and its numbers in area codes
   * libphonenumber does not know as valid (many: they are only
   * structurally NANP) are left out or kept with warnings; the rows that
   * fail have nothing else that identifies the customer, and every
   * failure is about a phone or an email. */
  g_assert_cmpint (json_object_get_int_member (o, "warned"), >, 5);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), <, 30);
  {
    JsonArray *rows = json_object_get_array_member (o, "rows");

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonArray *reasons = json_object_get_array_member (json_array_get_object_element (rows, i),
                                                           "reasons");

        for (guint r = 0; r < json_array_get_length (reasons); r++)
          {
            const char *reason = json_array_get_string_element (reasons, r);

            /* a row whose phone and email were both left out fails for
             * that; its other values left out are listed too */
            if (strstr (reason, "column “Phone”") == NULL && strstr (reason, "column “Email”") == NULL &&
                strstr (reason, "no valid email, phone") == NULL && strstr (reason, "left out") == NULL)
              g_error ("unexpected failure: %s", reason);
          }
      }
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "rows")), ==,
                    json_object_get_int_member (o, "failed"));
  mapping = json_object_get_object_member (o, "mapping");
  g_assert_cmpstr (json_object_get_string_member (mapping, "Opt-in SMS"), ==, "sms_opt_in");
  g_assert_cmpstr (json_object_get_string_member (mapping, "Explicit SMS Opt-out"), ==, "sms_opt_out");
  g_assert_true (json_object_get_null_member (mapping, "Veteran"));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("pd-cli-XXXXXX", NULL);

  g_test_add_func ("/cli/headers", test_cli_headers);
  g_test_add_func ("/cli/template", test_cli_template);
  g_test_add_func ("/cli/analyze-json", test_cli_analyze_json);
  g_test_add_func ("/cli/refused", test_cli_refused);
  g_test_add_func ("/cli/generator", test_cli_generator);
  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return ret;
}

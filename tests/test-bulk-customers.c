/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bulk customers call (pd_bulk_customers_run()) and the JSON reader
 * behind it: counts that add up on 10,000 customers, undo, the history's
 * copy of the body, synonyms, unknown fields, rejected customers with
 * reasons, the actions, caps, and the rules of a file import unchanged
 * (the same customers as a CSV give the same personas). */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pd-bulk-customers.h"
#include "pd-error.h"
#include "pd-json-reader.h"
#include "pd-test-store-fixture.h"

static const char *
pd_persona_get_value_first (PdPersona *persona)
{
  return pd_persona_get_value (persona, PD_FIELD_FIRST_NAME);
}

static GBytes *
body_new (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static PdBulkResult *
run_bulk (Fixture     *f,
          const char  *text,
          GError     **error)
{
  g_autoptr(GBytes) body = body_new (text);
  PdBulkOptions options;

  pd_bulk_options_init (&options);
  options.n_threads = 1;
  options.same_file = PD_SAME_FILE_IMPORT_ANYWAY;
  return pd_bulk_customers_run (f->store, body, &options, NULL, error);
}

static guint
count_active (Fixture *f)
{
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE };
  g_autoptr(GError) error = NULL;
  guint n = pd_store_count_personas (f->store, &query, &error);

  g_assert_no_error (error);
  return n;
}

static PdPersona *
find (Fixture    *f,
      PdFieldId   key,
      const char *value)
{
  g_autoptr(GError) error = NULL;
  gint64 id = pd_store_find_persona (f->store, key, value, &error);
  PdPersona *persona;

  g_assert_no_error (error);
  if (id == 0)
    return NULL;
  persona = pd_store_get_persona (f->store, id, &error);
  g_assert_no_error (error);
  return persona;
}

/* 10,000 customers: 9,900 new, 50 matching personas already there (an
 * update), 50 without any valid identifier (rejected). */
static void
test_ten_thousand (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"action\": \"update\", \"deduplicationKeys\": [\"email\"], "
                                          "\"customers\": [");
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) seed = NULL;
  g_autoptr(GString) csv = g_string_new ("email,first_name\n");
  g_autoptr(GOutputStream) kept = g_memory_output_stream_new_resizable ();
  g_autoptr(PdImportInfo) info = NULL;
  guint before;

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (csv, "old%u@example.com,Old\n", i);
  seed = import (f, csv->str, NULL);
  before = count_active (f);
  g_assert_cmpuint (before, ==, 50);

  for (guint i = 0; i < 10000; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      if (i < 50)
        g_string_append_printf (text, "{\"firstName\": \"Updated\", \"email\": [\"old%u@example.com\"]}", i);
      else if (i % 200 == 0)
        g_string_append_printf (text, "{\"firstName\": \"Nobody %u\", \"email\": \"broken%u\"}", i, i);
      else
        g_string_append_printf (text, "{\"firstName\": \"F%u\", \"lastName\": \"L%u\", "
                                "\"email\": [\"c%u@example.com\"], \"phoneNumber\": [\"+1202555%04u\"], "
                                "\"birthday\": \"1990-02-13\", \"loyaltyPoints\": 5}",
                                i, i, i, i);
    }
  g_string_append (text, "]}");

  result = run_bulk (f, text->str, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->inserted + result->updated + result->ignored + result->rejected, ==, 10000);
  g_assert_cmpuint (result->updated, ==, 50);
  g_assert_cmpuint (result->rejected, ==, 50 - 1);  /* i = 0 is one of the 50 updates */
  g_assert_cmpuint (result->inserted, ==, 10000 - 50 - 49);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (result->rejected_customers)), ==,
                    result->rejected);
  g_assert_cmpuint (count_active (f), ==, before + result->inserted);

  /* in the history like a file, whose kept file is the body */
  info = pd_store_get_import (f->store, result->import_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->file_name, ==, "bulk-customers.json");
  g_assert_cmpuint (info->imported, ==, result->inserted);
  g_assert_true (pd_store_write_import_file (f->store, result->import_id, kept, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (kept, NULL, NULL));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (kept)), ==, text->len);
  g_assert_true (memcmp (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (kept)), text->str,
                         text->len) == 0);

  /* undo: the new personas go, the updated ones are as before */
  g_assert_true (pd_store_undo_import (f->store, result->import_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_active (f), ==, before);
  {
    g_autoptr(PdPersona) old = find (f, PD_FIELD_EMAIL, "old7@example.com");

    g_assert_nonnull (old);
    g_assert_cmpstr (pd_persona_get_value_first (old), ==, "Old");
  }
}

/* The seed's field names are synonyms of the persona fields. */
static void
test_synonyms (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) persona = NULL;
  GPtrArray *phones, *emails;

  result = run_bulk (f, "{\"customers\": [{\"firstName\": \"Grace\", \"lastName\": \"Hopper\", "
                        "\"emailAddress\": [\"grace@example.com\", \"G.Hopper@Example.com\"], "
                        "\"phoneNumber\": [\"+1 202 555 0143\", \"+12025550199\"], "
                        "\"birthday\": \"1906-12-09\", \"city\": \"Arlington\", "
                        "\"tags\": [\"navy\", \"cobol\"], \"attribute:rank\": \"Rear Admiral\"}]}",
                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->inserted, ==, 1);
  g_assert_cmpuint (result->rejected, ==, 0);
  persona = find (f, PD_FIELD_EMAIL, "g.hopper@example.com");
  g_assert_nonnull (persona);
  g_assert_cmpstr (pd_persona_get_value_first (persona), ==, "Grace");
  g_assert_cmpstr (pd_persona_get_value (persona, PD_FIELD_LAST_NAME), ==, "Hopper");
  g_assert_cmpstr (pd_persona_get_value (persona, PD_FIELD_BIRTH_DATE), ==, "1906-12-09");
  g_assert_cmpstr (pd_persona_get_value (persona, PD_FIELD_CITY), ==, "Arlington");
  emails = pd_persona_get_emails (persona);
  phones = pd_persona_get_phones (persona);
  g_assert_cmpuint (emails->len, ==, 2);
  g_assert_cmpuint (phones->len, ==, 2);
  g_assert_cmpuint (pd_persona_get_tags (persona)->len, ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (pd_persona_get_attributes (persona), "rank"), ==, "Rear Admiral");
}

/* A key that names no field refuses the whole call, naming every such
 * key; nothing is recorded. */
static void
test_unknown_field (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = NULL;

  result = run_bulk (f, "{\"action\": \"merge\", \"customers\": ["
                        "{\"firstName\": \"A\", \"email\": \"a@example.com\", \"shoeSize\": 42},"
                        "{\"firstName\": \"B\", \"email\": \"b@example.com\", \"favouriteColour\": \"red\"}]}",
                     &error);
  g_assert_null (result);
  g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "shoeSize"));
  g_assert_nonnull (strstr (error->message, "favouriteColour"));
  g_clear_error (&error);
  g_assert_cmpuint (count_active (f), ==, 0);
  imports = pd_store_list_imports (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imports->len, ==, 0);

  /* and so does an unknown member of the body, or action */
  g_clear_error (&error);
  result = run_bulk (f, "{\"customers\": [], \"dryRun\": true}", &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "dryRun"));
  g_clear_error (&error);
  result = run_bulk (f, "{\"action\": \"upsert\", \"customers\": []}", &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_clear_error (&error);
  result = run_bulk (f, "{\"deduplicationKeys\": [\"firstName\"], \"customers\": []}", &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "firstName"));
  g_clear_error (&error);
  /* two keys on one single-valued field */
  result = run_bulk (f, "{\"customers\": [{\"firstName\": \"A\", \"first_name\": \"B\", "
                        "\"email\": \"a@example.com\"}]}", &error);
  g_assert_error (error, PD_ERROR, PD_ERROR_MAPPING);
}

static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *rejected;
  JsonObject *first, *second, *third;

  result = run_bulk (f, "{\"customers\": ["
                        "{\"firstName\": \"Ok\", \"email\": \"ok@example.com\"},"
                        "{\"firstName\": \"NoId\", \"email\": \"nope\"},"
                        "{},"
                        "\"not an object\","
                        "{\"firstName\": \"Nested\", \"email\": {\"home\": \"n@example.com\"}}]}",
                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->inserted, ==, 1);
  g_assert_cmpuint (result->rejected, ==, 4);
  rejected = json_node_get_array (result->rejected_customers);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 4);
  first = json_array_get_object_element (rejected, 0);
  g_assert_cmpint (json_object_get_int_member (first, "index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "customer"),
                                                  "firstName"), ==, "NoId");
  g_assert_nonnull (strstr (json_object_get_string_member (first, "reason"), "nope"));
  second = json_array_get_object_element (rejected, 1);
  g_assert_cmpint (json_object_get_int_member (second, "index"), ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (second, "reason"), "no values"));
  third = json_array_get_object_element (rejected, 2);
  g_assert_cmpstr (json_node_get_string (json_object_get_member (third, "customer")), ==, "not an object");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (rejected, 3),
                                                           "reason"), "email"));
  {
    g_autoptr(JsonNode) node = pd_bulk_result_to_json (result);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpint (json_object_get_int_member (object, "insertedCount"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (object, "rejectedCount"), ==, 4);
    g_assert_true (json_object_has_member (object, "updatedCount"));
    g_assert_true (json_object_has_member (object, "ignoredCount"));
  }
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PdImportJob) seed = import (f, "email,first_name,city\nsam@example.com,Sam,Oslo\n", NULL);
  g_autoptr(PdBulkResult) ignored = NULL;
  g_autoptr(PdBulkResult) updated = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPersona) after_ignore = NULL;
  g_autoptr(PdPersona) after_update = NULL;

  ignored = run_bulk (f, "{\"action\": \"ignore\", \"deduplicationKeys\": [\"email\"], \"customers\": ["
                         "{\"firstName\": \"Samuel\", \"email\": \"SAM@example.com\"},"
                         "{\"firstName\": \"New\", \"email\": \"new@example.com\"}]}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ignored->ignored, ==, 1);
  g_assert_cmpuint (ignored->inserted, ==, 1);
  after_ignore = find (f, PD_FIELD_EMAIL, "sam@example.com");
  g_assert_cmpstr (pd_persona_get_value_first (after_ignore), ==, "Sam");

  /* the engine's update fills empty fields and keeps the others */
  updated = run_bulk (f, "{\"action\": \"update\", \"deduplicationKeys\": [\"email\"], \"customers\": ["
                         "{\"firstName\": \"Samuel\", \"lastName\": \"Beckett\", \"email\": \"sam@example.com\"}]}",
                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updated->updated, ==, 1);
  g_assert_cmpuint (updated->inserted, ==, 0);
  after_update = find (f, PD_FIELD_EMAIL, "sam@example.com");
  g_assert_cmpstr (pd_persona_get_value_first (after_update), ==, "Sam");
  g_assert_cmpstr (pd_persona_get_value (after_update, PD_FIELD_LAST_NAME), ==, "Beckett");
  g_assert_cmpstr (pd_persona_get_value (after_update, PD_FIELD_CITY), ==, "Oslo");

  /* append writes the values sent over the ones there */
  {
    g_autoptr(PdBulkResult) appended = NULL;
    g_autoptr(PdPersona) after_append = NULL;

    appended = run_bulk (f, "{\"action\": \"append\", \"deduplicationKeys\": [\"email\"], \"customers\": ["
                            "{\"firstName\": \"Samuel\", \"email\": \"sam@example.com\"}]}", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (appended->updated, ==, 1);
    after_append = find (f, PD_FIELD_EMAIL, "sam@example.com");
    g_assert_cmpstr (pd_persona_get_value_first (after_append), ==, "Samuel");
  }
}

/* Every persona of a store as JSON text, by id. */
static char *
dump (PdStore *store)
{
  PdPersonaQuery query = { .view = PD_PERSONA_VIEW_ACTIVE, .sort = PD_PERSONA_SORT_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = pd_store_list_personas (store, &query, 0, 1000, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    {
      g_autoptr(JsonNode) node = pd_persona_to_json (g_ptr_array_index (page, i));
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The consent and blocklist rules are the engine's: an explicit SMS
 * opt-out stays, a blocklisted persona is not touched, and the same
 * customers as a CSV give exactly the same personas. */
static void
test_rules_unchanged (Fixture       *f,
                      gconstpointer  data)
{
  static const char seed_csv[] =
    "email,phone,first_name,sms_opt_in,sms_opt_out\n"
    "out@example.com,+12025550101,Out,false,true\n"
    "blocked@example.com,+12025550102,Blocked,false,false\n";
  Fixture other = { 0 };
  g_autoptr(PdImportJob) seed = import (f, seed_csv, NULL);
  g_autoptr(PdImportJob) other_seed = NULL;
  g_autoptr(PdImportJob) other_import = NULL;
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(PdPersona) blocked = NULL;
  g_autoptr(PdPersona) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  PdImportOptions options;
  PdBulkOptions bulk_options;
  g_autoptr(GBytes) body = NULL;

  fixture_set_up (&other, NULL);
  other_seed = import (&other, seed_csv, NULL);
  for (guint s = 0; s < 2; s++)
    {
      PdStore *store = s == 0 ? f->store : other.store;
      g_autoptr(PdPersona) persona = pd_store_get_persona (store, 2, &error);

      g_assert_no_error (error);
      pd_persona_set_blocklisted (persona, TRUE);
      g_assert_true (pd_store_save_persona (store, persona, PD_SOURCE_MANUAL, &error));
      g_assert_no_error (error);
    }

  pd_bulk_options_init (&bulk_options);
  bulk_options.name = "rules";
  bulk_options.n_threads = 1;
  body = body_new ("{\"action\": \"merge\", \"customers\": ["
                   "{\"email\": \"out@example.com\", \"firstName\": \"Out Again\", \"smsOptIn\": true},"
                   "{\"email\": \"blocked@example.com\", \"firstName\": \"Back\", \"smsOptIn\": true},"
                   "{\"email\": \"fresh@example.com\", \"phoneNumber\": \"+12025550103\", \"smsOptIn\": true}]}");
  result = pd_bulk_customers_run (f->store, body, &bulk_options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->inserted + result->updated + result->ignored + result->rejected, ==, 3);

  out = find (f, PD_FIELD_EMAIL, "out@example.com");
  g_assert_nonnull (out);
  g_assert_true (pd_persona_get_sms_opt_out (out));
  g_assert_true (pd_persona_get_sms_consent (out) != PD_SMS_CONSENT_OPTED_IN);
  blocked = pd_store_get_persona (f->store, 2, &error);
  g_assert_no_error (error);
  g_assert_true (pd_persona_get_blocklisted (blocked));
  g_assert_cmpstr (pd_persona_get_value_first (blocked), ==, "Blocked");

  /* the same customers as a CSV, through the same engine */
  pd_import_options_init (&options);
  options.name = "rules";
  other_import = import (&other, "email,phone,first_name,sms_opt_in\n"
                                 "out@example.com,,Out Again,true\n"
                                 "blocked@example.com,,Back,true\n"
                                 "fresh@example.com,+12025550103,,true\n", &options);
  mine = dump (f->store);
  theirs = dump (other.store);
  g_assert_cmpstr (mine, ==, theirs);
  fixture_tear_down (&other, NULL);
}

static void
test_caps (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) body = body_new ("{\"customers\": [{\"email\": \"a@example.com\"}]}");
  g_autoptr(GString) deep = g_string_new ("{\"customers\": ");
  g_autoptr(PdBulkResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdBulkOptions options;

  pd_bulk_options_init (&options);
  options.max_body = 10;
  result = pd_bulk_customers_run (f->store, body, &options, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PD_ERROR, PD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* a role that may not import is refused before anything is read */
  {
    PdActor analyst = { PD_SOURCE_API, "reports", PD_ROLE_ANALYST };
    PdActor pos = { PD_SOURCE_API, "pos-token", PD_ROLE_OWNER };
    g_autoptr(PdImportInfo) info = NULL;

    options.max_body = 0;
    options.actor = &analyst;
    result = pd_bulk_customers_run (f->store, body, &options, NULL, &error);
    g_assert_null (result);
    g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
    g_clear_error (&error);
    options.actor = &pos;
    result = pd_bulk_customers_run (f->store, body, &options, NULL, &error);
    g_assert_no_error (error);
    info = pd_store_get_import (f->store, result->import_id, &error);
    g_assert_cmpstr (info->user, ==, "pos-token");
    g_clear_pointer (&result, pd_bulk_result_free);
  }

  /* nesting that would exhaust json-glib's stack is refused first */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  result = run_bulk (f, deep->str, &error);
  g_assert_null (result);
  g_assert_error (error, PD_ERROR, PD_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* malformed JSON names the line and column */
  result = run_bulk (f, "{\"customers\": [\n{\"email\": \"a@example.com\",}\n]}", &error);
  g_assert_null (result);
  g_assert_error (error, PD_ERROR, PD_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "line 2, column 27"));
}

/* A .json file imports like any file (an array of customers). */
static void
test_json_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "customers.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PdImportJob) job = NULL;
  g_autoptr(GError) error = NULL;
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  const PdImportInfo *info;

  g_assert_true (g_file_set_contents (path, "[{\"firstName\": \"J\", \"email\": \"j@example.com\", "
                                      "\"tags\": [\"a\", \"b\"]}, {\"phoneNumber\": \"+12025550111\"}]",
                                      -1, NULL));
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  g_assert_true (pd_import_job_run (job, NULL, &error));
  g_assert_no_error (error);
  info = pd_import_job_get_info (job);
  g_assert_cmpuint (info->imported, ==, 2);
  g_assert_cmpstr (info->file_name, ==, "customers.json");
}

/* The scanner's corners: a byte-order mark, escapes and surrogate pairs,
 * numbers as written, nulls in lists; and what it refuses. */
static void
test_json_syntax (void)
{
  static const struct {
    const char *text;
    const char *error;   /* NULL: indexed */
  } cases[] = {
    { "\xef\xbb\xbf[{\"firstName\": \"Zo\\u00eb \\ud83d\\ude00\\n\", \"points\": -1.5e2}]", NULL },
    { "[{\"email\": [null, \"a@example.com\", null, \"b@example.com\"]}]", NULL },
    { "{\"customers\": []}", NULL },
    { "[{\"a\": 1}] x", "line 1, column 12" },
    { "[{\"a\": 01}]", "line 1, column 9" },
    { "[{\"a\": \"x\\q\"}]", "line 1, column 10" },
    { "[{\"a\": tru}]", "line 1, column 8" },
    { "{\"customers\": 5}", "no customers" },
    { "", "empty" },
    { "[{\"a\": \"\xff\"}]", "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) text = g_bytes_new (cases[i].text, strlen (cases[i].text));
      g_autoptr(GError) error = NULL;
      g_autoptr(PdJsonIndex) index = pd_json_index_new (text, "t.json", &error);

      if (cases[i].error == NULL)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_null (index);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].error) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].error);
    }

  {
    const char *text = "\xef\xbb\xbf[{\"firstName\": \"Zo\\u00eb \\ud83d\\ude00\", \"points\": -1.5e2, "
                       "\"email\": [null, \"a@example.com\", \"b@example.com\"], \"tags\": [\"x\", \"y\"]}]";
    g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
    g_autoptr(PdJsonIndex) index = pd_json_index_new (bytes, "t.json", NULL);
    g_autofree char *separators = pd_json_reader_list_separators (pd_json_index_get_keys (index));
    g_auto(GStrv) cells = NULL;
    g_autofree char *row_error = NULL;

    g_assert_cmpstr (separators, ==, ";;;,");
    pd_json_index_read_customer (index, 0, separators, &cells, &row_error);
    g_assert_null (row_error);
    g_assert_cmpstr (cells[0], ==, "Zo\u00eb \U0001F600");
    g_assert_cmpstr (cells[1], ==, "-1.5e2");
    g_assert_cmpstr (cells[2], ==, "a@example.com;b@example.com");
    g_assert_cmpstr (cells[3], ==, "x,y");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/bulk/ten-thousand", test_ten_thousand);
  ADD ("/bulk/synonyms", test_synonyms);
  ADD ("/bulk/unknown-field", test_unknown_field);
  ADD ("/bulk/rejected", test_rejected);
  ADD ("/bulk/actions", test_actions);
  ADD ("/bulk/rules-unchanged", test_rules_unchanged);
  ADD ("/bulk/caps", test_caps);
  ADD ("/bulk/json-file", test_json_file);
#undef ADD
  g_test_add_func ("/bulk/json-syntax", test_json_syntax);

  return g_test_run ();
}

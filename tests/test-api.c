/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP API (issue 18) over loopback with libsoup's client
 * (pd-test-api.h): every endpoint, the consent rules,
 * 401/403/400/404/405/409/411/413/503, the OpenAPI document against the
 * route table both ways, its examples and the server's real answers
 * against its schemas. */
#include "config.h"

#include "pd-import-job.h"
#include "pd-store-merge.h"
#include "pd-test-api.h"

/* ---- tests ---- */

/* Every route in the table is documented, every documented one served. */
static void
test_spec (void)
{
  JsonObject *paths = json_object_get_object_member (json_node_get_object (spec), "paths");
  g_autoptr(GList) names = json_object_get_members (paths);
  guint n_routes, n_documented = 0;
  const PdApiRoute *routes = pd_api_routes (&n_routes);

  for (guint i = 0; i < n_routes; i++)
    {
      g_autofree char *method = g_ascii_strdown (routes[i].method, -1);
      JsonObject *item = json_object_has_member (paths, routes[i].pattern)
                       ? json_object_get_object_member (paths, routes[i].pattern) : NULL;

      if (item == NULL || !json_object_has_member (item, method))
        g_error ("%s %s is served but not in openapi.yaml", routes[i].method, routes[i].pattern);
    }
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (paths, l->data);
      g_autoptr(GList) methods = json_object_get_members (item);

      for (GList *m = methods; m != NULL; m = m->next)
        {
          g_autofree char *upper = g_ascii_strup (m->data, -1);
          gboolean served = FALSE;
          JsonObject *responses = json_object_get_object_member (json_object_get_object_member (item, m->data),
                                                                 "responses");
          g_autoptr(GList) codes = json_object_get_members (responses);

          if (g_str_equal (m->data, "parameters"))
            continue;
          for (guint i = 0; i < n_routes; i++)
            served |= g_str_equal (routes[i].method, upper) && g_str_equal (routes[i].pattern, l->data);
          if (!served)
            g_error ("%s %s is in openapi.yaml but not served", upper, (const char *) l->data);
          n_documented++;
          /* each example against its schema */
          for (GList *c = codes; c != NULL; c = c->next)
            {
              JsonNode *example = NULL;
              JsonObject *schema = response_schema (l->data, upper, atoi (c->data), &example);
              g_autofree char *where = g_strdup_printf ("example of %s %s %s", upper, (const char *) l->data,
                                                        (const char *) c->data);

              if (schema != NULL && example != NULL)
                validate (example, schema, where);
            }
        }
    }
  g_assert_cmpuint (n_documented, ==, n_routes);
}

/* The server's log, to check that it never holds a token. */
static GMutex log_lock;
static GString *log_text;

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  g_mutex_lock (&log_lock);
  if (log_text != NULL)
    g_string_append_printf (log_text, "%s\n", message);
  g_mutex_unlock (&log_lock);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) none = { 0 }, wrong = { 0 }, ro_read = { 0 }, ro_write = { 0 }, revoked = { 0 };
  g_auto(Reply) unknown = { 0 }, method = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *temp = NULL;
  gint64 id = create (f, "{\"emails\": [\"a@example.com\"]}");
  g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", id);

  guint handler = g_log_set_handler (NULL, G_LOG_LEVEL_MESSAGE, capture_log, NULL);

  log_text = g_string_new (NULL);
  call_full (f, "GET", "/personas", "/personas", NULL, NULL, 0, &none);
  g_assert_cmpuint (none.status, ==, 401);
  g_assert_cmpstr (error_code (&none), ==, "unauthorized");
  call_full (f, "GET", "/personas", "/personas", "pd_0000secret", NULL, 0, &wrong);
  g_assert_cmpuint (wrong.status, ==, 401);
  /* each 401 is logged, without the token */
  g_mutex_lock (&log_lock);
  g_assert_nonnull (strstr (log_text->str, "401, no bearer token"));
  g_assert_nonnull (strstr (log_text->str, "401, unknown token"));
  g_assert_null (strstr (log_text->str, "pd_0000secret"));
  g_string_free (g_steal_pointer (&log_text), TRUE);
  g_mutex_unlock (&log_lock);
  g_log_remove_handler (NULL, handler);
  /* a read-only token reads, and gets 403 on a write, which changes nothing */
  call_full (f, "GET", "/personas", "/personas", f->ro_token, NULL, 0, &ro_read);
  g_assert_cmpuint (ro_read.status, ==, 200);
  call_full (f, "PUT", points, "/personas/{id}/points", f->ro_token, "{\"delta\": 5, \"reason\": \"x\"}", 0,
             &ro_write);
  g_assert_cmpuint (ro_write.status, ==, 403);
  g_assert_cmpint (pd_store_get_persona (f->store, id, NULL) != NULL, ==, TRUE);
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, id, &error);

    g_assert_cmpint (pd_persona_get_points (p), ==, 0);
  }
  /* a revoked token is refused at once */
  g_assert_true (pd_store_create_api_token (f->store, "temp", FALSE, NULL, &temp, &error));
  g_assert_true (pd_store_revoke_api_token (f->store, "temp", NULL, &error));
  g_assert_no_error (error);
  call_full (f, "GET", "/personas", "/personas", temp, NULL, 0, &revoked);
  g_assert_cmpuint (revoked.status, ==, 401);
  /* the tokens are stored as hashes only */
  {
    g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, f->token, -1);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM api_tokens WHERE hash = '%s' OR hash = '%s'",
                                            hash, f->token);

    g_assert_cmpint (fixture_sql (f, sql), ==, 1);
  }
  /* only the Owner makes tokens */
  {
    PdActor staff = { PD_SOURCE_MANUAL, "sam", PD_ROLE_STAFF };
    g_autofree char *t = NULL;

    g_assert_false (pd_store_create_api_token (f->store, "x", FALSE, &staff, &t, &error));
    g_assert_error (error, PD_ERROR, PD_ERROR_PERMISSION);
    g_clear_error (&error);
  }
  call (f, "GET", "/nothing", NULL, NULL, &unknown);
  g_assert_cmpuint (unknown.status, ==, 404);
  call (f, "DELETE", "/personas", NULL, NULL, &method);
  g_assert_cmpuint (method.status, ==, 405);
}

static void
test_personas (Fixture       *f,
               gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) dup = { 0 }, unknown = { 0 }, malformed = { 0 }, get = { 0 }, missing = { 0 }, bad_id = { 0 };
  g_auto(Reply) page1 = { 0 }, page2 = { 0 }, search = { 0 }, blocked = { 0 }, by_source = { 0 };
  g_auto(Reply) merged = { 0 }, no_id = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 ann, bob, cy, ids[5];
  g_autofree char *path = NULL;

  ann = create (f, "{\"first_name\": \"Ann\", \"emails\": \"Ann@Example.com\", \"phones\": [\"(202) 555-0143\"], "
                   "\"city\": \"Paris\", \"birth_date\": \"1990-04-01\", \"tags\": [\"vip\"], "
                   "\"attributes\": {\"size\": \"M\"}}");
  /* an existing email or phone: 409 with the existing persona */
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"Impostor\", \"phones\": [\"+1 202 555 0143\"]}",
        &dup);
  g_assert_cmpuint (dup.status, ==, 409);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (dup.body),
                                                                               "error"), "persona_id"), ==, ann);
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"X\", \"nickname\": \"x\", \"age\": 3}", &unknown);
  g_assert_cmpuint (unknown.status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (
                              json_node_get_object (unknown.body), "error"), "message"), "age, nickname"));
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"X\",\n  \"emails\": [\"x@example.com\" }", &malformed);
  g_assert_cmpuint (malformed.status, ==, 400);
  {
    JsonObject *e = json_object_get_object_member (json_node_get_object (malformed.body), "error");

    g_assert_cmpint (json_object_get_int_member (e, "line"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (e, "column"), >, 1);
  }
  call (f, "POST", "/personas", "/personas", "{\"first_name\": \"No way to find\"}", &no_id);
  g_assert_cmpuint (no_id.status, ==, 400);

  path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT, ann);
  call (f, "GET", path, "/personas/{id}", NULL, &get);
  g_assert_cmpuint (get.status, ==, 200);
  g_assert_cmpstr (member_string (&get, "first_name"), ==, "Ann");
  g_assert_cmpstr (member_string (&get, "city"), ==, "Paris");
  g_assert_false (json_object_has_member (json_node_get_object (get.body), "merged_from"));
  call (f, "GET", "/personas/999999", "/personas/{id}", NULL, &missing);
  g_assert_cmpuint (missing.status, ==, 404);
  call (f, "GET", "/personas/12abc", "/personas/{id}", NULL, &bad_id);
  g_assert_cmpuint (bad_id.status, ==, 400);

  /* pages: 6 personas, pages of 4 */
  bob = create (f, "{\"first_name\": \"Bob\", \"emails\": [\"bob@example.com\"]}");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"last_name\": \"Page%u\", \"emails\": [\"p%u@example.com\"]}", i, i);

      ids[i] = create (f, json);
    }
  call (f, "GET", "/personas?limit=4", "/personas", NULL, &page1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (page1.body),
                                                                          "personas")), ==, 4);
  g_assert_cmpstr (member_string (&page1, "next_cursor"), !=, NULL);
  {
    g_autofree char *next = g_strdup_printf ("/personas?limit=4&cursor=%s", member_string (&page1, "next_cursor"));

    call (f, "GET", next, "/personas", NULL, &page2);
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (page2.body),
                                                                          "personas")), ==, 2);
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (page2.body), "next_cursor")));
  /* the app's search: the last digits of a phone */
  call (f, "GET", "/personas?q=0143", "/personas", NULL, &search);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (search.body),
                                                                          "personas")), ==, 1);
  /* updated_since: only what was written since, paged by ID */
  {
    g_auto(Reply) all = { 0 }, later = { 0 }, first = { 0 }, rest = { 0 }, bad = { 0 }, with_q = { 0 };
    g_autofree char *mark = NULL, *query = NULL, *next = NULL;
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", ids[1]);
    g_auto(Reply) adjust = { 0 };
    JsonArray *array;

    call (f, "GET", "/personas?updated_since=2000-01-01", "/personas", NULL, &all);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (all.body),
                                                                            "personas")), ==, 6);
    g_usleep (2000);
    now = g_date_time_new_now_utc ();
    mark = g_date_time_format_iso8601 (now);
    g_usleep (2000);
    call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 1, \"reason\": \"x\"}", &adjust);
    g_assert_cmpuint (adjust.status, ==, 200);
    {
      g_autofree char *escaped = g_uri_escape_string (mark, NULL, TRUE);

      query = g_strdup_printf ("/personas?updated_since=%s", escaped);
    }
    call (f, "GET", query, "/personas", NULL, &later);
    array = json_object_get_array_member (json_node_get_object (later.body), "personas");
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "id"), ==, ids[1]);
    call (f, "GET", "/personas?updated_since=2000-01-01&limit=4", "/personas", NULL, &first);
    g_assert_cmpstr (member_string (&first, "next_cursor"), ==, "after:4");
    next = g_strdup_printf ("/personas?updated_since=2000-01-01&limit=4&cursor=%s", member_string (&first, "next_cursor"));
    call (f, "GET", next, "/personas", NULL, &rest);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (rest.body),
                                                                            "personas")), ==, 2);
    call (f, "GET", "/personas?updated_since=soon", "/personas", NULL, &bad);
    g_assert_cmpuint (bad.status, ==, 400);
    call (f, "GET", "/personas?updated_since=2000-01-01&q=ann", "/personas", NULL, &with_q);
    g_assert_cmpuint (with_q.status, ==, 400);
  }

  /* a blocklisted persona is in no answer */
  {
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, bob, &error);
    g_auto(Reply) list = { 0 }, status = { 0 };
    g_autofree char *bob_path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT, bob);

    pd_persona_set_blocklisted (p, TRUE);
    g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, &error));
    g_assert_no_error (error);
    call (f, "GET", bob_path, "/personas/{id}", NULL, &blocked);
    g_assert_cmpuint (blocked.status, ==, 404);
    call (f, "GET", "/personas?q=bob@example.com", "/personas", NULL, &list);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list.body),
                                                                            "personas")), ==, 0);
    call (f, "GET", "/loyalty-status?email=bob@example.com", "/loyalty-status", NULL, &status);
    g_assert_cmpstr (member_string (&status, "status"), ==, "unknown");
  }

  /* by source ID */
  g_assert_true (pd_store_set_source_id (f->store, ann, "pos", "C-42", &error));
  g_assert_no_error (error);
  call (f, "GET", "/personas/by-source/pos/C-42", "/personas/by-source/{source}/{source_id}", NULL, &by_source);
  g_assert_cmpuint (by_source.status, ==, 200);
  g_assert_cmpint (member_int (&by_source, "id"), ==, ann);
  {
    g_auto(Reply) none = { 0 };

    call (f, "GET", "/personas/by-source/pos/C-43", "/personas/by-source/{source}/{source_id}", NULL, &none);
    g_assert_cmpuint (none.status, ==, 404);
  }

  /* a merged-away ID answers with the survivor and says so (the merge
   * itself is another part's: written here as the store keeps it) */
  cy = ids[0];
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE personas SET merged_into = %" G_GINT64_FORMAT ", state = 2 "
                                            "WHERE id = %" G_GINT64_FORMAT, ann, cy);
    g_autofree char *cy_path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT, cy);

    fixture_sql (f, sql);
    call (f, "GET", cy_path, "/personas/{id}", NULL, &merged);
  }
  g_assert_cmpuint (merged.status, ==, 200);
  g_assert_cmpint (member_int (&merged, "id"), ==, ann);
  g_assert_cmpint (member_int (&merged, "merged_from"), ==, cy);
}

static void
test_consent (Fixture       *f,
              gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) force = { 0 }, status = { 0 }, decline = { 0 }, again = { 0 }, twice = { 0 };
  g_auto(Reply) pending = { 0 }, outbox = { 0 }, confirm = { 0 }, sent = { 0 }, after = { 0 };
  g_auto(Reply) no_loyalty = { 0 }, both = { 0 }, email_in = { 0 }, email_out = { 0 }, email_again = { 0 };
  g_auto(Reply) bad_phone = { 0 }, unknown_status = { 0 }, stranger = { 0 }, email_confirm = { 0 };
  g_autofree char *sent_body = NULL;
  gint64 ann = create (f, "{\"first_name\": \"Ann\", \"emails\": [\"ann@example.com\"], \"phones\": [\"+12025550143\"]}");

  /* force-set by default: opted in and enrolled */
  call (f, "PUT", "/opt-in", "/opt-in", "{\"phone\": \"(202) 555-0143\"}", &force);
  g_assert_cmpuint (force.status, ==, 200);
  g_assert_cmpstr (member_string (&force, "after"), ==, "opted-in");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (force.body), "enrolled"));
  /* "+" in a query is a plus, not a form's space */
  call (f, "GET", "/loyalty-status?phone=+12025550143", "/loyalty-status", NULL, &status);
  g_assert_cmpstr (member_string (&status, "status"), ==, "member");
  g_assert_cmpint (member_int (&status, "persona_id"), ==, ann);
  g_assert_cmpstr (member_string (&status, "sms"), ==, "opted-in");
  /* the customer's STOP is final: no opt-in of any kind re-opts it */
  call (f, "PUT", "/opt-in/decline", "/opt-in/decline", "{\"phone\": \"+12025550143\"}", &decline);
  g_assert_cmpstr (member_string (&decline, "after"), ==, "opted-out");
  call (f, "PUT", "/opt-in", "/opt-in", "{\"phone\": \"+12025550143\"}", &again);
  g_assert_cmpuint (again.status, ==, 409);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (
                              json_node_get_object (again.body), "error"), "message"), "opted out"));
  call (f, "PUT", "/opt-in?doubleOpt=true", "/opt-in", "{\"phone\": \"+12025550143\"}", &twice);
  g_assert_cmpuint (twice.status, ==, 409);

  /* double opt-in of a number no persona holds: pending, a text queued,
   * no persona created */
  call (f, "PUT", "/opt-in?doubleOpt=true", "/opt-in", "{\"phone\": \"+12025550199\"}", &pending);
  g_assert_cmpuint (pending.status, ==, 200);
  g_assert_cmpstr (member_string (&pending, "after"), ==, "pending");
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (pending.body), "persona_id")));
  g_assert_cmpint (pd_store_count_personas (f->store, &(PdPersonaQuery) { 0 }, NULL), ==, 1);
  call (f, "GET", "/outbox", "/outbox", NULL, &outbox);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (outbox.body)), ==, 1);
  call (f, "PUT", "/opt-in/confirm", "/opt-in/confirm", "{\"phone\": \"+12025550199\"}", &confirm);
  g_assert_cmpstr (member_string (&confirm, "after"), ==, "opted-in");
  sent_body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}", member_int (&pending, "outbox_id"));
  call (f, "POST", "/outbox/sent", "/outbox/sent", sent_body, &sent);
  g_assert_cmpuint (sent.status, ==, 200);
  call (f, "GET", "/outbox", "/outbox", NULL, &after);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after.body)), ==, 0);

  /* loyalty=false: opted in at once, not enrolled; with doubleOpt: 400 */
  call (f, "PUT", "/opt-in?loyalty=false", "/opt-in", "{\"phone\": \"+12025550177\"}", &no_loyalty);
  g_assert_cmpstr (member_string (&no_loyalty, "after"), ==, "opted-in");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (no_loyalty.body), "enrolled"));
  call (f, "PUT", "/opt-in?loyalty=false&doubleOpt=true", "/opt-in", "{\"phone\": \"+12025550178\"}", &both);
  g_assert_cmpuint (both.status, ==, 400);

  /* email: opt-in, the customer's unsubscribe, never again; no confirm */
  call (f, "PUT", "/opt-in", "/opt-in", "{\"email\": \"ANN@example.com\"}", &email_in);
  g_assert_cmpstr (member_string (&email_in, "after"), ==, "opted-in");
  call (f, "PUT", "/opt-in/decline", "/opt-in/decline", "{\"email\": \"ann@example.com\"}", &email_out);
  g_assert_cmpstr (member_string (&email_out, "after"), ==, "opted-out");
  call (f, "PUT", "/opt-in", "/opt-in", "{\"email\": \"ann@example.com\"}", &email_again);
  g_assert_cmpuint (email_again.status, ==, 409);
  call (f, "PUT", "/opt-in/confirm", "/opt-in/confirm", "{\"email\": \"ann@example.com\"}", &email_confirm);
  g_assert_cmpuint (email_confirm.status, ==, 400);

  call (f, "PUT", "/opt-in", "/opt-in", "{\"phone\": \"not a phone\"}", &bad_phone);
  g_assert_cmpuint (bad_phone.status, ==, 400);
  call (f, "GET", "/loyalty-status?phone=2025550100", "/loyalty-status", NULL, &stranger);
  g_assert_cmpstr (member_string (&stranger, "status"), ==, "unknown");
  call (f, "GET", "/loyalty-status?phone=1&email=a@b.c", "/loyalty-status", NULL, &unknown_status);
  g_assert_cmpuint (unknown_status.status, ==, 400);
}

static void
test_points (Fixture       *f,
             gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) plus = { 0 }, minus = { 0 }, no_reason = { 0 }, text_delta = { 0 }, timeline = { 0 };
  g_auto(Reply) all = { 0 }, future = { 0 }, bad_since = { 0 }, missing = { 0 };
  gint64 ann = create (f, "{\"emails\": [\"ann@example.com\"]}");
  g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", ann);
  g_autofree char *path = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points-timeline", ann);
  JsonArray *entries;

  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 50, \"reason\": \"welcome\"}", &plus);
  g_assert_cmpuint (plus.status, ==, 200);
  g_assert_cmpint (member_int (&plus, "balance"), ==, 50);
  /* not below zero (the store's rule) */
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": -80, \"reason\": \"refund\"}", &minus);
  g_assert_cmpuint (minus.status, ==, 409);
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 5}", &no_reason);
  g_assert_cmpuint (no_reason.status, ==, 400);
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": \"5\", \"reason\": \"x\"}", &text_delta);
  g_assert_cmpuint (text_delta.status, ==, 400);
  call (f, "PUT", "/personas/424242/points", "/personas/{id}/points", "{\"delta\": 5, \"reason\": \"x\"}", &missing);
  g_assert_cmpuint (missing.status, ==, 404);

  call (f, "GET", path, "/personas/{id}/points-timeline", NULL, &timeline);
  entries = json_node_get_array (timeline.body);
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  /* the write is the token's: in the ledger and in the audit log */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "who"), ==, "pos");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "source"), ==, "api");
  /* both stores audit the creation and the adjustment (save_persona_as) */
  g_assert_cmpint (fixture_sql (f, "SELECT count(*) FROM audit_log WHERE who = 'pos' AND role = 'operator' "
                                   "AND action IN ('persona.create', 'points.adjust')"), ==, 2);
  call (f, "GET", "/points-adjustments?since=2000-01-01", "/points-adjustments", NULL, &all);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (all.body)), ==, 1);
  /* pages: after= the last id */
  {
    g_auto(Reply) p1 = { 0 }, p2 = { 0 }, p3 = { 0 }, bad_limit = { 0 };
    g_autofree char *next = NULL, *last = NULL;
    JsonArray *a;

    call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 7, \"reason\": \"second\"}", &p1);
    g_assert_cmpuint (p1.status, ==, 200);
    reply_clear (&p1);
    call (f, "GET", "/points-adjustments?limit=1", "/points-adjustments", NULL, &p1);
    a = json_node_get_array (p1.body);
    g_assert_cmpuint (json_array_get_length (a), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (a, 0), "delta"), ==, 50);
    next = g_strdup_printf ("/points-adjustments?limit=1&after=%" G_GINT64_FORMAT,
                            json_object_get_int_member (json_array_get_object_element (a, 0), "id"));
    call (f, "GET", next, "/points-adjustments", NULL, &p2);
    a = json_node_get_array (p2.body);
    g_assert_cmpuint (json_array_get_length (a), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (a, 0), "delta"), ==, 7);
    last = g_strdup_printf ("/points-adjustments?limit=1&after=%" G_GINT64_FORMAT,
                            json_object_get_int_member (json_array_get_object_element (a, 0), "id"));
    call (f, "GET", last, "/points-adjustments", NULL, &p3);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (p3.body)), ==, 0);
    call (f, "GET", "/points-adjustments?limit=0", "/points-adjustments", NULL, &bad_limit);
    g_assert_cmpuint (bad_limit.status, ==, 400);
  }
  /* a blocklisted persona's entries are not listed */
  {
    g_auto(Reply) hidden = { 0 };
    g_autoptr(PdPersona) p = pd_store_get_persona (f->store, ann, NULL);

    pd_persona_set_blocklisted (p, TRUE);
    g_assert_true (pd_store_save_persona (f->store, p, PD_SOURCE_MANUAL, NULL));
    call (f, "GET", "/points-adjustments", "/points-adjustments", NULL, &hidden);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (hidden.body)), ==, 0);
  }
  call (f, "GET", "/points-adjustments?since=2999-01-01T00:00:00Z", "/points-adjustments", NULL, &future);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (future.body)), ==, 0);
  call (f, "GET", "/points-adjustments?since=yesterday", "/points-adjustments", NULL, &bad_since);
  g_assert_cmpuint (bad_since.status, ==, 400);
}

static void
test_attributes (Fixture       *f,
                 gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) add = { 0 }, put = { 0 }, get = { 0 }, bad = { 0 }, pin = { 0 }, pins = { 0 }, bad_pin = { 0 };
  g_auto(Reply) unpin = { 0 }, ro = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 ann = create (f, "{\"emails\": [\"ann@example.com\"], \"attributes\": {\"size\": \"M\"}}");
  g_autofree char *attrs = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/attributes", ann);
  g_autofree char *overrides = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/overrides", ann);
  JsonArray *array;

  g_assert_true (pd_store_set_source_id (f->store, ann, "pos", "C-1", &error));
  call (f, "POST", attrs, "/personas/{id}/attributes", "[{\"name\": \"shoe\", \"value\": \"42\"}]", &add);
  g_assert_cmpuint (add.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (add.body)), ==, 3);   /* shoe, size, source:pos */
  /* PUT makes them the whole set (source IDs stay) */
  call (f, "PUT", attrs, "/personas/{id}/attributes", "[{\"name\": \"color\", \"value\": \"red\"}]", &put);
  call (f, "GET", attrs, "/personas/{id}/attributes", NULL, &get);
  array = json_node_get_array (get.body);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "color");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "name"), ==,
                   "source:pos");
  call (f, "POST", attrs, "/personas/{id}/attributes", "[{\"name\": \"x\", \"valeu\": \"1\"}]", &bad);
  g_assert_cmpuint (bad.status, ==, 400);
  call_full (f, "POST", attrs, "/personas/{id}/attributes", f->ro_token, "[{\"name\": \"x\", \"value\": \"1\"}]", 0,
             &ro);
  g_assert_cmpuint (ro.status, ==, 403);

  call (f, "POST", overrides, "/personas/{id}/overrides", "{\"city\": \"Lyon\"}", &pin);
  g_assert_cmpuint (pin.status, ==, 200);
  call (f, "GET", overrides, "/personas/{id}/overrides", NULL, &pins);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (pins.body),
                                                                                  "overrides"), "city"), ==, "Lyon");
  call (f, "POST", overrides, "/personas/{id}/overrides", "{\"points\": \"5\"}", &bad_pin);
  g_assert_cmpuint (bad_pin.status, ==, 400);
  call (f, "POST", overrides, "/personas/{id}/overrides", "{\"city\": null}", &unpin);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (unpin.body),
                                                                          "overrides")), ==, 0);
}

typedef struct {
  Fixture    *f;
  const char *path;
  guint       status;
  gint64      done_at;
  char       *retry_after;
} WriteJob;

/* A write on a session of its own, for a thread. */
static gpointer
write_while_locked (gpointer data)
{
  WriteJob *job = data;
  g_autofree char *url = g_strconcat (job->f->url, job->path + 1, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", job->f->token, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  static const char text[] = "{\"delta\": 5, \"reason\": \"x\"}";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) bytes = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  bytes = soup_session_send_and_read (session, msg, NULL, NULL);
  job->status = soup_message_get_status (msg);
  job->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                             "Retry-After"));
  job->done_at = g_get_monotonic_time ();
  return NULL;
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  NEED_STORE (f);
  g_auto(Reply) big = { 0 }, read_while = { 0 }, after = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) importer = NULL;
  g_autoptr(PdImportInfo) info = pd_import_info_new ();
  gsize size = PD_API_DEFAULT_MAX_BODY + 10;
  g_autofree char *body = g_malloc (size);
  gint64 ann = create (f, "{\"emails\": [\"ann@example.com\"]}");
  g_autofree char *points = g_strdup_printf ("/personas/%" G_GINT64_FORMAT "/points", ann);
  gint64 start;

  memset (body, ' ', size);
  call_full (f, "POST", "/personas", NULL, f->token, body, size, &big);
  g_assert_cmpuint (big.status, ==, 413);
  /* a body of no stated length (chunked) is refused before it is read */
  {
    g_autofree char *url = g_strconcat (f->url, "personas", NULL);
    g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("{}", 2, NULL);
    g_autoptr(GBytes) bytes = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 411);
  }

  /* an import holds the write lock: a write waits the server's bound
   * (300 ms here), then 503 with Retry-After; reads go on */
  importer = pd_store_open_another (f->store, &error);
  g_assert_no_error (error);
  info->name = g_strdup ("test");
  info->user = g_strdup ("test");
  info->file_name = g_strdup ("none.csv");
  g_assert_cmpint (pd_store_begin_import (importer, info, NULL, &error), >, 0);
  g_assert_no_error (error);
  /* PostgreSQL has no database-wide write lock: the import holds the row
   * of the persona it wrote, which the write must wait for */
  if (f->pg)
    {
      g_autoptr(PdPersona) before = pd_store_get_persona (importer, ann, &error);
      g_autoptr(PdPersona) persona = pd_persona_copy (before);

      pd_persona_set_value (persona, PD_FIELD_CITY, "Lyon");
      g_assert_true (pd_store_import_write (importer, info->id, persona, before, NULL, &error));
      g_assert_no_error (error);
    }
  /* the write waits on one worker while a read is answered on another */
  {
    WriteJob job = { f, points, 0, 0, NULL };
    GThread *writer;
    gint64 read_at;

    start = g_get_monotonic_time ();
    writer = g_thread_new ("writer", write_while_locked, &job);
    g_usleep (50 * 1000);
    call (f, "GET", "/loyalty-status?email=ann@example.com", "/loyalty-status", NULL, &read_while);
    read_at = g_get_monotonic_time ();
    g_thread_join (writer);
    g_assert_cmpuint (read_while.status, ==, 200);
    g_assert_cmpuint (job.status, ==, 503);
    g_assert_nonnull (job.retry_after);
    g_assert_cmpint (job.done_at - start, >=, 250 * 1000);
    g_assert_cmpint (read_at, <, job.done_at);
    g_free (job.retry_after);
  }
  pd_store_discard_import (importer, info);
  call (f, "PUT", points, "/personas/{id}/points", "{\"delta\": 5, \"reason\": \"x\"}", &after);
  g_assert_cmpuint (after.status, ==, 200);
}

/* The ids of the personas updated_since @mark answers, in order. */
static char *
feed_ids (Fixture *f,
          gint64   mark)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = pd_store_list_updated_personas (f->store, mark, 0, 100, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            pd_persona_get_id (g_ptr_array_index (page, i)));
  return g_string_free (ids, FALSE);
}

#define assert_feed(f, mark, expected) G_STMT_START { \
    g_autofree char *ids_ = feed_ids ((f), (mark)); \
    g_assert_cmpstr (ids_, ==, (expected)); \
  } G_STMT_END

static gint64
new_mark (void)
{
  gint64 mark;

  g_usleep (2000);
  mark = g_get_real_time ();
  g_usleep (2000);
  return mark;
}

/* Every way a persona is written puts it in the change feed
 * (updated_since), the ones that change many at once too: an import, the
 * SMS request to an import's audience, the expiry of those requests, an
 * undo; and nothing else is in it. */
static void
test_feed_every_write (Fixture       *f,
                       gconstpointer  data)
{
  NEED_STORE (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdImportJob) job = NULL;
  g_autofree char *path = g_build_filename (f->dir, "audience.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PdSourceOptions source = { .n_threads = 1 };
  PdImportOptions options;
  PdSmsOptInCounts counts;
  gint64 mark, carol, dan, eve;
  guint expired = 0;

  carol = create (f, "{\"emails\": [\"carol@example.com\"], \"phones\": [\"+12025550101\"]}");
  eve = create (f, "{\"emails\": [\"eve@example.com\"]}");
  mark = new_mark ();
  assert_feed (f, mark, "");

  /* an import that changes Carol and creates Dan */
  g_assert_true (g_file_set_contents (path, "Email,Phone,City\ncarol@example.com,,Austin\n"
                                            "dan@example.com,202-555-0102,Oslo\n", -1, NULL));
  pd_import_options_init (&options);
  options.accept_terms = TRUE;
  job = pd_import_job_new (f->store, file, &source, &options);
  pd_import_job_run (job, NULL, &error);
  g_assert_no_error (error);
  dan = pd_store_find_persona (f->store, PD_FIELD_EMAIL, "dan@example.com", &error);
  g_assert_cmpint (dan, >, carol);
  {
    g_autofree char *both = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, carol, dan);

    assert_feed (f, mark, both);
    /* the audience's SMS request: both marked pending in one statement */
    mark = new_mark ();
    g_assert_cmpint (pd_store_request_import_sms_opt_in (f->store, pd_import_job_get_info (job)->id, &counts,
                                                         &error), ==, 2);
    g_assert_no_error (error);
    assert_feed (f, mark, both);
    /* the requests expire unanswered (a week after, by default) */
    mark = new_mark ();
    g_assert_true (pd_store_expire_sms_requests (f->store, g_get_real_time () + (gint64) G_USEC_PER_SEC * 3600 * 24 * 365,
                                                 &expired, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (expired, ==, 2);
    assert_feed (f, mark, both);
  }
  /* the undo: Dan goes (no longer in any answer), Carol gets her old
   * values back, which is a write */
  mark = new_mark ();
  g_assert_true (pd_store_undo_import (f->store, pd_import_job_get_info (job)->id, &error));
  g_assert_no_error (error);
  {
    g_autofree char *only = g_strdup_printf ("%" G_GINT64_FORMAT, carol);

    assert_feed (f, mark, only);
  }
  /* a merge writes the survivor; its undo brings the merged-away persona
   * back into every answer, so into the feed, with the survivor */
  {
    gint64 pair[2] = { carol, eve };
    g_autoptr(PdMergePlan) plan = pd_store_plan_merge (f->store, pair, 2, &error);
    const PdActor owner = { PD_SOURCE_MANUAL, "Olga", PD_ROLE_OWNER };
    g_autofree char *only = g_strdup_printf ("%" G_GINT64_FORMAT, carol);
    g_autofree char *both = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, carol, eve);
    gint64 merge_id = 0;

    g_assert_no_error (error);
    mark = new_mark ();
    g_assert_true (pd_store_merge_personas (f->store, plan, &owner, &merge_id, &error));
    g_assert_no_error (error);
    assert_feed (f, mark, only);
    mark = new_mark ();
    g_assert_true (pd_store_unmerge (f->store, merge_id, &owner, &error));
    g_assert_no_error (error);
    assert_feed (f, mark, both);
  }
}

/* Four clients at once are served in parallel (one connection each). */
typedef struct {
  Fixture *f;
  guint    ok;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (c->f->url, "loyalty-status?email=ann@example.com", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", c->f->token, NULL);

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) bytes = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      bytes = soup_session_send_and_read (session, msg, NULL, NULL);
      if (bytes != NULL && soup_message_get_status (msg) == 200)
        c->ok++;
    }
  return NULL;
}

static void
test_parallel (Fixture       *f,
               gconstpointer  data)
{
  NEED_STORE (f);
  Client clients[4];
  GThread *threads[4];

  create (f, "{\"emails\": [\"ann@example.com\"]}");
  for (guint i = 0; i < 4; i++)
    {
      clients[i] = (Client) { f, 0 };
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (clients[i].ok, ==, 50);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *spec_path = g_getenv ("PD_API_SPEC_JSON");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (spec_path);
  g_assert_true (json_parser_load_from_file (parser, spec_path, &error));
  g_assert_no_error (error);
  spec = json_node_ref (json_parser_get_root (parser));

  g_test_add_func ("/api/spec", test_spec);
  for (guint b = 0; b < 2; b++)
    {
      static const struct {
        const char *name;
        void      (*test) (Fixture *, gconstpointer);
      } cases[] = {
        { "auth", test_auth },
        { "personas", test_personas },
        { "consent", test_consent },
        { "points", test_points },
        { "attributes", test_attributes },
        { "limits", test_limits },
        { "parallel", test_parallel },
        { "feed-every-write", test_feed_every_write },
      };

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autofree char *path = g_strdup_printf ("/api/%s/%s", b ? "pg" : "sqlite", cases[i].name);

          g_test_add (path, Fixture, b ? FIXTURE_PG : FIXTURE_SQLITE, fixture_set_up, cases[i].test,
                      fixture_tear_down);
        }
    }
  return g_test_run ();
}

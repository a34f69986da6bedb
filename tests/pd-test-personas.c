/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-sqlite-store.h"
#include "pd-test-personas.h"

static const char * const first_names[] = {
  "Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara",
  "Ken", "Frances", "José", "Zoë", "Chloé", "Björn", "Aisha", "Wei", "Priya", "Omar",
};
static const char * const last_names[] = {
  "Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie",
  "Liskov", "Thompson", "Allen", "García", "Müller", "Nakamura", "Okafor", "Singh",
};
static const char * const sources[] = {
  "Manual", "Counter tablet", "Website signup", "Spring promo import", "API",
};
static const char * const stores[] = { "Downtown", "Harbor", "Airport", NULL };
/* Area codes whose 555-01XX numbers libphonenumber accepts. */
static const char * const area_codes[] = { "202", "206", "212", "310", "415", "503", "617", "718" };

PdPersona *
pd_test_make_persona (guint i)
{
  PdPersona *p = pd_persona_new ();
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *ext = NULL;

  pd_persona_set_value (p, PD_FIELD_FIRST_NAME, first_names[i % G_N_ELEMENTS (first_names)]);
  pd_persona_set_value (p, PD_FIELD_LAST_NAME, last_names[(i / 3) % G_N_ELEMENTS (last_names)]);
  email = g_strdup_printf ("p%u@example.com", i);
  pd_persona_add_email (p, email);
  if (i % 7 != 3)
    {
      /* +1 AAA 555 XXXX: unique for i < 80,000 */
      phone = g_strdup_printf ("+1%s555%04u", area_codes[(i / 10000) % G_N_ELEMENTS (area_codes)],
                               i % 10000);
      pd_persona_add_phone (p, phone);
    }
  ext = g_strdup_printf ("C%06u", i);
  pd_persona_set_value (p, PD_FIELD_EXTERNAL_ID, ext);
  pd_persona_set_value (p, PD_FIELD_CITY, i % 2 ? "Seattle" : "Washington");
  pd_persona_set_points (p, (gint64) ((i * 37) % 500));
  pd_persona_set_loyalty (p, i % 3 == 0);
  pd_persona_set_email_opt_in (p, i % 4 == 0);
  if (i % 11 == 0)
    pd_persona_set_sms_opt_out (p, TRUE);
  else if (i % 5 == 0)
    pd_persona_set_sms_consent (p, PD_SMS_CONSENT_OPTED_IN);
  pd_persona_set_signup_source (p, sources[i % G_N_ELEMENTS (sources)]);
  pd_persona_set_value (p, PD_FIELD_SIGNUP_DATE, "2024-03-15");
  pd_persona_set_value (p, PD_FIELD_PERSON_TYPE, i % 6 == 0 ? "lead" : "customer");
  pd_persona_set_value (p, PD_FIELD_CUSTOMER_TYPE, i % 2 ? "recreational" : "medical");
  if (stores[i % 4] != NULL)
    {
      pd_persona_set_value (p, PD_FIELD_FAVORITE_STORE, stores[i % 4]);
      pd_persona_set_value_source (p, PD_FIELD_FAVORITE_STORE, PD_SOURCE_IMPORT);
    }
  if (i % 2 == 0)
    pd_persona_add_tag (p, "vip");
  if (i % 9 == 0)
    pd_persona_set_attribute (p, "veteran", "yes");
  return p;
}

gboolean
pd_test_seed (PdStore  *store,
              guint     first,
              guint     n,
              GError  **error)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(PdPersona) p = pd_test_make_persona (i);

      if (!pd_store_save_persona (store, p, PD_SOURCE_IMPORT, error))
        return FALSE;
    }
  return TRUE;
}

PdStore *
pd_test_store_new (char **dir_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  PdSqliteStore *store;

  dir = g_dir_make_tmp ("pd-app-test-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "personas.db", NULL);
  store = pd_sqlite_store_new (path, &error);
  g_assert_no_error (error);
  *dir_out = g_steal_pointer (&dir);
  return PD_STORE (store);
}

void
pd_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        pd_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

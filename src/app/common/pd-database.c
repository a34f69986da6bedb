/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "pd-database.h"
#include "pd-pg-store.h"

static const SecretSchema *
database_schema (void)
{
  static const SecretSchema schema = {
    "org.personadesk.PersonaDesk.Database", SECRET_SCHEMA_NONE,
    {
      { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

char *
pd_database_uri_with_password (const char *uri,
                               const char *password)
{
  GString *out;

  g_return_val_if_fail (uri != NULL, NULL);

  if (password == NULL || password[0] == '\0')
    return g_strdup (uri);
  out = g_string_new (uri);
  g_string_append (out, strchr (uri, '?') != NULL ? "&password=" : "?password=");
  g_string_append_uri_escaped (out, password, NULL, FALSE);
  return g_string_free (out, FALSE);
}

PdStore *
pd_database_open (const char  *target,
                  const char  *password,
                  GError     **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  if (pd_pg_store_uri_is_postgres (target))
    {
      g_autofree char *uri = pd_database_uri_with_password (target, password);

      return pd_store_open (uri, error);
    }

  dir = g_path_get_dirname (target);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  return pd_store_open (target, error);
}

gboolean
pd_database_store_password (const char    *uri,
                            const char    *password,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (uri != NULL && password != NULL, FALSE);

  /* TRANSLATORS: the keyring's name of the saved password; %s: the database */
  label = g_strdup_printf (_("Persona Desk database %s"), uri);
  return secret_password_store_sync (database_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                                     cancellable, error, "uri", uri, NULL);
}

char *
pd_database_lookup_password (const char    *uri,
                             GCancellable  *cancellable,
                             GError       **error)
{
  char *secret;
  char *copy;

  g_return_val_if_fail (uri != NULL, NULL);

  secret = secret_password_lookup_sync (database_schema (), cancellable, error, "uri", uri, NULL);
  copy = g_strdup (secret);
  /* libsecret's copy is wiped as it is freed */
  secret_password_free (secret);
  return copy;
}

gboolean
pd_database_clear_password (const char    *uri,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  /* FALSE without an error: there was none to clear */
  if (!secret_password_clear_sync (database_schema (), cancellable, &local_error, "uri", uri, NULL) &&
      local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

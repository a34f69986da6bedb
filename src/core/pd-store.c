/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdStore: the persona store interface and its thin dispatchers. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-store.h"

G_DEFINE_INTERFACE (PdStore, pd_store, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PdLedgerEntry, pd_ledger_entry, pd_ledger_entry_copy, pd_ledger_entry_free)

static void
pd_store_default_init (PdStoreInterface *iface)
{
}

PdLedgerEntry *
pd_ledger_entry_copy (const PdLedgerEntry *entry)
{
  PdLedgerEntry *copy = g_new (PdLedgerEntry, 1);

  *copy = *entry;
  copy->reason = g_strdup (entry->reason);
  copy->time = entry->time != NULL ? g_date_time_ref (entry->time) : NULL;
  return copy;
}

void
pd_ledger_entry_free (PdLedgerEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->reason);
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry);
}

/**
 * pd_store_dup_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/persona-desk/personas.db
 */
char *
pd_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "persona-desk", "personas.db", NULL);
}

static gboolean
not_supported (PdStore *self, GError **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_STORE,
               _("This store (%s) cannot do that"), G_OBJECT_TYPE_NAME (self));
  return FALSE;
}

#define IFACE(self) PD_STORE_GET_IFACE (self)

/**
 * pd_store_open_another:
 *
 * Opens a second connection to the same database, for a worker thread.
 *
 * Returns: (transfer full): a new store object
 */
PdStore *
pd_store_open_another (PdStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  if (IFACE (self)->open_another == NULL)
    return not_supported (self, error), NULL;
  return IFACE (self)->open_another (self, error);
}

/* Returns the number of personas the query lists (0 with @error set on failure). */
guint
pd_store_count_personas (PdStore              *self,
                         const PdPersonaQuery *query,
                         GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  g_return_val_if_fail (query != NULL, 0);

  return IFACE (self)->count_personas (self, query, error);
}

/**
 * pd_store_list_personas:
 *
 * Returns: (transfer full) (element-type PdPersona) (nullable): a page of
 *   the query's personas, sorted as asked; NULL with @error on failure
 */
GPtrArray *
pd_store_list_personas (PdStore              *self,
                        const PdPersonaQuery *query,
                        guint                 offset,
                        guint                 limit,
                        GError              **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return IFACE (self)->list_personas (self, query, offset, limit, error);
}

/**
 * pd_store_get_persona:
 *
 * Returns: (transfer full) (nullable): the persona, or NULL with
 *   PD_ERROR_NOT_FOUND
 */
PdPersona *
pd_store_get_persona (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  return IFACE (self)->get_persona (self, id, error);
}

/**
 * pd_store_find_persona:
 * @key: PD_FIELD_EMAIL, PD_FIELD_PHONE, PD_FIELD_EXTERNAL_ID or a channel field
 * @value: the normalized value (lower-case email, E.164 phone)
 *
 * Looks up a persona that is not archived, blocklisted or merged away.
 *
 * Returns: the persona id, or 0 when none (with @error unset)
 */
gint64
pd_store_find_persona (PdStore     *self,
                       PdFieldId    key,
                       const char  *value,
                       GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), 0);
  g_return_val_if_fail (value != NULL, 0);

  return IFACE (self)->find_persona (self, key, value, error);
}

/**
 * pd_store_save_persona:
 * @source: who is saving: sets the source of fields that had none
 *
 * Inserts (id 0; the new id is set on @persona) or updates a persona.
 * Refuses a persona without email or phone (PD_ERROR_INVALID) and an email
 * or phone that another live persona uses (PD_ERROR_CONFLICT).
 */
gboolean
pd_store_save_persona (PdStore    *self,
                       PdPersona  *persona,
                       PdSource    source,
                       GError    **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);
  g_return_val_if_fail (PD_IS_PERSONA (persona), FALSE);

  return IFACE (self)->save_persona (self, persona, source, error);
}

gboolean
pd_store_set_archived (PdStore   *self,
                       gint64     id,
                       gboolean   archived,
                       GError   **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);

  return IFACE (self)->set_archived (self, id, archived, error);
}

/* Adds @delta to the balance and writes a ledger entry, in one transaction. */
gboolean
pd_store_adjust_points (PdStore     *self,
                        gint64       id,
                        gint64       delta,
                        const char  *reason,
                        PdSource     source,
                        GError     **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), FALSE);

  return IFACE (self)->adjust_points (self, id, delta, reason, source, error);
}

/**
 * pd_store_list_ledger:
 *
 * Returns: (transfer full) (element-type PdLedgerEntry): newest first
 */
GPtrArray *
pd_store_list_ledger (PdStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  return IFACE (self)->list_ledger (self, id, error);
}

/**
 * pd_store_list_signup_sources:
 *
 * Returns: (transfer full) (element-type utf8): the signup sources in use
 */
GPtrArray *
pd_store_list_signup_sources (PdStore  *self,
                              GError  **error)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);

  return IFACE (self)->list_signup_sources (self, error);
}

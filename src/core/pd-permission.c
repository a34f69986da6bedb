/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-permission.h"

static const struct {
  const char *key;
  const char *label;
} roles[PD_N_ROLES] = {
  [PD_ROLE_OWNER]             = { "owner", N_("Owner") },
  [PD_ROLE_MANAGER]           = { "manager", N_("Manager") },
  [PD_ROLE_STAFF]             = { "staff", N_("Staff") },
  [PD_ROLE_ANALYST]           = { "analyst", N_("Analyst") },
  [PD_ROLE_MARKETING]         = { "marketing", N_("Marketing") },
  [PD_ROLE_MARKETING_ANALYST] = { "marketing-analyst", N_("Marketing Analyst") },
  [PD_ROLE_OPERATOR]          = { "operator", N_("Operator") },
};

/* Only the Owner may bulk-import, undo or delete imports, forget
 * customers, edit the blocklist, manage accounts and tokens, and read the
 * audit log; every role but the two analysts may create and edit personas
 * and adjust points; everyone may read. */
gboolean
pd_role_may (PdRole       role,
             PdPermission permission)
{
  if ((guint) role >= PD_N_ROLES)
    return FALSE;
  switch (permission)
    {
    case PD_PERMISSION_READ:
      return TRUE;
    case PD_PERMISSION_EDIT:
    case PD_PERMISSION_ADJUST_POINTS:
      return role != PD_ROLE_ANALYST && role != PD_ROLE_MARKETING_ANALYST;
    case PD_PERMISSION_IMPORT:
    case PD_PERMISSION_UNDO_IMPORT:
    case PD_PERMISSION_FORGET:
    case PD_PERMISSION_BLOCKLIST:
    case PD_PERMISSION_MANAGE_ACCOUNTS:
    case PD_PERMISSION_MANAGE_TOKENS:
    case PD_PERMISSION_READ_AUDIT:
      return role == PD_ROLE_OWNER;
    default:
      return FALSE;
    }
}

const char *
pd_permission_to_label (PdPermission permission)
{
  switch (permission)
    {
    case PD_PERMISSION_READ:            return _("read personas");
    case PD_PERMISSION_EDIT:            return _("create or edit personas");
    case PD_PERMISSION_ADJUST_POINTS:   return _("adjust points");
    case PD_PERMISSION_IMPORT:          return _("import files");
    case PD_PERMISSION_UNDO_IMPORT:     return _("undo or delete imports");
    case PD_PERMISSION_FORGET:          return _("forget customers");
    case PD_PERMISSION_BLOCKLIST:       return _("change the blocklist");
    case PD_PERMISSION_MANAGE_ACCOUNTS: return _("manage staff accounts");
    case PD_PERMISSION_MANAGE_TOKENS:   return _("manage API tokens");
    case PD_PERMISSION_READ_AUDIT:      return _("read the audit log");
    default:                            return "?";
    }
}

gboolean
pd_actor_check (const PdActor  *actor,
                PdPermission    permission,
                GError        **error)
{
  PdRole role = actor != NULL ? actor->role : PD_ROLE_OWNER;

  if (pd_role_may (role, permission))
    return TRUE;
  if ((guint) role >= PD_N_ROLES)
    /* PD_ROLE_NOBODY: staff accounts are on and no one signed in.
     * TRANSLATORS: "Staff accounts are on: sign in to import files" */
    g_set_error (error, PD_ERROR, PD_ERROR_PERMISSION, _("Staff accounts are on: sign in to %s"),
                 pd_permission_to_label (permission));
  else if (actor != NULL && actor->who != NULL)
    /* TRANSLATORS: "Sam (Staff) may not import files" */
    g_set_error (error, PD_ERROR, PD_ERROR_PERMISSION, _("%s (%s) may not %s"),
                 actor->who, pd_role_to_label (role), pd_permission_to_label (permission));
  else
    /* TRANSLATORS: "A Staff account may not import files" */
    g_set_error (error, PD_ERROR, PD_ERROR_PERMISSION, _("A %s account may not %s"),
                 pd_role_to_label (role), pd_permission_to_label (permission));
  return FALSE;
}

const char *
pd_role_to_key (PdRole role)
{
  return (guint) role < PD_N_ROLES ? roles[role].key : NULL;
}

gboolean
pd_role_from_key (const char *key,
                  PdRole     *role)
{
  for (guint i = 0; key != NULL && i < PD_N_ROLES; i++)
    if (g_ascii_strcasecmp (key, roles[i].key) == 0)
      {
        *role = (PdRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_role_to_label (PdRole role)
{
  return (guint) role < PD_N_ROLES ? _(roles[role].label) : "?";
}

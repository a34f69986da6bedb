/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-loyalty.h"

G_BEGIN_DECLS

/* Who may do what.  The store calls pd_actor_check() at the top of every
 * operation that writes (or reads what a role may not see), so the app,
 * the CLI and the HTTP API are refused alike; the faces only hide what the
 * core would refuse. */

/* PdRole lives in pd-loyalty.h (PdActor carries it). */

/* The role of an actor that is nobody yet: staff accounts are on and no
 * one signed in.  Refused everything, with "sign in" in the message. */
#define PD_ROLE_NOBODY ((PdRole) PD_N_ROLES)

typedef enum {
  PD_PERMISSION_READ,            /* list, search, show, export */
  PD_PERMISSION_EDIT,            /* create and edit personas, consent, archive, merge */
  PD_PERMISSION_ADJUST_POINTS,
  PD_PERMISSION_IMPORT,          /* bulk import (files, API bulk) */
  PD_PERMISSION_UNDO_IMPORT,     /* undo or delete an import */
  PD_PERMISSION_FORGET,          /* erase a customer */
  PD_PERMISSION_BLOCKLIST,       /* add to or remove from the blocklist */
  PD_PERMISSION_MANAGE_ACCOUNTS, /* staff accounts and settings */
  PD_PERMISSION_MANAGE_TOKENS,   /* API tokens */
  PD_PERMISSION_READ_AUDIT,      /* the audit log */
} PdPermission;

gboolean     pd_role_may           (PdRole          role,
                                    PdPermission    permission);

/* TRUE when @actor may; else FALSE with PD_ERROR_PERMISSION naming the
 * role and what it may not do.  A NULL actor is the Owner (a single user
 * on their own machine, staff accounts off). */
gboolean     pd_actor_check        (const PdActor  *actor,
                                    PdPermission    permission,
                                    GError        **error);

/* "owner", "manager", …: stable keys for the database and the CLI */
const char  *pd_role_to_key        (PdRole          role);
gboolean     pd_role_from_key      (const char     *key,
                                    PdRole         *role);
/* Translated, for people: "Owner", "Marketing Analyst", … */
const char  *pd_role_to_label      (PdRole          role);
/* Translated: "bulk-import", "forget customers", … */
const char  *pd_permission_to_label (PdPermission   permission);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-permission.h"
#include "pd-store-staff.h"

G_BEGIN_DECLS

/* Who works at this desk: the app's PdActor.  With staff accounts off it
 * is the Owner, by OS user, as always; with them on it is the signed-in
 * account, or nobody (every write refused) until someone signs in.  Every
 * write of the app passes pd_app_actor() to the store, which checks it;
 * the widgets ask pd_session_may() only to hide what would be refused. */
#define PD_TYPE_SESSION (pd_session_get_type ())
G_DECLARE_FINAL_TYPE (PdSession, pd_session, PD, SESSION, GObject)

PdSession     *pd_session_get_default         (void);
const PdActor *pd_session_get_actor           (PdSession       *self);
gboolean       pd_session_may                 (PdSession       *self,
                                               PdPermission     permission);
gboolean       pd_session_get_accounts_enabled (PdSession      *self);
/* NULL: no one signed in (or accounts off) */
const char    *pd_session_get_account_name    (PdSession       *self);
/* Reads the store's staff settings; signs out when accounts went off. */
void           pd_session_sync                (PdSession       *self,
                                               PdStore         *store);
void           pd_session_sign_in             (PdSession       *self,
                                               const PdAccount *account);
void           pd_session_sign_out            (PdSession       *self);
guint          pd_session_get_lock_minutes    (PdSession       *self);

/* pd_session_get_actor (pd_session_get_default ()) */
const PdActor *pd_app_actor                   (void);
/* A copy for a worker thread (the session may change meanwhile): one
 * block, free with g_free(). */
PdActor       *pd_app_actor_dup               (void);
gboolean       pd_app_may                     (PdPermission     permission);

G_END_DECLS

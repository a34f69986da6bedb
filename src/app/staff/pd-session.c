/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-session.h"

struct _PdSession
{
  GObject     parent_instance;

  gboolean    enabled;        /* staff accounts on */
  guint       lock_minutes;
  char       *name;           /* the signed-in account, or NULL */
  PdRole      role;
  PdActor     actor;
};

G_DEFINE_FINAL_TYPE (PdSession, pd_session, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actor (PdSession *self)
{
  if (!self->enabled)
    self->actor = (PdActor) { PD_SOURCE_MANUAL, g_get_user_name (), PD_ROLE_OWNER };
  else if (self->name == NULL)
    self->actor = (PdActor) { PD_SOURCE_MANUAL, NULL, PD_ROLE_NOBODY };
  else
    self->actor = (PdActor) { PD_SOURCE_MANUAL, self->name, self->role };
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
pd_session_finalize (GObject *object)
{
  PdSession *self = PD_SESSION (object);

  g_free (self->name);
  G_OBJECT_CLASS (pd_session_parent_class)->finalize (object);
}

static void
pd_session_class_init (PdSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_session_finalize;

  /* who works changed: signed in, out, or accounts turned on or off */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pd_session_init (PdSession *self)
{
  self->lock_minutes = PD_STAFF_DEFAULT_LOCK_MINUTES;
  self->actor = (PdActor) { PD_SOURCE_MANUAL, g_get_user_name (), PD_ROLE_OWNER };
}

PdSession *
pd_session_get_default (void)
{
  static PdSession *session;

  if (session == NULL)
    session = g_object_new (PD_TYPE_SESSION, NULL);
  return session;
}

const PdActor *
pd_session_get_actor (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return &self->actor;
}

gboolean
pd_session_may (PdSession    *self,
                PdPermission  permission)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  return pd_role_may (self->actor.role, permission);
}

gboolean
pd_session_get_accounts_enabled (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  return self->enabled;
}

const char *
pd_session_get_account_name (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->name;
}

guint
pd_session_get_lock_minutes (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), 0);
  return self->lock_minutes;
}

void
pd_session_sync (PdSession *self,
                 PdStore   *store)
{
  g_autoptr(GError) error = NULL;
  PdStaffSettings settings;

  g_return_if_fail (PD_IS_SESSION (self));

  if (!pd_store_get_staff_settings (store, &settings, &error))
    {
      /* keep what we had: a busy database must not sign anyone in */
      g_warning ("%s", error->message);
      return;
    }
  self->lock_minutes = settings.lock_minutes;
  if (settings.enabled == self->enabled)
    return;
  self->enabled = settings.enabled;
  if (!self->enabled)
    g_clear_pointer (&self->name, g_free);
  update_actor (self);
}

void
pd_session_sign_in (PdSession       *self,
                    const PdAccount *account)
{
  g_return_if_fail (PD_IS_SESSION (self));
  g_return_if_fail (account != NULL);

  g_free (self->name);
  self->name = g_strdup (account->name);
  self->role = account->role;
  update_actor (self);
}

void
pd_session_sign_out (PdSession *self)
{
  g_return_if_fail (PD_IS_SESSION (self));

  g_clear_pointer (&self->name, g_free);
  update_actor (self);
}

const PdActor *
pd_app_actor (void)
{
  return pd_session_get_actor (pd_session_get_default ());
}

gboolean
pd_app_may (PdPermission permission)
{
  return pd_session_may (pd_session_get_default (), permission);
}

PdActor *
pd_app_actor_dup (void)
{
  const PdActor *actor = pd_app_actor ();
  gsize len = actor->who != NULL ? strlen (actor->who) + 1 : 0;
  PdActor *copy = g_malloc (sizeof (PdActor) + len);

  *copy = *actor;
  if (actor->who != NULL)
    copy->who = memcpy ((char *) (copy + 1), actor->who, len);
  return copy;
}

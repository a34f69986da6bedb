/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPosService: the HTTP API server of src/api/ run by the app, as its
 * settings say (pd-pos-service.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-api-server.h"
#include "pd-pos-service.h"

struct _PdPosService
{
  GObject      parent_instance;

  GSettings   *settings;
  PdStore     *store;
  PdApiServer *server;
  char        *url;
  char        *error;
};

G_DEFINE_FINAL_TYPE (PdPosService, pd_pos_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_URL,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
stop (PdPosService *self)
{
  if (self->server != NULL)
    pd_api_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->error, g_free);
}

/* Any change of the keys: stop, and start again if enabled. */
static void
apply (PdPosService *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiServer) server = NULL;
  int port = g_settings_get_int (self->settings, "pos-server-port");

  stop (self);
  if (g_settings_get_boolean (self->settings, "pos-server-enabled"))
    {
      server = pd_api_server_new (self->store, NULL, &error);
      if (server != NULL && pd_api_server_listen (server, "127.0.0.1", (guint) CLAMP (port, 0, 65535), &error))
        {
          self->server = g_steal_pointer (&server);
          self->url = pd_api_server_dup_url (self->server);
        }
      else
        {
          self->error = g_strdup (error->message);
          g_warning ("Point-of-sale connections: %s", error->message);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
on_settings_changed (GSettings    *settings,
                     const char   *key,
                     PdPosService *self)
{
  if (g_str_equal (key, "pos-server-enabled") || g_str_equal (key, "pos-server-port"))
    apply (self);
}

static void
pd_pos_service_dispose (GObject *object)
{
  PdPosService *self = PD_POS_SERVICE (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  stop (self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pd_pos_service_parent_class)->dispose (object);
}

static void
pd_pos_service_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdPosService *self = PD_POS_SERVICE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->server != NULL);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_pos_service_class_init (PdPosServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_pos_service_dispose;
  object_class->get_property = pd_pos_service_get_property;
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_pos_service_init (PdPosService *self)
{
}

/**
 * pd_pos_service_new:
 * @store: the app's database; the server opens connections of its own
 *
 * Returns: (transfer full): the service, started if the settings say so
 */
PdPosService *
pd_pos_service_new (GSettings *settings,
                    PdStore   *store)
{
  PdPosService *self = g_object_new (PD_TYPE_POS_SERVICE, NULL);

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (PD_IS_STORE (store), NULL);

  self->settings = g_object_ref (settings);
  self->store = g_object_ref (store);
  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
  if (g_settings_get_boolean (settings, "pos-server-enabled"))
    apply (self);
  return self;
}

gboolean
pd_pos_service_get_running (PdPosService *self)
{
  g_return_val_if_fail (PD_IS_POS_SERVICE (self), FALSE);
  return self->server != NULL;
}

const char *
pd_pos_service_get_url (PdPosService *self)
{
  g_return_val_if_fail (PD_IS_POS_SERVICE (self), NULL);
  return self->url;
}

const char *
pd_pos_service_get_error (PdPosService *self)
{
  g_return_val_if_fail (PD_IS_POS_SERVICE (self), NULL);
  return self->error;
}

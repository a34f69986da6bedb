/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-persona-sorter.h"

struct _PdPersonaSorter
{
  GtkSorter     parent_instance;
  PdPersonaSort key;
};

G_DEFINE_FINAL_TYPE (PdPersonaSorter, pd_persona_sorter, GTK_TYPE_SORTER)

enum {
  PROP_0,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A probe records the first PdPersonaSorter that compares it.  GTK 4.8's
 * GtkColumnViewSorter has no API to read its primary column (that came in
 * 4.10), but it compares through the primary column's sorter first and
 * inverts the answer for a descending column: comparing two probes where
 * the first is smaller under every key tells both the column and the order. */
typedef struct {
  PdPersonaSorter *hit;
} Probe;

static GQuark
probe_quark (void)
{
  return g_quark_from_static_string ("pd-persona-sorter-probe");
}

static int
compare_strings (const char *a,
                 const char *b)
{
  return g_strcmp0 (a, b);
}

static GtkOrdering
pd_persona_sorter_compare (GtkSorter *sorter,
                           gpointer   item1,
                           gpointer   item2)
{
  PdPersonaSorter *self = PD_PERSONA_SORTER (sorter);
  PdPersona *a = item1;
  PdPersona *b = item2;
  Probe *probe;
  int r = 0;

  probe = g_object_get_qdata (G_OBJECT (a), probe_quark ());
  if (probe != NULL && probe->hit == NULL)
    probe->hit = self;

  /* A real comparison too, so the sorter stays truthful if it is ever
   * used on an in-memory list. */
  switch (self->key)
    {
    case PD_PERSONA_SORT_NAME:
      {
        g_autofree char *na = pd_persona_dup_display_name (a);
        g_autofree char *nb = pd_persona_dup_display_name (b);
        r = g_utf8_collate (na ? na : "", nb ? nb : "");
      }
      break;
    case PD_PERSONA_SORT_EMAIL:
      r = compare_strings (pd_persona_get_primary_email (a), pd_persona_get_primary_email (b));
      break;
    case PD_PERSONA_SORT_PHONE:
      r = compare_strings (pd_persona_get_primary_phone (a), pd_persona_get_primary_phone (b));
      break;
    case PD_PERSONA_SORT_POINTS:
      r = (pd_persona_get_points (a) > pd_persona_get_points (b))
        - (pd_persona_get_points (a) < pd_persona_get_points (b));
      break;
    case PD_PERSONA_SORT_LOYALTY:
      r = !!pd_persona_get_loyalty (a) - !!pd_persona_get_loyalty (b);
      break;
    case PD_PERSONA_SORT_SOURCE:
      r = compare_strings (pd_persona_get_signup_source (a), pd_persona_get_signup_source (b));
      break;
    case PD_PERSONA_SORT_ID:
    default:
      r = (pd_persona_get_id (a) > pd_persona_get_id (b))
        - (pd_persona_get_id (a) < pd_persona_get_id (b));
      break;
    }

  return gtk_ordering_from_cmpfunc (r);
}

static GtkSorterOrder
pd_persona_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
pd_persona_sorter_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PdPersonaSorter *self = PD_PERSONA_SORTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_int (value, self->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_persona_sorter_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PdPersonaSorter *self = PD_PERSONA_SORTER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      pd_persona_sorter_set_key (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_persona_sorter_class_init (PdPersonaSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->get_property = pd_persona_sorter_get_property;
  object_class->set_property = pd_persona_sorter_set_property;
  sorter_class->compare = pd_persona_sorter_compare;
  sorter_class->get_order = pd_persona_sorter_get_order;

  /* An int rather than an enum type: PdPersonaSort has no GType and the
   * .ui files set it as a number. */
  properties[PROP_KEY] =
    g_param_spec_int ("key", NULL, NULL,
                      PD_PERSONA_SORT_ID, PD_PERSONA_SORT_SOURCE, PD_PERSONA_SORT_ID,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_persona_sorter_init (PdPersonaSorter *self)
{
}

PdPersonaSorter *
pd_persona_sorter_new (PdPersonaSort key)
{
  return g_object_new (PD_TYPE_PERSONA_SORTER, "key", key, NULL);
}

PdPersonaSort
pd_persona_sorter_get_key (PdPersonaSorter *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_SORTER (self), PD_PERSONA_SORT_ID);
  return self->key;
}

void
pd_persona_sorter_set_key (PdPersonaSorter *self,
                           PdPersonaSort    key)
{
  g_return_if_fail (PD_IS_PERSONA_SORTER (self));

  if (self->key == key)
    return;
  self->key = key;
  gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

/* Two personas where @small sorts before @large under every key. */
static void
fill_probe_pair (PdPersona *small,
                 PdPersona *large)
{
  pd_persona_set_id (small, 1);
  pd_persona_set_id (large, 2);
  pd_persona_set_value (small, PD_FIELD_FIRST_NAME, "a");
  pd_persona_set_value (large, PD_FIELD_FIRST_NAME, "b");
  pd_persona_add_email (small, "a@a.a");
  pd_persona_add_email (large, "b@b.b");
  pd_persona_add_phone (small, "+1");
  pd_persona_add_phone (large, "+2");
  pd_persona_set_points (small, 0);
  pd_persona_set_points (large, 1);
  pd_persona_set_loyalty (small, FALSE);
  pd_persona_set_loyalty (large, TRUE);
  pd_persona_set_signup_source (small, "a");
  pd_persona_set_signup_source (large, "b");
}

gboolean
pd_persona_sorter_probe (GtkSorter     *sorter,
                         PdPersonaSort *key,
                         gboolean      *descending)
{
  g_autoptr(PdPersona) small = NULL;
  g_autoptr(PdPersona) large = NULL;
  Probe probe = { NULL };
  GtkOrdering ordering;

  g_return_val_if_fail (GTK_IS_SORTER (sorter), FALSE);

  if (PD_IS_PERSONA_SORTER (sorter))
    {
      *key = PD_PERSONA_SORTER (sorter)->key;
      *descending = FALSE;
      return TRUE;
    }

  small = pd_persona_new ();
  large = pd_persona_new ();
  fill_probe_pair (small, large);
  g_object_set_qdata (G_OBJECT (small), probe_quark (), &probe);
  g_object_set_qdata (G_OBJECT (large), probe_quark (), &probe);

  ordering = gtk_sorter_compare (sorter, small, large);

  g_object_set_qdata (G_OBJECT (small), probe_quark (), NULL);
  g_object_set_qdata (G_OBJECT (large), probe_quark (), NULL);

  if (probe.hit == NULL || ordering == GTK_ORDERING_EQUAL)
    return FALSE;

  *key = probe.hit->key;
  *descending = (ordering == GTK_ORDERING_LARGER);
  return TRUE;
}

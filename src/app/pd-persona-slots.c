/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-persona-slots.h"

struct _PdPersonaSlots
{
  GObject        parent_instance;

  PdPersonaList *list;
  guint          n_items;
  /* position → PdPersonaSlot (not owned: a slot leaves when its last
   * user, a row of the view, drops it) */
  GHashTable    *live;
};

static void pd_persona_slots_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdPersonaSlots, pd_persona_slots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pd_persona_slots_model_init))

static GQuark position_quark;

static void
slot_gone (gpointer  data,
           GObject  *where_the_object_was)
{
  PdPersonaSlots *self = data;
  gpointer key = g_object_get_qdata (where_the_object_was, position_quark);

  /* qdata is still readable here: the position (+1) the slot had */
  if (g_hash_table_lookup (self->live, key) == where_the_object_was)
    g_hash_table_remove (self->live, key);
}

static void
forget (PdPersonaSlots *self,
        PdPersonaSlot  *slot)
{
  g_object_weak_unref (G_OBJECT (slot), slot_gone, self);
}

static GType
pd_persona_slots_get_item_type (GListModel *model)
{
  return PD_TYPE_PERSONA_SLOT;
}

static guint
pd_persona_slots_get_n_items (GListModel *model)
{
  return PD_PERSONA_SLOTS (model)->n_items;
}

static gpointer
pd_persona_slots_get_item (GListModel *model,
                           guint       position)
{
  PdPersonaSlots *self = PD_PERSONA_SLOTS (model);
  gpointer key = GUINT_TO_POINTER (position + 1);
  g_autoptr(PdPersona) persona = NULL;
  PdPersonaSlot *slot;

  if (position >= self->n_items)
    return NULL;
  slot = g_hash_table_lookup (self->live, key);
  if (slot != NULL)
    return g_object_ref (slot);
  persona = g_list_model_get_item (G_LIST_MODEL (self->list), position);
  slot = pd_persona_slot_new (persona);
  g_object_set_qdata (G_OBJECT (slot), position_quark, key);
  g_object_weak_ref (G_OBJECT (slot), slot_gone, self);
  g_hash_table_insert (self->live, key, slot);
  return slot;
}

static void
pd_persona_slots_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pd_persona_slots_get_item_type;
  iface->get_n_items = pd_persona_slots_get_n_items;
  iface->get_item = pd_persona_slots_get_item;
}

/* The list changed from @position on: the slots there take their new
 * personas, slots past the new end are dropped, and only the change in
 * length is announced. */
static void
on_list_items_changed (GListModel     *list,
                       guint           position,
                       guint           removed,
                       guint           added,
                       PdPersonaSlots *self)
{
  guint old_n = self->n_items;
  guint new_n = g_list_model_get_n_items (list);
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  guint page_size = pd_persona_list_get_page_size (PD_PERSONA_LIST (list));

  /* A new query while the view is scrolled down: its rows there would
   * each need a page read far into the new results, and the user expects
   * the results from the top.  All out, all in, as the list does itself
   * (GTK then starts again at the top). */
  if (position == 0 && removed == old_n && old_n > 0)
    {
      gboolean deep = FALSE;

      g_hash_table_iter_init (&iter, self->live);
      while (!deep && g_hash_table_iter_next (&iter, &key, NULL))
        deep = GPOINTER_TO_UINT (key) - 1 >= page_size;
      if (deep)
        {
          g_hash_table_iter_init (&iter, self->live);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            forget (self, value);
          g_hash_table_remove_all (self->live);
          self->n_items = 0;
          g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
          self->n_items = new_n;
          if (new_n > 0)
            g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
          return;
        }
    }

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint at = GPOINTER_TO_UINT (key) - 1;

      if (at < position)
        continue;
      if (at < new_n)
        {
          g_autoptr(PdPersona) persona = g_list_model_get_item (list, at);

          pd_persona_slot_set_persona (value, persona);
        }
      else
        {
          g_ptr_array_add (gone, value);
          g_hash_table_iter_remove (&iter);
        }
    }
  for (guint i = 0; i < gone->len; i++)
    forget (self, g_ptr_array_index (gone, i));

  self->n_items = new_n;
  if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
  else if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
}

static void
pd_persona_slots_dispose (GObject *object)
{
  PdPersonaSlots *self = PD_PERSONA_SLOTS (object);

  if (self->live != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        forget (self, value);
      g_clear_pointer (&self->live, g_hash_table_unref);
    }
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  G_OBJECT_CLASS (pd_persona_slots_parent_class)->dispose (object);
}

static void
pd_persona_slots_class_init (PdPersonaSlotsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_persona_slots_dispose;
  position_quark = g_quark_from_static_string ("pd-persona-slot-position");
}

static void
pd_persona_slots_init (PdPersonaSlots *self)
{
  self->live = g_hash_table_new (NULL, NULL);
}

PdPersonaSlots *
pd_persona_slots_new (PdPersonaList *list)
{
  PdPersonaSlots *self;

  g_return_val_if_fail (PD_IS_PERSONA_LIST (list), NULL);
  self = g_object_new (PD_TYPE_PERSONA_SLOTS, NULL);
  self->list = g_object_ref (list);
  self->n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  /* a reload as one change: the two steps the list makes for GTK (see
   * replace_items) would empty the view here too */
  pd_persona_list_set_combined_changes (list, TRUE);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_list_items_changed), self);
  return self;
}

PdPersonaList *
pd_persona_slots_get_list (PdPersonaSlots *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_SLOTS (self), NULL);
  return self->list;
}

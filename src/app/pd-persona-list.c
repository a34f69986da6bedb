/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-persona-list.h"

/* One page of personas; positions [index * page_size, + items->len). */
typedef struct {
  guint      index;
  GPtrArray *items;   /* PdPersona */
  GList     *lru_link;
} Page;

struct _PdPersonaList
{
  GObject        parent_instance;

  PdStore       *store;
  PdPersonaView  view;
  char          *search;
  gint64         import_id;
  PdPersonaSort  sort;
  gboolean       descending;

  guint          n_items;
  guint          page_size;
  guint          max_pages;
  GHashTable    *pages;     /* index → Page */
  GQueue         lru;       /* of Page*, most recent first */
  guint          n_page_loads;
};

static void pd_persona_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdPersonaList, pd_persona_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pd_persona_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
fill_query (PdPersonaList  *self,
            PdPersonaQuery *query)
{
  memset (query, 0, sizeof *query);
  query->view = self->view;
  query->search = (self->search != NULL && self->search[0] != '\0') ? self->search : NULL;
  query->import_id = self->import_id;
  query->sort = self->sort;
  query->descending = self->descending;
}

static void
drop_pages (PdPersonaList *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
}

static Page *
load_page (PdPersonaList *self,
           guint          index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  PdPersonaQuery query;
  Page *page;

  fill_query (self, &query);
  items = pd_store_list_personas (self->store, &query,
                                  index * self->page_size, self->page_size,
                                  &error);
  self->n_page_loads++;
  if (items == NULL)
    {
      /* GListModel promises an item for every position below n_items, so
       * a failed page is filled with empty personas and the failure is
       * reported once, for the window to show. */
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      items = g_ptr_array_new_with_free_func (g_object_unref);
    }

  /* The database may have shrunk under us (another process); keep the
   * promise of n_items all the same. */
  while (items->len < self->page_size
         && (gsize) index * self->page_size + items->len < self->n_items)
    g_ptr_array_add (items, pd_persona_new ());

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_steal_pointer (&items);
  g_queue_push_head (&self->lru, page);
  page->lru_link = self->lru.head;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  while (self->lru.length > self->max_pages)
    {
      Page *old = g_queue_pop_tail (&self->lru);
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (old->index));
    }

  return page;
}

static GType
pd_persona_list_get_item_type (GListModel *model)
{
  return PD_TYPE_PERSONA;
}

static guint
pd_persona_list_get_n_items (GListModel *model)
{
  return PD_PERSONA_LIST (model)->n_items;
}

static gpointer
pd_persona_list_get_item (GListModel *model,
                          guint       position)
{
  PdPersonaList *self = PD_PERSONA_LIST (model);
  guint index, offset;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  index = position / self->page_size;
  offset = position % self->page_size;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    page = load_page (self, index);
  else if (page->lru_link != self->lru.head)
    {
      g_queue_unlink (&self->lru, page->lru_link);
      g_queue_push_head_link (&self->lru, page->lru_link);
    }

  if (offset >= page->items->len)
    return pd_persona_new ();

  return g_object_ref (g_ptr_array_index (page->items, offset));
}

static void
pd_persona_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pd_persona_list_get_item_type;
  iface->get_n_items = pd_persona_list_get_n_items;
  iface->get_item = pd_persona_list_get_item;
}

static void
pd_persona_list_finalize (GObject *object)
{
  PdPersonaList *self = PD_PERSONA_LIST (object);

  drop_pages (self);
  g_hash_table_unref (self->pages);
  g_clear_object (&self->store);
  g_free (self->search);

  G_OBJECT_CLASS (pd_persona_list_parent_class)->finalize (object);
}

static void
pd_persona_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdPersonaList *self = PD_PERSONA_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_persona_list_class_init (PdPersonaListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_persona_list_finalize;
  object_class->get_property = pd_persona_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdPersonaList::load-failed:
   * @error: the store's error
   *
   * A page could not be read; its positions hold empty personas.
   */
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
pd_persona_list_init (PdPersonaList *self)
{
  self->page_size = PD_PERSONA_LIST_DEFAULT_PAGE_SIZE;
  self->max_pages = PD_PERSONA_LIST_DEFAULT_MAX_PAGES;
  self->sort = PD_PERSONA_SORT_ID;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  g_queue_init (&self->lru);
}

/**
 * pd_persona_list_new:
 * @store: the store to page from
 * @view: active or archived personas
 *
 * The list is empty until pd_persona_list_refresh() is called.
 *
 * Returns: (transfer full): a new list
 */
PdPersonaList *
pd_persona_list_new (PdStore       *store,
                     PdPersonaView  view)
{
  PdPersonaList *self;

  g_return_val_if_fail (PD_IS_STORE (store), NULL);

  self = g_object_new (PD_TYPE_PERSONA_LIST, NULL);
  self->store = g_object_ref (store);
  self->view = view;
  return self;
}

PdStore *
pd_persona_list_get_store (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), NULL);
  return self->store;
}

PdPersonaView
pd_persona_list_get_view (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), PD_PERSONA_VIEW_ACTIVE);
  return self->view;
}

const char *
pd_persona_list_get_search (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), NULL);
  return self->search;
}

void
pd_persona_list_set_search (PdPersonaList *self,
                            const char    *search)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (PD_IS_PERSONA_LIST (self));

  stripped = g_strstrip (g_strdup (search ? search : ""));
  g_free (self->search);
  self->search = stripped[0] != '\0' ? g_steal_pointer (&stripped) : NULL;
}

void
pd_persona_list_set_sort (PdPersonaList *self,
                          PdPersonaSort  sort,
                          gboolean       descending)
{
  g_return_if_fail (PD_IS_PERSONA_LIST (self));
  self->sort = sort;
  self->descending = !!descending;
}

PdPersonaSort
pd_persona_list_get_sort (PdPersonaList *self,
                          gboolean      *descending)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), PD_PERSONA_SORT_ID);
  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

void
pd_persona_list_set_import_id (PdPersonaList *self,
                               gint64         import_id)
{
  g_return_if_fail (PD_IS_PERSONA_LIST (self));
  self->import_id = import_id;
}

gboolean
pd_persona_list_refresh (PdPersonaList  *self,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  PdPersonaQuery query;
  guint old_n, new_n;

  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), FALSE);

  fill_query (self, &query);
  new_n = pd_store_count_personas (self->store, &query, &local_error);
  if (local_error != NULL)
    new_n = 0;

  old_n = self->n_items;
  drop_pages (self);
  self->n_items = new_n;

  /* Two steps, not one (0, old_n, new_n): for a combined change GTK 4.8's
   * list item manager looks every added item up (g_list_model_get_item on
   * each position) hoping to reuse the widgets of removed ones, which here
   * would read the whole database page by page.  Removing everything first
   * lets it drop those widgets; adding then only counts. */
  if (old_n > 0)
    {
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      self->n_items = new_n;
    }
  if (new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

void
pd_persona_list_set_page_size (PdPersonaList *self,
                               guint          page_size,
                               guint          max_pages)
{
  g_return_if_fail (PD_IS_PERSONA_LIST (self));
  g_return_if_fail (page_size > 0 && max_pages > 0);

  drop_pages (self);
  self->page_size = page_size;
  self->max_pages = max_pages;
}

guint
pd_persona_list_get_page_size (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), 0);
  return self->page_size;
}

guint
pd_persona_list_get_n_cached_pages (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), 0);
  return g_hash_table_size (self->pages);
}

guint
pd_persona_list_get_n_page_loads (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), 0);
  return self->n_page_loads;
}

guint
pd_persona_list_find_loaded (PdPersonaList *self,
                             gint64         id)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), G_MAXUINT);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        if (pd_persona_get_id (g_ptr_array_index (page->items, i)) == id)
          return page->index * self->page_size + i;
    }
  return G_MAXUINT;
}

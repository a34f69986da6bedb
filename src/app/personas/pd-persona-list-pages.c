/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPersonaList's cache of pages: read on this thread (the first) or in a
 * thread a block at a time (the others), dropped least recently used
 * first.  The model and its reloads: pd-persona-list.c. */
#include "config.h"

#include "pd-persona-list-private.h"

void
_pd_persona_list_page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

void
_pd_persona_list_drop_pages (PdPersonaList *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
  self->page_generation++;
}

/* GListModel promises an item for every position below n_items: a failed
 * page is filled with empty personas (the failure is reported once, for
 * the window to show), and so is the end of one when the database shrank
 * under us (another process). */
static void
pad_items (PdPersonaList *self,
           guint          index,
           GPtrArray     *items)
{
  while (items->len < self->page_size
         && (gsize) index * self->page_size + items->len < self->n_items)
    g_ptr_array_add (items, pd_persona_new ());
}

Page *
_pd_persona_list_insert_page (PdPersonaList *self,
                              guint          index,
                              GPtrArray     *items,   /* (transfer full) */
                              gboolean       loading)
{
  Page *page = g_new0 (Page, 1);

  pad_items (self, index, items);
  page->index = index;
  page->items = items;
  page->loading = loading;
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

GPtrArray *
_pd_persona_list_read_page (PdPersonaList *self,
                            guint          index)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  PdPersonaQuery query;

  _pd_persona_list_fill_query (self, &query);
  items = pd_store_list_personas (self->store, &query,
                                  index * self->page_size, self->page_size,
                                  &error);
  self->n_page_loads++;
  if (items == NULL)
    _pd_persona_list_load_failed (self, error);
  return items;
}

/* In a thread: takes @lock (the caller releases it) and returns whether
 * *@connection, opened on first use, is there to use; FALSE when
 * @cancellable was cancelled meanwhile.  The list has two: the worker's
 * for counts, the pages' for pages. */
gboolean
_pd_persona_list_lock_connection (PdPersonaList  *self,
                                  GMutex         *lock,
                                  PdStore       **connection,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  g_mutex_lock (lock);
  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;
  if (*connection == NULL)
    *connection = pd_store_open_another (self->store, error);
  return *connection != NULL;
}

static void
read_free (gpointer data)
{
  PdPersonaListRead *rd = data;

  g_free ((char *) rd->query.search);
  g_free (rd);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PdPersonaList *self = source_object;
  PdPersonaListRead *rd = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *items = NULL;

  /* Pages have a connection of their own: a count running on the
   * worker's (a quarter of a second on a million) would hold a search
   * typed meanwhile, or the rows of a jump. */
  if (_pd_persona_list_lock_connection (self, &self->page_lock, &self->page_store, cancellable, &error))
    items = pd_store_list_personas (self->page_store, &rd->query, rd->first * rd->page_size,
                                    rd->n_pages * rd->page_size, &error);
  g_mutex_unlock (&self->page_lock);

  if (items != NULL)
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_error_if_cancelled (task);
}

void
_pd_persona_list_read_in_thread (PdPersonaList       *self,
                                 guint                first,
                                 guint                n_pages,
                                 guint                generation,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, NULL);
  PdPersonaListRead *rd = g_new0 (PdPersonaListRead, 1);

  _pd_persona_list_fill_query (self, &rd->query);
  rd->query.search = g_strdup (rd->query.search);
  rd->generation = generation;
  rd->first = first;
  rd->n_pages = n_pages;
  rd->page_size = self->page_size;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, rd, read_free);
  g_task_run_in_thread (task, read_thread);
}

static void
block_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PdPersonaList *self = PD_PERSONA_LIST (object);
  PdPersonaListRead *rd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), &error);

  if (rd->generation != self->page_generation)
    return;
  if (items == NULL)
    _pd_persona_list_load_failed (self, error);

  for (guint i = 0; i < rd->n_pages; i++)
    {
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (rd->first + i));
      guint len;

      /* Dropped from the cache meanwhile: read again if asked again. */
      if (page == NULL || !page->loading)
        continue;
      g_ptr_array_set_size (page->items, 0);
      for (guint j = i * rd->page_size; items != NULL && j < MIN (items->len, (i + 1) * rd->page_size); j++)
        g_ptr_array_add (page->items, g_object_ref (g_ptr_array_index (items, j)));
      pad_items (self, page->index, page->items);
      page->loading = FALSE;
      len = page->items->len;
      if (len > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), page->index * self->page_size, len, len);
    }
}

/* A page past the first that is not cached: its block is read in a
 * thread, and its pages hold empty personas until then. */
Page *
_pd_persona_list_request_block (PdPersonaList *self,
                                guint          index)
{
  /* Pages of a block are cached together: never more than a quarter of
   * the cache (a test's cache of four pages reads them one by one). */
  guint block = CLAMP (self->max_pages / 4, 1, PAGE_BLOCK);
  guint first = 1 + (index - 1) / block * block;
  Page *page = NULL;

  for (guint i = first; i < first + block && (gsize) i * self->page_size < self->n_items; i++)
    {
      Page *p = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (i));

      if (p == NULL)
        p = _pd_persona_list_insert_page (self, i, g_ptr_array_new_with_free_func (g_object_unref), TRUE);
      if (i == index)
        page = p;
    }
  self->n_page_loads++;
  _pd_persona_list_read_in_thread (self, first, block, self->page_generation, NULL,
                                   block_done_cb, _pd_persona_list_request_block);
  return page;
}

/* The cache's size, and what it holds. */

void
pd_persona_list_set_page_size (PdPersonaList *self,
                               guint          page_size,
                               guint          max_pages)
{
  g_return_if_fail (PD_IS_PERSONA_LIST (self));
  g_return_if_fail (page_size > 0 && max_pages > 0);

  _pd_persona_list_drop_pages (self);
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
pd_persona_list_get_n_loading_pages (PdPersonaList *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), 0);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += ((Page *) value)->loading;
  return n;
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

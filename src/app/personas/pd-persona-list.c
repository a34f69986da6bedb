/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PdPersonaList: the model, its query, reloads and counts.  Its cache of
 * pages: pd-persona-list-pages.c. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"
#include "pd-persona-list-private.h"
#include "pd-pg-store.h"

/* How long other desks' commits settle before the list reloads. */
#define OTHER_DESKS_DELAY_MS 500

static void pd_persona_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdPersonaList, pd_persona_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pd_persona_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_N_PENDING_SMS,
  PROP_STALE,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_pd_persona_list_load_failed (PdPersonaList *self,
                              const GError  *error)
{
  g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

void
_pd_persona_list_fill_query (PdPersonaList  *self,
                             PdPersonaQuery *query)
{
  memset (query, 0, sizeof *query);
  query->view = self->view;
  query->search = (self->search != NULL && self->search[0] != '\0') ? self->search : NULL;
  query->import_id = self->import_id;
  query->sort = self->sort;
  query->descending = self->descending;
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
  if (page == NULL && index == 0)
    {
      GPtrArray *items = _pd_persona_list_read_page (self, 0);

      /* not read: empty personas (pad_items) for the positions it has */
      if (items == NULL)
        items = g_ptr_array_new_with_free_func (g_object_unref);
      page = _pd_persona_list_insert_page (self, 0, items, FALSE);
    }
  else if (page == NULL)
    page = _pd_persona_list_request_block (self, index);
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

  /* Count tasks hold a reference: none runs any more. */
  g_clear_handle_id (&self->other_desks_source, g_source_remove);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->worker_store);
  g_mutex_clear (&self->worker_lock);
  g_clear_object (&self->page_store);
  g_mutex_clear (&self->page_lock);
  _pd_persona_list_drop_pages (self);
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
    case PROP_N_PENDING_SMS:
      g_value_set_uint (value, self->n_pending_sms);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
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
  /* G_MAXUINT while not known (not counted yet, or the store cannot tell) */
  properties[PROP_N_PENDING_SMS] =
    g_param_spec_uint ("n-pending-sms", NULL, NULL, 0, G_MAXUINT, G_MAXUINT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the last reload could not be read: see pd_persona_list_is_stale() */
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
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
  self->n_pending_sms = G_MAXUINT;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, _pd_persona_list_page_free);
  g_queue_init (&self->lru);
  g_mutex_init (&self->worker_lock);
  g_mutex_init (&self->page_lock);
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
static gboolean
reload_for_other_desks (gpointer data)
{
  PdPersonaList *self = data;

  self->other_desks_source = 0;
  pd_persona_list_reload_in_thread (self);
  return G_SOURCE_REMOVE;
}

/* Another desk committed a change to the personas (PostgreSQL's
 * LISTEN/NOTIFY): one reload once a burst of them has settled for a
 * moment, not one per edit elsewhere. */
static void
on_other_desks_changed (PdPersonaList *self)
{
  if (self->other_desks_source == 0)
    self->other_desks_source = g_timeout_add (OTHER_DESKS_DELAY_MS, reload_for_other_desks, self);
}

PdPersonaList *
pd_persona_list_new (PdStore       *store,
                     PdPersonaView  view)
{
  PdPersonaList *self;

  g_return_val_if_fail (PD_IS_STORE (store), NULL);

  self = g_object_new (PD_TYPE_PERSONA_LIST, NULL);
  self->store = g_object_ref (store);
  self->view = view;
  /* a shared database: other desks' edits and imports show here too */
  if (PD_IS_PG_STORE (store))
    {
      g_autoptr(GError) error = NULL;

      if (pd_pg_store_listen (PD_PG_STORE (store), &error))
        {
          g_signal_connect_object (store, "changed::personas", G_CALLBACK (on_other_desks_changed), self,
                                   G_CONNECT_SWAPPED);
          /* other desks' commits while the connection was lost were not
           * heard of: reload once it is back */
          g_signal_connect_object (store, "reconnected", G_CALLBACK (on_other_desks_changed), self,
                                   G_CONNECT_SWAPPED);
        }
      else
        g_debug ("Not listening to other desks' changes: %s", error->message);
    }
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

static void replace_items (PdPersonaList *self,
                           guint          old_n,
                           guint          new_n);

static void show_first_page (PdPersonaList *self,
                             GPtrArray     *items);

static void
set_stale (PdPersonaList *self,
           gboolean       stale)
{
  if (self->stale == stale)
    return;
  self->stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
}

static void
stop_counting (PdPersonaList *self)
{
  self->count_pending = FALSE;
  self->generation++;
  self->counting = FALSE;
  self->loading = FALSE;
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
}

typedef struct {
  PdPersonaQuery query;   /* search owned */
  guint          generation;
} CountData;

static void
count_data_free (gpointer data)
{
  CountData *cd = data;

  g_free ((char *) cd->query.search);
  g_free (cd);
}

static CountData *
count_data_new (PdPersonaList *self)
{
  CountData *cd = g_new0 (CountData, 1);

  _pd_persona_list_fill_query (self, &cd->query);
  cd->query.search = g_strdup (cd->query.search);
  cd->generation = self->generation;
  return cd;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PdPersonaList *self = source_object;
  CountData *cd = task_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  /* Typing queues counts; only the last one is worth running. */
  if (_pd_persona_list_lock_connection (self, &self->worker_lock, &self->worker_store, cancellable, &error))
    n = pd_store_count_personas (self->worker_store, &cd->query, &error);
  g_mutex_unlock (&self->worker_lock);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_task_return_error_if_cancelled (task))
    ;
  else
    g_task_return_int (task, n);
}

static void
count_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PdPersonaList *self = PD_PERSONA_LIST (object);
  CountData *cd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  guint old_n;

  if (cd->generation != self->generation)
    return;
  self->counting = FALSE;
  g_clear_object (&self->count_cancellable);
  if (error != NULL)
    {
      /* The pages read so far stay: they are right, only the rest is
       * unknown, so the list is shorter than it should be: stale, until a
       * reload counts (the store's "reconnected" brings one). */
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      set_stale (self, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  old_n = self->n_items;
  self->n_items = (guint) n;
  if ((guint) n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, (guint) n - old_n);
  else if ((guint) n < old_n)
    {
      /* Personas went away between the first page and the count. */
      _pd_persona_list_drop_pages (self);
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      self->n_items = (guint) n;
      if (n > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, (guint) n);
    }
  /* Also when the count did not change: "counting" did. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * pd_persona_list_reload:
 * @self: a list
 *
 * Like pd_persona_list_refresh(), without waiting for the count: the first
 * page is read now and the list holds it; when it is full, the personas
 * are counted in a thread on another connection and the list grows to
 * the count (items-changed at its end, notify::n-items) when it is known.
 * Until then pd_persona_list_is_counting() is %TRUE.  Counting a million
 * personas, or every match of a broad search, takes tens to hundreds of
 * milliseconds: that is no longer a wait before the first rows show.
 */
void
pd_persona_list_reload (PdPersonaList *self)
{
  GPtrArray *items;

  g_return_if_fail (PD_IS_PERSONA_LIST (self));

  stop_counting (self);
  items = _pd_persona_list_read_page (self, 0);
  /* Not read (a shared database's lost connection fails every read at
   * once): the rows shown stay, marked stale, rather than an empty list
   * that says no customer is there, or none matches.  The next reload
   * that reads replaces them (the store's "reconnected" brings one). */
  if (items == NULL)
    {
      set_stale (self, TRUE);
      return;
    }
  show_first_page (self, items);
}

static void
start_count (PdPersonaList *self)
{
  g_autoptr(GTask) task = NULL;
  CountData *cd;

  cd = count_data_new (self);
  self->count_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->count_cancellable, count_done_cb, NULL);
  g_task_set_source_tag (task, pd_persona_list_reload);
  g_task_set_task_data (task, cd, count_data_free);
  g_task_run_in_thread (task, count_thread);
}

static void
pending_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PdPersonaList *self = source_object;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (_pd_persona_list_lock_connection (self, &self->worker_lock, &self->worker_store, cancellable, &error))
    n = pd_store_count_pending_sms (self->worker_store, &error);
  g_mutex_unlock (&self->worker_lock);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, n);
}

static void
pending_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PdPersonaList *self = PD_PERSONA_LIST (object);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  /* A store that cannot tell (PostgreSQL today) shows no count. */
  guint n_pending = error != NULL ? G_MAXUINT : (guint) n;

  if (n_pending == self->n_pending_sms)
    return;
  self->n_pending_sms = n_pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING_SMS]);
}

/* Beside every reload of the active view: a write that changed consent
 * reloads the list. */
static void
start_pending_count (PdPersonaList *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->view != PD_PERSONA_VIEW_ACTIVE)
    return;
  task = g_task_new (self, NULL, pending_done_cb, NULL);
  g_task_set_source_tag (task, start_pending_count);
  g_task_run_in_thread (task, pending_thread);
}

/**
 * pd_persona_list_get_n_pending_sms:
 * @self: a list
 *
 * Returns: the double opt-in requests waiting for the customer's YES, as
 *   counted at the last reload, or G_MAXUINT while not known
 */
guint
pd_persona_list_get_n_pending_sms (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), G_MAXUINT);

  return self->n_pending_sms;
}

/* The list becomes @items (its first page, the only one cached) and, when
 * they fill the page, grows once the count from a thread is known. */
static void
show_first_page (PdPersonaList *self,
                 GPtrArray     *items)   /* (transfer full) */
{
  guint old_n = self->n_items;

  _pd_persona_list_drop_pages (self);
  /* No padding of the first page: its length is what there is. */
  self->n_items = 0;
  _pd_persona_list_insert_page (self, 0, items, FALSE);
  self->n_items = items->len;
  set_stale (self, FALSE);
  /* A short first page is the whole list; a failed one too (reported). */
  if (items->len == self->page_size)
    self->counting = TRUE;
  replace_items (self, old_n, self->n_items);
  /* held like the count: nothing runs before the window's first frame */
  if (self->count_held)
    self->pending_sms_due = TRUE;
  else
    start_pending_count (self);
  if (!self->counting)
    return;
  if (self->count_held)
    self->count_pending = TRUE;   /* pd_persona_list_hold_count (self, FALSE) starts it */
  else
    start_count (self);
}

void
pd_persona_list_hold_count (PdPersonaList *self,
                            gboolean       hold)
{
  g_return_if_fail (PD_IS_PERSONA_LIST (self));

  self->count_held = !!hold;
  if (!hold && self->count_pending)
    {
      self->count_pending = FALSE;
      start_count (self);
    }
  if (!hold && self->pending_sms_due)
    {
      self->pending_sms_due = FALSE;
      start_pending_count (self);
    }
}

static void
first_page_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PdPersonaList *self = PD_PERSONA_LIST (object);
  PdPersonaListRead *rd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), &error);

  if (rd->generation != self->generation)
    return;
  self->loading = FALSE;
  g_clear_object (&self->count_cancellable);
  if (items == NULL)
    {
      /* What the list showed stays, marked stale; the failure is
       * reported. */
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      set_stale (self, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  self->n_page_loads++;
  show_first_page (self, g_steal_pointer (&items));
  /* Also when the length did not change: "loading" did. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * pd_persona_list_reload_in_thread:
 * @self: a list
 *
 * Like pd_persona_list_reload(), with the first page also read in a
 * thread: until it is read (pd_persona_list_is_loading()), the list keeps
 * what it shows.  For reloads while an import writes, and right after
 * one: the first page of a broad search then waits for the disk, or
 * comes from pages the import pushed out of the cache, tens of
 * milliseconds on a million personas.  A newer reload or refresh wins
 * over it.
 */
void
pd_persona_list_reload_in_thread (PdPersonaList *self)
{
  g_return_if_fail (PD_IS_PERSONA_LIST (self));

  stop_counting (self);
  self->loading = TRUE;
  self->count_cancellable = g_cancellable_new ();
  _pd_persona_list_read_in_thread (self, 0, 1, self->generation, self->count_cancellable,
                                   first_page_done_cb, pd_persona_list_reload_in_thread);
}

gboolean
pd_persona_list_is_loading (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), FALSE);
  return self->loading;
}

gboolean
pd_persona_list_is_stale (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), FALSE);
  return self->stale;
}

gboolean
pd_persona_list_is_counting (PdPersonaList *self)
{
  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), FALSE);
  return self->counting;
}

gboolean
pd_persona_list_refresh (PdPersonaList  *self,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  PdPersonaQuery query;
  guint old_n, new_n;

  g_return_val_if_fail (PD_IS_PERSONA_LIST (self), FALSE);

  stop_counting (self);
  _pd_persona_list_fill_query (self, &query);
  new_n = pd_store_count_personas (self->store, &query, &local_error);
  if (local_error != NULL)
    {
      /* as pd_persona_list_reload(): what it showed stays, stale */
      set_stale (self, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  old_n = self->n_items;
  _pd_persona_list_drop_pages (self);
  self->n_items = new_n;
  set_stale (self, FALSE);
  replace_items (self, old_n, new_n);
  start_pending_count (self);
  return TRUE;
}

/* Announces that positions [0, old_n) became [0, new_n). */
static void
replace_items (PdPersonaList *self,
               guint          old_n,
               guint          new_n)
{

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
}

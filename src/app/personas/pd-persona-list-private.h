/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-persona-list.h"

G_BEGIN_DECLS

/* Shared by pd-persona-list.c (the model, reloads and counts) and
 * pd-persona-list-pages.c (the cache of pages) only. */

/* One page of personas; positions [index * page_size, + items->len). */
typedef struct {
  guint      index;
  GPtrArray *items;   /* PdPersona */
  GList     *lru_link;
  gboolean   loading; /* empty personas until its block is read */
} Page;

/* Pages past the first are read in a thread, PAGE_BLOCK at a time: a jump
 * down the list (a drag of the scrollbar) would otherwise read them on
 * this thread, each by an OFFSET walk of hundreds of thousands of rows
 * (25-100 ms; 300 ms sorted by name), for the 200 rows GTK makes at once. */
#define PAGE_BLOCK 4

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
  guint          page_generation;  /* blocks of older pages are dropped */
  GMutex         page_lock;
  PdStore       *page_store;       /* the page thread's connection */

  /* pd_persona_list_reload() counts in a thread, on its own connection
   * (opened there, used under the lock); a newer reload or refresh makes
   * an older count's result stale (generation) and cancels it. */
  gboolean       counting;
  gboolean       loading;   /* pd_persona_list_reload_in_thread() */
  gboolean       count_held;    /* pd_persona_list_hold_count() */
  gboolean       count_pending; /* a count waits for the release */
  guint          generation;
  GCancellable  *count_cancellable;
  GMutex         worker_lock;
  PdStore       *worker_store;
  /* double opt-ins waiting for a YES, counted beside each reload on the
   * worker connection; G_MAXUINT while unknown */
  guint          n_pending_sms;
  /* a reload waiting for other desks' commits to settle (PostgreSQL) */
  guint          other_desks_source;
  gboolean       pending_sms_due;   /* counted when the count is released */
  gboolean       stale;   /* pd_persona_list_is_stale() */
};

/* A read of pages [first, first + n_pages) of the list's query, in a
 * thread (the task data of _pd_persona_list_read_in_thread()'s task). */
typedef struct {
  PdPersonaQuery query;   /* search owned */
  guint          generation;
  guint          first;   /* page index */
  guint          n_pages;
  guint          page_size;
} PdPersonaListRead;

/* pd-persona-list.c */
void      _pd_persona_list_fill_query      (PdPersonaList  *self,
                                            PdPersonaQuery *query);
void      _pd_persona_list_load_failed     (PdPersonaList  *self,
                                            const GError   *error);

/* pd-persona-list-pages.c */
void      _pd_persona_list_page_free       (gpointer        data);
void      _pd_persona_list_drop_pages      (PdPersonaList  *self);
Page     *_pd_persona_list_insert_page     (PdPersonaList  *self,
                                            guint           index,
                                            GPtrArray      *items,
                                            gboolean        loading);
/* Reads page @index on this thread (the first page: search as you type
 * shows its results in the same frame); NULL when that failed
 * (::load-failed said why). */
GPtrArray *_pd_persona_list_read_page      (PdPersonaList  *self,
                                            guint           index);
/* Page @index, empty personas until its block is read in a thread. */
Page     *_pd_persona_list_request_block   (PdPersonaList  *self,
                                            guint           index);
/* @callback gets a GTask whose pointer is the personas read and whose
 * task data is the PdPersonaListRead. */
void      _pd_persona_list_read_in_thread  (PdPersonaList       *self,
                                            guint                first,
                                            guint                n_pages,
                                            guint                generation,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             source_tag);
gboolean  _pd_persona_list_lock_connection (PdPersonaList  *self,
                                            GMutex         *lock,
                                            PdStore       **connection,
                                            GCancellable   *cancellable,
                                            GError        **error);

G_END_DECLS

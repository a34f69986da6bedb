/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-store.h"

G_BEGIN_DECLS

/* A GListModel of PdPersona that pages from the store on demand: it knows
 * the count, and loads a page of personas only when an item of it is asked
 * for, keeping the most recently used pages.  A million personas open as
 * fast as one page loads.  GTK-free, so it is tested without a display. */

#define PD_TYPE_PERSONA_LIST (pd_persona_list_get_type ())
G_DECLARE_FINAL_TYPE (PdPersonaList, pd_persona_list, PD, PERSONA_LIST, GObject)

/* Small pages: the store reads a persona with several queries (emails,
 * phones, tags, attributes), so a page costs in proportion to its size,
 * and the first screen needs about 25 rows.  64 pages of 50 keep 3,200
 * personas around a scrolled-to position. */
#define PD_PERSONA_LIST_DEFAULT_PAGE_SIZE 50
#define PD_PERSONA_LIST_DEFAULT_MAX_PAGES 64

PdPersonaList *pd_persona_list_new            (PdStore        *store,
                                               PdPersonaView   view);
PdStore       *pd_persona_list_get_store      (PdPersonaList  *self);
PdPersonaView  pd_persona_list_get_view       (PdPersonaList  *self);

/* Changing the query does not reload: call pd_persona_list_refresh(). */
const char    *pd_persona_list_get_search     (PdPersonaList  *self);
void           pd_persona_list_set_search     (PdPersonaList  *self,
                                               const char     *search);
void           pd_persona_list_set_sort       (PdPersonaList  *self,
                                               PdPersonaSort   sort,
                                               gboolean        descending);
PdPersonaSort  pd_persona_list_get_sort       (PdPersonaList  *self,
                                               gboolean       *descending);
void           pd_persona_list_set_import_id  (PdPersonaList  *self,
                                               gint64          import_id);

/* Re-counts, drops every cached page and emits items-changed over the
 * whole list.  On error the list keeps what it held, stale, and the
 * error is returned. */
gboolean       pd_persona_list_refresh        (PdPersonaList  *self,
                                               GError        **error);
/* The first page now, the count later (from a thread): for start-up and
 * search as you type.  Errors are reported by ::load-failed. */
void           pd_persona_list_reload         (PdPersonaList  *self);
/* The first page too from a thread, for reloads nobody waits for (after
 * an import); until it lands the list keeps its items, and
 * pd_persona_list_is_loading() is TRUE.  notify::n-items when it lands. */
void           pd_persona_list_reload_in_thread (PdPersonaList *self);
gboolean       pd_persona_list_is_loading     (PdPersonaList  *self);
/* The last reload or refresh could not read (a shared database's lost
 * connection): the items are still those of the one before, perhaps of
 * another search, kept because an empty list would say that no persona
 * is there.  Cleared (notify::stale) by the next reload that reads. */
gboolean       pd_persona_list_is_stale       (PdPersonaList  *self);
/* Whether the list is known to be longer than n-items: a reload's count
 * is still running.  notify::n-items says when it ends. */
gboolean       pd_persona_list_is_counting    (PdPersonaList  *self);
guint          pd_persona_list_get_n_pending_sms (PdPersonaList *self);
/* While held, pd_persona_list_reload() reads the first page and says it is
 * counting, but starts the count only when released: the window holds it
 * until its first frame is painted, so that on a machine with few cores
 * the count does not compete with that frame. */
void           pd_persona_list_hold_count     (PdPersonaList  *self,
                                               gboolean        hold);

void           pd_persona_list_set_page_size  (PdPersonaList  *self,
                                               guint           page_size,
                                               guint           max_pages);
guint          pd_persona_list_get_page_size  (PdPersonaList  *self);
guint          pd_persona_list_get_n_cached_pages (PdPersonaList *self);
/* How many pages were read from the store since creation (for tests). */
/* Pages being read in a thread: their positions hold empty personas
 * until they land (items-changed over them). */
guint          pd_persona_list_get_n_loading_pages (PdPersonaList *self);
guint          pd_persona_list_get_n_page_loads (PdPersonaList *self);

/* The position of the persona @id among the pages in memory, or
 * G_MAXUINT when it is not loaded. */
guint          pd_persona_list_find_loaded    (PdPersonaList  *self,
                                               gint64          id);

G_END_DECLS

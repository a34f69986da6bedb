/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one rule of every workbook reader: a workbook with data on more
 * than one sheet is not guessed at, the user chooses.  These build the
 * errors that say so, and find the chosen sheet. */

GError *pd_sheet_choice_error (const char         *display_name,
                               const char * const *non_empty_sheets);
GError *pd_no_such_sheet_error (const char         *display_name,
                                const char         *wanted,
                                const char * const *sheets);
int     pd_sheet_choice_find  (const char * const *sheets,
                               const char         *wanted);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* pd-value-date.c, for pd-value.c: the date forms beyond digits and
 * separators.  Each returns FALSE when @text is not in its form. */
char     *_pd_value_date_clean        (const char *text);
gboolean  _pd_value_date_from_words   (const char *text,
                                       guint      *year,
                                       guint      *month,
                                       guint      *day,
                                       gboolean   *short_year);
gboolean  _pd_value_date_from_compact (const char *text,
                                       guint      *year,
                                       guint      *month,
                                       guint      *day);
gboolean  _pd_value_date_from_serial  (const char *text,
                                       guint      *year,
                                       guint      *month,
                                       guint      *day);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * pd_email_normalize:
 * @text: an address as typed: surrounding spaces are trimmed
 * @error: PD_ERROR_INVALID with a translated reason ("no @ sign", ...)
 *
 * Returns: (transfer full) (nullable): the address lower-cased, or %NULL
 */
char *pd_email_normalize (const char  *text,
                          GError     **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Phone numbers to E.164, with libphonenumber's answers.  Thread-safe. */

/**
 * pd_phone_normalize:
 * @text: a phone number as people write it
 * @default_region: (nullable): ISO 3166 region for numbers without "+"; "US" when NULL
 * @error: PD_ERROR_INVALID with a translated reason
 *
 * Returns: (transfer full) (nullable): the number in E.164 ("+12025550143")
 */
char     *pd_phone_normalize                (const char  *text,
                                             const char  *default_region,
                                             GError     **error);

/* The same through libphonenumber's Parse + IsValidNumber only, without the
 * fast path: the reference the fast path is tested against. */
char     *pd_phone_normalize_reference      (const char  *text,
                                             const char  *default_region,
                                             GError     **error);

gboolean  pd_phone_is_known_region          (const char  *region);

/**
 * pd_phone_dup_regions:
 *
 * The regions libphonenumber knows, for a chooser.  Builds libphonenumber's
 * metadata (about 15 ms) on the first call to any function here: call it
 * when the chooser opens, not at start-up.
 *
 * Returns: (transfer full): ISO 3166 codes ("US"), sorted by code
 */
GStrv     pd_phone_dup_regions              (void);

char     *pd_phone_format_for_display       (const char  *e164,
                                             const char  *home_region);
/* The same through libphonenumber only: the reference for the fast path. */
char     *pd_phone_format_for_display_reference (const char *e164,
                                                 const char *home_region);

G_END_DECLS

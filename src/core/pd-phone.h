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

/**
 * pd_phone_normalize_lenient:
 * @text: a phone number as people write it, maybe with an extension
 *   ("x123", "ext. 123", "ext 123", "#123", ";ext=123")
 * @default_region: (nullable): as for pd_phone_normalize()
 * @not_in_data: (out) (optional): set to %TRUE when the number is possible
 *   for its region (right length, an area code) but not in the phone data
 *   this system has (pd_phone_data_year()): a range opened since
 * @error: PD_ERROR_INVALID when the number is not even possible
 *
 * What an import keeps: valid numbers, and possible ones the data may not
 * know yet, with their extension.
 *
 * Returns: (transfer full) (nullable): E.164, followed by ";ext=DIGITS"
 *   when @text has an extension ("+17862843358;ext=62152")
 */
char     *pd_phone_normalize_lenient        (const char  *text,
                                             const char  *default_region,
                                             gboolean    *not_in_data,
                                             GError     **error);

/* The year of libphonenumber's data this build has, for messages. */
const char *pd_phone_data_year              (void);

/* Whether the phone data this system has (pd_phone_data_year()) knows
 * @stored (E.164, maybe with ";ext=…"): FALSE for a number kept because it
 * was possible, from a range the data predates.  What the app marks. */
gboolean  pd_phone_is_in_data               (const char  *stored);

/* Where a stored number's extension starts (";ext=…"), or its end: the
 * number alone is what matches a persona. */
gsize     pd_phone_number_length            (const char  *stored);

/* Whether two stored numbers are the same number, extensions aside:
 * "+17862843358" and "+17862843358;ext=5" are one phone. */
gboolean  pd_phone_same_number              (const char  *a,
                                             const char  *b);

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

/* @e164 may carry an extension (";ext=123"): shown as "… ext. 123". */
char     *pd_phone_format_for_display       (const char  *e164,
                                             const char  *home_region);
/* The same through libphonenumber only: the reference for the fast path. */
char     *pd_phone_format_for_display_reference (const char *e164,
                                                 const char *home_region);

G_END_DECLS

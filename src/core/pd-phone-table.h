/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Private to pd-phone.cc and its tests/benchmarks: the pieces of the fast
 * path for North American (country code 1) numbers.
 *
 * PdPhoneTable answers "is this 10-digit NANP national number valid?" from
 * its first 7 digits.  It is built from libphonenumber's own metadata
 * patterns: the digits are walked as a trie whose nodes are the tuples of
 * the patterns' automaton states, so two prefixes reaching the same node
 * are indistinguishable to every pattern whatever digits follow.  At depth 7
 * a node is a leaf when no pattern looks at the last 3 digits any more; its
 * validity is asked of libphonenumber itself (the oracle), once per distinct
 * combination of pattern outcomes.  A leaf whose patterns still depend on
 * the last digits, or a pattern using regex syntax this module does not
 * know, gives PD_PHONE_VERDICT_ASK: the caller then uses libphonenumber. */

typedef enum {
  PD_PHONE_VERDICT_ASK,      /* not decided here: ask libphonenumber */
  PD_PHONE_VERDICT_INVALID,
  PD_PHONE_VERDICT_VALID,
} PdPhoneVerdict;

typedef struct _PdPhoneTable PdPhoneTable;

/* Returns whether the NANP number (country code 1, @national_number of 10
 * digits) is valid, as libphonenumber's IsValidNumber says. */
typedef gboolean (*PdPhoneOracle) (guint64  national_number,
                                   gpointer user_data);

/* @full_patterns: patterns that must match the whole national number;
 * @prefix_patterns: patterns matched at its start only (leading digits). */
PdPhoneTable   *pd_phone_table_new        (const char * const *full_patterns,
                                           const char * const *prefix_patterns,
                                           PdPhoneOracle       oracle,
                                           gpointer            user_data,
                                           GError            **error);
void            pd_phone_table_free       (PdPhoneTable       *self);
/* @digits: 10 ASCII digits, the first 2-9. */
PdPhoneVerdict  pd_phone_table_lookup     (const PdPhoneTable *self,
                                           const char         *digits);
/* Figures for benchmarks and tests. */
void            pd_phone_table_get_stats  (const PdPhoneTable *self,
                                           guint              *n_nodes,
                                           guint              *n_ask_leaves,
                                           guint              *n_oracle_calls);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPhoneTable, pd_phone_table_free)

/* The "simple shapes" lexer: digits separated by spaces - . ( ) /, with an
 * optional leading "+1" (or "1" when @default_is_nanp).  On success @out
 * holds the 10 national digits (the first 2-9) and TRUE is returned; any
 * other text returns FALSE and is left to libphonenumber. */
gboolean        pd_phone_lex_nanp         (const char         *text,
                                           gboolean            default_is_nanp,
                                           char                out[10]);

G_END_DECLS

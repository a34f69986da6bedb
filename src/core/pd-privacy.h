/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-field.h"

G_BEGIN_DECLS

/* The privacy rules every layer shares (issue 16): the blocklist keeps a
 * contact only as a keyed hash of its normalized value, and erasing a
 * person finds their rows in kept files and reports by their contacts. */

#define PD_PRIVACY_KEY_BYTES  32
#define PD_PRIVACY_HASH_BYTES 32

/* A new random per-database key (libsodium's randombytes). */
void      pd_privacy_make_key      (guint8        key[PD_PRIVACY_KEY_BYTES]);
/**
 * pd_privacy_contact_hash:
 * @key: the database's secret
 * @kind: PD_FIELD_EMAIL (@value normalized) or PD_FIELD_PHONE (E.164; an
 *   extension is ignored: the number is what is blocklisted)
 *
 * libsodium's keyed generichash (BLAKE2b) of the kind and value: without
 * the key nobody can test a guessed address against the blocklist.
 */
void      pd_privacy_contact_hash  (const guint8  key[PD_PRIVACY_KEY_BYTES],
                                    PdFieldId     kind,
                                    const char   *value,
                                    guint8        hash[PD_PRIVACY_HASH_BYTES]);

/* The contacts of the people being forgotten: normalized emails and E.164
 * phones, matched against cells as people write them. */
typedef struct _PdPrivacyTargets PdPrivacyTargets;

PdPrivacyTargets *pd_privacy_targets_new        (void);
void              pd_privacy_targets_free       (PdPrivacyTargets   *targets);
/* Each returns FALSE when the value was there already. */
gboolean          pd_privacy_targets_add_email  (PdPrivacyTargets   *targets,
                                                 const char         *email);
gboolean          pd_privacy_targets_add_phone  (PdPrivacyTargets   *targets,
                                                 const char         *e164);
/* (element-type utf8) (transfer none) */
GPtrArray        *pd_privacy_targets_get_emails (const PdPrivacyTargets *targets);
GPtrArray        *pd_privacy_targets_get_phones (const PdPrivacyTargets *targets);
/* Whether a text (a cell, a list of contacts in one cell, a JSON detail)
 * holds one of the emails (a whole address, any case) or one of the
 * phones written in any usual way ("+1 202-555-0143", "(202) 555 0143",
 * "0044 20 …", with an extension). */
gboolean          pd_privacy_targets_match_text (const PdPrivacyTargets *targets,
                                                 const char             *text);
gboolean          pd_privacy_targets_match_cells (const PdPrivacyTargets *targets,
                                                  const char * const     *cells,
                                                  guint                   n_cells);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPrivacyTargets, pd_privacy_targets_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one error domain for every failure a user can cause: bad files,
 * bad values, refused operations.  Messages are translated and name the
 * file, row and column where there is one. */
#define PD_ERROR (pd_error_quark ())

typedef enum {
  PD_ERROR_FAILED,
  PD_ERROR_UNSUPPORTED_FORMAT, /* extension or content not accepted */
  PD_ERROR_TOO_LARGE,          /* size caps, zip bombs */
  PD_ERROR_SHEET_CHOICE,       /* several non-empty sheets and none chosen */
  PD_ERROR_NO_SUCH_SHEET,
  PD_ERROR_CORRUPT,            /* unreadable container, XML or record */
  PD_ERROR_ENCODING,
  PD_ERROR_EMPTY,              /* no header row */
  PD_ERROR_MAPPING,            /* two columns on one field, unknown field */
  PD_ERROR_NO_IDENTIFIER,      /* no email, phone, external or channel ID column */
  PD_ERROR_INVALID,            /* a value fails validation */
  PD_ERROR_STORE,              /* the database refused or is damaged */
  PD_ERROR_NOT_FOUND,
  PD_ERROR_CONFLICT,           /* e.g. undo blocked by later changes */
  PD_ERROR_TERMS_NOT_ACCEPTED,
  PD_ERROR_NO_HEADER,          /* the first row is a customer, not column names */
  PD_ERROR_SAME_FILE,          /* this file's content was imported before */
  PD_ERROR_PERMISSION,         /* the actor's role may not do this */
  PD_ERROR_PRIVACY,            /* a blocklisted contact: refused without saying whose */
  PD_ERROR_BUSY,               /* another connection holds the write lock (an import): try again */
  PD_ERROR_RACE,               /* another desk committed a persona with one of these contacts
                                * meanwhile: nothing of the batch was written; look it up again */
} PdError;

GQuark pd_error_quark (void);

G_END_DECLS

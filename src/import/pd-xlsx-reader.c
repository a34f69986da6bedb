/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PLACEHOLDER: replaced by the real xlsx reader. */
#include "pd-error.h"
#include "pd-reader-private.h"

PdReader *
_pd_xlsx_reader_new (GFile *file, const PdReaderOptions *options,
                     GCancellable *cancellable, GError **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT, "xlsx reader not written yet");
  return NULL;
}

char **
_pd_xlsx_list_sheets (GFile *file, GCancellable *cancellable, GError **error)
{
  g_set_error (error, PD_ERROR, PD_ERROR_UNSUPPORTED_FORMAT, "xlsx reader not written yet");
  return NULL;
}

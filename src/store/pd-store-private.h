/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-store.h"

G_BEGIN_DECLS

/* What the files of PdStore's dispatchers share (pd-store.c, and
 * pd-store-imports.c for the import history): a store without an
 * operation answers "cannot do that" rather than crashing. */

#define IFACE(self) PD_STORE_GET_IFACE (self)

gboolean  _pd_store_not_supported (PdStore  *self,
                                   GError  **error);

#define DISPATCH(vfunc, fail_value, ...) \
  G_STMT_START { \
    g_return_val_if_fail (PD_IS_STORE (self), fail_value); \
    if (IFACE (self)->vfunc == NULL) \
      return _pd_store_not_supported (self, error), fail_value; \
    return IFACE (self)->vfunc (self, __VA_ARGS__); \
  } G_STMT_END

#define CHECK_VFUNC(self, vfunc, error, ret)                    \
  G_STMT_START {                                                \
    if (IFACE (self)->vfunc == NULL)                            \
      {                                                         \
        _pd_store_not_supported (self, error);                  \
        return ret;                                             \
      }                                                         \
  } G_STMT_END

G_END_DECLS

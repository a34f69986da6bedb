/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pd-error.h"

G_DEFINE_QUARK (pd-error-quark, pd_error)

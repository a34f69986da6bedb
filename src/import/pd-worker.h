/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void pd_worker_run_in_thread (GTask           *task,
                              GTaskThreadFunc  func,
                              const char      *name);

G_END_DECLS

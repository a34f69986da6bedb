/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Which renderer GTK draws the app with.
 *
 * GTK 4.8 draws with OpenGL whenever it can make a context, also where
 * only Mesa's software rasterizer (llvmpipe) makes one: a machine without
 * a GPU, a virtual machine, a remote session — common in the back office
 * of a store.  There, probing OpenGL costs 150-200 ms of start-up and each
 * frame several times what cairo takes (bench-app on 1,000,000 personas,
 * no GPU: first painted list 590 ms with OpenGL, 408 ms with cairo after
 * the probe, 216 ms without it; a search's frame 26-63 ms against 16-31).
 * Without a GPU device, the app turns GTK's OpenGL off.  A renderer the
 * user chose (GSK_RENDERER, GDK_DEBUG) is left alone. */

/* Before GTK starts (first thing in main()): returns TRUE when it turned
 * OpenGL off (GDK_DEBUG=gl-disable: no probe; GSK_RENDERER=cairo: no
 * attempt, and no message about it, for each window). */
gboolean pd_renderer_choose         (void);
/* Once GTK has started: GDK_DEBUG is read, and unset again. */
void     pd_renderer_forget         (void);
/* What pd_renderer_choose() set is not handed on to the programs the app
 * opens files with through @context. */
void     pd_renderer_clean_launch   (GAppLaunchContext *context);

G_END_DECLS

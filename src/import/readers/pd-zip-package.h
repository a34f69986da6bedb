/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A zip container read member by member (the parts of an .xlsx or an
 * .ods), with the caps against zip bombs of pd-reader.h: a member whose
 * inflated size passes PD_READER_MAX_INFLATED_SIZE, or whose inflated size
 * passes PD_READER_MAX_RATIO times its compressed size, is refused.  The
 * sizes in the zip's headers are checked when a member is opened, and the
 * bytes really inflated are counted while it is read, since headers can
 * lie.  Plain structs: they live inside one reader. */

typedef struct _PdZipPackage PdZipPackage;
typedef struct _PdZipMember  PdZipMember;

PdZipPackage *pd_zip_package_open          (GFile          *file,
                                            const char     *format_name,
                                            GError        **error);
void          pd_zip_package_free          (PdZipPackage   *self);
const char   *pd_zip_package_get_display_name (PdZipPackage *self);
gboolean      pd_zip_package_has_member    (PdZipPackage   *self,
                                            const char     *name);
char        **pd_zip_package_list_members  (PdZipPackage   *self);

PdZipMember  *pd_zip_package_open_member   (PdZipPackage   *self,
                                            const char     *name,
                                            GError        **error);
gssize        pd_zip_member_read           (PdZipMember    *self,
                                            void           *buffer,
                                            gsize           count,
                                            GError        **error);
const char   *pd_zip_member_get_name       (PdZipMember    *self);
guint64       pd_zip_member_get_size       (PdZipMember    *self);
guint64       pd_zip_member_get_position   (PdZipMember    *self);
void          pd_zip_member_free           (PdZipMember    *self);

/* Below this many inflated bytes the ratio is not checked: a small, very
 * regular part (styles, an empty sheet) legitimately compresses far more
 * than a bomb's threshold, and is harmless. */
#define PD_ZIP_RATIO_FLOOR (G_GUINT64_CONSTANT (1) << 20)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdZipPackage, pd_zip_package_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdZipMember, pd_zip_member_free)

G_END_DECLS

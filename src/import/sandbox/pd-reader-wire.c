/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "pd-error.h"
#include "pd-reader-wire.h"

/* Rows are small and many: they are gathered and written 64 KiB at a
 * time, one system call instead of one per row. */
#define FLUSH_AT (64 * 1024)

struct _PdWireWriter
{
  int         fd;
  GByteArray *buf;
};

PdWireWriter *
pd_wire_writer_new (int fd)
{
  PdWireWriter *self = g_new0 (PdWireWriter, 1);

  self->fd = fd;
  self->buf = g_byte_array_sized_new (FLUSH_AT + 4096);
  return self;
}

void
pd_wire_writer_free (PdWireWriter *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->buf);
  g_free (self);
}

gboolean
pd_wire_writer_flush (PdWireWriter *self)
{
  gsize done = 0;

  while (done < self->buf->len)
    {
      ssize_t n = write (self->fd, self->buf->data + done, self->buf->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  g_byte_array_set_size (self->buf, 0);
  return TRUE;
}

static void
put (PdWireWriter *self,
     const void   *data,
     gsize         len)
{
  g_byte_array_append (self->buf, data, (guint) len);
}

static void
put_u32 (PdWireWriter *self,
         guint32       value)
{
  put (self, &value, sizeof value);
}

static void
put_u64 (PdWireWriter *self,
         guint64       value)
{
  put (self, &value, sizeof value);
}

/* Starts a frame; returns where its length goes. */
static guint
begin (PdWireWriter *self,
       PdWireFrame   type)
{
  guint8 t = (guint8) type;
  guint at;

  put (self, &t, 1);
  at = self->buf->len;
  put_u32 (self, 0);
  return at;
}

static gboolean
end (PdWireWriter *self,
     guint         at)
{
  guint32 len = self->buf->len - at - sizeof (guint32);

  memcpy (self->buf->data + at, &len, sizeof len);
  if (self->buf->len >= FLUSH_AT)
    return pd_wire_writer_flush (self);
  return TRUE;
}

gboolean
pd_wire_write_opened (PdWireWriter *self,
                      guint64       size)
{
  guint at = begin (self, PD_WIRE_OPENED);

  put_u64 (self, size);
  return end (self, at);
}

gboolean
pd_wire_write_row (PdWireWriter *self,
                   const PdRow  *row,
                   guint64       position)
{
  guint at = begin (self, PD_WIRE_ROW);
  guint text_at;

  put_u32 (self, row->number);
  put_u64 (self, position);
  put_u32 (self, row->n_cells);
  if (row->error != NULL)
    {
      gsize len = strlen (row->error);

      put_u32 (self, (guint32) len + 1);
      put (self, row->error, len);
    }
  else
    put_u32 (self, 0);
  text_at = self->buf->len;
  put_u32 (self, 0);
  for (guint i = 0; i < row->n_cells; i++)
    put (self, row->cells[i], strlen (row->cells[i]) + 1);
  {
    guint32 text_len = self->buf->len - text_at - sizeof (guint32);

    memcpy (self->buf->data + text_at, &text_len, sizeof text_len);
  }
  return end (self, at);
}

gboolean
pd_wire_write_text (PdWireWriter *self,
                    PdWireFrame   type,
                    const char   *text)
{
  guint at = begin (self, type);

  put (self, text, strlen (text));
  return end (self, at);
}

gboolean
pd_wire_write_error (PdWireWriter *self,
                     const GError *error)
{
  guint at = begin (self, PD_WIRE_ERROR);
  PdWireDomain domain = PD_WIRE_DOMAIN_OTHER;

  if (error->domain == PD_ERROR)
    domain = PD_WIRE_DOMAIN_PD;
  else if (error->domain == G_IO_ERROR)
    domain = PD_WIRE_DOMAIN_IO;
  put_u32 (self, domain);
  put_u32 (self, (guint32) error->code);
  put (self, error->message, strlen (error->message));
  return end (self, at);
}

gboolean
pd_wire_write_end (PdWireWriter *self,
                   guint64       position)
{
  guint at = begin (self, PD_WIRE_END);

  put_u64 (self, position);
  return end (self, at);
}

/* Decoding */

typedef struct {
  const guint8 *p;
  gsize         left;
} Cursor;

static gboolean
take (Cursor *c,
      void   *out,
      gsize   len)
{
  if (c->left < len)
    return FALSE;
  memcpy (out, c->p, len);
  c->p += len;
  c->left -= len;
  return TRUE;
}

gboolean
pd_wire_decode_u64 (const guint8 *payload,
                    gsize         len,
                    guint64      *value)
{
  Cursor c = { payload, len };

  return take (&c, value, sizeof *value) && c.left == 0;
}

char *
pd_wire_decode_text (const guint8 *payload,
                     gsize         len)
{
  if (!g_utf8_validate_len ((const char *) payload, len, NULL))
    return NULL;
  return g_strndup ((const char *) payload, len);
}

PdRow *
pd_wire_decode_row (const guint8 *payload,
                    gsize         len,
                    guint64      *position)
{
  Cursor c = { payload, len };
  guint32 number, n_cells, error_len, text_len;
  g_autofree char *row_error = NULL;
  g_autofree guint *offsets = NULL;
  const char *text;
  guint i = 0;
  PdRow *row;

  if (!take (&c, &number, sizeof number) || !take (&c, position, sizeof *position) ||
      !take (&c, &n_cells, sizeof n_cells) || !take (&c, &error_len, sizeof error_len))
    return NULL;
  if (error_len > 0)
    {
      if (c.left < error_len - 1)
        return NULL;
      row_error = pd_wire_decode_text (c.p, error_len - 1);
      if (row_error == NULL)
        return NULL;
      c.p += error_len - 1;
      c.left -= error_len - 1;
    }
  if (!take (&c, &text_len, sizeof text_len) || c.left != text_len)
    return NULL;
  /* Every cell is NUL-terminated: at most one cell per byte. */
  if (n_cells > text_len || (text_len > 0 && c.p[text_len - 1] != '\0'))
    return NULL;

  text = (const char *) c.p;
  offsets = g_new (guint, MAX (n_cells, 1));
  for (gsize at = 0; at < text_len; i++)
    {
      const char *cell_end;

      if (i >= n_cells || !g_utf8_validate (text + at, -1, &cell_end))
        return NULL;
      offsets[i] = (guint) at;
      at = (gsize) (cell_end - text) + 1;
    }
  if (i != n_cells)
    return NULL;

  row = pd_row_new_packed (number, text, offsets, n_cells);
  row->error = g_steal_pointer (&row_error);
  return row;
}

GError *
pd_wire_decode_error (const guint8 *payload,
                      gsize         len)
{
  Cursor c = { payload, len };
  guint32 domain;
  gint32 code;
  g_autofree char *message = NULL;

  if (!take (&c, &domain, sizeof domain) || !take (&c, &code, sizeof code))
    return NULL;
  message = pd_wire_decode_text (c.p, c.left);
  if (message == NULL)
    return NULL;
  switch (domain)
    {
    case PD_WIRE_DOMAIN_PD:
      return g_error_new_literal (PD_ERROR, code, message);
    case PD_WIRE_DOMAIN_IO:
      return g_error_new_literal (G_IO_ERROR, code, message);
    default:
      return g_error_new_literal (PD_ERROR, PD_ERROR_FAILED, message);
    }
}

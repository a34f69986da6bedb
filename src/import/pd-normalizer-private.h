/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PdNormalizer's insides, for its files: pd-normalizer.c (the values)
 * and pd-normalizer-dates.c (the day/month order of date columns). */

#include "pd-normalizer.h"

G_BEGIN_DECLS

/* Longest cell value quoted in a message, in characters. */
#define MAX_QUOTED_CHARS 48
/* Where phones written without "+" are, unless the column or caller says. */
#define DEFAULT_REGION "US"

typedef struct {
  PdFieldId           field;      /* PD_FIELD_NONE: not read */
  PdFieldType         type;
  gboolean            identifier;
  char               *name;       /* for messages */
  char               *attribute;  /* PD_FIELD_ATTRIBUTE */
  char               *region;     /* phones: the column's or the default */
  gboolean            order_chosen;
  PdDateOrder         order;      /* dates */
  gboolean            undecided;  /* dates: nothing in the column decides; order
                                   * is the default region's */
  const char         *msg_date_order;
  char               *delimiter;  /* tags */
  const char * const *choices;
  char               *choices_text; /* "medical, recreational", for messages */
  PdDateDetector     *detector;   /* dates without a chosen order, until decided */
  char               *ambiguous_example;
  GPtrArray          *ambiguous_samples; /* nullable: values as written that read
                                          * differently day- and month-first, for
                                          * the question (PdDateQuestion) */
  guint               samples_looked_at;
  /* Per-row messages, translated once: gettext takes a lock and hashes
   * the message on every call, and half the rows of a big file may have
   * a message. */
  const char         *msg_cell;
  const char         *msg_cell_quoted;
  const char         *msg_left_out;
  const char         *msg_left_out_quoted;
  const char         *msg_not_a_choice;
  const char         *msg_not_in_data;
  const char         *msg_not_in_data_strict;
  gboolean            strict;     /* a value that can't be read fails the row */
} Plan;

struct _PdNormalizer
{
  GObject    parent_instance;

  PdMapping *mapping;     /* a private copy: the caller may keep editing its own */
  GArray    *plans;       /* of Plan, one per column */
  GArray    *active;      /* of guint: the columns that are read, left to right */
  GPtrArray *warnings;
  gboolean   strict;
  char      *default_region;
};


/* The value as a message quotes it, bounded: (transfer full) */
char *_pd_normalizer_quote_value (const char *value,
                                  gssize      len);

G_END_DECLS

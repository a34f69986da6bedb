/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-analyzer.h"
#include "pd-import-analyze-page.h"
#include "pd-import-job.h"
#include "pd-import-row-queue.h"
#include "pd-import-same-file-group.h"
#include "pd-normalizer.h"

G_BEGIN_DECLS

/* Shared by pd-import-analyze-page.c and pd-import-analyze-page-failed.c only. */
struct _PdImportAnalyzePage
{
  AdwBin         parent_instance;

  GCancellable  *cancellable;
  PdAnalyzer    *analyzer;
  PdAnalysis    *analysis;
  PdNormalizer  *normalizer;
  GHashTable    *corrections;   /* row number → PdRow */
  GHashTable    *fixed;         /* row numbers now valid */
  char          *error;
  gboolean       running;
  PdImportRowQueue *rows;      /* builds the rows of failed_list and changes_list */
  GtkFileChooserNative *chooser;
  PdImportJob   *dry_job;       /* the engine's dry run, after the analysis */
  /* what the dry run needs to run again with the corrections */
  GFile         *file;
  PdSourceOptions *source_options;
  PdStore       *store;
  PdImportOptions import_options;  /* its strings owned by the page */
  GStrv          import_tags;
  gboolean       dry_done;
  GPtrArray     *asked;        /* PdDateQuestion: asked since the Options step;
                                * kept once answered (then no longer asked) */
  GHashTable    *chosen;       /* column → PdDateOrder answered */
  gboolean       answering;    /* analyzing again with an answer */

  GtkWidget      *running_box;
  GtkLabel       *running_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *error_label;
  GtkBox         *dates_box;
  GtkWidget      *counts_group;
  GtkLabel       *valid_label;
  GtkLabel       *duplicates_label;
  GtkLabel       *failed_label;
  GtkLabel       *warned_label;
  GtkLabel       *shared_label;
  GtkLabel       *warnings_label;
  PdImportSameFileGroup *same_file_group;
  GtkWidget      *failed_group;
  GtkListBox     *failed_list;
  GtkLabel       *more_label;
  GtkWidget      *dry_group;
  GtkLabel       *new_label;
  GtkLabel       *updated_label;
  GtkLabel       *ignored_label;
  GtkLabel       *dry_failed_label;
  GtkLabel       *dry_warned_label;
  GtkLabel       *dry_shared_label;
  GtkWidget      *changes_group;
  GtkListBox     *changes_list;
  GtkLabel       *changes_more_label;
  GtkWidget      *recheck_button;
  GtkWidget      *pager_box;
  GtkLabel       *pager_label;
  GtkWidget      *previous_page_button;
  GtkWidget      *next_page_button;
  guint           failed_first;   /* the first failed row of the page shown */
};

void _pd_import_analyze_page_update_counts              (PdImportAnalyzePage *self);
void _pd_import_analyze_page_show_failed_rows           (PdImportAnalyzePage *self);
void _pd_import_analyze_page_class_add_failed_callbacks (GtkWidgetClass      *widget_class);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-import-date-question.h"
#include "pd-import-format.h"

struct _PdImportDateQuestion
{
  AdwPreferencesGroup parent_instance;

  guint           column;
  gboolean        syncing;

  AdwActionRow   *day_first_row;
  AdwActionRow   *month_first_row;
  GtkCheckButton *day_first_check;
  GtkCheckButton *month_first_check;
};

G_DEFINE_FINAL_TYPE (PdImportDateQuestion, pd_import_date_question, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_toggled (PdImportDateQuestion *self,
            GtkCheckButton       *check)
{
  /* a group's toggle also turns the other one off: only the one turned on
   * is a choice */
  if (self->syncing || !gtk_check_button_get_active (check))
    return;
  g_signal_emit (self, signals[CHOSEN], 0,
                 (guint) (check == self->day_first_check ? PD_DATE_ORDER_DMY : PD_DATE_ORDER_MDY));
}

static void
pd_import_date_question_class_init (PdImportDateQuestionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* (guint order): PD_DATE_ORDER_DMY or PD_DATE_ORDER_MDY */
  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/personadesk/PersonaDesk/ui/import/pd-import-date-question.ui");
  gtk_widget_class_bind_template_child (widget_class, PdImportDateQuestion, day_first_row);
  gtk_widget_class_bind_template_child (widget_class, PdImportDateQuestion, month_first_row);
  gtk_widget_class_bind_template_child (widget_class, PdImportDateQuestion, day_first_check);
  gtk_widget_class_bind_template_child (widget_class, PdImportDateQuestion, month_first_check);
  gtk_widget_class_bind_template_callback (widget_class, on_toggled);
}

static void
pd_import_date_question_init (PdImportDateQuestion *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_import_date_question_new (const PdDateQuestion *question)
{
  PdImportDateQuestion *self;
  g_autofree char *title = NULL, *description = NULL;
  g_autofree char *day_first = NULL, *month_first = NULL;

  g_return_val_if_fail (question != NULL, NULL);

  /* TRANSLATORS: the name of a column of dates */
  title = g_strdup_printf (_("“%s”: Day or Month First?"), question->name);
  description = g_strdup (question->order == PD_DATE_ORDER_DMY
                          ? _("No date in this column shows whether it is written day first or "
                              "month first. Until you choose, they are read day first, the default "
                              "region's order, and each row they could be read two ways gets a warning.")
                          : _("No date in this column shows whether it is written day first or "
                              "month first. Until you choose, they are read month first, the default "
                              "region's order, and each row they could be read two ways gets a warning."));
  self = g_object_new (PD_TYPE_IMPORT_DATE_QUESTION, "title", title, "description", description, NULL);
  self->column = question->column;
  day_first = pd_import_format_date_readings ((const char * const *) question->samples, PD_DATE_ORDER_DMY);
  month_first = pd_import_format_date_readings ((const char * const *) question->samples, PD_DATE_ORDER_MDY);
  adw_action_row_set_subtitle (self->day_first_row, day_first);
  adw_action_row_set_subtitle (self->month_first_row, month_first);
  return GTK_WIDGET (self);
}

guint
pd_import_date_question_get_column (PdImportDateQuestion *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_DATE_QUESTION (self), 0);
  return self->column;
}

void
pd_import_date_question_set_chosen (PdImportDateQuestion *self,
                                    PdDateOrder           order)
{
  g_return_if_fail (PD_IS_IMPORT_DATE_QUESTION (self));

  self->syncing = TRUE;
  gtk_check_button_set_active (self->day_first_check, order == PD_DATE_ORDER_DMY);
  gtk_check_button_set_active (self->month_first_check, order == PD_DATE_ORDER_MDY);
  self->syncing = FALSE;
}

PdDateOrder
pd_import_date_question_get_chosen (PdImportDateQuestion *self)
{
  g_return_val_if_fail (PD_IS_IMPORT_DATE_QUESTION (self), PD_DATE_ORDER_UNKNOWN);

  if (gtk_check_button_get_active (self->day_first_check))
    return PD_DATE_ORDER_DMY;
  if (gtk_check_button_get_active (self->month_first_check))
    return PD_DATE_ORDER_MDY;
  return PD_DATE_ORDER_UNKNOWN;
}

AdwActionRow *
pd_import_date_question_get_row (PdImportDateQuestion *self,
                                 PdDateOrder           order)
{
  g_return_val_if_fail (PD_IS_IMPORT_DATE_QUESTION (self), NULL);
  return order == PD_DATE_ORDER_DMY ? self->day_first_row : self->month_first_row;
}

/**
 * pd_import_date_questions_show:
 * @asked: (element-type PdDateQuestion): the questions asked so far;
 *   those of @questions not in it yet are added
 * @chosen: column → PdDateOrder answered
 * @on_chosen: connected (swapped, to @data) to each widget's "chosen"
 *
 * Fills @box with one question per column asked, answered as @chosen
 * says, and shows it if there is any.
 */
void
pd_import_date_questions_show (GtkBox     *box,
                               GPtrArray  *asked,
                               GPtrArray  *questions,
                               GHashTable *chosen,
                               GCallback   on_chosen,
                               gpointer    data)
{
  GtkWidget *child;

  for (guint i = 0; questions != NULL && i < questions->len; i++)
    {
      PdDateQuestion *question = g_ptr_array_index (questions, i);
      gboolean known = FALSE;

      for (guint a = 0; a < asked->len && !known; a++)
        known = ((PdDateQuestion *) g_ptr_array_index (asked, a))->column == question->column;
      if (!known)
        g_ptr_array_add (asked, pd_date_question_copy (question));
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  for (guint a = 0; a < asked->len; a++)
    {
      PdDateQuestion *question = g_ptr_array_index (asked, a);
      GtkWidget *widget = pd_import_date_question_new (question);
      gpointer order = g_hash_table_lookup (chosen, GUINT_TO_POINTER (question->column));

      pd_import_date_question_set_chosen (PD_IMPORT_DATE_QUESTION (widget), GPOINTER_TO_UINT (order));
      g_signal_connect_object (widget, "chosen", on_chosen, data, G_CONNECT_SWAPPED);
      gtk_box_append (box, widget);
    }
  gtk_widget_set_visible (GTK_WIDGET (box), asked->len > 0);
}

/* Returns: (transfer none) (nullable): @box's question about @column */
PdImportDateQuestion *
pd_import_date_questions_find (GtkBox *box,
                               guint   column)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (pd_import_date_question_get_column (PD_IMPORT_DATE_QUESTION (child)) == column)
      return PD_IMPORT_DATE_QUESTION (child);
  return NULL;
}

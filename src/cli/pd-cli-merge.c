/* SPDX-License-Identifier: GPL-3.0-or-later */
/* persona-desk-cli merge SURVIVOR OTHER... [--dry-run] [--json]
 * [--keep FIELD=ID ...]: the plan (every differing field and the value
 * kept), then the merge; persona-desk-cli unmerge ID: undo the merge that
 * merged persona ID away. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-cli.h"
#include "pd-error.h"
#include "pd-store-merge.h"

static JsonNode *
plan_to_json (PdMergePlan *plan,
              PdPersona   *merged,
              gint64       merge_id,
              const char  *refusal)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "survivor");
  json_builder_add_int_value (builder, pd_merge_plan_get_survivor_id (plan));
  json_builder_set_member_name (builder, "merged");
  json_builder_begin_array (builder);
  for (guint i = 1; i < plan->personas->len; i++)
    json_builder_add_int_value (builder, pd_persona_get_id (g_ptr_array_index (plan->personas, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->fields->len; i++)
    {
      PdMergeField *field = g_ptr_array_index (plan->fields, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field->key);
      json_builder_set_member_name (builder, "values");
      json_builder_begin_object (builder);
      for (guint p = 0; p < plan->personas->len; p++)
        {
          g_autofree char *id = g_strdup_printf ("%" PRId64, pd_persona_get_id (g_ptr_array_index (plan->personas, p)));
          const char *value = g_ptr_array_index (field->values, p);

          json_builder_set_member_name (builder, id);
          if (value != NULL)
            json_builder_add_string_value (builder, value);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "rule_keeps");
      json_builder_add_int_value (builder, pd_persona_get_id (g_ptr_array_index (plan->personas, field->kept)));
      json_builder_set_member_name (builder, "kept");
      json_builder_add_int_value (builder, pd_persona_get_id (g_ptr_array_index (plan->personas, field->chosen)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "points");
  json_builder_add_int_value (builder, plan->points);
  json_builder_set_member_name (builder, "contacts");
  json_builder_add_int_value (builder, plan->n_contacts);
  if (merged != NULL)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_add_value (builder, pd_persona_to_json (merged));
    }
  if (refusal != NULL)
    {
      json_builder_set_member_name (builder, "refused");
      json_builder_add_string_value (builder, refusal);
    }
  if (merge_id != 0)
    {
      json_builder_set_member_name (builder, "merge");
      json_builder_add_int_value (builder, merge_id);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Bad input (an unknown persona, one given twice, archived or merged
 * away already, a --keep that does not apply) exits 2 with the command's
 * name; the store's own failures exit 1. */
static int
fail_plan (const char   *command,
           const GError *error)
{
  if (error->domain == PD_ERROR &&
      (error->code == PD_ERROR_INVALID || error->code == PD_ERROR_NOT_FOUND || error->code == PD_ERROR_CONFLICT))
    return pd_cli_usage_error (command, error->message);
  return pd_cli_fail (error);
}

static void
print_plan (PdMergePlan *plan)
{
  pd_cli_printf (_("Survivor: persona %" PRId64 "\n"), pd_merge_plan_get_survivor_id (plan));
  for (guint i = 1; i < plan->personas->len; i++)
    pd_cli_printf (_("Merged into it: persona %" PRId64 "\n"),
                   pd_persona_get_id (g_ptr_array_index (plan->personas, i)));
  if (plan->fields->len == 0)
    pd_cli_printf ("%s\n", _("No field differs."));
  for (guint i = 0; i < plan->fields->len; i++)
    {
      PdMergeField *field = g_ptr_array_index (plan->fields, i);
      const char *kept = g_ptr_array_index (field->values, field->chosen);

      pd_cli_printf ("  %s:", field->key);
      for (guint p = 0; p < plan->personas->len; p++)
        {
          const char *value = g_ptr_array_index (field->values, p);

          pd_cli_printf (" [%" PRId64 "] %s", pd_persona_get_id (g_ptr_array_index (plan->personas, p)),
                         value != NULL ? value : "—");
        }
      /* TRANSLATORS: "keeps VALUE (from persona ID)" after a field's values */
      pd_cli_printf (_(" → keeps %s (from persona %" PRId64 "%s)\n"), kept != NULL ? kept : "—",
                     pd_persona_get_id (g_ptr_array_index (plan->personas, field->chosen)),
                     field->chosen != field->kept ? _(", chosen") : "");
    }
  pd_cli_printf (_("Points: %" PRId64 " in all; emails and phones: %u\n"), plan->points, plan->n_contacts);
}

int
pd_cli_merge (PdCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_auto(GStrv) keep = NULL;
  gboolean dry_run = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what the merge would do; change nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "keep", 0, 0, G_OPTION_ARG_STRING_ARRAY, &keep,
      N_("Keep this persona's value of a field where they differ, instead of the rules' (repeatable)"),
      N_("FIELD=ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SURVIVOR OTHER…"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdMergePlan) plan = NULL;
  g_autoptr(PdPersona) merged = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) refusal = NULL;
  PdActor actor = pd_cli_actor ();
  gint64 merge_id = 0;

  g_option_context_set_summary (context,
    _("Merge personas that are one customer into SURVIVOR.  Where they differ, the first value wins "
      "(the survivor's first), a pinned value wins and the favorite store from the higher source; "
      "contacts, tags, attributes and points are combined; an explicit opt-out always wins.  "
      "The merged personas lead to the survivor; 'unmerge' undoes it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("merge", error->message);
  if (argc < 3)
    return pd_cli_usage_error ("merge", _("expected the survivor's ID and at least one other persona's ID"));
  for (int i = 1; i < argc; i++)
    {
      gint64 id = pd_cli_parse_id (argv[i], _("persona ID"), &error);

      if (id == 0)
        return pd_cli_usage_error ("merge", error->message);
      g_array_append_val (ids, id);
    }

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  plan = pd_store_plan_merge (store, (const gint64 *) ids->data, ids->len, &error);
  if (plan == NULL)
    return fail_plan ("merge", error);
  for (guint i = 0; keep != NULL && keep[i] != NULL; i++)
    if (!pd_merge_plan_choose_text (plan, keep[i], &error))
      return fail_plan ("merge", error);

  merged = pd_merge_plan_build (plan, &refusal);
  if (dry_run || merged == NULL)
    {
      if (json)
        {
          g_autoptr(JsonNode) node = plan_to_json (plan, merged, 0, refusal != NULL ? refusal->message : NULL);

          pd_cli_print_json (node);
        }
      else
        print_plan (plan);
      if (refusal != NULL)
        return pd_cli_fail_input (refusal);
      return 0;
    }

  if (!pd_store_merge_personas (store, plan, &actor, &merge_id, &error))
    return pd_cli_fail_input (error);
  if (json)
    {
      g_autoptr(JsonNode) node = plan_to_json (plan, NULL, merge_id, NULL);

      pd_cli_print_json (node);
    }
  else
    {
      print_plan (plan);
      pd_cli_printf (_("Merge %" PRId64 " done: persona %" PRId64 " is the survivor\n"), merge_id,
                     pd_merge_plan_get_survivor_id (plan));
    }
  return 0;
}

int
pd_cli_unmerge (PdCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = NULL;
  PdActor actor = pd_cli_actor ();
  gint64 id, merge_id;

  g_option_context_set_summary (context,
    _("Undo the merge that merged persona ID into another: both personas come back as they were "
      "before it, keeping what changed on the survivor since.  Refused, saying why, when a later "
      "event makes that impossible."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return pd_cli_usage_error ("unmerge", error->message);
  if (argc != 2)
    return pd_cli_usage_error ("unmerge", _("expected the ID of a persona that was merged away"));
  id = pd_cli_parse_id (argv[1], _("persona ID"), &error);
  if (id == 0)
    return pd_cli_usage_error ("unmerge", error->message);

  store = pd_cli_open_store (ctx, &error);
  if (store == NULL)
    return pd_cli_fail (error);
  merge_id = pd_store_find_merge_of (store, id, &error);
  if (error != NULL)
    return pd_cli_fail (error);
  if (merge_id == 0)
    {
      g_autofree char *message = NULL;
      gint64 survivor = pd_store_get_survivor (store, id, &error);

      if (survivor == 0)
        return fail_plan ("unmerge", error);
      message = g_strdup_printf (_("persona %" PRId64 " was not merged into another persona; give the ID of "
                                   "a persona merged into it ('show --id %" PRId64 "' lists its merges)"), id, id);
      return pd_cli_usage_error ("unmerge", message);
    }
  if (!pd_store_unmerge (store, merge_id, &actor, &error))
    return pd_cli_fail (error);
  pd_cli_printf (_("Merge %" PRId64 " undone: persona %" PRId64 " is back\n"), merge_id, id);
  return 0;
}

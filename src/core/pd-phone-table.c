/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-phone-table.h"

/* How it works, and why it is exact (see also pd-phone-table.h).
 *
 * libphonenumber decides the validity of a country-code-1 number from the
 * outcome of a fixed set of regular expressions on its 10 national digits:
 * each NANP region's leading-digits pattern (matched at the start) and its
 * general and per-type patterns (matched in full).  So validity is a
 * function of that outcome vector.  Each pattern is compiled here into an
 * automaton over the digits 0-9; after reading a prefix, the tuple of all
 * automata's states determines the outcome of every pattern for every
 * possible rest of the number.  Walking the digits as a trie and merging
 * the nodes with equal tuples gives a small graph (a minimised automaton)
 * instead of 10^7 prefixes.  At depth 7 each pattern's state either accepts
 * every 3-digit rest, or none, or depends on it; in the last case the leaf
 * says "ask".  Otherwise the outcome vector is known and libphonenumber is
 * asked about one number having it (plus up to two more as a cross-check:
 * if they ever disagreed, the vector would be marked "ask").
 *
 * The automata only decide which prefixes are alike; every valid/invalid
 * answer comes from libphonenumber.  A pattern this small regex compiler
 * does not understand makes pd_phone_table_new() fail, and the caller then
 * always uses libphonenumber. */

#define DEPTH 7          /* digits decided by the table */
#define REST 3           /* digits that must not matter: 10 - DEPTH */
#define MAX_NFA_STATES 200000
#define NO_NODE G_MAXUINT32

/* ---- Regular expressions over digits ------------------------------------ */

typedef enum { NODE_EMPTY, NODE_SET, NODE_CAT, NODE_ALT, NODE_REPEAT } NodeKind;

typedef struct _Node Node;
struct _Node {
  NodeKind kind;
  guint16  mask;        /* NODE_SET: bit d for digit d */
  Node    *a, *b;
  int      min, max;    /* NODE_REPEAT; max < 0: unbounded */
};

typedef struct {
  const char *p;
  GPtrArray  *nodes;    /* owns every Node */
  gboolean    failed;
} Parser;

static Node *
new_node (Parser *ps, NodeKind kind)
{
  Node *n = g_new0 (Node, 1);
  n->kind = kind;
  g_ptr_array_add (ps->nodes, n);
  return n;
}

static Node *parse_alt (Parser *ps);

static gboolean
parse_count (Parser *ps, int *out)
{
  int v = 0;
  if (!g_ascii_isdigit (*ps->p))
    return FALSE;
  while (g_ascii_isdigit (*ps->p))
    {
      v = v * 10 + (*ps->p++ - '0');
      if (v > 100)
        return FALSE;
    }
  *out = v;
  return TRUE;
}

static Node *
parse_class (Parser *ps)
{
  gboolean negate = FALSE;
  guint16 mask = 0;
  Node *n;

  ps->p++; /* [ */
  if (*ps->p == '^')
    {
      negate = TRUE;
      ps->p++;
    }
  while (*ps->p && *ps->p != ']')
    {
      if (ps->p[0] == '\\' && ps->p[1] == 'd')
        {
          mask |= 0x3ff;
          ps->p += 2;
        }
      else if (g_ascii_isdigit (ps->p[0]) && ps->p[1] == '-' && g_ascii_isdigit (ps->p[2]))
        {
          for (int d = ps->p[0] - '0'; d <= ps->p[2] - '0'; d++)
            mask |= 1u << d;
          ps->p += 3;
        }
      else if (g_ascii_isdigit (ps->p[0]))
        {
          mask |= 1u << (ps->p[0] - '0');
          ps->p++;
        }
      else
        {
          /* Anything else (other escapes, letters, ranges of them) is not
           * worth guessing at: refuse the pattern. */
          ps->failed = TRUE;
          return NULL;
        }
    }
  if (*ps->p != ']')
    {
      ps->failed = TRUE;
      return NULL;
    }
  ps->p++;
  n = new_node (ps, NODE_SET);
  n->mask = negate ? (~mask & 0x3ff) : mask;
  return n;
}

static Node *
parse_atom (Parser *ps)
{
  Node *n;

  switch (*ps->p)
    {
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      n = new_node (ps, NODE_SET);
      n->mask = 1u << (*ps->p - '0');
      ps->p++;
      return n;
    case '\\':
      if (ps->p[1] != 'd')
        break;
      ps->p += 2;
      n = new_node (ps, NODE_SET);
      n->mask = 0x3ff;
      return n;
    case '[':
      return parse_class (ps);
    case '(':
      ps->p++;
      if (ps->p[0] == '?')
        {
          if (ps->p[1] != ':')
            break;
          ps->p += 2;
        }
      n = parse_alt (ps);
      if (ps->failed || *ps->p != ')')
        break;
      ps->p++;
      return n;
    default:
      break;
    }
  ps->failed = TRUE;
  return NULL;
}

static Node *
parse_repeat (Parser *ps)
{
  Node *atom = parse_atom (ps);
  Node *n;
  int min, max;

  if (ps->failed)
    return NULL;
  switch (*ps->p)
    {
    case '?': min = 0; max = 1; ps->p++; break;
    case '*': min = 0; max = -1; ps->p++; break;
    case '+': min = 1; max = -1; ps->p++; break;
    case '{':
      ps->p++;
      if (!parse_count (ps, &min))
        goto fail;
      max = min;
      if (*ps->p == ',')
        {
          ps->p++;
          if (*ps->p == '}')
            max = -1;
          else if (!parse_count (ps, &max) || max < min)
            goto fail;
        }
      if (*ps->p != '}')
        goto fail;
      ps->p++;
      break;
    default:
      return atom;
    }
  /* Lazy or possessive quantifiers do not change which strings match, but
   * they never occur in the metadata: refuse rather than assume. */
  if (*ps->p == '?' || *ps->p == '+' || *ps->p == '*' || *ps->p == '{')
    goto fail;
  n = new_node (ps, NODE_REPEAT);
  n->a = atom;
  n->min = min;
  n->max = max;
  return n;

fail:
  ps->failed = TRUE;
  return NULL;
}

static Node *
parse_cat (Parser *ps)
{
  Node *left = NULL;

  while (*ps->p && *ps->p != '|' && *ps->p != ')' && !ps->failed)
    {
      Node *right = parse_repeat (ps);
      if (ps->failed)
        return NULL;
      if (left == NULL)
        left = right;
      else
        {
          Node *cat = new_node (ps, NODE_CAT);
          cat->a = left;
          cat->b = right;
          left = cat;
        }
    }
  return left ? left : new_node (ps, NODE_EMPTY);
}

static Node *
parse_alt (Parser *ps)
{
  Node *left = parse_cat (ps);

  while (!ps->failed && *ps->p == '|')
    {
      Node *alt;
      ps->p++;
      alt = new_node (ps, NODE_ALT);
      alt->a = left;
      alt->b = parse_cat (ps);
      left = alt;
    }
  return left;
}

/* ---- Thompson automaton ------------------------------------------------- */

typedef enum { STATE_MATCH, STATE_CHAR, STATE_SPLIT } StateKind;

typedef struct {
  guint8  kind;
  guint16 mask;
  gint32  out, out1;
} State;

typedef struct {
  GArray *states;   /* State */
  guint   n_words;  /* of a state set */
  gint32  start;
  /* Lazy DFA: a set of automaton states per id; id 0 is the empty set. */
  GHashTable *ids;   /* GBytes set -> id + 1 */
  GPtrArray  *sets;  /* id -> GBytes */
  GArray     *next;  /* gint32 [id * 10 + digit], -1 = not computed yet */
  GArray     *accept;   /* guint8 per id */
  GArray     *residual; /* gint8 per id: -1 unknown, 0 none, 1 all, 2 mixed */
  gboolean    too_big;
} Automaton;

static gint32
add_state (Automaton *a, StateKind kind, guint16 mask, gint32 out, gint32 out1)
{
  State s = { kind, mask, out, out1 };
  if (a->states->len >= MAX_NFA_STATES)
    {
      a->too_big = TRUE;
      return 0;
    }
  g_array_append_val (a->states, s);
  return a->states->len - 1;
}

/* Compiles @n so that it continues to @next; returns its entry state. */
static gint32
compile (Automaton *a, const Node *n, gint32 next)
{
  gint32 cont;

  if (a->too_big)
    return 0;
  switch (n->kind)
    {
    case NODE_EMPTY:
      return next;
    case NODE_SET:
      return add_state (a, STATE_CHAR, n->mask, next, -1);
    case NODE_CAT:
      return compile (a, n->a, compile (a, n->b, next));
    case NODE_ALT:
      {
        gint32 x = compile (a, n->a, next);
        gint32 y = compile (a, n->b, next);
        return add_state (a, STATE_SPLIT, 0, x, y);
      }
    case NODE_REPEAT:
      cont = next;
      if (n->max < 0)
        {
          gint32 loop = add_state (a, STATE_SPLIT, 0, -1, next);
          gint32 body = compile (a, n->a, loop);
          if (a->too_big)
            return 0;
          g_array_index (a->states, State, loop).out = body;
          cont = loop;
        }
      else
        {
          /* x{0,k}: each optional copy may stop and go on to @next. */
          for (int i = n->min; i < n->max; i++)
            cont = add_state (a, STATE_SPLIT, 0, compile (a, n->a, cont), next);
        }
      for (int i = 0; i < n->min; i++)
        cont = compile (a, n->a, cont);
      return cont;
    default:
      g_assert_not_reached ();
    }
  return 0;
}

static void
closure_add (const Automaton *a, guint64 *set, gint32 s, GArray *stack)
{
  g_array_set_size (stack, 0);
  g_array_append_val (stack, s);
  while (stack->len > 0)
    {
      gint32 t = g_array_index (stack, gint32, stack->len - 1);
      const State *st;

      g_array_set_size (stack, stack->len - 1);
      if (t < 0 || (set[t / 64] & (G_GUINT64_CONSTANT (1) << (t % 64))))
        continue;
      set[t / 64] |= G_GUINT64_CONSTANT (1) << (t % 64);
      st = &g_array_index (a->states, State, t);
      if (st->kind == STATE_SPLIT)
        {
          g_array_append_val (stack, st->out);
          g_array_append_val (stack, st->out1);
        }
    }
}

static gint32
intern_set (Automaton *a, guint64 *set)
{
  g_autoptr(GBytes) key = g_bytes_new (set, a->n_words * sizeof (guint64));
  gpointer found = g_hash_table_lookup (a->ids, key);
  gint32 id;
  guint8 accept = 0;
  gint8 unknown = -1;

  if (found)
    return GPOINTER_TO_INT (found) - 1;
  id = a->sets->len;
  g_ptr_array_add (a->sets, g_bytes_ref (key));
  g_hash_table_insert (a->ids, g_bytes_ref (key), GINT_TO_POINTER (id + 1));
  for (guint i = 0; i < a->states->len; i++)
    if ((set[i / 64] & (G_GUINT64_CONSTANT (1) << (i % 64))) &&
        g_array_index (a->states, State, i).kind == STATE_MATCH)
      accept = 1;
  g_array_append_val (a->accept, accept);
  g_array_append_val (a->residual, unknown);
  g_array_set_size (a->next, a->next->len + 10);
  memset (&g_array_index (a->next, gint32, id * 10), 0xff, 10 * sizeof (gint32));
  return id;
}

static gint32
automaton_step (Automaton *a, gint32 id, int digit)
{
  gint32 cached = g_array_index (a->next, gint32, id * 10 + digit);
  g_autofree guint64 *set = NULL;
  g_autoptr(GArray) stack = NULL;
  const guint64 *from;
  gint32 to;

  if (cached >= 0)
    return cached;
  set = g_new0 (guint64, a->n_words);
  stack = g_array_new (FALSE, FALSE, sizeof (gint32));
  from = g_bytes_get_data (g_ptr_array_index (a->sets, id), NULL);
  for (guint i = 0; i < a->states->len; i++)
    {
      const State *st;
      if (!(from[i / 64] & (G_GUINT64_CONSTANT (1) << (i % 64))))
        continue;
      st = &g_array_index (a->states, State, i);
      if (st->kind == STATE_CHAR && (st->mask & (1u << digit)))
        closure_add (a, set, st->out, stack);
    }
  to = intern_set (a, set);
  g_array_index (a->next, gint32, id * 10 + digit) = to;
  return to;
}

/* Whether exactly REST more digits from @id are accepted: 0 never,
 * 1 always, 2 it depends on them. */
static gint8
automaton_residual (Automaton *a, gint32 id)
{
  gint8 r = g_array_index (a->residual, gint8, id);
  gboolean seen[2] = { FALSE, FALSE };

  if (r >= 0)
    return r;
  for (int rest = 0; rest < 1000; rest++)
    {
      gint32 s = id;
      s = automaton_step (a, s, rest / 100);
      s = automaton_step (a, s, rest / 10 % 10);
      s = automaton_step (a, s, rest % 10);
      seen[g_array_index (a->accept, guint8, s)] = TRUE;
    }
  r = seen[0] && seen[1] ? 2 : seen[1] ? 1 : 0;
  g_array_index (a->residual, gint8, id) = r;
  return r;
}

static void
automaton_free (Automaton *a)
{
  g_clear_pointer (&a->states, g_array_unref);
  g_clear_pointer (&a->ids, g_hash_table_unref);
  g_clear_pointer (&a->sets, g_ptr_array_unref);
  g_clear_pointer (&a->next, g_array_unref);
  g_clear_pointer (&a->accept, g_array_unref);
  g_clear_pointer (&a->residual, g_array_unref);
  g_free (a);
}

static Automaton *
automaton_new (const char *pattern, gboolean prefix, GError **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_free);
  Parser ps = { pattern, nodes, FALSE };
  Node *root = parse_alt (&ps);
  Automaton *a;
  g_autofree guint64 *set = NULL;
  g_autoptr(GArray) stack = NULL;
  gint32 match;

  if (ps.failed || *ps.p != '\0')
    {
      g_set_error (error, PD_ERROR, PD_ERROR_FAILED,
                   "Unsupported phone metadata pattern at “%s”", ps.p);
      return NULL;
    }
  if (prefix)
    {
      /* Matched at the start only: the same as  (?:pattern)\d*  in full. */
      Node *any = new_node (&ps, NODE_SET);
      Node *rep = new_node (&ps, NODE_REPEAT);
      Node *cat = new_node (&ps, NODE_CAT);
      any->mask = 0x3ff;
      rep->a = any;
      rep->min = 0;
      rep->max = -1;
      cat->a = root;
      cat->b = rep;
      root = cat;
    }

  a = g_new0 (Automaton, 1);
  a->states = g_array_new (FALSE, FALSE, sizeof (State));
  a->ids = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                  (GDestroyNotify) g_bytes_unref, NULL);
  a->sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  a->next = g_array_new (FALSE, FALSE, sizeof (gint32));
  a->accept = g_array_new (FALSE, FALSE, sizeof (guint8));
  a->residual = g_array_new (FALSE, FALSE, sizeof (gint8));
  match = add_state (a, STATE_MATCH, 0, -1, -1);
  a->start = compile (a, root, match);
  if (a->too_big)
    {
      g_set_error (error, PD_ERROR, PD_ERROR_FAILED,
                   "Phone metadata pattern too large: “%.40s…”", pattern);
      automaton_free (a);
      return NULL;
    }
  a->n_words = (a->states->len + 63) / 64;

  /* id 0: the dead state (empty set); then the start state. */
  set = g_new0 (guint64, a->n_words);
  intern_set (a, set);
  stack = g_array_new (FALSE, FALSE, sizeof (gint32));
  closure_add (a, set, a->start, stack);
  intern_set (a, set);
  return a;
}

/* ---- The trie of state tuples ------------------------------------------- */

struct _PdPhoneTable {
  guint32 *children;   /* [node * 10 + digit] for nodes above depth 7 */
  guint8  *verdict;    /* per node, meaningful for leaves */
  guint    n_nodes;
  guint    n_ask_leaves;
  guint    n_oracle_calls;
};

typedef struct {
  guint64        rep[3];  /* up to three numbers having this outcome vector */
  guint          n_rep;
  PdPhoneVerdict verdict;
} Outcome;

PdPhoneTable *
pd_phone_table_new (const char * const *full_patterns,
                    const char * const *prefix_patterns,
                    PdPhoneOracle       oracle,
                    gpointer            user_data,
                    GError            **error)
{
  g_autoptr(GPtrArray) automata = g_ptr_array_new_with_free_func ((GDestroyNotify) automaton_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) level = NULL;
  g_autoptr(GHashTable) outcomes = NULL;
  g_autoptr(GPtrArray) keys = NULL;   /* GBytes of each node's state tuple */
  g_autoptr(GArray) prefixes = NULL;  /* guint32 prefix value of each node */
  g_autoptr(GArray) children = NULL;
  g_autoptr(GPtrArray) leaf_outcomes = NULL;
  g_autofree gint32 *tuple = NULL;
  PdPhoneTable *self;
  guint level_start, level_end, n_auto;

  /* Identical patterns (toll-free, premium, ... are shared by every NANP
   * region) need one automaton. */
  for (int kind = 0; kind < 2; kind++)
    {
      const char * const *list = kind == 0 ? full_patterns : prefix_patterns;
      for (guint i = 0; list && list[i]; i++)
        {
          g_autofree char *key = g_strdup_printf ("%c%s", kind ? 'P' : 'F', list[i]);
          Automaton *a;
          if (g_hash_table_contains (seen, key))
            continue;
          a = automaton_new (list[i], kind == 1, error);
          if (a == NULL)
            return NULL;
          g_hash_table_add (seen, g_steal_pointer (&key));
          g_ptr_array_add (automata, a);
        }
    }
  n_auto = automata->len;

  keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  prefixes = g_array_new (FALSE, FALSE, sizeof (guint32));
  children = g_array_new (FALSE, FALSE, sizeof (guint32));
  tuple = g_new0 (gint32, MAX (n_auto, 1));

  /* The root: every automaton at its start (id 1). */
  for (guint i = 0; i < n_auto; i++)
    tuple[i] = 1;
  {
    GBytes *root = g_bytes_new (tuple, n_auto * sizeof (gint32));
    guint32 zero = 0;
    g_ptr_array_add (keys, root);
    g_array_append_val (prefixes, zero);
  }
  level_start = 0;
  level_end = 1;

  for (int depth = 0; depth < DEPTH; depth++)
    {
      level = g_hash_table_new (g_bytes_hash, g_bytes_equal);
      for (guint node = level_start; node < level_end; node++)
        {
          const gint32 *from = g_bytes_get_data (g_ptr_array_index (keys, node), NULL);
          g_array_set_size (children, (node + 1) * 10);
          for (int d = 0; d < 10; d++)
            {
              g_autoptr(GBytes) key = NULL;
              gpointer found;
              guint32 child;

              /* A national number never starts with 0 or 1 here. */
              if (depth == 0 && d < 2)
                {
                  g_array_index (children, guint32, node * 10 + d) = NO_NODE;
                  continue;
                }
              for (guint i = 0; i < n_auto; i++)
                tuple[i] = automaton_step (g_ptr_array_index (automata, i), from[i], d);
              key = g_bytes_new (tuple, n_auto * sizeof (gint32));
              found = g_hash_table_lookup (level, key);
              if (found)
                child = GPOINTER_TO_UINT (found) - 1;
              else
                {
                  guint32 prefix = g_array_index (prefixes, guint32, node) * 10 + d;
                  GBytes *owned = g_bytes_ref (key);
                  child = keys->len;
                  g_ptr_array_add (keys, owned);
                  g_array_append_val (prefixes, prefix);
                  g_hash_table_insert (level, owned, GUINT_TO_POINTER (child + 1));
                }
              g_array_index (children, guint32, node * 10 + d) = child;
            }
        }
      g_clear_pointer (&level, g_hash_table_unref);
      level_start = level_end;
      level_end = keys->len;
    }

  self = g_new0 (PdPhoneTable, 1);
  self->n_nodes = keys->len;
  self->verdict = g_new0 (guint8, keys->len);
  g_array_set_size (children, level_start * 10);
  self->children = (guint32 *) g_array_free (g_steal_pointer (&children), FALSE);

  /* Leaves: outcome vector per leaf, then the oracle once per vector. */
  outcomes = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                    (GDestroyNotify) g_bytes_unref, g_free);
  leaf_outcomes = g_ptr_array_new ();
  for (guint node = level_start; node < level_end; node++)
    {
      const gint32 *state = g_bytes_get_data (g_ptr_array_index (keys, node), NULL);
      g_autofree guint8 *vector = g_new0 (guint8, MAX (n_auto, 1));
      g_autoptr(GBytes) key = NULL;
      gboolean ask = FALSE;
      Outcome *o;

      for (guint i = 0; i < n_auto && !ask; i++)
        {
          gint8 r = automaton_residual (g_ptr_array_index (automata, i), state[i]);
          if (r == 2)
            ask = TRUE;
          vector[i] = (guint8) r;
        }
      if (ask)
        {
          self->verdict[node] = PD_PHONE_VERDICT_ASK;
          self->n_ask_leaves++;
          g_ptr_array_add (leaf_outcomes, NULL);
          continue;
        }
      key = g_bytes_new (vector, n_auto);
      o = g_hash_table_lookup (outcomes, key);
      if (o == NULL)
        {
          o = g_new0 (Outcome, 1);
          g_hash_table_insert (outcomes, g_bytes_ref (key), o);
        }
      if (o->n_rep < G_N_ELEMENTS (o->rep))
        {
          /* Vary the last digits too: they must not matter. */
          static const guint rests[] = { 0, 999, 537 };
          o->rep[o->n_rep] = (guint64) g_array_index (prefixes, guint32, node) * 1000 + rests[o->n_rep];
          o->n_rep++;
        }
      g_ptr_array_add (leaf_outcomes, o);
    }

  {
    GHashTableIter iter;
    Outcome *o;
    g_hash_table_iter_init (&iter, outcomes);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
      {
        gboolean first = oracle (o->rep[0], user_data);
        self->n_oracle_calls++;
        o->verdict = first ? PD_PHONE_VERDICT_VALID : PD_PHONE_VERDICT_INVALID;
        for (guint r = 1; r < o->n_rep; r++)
          {
            self->n_oracle_calls++;
            if (oracle (o->rep[r], user_data) != first)
              o->verdict = PD_PHONE_VERDICT_ASK;
          }
      }
  }
  for (guint node = level_start; node < level_end; node++)
    {
      Outcome *o = g_ptr_array_index (leaf_outcomes, node - level_start);
      if (o != NULL)
        {
          self->verdict[node] = o->verdict;
          if (o->verdict == PD_PHONE_VERDICT_ASK)
            self->n_ask_leaves++;
        }
    }
  return self;
}

void
pd_phone_table_free (PdPhoneTable *self)
{
  if (self == NULL)
    return;
  g_free (self->children);
  g_free (self->verdict);
  g_free (self);
}

PdPhoneVerdict
pd_phone_table_lookup (const PdPhoneTable *self,
                       const char         *digits)
{
  guint32 node = 0;

  for (int i = 0; i < DEPTH; i++)
    {
      node = self->children[node * 10 + (digits[i] - '0')];
      if (node == NO_NODE)
        return PD_PHONE_VERDICT_ASK;
    }
  return self->verdict[node];
}

void
pd_phone_table_get_stats (const PdPhoneTable *self,
                          guint              *n_nodes,
                          guint              *n_ask_leaves,
                          guint              *n_oracle_calls)
{
  if (n_nodes)
    *n_nodes = self->n_nodes;
  if (n_ask_leaves)
    *n_ask_leaves = self->n_ask_leaves;
  if (n_oracle_calls)
    *n_oracle_calls = self->n_oracle_calls;
}

/* ---- The lexer ---------------------------------------------------------- */

gboolean
pd_phone_lex_nanp (const char *text,
                   gboolean    default_is_nanp,
                   char        out[10])
{
  char d[11];
  guint n = 0;
  gboolean plus = FALSE;
  const char *p;

  for (p = text; *p; p++)
    {
      char c = *p;
      /* libphonenumber refuses inputs over 250 characters; stay far below. */
      if (p - text > 64)
        return FALSE;
      if (c >= '0' && c <= '9')
        {
          if (n == sizeof d)
            return FALSE;
          d[n++] = c;
        }
      else if (c == '+')
        {
          if (plus || n > 0)
            return FALSE;
          plus = TRUE;
        }
      else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/')
        return FALSE;
    }

  if (n == 11 && d[0] == '1' && d[1] >= '2')
    {
      /* "+1 202 555 0143", or "1 202 555 0143" in a NANP region. */
      if (!plus && !default_is_nanp)
        return FALSE;
      memcpy (out, d + 1, 10);
      return TRUE;
    }
  if (n == 10 && !plus && default_is_nanp && d[0] >= '2')
    {
      memcpy (out, d, 10);
      return TRUE;
    }
  return FALSE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A full name in one cell into first and last name (pd-value.h).
 *
 * Decisions (issue 20): honorifics before the name (Dr., Mr., Mrs., Ms.,
 * Mx., Prof., Rev., Herr, Frau, Sr., Sra., M., Mme) and post-nominals
 * after it (MD, PhD, DDS, Esq.) belong to neither name; Jr./Sr./II/III
 * stay with the last name; emoji and other pictographs are dropped; a
 * CJK name written with a space is family name first (山田 太郎); a name
 * that can't be split (one word) is the first name whole. */
#include "config.h"

#include <string.h>

#include "pd-value.h"

/* Words that belong to the last name when they come before it
 * ("Ludwig van Beethoven"), and ones that follow it ("King Jr."). */
static const char * const name_particles[] = {
  "van", "von", "der", "den", "de", "del", "della", "da", "das", "do", "dos", "di", "du",
  "la", "le", "bin", "ibn", "al", "el", "st", "st.", "ter", "ten", NULL
};
static const char * const name_suffixes[] = {
  "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", NULL
};
/* Titles before a name and degrees after it: not part of either name.
 * Compared without dots ("Dr." is "dr", "Ph.D." is "phd"). */
static const char * const honorifics[] = {
  "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "rev", "herr", "frau", "sr", "sra", "srta",
  "mme", "mlle", "m", "dott", "ing", NULL
};
/* also an initial (M. Smith) or a suffix: a title only before two words */
static const char * const weak_honorifics[] = { "m", "sr", NULL };
static const char * const post_nominals[] = {
  "md", "phd", "dds", "dmd", "esq", "rn", "cpa", "mba", "dvm", "jd", "llm", "msc", "bsc", NULL
};

static gboolean
word_in (const char         *word,
         gsize               len,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strlen (list[i]) == len && g_ascii_strncasecmp (word, list[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* The words of @text (up to @len bytes) joined by one space, or NULL
 * when there are none. */
static char *
collapse_words (const char *text,
                gssize      len)
{
  g_autofree char *copy = g_strndup (text, len < 0 ? strlen (text) : (gsize) len);
  g_auto(GStrv) words = g_strsplit_set (copy, " \t\r\n", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (kept, words[i]);
  if (kept->len == 0)
    return NULL;
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (" ", (char **) kept->pdata);
}

static gboolean
is_suffix (const char *word)
{
  return word != NULL && strchr (word, ' ') == NULL && word_in (word, strlen (word), name_suffixes);
}

/* "Hopper, Grace" and "King, Martin Luther, Jr."; FALSE when the text is
 * not of that form ("Smith, Jr." is one name with a suffix). */
static gboolean
split_last_first (const char  *text,
                  const char  *comma,
                  char       **first,
                  char       **last)
{
  g_autofree char *family = collapse_words (text, comma - text);
  const char *rest = comma + 1;
  const char *second = strchr (rest, ',');
  g_autofree char *given = collapse_words (rest, second != NULL ? second - rest : -1);
  g_autofree char *suffix = second != NULL ? collapse_words (second + 1, -1) : NULL;

  if (family == NULL || given == NULL || (suffix == NULL && is_suffix (given)))
    return FALSE;
  *first = g_steal_pointer (&given);
  *last = suffix != NULL ? g_strconcat (family, " ", suffix, NULL) : g_steal_pointer (&family);
  return TRUE;
}

/* @word (up to @len bytes) without its dots, in @list */
static gboolean
word_in_undotted (const char         *word,
                  gsize               len,
                  const char * const *list)
{
  char folded[16];
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (word[i] == '.')
        continue;
      if (n + 1 >= sizeof folded)
        return FALSE;
      folded[n++] = g_ascii_tolower (word[i]);
    }
  folded[n] = '\0';
  return n > 0 && word_in (folded, n, list);
}

/* Emoji, pictographs and what joins or colours them: not a name. */
static gboolean
is_pictograph (gunichar c)
{
  return g_unichar_type (c) == G_UNICODE_OTHER_SYMBOL || c == 0x200D || c == 0xFE0F || c == 0xFE0E ||
         (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F);
}

static gboolean
is_cjk (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);

  return script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HIRAGANA ||
         script == G_UNICODE_SCRIPT_KATAKANA || script == G_UNICODE_SCRIPT_HANGUL;
}

/* The text without pictographs, post-nominals at its end ("Jane Smith,
 * MD", "Smith, Jane, Ph.D.") and honorifics at its start ("Dr. Jane
 * Smith"; after the comma of "Smith, Dr. Jane" too).  *@titled says
 * whether an honorific went: then one word left is a last name. */
static char *
strip_titles (const char *text,
              gboolean   *titled,
              gboolean   *cjk)
{
  GString *clean = g_string_new (NULL);
  gboolean changed = TRUE;

  *titled = FALSE;
  *cjk = FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_pictograph (c))
        continue;
      *cjk = *cjk || is_cjk (c);
      g_string_append_unichar (clean, c);
    }

  /* degrees at the end, while a name is left before them */
  while (changed)
    {
      gsize end = clean->len, start;

      changed = FALSE;
      while (end > 0 && strchr (" \t,", clean->str[end - 1]) != NULL)
        end--;
      start = end;
      while (start > 0 && strchr (" \t,", clean->str[start - 1]) == NULL)
        start--;
      if (start > 0 && word_in_undotted (clean->str + start, end - start, post_nominals))
        {
          while (start > 0 && strchr (" \t,", clean->str[start - 1]) != NULL)
            start--;
          if (start > 0)
            {
              g_string_truncate (clean, start);
              changed = TRUE;
            }
        }
    }

  /* titles at the start, or right after "Last," */
  {
    const char *comma = strchr (clean->str, ',');
    gsize from = comma != NULL ? (gsize) (comma - clean->str) + 1 : 0;

    for (;;)
      {
        gsize s = from, e, next, words_after = 0;

        while (s < clean->len && g_ascii_isspace (clean->str[s]))
          s++;
        e = s;
        while (e < clean->len && !g_ascii_isspace (clean->str[e]) && clean->str[e] != ',')
          e++;
        if (e == s || !word_in_undotted (clean->str + s, e - s, honorifics))
          break;
        /* words after it: "M." and "Sr." are also initials and names */
        for (next = e; next < clean->len; )
          {
            while (next < clean->len && (g_ascii_isspace (clean->str[next]) || clean->str[next] == ','))
              next++;
            if (next < clean->len)
              words_after++;
            while (next < clean->len && !g_ascii_isspace (clean->str[next]) && clean->str[next] != ',')
              next++;
          }
        if (words_after == 0 || (words_after < 2 && word_in_undotted (clean->str + s, e - s, weak_honorifics)))
          break;
        g_string_erase (clean, s, e - s);
        *titled = TRUE;
      }
  }
  return g_string_free (clean, FALSE);
}

/**
 * pd_value_split_full_name:
 * @text: a name as one cell holds it
 * @first: (out) (transfer full) (nullable): the first (and middle) names
 * @last: (out) (transfer full) (nullable): the last name
 *
 * "Last, First" when there is a comma; else the last word is the last
 * name, with the particles before it ("van", "de", …) and a suffix after
 * it ("Jr.", "III"); one word is a first name.  Spaces are collapsed.
 * Either result is NULL when there is nothing for it.
 */
void
pd_value_split_full_name (const char  *text_in,
                          char       **first,
                          char       **last)
{
  g_autofree char *spaced = NULL;
  g_autofree char *words_text = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;
  const char *comma;
  gboolean titled, cjk;
  guint n, start;

  *first = NULL;
  *last = NULL;
  if (text_in == NULL)
    return;
  text = strip_titles (text_in, &titled, &cjk);
  comma = strchr (text, ',');
  if (comma != NULL && split_last_first (text, comma, first, last))
    return;

  /* words, a stray comma being a space */
  spaced = g_strdelimit (g_strdup (text), ",", ' ');
  words_text = collapse_words (spaced, -1);
  if (words_text == NULL)
    return;
  words = g_strsplit (words_text, " ", -1);
  n = g_strv_length (words);
  if (n == 1)
    {
      /* "Herr Müller": a title and a name is a last name */
      if (titled)
        *last = g_strdup (words[0]);
      else
        *first = g_strdup (words[0]);
      return;
    }

  /* "山田 太郎": family name first */
  if (n == 2 && cjk)
    {
      *last = g_strdup (words[0]);
      *first = g_strdup (words[1]);
      return;
    }

  /* "Smith Jr." (or "Smith, Jr."): a surname with its suffix */
  if (n == 2 && is_suffix (words[1]))
    {
      *last = g_steal_pointer (&words_text);
      return;
    }

  /* the last name: the last word, a suffix after it, particles before it */
  start = n - 1;
  if (n > 2 && is_suffix (words[n - 1]))
    start = n - 2;
  while (start > 1 && word_in (words[start - 1], strlen (words[start - 1]), name_particles))
    start--;
  *last = g_strjoinv (" ", words + start);
  *first = g_strndup (words_text, strlen (words_text) - strlen (*last) - 1);
}

/* test-question.c: a lesson's multiple-choice questions: read with their
 * translations, written back as they were, and every mistake in a question
 * reported at its line and column. */
#include <check.h>
#include <string.h>

#include "tl-lesson.h"
#include "tl-question.h"

#define HEAD \
  "host client 10.0.0.1\n" \
  "host server 10.0.0.2\n"

static const char question_lesson[] =
  HEAD
  "0ms    server listen 80\n"
  "10ms   client connect server:80\n"
  "60ms   pause \"What does the server send back?\"\n"
  "60ms   pause.zh_CN \"服务器回什么？\"\n"
  "60ms   choice \"ACK\"\n"
  "60ms   choice right \"SYN,ACK\"\n"
  "60ms   choice.zh_CN \"SYN,ACK（同步加确认）\"\n"
  "60ms   choice \"RST\"\n"
  "60ms   explain \"It acknowledges the SYN and sends its own.\"\n"
  "60ms   explain.zh_CN \"它确认对方的 SYN，同时发出自己的 SYN。\"\n"
  "90ms   pause \"An open question?\"\n";

static TlScenario *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TlScenario *scenario = tl_lesson_parse (text, -1, "t.lesson", NULL, &error);

  ck_assert_msg (scenario != NULL, "%s", error != NULL ? error->message : "");
  return scenario;
}

/* The problems of text, one "LINE:COLUMN: MESSAGE" string each. */
static GPtrArray *
problems_of (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  ck_assert_ptr_null (tl_lesson_parse (text, -1, "t.lesson", &problems, &error));
  ck_assert_ptr_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    {
      const TlLessonProblem *pr = g_ptr_array_index (problems, i);

      g_ptr_array_add (lines, g_strdup_printf ("%u:%u: %s", pr->line, pr->column, pr->message));
    }
  return lines;
}

static gboolean
has_problem (GPtrArray  *lines,
             const char *start)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), start))
      return TRUE;
  return FALSE;
}

START_TEST (test_choices_right_one_and_explanation_are_read)
{
  g_autoptr(TlScenario) s = parse_ok (question_lesson);
  g_autoptr(GArray) questions = tl_scenario_questions (s, NULL);
  const TlQuestion *q;

  ck_assert_uint_eq (questions->len, 2);
  q = &g_array_index (questions, TlQuestion, 0);
  ck_assert_int_eq (q->time_us, 60000);
  ck_assert_uint_eq (q->line, 5);
  ck_assert_str_eq (q->question, "What does the server send back?");
  ck_assert_uint_eq (q->n_choices, 3);
  ck_assert_str_eq (q->choices[0], "ACK");
  ck_assert_str_eq (q->choices[1], "SYN,ACK");
  ck_assert_str_eq (q->choices[2], "RST");
  ck_assert_uint_eq (q->right, 1);
  ck_assert_str_eq (q->explanation, "It acknowledges the SYN and sends its own.");
  q = &g_array_index (questions, TlQuestion, 1);
  ck_assert_str_eq (q->question, "An open question?");
  ck_assert_uint_eq (q->n_choices, 0);
  ck_assert_ptr_null (q->explanation);
}
END_TEST

START_TEST (test_translations_fall_back_to_the_text_as_written)
{
  g_autoptr(TlScenario) s = parse_ok (question_lesson);
  TlQuestion q;

  ck_assert (tl_scenario_question_at (s, 60000, "zh_CN.UTF-8", &q));
  ck_assert_str_eq (q.question, "服务器回什么？");
  ck_assert_str_eq (q.choices[0], "ACK");                       /* not translated */
  ck_assert_str_eq (q.choices[1], "SYN,ACK（同步加确认）");
  ck_assert_str_eq (q.explanation, "它确认对方的 SYN，同时发出自己的 SYN。");
  ck_assert (tl_scenario_question_at (s, 60000, "de", &q));
  ck_assert_str_eq (q.question, "What does the server send back?");
  ck_assert (!tl_scenario_question_at (s, 59999, NULL, &q));
  ck_assert (!tl_scenario_question_at (s, 10000, NULL, &q));
}
END_TEST

START_TEST (test_questions_are_written_back_as_read)
{
  g_autoptr(TlScenario) s = parse_ok (question_lesson);
  g_autofree char *text = tl_scenario_to_lesson (s);
  g_autoptr(TlScenario) again = parse_ok (text);
  g_autoptr(GArray) a = tl_scenario_questions (s, "zh_CN");
  g_autoptr(GArray) b = tl_scenario_questions (again, "zh_CN");
  const TlQuestion *qa = &g_array_index (a, TlQuestion, 0);
  const TlQuestion *qb = &g_array_index (b, TlQuestion, 0);

  ck_assert (strstr (text, "choice right \"SYN,ACK\"") != NULL);
  ck_assert (strstr (text, "explain.zh_CN ") != NULL);
  ck_assert_uint_eq (b->len, a->len);
  ck_assert_uint_eq (qb->n_choices, qa->n_choices);
  ck_assert_uint_eq (qb->right, qa->right);
  for (guint c = 0; c < qa->n_choices; c++)
    ck_assert_str_eq (qb->choices[c], qa->choices[c]);
  ck_assert_str_eq (qb->explanation, qa->explanation);
}
END_TEST

START_TEST (test_mistakes_in_a_question_have_their_place)
{
  g_autoptr(GPtrArray) p = problems_of (
    HEAD
    "10ms   choice \"alone\"\n"                      /* 3: no pause before */
    "60ms   pause \"Two right?\"\n"                  /* 4 */
    "60ms   choice right \"a\"\n"
    "60ms   choice right \"b\"\n"
    "70ms   pause \"One choice?\"\n"                 /* 7 */
    "70ms   choice right \"a\"\n"
    "70ms   explain \"e\"\n"
    "70ms   choice \"late\"\n"                       /* 10: after explain */
    "80ms   pause \"Q\"\n"                           /* 11 */
    "80ms   choice.de \"x\"\n"                       /* 12: translates nothing */
    "80ms   explain \"no choices\"\n"                /* 13 */
    "90ms   pause\n"                                 /* 14: no question */
    "90ms   choice \"x\"\n"                          /* 15 */
    "95ms   pause \"Q\"\n"
    "95ms   choice \"a\"\n"
    "95ms   choice.zh_CN right \"b\"\n");            /* 18: a translation marked right */

  ck_assert (has_problem (p, "3:8: 'choice' belongs to a question"));
  ck_assert (has_problem (p, "4:8: this question has 2 choices marked right"));
  ck_assert (has_problem (p, "4:8: this question's choices have no 'explain'"));
  ck_assert (has_problem (p, "7:8: this question has only one choice"));
  ck_assert (has_problem (p, "10:8: 'choice' after the question's 'explain'"));
  ck_assert (has_problem (p, "12:8: 'choice.de' translates the 'choice' just before it"));
  ck_assert (has_problem (p, "13:8: 'explain' tells why a choice is right, and this question has none"));
  ck_assert (has_problem (p, "15:8: 'choice' belongs to a question"));
  ck_assert (has_problem (p, "18:21: a translation of a choice is not marked 'right'"));
}
END_TEST

START_TEST (test_choice_and_explain_are_not_host_names)
{
  g_autoptr(GPtrArray) p = problems_of ("host choice 10.0.0.1\nhost server 10.0.0.2\n");

  ck_assert_uint_ge (p->len, 1);
  ck_assert_msg (strstr (g_ptr_array_index (p, 0), "choice") != NULL, "%s",
                 (char *) g_ptr_array_index (p, 0));
}
END_TEST

Suite *
question_suite (void)
{
  Suite *s = suite_create ("question");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_choices_right_one_and_explanation_are_read);
  tcase_add_test (tc, test_translations_fall_back_to_the_text_as_written);
  tcase_add_test (tc, test_questions_are_written_back_as_read);
  tcase_add_test (tc, test_mistakes_in_a_question_have_their_place);
  tcase_add_test (tc, test_choice_and_explain_are_not_host_names);
  suite_add_tcase (s, tc);
  return s;
}

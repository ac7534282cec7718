/* tl-questions.h: questions for a class in the window.
 *
 * - A lesson's multiple-choice question (tl-question.h) at a pause: its
 *   choices as buttons under the question, answered by a click or the number
 *   keys 1 to 9; right or wrong, then the explanation.
 * - Navigation: Page Down and Page Up (or ] and [; Shift+Page Down and
 *   Shift+Page Up scroll the ladder) go to the next and previous question,
 *   and the Questions menu lists them all.
 * - Prediction mode (P, or the Predict button): before each state change of
 *   the two hosts' connections, playback stops and asks where the connection
 *   goes next; a click on a state of the diagram or a number key answers,
 *   the window says right or wrong and plays the change, and keeps a score.
 */
#pragma once

#include "tl-window.h"

G_BEGIN_DECLS

/* Adds the actions win.answer (uint32: a choice, from 0), win.next-question,
 * win.previous-question, win.jump-question (uint32: an index in the list)
 * and win.predict (boolean state), their keys and buttons. */
void      tl_questions_init            (TlWindow *window);
/* Prediction mode: a click on a state of the diagram answers the pending
 * prediction; TRUE when it did (the click is then not an explanation). */
gboolean  tl_questions_take_state      (TlWindow *window,
                                        TlState   state);
/* For tests: the record of the state change awaiting a prediction, or
 * G_MAXUINT32; the score so far. */
guint32   tl_questions_get_pending     (TlWindow *window);
void      tl_questions_get_score       (TlWindow *window,
                                        guint    *right,
                                        guint    *asked);
/* The card's text at scale times its size (the choices and the verdict
 * never below lines of 18 px), its choices in rows of width pixels. */
void      tl_questions_fit             (TlWindow *window,
                                        double    scale,
                                        int       width);
/* The box under the question with the choices and the verdict. */
GtkWidget *tl_questions_get_box        (TlWindow *window);

G_END_DECLS

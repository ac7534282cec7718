/* tl-budget.c: the resource budget of a lesson (see tl-budget.h). */
#include "tl-budget.h"

#include <string.h>

#include "tl-trace.h"

/* A record names its statement in 24 bits (TlRecord.stmt). */
G_STATIC_ASSERT (TL_BUDGET_STATEMENTS < (1u << 24));

void
tl_budget_init_limits (TlBudget *limits)
{
  g_return_if_fail (limits != NULL);

  *limits = (TlBudget) {
    .statements = TL_BUDGET_STATEMENTS,
    .events = TL_BUDGET_EVENTS,
    .records = TL_BUDGET_RECORDS,
    .bytes = TL_BUDGET_BYTES,
  };
}

void
tl_budget_stmt_cost (const TlStmt *stmt,
                     TlBudget     *cost)
{
  g_return_if_fail (stmt != NULL && cost != NULL);

  *cost = (TlBudget) { .statements = 1 };
  if (tl_stmt_kind_is_expectation (stmt->kind))
    return;
  /* A flood is one event and at least one record (its SYN on the wire) per
   * SYN; any other statement records its call at least once. */
  cost->events = stmt->kind == TL_STMT_FLOOD ? MAX (stmt->u.flood.count, 1) : 1;
  cost->records = cost->events;
  cost->bytes = cost->records * sizeof (TlRecord);
  if (stmt->kind == TL_STMT_SAY && stmt->u.say.text != NULL)
    cost->bytes += strlen (stmt->u.say.text) + 1;
  else if (stmt->kind == TL_STMT_PAUSE && stmt->u.pause.question != NULL)
    cost->bytes += strlen (stmt->u.pause.question) + 1;
}

guint64
tl_budget_get (const TlBudget *limits,
               TlLimit         limit)
{
  g_return_val_if_fail (limits != NULL, 0);

  switch (limit)
    {
    case TL_LIMIT_STATEMENTS: return limits->statements;
    case TL_LIMIT_EVENTS:     return limits->events;
    case TL_LIMIT_RECORDS:    return limits->records;
    case TL_LIMIT_MEMORY:     return limits->bytes;
    case TL_LIMIT_NONE:       break;
    }
  return 0;
}

TlLimit
tl_budget_charge (TlBudget       *spent,
                  const TlBudget *cost,
                  const TlBudget *limits)
{
  g_return_val_if_fail (spent != NULL && cost != NULL && limits != NULL, TL_LIMIT_NONE);

  /* Each figure is far below 2^63, so the sums cannot wrap. */
  spent->statements += cost->statements;
  spent->events += cost->events;
  spent->records += cost->records;
  spent->bytes += cost->bytes;
  if (spent->statements > limits->statements)
    return TL_LIMIT_STATEMENTS;
  if (spent->events > limits->events)
    return TL_LIMIT_EVENTS;
  if (spent->records > limits->records)
    return TL_LIMIT_RECORDS;
  if (spent->bytes > limits->bytes)
    return TL_LIMIT_MEMORY;
  return TL_LIMIT_NONE;
}

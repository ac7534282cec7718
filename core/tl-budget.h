/* tl-budget.h: the one resource budget of a lesson.
 *
 * A lesson arrives from anywhere; a classroom machine must stay usable
 * whatever it asks for.  One budget bounds every run: statements (after any
 * expansion), simulator events, trace records and the memory of the trace
 * and the simulator.  The reader charges each statement's least cost as it
 * reads it and refuses a lesson that cannot fit (tl_budget_charge); the
 * simulator checks the same limits as it runs and stops a run that reaches
 * one (TL_END_EVENT_LIMIT, TL_END_RECORD_LIMIT, TL_END_MEMORY_LIMIT).
 *
 * The figures: 10^7 records are 320 MB at 32 bytes a record, and the trace
 * plus the simulator may take 1 GiB in all, which a classroom machine with
 * 4 GB affords beside a desktop.  lessons/README.md lists them.
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"

G_BEGIN_DECLS

/* Statements once each `repeat` line counts as its N repetitions: the
 * 100,000-connection open-close workload is 300,001 of them. */
#define TL_BUDGET_STATEMENTS G_GUINT64_CONSTANT (1000000)
#define TL_BUDGET_EVENTS     G_GUINT64_CONSTANT (20000000)
#define TL_BUDGET_RECORDS    G_GUINT64_CONSTANT (10000000)
#define TL_BUDGET_BYTES      (G_GUINT64_CONSTANT (1) << 30)

typedef enum
{
  TL_LIMIT_NONE,
  TL_LIMIT_STATEMENTS,
  TL_LIMIT_EVENTS,
  TL_LIMIT_RECORDS,
  TL_LIMIT_MEMORY,
} TlLimit;

/* An amount of each resource: what a statement costs at least, what a
 * lesson has spent, or the limits themselves. */
typedef struct
{
  guint64 statements;
  guint64 events;
  guint64 records;
  guint64 bytes;
} TlBudget;

/* The default limits (TL_BUDGET_*). */
void    tl_budget_init_limits (TlBudget       *limits);
/* The least a statement costs when it runs: one event and one record, a
 * flood one of each per SYN, the memory of those records and of its text.
 * Expectations run nothing, but count as statements. */
void    tl_budget_stmt_cost   (const TlStmt   *stmt,
                               TlBudget       *cost);
/* Adds cost to spent; the first limit spent now exceeds, or TL_LIMIT_NONE. */
TlLimit tl_budget_charge      (TlBudget       *spent,
                               const TlBudget *cost,
                               const TlBudget *limits);
/* The limit's figure in limits. */
guint64 tl_budget_get         (const TlBudget *limits,
                               TlLimit         limit);

G_END_DECLS

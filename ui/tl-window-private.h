/* tl-window-private.h: what the parts of TlWindow share: the instance
 * struct, the text sizes, and the helpers that tl-window.c and
 * tl-window-actions.c both call. */
#pragma once

#include <adwaita.h>

#include "tl-view-widget.h"
#include "tl-window.h"

G_BEGIN_DECLS

typedef enum
{
  SIZE_UNKNOWN,
  SIZE_SMALL,
  SIZE_LARGE,
} SizeClass;

/* Work on the window done once its new size or content is laid out (not
 * while it lays itself out): an idle, at most one pending (tl-window.c:
 * later). */
typedef struct
{
  guint      id;
  TlWindow  *window;
  void     (*run) (TlWindow *window);
} TlWindowLater;

struct _TlWindow
{
  GtkApplicationWindow  parent_instance;

  GtkHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  AdwFlap              *flap;
  GtkPaned             *tables_paned;
  GtkPaned             *views_paned;
  GtkWidget            *tables_box;
  GtkWidget            *sockets_scroll;
  GtkWidget            *timers_scroll;
  GtkScrolledWindow    *lesson_scroller;
  GtkListBox           *lesson_list;
  GtkRevealer          *errors_revealer;
  GtkRevealer          *whatifs_off_revealer;
  GtkLabel             *whatifs_off_label;
  GtkLabel             *errors_heading;
  GtkLabel             *errors_label;
  GtkLabel             *narration_label;
  GtkLabel             *question_label;
  GtkOverlay           *question_overlay;
  GtkWidget            *question_card;
  GtkScrolledWindow    *question_scroll;
  GtkWidget            *question_box;
  TlViewWidget         *diagram_view;
  TlViewWidget         *ladder_view;
  TlViewWidget         *timers_view;
  TlViewWidget         *sockets_view;
  GtkButton            *play_button;
  GtkLabel             *speed_label;
  GtkAdjustment        *time_adjustment;
  GtkLabel             *time_label;
  GtkWidget            *controls_box;
  GtkWidget            *freeplay_scroll;
  GtkWidget            *freeplay_box;
  GtkGrid              *freeplay_grid;
  GtkWidget            *link_grid;
  GtkSpinButton        *delay_spin;
  GtkSpinButton        *loss_spin;
  GtkLabel             *host_labels[2];

  TlSession            *session;
  GSettings            *settings;   /* NULL if the schema is missing */
  GtkFileChooserNative *chooser;
  guint                 tick_id;
  gint64                last_frame_us;
  gboolean              updating;   /* the controls follow the session: no feedback */
  int                   narration_width; /* the width reserve_narration_room measured at */
  TlWindowLater         reserve;         /* the narration measured again */
  double                question_scale;  /* the question's text size (fit_question_card) */
  double                narration_scale; /* the narration's (reserve_narration_room) */
  int                   card_width;      /* the card's width it was fitted at, -1: none */
  int                   card_room;       /* where it is (tl-window.c: CardRoom) */
  int                   card_room_height;
  int                   card_natural;    /* its height as fitted */
  TlWindowLater         fit;             /* the card fitted again */
  TlWindowLater         share;           /* the tables' width shared again */
  char                 *share_key;       /* what the tables' width was shared for */
  TlWindowLater         free_play;       /* free play's height fitted again */
  TlWindowLater         place;           /* the tables' divider placed again */
  char                 *tables_key;      /* what it was placed for */
  int                   free_play_width; /* the width it was fitted at */
  int                   screen_height;   /* the monitor's, 0: not known */
  double                text_scale; /* the text size, times each view's own font scale */
  double                view_font_scale[4];
  SizeClass             height_class;
  gboolean              was_free_play; /* free play at the last scenario update */
  SizeClass             width_class;
};

/* The text sizes Ctrl+plus and Ctrl+minus step through. */
/* The narration's and the question's style changed (presentation mode):
 * their room is measured again. */
void tl_window_words_restyled (TlWindow *self);

#define TL_WINDOW_N_TEXT_SCALES 8
extern const double tl_window_text_scales[TL_WINDOW_N_TEXT_SCALES];

char *tl_window_format_time  (gint64      time_us);
/* label's text at scale times its size of style.css. */
void  tl_window_scale_label  (GtkLabel   *label,
                              double      scale);
void  tl_window_toast        (TlWindow   *self,
                              const char *text);
/* The win.* actions, the playback keys and the free-play buttons
 * (tl-window-actions.c). */
void  tl_window_actions_init (TlWindow   *self);
/* TRUE when a text field has the keyboard: bare keys are then its own. */
gboolean tl_window_focus_is_editable (TlWindow *self);

G_END_DECLS

"""What the tutor itself says, in English: every message, status word, label and footer key.

One table per language, keyed alike (`ko.py` is the Korean); `words.Words` picks one
once and fills in the `{placeholders}`. A test keeps every table's keys and placeholders the
same as this one's. Lesson text is not here: it comes from the lesson (and its translation).
"""

from __future__ import annotations

EN: dict[str, str] = {
    # -- the run's status, in words and in the table's status column
    "status.running": "",
    "status.converged": "Converged: w has settled at the bottom of E.",
    "status.oscillating": "Oscillating: w bounces and never settles. Press [ for a smaller α.",
    "status.diverged": "Diverged: E grows without bound. Press [ to halve α.",
    "status.stalled": "Stalled: each update is too small to change w, though the slope is not 0. Press ] for a larger α.",
    "status.stopped": "Diverged: the numbers overflowed, so the run stops here. Press [ for a smaller α.",
    "cell.running": "running",
    "cell.converged": "converged",
    "cell.oscillating": "oscillating",
    "cell.diverged": "diverged",
    "cell.stalled": "stalled",
    # -- messages about the last key
    "answer_first": "Answer the question first: type it and press Enter (n again skips it).",
    "last_page": "This is the last page of the lesson. Press q to quit.",
    "starts_over": "The lesson starts over.",
    "no_run": "This page has no run to step: press n for the next page.",
    "overflowed": "The run stopped: its numbers overflowed. Press [ for a smaller α or r to reset.",
    "last_step": "That is the last recorded step ({step}). Press r to start again.",
    "alpha_stays": "α stays {alpha}: that is the end of this page's list of α values.",
    "alpha_set": "α = {alpha} from step {step} on (the old future is kept on the plot).",
    "no_param": "This page has no {name} to move.",
    "nudged": "{name} = {value} by hand, from step {step} on.",
    "page_reset": "Page reset.",
    "no_question": "This page asks no question.",
    "paused": "Paused.",
    "playing": "Playing: p pauses.",
    "no_graph": "The composite gate is drawn on graph pages.",
    "no_surface": "The error surface is drawn on pages with two parameters.",
    "draw_failed": "Could not draw this step ({error}); the run itself is safe.",
    "welcome_back": "Welcome back: resumed on page {page} of {pages}. Press R to start the lesson over.",
    "save_failed": "Could not save your progress: {why}",
    "no_export": "This page has no run to export.",
    "reloaded": "Reloaded {name}: page {page} of {pages}.",
    "reload_kept": "{problem} · the last good version stays on screen",
    "export_failed": "Could not export: {why}",
    "exported": "Saved {csv} and {txt} in {folder}",
    "language_now": "English (L or ctrl+l: 한국어).",
    "no_translation": "This lesson has no Korean text yet: shown in English.",
    "cannot_show": "This terminal cannot show Korean (no UTF-8, or --ascii): the tutor runs in English.",
    # -- pinned runs (`v`, `V`) and `u` (until something happens)
    "pin.graph": "Runs are compared on the plots: this page walks the graph instead.",
    "pin.already": "This run is pinned already: change α (] or [) or w (+ or -), then press v again.",
    "pin.full": "{count} runs are pinned already: V clears them.",
    "pin.pinned": "Pinned as {marker}. Now change α (] or [) or w (+ or -): space steps every run together, V clears.",
    "pin.none": "No runs are pinned: v pins the one on screen.",
    "pin.unpinned_one": "Unpinned 1 run.",
    "pin.unpinned": "Unpinned {count} runs.",
    "pin.no_run": "This page has no run to pin.",
    "until.running": "Running until something happens: step {step} (any key stops).",
    "until.stopped": "Stopped at step {step}: {why}.",
    "until.interrupted": "Stopped at step {step} ({why}).",
    "until.key": "a key was pressed",
    "until.overflowed": "the numbers overflowed, so the run stops here",
    "until.last": "that is the last recorded step",
    "until.last_restart": "that is the last recorded step: r starts again",
    "until.cap": "{cap} updates and nothing happened (u goes on from here)",
    "until.pinned": "run {marker} {why}",
    "until.converged": "converged",
    "until.oscillating": "oscillating",
    "until.diverged": "diverged",
    "until.stalled": "stalled",
    "until.below": "E = {loss} fell below {line}",
    "until.sign-change": "the slope changed sign ({slopes})",
    "until.overshoot": "overshoot: the slope changed sign ({slopes}), {name} jumped over the bottom",
    "export.header": "{lesson} / {experiment}, step {step}, alpha = {alpha}, {status}",
    "export.runs": "runs: {runs}",
    # -- answers
    "right": "Right! {rest}",
    "next_page_hint": "Press n for the next page.",
    "lesson_end": "That was the last page of this lesson.",
    "not_quite": "Not quite ({nth} try). Hint: {hint}",
    "not_quite_again": "Not quite ({nth} try). Hint: {hint} Try again.",
    "hint": " Hint: {hint}",
    "see_it": "Not quite; see it now on screen.{hint}",
    "you_said": "You said {reply}; it is {value}. {verdict}",
    "choose": "Choose 1–{n}: type the number of a choice, then Enter.",
    "use_point": "Not a number here: write {number} with a point, then Enter.",
    "not_number": "Not a number: type digits (a point and a minus are fine), then Enter.",
    "question": "Question",
    "predict": "Predict",
    "predict_again": "Predict again (for practice)",
    "answered": " ✓",
    "answer_placeholder": "answer: a or a digit, then Enter",
    # -- the footer (`? help` and `q quit` always last)
    "key.close": "esc close",
    "key.send": "Enter send",
    "key.leave": "Esc leave",
    "key.erase": "bksp erase",
    "key.then_help": "then ? help",
    "key.too_small": "{columns}x{rows}: too small, use {width}x{height}",
    "key.step_ascii": "spc step",
    "key.back_ascii": "bksp back",
    "key.step": "spc/→ step",
    "key.back": "← back",
    "key.move": "+/- w",
    "key.move_b": "  </> b",
    "key.answer": "a answer",
    "key.graph": "↑↓ graph",
    "key.text": "↑↓ text",
    "key.page": "n/b page",
    "key.help": "? help",
    "key.quit": "q quit",
    "key.until": "u until",
    "key.pin": "v pin",
    # -- the help screen, the table, the plots and the graph panel
    "help.title": "Keys  (esc, q or ? closes this)",
    "help.no_mouse": "select text without Shift (PuTTY): start with tutor run --no-mouse",
    "table.step": "step",
    "table.status": "status",
    "table.status_at": "{status} (at {step})",
    "plot.data": "data o, {line}",
    "plot.data_many": "datum 1..m: y o, h x",
    "plot.curve": "E({name})",
    "plot.point": "E({name}), @ now",
    "plot.slope": "E({name}), slope {slope} at @",
    "plot.old": ", x: old future",
    "plot.this_run": "this run",
    "plot.run": "run {n}",
    "plot.off": " (off the plot)",
    "plot.surface": "E({a},{b}): . low % high, o path, @ now",
    "graph.start": "step {step}: press space for the forward pass",
    "graph.updated": "updated: {updates}",
    "graph.forward": "step {step}: forward pass ({event}/{events})",
    "graph.backward": "step {step}: back-propagation ({event}/{events})",
    "graph.update_next": "step {step}: space updates {name} {minus} {alpha}{times}{slope}",
    "graph.slope": "slope:",
    "graph.local": "local:",
    "graph.data": "data:",
    # -- the progress file and its folder (`progress/store.py` says these; the app and the CLI word them)
    "progress.no_place": "No place to keep your progress ({why}): give --state-dir DIR or set TUTOR_STATE_DIR.",
    "progress.could_not_read": "Could not read your progress ({why}); starting without it.",
    "progress.folder_in_file": "The state folder {where} is inside a file: choose another with --state-dir.",
    "progress.not_a_folder": "The state folder {where} is not a folder: choose another with --state-dir.",
    "progress.foreign_folder": (
        "The state folder {where} belongs to another user (uid {uid}): not using it. "
        "Choose your own with --state-dir or TUTOR_STATE_DIR."
    ),
    "progress.open_folder": (
        "The state folder {where} can be written by other users (mode {mode}): "
        "not using it. Run chmod go-w on it, or choose another with --state-dir."
    ),
    "progress.newer": (
        "Your progress file was written by a newer backprop-tutor (format {version}; this one "
        "writes {ours}): it is kept as it is, and nothing is saved while this version runs."
    ),
    "progress.set_aside": "Your progress file was unreadable ({why}); it was kept as {name} and a new one started.",
    "progress.unreadable": "Your progress file was unreadable ({why}); starting without it.",
    "progress.not_regular": "not a regular file",
    "progress.a_folder": "a folder",
    "progress.a_device": "not a regular file (a pipe or a device?)",
    "progress.too_large": "{size} bytes, more than the {most} a progress file may hold",
    "progress.over": "over {most} bytes",
    "progress.cannot_save": "Could not save your progress in {where}: {why}.",
    "progress.cannot_save_language": "Could not save your language in {where}: {why}.",
    "progress.cannot_forget": "Could not forget your progress in {where}: {why}.",
    "progress.bad_lock": "{path} is not a regular file: remove it.",
    "progress.would_be_too_large": "Your progress would take over {most} bytes: forget some lessons with tutor reset.",
    # -- the command line's human output (`tutor list`, `progress`, `reset`)
    "cli.not_saved": "your progress could not be saved: {why}",
    "cli.new": "new",
    "cli.done": "done",
    "cli.in_progress": "in progress",
    "cli.invalid": "(invalid: run tutor validate)",
    "cli.no_progress": "No progress yet (kept in {path}).",
    "cli.progress_line": "page {page}/{pages}  {score}  ({title})",
    "cli.questions_right": "questions right {right}/{asked}",
    "cli.answered_right": "answered right {right}/{asked}",
    "cli.progress_in": "your progress in {lesson}",
    "cli.all_progress": "all your progress",
    "cli.not_forgetting": "Not forgetting {what}: add --yes to confirm.",
    "cli.forget_question": "Forget {what}? [y/N] ",
    "cli.nothing_forgotten": "Nothing forgotten.",
    "cli.forgot": "Forgot {lessons}.",
    "cli.nothing_to_forget": "Nothing to forget.",
}
"""Every string the app writes, in English, by key."""

def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th…"""
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


STATUS_WORDS = {status: EN[f"status.{status}"] for status in ("running", "converged", "oscillating", "diverged", "stalled")}
"""The run's status in English words (kept for callers of the English table)."""
STOPPED_WORDS = EN["status.stopped"]
ANSWER_PLACEHOLDER = EN["answer_placeholder"]

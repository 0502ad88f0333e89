"""The lean terminal output (tui/terminal_output.py): fewer bytes, the very same screen.

Textual's own writes are recorded from the app (what `App._display` would send a terminal), fed
once as they are and once through `LeanEncoder` into two test terminals (tests/terminal/
sgr_screen.py, written apart from the encoder), and after every write the two must agree on every
cell's character and rendition, the cursor, the pen and the answers to the pacing probe.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.control import Control
from textual._compositor import CompositorUpdate

from backprop_tutor.lessons import load_lesson
from backprop_tutor.tui import terminal_output
from backprop_tutor.tui.launch import make_app
from backprop_tutor.tui.lean_encoder import LeanEncoder
from backprop_tutor.tui.pacing import PROBE, pacer_for
from backprop_tutor.tui.sgr_state import PLAIN, Sgr, apply_sgr, sgr_change
from backprop_tutor.tui.terminal_output import lean_driver
from tests.support import LESSONS
from tests.terminal.sgr_screen import SgrScreen

COLOURS = {
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
    "256": {"TERM": "xterm-256color", "COLORTERM": ""},
    "16": {"TERM": "xterm", "COLORTERM": ""},
    "no-colour": {"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"},
}
Resize = tuple[int, int]


def record_writes(app) -> list[str | Resize]:
    """What the app would write to a terminal, one string per display (as `App._display` builds it
    for a `CompositorUpdate` in Textual 8.2: the update, then the cursor moved to its place)."""
    writes: list[str | Resize] = []

    def display(screen, renderable) -> None:
        if renderable is None or app._batch_count or not isinstance(renderable, CompositorUpdate):
            return
        cursor = app.screen.outer_size.clamp_offset(app.cursor_position)
        writes.append(renderable.render_segments(app.console) + Control.move_to(*cursor).segment.text)

    app._display = display
    return writes


async def app_writes(monkeypatch, colours: str, lesson: str = "lesson03", language: str = "en") -> list[str | Resize]:
    """Every page of `lesson` at 80×24 (stepped, rewound, a rate changed), then a resize to 100×30."""
    for name, value in COLOURS[colours].items():
        monkeypatch.setenv(name, value)
    if "NO_COLOR" not in COLOURS[colours]:
        monkeypatch.delenv("NO_COLOR", raising=False)
    loaded = load_lesson(LESSONS / f"{lesson}.yaml")
    app = make_app(loaded, no_color=colours == "no-colour", language=language)
    writes = record_writes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        for index in range(len(loaded.pages)):
            app.session.go_to_page(index)
            app.show(app.session.frame())
            await pilot.press("space", "space", "space", "left", "right_square_bracket", "space")
            await pilot.pause()
        writes.append((100, 30))
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.press("space", "left")
        await pilot.pause()
    return writes


def replay(writes: list[str | Resize], probe: bool = True) -> tuple[int, int]:
    """Feed `writes` as they are and through a `LeanEncoder` into two terminals; every write after,
    the two must show the same. Returns the bytes (UTF-8) of each."""
    encoder = LeanEncoder()
    encoder.resize(80, 24)
    plain, lean = SgrScreen(80, 24), SgrScreen(80, 24)
    plain_bytes = lean_bytes = 0
    for n, write in enumerate(writes):
        if isinstance(write, tuple):  # whatever a terminal does to its cells then, the app repaints them
            for screen in (plain, lean):
                screen.resize(*write)
                screen.grid = [[("~", (("garbled", True),))] * screen.cols for _ in range(screen.rows)]
            encoder.resize(*write)
            continue
        for text in (write, PROBE) if probe else (write,):  # the pacer asks after each frame
            out = encoder.encode(text)
            plain.feed(text)
            lean.feed(out)
            plain_bytes += len(text.encode())
            lean_bytes += len(out.encode())
            assert lean.cells() == plain.cells(), f"write {n}: {first_difference(plain, lean)}"
            assert (lean.row, lean.col, lean.pen, lean.reports) == (plain.row, plain.col, plain.pen, plain.reports), n
    return plain_bytes, lean_bytes


def first_difference(plain: SgrScreen, lean: SgrScreen) -> str:
    for r, (a, b) in enumerate(zip(plain.cells(), lean.cells())):
        for c, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return f"row {r + 1} col {c + 1}: {x} != {y}"
    return ""


@pytest.mark.parametrize("colours", list(COLOURS))
async def test_every_page_and_a_resize_look_the_same_in_a_fraction_of_the_bytes(monkeypatch, colours):
    writes = await app_writes(monkeypatch, colours)
    assert any("\x1b[" in w and "m" in w for w in writes if isinstance(w, str))
    plain, lean = replay(writes)
    assert lean < plain * 0.4, (plain, lean)


async def test_korean_text_and_its_wide_cells_look_the_same(monkeypatch):
    writes = await app_writes(monkeypatch, "truecolor", language="ko")
    assert any("\uac00" <= ch <= "\ud7a3" for w in writes if isinstance(w, str) for ch in w)
    plain, lean = replay(writes)
    assert lean < plain * 0.4, (plain, lean)


async def test_graph_pages_look_the_same(monkeypatch):
    plain, lean = replay(await app_writes(monkeypatch, "256", lesson="lesson04"))
    assert lean < plain * 0.4, (plain, lean)


# -- the style arithmetic against the test terminal --------------------------------------------

FG_CODES = [None, "31", "97", "38;5;253", "38;2;224;224;224", "38;2;88;209;235"]
BG_CODES = [None, "41", "107", "48;5;233", "48;2;18;18;18", "48;2;51;66;78"]
states = st.builds(
    Sgr,
    st.frozensets(st.sampled_from([1, 2, 3, 4, 5, 7, 8, 9, 21, 53])),
    st.sampled_from(FG_CODES),
    st.sampled_from(BG_CODES),
    st.sampled_from([None, "58;5;1", "58;2;1;2;3"]),
)


def drawn_with(*sequences: str) -> tuple:
    screen = SgrScreen(4, 1)
    screen.feed("".join(sequences) + "x")
    return screen.cells()[0][0]


def sets(state: Sgr) -> str:
    return f"\x1b[0;{';'.join(state.codes())}m"


@given(states, states)
def test_a_style_change_draws_as_the_whole_style_does(have, want):
    change = sgr_change(have, want)
    assert drawn_with(sets(have), change) == drawn_with(sets(want))
    assert len(change) <= len(sgr_change(None, want))
    assert apply_sgr(have, change[2:-1]) == want if change else have == want


@given(states)
def test_reading_a_style_gives_it_back(state):
    assert apply_sgr(PLAIN, ";".join(state.codes())) == state
    assert apply_sgr(None, "0;" + ";".join(state.codes())) == state
    assert apply_sgr(None, ";".join(state.codes()) or "1") is None  # no reset first: not known


def test_a_colour_back_to_the_default_and_an_attribute_taken_away_cost_a_few_bytes():
    have = Sgr(frozenset({1, 7}), "38;2;224;224;224", "48;2;18;18;18")
    assert sgr_change(have, Sgr(frozenset({1}), "38;2;224;224;224", "48;2;18;18;18")) == "\x1b[27m"
    assert sgr_change(have, have._replace(fg=None)) == "\x1b[39m"
    assert sgr_change(have._replace(attrs=frozenset({1, 2})), have._replace(attrs=frozenset({2}))) == "\x1b[22;2m"
    assert sgr_change(Sgr(frozenset({1, 2})), Sgr(frozenset({2}))) == "\x1b[0;2m"  # shorter


# -- what must pass unchanged, or be given its style first ---------------------------------------

def lean_and_plain(*writes: str, cols: int = 20, rows: int = 4) -> tuple[SgrScreen, SgrScreen, list[str]]:
    encoder = LeanEncoder()
    encoder.resize(cols, rows)
    plain, lean = SgrScreen(cols, rows), SgrScreen(cols, rows)
    outs = []
    for write in writes:
        out = encoder.encode(write)
        outs.append(out)
        plain.feed(write)
        lean.feed(out)
    return plain, lean, outs


def test_the_probe_and_mode_switches_pass_unchanged_between_frames():
    frame = "\x1b[1;1H\x1b[38;2;1;2;3;48;2;4;5;6mab\x1b[0m\x1b[1;1H"
    plain, lean, outs = lean_and_plain(frame, PROBE, "\x1b[?2026h", frame, "\x1b[?2026l", PROBE)
    assert outs[1] == outs[5] == PROBE and outs[2] == "\x1b[?2026h" and outs[4] == "\x1b[?2026l"
    assert outs[3] == ""  # the same cells again, the cursor where it was, the style reset: nothing to say
    assert lean.reports == plain.reports == [(1, 1), (1, 1)]


def test_an_erase_is_given_the_style_the_original_had_there():
    write = "\x1b[2;1H\x1b[48;5;1mab\x1b[0m\x1b[K\x1b[3;1H\x1b[48;5;2mcd\x1b[K\x1b[0m"
    plain, lean, _ = lean_and_plain(write)
    assert lean.cells() == plain.cells()
    assert plain.cells()[1][5][1] == () and plain.cells()[2][5][1] == (("bg", ("256", 2)),)


def test_a_line_feed_that_may_scroll_is_kept():
    write = "\x1b[4;1H\x1b[48;5;1mlast row\x1b[0m\n\x1b[4;1Hnew"
    plain, lean, outs = lean_and_plain(write)
    assert "\n" in outs[0] and lean.cells() == plain.cells()
    assert plain.text().splitlines()[2].startswith("last row")


def test_a_line_feed_between_two_chops_of_one_row_is_dropped_and_the_cells_kept():
    write = "\x1b[2;1H\x1b[1mleft\x1b[0m\n\x1b[2;10H\x1b[7mright\x1b[0m\x1b[1;1H"  # as ChopsUpdate writes it
    plain, lean, outs = lean_and_plain(write, write)
    assert "\n" not in outs[0] and outs[1] == "" and lean.cells() == plain.cells()


def test_a_style_it_cannot_read_passes_as_it_came():
    writes = ("\x1b[1;1H\x1b[4:3mab\x1b[0m", "\x1b[1;3H\x1b[1mcd\x1b[0m")
    encoder = LeanEncoder()
    first, second = encoder.encode(writes[0]), encoder.encode(writes[1])
    assert "\x1b[4:3m" in first and first.endswith("\x1b[0m")
    assert second == "\x1b[1;3H\x1b[1mcd\x1b[0m"


def test_a_write_cut_inside_a_sequence_turns_the_encoder_off():
    encoder = LeanEncoder()
    cut = ["\x1b[1;1H\x1b[38;2;1;2", ";3mab\x1b[0m", "\x1b[1;1H\x1b[1mab\x1b[0m"]
    assert [encoder.encode(w) for w in cut] == cut and encoder.off


def test_hyperlinks_and_wide_characters_look_the_same():
    link = "\x1b]8;id=1;https://example.org\x1b\\"
    frame = f"\x1b[1;1H{link}\x1b[1mlink\x1b[0m\x1b]8;;\x1b\\\x1b[38;5;3m한국어 x\x1b[0m\x1b[2;1H\x1b[7mab\x1b[0m"
    again = "\x1b[1;1H\x1b[1mli\x1b[0m\x1b[1;6H\x1b[38;5;3mx국\x1b[0m\x1b[2;2H\x1b[7m가\x1b[0m"
    plain, lean, outs = lean_and_plain(frame, again, frame)
    assert lean.cells() == plain.cells()
    assert plain.cells()[0][0][1] != plain.cells()[0][5][1]  # the link is part of the cell


def test_a_resize_forgets_the_cells_so_the_repaint_is_written_whole():
    encoder = LeanEncoder()
    encoder.resize(10, 2)
    frame = "\x1b[1;1H\x1b[1mabcdefghij\x1b[0m\x1b[2;1Hklmnopqrst"
    assert "abcdefghij" in encoder.encode(frame)
    assert "abcdefghij" not in encoder.encode(frame)
    encoder.resize(12, 2)
    assert "abcdefghij" in encoder.encode(frame)
    encoder.stale = True  # what SIGWINCH sets
    assert "abcdefghij" in encoder.encode(frame)


# -- the driver -----------------------------------------------------------------------------------

def test_only_the_terminal_driver_is_made_lean_and_pacing_still_probes_through_it(monkeypatch):
    from textual.drivers.headless_driver import HeadlessDriver
    from textual.drivers.linux_driver import LinuxDriver

    monkeypatch.delenv("TUTOR_OUTPUT", raising=False)
    lean = lean_driver(LinuxDriver)
    assert issubclass(lean, LinuxDriver) and lean is not LinuxDriver
    assert lean_driver(HeadlessDriver) is HeadlessDriver
    written: list[str] = []
    driver = lean.__new__(lean)
    driver.write = written.append
    assert pacer_for(SimpleNamespace(_driver=driver, is_headless=False)) is not None
    monkeypatch.setenv("TUTOR_OUTPUT", "plain")
    assert terminal_output.lean_driver(LinuxDriver) is LinuxDriver


def test_after_another_program_wrote_on_the_terminal_a_redraw_gives_the_screen_back():
    """A `wall` message lands over the app (text, a move, a style). Cells the app did not change
    are not written again, so it stays until the student presses ctrl+r: the encoder then knows
    nothing of the terminal, and the repaint puts every cell, the cursor and the style back."""
    frame = "\x1b[1;1H\x1b[38;5;3mabcdefghij\x1b[0m\x1b[2;1H\x1b[1mklmnopqrst\x1b[0m\x1b[2;3H"
    encoder = LeanEncoder()
    encoder.resize(10, 2)
    plain, lean = SgrScreen(10, 2), SgrScreen(10, 2)
    for screen, text in ((plain, frame), (lean, encoder.encode(frame))):
        screen.feed(text)
    lean.feed("\x1b[1;4H\x1b[7mWALL\x1b[1;9H")  # someone else's bytes: not through the encoder
    assert encoder.encode(frame) == "" and lean.cells() != plain.cells()  # what it remembers: nothing to say
    encoder.lose_terminal()
    lean.feed(encoder.encode(frame))  # the redraw: Textual paints every cell again
    plain.feed(frame)
    assert lean.cells() == plain.cells() and (lean.row, lean.col, lean.pen) == (plain.row, plain.col, plain.pen)


async def test_ctrl_r_forgets_the_terminal_and_repaints_every_widget(monkeypatch):
    monkeypatch.delenv("TUTOR_OUTPUT", raising=False)
    app = make_app(load_lesson(LESSONS / "lesson03.yaml"), page=3)
    lost: list[bool] = []
    from backprop_tutor.tui import app as app_module

    monkeypatch.setattr(app_module, "forget_screen", lambda driver: lost.append(True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        refreshed: list[object] = []
        for widget in app.screen.walk_children(with_self=True):
            real = widget.refresh
            widget.refresh = lambda *a, _w=widget, _real=real, **k: refreshed.append(_w) or _real(*a, **k)
        await pilot.press("ctrl+r")  # redraw
        await pilot.pause()
        assert lost == [True]
        assert set(refreshed) == set(app.screen.walk_children(with_self=True))
        await pilot.press("space")  # the frame asked for it once; the next key does not
        await pilot.pause()
        assert lost == [True] and not app.frame.redraw

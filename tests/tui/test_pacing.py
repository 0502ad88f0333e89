"""Frames paced to the terminal (Mosh's rule): one frame in flight, the newest waits, none is lost."""

from __future__ import annotations

import asyncio

from backprop_tutor.frame import Frame, Header
from backprop_tutor.lessons import find_lesson
from backprop_tutor.lessons.cache import load_lesson_cached
from backprop_tutor.tui import pacing
from backprop_tutor.tui.launch import make_app
from backprop_tutor.tui.pacing import PROBE, Pacer


def frame(n: int, **changes) -> Frame:
    header = Header("lesson03", n, 9, f"page {n}", "t", " · ")
    return Frame(header=header, text=f"text {n}", status="", message="", keys=(), **changes)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def pacer() -> tuple[Pacer, list[str], Clock]:
    written: list[str] = []
    clock = Clock()
    return Pacer(written.append, clock), written, clock


def test_one_frame_in_flight_and_only_the_newest_waits():
    p, written, _ = pacer()
    assert not p.hold(frame(1))  # nothing out yet: drawn at once
    p.drawn()
    assert written == [PROBE] and p.waiting
    assert p.hold(frame(2)) and p.hold(frame(3)) and p.hold(frame(4))
    p.drawn()  # a repaint meanwhile asks nothing more: one probe out at a time
    assert written == [PROBE]
    assert p.answered() == frame(4) and p.dropped == 2
    assert not p.waiting and p.answered() is None


def test_dropped_frames_keep_their_scrolls_and_page_change():
    p, _, _ = pacer()
    p.drawn()
    p.hold(frame(2, new_page=True))
    p.hold(frame(2, scroll=1))
    p.hold(frame(2, scroll=2))
    drawn = p.answered()
    assert drawn is not None and drawn.new_page and drawn.scroll == 3
    p.drawn()
    p.hold(frame(2, scroll=5))
    p.hold(frame(3, new_page=True))  # a new page starts at its top: earlier scrolls are moot
    drawn = p.answered()
    assert drawn is not None and drawn.new_page and drawn.scroll == 0 and drawn.header.page == 3


def test_a_frame_that_quits_never_waits():
    p, _, _ = pacer()
    p.drawn()
    assert p.hold(frame(2))
    assert not p.hold(frame(2, quit=True))


def test_a_terminal_that_never_answers_costs_one_wait_at_most():
    p, written, clock = pacer()
    p.drawn()
    assert p.hold(frame(2))
    assert p.overdue() is None  # not yet
    clock.now += pacing.FIRST_ANSWER + 0.1
    assert p.overdue() == frame(2)  # drawn after all
    p.drawn()
    assert not p.hold(frame(3)) and not p.hold(frame(4))  # frames go as they come
    assert written == [PROBE]  # and the terminal is not asked again and again


def test_pacing_starts_with_the_first_answer_however_late():
    """On a slow link the start-up frame alone may take seconds to arrive."""
    p, written, clock = pacer()
    p.drawn()
    clock.now += 7
    assert not p.hold(frame(2))
    p.drawn()
    assert p.answered() is None and p.answers == 1
    p.drawn()
    assert p.hold(frame(3)) and written == [PROBE, PROBE]


def test_a_slow_link_is_waited_for_longer_once_it_has_answered():
    p, written, clock = pacer()
    p.drawn()
    p.answered()
    p.drawn()
    assert p.hold(frame(2))
    clock.now += pacing.FIRST_ANSWER + 1  # a big frame on a slow link: still waiting
    assert p.overdue() is None and p.hold(frame(3))
    clock.now += pacing.GIVE_UP
    assert p.overdue() == frame(3)  # drawn; the next frame probes again
    p.drawn()
    assert written == [PROBE, PROBE, PROBE]


def test_pacing_is_off_without_a_real_terminal(lessons_dir):
    """Under run_test (headless) there is no terminal to ask: frames are drawn as they come."""
    lesson = load_lesson_cached(find_lesson("lesson03", lessons_dir))
    app = make_app(lesson)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space")
            assert app._pacer is None

    asyncio.run(go())

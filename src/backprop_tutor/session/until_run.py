"""`u`: step until something happens, a few updates a frame, so the screen keeps up and any key stops it.

The first stretch runs at once (a run that diverges in three updates stops before the key is
let go); a longer one goes on in the session's tick, `PER_TICK` updates a frame, until it stops
at a new status (of its run, or of a run pinned beside it), an overshoot, E below the page's
`until_loss`, the end of the recorded run, or `until.STEP_CAP` updates with nothing to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..until import STEP_CAP, Stop, Until, stop_at
from ..words import Words
from .pins import ENGLISH, MARKERS, Pins
from .run import Run

if TYPE_CHECKING:
    from .session import Session

PER_TICK = 25
"""Updates per frame while `u` runs: quick, and never long enough to freeze the screen."""


@dataclass
class UntilRun:
    """One `u` under way on one run."""

    run: Run
    until: Until
    pins: Pins | None = None
    """Runs pinned beside it: a new status of one of them stops `u` too."""
    words: Words = ENGLISH
    """The language its messages are in (the page's)."""
    taken: int = 0
    message: str = ""
    """What the student reads: where it is while running, why it stopped once done."""
    done: bool = False

    @classmethod
    def start(cls, run: Run, pins: Pins | None = None, words: Words = ENGLISH) -> UntilRun:
        """A `u` from where `run` stands, watching for anything its page cares about."""
        runner = cls(run, Until.anything(below=run.experiment.until_loss), pins, words)
        runner.advance()
        return runner

    def advance(self, updates: int = PER_TICK) -> None:
        """Up to `updates` more updates, stopping at the first thing worth stopping at."""
        run, say = self.run, self.words
        for _ in range(updates):
            run.finish_step()
            if not run.forward():
                if run.trace.stopped:
                    self._finish(say("until.overflowed"))
                else:
                    self._finish(say("until.last") if self.taken else say("until.last_restart"))
                return
            self.taken += 1
            stop = stop_at(run.trace, run.step, self.until)
            if stop is not None:
                self._finish(self._said(stop))
                return
            pinned = self._pinned_stop()
            if pinned:
                self._finish(pinned)
                return
            if self.taken >= STEP_CAP:
                self._finish(say("until.cap", cap=STEP_CAP))
                return
        self.message = say("until.running", step=run.step)

    def _said(self, stop: Stop) -> str:
        """Why `stop` stopped, in the page's language (`until.py` says it in English)."""
        return self.words(f"until.{stop.reason}", **stop.values)

    def _pinned_stop(self) -> str | None:
        """A pinned run's new status at this step, in words (`run 3 diverged`), if one has one."""
        if not self.pins:
            return None
        step = self.run.step
        for marker, pinned in zip(MARKERS, self.pins.follow(step)):
            if pinned.step == step:
                stop = stop_at(pinned.trace, step, Until(status_change=True))
                if stop is not None:
                    return self.words("until.pinned", marker=marker, why=self._said(stop))
        return None

    def interrupt(self) -> None:
        """A key was pressed: stop where the run is."""
        self._finish(self.words("until.key"), interrupted=True)

    def _finish(self, why: str, interrupted: bool = False) -> None:
        self.done = True
        self.run.finish_step()  # a graph page shows the whole state it stopped at
        step = self.run.step
        self.message = self.words("until.interrupted" if interrupted else "until.stopped", step=step, why=why)


def start(session: Session) -> None:
    """`u` on the page: step until something happens (the first stretch now, the rest in `go_on`)."""
    run = session.run
    if run is None:
        session.message = session.words("no_run")
        return
    session.playing = False
    session.until = UntilRun.start(run, session.page_pins, session.words)
    _told(session)


def go_on(session: Session) -> None:
    """The next stretch of the `u` under way (the session's tick)."""
    if session.until is not None:
        session.until.advance()
        _told(session)


def interrupt(session: Session, key: str) -> bool:
    """A key while `u` runs stops it; True when that is all the key does (`u` itself)."""
    if session.until is None:
        return False
    session.until.interrupt()
    _told(session)
    return key == "u"


def _told(session: Session) -> None:
    """The message line says where `u` is or why it stopped; a finished one is let go."""
    runner = session.until
    if runner is not None:
        session.message = runner.message
        if runner.done:
            session.until = None

"""`u`: step until something happens, a few updates a frame, so the screen keeps up and any key stops it.

The first stretch runs at once (a run that diverges in three updates stops before the key is
let go); a longer one goes on in the session's tick, `PER_TICK` updates a frame, until it stops
at a new status (of its run, or of a run pinned beside it), an overshoot, E below the page's
`until_loss`, the end of the recorded run, or `until.STEP_CAP` updates with nothing to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..until import STEP_CAP, Until, stop_at
from .pins import MARKERS, Pins
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
    taken: int = 0
    message: str = ""
    """What the student reads: where it is while running, why it stopped once done."""
    done: bool = False

    @classmethod
    def start(cls, run: Run, pins: Pins | None = None) -> UntilRun:
        """A `u` from where `run` stands, watching for anything its page cares about."""
        runner = cls(run, Until.anything(below=run.experiment.until_loss), pins)
        runner.advance()
        return runner

    def advance(self, updates: int = PER_TICK) -> None:
        """Up to `updates` more updates, stopping at the first thing worth stopping at."""
        run = self.run
        for _ in range(updates):
            run.finish_step()
            if not run.forward():
                if run.trace.stopped:
                    self._finish("the numbers overflowed, so the run stops here")
                else:
                    self._finish("that is the last recorded step" if self.taken else "that is the last recorded step: r starts again")
                return
            self.taken += 1
            stop = stop_at(run.trace, run.step, self.until)
            if stop is not None:
                self._finish(stop.words)
                return
            pinned = self._pinned_stop()
            if pinned:
                self._finish(pinned)
                return
            if self.taken >= STEP_CAP:
                self._finish(f"{STEP_CAP} updates and nothing happened (u goes on from here)")
                return
        self.message = f"Running until something happens: step {run.step} (any key stops)."

    def _pinned_stop(self) -> str | None:
        """A pinned run's new status at this step, in words (`run 3 diverged`), if one has one."""
        if not self.pins:
            return None
        step = self.run.step
        for marker, pinned in zip(MARKERS, self.pins.follow(step)):
            if pinned.step == step:
                stop = stop_at(pinned.trace, step, Until(status_change=True))
                if stop is not None:
                    return f"run {marker} {stop.words}"
        return None

    def interrupt(self) -> None:
        """A key was pressed: stop where the run is."""
        self._finish("a key was pressed", interrupted=True)

    def _finish(self, why: str, interrupted: bool = False) -> None:
        self.done = True
        self.run.finish_step()  # a graph page shows the whole state it stopped at
        step = self.run.step
        self.message = f"Stopped at step {step} ({why})." if interrupted else f"Stopped at step {step}: {why}."


def start(session: Session) -> None:
    """`u` on the page: step until something happens (the first stretch now, the rest in `go_on`)."""
    run = session.run
    if run is None:
        session.message = "This page has no run to step: press n for the next page."
        return
    session.playing = False
    session.until = UntilRun.start(run, session.page_pins)
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

"""What the tutor itself says: status words and the answer box's placeholder."""

from __future__ import annotations

STATUS_WORDS = {
    "running": "",
    "converged": "Converged: w has settled at the bottom of E.",
    "oscillating": "Oscillating: w bounces and never settles. Press [ for a smaller α.",
    "diverged": "Diverged: E grows without bound. Press [ to halve α.",
    "stalled": "Stalled: each update is too small to change w, though the slope is not 0. Press ] for a larger α.",
}
STOPPED_WORDS = "Diverged: the numbers overflowed, so the run stops here. Press [ for a smaller α."
ANSWER_PLACEHOLDER = "answer: a or a digit, then Enter"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th…"""
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")

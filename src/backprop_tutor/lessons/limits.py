"""The lesson format's limits, as plain numbers: importing them costs nothing (no pydantic)."""

MAX_FILE_BYTES = 1_000_000
"""A lesson file larger than this is refused unread."""
MAX_STEPS = 100_000
"""The most updates one experiment may ask for."""
MAX_INPUTS = 8
"""The most inputs a neuron may have."""
MAX_POINTS = 10_000
"""The most data rows a lesson may write inline."""
ABSURD = 1e12
"""Start values, data and α beyond this in size are refused as typing mistakes."""
MAX_PAGES = 200
"""The most pages one lesson may have."""
MAX_ROW_UPDATES = 100_000_000
"""Steps × data rows of one experiment: recording its whole run takes seconds, not minutes."""
MAX_LESSON_ROW_UPDATES = 100_000_000
"""Steps × data rows summed over every experiment of a lesson: `tutor check` replays them all."""

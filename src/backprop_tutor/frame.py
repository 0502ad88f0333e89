"""One frame: an immutable description of the whole screen after one key press.

The session builds a `Frame` from what the student is doing; the view only draws it. Every
number in a frame is already text (formatted once, by `number_format.format_number`), every rule
of the lesson already applied (what a graph page may reveal yet, which keys apply), so two panels
can never disagree about one quantity. Parts are plain values compared by equality: the view
redraws a panel only when its part differs from the last frame's.
"""

from __future__ import annotations

from dataclasses import dataclass

Floats = tuple[float, ...]


@dataclass(frozen=True)
class Header:
    """The top line: where in the course the student is."""

    lesson_id: str
    page: int
    """1-based."""
    pages: int
    page_title: str
    lesson_title: str
    separator: str


@dataclass(frozen=True)
class TableRow:
    """One recorded step of the state table, every cell already text."""

    cells: tuple[str, ...]
    status: str
    current: bool


@dataclass(frozen=True)
class StateTable:
    """The last few steps: the header, then a row per step (the current one marked)."""

    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    slope_columns: int
    """How many of the columns (at the end) are slopes: the first to go when space is short."""
    runs: bool = False
    """Rows are runs at one step (the page's own, marked current, then each pinned run), not steps."""
    widest: tuple[int, ...] = ()
    """The widest cell (in terminal cells) of each column and the status over the whole run, not
    only the rows shown: whether the table turns, and its column widths, hold for every step."""


@dataclass(frozen=True)
class PinnedLine:
    """A pinned run on the data plot: its marker and its line h = w·x + b (or h per datum)."""

    marker: str
    w: float
    b: float
    hs: Floats = ()


@dataclass(frozen=True)
class PinnedPath:
    """A pinned run on the error plot: its marker, the points it visited up to now (the last is
    now), and its own curve when its E is another function (another loss)."""

    marker: str
    xs: Floats
    ys: Floats
    curve_xs: Floats = ()
    curve_ys: Floats = ()


@dataclass(frozen=True)
class DataPlot:
    """The data and the hypothesis: points (x, y) and the line h = w·x + b (one input), or y and
    h per datum (several inputs)."""

    xs: Floats
    ys: Floats
    hs: Floats
    """h per datum (several inputs), empty for one input."""
    w: float
    b: float
    one_input: bool
    title: str
    pins: tuple[PinnedLine, ...] = ()
    legend: tuple[str, ...] = ()
    """Marker and name of each run drawn (`@ α=0.5`, `1 α=0.1`), under the plot."""


@dataclass(frozen=True)
class CurvePlot:
    """The error curve E(w), the path walked, the current point `@` with its tangent, and the
    future a fork replaced (`x`)."""

    ws: Floats
    Es: Floats
    w: float
    E: float
    slope: float
    path: Floats
    old_future: Floats
    reveal: str
    """"curve" (a graph page before its forward pass), "point" (E known) or "slope" (all)."""
    title: str
    finite: bool
    pins: tuple[PinnedPath, ...] = ()
    legend: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurfacePlot:
    """E over two parameters, `E[i][j]` at (`first[j]`, `second[i]`), and the path to now."""

    first: Floats
    second: Floats
    E: tuple[Floats, ...]
    path: tuple[tuple[float, float], ...]
    names: tuple[str, str]
    title: str
    finite: bool
    pins: tuple[PinnedPath, ...] = ()
    legend: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraphNode:
    """One node of the computation graph as the walk shows it so far."""

    name: str
    kind: str
    """"param", "data" or "gate"."""
    symbol: str
    """The gate's symbol (`×`, `+`, `−`, `²`), empty for inputs."""
    parents: tuple[str, ...]
    value: str | None
    """The value on its wire, once the forward pass made it (inputs always)."""
    grad: str | None
    """∂E/∂node, once back-propagation reached it."""


@dataclass(frozen=True)
class GraphPart:
    """The graph panel: where the walk is, the diagram (or the composite gate), the chain rule
    written out so far, the local gradients named, and the three slopes once backprop is done."""

    where: str
    nodes: tuple[GraphNode, ...]
    active: str | None
    composite: tuple[tuple[str, ...], ...]
    """The composite gate, when the student folded the gates (`c`): lines, each a run of items
    the view may wrap between (never inside one); empty otherwise."""
    chain: str
    local: tuple[str, ...]
    """Each local gradient reached so far, `∂h/∂w = x = 1`: the view wraps between them."""
    slopes: tuple[str, ...]
    """Once backprop is done: `slope:`, `backprop 4`, `= derivative 4`, `≈ numerical 4.00001` (the view
    joins them by spaces, wrapping between them)."""
    widest: tuple[GraphNode, ...] = ()
    """Every node as the end of this step's walk shows it (each value and ∂E/∂node): the view
    draws the diagram only if that fits, so the layout never changes during a step's walk."""


@dataclass(frozen=True)
class QuestionPart:
    """The page's question, its choices numbered, and whether it is answered."""

    label: str
    prompt: str
    choices: tuple[str, ...]
    answered: bool


@dataclass(frozen=True)
class AnswerBox:
    """What the student is typing; `active` while keys go into the box."""

    text: str
    active: bool
    placeholder: str


@dataclass(frozen=True)
class ViewLabels:
    """Words the view writes around the frame's parts, in the session's language."""

    help_title: str = "Keys  (esc, q or ? closes this)"
    status_column: str = "status"
    """The state table's last column."""
    data: str = "data:"
    """Before the data's values in the table of gates."""


@dataclass(frozen=True)
class Frame:
    """The whole screen after one key press."""

    header: Header
    text: str
    """The page's Markdown with the live numbers filled in."""
    status: str
    """The run's status in words (empty while it simply runs)."""
    message: str
    """One line about the last thing that happened (empty for none)."""
    keys: tuple[str, ...]
    """The footer: the keys that apply on this page, most useful first."""
    table: StateTable | None = None
    data_plot: DataPlot | None = None
    error_plot: CurvePlot | SurfacePlot | None = None
    graph: GraphPart | None = None
    question: QuestionPart | None = None
    answer: AnswerBox | None = None
    big_graph: bool = False
    """The graph takes the whole right column (several inputs and a bias, on a small screen):
    the error plot is left out of the frame."""
    help: tuple[tuple[str, str], ...] = ()
    """Every key and what it does, while the help is open."""
    playing: bool = False
    running_until: bool = False
    """`u` is under way: the view ticks quickly until it stops."""
    new_page: bool = False
    """The page changed with this key: the text scrolls back to its top."""
    scroll: int = 0
    """Lines to scroll the text (or a graph too big for the screen) by, for this key only."""
    redraw: bool = False
    """Draw every cell again, for this key only: another program (a `wall` message) wrote on the
    terminal, and the view repaints only what it changed itself."""
    quit: bool = False
    ascii_only: bool = False
    labels: ViewLabels = ViewLabels()

"""The computation graph drawn left to right like the slides, as plain text.

The spine runs from the first weight to E; each gate takes its other input from below:

    w=3 ─(×)─ h=3 ─(−)─ e=2 ─(²)─ E=4
          │         │
        x=1┘      y=1┘
    ∂E/∂w=4 ∂E/∂h=4     ∂E/∂e=4     ∂E/∂E=1
            ∂E/∂x=12    ∂E/∂y=-4

The frame's `GraphPart` says what the walk has revealed (values on the wires once the forward
pass reached them, each ∂E/∂node once back-propagation did); this module only lays it out in
bands that fit the panel, returning a rich `Text` tested on its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Group
from rich.text import Text

from ..frame import GraphNode, GraphPart


def graph_panel(part: GraphPart, width: int, ascii_only: bool = False, layout: str = "auto", data: str = "data:") -> Group:
    """The whole panel: where the walk is, the diagram or composite gate, the rules, the slopes.

    Every line fits `width`: the slide-like diagram when it fits on one band, else the gates
    one per row (`layout` forces one: "diagram" or "table"); formulas wrap between items, never
    inside one.
    """
    label, colon, rest = part.where.partition(": ")
    # The update just made (`updated: w = …; b = …`, in any language): a label, then one item per parameter.
    updates = colon and all(" = " in item for item in rest.split("; "))
    where = (f"{label}:", *rest.split("; ")) if updates else (part.where,)
    parts: list[Text] = [Text("\n".join(wrap_items(where, width, "; ")), style="bold")]
    if part.composite:
        for number, items in enumerate(part.composite):
            parts.append(Text("\n".join(wrap_items(items, width, ", " if number == 0 else " ")), no_wrap=True))
    elif layout == "diagram" or (layout == "auto" and diagram_width(part) <= width):
        parts.append(graph_diagram(part, width, ascii_only))
    else:
        parts.append(gate_table(part, width, ascii_only, data))
    if part.chain:
        chain = tuple(part.chain.split(" = "))
        parts.append(Text("\n".join(wrap_items(chain, width, " = ")), style="italic", no_wrap=True))
    if part.local:
        parts.append(Text("\n".join(wrap_items(part.local, width, ", ")), style="dim", no_wrap=True))
    if part.slopes:
        parts.append(Text("\n".join(wrap_items(part.slopes, width, " "))))
    return Group(*parts)


def active_line(panel: Group) -> int | None:
    """The line of `panel` that shows the active node (bold, reversed), if any."""
    line = 0
    for text in panel.renderables:
        assert isinstance(text, Text)
        for span in text.spans:
            if span.style == "bold reverse":
                return line + text.plain.count("\n", 0, span.start)
        line += text.plain.count("\n") + 1
    return None


def wrap_items(items: tuple[str, ...], width: int, sep: str, indent: str = "  ") -> list[str]:
    """`items` joined by `sep` into lines of at most `width`, broken only between items.

    A first item ending in `:` is a label, followed by a space rather than `sep`. An item too
    long for any line is cut with `…` (the panel is then narrower than any formula).
    """
    more = "…" if any(not item.isascii() for item in items) else "..."
    pieces: list[str] = []
    for item in items:
        if cell_len(item) > width and " " in item:  # too long for any line: broken between its words
            words = item.split(" ")
            pieces += [words[0], *(f"{SPLIT}{w}" for w in words[1:])]
        else:
            pieces.append(item)
    lines: list[str] = []
    line = ""
    label = bool(items) and items[0].endswith(":")
    for index, item in enumerate(pieces):
        if item.startswith(SPLIT):  # a word of an item cut in two: joined by a space
            item, joint = item[len(SPLIT):], " "
        else:
            joint = " " if index == 1 and label else sep
        candidate = item if not line else line + joint + item
        # A line that goes on ends in the separator (`;`, `,`): that needs its column too.
        trail = cell_len(sep.rstrip()) if index + 1 < len(pieces) and not pieces[index + 1].startswith(SPLIT) else 0
        if not line or cell_len(candidate) + trail <= width:
            line = candidate
            continue
        lines.append(line + (joint.rstrip() if joint != " " else ""))
        line = indent + item
    if line:
        lines.append(line)
    return [text if cell_len(text) <= width else _cut(text, max(width - len(more), 1)) + more for text in lines]


def _cut(text: str, width: int) -> str:
    """`text` cut to at most `width` cells (a wide character is never halved)."""
    return set_cell_size(text, width).rstrip() if cell_len(text) > width else text


SPLIT = "\x00"
"""Marks a word that continues an item cut between its words (never shown)."""


def gate_table(part: GraphPart, width: int, ascii_only: bool = False, data_label: str = "data:") -> Text:
    """The graph as rows: the data on one wrapped line, then each gate in forward order and the
    parameters last (where back-propagation ends): what it computes, its value once made, and
    ∂E/∂node once back-propagation reached it."""
    d = "d" if ascii_only else "∂"
    data = tuple(
        f"{n.name}={n.value}" + (f" ({d}E/{d}{n.name}={n.grad})" if n.grad is not None else "")
        for n in part.nodes
        if n.kind == "data"
    )
    rows = []
    for node in [n for n in part.nodes if n.kind == "gate"] + [n for n in part.nodes if n.kind == "param"]:
        left = node.name if node.kind != "gate" else f"{node.name} = {formula(node)}"
        value = f"= {node.value}" if node.value is not None else ""
        grad = f"{d}E/{d}{node.name} = {node.grad}" if node.grad is not None else ""
        rows.append((node.name, left, value, grad))
    lefts = max(cell_len(r[1]) for r in rows)
    values = max(cell_len(r[2]) for r in rows)
    active = part.active
    if active in {n.name for n in part.nodes if n.kind == "data"}:  # no row: light its gate
        active = next(n.name for n in part.nodes if active in n.parents)
    text = Text("\n".join(wrap_items((data_label, *data), width, "  ")), no_wrap=True, overflow="ellipsis")
    for name, left, value, grad in rows:
        text.append("\n")
        padded = f"{_pad(left, lefts)} {_pad(value, values)}"
        line = padded.rstrip()
        if grad:
            fits = lefts + values + cell_len(grad) + 3 <= width
            line = f"{padded}  {grad}" if fits else f"{line}\n    {grad}"
        text.append(line, style="bold reverse" if name == active else "")
    return text


def _pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` cells."""
    return text + " " * max(width - cell_len(text), 0)


def formula(node: GraphNode) -> str:
    """What a gate computes, from its inputs' names: `w × x`, `h − y`, `e²`, `|e|`."""
    if len(node.parents) == 2:
        return f"{node.parents[0]} {node.symbol} {node.parents[1]}"
    (a,) = node.parents
    if node.symbol in ("²", "^2"):
        return f"{a}{node.symbol}"
    return f"|{a}|" if node.symbol == "|·|" else f"{node.symbol}({a})"


def diagram_width(part: GraphPart) -> int:
    """How wide the slide-like diagram of `part` is on one band."""
    return sum(block.width for block in _blocks(part, False))


def graph_diagram(part: GraphPart, width: int = 80, ascii_only: bool = False) -> Text:
    """The graph as the walk has revealed it, wrapped into bands that fit `width` columns."""
    return _join(_blocks(part, ascii_only), width, part.active)


def _blocks(part: GraphPart, ascii_only: bool) -> list[_Block]:
    """The diagram's pieces: the first weight, then a block per gate along the spine."""
    by_name = {node.name: node for node in part.nodes}
    dash, corner, pipe = ("-", "+", "|") if ascii_only else ("─", "┘", "│")
    d = "d" if ascii_only else "∂"

    def label(name: str) -> str:
        value = by_name[name].value
        return f"{name}={value}" if value is not None else name

    def grad(name: str) -> str:
        value = by_name[name].grad
        return f"{d}E/{d}{name}={value}" if value is not None else ""

    # The spine: from E back along each gate's first input.
    spine: list[str] = []
    node: GraphNode | None = by_name["E"]
    while node is not None:
        spine.append(node.name)
        node = by_name[node.parents[0]] if node.kind == "gate" else None
    spine.reverse()
    blocks = [_Block([label(spine[0]), "", "", grad(spine[0]), ""], spine[0])]
    for out in spine[1:]:
        gate_node = by_name[out]
        side = gate_node.parents[1] if len(gate_node.parents) > 1 else None
        gate = f"{dash}({gate_node.symbol}){dash} "
        top = gate + label(out)
        if side is None:
            blocks.append(_Block([top, "", "", grad(out), ""], out))
            continue
        side_label = label(side)
        side_node = by_name[side]
        if side_node.kind == "gate":  # a product w2·x2 feeding a plus gate
            a, b = side_node.parents
            side_label += f" ({label(a)}{side_node.symbol}{label(b)})"
        elbow = len(gate) // 2
        side_text = side_label + " " + dash * 2 + corner if len(side_label) + 3 <= elbow + 1 else side_label + corner
        shift = max(0, elbow - len(side_text) + 1)
        lines = [top, " " * elbow + pipe, " " * shift + side_text, grad(out), " " * shift + grad(side)]
        blocks.append(_Block(lines, out, side))
    return blocks


@dataclass
class _Block:
    lines: list[str]
    node: str
    side: str | None = None

    @property
    def width(self) -> int:
        return max(cell_len(line) for line in self.lines) + 1


def _join(blocks: list[_Block], width: int, active: str | None) -> Text:
    """Blocks side by side, wrapped into bands of at most `width` columns."""
    bands: list[list[_Block]] = [[]]
    used = 0
    for block in blocks:
        if bands[-1] and used + block.width > width:
            bands.append([])
            used = 0
        bands[-1].append(block)
        used += block.width
    text = Text(no_wrap=True, overflow="crop")
    for number, band in enumerate(bands):
        if number:
            text.append("\n")
        rows = 5 if any(block.lines[4].strip() for block in band) else 4
        for row in range(rows):
            if row:
                text.append("\n")
            for block in band:
                piece = _pad(block.lines[row], block.width)
                hot = active is not None and active in (block.node, block.side)
                text.append(piece, style="bold reverse" if hot and row in (0, 3, 4) and piece.strip() else "")
            text.rstrip()
    return text

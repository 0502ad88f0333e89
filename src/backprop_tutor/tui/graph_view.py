"""The computation graph drawn left to right like the slides, as plain text.

The spine runs from the first weight to E; each gate takes its other input from below:

    w=3 ──(×)── h=3 ──(−)── e=2 ──(²)── E=4
            │           │
         x=1┘        y=1┘
    ∂E/∂w=4 ∂E/∂h=4     ∂E/∂e=4     ∂E/∂E=1
            ∂E/∂x=12    ∂E/∂y=-4

The frame's `GraphPart` says what the walk has revealed (values on the wires once the forward
pass reached them, each ∂E/∂node once back-propagation did); this module only lays it out in
bands that fit the panel, returning a rich `Text` tested on its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text

from ..frame import GraphNode, GraphPart


def graph_panel(part: GraphPart, width: int, ascii_only: bool = False) -> Group:
    """The whole panel: where the walk is, the diagram or composite gate, the rules, the slopes."""
    parts: list[Text] = [Text(part.where, style="bold")]
    if part.composite:
        parts.append(Text("\n".join(part.composite), no_wrap=True, overflow="crop"))
    else:
        parts.append(graph_diagram(part, width, ascii_only))
    if part.chain:
        parts.append(Text(part.chain, style="italic"))
    if part.local:
        parts.append(Text(part.local, style="dim"))
    if part.slopes:
        parts.append(Text(part.slopes))
    return Group(*parts)


def graph_diagram(part: GraphPart, width: int = 80, ascii_only: bool = False) -> Text:
    """The graph as the walk has revealed it, wrapped into bands that fit `width` columns."""
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
        gate = f"{dash}{dash}({gate_node.symbol}){dash}{dash} "
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
    return _join(blocks, width, part.active)


@dataclass
class _Block:
    lines: list[str]
    node: str
    side: str | None = None

    @property
    def width(self) -> int:
        return max(len(line) for line in self.lines) + 1


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
                piece = block.lines[row].ljust(block.width)
                hot = active is not None and active in (block.node, block.side)
                text.append(piece, style="bold reverse" if hot and row in (0, 3, 4) and piece.strip() else "")
            text.rstrip()
    return text

"""The computation graph drawn left to right like the slides, as plain text.

The spine runs from the first weight to E; each gate takes its other input from below:

    w=3 ──(×)── h=3 ──(−)── e=2 ──(²)── E=4
            │           │
         x=1┘        y=1┘
    ∂E/∂w=4 ∂E/∂h=4     ∂E/∂e=4     ∂E/∂E=1
            ∂E/∂x=12    ∂E/∂y=-4

Values appear on the wires once the forward pass reaches them, and each ∂E/∂node under its wire
once back-propagation does (blank before, never 0). The drawing is plain code returning a rich
`Text`, tested on its text; the widget only places it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text

from ..engine import Graph, Pass
from ..lessons.templates import format_number

SYMBOLS = {"mul": "×", "add": "+", "sub": "−", "square": "²", "abs": "|·|"}
ASCII_SYMBOLS = {"mul": "*", "add": "+", "sub": "-", "square": "^2", "abs": "abs"}


@dataclass(frozen=True)
class Reveal:
    """What the walk has shown at this step: forward values and backward gradients so far."""

    values: dict[str, str]
    grads: dict[str, str]
    active: str | None

    @classmethod
    def of(cls, passed: Pass, revealed: int) -> Reveal:
        """After `revealed` events of `passed` (forward first, then backward)."""
        forward = passed.forward[: min(revealed, len(passed.forward))]
        backward = passed.backward[: max(0, revealed - len(passed.forward))]
        values = {ev.node: _short(ev.value) for ev in forward}
        grads = {ev.node: _short(ev.grad) for ev in backward}
        active = None
        if backward:
            active = backward[-1].node
        elif forward:
            active = forward[-1].node
        return cls(values, grads, active)


def _short(value: np.ndarray) -> str:
    """A node's value: a number, or for a few data rows the list of them, `[1,0,0,1]`."""
    array = np.asarray(value)
    if array.size == 1:
        return _number(float(array.reshape(())))
    if array.size <= 4:
        return "[" + ",".join(_number(float(v), 4) for v in array.ravel()) + "]"
    return f"[{array.size} values]"


def _number(value: float, most: int = 8) -> str:
    text = format_number(value)
    for digits in (3, 2, 1):
        if len(text) <= most:
            break
        text = f"{value:.{digits}g}"
    return text


def graph_diagram(graph: Graph, passed: Pass, revealed: int, width: int = 80, ascii_only: bool = False) -> Text:
    """The graph after `revealed` events, wrapped into bands that fit `width` columns."""
    reveal = Reveal.of(passed, revealed)
    leaves = {node.name: _short(passed.values[node.name]) for node in graph.nodes if not node.is_gate}
    d = "d" if ascii_only else "∂"
    symbols = ASCII_SYMBOLS if ascii_only else SYMBOLS
    dash, corner, pipe = ("-", "+", "|") if ascii_only else ("─", "┘", "│")

    def label(name: str) -> str:
        value = leaves.get(name) or reveal.values.get(name)
        return f"{name}={value}" if value is not None else name

    def grad(name: str) -> str:
        return f"{d}E/{d}{name}={reveal.grads[name]}" if name in reveal.grads else ""

    # The spine: from E back along each gate's first input.
    spine: list[str] = []
    name: str | None = "E"
    while name is not None:
        spine.append(name)
        node = graph.by_name[name]
        name = node.parents[0] if node.is_gate else None
    spine.reverse()
    blocks = [_Block([label(spine[0]), "", "", grad(spine[0]), ""], spine[0])]
    for out in spine[1:]:
        node = graph.by_name[out]
        side = node.parents[1] if len(node.parents) > 1 else None
        gate = f"{dash}{dash}({symbols[node.op]}){dash}{dash} "
        top = gate + label(out)
        if side is None:
            blocks.append(_Block([top, "", "", grad(out), ""], out))
            continue
        side_label = label(side)
        side_node = graph.by_name[side]
        if side_node.is_gate:  # a product w2·x2 feeding a plus gate
            a, b = side_node.parents
            side_label = f"{side}={reveal.values.get(side, '?')}" if side in reveal.values else side
            side_label += f" ({label(a)}{symbols['mul']}{label(b)})"
        elbow = len(gate) // 2
        side_text = side_label + " " + dash * 2 + corner if len(side_label) + 3 <= elbow + 1 else side_label + corner
        shift = max(0, elbow - len(side_text) + 1)
        side_grad = grad(side)
        lines = [top, " " * elbow + pipe, " " * shift + side_text, grad(out), " " * shift + side_grad]
        blocks.append(_Block(lines, out, side))
    return _join(blocks, width, reveal.active)


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


def local_gradients(graph: Graph, passed: Pass, revealed: int, ascii_only: bool = False) -> list[str]:
    """Each local gradient as the slides name it (`∂h/∂w = x = 1`), once back-propagation reached it."""
    d = "d" if ascii_only else "∂"
    backward = passed.backward[: max(0, revealed - len(passed.forward))]
    lines = []
    for ev in backward:
        if ev.consumer is None:
            continue
        value = _short(ev.local)
        text = f"{d}{ev.consumer}/{d}{ev.node} = {ev.local_formula}"
        if value != ev.local_formula:
            text += f" = {value}"
        lines.append(text)
    return lines


def merged_diagram(graph: Graph, passed: Pass, revealed: int, ascii_only: bool = False) -> Text:
    """The composite gate of the slides: h and e folded into one gate E = (w·x − y)², whose
    local gradient for each parameter is the whole chain at once."""
    d = "d" if ascii_only else "∂"
    reveal = Reveal.of(passed, revealed)
    params = [n.name for n in graph.nodes if n.op == "param"]
    data = [n.name for n in graph.nodes if n.op == "data"]
    formula = graph.neuron.formula.removeprefix("h = ")
    square = "^2" if ascii_only else "²"
    if graph.loss.name == "l1":
        gate = f"|{formula} - y|"
    else:
        gate = f"({formula} - y){square}"
    if ascii_only:
        gate = gate.replace("·", "*")
    inputs = ", ".join(f"{n}={_short(passed.values[n])}" for n in params + data)
    out = f"E={reveal.values['E']}" if "E" in reveal.values else "E"
    text = Text(no_wrap=True)
    text.append(f"{inputs}\n")
    text.append(f"  ──[ {gate} ]── {out}\n" if not ascii_only else f"  --[ {gate} ]-- {out}\n", style="bold")
    outer = "2e" if graph.loss.name == "l2" else "sign(e)"
    inputs_of = dict(zip(graph.neuron.weight_names, graph.neuron.input_names))
    mean = "" if np.size(passed.values["e"]) == 1 else "mean of "
    for p in params:
        if p in reveal.grads:
            merged = f"{outer}·{inputs_of[p]}" if p in inputs_of else outer
            text.append(f"  {d}E/{d}{p} = {mean}{merged} = {reveal.grads[p]}\n")
    text.rstrip()
    return text


def chain_rule_line(graph: Graph, passed: Pass, revealed: int, ascii_only: bool = False) -> str:
    """The chain-rule product written out so far, e.g. `∂E/∂w = x · 1 · 2e = 1 · 1 · 4 = 4`."""
    forward_count = len(passed.forward)
    backward = passed.backward[: max(0, revealed - forward_count)]
    if len(backward) < 2:
        return ""
    last = backward[-1]
    chain = []
    node: str | None = last.node
    by_node = {ev.node: ev for ev in backward}
    while node is not None and node in by_node and by_node[node].consumer is not None:
        chain.append(by_node[node])
        node = by_node[node].consumer
    if not chain:
        return ""
    d = "d" if ascii_only else "∂"
    formulas = " · ".join(ev.local_formula for ev in chain)
    if np.size(passed.values["e"]) == 1:
        numbers = " · ".join(_short(ev.local) for ev in chain)
        text = f"{d}E/{d}{last.node} = {formulas} = {numbers} = {_short(last.grad)}"
    elif graph.by_name[last.node].op == "param":  # a parameter sums the rule over the data
        text = f"{d}E/{d}{last.node} = Σᵢ {formulas} = {_short(last.grad)}"
    else:  # one value per datum
        text = f"{d}E/{d}{last.node} = {formulas} = {_short(last.grad)}"
    return text.replace("−", "-") if ascii_only else text

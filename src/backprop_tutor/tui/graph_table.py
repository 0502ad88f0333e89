"""The computation graph as a table a student steps through: each node, its gate, its forward
value, and on the way back its local gradient and ∂E/∂node.

Plain code returning a rich `Table`, so its text can be tested without an app. Values appear only
once the walk has reached them: a gradient is blank, not 0, before back-propagation gets there.
"""

from __future__ import annotations

import numpy as np
from rich.table import Table
from rich.text import Text

from ..engine import Graph, Pass
from ..lessons.templates import format_number

GATE_TEXT = {"mul": "{0} × {1}", "add": "{0} + {1}", "sub": "{0} − {1}", "square": "{0}²", "abs": "|{0}|"}


def _value(value: np.ndarray) -> str:
    array = np.asarray(value)
    if array.size == 1:
        return format_number(float(array.reshape(())))
    shown = ", ".join(format_number(float(v)) for v in array.ravel()[:3])
    return f"[{shown}{', …' if array.size > 3 else ''}]"


def graph_table(graph: Graph, passed: Pass, revealed: int, ascii_only: bool = False) -> Table:
    """The graph after `revealed` events of `passed` (forward events first, then backward).

    Args:
        graph: the computation graph (for node order and gates).
        passed: the pass at the current parameters.
        revealed: how many events the student has stepped through at this step.
        ascii_only: write `d` for ∂ and `x`/`-` for the gate symbols.
    """
    forward_count = len(passed.forward)
    shown_forward = {ev.node for ev in passed.forward[: min(revealed, forward_count)]}
    backward = passed.backward[: max(0, revealed - forward_count)]
    grads = {ev.node: ev for ev in backward}
    active = None
    if 0 < revealed <= forward_count:
        active = passed.forward[revealed - 1].node
    elif revealed > forward_count and backward:
        active = backward[-1].node
    d = "d" if ascii_only else "∂"
    table = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False, expand=False, header_style="bold")
    table.add_column("node", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("local grad.", no_wrap=True)
    table.add_column(f"{d}E/{d}·", justify="right", no_wrap=True)
    for node in graph.nodes:
        label = node.name
        if node.is_gate:
            label += " = " + GATE_TEXT[node.op].format(*node.parents).replace(" ", "")
            if ascii_only:
                label = label.replace("×", "*").replace("−", "-").replace("²", "^2")
        known = not node.is_gate or node.name in shown_forward
        value = _value(passed.values[node.name]) if known else ""
        event = grads.get(node.name)
        local = grad = ""
        if event is not None:
            grad = _value(event.grad)
            if event.consumer is not None:
                formula = event.local_formula.replace("−", "-") if ascii_only else event.local_formula
                local = f"{d}{event.consumer}/{d}{node.name}={formula}"
                if formula != _value(event.local):
                    local += f"={_value(event.local)}"
        style = "reverse" if node.name == active else ""
        table.add_row(Text(label, style="bold" if node.is_gate else ""), value, local, grad, style=style)
    return table


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
        numbers = " · ".join(_value(ev.local) for ev in chain)
        text = f"{d}E/{d}{last.node} = {formulas} = {numbers} = {_value(last.grad)}"
    else:  # over several data the product is summed: write the rule, then the total
        text = f"{d}E/{d}{last.node} = Σ {formulas} = {_value(last.grad)}"
    return text.replace("−", "-") if ascii_only else text

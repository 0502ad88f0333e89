"""The error computation graph of the lecture, with forward and back propagation as events.

For E = (w·x − y)² the graph is three gates (×, −, ²) and five local gradients:
∂h/∂w = x, ∂h/∂x = w, ∂e/∂h = 1, ∂e/∂y = −1, ∂E/∂e = 2e. A bias adds one plus gate and each
extra input one multiply and one plus gate.

Like micrograd, a gate is a node holding its value and how to get its local gradients; unlike
micrograd nothing is accumulated in place: every pass is a new, immutable record of events, so a
gradient can never be seen before back-propagation reached it, nor add up across two passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .losses import Loss
from .neuron import Neuron

Op = Literal["param", "data", "mul", "add", "sub", "square", "abs"]

OP_SYMBOLS: dict[str, str] = {"mul": "×", "add": "+", "sub": "−", "square": "²", "abs": "|·|"}


@dataclass(frozen=True)
class Node:
    """One node of the graph: an input (`param`, `data`) or the output of a gate."""

    name: str
    op: Op
    parents: tuple[str, ...] = ()

    @property
    def is_gate(self) -> bool:
        """True for the output of a gate, False for an input."""
        return self.op not in ("param", "data")


@dataclass(frozen=True)
class ForwardEvent:
    """A gate computed its output: `node = op(inputs) = value`."""

    node: str
    op: str
    inputs: tuple[str, ...]
    value: np.ndarray


@dataclass(frozen=True)
class BackwardEvent:
    """Back-propagation reached `node`.

    `local` is ∂consumer/∂node (the gate's local gradient, written `local_formula`), and `grad`
    is ∂E/∂node = local · ∂E/∂consumer (summed over the data for a parameter). The seed event
    for E itself has no consumer and grad 1.
    """

    node: str
    consumer: str | None
    local: np.ndarray
    local_formula: str
    grad: np.ndarray


@dataclass(frozen=True)
class Pass:
    """One forward pass and the back-propagation after it, at fixed parameters."""

    values: dict[str, np.ndarray]
    forward: tuple[ForwardEvent, ...]
    backward: tuple[BackwardEvent, ...]

    @property
    def loss(self) -> np.ndarray:
        """E at the end of the forward pass."""
        return self.values["E"]

    def gradient(self, names: tuple[str, ...]) -> np.ndarray:
        """∂E/∂p for each parameter name, as back-propagation found it."""
        grads = {ev.node: ev.grad for ev in self.backward}
        return np.array([grads[n] for n in names])


class Graph:
    """The computation graph E = loss(neuron(x) − y) for one neuron and one loss."""

    def __init__(self, neuron: Neuron, loss: Loss) -> None:
        self.neuron = neuron
        self.loss = loss
        self.nodes: list[Node] = []
        ws, xs = neuron.weight_names, neuron.input_names
        n = neuron.inputs
        for w, x in zip(ws, xs):
            self.nodes += [Node(w, "param"), Node(x, "data")]
        if n == 1:
            last = "h" if not neuron.bias else "wx"
            self.nodes.append(Node(last, "mul", (ws[0], xs[0])))
        else:
            last = ""
            for i, (w, x) in enumerate(zip(ws, xs), start=1):
                product = f"w{i}x{i}"
                self.nodes.append(Node(product, "mul", (w, x)))
                if i == 1:
                    last = product
                    continue
                total = "h" if (i == n and not neuron.bias) else f"s{i}"
                self.nodes.append(Node(total, "add", (last, product)))
                last = total
        if neuron.bias:
            self.nodes += [Node("b", "param"), Node("h", "add", (last, "b"))]
        self.nodes += [
            Node("y", "data"),
            Node("e", "sub", ("h", "y")),
            Node("E", "abs" if loss.name == "l1" else "square", ("e",)),
        ]
        self.by_name = {node.name: node for node in self.nodes}
        self.consumer: dict[str, str] = {}
        for node in self.nodes:
            for parent in node.parents:
                self.consumer[parent] = node.name

    @property
    def gates(self) -> list[Node]:
        """The gates in forward order."""
        return [node for node in self.nodes if node.is_gate]

    def run(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> Pass:
        """Forward-propagate at `params` over data (`X`, `y`), then back-propagate."""
        dtype = X.dtype.type
        values: dict[str, np.ndarray] = {}
        for i, name in enumerate(self.neuron.param_names):
            values[name] = dtype(params[i])
        for j, name in enumerate(self.neuron.input_names):
            values[name] = X[:, j]
        values["y"] = y
        forward = []
        with np.errstate(all="ignore"):
            for node in self.gates:
                args = [values[p] for p in node.parents]
                values[node.name] = self._apply(node.op, args)
                forward.append(ForwardEvent(node.name, node.op, node.parents, values[node.name]))
            backward = self._backward(values)
        return Pass(values, tuple(forward), backward)

    def _apply(self, op: str, args: list[np.ndarray]) -> np.ndarray:
        if op == "mul":
            return args[0] * args[1]
        if op == "add":
            return args[0] + args[1]
        if op == "sub":
            return args[0] - args[1]
        return self.loss.value(args[0])

    def _local(self, consumer: Node, parent: str, values: dict[str, np.ndarray]) -> tuple[np.ndarray, str]:
        """∂consumer/∂parent and how the slides write it."""
        one = values["e"].dtype.type(1)
        if consumer.op == "mul":
            other = consumer.parents[1] if consumer.parents[0] == parent else consumer.parents[0]
            return values[other], other
        if consumer.op == "add":
            return one, "1"
        if consumer.op == "sub":
            return (one, "1") if parent == consumer.parents[0] else (-one, "-1")
        m = values["e"].shape[0]
        formula = "2e" if consumer.op == "square" else "sign(e)"
        if m > 1:
            formula = formula.replace("e", "eᵢ") + f"/{m}"
        return self.loss.local_gradient(values["e"]), formula

    def _backward(self, values: dict[str, np.ndarray]) -> tuple[BackwardEvent, ...]:
        one = values["e"].dtype.type(1)
        grads: dict[str, np.ndarray] = {"E": one}
        events = [BackwardEvent("E", None, one, "1", one)]
        # Data first, parameters last: each gate's walk then ends on the parameter being learned,
        # and the whole walk ends on ∂E/∂w, where the slides end it.
        rank = {"data": 0, "param": 2}
        for consumer in reversed(self.gates):
            for parent in sorted(consumer.parents, key=lambda p: rank.get(self.by_name[p].op, 1)):
                local, formula = self._local(consumer, parent, values)
                grad = local * grads[consumer.name]
                if self.by_name[parent].op == "param":
                    grad = grad.sum() if np.ndim(grad) else grad
                grads[parent] = grad
                events.append(BackwardEvent(parent, consumer.name, local, formula, grad))
        return tuple(events)

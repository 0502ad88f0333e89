"""The numeric core: neuron, losses, computation graph, slopes and the gradient-descent trace.

Pure numpy and the standard library; nothing here knows about a screen.
"""

from .graph import GATES, BackwardEvent, ForwardEvent, Gate, Graph, Pass
from .losses import L1, L2, Loss, loss_named
from .neuron import Neuron
from .slopes import DELTA, GRID_CHUNK, METHODS, Fit, Problem
from .trace import STATUSES, State, Trace

__all__ = [
    "BackwardEvent",
    "DELTA",
    "Fit",
    "ForwardEvent",
    "GATES",
    "GRID_CHUNK",
    "Gate",
    "Graph",
    "L1",
    "L2",
    "Loss",
    "METHODS",
    "Neuron",
    "Pass",
    "Problem",
    "STATUSES",
    "State",
    "Trace",
    "loss_named",
]

"""Runs a page shows beside its own (`compare:`): each one the experiment with a few settings changed.

A variant names only what differs from the experiment (α, start values, the loss, the dtype);
everything else (data, neuron, steps) is the experiment's own, so the runs start from one place
and differ in exactly what the lesson wants compared.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .limits import MAX_COMPARED as MAX_COMPARED  # re-exported: the limit of `compare` lists


class Variant(BaseModel):
    """One run to show beside the experiment's: what it changes, nothing else."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    alpha: float | None = Field(None, gt=0, description="The learning rate α of this run.")
    init: dict[str, float] = Field(
        default_factory=dict, description="Start values that differ, e.g. {w: -2}; the others are the experiment's."
    )
    loss: Literal["l1", "l2"] | None = Field(None, description="l1 or l2, if it differs.")
    dtype: Literal["float64", "float32"] | None = Field(None, description="float64 or float32, if it differs.")

    def changes(self) -> dict[str, object]:
        """The experiment's fields this variant sets."""
        out: dict[str, object] = {}
        for name in ("alpha", "loss", "dtype"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.init:
            out["init"] = dict(self.init)
        return out


def compare_problems(variants: list[Variant], params: tuple[str, ...], graph: bool, alpha_limit: float) -> str | None:
    """What is wrong with an experiment's `compare` list (None if nothing), as `compare[i]…: why`."""
    if variants and graph:
        return "compare: runs are compared on the plots, and a graph page has none: drop `compare` or `graph`"
    for i, variant in enumerate(variants):
        if not variant.changes():
            return f"compare[{i}] changes nothing: give alpha, init, loss or dtype"
        unknown = sorted(set(variant.init) - set(params))
        if unknown:
            return f"compare[{i}] sets {', '.join(unknown)}, which this neuron does not have; its parameters are {', '.join(params)}"
        for name, value in [("alpha", variant.alpha or 0.0), *variant.init.items()]:
            if abs(value) > alpha_limit:
                return f"compare[{i}] {name} {value:g} is absurdly large (at most {alpha_limit:g} in size)"
    return None

"""backprop-tutor: a terminal step-through tutor for linear regression and back-propagation."""

__version__ = "0.1.0"

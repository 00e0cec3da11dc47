"""The live probe: settle what MEXC leaves undocumented by asking the exchange, with your own keys.

- :mod:`.experiments`: the fixed list of experiments, each a handful of requests built with the
  kit's signer that differ in one undocumented point, each linked to its rule in docs/protocol.md;
- :mod:`.run`: :func:`run_probe` sends them (read-only endpoints and test orders only), predicts
  each answer with the kit's own local exchange, and reports ``agree`` / ``disagree`` / ``inconclusive``.

``mexc-lab probe`` runs it from the command line.
"""

from .experiments import ALLOWED_ENDPOINTS, EXPERIMENTS, Experiment, Step, Target, experiment
from .run import ProbeReport, Result, run_probe

__all__ = [
    "ALLOWED_ENDPOINTS",
    "EXPERIMENTS",
    "Experiment",
    "ProbeReport",
    "Result",
    "Step",
    "Target",
    "experiment",
    "run_probe",
]

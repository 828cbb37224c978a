"""Figures and verdicts, pure: the score and its projections, the one assessment, evidence checks, the gate."""

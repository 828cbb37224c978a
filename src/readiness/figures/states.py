"""The milestone states and decisions, by name: the words every surface uses (no imports, so a
portfolio of exports can sort by them without loading the models). ``figures.assessment`` decides
which applies."""

from __future__ import annotations

REACHED = "reached"
ON_TRACK = "on track"
AT_RISK = "at risk"
BLOCKED = "blocked"
UNVERIFIABLE = "cannot be verified"
AWAITING_VERIFICATION = "awaiting verification"
AWAITING_SIGN_OFF = "awaiting sign-off"
OUT_OF_REACH = "out of reach"
MISSED = "missed"
UNKNOWN = "unknown"
NO_DATE = "no date"
# worst first: how a list of milestones (or of projects) is sorted by risk
STATES = (MISSED, BLOCKED, UNVERIFIABLE, OUT_OF_REACH, AT_RISK, AWAITING_VERIFICATION, AWAITING_SIGN_OFF,
          UNKNOWN, NO_DATE, ON_TRACK, REACHED)
GO = "go"
NO_GO = "no-go"

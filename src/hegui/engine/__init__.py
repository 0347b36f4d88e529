"""Deciding obligations: assess a manifest on a date, with reasons, deadlines and compliance."""

from hegui.engine.assess import Assessment, assess
from hegui.engine.finding import Finding

__all__ = ["Assessment", "Finding", "assess"]

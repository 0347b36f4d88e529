"""Renderers: the stable JSON contract and the human views of an assessment."""

from hegui.report.i18n import t

NOTICE = t("notice", "en")

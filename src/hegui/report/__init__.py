"""Renderers: the stable JSON contract and the human views of an assessment."""


def __getattr__(name: str):
    # NOTICE is read from the message files when first asked for, not at import.
    if name == "NOTICE":
        from hegui.report.i18n import t
        return t("notice", "en")
    raise AttributeError(name)

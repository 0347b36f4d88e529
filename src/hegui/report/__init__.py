"""Renderers: the stable JSON contract and the human views of an assessment."""

NOTICE = ("hegui is not legal advice: it encodes published rules and researched facts to help "
          "professionals check them, and can be wrong or out of date.")

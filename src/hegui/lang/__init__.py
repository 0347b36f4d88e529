"""The condition language: rule text parsed to a typed tree, never eval'ed.

Walks over one tree: type checking (`check`), three-valued evaluation (`evaluate`) and
SQL compute; the facts it reads (`dependencies`) and the like are filters over the generic
`Node.walk()`. Keeping one representation means the walks cannot disagree about what a rule means.
"""

from hegui.lang.syntax import (
    And, Applies, Compare, Expr, Fact, Known, Literal, Member, Name, Node, Not, Or, parse,
)
from hegui.lang.types import Type
from hegui.lang.check import check, LanguageError
from hegui.lang.evaluate import Context, compile_expr, residual, dependencies

__all__ = [
    "And", "Applies", "Compare", "Expr", "Fact", "Known", "Literal", "Member", "Name", "Node", "Not", "Or",
    "parse", "Type", "check", "LanguageError", "Context", "compile_expr", "residual", "dependencies",
]

"""The YAML loader for the files Paper Archive reads itself: ``taxonomy.yml``,
``tag-overrides.yml`` and ``mkdocs.yml``. No aliases, and a bounded depth.

PyYAML's own SafeLoader follows aliases: ``- &a [*a]`` is a list that holds itself, and
ten lines of aliases of aliases (the "billion laughs") are a tree of billions of nodes,
so that validating either never ended. Its composer also recurses once per level of
nesting, and ``[[[[...`` deep enough ended in a RecursionError. None of these files needs
an alias or more than a few levels, so both are errors at their line (``LimitError``).
"""

from __future__ import annotations

import yaml

ALIASES_REFUSED = "YAML aliases are not allowed here"
MAX_DEPTH = 50  # a taxonomy nests 3 levels, mkdocs.yml about 5


class LimitError(yaml.MarkedYAMLError):
    """Valid YAML that is refused here; its ``problem`` is the whole message."""


class Loader(yaml.SafeLoader):
    """SafeLoader without aliases and at most ``MAX_DEPTH`` levels deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise LimitError(
                problem=f"{ALIASES_REFUSED}: write out the value instead of *{event.anchor}",
                problem_mark=event.start_mark,  # type: ignore[arg-type]  # the stubs' two Marks are one
            )
        if self._depth >= MAX_DEPTH:
            raise LimitError(
                problem=f"the YAML is nested more than {MAX_DEPTH} levels deep: is this the right file?",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def problem(error: yaml.MarkedYAMLError) -> str:
    """The message for a YAML error: a ``LimitError``'s own, else what PyYAML found."""
    if isinstance(error, LimitError):
        return error.problem or ""
    return f"invalid YAML: {error.problem or error.context or 'unreadable'}"

"""The grammar (segments.lark) and its parser: text to a lark tree, or a positioned TextError.
No lark exception leaves this module."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from lark import (
    Lark,
    LarkError,
    Token,
    Tree,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
)
from lark.lexer import PatternStr

from ..errors import ConditionErrorCode
from .errors import ConditionTextError, TextError

GRAMMAR = Path(__file__).with_name("segments.lark")
MAX_TEXT = 200_000  # characters; a tree has at most 500 conditions
KEYWORDS = frozenset({
    "all", "any", "none", "not", "is", "undefined", "defined", "contains", "in", "between",
    "and", "last", "days", "day", "during", "from", "until", "true", "false", "where"})
DESCRIBED = {"NAME": "a name", "NUMBER": "a number", "STRING": 'a "quoted text"',
             "DATE": "a date (YYYY-MM-DD)", "_NL": "a new line", "$END": "the end of the text"}
OPENING, CLOSING = {"LPAR", "LSQB"}, {"RPAR", "RSQB"}


class Lines:
    """Post-lexer: a new line separates conditions, except inside (...) and [...]."""

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        for token in stream:
            if token.type == "_NL":
                if depth == 0:
                    yield token
                continue
            if token.type in OPENING:
                depth += 1
            elif token.type in CLOSING:
                depth = max(depth - 1, 0)
            yield token


@functools.cache
def parser() -> Lark:
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                postlex=Lines(), propagate_positions=True, maybe_placeholders=False)


def parse_syntax(text: str) -> Tree:
    """The lark tree of ``text``; ConditionTextError (code syntax) with line/column otherwise."""
    if not isinstance(text, str):
        raise _error(None, None, "expected text", ())
    if len(text) > MAX_TEXT:
        raise _error(1, 1, f"the text is longer than {MAX_TEXT} characters", (),
                     ConditionErrorCode.TOO_LARGE)
    try:
        return parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    except (LarkError, RecursionError):  # pragma: no cover  (LALR parsing does not recurse)
        raise _error(1, 1, "the text could not be read", ()) from None


def end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def _syntax_error(text: str, exc: UnexpectedInput) -> ConditionTextError:
    if isinstance(exc, UnexpectedCharacters):
        line, column = exc.line, exc.column
        found = f"character {text[exc.pos_in_stream or 0]!r}"
        expected = exc.allowed or set()
    elif isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        line, column = exc.token.line, exc.token.column
        found = f"{exc.token.value!r}"
        expected = getattr(exc, "accepts", None) or exc.expected or set()
    else:  # the end of the text (UnexpectedEOF, or UnexpectedToken $END)
        line, column = end_position(text)
        found = "end of the text"
        expected = getattr(exc, "expected", None) or set()
    shown = tuple(sorted({describe(name) for name in expected}))
    message = f"unexpected {found}"
    if shown:
        message += f", expected {_either(shown)}"
    return _error(line, column, message, shown)


def describe(terminal: str) -> str:
    """How the text shows a grammar terminal: '"is"', 'a number', ..."""
    if terminal in DESCRIBED:
        return DESCRIBED[terminal]
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:  # pragma: no cover
        return terminal
    return f'"{pattern.value}"' if isinstance(pattern, PatternStr) else terminal.lower()


def _either(options: tuple[str, ...]) -> str:
    return options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]


def _error(line: int | None, column: int | None, message: str, expected: tuple[str, ...],
           code: ConditionErrorCode = ConditionErrorCode.SYNTAX) -> ConditionTextError:
    return ConditionTextError([TextError("", message, code, line, column, tuple(expected))])

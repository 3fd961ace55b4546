"""A strict reader of iCalendar text (RFC 5545), enough to prove an exported file is valid: CRLF line ends,
lines of at most 75 octets folded by a leading space, components opened and closed in order, the required
properties of a calendar and of each event, and TEXT values unescaped. It fails loudly on anything else."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_NAME = re.compile(r"^[A-Z][A-Z0-9-]*$")
_UTC_TIME = re.compile(r"^\d{8}T\d{6}Z$")
TEXT_PROPERTIES = frozenset({"SUMMARY", "DESCRIPTION", "CATEGORIES", "X-WR-CALNAME"})
REQUIRED = {"VCALENDAR": {"VERSION", "PRODID"}, "VEVENT": {"UID", "DTSTAMP", "DTSTART"}}


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            following = value[i + 1]
            assert following in "\\;,nN", f"bad escape \\{following}"
            out.append("\n" if following in "nN" else following)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def utc(value: str) -> datetime:
    assert _UTC_TIME.match(value), value
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def parse_ics(data: bytes) -> list[dict[str, str]]:
    """The VEVENTs of a calendar, each a dict of its properties (TEXT unescaped); asserts validity."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "lines must end in CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode()) <= 75, f"line over 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert logical, "a continuation line first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[tuple[str, dict[str, str]]] = []
    events: list[dict[str, str]] = []
    calendar_seen = False
    for line in logical:
        name_part, sep, value = line.partition(":")
        assert sep, f"no colon: {line!r}"
        name = name_part.split(";")[0]
        assert _NAME.match(name), f"bad property name {name!r}"
        if name == "BEGIN":
            assert value in REQUIRED or value.startswith("V"), value
            assert stack or value == "VCALENDAR", "everything inside one VCALENDAR"
            stack.append((value, {}))
            continue
        if name == "END":
            component, props = stack.pop()
            assert component == value, f"END:{value} closes BEGIN:{component}"
            missing = REQUIRED.get(component, set()) - set(props)
            assert not missing, f"{component} lacks {missing}"
            if component == "VEVENT":
                events.append(props)
            if component == "VCALENDAR":
                calendar_seen = True
            continue
        assert stack, f"a property outside any component: {line!r}"
        props = stack[-1][1]
        assert name not in props or name.startswith("X-"), f"{name} twice"
        props[name] = _unescape(value) if name in TEXT_PROPERTIES else value
    assert not stack and calendar_seen, "the VCALENDAR is not closed"
    return events

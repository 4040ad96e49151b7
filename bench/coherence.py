"""Two web nodes, one truth: what one node writes, the other shows on the very next read.

Every kept rendering (``vpswg.groupcache``: the directory, the meetings list, what members see
of a meeting, the activity register, the report figures, the applications under review and the
minutes' versions) is read through node B, so that it is drawn and kept there, then changed
through node A by the form a person uses, then read through node B again, at once: the change
must show. Values kept in Redis are shared; values kept in a process (the minutes' versions)
are retired by their token in Redis; a node that served a stale page would fail here.

Used by the suite's two-node test (``tests/multinode``) and the benchmark's two-node run
(``bench.cluster``): both give the two nodes' addresses and the ``World`` their data holds.
Plain HTTP through ``requests``, with the headers the TLS-terminating proxy sends.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import requests

#: What the proxy in front of the nodes sends (docker-compose.yml): the nodes run with the
#: production settings, which redirect plain HTTP and check the Origin of every POST.
PROXY_HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
ORIGIN = "https://127.0.0.1"


@dataclass
class World:
    """The data the checks act on: a group, signed-in sessions by role (Cookie headers) and
    the ids of what is changed."""

    group: str
    cookies: dict[str, str]
    institution: int
    planned: int
    held: int
    application: int

    @classmethod
    def from_json(cls, data: dict) -> World:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


class Form(HTMLParser):
    """The fields of one form of a page, as a browser would send them."""

    def __init__(self, action: str, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.page = page
        self.found = False
        self._inside = False
        self._select: str | None = None
        self._textarea: str | None = None
        self.fields: list[tuple[str, str]] = []
        self._first_option: dict[str, str] = {}
        self._selected: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.found and (a.get("action") or self.page) == self.action:
            self.found = self._inside = True
        if not self._inside:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            self._first_option.setdefault(self._select, a.get("value", ""))
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._selected.add(self._select)
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select not in self._selected:  # a browser sends the first option
                self.fields.append((self._select, self._first_option.get(self._select, "")))
            self._select = None
        elif tag == "form" and self._inside:
            self._inside = False


class Browser:
    """One person's session, on whichever node a request is sent to."""

    def __init__(self, cookie: str) -> None:
        self.session = requests.Session()
        self.session.headers.update(PROXY_HEADERS)
        for part in cookie.split("; "):
            name, _, value = part.partition("=")
            self.session.cookies.set(name, value)

    def get(self, node: str, path: str) -> requests.Response:
        return self.session.get(node + path, allow_redirects=False, timeout=30)

    def submit(
        self, node: str, page: str, action: str, changes: dict[str, str | list[str]]
    ) -> requests.Response:
        """Open ``page`` on ``node``, fill the form that posts to ``action`` as its fields
        stand, change ``changes``, and send it to the same node."""
        response = self.get(node, page)
        response.raise_for_status()
        form = Form(action, page)
        form.feed(response.text)
        if not form.found:
            raise AssertionError(f"no form to {action} on {page}")
        data = [(k, v) for k, v in form.fields if k not in changes]
        for name, value in changes.items():
            for one in value if isinstance(value, list) else [value]:
                data.append((name, one))
        token = self.session.cookies.get("csrftoken")
        return self.session.post(
            node + action,
            data=data,
            headers={"Origin": ORIGIN, "Referer": ORIGIN + page, "X-CSRFToken": token or ""},
            allow_redirects=False,
            timeout=30,
        )


@dataclass
class Check:
    """A kept rendering, read by ``reader`` at ``path``, changed by ``write`` (through node A)
    so that ``marker`` appears."""

    name: str
    reader: str
    path: str
    marker: str
    write: Callable[[dict[str, Browser], str], requests.Response]


@dataclass
class Outcome:
    name: str
    before: bool
    write_status: int
    after: bool
    after_status: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def checks(world: World) -> list[Check]:
    g = f"/{world.group}"
    meetings, members = f"{g}/meetings", f"{g}/members"

    def rename(b, node):
        page = f"{members}/{world.institution}/edit/"
        return b["secretariat"].submit(node, page, page, {"name": "Cordillera Copper"})

    def retitle(b, node):
        page = f"{meetings}/{world.planned}/edit/"
        return b["secretariat"].submit(node, page, page, {"title": "Plenary of the solstice"})

    def agenda(b, node):
        page = f"{meetings}/{world.planned}/agenda/add/"
        return b["secretariat"].submit(
            node, page, page, {"topic": "Grievance mechanisms in the highlands"}
        )

    def activity(title: str, kind: str, police: int):
        def write(b, node):
            page = f"{g}/activities/new/"
            return b["secretariat"].submit(
                node,
                page,
                page,
                {
                    "title": title,
                    "kind": kind,
                    "start_date": "2026-03-10",
                    "count_police_military": str(police),
                    "organisers": str(world.institution),
                },
            )

        return write

    def vote(b, node):
        page = f"{members}/applications/{world.application}/"
        return b["coordination"].submit(
            node, page, f"{members}/applications/{world.application}/vote/", {"vote": "approve"}
        )

    def submit_minutes(b, node):
        page = f"{meetings}/{world.held}/minutes/"
        return b["secretariat"].submit(node, page, f"{meetings}/{world.held}/minutes/submit/", {})

    return [
        Check("directory", "member", f"{members}/", "Cordillera Copper", rename),
        Check("meetings list", "member", f"{meetings}/", "Plenary of the solstice", retitle),
        Check(
            "meeting page (members' view)",
            "member",
            f"{meetings}/{world.planned}/",
            "Grievance mechanisms in the highlands",
            agenda,
        ),
        Check(
            "activity register",
            "secretariat",
            f"{g}/activities/",
            "Workshop on the use of force in Cajamarca",
            activity("Workshop on the use of force in Cajamarca", "workshop", 37),
        ),
        Check(
            "report figures",
            "secretariat",
            f"{g}/reports/",
            "All kinds together: 2 activities, 49 participants.",
            activity("Round table on private security in Espinar", "round_table", 12),
        ),
        Check(
            "applications under review",
            "coordination",
            f"{members}/applications/",
            "Pacific Gold Companies Complete, before the Coordination Group 1 / 0 / 0",
            vote,
        ),
        Check(
            "minutes' versions",
            "secretariat",
            f"{meetings}/{world.held}/minutes/",
            "Versions Version 1 · Under review",
            submit_minutes,
        ),
    ]


def text(html: str) -> str:
    """What a reader sees of a page: its text, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _visible(html: str, marker: str) -> bool:
    return marker in text(html)


def run(node_a: str, node_b: str, world: World) -> list[Outcome]:
    """Each check in turn: read through B (twice: drawn, then kept), write through A, read
    through B at once."""
    browsers = {role: Browser(cookie) for role, cookie in world.cookies.items()}
    outcomes = []
    for check in checks(world):
        reader = browsers[check.reader]
        for _ in range(2):
            first = reader.get(node_b, check.path)
        problems = []
        if first.status_code != 200:
            problems.append(f"read through B answered {first.status_code}")
        before = _visible(first.text, check.marker)
        written = check.write(browsers, node_a)
        write_status = written.status_code
        if written.status_code not in (302, 303):  # a form shown again did not save
            problems.append(f"write through A answered {written.status_code}")
        second = reader.get(node_b, check.path)
        after = _visible(second.text, check.marker)
        if before:
            problems.append("the marker was there before the write")
        if not after:
            problems.append("node B still serves the page as it was before the write")
        outcomes.append(
            Outcome(check.name, before, write_status, after, second.status_code, problems)
        )
    return outcomes

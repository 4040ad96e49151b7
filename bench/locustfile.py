"""The people of the mixed-traffic scenario, as Locust users (``bench.mixed`` runs Locust in its
own virtualenv: nothing of Django here, only the standard library and Locust).

What a visit is (``Browser.visit``): the group's dashboard, the meetings list (a random filter
and page), a meeting of the list, its minutes in the rendering the person may read, and
sometimes their PDF; now and then the language switch. Of all visits, 5 % are a member or an
observer answering the invitation of the group's next plenary (its answer form, posted as htmx
posts it) and 2 % a Secretariat writing: an autosave of its draft minutes' introduction, an
activity recorded in the register, or an item added to the next plenary's agenda, each through
its form (the CSRF token from the page, the proxy's headers, ``Origin``), the redirect after it
followed as a browser does. A page that fails ends the visit.

Environment: ``MIXED_USERS_FILE`` (``bench.steps mixed_prepare``), ``MIXED_SCENARIO``
(``mixed`` or ``baseline``: the harness's baseline page, one request a visit),
``MIXED_THINK`` (``min,max`` seconds between two pages: the paced phase; unset, none),
``MIXED_OUT`` (where every request is written, JSON, when Locust quits), ``MIXED_SEED``.

Who is in flight (see ``bench.mixed``): without think time each Locust user takes the next
person of the shuffled list at every visit, so N Locust users keep N requests in flight and
every session is used in turn; with think time Locust user i is person i.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, constant, events, task

HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}"
SCENARIO = os.environ.get("MIXED_SCENARIO", "mixed")
THINK = (
    tuple(float(n) for n in os.environ["MIXED_THINK"].split(","))
    if os.environ.get("MIXED_THINK")
    else None
)
OUT = Path(os.environ["MIXED_OUT"])
RANDOM = random.Random(int(os.environ.get("MIXED_SEED", "17")))

#: Of all visits: a member's or observer's answer to an invitation, a Secretariat's write.
RSVP_SHARE = 0.05
WRITE_SHARE = 0.02
#: Of the visits that open minutes: the PDF too. Of all visits: the language switch.
PDF_SHARE = 0.03
LANGUAGE_SHARE = 0.03

#: Every request: (kind, start, ms, status, error, queries, kept lookups, language, role,
#: subject (which meeting: see ``Person.subject``), the number of
#: requests the server's process had served before it, the CPU ms the server spent on it).
RECORDS: list[tuple] = []
STARTED: list[float] = []


class Person:
    """One signed-in person: their cookies (kept as a browser keeps them) and what they do."""

    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.role: str = spec["role"]
        self.group: str = spec["group"]
        self.cookies: dict[str, str] = dict(spec["cookies"])
        self.language: str = spec["language"]
        self.closed = frozenset(spec.get("coordination", ()))

    def subject(self, meeting: int) -> str:
        """Which of the group's meetings: its next plenary, the one whose minutes are
        circulated, the one whose minutes are a draft, or another held, a plenary or a
        Coordination Group meeting (their pages show different parts)."""
        for name in ("upcoming", "circulated", "draft"):
            if self.spec.get(name) == meeting:
                return name
        return "held coordination" if meeting in self.closed else "held plenary"

    @property
    def privileged(self) -> bool:
        return self.role in {"secretariat", "seat"}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def keep(self, headers) -> None:
        """The cookies a response sets or deletes (``Max-Age=0``, or an expiry in the past)."""
        if headers is None:
            return
        for line in headers.getlist("set-cookie"):
            parsed = SimpleCookie()
            parsed.load(line)
            for name, morsel in parsed.items():
                gone = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if gone or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


PEOPLE = [
    Person(spec) for spec in json.loads(Path(os.environ["MIXED_USERS_FILE"]).read_text())["people"]
]
RANDOM.shuffle(PEOPLE)
_ANSWERERS = sum(p.role in {"member", "observer"} for p in PEOPLE)
_SECRETARIATS = sum(p.role == "secretariat" for p in PEOPLE)
#: Per visit of one person, so that the shares above hold over all visits.
P_RSVP = RSVP_SHARE * len(PEOPLE) / max(1, _ANSWERERS)
P_WRITE = WRITE_SHARE * len(PEOPLE) / max(1, _SECRETARIATS)
_NEXT_PERSON = itertools.cycle(PEOPLE)
_SEATS = itertools.count()


class Form:
    def __init__(self, action: str | None, method: str) -> None:
        self.action, self.method = action, method
        self.fields: list[tuple[str, str]] = []
        self.choices: dict[str, list[str]] = {}

    def data(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        return data


class FormParser(HTMLParser):
    """The forms of a page as a browser would submit them untouched: inputs with their values
    (checkboxes and radios only when checked), textareas, each select's selected option."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action"), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind, name, value = a.get("type", "text").lower(), a["name"], a.get("value", "")
            if kind in {"checkbox", "radio"}:
                self._form.choices.setdefault(name, []).append(value or "on")
                if "checked" in a:
                    self._form.fields.append((name, value or "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self._form.fields.append((name, value))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea[0], "".join(self._textarea[1]).lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, options, selected = self._select
            self._form.choices[name] = options
            for value in selected or options[:1]:
                self._form.fields.append((name, value))
            self._select = None
        elif tag == "form":
            self._form = None


def find_form(body: str, action: str, field: tuple[str, str] | None = None) -> Form | None:
    """The form posting to ``action`` (or to the page itself: no action), with ``field``."""
    parser = FormParser()
    parser.feed(body)
    for form in parser.forms:
        if form.method != "post" or (form.action or action) != action:
            continue
        if field is None or field in form.fields:
            return form
    return None


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class Browser(FastHttpUser):
    """A browser tab: in the closed phase each visit is the next person's, in the paced phase
    always the same person's."""

    wait_time = constant(0)
    # Each request is the person's own, with their cookies: Locust's jar would mix sessions.
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self) -> None:
        self.client.client.cookiejar = None
        self.person = PEOPLE[next(_SEATS) % len(PEOPLE)] if THINK else None
        if THINK:
            gevent.sleep(RANDOM.uniform(0, THINK[1]))  # people do not all arrive at once

    def think(self) -> None:
        if THINK:
            gevent.sleep(RANDOM.uniform(*THINK))

    @task
    def visit(self) -> None:
        person = self.person or next(_NEXT_PERSON)
        if SCENARIO == "baseline":
            self.page(person, "baseline", "/_bench/baseline/")
            return
        if person.role in {"member", "observer"} and RANDOM.random() < P_RSVP:
            self.answer(person)
        elif person.role == "secretariat" and RANDOM.random() < P_WRITE:
            RANDOM.choice([self.autosave, self.record_activity, self.add_agenda_item])(person)
        else:
            self.read(person)
        self.think()

    # --- Requests ------------------------------------------------------------------------------

    def call(
        self,
        person: Person,
        kind: str,
        path: str,
        *,
        data: dict | None = None,
        htmx: bool = False,
        status: int = 200,
        check=None,
        subject: str = "",
    ) -> tuple[str, dict] | None:
        """One request as the person's browser sends it; the body and headers, or None when it
        failed (recorded with why)."""
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Cookie": person.cookie_header()}
        body = None
        if data is not None:
            headers["Origin"] = ORIGIN
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(data, doseq=True)
        if htmx:
            headers["HX-Request"] = "true"
        began = time.time()
        with self.client.request(
            "POST" if data is not None else "GET",
            path,
            name=kind,
            data=body,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            answer = response.headers
            code = response.status_code or 0
            error = ""
            text = ""
            if not code:
                error = f"socket: {type(getattr(response, 'error', None)).__name__}"
            else:
                person.keep(answer)
                content = response.content or b""
                if code != status:
                    error = f"status {code}"
                elif code == 200 and content.startswith(b"%PDF"):
                    text = ""
                else:
                    text = content.decode("utf-8", "replace")
                    if code == 200 and 'name="password"' in text:
                        error = "signed out"
                    elif check is not None:
                        error = check(text, answer) or ""
            if error:
                response.failure(error)
            else:
                response.success()
            RECORDS.append(
                (
                    kind,
                    round(began, 4),
                    round(response.request_meta["response_time"], 2),
                    code,
                    error,
                    int(answer.get("x-bench-queries", -1)) if answer else -1,
                    answer.get("x-bench-cache", "") if answer else "",
                    answer.get("content-language", "") if answer else "",
                    person.role,
                    subject,
                    int(answer.get("x-bench-served", -1)) if answer else -1,
                    float(answer.get("x-bench-cpu", -1)) if answer else -1.0,
                )
            )
        return None if error else (text, answer)

    def page(
        self, person: Person, kind: str, path: str, check=None, subject: str = ""
    ) -> str | None:
        done = self.call(person, kind, path, check=check, subject=subject)
        if done is not None:
            # The language pages are in: the person's account's, or the one they switched to.
            person.language = done[1].get("content-language") or person.language
        return done[0] if done else None

    def post(self, person, kind, path, data, *, htmx=False, redirect=None, check=None, subject=""):
        """A form posted; with ``redirect`` (a pattern of where it must send the browser), the
        page it redirects to is fetched as ``kind_after``."""

        def where(_text, headers):
            location = urlsplit(headers.get("location", "")).path
            if not re.fullmatch(redirect, location):
                return f"redirected to {location or 'nowhere'}"
            return None

        done = self.call(
            person,
            kind,
            path,
            data=data,
            htmx=htmx,
            status=302 if redirect else 200,
            check=where if redirect else check,
            subject=subject,
        )
        if done is None or not redirect:
            return done
        return urlsplit(done[1]["location"]).path

    # --- Visits --------------------------------------------------------------------------------

    def read(self, person: Person) -> None:
        g = person.group
        body = self.page(person, "dashboard", f"/{g}/")
        if body is None:
            return
        if RANDOM.random() < LANGUAGE_SHARE:
            body = self.switch_language(person, body, f"/{g}/")
            if body is None:
                return
        self.think()
        body = self.page(person, "meetings list", f"/{g}/meetings/{self.filters(person)}")
        if body is None:
            return
        shown = unique(re.findall(rf'href="/{g}/meetings/(\d+)/"', body))
        if not shown:
            return
        pk = shown[0] if RANDOM.random() < 0.5 else RANDOM.choice(shown)
        self.think()
        meeting_kind = (
            "meeting page (Secretariat)" if person.role == "secretariat" else "meeting page"
        )
        subject = person.subject(int(pk))
        body = self.page(person, meeting_kind, f"/{g}/meetings/{pk}/", subject=subject)
        if body is None or f'href="/{g}/meetings/{pk}/minutes/"' not in body:
            return
        self.think()
        minutes_kind = (
            "minutes (Secretariat)" if person.role == "secretariat" else "members' minutes"
        )
        body = self.page(person, minutes_kind, f"/{g}/meetings/{pk}/minutes/", subject=subject)
        pdf = f"/{g}/meetings/{pk}/minutes.pdf"
        if body and f'href="{pdf}"' in body and RANDOM.random() < PDF_SHARE:
            self.think()

            def is_pdf(_text, headers):
                return None if headers.get("content-type") == "application/pdf" else "not a PDF"

            self.call(person, "minutes PDF", pdf, check=is_pdf, subject=subject)

    def filters(self, person: Person) -> str:
        """The list's filter as people use it: half the time none (its first page), else
        another page (20 %), a year (20 %) or a kind (10 %; the Coordination Group's meetings
        are the Secretariat's and the seats')."""
        draw = RANDOM.random()
        if draw < 0.5:
            return ""
        if draw < 0.7:
            return f"?page={RANDOM.randint(2, 5 if person.privileged else 3)}"
        if draw < 0.9:
            return f"?year={RANDOM.choice(person.spec['years'])}"
        kinds = ["plenary", "coordination"] if person.privileged else ["plenary"]
        return f"?kind={RANDOM.choice(kinds)}"

    def switch_language(self, person: Person, body: str, here: str) -> str | None:
        form = find_form(body, "/i18n/setlang/")
        if form is None:
            self.missing(person, "language switch", "no language switch")
            return None
        data = form.data()
        data["language"] = ["es" if person.language != "es" else "en"]
        target = self.post(
            person, "language switch", "/i18n/setlang/", data, redirect=re.escape(here)
        )
        if target is None:
            return None
        return self.page(person, "dashboard", target)

    def answer(self, person: Person) -> None:
        g, pk = person.group, person.spec["upcoming"]
        if self.page(person, "dashboard", f"/{g}/") is None:
            return
        self.think()
        body = self.page(person, "meeting page", f"/{g}/meetings/{pk}/", subject="upcoming")
        if body is None:
            return
        action = f"/{g}/meetings/{pk}/answer/"
        form = find_form(body, action)
        if form is None:
            self.missing(person, "RSVP answer", "no answer form")
            return
        data = form.data()
        data["answer"] = [RANDOM.choice(["yes", "yes", "yes", "maybe", "no"])]
        self.think()

        def recorded(text, _headers):
            return None if "message-success" in text else "answer not recorded"

        self.post(person, "RSVP answer", action, data, htmx=True, check=recorded)

    def autosave(self, person: Person) -> None:
        g, pk = person.group, person.spec["draft"]
        body = self.page(person, "minutes editor", f"/{g}/meetings/{pk}/minutes/", subject="draft")
        if body is None:
            return
        form = find_form(body, f"/{g}/meetings/{pk}/minutes/edit/", ("part", "summary"))
        if form is None:
            self.missing(person, "minutes autosave", "no summary form")
            return
        data = form.data()
        data["summary"] = [
            f"The meeting opened at {time.strftime('%H:%M:%S')}; the agenda was adopted."
        ]
        self.think()

        def saved(text, _headers):
            return "refused" if "is-error" in text or 'name="revision"' not in text else None

        self.post(
            person,
            "minutes autosave",
            f"/{g}/meetings/{pk}/minutes/edit/",
            data,
            htmx=True,
            check=saved,
        )

    def record_activity(self, person: Person) -> None:
        g = person.group
        path = f"/{g}/activities/new/"
        body = self.page(person, "activity form", path)
        if body is None:
            return
        form = find_form(body, path)
        if form is None or not form.choices.get("organisers"):
            self.missing(person, "activity recorded", "no activity form")
            return
        data = form.data()
        day = date.today() - timedelta(days=RANDOM.randrange(300))
        data.update(
            title=[f"Workshop on the Voluntary Principles {RANDOM.randrange(10**6)}"],
            kind=["workshop"],
            start_date=[day.isoformat()],
            place=["Lima"],
            region=["Lima"],
            organisers=[RANDOM.choice(form.choices["organisers"])],
        )
        self.think()
        target = self.post(
            person, "activity recorded", path, data, redirect=rf"/{g}/activities/\d+/"
        )
        if target is not None:
            self.page(person, "activity page", target)

    def add_agenda_item(self, person: Person) -> None:
        g, pk = person.group, person.spec["upcoming"]
        path = f"/{g}/meetings/{pk}/agenda/add/"
        body = self.page(person, "agenda item form", path)
        if body is None:
            return
        form = find_form(body, path)
        if form is None:
            self.missing(person, "agenda item added", "no agenda form")
            return
        data = form.data()
        data.update(
            topic=[f"Report of the working session {RANDOM.randrange(10**6)}"],
            description=["The Secretariat presents what the session agreed."],
        )
        self.think()
        target = self.post(
            person, "agenda item added", path, data, redirect=rf"/{g}/meetings/{pk}/"
        )
        if target is not None:
            self.page(person, "meeting page (Secretariat)", target, subject="upcoming")

    def missing(self, person: Person, kind: str, why: str) -> None:
        """A page without the form the person came for: an error of the visit, not a request
        (status -1)."""
        RECORDS.append(
            (
                kind,
                round(time.time(), 4),
                0.0,
                -1,
                why,
                -1,
                "",
                person.language,
                person.role,
                "",
                -1,
                -1.0,
            )
        )


@events.test_start.add_listener
def _started(environment, **_kwargs) -> None:
    STARTED.append(time.time())


@events.quitting.add_listener
def _write(environment, **_kwargs) -> None:
    OUT.write_text(json.dumps({"started": STARTED[0] if STARTED else None, "records": RECORDS}))

"""The load test's HTTP side: a cookie-keeping client, the run's budget of time and
requests, and the staff editor who saves admin edits and checks them afterwards
(engagements/scale/loadtest.py runs them)."""

from __future__ import annotations

import http.client
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.contrib.auth import get_user_model

from ..models import Meeting

ALIAS = "loadtest"
HOST = "127.0.0.1"
STAFF_USERNAME = "loadtest-staff"
#: The researchers' mix: list pages, detail pages, CSV exports (weights).
MIX = {"list": 0.5, "detail": 0.35, "export": 0.15}
TIMEOUT = 30.0  # seconds a client waits for an answer before counting a hang


class LoadTestError(Exception):
    """The load test cannot run as asked (the message says why)."""


@dataclass
class Plan:
    lists: list[str]
    details: list[str]
    exports: list[str]
    edits: list[int]  # synthetic meeting ids the staff client edits, in turn
    meetings: int

    def draw(self, rng: random.Random) -> tuple[str, str]:
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        return kind, rng.choice(
            {"list": self.lists, "detail": self.details}.get(kind, self.exports)
        )


@dataclass
class Sample:
    kind: str  # list, detail, export, edit
    started: float  # seconds since the run began
    seconds: float
    status: int  # 0: no answer (socket error or timeout)
    error: str = ""  # why it counts as an error ("" when it does not)
    path: str = ""


class Client:
    """One keep-alive ``http.client`` connection to the server, with its own cookies; it
    speaks as the TLS proxy would (``X-Forwarded-Proto: https``)."""

    def __init__(self, port: int, timeout: float = TIMEOUT) -> None:
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"X-Forwarded-Proto": "https", "User-Agent": "defrel-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        self.location = response.headers.get("Location", "")
        if response.headers.get("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, content

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def post(self, path: str, body: dict) -> tuple[int, bytes]:
        return self.request("POST", path, body)

    def close(self) -> None:
        self.connection.close()


class Budget:
    """The run's bounds: a deadline and a number of requests, shared by every client."""

    def __init__(self, seconds: float, requests: int) -> None:
        self.start = time.monotonic()
        self.deadline = self.start + seconds
        self.left = requests
        self._lock = threading.Lock()
        self.stopped = threading.Event()

    def take(self) -> bool:
        if self.stopped.is_set() or time.monotonic() >= self.deadline:
            return False
        with self._lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True

    def now(self) -> float:
        return time.monotonic() - self.start


def timed(client: Client, budget: Budget, kind: str, path: str):
    """GET ``path``; its sample and body (b"" when it got no answer)."""
    started = time.monotonic()
    try:
        status, body = client.get(path)
        error = "" if status == 200 else f"HTTP {status}"
    except TimeoutError:
        status, body, error = 0, b"", "timeout"
    except (OSError, http.client.HTTPException) as exc:
        status, body, error = 0, b"", type(exc).__name__
    seconds = time.monotonic() - started
    return Sample(kind, started - budget.start, seconds, status, error, path), body


class FormFields(HTMLParser):
    """The values a browser would submit from the form with ``form_id``."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]  # a browser submits the first option
            self.fields += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: bytes, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html.decode("utf-8", "replace"))
    return parser.fields


def error_note(html: bytes) -> str:
    """The admin's error messages on a refused form, briefly."""
    text = html.decode("utf-8", "replace")
    found = re.findall(r'class="(?:errornote|errorlist[^"]*)"[^>]*>(.*?)</(?:p|ul)>', text, re.S)
    plain = " ".join(re.sub(r"<[^>]+>", " ", f) for f in found)
    return " ".join(plain.split())[:300] or "the form came back"


@dataclass
class Edit:
    meeting_id: int
    marker: str
    saved: bool = False
    attempts: int = 0


def ensure_staff_user() -> str:
    """A superuser for the staff client with a new random password; returns the password."""
    users = get_user_model().objects.db_manager(ALIAS)
    password = secrets.token_urlsafe(24)
    user = users.filter(username=STAFF_USERNAME).first()
    if user is None:
        users.create_superuser(STAFF_USERNAME, "", password)
    else:
        user.set_password(password)
        user.is_active = user.is_staff = user.is_superuser = True
        user.save(using=ALIAS)
    return password


def retire_staff_user() -> None:
    """The staff user keeps its history rows but can no longer log in."""
    user = get_user_model().objects.db_manager(ALIAS).filter(username=STAFF_USERNAME).first()
    if user is not None:
        user.set_unusable_password()
        user.save(using=ALIAS)


def staff_login(client: Client, password: str) -> None:
    status, page = client.get("/admin/login/")
    fields = dict(form_fields(page, "login-form"))
    if status != 200 or "csrfmiddlewaretoken" not in fields:
        raise LoadTestError(f"The admin's login form did not load (HTTP {status}).")
    fields.update(username=STAFF_USERNAME, password=password, next="/admin/")
    status, page = client.post("/admin/login/", fields)
    if status != 302 or "sessionid" not in client.cookies:
        raise LoadTestError(
            f"The staff client could not log in (HTTP {status}): {error_note(page)}"
        )


def staff(
    port: int,
    plan: Plan,
    budget: Budget,
    samples: list,
    edits: list[Edit],
    password: str,
    run_id: str,
    pause: float,
) -> None:
    """The staff client: logs in, then saves one meeting after another until the budget is
    spent; a refused or failed save is retried (its marker unchanged)."""
    client = Client(port)
    staff_login(client, password)
    pool = iter(plan.edits * 100)
    edit = None
    try:
        while budget.take():
            if edit is None or edit.saved:
                edit = Edit(next(pool), f"[loadtest {run_id}-{len(edits) + 1}]")
                edits.append(edit)
            edit.attempts += 1
            sample = save_edit(client, budget, edit)
            samples.append(sample)
            if sample.error == "HTTP 302" and "/login/" in client.location:
                staff_login(client, password)  # the session was lost: log in again
            time.sleep(pause)
    finally:
        client.close()


def save_edit(client: Client, budget: Budget, edit: Edit) -> Sample:
    """Open the meeting's change form and save it with the marker added to its summary."""
    path = f"/admin/engagements/meeting/{edit.meeting_id}/change/"
    started = time.monotonic()

    def at(status: int, error: str) -> Sample:
        seconds = time.monotonic() - started
        return Sample("edit", started - budget.start, seconds, status, error, path)

    try:
        status, page = client.get(path)
        if status != 200:
            return at(status, f"HTTP {status}")
        fields = [(k, v) for k, v in form_fields(page, "meeting_form") if k != "summary"]
        summary = dict(form_fields(page, "meeting_form")).get("summary", "")
        fields += [("summary", f"{summary} {edit.marker}".strip()), ("_save", "Save")]
        status, page = client.post(path, dict_list(fields))
    except TimeoutError:
        return at(0, "timeout")
    except (OSError, http.client.HTTPException) as exc:
        return at(0, type(exc).__name__)
    if status == 302 and "/login/" not in client.location:
        edit.saved = True
        return at(200, "")  # saved: counted as a success
    if status == 200:
        return at(status, f"refused: {error_note(page)}")
    return at(status, f"HTTP {status}")


def dict_list(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in fields:
        out.setdefault(key, []).append(value)
    return out


# --- the check -------------------------------------------------------------------------------


@dataclass
class EditCheck:
    saved: int
    in_database: int
    in_history: int
    lost: list[str] = field(default_factory=list)
    unsaved_landed: int = 0  # saves that failed on the client but committed all the same


def check_edits(edits: list[Edit]) -> EditCheck:
    """Every acknowledged save: its marker in the meeting's summary and in a history row."""
    meetings = Meeting.objects.using(ALIAS)
    history = Meeting.history.model.objects.using(ALIAS)
    ids = {e.meeting_id for e in edits}
    summaries = dict(meetings.filter(id__in=ids).values_list("id", "summary"))
    historical: dict[int, list[str]] = {}
    for meeting_id, summary in history.filter(id__in=ids).values_list("id", "summary"):
        historical.setdefault(meeting_id, []).append(summary)
    check = EditCheck(saved=sum(e.saved for e in edits), in_database=0, in_history=0)
    for edit in edits:
        now = edit.marker in summaries.get(edit.meeting_id, "")
        past = any(edit.marker in s for s in historical.get(edit.meeting_id, []))
        if not edit.saved:
            check.unsaved_landed += now
            continue
        check.in_database += now
        check.in_history += past
        if not (now and past):
            check.lost.append(edit.marker)
    return check


# --- the fault -------------------------------------------------------------------------------

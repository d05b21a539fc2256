"""The build's progress on the terminal: one line per step, what it is doing and how far
along — files read and documents recognised with done/total, rate and time left (NER also in
words per second), the later stages with their elapsed time. Silent when stderr is not a
terminal (a log file gets the summary only)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
)
from rich.table import Column
from rich.text import Text

__all__ = ["StageProgress"]

#: what a counted step is called on the terminal, by the unit it counts
STEP_NAMES = {"files": "reading", "documents": "NER"}
#: at most this wide, so the line fits in 80 columns
NAME_WIDTH = 14


#: the unit as the rate column writes it (80 columns hold the whole line)
SHORT_UNITS = {"documents": "docs"}


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-:--:--"
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _compact(x: float) -> str:
    return f"{x / 1000:,.1f}k" if x >= 10_000 else f"{x:,.0f}"


class CountColumn(ProgressColumn):
    """``120/330`` for a counted step, nothing for a stage that counts nothing."""

    def render(self, task) -> Text:
        if not task.fields.get("unit"):
            return Text("")
        return Text(f"{int(task.completed):,}/{int(task.total or 0):,}",
                    style="progress.download")


class RateColumn(ProgressColumn):
    """``874 files/s``; for NER ``4.2 docs/s 5.1k words/s`` (documents/s × the mean words
    of the documents announced)."""

    def render(self, task) -> Text:
        # rich's own rate needs two samples in its window: a step done in one batch has
        # none, so its rate is the work over its time
        speed = task.finished_speed or task.speed or (
            task.completed / task.elapsed if task.completed and task.elapsed else None)
        unit = task.fields.get("unit", "")
        if not speed or not unit:
            return Text("")
        text = f"{speed:,.1f} {SHORT_UNITS.get(unit, unit)}/s"
        per = task.fields.get("words_per", 0.0)
        if per:
            text += f" {_compact(speed * per)} words/s"
        return Text(text, style="progress.data.speed")


class TimeColumn(ProgressColumn):
    """Time left (``ETA 0:00:05``) while a counted step runs, else the time it took."""

    def render(self, task) -> Text:
        if task.fields.get("unit") and not task.finished:
            return Text("ETA " + _clock(task.time_remaining), style="progress.remaining")
        return Text(_clock(task.finished_time if task.finished else task.elapsed),
                    style="progress.elapsed")


class StageProgress:
    """A progress display the pipeline drives (:mod:`graphbuild.core.progress`): call it
    with work done, ``start(total, unit=…, words=…)`` when a counted step begins,
    ``stage(name)`` when another stage does.

    >>> import io
    >>> from rich.console import Console
    >>> con = Console(file=io.StringIO(), force_terminal=True, width=80)
    >>> with StageProgress(con) as shown:
    ...     shown.start(4, unit="files"); shown(4); shown.stage("counting pairs")
    >>> shown.steps
    ['reading', 'counting pairs']
    """

    def __init__(self, console: Console) -> None:
        self.bar = Progress(SpinnerColumn(finished_text="✓"),
                            TextColumn("{task.description}",
                                       table_column=Column(width=NAME_WIDTH)),
                            BarColumn(bar_width=10), CountColumn(), RateColumn(),
                            TimeColumn(), console=console, transient=True,
                            disable=not console.is_terminal)
        self.task: TaskID | None = None
        self.steps: list[str] = []

    def __enter__(self) -> StageProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._done()
        self.bar.__exit__(*exc)

    def start(self, total: int, unit: str = "items", words: int | None = None,
              **_: Any) -> None:
        self._done()
        name = STEP_NAMES.get(unit, unit)
        self.steps.append(name)
        per = (words / total) if words and total else 0.0
        self.task = self.bar.add_task(name, total=total, unit=unit, words_per=per)

    def stage(self, name: str) -> None:
        self._done()
        self.steps.append(name)
        short = name if len(name) <= NAME_WIDTH else name[:NAME_WIDTH - 1] + "…"
        self.task = self.bar.add_task(short, total=None, unit="")

    def __call__(self, n: int) -> None:
        if self.task is None:        # a step that did not announce itself: count anyway
            self.start(0, unit="items")
            self.bar.update(self.task, total=None)
        self.bar.advance(self.task, n)

    def _done(self) -> None:
        """The current step is over: its line shows as finished, not pulsing."""
        if self.task is None:
            return
        task = self.bar.tasks[-1] if self.bar.tasks else None
        if task is not None and task.id == self.task:
            done = task.completed if task.total is not None else 1
            self.bar.update(self.task, total=max(done, 1), completed=max(done, 1))
            self.bar.stop_task(self.task)
        self.task = None

"""One loaded model answers one question at a time; the others wait their turn in arrival order
and can see how many questions are ahead of theirs. Extractive answers never enter the lane, so
they are not held up behind the model."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

EXTRACTIVE = "extractive"


class Ticket:
    """A place in the lane. `waiting()` yields how many are ahead each time that number changes
    (never 0), and returns when it is this ticket's turn."""

    def __init__(self, lane: ModelLane, number: int):
        self.lane = lane
        self.number = number

    def ahead(self) -> int:
        return self.lane.ahead(self)

    def waiting(self) -> Iterator[int]:
        ahead = self.ahead()
        while ahead:
            yield ahead
            ahead = self.lane.wait_for_change(self, ahead)


class ModelLane:
    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.queue: deque[Ticket] = deque()  # the first ticket holds the model
        self.numbers = itertools.count()

    def needed(self, backend: str) -> bool:
        """Whether answering with this backend takes the model (every backend but the extractive one)."""
        return backend != EXTRACTIVE

    @contextmanager
    def ticket(self) -> Iterator[Ticket]:
        """A place at the back of the lane, given up on leaving (answered, failed or abandoned)."""
        with self.changed:
            ticket = Ticket(self, next(self.numbers))
            self.queue.append(ticket)
        try:
            yield ticket
        finally:
            with self.changed:
                self.queue.remove(ticket)
                self.changed.notify_all()

    def ahead(self, ticket: Ticket) -> int:
        with self.changed:
            return self.queue.index(ticket)

    def wait_for_change(self, ticket: Ticket, ahead: int) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.queue.index(ticket) != ahead)
            return self.queue.index(ticket)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait (blocking) for the model and hold it: for callers that cannot show their place."""
        with self.ticket() as ticket:
            for _ in ticket.waiting():
                pass
            yield

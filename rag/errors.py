"""The errors a user sees: each is one line saying what cannot be done and why."""


class PipelineError(Exception):
    """A one-line, user-facing reason why something cannot be done."""


class QuestionError(PipelineError):
    """The question itself cannot be asked (empty, too long)."""

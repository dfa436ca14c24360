"""The HTTP interface beside the chat, on the same FastAPI app and with the same users:

- `POST /api/ask`: a question (with optional history, k, documents, speakers, backend) in, exactly
  the object `minutes-rag ask --json` prints out;
- `GET /api/documents`, `POST /api/documents` (multipart `file`), `DELETE /api/documents/{doc_id}`:
  the minutes, for instructors only.

Errors are JSON `{"error": "<one line>"}` with a 4xx status. Callers sign in with HTTP Basic
credentials of a configured user (none needed on loopback without users). The schema is at /docs.
"""

from collections.abc import Callable
from contextlib import nullcontext
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, ConfigDict, Field, field_validator

from rag.pipeline import Pipeline, PipelineError
from ui.auth import User, Users
from ui.lane import ModelLane
from ui.library import Added, DocumentExistsError, DocumentRow, LibraryError, MinutesLibrary, UnknownDocumentError


class ApiRequestError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers


class HistoryTurn(BaseModel):
    question: str
    answer: str = ""


class AskRequest(BaseModel):
    question: str = Field(description="the question, in plain language")
    history: list[tuple[str, str] | HistoryTurn] = Field(
        default_factory=list, description="earlier turns, oldest first: [question, answer] pairs or {question, answer}"
    )
    k: int | None = Field(default=None, ge=1, le=50, description="passages to retrieve (default: the server's k)")
    docs: list[str] | None = Field(default=None, description="only these documents (id, file name or a unique part)")
    speakers: list[str] | None = Field(default=None, description="only these speakers (any form of their name)")
    llm: str | None = Field(default=None, description="answering backend, one of those the server offers")

    @field_validator("question")
    @classmethod
    def not_blank(cls, question: str) -> str:
        if not question.strip():
            raise ValueError("the question is empty")
        return question

    def pairs(self) -> list[tuple[str, str]]:
        return [(t.question, t.answer) if isinstance(t, HistoryTurn) else t for t in self.history]


class CitationOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    n: int
    id: str
    doc_id: str
    doc_title: str
    date: str
    speaker: str
    role: str
    section: str
    kind: str
    text: str
    score: float
    quote: str = ""


class PassageOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    doc_id: str
    speaker: str
    text: str
    score: float


class AskResponse(BaseModel):
    """The object `minutes-rag ask --json` prints (fields beyond these are passed on as they are)."""

    model_config = ConfigDict(extra="allow")
    question: str
    answer: str
    refused: bool
    citations: list[CitationOut]
    retrieved: list[PassageOut]
    timings_ms: dict[str, float]
    llm: dict[str, Any]
    standalone_question: str
    fallback: str | None = None
    unsupported: list[dict[str, Any]] = []


class ErrorOut(BaseModel):
    error: str


ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 422, 503)}


class MinutesApi:
    def __init__(self, pipeline: Pipeline, backends: list[str], users: Users, lane: ModelLane, library: MinutesLibrary):
        self.pipeline = pipeline
        self.backends = backends
        self.users = users
        self.lane = lane
        self.library = library

    def run(self, app: FastAPI) -> None:
        """Add the routes and the JSON error handlers to the app."""
        basic = HTTPBasic(auto_error=False)

        def signed_in(credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)]) -> User:
            name, password = (credentials.username, credentials.password) if credentials else (None, "")
            user = self.users.user(name)
            if user is None or (self.users.required and not self.users.check(user.name, password)):
                raise ApiRequestError(
                    401,
                    "sign in with the user name and password of the chat (HTTP Basic)",
                    {"WWW-Authenticate": 'Basic realm="minutes-rag"'},
                )
            return user

        def instructor(user: Annotated[User, Depends(signed_in)]) -> User:
            if not user.is_instructor:
                raise ApiRequestError(403, f"{user.name} is a trainee: only instructors manage the minutes")
            return user

        @app.exception_handler(ApiRequestError)
        def problem(_: Request, exc: ApiRequestError) -> JSONResponse:
            return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=exc.headers)

        @app.exception_handler(RequestValidationError)
        def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
            first = exc.errors()[0]
            where = ".".join(x for x in first.get("loc", ()) if isinstance(x, str) and x != "body")
            message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
            return JSONResponse({"error": f"{where}: {message}" if where else message}, status_code=422)

        @app.post(
            "/api/ask", response_model=None, responses={200: {"model": AskResponse}, **ERRORS}, tags=["questions"]
        )
        def ask(request: AskRequest, user: Annotated[User, Depends(signed_in)]) -> JSONResponse:
            """Answer a question from the minutes, every claim cited (the `ask --json` object)."""
            return JSONResponse(self.ask(request))

        @app.get("/api/documents", response_model=list[DocumentRow], responses=ERRORS, tags=["minutes"])
        def documents(user: Annotated[User, Depends(instructor)]) -> list[DocumentRow]:
            """The indexed minutes with their layout, speakers and chunk counts (instructors only)."""
            return self.library.documents()

        @app.post("/api/documents", status_code=201, response_model=Added, responses=ERRORS, tags=["minutes"])
        def add(file: Annotated[UploadFile, File()], user: Annotated[User, Depends(instructor)]) -> Added:
            """Add minutes (.txt .md .pdf .docx ...): saved into the corpus folder and indexed (instructors only)."""
            try:
                added = self.library.add(file.filename or "", file.file.read())
            except DocumentExistsError as exc:
                raise ApiRequestError(409, str(exc)) from None
            except LibraryError as exc:
                raise ApiRequestError(400, str(exc)) from None
            return added

        @app.delete("/api/documents/{doc_id}", response_model=DocumentRow, responses=ERRORS, tags=["minutes"])
        def remove(doc_id: str, user: Annotated[User, Depends(instructor)]) -> DocumentRow:
            """Remove a document from the index; its file moves out of the corpus folder (instructors only)."""
            try:
                return self.library.remove(doc_id)
            except UnknownDocumentError as exc:
                raise ApiRequestError(404, str(exc)) from None

    def ask(self, request: AskRequest) -> dict:
        backend = request.llm or self.backends[0]
        if backend not in self.backends:
            raise ApiRequestError(
                400, f"unknown backend {backend!r} (this server answers with: {', '.join(self.backends)})"
            )
        if self.pipeline.index.is_empty():
            raise ApiRequestError(503, "the index is empty: add minutes first")
        for name in request.docs or []:
            self.known(self.pipeline.documents.resolve, name)
        for name in request.speakers or []:
            self.known(self.pipeline.speakers.resolve, name)
        try:
            with self.lane.turn() if self.lane.needed(backend) else nullcontext():
                answer = self.pipeline.ask(
                    request.question,
                    k=request.k,
                    docs=request.docs or None,
                    speakers=request.speakers or None,
                    history=request.pairs(),
                    llm=backend,
                )
        except PipelineError as exc:
            raise ApiRequestError(400, str(exc)) from None
        return answer.to_json()

    @staticmethod
    def known(resolve: Callable[[str], str], name: str) -> None:
        """A document or speaker filter that names nothing in the index is a 404."""
        try:
            resolve(name)
        except PipelineError as exc:
            raise ApiRequestError(404, str(exc)) from None

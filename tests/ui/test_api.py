"""`POST /api/ask` and the documents API over real HTTP, against `serve` as users start it."""

import base64
import json
import urllib.error
import urllib.request

from tests.helpers.users import INSTRUCTOR, TRAINEE

QUESTION = "How much of the UN peacekeeping budget does Japan pay?"


def call(
    url: str,
    method: str = "GET",
    body: dict | None = None,
    user: tuple[str, str] | None = None,
    data: bytes | None = None,
    content_type: str = "application/json",
) -> tuple[int, dict]:
    headers = {"Content-Type": content_type}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(user).encode()).decode()
    payload = json.dumps(body).encode() if body is not None else data
    request = urllib.request.Request(url, data=payload, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def without_timings(out: dict) -> dict:
    return {key: value for key, value in out.items() if key not in ("timings_ms",)}


def test_ask_returns_exactly_what_ask_json_prints(server, corpus_pipeline):
    status, out = call(server + "/api/ask", "POST", {"question": QUESTION, "k": 5})
    assert status == 200
    expected = corpus_pipeline.ask(QUESTION, k=5, llm="extractive").to_json()
    assert without_timings(out) == json.loads(json.dumps(without_timings(expected)))
    assert (
        out["citations"] and "10.8" in json.dumps(out["citations"]) and set(out["timings_ms"]) >= {"retrieve", "total"}
    )


def test_ask_takes_history_in_either_form_filters_and_backend(server):
    first = "What did Colonel Klaffus say about Afghanistan?"
    _, asked = call(server + "/api/ask", "POST", {"question": first})
    for history in ([[first, asked["answer"]]], [{"question": first, "answer": asked["answer"]}]):
        status, out = call(server + "/api/ask", "POST", {"question": "What else did he say?", "history": history})
        assert status == 200 and out["standalone_question"] != out["question"]
    status, out = call(
        server + "/api/ask",
        "POST",
        {
            "question": "What happened in Afghanistan?",
            "speakers": ["Klaffus"],
            "docs": ["symposium"],
            "llm": "extractive",
        },
    )
    assert status == 200 and out["retrieved"] and all(p["speaker"] == "Werner Klaffus" for p in out["retrieved"])


def test_ask_errors_are_one_line_json(server):
    cases = [
        ({"question": "   "}, 422, "question: the question is empty"),
        ({}, 422, "question: Field required"),
        ({"question": "Why?", "docs": ["no-such-minutes"]}, 404, "no document matches 'no-such-minutes'"),
        ({"question": "Why?", "speakers": ["Nobody Atall"]}, 404, "no speaker matches 'Nobody Atall'"),
        ({"question": "Why?", "llm": "gpt-9"}, 400, "unknown backend 'gpt-9'"),
        ({"question": "Why?", "k": 0}, 422, "k: "),
    ]
    for body, status, message in cases:
        got, out = call(server + "/api/ask", "POST", body)
        assert got == status and list(out) == ["error"] and message in out["error"] and "\n" not in out["error"], body
    got, out = call(server + "/api/ask", "POST", data=b"{not json", content_type="application/json")
    assert got == 422 and list(out) == ["error"]


def test_openapi_schema_describes_the_api(server):
    with urllib.request.urlopen(server + "/openapi.json") as response:
        schema = json.loads(response.read())
    assert {"/api/ask", "/api/documents", "/api/documents/{doc_id}"} <= set(schema["paths"])
    assert "AskRequest" in schema["components"]["schemas"] and "AskResponse" in schema["components"]["schemas"]
    with urllib.request.urlopen(server + "/docs") as response:
        assert "swagger" in response.read().decode().lower()


def test_open_desktop_app_lets_its_user_manage_minutes(server):
    status, docs = call(server + "/api/documents")
    assert status == 200 and {d["doc_id"] for d in docs} == {
        "2015-01-28-hippo-informal-meeting-tokyo",
        "2023-12-07-international-peace-security-symposium",
    }


def test_public_bind_refuses_callers_without_credentials(class_server):
    url, _ = class_server
    for user in (None, ("ann", "wrong"), ("eve", "ann-pw")):
        status, out = call(url + "/api/ask", "POST", {"question": QUESTION}, user=user)
        assert status == 401 and "sign in" in out["error"]
    status, out = call(url + "/api/ask", "POST", {"question": QUESTION}, user=TRAINEE)
    assert status == 200 and out["citations"]


def test_documents_api_is_for_instructors_only(class_server):
    url, _ = class_server
    for method, path in (
        ("GET", "/api/documents"),
        ("DELETE", "/api/documents/2015-01-28-hippo-informal-meeting-tokyo"),
    ):
        status, out = call(url + path, method, user=TRAINEE)
        assert status == 403 and "trainee" in out["error"]
        assert call(url + path, method)[0] == 401
    status, _ = call(
        url + "/api/documents",
        "POST",
        data=upload_body("x.txt", b"Hello."),
        user=TRAINEE,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert status == 403
    status, docs = call(url + "/api/documents", user=INSTRUCTOR)
    assert status == 200 and len(docs) == 2
    hippo = next(d for d in docs if d["doc_id"].startswith("2015"))
    assert hippo["layout"] == "numbered" and hippo["chunks"] > 10 and "Kenzo Oshima" in hippo["speakers"]


BOUNDARY = "minutes-rag-test-boundary"


def upload_body(name: str, data: bytes) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def upload(url: str, name: str, data: bytes) -> tuple[int, dict]:
    return call(
        url + "/api/documents",
        "POST",
        data=upload_body(name, data),
        user=INSTRUCTOR,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


TRANSCRIPT = (
    "Logistics committee, 2026-03-04\n\n"
    "The CHAIRPERSON: We open the session on the Zanzibar depot.\n\n"
    "Ms QUIMBY: The Zanzibar depot will store forty-two water purification units for the mission "
    "from next spring, and the convoy leaves every second Tuesday.\n\n"
    "The CHAIRPERSON: Thank you. The session is closed.\n"
)


def test_instructor_adds_asks_and_removes_minutes_over_http(class_server):
    url, root = class_server
    question = {"question": "How many water purification units will the Zanzibar depot store?"}
    status, added = upload(url, "2026-03-04-logistics.txt", TRANSCRIPT.encode())
    assert status == 201 and added["doc_id"] == "2026-03-04-logistics" and added["chunks"] >= 1
    assert (root / "corpus" / "2026-03-04-logistics.txt").read_text() == TRANSCRIPT
    status, out = call(url + "/api/ask", "POST", question, user=TRAINEE)
    assert status == 200 and out["citations"][0]["doc_id"] == "2026-03-04-logistics"  # only the new minutes answer
    assert upload(url, "2026-03-04-logistics.txt", b"Other text.")[0] == 409  # never replaced silently
    status, removed = call(url + "/api/documents/2026-03-04-logistics", "DELETE", user=INSTRUCTOR)
    assert status == 200 and removed["doc_id"] == "2026-03-04-logistics"
    assert not (root / "corpus" / "2026-03-04-logistics.txt").exists()
    assert [p.name.endswith("-2026-03-04-logistics.txt") for p in (root / "data" / "removed").iterdir()] == [True]
    _, out = call(url + "/api/ask", "POST", question, user=TRAINEE)
    assert all(c["doc_id"] != "2026-03-04-logistics" for c in out["citations"] + out["retrieved"])
    assert call(url + "/api/documents/2026-03-04-logistics", "DELETE", user=INSTRUCTOR)[0] == 404


def test_new_minutes_answer_with_their_own_facts(class_server):
    url, _ = class_server
    status, _ = upload(url, "2026-03-05-depot.txt", TRANSCRIPT.encode())
    assert status == 201
    try:
        question = {"question": "How many water purification units will the Zanzibar depot store?"}
        _, out = call(url + "/api/ask", "POST", question, user=TRAINEE)
        assert "forty-two" in out["answer"] and out["citations"][0]["doc_id"] == "2026-03-05-depot"
    finally:
        call(url + "/api/documents/2026-03-05-depot", "DELETE", user=INSTRUCTOR)


def test_unreadable_or_tricky_uploads_change_nothing(class_server):
    url, root = class_server
    _, before = call(url + "/api/documents", user=INSTRUCTOR)
    files = sorted((root / "corpus").iterdir())
    cases = [
        ("broken.pdf", b"%PDF-1.4 this is not really a PDF", "broken.pdf"),
        ("empty.txt", b"  \n", "empty"),
        ("latin1.txt", "Caf\xe9 minutes".encode("latin-1"), "latin1.txt"),
        ("../escape.txt", b"Hello there.", "not a plain file name"),
        ("notes.csv", b"a,b", "unsupported format"),
    ]
    for name, data, reason in cases:
        status, out = upload(url, name, data)
        assert status == 400 and reason in out["error"] and "\n" not in out["error"], (name, out)
    assert sorted((root / "corpus").iterdir()) == files
    assert not (root / "escape.txt").exists()
    assert call(url + "/api/documents", user=INSTRUCTOR)[1] == before

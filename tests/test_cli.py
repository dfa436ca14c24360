"""The command line as a user runs it: a real process, real index, exit codes and one-line errors."""

import json
import shutil
import subprocess
import sys

import pytest

from tests.helpers import HIPPO, ROOT


def run(*args, cwd, stdin=None, **env_extra):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "HF_HUB_OFFLINE": "1",
        "MINUTES_RAG_LLM": "extractive",
        **env_extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    work = tmp_path_factory.mktemp("cli")
    (work / "corpus").mkdir()
    shutil.copy(HIPPO, work / "corpus")
    shutil.copytree(ROOT / "prompts", work / "prompts")
    result = run("ingest", cwd=work)
    assert result.returncode == 0, result.stderr
    assert (
        f"added     {HIPPO.stem}: numbered layout, " in result.stdout
        and "% of paragraphs attributed to" in result.stdout
    )
    assert f"[1/1, 0 chunks so far] {HIPPO.name}: segmenting and embedding" in result.stderr  # progress
    return work


def test_reingest_reports_unchanged(workdir):
    result = run("ingest", cwd=workdir)
    assert result.returncode == 0 and f"unchanged {HIPPO.stem}" in result.stdout


def test_ask_batch_writes_one_json_object_a_line(workdir):
    batch = workdir / "questions.txt"
    batch.write_text(
        'What did Mr. Oshima say about Japan\'s share of the budget?\n{"question": "What is the capital of France?"}\n\n'
    )
    result = run("ask", "--batch", str(batch), cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2 and not lines[0]["refused"] and lines[1]["refused"]
    assert any(c["speaker"] == "Kenzo Oshima" for c in lines[0]["citations"])


def test_chunks_speakers_show(workdir):
    chunks = json.loads(run("chunks", "--json", cwd=workdir).stdout)
    assert chunks and {"id", "speaker", "role", "section", "kind", "text"} <= set(chunks[0])
    speakers = run("speakers", cwd=workdir).stdout
    assert "Ian Martin — Panel member" in speakers and "Mr. Martin" in speakers
    shown = run("show", f"{HIPPO.stem}#p11", cwd=workdir)
    assert shown.returncode == 0 and "(¶6)" in shown.stdout and "Kenzo Oshima" in shown.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("ask", ""), "the question is empty"),
        (("show", "nope#p1"), "no paragraph with id 'nope#p1'"),
        (("ask", "x", "--speaker", "Napoleon"), "no speaker matches 'Napoleon'"),
        (("ingest", "missing.txt"), "missing.txt: no such file"),
        (("remove", "unknown-doc"), "no document matches 'unknown-doc'"),
    ],
)
def test_errors_are_one_line(workdir, args, message):
    result = run(*args, cwd=workdir)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("minutes-rag: error: ")
    assert message in result.stderr and "Traceback" not in result.stderr


def test_data_dir_from_flag_and_environment(workdir, tmp_path):
    result = run("ask", "Who spoke?", "--data-dir", str(tmp_path / "empty"), cwd=workdir)
    assert result.returncode == 1 and "run `minutes-rag ingest`" in result.stderr
    result = run("speakers", cwd=workdir, MINUTES_RAG_DATA_DIR=str(tmp_path / "empty"))
    assert result.returncode == 0 and "Ian Martin" not in result.stdout
    assert "Ian Martin" in run("speakers", cwd=workdir).stdout


def test_eval_gates_on_thresholds_and_rejects_bad_gold(workdir):
    gold = workdir / "gold.jsonl"
    item = {
        "id": "g1",
        "question": "What share of the UN peacekeeping budget does Japan pay?",
        "type": "numeric",
        "answer": "10.8 %",
        "must_mention": ["10.8"],
        "evidence": [{"doc": HIPPO.stem, "speaker": "Kenzo Oshima", "quote": "at around 10.8 % of the overall budget"}],
    }
    gold.write_text(json.dumps(item) + "\n")
    pairs = ROOT / "eval" / "gold" / "judge_pairs.jsonl"
    common = ("eval", "--gold", str(gold), "--judge-pairs", str(pairs), "--no-baseline", "--out", str(workdir / "r"))
    ok = run(*common, "--fail-under", "recall@k=0.5", cwd=workdir)
    assert ok.returncode == 0, ok.stderr
    assert (workdir / "r" / "report.md").exists()
    failing = run(*common, "--fail-under", "recall@k=1.5", cwd=workdir)
    assert failing.returncode == 1 and "below threshold: recall@k" in failing.stderr
    gold.write_text(json.dumps(item) + "\n{oops\n")
    bad = run(*common, cwd=workdir)
    assert bad.returncode == 1 and "gold.jsonl line 2: not valid JSON" in bad.stderr


def test_ingest_warns_when_a_transcript_gets_few_speakers(tmp_path):
    (tmp_path / "corpus").mkdir()
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    # every paragraph opens like a turn, but with labels no layout can take for a speaker
    lines = [f"qz{i}x: we discussed item {i} of the ferry budget at some length today." for i in range(1, 13)]
    (tmp_path / "corpus" / "call.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    result = run("ingest", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("minutes-rag: warning: call:")]
    assert len(warnings) == 1 and "attributed to a speaker" in warnings[0]


def test_ask_batch_runs_a_conversation_from_its_history(workdir):
    batch = workdir / "conversation.jsonl"
    batch.write_text(
        json.dumps(
            {
                "question": "And what did he say about the budget?",
                "history": ["What did Mr. Oshima say about Japan's contribution?"],
            }
        )
        + "\n"
    )
    result = run("ask", "--batch", str(batch), cwd=workdir)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    # "he" is the person the earlier question named
    assert "Oshima" in record["standalone_question"] and record["citations"]


def test_an_index_of_an_older_version_is_refused_in_one_line_and_rebuilt(tmp_path):
    (tmp_path / "corpus").mkdir()
    shutil.copy(HIPPO, tmp_path / "corpus")
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    (tmp_path / ".minutes-rag").mkdir()
    (tmp_path / ".minutes-rag" / "catalog.json").write_text(
        "{}"
    )  # what minutes-rag kept before its index moved into Chroma
    refused = run("ingest", cwd=tmp_path)
    assert refused.returncode == 1 and "--rebuild" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    rebuilt = run("ingest", "--rebuild", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"added     {HIPPO.stem}" in rebuilt.stdout

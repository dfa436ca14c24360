"""The `local` backend with the real small model (Qwen2.5 0.5B instruct, Q4_K_M) run by llama.cpp."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from rag.llm import LLMError, chat, describe, last_usage, make_llm, stream

pytestmark = pytest.mark.slow

SYSTEM = "You answer questions about meeting minutes. Answer in one short sentence. " * 6
QUESTION = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": "What is the capital of France?"},
]
LONGER = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": "In one sentence: why do committees keep minutes of their meetings?"},
]


@pytest.fixture(scope="module")
def llm(local_settings) -> LLM:
    return make_llm(local_settings)


def test_is_a_llama_index_llm_described_by_name(llm):
    assert isinstance(llm, LLM)
    assert describe(llm) == {"backend": "local", "model": "qwen2.5-0.5b"}
    assert llm.metadata.is_chat_model and llm.metadata.context_window == 4096


def test_short_chat_answer(llm):
    text = chat(llm, QUESTION)
    assert "Paris" in text
    assert "<|im_end|>" not in text and "<|im_start|>" not in text  # the chat template's stop token works


def test_stream_yields_pieces_that_add_up_to_the_answer(llm):
    responses = list(llm.stream_chat([ChatMessage(role=MessageRole(m["role"]), content=m["content"]) for m in LONGER]))
    deltas = [r.delta for r in responses]
    assert len([d for d in deltas if d]) >= 5
    assert "".join(deltas) == responses[-1].message.content
    pieces = list(stream(llm, LONGER))
    assert len(pieces) >= 5
    assert "".join(pieces) == chat(llm, LONGER)


def test_usage_of_the_last_call(llm):
    chat(llm, LONGER)
    usage = last_usage(llm)
    assert usage["prompt_tokens"] > 50
    assert usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert 0 < usage["time_to_first_token_s"] <= usage["total_s"]
    assert usage["generation_tokens_per_s"] and usage["generation_tokens_per_s"] > 1
    assert usage["finish_reason"] == "stop"
    fresh = [{"role": "user", "content": "Name a colour of the rainbow. " + "Answer with one word. " * 30}]
    chat(llm, fresh)
    usage = last_usage(llm)
    assert usage["prompt_eval_tokens"] > 50 and usage["prompt_tokens_per_s"] > 10


def test_shared_system_prompt_is_not_evaluated_again(llm):
    chat(llm, QUESTION)
    other = [QUESTION[0], {"role": "user", "content": "Which planet is called the red planet?"}]
    chat(llm, other)
    usage = last_usage(llm)
    # everything up to the user's message was kept in llama.cpp's KV cache from the previous call
    assert usage["cached_prompt_tokens"] >= 60
    assert usage["prompt_eval_tokens"] < 30


def test_answer_is_cut_at_max_tokens(local_settings):
    llm = make_llm(local_settings.replace(llm_max_tokens=5))
    chat(llm, [{"role": "user", "content": "Count from one to fifty in words, separated by commas."}])
    usage = last_usage(llm)
    assert usage["completion_tokens"] == 5 and usage["finish_reason"] == "length"


def test_timeout_stops_generation_with_one_line(local_settings):
    llm = make_llm(local_settings.replace(llm_timeout_s=0.3, llm_max_tokens=400))
    started = time.monotonic()
    with pytest.raises(LLMError) as exc:
        chat(llm, [{"role": "user", "content": "Write the numbers from 1 to 300, one per line."}])
    assert time.monotonic() - started < 5
    assert "did not finish within 0.3 s" in str(exc.value) and "\n" not in str(exc.value)


def test_prompt_larger_than_the_context_is_refused(llm):
    with pytest.raises(LLMError) as exc:
        chat(llm, [{"role": "user", "content": "minutes " * 5000}])
    assert "context" in str(exc.value) and "\n" not in str(exc.value)


def test_concurrent_calls_take_turns_and_keep_their_own_usage(llm):
    results: dict[int, tuple[str, dict]] = {}
    prompts = {0: QUESTION, 1: [QUESTION[0], {"role": "user", "content": "What is the capital of Italy? " * 5}]}

    def ask(i):
        text = chat(llm, prompts[i])
        results[i] = (text, last_usage(llm))

    threads = [threading.Thread(target=ask, args=(i,)) for i in prompts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert "Paris" in results[0][0] and "Rome" in results[1][0]
    assert results[1][1]["prompt_tokens"] > results[0][1]["prompt_tokens"] + 20


def test_reading_part_of_a_stream_frees_the_model(local_settings):
    llm = make_llm(local_settings.replace(llm_timeout_s=5))
    pieces = stream(llm, LONGER)
    assert next(pieces) and next(pieces)
    pieces.close()
    assert "Paris" in chat(llm, QUESTION)  # would wait 5 s for the lock and fail if the stream still held it


def test_one_model_instance_per_process(local_settings, llm):
    # a second build shares the loaded model: it answers without a second load
    started = time.perf_counter()
    again = make_llm(local_settings)
    assert time.perf_counter() - started < 2.0  # loading the GGUF takes several seconds
    assert chat(again, QUESTION) == chat(llm, QUESTION)


@pytest.mark.parametrize("mmap", [False, True])
def test_the_weights_are_read_or_mapped_as_the_settings_say(local_settings, mmap):
    settings = local_settings.model_copy(update={"llm_mmap": mmap})
    llm = make_llm(settings)
    # a mapped GGUF shows in the process's memory map; a read one does not (its pages are the process's own)
    assert (llm.model_path in Path("/proc/self/maps").read_text()) is mmap
    assert "Paris" in chat(llm, QUESTION)


def test_describe_and_usage(llm):
    assert describe(llm)["backend"] == "local"
    assert chat(llm, [{"role": "user", "content": "Reply with the single word OK."}], max_tokens=8).strip()

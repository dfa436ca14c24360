"""The `local` backend: a GGUF model run in-process by llama.cpp (llama-cpp-python), as a llama-index LLM.

Why not llama-index's own `LlamaCPP`: it downloads a Llama-2 model from the web when `model_path` is
missing, formats chats with a generic template unless given one, runs the completion API only (no
usage for streams), and flips a shared `generate_kwargs["stream"]` on every call. This thin `CustomLLM`
instead:

- renders the chat with the chat template stored in the GGUF (Qwen2.5's ChatML, with `<|im_end|>`
  as the stop token), through llama-cpp-python's own `Jinja2ChatFormatter`;
- keeps one `llama_cpp.Llama` per model file and parameters in the process, loaded on first use;
- leaves llama-cpp-python's prefix reuse on: the KV cache of the previous prompt is kept and a new
  prompt only evaluates the tokens after the prefix they share (a fixed system prompt is read once);
- stops generation at `llm_timeout_s` through a stopping criterion, and refuses a prompt that does
  not fit `llm_context`;
- records tokens and speeds of each call (`last_usage`).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

from rag.llm import LLMError
from rag.llm.base import last_usage, rate, record_usage
from rag.llm.model_file import model_path
from rag.settings import Settings

# Used only for a GGUF without a chat template of its own (a user-given llm_model_path): Qwen's format.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class LoadedModel:
    """One llama.cpp model in memory with its chat formatter; calls on it are serialised by `lock`.

    llama.cpp contexts are not thread-safe, and the prefix cache only helps if calls share one context.
    """

    def __init__(self, path: Path, n_ctx: int, n_threads: int, n_batch: int, mmap: bool = False):
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        started = time.perf_counter()
        try:
            self.llama = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_batch=n_batch,
                n_ubatch=n_batch,
                use_mmap=mmap,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise LLMError(f"llama.cpp cannot load the model {path}: {str(exc).splitlines()[0]}") from None
        self.load_s = time.perf_counter() - started
        self.path = path
        self.n_ctx = self.llama.n_ctx()
        self.lock = threading.Lock()
        eos_id = self.llama.token_eos()
        bos_id = self.llama.token_bos()
        self.eos_text = self._token_text(eos_id)
        template = self.llama.metadata.get("tokenizer.chat_template") or CHATML_TEMPLATE
        self.formatter = Jinja2ChatFormatter(
            template=template,
            eos_token=self.eos_text,
            bos_token=self._token_text(bos_id),
            stop_token_ids=[eos_id],
        )

    def _token_text(self, token_id: int) -> str:
        if token_id < 0:
            return ""
        return self.llama.detokenize([token_id], special=True).decode("utf-8", errors="ignore")

    def render(self, messages: list[dict[str, str]]) -> str:
        return self.formatter(messages=messages).prompt  # type: ignore[arg-type]  # llama.cpp's TypedDicts are plain dicts

    def tokenize(self, prompt: str) -> list[int]:
        # the template already wrote any BOS the model wants; special=True reads <|im_start|> as one token
        return self.llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)


_LOADED: dict[tuple, LoadedModel] = {}
_LOADED_LOCK = threading.Lock()


def load_model(path: Path, n_ctx: int, n_threads: int, n_batch: int, mmap: bool = False) -> LoadedModel:
    """The process-wide instance for these parameters, loaded on first use (loading takes seconds)."""
    key = (str(Path(path).resolve()), n_ctx, n_threads, n_batch, mmap)
    with _LOADED_LOCK:
        model = _LOADED.get(key)
        if model is None:
            model = _LOADED[key] = LoadedModel(Path(path), n_ctx, n_threads, n_batch, mmap)
        return model


def unload_models() -> None:
    """Free every loaded model (the benchmark loads models one after the other; at exit, before
    the interpreter tears down the modules llama.cpp's destructor needs)."""
    with _LOADED_LOCK:
        for model in _LOADED.values():
            with model.lock:
                model.llama.close()
        _LOADED.clear()


atexit.register(unload_models)


class _Meter:
    """A llama.cpp stopping criterion that never stops a healthy call: it notes when the first token was
    sampled (time to first token) and stops generation once the deadline has passed."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.first_token_at: float | None = None
        self.timed_out = False

    def __call__(self, input_ids: Any, logits: Any) -> bool:
        now = time.perf_counter()
        if self.first_token_at is None:
            self.first_token_at = now
        if now > self.deadline:
            self.timed_out = True
            return True
        return False


class LocalLlamaLLM(CustomLLM):
    """A GGUF chat model run in this process. Build it with `build(settings)`."""

    backend: ClassVar[str] = "local"
    accepts_grammar: ClassVar[bool] = True  # `grammar=` (GBNF text) constrains what the model can write

    model_name: str = Field(description="The packaged model's name, or the GGUF file name.")
    model_path: str = Field(description="The GGUF file.")
    context_window: int = Field(description="Tokens of prompt plus answer (llama.cpp n_ctx).")
    max_tokens: int = Field(description="Most tokens an answer may have.")
    temperature: float = Field(default=0.0, description="0 picks the likeliest token: the same answer every time.")
    timeout_s: float = Field(description="A call stops generating after this many seconds.")
    n_threads: int = Field(description="CPU threads for prompt and generation.")
    n_batch: int = Field(description="Prompt tokens evaluated per llama.cpp batch.")
    mmap: bool = Field(default=False, description="Map the GGUF file instead of reading it (setting llm_mmap).")

    _model: LoadedModel = PrivateAttr()

    def __init__(self, **data: Any):
        super().__init__(**data)
        self._model = load_model(Path(self.model_path), self.context_window, self.n_threads, self.n_batch, self.mmap)

    @classmethod
    def class_name(cls) -> str:
        return "minutes_rag_local_llm"

    @property
    def loaded(self) -> LoadedModel:
        """The llama.cpp model itself, for callers that need more than text (the LLM judge reads
        next-token probabilities); hold `loaded.lock` while using it."""
        return self._model

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self._model.n_ctx,
            num_output=self.max_tokens,
            model_name=self.model_name,
            is_chat_model=True,
        )

    def where(self) -> str:
        return f"the local model {self.model_name}"

    def secrets(self) -> list[str]:
        return []

    def forget_prompt_cache(self) -> None:
        """Drop the kept KV cache, so the next prompt is evaluated in full (benchmarks measure cold prompts)."""
        with self._model.lock:
            self._model.llama.reset()

    def usage_from(self, raw: Any) -> dict[str, Any]:
        return last_usage(self)  # counted by llama.cpp itself in `_generate`

    # --- llama-index interface -------------------------------------------------------------------

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join(self._generate(self._model.render(_as_dicts(messages)), **kwargs))
        return ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, content=text), raw={"usage": last_usage(self)}
        )

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        prompt = self._model.render(_as_dicts(messages))

        def gen() -> ChatResponseGen:
            text = ""
            for delta in self._generate(prompt, **kwargs):
                text += delta
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        prompt = prompt if formatted else self._model.render([{"role": "user", "content": prompt}])
        text = "".join(self._generate(prompt, **kwargs))
        return CompletionResponse(text=text, raw={"usage": last_usage(self)})

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        prompt = prompt if formatted else self._model.render([{"role": "user", "content": prompt}])

        def gen() -> CompletionResponseGen:
            text = ""
            for delta in self._generate(prompt, **kwargs):
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()

    # --- the one generation loop -----------------------------------------------------------------

    def _generate(
        self,
        prompt: str,
        max_tokens: int | None = None,
        temperature: float | None = None,
        grammar: str | None = None,
        **_: Any,
    ) -> Iterator[str]:
        """Yield the answer's text pieces as llama.cpp produces them (only what `grammar`, a GBNF
        text, allows when one is given); record usage when done."""
        import llama_cpp

        model = self._model
        if not model.lock.acquire(timeout=self.timeout_s):
            raise LLMError(f"{self.where()} is busy with another question for more than {self.timeout_s:g} s")
        try:
            started = time.perf_counter()
            tokens = model.tokenize(prompt)
            room = model.n_ctx - len(tokens)
            if room < 1:
                raise LLMError(
                    f"the prompt has {len(tokens)} tokens, more than the {model.n_ctx}-token context of "
                    f"{self.where()} (setting llm_context)"
                )
            limit = min(max_tokens or self.max_tokens, room)
            meter = _Meter(started + self.timeout_s)
            _perf_reset(model.llama)
            pieces = model.llama.create_completion(
                tokens,
                max_tokens=limit,
                temperature=self.temperature if temperature is None else temperature,
                stop=[model.eos_text] if model.eos_text else [],
                stopping_criteria=llama_cpp.StoppingCriteriaList([meter]),
                grammar=compiled_grammar(grammar) if grammar else None,
                stream=True,
            )
            finish = None
            for piece in pieces:  # a stream of completion chunks (stream=True)
                choice: Any = piece["choices"][0]  # type: ignore[index]
                finish = choice.get("finish_reason") or finish
                if choice["text"]:
                    yield choice["text"]
            ended = time.perf_counter()
            if finish == "length":
                completion = limit
            else:  # every sampled token but the end-of-turn one was fed back to the model
                completion = max(model.llama.n_tokens - len(tokens), 0)
            record_usage(
                self, _usage(model.llama, len(tokens), completion, started, meter.first_token_at, ended, finish)
            )
            if meter.timed_out:
                raise LLMError(
                    f"{self.where()} did not finish within {self.timeout_s:g} s ({completion} tokens generated); "
                    f"raise llm_timeout_s or lower llm_max_tokens"
                )
        finally:
            model.lock.release()


@functools.lru_cache(maxsize=32)
def compiled_grammar(gbnf: str) -> Any:
    """A GBNF text for llama.cpp (cached: an answer grammar differs only by its passage count)."""
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_string(gbnf, verbose=False)


def _as_dicts(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    roles = {"chatbot": "assistant", "model": "assistant", "developer": "system"}
    out = []
    for m in messages:
        role = m.role.value if isinstance(m.role, MessageRole) else str(m.role)
        out.append({"role": roles.get(role, role), "content": m.content or ""})
    return out


def _perf_reset(llama: Any) -> None:
    import llama_cpp

    # a llama-cpp-python without perf counters: only wall-clock figures then
    with contextlib.suppress(AttributeError):
        llama_cpp.llama_perf_context_reset(llama._ctx.ctx)


def _usage(
    llama: Any,
    prompt_tokens: int,
    completion_tokens: int,
    started: float,
    first_token_at: float | None,
    ended: float,
    finish: str | None,
) -> dict:
    """Tokens and speeds of one call. Prompt and generation speeds are llama.cpp's own counters; the
    times to first token and in total are wall-clock, as a user sees them."""
    import llama_cpp

    usage: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "time_to_first_token_s": round((first_token_at or ended) - started, 4),
        "total_s": round(ended - started, 4),
        "finish_reason": finish,
    }
    try:
        perf = llama_cpp.llama_perf_context(llama._ctx.ctx)
    except AttributeError:
        return usage
    evaluated = min(perf.n_p_eval, prompt_tokens)
    usage.update(
        {
            # tokens whose KV entries were kept from the previous call (the shared prefix)
            "cached_prompt_tokens": prompt_tokens - evaluated,
            "prompt_eval_tokens": evaluated,
            "prompt_eval_s": round(perf.t_p_eval_ms / 1000, 4),
            "prompt_tokens_per_s": rate(perf.n_p_eval, perf.t_p_eval_ms / 1000),
            "generation_s": round(perf.t_eval_ms / 1000, 4),
            "generation_tokens_per_s": rate(perf.n_eval, perf.t_eval_ms / 1000),
        }
    )
    return usage


def build(settings: Settings) -> LocalLlamaLLM:
    path = model_path(settings)
    name = Path(settings.llm_model_path).name if settings.llm_model_path else settings.llm_model
    return LocalLlamaLLM(
        model_name=name,
        model_path=str(path),
        context_window=settings.llm_context,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        timeout_s=settings.llm_timeout_s,
        n_threads=settings.llm_threads or _cpu_count(),
        n_batch=settings.llm_batch or 256,
        mmap=settings.llm_mmap,
    )


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1

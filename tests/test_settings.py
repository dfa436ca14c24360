from pathlib import Path

import pytest

from rag.settings import Settings, SettingsError


def test_defaults():
    s = Settings.load(env={}, config_file=Path("/nonexistent.toml"))
    assert s.data_dir == Path(".minutes-rag") and s.k == 5 and s.llm


def test_precedence_file_then_env_then_flags(tmp_path):
    config = tmp_path / "minutes-rag.toml"
    config.write_text('k = 7\ndata_dir = "from-file"\nllm = "extractive"\n')
    s = Settings.load(env={}, config_file=config)
    assert s.k == 7 and s.data_dir == Path("from-file")
    s = Settings.load(env={"MINUTES_RAG_DATA_DIR": "from-env", "MINUTES_RAG_K": "9"}, config_file=config)
    assert s.data_dir == Path("from-env") and s.k == 9
    s = Settings.load(
        {"data_dir": Path("from-flag"), "k": None}, env={"MINUTES_RAG_DATA_DIR": "from-env"}, config_file=config
    )
    assert s.data_dir == Path("from-flag") and s.k == 7


@pytest.mark.parametrize(
    "env, config, message",
    [
        ({"MINUTES_RAG_K": "five"}, "", "MINUTES_RAG_K"),
        ({}, "nonsense = 1\n", "unknown setting 'nonsense'"),
        ({}, "k = [", "not valid TOML"),
        # invalid values name the setting and where it came from
        ({"MINUTES_RAG_K": "-1"}, "", "MINUTES_RAG_K"),
        ({}, 'refuse_unknown_terms = "ture"\n', "'refuse_unknown_terms' in"),
        ({}, "min_relevance = 3.5\n", "'min_relevance' in"),
        ({"MINUTES_RAG_LLM_TEMPERATURE": "hot"}, "", "MINUTES_RAG_LLM_TEMPERATURE"),
        ({"MINUTES_RAG_ANSWER_KINDS": "count,colour"}, "", "MINUTES_RAG_ANSWER_KINDS"),
        ({}, 'answer_kinds = ["time", 3]\n', "'answer_kinds' in"),
    ],
)
def test_bad_settings_are_one_line_errors(tmp_path, env, config, message):
    path = tmp_path / "minutes-rag.toml"
    path.write_text(config)
    with pytest.raises(SettingsError) as err:
        Settings.load(env=env, config_file=path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_public_hides_secrets():
    s = Settings.load(env={"MINUTES_RAG_OPENAI_API_KEY": "sk-secret"}, config_file=Path("/nonexistent.toml"))
    assert s.openai_api_key == "sk-secret"
    assert "sk-secret" not in str(s.public())


def test_replace_validates():
    s = Settings.load(env={}, config_file=Path("/nonexistent.toml"))
    assert s.replace(k=9).k == 9
    with pytest.raises(SettingsError, match="'k' in replace"):
        s.replace(k=0)


def test_a_list_is_written_with_commas_in_the_environment_and_as_a_list_in_the_file(tmp_path):
    config = tmp_path / "minutes-rag.toml"
    config.write_text('answer_kinds = ["name"]\n')
    assert Settings.load(env={}, config_file=config).answer_kinds == ["name"]
    env = {"MINUTES_RAG_ANSWER_KINDS": "count, time"}
    assert Settings.load(env=env, config_file=config).answer_kinds == ["count", "time"]
    config.write_text("answer_kinds = []\n")
    assert Settings.load(env={}, config_file=config).answer_kinds == []

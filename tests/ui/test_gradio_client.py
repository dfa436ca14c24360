from gradio_client import Client


def test_chat_endpoint_answers_with_citations(server):
    client = Client(server + "/", verbose=False)
    chat, sources, question = client.predict(
        "How much of the UN peacekeeping budget does Japan pay?", [], [], [], 5, "extractive", api_name="/ask"
    )
    answer = chat[-1]["content"][0]["text"] if isinstance(chat[-1]["content"], list) else chat[-1]["content"]
    assert 'class="mr-cite"' in answer and 'href="/minutes/' in answer
    assert "10.8 %" in sources and "Kenzo Oshima" in sources and question == ""


def test_empty_question_does_nothing(server):
    client = Client(server + "/", verbose=False)
    chat, _, _ = client.predict("   ", [], [], [], 5, "extractive", api_name="/ask")
    assert chat == []

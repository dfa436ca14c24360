from ui.chat import ChatService
from ui.lane import ModelLane

BUDGET = "How much of the UN peacekeeping budget does Japan pay?"


def test_a_model_question_shows_its_place_while_the_model_is_busy(corpus_pipeline):
    lane = ModelLane()
    service = ChatService(corpus_pipeline, ["local", "extractive"], lane)
    with lane.ticket():  # another user's answer is being written
        replies = service.respond(BUDGET, [], [], [], [], 5, "local")
        chat, turns, _, question = next(replies)
        assert "Waiting for the model: 1 question ahead of yours." in chat[-1]["content"]
        assert chat[0] == {"role": "user", "content": BUDGET} and question == BUDGET and turns == []
        replies.close()  # the user leaves
    with lane.ticket() as ticket:
        assert ticket.ahead() == 0  # the abandoned question gave up its place


def test_extractive_answers_are_not_held_up_behind_the_model(corpus_pipeline):
    lane = ModelLane()
    service = ChatService(corpus_pipeline, ["local", "extractive"], lane)
    with lane.ticket():  # the model is busy
        *_, (chat, turns, sources, question) = service.respond(BUDGET, [], [], [], [], 5, "extractive")
    assert 'class="mr-cite"' in chat[-1]["content"] and "10.8" in sources and question == ""
    assert turns[-1]["citations"]


def test_a_follow_up_shows_what_was_searched_for(corpus_pipeline):
    service = ChatService(corpus_pipeline, ["extractive"], ModelLane())
    *_, (chat, turns, _, _) = service.respond(
        "What did Colonel Klaffus say about Afghanistan?", [], [], [], [], 5, "extractive"
    )
    *_, (chat, turns, _, _) = service.respond("What else did he say?", chat, turns, [], [], 5, "extractive")
    assert turns[-1]["standalone_question"] != "What else did he say?"
    assert "Searching for: " + turns[-1]["standalone_question"].replace("'", "&#39;") in chat[-1]["content"]

import threading

from ui.lane import ModelLane


def test_questions_take_the_model_in_arrival_order_and_see_how_many_are_ahead():
    lane = ModelLane()
    names = ("first", "second", "third")
    seen: dict[str, list[int]] = {name: [] for name in names}
    turn = {name: threading.Event() for name in names}
    release = {name: threading.Event() for name in names}

    def ask(name: str, joined: threading.Event) -> None:
        with lane.ticket() as ticket:
            for ahead in ticket.waiting():
                seen[name].append(ahead)
                joined.set()  # its first place is recorded
            joined.set()
            turn[name].set()
            release[name].wait(10)

    threads = []
    for name in names:
        joined = threading.Event()
        threads.append(threading.Thread(target=ask, args=(name, joined)))
        threads[-1].start()
        joined.wait(10)
    assert turn["first"].wait(10) and not turn["second"].is_set()
    assert seen == {"first": [], "second": [1], "third": [2]}
    release["first"].set()
    assert turn["second"].wait(10) and not turn["third"].is_set()
    release["second"].set()
    assert turn["third"].wait(10)
    release["third"].set()
    for thread in threads:
        thread.join(10)
    assert seen["second"] == [1] and seen["third"][0] == 2 and seen["third"][-1] in (1, 2)


def test_a_failed_or_abandoned_question_gives_up_its_place():
    lane = ModelLane()
    try:
        with lane.ticket():
            raise RuntimeError("model crashed")
    except RuntimeError:
        pass
    with lane.ticket() as ticket:
        assert ticket.ahead() == 0


def test_extractive_answers_never_take_the_model():
    lane = ModelLane()
    assert not lane.needed("extractive") and lane.needed("local") and lane.needed("openai")

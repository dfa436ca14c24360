from llama_index.core.schema import NodeWithScore, TextNode

from rag.retrieve import Passage, to_passages
from tests.index.conftest import V1, doc


class _Index:
    def __init__(self, chunks):
        self._chunks = {c.id: c for c in chunks}

    def chunk(self, chunk_id):
        return self._chunks.get(chunk_id)


def _node(chunk_id, score, dense):
    return NodeWithScore(node=TextNode(id_=chunk_id, text="", metadata={"dense": dense}), score=score)


def test_nodes_become_passages_in_order():
    _, chunks = doc(V1)
    passages = to_passages([_node("doc#p3", 0.03, 0.61), _node("doc#p2", 0.02, 0.4)], _Index(chunks))
    assert passages == [Passage(chunks[2], 0.03, 0.61, 1), Passage(chunks[1], 0.02, 0.4, 2)]


def test_a_chunk_removed_meanwhile_is_skipped_and_ranks_close_up():
    _, chunks = doc(V1)
    passages = to_passages([_node("doc#p3", 0.03, 0.6), _node("gone#p1", 0.02, 0.5), _node("doc#p4", 0.01, 0.4)], _Index(chunks))
    assert [(p.chunk.id, p.rank) for p in passages] == [("doc#p3", 1), ("doc#p4", 2)]

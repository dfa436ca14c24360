import pytest

from rag.segment import segment_minutes


@pytest.fixture(scope="session")
def hippo(hippo_source):
    return segment_minutes(hippo_source)


@pytest.fixture(scope="session")
def symposium(symposium_source):
    return segment_minutes(symposium_source)

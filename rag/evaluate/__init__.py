"""The evaluation harness: gold questions through the very pipeline the chat uses, scored for
retrieval, citation quality (ALCE), faithfulness (RAGAS-style), correctness and latency, side by
side with a plain LlamaIndex baseline."""

"""The verify stage: citation markers parsed and renumbered (`citations.py`), every cited sentence
checked against its passages and a small model's citations repaired (`support.py`), wired as one
component (`verifier.Verifier`)."""

"""The query stage: a question cleaned, a follow-up made standalone, the documents and speakers
it names resolved, and names or figures the minutes never mention found (`analyse.QueryAnalyser`)."""

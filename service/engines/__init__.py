"""Translation and summarization engines behind the batch protocols of `base`."""

"""The article as a document: markup parsed into flows and rendered back (`markup`, `inline`),
sentences (`segment`), paragraphs as editors see them (`paragraphs`), and the markup a version
may hold (`sanitize`).

Pure functions on text, with no engine, store or pipeline behind them. They live below both
the pipeline (which translates the flows) and the store (which keeps review rules: an editor's
save is sanitized, approved sentences are aligned into the memory), so that dependencies point
one way: api/web -> pipeline -> engines and store -> document.
"""

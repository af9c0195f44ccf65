"""QA flags: where a translation likely differs from its source in a way an editor must check.

Each check (`figures`, `words`, `markup`, `shape`) is a pure function over one source text, its
translation and the language pair, returning `Finding`s; `version` runs them over every field
and body paragraph of a version and says where each finding is. Flags are computed when a draft
is made and when an editor saves, and stored with the revision, so reads never recompute them.
"""

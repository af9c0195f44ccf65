"""newsdesk: English/Spanish machine drafts and summaries for a bilingual newsroom."""

__version__ = "0.1.0"

"""Korean-aware search over knowledge-base sections (Kiwi morphology + per-field BM25 with Whoosh).

This package knows nothing of topics' legal meaning, referrals or HTTP: it turns section
documents into an index and questions into ranked section hits.
"""

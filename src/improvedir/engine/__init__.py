"""Stage 2: the questions asked of a Directory.

Search, coverage, organisations, the plan of a conversation (what to offer whom), what a
follow-up makes of a logged call, and drafting new content files. Pure functions over the
model: no printing, no files kept between runs.
"""

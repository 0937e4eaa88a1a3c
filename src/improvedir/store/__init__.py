"""Stage 3: what is kept between runs.

The search cache and its fingerprint, the conversation log (append, lock, read), and the
user folders they live in. May use the engine (the cache stores a built search index).
"""

"""Stage 4: how answers look.

The conversation script in text, markdown, email and JSON; check and gaps reports; the
search list; terminal handling. Renders values it is given; reads nothing itself.
"""

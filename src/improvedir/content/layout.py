"""The shape of a content folder, shared by the reader and the cache's fingerprint.

Kept apart from :mod:`improvedir.files` so that checking whether the cache is current does
not import the YAML machinery.
"""

AREAS_FILE = "areas.yaml"
KINDS = ("tactics", "exemplars")
SUFFIXES = (".yaml", ".yml")

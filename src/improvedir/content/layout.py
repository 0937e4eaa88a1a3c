"""The shape of a content folder, shared by the reader and the cache's fingerprint.

Kept apart from :mod:`improvedir.files` so that checking whether the cache is current does
not import the YAML machinery.
"""

AREAS_FILE = "areas.yaml"
#: Optional: the catalogue of national measures that areas and tactics refer to.
MEASURES_FILE = "measures.yaml"
KINDS = ("tactics", "exemplars")
SUFFIXES = (".yaml", ".yml")

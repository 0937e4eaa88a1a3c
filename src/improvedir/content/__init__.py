"""Stage 1: content files become a checked, immutable :class:`~.model.Directory`.

Reading (``yamlsafe``, ``files``), checking (``schemacheck``, ``validate``), where the
content is (``locate``, ``resources``, ``layout``), the model itself and its diagnostics.
Imports nothing from the stages above.
"""

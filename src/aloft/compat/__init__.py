"""flytekit's extension API, adapted onto aloft: the one place flytekit's shapes live.

aloft's own types, transformers and IR are its own; this package lets code written against
flytekit's extension API run unchanged, translating at the edge:

- :mod:`.literals` and :mod:`.literal_types`: flytekit's models (``Literal``, ``Scalar``,
  ``Blob``, ``LiteralType``, ``SimpleType``, ``BlobType``, ...);
- :mod:`.literal_translation` and :mod:`.type_translation`: those models to aloft's IR and
  back;
- :mod:`.context` and :mod:`.file_access`: ``FlyteContext``, ``FlyteContextManager`` and
  ``ctx.file_access`` over aloft's data context and blob store;
- :mod:`.type_transformer` and :mod:`.type_engine`: ``TypeTransformer[T]`` and
  ``TypeEngine``, registered into aloft's transformer registry;
- :mod:`.structured`: ``StructuredDatasetEncoder``/``Decoder`` with flytekit's signatures;
- :mod:`.interface`: ``Interface(inputs=..., outputs=...)`` for ``PythonTask`` subclasses.

Users import these names from ``aloft`` (and ``aloft.extend``), as they import them from
``flytekit`` and ``flytekit.extend``; the modules here are not named as flytekit's.
"""

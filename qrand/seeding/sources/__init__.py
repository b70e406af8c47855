"""One small module per random source, each with the same few names.

Every source module defines:

``NAME``         registry name (``qrand seed`` and ``libraries=`` use it)
``MODULE``       import name whose import triggers seeding (``None``: always seed now)
``PATH``         the well-known child path its seed comes from (a breaking change to alter)
``BITS``         seed width it accepts (32 or 64)
``available()``  installed? (never imports the framework)
``seed(value)``  seed the library's global state
``get_state()``  a snapshot of that state (only called when ``MODULE`` is imported)
``set_state(s)`` restore a snapshot
``describe()``   JSON-ready facts (version, hidden defaults) for ``qrand info``

The registry (:mod:`qrand.seeding.registry`) holds them in seeding order.
"""

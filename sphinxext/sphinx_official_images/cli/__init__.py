"""The ``sphinx-official-images`` command line (``check``, ``readme``, ``update``,
``facts``, ``problem-matcher``)."""

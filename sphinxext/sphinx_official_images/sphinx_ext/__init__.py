"""The Sphinx glue: ``setup``, configuration, directives, roles, the domain,
the ``dockerhub`` builder and the generated catalogue."""

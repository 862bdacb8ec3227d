"""The model: official-images manifests, architectures, names and Dockerfile links.

The bottom layer. It knows bashbrew's and docker-library's rules and nothing
else: no Sphinx, docutils, YAML or file system beyond reading one manifest.
"""

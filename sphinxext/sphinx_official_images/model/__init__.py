"""The model: official-images manifests, architectures and Dockerfile links.

The bottom layer. It knows bashbrew's rules and nothing else: no Sphinx,
docutils, YAML or file system beyond reading one manifest.
"""

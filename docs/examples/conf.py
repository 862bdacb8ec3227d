"""docs/conf.py of a site that publishes the Docker Official Images catalogue."""

project = "Docker Official Images"

extensions = ["myst_parser", "sphinx_official_images"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

# the two data repositories, checked out (or added as submodules) under _data/
official_images_library = "../_data/official-images/library"
official_images_docs = "../_data/docs"
# optional: facts the checkouts do not hold (see "Facts")
official_images_facts = "../facts"

# a page per image and architecture, an image index and a tag index
official_images_generate = True

# Sphinx 8 and later show it by default; the problem matcher needs the
# "[official_images.SUBTYPE]" suffix on every warning
show_warning_types = True

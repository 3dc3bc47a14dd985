"""Render: the generated pages and assets of the site, from the catalog."""

"""The published site, as plain strings: pages, charts and exports.

Nothing here imports MkDocs. The plugin asks this package what pages exist
and what HTML goes into them; a different site generator could ask the same.
"""

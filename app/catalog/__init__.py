"""Products, their taxonomy and B2B catalogues; search and listing (see search.py)."""

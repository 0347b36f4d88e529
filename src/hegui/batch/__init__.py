"""Batch screening: the rulebook compiled to SQL and run over tables of flattened manifests.

One row is one manifest with at most one entity of each list kind, in columns named by fact
path. The same row gets the same statuses here as from `assess` (tests prove it).
"""

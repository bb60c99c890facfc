"""Tools around the product: the bundled demo, the synthetic export generator and
scenario files written out as exports. Nothing in the serving path imports them.
"""

"""custcentric: customer-centricity modelling.

Domain values (customers, segments, processes, SLAs, maturity stages), columnar tables of
transactions, process events and interactions, and the analytic parts built on them.

Examples
--------
>>> import custcentric
>>> custcentric.__version__
'0.1.0.dev0'
"""

from custcentric._version import __version__

__all__ = ["__version__"]

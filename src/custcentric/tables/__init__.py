"""Tables: populations as one read-only NumPy array per field.

Examples
--------
>>> from custcentric.tables import TransactionLog
>>> log = TransactionLog.from_arrays([1, 1], ["2024-01-01", "2024-01-03"], [5.0, 7.0])
>>> log.summary("2024-01-10").frequency.tolist()
[1]
"""

from custcentric.tables._csv import CsvErrors
from custcentric.tables._customers import CustomerTable
from custcentric.tables._events import EventLog
from custcentric.tables._interactions import InteractionLog
from custcentric.tables._per_customer import PerCustomer
from custcentric.tables._summary import CalibrationHoldout, CustomerSummary
from custcentric.tables._transactions import TransactionLog

__all__ = [
    "CalibrationHoldout",
    "CsvErrors",
    "CustomerSummary",
    "CustomerTable",
    "EventLog",
    "InteractionLog",
    "PerCustomer",
    "TransactionLog",
]

"""SQLite persistence: the audit log, the policy and the supervisor's overrides.

`Store.open(default_data_path())` opens the one data file. See `Store` for the API and
`schema` for the tables and their versions.
"""

from engine.store.errors import DataFileLostError, DiskFullError, StorageFaultError, StoreError
from engine.store.paths import DATA_ENV, default_data_path
from engine.store.schema import SCHEMA_VERSION
from engine.store.store import Store

__all__ = [
    "DATA_ENV",
    "SCHEMA_VERSION",
    "DataFileLostError",
    "DiskFullError",
    "StorageFaultError",
    "Store",
    "StoreError",
    "default_data_path",
]

"""Inspections (巡察 / 巡查): rounds, findings and the rectification ledger; built in its own issue."""

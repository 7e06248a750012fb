"""Discipline petitions (涉纪信访): confidential intake and legal clocks; built in its own issue."""

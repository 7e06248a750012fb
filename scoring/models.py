"""Integrity index (清廉指数) and star rating (评星晋级): built in the issue that follows the foundation."""

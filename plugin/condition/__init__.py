"""Condition summary dock for a route or a district."""

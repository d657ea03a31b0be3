"""Floorwatch's widgets, one per module, and the table's columns and rows."""

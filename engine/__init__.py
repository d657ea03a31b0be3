"""Floorwatch engine: everything but the screen."""

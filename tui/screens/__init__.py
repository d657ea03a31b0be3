"""Floorwatch's screens: the floor, thresholds, help, and the modal dialogs."""

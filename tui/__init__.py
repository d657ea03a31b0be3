"""The Floorwatch terminal app and the `floorwatch` command."""

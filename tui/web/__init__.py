"""`floorwatch web`: the dashboard served to browsers, one session process per tab."""

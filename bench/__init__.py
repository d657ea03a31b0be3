"""Benchmarks that print figures; ratios are measured side by side in one run."""

"""Benchmarks: figures to read, not tests to pass. See bench/README.md."""

"""Benchmarks of the EMA backend (`make bench`): figures printed with a baseline measured in the
same run, never asserted."""

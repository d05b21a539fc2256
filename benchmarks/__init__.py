"""Benchmarks: a seeded corpus generator, the simplest-correct reference script, a runner."""

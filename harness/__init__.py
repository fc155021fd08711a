"""Real servers, clusters and GIFs for the tests and the benchmarks."""

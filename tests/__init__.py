"""The test suite: a package, so `tests/knowledge` can never shadow the real `knowledge`."""

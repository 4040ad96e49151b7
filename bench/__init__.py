"""The benchmark harness (``make bench``): not part of the product, never installed by it."""

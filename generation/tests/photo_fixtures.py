"""Photo fixtures, loaded by the root conftest."""

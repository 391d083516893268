"""Django's SQLite backend, with a quicker wait for the write lock (see `base`)."""

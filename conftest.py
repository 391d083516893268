import os

# Test runs: development secret, plain HTTP, notifications delivered inline after commit.
os.environ.setdefault("LIANLUO_DEV", "1")
os.environ.setdefault("SECURE_HTTPS", "0")
os.environ.setdefault("LIANLUO_OUTBOX_MODE", "sync")

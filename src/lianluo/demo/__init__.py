"""The demo county: fictional people, realistic structure (`manage.py seed_demo`, `make demo`,
the browser tests). The top floor: it builds its records through every other app's services and
nothing imports it but tests and benchmarks. The seed's public names live in lianluo.demo.seed."""

from tests.hr.conftest import certify, make_officer  # noqa: F401  (shared HR fixtures)

"""Helpers shared by the tests (no tests here): constants, factories, runners. Fixtures live in conftest.py."""

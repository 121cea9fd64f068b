"""Test doubles (the Microsoft Graph emulator, the Microsoft sign-in emulator); the product never imports
them. The demo may run them: ``manage.py graph_emulator``, and ``tests.fakes.demo``'s commands, installed
only with ACADEMY_DEMO_EMULATORS=1 outside production."""

"""The demo's emulators as ``manage.py`` commands: a Django app under tests/, installed only when
``ACADEMY_DEMO_EMULATORS=1`` is set outside production (academy/settings.py), so a server that forgot
the variable has neither the commands nor the test doubles they load."""

from django.apps import AppConfig


class DemoEmulatorsConfig(AppConfig):
    name = "tests.fakes.demo"
    label = "demo_emulators"
    verbose_name = "Demo emulators (tests/fakes)"

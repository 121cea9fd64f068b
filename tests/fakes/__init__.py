"""Test doubles (the Microsoft Graph emulator); the product never imports them, the demo command may."""

"""Funded training's rules, one module per concern: :mod:`.registers` (what a register and the plan
summary say), :mod:`.documents` (PDF and XLSX), :mod:`.inspectors` (access and its log)."""

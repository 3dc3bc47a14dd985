"""Finish: what makes each rendered page correct and safe on any engine (sanitizing, slots, CSP, assets, search)."""

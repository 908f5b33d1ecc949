"""Lotse: a multilingual guide bot for Hameln's neighbourhood centres."""

__version__ = "0.1.0"

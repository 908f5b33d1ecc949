"""Channels translate between a messaging system and the engine's events and replies."""

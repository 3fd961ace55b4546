"""The web application: accounts, one chat room per user, streamed replies, preferences, profile and today."""

from mechuri.web.app import create_app

__all__ = ["create_app"]

"""The HTTP API and the web page (`hegui serve`)."""

from hegui.api.app import create_app

__all__ = ["create_app"]

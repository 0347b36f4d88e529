"""hegui: China's digital-economy compliance rules as code.

hegui is not legal advice.
"""

__version__ = "0.1.0"

"""A proxy URL where a session belongs: ``session`` takes a ``requests.Session``."""

from abeja_models import Client

# The next line is the mistake: mypy [arg-type], pyright reportArgumentType
client = Client(session="http://proxy.example:3128")

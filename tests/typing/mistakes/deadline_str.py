"""A deadline given as a string: ``deadline`` is seconds as a number, or ``None``."""

from abeja_models import Client

# The next line is the mistake: mypy [arg-type], pyright reportArgumentType
hurried = Client().with_options(deadline="10")

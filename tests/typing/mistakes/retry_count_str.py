"""A retry count given as a string: ``retry_count`` is an ``int``."""

from abeja_models import Client

triggers = Client().organization("1234567890123").deployment("1111111111111").triggers
triggers.create(
    version_id="ver-1111111111111111",
    input_service_id="2222222222222",
    # The next line is the mistake: mypy [arg-type], pyright reportArgumentType
    retry_count="3",
)

"""An environment value that is not a string: ``environment`` is ``dict[str, str]``."""

from abeja_models import Client

triggers = Client().organization("1234567890123").deployment("1111111111111").triggers
triggers.create(
    version_id="ver-1111111111111111",
    input_service_id="2222222222222",
    # The next line is the mistake: mypy [dict-item], pyright reportArgumentType
    environment={"A": 1},
)

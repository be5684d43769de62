"""A notebook type the platform does not have: ``"Lab"`` is not ``"lab"``."""

from abeja_models import Client

notebooks = Client().organization("1234567890123").job_definition("job").notebooks
# The next line is the mistake: mypy [arg-type], pyright reportArgumentType
notebooks.create(instance_type="cpu-1", notebook_type="Lab")

"""Organizations, deployments and job definitions: ids that become objects."""

from __future__ import annotations

from .._http import Transport
from ..models._rules import id_text
from ._notebooks import Notebooks
from ._triggers import Triggers


class Organization:
    """An organization: the parent of deployments and training job definitions."""

    def __init__(self, transport: Transport, organization_id: str) -> None:
        self._transport = transport
        # An int id (accepted in paths, as by the platform SDK) is held as the str the
        # platform's documents carry, so the triggers returned can be bound to it; a
        # subclass of int or str is held as its value, whatever its __str__ says.
        self.organization_id = id_text("organization_id", organization_id)

    def __repr__(self) -> str:
        return f"<Organization {self.organization_id}>"

    def deployment(self, deployment_id: str) -> Deployment:
        """The deployment with this id; its triggers are at ``.triggers``."""
        return Deployment(self._transport, self.organization_id, deployment_id)

    def job_definition(self, job_definition_name: str) -> JobDefinition:
        """The training job definition with this name; its notebooks are at ``.notebooks``."""
        return JobDefinition(self._transport, self.organization_id, job_definition_name)


class Deployment:
    """A deployment of a model; ``triggers`` run its versions on incoming data."""

    def __init__(self, transport: Transport, organization_id: str, deployment_id: str) -> None:
        self.organization_id = id_text("organization_id", organization_id)
        self.deployment_id = id_text("deployment_id", deployment_id)
        self.triggers: Triggers = Triggers(transport, self.organization_id, self.deployment_id)
        """The triggers of this deployment."""

    def __repr__(self) -> str:
        return f"<Deployment {self.deployment_id} of organization {self.organization_id}>"


class JobDefinition:
    """A training job definition; ``notebooks`` are the Jupyter servers attached to it."""

    def __init__(
        self, transport: Transport, organization_id: str, job_definition_name: str
    ) -> None:
        self.organization_id = id_text("organization_id", organization_id)
        self.name = id_text("job_definition_name", job_definition_name)
        self.notebooks: Notebooks = Notebooks(transport, self.organization_id, self.name)
        """The notebooks of this job definition."""

    def __repr__(self) -> str:
        return f"<JobDefinition {self.name} of organization {self.organization_id}>"

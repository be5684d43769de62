"""The active-record layer: ``Client`` -> organization -> deployment / job definition."""

from ._client import Client
from ._notebooks import Notebooks
from ._organization import Deployment, JobDefinition, Organization
from ._triggers import Triggers

__all__ = ["Client", "Deployment", "JobDefinition", "Notebooks", "Organization", "Triggers"]

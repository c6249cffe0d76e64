"""dhrtrack: track Domestic Homicide Review action plans kept as YAML files in git."""

__version__ = "0.1.0"

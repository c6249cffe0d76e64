"""dhrtrack: track Domestic Homicide Review action plans kept as YAML files in git."""

__version__ = "0.1.0"

# Where the project is published: its documentation (docs/), the rule pages SARIF links to, the
# package's project URLs (setup.cfg says the same; a test keeps them in step).
PROJECT_URL = "https://github.com/dhrtrack/dhrtrack"

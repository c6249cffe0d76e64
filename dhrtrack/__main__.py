from dhrtrack.cli import run

run()

from dhrtrack.cli.entry import run

run()

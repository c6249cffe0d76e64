from dhrtrack.entry import run

run()

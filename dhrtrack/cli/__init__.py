"""The dhrtrack command line: click only, and the only layer that prints. Each command declares
its options, makes one call into the core, renders the result and returns an exit code; library
errors become exit codes in one place (options.Command). The click group is in cli.main; this
package imports nothing, so that `dhrtrack --help` (cli.entry) starts without click."""

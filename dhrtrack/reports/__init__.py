"""Queries over loaded plans and the documented JSON/CSV shapes; chase messages; the board paper;
the export rows. Values in, values out: nothing here prints or parses options."""

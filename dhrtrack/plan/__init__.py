"""The plan file format and everything that reads or writes it: problems as values, the YAML
reader, the schema and rules, dates, the model, validation, the store (discovery, cache and
loading), writing and surgical editing. It imports no other dhrtrack subpackage."""

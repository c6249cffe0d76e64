"""Names vulture (run by .ci/run, configured in pyproject.toml) takes for dead code but that are used:
click's commands and the methods click calls, attributes python-docx and openpyxl read from the
objects they are set on, functions the tools in tools/ run, and fields read by name.
A name listed here is whitelisted wherever it occurs, so keep the list short."""

# ruff: noqa
# mypy: ignore-errors

_ = object()

# click: commands reached through dhrtrack.cli.help.COMMANDS (module and attribute by name), and
# the methods click calls on a group and on a parameter type.
apply  # dhrtrack/cli/apply.py
import_  # dhrtrack/cli/transfer.py
_.list_commands  # dhrtrack/cli/main.py (LazyGroup)
_.get_command
_.get_help
_.convert  # dhrtrack/cli/options.py (click.ParamType)

# Run by tools/generate-plan-check and tools/generate-field-docs.
plan_check_module  # dhrtrack/plan/schema.py
reference  # dhrtrack/render/fields.py

# python-docx: page and paragraph settings (dhrtrack/render/board/word.py).
_.orientation
_.page_height
_.page_width
_.alignment

# openpyxl: page setup, panes, filters, protection and cell types (dhrtrack/render/returns.py).
_.paperSize
_.fitToWidth
_.fitToHeight
_.fitToPage
_.print_title_rows
_.print_title_cols
_.pageOrder
_.creator
_.lastModifiedBy
_.freeze_panes
_.data_type
_.autoFilter
_.formatColumns
_.formatRows
_.sheet_state

# A Counts field, read by name (KEYS) into the views and the JSON (dhrtrack/reports/stats.py).
completion_date_unknown
_.completion_date_unknown

# Click commands, reached by name through the lazy command table (dhrtrack/cli/help.py COMMANDS).
verify  # dhrtrack/cli/verify.py
respond  # dhrtrack/cli/respond.py
gather  # dhrtrack/cli/national.py

# python-docx and zipfile settings the Word paper makes (dhrtrack/render/board/word.py).
_.keep_with_next
_.base_style
_.space_before
_.space_after
_.last_modified_by
_.modified
_.compress_type

# click's shell-completion hooks, overridden by our bash completion (dhrtrack/cli/complete.py).
source_template
_.format_completion

# Run by tools/generate-rule-docs: the docs pages of the validation rules.
rule_page  # dhrtrack/render/problems.py
rules_index  # dhrtrack/render/problems.py

# The register's similarity of two texts: the documented measure, scored on labelled pairs by
# tests/test_register.py (the register itself compares many texts at once with alike_pairs).
similarity  # dhrtrack/reports/register.py

"""Git as the audit trail: plumbing (argument lists, `--end-of-options`, one `cat-file --batch`),
plans at a revision, changes between versions, and the timeline of one action. Imports only plan."""

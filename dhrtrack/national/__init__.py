"""The national layer: one partnership's publishable data as a versioned data package
(`dhrtrack package`), many partnerships' packages gathered into one SQLite database (`dhrtrack
gather`), and that database read back as plans (`--from national.sqlite`) by the reports."""

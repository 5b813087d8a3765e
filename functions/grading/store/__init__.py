"""All of grading's SQL: plain functions over a `dojo.db` Connection, one module per subject."""

"""All of personas's SQL: plain functions over a `dojo.db` Connection, one module per subject."""

"""The common library of the Sales AI Dojo functions (deployed as the Lambda layer)."""

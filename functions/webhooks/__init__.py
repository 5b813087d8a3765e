"""The webhooks function (a Lambda of its own; imports only `dojo` and its own modules)."""

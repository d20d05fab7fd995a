"""The ``kg`` commands, one module per kind of work; kg.cli holds the group that finds them."""

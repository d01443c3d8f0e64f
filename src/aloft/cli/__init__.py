"""The ``aloft`` command-line interface."""

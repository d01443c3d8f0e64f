"""The control plane server (``aloft serve``): REST API, registry, engine host and worker pool.

It stores and runs IR only and never imports user code: workers load task code from the
code bundles registered with it (DESIGN.md, "Server").
"""

"""Secrets: a task asks for a secret and reads it at run time; its value never reaches the
stored log, deck or error.

_FSEC_WAREHOUSE_PASSWORD=hunter2 aloft run examples/task_secrets.py load_wf --table orders
aloft run examples/task_secrets.py load_wf   # names the missing secret and where it looked

(The file is not named secrets.py: that is a module of Python's standard library.)

As in flytekit, the secret (group "warehouse", key "password") is looked for in the
environment variable _FSEC_WAREHOUSE_PASSWORD (in a local run also WAREHOUSE_PASSWORD), then
in the file /etc/secrets/warehouse/password
(FLYTE_SECRETS_DEFAULT_DIR or [secrets] default_dir in the config file chooses the folder).
Only the secrets a task requests can be read inside it.
"""

from __future__ import annotations

from aloft import Secret, current_context, task, workflow


@task(secret_requests=[Secret(group="warehouse", key="password")])
def load(table: str) -> str:
    password = current_context().secrets.get("warehouse", "password")
    print(f"connecting with password {password}")  # a stored log holds [redacted]
    return f"loaded {table} (a {len(password)}-character password was used)"


@workflow
def load_wf(table: str = "orders") -> str:
    return load(table=table)

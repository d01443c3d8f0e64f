"""Finding a file a task definition names by a relative path (a script, a database).

flytekit reads such a path from the working directory. A worker that imports the task from
a code bundle runs elsewhere, so a relative path is also looked for next to the module that
defines the task and in its project folder; the first that exists wins.
"""

from __future__ import annotations

import os
from pathlib import Path

from aloft.sdk.location import Site, project_root


def find_local_file(path: str, site: Site) -> Path | None:
    """The existing file ``path`` names, made absolute, or None if there is none."""
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    folders = [Path.cwd()]
    module_file = site.namespace.get("__file__")
    if isinstance(module_file, str):
        folders += [Path(module_file).resolve().parent, project_root(module_file)]
    for folder in folders:
        found = folder / candidate
        if found.is_file():
            return Path(os.path.abspath(found))
    return None

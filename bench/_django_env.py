"""How every bench starts Django: on a throw-away data folder (SQLite database, files, mails),
with tasks run inline, so a bench never touches the developer's own data.

Call `start()` before importing anything that needs Django's settings.
"""

import os
import tempfile
from pathlib import Path


def start(prefix: str, **env: str) -> Path:
    """Create the throw-away folder, point the settings at it, set Django up; returns it."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TOCSIN_DATA_DIR=str(work),
        TOCSIN_MEDIA_DIR=str(work / "media"),
        TASKS_BACKEND="immediate",
        **env,
    )
    import django

    django.setup()
    return work

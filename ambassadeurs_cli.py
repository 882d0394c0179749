"""The `ambassadeurs` command: composes the commands each package owns."""

from __future__ import annotations

import click

from course_content.cli import content_group
from lti_tool.cli import (
    admin_group,
    db_group,
    init_command,
    keys_group,
    platforms_group,
    serve_command,
)
from lti_tool.grades_cli import grades_group, worker_command
from scorm_export.cli import scorm_group


@click.group()
@click.version_option(package_name="ambassadeurs-nr")
def main() -> None:
    """Ambassadeurs NR : curriculum, outil LTI 1.3 et export SCORM."""


main.add_command(content_group)
main.add_command(init_command)
main.add_command(serve_command)
main.add_command(db_group)
main.add_command(platforms_group)
main.add_command(keys_group)
main.add_command(admin_group)
main.add_command(worker_command)
main.add_command(grades_group)
main.add_command(scorm_group)

if __name__ == "__main__":
    main()

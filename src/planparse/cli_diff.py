"""``planparse diff OLD NEW``: what changed between two plans (see :mod:`planparse.diff`).

    planparse diff OLD NEW [--json] [--old-plan N] [--new-plan N]

OLD and NEW are source documents (parsed on the fly) or planparse JSON output files.
Exit codes: 0 the diff was printed (whether or not the plans differ), 2 an input that
cannot be read or holds no single plan to compare."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def diff_command(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier plan: a document or a planparse JSON file.",
                                        dir_okay=False, show_default=False)],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later plan: a document or a planparse JSON file.",
                                        dir_okay=False, show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Write the diff as JSON instead of a text report.")] = False,
    old_plan: Annotated[Optional[int], typer.Option("--old-plan", min=1, metavar="N",
                                                    help="Which plan of OLD (1 = the first); needed when it holds several with tasks.")] = None,
    new_plan: Annotated[Optional[int], typer.Option("--new-plan", min=1, metavar="N",
                                                    help="Which plan of NEW (1 = the first); needed when it holds several with tasks.")] = None,
) -> None:
    """Compare two plans: tasks added, removed and reworded, category shifts, schedule changes by month."""
    from .cli import _fail, _write_stdout
    from .diff import DiffInputError, diff_files
    from .output import dumps

    try:
        result = diff_files(old, new, old_plan=old_plan, new_plan=new_plan)
    except DiffInputError as exc:
        raise _fail(str(exc)) from None
    _write_stdout(dumps(result.to_dict()) if as_json else result.to_text())


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)

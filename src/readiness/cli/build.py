"""`readiness build`: the readiness pages written as Markdown files, once or on every change."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, echo, flush, show


@click.command("build", cls=Command)
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--out", type=click.Path(file_okay=False), help="Folder of the pages (default: "
              "housekeeping.pages_dir, else docs/readiness).")
@click.option("--templates", type=click.Path(file_okay=False),
              help="Project templates, searched before the built-in ones (default: the readiness "
                   "plugin's templates option, else templates/ in the project folder).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any page is stale.")
@click.option("--watch", is_flag=True, help="Keep running: rebuild when the source, the evidence "
              "file or the templates change (for Zensical and other tools without the plugin).")
@click.option("--flavor", type=click.Choice(["material", "commonmark"]), default="material", show_default=True,
              help="material: for MkDocs Material. commonmark: plain CommonMark / GitHub Markdown, "
                   "pictures as SVG files beside the pages.")
def command(source: str | None, out: str | None, templates: str | None, check: bool, watch: bool,
            flavor: str) -> None:
    """Write the readiness pages as Markdown files (for GitHub, CI and other site tools).

    With --watch it keeps running and rebuilds them whenever the source, the evidence file
    or the project's templates change: for site tools that do not run the MkDocs plugin
    (Zensical, a plain Markdown server). An invalid save prints its problems and the
    watch goes on; Ctrl-C ends it (exit 0, or 130 in the middle of a build).
    """
    from readiness.app.build import build_pages, watch_pages

    if watch and check:
        raise click.UsageError("--watch rebuilds the pages: it cannot be combined with --check")
    if watch:
        watch_pages(source, out=out, templates=templates, flavor=flavor, show=echo, flush=flush)
    else:
        show(build_pages(source, out=out, templates=templates, check=check, flavor=flavor))

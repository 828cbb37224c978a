"""`readiness completion`: the script that completes readiness's commands in a shell."""

from __future__ import annotations

import click

from readiness.cli.options import Command


@click.command("completion", cls=Command)
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def command(ctx: click.Context, shell: str) -> None:
    """Print the script that completes readiness's commands, options and file names in SHELL.

    \b
    in ~/.bashrc:                   eval "$(readiness completion bash)"
    in ~/.zshrc:                    eval "$(readiness completion zsh)"
    in ~/.config/fish/config.fish:  readiness completion fish | source
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None  # the choices are click's own shells
    group = ctx.find_root().command  # the whole command line, every command of it
    click.echo(completer(group, {}, "readiness", "_READINESS_COMPLETE").source())

"""``flask search …`` commands."""

import click

search_cli = click.Group("search", help="Build, check and follow the search index.")

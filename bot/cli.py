"""``dealnudge`` command line: check, scan, demo, serve, nudge, digest, pull, state, synth."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from bot.analysis.analyse import analyse, read_config
from bot.appconfig import export_mapping, load_app_config
from bot.ingest.crm import crm_scheme
from bot.ingest.formats import FORMAT_NAMES
from bot.ingest.loader import LoadResult, load_export
from bot.ingest.report import ExportError
from bot.reports.check import check_json, check_text
from bot.reports.scan import scan_json, scan_text
from bot.settings import Settings, SettingsError
from bot.state import StoreError
from bot.state.people import people_report, people_text
from rules.config import ConfigError

if TYPE_CHECKING:
    from bot.delivery.jobs import RunReport
    from bot.runtime import Runtime

EXIT_UNUSABLE = 2


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="export folder(s) and/or CSV file(s)"
    )
    p.add_argument(
        "--format",
        choices=("auto", *FORMAT_NAMES),
        default="auto",
        help="force an export family instead of detecting it from the headers "
        "(mapping: read with --mapping FILE)",
    )
    p.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE",
        help="TOML file naming which column is which (any other CSV)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")  # fmt: skip


def _send_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dry-run", action="store_true", help="print what would be sent to whom; send nothing"
    )
    p.add_argument(
        "--as-of", type=_day, metavar="YYYY-MM-DD", help="evaluate as of this date (default: today)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealnudge",
        description="Spot deals hanging around until the buyer is ready; suggest facilitation "
        "questions.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="read an export and report what was loaded and rejected")
    _export_args(check)
    check.add_argument(
        "--people",
        action="store_true",
        help="also match CRM owners to Slack users by email (needs SLACK_BOT_TOKEN)",
    )
    scan = sub.add_parser(
        "scan", help="find hanging-around deals and suggest facilitation questions"
    )
    _export_args(scan)
    scan.add_argument(
        "--as-of", type=_day, metavar="YYYY-MM-DD", help="evaluate as of this date (default: today)"
    )
    scan.add_argument("--config", type=Path, metavar="FILE", help="dealnudge.toml to use")
    scan.add_argument(
        "--owner", metavar="EMAIL", help="only this owner's deals (email, id or name)"
    )
    scan.add_argument("--top", type=_positive, metavar="N", help="only the N most urgent deals")
    sub.add_parser("demo", help="run on the bundled sample export (no Slack needed)")
    serve = sub.add_parser(
        "serve", help="run the Slack app (Socket Mode if SLACK_APP_TOKEN is set)"
    )
    serve.add_argument(
        "--http", action="store_true", help="serve HTTP even if SLACK_APP_TOKEN is set"
    )
    serve.add_argument("--port", type=int, metavar="N", help="HTTP port (default $PORT or 3000)")
    serve.add_argument(
        "--role",
        choices=("all", "web", "scheduler"),
        default="all",
        help="all (default): Slack and schedules; web: Slack only; scheduler: schedules only "
        "(web and scheduler share PostgreSQL state, DATABASE_URL)",
    )
    nudge = sub.add_parser("nudge", help="send today's rep nudges once (or preview them)")
    _send_args(nudge)
    nudge.add_argument(
        "--owner", action="append", metavar="EMAIL", help="only this rep (repeatable)"
    )
    digest = sub.add_parser("digest", help="send the managers' digests once (or preview them)")
    _send_args(digest)
    digest.add_argument(
        "--manager", action="append", metavar="EMAIL", help="only this manager (repeatable)"
    )
    pull = sub.add_parser(
        "pull", help="pull the export from the CRM in DEALNUDGE_SOURCE now (salesforce: ...)"
    )
    pull.add_argument(
        "--full", action="store_true", help="pull every record, not only what changed"
    )
    state = sub.add_parser("state", help="back up or restore the bot's state", add_help=False)
    state.add_argument("rest", nargs=argparse.REMAINDER)
    synth = sub.add_parser(
        "synth", help="write a large synthetic Salesforce-format export", add_help=False
    )
    synth.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def load(args: argparse.Namespace) -> LoadResult:
    """The export named on the command line, read with --mapping (else DEALNUDGE_MAPPING,
    else [source] mapping of --config), as the long-running commands read it."""
    mapping = args.mapping
    if mapping is None and args.format in ("auto", "mapping"):
        mapping = export_mapping(
            Settings.from_env().mapping, load_app_config(getattr(args, "config", None))
        )
    if args.format == "mapping" and mapping is None:
        raise ExportError("--format mapping needs --mapping FILE (or DEALNUDGE_MAPPING)")
    fmt = None if args.format == "mapping" else args.format
    if len(args.paths) == 1 and crm_scheme(str(args.paths[0])):
        return _load_from_crm(str(args.paths[0]), fmt, mapping)
    return load_export(args.paths, format_name=fmt, mapping=mapping)


def _load_from_crm(location: str, fmt: str | None, mapping: Path | None) -> LoadResult:
    """``check salesforce:`` and the like: pull into a folder that is deleted afterwards
    (nothing is written to the bot's export cache or state)."""
    from bot.ingest.crm.source import CrmSource  # the connectors: only when a CRM is named

    settings = Settings.from_env()
    with tempfile.TemporaryDirectory(prefix="dealnudge-check-") as tmp:
        source = CrmSource.open(
            location, settings.crm.values, Path(tmp), deadline=settings.pull_deadline
        )
        try:
            with TerminalProgress(source.name) as progress:
                fetched = source.fetch(full=True, progress=progress)
        finally:
            source.close()
        print(f"{fetched.detail}.", file=sys.stderr)
        return load_export(list(fetched.paths), format_name=fmt, mapping=mapping)


class TerminalProgress:
    """Rows pulled so far, one bar per object, on a terminal's stderr (nothing otherwise)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._bars: dict[str, tqdm[Any]] = {}
        self._quiet = not sys.stderr.isatty()

    def __call__(self, what: str, rows: int) -> None:
        if self._quiet:
            return
        bar = self._bars.get(what)
        if bar is None:
            bar = self._bars[what] = tqdm(
                desc=f"{self._name} {what}", unit=" rows", file=sys.stderr, leave=True
            )
        bar.update(rows - bar.n)

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        for bar in self._bars.values():
            bar.close()


def cmd_pull(args: argparse.Namespace) -> int:
    """Pull DEALNUDGE_SOURCE's CRM now; keep the export when it reads well."""
    from bot.ingest.crm.source import CrmSource

    settings = Settings.from_env()
    if not settings.source or not crm_scheme(settings.source):
        raise SettingsError(
            "dealnudge pull needs DEALNUDGE_SOURCE set to salesforce:, hubspot: or pipedrive:"
        )
    source = CrmSource.open(
        settings.source,
        settings.crm.values,
        settings.export_cache,
        deadline=settings.pull_deadline,
    )
    try:
        with TerminalProgress(source.name) as progress:
            fetched = source.fetch(full=args.full, progress=progress)
        result = load_export(list(fetched.paths), mapping=settings.mapping)
        source.keep(fetched)
    finally:
        source.close()
    print(f"{fetched.detail}.\n")
    print(check_text(result))
    print("\nKept as the export `dealnudge serve` reads (it picks it up on its next refresh).")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    result = load(args)
    people = _people_check(result) if args.people else None
    if args.json:
        out = check_json(result)
        if people is not None:
            out["people"] = people
        print(json.dumps(out, indent=2))
    else:
        print(check_text(result))
        if people is not None:
            print(people_text(people))
    return 0


def _people_check(result: LoadResult) -> dict[str, list[dict[str, str]]]:
    from bot.runtime import build_runtime

    settings = Settings.from_env()
    if settings.slack_bot_token is None:
        raise SettingsError("check --people needs SLACK_BOT_TOKEN to look owners up in Slack")
    with build_runtime(settings, read_only=True) as runtime:
        return people_report(runtime.deps.people, result.pipeline)


def cmd_scan(args: argparse.Namespace) -> int:
    config = read_config(args.config)
    snap = analyse(load(args), config, args.as_of or date.today())
    if args.json:
        write_json(scan_json(snap, args.owner, args.top))
    else:
        print(scan_text(snap, args.owner, top=args.top))
    return 0


def write_json(obj: dict[str, Any], chunk: int = 1 << 20) -> None:
    """``obj`` as JSON on stdout: a key per line, and each item of a list value on a line of
    its own (compact), so a 100k-finding scan is encoded by json's C encoder, written in
    pieces of about ``chunk`` characters, and greppable one finding per line."""
    out = sys.stdout
    out.write("{")
    for n, (key, value) in enumerate(obj.items()):
        out.write(f"{',' if n else ''}\n  {json.dumps(key)}: ")
        if not isinstance(value, list) or not value:
            out.write(json.dumps(value))
            continue
        out.write("[")
        parts: list[str] = []
        size = 0
        for i, item in enumerate(value):
            text = f"{',' if i else ''}\n    {json.dumps(item)}"
            parts.append(text)
            size += len(text)
            if size >= chunk:
                out.write("".join(parts))
                parts, size = [], 0
        out.write("".join(parts) + "\n  ]")
    out.write("\n}\n")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of deals like 10")
    return int(text)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-02") from None


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.tools.demo import run_demo

    return run_demo()


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.service import run

    settings = Settings.from_env()
    return run(settings, role=args.role, http=args.http, port=args.port or settings.port)


def _loaded_runtime(args: argparse.Namespace) -> Runtime:
    """Settings from the environment, the export from DEALNUDGE_SOURCE, read now."""
    from bot.runtime import build_runtime, configure_logging, utc_now

    settings = Settings.from_env()
    configure_logging("WARNING" if settings.log_level == "INFO" else settings.log_level)
    if not args.dry_run:
        settings.require_slack()
    clock = utc_now
    if args.as_of:
        fixed = datetime.combine(args.as_of, dtime(12), UTC)
        clock = lambda: fixed  # noqa: E731
    runtime = build_runtime(settings, clock, read_only=args.dry_run)
    try:
        runtime.refresh(force=True)
        if runtime.deps.snapshots.current is None:
            raise ExportError(runtime.deps.snapshots.last_error or "the export could not be loaded")
    except BaseException:
        runtime.close()
        raise
    return runtime


def cmd_nudge(args: argparse.Namespace) -> int:
    from bot.delivery.jobs import plan_nudges, preview, send_nudges

    return _send_command(args, "nudges", plan_nudges, preview, send_nudges, owners=args.owner)


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.delivery.jobs import digest_preview, plan_digests, send_digests

    return _send_command(
        args, "digests", plan_digests, digest_preview, send_digests, managers=args.manager
    )


def _send_command(
    args: argparse.Namespace,
    what: str,
    plan: Callable[..., tuple[list[Any], RunReport]],
    preview: Callable[[list[Any]], str],
    send: Callable[..., RunReport],
    **scope: Any,
) -> int:
    """``nudge`` / ``digest``: plan exactly as the scheduler does, then print or send once."""
    with _loaded_runtime(args) as runtime:
        deps = runtime.deps
        snap = deps.snapshots.current
        assert snap is not None
        plans, planning = plan(
            deps,
            snap,
            deps.clock(),
            default_tz=runtime.settings.timezone,
            require_slack=not args.dry_run,
            **scope,
        )
        if args.dry_run:
            print(preview(plans))
            report = planning
        else:
            from bot.service import sending_alone

            with sending_alone(runtime):
                report = send(deps, runtime.sender, plans)
            report.skipped += planning.skipped
            _print_report(report)
    for name, why in report.skipped:
        print(f"skipped: {name}: {why}")
    print(f"{what}: {len(plans)} planned; {report.summary()}")
    return 1 if report.failed else 0


def _print_report(report: RunReport) -> None:
    for name in report.sent:
        print(f"sent: {name}")
    for name in report.already_sent:
        print(f"already sent: {name}")
    for name, why in report.failed:
        print(f"FAILED: {name}: {why}", file=sys.stderr)


def cmd_state(args: argparse.Namespace) -> int:
    from bot.state.cli import main_state

    return main_state(list(args.rest), Settings.from_env())


def cmd_synth(args: argparse.Namespace) -> int:
    from bot.tools.synth import main_synth

    return main_synth(list(args.rest))


PASS_THROUGH = ("synth", "state")
COMMANDS = {
    "check": cmd_check,
    "scan": cmd_scan,
    "demo": cmd_demo,
    "digest": cmd_digest,
    "nudge": cmd_nudge,
    "pull": cmd_pull,
    "serve": cmd_serve,
    "state": cmd_state,
    "synth": cmd_synth,
}


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given and given[0] in PASS_THROUGH:  # their own parsers, options in any order
        args = argparse.Namespace(command=given[0], rest=given[1:])
    else:
        args = build_parser().parse_args(given)
    try:
        return COMMANDS[args.command](args)
    except (ExportError, ConfigError, SettingsError, StoreError) as exc:
        if getattr(args, "json", False):
            print(json.dumps({"usable": False, "error": str(exc)}, indent=2))
        print(f"dealnudge: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # `dealnudge check ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""``dealnudge`` command line: check, scan, demo, synth (and more as they land)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.analysis import analyse, read_config
from bot.checkreport import check_json, check_text
from bot.crm.formats import FORMAT_NAMES
from bot.crm.loader import LoadResult, load_export
from bot.crm.report import ExportError
from bot.scanreport import scan_json, scan_text
from rules.config import ConfigError

EXIT_UNUSABLE = 2


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="export folder(s) and/or CSV file(s)"
    )
    p.add_argument(
        "--format",
        choices=("auto", *FORMAT_NAMES[:-1]),
        default="auto",
        help="force an export family instead of detecting it from the headers",
    )
    p.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE",
        help="TOML file naming which column is which (any other CSV)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealnudge",
        description="Spot deals hanging around until the buyer is ready; suggest facilitation "
        "questions.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="read an export and report what was loaded and rejected")
    _export_args(check)
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
    sub.add_parser("demo", help="run on the bundled sample export (no Slack needed)")
    synth = sub.add_parser(
        "synth", help="write a large synthetic Salesforce-format export", add_help=False
    )
    synth.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def load(args: argparse.Namespace) -> LoadResult:
    return load_export(args.paths, format_name=args.format, mapping=args.mapping)


def cmd_check(args: argparse.Namespace) -> int:
    result = load(args)
    if args.json:
        print(json.dumps(check_json(result), indent=2))
    else:
        print(check_text(result))
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    config = read_config(args.config)
    snap = analyse(load(args), config, args.as_of or date.today())
    if args.json:
        print(json.dumps(scan_json(snap, args.owner), indent=2))
    else:
        print(scan_text(snap, args.owner))
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-02") from None


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo()


def cmd_synth(args: argparse.Namespace) -> int:
    from bot.synth import main_synth

    return main_synth(list(args.rest))


COMMANDS = {"check": cmd_check, "scan": cmd_scan, "demo": cmd_demo, "synth": cmd_synth}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ExportError, ConfigError) as exc:
        if getattr(args, "json", False):
            print(json.dumps({"usable": False, "error": str(exc)}, indent=2))
        print(f"dealnudge: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # `dealnudge check ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""``roadinfra chainage``: chainage strings (``Km12+350``) to and from metres."""

from __future__ import annotations

import argparse
import json

from ..chainage import format_chainage, parse_chainage
from .argtypes import int_range


def register(subparsers) -> None:
    parser = subparsers.add_parser("chainage", help="parse or format chainages (Km12+350)")
    sub = parser.add_subparsers(dest="chainage_command", metavar="ACTION", required=True)

    parse = sub.add_parser("parse", help="chainage(s) to metres: Km12+350 -> 12350")
    parse.add_argument("text", nargs="+", help="chainage such as Km12+350, 'Km 12+350.5', 12+350")
    parse.add_argument("--json", action="store_true", help="print JSON")
    parse.set_defaults(func=run_parse)

    fmt = sub.add_parser("format", help="metres to chainage(s): 12350.5 -> Km12+350.5")
    fmt.add_argument("metres", nargs="+", help="metres from the route origin (>= 0)")
    fmt.add_argument("--decimals", type=int_range(0, 9), default=3,
                     help="decimals kept, 0..9 (default 3)")
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.set_defaults(func=run_format)


def run_parse(args: argparse.Namespace) -> int:
    values = [parse_chainage(t, where=f"argument {i + 1}") for i, t in enumerate(args.text)]
    if args.json:
        print(json.dumps([{"chainage": t, "metres": v} for t, v in zip(args.text, values)]))
    else:
        for value in values:
            print(int(value) if value.is_integer() else repr(value))
    return 0


def run_format(args: argparse.Namespace) -> int:
    texts = [format_chainage(m, args.decimals, where=f"argument {i + 1}")
             for i, m in enumerate(args.metres)]
    if args.json:
        print(json.dumps([{"metres": m, "chainage": t} for m, t in zip(args.metres, texts)]))
    else:
        print("\n".join(texts))
    return 0

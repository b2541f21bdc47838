"""`motcua-hub`: run and administer the hub. Every subcommand takes --db URL (default $MOTCUA_HUB_DB,
else a SQLite file in the platform's data dir). Errors: one line on stderr; exit 2 for bad input, 1 for
the environment (database unreachable, schema not migrated)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from motcua_desktop.domain.dvcqg import DvcqgError

from . import store
from .db import ENV_DB, DatabaseUrlError, SchemaError, default_url, describe, make_engine, migrate, require_head


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="motcua-hub", description="The provincial hub counters sync with.")
    p.add_argument("--db", default=None, help=f"database URL (default: ${ENV_DB}, else a SQLite file)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def cmd(name: str, help: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help)
        c.add_argument("--db", default=argparse.SUPPRESS, help=f"database URL (default: ${ENV_DB}, else a SQLite file)")
        return c

    cmd("migrate", "create or upgrade the hub's tables")
    s = cmd("serve", "serve the HTTP API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--certfile", type=Path)
    s.add_argument("--keyfile", type=Path)
    s.add_argument("--max-batch", type=int, default=None, help="events per push (default 500)")
    s.add_argument("--max-body", type=int, default=None, help="bytes per request body (default 2 MiB)")
    s.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    a = cmd("add-counter", "register a counter; prints its token once")
    a.add_argument("--agency-code", required=True)
    a.add_argument("--slot", type=int, required=True)
    a.add_argument("--name")
    a.add_argument("--json", action="store_true")
    r = cmd("revoke-counter", "revoke a counter's token")
    r.add_argument("--agency-code", required=True)
    r.add_argument("--slot", type=int, required=True)
    c = cmd("counters", "list counters: last contact, events received, clock skew")
    c.add_argument("--json", action="store_true")
    ap = cmd("add-processor", "register a processing agency; prints its token once")
    ap.add_argument("--agency-code", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--json", action="store_true")
    rp = cmd("revoke-processor", "revoke a processing agency's token")
    rp.add_argument("--agency-code", required=True)
    rp.add_argument("--name", required=True)
    st = cmd("set-status", "record what the processing side decided")
    st.add_argument("code")
    st.add_argument("status", choices=store.HUB_STATUSES)
    st.add_argument("--new-due", metavar="YYYY-MM-DDTHH:MM")
    st.add_argument("--reason")
    st.add_argument("--by", metavar="NAME")
    st.add_argument("--json", action="store_true")
    ds = cmd("dossiers", "list the hub's dossiers")
    ds.add_argument("--agency")
    ds.add_argument("--status")
    ds.add_argument("--json", action="store_true")
    cf = cmd("conflicts", "counters' events the hub's state refused (open ones; --all with the resolved)")
    cf.add_argument("--all", action="store_true", help="the resolved conflicts too")
    cf.add_argument("--json", action="store_true")
    d = cmd("dossier", "one dossier with its whole event history")
    d.add_argument("code")
    d.add_argument("--json", action="store_true")
    for kind, what in (("catalog", "the procedure catalogue (the JSON file a counter imports)"),
                       ("calendar", "the calendar of days off / working days (the CSV a counter imports)")):
        pc = cmd(f"publish-{kind}", f"publish {what} to every counter as a new numbered version")
        pc.add_argument("file", type=Path)
        pc.add_argument("--json", action="store_true")
    pl = cmd("publications", "the published catalogue and calendar versions")
    pl.add_argument("--json", action="store_true")
    ex = cmd("export", "dossiers in the national portal's DongBoHoSoMC shape (validated against its schema)")
    ex.add_argument("code", nargs="?")
    ex.add_argument("--since", metavar="TIMESTAMP", help="every dossier the hub changed at or after this time")
    ex.add_argument("--format", required=True, choices=["dvcqg"])
    ex.add_argument("--json", action="store_true", help="indented JSON (an array with --since)")
    return p


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _engine(args: argparse.Namespace, *, migrated: bool = True) -> Engine:
    url = args.db or default_url()
    engine = make_engine(url)
    if migrated:
        require_head(engine)
    return engine


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    url = args.db or default_url()
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        migrate(engine)  # the one-machine default: ready on first start (under the write lock)
    else:
        require_head(engine)  # PostgreSQL: `motcua-hub migrate` is a deliberate step
    engine.dispose()
    if (args.certfile is None) != (args.keyfile is None):
        raise UsageError("--certfile and --keyfile go together")
    for f in (args.certfile, args.keyfile):
        if f is not None and not f.is_file():
            raise UsageError(f"no such file: {f}")
    if args.workers < 1 or not 0 <= args.port <= 65535:
        raise UsageError("--workers must be ≥ 1 and --port 0-65535")
    os.environ[ENV_DB] = url
    os.environ["MOTCUA_HUB_LOG_LEVEL"] = args.log_level
    if args.max_body is not None:
        os.environ["MOTCUA_HUB_MAX_BODY"] = str(args.max_body)
    if args.max_batch is not None:
        os.environ["MOTCUA_HUB_MAX_BATCH"] = str(args.max_batch)
    scheme = "https" if args.certfile else "http"
    logging.getLogger("motcua_hub").info("serving %s://%s:%d on %s", scheme, args.host, args.port,
                                         make_url(url).get_backend_name())
    uvicorn.run("motcua_desktop.hub.app:factory", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level,
                ssl_certfile=str(args.certfile) if args.certfile else None,
                ssl_keyfile=str(args.keyfile) if args.keyfile else None,
                timeout_graceful_shutdown=5)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    url = args.db or default_url()
    before, after = migrate(make_engine(url))
    print(f"{describe(url)}: schema {before or 'empty'} → {after}" if before != after
          else f"{describe(url)}: schema already at {after}")
    return 0


def _add_counter(args: argparse.Namespace) -> int:
    token = store.add_counter(_engine(args), args.agency_code, args.slot, args.name)
    if args.json:
        _print_json({"agency_code": args.agency_code, "slot": args.slot, "name": args.name, "token": token})
    else:
        print(token)
        print(f"counter {args.agency_code}/{args.slot} registered; the token above is shown only now",
              file=sys.stderr)
    return 0


def _revoke_counter(args: argparse.Namespace) -> int:
    store.revoke_counter(_engine(args), args.agency_code, args.slot)
    print(f"counter {args.agency_code}/{args.slot} revoked")
    return 0


def _counters(args: argparse.Namespace) -> int:
    rows = store.list_counters(_engine(args))
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("no counters")
    for r in rows:
        skew = "" if r["clock_skew_s"] is None else f"  skew {r['clock_skew_s']:+d}s"
        state = "active" if r["active"] else f"revoked {r['revoked_at']}"
        print(f"{r['agency_code']}/{r['slot']}  {r['name'] or '-'}  {state}  last contact "
              f"{r['last_contact_at'] or 'never'}  events {r['events_received']}{skew}")
    return 0


def _add_processor(args: argparse.Namespace) -> int:
    token = store.add_processor(_engine(args), args.agency_code, args.name)
    if args.json:
        _print_json({"agency_code": args.agency_code, "name": args.name, "token": token})
    else:
        print(token)
        print(f"processor {args.name!r} of {args.agency_code} registered; the token above is shown only now",
              file=sys.stderr)
    return 0


def _revoke_processor(args: argparse.Namespace) -> int:
    store.revoke_processor(_engine(args), args.agency_code, args.name)
    print(f"processor {args.name!r} of {args.agency_code} revoked")
    return 0


def _set_status(args: argparse.Namespace) -> int:
    ev = store.set_status(_engine(args), args.code.strip(), args.status, due_at=args.new_due,
                          reason=args.reason, by=args.by)
    if args.json:
        _print_json({"event": ev.to_wire()})
    else:
        due = f", due {ev.payload['due_at']}" if ev.payload.get("due_at") else ""
        print(f"{ev.dossier_code}: {args.status}{due}")
    return 0


def _dossiers(args: argparse.Namespace) -> int:
    rows = store.list_dossiers(_engine(args), args.agency, args.status)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("no dossiers")
    for r in rows:
        print(f"{r['code']}  {r['status']:<20}  {r['procedure'] or '-'}  due {r['due_at'] or '-'}  "
              f"{r['applicant'] or ''}")
    return 0


def _dossier(args: argparse.Namespace) -> int:
    d = store.get_dossier(_engine(args), args.code.strip())
    if args.json:
        _print_json(d)
        return 0
    print(f"{d['code']}  {d['status']}  {d['procedure'] or '-'}  {d['applicant'] or ''}")
    print(f"received {d['received_at'] or '-'}  due {d['due_at'] or '-'}  counter {d['counter']}")
    for e in d["events"]:
        print(f"  {e['seq']:>3}  {e['at']}  {e['type']:<12} → {e['payload']['status']:<20} {e['actor']}"
              f"{'  (hub)' if e['origin'] == 'hub' else ''}")
    for c in d["conflicts"]:
        print(f"  conflict #{c['id']}: the counter's {c['event_type']} against hub status {c['hub_status']}"
              f"{' (resolved)' if c['resolved_at'] else ''}")
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    rows = store.list_conflicts(_engine(args), include_resolved=args.all)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("no conflicts" if args.all else "no open conflicts")
    for r in rows:
        line = (f"#{r['id']}  {r['dossier_code']}  counter {r['counter']}: its {r['event_type']} against hub "
                f"status {r['hub_status']}  ({r['created_at']})")
        res = r["resolution"]
        if res is not None:
            line += f"  resolved {r['resolved_at']}: kept the {res['keep']}'s state ({res['status']}, {res['actor']})"
        elif r["resolved_at"]:
            line += f"  resolved {r['resolved_at']}"
        print(line)
    return 0


def _publish(kind: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from . import publish

        engine = _engine(args)
        try:
            out = publish.publish(engine, "catalog" if kind == "catalog" else "calendar", args.file)
        except publish.PublishInvalid as e:
            if args.json:
                _print_json({"published": False, "problems": e.problems})
            print(f"motcua-hub: {args.file.name}: {len(e.problems)} problem(s), nothing published", file=sys.stderr)
            if not args.json:
                for problem in e.problems[:200]:
                    print(f"  - {problem}")
            return 2
        if args.json:
            _print_json({"published": True, **out})
        else:
            noun = "procedures" if kind == "catalog" else "days"
            print(f"{kind} v{out['version']} published: {out['items']} {noun} from {out['source']}")
        return 0
    return run


def _publications(args: argparse.Namespace) -> int:
    from . import publish

    rows = publish.listing(_engine(args))
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("nothing published")
    for r in rows:
        print(f"{r['kind']} v{r['version']}  {r['items']} items  {r['published_at']}  {r['source'] or '-'}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from . import export

    if (args.code is None) == (args.since is None):
        raise UsageError("export takes a dossier CODE or --since TIMESTAMP (one of the two)")
    engine = _engine(args)
    try:
        return _export_to_stdout(args, engine)
    except (export.ExportInvalid, DvcqgError) as e:
        print(f"motcua-hub: a record does not fit the DongBoHoSoMC schema: {e}", file=sys.stderr)
        return 1


def _export_to_stdout(args: argparse.Namespace, engine: Engine) -> int:
    from . import export

    if args.code is not None:
        rec = export.export_one(engine, args.code.strip())
        if args.json:
            _print_json(rec)
        else:
            for key, value in rec.items():
                shown = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
                print(f"{key}: {'' if shown is None else shown}")
        return 0
    recs = export.export_since(engine, args.since)
    if args.json:
        _print_json(recs)
    else:  # one record per line (JSON Lines)
        for rec in recs:
            print(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "migrate": _migrate, "serve": _serve, "add-counter": _add_counter, "revoke-counter": _revoke_counter,
    "counters": _counters, "add-processor": _add_processor, "revoke-processor": _revoke_processor,
    "set-status": _set_status, "dossiers": _dossiers, "dossier": _dossier, "conflicts": _conflicts, "export": _export,
    "publish-catalog": _publish("catalog"), "publish-calendar": _publish("calendar"), "publications": _publications,
}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except UsageError as e:
        print(f"motcua-hub: {e}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "serve":
        logging.getLogger("motcua_hub").setLevel(getattr(logging, args.log_level.upper()))
    try:
        return COMMANDS[args.command](args)
    except (UsageError, DatabaseUrlError) as e:
        print(f"motcua-hub: {e}", file=sys.stderr)
        return 2
    except store.HubError as e:
        print(f"motcua-hub: {e.detail}", file=sys.stderr)
        return 2
    except SchemaError as e:
        print(f"motcua-hub: {e}", file=sys.stderr)
        return 1
    except OperationalError as e:
        print(f"motcua-hub: cannot use the database ({_first_line(e)})", file=sys.stderr)
        return 1
    except DBAPIError as e:
        print(f"motcua-hub: database error ({type(e.orig).__name__})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _first_line(e: OperationalError) -> str:
    text = str(e.orig) if e.orig is not None else str(e)
    return text.strip().splitlines()[0][:200] if text.strip() else type(e).__name__


if __name__ == "__main__":
    raise SystemExit(main())

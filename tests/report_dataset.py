"""The fixed dataset the report tests count by hand: November 2026 at a commune counter, entered after
the fact with `at=` as a clerk types a month of paper dossiers.

Hand count for 1/11–30/11/2026 (letters are the dossiers below):
  received new 12 (B C D E F1 F2 G H I L M O): direct 10, post 1 (H), online 1 (O); carried over 1 (A)
  resolved 9: early 2 (D, F2), on time 5 (A, B, F1, G, O), late 2 (C, E), late with apology 1 (E)
  in progress at the end: within due 1 (H), past due 1 (I)
  refused 2 (K1 at first contact, K2 after waiting), withdrawn 1 (L), stopped 1 (M)
  waiting for papers at the end 1 (J); supplement rounds 3 (G, J, K2); apologies 1 (E)
  awaiting pickup 7 (A B C F1 F2 G O); satisfaction 2 ratings (D 5, E 3), mean 4.0; on-time rate 7/9
  by field: Hộ tịch everything but H; Đất đai: H (new 1, post, within due 1)
Z (October, received and resolved then) and P (received 1/12) count nowhere in November.
"""

from __future__ import annotations

from datetime import datetime

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.services import intake, returns
from motcua_desktop.services.context import Context

NOW = datetime(2026, 12, 1, 12, 0)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def person(name: str, n: int) -> Applicant:
    return Applicant(name=name, id_number=f"0010880{n:05d}", phone=f"09123{n:05d}", address="Thôn Đông, xã Hòa Bình")


def build(ctx: Context) -> dict[str, str]:
    """Enter the dossiers; returns letter → code."""
    ctx.clock = lambda: NOW
    codes: dict[str, str] = {}

    def receive(letter: str, proc: str, when: str, provided: str = "all", channel: str = "direct") -> str:
        v = intake.receive(ctx, proc, person(f"Người nộp {letter}", len(codes) + 1), provided, channel=channel,
                           at=at(when))
        codes[letter] = v.code
        return v.code

    # Z: October, done in October.
    z = receive("Z", "HT-04", "2026-10-20T09:00")
    returns.forward(ctx, z, at=at("2026-10-20T10:00"))
    returns.result_ready(ctx, z, at=at("2026-10-22T09:00"))
    returns.hand_over(ctx, z, rating=1, at=at("2026-10-23T09:00"))
    # A: received 28/10 (due 2/11 09:00), carried over, result 2/11 08:00 (due day, before the hour).
    a = receive("A", "HT-04", "2026-10-28T09:00")
    returns.forward(ctx, a, to="Công chức Tư pháp - Hộ tịch", at=at("2026-10-28T10:00"))
    returns.result_ready(ctx, a, at=at("2026-11-02T08:00"))
    # B: due 5/11 09:00, result 08:30 the due day: on time. C: due 5/11 10:00, result 14:00: late.
    b = receive("B", "HT-04", "2026-11-02T09:00")
    returns.result_ready(ctx, b, at=at("2026-11-05T08:30"))
    c = receive("C", "HT-04", "2026-11-02T10:00")
    returns.forward(ctx, c, at=at("2026-11-02T11:00"))
    returns.result_ready(ctx, c, at=at("2026-11-05T14:00"))
    # D: due 6/11, result 4/11: early; handed over 5/11, rated 5.
    d = receive("D", "HT-04", "2026-11-03T09:00")
    returns.result_ready(ctx, d, at=at("2026-11-04T15:00"))
    returns.hand_over(ctx, d, rating=5, at=at("2026-11-05T08:00"))
    # E: HT-05 due 16/11 09:00; apology 13/11 (new date 20/11); result 18/11: late against the original.
    e = receive("E", "HT-05", "2026-11-09T09:00")
    returns.forward(ctx, e, at=at("2026-11-09T10:00"))
    returns.apologise(ctx, e, at("2026-11-20T09:00"), "Chờ xác minh", at=at("2026-11-13T10:00"))
    returns.result_ready(ctx, e, at=at("2026-11-18T09:00"))
    returns.hand_over(ctx, e, rating=3, at=at("2026-11-19T09:00"))
    # F1, F2: same-day HT-01 received after the 15:00 cut-off (due 11/11 closing); F1 ready 11/11: on
    # time; F2 ready the evening it came: early.
    f1 = receive("F1", "HT-01", "2026-11-10T16:00")
    returns.result_ready(ctx, f1, at=at("2026-11-11T10:00"))
    f2 = receive("F2", "HT-01", "2026-11-10T16:30")
    returns.result_ready(ctx, f2, at=at("2026-11-10T16:45"))
    # G: incomplete 12/11 (a supplement round), complete 16/11: the clock restarts (due 19/11 09:00);
    # result 19/11 08:00: on time (3 working days from 12/11 would have been late).
    g = receive("G", "HT-04", "2026-11-12T09:00", provided="none")
    intake.supplement(ctx, g, "all", at=at("2026-11-16T09:00"))
    returns.result_ready(ctx, g, at=at("2026-11-19T08:00"))
    # H: land, by post, 20/11: in progress at the end, within due.
    h = receive("H", "DD-03", "2026-11-20T09:00", channel="post")
    returns.forward(ctx, h, to="Công chức Địa chính", at=at("2026-11-20T10:00"))
    # I: 23/11, no result by 30/11: past due.
    receive("I", "HT-04", "2026-11-23T09:00")
    # J: incomplete 25/11, still waiting at the end.
    receive("J", "HT-05", "2026-11-25T09:00", provided="none")
    # K1: refused at first contact 26/11; K2: incomplete 4/11, refused 6/11.
    codes["K1"] = intake.refuse_new(ctx, "HT-02", person("Người nộp K1", 90), "Không thuộc thẩm quyền",
                                    at=at("2026-11-26T09:00")).code
    k2 = receive("K2", "HT-05", "2026-11-04T09:00", provided="none")
    intake.refuse(ctx, k2, "Không đủ điều kiện", at=at("2026-11-06T09:00"))
    # L withdrawn, M stopped.
    lw = receive("L", "HT-04", "2026-11-17T09:00")
    intake.withdraw(ctx, lw, "Công dân xin rút", at=at("2026-11-18T09:00"))
    m = receive("M", "HT-04", "2026-11-17T10:00")
    returns.forward(ctx, m, at=at("2026-11-17T11:00"))
    returns.stop(ctx, m, "Người yêu cầu đã mất", at=at("2026-11-18T10:00"))
    # O: online, same day, ready that morning: on time.
    o = receive("O", "HT-01", "2026-11-27T09:00", channel="online")
    returns.result_ready(ctx, o, at=at("2026-11-27T11:00"))
    # P: December.
    receive("P", "HT-04", "2026-12-01T09:00")
    return codes

"""How fast the anonymiser reads typical pad text: `find` and `redact` throughput in MB/s.

Builds a few megabytes of webinar notes (French and English, Markdown, links, handles, times,
figures, and now and then an address or a phone number), then times each function several
times and prints the medians. Times are the process's CPU time, single-threaded: the figure is
one core's throughput even when other work shares the machine. Target: at least 20 MB/s.

    .venv/bin/python bench/redact_speed.py [--megabytes 4] [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from anonymizer import find, redact

TARGET_MB_PER_S = 20.0

_LINES = [
    "## Atelier {n} : la transition énergétique dans les collectivités",
    "- Intervenante : Marie Le Gall, chargée de mission à {city}",
    "- Slides : https://example.org/webinaires/{n}/slides.pdf",
    "Question de @ReseauCoherence : comment financer les rénovations en {year} ?",
    "Réponse : voir le point 3 du rapport, p. {page} (budget de {price} € sur {years} ans)",
    "* rdv @ {hour}h pour la suite, salle {room}",
    "Next session at {hour}:30 on {day}/{month}/{year}, link in the chat",
    "> Citation : « on ne change pas ce qu'on ne mesure pas »",
    "TODO : relire le compte rendu avant le {day} {month_name}",
    "Source : https://medium.com/@author/post-{n} et https://github.com/org/repo/issues/{n}",
    "`pip install pycrdt@0.{n}.{page}` puis `npm i yjs@13.{n}.0`",
    "Le taux passe de {pct} % à {pct2} % entre {year} et {year2}.",
    "We discussed the point about heat pumps at length; see the notes below.",
    "Code postal {postcode}, {city} — permanence le mardi de 9h à 12h.",
    "Merci à toutes et à tous pour votre participation !",
]
_CONTACTS = [
    "Pour la newsletter : {name}@exemple.fr",
    "Contact : {name} [at] collectivite [dot] bzh",
    "Me joindre au 06 {a} {b} {c} {d} ou +33 (0)7 {a} {b} {c} {d}",
    "[Écrire à l'équipe](mailto:{name}.equipe@exemple.gouv.fr)",
    "Suivez-moi : @{name}@mastodon.social",
]
_CITIES = ["Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Brieuc"]
_NAMES = ["yann", "maiwenn", "elodie", "gwen", "paul.martin", "anne-sophie"]


def make_pad_text(megabytes: float, seed: int = 5) -> str:
    """Deterministic notes of about `megabytes` MB (UTF-8), one contact line in 40."""
    rng = random.Random(seed)
    lines: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        pool = _CONTACTS if rng.random() < 1 / 40 else _LINES
        line = rng.choice(pool).format(
            n=rng.randint(1, 99),
            city=rng.choice(_CITIES),
            year=rng.randint(2019, 2030),
            year2=rng.randint(2031, 2050),
            years=rng.randint(2, 10),
            page=rng.randint(1, 200),
            price=f"{rng.randint(1, 999)} {rng.randint(100, 999)}",
            hour=rng.randint(8, 19),
            room=rng.randint(100, 400),
            day=rng.randint(1, 28),
            month=rng.randint(1, 12),
            month_name=rng.choice(["mars", "avril", "juin"]),
            pct=rng.randint(1, 60),
            pct2=rng.randint(1, 60),
            postcode=rng.randint(22000, 56999),
            name=rng.choice(_NAMES),
            a=rng.randint(10, 99),
            b=rng.randint(10, 99),
            c=rng.randint(10, 99),
            d=rng.randint(10, 99),
        )
        lines.append(line)
        size += len(line.encode()) + 1
    return "\n".join(lines)


def median_mb_per_s(function: Callable[[str], object], text: str, runs: int) -> float:
    megabytes = len(text.encode()) / 1_000_000
    timings = []
    for _ in range(runs):
        started = time.process_time()
        function(text)
        timings.append(time.process_time() - started)
    return megabytes / statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    text = make_pad_text(arguments.megabytes)
    findings = find(text)
    print(f"text: {len(text.encode()) / 1_000_000:.1f} MB, {len(findings)} findings")
    for name, function in (("find", find), ("redact", redact)):
        speed = median_mb_per_s(function, text, arguments.runs)
        verdict = "ok" if speed >= TARGET_MB_PER_S else "below target"
        print(f"{name:7} median {speed:6.1f} MB/s over {arguments.runs} runs ({verdict})")


if __name__ == "__main__":
    main()

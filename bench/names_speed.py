"""How fast the purge plan reads a pad with names on: medians of 5 runs, 50 KB and 1 MB.

Builds realistic webinar notes (French mostly, Markdown, a participants list, remarks signed
with first names, cue words, initials, places, venues, tools, links, now and then an address),
then times `names_plan` + `apply` (the purge) on each size. The model is loaded before timing
(its one-off load time is printed apart). Targets: 50 KB (a host's review) under 1 s, 1 MB
(the purge of a large pad) under 5 s. Wall-clock times judge the target; CPU times, printed
beside them, show how much of it the machine's other work took.

    .venv/bin/python bench/names_speed.py [--runs 5] [--no-model]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from anonymizer.name_model import load
from anonymizer.names import apply, names_plan

TARGETS = {50_000: 1.0, 1_000_000: 5.0}

_FIRST = [
    "Marie",
    "Yann",
    "Soazig",
    "Loïc",
    "Gwenaëlle",
    "Paul",
    "Anne-Sophie",
    "Erwan",
    "Claire",
    "Jean-Baptiste",
    "Nolwenn",
    "Thomas",
    "Léa",
    "Ronan",
    "Élodie",
    "Kevin",
]
_LAST = [
    "Le Gall",
    "Kerbrat",
    "Dupont",
    "Le Bihan",
    "Martin",
    "Guillou",
    "Tanguy",
    "Morvan",
    "Nguyen",
    "Le Goff",
    "Riou",
    "Bernard",
    "Coat",
    "Jaouen",
    "Quéré",
    "Moreau",
]
_CITIES = ["Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Brieuc", "Morlaix"]
_LINES = [
    "## Atelier {n} : la transition énergétique à {city}",
    "{first} : je pense qu'il faut d'abord regarder le budget de {n} k€.",
    "- {first} {last} présente le projet de réseau de chaleur de {city}",
    "Question de {first} : comment financer les rénovations en {year} ?",
    "Réponse : voir le point {n} du rapport, p. {page}. Merci à {first} et {first2} !",
    "Les slides sont sur https://example.org/webinaires/{n}/slides.pdf",
    "On se retrouve salle {n} de la médiathèque, rue Jean Jaurès à {city}.",
    "d'après {first} {last}, le chantier démarre en {month}. — {ini}",
    "Très bonne intervention, merci ! - {first_lower}",
    "Le taux passe de {n} % à {page} % entre {year} et 2040 (source : ADEME).",
    "On utilise Zoom pour la visio et Framapad pour les notes, comme d'habitude.",
    "Mme la Maire de {city} rappelle que la délibération a été votée en {month}.",
    "> « on ne change pas ce qu'on ne mesure pas », comme le disait {first} {last}",
    "* [ ] TODO ({ini}) : relire le compte rendu avant le {n} {month}",
    "DUPONT {first} signale un souci de son ; M. {LAST} confirme.",
    "Code postal 29200, permanence le mardi de 9h à 12h au lycée Victor Hugo.",
    "Nous avons discuté longuement des pompes à chaleur et des aides de la Région.",
    "Prochain webinaire le {n} {month}, inscription sur le site du réseau.",
    "Contact : {first_lower}.{last_lower}@exemple.fr",
]


def make_notes(size: int, seed: int = 19) -> str:
    """Deterministic notes of about `size` bytes, with a participants list at the top."""
    rng = random.Random(seed)
    people = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(20)]
    lines = ["# Webinaire du réseau", "", "## Participants (20)", *(f"- {p}" for p in people), ""]
    total = sum(len(line) + 1 for line in lines)
    while total < size:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        line = rng.choice(_LINES).format(
            n=rng.randint(1, 99),
            page=rng.randint(1, 200),
            year=rng.randint(2024, 2030),
            city=rng.choice(_CITIES),
            month=rng.choice(["mars", "avril", "juin", "octobre"]),
            first=first,
            first2=rng.choice(_FIRST),
            first_lower=first.lower(),
            last=last,
            LAST=last.upper(),
            last_lower=last.lower().replace(" ", ""),
            ini="".join(word[0] for word in f"{first} {last}".replace("-", " ").split()),
        )
        lines.append(line)
        total += len(line.encode()) + 1
    return "\n".join(lines)


def medians(text: str, runs: int, use_model: bool) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds of the purge of `text`, and its names removed."""
    wall, cpu = [], []
    hits = 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        plan = names_plan(text, known=["Soazig K."], speakers=["Ronan Riou"], use_model=use_model)
        apply(plan, text)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        hits = len(plan.names)
    return statistics.median(wall), statistics.median(cpu), hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-model", action="store_true", help="Rules and known names only.")
    arguments = parser.parse_args()
    use_model = not arguments.no_model
    if use_model:
        started = time.perf_counter()
        loaded = load() is not None
        print(f"model load: {time.perf_counter() - started:.1f} s ({'ok' if loaded else 'absent'})")
    for size, target in TARGETS.items():
        text = make_notes(size)
        wall, cpu, hits = medians(text, arguments.runs, use_model)
        verdict = "ok" if wall < target else "over target"
        print(
            f"{len(text.encode()) / 1000:7.0f} KB: median {wall:.2f} s ({cpu:.2f} s CPU) over "
            f"{arguments.runs} runs, {hits} names (target {target:.0f} s: {verdict})"
        )


if __name__ == "__main__":
    main()

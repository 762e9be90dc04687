"""Names: known-name variants, initials, rules, guards, keep/speakers, replacements, the plan."""

from __future__ import annotations

import pytest

from anonymizer import count
from anonymizer.name_matcher import initials
from anonymizer.name_model import available
from anonymizer.names import apply, find_names, line_context, names_plan, redact_names


def _purged(text: str, **options: object) -> str:
    options.setdefault("use_model", False)
    return redact_names(text, **options)[0]  # type: ignore[arg-type]


def _found(text: str, **options: object) -> list[str]:
    options.setdefault("use_model", False)
    return [text[f.start : f.end] for f in find_names(text, **options)]  # type: ignore[arg-type]


# Known names and their variants


def test_known_name_full_first_and_surname_alone() -> None:
    text = "Anaïs Kerlann ouvre. Plus tard anaïs revient, puis KERLANN conclut."
    assert _found(text, known=["Anaïs Kerlann"]) == ["Anaïs Kerlann", "anaïs", "KERLANN"]


def test_known_name_accent_case_hyphen_and_order_variants() -> None:
    text = "anais kerlann, ANAÏS-KERLANN, Kerlann Anaïs, Ana\u0308is"
    found = _found(text, known=["Anaïs Kerlann"])
    assert found == ["anais kerlann", "ANAÏS-KERLANN", "Kerlann Anaïs", "Ana\u0308is"]


def test_compound_first_name_and_particles() -> None:
    text = "Jean Baptiste puis M. Le Goff puis Goff seul"
    assert _found(text, known=["Jean-Baptiste Le Goff"]) == ["Jean Baptiste", "Le Goff", "Goff"]


def test_short_and_ordinary_pieces_are_not_removed_alone() -> None:
    text = "Il a posé une pierre. Bo est là. Pierre est arrivé. On en parle avec Pierre demain."
    assert _found(text, known=["Pierre Kerlann", "Bo Kerlann"]) == ["Pierre"]


def test_initials_of_known_names_as_whole_tokens() -> None:
    assert initials("Anaïs Kerlann") == {"AK"}
    assert initials("Jean-Baptiste Pierre") == {"JBP"}
    assert initials("Yann Le Goff") == {"YLG", "YG"}
    text = "merci AK, A.K. et J.-B. P. ; JBP aussi ; pas AKA ni JBPX ni ak"
    found = _found(text, known=["Anaïs Kerlann", "Jean-Baptiste Pierre"])
    assert found == ["AK", "A.K.", "J.-B. P.", "JBP"]


def test_common_acronyms_are_not_initials() -> None:
    assert _found("le PV et le CA", known=["Paul Vernet", "Céline Arzel"]) == []


# Rules for names found in the text


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Soazig : je suis d'accord", "Soazig"),
        ("- **Erwan Quéméner** : on avance", "Erwan Quéméner"),
        ("nolwenn, tu peux partager ?", "nolwenn"),
        ("Très clair. gwenaëlle", "gwenaëlle"),
        ("Super atelier - Tifenn", "Tifenn"),
        ("Bonne idée (Maël)", "Maël"),
        ("Merci pour le lien — Goulven D.", "Goulven D."),
        ("relu par l'équipe (MB)", "MB"),
        ("Slides envoyées — JBP", "JBP"),
        ("KL : voir plus bas", "KL"),
        ("DUPONTEL Maryvonne a envoyé le lien", "DUPONTEL Maryvonne"),
        ("le point de Maryvonne DUPONTEL", "Maryvonne DUPONTEL"),
        ("M. KERVADEC confirme", "KERVADEC"),
        ("Mme Le Bris confirme", "Le Bris"),
        ("problème signalé par Kervadec hier", "Kervadec"),
        ("d'après Kervadec, le budget tient", "Kervadec"),
        ("selon Le Bris c'est faisable", "Le Bris"),
        ("comme le disait Ronan, tout se tient", "Ronan"),
        ("j'en ai parlé avec Tugdual Morvan hier", "Tugdual Morvan"),
    ],
)
def test_rules_find(line: str, name: str) -> None:
    assert _found(line) == [name]


def test_cue_lists_names_and_initials() -> None:
    assert _found("merci à MB & JBP pour les slides") == ["MB", "JBP"]
    assert _found("merci à youenn et Kervadec !") == ["youenn", "Kervadec"]


def test_markdown_is_transparent() -> None:
    assert _found("_Question_ de [Soazig](https://exemple.fr) : ok") == ["Soazig"]
    assert _found("> * **Soazig** : ok") == ["Soazig"]


# Guards


@pytest.mark.parametrize(
    "line",
    [
        "rdv rue Victor Hugo, salle Anne de Bretagne, au lycée Jean Moulin",
        "place Charles de Gaulle puis Saint-Pierre et Sainte-Anne",
        "Mme la Maire a ouvert la séance ; M. le Président aussi",
        "On utilise Zoom, Framapad, Jitsi et BigBlueButton. Merci à Zoom !",
        "Questions : rien. Programme : voir plus bas. Notes : ok",
        "Le rapport du GIEC et de l'ADEME, selon Rennes Métropole",
        "Rendez-vous à Lorient en mars, puis à Florence.",
        "Merci : très bon atelier. Bravo - Super",
        "Pierre, papier, ciseaux",
        "## Participant·es présent·es",
    ],
)
def test_guards_keep(line: str) -> None:
    assert _found(line) == []


def test_ordinary_capitalised_word_at_line_start_is_no_name() -> None:
    assert _found("Réponse : voir le point 3\nIdée : faire un atelier") == []


# Speakers and keep


def test_speakers_and_keep_are_never_removed() -> None:
    text = "Soazig Kervadec présente. Kervadec : merci. SK répond. Question de Maël Corre."
    purged = _purged(text, speakers=["Soazig Kervadec"], keep=["Maël Corre"])
    assert purged == text


def test_speaker_wins_a_shared_first_name() -> None:
    text = "Anaïs Kerlann et Anaïs Bihan. Anaïs : ok."
    purged = _purged(text, known=["Anaïs Kerlann"], speakers=["ANAIS bihan"])
    assert purged == "Participant·e 1 et Anaïs Bihan. Anaïs : ok."


# Replacements


def test_pseudonyms_are_stable_per_person_across_forms() -> None:
    text = "Anaïs Kerlann ouvre. AK répond à Ewen. Kerlann conclut ; ewen : d'accord"
    purged = _purged(text, known=["Anaïs Kerlann", "Ewen Trégoat"])
    assert purged == (
        "Participant·e 1 ouvre. Participant·e 1 répond à Participant·e 2. Participant·e 1 "
        "conclut ; Participant·e 2 : d'accord"
    )


def test_found_names_are_matched_everywhere_with_one_pseudonym() -> None:
    text = "d'après Loïc Kervadec c'est bon.\nPlus tard, Kervadec a précisé.\nLoïc : oui"
    assert _purged(text) == (
        "d'après Participant·e 1 c'est bon.\nPlus tard, Participant·e 1 a précisé.\n"
        "Participant·e 1 : oui"
    )


def test_marker_style_and_english_labels() -> None:
    text = "Soazig : ok"
    assert _purged(text, style="marker") == "[nom retiré] : ok"
    assert _purged(text, language="en") == "Participant 1 : ok"
    assert _purged(text, style="marker", language="en") == "[name removed] : ok"


# The plan


def test_findings_carry_kind_confidence_value_and_position() -> None:
    text = "Notes\nAnaïs : ok\nd'après Kervadec, oui"
    plan = names_plan(text, known=["Anaïs Kerlann"], use_model=False)
    findings = [hit.finding for hit in plan.names]
    assert [(f.kind, f.value, f.confidence) for f in findings] == [
        ("name", "Anaïs Kerlann", "certain"),
        ("name", "Kervadec", "probable"),
    ]
    assert line_context(text, findings[1]) == (3, "d'après Kervadec, oui", 8, 16)
    assert count(findings) == {"email": 0, "phone": 0, "name": 2}


def test_plan_covers_addresses_phones_and_keeps_names_inside_addresses_whole() -> None:
    text = "Anaïs Kerlann : anais.kerlann@exemple.fr ou 06 12 34 56 78"
    purged, counts = redact_names(text, known=["Anaïs Kerlann"], use_model=False)
    assert purged == "Participant·e 1 : [adresse retirée] ou [téléphone retiré]"
    assert counts == {"email": 1, "phone": 1, "name": 1, "list": 0}


def test_apply_refuses_a_plan_for_another_text() -> None:
    plan = names_plan("Soazig : ok", use_model=False)
    with pytest.raises(ValueError, match="another text"):
        apply(plan, "Soazig : ko")


def test_review_and_purge_agree() -> None:
    text = "## Participants\n- Anaïs Kerlann\n\nAK : voir https://exemple.fr — merci à Ewen\n"
    plan = names_plan(text, use_model=False)
    assert apply(plan, text) == redact_names(text, use_model=False)[0]


def test_text_without_names_is_unchanged() -> None:
    text = "Le taux passe de 12 % à 30 % entre 2024 et 2030.\r\nRéponse : oui 😀\n"
    assert _purged(text) == text


# The model


@pytest.mark.skipif(not available(), reason="fr_core_news_md is not installed")
def test_model_finds_names_the_rules_miss() -> None:
    text = "Le projet de la coopérative a été présenté hier par Kowalczyk avec beaucoup de soin."
    plan = names_plan(text)
    assert plan.model == "fr_core_news_md"
    assert [text[h.finding.start : h.finding.end] for h in plan.names] == ["Kowalczyk"]
    assert plan.names[0].rule == "model"
    assert names_plan(text, use_model=False).names == ()


def test_words_the_host_removes_go_everywhere_unless_kept() -> None:
    text = "Le broyeur de Kerbrat est prêté. Voir kerbrat le samedi, avec Soazig Kervadec."
    plan = names_plan(text, remove=["Kerbrat", "Soazig Kervadec"], speakers=["Soazig Kervadec"])
    assert apply(plan, text) == (
        "Le broyeur de Participant·e 1 est prêté. Voir Participant·e 1 le samedi, avec "
        "Soazig Kervadec."
    )
    assert [hit.rule for hit in plan.names] == ["host", "host"]

"""What a browser gets for a page that is not there: HTML in its language with a way back; what
the API and the pages' scripts get: the JSON error they read."""

from __future__ import annotations

from tests.live import InProcessServer

PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def test_an_unknown_path_is_a_page_in_french_with_a_way_back(
    app_server: InProcessServer,
) -> None:
    response = await app_server.client.get("/pas-ici", headers=PAGE)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in response.text
    assert "Page introuvable" in response.text
    assert '<a href="/">Retour à l’accueil de Skrid</a>' in response.text
    assert 'href="/archive"' not in response.text


async def test_english_when_the_browser_prefers_it(app_server: InProcessServer) -> None:
    headers = {**PAGE, "Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}
    response = await app_server.client.get("/nowhere", headers=headers)
    assert '<html lang="en">' in response.text
    assert "Page not found" in response.text


async def test_an_unknown_archive_id_points_back_to_the_archive(
    app_server: InProcessServer,
) -> None:
    response = await app_server.client.get("/archive/inconnu", headers=PAGE)
    assert response.status_code == 404
    assert '<a href="/archive">Les archives des webinaires</a>' in response.text


async def test_the_api_and_scripts_keep_json(app_server: InProcessServer) -> None:
    for path, headers in [
        ("/api/pads/inconnu", PAGE),
        ("/pas-ici", {"Accept": "*/*"}),
        ("/pas-ici", {"Accept": "application/json"}),
    ]:
        response = await app_server.client.get(path, headers=headers)
        assert response.status_code in (401, 404)
        assert response.headers["content-type"].startswith("application/json"), path
        assert "error" in response.json()
    posted = await app_server.client.post("/pas-ici", headers=PAGE)
    assert posted.headers["content-type"].startswith("application/json")

-- Which known names wrote in the pad: the purge counts the people who wrote (distinct display
-- names whose client changed the notes), not the browser sessions, and keeps that count only;
-- the names go with the purge as before.
ALTER TABLE known_names ADD COLUMN wrote BOOLEAN NOT NULL DEFAULT false;

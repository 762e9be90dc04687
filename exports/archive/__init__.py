"""The public archive's renderers, one feature: pages, feed and static site (`site`), the
picture of a webinar's activity (`activity`), and their words in French and English (`text`)."""

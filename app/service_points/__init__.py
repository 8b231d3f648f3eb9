"""Where and when: the centre's counters, opening hours with their exceptions and the other
places to apply or get help (``app.models.service_points``).

``hours`` says whether a place is open at a local time and when it opens again; ``present``
words it for people; ``demo`` loads the demo places; ``app.public.service_points`` serves
``/gio-lam-viec`` (site and kiosk); the API is ``app.api.service_points``; editors use
``app.editor.service_points``.
"""

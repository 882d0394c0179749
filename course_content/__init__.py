"""The Ambassadeurs NR curriculum as data, with the model that loads, renders and scores it."""

from pathlib import Path

STATIC_FOLDER = Path(__file__).parent / "static"
"""The shared stylesheet and icon, used by the LTI tool and the SCORM packages."""

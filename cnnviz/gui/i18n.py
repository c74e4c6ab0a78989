"""The window's language: English, or Japanese, the language of the lecture notes.

Qt's own machinery: the window's strings are marked with ``self.tr("…")`` in QObject subclasses and
``QCoreApplication.translate("Context", "…")`` elsewhere (a string with numbers is a template,
``self.tr("{n} images").format(n=n)``); the Qt-free layers mark theirs with
:func:`cnnviz.errors.QT_TRANSLATE_NOOP` and the window shows them through :func:`translated`. The catalogues are
``resources/i18n/*.ts`` (one per area of the code, :mod:`cnnviz.gui.i18n_catalogues`), released into the one
``cnnviz_ja.qm`` shipped in the package; Qt's ``qtbase_ja.qm`` translates its standard dialogs.

:func:`chosen_language` picks the language: the command line's ``--lang`` over the one chosen in View › Language
(remembered) over the system's locale. :func:`start` installs the translators before any widget exists, unless no
font has Japanese glyphs (:func:`japanese_font`): then the window stays in English and says so once
(:data:`NO_FONT`). A language chosen in the menu takes effect at the next start. Numbers, units and keys are the
same in every language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFontDatabase

from cnnviz.errors import Text
from cnnviz.options import LANGUAGES  # each language named in itself (the View › Language menu)

__all__ = ["LANGUAGES", "NO_FONT", "SETTING", "catalogue", "chosen_language", "install", "japanese_font", "language",
           "start", "system_language", "tell_no_font", "translated", "uninstall"]
SETTING = "view/language"  # the language chosen in the menu
TOLD_SETTING = "view/told_no_japanese_font"  # the window said once that no font has Japanese glyphs
NO_FONT = ("No font with Japanese glyphs is installed, so cnnviz stays in English. Install one (the package "
           "fonts-noto-cjk on Debian and Ubuntu, or Noto Sans CJK JP elsewhere) and start cnnviz again.")

_installed: list[QTranslator] = []  # the translators installed now (kept alive: Qt does not own them)
_language = "en"


def catalogue(language: str) -> Path:
    """cnnviz's released catalogue of ``language`` (resources/i18n/cnnviz_<language>.qm)."""
    from cnnviz.data import resources_dir  # noqa: PLC0415

    return resources_dir() / "i18n" / f"cnnviz_{language}.qm"


def system_language() -> str:
    """The system locale's language where cnnviz speaks it, else English."""
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else "en"


def remembered_language(settings: QSettings | None) -> str | None:
    value = settings.value(SETTING) if settings is not None else None
    return value if value in LANGUAGES else None


def chosen_language(given: str | None, settings: QSettings | None) -> str:
    """``--lang`` (``given``), else View › Language's choice in ``settings``, else the system's language."""
    return given or remembered_language(settings) or system_language()


def japanese_font() -> bool:
    """Whether a font with Japanese glyphs is installed (else Japanese text would be empty boxes)."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))


def install(language: str, catalogues: list[Path] | None = None, qt: bool = True) -> None:
    """Translate the window into ``language`` from now on (widgets made before keep their text): cnnviz's
    ``catalogues`` (default: the shipped one) and (``qt``) Qt's own for its standard dialogs. English removes
    them."""
    app = QCoreApplication.instance()
    uninstall()
    global _language
    _language = language
    if language == "en":
        return
    if qt:
        standard = QTranslator(app)
        if standard.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _installed.append(standard)
    for path in catalogues or [catalogue(language)]:
        ours = QTranslator(app)
        if not ours.load(str(path)):
            raise FileNotFoundError(f"{path}: the catalogue cannot be read")
        _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)


def uninstall() -> None:
    """Back to English (the translators installed by :func:`install` removed)."""
    global _language
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    _language = "en"


def language() -> str:
    """The language installed now: "en" or "ja"."""
    return _language


def start(given: str | None, settings: QSettings | None) -> bool:
    """Install the language chosen (:func:`chosen_language`) before the first widget is made; False where it is
    Japanese but no font has Japanese glyphs: English stays, and the window says :data:`NO_FONT`
    (:func:`tell_no_font`)."""
    wanted = chosen_language(given, settings)
    if wanted != "en" and not japanese_font():
        install("en")
        return False
    install(wanted)
    return True


def tell_no_font(given: str | None, settings: QSettings) -> bool:
    """Whether the window says :data:`NO_FONT` at this start: once, the first time (remembered in ``settings``),
    and again whenever the command line asks for Japanese."""
    told = settings.value(TOLD_SETTING, False) in (True, "true")
    settings.setValue(TOLD_SETTING, True)
    return given is not None or not told


def translated(text: str) -> str:
    """A sentence of a Qt-free layer in the window's language: a :class:`~cnnviz.errors.Text`'s template
    translated and its values (translated where they are Texts too) filled in; any other text as it is."""
    if not isinstance(text, Text):
        return text
    template = QCoreApplication.translate(text.context, text.template) if text.context else text.template
    values = {name: translated(value) for name, value in text.values.items()}
    return template.format(**values) if values else template

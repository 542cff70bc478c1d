"""`seed_demo --language de`: the demo facility in German.

Every page is translated with wagtail-localize (so editors see synced translations they can
edit and update from the English source), with German for the strings below; the rest of
the text (instrument descriptions) is the English source until an editor translates it. The
demo people created by this run speak German, and a new facility takes the German settings.
"""

from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object, translate_page_subtree

LANGUAGE = "de"

FACILITY = {
    "facility_name": "Gerätezentrum Northfield",
    "tagline": "Gemeinsam genutzte Geräte, erfahrenes Personal und Einweisungen für die "
    "Forschung auf dem ganzen Campus",
    "time_zone": "Europe/Berlin",
}

# English source text → German, for the demo pages' translatable strings.
STRINGS = {
    "Northfield Core Research Facility": "Gerätezentrum Northfield",
    "Book the instruments you need": "Buchen Sie die Geräte, die Sie brauchen",
    "Three specialist labs — light microscopy, mass spectrometry and structural biology — "
    "open to researchers from every department and to external academic and industry "
    "users. Read an instrument's page and rules, see when it is free, and book it "
    "against your project.": "Drei Speziallabore – Lichtmikroskopie, Massenspektrometrie und "
    "Strukturbiologie – offen für Forschende aller Fachbereiche sowie für externe Hochschul- "
    "und Industrienutzer. Lesen Sie die Seite und die Regeln eines Geräts, sehen Sie, wann es "
    "frei ist, und buchen Sie es auf Ihr Projekt.",
    "Instruments": "Geräte",
    "Every bookable instrument and room of the facility. Filter by lab or by technique, "
    "or search by name.": "Alle buchbaren Geräte und Räume des Zentrums. Filtern Sie nach Labor "
    "oder Methode, oder suchen Sie nach dem Namen.",
    "Facility code of conduct": "Nutzungsordnung des Gerätezentrums",
    "The rules every user of the facility accepts before their first booking.": "Die Regeln, "
    "die alle Nutzenden vor ihrer ersten Buchung akzeptieren.",
    "Advanced Light Microscopy": "Lichtmikroskopie",
    "Confocal, spinning-disk and flow cytometry for fixed and living samples, with "
    "training and image-analysis support.": "Konfokal-, Spinning-Disk-Mikroskopie und "
    "Durchflusszytometrie für fixierte und lebende Proben, mit Einweisung und Unterstützung "
    "bei der Bildanalyse.",
    "Mass Spectrometry & Proteomics": "Massenspektrometrie & Proteomik",
    "High-resolution LC-MS for discovery proteomics, and targeted quantitation of "
    "peptides and small molecules.": "Hochauflösende LC-MS für die explorative Proteomik und "
    "gezielte Quantifizierung von Peptiden und kleinen Molekülen.",
    "Structural Biology: X-ray & Cryo-EM": "Strukturbiologie: Röntgen & Kryo-EM",
    "Cryo-electron microscopy, grid preparation and X-ray crystallography, from sample "
    "to structure.": "Kryo-Elektronenmikroskopie, Grid-Präparation und "
    "Röntgenkristallographie, von der Probe bis zur Struktur.",
    "Laser safety": "Lasersicherheit",
    "Class 3B and class 4 lasers: what you may and may not do.": "Laser der Klassen 3B und 4: "
    "was Sie dürfen und was nicht.",
    "Imaging data management": "Umgang mit Bilddaten",
    "Where your images go and how long the facility keeps them.": "Wohin Ihre Bilder kommen "
    "und wie lange das Zentrum sie aufbewahrt.",
    "Chemical and solvent safety": "Sicherheit im Umgang mit Chemikalien und Lösungsmitteln",
    "Solvents, gases and waste in the mass spectrometry lab.": "Lösungsmittel, Gase und Abfälle "
    "im Massenspektrometrie-Labor.",
    "Sample submission requirements": "Anforderungen an eingereichte Proben",
    "How to prepare and label samples for the proteomics service.": "Wie Sie Proben für den "
    "Proteomik-Service vorbereiten und beschriften.",
    "Cryogen handling": "Umgang mit Kryogenen",
    "Liquid nitrogen and liquid ethane: protective equipment and rules.": "Flüssigstickstoff "
    "und flüssiges Ethan: Schutzausrüstung und Regeln.",
    "X-ray radiation safety": "Strahlenschutz beim Röntgen",
    "Registered users, interlocks and dosimetry for the diffractometer.": "Registrierte "
    "Nutzende, Verriegelungen und Dosimetrie am Diffraktometer.",
}


def german_locale() -> Locale:
    return Locale.objects.get_or_create(language_code=LANGUAGE)[0]


def translate_pages(home: Page) -> int:
    """German translations of the home page and everything below it, with the German strings
    above; returns how many German pages there are. Pages translated before are kept."""
    locale = german_locale()
    translate_object(home, [locale])
    translate_page_subtree(home.pk, [locale], None, None)
    for translation in Translation.objects.filter(target_locale=locale).select_related("source"):
        if _add_strings(translation, locale):
            translation.save_target(publish=True)
    return Page.objects.filter(locale=locale).count()


def _add_strings(translation: Translation, locale: Locale) -> bool:
    """German for the source's strings the demo knows; whether any was new."""
    added = False
    segments = StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    )
    for segment in segments:
        german = STRINGS.get(segment.string.data)
        if german is None:
            continue
        _, created = StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": german},
        )
        added = added or created
    return added

"""The demo facility as plain data: settings, pages, labs, instruments, people, projects.

`demo.facility` turns these structures into records. Every entry carries the
natural key it is found by on a later run: a slug, a code or an email address. Rich text
is HTML; whitespace between tags is collapsed before it is stored.
"""

import datetime

from people.roles import Role

FACILITY = {
    "facility_name": "Northfield Core Research Facility",
    "tagline": "Shared instruments, expert staff and training for research across the campus",
    "contact_email": "facility@demo.labitory.test",
    "contact_phone": "+44 113 496 0200",
    "address": "Northfield Campus\n12 Quarry Lane\nNorthfield NF2 7LB\nUnited Kingdom",
    "time_zone": "Europe/London",
}

SITE = {"hostname": "localhost", "port": 80}

# Weekday (0 = Monday), opens, closes: the hours a new resource starts with.
OPENING_HOURS = [(weekday, datetime.time(8), datetime.time(20)) for weekday in range(5)]

WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"

HOME = {
    "title": "Northfield Core Research Facility",
    "slug": "home",
    "heading": "Book the instruments you need",
    "intro": (
        "Three specialist labs — light microscopy, mass spectrometry and structural biology — "
        "open to researchers from every department and to external academic and industry "
        "users. Read an instrument's page and rules, see when it is free, and book it "
        "against your project."
    ),
}

INSTRUMENT_INDEX = {
    "title": "Instruments",
    "slug": "instruments",
    "intro": (
        "Every bookable instrument and room of the facility. Filter by lab or by technique, "
        "or search by name."
    ),
}

CATEGORIES = [
    {"name": "Light microscopy", "slug": "light-microscopy"},
    {"name": "Electron microscopy", "slug": "electron-microscopy"},
    {"name": "Mass spectrometry", "slug": "mass-spectrometry"},
    {"name": "X-ray crystallography", "slug": "x-ray-crystallography"},
    {"name": "Sample preparation", "slug": "sample-preparation"},
    {"name": "Flow cytometry", "slug": "flow-cytometry"},
]

FACILITY_POLICIES = [
    {
        "slug": "facility-code-of-conduct",
        "title": "Facility code of conduct",
        "summary": "The rules every user of the facility accepts before their first booking.",
        "body": """
            <h2>Before you book</h2>
            <ul>
            <li>Complete the facility induction and the training for each instrument you use.
            Staff sign you off; until then you book assisted sessions only.</li>
            <li>Charge every booking to a project you belong to. Ask your PI to add you if
            your project is not listed.</li>
            <li>Book only the time you need. Holding slots "just in case" is not allowed and
            repeated unused bookings are released by staff.</li>
            </ul>
            <h2>During your session</h2>
            <ul>
            <li>Check in at the instrument within 15 minutes of the start of your booking,
            or the slot is released as a no-show and charged.</li>
            <li>Never leave a running instrument unattended unless its page says that
            unattended acquisition is allowed.</li>
            <li>Report faults, error messages and damage at once to the lab contact, and
            write them in the instrument log book.</li>
            <li>No food or drink in the labs. Wear the protective equipment the lab's own
            policies require.</li>
            </ul>
            <h2>After your session</h2>
            <ul>
            <li>Leave the instrument as you found it: samples removed, stage and bench
            cleaned, software closed, data copied off the acquisition computer.</li>
            <li>Data left on acquisition computers is deleted after 14 days.</li>
            <li>Cancel bookings you no longer need as early as possible. Cancellations
            within 24 hours of the start are charged in full.</li>
            </ul>
            <h2>Acknowledging the facility</h2>
            <p>Acknowledge the Northfield Core Research Facility in publications and posters
            that use data acquired here, and send the reference to the facility office.</p>
        """,
    },
]

LABS = [
    {
        "name": "Advanced Light Microscopy",
        "slug": "light-microscopy",
        "title": "Advanced Light Microscopy",
        "intro": (
            "Confocal, spinning-disk and flow cytometry for fixed and living samples, with "
            "training and image-analysis support."
        ),
        "description": """
            <p>The Advanced Light Microscopy lab runs confocal and super-resolution imaging,
            fast live-cell imaging and cell sorting for groups across the life and physical
            sciences. Two imaging scientists train new users, help design experiments and
            support image analysis in Fiji, Imaris and napari.</p>
            <p>New users book a <b>one-hour consultation</b> before their first session. The
            tissue culture suite next door lets you prepare live samples right before
            imaging.</p>
        """,
        "building": "Hodgkin Building",
        "room": "G.14–G.22",
        "address": "Hodgkin Building, ground floor\nNorthfield Campus\n12 Quarry Lane\n"
        "Northfield NF2 7LB",
        "contact_email": "microscopy@demo.labitory.test",
        "contact_phone": "+44 113 496 0210",
        "contacts": [
            {
                "name": "Gareth Lewis",
                "role": "Lab coordinator",
                "email": "coordinator@demo.labitory.test",
                "phone": "+44 113 496 0211",
            },
            {
                "name": "Dr Aisha Rahman",
                "role": "Senior imaging scientist",
                "email": "a.rahman@demo.labitory.test",
                "phone": "+44 113 496 0212",
            },
        ],
        "policies": [
            {
                "slug": "laser-safety",
                "title": "Laser safety",
                "summary": "Class 3B and class 4 lasers: what you may and may not do.",
                "body": """
                    <p>The confocal, spinning-disk and cell-sorter systems contain class 3B
                    and class 4 lasers. They are safe in normal use because the beam path is
                    enclosed. These rules keep it that way.</p>
                    <h2>Rules</h2>
                    <ol>
                    <li>Never remove covers, open interlocked panels or bypass an
                    interlock.</li>
                    <li>Never look into the eyepieces while a laser is scanning, and switch
                    the light path to the eyepieces only with the laser shutters closed.</li>
                    <li>Keep reflective objects (rings, watches, foil) away from an open
                    sample area.</li>
                    <li>Only trained staff align lasers or change fibres.</li>
                    <li>If a laser interlock warning appears, stop, close the shutters and
                    call the lab contact.</li>
                    </ol>
                    <h2>Incidents</h2>
                    <p>Report any suspected eye exposure immediately to the Laser Safety
                    Supervisor and occupational health, even if you notice no symptoms.</p>
                """,
            },
            {
                "slug": "imaging-data",
                "title": "Imaging data management",
                "summary": "Where your images go and how long the facility keeps them.",
                "body": """
                    <p>Acquisition computers are not storage. Save to the facility data
                    server during your session and move your data to your group's storage
                    within 14 days.</p>
                    <ul>
                    <li>Save in the instrument's native format (CZI, ND2, FCS) so that
                    metadata are kept.</li>
                    <li>Name folders <i>date_user_project</i>, for example
                    <i>2026-03-14_pnatarajan_BIO-2041</i>.</li>
                    <li>Images of human samples must be pseudonymised before they leave the
                    facility.</li>
                    </ul>
                """,
            },
        ],
        "instruments": [
            {
                "slug": "zeiss-lsm-980-airyscan",
                "title": "Zeiss LSM 980 with Airyscan 2",
                "resource": "Confocal LSM 980",
                "category": "light-microscopy",
                "capacity": 1,
                "rules": {
                    "granularity": 30,
                    "min_duration": 30,
                    "max_duration": 480,
                    "max_future_bookings": 10,
                    "requires_qualification": True,
                },
                "summary": (
                    "Inverted point-scanning confocal with Airyscan 2 super-resolution and a "
                    "32-channel spectral detector, for fixed and live samples."
                ),
                "location": "Hodgkin Building, room G.16",
                "contact_name": "Dr Aisha Rahman",
                "contact_email": "a.rahman@demo.labitory.test",
                "overview": """
                    <p>The LSM 980 is the lab's flagship confocal. Airyscan 2 improves
                    resolution to about 120 nm laterally while collecting more light than a
                    closed pinhole, so it suits dim and photosensitive samples. The spectral
                    detector separates overlapping fluorophores by linear unmixing.</p>
                    <p>A stage-top incubator keeps live samples at 37 °C and 5 % CO₂ for
                    overnight time-lapse.</p>
                """,
                "applications": """
                    <ul>
                    <li>Multi-colour imaging of fixed cells and tissue sections</li>
                    <li>Super-resolution of organelle contacts and cytoskeleton</li>
                    <li>FRAP, photoactivation and live-cell time-lapse</li>
                    <li>Spectral unmixing of autofluorescent samples</li>
                    </ul>
                """,
                "training": """
                    <p>Training is two sessions of two hours with an imaging scientist. After
                    sign-off you may book independently in the evening and at weekends.</p>
                """,
                "specifications": [
                    ("Stand", "Zeiss Axio Observer 7, inverted, motorised stage"),
                    ("Objectives", "10×/0.45 air, 20×/0.8 air, 40×/1.2 water, 63×/1.4 oil"),
                    ("Lasers", "405, 488, 561, 639 nm diode"),
                    ("Detectors", "2 × multi-alkali PMT, 32-channel GaAsP spectral, Airyscan 2"),
                    ("Resolution", "120 nm lateral, 350 nm axial (Airyscan SR)"),
                    ("Incubation", "Stage-top incubator, 37 °C, 5 % CO₂, humidified"),
                    ("Software", "ZEN blue 3.8"),
                ],
                "documents": [
                    {
                        "title": "LSM 980 quick start guide",
                        "filename": "lsm-980-quick-start-guide.txt",
                        "text": """
                            ZEISS LSM 980 with Airyscan 2 - quick start guide
                            =================================================

                            Start-up
                            1. Switch on the main power switch, then "Systems/PC".
                            2. Switch on "Components" and wait 2 minutes for the lasers.
                            3. Log in to Windows with your facility account; start ZEN blue.
                            4. Choose "Start system" so that the stage initialises.

                            Acquisition
                            1. Locate the sample in "Locate" with the eyepieces (LED only).
                            2. Switch to "Acquisition"; load a Smart Setup for your dyes.
                            3. Set the pinhole to 1 AU; adjust gain before laser power.
                            4. Save to D:\\Data\\<your name>; never to the desktop.

                            Shut-down
                            1. Clean oil objectives with lens tissue; lower to 10x.
                            2. Check the calendar: if nobody follows within 2 hours,
                               shut down in reverse order. Otherwise leave it on.
                            3. Write any problem in the log book and email the lab.
                        """,
                    }
                ],
                "policies": ["facility-code-of-conduct", "laser-safety"],
            },
            {
                "slug": "nikon-spinning-disk",
                "title": "Nikon CSU-W1 spinning-disk confocal",
                "resource": "Spinning-disk confocal CSU-W1",
                "category": "light-microscopy",
                "capacity": 1,
                "rules": {
                    "granularity": 30,
                    "min_duration": 60,
                    "max_duration": 720,
                    "requires_qualification": True,
                },
                "summary": (
                    "Fast, gentle live-cell imaging with a Yokogawa CSU-W1 scan head and two "
                    "sCMOS cameras for simultaneous two-colour acquisition."
                ),
                "location": "Hodgkin Building, room G.18",
                "contact_name": "Dr Aisha Rahman",
                "contact_email": "a.rahman@demo.labitory.test",
                "overview": """
                    <p>The spinning disk images many points in parallel, so it acquires
                    whole fields at camera speed with far less photobleaching than a point
                    scanner. It is the system of choice for long time-lapse of living cells,
                    organoids and small embryos.</p>
                    <p>Perfect Focus keeps the sample in focus for days; the Okolab
                    enclosure controls temperature, CO₂ and humidity.</p>
                """,
                "applications": """
                    <ul>
                    <li>Time-lapse of cell division, migration and membrane trafficking</li>
                    <li>Organoid and zebrafish embryo imaging over 24–72 hours</li>
                    <li>Fast two-colour acquisition with the dual-camera splitter</li>
                    </ul>
                """,
                "training": """
                    <p>One three-hour training session; bring your own live sample.</p>
                """,
                "specifications": [
                    ("Stand", "Nikon Eclipse Ti2-E with Perfect Focus System 4"),
                    ("Scan head", "Yokogawa CSU-W1, 50 µm pinhole disk"),
                    ("Objectives", "20×/0.75, 40×/1.15 water, 60×/1.4 oil, 100×/1.45 oil"),
                    ("Lasers", "405, 488, 561, 640 nm"),
                    ("Cameras", "2 × Hamamatsu ORCA-Fusion BT sCMOS"),
                    ("Environment", "Okolab enclosure, 37 °C, CO₂ and humidity control"),
                    ("Software", "NIS-Elements AR 5.42 with JOBS"),
                ],
                "documents": [],
                "policies": ["facility-code-of-conduct", "laser-safety"],
            },
            {
                "slug": "bd-facsaria-fusion",
                "title": "BD FACSAria Fusion cell sorter",
                "resource": "Cell sorter FACSAria Fusion",
                "category": "flow-cytometry",
                "capacity": 1,
                "rules": {
                    "granularity": 30,
                    "min_duration": 60,
                    "max_duration": 480,
                    "min_notice": 1440,
                    "cancellation_cutoff": 48,
                    "requires_qualification": True,
                },
                "summary": (
                    "Four-laser, 18-colour cell sorter in a Class II biosafety cabinet, "
                    "sorting into tubes and plates."
                ),
                "location": "Hodgkin Building, room G.20",
                "contact_name": "Gareth Lewis",
                "contact_email": "coordinator@demo.labitory.test",
                "overview": """
                    <p>The FACSAria Fusion sorts up to four populations at once into tubes,
                    or single cells into 96- and 384-well plates. Its enclosure is a Class II
                    biosafety cabinet, so primary human and CL2 samples can be sorted.</p>
                    <p>Sorting is run by facility staff during office hours; trained users
                    may run analysis sessions on their own.</p>
                """,
                "applications": """
                    <ul>
                    <li>Isolation of rare populations for sequencing</li>
                    <li>Single-cell cloning into plates</li>
                    <li>Enrichment of transfected or reporter-positive cells</li>
                    </ul>
                """,
                "training": """
                    <p>Send your panel to the lab before your first booking; staff check it
                    for spillover and suggest controls.</p>
                """,
                "specifications": [
                    ("Lasers", "405, 488, 561, 640 nm"),
                    ("Parameters", "Up to 18 colours plus FSC and SSC"),
                    ("Nozzles", "70, 85, 100 and 130 µm"),
                    ("Sort outputs", "4-way into tubes; 6- to 384-well plates; slides"),
                    ("Containment", "Class II biosafety cabinet with aerosol management"),
                    ("Software", "BD FACSDiva 9.0"),
                ],
                "documents": [
                    {
                        "title": "FACSAria Fusion start-up and shut-down checklist",
                        "filename": "facsaria-fusion-checklist.txt",
                        "text": """
                            BD FACSAria Fusion - start-up and shut-down checklist
                            =====================================================

                            Start-up (allow 45 minutes)
                            [ ] Check sheath tank is full and waste tank is empty
                            [ ] Add 100 ml bleach to the empty waste tank
                            [ ] Start the fluidics; run "Fluidics startup"
                            [ ] Install the nozzle for your cell size; turn on the stream
                            [ ] Run CS&T beads; accept only a "Passed" result
                            [ ] Run Accudrop beads; set the drop delay

                            Shut-down
                            [ ] Run 10 % bleach, then water, 5 minutes each
                            [ ] Turn off the stream; run "Clean flow cell"
                            [ ] Empty the waste tank into the sink with the tap running
                            [ ] Wipe the sort chamber and the sample station with 70 % ethanol
                        """,
                    }
                ],
                "policies": ["facility-code-of-conduct", "laser-safety"],
            },
            {
                "slug": "tissue-culture-suite",
                "title": "Tissue culture suite",
                "resource": "Tissue culture suite (4 hoods)",
                "category": "sample-preparation",
                "capacity": 4,
                "rules": {
                    "granularity": 30,
                    "min_duration": 30,
                    "max_duration": 240,
                    "cancellation_cutoff": 2,
                },
                "summary": (
                    "A CL2 tissue culture room with four Class II hoods, bookable per hood, "
                    "next to the imaging rooms."
                ),
                "location": "Hodgkin Building, room G.14",
                "contact_name": "Gareth Lewis",
                "contact_email": "coordinator@demo.labitory.test",
                "overview": """
                    <p>Prepare and treat live samples minutes before imaging. Each booking
                    holds one of the four hoods; four people can work in the suite at the
                    same time.</p>
                    <p>Incubator shelves are shared: label flasks with your name, project and
                    the date, and remove them within a week of your last imaging session.</p>
                """,
                "applications": """
                    <ul>
                    <li>Seeding imaging dishes and transfections before live imaging</li>
                    <li>Drug treatments timed to a microscope booking</li>
                    <li>Preparing single-cell suspensions for sorting</li>
                    </ul>
                """,
                "training": """
                    <p>A one-hour CL2 induction is required; your group's own tissue culture
                    training counts towards it.</p>
                """,
                "specifications": [
                    ("Hoods", "4 × Class II microbiological safety cabinets"),
                    ("Containment level", "CL2"),
                    ("Incubators", "4 × CO₂ incubators, 37 °C, 5 % CO₂"),
                    ("Centrifuge", "Eppendorf 5810 R, swing-bucket, 4 °C"),
                    ("Microscope", "Inverted phase-contrast with camera"),
                    ("Booking unit", "One hood per booking, 30-minute slots"),
                ],
                "documents": [],
                "policies": ["facility-code-of-conduct"],
            },
        ],
    },
    {
        "name": "Mass Spectrometry & Proteomics",
        "slug": "mass-spectrometry",
        "title": "Mass Spectrometry & Proteomics",
        "intro": (
            "High-resolution LC-MS for discovery proteomics, and targeted quantitation of "
            "peptides and small molecules."
        ),
        "description": """
            <p>The Mass Spectrometry &amp; Proteomics lab runs nanoflow LC-MS/MS for
            discovery and quantitative proteomics, and a triple quadrupole for targeted
            assays of metabolites, lipids and drugs. Users may run their own samples after
            training, or submit samples for a full service including sample preparation and
            data analysis.</p>
        """,
        "building": "Franklin Building",
        "room": "1.08–1.12",
        "address": "Franklin Building, first floor\nNorthfield Campus\n12 Quarry Lane\n"
        "Northfield NF2 7LB",
        "contact_email": "massspec@demo.labitory.test",
        "contact_phone": "+44 113 496 0230",
        "contacts": [
            {
                "name": "Dr Jonas Weber",
                "role": "Mass spectrometry manager",
                "email": "j.weber@demo.labitory.test",
                "phone": "+44 113 496 0231",
            },
        ],
        "policies": [
            {
                "slug": "chemical-and-solvent-safety",
                "title": "Chemical and solvent safety",
                "summary": "Solvents, gases and waste in the mass spectrometry lab.",
                "body": """
                    <h2>Solvents</h2>
                    <ul>
                    <li>Use LC-MS grade solvents only, from the lab's stock. Label every
                    bottle with its contents, your name and the date.</li>
                    <li>Prepare mobile phases in the fume hood. Never top up a running
                    solvent bottle; replace it.</li>
                    </ul>
                    <h2>Gases</h2>
                    <p>Nitrogen is supplied by a generator and argon from cylinders. Do not
                    touch regulators. If the oxygen monitor alarms, leave the room and call
                    the lab contact.</p>
                    <h2>Waste</h2>
                    <p>Collect LC waste in the labelled halogenated or non-halogenated
                    containers. Never pour solvents down the sink.</p>
                """,
            },
            {
                "slug": "sample-submission",
                "title": "Sample submission requirements",
                "summary": "How to prepare and label samples for the proteomics service.",
                "body": """
                    <ul>
                    <li>Submit at least 10 µg of protein per sample; state the buffer and
                    detergents used. SDS, PEG and glycerol must be removed.</li>
                    <li>Label tubes with the sample ID from your submission form only.</li>
                    <li>Ship on dry ice, Monday to Wednesday, so that samples arrive on a
                    working day.</li>
                    </ul>
                """,
            },
        ],
        "instruments": [
            {
                "slug": "orbitrap-exploris-480",
                "title": "Thermo Orbitrap Exploris 480",
                "resource": "Orbitrap Exploris 480",
                "category": "mass-spectrometry",
                "capacity": 1,
                "rules": {
                    "granularity": 60,
                    "min_duration": 60,
                    "max_duration": 720,
                    "requires_qualification": True,
                    "billing_basis": "actual",
                },
                "summary": (
                    "High-resolution Orbitrap with a Vanquish Neo nanoLC and FAIMS Pro Duo, "
                    "for deep DDA and DIA proteomics and TMT quantitation."
                ),
                "location": "Franklin Building, room 1.10",
                "contact_name": "Dr Jonas Weber",
                "contact_email": "j.weber@demo.labitory.test",
                "overview": """
                    <p>The Exploris 480 combines up to 480,000 resolution with fast scanning,
                    which makes it suited to both data-independent acquisition of complex
                    lysates and multiplexed TMT experiments. The FAIMS Pro Duo interface
                    adds gas-phase fractionation and improves depth without offline
                    fractionation.</p>
                """,
                "applications": """
                    <ul>
                    <li>Whole-proteome DIA of cells, tissues and plasma</li>
                    <li>TMTpro 18-plex quantitation</li>
                    <li>Phospho- and ubiquitin-remnant proteomics</li>
                    <li>Targeted PRM assays</li>
                    </ul>
                """,
                "training": """
                    <p>Independent use requires the LC-MS course and three supervised runs.
                    Instrument methods are maintained by the lab; do not edit them.</p>
                """,
                "specifications": [
                    ("LC", "Vanquish Neo UHPLC, 100–1,000 nl/min"),
                    ("Resolution", "Up to 480,000 at m/z 200"),
                    ("Mass range", "m/z 40–8,000"),
                    ("Mass accuracy", "< 3 ppm with external calibration"),
                    ("Ion source", "EASY-Spray with FAIMS Pro Duo interface"),
                    ("Acquisition", "DDA, DIA, TMT/TMTpro, PRM"),
                    ("Software", "Xcalibur 4.7, Proteome Discoverer 3.1, Spectronaut"),
                ],
                "documents": [
                    {
                        "title": "Orbitrap Exploris 480 user session checklist",
                        "filename": "exploris-480-session-checklist.txt",
                        "text": """
                            Orbitrap Exploris 480 - user session checklist
                            ==============================================

                            Before your run
                            - Check the QC HeLa digest from this morning passed (see log).
                            - Check solvent levels: A (0.1 % formic acid in water) and
                              B (0.1 % formic acid in 80 % acetonitrile), at least 200 ml.
                            - Load samples in the autosampler at 7 C; note positions.

                            Building the sequence
                            - Use the lab's instrument methods only; copy, do not edit.
                            - Put a blank before your first sample and after every 8.
                            - Save raw files to D:\\Data\\<project code>\\<date>.

                            After your run
                            - Run the end-of-sequence wash method.
                            - Put the instrument in standby; leave the LC at 100 nl/min.
                            - Copy raw files to the facility server within 48 hours.
                        """,
                    }
                ],
                "policies": ["facility-code-of-conduct", "chemical-and-solvent-safety"],
            },
            {
                "slug": "bruker-timstof-pro-2",
                "title": "Bruker timsTOF Pro 2",
                "resource": "timsTOF Pro 2",
                "category": "mass-spectrometry",
                "capacity": 1,
                "rules": {
                    "granularity": 60,
                    "min_duration": 120,
                    "max_duration": 720,
                    "min_notice": 1440,
                },
                "summary": (
                    "Trapped ion mobility time-of-flight MS with an Evosep One, for fast, "
                    "robust dia-PASEF proteomics of large sample cohorts."
                ),
                "location": "Franklin Building, room 1.12",
                "contact_name": "Dr Jonas Weber",
                "contact_email": "j.weber@demo.labitory.test",
                "overview": """
                    <p>Trapped ion mobility adds a fourth dimension to each peptide and lets
                    PASEF fragment many precursors per cycle. With the Evosep One's
                    standardised gradients the timsTOF runs 30 to 100 samples a day with
                    consistent retention times — ideal for clinical cohorts.</p>
                """,
                "applications": """
                    <ul>
                    <li>Cohort proteomics of plasma and tissue (dia-PASEF)</li>
                    <li>Low-input and single-cell proteomics</li>
                    <li>Immunopeptidomics</li>
                    </ul>
                """,
                "training": """
                    <p>The timsTOF runs as a service for most projects: book the slot, and
                    staff load and run your plate.</p>
                """,
                "specifications": [
                    ("LC", "Evosep One, 30, 60 and 100 samples per day methods"),
                    ("Ion mobility", "TIMS, 1/K₀ 0.6–1.6 Vs/cm²"),
                    ("Acquisition", "DDA-PASEF, dia-PASEF, prm-PASEF"),
                    ("MS/MS speed", "More than 100 Hz"),
                    ("Resolution", "40,000 FWHM"),
                    ("Software", "timsControl 5, DIA-NN and FragPipe on the analysis server"),
                ],
                "documents": [],
                "policies": ["facility-code-of-conduct", "chemical-and-solvent-safety"],
            },
            {
                "slug": "waters-xevo-tq-xs",
                "title": "Waters Xevo TQ-XS triple quadrupole",
                "resource": "Xevo TQ-XS",
                "category": "mass-spectrometry",
                "capacity": 1,
                "rules": {
                    "granularity": 60,
                    "min_duration": 60,
                    "max_duration": 720,
                    "requires_qualification": True,
                },
                "summary": (
                    "Sensitive triple quadrupole with UPLC for targeted quantitation of "
                    "metabolites, lipids, drugs and peptides."
                ),
                "location": "Franklin Building, room 1.08",
                "contact_name": "Dr Jonas Weber",
                "contact_email": "j.weber@demo.labitory.test",
                "overview": """
                    <p>The Xevo TQ-XS measures hundreds of known compounds per run by
                    multiple reaction monitoring, with the sensitivity to quantify
                    picogram amounts in biological matrices. The lab keeps validated methods
                    for short-chain fatty acids, acylcarnitines and common drugs.</p>
                """,
                "applications": """
                    <ul>
                    <li>Targeted metabolomics and lipid panels</li>
                    <li>Pharmacokinetics of small-molecule drugs</li>
                    <li>Absolute quantitation of peptides with labelled standards</li>
                    </ul>
                """,
                "training": """
                    <p>Method development is a supported session with staff; routine batches
                    with an existing method may be run independently after training.</p>
                """,
                "specifications": [
                    ("LC", "ACQUITY UPLC I-Class PLUS"),
                    ("Ion sources", "ESI, UniSpray, APCI"),
                    ("Mass range", "m/z 2–2,048"),
                    ("MRM dwell time", "Down to 1 ms"),
                    ("Polarity switching", "15 ms"),
                    ("Software", "MassLynx 4.2 with TargetLynx"),
                ],
                "documents": [],
                "policies": ["facility-code-of-conduct", "chemical-and-solvent-safety"],
            },
        ],
    },
    {
        "name": "Structural Biology — X-ray & Cryo-EM",
        "slug": "structural-biology",
        "title": "Structural Biology: X-ray & Cryo-EM",
        "intro": (
            "Cryo-electron microscopy, grid preparation and X-ray crystallography, from sample "
            "to structure."
        ),
        "description": """
            <p>The Structural Biology lab supports the whole route from purified protein to
            atomic model: vitrification and screening of cryo-EM grids, single-particle data
            collection at 200 kV, and in-house X-ray diffraction of protein and small-molecule
            crystals. Processing runs on the facility's GPU cluster with RELION and
            cryoSPARC.</p>
        """,
        "building": "Perutz Building",
        "room": "B.03–B.07",
        "address": "Perutz Building, basement\nNorthfield Campus\n12 Quarry Lane\n"
        "Northfield NF2 7LB",
        "contact_email": "structural@demo.labitory.test",
        "contact_phone": "+44 113 496 0250",
        "contacts": [
            {
                "name": "Dr Mei Lin Chow",
                "role": "Cryo-EM facility manager",
                "email": "m.chow@demo.labitory.test",
                "phone": "+44 113 496 0251",
            },
            {
                "name": "Dr Rhys Morgan",
                "role": "Crystallographer",
                "email": "r.morgan@demo.labitory.test",
                "phone": "+44 113 496 0252",
            },
        ],
        "policies": [
            {
                "slug": "cryogen-handling",
                "title": "Cryogen handling",
                "summary": "Liquid nitrogen and liquid ethane: protective equipment and rules.",
                "body": """
                    <p>Liquid nitrogen (−196 °C) causes cold burns and displaces oxygen;
                    liquid ethane is also highly flammable. Everyone who fills dewars or
                    prepares grids follows these rules.</p>
                    <h2>Protective equipment</h2>
                    <ul>
                    <li>Face shield, cryogenic gloves and a lab coat when pouring or
                    transferring liquid nitrogen.</li>
                    <li>Closed shoes; no shorts.</li>
                    </ul>
                    <h2>Rules</h2>
                    <ol>
                    <li>Fill dewars only in the ventilated filling room B.05, where an oxygen
                    monitor is fitted. Never fill alone out of hours.</li>
                    <li>Never take a dewar in a passenger lift with people in it.</li>
                    <li>Condense ethane only in the Vitrobot's ethane station, away from
                    ignition sources; let residual ethane evaporate in the fume hood.</li>
                    <li>If the oxygen alarm sounds, leave the room, close the door and call
                    security.</li>
                    </ol>
                """,
            },
            {
                "slug": "x-ray-radiation-safety",
                "title": "X-ray radiation safety",
                "summary": "Registered users, interlocks and dosimetry for the diffractometer.",
                "body": """
                    <p>The diffractometer is an enclosed X-ray system. Its enclosure and
                    interlocks keep the dose outside it at background levels.</p>
                    <ol>
                    <li>Only users registered with the Radiation Protection Supervisor may
                    operate the diffractometer.</li>
                    <li>Never defeat, tape over or bypass a door interlock.</li>
                    <li>Wear your personal dosimeter badge while using the instrument.</li>
                    <li>If the shutter-open warning stays lit with the door open, close the
                    door, switch off the generator and call the lab contact.</li>
                    </ol>
                """,
            },
        ],
        "instruments": [
            {
                "slug": "glacios-2-cryo-tem",
                "title": "Thermo Scientific Glacios 2 cryo-TEM",
                "resource": "Glacios 2 cryo-TEM",
                "category": "electron-microscopy",
                "capacity": 1,
                "rules": {
                    "granularity": 60,
                    "min_duration": 240,
                    "max_duration": 720,
                    "horizon_days": 60,
                    "max_future_bookings": 2,
                    "cancellation_cutoff": 72,
                    "requires_qualification": True,
                },
                "summary": (
                    "200 kV cryo-transmission electron microscope with autoloader and Falcon "
                    "4i detector, for grid screening and single-particle data collection."
                ),
                "location": "Perutz Building, room B.03",
                "contact_name": "Dr Mei Lin Chow",
                "contact_email": "m.chow@demo.labitory.test",
                "overview": """
                    <p>The Glacios 2 screens grids and collects high-resolution
                    single-particle datasets. The autoloader holds twelve clipped grids at
                    cryogenic temperature, so a session can screen a whole cassette and go
                    straight on to collection on the best grid.</p>
                    <p>Screening sessions are booked in blocks of at least four hours, and data
                    collection in blocks of up to twelve; collection set up by 20:00 may run
                    unattended overnight.</p>
                """,
                "applications": """
                    <ul>
                    <li>Screening of ice thickness and particle distribution</li>
                    <li>Single-particle analysis to better than 3 Å</li>
                    <li>Cryo-electron tomography of cells and lamellae</li>
                    </ul>
                """,
                "training": """
                    <p>Screening is taught in two supervised sessions; unattended overnight
                    collection needs the manager's sign-off.</p>
                """,
                "specifications": [
                    ("Accelerating voltage", "200 kV, X-FEG"),
                    ("Autoloader", "12 cassette positions, cryo"),
                    ("Detector", "Falcon 4i direct electron detector"),
                    ("Data collection", "EPU 3 with aberration-free image shift"),
                    ("Tomography", "Tomography 5 software, ±60° tilt"),
                    ("Throughput", "About 400 movies per hour"),
                    ("Best resolution", "2.6 Å (apoferritin benchmark)"),
                ],
                "documents": [
                    {
                        "title": "Glacios 2 autoloader and session guide",
                        "filename": "glacios-2-session-guide.txt",
                        "text": """
                            Glacios 2 - autoloader and session guide
                            ========================================

                            Before you come
                            - Clip your grids into autogrids at the clipping station (B.04).
                            - Record grid IDs and positions in the session sheet.

                            Loading
                            1. Check the autoloader is cold (below -170 C) and the
                               "Dock" state is shown in TEM User Interface.
                            2. Transfer the cassette with the NanoCab; do not rush.
                            3. Run "Inventory" and confirm that every slot is detected.

                            Screening
                            - Take an atlas of each grid in EPU; score squares 1-5.
                            - Keep the objective aperture in during collection.

                            End of session
                            - Unload all grids to the cassette; return the cassette.
                            - Run "Cryo cycle" if the next user starts within 12 hours.
                        """,
                    }
                ],
                "policies": ["facility-code-of-conduct", "cryogen-handling"],
            },
            {
                "slug": "vitrobot-mark-iv",
                "title": "Vitrobot Mark IV plunge freezer",
                "resource": "Vitrobot Mark IV",
                "category": "sample-preparation",
                "capacity": 1,
                "rules": {"granularity": 30, "min_duration": 60, "max_duration": 240},
                "summary": (
                    "Automated plunge freezer with controlled humidity and blotting, for "
                    "reproducible cryo-EM grids."
                ),
                "location": "Perutz Building, room B.04",
                "contact_name": "Dr Mei Lin Chow",
                "contact_email": "m.chow@demo.labitory.test",
                "overview": """
                    <p>The Vitrobot applies and blots your sample on the grid at a set
                    temperature and humidity, then plunges it into liquid ethane. Controlled
                    conditions make grid preparation reproducible from day to day.</p>
                """,
                "applications": """
                    <ul>
                    <li>Vitrification of purified proteins and complexes</li>
                    <li>Blot-time and sample-concentration screens</li>
                    </ul>
                """,
                "training": """
                    <p>One supervised session, including ethane condensation and safe
                    disposal.</p>
                """,
                "specifications": [
                    ("Chamber", "4–60 °C, up to 100 % relative humidity"),
                    ("Blotting", "0.5–10 s, adjustable force"),
                    ("Cryogen", "Liquid ethane, cooled by liquid nitrogen"),
                    ("Grids", "3 mm EM grids: Quantifoil, C-flat, UltrAuFoil"),
                    ("Glow discharge", "PELCO easiGlow in the same room"),
                ],
                "documents": [],
                "policies": ["facility-code-of-conduct", "cryogen-handling"],
            },
            {
                "slug": "rigaku-xtalab-synergy-s",
                "title": "Rigaku XtaLAB Synergy-S diffractometer",
                "resource": "XtaLAB Synergy-S",
                "category": "x-ray-crystallography",
                "capacity": 1,
                "rules": {
                    "granularity": 30,
                    "min_duration": 30,
                    "max_duration": 720,
                    "requires_qualification": True,
                },
                "summary": (
                    "Dual-source (Cu/Mo) single-crystal diffractometer with a hybrid photon "
                    "counting detector and a cryostream."
                ),
                "location": "Perutz Building, room B.07",
                "contact_name": "Dr Rhys Morgan",
                "contact_email": "r.morgan@demo.labitory.test",
                "overview": """
                    <p>The Synergy-S collects single-crystal diffraction data from both small
                    molecules and proteins. Switch between copper radiation (for absolute
                    structure and weakly diffracting crystals) and molybdenum radiation (for
                    high-resolution small-molecule data) in software.</p>
                """,
                "applications": """
                    <ul>
                    <li>Small-molecule structure determination, including absolute
                    configuration</li>
                    <li>Crystal screening before synchrotron visits</li>
                    <li>Variable-temperature studies from 80 to 400 K</li>
                    </ul>
                """,
                "training": """
                    <p>Register with the Radiation Protection Supervisor, then book a
                    two-hour training session with the crystallographer.</p>
                """,
                "specifications": [
                    ("Sources", "Dual PhotonJet-S microfocus: Cu Kα 1.5418 Å, Mo Kα 0.7107 Å"),
                    ("Detector", "HyPix-6000HE hybrid photon counting"),
                    ("Goniometer", "4-circle kappa"),
                    ("Low temperature", "Oxford Cryosystems Cryostream 800, 80–400 K"),
                    ("Crystal size", "From about 20 µm"),
                    ("Software", "CrysAlisPro, Olex2"),
                ],
                "documents": [],
                "policies": [
                    "facility-code-of-conduct",
                    "x-ray-radiation-safety",
                    "cryogen-handling",
                ],
            },
        ],
    },
]

FEATURED_INSTRUMENTS = [
    "zeiss-lsm-980-airyscan",
    "orbitrap-exploris-480",
    "glacios-2-cryo-tem",
    "bd-facsaria-fusion",
]

DEPARTMENTS = [
    {"code": "BIO", "name": "Biosciences"},
    {"code": "CHEM", "name": "Chemistry"},
    {"code": "MED", "name": "Medicine"},
    {"code": "PHYS", "name": "Physics"},
]

# Ordered so that a supervisor exists before the people they supervise.
# Every demo staff user's authenticator app has this key (base32): add it once to any
# authenticator app, or print the current code with `manage.py demo_code EMAIL`.
DEMO_AUTHENTICATOR_KEY = "LABITORYDEMOSTAFFTWOFACTORKEY234"

USERS = [
    {
        "label": "Approver (PI)",
        "role": Role.APPROVER,
        "email": "approver@demo.labitory.test",
        "password": "demo-approver-2026",
        "first_name": "Eleanor",
        "last_name": "Whitfield",
        "category": "internal",
        "department": "BIO",
    },
    {
        "label": "Researcher (internal)",
        "role": Role.RESEARCHER,
        "email": "researcher@demo.labitory.test",
        "password": "demo-researcher-2026",
        "first_name": "Priya",
        "last_name": "Natarajan",
        "category": "internal",
        "department": "BIO",
        "supervisor": "approver@demo.labitory.test",
    },
    {
        "label": "Researcher (external academic)",
        "role": Role.RESEARCHER,
        "email": "external@demo.labitory.test",
        "password": "demo-external-2026",
        "first_name": "Tomás",
        "last_name": "Ferreira",
        "category": "external_academic",
    },
    {
        "label": "Researcher (industry)",
        "role": Role.RESEARCHER,
        "email": "industry@demo.labitory.test",
        "password": "demo-industry-2026",
        "first_name": "Hannah",
        "last_name": "Okafor",
        "category": "industry",
    },
    {
        "label": "Lab coordinator",
        "role": Role.COORDINATOR,
        "email": "coordinator@demo.labitory.test",
        "password": "demo-coordinator-2026",
        "first_name": "Gareth",
        "last_name": "Lewis",
        "category": "internal",
        "department": "BIO",
        "coordinates": "light-microscopy",
    },
    {
        "label": "Finance",
        "role": Role.FINANCE,
        "email": "finance@demo.labitory.test",
        "password": "demo-finance-2026",
        "first_name": "Martin",
        "last_name": "Osei",
        "category": "internal",
    },
    {
        "label": "Site admin",
        "role": Role.SITE_ADMIN,
        "email": "admin@demo.labitory.test",
        "password": "demo-admin-2026",
        "first_name": "Sam",
        "last_name": "Carter",
        "category": "internal",
        "is_superuser": True,
    },
]

PROJECTS = [
    {
        "code": "BIO-2041",
        "name": "Organelle contact sites in ageing neurons",
        "department": "BIO",
        "pi": "approver@demo.labitory.test",
        "members": ["researcher@demo.labitory.test"],
        "active_from": datetime.date(2025, 1, 6),
    },
    {
        "code": "BIO-2057",
        "name": "Live imaging of zebrafish heart regeneration",
        "department": "BIO",
        "pi": "approver@demo.labitory.test",
        "members": ["researcher@demo.labitory.test"],
        "active_from": datetime.date(2025, 4, 1),
    },
    {
        "code": "MED-1133",
        "name": "Plasma proteomics of early sepsis",
        "department": "MED",
        "pi": "approver@demo.labitory.test",
        "members": ["researcher@demo.labitory.test"],
        "active_from": datetime.date(2025, 2, 3),
    },
    {
        "code": "CHEM-3310",
        "name": "Crystal structures of porous metal–organic frameworks",
        "department": "CHEM",
        "pi": "approver@demo.labitory.test",
        "members": ["external@demo.labitory.test"],
        "active_from": datetime.date(2025, 3, 17),
    },
    {
        "code": "PHYS-0872",
        "name": "Cryo-EM of self-assembled peptide nanotubes",
        "department": "PHYS",
        "pi": "approver@demo.labitory.test",
        "members": ["researcher@demo.labitory.test"],
        "active_from": datetime.date(2025, 1, 13),
        "active_to": datetime.date(2026, 6, 30),
    },
    {
        "code": "IND-9004",
        "name": "Halden Therapeutics — contract proteomics service",
        "department": "MED",
        "pi": "approver@demo.labitory.test",
        "members": ["industry@demo.labitory.test"],
        "active_from": datetime.date(2025, 9, 1),
    },
]

# Approval rules coordinators would set up, with who approves each step.
APPROVAL_RULES = [
    {
        "name": "Cell sorting: PI, then the lab coordinator",
        "lab": "light-microscopy",
        "resources": ["Cell sorter FACSAria Fusion"],
        "conditions": {"always": True},
        "steps": [
            {"label": "PI", "approvers": "project_pi"},
            {"label": "Lab coordinator", "approvers": "coordinators"},
        ],
    },
    {
        "name": "External and industry users",
        "lab": "light-microscopy",
        "conditions": {"booker_categories": ["external_academic", "industry"]},
        "steps": [{"label": "Lab coordinator", "approvers": "coordinators"}],
    },
    {
        "name": "Long confocal sessions",
        "lab": "light-microscopy",
        "resources": ["Confocal LSM 980"],
        "conditions": {"longer_than": 180},
        "steps": [{"label": "Supervisor", "approvers": "supervisor"}],
    },
]

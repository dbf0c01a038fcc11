"""The three built-in project templates: their tasks per phase and profession, and default role slots."""

from decimal import Decimal

from django.db import migrations

PU = "problem-understanding"
DU = "data-understanding"
IM = "implementation"
DS = "data-scientist"
DA = "data-analyst"
DE = "data-engineer"
ML = "ml-engineer"

# Each task: (phase, profession, title, description, {skill_slug: level}).
# Each slot: (profession, phases, fte).
TEMPLATES = [
    {
        "slug": "covid-cxr-screening",
        "name": "COVID-19 chest x-ray screening",
        "description": (
            "Flag likely COVID-19 findings on chest radiographs with a probability and a heat-map of the "
            "suspicious area, and roll the screening out to the sites where it helps most."
        ),
        "tasks": [
            (
                PU,
                DS,
                "Frame the screening as image classification",
                "Define the input (one chest radiograph) and the output (a COVID-19 probability plus a heat-map "
                "marking the suspicious region). Agree with radiologists how success will be judged.",
                {"research": 4, "ml-modelling": 3, "statistics": 3},
            ),
            (
                PU,
                DA,
                "Map prevalence and screening demand",
                "Chart cases by week and by site from hospital and public sources. Estimate how many images each "
                "unit screens today and how many more it could absorb.",
                {"statistics": 2, "data-visualisation": 3, "business-insights": 4},
            ),
            (
                PU,
                DA,
                "Recommend pilot sites",
                "Weigh each site's workload and technical readiness and present a ranked shortlist to the "
                "people who decide where screening starts.",
                {"business-insights": 4, "reporting": 3, "storytelling": 3},
            ),
            (
                PU,
                DE,
                "List data sources and size the load",
                "Work out which internal and external image and record sources the solution needs. Estimate "
                "everyday and peak volumes and propose a storage and processing setup to match.",
                {"databases": 4, "data-pipelines": 3, "deployment": 2},
            ),
            (
                PU,
                ML,
                "Capture goals and operating limits",
                "Agree with clinical users what the system has to achieve and what bounds it, such as how quickly "
                "a result must come back after an image is taken.",
                {"ml-modelling": 2, "deployment": 3, "ml-ops": 2},
            ),
            (
                PU,
                ML,
                "Sketch the production architecture",
                "Turn the agreed goals and limits into a serving design that fits the hospital's imaging systems.",
                {"data-pipelines": 3, "deployment": 4, "ml-ops": 3},
            ),
            (
                DU,
                DS,
                "Explore the image collection",
                "Examine how the radiographs vary and how labels are spread across them. Propose which image "
                "features might signal disease and how to derive them.",
                {"statistics": 3, "ml-modelling": 3, "research": 4, "data-visualisation": 3},
            ),
            (
                DU,
                DS,
                "Plan preprocessing and write up findings",
                "Look for artefacts, mixed resolutions and missing labels, decide how each will be handled, and "
                "record what the exploration showed.",
                {"ml-modelling": 3, "experimentation": 3, "reporting": 3},
            ),
            (
                DU,
                DA,
                "Profile quality and completeness",
                "Summarise the image metadata with descriptive statistics, pick the variables that matter, check "
                "how they correlate and note every assumption made along the way.",
                {"statistics": 3, "data-visualisation": 4, "reporting": 3},
            ),
            (
                DU,
                DE,
                "Extract, integrate and clean",
                "Pull images and linked records from their systems, profile them and merge them into one "
                "consistent set with gaps and formats fixed.",
                {"databases": 4, "data-pipelines": 4},
            ),
            (
                DU,
                DE,
                "Set up storage and document metadata",
                "Stand up the store for the working data and describe where each field comes from and how it "
                "was prepared.",
                {"databases": 4, "data-pipelines": 3, "reporting": 2},
            ),
            (
                DU,
                ML,
                "Check images are fit for live use",
                "Review resolution, file formats and differences between x-ray machines that could degrade the "
                "model once it runs on new images.",
                {"ml-modelling": 3, "data-pipelines": 2, "deployment": 3},
            ),
            (
                DU,
                ML,
                "Build the production preprocessing",
                "Automate normalisation and augmentation so live images are prepared exactly like training "
                "images. Settle the model architecture together with the scientists.",
                {"ml-modelling": 3, "data-pipelines": 3, "ml-ops": 4},
            ),
            (
                IM,
                DS,
                "Train and tune the classifier",
                "Try alternative network architectures and hyper-parameters, keeping every run reproducible, "
                "until performance is good enough for clinical use.",
                {"statistics": 3, "ml-modelling": 4, "experimentation": 4},
            ),
            (
                IM,
                DS,
                "Report model performance",
                "Write up methods and results, including sensitivity and specificity on held-out images, and "
                "recommend the next improvements.",
                {"statistics": 4, "reporting": 3, "storytelling": 3},
            ),
            (
                IM,
                DA,
                "Build the screening KPI dashboard",
                "Give radiology staff and managers one view of throughput, turnaround and findings once screening "
                "is live.",
                {"databases": 2, "data-visualisation": 4, "business-insights": 4},
            ),
            (
                IM,
                DA,
                "Test, train users and maintain",
                "Reconcile the dashboard's figures with the source systems, run sessions for its users and "
                "refine it as their needs change.",
                {"business-insights": 3, "reporting": 4, "storytelling": 3},
            ),
            (
                IM,
                DE,
                "Build image pipelines and storage",
                "Create ingestion and storage that move large volumes of radiographs quickly and securely, within "
                "patient privacy law.",
                {"databases": 4, "data-pipelines": 4, "deployment": 3},
            ),
            (
                IM,
                DE,
                "Provision and support GPU compute",
                "Configure the accelerated compute that deep-learning training and inference need, and support "
                "the team that uses it.",
                {"data-pipelines": 3, "deployment": 3, "ml-ops": 3},
            ),
            (
                IM,
                ML,
                "Deploy into clinical systems",
                "Package the model as a service, connect it to the imaging workflow and scale it to real demand.",
                {"data-pipelines": 3, "deployment": 4, "ml-ops": 4},
            ),
            (
                IM,
                ML,
                "Monitor and update the model",
                "Track live performance and drift, retrain when results slip, and keep the deployment within "
                "medical-device and privacy rules.",
                {"statistics": 2, "ml-ops": 4, "reporting": 2},
            ),
        ],
        "slots": [
            (DS, [PU, DU, IM], "1.00"),
            (DS, [IM], "0.50"),
            (DA, [PU, DU, IM], "0.50"),
            (DE, [PU, DU, IM], "0.80"),
            (ML, [DU, IM], "1.00"),
        ],
    },
    {
        "slug": "readmission-risk",
        "name": "30-day readmission risk",
        "description": (
            "Score patients at discharge for their risk of an unplanned return within 30 days, so that care "
            "coordinators can follow up the highest-risk patients first."
        ),
        "tasks": [
            (
                PU,
                DS,
                "Turn fewer readmissions into a prediction task",
                "Define the target as an unplanned admission within 30 days of discharge and agree which patients "
                "and discharges are in scope.",
                {"statistics": 3, "ml-modelling": 3, "research": 4},
            ),
            (
                PU,
                DS,
                "Choose success measures",
                "Pick metrics that reward catching the patients most at risk rather than overall accuracy alone, "
                "and agree alert thresholds with clinicians.",
                {"statistics": 4, "experimentation": 3, "storytelling": 2},
            ),
            (
                PU,
                DA,
                "Baseline current readmission rates",
                "Measure recent 30-day readmission rates by ward, specialty and diagnosis to show where the burden "
                "falls.",
                {"statistics": 2, "data-visualisation": 4, "business-insights": 4},
            ),
            (
                PU,
                DE,
                "Locate the patient record sources",
                "Find where demographics, diagnoses, treatments and earlier admissions are held and how often each "
                "source is refreshed.",
                {"databases": 4, "data-pipelines": 3},
            ),
            (
                PU,
                ML,
                "Agree how scores reach the ward",
                "Work out with the discharge team when a score is needed, where it should appear and how fast it "
                "must be produced.",
                {"databases": 2, "deployment": 3, "ml-ops": 3},
            ),
            (
                DU,
                DS,
                "Explore candidate predictors",
                "Study how earlier admissions, comorbidities, length of stay and medicines relate to returning, "
                "and draft the feature list.",
                {"statistics": 4, "ml-modelling": 3, "research": 3},
            ),
            (
                DU,
                DA,
                "Profile the discharge records",
                "Describe the completeness and spread of the key fields and chart how readmission varies between "
                "patient groups.",
                {"statistics": 3, "data-visualisation": 4, "reporting": 3},
            ),
            (
                DU,
                DE,
                "Collect and link patient histories",
                "Build extracts that join demographics, history and treatment records into one row per discharge.",
                {"databases": 4, "data-pipelines": 4},
            ),
            (
                DU,
                DE,
                "Clean and de-identify the data",
                "Remove duplicates, standardise codes and formats, flag missing values and strip identifiers so "
                "the set meets privacy rules.",
                {"databases": 3, "data-pipelines": 4, "reporting": 2},
            ),
            (
                DU,
                ML,
                "Check features exist at discharge time",
                "Confirm each chosen feature is known when the patient leaves, and plan how it will be fed to the "
                "model in production.",
                {"ml-modelling": 2, "data-pipelines": 3, "deployment": 3},
            ),
            (
                IM,
                DS,
                "Build and evaluate the risk model",
                "Train candidate classifiers, compare them on past discharges and make sure the riskiest patients "
                "are not the ones being missed.",
                {"statistics": 4, "ml-modelling": 4, "experimentation": 4},
            ),
            (
                IM,
                DA,
                "Build the follow-up worklist and dashboard",
                "Show care coordinators which patients are flagged for a call, and track readmission rates after "
                "launch.",
                {"data-visualisation": 4, "business-insights": 4, "reporting": 3},
            ),
            (
                IM,
                DE,
                "Run the daily scoring feed",
                "Schedule the pipeline that prepares discharge features each day and stores every score with an "
                "audit trail.",
                {"databases": 3, "data-pipelines": 4, "deployment": 3},
            ),
            (
                IM,
                ML,
                "Integrate the model with the hospital system",
                "Serve the model behind an interface the patient administration system can call, sized for the "
                "daily discharge volume.",
                {"data-pipelines": 3, "deployment": 4, "ml-ops": 3},
            ),
            (
                IM,
                ML,
                "Watch for drift and retrain",
                "Monitor accuracy as new patients arrive, version every model and retrain when performance slips.",
                {"statistics": 2, "ml-modelling": 3, "ml-ops": 4},
            ),
        ],
        "slots": [
            (DS, [PU, DU, IM], "1.00"),
            (DA, [PU, DU, IM], "0.60"),
            (DE, [PU, DU], "1.00"),
            (DE, [IM], "0.50"),
            (ML, [DU, IM], "0.80"),
        ],
    },
    {
        "slug": "patient-feedback",
        "name": "Patient feedback classification",
        "description": (
            "Label free-text patient comments by topic and by how positive or negative they are, and give "
            "staff a dashboard to explore them."
        ),
        "tasks": [
            (
                PU,
                DS,
                "Frame topic and sentiment labelling",
                "Define the task as tagging each comment with its topics and a sentiment score. Agree the topic "
                "list with the patient-experience team.",
                {"ml-modelling": 3, "research": 4, "storytelling": 2},
            ),
            (
                PU,
                DA,
                "Learn what users want to ask",
                "Talk to ward managers and the patient-experience team, sceptics included, about the questions "
                "the feedback should answer.",
                {"business-insights": 4, "reporting": 2, "storytelling": 4},
            ),
            (
                PU,
                DE,
                "Find the feedback channels",
                "List where comments arrive, such as surveys, online reviews and complaints, and how much text "
                "each channel produces.",
                {"databases": 3, "data-pipelines": 3},
            ),
            (
                PU,
                ML,
                "Set hosting and turnaround limits",
                "Agree where the classifier will run, inside or outside the firewall, and how soon new comments "
                "must be labelled.",
                {"databases": 2, "deployment": 3, "ml-ops": 3},
            ),
            (
                DU,
                DS,
                "Label a sample and study the text",
                "Organise a hand-labelled sample, check how far labellers agree, and look at vocabulary, comment "
                "length and class balance.",
                {"statistics": 3, "research": 4, "experimentation": 3},
            ),
            (
                DU,
                DA,
                "Describe volumes and early themes",
                "Summarise comment counts by service and month and chart the rough themes visible in the sample.",
                {"statistics": 2, "data-visualisation": 4, "reporting": 3},
            ),
            (
                DU,
                DE,
                "Gather and clean the comment text",
                "Load comments from every channel into one table, drop duplicates and personal details, and keep "
                "a record of where each came from.",
                {"databases": 3, "data-pipelines": 4},
            ),
            (
                DU,
                ML,
                "Plan text preprocessing for live use",
                "Decide how text is normalised and tokenised so the live service treats comments exactly as "
                "training did.",
                {"ml-modelling": 3, "data-pipelines": 3, "ml-ops": 3},
            ),
            (
                IM,
                DS,
                "Train the topic and sentiment models",
                "Compare text classifiers, tune them on the labelled sample and report precision and recall for "
                "each topic.",
                {"statistics": 3, "ml-modelling": 4, "experimentation": 4},
            ),
            (
                IM,
                DS,
                "Publish a reproducible method",
                "Write up the approach and keep the code versioned and documented so colleagues can rerun it.",
                {"research": 3, "ml-ops": 2, "reporting": 3},
            ),
            (
                IM,
                DA,
                "Build the feedback dashboard",
                "Let staff filter comments by service, topic, sentiment and date, and read the original words "
                "behind every figure.",
                {"data-visualisation": 4, "business-insights": 4, "storytelling": 3},
            ),
            (
                IM,
                DA,
                "Introduce the dashboard to staff",
                "Run short sessions for each service, collect what users miss and fold it into the next release.",
                {"business-insights": 3, "reporting": 3, "storytelling": 4},
            ),
            (
                IM,
                DE,
                "Automate the comment feed",
                "Schedule loads of new comments, keep the store tidy and make sure it is backed up.",
                {"databases": 3, "data-pipelines": 4, "deployment": 2},
            ),
            (
                IM,
                ML,
                "Serve and monitor the classifier",
                "Run the models as a service that labels comments as they arrive, and watch for accuracy falling "
                "as the language patients use changes.",
                {"ml-modelling": 3, "deployment": 4, "ml-ops": 4},
            ),
        ],
        "slots": [
            (DS, [PU, DU, IM], "1.00"),
            (DA, [PU, DU, IM], "1.00"),
            (DE, [PU, DU, IM], "0.50"),
            (ML, [DU, IM], "0.50"),
        ],
    },
]


def load_templates(apps, schema_editor):
    ProjectTemplate = apps.get_model("projects", "ProjectTemplate")
    TemplateTask = apps.get_model("projects", "TemplateTask")
    TemplateTaskSkill = apps.get_model("projects", "TemplateTaskSkill")
    TemplateSlot = apps.get_model("projects", "TemplateSlot")
    professions = {p.slug: p for p in apps.get_model("roles", "Profession").objects.all()}
    skills = {s.slug: s for s in apps.get_model("skills", "Skill").objects.all()}

    for spec in TEMPLATES:
        template, _ = ProjectTemplate.objects.update_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "description": spec["description"], "is_builtin": True},
        )
        orders = {}
        for phase, profession_slug, title, description, levels in spec["tasks"]:
            # Tasks of one phase and profession are numbered 1, 2, ... in the order listed.
            order = orders[phase, profession_slug] = orders.get((phase, profession_slug), 0) + 1
            task, _ = TemplateTask.objects.update_or_create(
                template=template,
                phase=phase,
                profession=professions[profession_slug],
                order=order,
                defaults={"title": title, "description": description},
            )
            for skill_slug, level in levels.items():
                TemplateTaskSkill.objects.update_or_create(
                    task=task, skill=skills[skill_slug], defaults={"level": level}
                )
        for profession_slug, phases, fte in spec["slots"]:
            TemplateSlot.objects.update_or_create(
                template=template,
                profession=professions[profession_slug],
                in_problem_understanding=PU in phases,
                in_data_understanding=DU in phases,
                in_implementation=IM in phases,
                defaults={"fte": Decimal(fte)},
            )


def unload_templates(apps, schema_editor):
    apps.get_model("projects", "ProjectTemplate").objects.filter(
        slug__in=[spec["slug"] for spec in TEMPLATES], is_builtin=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial"), ("roles", "0002_builtin_professions")]
    operations = [migrations.RunPython(load_templates, unload_templates)]

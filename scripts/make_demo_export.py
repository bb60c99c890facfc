#!/usr/bin/env python3
"""Generate the bundled demo CRM export (Salesforce Data Loader style) for dealnudge.

Fictional company: Northwind Analytics, a workforce-analytics SaaS vendor.
Stdlib only, deterministic (fixed seed, no clock). Run:  python3 scripts/make_demo_export.py
Writes bot/tools/demo_data/*.csv. Expected pattern labels live in tests/fixtures/demo_expected.toml
(hand-written from the scenario design below, not computed).
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

DEMO_AS_OF = "2026-11-02"
AS_OF = date(2026, 11, 2)  # a Monday
SEED = 20261102
OUT = Path(__file__).resolve().parent.parent / "bot" / "tools" / "demo_data"
rng = random.Random(SEED)

PROB = {
    "Prospecting": 10,
    "Qualification": 10,
    "Needs Analysis": 20,
    "Value Proposition": 50,
    "Id. Decision Makers": 60,
    "Perception Analysis": 70,
    "Proposal/Price Quote": 75,
    "Negotiation/Review": 90,
    "Closed Won": 100,
    "Closed Lost": 0,
}


def sfid(prefix: str, n: int) -> str:
    return f"{prefix}DEMO{n:011d}"  # 3 + 4 + 11 = 18 chars


def day(ago: int) -> date:
    """Date `ago` days before AS_OF (negative = future), nudged off weekends."""
    d = AS_OF - timedelta(days=ago)
    if d.weekday() == 5:  # Saturday
        d = d - timedelta(days=1) if ago > 0 else d + timedelta(days=2)
    elif d.weekday() == 6:  # Sunday
        d = d + timedelta(days=1) if ago > 1 or ago < 0 else d - timedelta(days=2)
    return d


def dt(d: date, hour: int | None = None, minute: int | None = None) -> str:
    h = rng.randint(13, 22) if hour is None else hour
    m = rng.randint(0, 59) if minute is None else minute
    return f"{d.isoformat()}T{h:02d}:{m:02d}:{rng.randint(0, 59):02d}.000+0000"


# ---------------------------------------------------------------- users
USERS = [  # key, first, last, title, manager key, tz
    ("vp", "Margaret", "Okafor", "VP of Sales", "", "America/New_York"),
    ("luis", "Luis", "Fernandez", "Regional Sales Manager, Enterprise", "vp", "America/Chicago"),
    ("priya", "Priya", "Raman", "Sales Manager, Mid-Market", "vp", "America/New_York"),
    ("jordan", "Jordan", "Blake", "Account Executive", "luis", "America/Chicago"),
    ("tessa", "Tessa", "Nguyen", "Senior Account Executive", "luis", "America/New_York"),
    ("marcus", "Marcus", "Webb", "Account Executive", "luis", "America/Chicago"),
    ("hannah", "Hannah", "Cole", "Account Executive", "priya", "America/New_York"),
    ("diego", "Diego", "Alvarez", "Account Executive", "priya", "America/Denver"),
    ("sam", "Sam", "Whitaker", "Account Executive", "priya", "America/Los_Angeles"),
]
UID = {u[0]: sfid("005", i + 1) for i, u in enumerate(USERS)}

# ---------------------------------------------------------------- accounts
ACCOUNTS = [  # key, name, industry, employees, email domain
    ("bellweather", "Bellweather Foods", "Food & Beverage", 1400, "bellweatherfoods.example"),
    ("crestline", "Crestline Manufacturing", "Manufacturing", 3200, "crestlinemfg.example"),
    ("lakeshore", "Lakeshore Credit Union", "Banking", 640, "lakeshorecu.example"),
    ("pinecrest", "Pinecrest Health Partners", "Healthcare", 2100, "pinecresthealth.example"),
    ("quarry", "Quarry Ridge Construction", "Construction", 900, "quarryridge.example"),
    ("saltmarsh", "Saltmarsh Hospitality Group", "Hospitality", 1750, "saltmarshhg.example"),
    ("ironbridge", "Ironbridge Insurance", "Insurance", 4800, "ironbridgeins.example"),
    ("maplefinch", "Maple & Finch Retail", "Retail", 1100, "maplefinch.example"),
    ("oakhurst", "Oakhurst School District", "Education", 2600, "oakhurstsd.example"),
    ("redwater", "Redwater Energy", "Energy", 2900, "redwaterenergy.example"),
    ("granite", "Granite Peak Outfitters", "Retail", 1300, "granitepeak.example"),
    ("sunfield", "Sunfield Dental Group", "Healthcare", 420, "sunfielddental.example"),
    ("halcyon", "Halcyon Biotech", "Biotechnology", 760, "halcyonbio.example"),
    ("tidewater", "Tidewater Marine Services", "Transportation", 540, "tidewatermarine.example"),
    ("copperline", "Copperline Telecom", "Communications", 6100, "copperline.example"),
    ("everly", "Everly Home Health", "Healthcare", 1900, "everlyhh.example"),
    ("foxglove", "Foxglove Media", "Media", 230, "foxglovemedia.example"),
    ("summit", "Summit Ridge Healthcare", "Healthcare", 11500, "summitridgehc.example"),
    ("alder", "Alder & Stone Architects", "Construction", 85, "alderstone.example"),
    ("meridian", "Meridian Freight", "Transportation", 2300, "meridianfreight.example"),
    ("cobalt", "Cobalt Ridge Software", "Technology", 780, "cobaltridge.example"),
    ("northgate", "Northgate Property Management", "Real Estate", 350, "northgatepm.example"),
    ("kestrel", "Kestrel Aviation Services", "Transportation", 3600, "kestrelaviation.example"),
    ("blueheron", "Blue Heron Hotels", "Hospitality", 1500, "blueheronhotels.example"),
    ("vantage", "Vantage Point Realty", "Real Estate", 140, "vantagepoint.example"),
    ("orchard", "Orchard Valley Farms Co-op", "Agriculture", 410, "orchardvalley.example"),
    ("harborview", "Harborview Medical Group", "Healthcare", 5200, "harborviewmg.example"),
    ("fernhill", "Fernhill Logistics", "Transportation", 620, "fernhill.example"),
    ("ridgeway", "Ridgeway Transit Authority", "Government", 2700, "ridgewaytransit.example"),
    ("polaris", "Polaris Staffing", "Staffing", 980, "polarisstaffing.example"),
    ("cascade", "Cascade Outdoor Co", "Retail", 860, "cascadeoutdoor.example"),
    ("thornfield", "Thornfield University", "Education", 4300, "thornfield.example"),
    ("wrenfield", "Wrenfield Insurance Brokers", "Insurance", 310, "wrenfield.example"),
    ("kingsley", "Kingsley Auto Group", "Automotive", 720, "kingsleyauto.example"),
]
AID = {a[0]: sfid("001", i + 1) for i, a in enumerate(ACCOUNTS)}
ACC = {a[0]: a for a in ACCOUNTS}

# ---------------------------------------------------------------- contacts
CONTACTS = [  # key, account, first, last, title
    ("dana", "bellweather", "Dana", "Whitfield", "Operations Coordinator"),
    ("rkim", "bellweather", "Robert", "Kim", "VP Operations"),
    ("greg", "crestline", "Greg", "Paulsen", "HR Specialist, Plant 2"),
    ("linda", "crestline", "Linda", "Moretti", "Plant General Manager"),
    ("oscar", "crestline", "Oscar", "Nilsen", "Director of Corporate HR"),
    ("wendy", "crestline", "Wendy", "Sato", "HRIS Analyst"),
    ("renee", "lakeshore", "Renee", "Ortiz", "Member Services Supervisor"),
    ("tom", "lakeshore", "Tom", "Becker", "Branch Operations Analyst"),
    ("janet", "lakeshore", "Janet", "Lowry", "CFO"),
    ("alicia", "pinecrest", "Alicia", "Grant", "Talent Analytics Lead"),
    ("ben", "pinecrest", "Ben", "Ostrowski", "HRIS Analyst"),
    ("maureen", "pinecrest", "Maureen", "Feld", "Chief Human Resources Officer"),
    ("sharon", "quarry", "Sharon", "Kwan", "VP Operations"),
    ("lee", "quarry", "Lee", "Tran", "Field Operations Analyst"),
    ("carla", "saltmarsh", "Carla", "Jimenez", "Director of People"),
    ("owen", "saltmarsh", "Owen", "Price", "HR Business Partner"),
    ("paul", "ironbridge", "Paul", "Hendricks", "CFO"),
    ("nadia", "ironbridge", "Nadia", "Sorensen", "Director of Claims Operations"),
    ("kevin", "ironbridge", "Kevin", "Liu", "IT Security Manager"),
    ("ruth", "ironbridge", "Ruth", "Adams", "Procurement Specialist"),
    ("kelly", "maplefinch", "Kelly", "Dunn", "Store Operations Manager"),
    ("raj", "maplefinch", "Raj", "Patel", "HR Generalist"),
    ("melissa", "oakhurst", "Melissa", "Hart", "HR Data Analyst"),
    ("brooks", "oakhurst", "Alan", "Brooks", "Superintendent"),
    ("victor", "redwater", "Victor", "Salas", "Field Operations Supervisor"),
    ("wes", "granite", "Wes", "Harlan", "COO"),
    ("jenna", "granite", "Jenna", "Moss", "HR Manager"),
    ("tasha", "sunfield", "Tasha", "Reed", "Practice Operations Coordinator"),
    ("irene", "halcyon", "Irene", "Cho", "Director of HR Operations"),
    ("marco", "halcyon", "Marco", "Silva", "People Analytics Analyst"),
    ("frank", "halcyon", "Frank", "Odum", "VP Finance"),
    ("gail", "tidewater", "Gail", "Norris", "Payroll Supervisor"),
    ("eddie", "tidewater", "Eddie", "Cruz", "HR Coordinator"),
    ("harold", "tidewater", "Harold", "Vance", "CFO"),
    ("angela", "copperline", "Angela", "Brooks", "VP Network Operations"),
    ("sunil", "copperline", "Sunil", "Mehta", "Workforce Planning Manager"),
    ("chris", "copperline", "Chris", "Dolan", "IT Security Lead"),
    ("bonnie", "everly", "Bonnie", "Hale", "Director of Clinical Operations"),
    ("marisol", "everly", "Marisol", "Vega", "Hospice Program Manager"),
    ("evan", "everly", "Evan", "Reyes", "CFO"),
    ("priyanka", "foxglove", "Priyanka", "Shah", "Studio Operations Manager"),
    ("nate", "foxglove", "Nate", "Olsen", "Resource Coordinator"),
    ("gwen", "summit", "Gwen", "Abernathy", "Chief Human Resources Officer"),
    ("dmitri", "summit", "Dmitri", "Volkov", "CFO"),
    ("lauren", "summit", "Lauren", "Pike", "Director of Workforce Planning"),
    ("omar", "summit", "Omar", "Haddad", "IT Security Architect"),
    ("keisha", "summit", "Keisha", "Monroe", "Nurse Staffing Analyst"),
    ("mia", "alder", "Mia", "Torres", "Office Manager"),
    ("hal", "meridian", "Hal", "Jensen", "Director of Dispatch"),
    ("rosa", "meridian", "Rosa", "Lindqvist", "Dispatch Analyst"),
    ("carmen", "meridian", "Carmen", "Ruiz", "CFO"),
    ("erin", "cobalt", "Erin", "Walsh", "VP People"),
    ("tyler", "cobalt", "Tyler", "Brandt", "People Operations Analyst"),
    ("nina", "cobalt", "Nina", "Kowalski", "Security & Compliance Manager"),
    ("grant", "northgate", "Grant", "Holloway", "Director of Operations"),
    ("sophie", "northgate", "Sophie", "Lam", "Payroll & HR Specialist"),
    ("rachel", "kestrel", "Rachel", "Dawson", "VP Ground Operations"),
    ("ian", "kestrel", "Ian", "McBride", "Crew Scheduling Manager"),
    ("fatima", "kestrel", "Fatima", "Qureshi", "IT Director"),
    ("julian", "blueheron", "Julian", "Marsh", "Director of Human Resources"),
    ("becca", "blueheron", "Becca", "Strand", "HR Analyst"),
    ("leo", "blueheron", "Leo", "Fontaine", "CFO"),
    ("hugo", "vantage", "Hugo", "Barros", "Managing Broker"),
    ("ashley", "vantage", "Ashley", "Frye", "Office Administrator"),
    ("dale", "orchard", "Dale", "Whitcomb", "General Manager"),
    ("lucia", "orchard", "Lucia", "Ferreira", "Seasonal Workforce Coordinator"),
    ("simone", "harborview", "Simone", "Baptiste", "VP Human Resources"),
    ("arthur", "harborview", "Arthur", "Lindgren", "CFO"),
    ("yuki", "harborview", "Yuki", "Tanaka", "Scheduling Systems Analyst"),
    ("ramon", "harborview", "Ramon", "Diaz", "Director of IT Applications"),
    ("beth", "fernhill", "Beth", "Calloway", "Director of Operations"),
    ("kyle", "fernhill", "Kyle", "Ferris", "Warehouse Supervisor"),
    ("denise", "ridgeway", "Denise", "Okoro", "Deputy General Manager"),
    ("martin", "ridgeway", "Martin", "Hale", "Operator Workforce Manager"),
    ("priscilla", "ridgeway", "Priscilla", "Young", "IT Security Officer"),
    ("howard", "ridgeway", "Howard", "Ng", "Budget Analyst"),
    ("chloe", "polaris", "Chloe", "Winters", "Director of Talent Operations"),
    ("derek", "polaris", "Derek", "Sloane", "CFO"),
    ("amy", "polaris", "Amy", "Zhou", "Recruiting Operations Analyst"),
    ("trent", "cascade", "Trent", "Bowman", "VP Retail Operations"),
    ("mei", "cascade", "Mei", "Lin", "Workforce Planning Analyst"),
    ("jorge", "cascade", "Jorge", "Santos", "IT Manager"),
    ("helen", "thornfield", "Helen", "Greaves", "Associate Vice President, HR"),
    ("sanjay", "thornfield", "Sanjay", "Rao", "Director of Institutional Research"),
    ("molly", "thornfield", "Molly", "Keane", "HR Systems Analyst"),
    ("pete", "thornfield", "Pete", "Wallace", "Information Security Officer"),
    ("cliff", "wrenfield", "Cliff", "Barrow", "Office Manager"),
    ("ingrid", "wrenfield", "Ingrid", "Nash", "Managing Partner"),
    ("donna", "kingsley", "Donna", "Reyes", "HR Coordinator"),
    ("bruce", "kingsley", "Bruce", "Kingsley", "President"),
]
CID = {c[0]: sfid("003", i + 1) for i, c in enumerate(CONTACTS)}
CON = {c[0]: c for c in CONTACTS}

# ---------------------------------------------------------------- activity rows
TASKS: list[list[str]] = []
EVENTS: list[list[str]] = []
EVENT_LOC = {
    "lunch": [
        "Maple Street Grill",
        "Rosalind's",
        "Basil Thai",
        "The Copper Pot",
        "Hattie's Kitchen",
        "Olive & Oak",
        "Lucky Bao",
        "Smokestack BBQ",
        "Luca's Trattoria",
    ],
    "coffee": [
        "Blue Bottle on 4th",
        "Daily Grind",
        "Starbucks - Main St",
        "Their cafeteria",
        "Corner Perk",
    ],
    "drinks": ["Tap House", "The Anchor", "Hotel bar", "Brick & Barrel"],
    "golf": ["Fox Run Golf Club", "Hogan Park", "Cedar Ridge CC"],
    "game": ["Stadium - company seats", "Arena suite 214", "Ballpark, section 112"],
    "dinner": ["Ember Steakhouse", "Marlowe", "Saffron Table"],
    "zoom": ["Zoom", "Zoom", "Microsoft Teams"],
    "mtg": ["{acct} HQ", "{acct} - main office", "{acct} HQ, 3rd floor conf room"],
}
EVENT_DUR = {
    "lunch": 90,
    "coffee": 45,
    "drinks": 120,
    "golf": 270,
    "game": 210,
    "dinner": 150,
    "zoom": 45,
    "mtg": 60,
}
EVENT_HOUR = {
    "lunch": 16,
    "coffee": 14,
    "drinks": 22,
    "golf": 14,
    "game": 23,
    "dinner": 23,
    "zoom": 15,
    "mtg": 15,
}
TASK_KINDS = {"call", "callin", "vm", "email", "emailin", "task"}


def add_activity(
    opp: dict, ago: int, kind: str, who: str, subject: str, desc: str, what: str | None = None
) -> None:
    d = day(ago)
    future = d > AS_OF
    owner = UID[opp["owner"]]
    what_id = what or opp["id"]
    who_id = CID[who] if who else ""
    if kind in TASK_KINDS:
        sub = {
            "call": "Call",
            "callin": "Call",
            "vm": "Call",
            "email": "Email",
            "emailin": "Email",
            "task": "Task",
        }[kind]
        calltype = {"call": "Outbound", "vm": "Outbound", "callin": "Inbound"}.get(kind, "")
        dur = ""
        if kind == "vm":
            dur = str(rng.randint(25, 70))
        elif kind in ("call", "callin"):
            dur = str(rng.randint(5, 40) * 60 + rng.randint(0, 59))
        created = AS_OF - timedelta(days=rng.randint(3, 12)) if future else d
        TASKS.append(
            [
                "",
                who_id,
                what_id,
                subject,
                d.isoformat(),
                "Not Started" if future else "Completed",
                "High" if (future and rng.random() < 0.3) else "Normal",
                owner,
                desc,
                "false" if future else "true",
                dt(created),
                calltype,
                dur,
                sub,
            ]
        )
    else:
        loc = rng.choice(EVENT_LOC[kind]).format(acct=ACC[opp["acct"]][1])
        minutes = EVENT_DUR[kind]
        if kind == "mtg" and "orkshop" in subject:
            minutes = 180
        start_h = EVENT_HOUR[kind] + rng.choice([0, 0, 1, -1])
        start_m = rng.choice([0, 0, 30])
        start = f"{d.isoformat()}T{start_h:02d}:{start_m:02d}:00.000+0000"
        end_total = start_h * 60 + start_m + minutes
        if end_total >= 24 * 60:
            e = d + timedelta(days=1)
            end_total -= 24 * 60
        else:
            e = d
        end = f"{e.isoformat()}T{end_total // 60:02d}:{end_total % 60:02d}:00.000+0000"
        EVENTS.append(
            [
                "",
                who_id,
                what_id,
                subject,
                d.isoformat(),
                start,
                end,
                str(minutes),
                owner,
                desc,
                loc,
                "Event",
            ]
        )


# ---------------------------------------------------------------- opportunities
# Each opp: id (assigned), acct, name, owner, amount, type, source, path [(stage, ago_entered)],
# close0 (initial close date), pushes [(ago, new close date)], next_step, roles, acts.
OPPS: list[dict] = []


def opp(**kw) -> dict:
    kw["id"] = sfid("006", len(OPPS) + 1)
    kw.setdefault("pushes", [])
    kw.setdefault("amount_changes", [])
    kw.setdefault("type", "New Customer")
    kw.setdefault("source", "Web")
    kw.setdefault("next_step", "")
    OPPS.append(kw)
    return kw


D = date.fromisoformat

# ================================================================ hand-written problem deals
# P1 Bellweather: the seed-000 story. Friendly coordinator, lunches, status quo is fine.
opp(
    acct="bellweather",
    name="Bellweather Foods - Workforce Analytics",
    owner="jordan",
    amount=48000,
    source="Web",
    path=[("Prospecting", 265), ("Qualification", 240)],
    close0=D("2026-06-30"),
    pushes=[(120, D("2026-12-18"))],
    roles=[("dana", "Influencer", True)],
    acts=[
        (
            262,
            "call",
            "dana",
            "Intro call - Dana Whitfield",
            "Came in from the overtime webinar. Dana runs scheduling for both plants and tracks "
            "overtime in a pile of spreadsheets. Really friendly, chatty. Wants to see what's out there.",
        ),
        (
            245,
            "zoom",
            "dana",
            "Demo for Dana",
            "Walked Dana through the overtime dashboards. She loved the shift heatmap, asked a lot "
            "about the mobile app. No timeline on her side.",
        ),
        (
            230,
            "email",
            "dana",
            "Overview deck + pricing sheet",
            "Sent over the overview deck and the standard pricing sheet as promised.",
        ),
        (
            200,
            "lunch",
            "dana",
            "Lunch w/ Dana",
            "Lunch near the Elm St plant. Mostly talked about her kids and the new cafeteria vendor. "
            "Said the spreadsheets are a pain but they get the job done.",
        ),
        (
            170,
            "call",
            "dana",
            "Checking in",
            "Just checking in. Dana is buried in the summer schedule, nothing new on her end.",
        ),
        (
            150,
            "lunch",
            "dana",
            "Grabbed lunch with Dana, she's still happy with the spreadsheets",
            "Good lunch. Talked about her daughter's softball season. On the deal: she's still happy "
            "with the spreadsheets, says they work well enough for now. Will keep in touch.",
        ),
        (
            128,
            "coffee",
            "dana",
            "Coffee with Dana",
            "Quick coffee before her shift meeting. Nice catch-up, no change on the project.",
        ),
        (
            110,
            "email",
            "dana",
            "Happy birthday!",
            "Sent Dana a birthday note and a coffee gift card.",
        ),
        (
            95,
            "call",
            "dana",
            "Quick check-in",
            "Checking in after the July shutdown. She said all good, plants are running fine, "
            "overtime is about where it always is.",
        ),
        (
            76,
            "lunch",
            "dana",
            "Lunch - Dana (Thai place by the plant)",
            "She asked about our new mobile app again. Honestly the current setup is fine for them, "
            "she says nobody upstairs is asking for anything different. Not a priority this year.\n"
            "Offered to send the new release notes.",
        ),
        (
            58,
            "call",
            "dana",
            "Checking in re: Q4",
            "Left a friendly message, she called back the next morning. No change, just busy.",
        ),
        (
            40,
            "coffee",
            "dana",
            "Coffee catch-up w/ Dana",
            "Caught up over coffee. Her team is hiring two seasonal schedulers. Kept it light.",
        ),
        (
            26,
            "email",
            "dana",
            "Just checking in",
            "Checked in to see how the Q4 crunch is going. Offered to buy lunch next month.",
        ),
        (
            12,
            "emailin",
            "dana",
            "RE: Just checking in",
            'Dana: "Crazy busy but all good! Lunch sounds great, let\'s do it after Thanksgiving."',
        ),
    ],
)

# P2 Crestline Plant 2: golf, tickets, boss doesn't believe in it, close date keeps moving.
opp(
    acct="crestline",
    name="Crestline Manufacturing - Plant 2 Workforce Analytics",
    owner="hannah",
    amount=96000,
    source="Partner Referral",
    path=[("Prospecting", 300), ("Qualification", 280), ("Needs Analysis", 255)],
    close0=D("2026-03-31"),
    pushes=[(210, D("2026-06-30")), (120, D("2026-09-30")), (35, D("2026-12-31"))],
    next_step="Stay close to Greg until FY27 budget opens",
    roles=[("greg", "Influencer", True)],
    acts=[
        (
            298,
            "call",
            "greg",
            "Discovery call - Greg",
            "Greg was referred by our ADP partner rep. Turnover on 2nd shift at Plant 2 is ugly "
            "(he thinks ~38%). Exit interviews live in a shared drive nobody reads.",
        ),
        (
            282,
            "mtg",
            "greg",
            "Plant 2 walkthrough + intro",
            "Greg gave me the tour of the floor and the HR office. Showed him the attrition model "
            "on my laptop in the break room. He was excited.",
        ),
        (
            260,
            "email",
            "greg",
            "Case study - auto parts supplier",
            "Sent the Tri-County Stamping case study, since it's a near-identical shift setup.",
        ),
        (
            240,
            "call",
            "greg",
            "Greg - next steps",
            "Greg likes it but needs Linda's (plant GM) sign-off for any new system. Linda doesn't "
            "believe in 'analytics projects'. He'll raise it at the March ops review.",
        ),
        (
            205,
            "golf",
            "greg",
            "Golf @ Fox Run w/ Greg",
            "Fun round, Greg shot an 88. He says Linda passed on it for now; she told him, quote, "
            "\"if it ain't broke, don't fix it,\" and wants to revisit when budget opens up.\n"
            "Asked what it would take. He said just keep the relationship warm, he's still pushing.",
        ),
        (
            175,
            "drinks",
            "greg",
            "Drinks after the SHRM chapter meeting",
            "Grabbed a beer with Greg after the chapter meeting. Talked fishing trip plans.",
        ),
        (
            150,
            "call",
            "greg",
            "Checking in",
            "Checking in. Linda hasn't brought it back up, Greg is waiting on her.",
        ),
        (
            131,
            "game",
            "greg",
            "Ballgame - company seats w/ Greg + his son",
            "Took Greg and his son Tyler to the game. Great seats, kid caught a foul ball (!).",
        ),
        (
            112,
            "emailin",
            "greg",
            "RE: Budget timing",
            "Greg: nothing in the budget for this until next year, Linda wants to see how Q3 goes "
            "first. He's still personally pushing for it and needs her approval before anything.",
        ),
        (
            90,
            "lunch",
            "greg",
            "Lunch w/ Greg",
            "Lunch at Smokestack. Mostly caught up about his kid's travel baseball. No movement.",
        ),
        (
            64,
            "call",
            "greg",
            "Checking in - Q4 budget?",
            "Asked if Q4 planning opened anything up. Greg: still waiting for Linda to sign off on "
            "next year's budget lines.",
        ),
        (
            45,
            "drinks",
            "greg",
            "Beers with Greg",
            "Happy hour at the Anchor. Greg's frustrated with the overtime numbers but says his hands "
            "are tied until Linda approves it.",
        ),
        (
            30,
            "email",
            "greg",
            "Checking in",
            "Friendly check-in, sent a link to the manufacturing attrition benchmark report.",
        ),
        (
            18,
            "lunch",
            "greg",
            "Birthday lunch - Greg",
            "Took Greg out for his birthday. Great time. Budget season next month, he'll let me know.",
        ),
    ],
)

# P3 Lakeshore expansion: two friendly non-authority contacts, lunches, future lunch booked.
opp(
    acct="lakeshore",
    name="Lakeshore Credit Union - Branch Analytics Expansion",
    owner="hannah",
    amount=135000,
    type="Existing Customer - Upgrade",
    source="Other",
    path=[("Qualification", 210), ("Needs Analysis", 185)],
    close0=D("2026-09-30"),
    pushes=[(50, D("2027-01-29"))],
    roles=[("renee", "Business User", True), ("tom", "Influencer", False)],
    acts=[
        (
            208,
            "mtg",
            "renee",
            "Expansion conversation w/ Renee",
            "The 3-branch rollout last year went well, Renee is a fan. Talked about what all 14 "
            "branches would look like. She'll think about which branches first.",
        ),
        (
            190,
            "email",
            "tom",
            "Rollout results summary",
            "Sent Tom the one-page summary of the 3-branch numbers he asked for.",
        ),
        (
            170,
            "lunch",
            "renee",
            "Lunch at Rosalind's",
            "Long lunch with Renee. Her son just started at State. Expansion is 'on her list'.",
        ),
        (
            150,
            "coffee",
            "tom",
            "Coffee with Tom",
            "Coffee with Tom near the Westgate branch. Nice guy, big Cubs fan.",
        ),
        (
            140,
            "call",
            "renee",
            "Check in",
            "Checking in with Renee after their board meeting. Nothing on the expansion yet.",
        ),
        (
            120,
            "golf",
            "tom",
            "Charity golf scramble",
            "Lakeshore's annual charity scramble. Played in Tom's foursome, raised money for the "
            "food bank. Good day.",
        ),
        (
            101,
            "lunch",
            "renee",
            "Lunch w/ Renee",
            "Lunch, talked about her vacation to the Outer Banks. She says things are steady at the "
            "branches.",
        ),
        (
            85,
            "email",
            "tom",
            "Checking in",
            "Just checking in, how did the summer go at the branches?",
        ),
        (
            70,
            "coffee",
            "renee",
            "Coffee - Renee",
            "Coffee with Renee. Good catch-up, she mentioned the member survey results were great.",
        ),
        (
            52,
            "game",
            "tom",
            "Cubs game w/ Tom",
            "Took Tom to the Cubs game. Talked about everything except the expansion.",
        ),
        (
            33,
            "call",
            "renee",
            "Just checking in",
            "Just checking in on Renee. All good, busy with the holiday savings promo.",
        ),
        (
            20,
            "lunch",
            "renee",
            "Lunch - Renee (her pick)",
            "Her pick, the new ramen place. Fun. Set up a lunch with her and Tom in a couple weeks.",
        ),
        (
            -10,
            "lunch",
            "renee",
            "Lunch w/ Renee + Tom",
            "Lunch with Renee and Tom, Rosalind's, 12:30.",
        ),
    ],
)

# P4 Pinecrest: convincing mode, material after material, nothing on their side.
opp(
    acct="pinecrest",
    name="Pinecrest Health Partners - Talent Analytics",
    owner="diego",
    amount=72000,
    source="Web",
    path=[
        ("Prospecting", 120),
        ("Qualification", 100),
        ("Needs Analysis", 72),
        ("Value Proposition", 34),
    ],
    close0=D("2026-12-15"),
    next_step="Send revised pricing; push for signature before 12/15",
    roles=[("alicia", "Influencer", True), ("ben", "Business User", False)],
    acts=[
        (
            118,
            "call",
            "alicia",
            "Intro call - Alicia Grant",
            "Downloaded the nurse retention guide. Alicia leads talent analytics (team of one, "
            "herself). Curious about turnover prediction.",
        ),
        (
            102,
            "zoom",
            "alicia",
            "Discovery call",
            "Went through their current reporting. Mostly Workday exports into Excel.",
        ),
        (
            85,
            "email",
            "alicia",
            "Sent overview deck + two customer stories",
            "Sent the healthcare overview deck plus the Riverside and St. Agnes stories.",
        ),
        (
            74,
            "zoom",
            "alicia",
            "Demo - Alicia + Ben",
            "Full demo. Ben asked about the Workday connector, Alicia liked the flight-risk view.",
        ),
        (
            66,
            "email",
            "ben",
            "Product brochure + integration one-pager",
            "Sent Ben the brochure and the integrations one-pager.",
        ),
        (
            58,
            "emailin",
            "alicia",
            "RE: deck",
            "Alicia: Thanks Diego, will take a look when things calm down a bit.",
        ),
        (
            47,
            "email",
            "alicia",
            "ROI calculator (pre-filled)",
            "Sent the ROI calculator pre-filled with their 2,100 headcount and 22% RN turnover. "
            "Shows ~$1.4M in avoided agency spend.",
        ),
        (
            36,
            "email",
            "alicia",
            "Case study: regional hospital network",
            "Sent the case study where a regional network cut agency spend 18% in year one.",
        ),
        (
            34,
            "call",
            "alicia",
            "Call w/ Alicia re: ROI",
            "Walked Alicia through the ROI numbers. She said they look compelling. Moved to Value Prop.",
        ),
        (
            27,
            "email",
            "ben",
            "Sent more info on the HRIS integrations",
            "Sent Ben more info on the Workday and Kronos integrations, plus the data dictionary.",
        ),
        (
            20,
            "emailin",
            "ben",
            "RE: HRIS integrations",
            "Ben: thanks, looks good, I'll forward it to Alicia.",
        ),
        (
            13,
            "email",
            "alicia",
            "Pricing + 15% discount if signed by 12/15",
            "Sent pricing for 2,100 employees with a 15% year-end discount if we sign by 12/15.",
        ),
        (
            6,
            "callin",
            "alicia",
            "Alicia returned my call",
            "Alicia called back. Liked the discount. Hasn't shared any of it internally yet; said "
            "she'll 'find the right moment'.",
        ),
    ],
)

# P5 Quarry Ridge: real work, proposal out, then one-way chasing.
opp(
    acct="quarry",
    name="Quarry Ridge Construction - Crew Scheduling Analytics",
    owner="marcus",
    amount=110000,
    source="Phone Inquiry",
    path=[
        ("Prospecting", 95),
        ("Qualification", 80),
        ("Needs Analysis", 66),
        ("Value Proposition", 52),
        ("Proposal/Price Quote", 38),
    ],
    close0=D("2026-11-20"),
    next_step="Get feedback on proposal from Sharon",
    roles=[("sharon", "Decision Maker", True), ("lee", "Evaluator", False)],
    acts=[
        (
            93,
            "callin",
            "lee",
            "Inbound call - Lee Tran",
            "Lee called in. Crew overtime across 40 job sites, superintendents schedule by text.",
        ),
        (
            82,
            "zoom",
            "sharon",
            "Discovery w/ Sharon + Lee",
            "Sharon (VP Ops) joined. She wants a view of crew utilization by site before spring bids.",
        ),
        (
            62,
            "mtg",
            "sharon",
            "Onsite workshop with their ops + finance teams",
            "Half-day workshop at their yard with Sharon, Lee, two superintendents and their "
            "controller. Mapped how crews get assigned today; finance pulled last year's OT by site.",
        ),
        (
            50,
            "zoom",
            "lee",
            "Demo - crew utilization",
            "Demoed the utilization board using their sample data. Lee wants the site rollup.",
        ),
        (
            40,
            "mtg",
            "sharon",
            "Proposal walkthrough w/ Sharon",
            "Walked Sharon through scope and pricing. She wants to review with the owners.",
        ),
        (
            38,
            "email",
            "sharon",
            "Proposal v1",
            "Sent proposal v1 with the 40-site scope and phased rollout.",
        ),
        (
            36,
            "emailin",
            "sharon",
            "RE: Proposal v1",
            "Sharon: got it, will review with the owners and come back by end of next week.",
        ),
        (
            29,
            "email",
            "sharon",
            "Following up on the proposal",
            "Following up on the proposal. Any questions from the owners I can help with?",
        ),
        (
            22,
            "vm",
            "sharon",
            "Left VM",
            "Left a voicemail for Sharon re: proposal, asked for 15 minutes this week.",
        ),
        (
            15,
            "email",
            "lee",
            "Bumping this",
            "Lee, any word from Sharon on the proposal? Happy to jump on a call if helpful.",
        ),
        (8, "vm", "sharon", "Left VM #2", "Left another voicemail. No answer on her cell either."),
        (
            3,
            "email",
            "sharon",
            "Any update on the proposal?",
            "Hi Sharon, just bumping this. Want to make sure we can hold the December start date.",
        ),
    ],
)

# P6 Saltmarsh: buyer said not ready, rep gave her space and vanished.
opp(
    acct="saltmarsh",
    name="Saltmarsh Hospitality Group - People Analytics",
    owner="sam",
    amount=58000,
    source="Web",
    path=[
        ("Prospecting", 110),
        ("Qualification", 92),
        ("Needs Analysis", 70),
        ("Value Proposition", 41),
    ],
    close0=D("2026-12-31"),
    roles=[("carla", "Decision Maker", True), ("owen", "Evaluator", False)],
    acts=[
        (
            108,
            "call",
            "owen",
            "Intro call - Owen Price",
            "Owen is the HRBP for their six coastal properties. Seasonal rehiring is a mess.",
        ),
        (
            90,
            "zoom",
            "carla",
            "Discovery w/ Carla + Owen",
            "Carla (Director of People) joined for the second half. Wants to understand why "
            "returning seasonal staff dropped off this year.",
        ),
        (
            72,
            "mtg",
            "carla",
            "Workshop: turnover data review with Carla's HR leads",
            "Worked through their last two seasons of rehire data with Carla and three property HR "
            "leads. They built the list of questions they'd want answered.",
        ),
        (
            55,
            "email",
            "owen",
            "Recap + sample dashboards",
            "Sent Owen the workshop recap and two sample dashboards built on their data.",
        ),
        (
            43,
            "zoom",
            "carla",
            "Demo for Carla + Owen",
            "Demo went well. Carla liked the rehire-likelihood view.",
        ),
        (
            36,
            "call",
            "carla",
            "Call w/ Carla - next steps",
            "Carla said they're not ready yet. Summer season wrecked the team and the timing isn't "
            "right to take on a new system; maybe after Q1. Said I understood and would give her "
            "some space.",
        ),
    ],
)

# P7 Ironbridge: healthy journey, then stuck in Negotiation for months, close date slides.
opp(
    acct="ironbridge",
    name="Ironbridge Insurance - Claims Workforce Analytics",
    owner="tessa",
    amount=185000,
    source="Partner Referral",
    path=[
        ("Prospecting", 260),
        ("Qualification", 240),
        ("Needs Analysis", 215),
        ("Value Proposition", 190),
        ("Id. Decision Makers", 168),
        ("Perception Analysis", 150),
        ("Proposal/Price Quote", 136),
        ("Negotiation/Review", 125),
    ],
    close0=D("2026-06-30"),
    pushes=[(118, D("2026-08-31")), (70, D("2026-09-30")), (30, D("2026-12-15"))],
    next_step="Redlines call with Ruth + new GC on 11/11",
    roles=[
        ("nadia", "Decision Maker", True),
        ("paul", "Economic Buyer", False),
        ("kevin", "Technical Buyer", False),
        ("ruth", "Other", False),
    ],
    acts=[
        (
            255,
            "call",
            "nadia",
            "Intro - Nadia Sorensen",
            "Referred by Guidewire partner team. Claims adjuster attrition is their #1 ops issue.",
        ),
        (
            236,
            "zoom",
            "nadia",
            "Discovery w/ Nadia",
            "Nadia walked us through adjuster caseloads and how they staff for CAT events.",
        ),
        (
            212,
            "mtg",
            "nadia",
            "Workshop with claims ops + finance",
            "Three-hour workshop with Nadia's claims managers and two finance analysts. They "
            "sized the cost of adjuster turnover themselves: ~$4.2M/yr.",
        ),
        (
            188,
            "mtg",
            "nadia",
            "Demo for claims team leads",
            "Demo to Nadia and five team leads. Lots of questions on caseload forecasting.",
        ),
        (
            170,
            "mtg",
            "paul",
            "Business case review - CFO joined",
            "Paul (CFO) joined the business case review. He challenged the turnover cost "
            "assumptions, Nadia's team defended them well. Paul: 'send me a proposal'.",
        ),
        (
            155,
            "task",
            "kevin",
            "Security questionnaire returned",
            "Kevin's team ran our security questionnaire and SOC 2 report. Two follow-up questions "
            "on SSO, answered same day.",
        ),
        (136, "email", "paul", "Proposal sent", "Sent the 3-year proposal to Paul and Nadia."),
        (
            126,
            "zoom",
            "paul",
            "Negotiation call w/ Paul + Ruth",
            "Agreed on term and price. Ruth (procurement) sending our MSA to legal.",
        ),
        (
            110,
            "emailin",
            "ruth",
            "RE: MSA redlines",
            "Ruth: legal still has it, hoping for comments in two weeks.",
        ),
        (
            90,
            "call",
            "nadia",
            "Call w/ Nadia",
            "Nadia: legal queue is backed up since their general counsel left. She's frustrated too.",
        ),
        (
            70,
            "emailin",
            "ruth",
            "RE: MSA redlines - status",
            "Ruth: still no GC, they're interviewing. Pushing target to end of September.",
        ),
        (
            52,
            "call",
            "nadia",
            "Check-in w/ Nadia",
            "Nothing new on legal. Claims team is using our sample dashboards in their staffing "
            "meeting anyway.",
        ),
        (
            31,
            "emailin",
            "nadia",
            "RE: timing",
            "Nadia: new GC starts Nov 1, our contract is first in her queue. Let's aim mid-December.",
        ),
        (
            16,
            "call",
            "ruth",
            "Procurement check-in",
            "Ruth confirmed the new GC's start date; set up a redlines call for her second week.",
        ),
        (
            -9,
            "zoom",
            "ruth",
            "Contract review call w/ Ruth + new GC",
            "MSA redlines review with Ruth and the new general counsel.",
        ),
    ],
)

# P8 Maple & Finch: they say everything is fine; rep keeps checking in.
opp(
    acct="maplefinch",
    name="Maple & Finch Retail - Store Labor Analytics",
    owner="sam",
    amount=38000,
    source="Trade Show",
    path=[("Prospecting", 62), ("Qualification", 38)],
    close0=D("2027-02-26"),
    next_step="Check in after the holidays",
    roles=[("kelly", "Influencer", True), ("raj", "Business User", False)],
    acts=[
        (
            60,
            "call",
            "kelly",
            "Follow-up from NRF booth - Kelly Dunn",
            "Kelly stopped by the booth. 60 stores, schedules built by store managers in the POS.",
        ),
        (
            48,
            "zoom",
            "kelly",
            "Discovery w/ Kelly",
            "Kelly says the current setup works well enough for now. Store managers handle "
            "schedules and they're hitting their labor targets. Agreed to a quick overview anyway.",
        ),
        (
            43,
            "email",
            "raj",
            "Overview for Raj",
            "Sent Raj the retail overview Kelly asked me to share with HR.",
        ),
        (
            38,
            "zoom",
            "raj",
            "Intro call w/ Raj (HR)",
            "Raj is happy with the current setup. Turnover is about where it's been for years and "
            "nobody is asking for more reports.",
        ),
        (
            29,
            "call",
            "kelly",
            "Check in",
            "Kelly: honestly not a priority this year, holiday season comes first.",
        ),
        (
            19,
            "email",
            "kelly",
            "Checking in after the fall reset",
            "Checked in after their fall floor reset, shared a short article on holiday staffing.",
        ),
        (
            14,
            "emailin",
            "kelly",
            "RE: Checking in after the fall reset",
            "Kelly: All good here, we're hitting our numbers. Thanks for thinking of us.",
        ),
        (
            5,
            "call",
            "raj",
            "Quick call with Raj",
            "Raj said nothing's changed on their side, they're fine with how things run today.",
        ),
    ],
)

# P9 Oakhurst: analyst needs the superintendent's sign-off; budget next fiscal year.
opp(
    acct="oakhurst",
    name="Oakhurst School District - HR Analytics",
    owner="diego",
    amount=44000,
    source="Other",
    path=[("Prospecting", 182), ("Qualification", 165), ("Needs Analysis", 150)],
    close0=D("2026-08-31"),
    pushes=[(95, D("2026-12-31")), (20, D("2027-06-30"))],
    roles=[("melissa", "Influencer", True)],
    acts=[
        (
            180,
            "callin",
            "melissa",
            "Inbound - Melissa Hart",
            "Melissa found us through the state school HR association webinar. Teacher attrition "
            "and sub coverage are the big topics.",
        ),
        (
            160,
            "zoom",
            "melissa",
            "Discovery w/ Melissa",
            "Good discovery. She pulls everything by hand from Skyward every month.",
        ),
        (
            148,
            "email",
            "melissa",
            "K-12 case study + pricing",
            "Sent the Lincoln County K-12 case study and public-sector pricing.",
        ),
        (
            130,
            "call",
            "melissa",
            "Melissa - process",
            "Talked through how purchases happen at the district.\n"
            "- Melissa needs the superintendent's sign-off for anything over $25k\n"
            "- she'll bring it up at the cabinet meeting (2nd Tuesday)\n"
            "- IT wants to know if we integrate with Skyward (we do, sent the doc)",
        ),
        (
            112,
            "email",
            "melissa",
            "Checking in on cabinet meeting",
            "Asked how the cabinet meeting went.",
        ),
        (
            104,
            "emailin",
            "melissa",
            "RE: Checking in on cabinet meeting",
            "Melissa: didn't make the agenda. Try again next month.",
        ),
        (
            80,
            "coffee",
            "melissa",
            "Coffee w/ Melissa",
            "Coffee near the district office. She still needs Dr. Brooks' approval, and the board "
            "froze new spend until the next fiscal year budget (July).",
        ),
        (
            60,
            "call",
            "melissa",
            "Check-in",
            "Checking in. No news from Dr. Brooks, she's waiting on him.",
        ),
        (
            38,
            "email",
            "melissa",
            "One-pager for Dr. Brooks",
            "Sent a one-page summary she can put in front of Dr. Brooks.",
        ),
        (
            22,
            "callin",
            "melissa",
            "Melissa called",
            "Melissa: budget next fiscal year at the earliest. She'll keep advocating, she needs "
            "his sign-off either way.",
        ),
    ],
)

# P10 Redwater: the long, fun relationship; close date slides every quarter.
opp(
    acct="redwater",
    name="Redwater Energy - Field Workforce Analytics",
    owner="marcus",
    amount=160000,
    source="Trade Show",
    path=[
        ("Prospecting", 330),
        ("Qualification", 310),
        ("Needs Analysis", 288),
        ("Value Proposition", 265),
    ],
    close0=D("2026-03-31"),
    pushes=[(240, D("2026-06-30")), (150, D("2026-09-30")), (60, D("2026-12-31"))],
    roles=[("victor", "Business User", True)],
    acts=[
        (
            328,
            "call",
            "victor",
            "Intro call - Victor Salas",
            "Met Victor at the Permian safety expo. Field crews, lots of turnover, 'we're always "
            "short a crew somewhere'.",
        ),
        (
            305,
            "mtg",
            "victor",
            "Onsite intro at the Midland yard",
            "Drove out to Midland. Victor showed me the dispatch board (whiteboard + group text).",
        ),
        (
            285,
            "zoom",
            "victor",
            "Demo w/ Victor",
            "Demo of crew utilization + attrition. Victor: 'this is slick'.",
        ),
        (
            266,
            "email",
            "victor",
            "Proposal outline",
            "Sent a proposal outline for 3 field districts.",
        ),
        (
            230,
            "golf",
            "victor",
            "Golf w/ Victor @ Hogan Park",
            "Great round. Victor's a 12 handicap and a great storyteller. Talked hunting season.",
        ),
        (
            200,
            "game",
            "victor",
            "Rangers game - suite tix",
            "Had Victor in our suite for the Rangers game. He brought his wife, lovely evening.",
        ),
        (
            185,
            "call",
            "victor",
            "Checking in",
            "Just checking in, Victor is out in the field most of this month.",
        ),
        (
            170,
            "drinks",
            "victor",
            "Beers w/ Victor after the safety expo",
            "Beers after this year's expo. Same old, he said give it some time.",
        ),
        (
            150,
            "lunch",
            "victor",
            "Lunch - BBQ in Midland",
            "Lunch at Smokestack in Midland. Talked fantasy football league, I'm in now apparently.",
        ),
        (
            132,
            "call",
            "victor",
            "Checking in",
            "Checked in. Victor said nothing new, crews are stretched as usual.",
        ),
        (
            118,
            "golf",
            "victor",
            "Member-guest tournament w/ Victor",
            "Played the member-guest as Victor's partner. Came 3rd in our flight!",
        ),
        (
            96,
            "email",
            "victor",
            "Happy birthday Victor",
            "Sent birthday wishes and a bottle of the bourbon he likes.",
        ),
        (
            80,
            "lunch",
            "victor",
            "Lunch w/ Victor",
            "Lunch in Odessa. He said he'd ping me if anything changes. Good guy.",
        ),
        (
            61,
            "call",
            "victor",
            "Just checking in",
            "Just checking in. Voicemail, he texted back a thumbs up.",
        ),
        (
            44,
            "game",
            "victor",
            "Cowboys tickets w/ Victor",
            "Took Victor and his brother-in-law to the Cowboys game. Cowboys lost, fun anyway.",
        ),
        (27, "email", "victor", "Checking in", "Checking in before the holidays get crazy."),
        (
            19,
            "emailin",
            "victor",
            "RE: Checking in",
            "Victor: Ha, still alive out here. Let's get a round in before it gets cold.",
        ),
    ],
)

# P11 Granite Peak: COO hesitated at the proposal, rep recapped and went silent for months.
opp(
    acct="granite",
    name="Granite Peak Outfitters - Retail Workforce Analytics",
    owner="sam",
    amount=66000,
    source="Web",
    path=[
        ("Prospecting", 230),
        ("Qualification", 212),
        ("Needs Analysis", 190),
        ("Value Proposition", 172),
        ("Proposal/Price Quote", 160),
    ],
    close0=D("2026-07-31"),
    pushes=[(160, D("2026-08-31"))],
    next_step="Circle back in Q1 2027",
    roles=[("wes", "Economic Buyer", False), ("jenna", "Evaluator", True)],
    acts=[
        (
            228,
            "call",
            "jenna",
            "Intro call - Jenna Moss",
            "Jenna (HR Manager) wants to get ahead of seasonal hiring for 45 stores.",
        ),
        (
            210,
            "zoom",
            "jenna",
            "Discovery w/ Jenna",
            "Walked through their hiring calendar and how district managers forecast staffing.",
        ),
        (
            192,
            "mtg",
            "wes",
            "Workshop with store ops + HR",
            "Workshop with Wes (COO), Jenna and three district managers. They mapped where "
            "staffing goes wrong during the spring ramp.",
        ),
        (
            175,
            "zoom",
            "jenna",
            "Demo for Jenna + district managers",
            "Demo to Jenna and four DMs. Positive, DMs want the store-level forecast.",
        ),
        (
            162,
            "mtg",
            "wes",
            "Proposal review w/ Wes + Jenna",
            "Reviewed the proposal in person. Wes asked good questions about rollout timing.",
        ),
        (
            150,
            "call",
            "wes",
            "Call w/ Wes",
            "Wes said they need to think about it. The inventory system migration eats Q3 and he "
            "doesn't want two projects at once. Maybe next year.",
        ),
        (
            148,
            "email",
            "jenna",
            "Thanks + recap",
            "Thanked Jenna for the help, recapped where things landed with Wes.",
        ),
    ],
)

# P12 Sunfield Dental: single coordinator, a stream of material, nothing planned.
opp(
    acct="sunfield",
    name="Sunfield Dental Group - Practice Analytics",
    owner="hannah",
    amount=29000,
    source="Web",
    path=[
        ("Prospecting", 140),
        ("Qualification", 120),
        ("Needs Analysis", 100),
        ("Value Proposition", 40),
    ],
    close0=D("2026-12-31"),
    roles=[("tasha", "Influencer", True)],
    acts=[
        (
            138,
            "call",
            "tasha",
            "Intro call - Tasha Reed",
            "Tasha coordinates ops for 12 offices, hygienist turnover is the pain.",
        ),
        (
            118,
            "zoom",
            "tasha",
            "Discovery w/ Tasha",
            "Discovery. Tasha tracks staffing per office in Google Sheets.",
        ),
        (98, "zoom", "tasha", "Demo w/ Tasha", "Demoed the multi-location view. She liked it."),
        (
            84,
            "email",
            "tasha",
            "Brochure + 2-min video",
            "Sent the dental brochure and the short product video.",
        ),
        (
            70,
            "email",
            "tasha",
            "Case study: 40-location dental group",
            "Sent the BrightSmiles case study (40 locations, cut hygienist turnover by a third).",
        ),
        (
            56,
            "emailin",
            "tasha",
            "RE: Case study",
            "Tasha: thanks, interesting! Swamped with the new office opening.",
        ),
        (
            45,
            "email",
            "tasha",
            "ROI calculator, filled in for 12 offices",
            "Sent the ROI calculator filled in with 12 offices and their hygienist counts.",
        ),
        (
            40,
            "call",
            "tasha",
            "Walked Tasha through ROI",
            "Walked Tasha through the ROI numbers. She liked them a lot. Moved to Value Prop.",
        ),
        (
            28,
            "email",
            "tasha",
            "Pricing + implementation timeline",
            "Sent pricing and a 6-week implementation timeline.",
        ),
        (
            17,
            "email",
            "tasha",
            "Sent more info on the scheduling module",
            "Sent more info on the scheduling module, plus a customer video.",
        ),
        (9, "emailin", "tasha", "RE: Scheduling module", "Tasha: Thanks for all of this!"),
    ],
)

# P13 Halcyon: multi-threaded, real buyer work, proposal out, then silence from them.
opp(
    acct="halcyon",
    name="Halcyon Biotech - Lab Workforce Planning",
    owner="tessa",
    amount=125000,
    source="Partner Referral",
    path=[
        ("Prospecting", 120),
        ("Qualification", 105),
        ("Needs Analysis", 85),
        ("Value Proposition", 66),
        ("Id. Decision Makers", 50),
        ("Proposal/Price Quote", 36),
    ],
    close0=D("2026-12-18"),
    roles=[
        ("irene", "Decision Maker", True),
        ("marco", "Evaluator", False),
        ("frank", "Economic Buyer", False),
    ],
    acts=[
        (
            118,
            "call",
            "irene",
            "Intro call - Dr. Irene Cho",
            "Irene runs HR ops. Hiring lab techs fast enough for two new programs is the problem.",
        ),
        (
            100,
            "zoom",
            "irene",
            "Discovery w/ Irene + Marco",
            "Irene and Marco (people analytics) walked through their hiring plan model.",
        ),
        (
            84,
            "mtg",
            "marco",
            "Data workshop with Marco's team",
            "Working session with Marco and two HR analysts; they mapped their requisition data "
            "into our model and found two gaps themselves.",
        ),
        (
            66,
            "zoom",
            "irene",
            "Demo to HR leadership",
            "Demo for Irene and her HR leadership team. Strong interest in the capacity planner.",
        ),
        (
            52,
            "zoom",
            "frank",
            "Intro to Frank (VP Finance)",
            "Irene brought in Frank. He wants the business case tied to program launch dates.",
        ),
        (
            41,
            "emailin",
            "marco",
            "RE: Business case inputs",
            "Marco sent their headcount model and cost per open req for the business case.",
        ),
        (
            37,
            "mtg",
            "irene",
            "Proposal review w/ Irene + Frank",
            "Reviewed the business case and draft proposal with Irene and Frank. Frank ok'd the "
            "structure; they'll review the final internally.",
        ),
        (
            36,
            "email",
            "irene",
            "Proposal + order form",
            "Sent the final proposal and order form to Irene and Frank.",
        ),
        (
            30,
            "email",
            "irene",
            "Following up on the proposal",
            "Following up on the proposal, happy to walk anyone else through it.",
        ),
        (22, "vm", "frank", "Left VM for Frank", "Left Frank a voicemail about the proposal."),
        (
            14,
            "email",
            "irene",
            "Bumping this",
            "Bumping this to the top of your inbox, Irene. Any feedback on the order form?",
        ),
        (
            6,
            "vm",
            "irene",
            "Left voicemail",
            "Left Irene a voicemail. Her out-of-office is not on.",
        ),
    ],
)

# P14 Tidewater: coordinators need the CFO's sign-off; CFO is on the contact roles, never engaged.
opp(
    acct="tidewater",
    name="Tidewater Marine Services - Crew Analytics",
    owner="hannah",
    amount=52000,
    source="Web",
    path=[
        ("Prospecting", 125),
        ("Qualification", 108),
        ("Needs Analysis", 85),
        ("Value Proposition", 62),
        ("Id. Decision Makers", 38),
    ],
    close0=D("2026-12-31"),
    next_step="Wait for Gail to hear back from Harold (CFO)",
    roles=[
        ("gail", "Influencer", True),
        ("eddie", "Business User", False),
        ("harold", "Economic Buyer", False),
    ],
    acts=[
        (
            123,
            "call",
            "gail",
            "Intro call - Gail Norris",
            "Gail runs payroll for ~300 deckhands and captains. Overtime is killing them.",
        ),
        (
            105,
            "zoom",
            "gail",
            "Discovery w/ Gail + Eddie",
            "Walked through crew rotations. Eddie keeps the certifications tracker.",
        ),
        (
            88,
            "email",
            "eddie",
            "Sample crew overtime report",
            "Sent Eddie a sample overtime report using anonymized data.",
        ),
        (64, "zoom", "gail", "Demo w/ Gail", "Demo for Gail. She loved the rotation planner."),
        (
            50,
            "call",
            "gail",
            "Gail - how decisions get made",
            "Gail: Harold (CFO) has to sign off on anything new.\nShe'll put a summary together "
            'for him, "short, no jargon, one page", her words.',
        ),
        (
            38,
            "emailin",
            "gail",
            "RE: Summary for Harold",
            "Gail: Harold wants to hold until we have budget next year. She'll try again in December.",
        ),
        (
            30,
            "call",
            "eddie",
            "Call w/ Eddie",
            "Eddie: still waiting on the CFO, nothing moves there without his approval.",
        ),
        (21, "email", "gail", "Checking in on Harold", "Checked in to see if Harold had a look."),
        (
            12,
            "emailin",
            "gail",
            "RE: Checking in on Harold",
            "Gail: he hasn't looked at it yet, they're in year-end close.",
        ),
        (
            4,
            "call",
            "gail",
            "Quick check-in",
            "Quick check-in. Gail will remind Harold after close wraps up.",
        ),
    ],
)

# P15 Copperline: multi-threaded and active, but stuck in Id. Decision Makers through a reorg.
opp(
    acct="copperline",
    name="Copperline Telecom - Network Ops Workforce Analytics",
    owner="marcus",
    amount=240000,
    source="Partner Referral",
    path=[
        ("Prospecting", 250),
        ("Qualification", 232),
        ("Needs Analysis", 210),
        ("Value Proposition", 190),
        ("Id. Decision Makers", 165),
    ],
    close0=D("2026-09-30"),
    pushes=[(100, D("2027-03-31"))],
    next_step="Angela presents business case to new SVP 11/17",
    roles=[
        ("angela", "Decision Maker", True),
        ("sunil", "Evaluator", False),
        ("chris", "Technical Buyer", False),
    ],
    acts=[
        (
            248,
            "call",
            "sunil",
            "Intro call - Sunil Mehta",
            "Sunil plans field tech staffing for 9 regions. Overtime and truck rolls are up.",
        ),
        (
            230,
            "zoom",
            "angela",
            "Discovery w/ Sunil + Angela",
            "Angela (VP Network Ops) joined. She owns the budget for field workforce tools.",
        ),
        (
            208,
            "mtg",
            "sunil",
            "Workshop: dispatch data deep dive w/ Sunil's planners",
            "Day-long session with Sunil's four regional planners. They built the baseline "
            "themselves from 18 months of dispatch data.",
        ),
        (
            195,
            "task",
            "chris",
            "Security questionnaire completed",
            "Chris's team completed the security questionnaire and pen-test review. Approved.",
        ),
        (
            188,
            "mtg",
            "angela",
            "Demo for Angela's leadership team",
            "Demo to Angela and her regional directors. Good energy.",
        ),
        (
            166,
            "mtg",
            "angela",
            "Exec alignment w/ Angela",
            "Angela is in. But a reorg is coming: a new SVP will own all tooling decisions.",
        ),
        (
            140,
            "emailin",
            "sunil",
            "RE: Reorg update",
            "Sunil: reorg details pushed to July. They're still using our baseline in planning.",
        ),
        (
            112,
            "call",
            "angela",
            "Call w/ Angela",
            "Reorg announced. New SVP (Mark Ellison) starts in September.",
        ),
        (
            100,
            "emailin",
            "angela",
            "RE: Timeline",
            "Angela: realistic close is Q1 now; she wants Mark to own the decision, not inherit it.",
        ),
        (
            75,
            "call",
            "sunil",
            "Call w/ Sunil",
            "Mark is getting settled. Sunil's planners keep asking when they get the tool.",
        ),
        (
            45,
            "zoom",
            "angela",
            "Quarterly catch-up with Angela",
            "Angela still wants it. Mark is doing a tooling review in November; she'll present "
            "the business case herself.",
        ),
        (
            20,
            "emailin",
            "sunil",
            "RE: SVP review",
            "Sunil: review is on Mark's calendar for the 17th. Sent me their draft slides.",
        ),
        (
            -15,
            "mtg",
            "angela",
            "SVP tooling review - business case",
            "Angela presents to Mark Ellison, we join for Q&A.",
        ),
    ],
)

# P16 Everly expansion: the contact has authority, but it's all lunches and check-ins.
opp(
    acct="everly",
    name="Everly Home Health - Care Team Analytics Expansion",
    owner="diego",
    amount=88000,
    type="Existing Customer - Upgrade",
    source="Other",
    path=[("Qualification", 200), ("Needs Analysis", 180)],
    close0=D("2026-12-31"),
    roles=[("bonnie", "Decision Maker", True)],
    acts=[
        (
            198,
            "mtg",
            "bonnie",
            "Expansion chat w/ Bonnie",
            "Bonnie liked how hospice went and is curious about the home health teams.",
        ),
        (
            182,
            "email",
            "bonnie",
            "Expansion overview",
            "Sent a short overview of what home health could look like.",
        ),
        (
            165,
            "lunch",
            "bonnie",
            "Lunch with Bonnie at Luca's",
            "Lovely lunch, she's planning a trip to Portugal. Expansion 'sometime'.",
        ),
        (140, "call", "bonnie", "Checking in", "Checking in. All well, busy with state survey."),
        (122, "coffee", "bonnie", "Coffee w/ Bonnie", "Coffee. Talked about her new puppy mostly."),
        (
            104,
            "lunch",
            "bonnie",
            "Lunch - Bonnie",
            "Lunch with Bonnie. Hospice team is doing great with the dashboards.",
        ),
        (90, "coffee", "bonnie", "Coffee catch-up", "Coffee catch-up before her board prep."),
        (71, "call", "bonnie", "Just checking in", "Just checking in. She's back from Portugal."),
        (
            55,
            "coffee",
            "bonnie",
            "Coffee with Bonnie",
            "Coffee, looked at her Portugal photos. Said to stay in touch.",
        ),
        (
            38,
            "email",
            "bonnie",
            "Checking in + staffing article",
            "Checking in, sent an article on home health staffing trends.",
        ),
        (
            24,
            "lunch",
            "bonnie",
            "Lunch w/ Bonnie",
            "Nice lunch. Talked about her daughter's wedding plans.",
        ),
        (10, "call", "bonnie", "Check in", "Quick check-in call. All good, talk soon."),
    ],
)

# P17 Foxglove: pitching harder while the buyer goes quiet.
opp(
    acct="foxglove",
    name="Foxglove Media - Creative Resource Analytics",
    owner="jordan",
    amount=34000,
    source="Web",
    path=[("Prospecting", 80), ("Qualification", 64), ("Needs Analysis", 42)],
    close0=D("2026-12-31"),
    next_step="Send case study #2, follow up on pricing",
    roles=[("priyanka", "Influencer", True), ("nate", "Business User", False)],
    acts=[
        (
            78,
            "call",
            "priyanka",
            "Intro call - Priyanka Shah",
            "Studio of ~230. Freelancer spend is up and utilization is a guess.",
        ),
        (
            64,
            "zoom",
            "priyanka",
            "Discovery w/ Priyanka + Nate",
            "Nate manages resourcing in Float. Good conversation about utilization.",
        ),
        (
            56,
            "email",
            "priyanka",
            "Agency deck",
            "Sent the agency-focused deck with the utilization examples.",
        ),
        (
            48,
            "emailin",
            "nate",
            "RE: Agency deck",
            "Nate: a couple of questions about importing timesheets from Harvest.",
        ),
        (
            42,
            "call",
            "nate",
            "Call w/ Nate re: timesheets",
            "Answered Nate's import questions. Moved to Needs Analysis.",
        ),
        (
            35,
            "email",
            "priyanka",
            "Case study: 200-person agency",
            "Sent the Lantern & Co case study (200-person agency, 9 pts utilization gain).",
        ),
        (
            30,
            "email",
            "priyanka",
            "Pricing options (3 tiers)",
            "Sent pricing: three tiers, recommended the middle one.",
        ),
        (
            26,
            "email",
            "priyanka",
            "Following up - thoughts on pricing?",
            "Following up, any thoughts on the pricing tiers?",
        ),
        (19, "vm", "priyanka", "Left VM", "Left VM for Priyanka."),
        (
            12,
            "email",
            "nate",
            "Bumping this + ROI calculator",
            "Bumping this, Nate. Also attached the ROI calculator with your headcount.",
        ),
        (
            4,
            "email",
            "priyanka",
            "Following up + 10% discount",
            "Following up again. Offered 10% off if we can wrap up by mid-December.",
        ),
    ],
)

# ================================================================ near-miss healthy deals, by hand
# H2 Alder & Stone: ten days old, one contact, discovery booked. Amount not set yet.
opp(acct="alder", name="Alder & Stone Architects - Staffing Analytics", owner="sam",
    amount=None, source="Web", path=[("Prospecting", 10)], close0=D("2027-03-31"),
    next_step="Discovery call w/ Mia 11/5",
    roles=[("mia", "Other", True)],
    acts=[
        (10, "callin", "mia", "Web inquiry - Mia Torres",
         "Mia filled in the contact form and then called. 85 people, two offices, project "
         "staffing lives in a whiteboard photo. Partners want better utilization data."),
        (8, "email", "mia", "Discovery call invite",
         "Sent Mia a calendar invite for discovery and a short agenda."),
        (3, "emailin", "mia", "RE: Discovery call invite",
         "Mia: confirmed, and she's asking one of the partners (Paul Stone) to sit in "
         "for the first 15 minutes."),
        (-3, "zoom", "mia", "Discovery call w/ Mia", "Discovery call, 45 minutes."),
    ])

# H3 Meridian: parked over the summer, came back on its own, just advanced with a meeting booked.
opp(acct="meridian", name="Meridian Freight - Dispatch Workforce Analytics", owner="jordan",
    amount=92000, source="Partner Referral",
    path=[("Prospecting", 245), ("Qualification", 225), ("Needs Analysis", 200),
          ("Value Proposition", 6)],
    close0=D("2026-09-30"), pushes=[(6, D("2027-01-29"))],
    next_step="Pilot scoping session w/ Rosa's team 11/9",
    roles=[("hal", "Decision Maker", True), ("rosa", "Evaluator", False),
           ("carmen", "Economic Buyer", False)],
    acts=[
        (243, "call", "hal", "Intro call - Hal Jensen",
         "Hal runs dispatch for 400 drivers. Driver churn after 90 days is his headache."),
        (225, "zoom", "hal", "Discovery w/ Hal + Rosa",
         "Rosa (dispatch analyst) showed their churn tracker. Hal wants to know which lanes "
         "burn people out."),
        (205, "mtg", "rosa", "Onsite data session w/ Rosa",
         "Worked through 2 years of driver tenure data with Rosa at the Joliet terminal. She "
         "built the lane-level cut herself."),
        (190, "emailin", "hal", "RE: Lane analysis",
         "Hal: the lane analysis is eye-opening. Hiring freeze hits next month though, so he "
         "wants to park this for the summer and pick it up in the fall. Agreed, no chasing."),
        (150, "email", "hal", "Summer note",
         "Short note to Hal: no agenda, here's the lane benchmark we talked about, talk in the fall."),
        (28, "emailin", "hal", "RE: Picking this back up",
         "Hal reached out: freeze lifted, churn got worse over the summer, and Carmen (CFO) "
         "asked him for a plan. Wants to restart."),
        (20, "mtg", "carmen", "Workshop with dispatch leads + CFO",
         "Workshop at their HQ with Hal, Rosa, three dispatch leads and Carmen. Carmen asked the "
         "team to quantify churn cost per lane; Rosa's team did it in the room."),
        (6, "mtg", "hal", "Value review w/ Hal + Carmen",
         "Reviewed the value model built from their numbers. Carmen wants a 60-day pilot on two "
         "lanes first. Moved to Value Prop, new close date end of January."),
        (-7, "mtg", "rosa", "Pilot scoping w/ Rosa's team",
         "Scope the 2-lane pilot with Rosa and the dispatch leads."),
    ])

# ================================================================ generated healthy + closed deals
POOLS = {
    "Prospecting": [
        ("callin", "champ", "Inbound call - {cfull}",
         "{c} called in after reading our {topic} guide. {co} has {emp} people and {pain}. "
         "Booked a discovery session."),
        ("call", "champ", "Intro call - {cfull}",
         "Intro with {c}. {Pain}. They want to understand what's driving it before picking "
         "any tool. Set up discovery."),
        ("emailin", "champ", "RE: Intro from {partner}",
         "{c} replied to the intro from {partner}: open to a conversation, {pain}."),
    ],
    "Qualification": [
        ("zoom", "champ", "Discovery w/ {c}",
         "Discovery with {c}. Today: {today}. {c} would like to see {want}, and suggested "
         "we pull in {u}."),
        ("zoom", "user", "Second discovery session w/ {u}",
         "{u} walked me through how the numbers get pulled together at {co} each month, "
         "about {n} hours of manual work."),
        ("emailin", "champ", "RE: Discovery recap",
         "{c} corrected two points in my recap and added a list of who else at {co} cares "
         "about {short}."),
    ],
    "Needs Analysis": [
        ("mtg", "user", "Onsite workshop with their ops + finance teams",
         "Workshop at {co} with {c}, {u} and a finance partner. Their team mapped where "
         "{short} shows up and put a rough cost on it themselves."),
        ("emailin", "user", "RE: Data extract",
         "{u} sent a {n}-month extract from their HRIS so we can run the baseline together."),
        ("mtg", "champ", "Baseline review with {c}'s team",
         "Reviewed the baseline built on {co} data. {u} found a coding issue with transfers and "
         "is fixing it on their side."),
    ],
    "Value Proposition": [
        ("mtg", "champ", "Demo for {c} + team leads",
         "Tailored demo on {co}'s own data for {c} and {n} team leads. Most questions were "
         "about {want}."),
        ("mtg", "user", "Pilot kickoff with 3 team leads",
         "Kicked off a 30-day pilot with {u} and three team leads at {co}. They wrote the "
         "success criteria."),
        ("emailin", "user", "RE: Pilot week 2",
         "{u}: pilot teams at {co} use the dashboards in their Monday huddles now. Two feature "
         "requests attached."),
    ],
    "Id. Decision Makers": [
        ("mtg", "exec", "Intro meeting w/ {x}",
         "{c} brought in {x} ({xtitle}). {x} wants to know how {co} would measure success in "
         "the first two quarters."),
        ("emailin", "exec", "RE: Evaluation plan",
         "{x} replied with who will weigh in at {co}: {c}, {u}, {t} and finance, plus their own "
         "evaluation criteria."),
        ("call", "champ", "Call w/ {c} re: decision process",
         "{c} walked me through how {co} decides on tools like this and who needs to be in the "
         "room. We mapped it together."),
    ],
    "Perception Analysis": [
        ("task", "tech", "Security questionnaire returned",
         "{t}'s team at {co} ran the security questionnaire and reviewed our SOC 2 report. "
         "{n} clarifications, all answered."),
        ("mtg", "champ", "Reference call for {c}",
         "Set {c} and {u} up with a reference customer; they ran the call themselves."),
        ("emailin", "tech", "RE: SSO + data retention",
         "{t} confirmed SSO works in the {co} test tenant and accepted our retention terms."),
    ],
    "Proposal/Price Quote": [
        ("mtg", "exec", "Business case review - {x} joined",
         "{x} joined the business case review. {c}'s team presented the numbers for {co}; {x} "
         "asked for a phased rollout option."),
        ("email", "exec", "Proposal sent",
         "Sent the proposal to {x} and {c} with phased and full-rollout options for {co}."),
        ("emailin", "champ", "RE: Proposal",
         "{c}: finance at {co} has the proposal; {x} wants one change to the payment schedule."),
    ],
    "Negotiation/Review": [
        ("emailin", "exec", "RE: MSA redlines",
         "{x} sent back redlines from {co} legal, mostly the liability cap and DPA wording."),
        ("zoom", "exec", "Terms call w/ {x}",
         "Worked through the remaining terms with {x}. Agreed on a 2-year term and a {n}-day "
         "implementation window for {co}."),
        ("emailin", "champ", "RE: Order form",
         "{c}: order form is with procurement at {co}; their signature workflow has started."),
    ],
}
SOCIAL = [
    ("lunch", "Lunch w/ {c}", "Lunch with {c}. {talk}"),
    ("coffee", "Coffee with {c}", "Coffee with {c}. {talk}"),
    ("golf", "Golf w/ {c}", "Nine holes with {c}. {talk}"),
    ("drinks", "Drinks w/ {c}", "Drinks with {c} after work. {talk}"),
    ("game", "Game tickets w/ {c}", "Took {c} to the game. {talk}"),
    ("lunch", "Lunch - {c}", "Caught up with {c} over lunch. {talk}"),
]
_PERSONAL = [
    "Talked about the kids' soccer season.", "Training for a half marathon, apparently.",
    "Mostly talked about the new stadium.", "Just back from two weeks in Lisbon.",
    "Compared notes on bad airport food.", "Oldest kid started college this fall.",
    "Talked about the lake house they're fixing up.", "Adopting a second greyhound.",
    "Long chat about fantasy football.", "Coaching Little League again this spring.",
    "Talked about the remodel at their office.", "Traded restaurant recommendations.",
    "Learning to sail this year.", "Heard all about the band's gig at the brewery.",
]
_TAIL = ["", " Good catch-up.", " Fun.", " Nice to get out of the office.",
         " Their pick of place.", " Ran long, worth it."]
TALK = [a + b for a in _PERSONAL for b in _TAIL]


USED: set[str] = set()


def fill(tpl: str, ctx: dict) -> str:
    return tpl.format(**ctx)


def gen(spec: dict) -> None:
    roles = spec["who"]  # role -> contact key
    champ = roles["champ"]
    names = {r: CON[k][2] for r, k in roles.items()}
    ctx = {
        "c": names["champ"], "cfull": f"{CON[champ][2]} {CON[champ][3]}",
        "u": names.get("user", names["champ"]), "x": names.get("exec", names["champ"]),
        "xtitle": CON[roles.get("exec", champ)][4], "t": names.get("tech", names["champ"]),
        "co": ACC[spec["acct"]][1].split(" - ")[0], "emp": f"{ACC[spec['acct']][3]:,}",
        "pain": spec["pain"], "Pain": spec["pain"][0].upper() + spec["pain"][1:],
        "short": spec["short"], "want": spec["want"], "today": spec["today"],
        "partner": rng.choice(["our ADP partner rep", "a mutual customer", "their consultant"]),
        "topic": rng.choice(["turnover", "scheduling", "overtime", "retention"]),
    }
    acts = []
    path = spec["path"]
    closed = spec.get("closed")  # (stage, ago, final subject, final desc)
    ends = [a for _, a in path[1:]] + [closed[1] if closed else 2]
    for (stage, start), end in zip(path, ends, strict=True):
        pool = list(POOLS[stage])
        span = start - end
        k = 1 if span < 12 else (2 if span < 22 else 3)
        rng.shuffle(pool)
        i = 0
        for kind, role, subj, desc in pool:
            if i == k:
                break
            ctx["n"] = rng.randint(3, 14)
            text = fill(desc, ctx)
            if text in USED:
                continue
            USED.add(text)
            ago = start if i == 0 else start - int(span * i / k) - rng.randint(0, 2)
            acts.append((ago, kind, roles.get(role, champ), fill(subj, ctx), text))
            i += 1
    for ago in spec.get("social", []):
        kind, subj, desc = rng.choice(SOCIAL)
        who = roles.get("exec" if rng.random() < 0.3 else "champ", champ)
        c = {**ctx, "c": CON[who][2], "talk": TALK.pop(rng.randrange(len(TALK)))}
        acts.append((ago, kind, who, fill(subj, c), fill(desc, c)))
    acts.extend(spec.get("extra", []))
    if closed:
        acts.append((closed[1], "emailin" if closed[0] == "Closed Won" else "call",
                     roles.get("exec", champ), closed[2], closed[3]))
    else:
        fut_ago, fut_subj, fut_who = spec["future"]
        acts.append((rng.randint(1, 3), "emailin", roles.get(fut_who, champ),
                     f"RE: {fut_subj}",
                     f"{CON[roles.get(fut_who, champ)][2]} confirmed '{fut_subj}' and "
                     f"added {ctx['u'] if fut_who != 'user' else ctx['x']} to the invite."))
        acts.append((fut_ago, "mtg" if "onsite" in fut_subj.lower() else "zoom",
                     roles.get(fut_who, champ), fut_subj,
                     spec.get("future_desc", f"{fut_subj} with the {ctx['co']} team.")))
        if fut_ago <= -4:  # a prep to-do the day before, still open
            acts.append((fut_ago + 1, "task", champ, f"Prep: {fut_subj}",
                         f"Pull together the agenda and open questions for the {ctx['co']} "
                         f"{fut_subj.lower()}; confirm attendees with {ctx['c']}."))
    ocr = [(roles["champ"], spec.get("champ_role", "Evaluator"), True)]
    role_map = {"exec": "Economic Buyer", "tech": "Technical Buyer", "user": "Business User",
                "sponsor": "Executive Sponsor"}
    for r, k in roles.items():
        if r != "champ":
            ocr.append((k, role_map.get(r, "Influencer"), False))
    if closed:
        path = [*path, (closed[0], closed[1])]
    opp(acct=spec["acct"], name=spec["name"], owner=spec["owner"], amount=spec["amount"],
        type=spec.get("type", "New Customer"), source=spec.get("source", "Web"), path=path,
        close0=spec["close0"], pushes=spec.get("pushes", []),
        amount_changes=spec.get("amount_changes", []),
        next_step=spec.get("next_step", ""), roles=ocr, acts=acts)


GEN = [
    # H1 long enterprise deal that keeps moving; one dinner with the CHRO (near miss)
    dict(acct="summit", name="Summit Ridge Healthcare - Enterprise Workforce Analytics",
         owner="tessa", amount=380000, source="Partner Referral",
         path=[("Prospecting", 200), ("Qualification", 178), ("Needs Analysis", 150),
               ("Value Proposition", 122), ("Id. Decision Makers", 95),
               ("Perception Analysis", 70), ("Proposal/Price Quote", 45),
               ("Negotiation/Review", 18)],
         close0=D("2026-10-30"), pushes=[(45, D("2026-12-18"))],
         amount_changes=[(45, 395000), (18, 380000)],
         who={"champ": "lauren", "exec": "dmitri", "sponsor": "gwen", "tech": "omar",
              "user": "keisha"},
         champ_role="Decision Maker",
         pain="nurse agency spend is up 30% across 11 hospitals",
         short="agency spend", want="unit-level staffing forecasts",
         today="staffing plans built per hospital in Excel",
         social=[110], next_step="Legal redlines call 11/10; target signature 12/11",
         extra=[(84, "dinner", "gwen", "Dinner w/ Gwen (CHRO)",
                 "Dinner with Gwen after the exec alignment session. She's sponsoring this "
                 "personally and asked for our implementation plan by hospital.")],
         future=(-8, "Final redlines + signature plan", "exec")),
    dict(acct="cobalt", name="Cobalt Ridge Software - People Analytics", owner="hannah",
         amount=96000, path=[("Prospecting", 115), ("Qualification", 100),
                             ("Needs Analysis", 80), ("Value Proposition", 60),
                             ("Id. Decision Makers", 45), ("Proposal/Price Quote", 22)],
         close0=D("2026-12-11"), who={"champ": "tyler", "exec": "erin", "tech": "nina"},
         pain="engineering attrition doubled after the RTO announcement",
         short="regretted attrition", want="attrition risk by team",
         today="quarterly attrition reports from their HRIS", next_step="Proposal Q&A w/ Erin 11/6",
         future=(-4, "Proposal Q&A", "exec")),
    dict(acct="northgate", name="Northgate Property Management - Maintenance Staffing",
         owner="diego", amount=42000, source="Phone Inquiry",
         path=[("Prospecting", 75), ("Qualification", 58), ("Needs Analysis", 38),
               ("Value Proposition", 14)],
         close0=D("2027-01-15"), who={"champ": "sophie", "exec": "grant"},
         pain="maintenance tech turnover is slowing unit turns",
         short="maintenance turnover", want="turnover by property",
         today="a monthly spreadsheet from payroll", next_step="Pilot check-in w/ Grant 11/12",
         future=(-10, "Pilot check-in", "exec")),
    dict(acct="kestrel", name="Kestrel Aviation Services - Ground Crew Analytics",
         owner="marcus", amount=150000, source="Trade Show",
         path=[("Prospecting", 130), ("Qualification", 110), ("Needs Analysis", 88),
               ("Value Proposition", 60), ("Id. Decision Makers", 30)],
         close0=D("2027-01-29"), who={"champ": "ian", "exec": "rachel", "tech": "fatima"},
         pain="ramp crew overtime spikes every holiday season",
         short="ramp overtime", want="crew forecasts by station",
         today="station managers guess from last year's schedule",
         next_step="Evaluation criteria review w/ Rachel + Fatima 11/10",
         future=(-8, "Evaluation criteria review", "exec")),
    dict(acct="blueheron", name="Blue Heron Hotels - Hospitality Workforce Analytics",
         owner="hannah", amount=64000,
         path=[("Prospecting", 140), ("Qualification", 120), ("Needs Analysis", 100),
               ("Value Proposition", 78), ("Id. Decision Makers", 55),
               ("Perception Analysis", 27)],
         close0=D("2026-12-18"), pushes=[(55, D("2027-01-22"))],
         who={"champ": "julian", "exec": "leo", "user": "becca"}, champ_role="Decision Maker",
         pain="housekeeping turnover is running above 70%", short="housekeeping turnover",
         want="turnover by property and shift", today="exit surveys nobody has time to read",
         next_step="Reference call debrief w/ Julian + Leo", social=[90],
         future=(-6, "Reference call debrief", "exec")),
    dict(acct="vantage", name="Vantage Point Realty - Agent Retention Analytics", owner="sam",
         amount=18000, path=[("Prospecting", 32), ("Qualification", 12)],
         close0=D("2027-02-26"), who={"champ": "ashley", "exec": "hugo"},
         pain="new agents leave before their first closing", short="agent churn",
         want="a ramp view for new agents", today="the broker's gut feel",
         next_step="Discovery #2 with Hugo 11/4", future=(-2, "Discovery part 2", "exec")),
    dict(acct="orchard", name="Orchard Valley Farms Co-op - Seasonal Workforce", owner="diego",
         amount=27000, source="Partner Referral",
         path=[("Prospecting", 55), ("Qualification", 40), ("Needs Analysis", 20)],
         close0=D("2027-02-12"), who={"champ": "lucia", "exec": "dale"},
         pain="returning seasonal pickers dropped by a third", short="seasonal return rate",
         want="return-rate forecasts by crew", today="paper sign-in sheets scanned weekly",
         next_step="Onsite baseline review 11/13", future=(-11, "Onsite baseline review", "exec")),
    dict(acct="harborview", name="Harborview Medical Group - Scheduling Analytics Add-on",
         owner="tessa", amount=88000, type="Existing Customer - Upgrade", source="Other",
         path=[("Qualification", 100), ("Needs Analysis", 82), ("Value Proposition", 64),
               ("Proposal/Price Quote", 40), ("Negotiation/Review", 12)],
         close0=D("2026-11-27"), pushes=[(12, D("2026-12-11"))],
         who={"champ": "yuki", "exec": "arthur", "sponsor": "simone", "tech": "ramon"},
         pain="clinic schedulers rebuild schedules by hand after every call-out",
         short="call-out scrambles", want="call-out forecasting by clinic",
         today="the core platform plus a scheduling spreadsheet",
         next_step="Arthur's CFO sign-off meeting 11/6 (he's engaged, slot booked)",
         extra=[(30, "emailin", "arthur", "RE: Budget for add-on",
                 "Arthur: budget is approved for this fiscal year; he'll do the CFO sign-off "
                 "himself once legal is done.")],
         future=(-4, "CFO sign-off meeting", "exec")),
    dict(acct="fernhill", name="Fernhill Logistics - Additional Seats", owner="sam",
         amount=12000, type="Existing Customer - Upgrade", source="Other",
         path=[("Qualification", 35), ("Proposal/Price Quote", 15)],
         close0=D("2026-11-20"), who={"champ": "kyle", "exec": "beth"},
         pain="two new warehouses need to be added to the dashboards", short="new sites",
         want="the same views for the new warehouses", today="the existing rollout at 3 sites",
         next_step="Beth reviewing quote; call 11/5", future=(-3, "Quote review", "exec")),
    dict(acct="ridgeway", name="Ridgeway Transit Authority - Operator Workforce Analytics",
         owner="jordan", amount=210000, source="Other",
         path=[("Prospecting", 110), ("Qualification", 88), ("Needs Analysis", 62),
               ("Value Proposition", 36)],
         close0=D("2027-03-31"), who={"champ": "martin", "exec": "denise", "tech": "priscilla",
                                       "user": "howard"},
         pain="bus operator absenteeism is cancelling runs", short="operator absenteeism",
         want="absence forecasts by garage", today="daily call-out lists from each garage",
         next_step="Pilot readout to Denise 11/16", future=(-14, "Pilot readout", "exec")),
    dict(acct="polaris", name="Polaris Staffing - Expansion to Light Industrial",
         owner="marcus", amount=54000, type="Existing Customer - Upgrade", source="Other",
         path=[("Qualification", 60), ("Value Proposition", 42), ("Proposal/Price Quote", 25),
               ("Negotiation/Review", 8)],
         close0=D("2026-11-30"), who={"champ": "amy", "exec": "derek", "sponsor": "chloe"},
         pain="light industrial recruiters lose placements in week one",
         short="early placement drop-off", want="the same dashboards for the new division",
         today="the core platform in the office division only", social=[50],
         next_step="Signature call w/ Derek 11/9", future=(-7, "Signature call", "exec")),
    dict(acct="cascade", name="Cascade Outdoor Co - Store Workforce Analytics", owner="diego",
         amount=75000, path=[("Prospecting", 95), ("Qualification", 78),
                             ("Needs Analysis", 58), ("Value Proposition", 40),
                             ("Id. Decision Makers", 19)],
         close0=D("2027-01-29"), who={"champ": "mei", "exec": "trent", "tech": "jorge"},
         pain="stores are understaffed on weekends and overstaffed midweek",
         short="weekend coverage", want="store-level demand vs. staffing",
         today="a labor model built in 2019", next_step="Trent's ops team evaluation session 11/11",
         future=(-9, "Ops team evaluation session", "exec")),
    dict(acct="thornfield", name="Thornfield University - Staff Retention Analytics",
         owner="tessa", amount=160000, source="Other",
         path=[("Prospecting", 170), ("Qualification", 145), ("Needs Analysis", 120),
               ("Value Proposition", 95), ("Id. Decision Makers", 68),
               ("Perception Analysis", 33)],
         close0=D("2027-02-26"), amount_changes=[(68, 175000), (33, 160000)],
         who={"champ": "molly", "exec": "helen", "tech": "pete", "user": "sanjay"},
         pain="staff turnover in facilities and dining is near 40%", short="staff turnover",
         want="turnover by department and pay band", today="annual IR reports",
         next_step="Security review wrap-up with Pete 11/12",
         future=(-10, "Security review wrap-up", "tech")),
]

CLOSED = [
    dict(acct="polaris", name="Polaris Staffing - Workforce Analytics", owner="marcus",
         amount=68000, source="Web",
         path=[("Prospecting", 300), ("Qualification", 280), ("Needs Analysis", 255),
               ("Value Proposition", 232), ("Id. Decision Makers", 210),
               ("Proposal/Price Quote", 185), ("Negotiation/Review", 165)],
         closed=("Closed Won", 140, "RE: Signed order form",
                 "Derek sent the countersigned order form. Kickoff booked with Chloe's team."),
         close0=D("2026-05-29"), who={"champ": "chloe", "exec": "derek", "user": "amy"},
         pain="recruiter turnover is eating their margins", short="recruiter turnover",
         want="recruiter tenure by branch", today="branch managers' own trackers",
         social=[270, 240, 220, 195, 175, 150]),
    dict(acct="harborview", name="Harborview Medical Group - Workforce Analytics Platform",
         owner="tessa", amount=240000, source="Partner Referral",
         path=[("Prospecting", 400), ("Qualification", 378), ("Needs Analysis", 350),
               ("Value Proposition", 322), ("Id. Decision Makers", 295),
               ("Perception Analysis", 268), ("Proposal/Price Quote", 240),
               ("Negotiation/Review", 210)],
         closed=("Closed Won", 180, "RE: Executed agreement",
                 "Arthur returned the executed agreement. Simone announced it to her HR team."),
         close0=D("2026-03-31"), pushes=[(210, D("2026-05-15"))],
         who={"champ": "simone", "exec": "arthur", "tech": "ramon", "user": "yuki"},
         pain="clinic turnover is high and nobody agrees on the numbers", short="clinic turnover",
         want="one turnover number everyone trusts", today="three competing spreadsheets"),
    dict(acct="wrenfield", name="Wrenfield Insurance Brokers - Producer Analytics",
         owner="jordan", amount=85000, source="Purchased List",
         path=[("Prospecting", 360), ("Qualification", 340)],
         closed=("Closed Lost", 45, "Call w/ Cliff - decision",
                 "Cliff told me Ingrid renewed with their current vendor for two years. "
                 "Never got in front of her. Closing this out (reason: no decision / incumbent)."),
         close0=D("2026-03-31"), pushes=[(250, D("2026-06-30")), (130, D("2026-09-30"))],
         who={"champ": "cliff"},
         pain="producers leave and take their books with them", short="producer turnover",
         want="producer retention risk", today="gut feel",
         social=[320, 290, 262, 235, 205, 180, 160, 138, 115, 92, 70]),
    dict(acct="kingsley", name="Kingsley Auto Group - Dealership Staffing", owner="hannah",
         amount=46000, source="Phone Inquiry",
         path=[("Prospecting", 280), ("Qualification", 262), ("Needs Analysis", 240)],
         closed=("Closed Lost", 20, "Call w/ Donna - decision",
                 "Donna: Bruce decided not to do anything this year. Marked lost, no decision."),
         close0=D("2026-06-30"), pushes=[(180, D("2026-09-30")), (60, D("2026-10-30"))],
         who={"champ": "donna"},
         pain="service tech turnover across 9 rooftops", short="tech turnover",
         want="turnover by rooftop", today="a quarterly HR report",
         social=[220, 196, 170, 150, 128, 100, 77, 55, 38]),
    dict(acct="fernhill", name="Fernhill Logistics - Workforce Analytics", owner="sam",
         amount=36000, source="Web",
         path=[("Prospecting", 200), ("Qualification", 182), ("Needs Analysis", 160),
               ("Value Proposition", 138), ("Proposal/Price Quote", 115)],
         closed=("Closed Won", 90, "RE: Signed - welcome aboard",
                 "Beth signed. Kyle is the admin, onboarding starts next week."),
         close0=D("2026-07-31"), who={"champ": "kyle", "exec": "beth"},
         pain="warehouse pickers quit in the first month", short="first-month attrition",
         want="first-30-day attrition by shift", today="an exit log in Excel"),
    dict(acct="lakeshore", name="Lakeshore Credit Union - Branch Ops Rollout", owner="diego",
         amount=24000, source="Web",
         path=[("Prospecting", 330), ("Qualification", 312), ("Needs Analysis", 292),
               ("Value Proposition", 270), ("Proposal/Price Quote", 255)],
         closed=("Closed Won", 240, "RE: Signed agreement",
                 "Janet signed for the 3-branch rollout. Renee will be day-to-day contact."),
         close0=D("2026-02-27"), who={"champ": "renee", "exec": "janet", "user": "tom"},
         pain="teller turnover at three branches", short="teller turnover",
         want="branch-level turnover", today="HR's monthly report", social=[300, 262, 246]),
    dict(acct="crestline", name="Crestline Manufacturing - Corporate HR Analytics",
         owner="marcus", amount=120000, source="Web",
         path=[("Prospecting", 270), ("Qualification", 252), ("Needs Analysis", 230),
               ("Value Proposition", 205), ("Id. Decision Makers", 180),
               ("Proposal/Price Quote", 150), ("Negotiation/Review", 122)],
         closed=("Closed Lost", 100, "Call w/ Oscar - decision",
                 "Oscar chose Visier, bundled with their Workday renewal. Lost on price + "
                 "bundling. Asked to stay in touch for the plants."),
         close0=D("2026-06-30"), who={"champ": "wendy", "exec": "oscar"},
         pain="corporate HR wants one attrition view across 6 plants", short="attrition",
         want="cross-plant attrition", today="plant-by-plant HR reports"),
    dict(acct="everly", name="Everly Home Health - Hospice Division", owner="jordan",
         amount=30000, source="Partner Referral",
         path=[("Prospecting", 380), ("Qualification", 360), ("Needs Analysis", 338),
               ("Value Proposition", 315), ("Proposal/Price Quote", 290)],
         closed=("Closed Won", 230, "RE: Signed hospice order form",
                 "Evan signed the hospice order form. Bonnie and Marisol to co-lead rollout."),
         close0=D("2026-03-13"), pushes=[(290, D("2026-03-27"))],
         who={"champ": "marisol", "exec": "evan", "sponsor": "bonnie"},
         pain="hospice nurse turnover is driving up overtime", short="nurse turnover",
         want="turnover and overtime by team", today="manual overtime reports",
         social=[350, 330, 305, 280, 262, 245]),
]

for _spec in GEN[:1]:
    gen(_spec)
# keep the hand-written near misses (H2, H3) right after H1 in id order
_h2_h3 = [o for o in OPPS if o["acct"] in ("alder", "meridian")]
OPPS[:] = [o for o in OPPS if o["acct"] not in ("alder", "meridian")]
_h1 = OPPS.pop()
OPPS.extend([_h1, *_h2_h3])
for _spec in GEN[1:] + CLOSED:
    gen(_spec)
for _i, _o in enumerate(OPPS):  # ids follow the final order
    _o["id"] = sfid("006", _i + 1)


# ================================================================ build + write
def build() -> dict[str, tuple[list[str], list[list[str]]]]:
    opp_rows, hist_rows, ocr_rows = [], [], []
    for o in OPPS:
        for a in o["acts"]:
            add_activity(o, *a)
        created_ago = o["path"][0][1]
        created = day(created_ago)
        changes: dict[date, dict] = {}
        for stage, ago in o["path"][1:]:
            changes.setdefault(day(ago), {})["stage"] = stage
        for ago, cd in o["pushes"]:
            changes.setdefault(day(ago), {})["close"] = cd
        for ago, amt in o["amount_changes"]:
            changes.setdefault(day(ago), {})["amount"] = amt
        stage, close, amount = o["path"][0][0], o["close0"], o["amount"]
        is_closed = stage.startswith("Closed")
        hist = [(created, stage, amount, close)]
        for d in sorted(changes):
            ch = changes[d]
            stage = ch.get("stage", stage)
            close = ch.get("close", close)
            amount = ch.get("amount", amount)
            if stage.startswith("Closed"):
                close = d
                is_closed = True
            hist.append((d, stage, amount, close))
        created_dt = dt(created)
        last_dt = created_dt
        for i, (d, st, amt, cd) in enumerate(hist):
            stamp = created_dt if i == 0 else dt(d)
            last_dt = max(last_dt, stamp)
            hist_rows.append([None, o["id"], stamp, st, "" if amt is None else f"{amt:.2f}",
                              cd.isoformat(), str(PROB[st])])
        past = [day(a[0]) for a in o["acts"] if day(a[0]) <= AS_OF]
        last_act = max(past) if past else None
        if o["next_step"] and last_act:
            last_dt = max(last_dt, dt(last_act, 23))
        o["final_amount"] = amount
        opp_rows.append([
            o["id"], AID[o["acct"]], o["name"], stage,
            "" if amount is None else f"{amount:.2f}", "USD", str(PROB[stage]),
            close.isoformat(), o["type"], o["next_step"], o["source"],
            "true" if is_closed else "false", "true" if stage == "Closed Won" else "false",
            UID[o["owner"]], created_dt, last_dt, last_act.isoformat() if last_act else "",
        ])
        for k, role, primary in o["roles"]:
            ocr_rows.append([None, o["id"], CID[k], role, "true" if primary else "false"])
    # quirk: an account-level task (WhatId is an Account, not an Opportunity)
    polaris_won = next(o for o in OPPS if o["name"].startswith("Polaris Staffing - Workforce"))
    add_activity(polaris_won, 33, "task", "chloe", "Account plan: renewal + contacts update",
                 "Updated the account plan for Polaris: renewal is 6/2027, Chloe is the exec "
                 "sponsor, Amy is day-to-day admin. Flag for QBR in January.",
                 what=AID["polaris"])
    for prefix, rows in (("008", hist_rows), ("00k", ocr_rows)):
        for i, r in enumerate(rows):
            r[0] = sfid(prefix, i + 1)
    TASKS.sort(key=lambda r: (r[10], r[4]))
    for i, r in enumerate(TASKS):
        r[0] = sfid("00T", i + 1)
    EVENTS.sort(key=lambda r: r[5])
    for i, r in enumerate(EVENTS):
        r[0] = sfid("00U", i + 1)

    users = []
    for k, first, last, title, mgr, tz in USERS:
        users.append([UID[k], f"{first} {last}", first, last,
                      f"{first.lower()}.{last.lower()}@northwind-analytics.example",
                      UID[mgr] if mgr else "", title, "true", tz])
    accounts = [[AID[k], name, ind, str(emp)] for k, name, ind, emp, _ in ACCOUNTS]
    contacts = []
    for k, acct, first, last, title in CONTACTS:
        dom = ACC[acct][4]
        contacts.append([CID[k], AID[acct], first, last, f"{first} {last}", title,
                         f"{first.lower()}.{last.lower()}@{dom}"])
    return {
        "Account": (["Id", "Name", "Industry", "NumberOfEmployees"], accounts),
        "User": (["Id", "Name", "FirstName", "LastName", "Email", "ManagerId", "Title",
                  "IsActive", "TimeZoneSidKey"], users),
        "Contact": (["Id", "AccountId", "FirstName", "LastName", "Name", "Title", "Email"],
                    contacts),
        "Opportunity": (["Id", "AccountId", "Name", "StageName", "Amount", "CurrencyIsoCode",
                         "Probability", "CloseDate", "Type", "NextStep", "LeadSource",
                         "IsClosed", "IsWon", "OwnerId", "CreatedDate", "LastModifiedDate",
                         "LastActivityDate"], opp_rows),
        "OpportunityContactRole": (["Id", "OpportunityId", "ContactId", "Role", "IsPrimary"],
                                   ocr_rows),
        "OpportunityHistory": (["Id", "OpportunityId", "CreatedDate", "StageName", "Amount",
                                "CloseDate", "Probability"], hist_rows),
        "Task": (["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "Priority",
                  "OwnerId", "Description", "IsClosed", "CreatedDate", "CallType",
                  "CallDurationInSeconds", "TaskSubtype"], TASKS),
        "Event": (["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "StartDateTime",
                   "EndDateTime", "DurationInMinutes", "OwnerId", "Description", "Location",
                   "EventSubtype"], EVENTS),
    }


def main() -> None:
    tables = build()
    descs = [r[8] for r in TASKS] + [r[9] for r in EVENTS]
    dupes = {d for d in descs if descs.count(d) > 1}
    if dupes:
        raise SystemExit(f"duplicate activity notes: {sorted(dupes)[:3]}")
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables.items():
        with open(OUT / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(rows)
        print(f"{name}.csv: {len(rows)} rows")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate the bundled demo CRM export (Salesforce Data Loader style) for dealnudge.

Fictional company: Northwind Analytics, a workforce-analytics SaaS vendor.
Stdlib only, deterministic (fixed seed, no clock). Run:  python3 scripts/make_demo_export.py
Writes bot/demo_data/*.csv. Expected pattern labels live in tests/fixtures/demo_expected.toml
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
OUT = Path(__file__).resolve().parent.parent / "bot" / "demo_data"
rng = random.Random(SEED)

PROB = {
    "Prospecting": 10, "Qualification": 10, "Needs Analysis": 20, "Value Proposition": 50,
    "Id. Decision Makers": 60, "Perception Analysis": 70, "Proposal/Price Quote": 75,
    "Negotiation/Review": 90, "Closed Won": 100, "Closed Lost": 0,
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
    "lunch": ["Maple Street Grill", "Rosalind's", "Basil Thai", "The Copper Pot", "Hattie's Kitchen",
              "Olive & Oak", "Lucky Bao", "Smokestack BBQ", "Luca's Trattoria"],
    "coffee": ["Blue Bottle on 4th", "Daily Grind", "Starbucks - Main St", "Their cafeteria",
               "Corner Perk"],
    "drinks": ["Tap House", "The Anchor", "Hotel bar", "Brick & Barrel"],
    "golf": ["Fox Run Golf Club", "Hogan Park", "Cedar Ridge CC"],
    "game": ["Stadium - company seats", "Arena suite 214", "Ballpark, section 112"],
    "dinner": ["Ember Steakhouse", "Marlowe", "Saffron Table"],
    "zoom": ["Zoom", "Zoom", "Microsoft Teams"],
    "mtg": ["{acct} HQ", "{acct} - main office", "{acct} HQ, 3rd floor conf room"],
}
EVENT_DUR = {"lunch": 90, "coffee": 45, "drinks": 120, "golf": 270, "game": 210, "dinner": 150,
             "zoom": 45, "mtg": 60}
EVENT_HOUR = {"lunch": 16, "coffee": 14, "drinks": 22, "golf": 14, "game": 23, "dinner": 23,
              "zoom": 15, "mtg": 15}
TASK_KINDS = {"call", "callin", "vm", "email", "emailin", "task"}


def add_activity(opp: dict, ago: int, kind: str, who: str, subject: str, desc: str,
                 what: str | None = None) -> None:
    d = day(ago)
    future = d > AS_OF
    owner = UID[opp["owner"]]
    what_id = what or opp["id"]
    who_id = CID[who] if who else ""
    if kind in TASK_KINDS:
        sub = {"call": "Call", "callin": "Call", "vm": "Call", "email": "Email",
               "emailin": "Email", "task": "Task"}[kind]
        calltype = {"call": "Outbound", "vm": "Outbound", "callin": "Inbound"}.get(kind, "")
        dur = ""
        if kind == "vm":
            dur = str(rng.randint(25, 70))
        elif kind in ("call", "callin"):
            dur = str(rng.randint(5, 40) * 60 + rng.randint(0, 59))
        created = AS_OF - timedelta(days=rng.randint(3, 12)) if future else d
        TASKS.append([
            "", who_id, what_id, subject, d.isoformat(),
            "Not Started" if future else "Completed",
            "High" if (future and rng.random() < 0.3) else "Normal", owner, desc,
            "false" if future else "true", dt(created), calltype, dur, sub,
        ])
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
        EVENTS.append(["", who_id, what_id, subject, d.isoformat(), start, end, str(minutes),
                       owner, desc, loc, "Event"])


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

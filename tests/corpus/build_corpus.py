#!/usr/bin/env python3
"""Build the hand-labelled dealnudge evaluation corpus.

Stdlib only, deterministic (no clock, fixed seeds). Writes two Salesforce-API
format exports next to this file:

  acme/    AS_OF 2026-06-15, includes OpportunityHistory.csv
  globex/  AS_OF 2026-03-02, no OpportunityHistory.csv

Every deal is a hand-written scenario (see ACME_DEALS / GLOBEX_DEALS below):
its notes are written out in full and its labels are the author's judgement
against the pattern definitions.  Only dates and ids are computed.  The one
exception is ``stalled-in-stage`` in acme, which is defined relative to the
export's own median time-in-stage, so it is derived from the generated
OpportunityHistory (every stalled deal is far from the threshold; the script
asserts a safety margin so no label sits on the boundary).

Date convention in scenarios: integers are "days before AS_OF" (negative =
in the future).  Activity tuples are (ago, kind, who, subject, description)
with kind one of:
  em   outbound email (Task/Email)        emi  inbound email (Task/Email)
  co   outbound call (Task/Call Outbound) ci   inbound call (Task/Call Inbound)
  t    completed task (Task/Task)         ev   meeting/event (Event)
  ft   future open task (Not Started)     ot   overdue open task (Not Started, past)
who is an index into the deal's contacts list, or None.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import random
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))

STAGES = [
    "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
    "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
    "Negotiation/Review",
]
AUTHORITY_WORDS = ("vp", "vice president", "chief", "ceo", "cfo", "coo", "cto",
                   "cio", "director", "head of", "owner", "founder", "president")
AUTHORITY_ROLES = ("Economic Buyer", "Decision Maker", "Executive Sponsor")


def C(first, last, title, role="Influencer"):
    return {"first": first, "last": last, "title": title, "role": role}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def sfid(prefix, tag, n):
    return f"{prefix}{tag}{n:010d}AAA"


def day(as_of, ago):
    return as_of - dt.timedelta(days=ago)


def dtime(d, hour, minute=0, sec=0):
    return f"{d.isoformat()}T{hour:02d}:{minute:02d}:{sec:02d}.000+0000"


def email_of(first, last, domain):
    return f"{first.lower()}.{last.lower().replace(' ', '').replace(chr(39), '')}@{domain}"


def domain_of(acct):
    base = "".join(ch for ch in acct.lower() if ch.isalnum())[:18]
    return base + ".example.com"


def auto_history(sc):
    """History rows (ago, stage, close_ago, amount) for a scenario without an
    explicit ``hist``: Prospecting at creation, evenly through earlier stages,
    current stage entered ``since`` days ago (closed deals: closed on close)."""
    created, close, amt = sc["created"], sc["close"], sc["amt"]
    stage = sc["stage"]
    if stage in ("Closed Won", "Closed Lost"):
        reached = sc.get("reached", "Negotiation/Review" if stage == "Closed Won" else "Proposal/Price Quote")
        idx = STAGES.index(reached)
        end = close
    else:
        idx = STAGES.index(stage)
        end = sc.get("since", max(created // 3, 1))
    rows = []
    if idx == 0:
        rows.append((created, STAGES[0], close, amt))
    else:
        span = created - end
        for i in range(idx):
            rows.append((created - round(span * i / idx), STAGES[i], close, amt))
        rows.append((end, STAGES[idx], close, amt))
    if stage in ("Closed Won", "Closed Lost"):
        rows.append((close, stage, close, amt))
    return rows


# ==========================================================================
# ACME  (AS_OF 2026-06-15, with OpportunityHistory)
# ==========================================================================
ACME_AS_OF = dt.date(2026, 6, 15)
ACME_USERS = [
    # name, title, is_manager
    ("Jordan Pike", "Account Executive", False),
    ("Marisol Reyes", "Senior Account Executive", False),
    ("Tom Hadley", "Account Executive", False),
    ("Aisha Karim", "Account Executive", False),
    ("Ben Okafor", "Enterprise Account Executive", False),
    ("Claire Dunmore", "Regional Sales Director", True),
]

RWP, NRN, WAIT, ST, SLIP, STALL, OWC, NNS, CONV, DROP = (
    "relationship-without-progress", "no-recognized-need", "waiting-on-someone-else",
    "single-threaded", "close-date-slipping", "stalled-in-stage", "one-way-chasing",
    "no-next-step", "convincing-mode", "dropped-when-not-ready")

ACME_DEALS = [
    # ---------------------------------------------------------------- A01
    dict(acct="Brightwell Sales Training", ind="Education", name="Brightwell - Enablement Platform",
         stage="Qualification", amt=24000, created=205, since=175, close=-40, ns="", rep=0,
         contacts=[C("Kevin", "Marsh", "Sales Ops Coordinator", "Influencer"),
                   C("Gerry", "Lambert", "VP Sales", "Economic Buyer")],
         acts=[
             (180, "ev", 0, "Lunch w/ Kevin", "Lunch at Rosa's. Kevin really likes the platform, says the team would love it. Boss (Gerry) not sold yet."),
             (150, "co", 0, "Call", "Quick catch up w/ Kevin. Nothing new, he's going to mention us to Gerry again."),
             (121, "ev", 0, "Coffee", "coffee w Kevin nr their office. Chatted about his kid's soccer season mostly. Still waiting on Gerry."),
             (95, "em", 0, "Email: checking in", "Hi Kevin - just checking in, hope all's well! Let me know if anything changes on your end."),
             (70, "ev", 0, "Drinks after work", "Drinks w/ Kevin + 2 of his reps. Gerry says they're hitting their numbers so why fix something that isn't broken. Kevin asked if WE could call Gerry and convince him."),
             (41, "t", 0, "Sent birthday card", "Sent Kevin a birthday card + Starbucks gift card"),
             (19, "co", 0, "Call", "Touched base w Kevin, all good, no change. Gerry still thinks they're doing ok."),
         ],
         labels=[RWP, NRN, WAIT, ST, NNS],
         why="Seed-000 story: 6 months of lunches with a coordinator whose VP says they're fine; VP in OCR but never engaged."),
    # ---------------------------------------------------------------- A02
    dict(acct="Harlow Manufacturing", ind="Manufacturing", name="Harlow - MES Upgrade",
         stage="Needs Analysis", amt=88000, created=262, close=-45,
         ns="Keep warm - catch up after Q3 shutdown", rep=1,
         hist=[(262, "Prospecting", 170), (230, "Qualification", 170), (195, "Needs Analysis", 170),
               (140, "Needs Analysis", 100), (80, "Needs Analysis", 30), (25, "Needs Analysis", -45)],
         contacts=[C("Dave", "Brennan", "Plant Manager", "Business User"),
                   C("Sue", "Kimura", "IT Analyst", "Evaluator")],
         acts=[
             (190, "ev", 0, "Plant walk + discovery", "Walked the line with Dave and Sue. 3 legacy MES instances, lots of paper travellers. Dave keen."),
             (160, "ev", 0, "Dinner - Chicago Cut", "Dave loved the steak place, nothing new on the project."),
             (131, "ev", 0, "Golf - Medinah", "Golf day with Dave. Great weather. He says project is 'on the list'."),
             (110, "co", 1, "Call", "Checked in w/ Sue, she hasn't heard anything either."),
             (88, "t", 0, "Cubs tickets", "Dropped off 2 Cubs tix for Dave + his son."),
             (62, "em", 0, "Email: hey", "Hey Dave, hope the boy enjoyed the game! Any news on timing? No rush."),
             (40, "ev", 0, "Lunch", "lunch w Dave, talked fishing trip. project still parked, nothing changed"),
             (15, "co", 0, "Call", "quick call, just saying hi. all good at Harlow."),
         ],
         labels=[RWP, SLIP],
         why="Steak/golf/tickets for 6 months, Needs Analysis since Dec, close date pushed 3x with no stage change."),
    # ---------------------------------------------------------------- A03
    dict(acct="Cobalt Dental Group", ind="Healthcare", name="Cobalt Dental - Patient Scheduling",
         stage="Value Proposition", amt=31000, created=150, since=95, close=-20,
         ns="Send updated pricing", rep=2,
         contacts=[C("Linda", "Osei", "Practice Manager", "Business User"),
                   C("Raj", "Patel", "Owner & Principal Dentist", "Decision Maker")],
         acts=[
             (140, "co", 0, "Discovery call", "Linda walked me through their booking flow. 4 sites, front desk books by phone into Dentrix."),
             (118, "ev", 1, "Demo", "Demo to Linda + Dr Patel. Polite. Dr P left after 15 min."),
             (100, "co", 0, "F/U call", "She says the current tool does the job and they're not losing patients over it. Not a priority tbh."),
             (84, "em", 0, "Email: case study - Smile Partners", "Sent Smile Partners case study (31% fewer no-shows)."),
             (61, "em", 0, "Email: ROI calculator", "Sent over the ROI calculator pre-filled with their 4 sites."),
             (38, "em", 0, "Email: pricing options", "Sent pricing sheet w/ 3 tiers + a 10% multi-site discount."),
             (12, "em", 0, "Email: new feature!", "Sent the new online-booking widget one-pager, thought Linda might like it."),
         ],
         labels=[NRN, CONV],
         why="Buyer said current tool does the job / not a priority; rep responds with 4 sends in 90d, no buyer-side work."),
    # ---------------------------------------------------------------- A04
    dict(acct="Pemberton Foods", ind="Food & Beverage", name="Pemberton - AP Automation",
         stage="Value Proposition", amt=56000, created=128, since=40, close=-75,
         ns="Wait for FY27 budget cycle (Oct)", rep=3,
         contacts=[C("Nikhil", "Rao", "AP Analyst", "Evaluator"),
                   C("Joanne", "Fitch", "Accounts Payable Manager", "Influencer")],
         acts=[
             (120, "co", 1, "Intro call", "Joanne - 9k invoices/mo, 3 FTE keying. Interested."),
             (98, "ev", 1, "Demo", "Demo to Joanne + Nikhil. Liked the 3-way match."),
             (72, "ev", 0, "Working session", "Nikhil sent sample invoices, we ran them through OCR, 94% straight through."),
             (40, "co", 1, "Call", "Joanne: they can't move without Finance blessing it and the controller won't look at new spend until the FY27 budget round in October."),
             (12, "em", 0, "Email: sample results", "Sent Nikhil the summary of the OCR results to keep handy for the budget pack."),
         ],
         labels=[WAIT],
         why="Needs Finance/controller blessing and next-FY budget; only AP analyst and AP manager ever engaged."),
    # ---------------------------------------------------------------- A05
    dict(acct="Quillon Insurance", ind="Insurance", name="Quillon - Claims Portal",
         stage="Proposal/Price Quote", amt=142000, created=160, since=52, close=-30,
         ns="Get feedback on proposal", rep=4,
         contacts=[C("Harriet", "Cole", "Director of Claims Operations", "Decision Maker"),
                   C("Sam", "Whitlock", "Claims Systems Manager", "Evaluator")],
         acts=[
             (120, "ev", 0, "Discovery workshop", "Workshop with Harriet's team, mapped FNOL to settlement. Agreed 3 success metrics."),
             (80, "ev", 1, "Technical deep dive", "Sam + 2 architects, integration with Guidewire. Security questionnaire received."),
             (58, "ev", 0, "Proposal walkthrough", "Walked Harriet + Sam through proposal. Harriet: 'looks about right, let us digest'."),
             (44, "em", 0, "Email: Quillon proposal - any questions?", "Following up on the proposal, happy to go through any questions."),
             (33, "co", 0, "Call", "VM for Harriet."),
             (23, "em", 1, "Email: RE: proposal", "Sam - any feedback from Harriet? Anything I can clarify?"),
             (8, "em", 0, "Email: quick nudge", "Hi Harriet, bumping this up your inbox. Would a 15 min call help?"),
         ],
         labels=[OWC],
         why="Four outbound follow-ups over 36 days since proposal walkthrough, no reply."),
    # ---------------------------------------------------------------- A06
    dict(acct="Tandem Robotics", ind="Manufacturing", name="Tandem - Vision QA",
         stage="Needs Analysis", amt=67000, created=110, since=60, close=-60,
         ns="Send 15% discount offer", rep=0,
         contacts=[C("Felix", "Brandt", "CTO", "Decision Maker"),
                   C("Ines", "Moreau", "Quality Engineer", "Evaluator")],
         acts=[
             (100, "ev", 0, "Intro meeting", "Felix + Ines. Defect escape rate on line 2 is hurting them."),
             (85, "em", 0, "Email: Tandem - overview deck", "Sent our overview deck + 2 vision QA videos."),
             (64, "em", 1, "Email: case study", "Sent Ines the Kessler Automotive case study."),
             (47, "emi", 1, "RE: case study", "Ines: thanks, pretty swamped this month, will have a look."),
             (30, "em", 1, "Email: more info on the API", "Sent more info on the REST API and the edge box specs."),
             (9, "em", 0, "Email: pricing", "Sent Felix pricing for 2 lines, mentioned we could do 15% off this quarter."),
         ],
         labels=[CONV],
         why="4 pitch/material sends in 90 days, buyer only says 'swamped, will look'; no buyer-side work."),
    # ---------------------------------------------------------------- A07
    dict(acct="Ferris & Lowe LLP", ind="Legal", name="Ferris & Lowe - Document Management",
         stage="Needs Analysis", amt=45000, created=122, since=100, close=-10, ns="", rep=1,
         contacts=[C("Margaret", "Ferris", "Managing Partner", "Decision Maker"),
                   C("Colin", "Shaw", "IT Manager", "Evaluator")],
         acts=[
             (115, "co", 1, "Intro", "Colin - drowning in shared drives, 40 fee earners."),
             (97, "ev", 0, "Discovery", "Met Margaret + Colin. Good convo about matter-centric filing."),
             (64, "co", 0, "Call", "Margaret: maybe next year - partners need to think about it, lots going on with the office move."),
         ],
         labels=[DROP, NNS],
         why="Partner hesitated ('maybe next year, need to think') 64 days ago; rep logged nothing since; no next step."),
    # ---------------------------------------------------------------- A08
    dict(acct="Alder Veterinary Partners", ind="Healthcare", name="Alder Vets - Practice Mgmt Suite",
         stage="Value Proposition", amt=39000, created=140, since=70, close=-90,
         ns="Re-engage after reorg", rep=2,
         contacts=[C("Fiona", "McLeod", "Group Operations Manager", "Influencer"),
                   C("Tariq", "Haddad", "Chief Operating Officer", "Economic Buyer")],
         acts=[
             (130, "ev", 0, "Discovery", "Fiona - 7 clinics on 3 different PMS. Consolidation wanted."),
             (100, "ev", 1, "Exec meeting", "Tariq joined, likes the consolidated reporting."),
             (75, "ev", 0, "Demo for clinic leads", "Demo to 5 clinic leads, good questions on lab integrations."),
             (47, "co", 0, "Call", "Fiona: timing isn't right, they're being bought by a bigger group, they'll look again after the reorg."),
         ],
         labels=[DROP],
         why="Buyer said timing isn't right/after the reorg 47 days ago; no activity since (NextStep text exists)."),
    # ---------------------------------------------------------------- A09
    dict(acct="Greyling Logistics", ind="Transportation", name="Greyling - Route Optimisation",
         stage="Value Proposition", amt=52000, created=72, since=20, close=-50,
         ns="Amy to share Q1 shipment data", rep=3,
         contacts=[C("Amy", "Lin", "Transport Analyst", "Evaluator"),
                   C("Roger", "Pike", "VP Operations", "Economic Buyer")],
         acts=[
             (68, "co", 0, "Intro call", "Amy inbound from webinar. 120 vans, manual routing in Excel."),
             (55, "ev", 0, "Discovery", "Deep dive w/ Amy on depots and time windows."),
             (41, "emi", 0, "RE: sample data", "Amy sent a week of drops as CSV."),
             (30, "ev", 0, "Results review", "Showed Amy 11% mileage saving on her sample week. She's impressed."),
             (18, "em", 0, "Email: summary", "Sent Amy the results summary she asked for to share internally."),
             (6, "co", 0, "Call", "Amy pulling a full quarter of data. Asked whether Roger has seen the numbers - she'll 'get to it'."),
         ],
         labels=[ST],
         why="Progressing technically but 6 activities all with one analyst; VP Ops listed in roles yet never engaged."),
    # ---------------------------------------------------------------- A10
    dict(acct="Juniper Health", ind="Healthcare", name="Juniper Health - Staff Rostering",
         stage="Perception Analysis", amt=74000, created=95, since=15, close=-40, ns="", rep=4,
         contacts=[C("Grace", "Adeyemi", "Head of Workforce", "Decision Maker"),
                   C("Lee", "Chan", "Rostering Coordinator", "Business User")],
         acts=[
             (90, "co", 0, "Intro", "Grace - agency spend up 30% YoY, rostering in spreadsheets."),
             (60, "ev", 0, "Workshop", "Workshop w/ Grace, Lee and 2 ward managers. Mapped current rota process."),
             (33, "ev", 1, "Trial setup", "Set up sandbox for Lee, loaded 2 wards."),
             (8, "ev", 0, "Trial review", "Grace + Lee reviewed trial. Positive, want to discuss with HR."),
         ],
         labels=[NNS],
         why="Healthy buyer-side work, but NextStep blank and nothing scheduled after AS_OF (mechanical no-next-step)."),
    # ---------------------------------------------------------------- A11
    dict(acct="Stroud & Pike Architects", ind="Professional Services", name="Stroud & Pike - Project Accounting",
         stage="Qualification", amt=28000, created=190, since=160, close=-30, ns="", rep=2,
         contacts=[C("Hugo", "Stroud", "Partner", "Influencer"),
                   C("Bea", "Nolan", "Office Manager", "Business User")],
         acts=[
             (170, "ev", 0, "Coffee", "Coffee w/ Hugo at Monmouth. He's a big fan of good design in software, ha."),
             (140, "em", 0, "Email: brochure", "Sent Hugo our brochure as promised."),
             (125, "ev", 0, "Cricket - Lord's", "Took Hugo + Bea to the Test at Lord's. Rain delays, lots of Pimm's."),
             (112, "ev", 0, "Drinks", "Drinks at the Ship w/ Hugo. Nothing new re the project, practice is busy."),
             (95, "co", 0, "Call", "catching up, nothing new. hugo fine."),
             (80, "em", 1, "Email: case study", "Sent Bea the Fielding Architects case study."),
             (55, "co", 0, "Call", "Just checking in, all fine."),
             (35, "em", 0, "Email: updated deck", "Sent v3 of the deck w/ the new resourcing module."),
             (14, "em", 0, "Email: pricing + offer", "Sent pricing + 2 months free if they sign by July."),
             (5, "ev", 0, "Lunch", "Lunch with Hugo, he's off to Lisbon on hols. Project 'still on the radar'."),
         ],
         labels=[RWP, CONV, NNS],
         why="Coffees/drinks/lunch and check-ins for 6 months alongside repeated sends; no buyer work; no next step."),
    # ---------------------------------------------------------------- A12
    dict(acct="Meridian Bank", ind="Financial Services", name="Meridian - KYC Orchestration",
         stage="Negotiation/Review", amt=310000, created=300, close=-30,
         ns="Chase legal on MSA redlines",  rep=4,
         hist=[(300, "Prospecting", 180), (270, "Qualification", 180), (240, "Needs Analysis", 180),
               (205, "Value Proposition", 180), (180, "Id. Decision Makers", 150), (160, "Proposal/Price Quote", 120),
               (135, "Negotiation/Review", 90), (90, "Negotiation/Review", 45), (44, "Negotiation/Review", 10),
               (9, "Negotiation/Review", -30)],
         contacts=[C("Oliver", "Grant", "Head of Financial Crime Technology", "Executive Sponsor"),
                   C("Nadia", "Kovacs", "Procurement Manager", "Influencer"),
                   C("Paul", "Ibe", "Senior Counsel", "Influencer")],
         acts=[
             (130, "ev", 0, "Commercials", "Agreed commercials in principle with Oliver."),
             (110, "em", 1, "Email: MSA draft", "Sent Nadia our MSA + DPA."),
             (85, "emi", 2, "RE: MSA", "Paul sent first redlines - liability cap + audit rights."),
             (60, "ev", 2, "Legal call", "Call with Paul, closed 9 of 14 points."),
             (38, "co", 1, "Call", "Nadia: legal backlog, 2nd round redlines 'next week'."),
             (20, "emi", 2, "RE: MSA v2", "Paul returned v2, still open on liability cap."),
             (6, "co", 0, "Call", "Oliver still committed, escalating the cap issue to their GC."),
         ],
         labels=[SLIP],
         why="In Negotiation since Feb; close date pushed 3 times with no stage movement (legal still grinding)."),
    # ---------------------------------------------------------------- A13
    dict(acct="Oakridge School District", ind="Education", name="Oakridge USD - LMS Rollout",
         stage="Value Proposition", amt=61000, created=100, since=50, close=-70,
         ns="Board meeting Aug 20", rep=0,
         contacts=[C("Marcus", "Bell", "Instructional Technology Coordinator", "Influencer")],
         acts=[
             (95, "co", 0, "Intro call", "Marcus - 14 schools, teachers using 3 different tools."),
             (77, "ev", 0, "Demo", "Demo for Marcus. Loved the gradebook sync."),
             (52, "ev", 0, "Follow up", "Went thru pricing w Marcus. He says any purchase over 50k needs board approval, next board mtg is August."),
             (30, "em", 0, "Email: board pack", "Sent Marcus a one-pager he can use for the board."),
             (10, "co", 0, "Call", "Marcus will try to get it on the Aug agenda, superintendent hasn't seen it yet."),
         ],
         labels=[WAIT, ST],
         why="Needs board approval; only a coordinator ever engaged across 5 activities / 100 days."),
    # ---------------------------------------------------------------- A14
    dict(acct="Wren Hospitality", ind="Hospitality", name="Wren Hotels - Revenue Mgmt",
         stage="Needs Analysis", amt=47000, created=118, since=75, close=-15, ns="", rep=1,
         contacts=[C("Sofia", "Marquez", "Revenue Manager", "Business User"),
                   C("Jon", "Bakker", "Director of Finance", "Economic Buyer")],
         acts=[
             (110, "ev", 0, "Discovery", "Sofia + Jon. Manually pricing 6 hotels."),
             (78, "ev", 0, "Demo", "Demo'd the pricing engine to Sofia."),
             (42, "co", 1, "Call", "Jon: honestly we're fine for now, RevPAR is ahead of plan, not a priority this year - maybe next year."),
         ],
         labels=[NRN, DROP, NNS],
         why="Finance director says they're fine / not a priority / maybe next year; rep silent 42 days; no next step."),
    # ---------------------------------------------------------------- A15
    dict(acct="Kestrel Aerospace", ind="Aerospace", name="Kestrel - Supplier Portal",
         stage="Perception Analysis", amt=93000, created=140, since=45, close=-25, ns="", rep=3,
         contacts=[C("Brian", "Doyle", "Supply Chain Manager", "Evaluator"),
                   C("Elaine", "Ross", "VP Procurement", "Economic Buyer")],
         acts=[
             (120, "ev", 1, "Discovery", "Elaine + Brian, 300 suppliers, POs by email."),
             (75, "ev", 0, "Demo", "Full demo for Brian + 3 buyers. Good engagement."),
             (50, "ev", 0, "Solution review", "Reviewed fit gaps w/ Brian. He'll take it to Elaine."),
             (40, "em", 0, "Email: next steps?", "Brian - how did it go with Elaine? Happy to join."),
             (31, "co", 0, "Call", "left VM"),
             (20, "em", 1, "Email: checking in", "Elaine, wanted to see if you'd had a chance to review? Any questions just shout."),
             (11, "em", 0, "Email: bumping this", "Bumping this to the top of your inbox :)"),
         ],
         labels=[OWC, NNS],
         why="4 follow-ups over 29 days, last 11 days ago, no reply; NextStep blank, nothing scheduled."),
    # ---------------------------------------------------------------- A16
    dict(acct="Bellamy Construction", ind="Construction", name="Bellamy - Project Controls",
         stage="Id. Decision Makers", amt=120000, created=250, since=190, close=-60,
         ns="Stay close to Mike", rep=4,
         contacts=[C("Mike", "Sorensen", "Head of Projects", "Decision Maker"),
                   C("Tanya", "Lowe", "Project Controls Analyst", "Evaluator")],
         acts=[
             (175, "ev", 0, "Lunch", "Lunch with Mike - Hawksmoor. Talked about the new stadium bid."),
             (150, "ev", 0, "Golf day", "Our customer golf day, Mike came with Tanya. Good fun."),
             (120, "co", 0, "Call", "Checking in, nothing to report. Mike busy with the bid."),
             (95, "t", 0, "Birthday", "Sent Mike a bottle of Rioja for his 50th."),
             (70, "em", 0, "Email: catching up", "Hi Mike, long time! Fancy a pint next week?"),
             (58, "ev", 0, "Pint", "Pint w/ Mike at the Lamb. He says project controls is still 'on the list'."),
             (30, "em", 0, "Email: Wimbledon", "Invited Mike to our Wimbledon hospitality on 1 July."),
             (12, "co", 0, "Call", "Mike confirmed Wimbledon. Didn't get into the project."),
         ],
         labels=[RWP],
         why="Eight months of lunches, golf, birthday wine, Wimbledon; stage unchanged since Dec; no buyer-side work."),
    # ---------------------------------------------------------------- A17
    dict(acct="Osprey Media", ind="Media", name="Osprey - DAM Platform",
         stage="Value Proposition", amt=38000, created=98, since=55, close=-35,
         ns="Send ROI calc", rep=0,
         contacts=[C("Lara", "Quinn", "Content Operations Manager", "Influencer"),
                   C("Rob", "Hale", "Head of Digital", "Decision Maker")],
         acts=[
             (97, "ev", 1, "Intro", "Rob + Lara, assets scattered across Dropbox + Box."),
             (92, "ev", 0, "Demo", "Demo to Lara. Said she'd review with Rob."),
             (44, "em", 0, "Email: deck from today", "Sent the deck from the demo + video walkthrough."),
             (34, "em", 0, "Email: case study", "Sent the Halcyon Press case study, relevant for publishing workflows."),
             (22, "co", 0, "Call", "Left a VM for Lara, no answer."),
             (9, "em", 1, "Email: pricing", "Sent Rob pricing and a 10% early signature discount."),
         ],
         labels=[CONV, OWC],
         why="Deck/case study/pricing+discount with no reply since demo; 4 outbound over 35 days."),
    # ---------------------------------------------------------------- A18
    dict(acct="Thistle Housing Association", ind="Non-profit", name="Thistle HA - Repairs Scheduling",
         stage="Needs Analysis", amt=42000, created=210, since=150, close=-20, ns="", rep=2,
         contacts=[C("Morag", "Dunlop", "Housing Officer", "Business User"),
                   C("Iain", "Fraser", "Repairs Coordinator", "Influencer")],
         acts=[
             (165, "ev", 0, "Lunch", "Lunch with Morag in Glasgow. Lovely, chatted about her allotment."),
             (140, "co", 1, "Call", "Catch-up with Iain, nothing new."),
             (110, "ev", 0, "Coffee", "Coffee with Morag. Needs sign-off from the Chief Exec, won't be before the new financial year."),
             (82, "t", 0, "Christmas card", "Xmas card + shortbread to Morag and Iain (late, oops)"),
             (60, "co", 0, "Call", "Just touching base. Morag still hopes to raise it with the Chief Exec."),
             (25, "ev", 0, "Lunch", "Lunch with Morag + Iain. Nice to see them, no update on the project."),
         ],
         labels=[RWP, WAIT, NNS],
         why="Lunches/coffees/cards for 7 months; needs Chief Exec sign-off, only officer/coordinator engaged; no next step."),
    # ---------------------------------------------------------------- A19
    dict(acct="Vantage Retail", ind="Retail", name="Vantage - POS Analytics",
         stage="Proposal/Price Quote", amt=84000, created=170, close=-20,
         ns="Reference call with Hollis Stores", rep=3,
         hist=[(170, "Prospecting", 60), (150, "Qualification", 60), (130, "Needs Analysis", 60),
               (110, "Value Proposition", 60), (95, "Proposal/Price Quote", 60), (58, "Proposal/Price Quote", 30),
               (27, "Proposal/Price Quote", -20)],
         contacts=[C("Derek", "Amos", "Director of Retail Systems", "Decision Maker"),
                   C("Kim", "Park", "BI Analyst", "Evaluator")],
         acts=[
             (105, "ev", 0, "Value workshop", "Workshop w/ Derek + store ops, agreed shrink + labour KPIs."),
             (92, "em", 0, "Email: proposal", "Sent proposal v1."),
             (60, "co", 0, "Call", "Derek: budget holder on leave, push a month."),
             (29, "co", 0, "Call", "Derek: still reviewing, pushing to July."),
             (10, "emi", 1, "RE: references", "Kim asked for two retail references."),
         ],
         labels=[SLIP],
         why="Close date pushed twice (May -> June -> July) while parked in Proposal."),
    # ---------------------------------------------------------------- A20
    dict(acct="Lumen Architects", ind="Professional Services", name="Lumen - BIM Collaboration",
         stage="Proposal/Price Quote", amt=33000, created=112, since=40, close=-10,
         ns="Wait for them to come back", rep=1,
         contacts=[C("Hannah", "Berg", "Studio Director", "Decision Maker"),
                   C("Otto", "Vance", "BIM Manager", "Evaluator")],
         acts=[
             (105, "ev", 1, "Discovery", "Otto - models shared via WeTransfer, version chaos."),
             (80, "ev", 1, "Pilot kickoff", "2-week pilot with Otto's team on the library project."),
             (55, "ev", 0, "Pilot review", "Hannah + Otto, pilot went well."),
             (40, "em", 0, "Email: proposal", "Sent the proposal to Hannah."),
             (34, "co", 0, "Call", "Hannah: we need to think about it, cash is tight this quarter."),
         ],
         labels=[DROP],
         why="Buyer 'need to think about it' 34 days ago, then nothing logged."),
    # ---------------------------------------------------------------- A21
    dict(acct="Palisade Outdoor", ind="Retail", name="Palisade - Loyalty App",
         stage="Needs Analysis", amt=26000, created=66, since=40, close=-60, ns="", rep=0,
         contacts=[C("Chloe", "Ward", "Marketing Manager", "Business User")],
         acts=[
             (62, "co", 0, "Intro", "Chloe - wants a points app before winter season."),
             (47, "ev", 0, "Discovery", "Discovery w Chloe, current loyalty is paper stamp cards (!)"),
             (30, "em", 0, "Email: recap", "Recap of discovery + our approach."),
             (13, "co", 0, "Call", "Chloe liked the recap, will 'circle back' on timing."),
         ],
         labels=[ST, NNS],
         why="66-day-old deal, 4 activities all with a marketing manager only; NextStep empty, nothing scheduled."),
    # ---------------------------------------------------------------- A22
    dict(acct="Corvid Analytics", ind="Technology", name="Corvid - Finance Close Automation",
         stage="Value Proposition", amt=58000, created=130, since=38, close=-45,
         ns="Demo reconciliation module to Ravi", rep=3,
         contacts=[C("Ravi", "Menon", "Financial Controller", "Influencer"),
                   C("Ellie", "Stone", "Senior Accountant", "Business User")],
         acts=[
             (120, "co", 0, "Intro", "Ravi picked up our cold call. 8 day close."),
             (95, "ev", 0, "Discovery", "Ravi + Ellie. Honestly the spreadsheet works for them, nobody's complaining about the close."),
             (70, "ev", 1, "Coffee", "Coffee with Ellie. Nice, she's doing her CIMA exams."),
             (38, "ev", 0, "Demo", "Demo - polite interest. Ravi: 'we're not really feeling pain here'."),
             (16, "co", 0, "Call", "Ravi OK to see recon module, no urgency."),
             (-9, "ev", 0, "Demo - recon module", "Scheduled"),
         ],
         labels=[NRN],
         why="Spreadsheet works, nobody complaining, 'not feeling pain'; nothing since shows a recognised need."),
    # ---------------------------------------------------------------- A23
    dict(acct="Silverline Pharmacy", ind="Healthcare", name="Silverline - Inventory Mgmt",
         stage="Value Proposition", amt=49000, created=145, since=80, close=-30, ns="", rep=4,
         contacts=[C("Owen", "Price", "Pharmacy Operations Coordinator", "Influencer"),
                   C("Joy", "Mensah", "Regional Director", "Economic Buyer")],
         acts=[
             (135, "co", 0, "Intro", "Owen - 22 branches, stock-outs on fridge lines."),
             (125, "em", 0, "Email: intro pack", "Sent Owen the intro pack + pharmacy references."),
             (110, "ev", 0, "Demo", "Demo to Owen."),
             (70, "co", 0, "Follow-up call", "Owen needs to wait for his director's OK before a trial, hasn't had chance to speak to Joy yet. Maybe next quarter."),
         ],
         labels=[WAIT, ST, DROP, NNS],
         why="Waiting for director OK ('maybe next quarter'); only coordinator engaged; rep silent 70 days; no next step."),
    # ---------------------------------------------------------------- A24
    dict(acct="Hollybrook Insurance Brokers", ind="Insurance", name="Hollybrook - CRM Migration",
         stage="Perception Analysis", amt=72000, created=120, since=50, close=-40,
         ns="Offer 20% if signed by EOQ", rep=1,
         contacts=[C("Stuart", "Fenn", "Operations Director", "Decision Maker"),
                   C("Amara", "Obi", "CRM Administrator", "Evaluator")],
         acts=[
             (112, "ev", 0, "Discovery", "Stuart + Amara, 12 yr old CRM, brokers hate it."),
             (100, "ev", 1, "Tech review", "Amara's data export review - 1.2m records, mapping doc agreed."),
             (60, "em", 0, "Email: product roadmap", "Fwd'd Stuart the roadmap doc and new mobile app one-pager."),
             (45, "ev", 0, "Feature demo", "Walked Stuart through the v5 release features again."),
             (28, "em", 0, "Email: customer video", "Sent the Brightside Brokers customer video."),
             (11, "em", 0, "Email: EOQ offer", "Offered 20% off list if signed by 30 June."),
         ],
         labels=[CONV],
         why="Roadmap, feature re-demo, customer video, discount inside 90 days; last buyer-side work was 100 days ago."),
]

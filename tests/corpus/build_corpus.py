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
         stage="Needs Analysis", amt=67000, created=110, since=45, close=-60,
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
         stage="Value Proposition", amt=39000, created=140, since=50, close=-90,
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
    # ---------------------------------------------------------------- A25
    dict(acct="Northgate Utilities", ind="Utilities", name="Northgate - Field Service Mobility",
         stage="Id. Decision Makers", amt=135000, created=260, since=165, close=-60,
         ns="Map approval chain with Priyanka", rep=4,
         contacts=[C("Priyanka", "Shah", "Field Ops Programme Manager", "Influencer"),
                   C("Alan", "Kerr", "Director of Field Operations", "Decision Maker"),
                   C("Greg", "Tully", "IT Architect", "Evaluator")],
         acts=[
             (150, "ev", 0, "Stakeholder mapping", "Priyanka listed 6 people who need to agree. Alan is sponsor but wants union rep consulted."),
             (120, "ev", 2, "Architecture review", "Greg's review of offline sync. Passed with 2 actions."),
             (90, "ev", 1, "Sponsor check-in", "Alan supportive but the union consultation hasn't started."),
             (62, "co", 0, "Call", "Priyanka: union consultation scheduled 'sometime in summer'."),
             (33, "ev", 0, "Planning", "Went through consultation pack w/ Priyanka. Still no date."),
             (7, "em", 0, "Email: consultation pack v2", "Sent updated consultation FAQ Priyanka asked for."),
         ],
         labels=[],
         why="Substantive multi-threaded work but parked in Id. Decision Makers for 165 days (stalled label derived from history)."),
    # ---------------------------------------------------------------- A26
    dict(acct="Rowan Freight", ind="Transportation", name="Rowan Freight - TMS",
         stage="Proposal/Price Quote", amt=77000, created=150, since=45, close=-15,
         ns="Confirm decision date", rep=2,
         contacts=[C("Tom", "Ashby", "Logistics Manager", "Evaluator"),
                   C("Patricia", "Lord", "COO", "Economic Buyer")],
         acts=[
             (140, "ev", 0, "Discovery", "Tom - 40 carriers, tendering by phone."),
             (100, "ev", 1, "Exec session", "Patricia wants carrier scorecards, agreed business case outline."),
             (70, "ev", 0, "Workshop", "Tom + 4 planners built the tender flow in sandbox."),
             (46, "em", 1, "Email: proposal", "Sent proposal to Patricia + Tom."),
             (39, "em", 0, "Email: f/u", "f/u on proposal - any q's?"),
             (30, "emi", 0, "Automatic reply: Out of Office", "OOO autoreply - Tom away until 'the 20th'."),
             (21, "co", 0, "Call", "tried reaching Tom again - straight to VM"),
             (12, "em", 1, "Email: RE: proposal", "Patricia, keen to hear your thoughts when you get a sec."),
             (4, "co", 1, "Call", "Called Patricia's office, no answer, left msg w/ PA."),
         ],
         labels=[OWC],
         why="5 follow-ups over 35 days after proposal; only an out-of-office autoreply came back (not a buyer reply)."),
    # ---------------------------------------------------------------- A27
    dict(acct="Maple Street Credit Union", ind="Financial Services", name="Maple Street CU - Member Portal",
         stage="Value Proposition", amt=64000, created=180, since=90, close=-5, ns="", rep=3,
         contacts=[C("Denise", "Walsh", "Digital Services Manager", "Evaluator"),
                   C("Frank", "Oduya", "Chief Information Officer", "Decision Maker")],
         acts=[
             (170, "co", 0, "Intro", "Denise - member portal is 2014-era, app store rating 2.1."),
             (140, "ev", 0, "Discovery", "Denise + Frank. Frank worried about core banking integration."),
             (95, "ev", 1, "Integration review", "Frank's team validated the Symitar connector."),
             (55, "co", 0, "Call", "Denise: timing isn't right, core conversion is eating all of IT's bandwidth. Not ready before Q4."),
         ],
         labels=[DROP, NNS],
         why="'Timing isn't right / not ready' 55 days ago, nothing logged since, no next step."),
    # ---------------------------------------------------------------- A28
    dict(acct="Arden Hotels Group", ind="Hospitality", name="Arden - Procurement Suite",
         stage="Proposal/Price Quote", amt=98000, created=130, since=30, close=-30,
         ns="Priya to take proposal to CFO", rep=0,
         contacts=[C("Priya", "Bhatt", "Finance Manager", "Influencer"),
                   C("Leon", "Hart", "Purchasing Analyst", "Evaluator"),
                   C("Victoria", "Sayer", "CFO", "Economic Buyer")],
         acts=[
             (125, "co", 0, "Intro", "Priya: 14 hotels each buying separately."),
             (100, "ev", 1, "Spend analysis", "Leon shared 12 months of spend data. Savings est. 6-8%."),
             (70, "ev", 0, "Workshop", "Priya + Leon + 3 hotel GMs, approval workflow design."),
             (33, "em", 0, "Email: proposal", "Proposal sent to Priya."),
             (20, "co", 0, "Call", "Priya: CFO has final say, she'll socialise it with Victoria when she's back from the board offsite. Nothing we can do til then."),
         ],
         labels=[WAIT],
         why="Needs CFO approval; CFO is in contact roles but never in any activity."),
    # ---------------------------------------------------------------- A29
    dict(acct="Crestview Golf & Country Club", ind="Hospitality", name="Crestview - Membership Platform",
         stage="Qualification", amt=21000, created=230, since=200, close=-45,
         ns="Lunch at Nobu 24 Jun", rep=1,
         contacts=[C("Brad", "Keller", "General Manager", "Decision Maker"),
                   C("Tina", "Ruiz", "Membership Coordinator", "Business User")],
         acts=[
             (175, "ev", 0, "Round of golf", "18 holes w Brad, he won. Talked about membership churn briefly."),
             (150, "ev", 0, "Lunch", "Lunch at the club. Great crab cakes. No news."),
             (120, "co", 1, "Call", "checking in with Tina, all good"),
             (90, "ev", 0, "Drinks", "Brad's retirement party for old GM, good to show face."),
             (60, "ev", 0, "Golf", "another round, Brad says 'let's talk after the season'."),
             (28, "co", 0, "Call", "quick hello, set up lunch"),
             (-9, "ev", 0, "Lunch - Nobu", "Lunch with Brad."),
         ],
         labels=[RWP],
         why="Golf, lunches, parties for 6 months, stage unchanged since Nov; future lunch means NextStep/events exist."),
    # ---------------------------------------------------------------- A30
    dict(acct="Fenwick Components", ind="Manufacturing", name="Fenwick - Spend Analytics",
         stage="Needs Analysis", amt=36000, created=125, since=50, close=-30,
         ns="Follow up in Sept", rep=2,
         contacts=[C("Ryan", "Holt", "Procurement Analyst", "Evaluator")],
         acts=[
             (118, "co", 0, "Intro", "Ryan from trade show lead list."),
             (96, "ev", 0, "Discovery", "Ryan: says they're fine with their current vendor, contract just renewed for 2 yrs."),
             (72, "em", 0, "Email: comparison", "Sent Ryan a comparison sheet anyway."),
             (50, "co", 0, "Call", "Ryan: no appetite to switch, current setup works fine. Happy to stay in touch."),
             (18, "em", 0, "Email: hi", "Hi Ryan, hope summer's going well, let me know if anything changes."),
         ],
         labels=[NRN, ST],
         why="Happy with current vendor, no appetite to switch; 5 touches all with a procurement analyst."),
    # ---------------------------------------------------------------- A31
    dict(acct="Zephyr Airlines", ind="Aerospace", name="Zephyr - Crew Training LMS",
         stage="Prospecting", amt=115000, created=15, since=15, close=-120, ns="", rep=4,
         contacts=[C("Maya", "Greene", "Training Coordinator", "Business User")],
         acts=[
             (14, "em", 0, "Email: intro deck", "Sent intro deck after Maya downloaded the aviation whitepaper."),
             (9, "em", 0, "Email: brochure + case study", "Sent the Nordic Air case study and our compliance brochure."),
             (3, "em", 0, "Email: pricing guide", "Sent pricing guide + 'more info' on the mobile player."),
         ],
         labels=[CONV],
         why="15-day-old deal (no time-based labels) but three pitch sends with no buyer-side work."),
    # ---------------------------------------------------------------- A32
    dict(acct="Granite Peak Insurance", ind="Insurance", name="Granite Peak - Underwriting Workbench",
         stage="Value Proposition", amt=150000, created=280, close=-60,
         ns="Lunch with Gary after July 4", rep=3,
         hist=[(280, "Prospecting", 150), (255, "Qualification", 150), (230, "Needs Analysis", 150),
               (200, "Value Proposition", 150), (140, "Value Proposition", 90), (85, "Value Proposition", 20),
               (15, "Value Proposition", -60)],
         contacts=[C("Gary", "Novak", "Senior Underwriter", "Influencer"),
                   C("Beth", "Lyons", "Underwriting Assistant", "Business User")],
         acts=[
             (170, "ev", 0, "Lunch", "Lunch w Gary. His boss thinks we're a nice-to-have, they write plenty of business as is."),
             (145, "co", 0, "Call", "just checking in, no change"),
             (118, "ev", 0, "Ball game", "Took Gary + Beth to the Rockies game."),
             (90, "ev", 0, "Coffee", "coffee, Gary still needs to get his boss to sign off. boss happy w/ status quo."),
             (63, "em", 0, "Email: hello", "Hey Gary, any movement upstairs? No worries if not"),
             (35, "ev", 1, "Lunch", "lunch with Beth, fun. nothing new."),
             (11, "co", 0, "Call", "chatted w Gary re his vacation. boss still not convinced."),
         ],
         labels=[RWP, NRN, WAIT, SLIP],
         why="Lunches/ball game for 9 months; boss says nice-to-have & needs sign-off; no authority engaged; close pushed 3x."),
    # ---------------------------------------------------------------- A33
    dict(acct="Beacon Learning", ind="Education", name="Beacon - Proctoring Add-on",
         stage="Perception Analysis", amt=19000, created=100, since=40, close=-20, ns="", rep=0,
         contacts=[C("Nora", "Feld", "Assessment Manager", "Evaluator"),
                   C("Paul", "Reyes", "Director of Academic Technology", "Decision Maker")],
         acts=[
             (90, "ev", 1, "Discovery", "Paul + Nora - cheating concerns on online finals."),
             (60, "ev", 0, "Pilot review", "Nora's team ran proctoring on 2 quizzes, mostly positive."),
             (41, "em", 0, "Email: RE: pilot results", "RE: pilot results - Nora, attaching the summary we discussed. Can we book 30 min w Paul?"),
             (29, "em", 0, "Email: RE: RE: pilot results", "following up on below 🙂"),
             (17, "co", 1, "Call", "VM for Paul"),
             (6, "em", 0, "Email: RE: pilot results", "Nora - one more nudge on this, any feedback?"),
         ],
         labels=[OWC, NNS],
         why="Rep's own 'RE:' threads: 4 outbound follow-ups over 35 days, no buyer reply; no next step scheduled."),
    # ---------------------------------------------------------------- A34
    dict(acct="Sterling Biotech", ind="Life Sciences", name="Sterling - ELN Rollout",
         stage="Proposal/Price Quote", amt=105000, created=150, since=25, close=-40, ns="", rep=1,
         contacts=[C("Dr. Helen", "Park", "Head of R&D Informatics", "Decision Maker"),
                   C("Marco", "Silva", "Lab Systems Analyst", "Evaluator")],
         acts=[
             (140, "ev", 0, "Discovery", "Helen - paper notebooks in 3 labs, audit finding last year."),
             (110, "ev", 1, "Validation workshop", "Marco's team ran GxP validation scripts."),
             (60, "ev", 0, "Business case review", "Helen's business case approved by site leadership."),
             (26, "em", 0, "Email: proposal", "Proposal v2 sent with validation services."),
             (20, "ot", 0, "Follow up with Helen on proposal", "Task overdue"),
         ],
         labels=[NNS],
         why="Healthy deal, but NextStep blank and the only open task is overdue (dated before AS_OF)."),
    # ---------------------------------------------------------------- A35
    dict(acct="Kingsmead Borough Council", ind="Public Sector", name="Kingsmead BC - Waste Routing",
         stage="Needs Analysis", amt=58000, created=240, since=200, close=-30, ns="", rep=2,
         contacts=[C("Gavin", "Price", "Business Analyst", "Business User"),
                   C("Sheila", "Moore", "Head of Environmental Services", "Economic Buyer")],
         acts=[
             (178, "ev", 0, "Catch-up", "Brew with Gavin at the civic centre caff. Nice chap, supports Spurs."),
             (150, "co", 0, "Call", "Catch up call, nothing new, Gavin's been off."),
             (122, "ev", 0, "Christmas do", "Gavin came to our Christmas drinks at the Nag's Head."),
             (100, "em", 0, "Email: Happy new year", "HNY Gavin! Hope you had a good break."),
             (70, "co", 0, "Call", "chk in - all ok. no progress, he's not sure when they'd look at routing"),
             (41, "ev", 0, "Lunch", "Lunch with Gavin. Talked footie, the council's budget cuts. Nothing on routing."),
             (16, "co", 0, "Call", "touch base, nowt new"),
         ],
         labels=[RWP, ST, NNS],
         why="Brews, Christmas do, lunches with one business analyst for 6 months; Head of Env Services never engaged; no next step."),
    # ================================================================ healthy / traps
    dict(acct="Halberd Freight Systems", ind="Transportation", name="Halberd - Yard Management",
         stage="Negotiation/Review", amt=128000, created=140, since=12, close=-14,
         ns="Send order form to Ruth", rep=4,
         contacts=[C("Ruth", "Ames", "Yard Operations Manager", "Evaluator"),
                   C("Simon", "Cho", "CFO", "Economic Buyer"),
                   C("Keisha", "Dunn", "Senior Buyer, Procurement", "Influencer")],
         acts=[
             (130, "ev", 0, "Discovery", "Ruth - trailers lost in yard ~40 min per move."),
             (95, "ev", 0, "Pilot kickoff", "RFID pilot at Dock 4 with Ruth's shift leads."),
             (60, "ev", 0, "Pilot results", "Move time down 38%. Ruth building business case."),
             (35, "ev", 1, "CFO review", "Ruth presented business case to Simon, he asked about payback (14 months)."),
             (14, "ev", 1, "Budget approval", "Closed the loop with their CFO who approved the budget. Procurement next."),
             (8, "emi", 2, "RE: vendor onboarding", "Keisha sent vendor onboarding forms + their T&Cs."),
             (-6, "ev", 2, "Contract review", "Call with Keisha on T&Cs"),
         ],
         labels=[], why="TRAP: 'CFO', 'budget', 'approved' in a deal that is advancing with the CFO directly engaged."),
    dict(acct="Ridgeway Medical Supplies", ind="Healthcare", name="Ridgeway - Sales Analytics Pilot",
         stage="Perception Analysis", amt=54000, created=85, since=18, close=-35,
         ns="Pilot exit review 30 Jun", rep=3,
         contacts=[C("Laura", "Finch", "Sales Operations Manager", "Evaluator"),
                   C("Andre", "Baptiste", "VP Sales", "Executive Sponsor")],
         acts=[
             (80, "ev", 1, "Discovery", "Andre - reps live in spreadsheets, forecast accuracy 60%."),
             (55, "ev", 0, "Pilot scoping", "Laura picked 2 regions for the pilot, success = forecast within 10%."),
             (30, "ev", 0, "Lunch-and-learn", "Lunch-and-learn run by their team for 20 users as part of the pilot. Laura presented the dashboards herself."),
             (16, "emi", 0, "RE: pilot usage", "Laura: 17 of 20 users active weekly, two managers asked to join."),
             (-15, "ev", 1, "Pilot exit review", "With Andre + Laura"),
         ],
         labels=[], why="TRAP: 'lunch' is a buyer-run lunch-and-learn inside an active pilot."),
    dict(acct="Calloway Property Management", ind="Real Estate", name="Calloway - Tenant Billing",
         stage="Proposal/Price Quote", amt=46000, created=70, since=6, close=-30,
         ns="Proposal review with Greta + Ian", rep=2,
         contacts=[C("Greta", "Nystrom", "Finance Manager", "Evaluator"),
                   C("Ian", "Calloway", "Managing Director", "Decision Maker")],
         acts=[
             (65, "co", 0, "Intro", "Greta inbound - 1,100 units billed from spreadsheets."),
             (44, "ev", 0, "Discovery", "Greta + Ian: late fees missed, reconciliation takes a week."),
             (20, "ev", 1, "Demo + scoping", "Ian: no longer happy with the spreadsheets, asked for a proposal by early June."),
             (6, "em", 0, "Email: proposal", "Sent proposal as requested."),
             (-4, "ev", 0, "Proposal review", "Scheduled"),
         ],
         labels=[], why="TRAP: 'no longer happy with spreadsheets' is a recognised need, not status quo."),
    dict(acct="Fairmont Logistics", ind="Transportation", name="Fairmont - Dock Scheduling",
         stage="Closed Won", amt=62000, created=220, close=40, rep=1,
         contacts=[C("Ed", "Carver", "Warehouse Director", "Decision Maker"),
                   C("Jill", "Ostrow", "Operations Analyst", "Evaluator")],
         acts=[
             (210, "ev", 0, "Lunch", "Lunch w Ed, intro."),
             (180, "ev", 0, "Dinner", "Dinner at Fogo, Ed + Jill."),
             (150, "ev", 0, "Golf", "Golf outing."),
             (120, "ev", 1, "Workshop", "Dock process workshop w/ Jill."),
             (90, "ev", 0, "Lunch", "Lunch, Ed confirmed budget."),
             (60, "ev", 0, "Steak dinner", "Dinner to celebrate verbal."),
             (42, "emi", 0, "RE: signed contract", "Signed order form attached."),
             (20, "ev", 0, "Kickoff lunch", "Kickoff lunch with Ed's team."),
         ],
         labels=[], why="TRAP: closed won deal full of lunches/golf - closed deals are never labelled."),
    dict(acct="Birchwood Retail", ind="Retail", name="Birchwood - Workforce Mgmt",
         stage="Closed Lost", amt=88000, created=300, close=25, rep=0,
         contacts=[C("Kelly", "Marsh", "HR Coordinator", "Influencer")],
         acts=[
             (280, "ev", 0, "Lunch", "lunch w Kelly"),
             (240, "ev", 0, "Coffee", "coffee, still waiting on her boss"),
             (200, "co", 0, "Call", "checking in"),
             (160, "ev", 0, "Drinks", "happy hour w Kelly + team"),
             (120, "ev", 0, "Lunch", "lunch, nothing new"),
             (60, "co", 0, "Call", "Kelly: boss said no, not a priority this year."),
             (25, "t", 0, "Close out", "Closed lost - no decision / status quo."),
         ],
         labels=[], why="TRAP: classic hanging-around history but Closed Lost - no labels on closed deals."),
    dict(acct="Atlas Global Bank", ind="Financial Services", name="Atlas Global - Treasury Platform (EMEA+NA)",
         stage="Negotiation/Review", amt=980000, created=330, close=-45,
         ns="MSA final redlines call 18 Jun; SteerCo 25 Jun", rep=4,
         hist=[(330, "Prospecting", -60), (300, "Qualification", -60), (265, "Needs Analysis", -60),
               (220, "Value Proposition", -60), (170, "Id. Decision Makers", -60), (125, "Perception Analysis", -60),
               (80, "Proposal/Price Quote", -45), (22, "Negotiation/Review", -45)],
         contacts=[C("Catherine", "Moss", "Group Treasurer", "Economic Buyer"),
                   C("Rahul", "Verma", "Head of Treasury Operations", "Executive Sponsor"),
                   C("Jens", "Olsen", "Treasury Systems Manager", "Evaluator"),
                   C("Amelia", "Burke", "CISO", "Decision Maker"),
                   C("Pedro", "Alves", "Category Manager, IT Procurement", "Influencer"),
                   C("Yuki", "Tanaka", "Cash Management Analyst", "Business User"),
                   C("Henry", "Blake", "Legal Counsel", "Influencer")],
         acts=[
             (320, "ev", 1, "Intro", "Rahul - 40 banks, 300 accounts, cash visibility T+2."),
             (295, "ev", 2, "Discovery", "Jens walked through the current TMS + bank portals."),
             (270, "ev", 5, "Process mapping", "Yuki + 3 analysts, daily cash positioning takes 4 hours."),
             (250, "ev", 1, "Dinner", "Dinner w/ Rahul + Jens after the process mapping day."),
             (230, "ev", 0, "Exec briefing", "Catherine: wants daily global cash position by 9am."),
             (205, "ev", 2, "Tech deep dive", "SWIFT + API connectivity, 12 banks ready."),
             (180, "ev", 3, "Security review", "Amelia's team started the security review, 240 questions."),
             (160, "emi", 3, "RE: security questionnaire", "Security questionnaire returned with 6 follow-ups."),
             (140, "ev", 1, "Business case workshop", "Rahul's team built the business case - $4.1m benefit over 3 yrs."),
             (118, "ev", 0, "SteerCo", "SteerCo approved moving to proposal."),
             (95, "ev", 2, "Sandbox trial", "Jens' team connected 5 banks in sandbox."),
             (82, "em", 0, "Email: proposal", "Proposal sent to Catherine and Rahul."),
             (66, "ev", 4, "Procurement kickoff", "Pedro ran the RFP scoring, we're preferred vendor."),
             (50, "ev", 6, "Legal", "First MSA turn with Henry."),
             (35, "ev", 1, "Golf", "Golf with Rahul at Wentworth - talked rollout sequencing."),
             (22, "ev", 4, "Commercial negotiation", "Agreed pricing, moving to Negotiation."),
             (10, "emi", 6, "RE: MSA v3", "Henry sent v3, 2 open points."),
             (-3, "ev", 6, "MSA final redlines", "Scheduled"),
             (-10, "ev", 0, "SteerCo", "Final approval"),
         ],
         labels=[], why="TRAP: long enterprise deal with dinners/golf but 7 contacts and steady stage advancement."),
    dict(acct="Pinecrest Dental Lab", ind="Healthcare", name="Pinecrest - Case Tracking",
         stage="Qualification", amt=14000, created=10, since=4, close=-60, ns="", rep=2,
         contacts=[C("Rosa", "Delgado", "Lab Coordinator", "Business User")],
         acts=[
             (9, "co", 0, "Intro call", "Rosa called in from Google ad. Cases tracked on whiteboard."),
             (4, "ev", 0, "Discovery", "Walked thru their 6 step case flow with Rosa."),
         ],
         labels=[], why="TRAP: brand-new (10 days), single coordinator contact, no next step - too young for time-based labels."),
    dict(acct="Marlow Engineering", ind="Manufacturing", name="Marlow - Quality Docs",
         stage="Proposal/Price Quote", amt=44000, created=160, since=5, close=-30,
         ns="Proposal walkthrough 22 Jun", rep=3,
         contacts=[C("Dan", "Wexler", "Quality Manager", "Evaluator"),
                   C("Patrice", "Holm", "Director of Quality", "Decision Maker")],
         acts=[
             (150, "ev", 0, "Discovery", "Dan - ISO audit prep takes 3 weeks of binder work."),
             (120, "ev", 1, "Demo", "Patrice + Dan, liked CAPA module."),
             (75, "co", 0, "Call", "Dan: parked until after the audit in May."),
             (7, "ev", 1, "Workshop", "Post-audit: 4 major findings on doc control. Patrice ran a workshop with her team to define requirements."),
             (5, "emi", 1, "RE: requirements", "Patrice sent requirements list and asked for a proposal."),
             (-7, "ev", 1, "Proposal walkthrough", "Scheduled"),
         ],
         labels=[], why="TRAP: quiet for 70 days but just advanced (workshop, requirements, stage moved 5 days ago)."),
    dict(acct="Dovetail Furniture", ind="Manufacturing", name="Dovetail - Configurator",
         stage="Value Proposition", amt=37000, created=80, since=25, close=-50, ns="", rep=0,
         contacts=[C("Ana", "Sousa", "E-commerce Manager", "Evaluator"),
                   C("Will", "Barton", "Head of Digital", "Decision Maker")],
         acts=[
             (75, "co", 0, "Intro", "Ana - custom sofa orders via email, 20% error rate."),
             (50, "ev", 1, "Discovery", "Will + Ana, agreed to test on 2 product lines."),
             (25, "ev", 0, "Config workshop", "Ana's team configured the corner-sofa range in sandbox."),
             (-12, "ev", 1, "Results review", "Review sandbox results with Will"),
         ],
         labels=[], why="TRAP: NextStep blank but a future meeting exists -> not no-next-step."),
    dict(acct="Quarry Hill Brewing", ind="Food & Beverage", name="Quarry Hill - Distribution Portal",
         stage="Id. Decision Makers", amt=29000, created=90, since=20, close=-40,
         ns="Send draft SOW", rep=1,
         contacts=[C("Joe", "Marino", "VP Sales & Distribution", "Decision Maker")],
         acts=[
             (85, "co", 0, "Intro", "Joe - 300 bars order by text message."),
             (66, "ev", 0, "Discovery", "Joe walked through order flow, wants it before Oktoberfest."),
             (45, "ev", 0, "Demo", "Joe brought his sales lead along (not in CRM)."),
             (20, "ev", 0, "Scoping", "Joe agreed scope + rollout to 50 pilot accounts."),
             (9, "emi", 0, "RE: scope", "Joe: confirmed budget owner is him, go ahead w SOW."),
         ],
         labels=[], why="TRAP: single contact across 5 activities but he is a VP/decision maker -> not single-threaded."),
    dict(acct="Kingfisher Academy Trust", ind="Education", name="Kingfisher - Parent Comms",
         stage="Needs Analysis", amt=12000, created=60, since=30, close=-60,
         ns="Discovery with 2 heads", rep=2,
         contacts=[C("Sarah", "Lyle", "Trust Admin Coordinator", "Influencer")],
         acts=[
             (55, "co", 0, "Intro", "Sarah - 5 schools, parent letters on paper."),
             (31, "ev", 0, "Discovery", "Good session, Sarah will bring 2 headteachers to the next one."),
             (-8, "ev", 0, "Discovery w/ heads", "Scheduled"),
         ],
         labels=[], why="TRAP: only one coordinator contact but fewer than 4 activities (3) -> not single-threaded."),
    dict(acct="Sable Analytics", ind="Technology", name="Sable - Data Catalog",
         stage="Proposal/Price Quote", amt=81000, created=120, since=35, close=-25,
         ns="Redline review 19 Jun", rep=4,
         contacts=[C("Imogen", "Reid", "Data Governance Lead", "Evaluator"),
                   C("Kofi", "Asante", "Chief Data Officer", "Economic Buyer")],
         acts=[
             (110, "ev", 1, "Discovery", "Kofi - GDPR audit found 30% of tables undocumented."),
             (80, "ev", 0, "POC", "Imogen's team catalogued 2 domains in POC."),
             (36, "em", 1, "Email: proposal", "Sent proposal."),
             (28, "em", 1, "Email: f/u", "Following up on the proposal."),
             (20, "co", 0, "Call", "VM for Imogen."),
             (13, "em", 0, "Email: f/u", "Hi Imogen, any thoughts?"),
             (10, "emi", 0, "RE: f/u", "Imogen: sorry, was on leave! Kofi OK with scope, legal sending redlines."),
             (-4, "ev", 0, "Redline review", "Scheduled"),
         ],
         labels=[], why="TRAP: three follow-ups over 3 weeks, then the buyer replied -> not one-way-chasing."),
    dict(acct="Harbourside Hotels", ind="Hospitality", name="Harbourside - Guest Messaging",
         stage="Perception Analysis", amt=52000, created=110, since=30, close=-35,
         ns="Security review sign-off call", rep=0,
         contacts=[C("Chris", "Yeo", "IT Security Manager", "Evaluator"),
                   C("Lena", "Hoffmann", "Director of Guest Experience", "Decision Maker")],
         acts=[
             (100, "ev", 1, "Discovery", "Lena - 9 properties, guest texts go to personal phones."),
             (70, "em", 1, "Email: case study", "Sent Lena the Coastline Resorts case study she asked for."),
             (55, "ev", 0, "Security review kickoff", "Chris started the security review, pen test report requested."),
             (40, "em", 0, "Email: SOC2 + pen test", "Sent SOC2 report + pen test summary."),
             (25, "em", 1, "Email: pricing", "Sent pricing for 9 properties."),
             (18, "emi", 0, "RE: security review", "Chris: 3 open items, DPA needed."),
             (-5, "ev", 0, "Security sign-off", "Scheduled"),
         ],
         labels=[], why="TRAP: several sends but the buyer is running a security review in the same window."),
    dict(acct="Windmere Logistics", ind="Transportation", name="Windmere - Telematics",
         stage="Needs Analysis", amt=61000, created=150, since=35, close=-90,
         ns="Sponsor session with Tony's director", rep=3,
         contacts=[C("Tony", "Russo", "Fleet Manager", "Evaluator"),
                   C("Carla", "Mendes", "Director of Operations", "Decision Maker")],
         acts=[
             (140, "ev", 0, "Discovery", "Tony - 200 trucks, fuel spend up 18%."),
             (90, "co", 0, "Call", "Tony: not ready to commit, maybe next year, budget's gone."),
             (70, "co", 0, "Call", "Asked Tony what would need to be true for fuel to become a priority. He's going to pull fuel reports."),
             (45, "emi", 0, "RE: fuel data", "Tony sent 6 months fuel data, idling is 22% of fuel."),
             (20, "ev", 1, "Sponsor meeting", "Carla joined; she wants to see idling cut on 20 trucks."),
             (-14, "ev", 1, "Sponsor session", "Scheduled"),
         ],
         labels=[], why="TRAP: 'not ready, maybe next year' but the rep kept facilitating and the buyer re-engaged."),
    dict(acct="Ashgrove Clinics", ind="Healthcare", name="Ashgrove - Patient Intake",
         stage="Proposal/Price Quote", amt=70000, created=200, since=20, close=-20,
         ns="Contract review w/ Director", rep=1,
         contacts=[C("Becky", "Lund", "Clinic Operations Manager", "Business User"),
                   C("Ahmed", "Zaki", "Medical Director", "Decision Maker")],
         acts=[
             (190, "ev", 0, "Intro", "Becky: intake is fine, not a priority right now."),
             (150, "co", 0, "Call", "Becky still says the paper forms are ok."),
             (95, "co", 0, "Call", "Becky: CQC inspection flagged intake errors. Now a priority. Asked what the board needs to see."),
             (70, "ev", 1, "Workshop", "Ahmed + Becky: intake workshop, 4 clinic leads."),
             (40, "ev", 1, "Business case", "Ahmed presented business case internally - approved."),
             (20, "em", 1, "Email: proposal", "Proposal sent."),
             (-6, "ev", 1, "Contract review", "Scheduled"),
         ],
         labels=[], why="TRAP: early 'not a priority' superseded by a recognised need (inspection finding) and progress."),
    dict(acct="Ironbridge Utilities", ind="Utilities", name="Ironbridge - Asset Inspection",
         stage="Id. Decision Makers", amt=97000, created=130, since=30, close=-60,
         ns="Director to confirm budget line", rep=2,
         contacts=[C("Neil", "Hardy", "Asset Engineer", "Evaluator"),
                   C("Fatima", "Noor", "Director of Asset Management", "Economic Buyer")],
         acts=[
             (120, "ev", 0, "Discovery", "Neil - drone inspection data sits on USB sticks."),
             (90, "ev", 0, "Trial", "Neil's team trialled on 40 pylons."),
             (50, "co", 0, "Call", "Neil needs his director's approval before going further."),
             (32, "ev", 1, "Director meeting", "Met Fatima with Neil. She wants a phased plan and will find budget."),
             (12, "emi", 1, "RE: phased plan", "Fatima: phase 1 looks right, checking budget line with finance."),
         ],
         labels=[], why="TRAP: 'needs director's approval' but the director is engaged in activities."),
    dict(acct="Tidewater Seafoods", ind="Food & Beverage", name="Tidewater - Cold Chain Monitoring",
         stage="Proposal/Price Quote", amt=58000, created=150, close=-21,
         ns="Pricing call w/ Ops VP", rep=4,
         hist=[(150, "Prospecting", 60), (130, "Qualification", 60), (105, "Needs Analysis", 40),
               (80, "Value Proposition", 25), (45, "Perception Analysis", 10), (15, "Proposal/Price Quote", -21)],
         contacts=[C("Mick", "Dawes", "Logistics Manager", "Evaluator"),
                   C("Sandra", "Kwon", "VP Operations", "Decision Maker")],
         acts=[
             (140, "ev", 0, "Discovery", "Mick - 2 spoilage incidents this year."),
             (100, "ev", 0, "Sensor trial", "Trial on 4 reefer trucks."),
             (70, "ev", 1, "Trial review", "Sandra: good data, wants all 30 trucks quoted."),
             (40, "ev", 1, "Requirements", "Sandra + Mick signed off requirements."),
             (15, "em", 1, "Email: proposal", "Proposal sent."),
             (-3, "ev", 1, "Pricing call", "Scheduled"),
         ],
         labels=[], why="TRAP: close date pushed 3 times but the stage advanced between each push."),
    dict(acct="Everton Dental Partners", ind="Healthcare", name="Everton - Imaging Archive",
         stage="Proposal/Price Quote", amt=41000, created=100, close=-40,
         ns="Follow up on proposal 17 Jun", rep=0,
         hist=[(100, "Prospecting", 5), (80, "Qualification", 5), (60, "Needs Analysis", 5),
               (40, "Value Proposition", 5), (20, "Proposal/Price Quote", 5), (12, "Proposal/Price Quote", -40)],
         contacts=[C("Priti", "Joshi", "Practice Manager", "Evaluator"),
                   C("Dr. Mark", "Ellis", "Clinical Director", "Decision Maker")],
         acts=[
             (95, "co", 0, "Intro", "Priti - X-ray archive on a failing NAS."),
             (70, "ev", 1, "Discovery", "Dr Ellis keen, NAS failed last month."),
             (45, "ev", 0, "Migration test", "Migrated 1 yr of images in test."),
             (20, "em", 1, "Email: proposal", "Sent proposal."),
             (12, "co", 1, "Call", "Dr Ellis: partners meeting moved, need 6 more weeks. Pushed close to late July."),
             (-2, "ft", 1, "Follow up on proposal", "Call Dr Ellis"),
         ],
         labels=[], why="TRAP: close date pushed once only."),
    dict(acct="Copperleaf Software", ind="Technology", name="Copperleaf - Billing Migration",
         stage="Value Proposition", amt=76000, created=75, since=15, close=-60,
         ns="Data mapping session 23 Jun", rep=3,
         contacts=[C("Grant", "Ellery", "Billing Operations Manager", "Evaluator"),
                   C("Maria", "Vidal", "VP Finance", "Economic Buyer")],
         acts=[
             (70, "co", 0, "Intro", "Grant - Zuora contract ends in Jan."),
             (50, "ev", 0, "Requirements workshop", "Full day with Grant's team, 42 billing scenarios mapped."),
             (49, "ev", 0, "Team dinner", "Dinner w/ Grant's team after the workshop, good vibes."),
             (22, "ev", 1, "Value review", "Maria agreed success criteria: DSO -5 days."),
             (15, "emi", 0, "RE: scenarios", "Grant sent sample invoices for all 42 scenarios."),
             (-8, "ev", 0, "Data mapping", "Scheduled"),
         ],
         labels=[], why="TRAP: team dinner sits inside a deal full of buyer-side work."),
    dict(acct="Summit Health Network", ind="Healthcare", name="Summit - Referral Management",
         stage="Negotiation/Review", amt=210000, created=200, since=18, close=-20,
         ns="Procurement sign-off 26 Jun", rep=4,
         contacts=[C("Dr. Paula", "Ng", "Chief Medical Officer", "Executive Sponsor"),
                   C("Victor", "Osei", "Procurement Director", "Decision Maker"),
                   C("Holly", "Grey", "Referral Coordinator", "Business User")],
         acts=[
             (190, "ev", 0, "Intro", "Dr Ng - 30% referral leakage."),
             (150, "ev", 2, "Workflow mapping", "Holly + 6 coordinators mapped referral steps."),
             (110, "ev", 0, "Golf", "Charity golf with Dr Ng, she raised the board timeline herself."),
             (80, "ev", 0, "Board prep", "Dr Ng's team built the board paper."),
             (45, "ev", 1, "Procurement", "Victor started procurement; vendor risk assessment."),
             (18, "ev", 1, "Negotiation", "Commercials agreed pending procurement sign-off."),
             (-11, "ev", 1, "Procurement sign-off", "Scheduled"),
         ],
         labels=[], why="TRAP: golf with an executive sponsor in a deal moving through procurement."),
    dict(acct="Glenmoor Distillery", ind="Food & Beverage", name="Glenmoor - Cask Inventory",
         stage="Closed Won", amt=33000, created=180, close=30, rep=2,
         contacts=[C("Callum", "Reid", "Warehouse Manager", "Evaluator"),
                   C("Isla", "Grant", "Managing Director", "Decision Maker")],
         acts=[
             (170, "ev", 0, "Distillery tour", "Tour + dram with Callum."),
             (140, "ev", 1, "Discovery", "Isla - HMRC audit on cask counts."),
             (100, "ev", 0, "Trial", "Barcode trial in warehouse 3."),
             (60, "ev", 1, "Proposal", "Proposal walkthrough."),
             (31, "emi", 1, "RE: order form", "Signed."),
         ],
         labels=[], why="Closed won."),
    dict(acct="Redfern Pharma", ind="Life Sciences", name="Redfern - Clinical Supply Forecasting",
         stage="Closed Lost", amt=160000, created=260, close=50, rep=1,
         contacts=[C("Jonas", "Weber", "Clinical Supply Manager", "Evaluator"),
                   C("Olga", "Petrenko", "VP Clinical Operations", "Decision Maker")],
         acts=[
             (250, "ev", 0, "Dinner", "dinner w Jonas at the conference"),
             (220, "ev", 1, "Discovery", "Olga + Jonas"),
             (180, "ev", 0, "Lunch", "lunch, Jonas keen"),
             (150, "ev", 0, "Drinks", "drinks"),
             (110, "ev", 1, "Proposal", "proposal review"),
             (70, "co", 1, "Call", "Olga: went with competitor (incumbent CRO tool)."),
             (50, "t", 0, "Close out", "Marked closed lost."),
         ],
         labels=[], why="Closed lost to competitor; lunches irrelevant."),
    dict(acct="Lindqvist Engineering", ind="Manufacturing", name="Lindqvist - PLM Cloud",
         stage="Value Proposition", amt=90000, created=140, since=28, close=-50,
         ns="Trial check-in 24 Jun", rep=0,
         contacts=[C("Erik", "Lindqvist", "Engineering Manager", "Evaluator"),
                   C("Petra", "Holm", "CTO", "Decision Maker")],
         acts=[
             (130, "ev", 1, "Discovery", "Petra - 3 CAD tools, BOM errors."),
             (90, "ev", 0, "Workshop", "Erik's team workshop on change control."),
             (60, "co", 0, "Check-in", "Checked in on trial usage - 14 active users, 2 ECOs processed end to end."),
             (28, "ev", 1, "Trial midpoint", "Petra reviewed trial, asked for migration estimate."),
             (10, "co", 0, "Check-in", "Checked in with Erik: migration estimate inputs sent, 9k parts."),
         ],
         labels=[], why="TRAP: 'checked in' notes carry real buyer-side trial content."),
    dict(acct="Harlow Manufacturing", ind="Manufacturing", name="Harlow - Spare Parts Portal (expansion)",
         stage="Proposal/Price Quote", amt=22000, created=50, since=10, close=-20,
         ns="PO expected 30 Jun", rep=1,
         contacts=[C("Nadine", "Fox", "Purchasing Director", "Economic Buyer"),
                   C("Will", "Tran", "Spares Coordinator", "Business User")],
         acts=[
             (45, "ev", 0, "Expansion scoping", "Nadine wants the portal for 2 more plants."),
             (25, "ev", 1, "Config session", "Will's team loaded 3k spares."),
             (10, "emi", 0, "RE: quote", "Nadine: budget already allocated in Q2, PO being raised."),
         ],
         labels=[], why="TRAP: 'budget' in benign context (already allocated, PO raised) - same account as a stuck deal."),
    dict(acct="Westbrook College", ind="Education", name="Westbrook - Student Retention",
         stage="Negotiation/Review", amt=68000, created=190, since=14, close=-16,
         ns="Contract signature", rep=3,
         contacts=[C("Dean", "Morales", "Vice President of Student Affairs", "Economic Buyer"),
                   C("Kate", "Olin", "Retention Analyst", "Evaluator")],
         acts=[
             (180, "ev", 1, "Discovery", "Kate - 22% first-year drop out."),
             (120, "ev", 1, "Pilot", "Pilot with 2 advisers."),
             (60, "ev", 0, "Board presentation", "Presented to their board, approved."),
             (30, "ev", 0, "Commercials", "Agreed 3 yr term."),
             (14, "emi", 0, "RE: contract", "Contract with their legal, signature expected this week."),
         ],
         labels=[], why="TRAP: 'board' in benign context (board approved)."),
    dict(acct="Orchard Foods Co-op", ind="Retail", name="Orchard - Supplier Onboarding (Phase 1)",
         stage="Perception Analysis", amt=35000, created=90, since=20, close=-30,
         ns="Phase 1 scope sign-off", rep=2,
         contacts=[C("Nina", "Hale", "Supplier Relations Manager", "Evaluator"),
                   C("George", "Abara", "Head of Procurement", "Decision Maker")],
         acts=[
             (85, "ev", 1, "Discovery", "George - 400 local growers, onboarding by paper."),
             (55, "ev", 0, "Workshop", "Nina's team ran onboarding for 10 growers in sandbox."),
             (20, "ev", 1, "Scope review", "George: phase 1 now; phase 2 (payments) maybe next year."),
             (6, "emi", 0, "RE: scope", "Nina sent grower list for phase 1."),
         ],
         labels=[], why="TRAP: 'maybe next year' refers to phase 2; phase 1 moving."),
    dict(acct="Bramble Pet Stores", ind="Retail", name="Bramble - Click & Collect",
         stage="Needs Analysis", amt=27000, created=55, since=20, close=-70,
         ns="Discovery part 2 with store ops", rep=0,
         contacts=[C("Megan", "Price", "E-commerce Director", "Decision Maker"),
                   C("Lewis", "Carr", "Store Ops Manager", "Business User")],
         acts=[
             (50, "co", 0, "Intro", "Megan: 40% of web orders want same-day pickup."),
             (20, "ev", 0, "Discovery", "Megan + Lewis, walked through store picking."),
             (-6, "ev", 1, "Discovery pt 2", "Scheduled"),
         ],
         labels=[], why="Healthy early-stage deal."),
    dict(acct="Keystone Title", ind="Real Estate", name="Keystone - e-Closing",
         stage="Value Proposition", amt=48000, created=65, since=15, close=-45,
         ns="ROI review with CFO", rep=4,
         contacts=[C("Rita", "Lopes", "Closing Manager", "Evaluator"),
                   C("Sam", "Ortiz", "CFO", "Economic Buyer")],
         acts=[
             (60, "co", 0, "Intro", "Rita - 600 closings/mo, wet signatures."),
             (40, "ev", 0, "Process review", "Rita + 3 closers timed the current process."),
             (15, "emi", 0, "RE: ROI inputs", "Rita sent cost per closing inputs for the ROI model."),
             (-9, "ev", 1, "ROI review", "Scheduled with Sam"),
         ],
         labels=[], why="Healthy; ROI calc built from buyer data, CFO meeting booked."),
    dict(acct="Norland Energy", ind="Utilities", name="Norland - Contractor Management",
         stage="Id. Decision Makers", amt=112000, created=120, since=25, close=-60,
         ns="Stakeholder workshop 29 Jun", rep=1,
         contacts=[C("Cheryl", "Banks", "HSE Manager", "Evaluator"),
                   C("Ross", "Whyte", "Head of HSE", "Decision Maker"),
                   C("Anil", "Kapoor", "Contracts Manager", "Influencer")],
         acts=[
             (110, "ev", 0, "Discovery", "Cheryl - 1,200 contractors, inductions on paper."),
             (80, "ev", 1, "Exec meeting", "Ross: incident last year, wants digital permits."),
             (55, "ev", 2, "Contracts review", "Anil mapped the contractor prequal process."),
             (25, "ev", 1, "Decision process", "Ross listed who signs: him, Ops Director, IT."),
             (-14, "ev", 1, "Stakeholder workshop", "Scheduled"),
         ],
         labels=[], why="Healthy multi-threaded."),
    dict(acct="Sunfield Farms", ind="Agriculture", name="Sunfield - Yield Analytics",
         stage="Closed Won", amt=18000, created=120, close=15, rep=3,
         contacts=[C("Luke", "Barker", "Farm Manager", "Decision Maker")],
         acts=[
             (110, "co", 0, "Intro", "Luke - 3 farms."),
             (80, "ev", 0, "BBQ", "BBQ at the farm open day."),
             (50, "ev", 0, "Trial", "Sensor trial on 2 fields."),
             (16, "emi", 0, "RE: order", "Signed."),
         ],
         labels=[], why="Closed won."),
    dict(acct="Portland Print Co", ind="Media", name="Portland Print - Web-to-Print",
         stage="Closed Lost", amt=25000, created=200, close=60, rep=0,
         contacts=[C("Jenna", "Moss", "Marketing Coordinator", "Influencer")],
         acts=[
             (190, "em", 0, "Email: deck", "sent deck"),
             (160, "em", 0, "Email: case study", "sent case study"),
             (120, "em", 0, "Email: pricing", "sent pricing"),
             (90, "em", 0, "Email: checking in", "checking in"),
             (60, "t", 0, "Close out", "No response, closed lost."),
         ],
         labels=[], why="Closed lost; convincing-mode history but closed."),
    dict(acct="Ravenswood Hospital", ind="Healthcare", name="Ravenswood - Bed Management",
         stage="Perception Analysis", amt=185000, created=170, since=30, close=-60,
         ns="Clinical safety case review", rep=4,
         contacts=[C("Dr. Omar", "Said", "Chief Operating Officer", "Executive Sponsor"),
                   C("Tessa", "Young", "Patient Flow Manager", "Evaluator"),
                   C("Ben", "Lowry", "Head of IT", "Decision Maker")],
         acts=[
             (160, "ev", 0, "Exec intro", "Dr Said - A&E waits, beds not visible."),
             (130, "ev", 1, "Patient flow workshop", "Tessa + bed managers mapped discharge process."),
             (100, "ev", 2, "Integration review", "Ben's team reviewed HL7 feeds."),
             (70, "ev", 1, "Trial", "Ward 7 trial live."),
             (30, "ev", 0, "Trial review", "Dr Said: discharge-by-noon up 15%."),
             (12, "emi", 2, "RE: DPIA", "Ben sent DPIA draft."),
         ],
         labels=[], why="Healthy enterprise."),
    dict(acct="Corsair Marine", ind="Manufacturing", name="Corsair - Service Contracts",
         stage="Qualification", amt=40000, created=30, since=12, close=-90,
         ns="Discovery with service director", rep=2,
         contacts=[C("Gina", "Ferro", "Service Administrator", "Business User")],
         acts=[
             (28, "co", 0, "Intro", "Gina - warranty claims tracked in Access DB."),
             (12, "ev", 0, "Discovery", "Gina walked through claim flow, will invite her director."),
             (-5, "ev", 0, "Discovery w/ director", "Scheduled"),
         ],
         labels=[], why="Young-ish deal, single contact but only 3 activities and < 45 days."),
    dict(acct="Elmstead Council", ind="Public Sector", name="Elmstead - Planning Portal",
         stage="Proposal/Price Quote", amt=95000, created=210, since=30, close=-30,
         ns="Tender clarification responses due 20 Jun", rep=3,
         contacts=[C("Rachel", "Stone", "Digital Programme Manager", "Evaluator"),
                   C("Martin", "Hughes", "Director of Place", "Economic Buyer")],
         acts=[
             (200, "ev", 0, "Market engagement", "Pre-tender market engagement day."),
             (150, "ev", 1, "Supplier day", "Martin presented their objectives."),
             (90, "emi", 0, "RE: ITT", "ITT issued."),
             (45, "em", 0, "Email: tender response", "Submitted tender response."),
             (20, "emi", 0, "RE: clarifications", "Rachel sent 12 clarification questions."),
         ],
         labels=[], why="Healthy public-sector tender."),
    dict(acct="Mosaic Interiors", ind="Retail", name="Mosaic - Quote Builder",
         stage="Value Proposition", amt=16000, created=45, since=14, close=-30,
         ns="Send sandbox login", rep=0,
         contacts=[C("Theo", "Banks", "Owner", "Decision Maker"),
                   C("Zara", "Ali", "Sales Coordinator", "Business User")],
         acts=[
             (40, "co", 0, "Intro", "Theo - quoting takes 2 days."),
             (28, "ev", 1, "Discovery", "Zara walked through quoting."),
             (14, "ev", 0, "Demo", "Theo wants to try with 5 real quotes."),
         ],
         labels=[], why="Healthy small deal."),
]



# ==========================================================================
# GLOBEX  (AS_OF 2026-03-02, NO OpportunityHistory: no slipping/stalled labels)
# ==========================================================================
GLOBEX_AS_OF = dt.date(2026, 3, 2)
GLOBEX_USERS = [
    ("Nadia Petrov", "Account Executive", False),
    ("Owen Fitzgerald", "Account Executive", False),
    ("Sanjay Mehta", "Senior Account Executive", False),
    ("Lucy Tran", "Account Executive", False),
    ("Gareth Jones", "Account Manager", False),
    ("Helen Brooks", "VP Sales", True),
    ("Marcus Lee", "Sales Manager", True),
]

GLOBEX_DEALS = [
    # ---------------------------------------------------------------- G01
    dict(acct="Tamarind Foods", ind="Food & Beverage", name="Tamarind - Demand Planning",
         stage="Qualification", amt=44000, created=240, close=-30, ns="", rep=0,
         contacts=[C("Priyanka", "Iyer", "Operations Analyst", "Evaluator"),
                   C("Carl", "Jensen", "VP Supply Chain", "Economic Buyer")],
         acts=[
             (170, "ev", 0, "Lunch", "Lunch w/ Priyanka @ Tamarind's canteen (ironic). She's a fan, forecasting still in Excel."),
             (140, "co", 0, "Call", "just saying hi - nothing new"),
             (115, "ev", 0, "Coffee", "coffee, talked about her trip to Kerala"),
             (80, "t", 0, "Holiday hamper", "Sent holiday hamper to Priyanka"),
             (55, "em", 0, "Email: Happy New Year!", "HNY Priyanka! Hope 2026 is the year for forecasting, haha. Let me know if anything comes up."),
             (22, "ev", 0, "Super Bowl party", "Priyanka came to our Super Bowl watch party. Good time. Didn't talk shop."),
             (9, "co", 0, "Call", "chk-in. all fine, no movement."),
         ],
         labels=[RWP, ST, NNS],
         why="Lunch/coffee/hamper/Super Bowl with one analyst for 6 months, VP never engaged, no next step."),
    # ---------------------------------------------------------------- G02
    dict(acct="Quarrington Insurance", ind="Insurance", name="Quarrington - Broker Portal",
         stage="Needs Analysis", amt=78000, created=130, close=-60, ns="Send portal benchmark", rep=1,
         contacts=[C("Elena", "Rossi", "Broker Relations Manager", "Business User"),
                   C("Jack", "Munroe", "Distribution Systems Lead", "Evaluator")],
         acts=[
             (125, "co", 0, "Discovery call", "Elena: brokers email PDFs, portal is ancient."),
             (100, "ev", 0, "Discovery", "Met Elena and Jack. Jack: their current process gets the job done, brokers aren't complaining."),
             (72, "ev", 1, "Demo", "Demo for Jack. Nice, 'but we're not broken'."),
             (40, "co", 0, "Call", "Elena: honestly there are bigger fish to fry this year, portal isn't a priority."),
             (15, "ev", 0, "Catch-up", "Quick catch up w Elena, same story. Wants to stay in touch."),
         ],
         labels=[NRN],
         why="'Gets the job done', 'not broken', 'not a priority'; nothing later shows a recognised need."),
    # ---------------------------------------------------------------- G03
    dict(acct="Larkspur Living", ind="Healthcare", name="Larkspur - Care Home Rostering",
         stage="Value Proposition", amt=52000, created=120, close=-40,
         ns="Waiting for April budget release", rep=2,
         contacts=[C("Hayley", "Jordan", "Home Manager", "Business User"),
                   C("Samir", "Aziz", "Rota Coordinator", "Influencer")],
         acts=[
             (115, "co", 0, "Intro", "Hayley - 3 homes, agency staff eating the budget."),
             (90, "ev", 1, "Rota review", "Samir walked me through rota, 60 hrs/mo agency."),
             (60, "ev", 0, "Demo", "Demo to Hayley + Samir, good."),
             (30, "co", 0, "Call", "Hayley needs to run it past her regional director, and budget won't be released til April anyway."),
             (8, "em", 1, "Email: savings calc", "Sent Samir the agency savings calc to put in front of the director."),
         ],
         labels=[WAIT],
         why="Needs regional director + April budget; only home manager and coordinator engaged."),
    # ---------------------------------------------------------------- G04
    dict(acct="Bluewater Marinas", ind="Hospitality", name="Bluewater - Berth Booking",
         stage="Proposal/Price Quote", amt=36000, created=110, close=-20, ns="Get go/no-go from Mark", rep=3,
         contacts=[C("Mark", "Ellison", "Operations Director", "Decision Maker"),
                   C("Jo", "Pratt", "Harbour Office Supervisor", "Business User")],
         acts=[
             (100, "ev", 1, "Discovery", "Jo: berth bookings on a whiteboard + phone."),
             (70, "ev", 0, "Demo + pricing", "Mark liked it, asked for pricing for 4 marinas."),
             (52, "em", 0, "Email: Bluewater pricing", "Sent pricing for 4 marinas as requested."),
             (43, "em", 0, "Email: any update?", "Hi Mark, any update on the pricing? Happy to adjust."),
             (33, "co", 0, "Call", "2nd VM for Mark"),
             (24, "t", 0, "LinkedIn InMail", "Sent Mark a LinkedIn InMail as email's not landing."),
             (13, "em", 0, "Email: circling back", "Hey Mark - circling back on this one, still keen to get you live before the season."),
         ],
         labels=[OWC],
         why="Pricing sent then 4 follow-ups over 30 days (email, VM, InMail, email) with no reply."),
    # ---------------------------------------------------------------- G05
    dict(acct="Verity Clinical Research", ind="Life Sciences", name="Verity - eTMF",
         stage="Needs Analysis", amt=96000, created=150, close=-45, ns="Book another demo", rep=4,
         contacts=[C("Dr. Alice", "Hung", "Director of Clinical Operations", "Decision Maker"),
                   C("Rob", "Tennant", "Clinical Trial Associate", "Business User")],
         acts=[
             (140, "ev", 0, "Intro", "Alice - trial master file in SharePoint, inspection next year."),
             (85, "em", 0, "Email: brochure", "Sent eTMF brochure and the inspection-readiness whitepaper."),
             (66, "em", 1, "Email: webinar recording", "Emailed across the recorded webinar on TMF reference model."),
             (41, "ev", 0, "Zoom - new dashboards", "Quick Zoom demo of the new completeness dashboards. Alice watched, no real questions."),
             (19, "em", 0, "Email: Q1 pricing", "Sent Q1 price drop offer - 12% off if PO before 31 Mar."),
         ],
         labels=[CONV],
         why="Brochure, webinar, feature demo, discount in 90 days; buyer does no work of her own."),
    # ---------------------------------------------------------------- G06
    dict(acct="Hanover Precision", ind="Manufacturing", name="Hanover - Shop Floor Scheduling",
         stage="Value Proposition", amt=67000, created=150, close=-30, ns="", rep=0,
         contacts=[C("Klaus", "Meyer", "Plant Director", "Decision Maker"),
                   C("Tina", "Burke", "Production Planner", "Evaluator")],
         acts=[
             (140, "ev", 1, "Discovery", "Tina - scheduling 80 CNC machines in Excel."),
             (110, "ev", 0, "Site visit", "Klaus + Tina, walked the floor."),
             (75, "ev", 1, "Data review", "Tina shared 2 weeks of job data."),
             (41, "co", 0, "Call", "Klaus: not the right time - we'll revisit after the merger closes. Can't take on anything new."),
         ],
         labels=[DROP, NNS],
         why="'Not the right time, revisit after the merger' 41 days ago; rep silent since; no next step."),
    # ---------------------------------------------------------------- G07
    dict(acct="Cedar Grove Museum", ind="Non-profit", name="Cedar Grove - Ticketing & Membership",
         stage="Needs Analysis", amt=23000, created=130, close=-60, ns="Trustees meeting in April", rep=1,
         contacts=[C("Lottie", "Hayes", "Visitor Services Coordinator", "Influencer")],
         acts=[
             (125, "co", 0, "Intro", "Lottie - memberships on paper forms."),
             (100, "ev", 0, "Discovery", "Lottie walked me through the front desk flow."),
             (70, "ev", 0, "Demo", "Demo to Lottie, she loved the member app."),
             (45, "co", 0, "Call", "Lottie: anything over 10k needs sign-off from the board of trustees; meets quarterly."),
             (20, "em", 0, "Email: trustee summary", "Sent Lottie a 1-page summary for the trustees."),
         ],
         labels=[WAIT, ST],
         why="Needs board of trustees sign-off; all 5 activities with a coordinator."),
    # ---------------------------------------------------------------- G08
    dict(acct="Polar Cold Storage", ind="Transportation", name="Polar - WMS Upgrade",
         stage="Perception Analysis", amt=88000, created=100, close=-35, ns="", rep=2,
         contacts=[C("Rita", "Novak", "Head of Warehousing", "Decision Maker"),
                   C("Dom", "Ferreira", "WMS Analyst", "Evaluator")],
         acts=[
             (95, "co", 0, "Intro", "Rita - 3 freezer sites, picking errors."),
             (60, "ev", 1, "Process workshop", "Dom + 2 shift leads mapped picking."),
             (30, "ev", 0, "Solution review", "Rita approved solution outline, wants to see costs."),
             (11, "emi", 1, "RE: SKU data", "Dom sent SKU master for sizing."),
         ],
         labels=[NNS],
         why="Healthy progress but NextStep blank and nothing scheduled after AS_OF."),
    # ---------------------------------------------------------------- G09
    dict(acct="Ironclad Security", ind="Technology", name="Ironclad - PSA Tooling",
         stage="Qualification", amt=31000, created=210, close=-20, ns="Keep in touch", rep=3,
         contacts=[C("Danny", "Cho", "Service Delivery Manager", "Influencer"),
                   C("Megan", "Ruiz", "Head of Services", "Decision Maker")],
         acts=[
             (175, "ev", 0, "Lunch", "Lunch w Danny. They're doing fine with the in-house tool he says."),
             (150, "ev", 1, "Drinks", "Drinks with Megan + Danny at the MSP meetup."),
             (120, "co", 0, "Call", "Catching up. No change."),
             (70, "ev", 0, "Christmas lunch", "Christmas lunch w Danny. The homegrown tool does the job, no need to switch right now."),
             (40, "em", 0, "Email: hey", "Hey Danny, happy new year, anything on your radar?"),
             (22, "ev", 0, "Super Bowl", "Watched the game at O'Malley's w/ Danny."),
         ],
         labels=[RWP, NRN],
         why="Lunches/drinks/Christmas/Super Bowl, in-house tool 'does the job'; no buyer-side work; stage unchanged (knowable: created 7 months ago, still Qualification, no change noted)."),
    # ---------------------------------------------------------------- G10
    dict(acct="Sundial Solar", ind="Energy", name="Sundial - Installer Scheduling",
         stage="Proposal/Price Quote", amt=41000, created=95, close=-15, ns="", rep=4,
         contacts=[C("Will", "Harper", "Installations Manager", "Evaluator"),
                   C("Nora", "Blake", "COO", "Economic Buyer")],
         acts=[
             (90, "ev", 1, "Discovery", "Nora - 25 crews, double-bookings weekly."),
             (60, "ev", 0, "Pilot", "Will's team piloted with 3 crews for 2 weeks."),
             (40, "em", 1, "Email: proposal", "Proposal to Nora + Will."),
             (33, "em", 1, "Email: f/u", "f/u on proposal"),
             (25, "co", 0, "Call", "no answer, VM"),
             (16, "em", 0, "Email: f/u 2", "Will - did Nora get a chance to look?"),
             (4, "co", 1, "Call", "No reply again. Tried Nora's mobile."),
         ],
         labels=[OWC, NNS],
         why="4 follow-ups over 29 days since proposal, no reply; NextStep blank, nothing booked."),
    # ---------------------------------------------------------------- G11
    dict(acct="Kittering Estate Agents", ind="Real Estate", name="Kittering - Lettings CRM",
         stage="Qualification", amt=19000, created=200, close=-10, ns="", rep=0,
         contacts=[C("Freddie", "Lamb", "Branch Manager", "Influencer"),
                   C("Poppy", "Shaw", "Lettings Negotiator", "Business User")],
         acts=[
             (175, "ev", 0, "Coffee", "Coffee w Freddie, lovely chap, big rugby fan."),
             (150, "em", 0, "Email: brochure", "Sent lettings brochure."),
             (125, "ev", 0, "Drinks", "Drinks after work, Freddie + Poppy."),
             (100, "co", 0, "Call", "checking in, nowt new"),
             (80, "ev", 0, "Christmas drinks", "Their office Xmas drinks, invited by Freddie."),
             (60, "em", 1, "Email: case study", "Sent Poppy the Hollins & Co case study."),
             (45, "ev", 0, "Lunch", "Lunch. Talked about his new puppy."),
             (30, "em", 0, "Email: updated pricing", "Sent updated pricing w/ new-year discount."),
             (17, "ev", 0, "Six Nations", "Took Freddie to England v Wales at Twickenham."),
             (6, "em", 0, "Email: feature update", "Sent the new tenant app feature sheet."),
         ],
         labels=[RWP, CONV, NNS],
         why="Coffee/drinks/rugby plus brochure/case study/pricing/feature sheet for 6 months; no buyer work; no next step."),
    # ---------------------------------------------------------------- G12
    dict(acct="Aster Dental Group", ind="Healthcare", name="Aster - Recall Automation",
         stage="Needs Analysis", amt=22000, created=100, close=-30, ns="", rep=1,
         contacts=[C("Lena", "Park", "Practice Director", "Decision Maker"),
                   C("Joel", "Hart", "Front Desk Lead", "Business User")],
         acts=[
             (95, "co", 1, "Intro", "Joel - recalls by postcard."),
             (70, "ev", 0, "Demo", "Lena + Joel."),
             (45, "co", 0, "Call", "Lena: we're good for now, recall rates are fine. Maybe revisit next year."),
         ],
         labels=[NRN, DROP, NNS],
         why="'We're good for now, maybe revisit next year', rep silent 45 days, no next step."),
    # ---------------------------------------------------------------- G13
    dict(acct="Foxley Building Society", ind="Financial Services", name="Foxley - Mortgage Origination",
         stage="Value Proposition", amt=145000, created=170, close=-60, ns="Wait til new FY", rep=2,
         contacts=[C("Graham", "Wells", "Mortgage Operations Manager", "Influencer"),
                   C("Anita", "Desai", "Business Analyst", "Evaluator")],
         acts=[
             (160, "ev", 0, "Discovery", "Graham - 18 day time-to-offer."),
             (120, "ev", 1, "Requirements", "Anita's requirements session, 60 reqs."),
             (90, "ev", 0, "Demo", "Demo to Graham + Anita + 3 underwriters."),
             (38, "co", 0, "Call", "Graham: CFO has frozen new spend, nothing until the budget's approved for the new financial year. Not ready to go further, he'll be in touch."),
         ],
         labels=[WAIT, DROP],
         why="Waiting on CFO/budget (no one with authority ever engaged) and rep silent 38 days after 'not ready'."),
    # ---------------------------------------------------------------- G14
    dict(acct="Redhill Golf Resort", ind="Hospitality", name="Redhill - Tee Time Platform",
         stage="Needs Analysis", amt=27000, created=220, close=-40, ns="Dinner at Hawthorn 9 Mar", rep=3,
         contacts=[C("Steve", "Barrow", "Director of Golf", "Decision Maker"),
                   C("Amy", "Kerr", "Pro Shop Supervisor", "Business User")],
         acts=[
             (170, "ev", 0, "Round + lunch", "18 holes with Steve then lunch. Tee sheet chat for 5 min."),
             (140, "co", 0, "Call", "check in, fine"),
             (110, "ev", 0, "Dinner", "Dinner w Steve + wife. Lovely evening."),
             (80, "t", 0, "Christmas gift", "Sent Steve a dozen Pro V1s for Xmas."),
             (50, "ev", 1, "Coffee", "Coffee with Amy in the pro shop, no news on the project."),
             (20, "co", 0, "Call", "hi call, booking dinner"),
             (-7, "ev", 0, "Dinner at Hawthorn", "with Steve"),
         ],
         labels=[RWP],
         why="Golf, dinners, gifts for 6 months with no buyer work; future dinner = next step exists."),
    # ---------------------------------------------------------------- G15
    dict(acct="Lattice Networks", ind="Technology", name="Lattice - NOC Automation",
         stage="Value Proposition", amt=74000, created=80, close=-50, ns="Rahul to run test on 2 sites", rep=4,
         contacts=[C("Rahul", "Nair", "Network Engineer", "Evaluator"),
                   C("Beth", "Kimball", "VP Network Operations", "Economic Buyer")],
         acts=[
             (75, "co", 0, "Intro", "Rahul from a Reddit thread, lol. 400 routers, manual config."),
             (60, "ev", 0, "Tech deep-dive", "Rahul + me, config templating."),
             (40, "emi", 0, "RE: lab results", "Rahul got it working in his lab."),
             (24, "ev", 0, "Review", "Went through results. Rahul to pitch internally, didn't want to loop Beth yet."),
             (7, "co", 0, "Call", "Rahul planning 2-site test."),
         ],
         labels=[ST],
         why="Good technical progress but every touch is with one engineer; VP listed but never engaged."),
    # ---------------------------------------------------------------- G16
    dict(acct="Orion Charter Flights", ind="Aerospace", name="Orion - Crew Scheduling",
         stage="Prospecting", amt=58000, created=12, close=-90, ns="", rep=0,
         contacts=[C("Gemma", "Ross", "Crew Planning Coordinator", "Business User")],
         acts=[
             (11, "em", 0, "Email: overview deck", "Sent our overview deck."),
             (7, "em", 0, "Email: case study", "Sent SkyBridge case study + brochure."),
             (2, "em", 0, "Email: ROI calculator", "Sent ROI calculator and more info on fatigue rules."),
         ],
         labels=[CONV],
         why="12-day-old deal: 3 sends, no buyer work (no time-based labels)."),
    # ---------------------------------------------------------------- G17
    dict(acct="Thornbury Schools Trust", ind="Education", name="Thornbury - MIS Migration",
         stage="Perception Analysis", amt=83000, created=140, close=-45, ns="Chase Jo for feedback", rep=1,
         contacts=[C("Jo", "Whitfield", "Trust Data Manager", "Evaluator"),
                   C("Martin", "Ames", "Chief Operating Officer", "Economic Buyer")],
         acts=[
             (130, "ev", 1, "Discovery", "Martin - 9 schools, MIS contract ends Aug."),
             (95, "ev", 0, "Data audit", "Jo's team ran data quality audit on 2 schools."),
             (55, "ev", 0, "Solution walkthrough", "Jo: will share with heads and come back."),
             (45, "em", 0, "Email: following up", "Hi Jo, following up on last week."),
             (34, "co", 0, "Call", "2nd VM"),
             (24, "em", 1, "Email: quick q", "Martin, is Jo still the right person?"),
             (12, "co", 0, "Call", "Tried Jo's mobile, no joy."),
         ],
         labels=[OWC],
         why="4 follow-ups over 33 days with no response."),
    # ---------------------------------------------------------------- G18
    dict(acct="Morrow Print Group", ind="Media", name="Morrow - Job Costing",
         stage="Needs Analysis", amt=29000, created=115, close=-20, ns="", rep=2,
         contacts=[C("Ken", "Ashworth", "Estimating Manager", "Business User")],
         acts=[
             (110, "co", 0, "Intro", "Ken from the print expo."),
             (85, "ev", 0, "Discovery", "Ken: their estimating spreadsheet has been fine for 15 years."),
             (60, "co", 0, "Call", "Ken: no real problem to solve, margins are OK."),
             (35, "em", 0, "Email: checking in", "just checking in, hope all's well"),
             (14, "co", 0, "Call", "Ken still happy with the status quo."),
         ],
         labels=[NRN, ST, NNS],
         why="Spreadsheet 'fine for 15 years', 'no problem to solve'; only Ken (manager) engaged; no next step."),
    # ---------------------------------------------------------------- G19
    dict(acct="Brackenridge Hospital", ind="Healthcare", name="Brackenridge - Theatre Scheduling",
         stage="Needs Analysis", amt=160000, created=230, close=-60, ns="Lunch with Nicola after half term", rep=3,
         contacts=[C("Nicola", "Hurst", "Theatre Coordinator", "Business User")],
         acts=[
             (175, "ev", 0, "Lunch", "Lunch w Nicola. Theatre utilisation 68%."),
             (150, "ev", 0, "Coffee", "Coffee. Procurement won't engage until the Head of IT signs off the architecture."),
             (120, "co", 0, "Call", "Catching up, Head of IT still hasn't looked."),
             (90, "ev", 0, "Lunch", "Lunch, chatted about her marathon training."),
             (65, "t", 0, "Christmas card", "Card + chocolates to Nicola's team"),
             (35, "ev", 0, "Coffee", "Coffee. Still waiting on IT."),
             (10, "co", 0, "Call", "Touch base, nothing new."),
         ],
         labels=[RWP, WAIT, ST],
         why="Lunches/coffees for 6 months with a coordinator; needs Head of IT sign-off, never engaged."),
    # ---------------------------------------------------------------- G20
    dict(acct="Seaview Holiday Parks", ind="Hospitality", name="Seaview - Bookings Engine",
         stage="Value Proposition", amt=48000, created=130, close=-45, ns="", rep=4,
         contacts=[C("Gwen", "Pryce", "Head of Digital", "Decision Maker"),
                   C("Rhys", "Evans", "Web Manager", "Evaluator")],
         acts=[
             (120, "ev", 1, "Discovery", "Rhys - 30% booking abandonment."),
             (95, "ev", 0, "Demo", "Gwen + Rhys liked dynamic pricing."),
             (74, "co", 0, "Call", "Gwen: need to think about it over the holidays, lots on."),
         ],
         labels=[DROP, NNS],
         why="'Need to think about it over the holidays' 74 days ago, then nothing; no next step."),
    # ---------------------------------------------------------------- G21
    dict(acct="Nimbus Payroll", ind="Technology", name="Nimbus - Support Chatbot",
         stage="Value Proposition", amt=33000, created=90, close=-30, ns="Send more info on integrations", rep=0,
         contacts=[C("Aaron", "Feld", "Support Team Lead", "Influencer"),
                   C("Jess", "Cole", "Director of Customer Support", "Decision Maker")],
         acts=[
             (85, "ev", 1, "Discovery", "Jess - ticket volume up 40%."),
             (50, "ev", 0, "Demo", "Demo to Aaron."),
             (42, "em", 0, "Email: deck", "Sent deck and recording."),
             (30, "em", 0, "Email: case study", "Sent HR-tech case study."),
             (19, "em", 1, "Email: pricing", "Sent pricing to Jess + launch discount."),
             (8, "em", 0, "Email: more info", "Sent more info on the Zendesk integration."),
         ],
         labels=[CONV, OWC],
         why="4 material sends over 34 days after the demo, no reply and no buyer-side work."),
    # ---------------------------------------------------------------- G22
    dict(acct="Wexford Pharmaceuticals", ind="Life Sciences", name="Wexford - Sample Tracking",
         stage="Needs Analysis", amt=39000, created=70, close=-60, ns="", rep=1,
         contacts=[C("Ciara", "Byrne", "QC Lab Analyst", "Evaluator")],
         acts=[
             (66, "co", 0, "Intro", "Ciara - 2,000 samples/month logged in paper books."),
             (50, "ev", 0, "Lab walkthrough", "Ciara walked me thru the QC lab."),
             (33, "emi", 0, "RE: sample volumes", "Ciara sent monthly volumes + label formats."),
             (15, "ev", 0, "Config session", "Configured sample types with Ciara."),
         ],
         labels=[ST, NNS],
         why="Useful work but all 4 activities with one QC analyst; NextStep blank, nothing scheduled."),
    # ---------------------------------------------------------------- G23
    dict(acct="Ashby Housing Trust", ind="Non-profit", name="Ashby - Tenant Portal",
         stage="Qualification", amt=34000, created=200, close=-25, ns="Pop in for a cuppa in March", rep=2,
         contacts=[C("Bev", "Morgan", "Tenancy Services Officer", "Business User"),
                   C("Clive", "Tate", "Income Officer", "Business User")],
         acts=[
             (170, "ev", 0, "Cuppa", "Had a cuppa with Bev at their office. Tenants still phoning for everything."),
             (140, "co", 1, "Call", "chatted w Clive, all fine"),
             (110, "ev", 0, "Lunch", "Lunch with Bev + Clive at the Crown."),
             (75, "t", 0, "Christmas hamper", "Christmas hamper to the tenancy team."),
             (45, "co", 0, "Call", "Rang Bev to say happy new year. Nothing on the portal."),
             (18, "ev", 0, "Cuppa", "Another cuppa with Bev. Lovely as ever, nothing new on the portal."),
         ],
         labels=[RWP],
         why="Cuppas, lunch, hamper with two officers for 6 months, still Qualification; NextStep text exists."),
    # ---------------------------------------------------------------- G24
    dict(acct="Vance & Daughters Haulage", ind="Transportation", name="Vance - Fuel Cards",
         stage="Qualification", amt=15000, created=90, close=-30, ns="Check back end of March", rep=3,
         contacts=[C("Harry", "Vance", "Managing Director", "Decision Maker"),
                   C("Sue", "Vance", "Office Manager", "Business User")],
         acts=[
             (85, "co", 0, "Intro", "Harry picked up. 30 lorries."),
             (60, "ev", 0, "Visit", "Met Harry + Sue. Harry: 'our fuel card's fine, mate, we've had it 10 years'."),
             (24, "co", 1, "Call", "Sue: Harry's not interested in changing, current cards do what they need."),
         ],
         labels=[NRN],
         why="MD says current fuel card is fine; office manager confirms no interest."),
    # ---------------------------------------------------------------- G25
    dict(acct="Pendle Valley Water", ind="Utilities", name="Pendle - Leak Analytics",
         stage="Value Proposition", amt=120000, created=160, close=-40, ns="Regional VP sign-off", rep=4,
         contacts=[C("Dean", "Holt", "Network Performance Manager", "Influencer"),
                   C("Fran", "Lees", "Data Analyst", "Evaluator")],
         acts=[
             (150, "ev", 0, "Discovery", "Dean - leakage target missed 2 yrs running."),
             (120, "ev", 1, "Data trial", "Fran's trial on 3 DMAs found 4 leaks."),
             (80, "ev", 0, "Results", "Dean impressed. Needs the Regional VP to approve anything over 50k."),
             (44, "co", 0, "Call", "Dean has a slot with the VP 'in March'."),
             (14, "em", 1, "Email: trial summary", "Sent Fran the trial summary for Dean's VP pack."),
         ],
         labels=[WAIT],
         why="Needs Regional VP approval; only a manager and analyst engaged."),
    # ---------------------------------------------------------------- G26
    dict(acct="Kestrel Home Care", ind="Healthcare", name="Kestrel HC - Visit Scheduling",
         stage="Needs Analysis", amt=26000, created=80, close=-40, ns="", rep=0,
         contacts=[C("Paula", "Green", "Care Coordinator", "Business User"),
                   C("Ian", "Webb", "Registered Manager", "Decision Maker")],
         acts=[
             (75, "co", 0, "Intro", "Paula - 120 visits/day."),
             (50, "ev", 1, "Discovery", "Ian + Paula, missed visits 3%."),
             (20, "ev", 0, "Demo", "Paula's team liked the carer app."),
             (0, "ot", 0, "Send Paula the carer app video", "Due today"),
         ],
         labels=[NNS],
         why="Only open task is dated on AS_OF itself (not after), NextStep blank -> mechanically no next step."),
    # ---------------------------------------------------------------- G27
    dict(acct="Halcyon Hotels", ind="Hospitality", name="Halcyon - Energy Monitoring",
         stage="Qualification", amt=55000, created=180, close=-30, ns="", rep=2,
         contacts=[C("Oscar", "Vale", "Facilities Coordinator", "Influencer")],
         acts=[
             (170, "ev", 0, "Coffee", "Coffee w Oscar, met at the FM show."),
             (140, "ev", 0, "Lunch", "Lunch. His boss (Director of Engineering) doesn't believe in sub-metering."),
             (110, "co", 0, "Call", "checking in, nothing new"),
             (75, "ev", 0, "Christmas drinks", "Christmas drinks w Oscar."),
             (40, "co", 0, "Call", "Oscar: boss still sees no reason to change, energy bills 'are what they are'."),
             (12, "ev", 0, "Lunch", "Lunch with Oscar. Nice. Nothing changed."),
         ],
         labels=[RWP, NRN, WAIT, ST, NNS],
         why="Seed-000 variant: coffee/lunch/drinks with a coordinator whose boss sees no need; no authority ever engaged."),
    # ---------------------------------------------------------------- G28
    dict(acct="Calder Media Group", ind="Media", name="Calder - Rights Management",
         stage="Id. Decision Makers", amt=99000, created=160, close=-45, ns="Re-engage after reorg", rep=1,
         contacts=[C("Imran", "Qureshi", "Head of Content Operations", "Decision Maker"),
                   C("Beth", "Olsen", "Rights Coordinator", "Business User")],
         acts=[
             (150, "ev", 0, "Discovery", "Imran - rights windows tracked in 6 spreadsheets."),
             (115, "ev", 1, "Rights workshop", "Beth + 3 colleagues mapped licensing workflow."),
             (80, "ev", 0, "Decision process", "Imran listed who needs to agree: him, legal, finance."),
             (52, "co", 0, "Call", "Imran: group restructure announced, they'll look again after the reorg. Not ready to commit to anything."),
         ],
         labels=[DROP],
         why="'They'll look again after the reorg / not ready' 52 days ago; nothing logged since."),
    # ================================================================ healthy / traps
    dict(acct="Granby Freight", ind="Transportation", name="Granby - Freight Audit",
         stage="Negotiation/Review", amt=87000, created=150, close=-20, ns="Countersignature", rep=2,
         contacts=[C("Louise", "Ng", "Freight Payables Manager", "Evaluator"),
                   C("Peter", "Doran", "Chief Financial Officer", "Economic Buyer")],
         acts=[
             (140, "ev", 0, "Discovery", "Louise - 3% overbilling on LTL invoices."),
             (100, "ev", 0, "Audit sample", "Louise's team gave us 6 months of invoices, we found $210k."),
             (45, "ev", 1, "CFO review", "Peter reviewed findings; the CFO signed off the budget last week."),
             (20, "emi", 1, "RE: order form", "Peter: legal is fine with the paper, sending for signature."),
             (-3, "ft", 0, "Countersign + kickoff date", "Confirm kickoff"),
         ],
         labels=[], why="TRAP: CFO/budget/sign-off words in a deal the CFO is actively closing."),
    dict(acct="Juno Learning", ind="Education", name="Juno - Coaching Platform Trial",
         stage="Perception Analysis", amt=46000, created=80, close=-30, ns="Trial readout 10 Mar", rep=3,
         contacts=[C("Ruth", "Adler", "L&D Manager", "Evaluator"),
                   C("Tom", "Greer", "Chief People Officer", "Executive Sponsor")],
         acts=[
             (75, "ev", 1, "Discovery", "Tom - new managers struggle, attrition up."),
             (45, "ev", 0, "Trial kickoff", "Ruth picked 25 new managers for the trial cohort."),
             (25, "ev", 0, "Lunch & learn", "Lunch & learn session hosted by their L&D team for the trial cohort - Ruth ran it."),
             (10, "emi", 0, "RE: trial stats", "Ruth: 21/25 completed module 1, NPS 58."),
             (-8, "ev", 1, "Trial readout", "With Tom + Ruth"),
         ],
         labels=[], why="TRAP: buyer-hosted lunch & learn inside an active trial."),
    dict(acct="Stonebridge Telecom", ind="Technology", name="Stonebridge - Field Ticketing",
         stage="Proposal/Price Quote", amt=64000, created=60, close=-25, ns="Quote review with Dana", rep=4,
         contacts=[C("Dana", "Kirby", "Head of Field Services", "Decision Maker"),
                   C("Lars", "Eng", "Dispatch Supervisor", "Business User")],
         acts=[
             (55, "co", 0, "Intro", "Dana inbound: frustrated with the current vendor's outages, 3 in January."),
             (35, "ev", 1, "Dispatch review", "Lars walked us through dispatch."),
             (14, "ev", 0, "Requirements", "Dana: fed up with the current tool, requesting a quote by end of Feb."),
             (5, "em", 0, "Email: quote", "Sent quote."),
         ],
         labels=[], why="TRAP: frustration with current tool = recognised need, quote requested."),
    dict(acct="Bellweather Bakeries", ind="Food & Beverage", name="Bellweather - Route Accounting",
         stage="Closed Won", amt=38000, created=200, close=30, rep=0,
         contacts=[C("Pete", "Kowalski", "Distribution Manager", "Evaluator"),
                   C("Anne", "Bell", "Owner", "Decision Maker")],
         acts=[
             (190, "ev", 0, "Lunch", "Lunch with Pete."),
             (160, "ev", 1, "Dinner", "Dinner w Anne + Pete."),
             (120, "ev", 0, "Trial", "Trial on 5 routes."),
             (80, "ev", 1, "Holiday party", "Their holiday party."),
             (35, "emi", 1, "RE: contract", "Signed."),
         ],
         labels=[], why="Closed won with dinners."),
    dict(acct="Marigold Spa Group", ind="Hospitality", name="Marigold - Booking App",
         stage="Closed Lost", amt=29000, created=260, close=20, rep=1,
         contacts=[C("Jade", "Wu", "Marketing Coordinator", "Influencer")],
         acts=[
             (250, "ev", 0, "Coffee", "coffee w Jade"),
             (210, "ev", 0, "Lunch", "lunch"),
             (170, "co", 0, "Call", "checking in"),
             (120, "ev", 0, "Drinks", "drinks"),
             (70, "ev", 0, "Christmas lunch", "xmas lunch, her boss still not keen"),
             (20, "t", 0, "Close out", "Closed lost - no decision."),
         ],
         labels=[], why="Closed lost - hanging-around history on a closed deal."),
    dict(acct="Hartwell Insurance Group", ind="Insurance", name="Hartwell - Claims AI (Group-wide)",
         stage="Negotiation/Review", amt=720000, created=300, close=-30, ns="Final SteerCo 5 Mar; MSA signature", rep=2,
         contacts=[C("Victoria", "Lang", "Chief Claims Officer", "Economic Buyer"),
                   C("Samuel", "Obi", "Head of Claims Transformation", "Executive Sponsor"),
                   C("Greta", "Holm", "Claims Data Lead", "Evaluator"),
                   C("Tomasz", "Nowak", "Information Security Manager", "Evaluator"),
                   C("Paula", "Reyes", "Procurement Lead", "Influencer"),
                   C("Henry", "Fox", "Claims Handler Team Leader", "Business User")],
         acts=[
             (290, "ev", 1, "Intro", "Samuel - leakage on motor claims est. 4%."),
             (260, "ev", 2, "Data workshop", "Greta's team shared 2 yrs of claims."),
             (230, "ev", 5, "Handler shadowing", "Shadowed Henry's team for a day."),
             (215, "ev", 1, "Dinner", "Dinner w Samuel + Greta after the workshop."),
             (190, "ev", 0, "Exec briefing", "Victoria set success measure: leakage -1.5pts."),
             (160, "ev", 3, "Security review", "Tomasz kicked off security review."),
             (140, "emi", 3, "RE: pen test", "Pen test findings closed."),
             (120, "ev", 2, "POC", "POC on 10k claims: 1.9pt leakage found."),
             (95, "ev", 1, "Business case", "Samuel's team built business case, £6m/yr."),
             (80, "ev", 1, "Christmas drinks", "Their Christmas drinks, good chat with Samuel about rollout waves."),
             (60, "ev", 4, "RFP", "Paula ran the commercial RFP, we're preferred."),
             (40, "ev", 0, "SteerCo", "SteerCo approved preferred supplier."),
             (25, "ev", 4, "Negotiation", "Pricing agreed with Paula."),
             (9, "emi", 4, "RE: MSA", "Paula: 1 open clause."),
             (-3, "ev", 0, "Final SteerCo", "Scheduled"),
         ],
         labels=[], why="TRAP: long multi-threaded enterprise deal with dinners/drinks that keeps advancing."),
    dict(acct="Mapleton Vets", ind="Healthcare", name="Mapleton - Online Booking",
         stage="Prospecting", amt=9000, created=8, close=-60, ns="", rep=3,
         contacts=[C("Kerry", "Dale", "Reception Coordinator", "Business User")],
         acts=[
             (7, "co", 0, "Intro", "Kerry called in, phones ringing off the hook."),
             (3, "em", 0, "Email: recap", "Recap of our call."),
         ],
         labels=[], why="TRAP: brand-new deal, single coordinator, no next step - too young."),
    dict(acct="Oakhurst Engineering", ind="Manufacturing", name="Oakhurst - Calibration Mgmt",
         stage="Proposal/Price Quote", amt=31000, created=150, close=-30, ns="Proposal review 6 Mar", rep=4,
         contacts=[C("Nils", "Berg", "Metrology Engineer", "Evaluator"),
                   C("Carol", "Hunt", "Head of Quality", "Decision Maker")],
         acts=[
             (140, "ev", 0, "Discovery", "Nils - 2,000 gauges tracked in Access."),
             (110, "ev", 1, "Demo", "Carol + Nils."),
             (80, "co", 0, "Call", "Nils: on hold until the audit."),
             (6, "ev", 1, "Post-audit workshop", "Audit found 14 overdue calibrations. Carol ran a requirements workshop with her team this week."),
             (4, "emi", 1, "RE: proposal request", "Carol asked for a proposal ASAP."),
             (-4, "ev", 1, "Proposal review", "Scheduled"),
         ],
         labels=[], why="TRAP: quiet 74 days then just advanced."),
    dict(acct="Brookside Clinics", ind="Healthcare", name="Brookside - Telehealth",
         stage="Value Proposition", amt=57000, created=70, close=-40, ns="", rep=0,
         contacts=[C("Maya", "Hill", "Clinical Systems Manager", "Evaluator"),
                   C("Dr. Sam", "Cohen", "Medical Director", "Decision Maker")],
         acts=[
             (65, "co", 0, "Intro", "Maya - no-show rate 18%."),
             (40, "ev", 1, "Discovery", "Dr Cohen - wants virtual follow-ups."),
             (18, "ev", 0, "Pilot config", "Maya's team configured 2 clinics."),
             (-9, "ev", 1, "Pilot review", "Scheduled with Dr Cohen"),
         ],
         labels=[], why="TRAP: NextStep blank but a future meeting is booked."),
    dict(acct="Greystone Capital", ind="Financial Services", name="Greystone - Investor Portal",
         stage="Id. Decision Makers", amt=72000, created=95, close=-45, ns="Send MSA", rep=1,
         contacts=[C("Rachel", "Sterne", "Chief Operating Officer", "Decision Maker")],
         acts=[
             (90, "co", 0, "Intro", "Rachel - LP reporting by PDF email."),
             (70, "ev", 0, "Discovery", "Rachel walked through quarterly reporting."),
             (45, "ev", 0, "Demo", "Rachel + her IR team (not in CRM)."),
             (25, "emi", 0, "RE: security pack", "Rachel's IT vendor reviewed security pack, OK."),
             (10, "ev", 0, "Scope", "Rachel agreed scope."),
         ],
         labels=[], why="TRAP: one contact across 5 activities, but she's the COO/decision maker."),
    dict(acct="Fernhill Primary Federation", ind="Education", name="Fernhill - Payments",
         stage="Needs Analysis", amt=8000, created=75, close=-40, ns="Meeting with business manager", rep=2,
         contacts=[C("Sally", "Moon", "School Office Coordinator", "Business User")],
         acts=[
             (70, "co", 0, "Intro", "Sally - dinner money still cash."),
             (40, "ev", 0, "Discovery", "Sally wants the business manager to join next time."),
             (-6, "ft", 0, "Confirm meeting w/ business manager", ""),
         ],
         labels=[], why="TRAP: single coordinator, 75 days old, but only 2 completed activities (+1 planned)."),
    dict(acct="Riverton Logistics", ind="Transportation", name="Riverton - Carrier Onboarding",
         stage="Proposal/Price Quote", amt=53000, created=100, close=-25, ns="Contract call 4 Mar", rep=3,
         contacts=[C("Gus", "Mendez", "Carrier Manager", "Evaluator"),
                   C("Ivy", "Chen", "VP Logistics", "Economic Buyer")],
         acts=[
             (95, "ev", 1, "Discovery", "Ivy - onboarding carriers takes 9 days."),
             (60, "ev", 0, "Pilot", "Gus onboarded 12 carriers in pilot."),
             (38, "em", 1, "Email: proposal", "Proposal."),
             (30, "em", 1, "Email: f/u", "Following up."),
             (22, "co", 0, "Call", "VM"),
             (15, "em", 0, "Email: f/u", "Gus, any news?"),
             (12, "ci", 1, "Inbound call", "Ivy called back - was travelling. Approved, wants contract."),
             (-2, "ev", 1, "Contract call", "Scheduled"),
         ],
         labels=[], why="TRAP: 3 follow-ups then the buyer called back -> not one-way."),
    dict(acct="Pinnacle Fitness", ind="Hospitality", name="Pinnacle - Member App",
         stage="Perception Analysis", amt=49000, created=110, close=-30, ns="Business case review", rep=4,
         contacts=[C("Zoe", "Grant", "Digital Marketing Manager", "Evaluator"),
                   C("Carl", "Ruiz", "Head of Membership", "Decision Maker")],
         acts=[
             (100, "ev", 1, "Discovery", "Carl - churn 4%/mo."),
             (70, "em", 0, "Email: case study", "Sent GymCo case study Zoe asked for."),
             (55, "em", 0, "Email: deck", "Sent deck for Zoe's internal pack."),
             (40, "ev", 1, "Business case workshop", "Carl's team drafted business case w/ churn model."),
             (25, "em", 1, "Email: pricing", "Pricing for business case."),
             (12, "emi", 1, "RE: business case", "Carl shared draft business case for comments."),
         ],
         labels=[], why="TRAP: several sends, but the buyer is building a business case in the same window."),
    dict(acct="Lowther Castings", ind="Manufacturing", name="Lowther - Maintenance CMMS",
         stage="Needs Analysis", amt=44000, created=140, close=-60, ns="Plant walk w/ Ops Director", rep=0,
         contacts=[C("Jim", "Ogden", "Maintenance Supervisor", "Business User"),
                   C("Helen", "Kay", "Operations Director", "Decision Maker")],
         acts=[
             (130, "ev", 0, "Discovery", "Jim - reactive maintenance 70%."),
             (95, "co", 0, "Call", "Jim: not ready yet, maybe after budget season."),
             (75, "co", 0, "Call", "Asked Jim how he'd know it was time to change; he's going to tally unplanned downtime for a month."),
             (40, "emi", 0, "RE: downtime", "Jim: 61 hrs unplanned downtime in Jan, more than he thought."),
             (18, "ev", 1, "Ops Director", "Helen joined, wants to see the downtime data by line."),
             (-10, "ev", 1, "Plant walk", "Scheduled"),
         ],
         labels=[], why="TRAP: buyer said 'not ready' but rep kept facilitating and the buyer did work."),
    dict(acct="Westmoor Care", ind="Healthcare", name="Westmoor - eMAR",
         stage="Proposal/Price Quote", amt=61000, created=190, close=-25, ns="Proposal Q&A", rep=1,
         contacts=[C("Anna", "Price", "Care Home Manager", "Business User"),
                   C("Rob", "Dyer", "Director of Care", "Decision Maker")],
         acts=[
             (180, "ev", 0, "Intro", "Anna: paper MAR charts are fine, not a priority."),
             (140, "co", 0, "Call", "Still fine, she says."),
             (100, "co", 0, "Call", "Anna: CQC flagged 2 medication errors - now it's urgent. Her director wants options."),
             (70, "ev", 1, "Workshop", "Rob + Anna + 2 nurses mapped med rounds."),
             (30, "em", 1, "Email: proposal", "Proposal."),
             (-5, "ev", 1, "Proposal Q&A", "Scheduled"),
         ],
         labels=[], why="TRAP: early 'fine/not a priority' superseded by a recognised need."),
    dict(acct="Kingsley Foods", ind="Food & Beverage", name="Kingsley - Trade Promotion",
         stage="Id. Decision Makers", amt=93000, created=120, close=-45, ns="Budget confirmation from Sean", rep=2,
         contacts=[C("Holly", "Barnes", "Trade Marketing Manager", "Evaluator"),
                   C("Sean", "O'Neill", "Commercial Director", "Economic Buyer")],
         acts=[
             (110, "ev", 0, "Discovery", "Holly - promo ROI unknown."),
             (80, "ev", 0, "Data review", "Holly's team shared 40 promos."),
             (50, "co", 0, "Call", "Holly needs her boss to approve before a pilot."),
             (30, "ev", 1, "Director meeting", "Sean joined; he'll find budget if pilot shows 10% uplift."),
             (10, "emi", 1, "RE: pilot plan", "Sean OK'd pilot plan."),
         ],
         labels=[], why="TRAP: 'boss to approve' but the Commercial Director is engaged."),
    dict(acct="Alderley Dental", ind="Healthcare", name="Alderley - Patient Finance",
         stage="Perception Analysis", amt=21000, created=90, close=-20, ns="Expansion proposal", rep=3,
         contacts=[C("Nina", "Shah", "Practice Manager", "Evaluator"),
                   C("Dr. Paul", "Amis", "Principal Dentist", "Decision Maker")],
         acts=[
             (85, "ev", 1, "Discovery", "Dr Amis - patients declining implants on cost."),
             (55, "ev", 0, "Pilot", "Nina piloted finance on 10 patients."),
             (20, "emi", 0, "RE: pilot", "Nina: patients happy, team happy with the pilot, want to roll out to both sites."),
             (8, "ev", 1, "Review", "Dr Amis agreed rollout."),
         ],
         labels=[], why="TRAP: 'happy' = pilot success, not status quo."),
    dict(acct="Dunmore Retail", ind="Retail", name="Dunmore - Store Audits",
         stage="Value Proposition", amt=39000, created=75, close=-40, ns="Pilot review 12 Mar", rep=4,
         contacts=[C("Liam", "Byrne", "Area Manager", "Evaluator"),
                   C("Sophie", "Tran", "Head of Retail Ops", "Decision Maker")],
         acts=[
             (70, "ev", 1, "Discovery", "Sophie - store audits on clipboards."),
             (62, "co", 0, "Call", "Holiday freeze - Liam back 12 Jan, booked kickoff workshop."),
             (49, "ev", 0, "Kickoff workshop", "Holiday freeze ended; kickoff Jan 12 workshop with 6 store managers."),
             (20, "co", 0, "Check-in", "Checked in on pilot: 38 audits done, 2 stores flagged."),
             (-10, "ev", 1, "Pilot review", "Scheduled"),
         ],
         labels=[], why="TRAP: 'holiday', 'checked in' in a progressing pilot."),
    dict(acct="Carrick Mining Supplies", ind="Manufacturing", name="Carrick - Dealer Portal",
         stage="Qualification", amt=47000, created=200, close=95, ns="Workshop with dealer reps 11 Mar", rep=0,
         contacts=[C("Shane", "Wallace", "Dealer Network Manager", "Evaluator"),
                   C("Kerry", "Lynch", "Sales Director", "Decision Maker")],
         acts=[
             (190, "co", 0, "Intro", "Shane - 60 dealers order by fax (!)."),
             (100, "ev", 1, "Discovery", "Kerry: dealer ordering errors cost 2% of revenue."),
             (45, "ev", 0, "Dealer survey", "Shane surveyed 20 dealers; 14 want online ordering."),
             (14, "emi", 0, "RE: survey", "Shane sent survey results."),
             (-9, "ev", 0, "Dealer workshop", "Scheduled"),
         ],
         labels=[], why="TRAP (no history): close date 95 days in the past, never updated - slipping/stalled not knowable without history; deal itself active."),
    dict(acct="Glasshouse Studios", ind="Media", name="Glasshouse - Render Farm",
         stage="Closed Won", amt=52000, created=120, close=10, rep=1,
         contacts=[C("Mo", "Reza", "Head of Pipeline", "Decision Maker")],
         acts=[
             (110, "ev", 0, "Drinks", "Drinks at SIGGRAPH meetup."),
             (80, "ev", 0, "Benchmark", "Benchmark run."),
             (40, "ev", 0, "Dinner", "Dinner, verbal yes."),
             (11, "emi", 0, "RE: PO", "PO received."),
         ],
         labels=[], why="Closed won."),
    dict(acct="Pembrook Council", ind="Public Sector", name="Pembrook - Parking Permits",
         stage="Closed Lost", amt=66000, created=240, close=35, rep=2,
         contacts=[C("Gail", "Foster", "Parking Services Officer", "Business User")],
         acts=[
             (230, "em", 0, "Email: brochure", "sent brochure"),
             (200, "ev", 0, "Lunch", "lunch"),
             (160, "em", 0, "Email: deck", "deck"),
             (120, "co", 0, "Call", "checking in"),
             (60, "co", 0, "Call", "Gail: tender awarded to incumbent."),
             (35, "t", 0, "Close out", "closed lost."),
         ],
         labels=[], why="Closed lost."),
    dict(acct="Aurora Biologics", ind="Life Sciences", name="Aurora - QMS",
         stage="Id. Decision Makers", amt=140000, created=160, close=-50, ns="Validation plan review 9 Mar", rep=3,
         contacts=[C("Dr. Ines", "Lopez", "VP Quality", "Economic Buyer"),
                   C("Mark", "Tully", "QA Manager", "Evaluator"),
                   C("Priya", "Sen", "IT Validation Lead", "Evaluator")],
         acts=[
             (150, "ev", 0, "Discovery", "Ines - FDA 483 on CAPA."),
             (120, "ev", 1, "CAPA workshop", "Mark's team mapped CAPA."),
             (85, "ev", 2, "CSV review", "Priya reviewed validation approach."),
             (50, "ev", 0, "Decision process", "Ines mapped approvers: her, CFO, site head."),
             (20, "emi", 2, "RE: validation plan", "Priya sent validation plan comments."),
             (-7, "ev", 2, "Validation plan review", "Scheduled"),
         ],
         labels=[], why="Healthy multi-threaded."),
    dict(acct="Briarwood Hotels", ind="Hospitality", name="Briarwood - Housekeeping App",
         stage="Needs Analysis", amt=24000, created=40, close=-60, ns="Discovery part 2", rep=4,
         contacts=[C("Sana", "Malik", "Executive Housekeeper", "Business User"),
                   C("Tom", "Reed", "General Manager", "Decision Maker")],
         acts=[
             (35, "co", 0, "Intro", "Sana - room status by radio."),
             (15, "ev", 1, "Discovery", "Tom + Sana."),
             (-3, "ev", 0, "Discovery pt 2", "Scheduled"),
         ],
         labels=[], why="Healthy early deal."),
    dict(acct="Tarn Valley Water", ind="Utilities", name="Tarn Valley - Meter Data",
         stage="Proposal/Price Quote", amt=110000, created=180, close=-30, ns="Tender clarifications due 6 Mar", rep=0,
         contacts=[C("Neil", "Ashcroft", "Metering Manager", "Evaluator"),
                   C("Jane", "Cole", "Director of Customer Operations", "Economic Buyer")],
         acts=[
             (170, "ev", 1, "Market engagement", "Jane's supplier day."),
             (120, "ev", 0, "Tech dialogue", "Neil's team - meter data volumes."),
             (60, "em", 0, "Email: tender submission", "Tender submitted."),
             (16, "emi", 0, "RE: clarifications", "Neil sent clarification questions."),
         ],
         labels=[], why="Healthy tender."),
    dict(acct="Solent Marine Services", ind="Transportation", name="Solent - Vessel Maintenance",
         stage="Value Proposition", amt=58000, created=85, close=-45, ns="Trial data review", rep=1,
         contacts=[C("Ben", "Carver", "Fleet Engineer", "Evaluator"),
                   C("Alison", "Frost", "Technical Director", "Decision Maker")],
         acts=[
             (80, "ev", 1, "Discovery", "Alison - 14 vessels, maintenance on paper."),
             (50, "ev", 0, "Trial", "Ben loaded 2 vessels."),
             (25, "co", 0, "Check-in", "Checking in on the trial: Ben logged 31 work orders, found 2 overdue surveys."),
             (9, "ev", 1, "Review", "Alison wants all vessels costed."),
         ],
         labels=[], why="TRAP: 'checking in' with real trial content."),
    dict(acct="Eastgate Accountants", ind="Professional Services", name="Eastgate - Practice Mgmt",
         stage="Negotiation/Review", amt=36000, created=130, close=-10, ns="Signature", rep=2,
         contacts=[C("Ray", "Mills", "Managing Partner", "Decision Maker"),
                   C("Kim", "Lowe", "Practice Administrator", "Business User")],
         acts=[
             (120, "ev", 0, "Discovery", "Ray - timesheets chaos."),
             (90, "ev", 1, "Data migration test", "Kim migrated 50 clients."),
             (60, "ev", 0, "Golf", "Golf with Ray after the migration test went well; talked go-live dates."),
             (30, "ev", 0, "Commercials", "Agreed."),
             (7, "emi", 0, "RE: contract", "Ray: signing this week."),
         ],
         labels=[], why="TRAP: golf in a deal that is closing."),
    dict(acct="Highgate Labs", ind="Life Sciences", name="Highgate - Freezer Monitoring",
         stage="Value Proposition", amt=19000, created=50, close=-30, ns="Install sensors in lab 3", rep=3,
         contacts=[C("Dr. Eve", "Stone", "Lab Director", "Decision Maker"),
                   C("Sam", "Pike", "Lab Technician", "Business User")],
         acts=[
             (45, "co", 1, "Intro", "Sam - lost samples when freezer failed."),
             (25, "ev", 0, "Discovery", "Dr Stone approved a test in lab 3."),
             (-4, "ev", 1, "Sensor install", "Scheduled"),
         ],
         labels=[], why="Healthy."),
    dict(acct="Corbridge Estates", ind="Real Estate", name="Corbridge - Maintenance Requests",
         stage="Perception Analysis", amt=28000, created=100, close=-25, ns="Reference call with Hallam Homes", rep=4,
         contacts=[C("Fiona", "Wild", "Property Manager", "Evaluator"),
                   C("George", "Corbridge", "Director", "Decision Maker")],
         acts=[
             (95, "co", 0, "Intro", "Fiona - 800 units, requests via email."),
             (70, "ev", 1, "Discovery", "George + Fiona."),
             (40, "ev", 0, "Trial", "Fiona trialled with 40 tenants."),
             (15, "emi", 1, "RE: references", "George asked for a reference."),
         ],
         labels=[], why="Healthy."),
    dict(acct="Ridgeline Outdoors", ind="Retail", name="Ridgeline - Returns Portal",
         stage="Closed Won", amt=24000, created=90, close=40, rep=0,
         contacts=[C("Paige", "Olsen", "E-commerce Manager", "Evaluator"),
                   C("Drew", "Han", "COO", "Decision Maker")],
         acts=[
             (85, "co", 0, "Intro", "Paige."),
             (60, "ev", 1, "Demo", "Drew + Paige."),
             (41, "emi", 1, "RE: signed", "Signed."),
         ],
         labels=[], why="Closed won quickly."),
    dict(acct="Fairbanks Legal", ind="Legal", name="Fairbanks - e-Billing",
         stage="Value Proposition", amt=42000, created=60, close=-50, ns="Send SOW draft", rep=1,
         contacts=[C("Ola", "Ade", "Billing Manager", "Evaluator"),
                   C("Gina", "Marsh", "Finance Director", "Economic Buyer")],
         acts=[
             (55, "co", 0, "Intro", "Ola - LEDES rejections."),
             (35, "ev", 1, "Discovery", "Gina: 6% write-offs from rejected invoices."),
             (15, "ev", 0, "Workshop", "Ola's team mapped 20 client billing rules."),
         ],
         labels=[], why="Healthy."),
    dict(acct="Hollins Engineering", ind="Manufacturing", name="Hollins - Quote-to-Cash",
         stage="Proposal/Price Quote", amt=76000, created=140, close=-20, ns="Proposal walkthrough 5 Mar", rep=2,
         contacts=[C("Mike", "Royle", "Sales Operations Manager", "Evaluator"),
                   C("Tess", "Hollins", "CEO", "Decision Maker"),
                   C("Dev", "Patel", "Finance Manager", "Influencer")],
         acts=[
             (130, "ev", 1, "Intro", "Tess - quotes take a week."),
             (100, "ev", 0, "Process mapping", "Mike's team mapped quote flow."),
             (70, "ev", 2, "Finance review", "Dev: invoicing errors 4%."),
             (35, "ev", 1, "Business case", "Tess signed off business case."),
             (12, "em", 1, "Email: proposal", "Proposal sent."),
             (-3, "ev", 1, "Proposal walkthrough", "Scheduled"),
         ],
         labels=[], why="Healthy multi-threaded."),
    dict(acct="Wolds Agricultural Co-op", ind="Agriculture", name="Wolds - Grain Intake",
         stage="Value Proposition", amt=33000, created=65, close=-35, ns="Harvest-readiness workshop", rep=4,
         contacts=[C("Tom", "Ashworth", "Intake Supervisor", "Business User"),
                   C("Mary", "Dales", "General Manager", "Decision Maker")],
         acts=[
             (60, "co", 0, "Intro", "Tom: lorries queue 2 hrs at harvest, tickets handwritten."),
             (38, "ev", 1, "Discovery", "Mary + Tom. Mary wants it live before harvest."),
             (21, "emi", 0, "RE: weighbridge", "Tom sent weighbridge model + ticket samples."),
             (-13, "ev", 1, "Harvest-readiness workshop", "Scheduled"),
         ],
         labels=[], why="Healthy."),
    dict(acct="Cresswell Opticians", ind="Retail", name="Cresswell - Recall & Reminders",
         stage="Perception Analysis", amt=17000, created=95, close=-20, ns="Go-live plan with Deb", rep=0,
         contacts=[C("Deb", "Lowry", "Practice Manager", "Evaluator"),
                   C("Raj", "Kumar", "Owner / Optometrist", "Decision Maker")],
         acts=[
             (90, "co", 0, "Intro", "Deb - recalls via letters, 40% return."),
             (70, "ev", 1, "Discovery", "Raj: he owns the budget, wants SMS recalls."),
             (45, "ev", 0, "Trial", "Deb trialled SMS on 200 patients: 58% booked."),
             (28, "ev", 1, "Lunch", "Lunch with Raj and Deb to go through trial results; Raj said go."),
             (10, "emi", 0, "RE: go-live", "Deb sent patient export for go-live."),
         ],
         labels=[], why="TRAP: 'lunch' used to review trial results; owner engaged."),
    dict(acct="Marsh Lane Veterinary", ind="Healthcare", name="Marsh Lane - Client Portal",
         stage="Qualification", amt=14000, created=50, close=-60, ns="Call Alex after partner meeting 4 Mar", rep=1,
         contacts=[C("Alex", "Moreno", "Head Nurse", "Influencer"),
                   C("Ruth", "Cole", "Practice Partner", "Decision Maker")],
         acts=[
             (45, "co", 0, "Intro", "Alex - phones swamped with repeat prescription requests."),
             (25, "ev", 1, "Discovery", "Ruth + Alex. Ruth asked what other practices saw."),
             (12, "emi", 1, "RE: partner meeting", "Ruth: putting it on the partners' agenda 4 Mar, will share what they decide."),
         ],
         labels=[], why="Healthy; decision maker engaged and driving internal agenda."),
]


# ==========================================================================
# builder
# ==========================================================================

def auto_history(sc):
    """History rows (ago, stage, close_ago, amount) for a scenario without an explicit
    ``hist``: Prospecting at creation, evenly through earlier stages, current stage
    entered ``since`` days ago (closed deals: evenly up to ``reached``, closed on close)."""
    created, close, amt, stage = sc["created"], sc["close"], sc["amt"], sc["stage"]
    closed = stage in ("Closed Won", "Closed Lost")
    if closed:
        reached = sc.get("reached", "Negotiation/Review" if stage == "Closed Won" else "Proposal/Price Quote")
        idx = STAGES.index(reached)
        span = created - close
        rows = [(created - round(span * i / (idx + 1)), STAGES[i], close, amt) for i in range(idx + 1)]
        rows.append((close, stage, close, amt))
        return rows
    idx = STAGES.index(stage)
    since = sc.get("since", max(created // 3, 1))
    if idx == 0:
        return [(created, STAGES[0], close, amt)]
    span = created - since
    rows = [(created - round(span * i / idx), STAGES[i], close, amt) for i in range(idx)]
    rows.append((since, STAGES[idx], close, amt))
    return rows


def stage_stints(hist_rows):
    """[(stage, entered_ago, left_ago or None)] from history rows (ago-sorted desc)."""
    stints = []
    for ago, stage, _close, _amt in hist_rows:
        if stints and stints[-1][0] == stage:
            continue
        if stints:
            stints[-1][2] = ago
        stints.append([stage, ago, None])
    return stints


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if r.get(h) is None else r.get(h) for h in header])


def b(x):
    return "true" if x else "false"


def build(tag, as_of, users, deals, outdir, with_history, seed):
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    order = list(range(len(deals)))
    rng.shuffle(order)
    counters = {}

    def nid(prefix):
        counters[prefix] = counters.get(prefix, 0) + 1
        return sfid(prefix, tag, counters[prefix])

    # users
    user_rows, user_ids = [], []
    mgr_ids = []
    for name, title, is_mgr in users:
        uid = nid("005")
        user_ids.append(uid)
        if is_mgr:
            mgr_ids.append(uid)
    for i, (name, title, is_mgr) in enumerate(users):
        first, last = name.split(" ", 1)
        user_rows.append(dict(Id=user_ids[i], Name=name,
                              Email=email_of(first, last, f"{tag.lower()}corp.example.com"),
                              ManagerId="" if is_mgr else mgr_ids[i % len(mgr_ids)],
                              Title=title, IsActive="true"))
    rep_ids = [u for u, (_, _, m) in zip(user_ids, users) if not m]

    accounts, contacts, opps, ocrs, hist, tasks, events = {}, [], [], [], [], [], []
    labels, notes, stints_by_deal = {}, {}, {}
    for n in order:
        sc = deals[n]
        if sc["acct"] not in accounts:
            accounts[sc["acct"]] = dict(Id=nid("001"), Name=sc["acct"], Industry=sc["ind"])
        acc = accounts[sc["acct"]]
        dom = domain_of(sc["acct"])
        cids = []
        for ci, c in enumerate(sc["contacts"]):
            cid = nid("003")
            cids.append(cid)
            first = c["first"]
            last = c["last"]
            contacts.append(dict(Id=cid, AccountId=acc["Id"], FirstName=first, LastName=last,
                                 Name=f"{first} {last}", Title=c["title"],
                                 Email=email_of(first.replace("Dr. ", ""), last, dom)))
            ocrs.append(dict(Id=nid("00k"), OpportunityId=None, ContactId=cid, Role=c["role"],
                             IsPrimary=b(ci == 0), _deal=n))
        oid = nid("006")
        for o in ocrs:
            if o.get("_deal") == n:
                o["OpportunityId"] = oid
        owner = rep_ids[sc["rep"] % len(rep_ids)]
        closed = sc["stage"] in ("Closed Won", "Closed Lost")
        created_d = day(as_of, sc["created"])
        opps.append(dict(Id=oid, AccountId=acc["Id"], Name=sc["name"], StageName=sc["stage"],
                         Amount=sc["amt"], CloseDate=day(as_of, sc["close"]).isoformat(),
                         NextStep=sc.get("ns", ""), IsClosed=b(closed),
                         IsWon=b(sc["stage"] == "Closed Won"), OwnerId=owner,
                         CreatedDate=dtime(created_d, 8 + rng.randrange(9), rng.randrange(60), rng.randrange(60))))
        hrows = [(r[0], r[1], r[2], r[3] if len(r) > 3 else sc["amt"]) for r in sc["hist"]] \
            if "hist" in sc else auto_history(sc)
        assert hrows[0][0] == sc["created"], (sc["name"], "history must start at creation")
        assert hrows[-1][1] == sc["stage"] and hrows[-1][2] == sc["close"], (sc["name"], "history end mismatch")
        stints_by_deal[oid] = stage_stints(hrows)
        if with_history:
            for ago, stage, close, amt in hrows:
                hist.append(dict(Id=nid("008"), OpportunityId=oid,
                                 CreatedDate=dtime(day(as_of, ago), 9 + rng.randrange(8), rng.randrange(60), rng.randrange(60)),
                                 StageName=stage, Amount=amt, CloseDate=day(as_of, close).isoformat()))
        for ago, kind, who, subj, desc in sc["acts"]:
            assert ago <= sc["created"], (sc["name"], subj, "activity before creation")
            d = day(as_of, ago)
            whoid = "" if who is None else cids[who]
            if kind == "ev":
                events.append(dict(Id=nid("00U"), WhoId=whoid, WhatId=oid, Subject=subj,
                                   ActivityDate=d.isoformat(),
                                   StartDateTime=dtime(d, 9 + rng.randrange(9), rng.choice((0, 0, 30))),
                                   OwnerId=owner, Description=desc))
                continue
            subtype, calltype = {"em": ("Email", ""), "emi": ("Email", ""), "co": ("Call", "Outbound"),
                                 "ci": ("Call", "Inbound"), "t": ("Task", ""), "ft": ("Task", ""),
                                 "ot": ("Task", "")}[kind]
            open_ = kind in ("ft", "ot")
            assert (kind == "ft") == (ago < 0) or kind == "ot", (sc["name"], subj)
            tasks.append(dict(Id=nid("00T"), WhoId=whoid, WhatId=oid, Subject=subj,
                              ActivityDate=d.isoformat(), Status="Not Started" if open_ else "Completed",
                              OwnerId=owner, Description=desc, IsClosed=b(not open_),
                              TaskSubtype=subtype, CallType=calltype))
        labels[oid] = list(sc["labels"])
        notes[oid] = sc["why"]

    # ---- stalled-in-stage (acme): derived from the export's own history
    if with_history:
        per_stage = {}
        for oid, st in stints_by_deal.items():
            for stage, entered, left in st:
                if left is not None and stage not in ("Closed Won", "Closed Lost"):
                    per_stage.setdefault(stage, []).append(entered - left)
        medians = {k: statistics.median(v) for k, v in per_stage.items()}
        # medians including the open (current) stints too, to make sure the label
        # does not depend on which reading of "median time in stage" a detector uses
        per_stage_all = {k: list(v) for k, v in per_stage.items()}
        for oid, st in stints_by_deal.items():
            stage, entered, left = st[-1]
            if stage not in ("Closed Won", "Closed Lost"):
                per_stage_all.setdefault(stage, []).append(entered)
        medians_all = {k: statistics.median(v) for k, v in per_stage_all.items()}
        problems = []
        for o in opps:
            if o["IsClosed"] == "true":
                continue
            stage, entered, _ = stints_by_deal[o["Id"]][-1]
            age = (as_of - dt.date.fromisoformat(o["CreatedDate"][:10])).days
            m1, m2 = medians.get(stage, 0), medians_all.get(stage, 0)
            stalled1 = entered >= 60 and entered > 2 * m1
            stalled2 = entered >= 60 and entered > 2 * m2
            assert stalled1 == stalled2, (o["Name"], entered, m1, m2)
            if stalled1 and age >= 21:
                # margin: comfortably past both thresholds
                if not (entered >= 75 and entered >= 2.4 * max(m1, m2)):
                    problems.append(("too close to threshold (stalled)", o["Name"], stage, entered, m1, m2))
                labels[o["Id"]].append(STALL)
            elif entered >= 45 and not (entered < 60 or entered <= 1.6 * min(m1, m2)):
                problems.append(("too close to threshold (not stalled)", o["Name"], stage, entered, m1, m2))
        for pr in problems:
            print("  !!", pr)
        assert not problems
        print(f"[{tag}] stage medians (completed stints):",
              {k: round(v, 1) for k, v in sorted(medians.items(), key=lambda kv: STAGES.index(kv[0]))})

    for o in opps:  # closed deals never carry labels
        if o["IsClosed"] == "true":
            assert not labels[o["Id"]], o["Name"]

    write_csv(os.path.join(outdir, "Account.csv"), ["Id", "Name", "Industry"], accounts.values())
    write_csv(os.path.join(outdir, "User.csv"), ["Id", "Name", "Email", "ManagerId", "Title", "IsActive"], user_rows)
    write_csv(os.path.join(outdir, "Contact.csv"),
              ["Id", "AccountId", "FirstName", "LastName", "Name", "Title", "Email"], contacts)
    write_csv(os.path.join(outdir, "Opportunity.csv"),
              ["Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "NextStep", "IsClosed",
               "IsWon", "OwnerId", "CreatedDate"], opps)
    write_csv(os.path.join(outdir, "OpportunityContactRole.csv"),
              ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary"], ocrs)
    if with_history:
        write_csv(os.path.join(outdir, "OpportunityHistory.csv"),
                  ["Id", "OpportunityId", "CreatedDate", "StageName", "Amount", "CloseDate"], hist)
    elif os.path.exists(os.path.join(outdir, "OpportunityHistory.csv")):
        os.remove(os.path.join(outdir, "OpportunityHistory.csv"))
    tasks.sort(key=lambda r: (r["ActivityDate"], r["Id"]))
    events.sort(key=lambda r: (r["ActivityDate"], r["Id"]))
    write_csv(os.path.join(outdir, "Task.csv"),
              ["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "OwnerId", "Description",
               "IsClosed", "TaskSubtype", "CallType"], tasks)
    write_csv(os.path.join(outdir, "Event.csv"),
              ["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "StartDateTime", "OwnerId", "Description"],
              events)

    def q(sv):
        return '"' + sv.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"# Hand-labelled evaluation corpus for dealnudge ({os.path.basename(outdir)}).",
             "# Generated by tests/corpus/build_corpus.py - edit the scenarios there, not this file.",
             f'as_of = "{as_of.isoformat()}"', "", "[deals]"]
    for o in opps:
        lines.append(f"{q(o['Id'])} = [{', '.join(q(x) for x in labels[o['Id']])}]")
    lines += ["", "[notes]"]
    for o in opps:
        lines.append(f"{q(o['Id'])} = {q(o['Name'] + ': ' + notes[o['Id']])}")
    with open(os.path.join(outdir, "labels.toml"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")

    counts = {}
    for v in labels.values():
        for x in v:
            counts[x] = counts.get(x, 0) + 1
    n_open = sum(1 for o in opps if o["IsClosed"] == "false")
    print(f"[{tag}] deals={len(opps)} open={n_open} labelled={sum(1 for v in labels.values() if v)} "
          f"tasks={len(tasks)} events={len(events)} contacts={len(contacts)} accounts={len(accounts)}")
    for k in sorted(counts):
        print(f"    {k:32s} {counts[k]}")


def main():
    build("AC", ACME_AS_OF, ACME_USERS, ACME_DEALS, os.path.join(HERE, "acme"), True, 20260615)
    build("GX", GLOBEX_AS_OF, GLOBEX_USERS, GLOBEX_DEALS, os.path.join(HERE, "globex"), False, 20260302)


if __name__ == "__main__":
    main()

"""The rule of mandatory training for one person and one obligation (pure: no database).

Interface (used by ``academy.competences``; keep it stable)::

    evaluate(obligation, credits, today, due_days=90, *, person_risk_class="", assigned_on=None,
             entry_into_force=None) -> ObligationStatus

``obligation`` is an ``academy.obligations.models.Obligation`` (saved or not) or any object with the
same attributes. ``credits`` are the trainings that might count, as ``Credit``:

* ``day`` (end date on the attestato), ``hours`` (or ECM credits), ``mode`` (``DeliveryMode`` value);
* optional: ``frame`` (the rules it was done under: ``FRAME_2011`` / ``FRAME_2016`` / ``FRAME_2025``;
  empty = decided by ``day`` against the 2025 Agreement's entry into force), ``kind`` (``INITIAL`` /
  ``REFRESHER`` / ``MODULE``; empty = the rule decides by order), ``module`` (e.g. ``"general"``,
  ``"specific"``, ``"B"``: the workers' general module counts whatever the risk class, at most its 4
  hours, in the modes the obligation allows), ``practical`` (a practical module: only in presence),
  ``source`` (shown to people: attestato number, course title), ``obligation_code`` (the obligation it
  was recorded for, when fed to another one, e.g. after a change of risk class or first-aid group: only
  the workers' general module carries over, Part II 2.1), ``credited_from`` (an Annex III credit, made by
  ``annex_credit``: the initial course of this obligation granted by another role's course, never a
  refresher).

Keyword arguments: ``person_risk_class`` (the risk class of the person's own job, ``"low"`` /
``"medium"`` / ``"high"``: e-learning of the workers' specific module counts only for low, FAQ 2025
n. 57), ``assigned_on`` (the day the person was hired or took up the role: the initial course is due
then, step 2),
``entry_into_force`` (of the 2025 Agreement; default ``settings.ASR_2025_ENTRY_INTO_FORCE``).

The result, ``ObligationStatus``: ``status`` (``COMPLIANT`` / ``DUE`` / ``LAPSED`` / ``OVERDUE``),
``qualified_on``, ``due_on`` (the deadline, a transition's included; for an initial course not done,
the start of the role or the end of a transition), ``hours_done``, ``hours_required``,
``hours_missing`` (0 while compliant, except ECM which shows the triennium's progress), ``full_course`` (True: only the full initial course
re-qualifies), ``basis`` (why the deadline is what it is: ``BASIS_*``) and ``verdicts``: one
``Verdict`` per credit given, in date order, saying whether it counted (towards the initial course or
a refresher) and if not why (``REASON_*``, with ``label`` for people).

The rule (each step cites its source in ``docs/mandatory-training.md``):

1. A credit after ``today``, in a delivery mode the obligation does not allow, e-learning where the
   person's risk class forbids it, a practical module not in presence, or recorded for another
   obligation, does not count.
2. **Initial training**: hours add up in date order (several courses may make it); the person is
   qualified on the end date of the one completing ``initial_hours`` (``initial_hours_previous`` when
   every hour was done under the repealed 2011/2016 agreements: full credit, Part VII). Until then
   **due** up to the start of the role (``assigned_on``: no 60 days any more, FAQ 2025 n. 5) or the end
   of a transition (employers: 24 months), **overdue** after it (or when the start is not known).
3. **Refreshers**: the window runs ``window_months`` from the qualifying end date, the deadline day
   included. Later hours add up; the day they reach ``refresher_hours`` is the new qualifying date
   (surplus hours are not carried over). A deadline may be moved by a transition of the 2025
   Agreement (Part VII; FAQ 2025 nn. 16-17).
4. Deadline passed: **lapsed**; refresher hours done before it that did not complete the refresher do
   not carry over (FAQ 2025 n. 22, conservative reading). A late refresher re-qualifies from its own
   date, except where the obligation has ``requalify_years`` (qualifying courses: RSPP, ASPP, DL-SPP):
   a refresher more than that many years after the last qualifying date no longer counts and the full
   course is needed again (``full_course``; Part III; FAQ 2026 q. 8, whose example counts from the
   attestato). Add-on and specialisation modules are never refreshers (Part III).
5. Qualified, deadline within ``due_days``: **due**; otherwise **compliant**.

ECM obligations (unit = credits) count credits in the fixed three-year cycles (2023-2025, 2026-2028).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from academy.obligations import transitions
from academy.obligations.transitions import add_months

COMPLIANT, DUE, OVERDUE, LAPSED = "compliant", "due", "overdue", "lapsed"
STATUS_ORDER = {COMPLIANT: 0, DUE: 1, LAPSED: 2, OVERDUE: 3}
DEFAULT_DUE_DAYS = 90
ECM_FIRST_CYCLE = 2023  # cycles are 2023-2025, 2026-2028, ... (and 2020-2022 before)
ECM_CYCLE_YEARS = 3
ZERO = Decimal(0)

FRAME_2011, FRAME_2016, FRAME_2025 = "2011", "2016", "2025"
INITIAL, REFRESHER, MODULE = "initial", "refresher", "module"
GENERAL = "general"  # Credit.module of the workers' general module (Part II 2.1: permanent credit)
GENERAL_HOURS = Decimal(4)  # the workers' general module counts at most its 4 hours (Part II 2.1)
ELEARNING, CLASSROOM = "elearning", "classroom"

# Why a credit counted or not (Verdict.reason).
REASON_INITIAL = "initial"
REASON_REFRESHER = "refresher"
REASON_SURPLUS = "surplus"
REASON_AFTER_TODAY = "after_today"
REASON_MODE = "mode_not_allowed"
REASON_ELEARNING_RISK = "elearning_risk_class"
REASON_PRACTICAL = "practical_not_in_presence"
REASON_BEFORE_ANCHOR = "before_anchor"
REASON_BEYOND_REQUALIFY = "beyond_requalify_years"
REASON_REFRESHER_NOT_INITIAL = "refresher_not_initial"
REASON_OUTSIDE_CYCLE = "outside_cycle"
REASON_OTHER_OBLIGATION = "other_obligation"
REASON_MODULE_NOT_REFRESHER = "module_not_refresher"
REASON_LAPSED_PARTIAL = "lapsed_partial"
REASON_CREDIT_NOT_REFRESHER = "credit_not_refresher"
REASON_LABELS = {
    REASON_INITIAL: _("Counted towards the initial course"),
    REASON_REFRESHER: _("Counted towards a refresher"),
    REASON_SURPLUS: _("Not needed: hours beyond those required are not carried over"),
    REASON_AFTER_TODAY: _("Not counted: ends after today"),
    REASON_MODE: _("Not counted: delivery mode not allowed for this obligation"),
    REASON_ELEARNING_RISK: _("Not counted: e-learning not allowed for this risk class"),
    REASON_PRACTICAL: _("Not counted: a practical module must be done in presence"),
    REASON_BEFORE_ANCHOR: _("Not counted: earlier than, or on the day of, the qualifying training"),
    REASON_BEYOND_REQUALIFY: _("Not counted: refresher too late, the full course must be repeated"),
    REASON_REFRESHER_NOT_INITIAL: _("Not counted: a refresher cannot replace the initial course"),
    REASON_OUTSIDE_CYCLE: _("Not counted: outside the current ECM triennium"),
    REASON_OTHER_OBLIGATION: _("Not counted: done for another obligation (only the workers' general module "
                               "carries over)"),
    REASON_MODULE_NOT_REFRESHER: _("Not counted: an add-on or specialisation module is not a refresher"),
    REASON_LAPSED_PARTIAL: _("Not counted: part of a refresher that was not completed by the deadline"),
    REASON_CREDIT_NOT_REFRESHER: _("Not counted: another role's course is not a refresher for this one"),
}

# Why the deadline is what it is (ObligationStatus.basis).
BASIS_WINDOW = "window"
BASIS_TRANSITION = "transition"
BASIS_START = "start"
BASIS_LABELS = {
    BASIS_WINDOW: _("refresher window"),
    BASIS_TRANSITION: _("transition period"),
    BASIS_START: _("start of the job or role"),
}


@dataclass(frozen=True, slots=True)
class Credit:
    day: datetime.date
    hours: Decimal
    mode: str
    frame: str = ""
    kind: str = ""
    module: str = ""
    practical: bool = False
    source: str = ""
    obligation_code: str = ""
    credited_from: str = ""  # an Annex III credit: the code of the obligation whose course grants it


def annex_credit(day: datetime.date, hours: Decimal, target_code: str, from_code: str, source: str = "",
                 module: str = "") -> Credit:
    """The credit the 2025 Agreement's Annex III gives for another role's course completed on ``day``: it
    stands for the initial course (or, ``module="general"``, for the workers' general module) of
    ``target_code``, whatever the delivery mode, and never for a refresher (Part III)."""
    return Credit(day, hours, CLASSROOM, frame=FRAME_2025, kind=INITIAL, module=module, source=source,
                  obligation_code=target_code, credited_from=from_code)


@dataclass(frozen=True, slots=True)
class Verdict:
    credit: Credit
    counted: bool
    reason: str

    @property
    def label(self):
        return REASON_LABELS[self.reason]


@dataclass(slots=True)
class ObligationStatus:
    obligation: object  # academy.obligations.models.Obligation (kept loose: the rule needs no database)
    status: str
    qualified_on: datetime.date | None = None
    due_on: datetime.date | None = None
    hours_done: Decimal = ZERO
    hours_required: Decimal = ZERO
    verdicts: tuple[Verdict, ...] = ()
    full_course: bool = False
    basis: str = ""

    @property
    def hours_missing(self) -> Decimal:
        """Hours (or credits) still to do for the current step; none while compliant (the next
        refresher is not missing yet: "compliant" beside missing hours confused HR, issue 24)."""
        if self.status == COMPLIANT and getattr(self.obligation, "unit", "hours") != "credits":
            return ZERO  # ECM keeps showing the triennium's progress
        return max(self.hours_required - self.hours_done, ZERO)

    @property
    def needs_action(self) -> bool:
        return self.status != COMPLIANT

    @property
    def counted(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.counted]

    @property
    def not_counted(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.counted]

    @property
    def basis_label(self):
        return BASIS_LABELS.get(self.basis, "")


def ecm_cycle(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = ECM_FIRST_CYCLE + (day.year - ECM_FIRST_CYCLE) // ECM_CYCLE_YEARS * ECM_CYCLE_YEARS
    return datetime.date(start, 1, 1), datetime.date(start + ECM_CYCLE_YEARS - 1, 12, 31)


def _refusal(obligation, credit: Credit, today: datetime.date, person_risk_class: str) -> str:
    """Why ``credit`` cannot count at all for ``obligation`` ("" if it can)."""
    if credit.day > today:
        return REASON_AFTER_TODAY
    if obligation.unit == "credits" or credit.credited_from:
        return ""  # an Annex III credit stands for a whole course, in whatever mode it was done
    if credit.obligation_code and credit.obligation_code != obligation.code and not (
            credit.module == GENERAL and obligation.role == "worker"):
        return REASON_OTHER_OBLIGATION  # only the workers' general module is a permanent credit (Part II 2.1)
    if credit.practical and credit.mode != CLASSROOM:
        return REASON_PRACTICAL  # videoconference = presence except practical modules (FAQ 2026 q. 33)
    if not obligation.allows(credit.mode):
        return REASON_MODE
    if credit.mode == ELEARNING and getattr(obligation, "elearning_low_risk_only", False):
        own = person_risk_class or _risk_class_of(obligation)
        if own != "low":
            return REASON_ELEARNING_RISK  # FAQ 2025 n. 57: the person's own job decides
    return ""


def _risk_class_of(obligation) -> str:
    tokens = {t.strip() for t in (getattr(obligation, "risk_classes", "") or "").split(",")}
    classes = [t[3:] for t in tokens if t.startswith("hs:")]
    return classes[0] if len(classes) == 1 else ""


def _is_previous(credit: Credit, in_force: datetime.date) -> bool:
    """Done under the repealed agreements: before entry into force, or marked so and ending within the
    12 months in which courses could still start under them (Part VII point 2; FAQ 2025 n. 16)."""
    if credit.frame == FRAME_2025:
        return False
    if credit.day < in_force:
        return True
    return credit.frame in (FRAME_2011, FRAME_2016) and credit.day < add_months(in_force, 12)


def evaluate(obligation, credits: Iterable[Credit], today: datetime.date, due_days: int = DEFAULT_DUE_DAYS,
             *, person_risk_class: str = "", assigned_on: datetime.date | None = None,
             entry_into_force: datetime.date | None = None) -> ObligationStatus:
    """The person's status for ``obligation`` given everything that might count (see module doc)."""
    ordered = sorted(credits, key=lambda c: (c.day, c.kind == REFRESHER))
    if obligation.unit == "credits":
        return _evaluate_ecm(obligation, ordered, today, due_days)
    in_force = entry_into_force or transitions.entry_into_force()
    reasons: dict[int, str] = {}
    usable: list[int] = []
    for i, credit in enumerate(ordered):
        reasons[i] = _refusal(obligation, credit, today, person_risk_class)
        if not reasons[i]:
            usable.append(i)
    initial = Decimal(obligation.initial_hours)
    previous = getattr(obligation, "initial_hours_previous", None)
    requalify_years = getattr(obligation, "requalify_years", None)
    target = initial  # hours the initial course being added up needs (repealed agreements: theirs)

    def initial_from(start: int, not_initial: str) -> tuple[datetime.date | None, int, Decimal, list[int]]:
        """Add up an initial course from ``usable[start]``: a course wholly under the repealed agreements
        needs their hours (full credit, Part VII), any 2025 hour makes it need the current ones."""
        nonlocal target
        done, used, all_previous, general = ZERO, [], True, ZERO
        target = initial
        for pos in range(start, len(usable)):
            i = usable[pos]
            if ordered[i].kind in (REFRESHER,):
                reasons[i] = not_initial
                continue
            hours = ordered[i].hours
            if ordered[i].module == GENERAL and obligation.role == "worker":
                # a general module stands only for the general part: 4 hours (Part II 2.1)
                hours = min(hours, max(GENERAL_HOURS - general, ZERO))
                general += hours
                if not hours:
                    reasons[i] = REASON_SURPLUS
                    continue
            done += hours
            used.append(i)
            all_previous = all_previous and _is_previous(ordered[i], in_force)
            target = Decimal(previous) if (previous is not None and all_previous) else initial
            if done >= target:
                return ordered[i].day, pos + 1, done, used
        return None, len(usable), done, used

    anchor, pos, done, used = initial_from(0, REASON_REFRESHER_NOT_INITIAL)
    for i in used:
        reasons[i] = REASON_INITIAL
    from_module = getattr(obligation, "refresher_from_module", "")
    if anchor is not None and from_module:
        # RSPP/ASPP: the five years run from module B common, not from the end of module C (Part III 3).
        anchor = min([ordered[i].day for i in used if ordered[i].module == from_module] + [anchor])
    if anchor is None:
        return _finish(ordered, reasons, _not_qualified(obligation, today, assigned_on, in_force, done, target))
    if not obligation.window_months or obligation.refresher_hours is None:
        return _finish(ordered, reasons, ObligationStatus(obligation, COMPLIANT, anchor, None, initial, initial))
    required = Decimal(obligation.refresher_hours)
    deadline, moved = transitions.deadline(obligation, anchor, in_force)
    basis = BASIS_TRANSITION if moved else BASIS_WINDOW
    done, pending = ZERO, []
    while pos < len(usable):
        i = usable[pos]
        credit = ordered[i]
        pos += 1
        if credit.day <= anchor:
            reasons[i] = REASON_BEFORE_ANCHOR
            continue
        if requalify_years is not None and credit.day > add_months(anchor, 12 * requalify_years):
            # Too late for a refresher: only the full course re-qualifies (Part III; FAQ 2026 q. 8).
            for j in pending:
                reasons[j] = REASON_BEYOND_REQUALIFY
            new_anchor, new_pos, new_done, new_used = initial_from(pos - 1, REASON_BEYOND_REQUALIFY)
            if new_anchor is None:
                for j in new_used:
                    reasons[j] = REASON_INITIAL
                result = ObligationStatus(obligation, LAPSED, anchor, deadline, new_done, target,
                                          full_course=True, basis=basis)
                return _finish(ordered, reasons, result)
            for j in new_used:
                reasons[j] = REASON_INITIAL
            anchor, pos, done, pending = new_anchor, new_pos, ZERO, []
            deadline, basis = add_months(anchor, obligation.window_months), BASIS_WINDOW
            continue
        if credit.credited_from:
            reasons[i] = REASON_CREDIT_NOT_REFRESHER  # Part III: another role's course refreshes nothing here
            continue
        if credit.kind == MODULE:
            reasons[i] = REASON_MODULE_NOT_REFRESHER  # Part III: add-on and specialisation modules
            continue
        if credit.day > deadline and pending and ordered[pending[-1]].day <= deadline:
            # Hours of a window that lapsed short do not carry over (FAQ 2025 n. 22, conservative reading).
            for j in pending:
                reasons[j] = REASON_LAPSED_PARTIAL
            done, pending = ZERO, []
        done += credit.hours
        pending.append(i)
        reasons[i] = REASON_REFRESHER
        if done >= required:
            anchor, done, pending = credit.day, ZERO, []
            deadline, basis = add_months(anchor, obligation.window_months), BASIS_WINDOW
    if today > deadline and pending and ordered[pending[-1]].day <= deadline:
        for j in pending:
            reasons[j] = REASON_LAPSED_PARTIAL
        done = ZERO
    if today > deadline:
        status = LAPSED
    elif today >= deadline - datetime.timedelta(days=due_days):
        status = DUE
    else:
        status = COMPLIANT
    result = ObligationStatus(obligation, status, anchor, deadline, done, required, basis=basis)
    if requalify_years is not None and today > add_months(anchor, 12 * requalify_years):
        result.full_course, result.hours_done, result.hours_required = True, ZERO, initial
    return _finish(ordered, reasons, result)


def _not_qualified(obligation, today, assigned_on, in_force, done, initial) -> ObligationStatus:
    """Initial course not complete: due by the start of the role (or the end of a transition), overdue
    after it; overdue with no deadline when the start is not known."""
    limit, moved = transitions.initial_deadline(obligation, assigned_on, in_force)
    if limit is None:
        return ObligationStatus(obligation, OVERDUE, None, None, done, initial)
    status = DUE if today <= limit else OVERDUE
    return ObligationStatus(obligation, status, None, limit, done, initial,
                            basis=BASIS_TRANSITION if moved else BASIS_START)


def _finish(ordered: list[Credit], reasons: dict[int, str], result: ObligationStatus) -> ObligationStatus:
    verdicts = []
    for i, credit in enumerate(ordered):
        reason = reasons.get(i) or REASON_SURPLUS
        verdicts.append(Verdict(credit, reason in (REASON_INITIAL, REASON_REFRESHER), reason))
    result.verdicts = tuple(verdicts)
    return result


def _evaluate_ecm(obligation, ordered: list[Credit], today: datetime.date, due_days: int) -> ObligationStatus:
    start, end = ecm_cycle(today)
    reasons, done = {}, ZERO
    for i, credit in enumerate(ordered):
        if credit.day > today:
            reasons[i] = REASON_AFTER_TODAY
        elif start <= credit.day <= end:
            reasons[i], done = REASON_INITIAL, done + credit.hours
        else:
            reasons[i] = REASON_OUTSIDE_CYCLE
    required = Decimal(obligation.initial_hours)
    if done >= required:
        status = COMPLIANT
    elif today >= end - datetime.timedelta(days=due_days):
        status = DUE
    else:
        status = COMPLIANT
    return _finish(ordered, reasons, ObligationStatus(obligation, status, None, end, done, required))


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=STATUS_ORDER.__getitem__, default=COMPLIANT)

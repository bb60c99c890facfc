"""The pattern registry: one module per pattern, registered here in a fixed order."""

from rules.base import Registry
from rules.patterns.close_date_passed import CloseDatePassed
from rules.patterns.close_date_slipping import CloseDateSlipping
from rules.patterns.convincing_mode import ConvincingMode
from rules.patterns.dropped_when_not_ready import DroppedWhenNotReady
from rules.patterns.gone_quiet import GoneQuiet
from rules.patterns.no_next_step import NoNextStep
from rules.patterns.no_recognized_need import NoRecognizedNeed
from rules.patterns.one_way_chasing import OneWayChasing
from rules.patterns.relationship_without_progress import RelationshipWithoutProgress
from rules.patterns.single_threaded import SingleThreaded
from rules.patterns.stalled_in_stage import StalledInStage
from rules.patterns.waiting_on_someone_else import WaitingOnSomeoneElse

REGISTRY = Registry()
for _pattern in (
    RelationshipWithoutProgress(),
    NoRecognizedNeed(),
    WaitingOnSomeoneElse(),
    SingleThreaded(),
    CloseDateSlipping(),
    StalledInStage(),
    OneWayChasing(),
    NoNextStep(),
    ConvincingMode(),
    DroppedWhenNotReady(),
    CloseDatePassed(),
    GoneQuiet(),
):
    REGISTRY.register(_pattern)

__all__ = ["REGISTRY"]

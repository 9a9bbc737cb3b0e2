"""The case engine: what every kind of case (a request, a problem ticket, a key project's milestone)
shares, and nothing more. A shared core, not a workflow framework:

- `clock`: a deadline from a policy (an amount of working time and an at-risk ratio) on the working
  calendar, the at-risk (reminder) point, pause and resume. `zone_portal.worktime.calendar` stays
  the only code that knows which minutes count.
- `lateness`: one vocabulary for "how late is it" (`Lateness`), with its Python form
  (`lateness_at`) and its SQL form (`lateness_case`, `lateness_q`) over the same stored moments.
- `transitions`: `Transitions`, the table on the model that guards every status change, and
  `transition(case, to)`, which every action goes through (a wrong transition is
  `TransitionForbidden`, a 409); sweeps take their status conditions from the same table.
- `sweep`: `sweep_claim` (one conditional `UPDATE … RETURNING id` that claims the due rows and
  stamps `updated_at`) and `sweep_step` (claim, then the effects, in one transaction).
- `keys`: `dedupe_key`, the one format of the keys that make a sweep's events and notifications
  exactly once.
"""

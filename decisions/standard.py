"""The defaults of 五有一化 reporting, used where the county has stored nothing of its own."""

# A township reports a major decision within this many working days of it (DESIGN.md section 13, data): the
# city-wide ReportingRule, or a county's own, replaces it once stored.
DEFAULT_WORKING_DAYS = 3

# 有测评 comes after the decision has run for a while: a report without its evaluation this many days after
# the decision is flagged "evaluation due". A constant, not data: no county has asked for another span.
EVALUATION_DUE_DAYS = 90

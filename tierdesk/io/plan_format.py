"""The plan workbook's layout, shared by the code that writes it and the code that reads it back: the names
of its sheets (visible and very hidden), the hidden parts and where each is kept, and the headers of the
columns a planner may edit in Excel."""

from __future__ import annotations

__all__ = [
    "DATA_SHEETS",
    "FORMAT",
    "FORMAT_VERSION",
    "HISTORY_SHEET",
    "LISTS_SHEET",
    "MAX_ROWS",
    "META_SHEET",
    "OBJECTIVES_SHEET",
    "OBJ_ACCOUNT",
    "OBJ_FIELDS",
    "OBJ_ID",
    "OPTIONAL_PARTS",
    "PLANS_SHEET",
    "PLAN_CATEGORY",
    "PLAN_ID",
    "PLAN_PERSONA",
    "PLAN_REASON",
    "PLAN_REVENUE",
    "PLAN_TIER",
    "PLAN_WALLET",
    "SELLERS_SHEET",
    "SUMMARY",
    "YES_NO",
]

FORMAT = "tierdesk plan"
FORMAT_VERSION = 1
MAX_ROWS = 1_048_575  # data rows below a header row on one sheet

# ---------------------------------------------------------------- very hidden sheets

META_SHEET = "_tierdesk_meta"  # the plan's description (JSON), the parts' checksums, the visible sheets
LISTS_SHEET = "_tierdesk_lists"  # the choices the dropdowns offer
#: Each hidden part of the plan and the sheet that keeps it.
DATA_SHEETS = {
    "accounts": "_tierdesk_accounts",
    "shown": "_tierdesk_accounts",
    "objectives": "_tierdesk_objectives",
    "overrides": "_tierdesk_overrides",
    "history": "_tierdesk_overrides",  # beside the overrides, where plans have always kept it
    "sellers": "_tierdesk_overrides",  # the sellers table, beside the owner changes kept as overrides
    "previous": "_tierdesk_previous",  # only when the plan has a previous period
}
#: Parts a plan may lack: saved before tierdesk kept them (opened with an empty history, no previous period).
OPTIONAL_PARTS = frozenset({"history", "previous", "sellers"})

# ---------------------------------------------------------------- visible sheets

SUMMARY = "Summary"
PLANS_SHEET, OBJECTIVES_SHEET = "Account Plans", "Objectives"
SELLERS_SHEET = "Sellers"
HISTORY_SHEET = "Change History"  # Excel reserves the name "History"

#: Account Plans: the columns tierdesk reads back.
PLAN_ID, PLAN_TIER, PLAN_PERSONA, PLAN_CATEGORY, PLAN_REASON = (
    "Account ID",
    "Tier",
    "Persona",
    "Category",
    "Override Reason",
)
PLAN_WALLET = "Wallet"
PLAN_REVENUE = "Revenue"
#: Objectives: the id, the account, and each editable header with the objective field it sets.
OBJ_ID, OBJ_ACCOUNT = "Objective ID", "Account ID"
OBJ_FIELDS = {
    "Kind": "kind",
    "Description": "description",
    "Target": "target",
    "Target (Text)": "target_text",
    "Due": "due",
    "Status": "status",
    "Notes": "notes",
}
#: Sellers: the yes/no answers of its yes/no columns.
YES_NO = ("Yes", "No")
